//! Choices and names shared by the task list and the task page: organisations and catalogue
//! entries for selects, names in the user's language, and domain errors as form messages.

use crate::state::Reference;
use std::collections::HashMap;
use theodoi_domain::DomainError;
use theodoi_domain::catalogue::Axis;
use theodoi_domain::error::Code;
use theodoi_domain::ids::OrgId;
use theodoi_domain::org::{OrgCategory, OrgDirectory, Organisation};
use theodoi_i18n::{Lang, catalogue};

/// One option of a select or one checkbox.
#[derive(Debug, Clone)]
pub(in crate::web) struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Options under one heading of a select.
#[derive(Debug, Clone)]
pub(in crate::web) struct OptionGroup {
    pub label: String,
    pub options: Vec<Choice>,
}

/// Lists the organisations that a filter or a form can name, grouped by category and sorted
/// by name. Assigning authorities issue documents and never take part in a task.
pub(in crate::web) fn org_groups(
    reference: &Reference,
    lang: Lang,
    selected: &[i64],
) -> Vec<OptionGroup> {
    org_groups_where(reference, lang, selected, |_| true)
}

/// Lists the organisations a filter offers before the user searches: every body above the
/// subordinate units, the reader's own body with the units directly under it, and the selected
/// ones. Listing the whole tree of thousands of units would make each page megabytes long.
/// The search box that the page script shows beside the select finds the other units.
pub(in crate::web) fn org_filter_groups(
    reference: &Reference,
    lang: Lang,
    selected: &[i64],
    home: OrgId,
) -> Vec<OptionGroup> {
    // The upper bodies come sorted from the reference data, and the few units join them by
    // rank. No request then looks up every body of the tree.
    let mut ids = reference.upper_orgs_by_name(lang).to_vec();
    let units = reference.orgs.iter().filter(|org| {
        org.category == OrgCategory::SubordinateUnit
            && (org.id == home || org.parent_id == Some(home) || selected.contains(&org.id.0))
    });
    ids.extend(units.map(|org| org.id));
    let ranks = reference.name_ranks(lang);
    ids.sort_by_key(|id| ranks.get(id).copied().unwrap_or(usize::MAX));
    let sorted: Vec<&Organisation> = ids
        .iter()
        .filter_map(|id| reference.orgs.organisation(*id))
        .collect();
    groups_by_category(&sorted, lang, selected)
}

fn org_groups_where(
    reference: &Reference,
    lang: Lang,
    selected: &[i64],
    listed: impl Fn(&Organisation) -> bool,
) -> Vec<OptionGroup> {
    let sorted: Vec<&Organisation> = reference
        .orgs_by_name(lang)
        .iter()
        .filter_map(|id| reference.orgs.organisation(*id))
        .filter(|org| listed(org))
        .collect();
    groups_by_category(&sorted, lang, selected)
}

/// Groups `sorted` by category, in the order of the categories' rank, keeping their order
/// within each group.
fn groups_by_category(sorted: &[&Organisation], lang: Lang, selected: &[i64]) -> Vec<OptionGroup> {
    let order = [
        OrgCategory::CentralPartyBody,
        OrgCategory::InspectionCommission,
        OrgCategory::CommitteeUnderCc,
        OrgCategory::CentralUnit,
        OrgCategory::StateAgency,
        OrgCategory::ProvincialCommittee,
        OrgCategory::SubordinateUnit,
    ];
    order
        .into_iter()
        .filter_map(|category| {
            let options: Vec<Choice> = sorted
                .iter()
                .filter(|org| org.category == category)
                .map(|org| Choice {
                    value: org.id.0.to_string(),
                    label: match lang {
                        Lang::Vi => org.name_vi.clone(),
                        Lang::En => org.name_en.clone(),
                    },
                    selected: selected.contains(&org.id.0),
                })
                .collect();
            if options.is_empty() {
                return None;
            }
            let heading = format!("org-category-{}", category.as_str().replace('_', "-"));
            Some(OptionGroup {
                label: capitalize(&catalogue().text(lang, &heading)),
                options,
            })
        })
        .collect()
}

fn capitalize(value: &str) -> String {
    let mut chars = value.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Lists the entries of a catalogue axis in the catalogue's order, inactive ones included
/// because old tasks keep them.
pub(in crate::web) fn catalogue_choices(
    reference: &Reference,
    lang: Lang,
    axis: Axis,
    selected: Option<&str>,
) -> Vec<Choice> {
    let mut entries: Vec<_> = reference
        .catalogues
        .entries()
        .filter(|entry| entry.axis == axis)
        .collect();
    entries.sort_by_key(|entry| (entry.position, entry.code.clone()));
    entries
        .into_iter()
        .map(|entry| Choice {
            value: entry.code.clone(),
            label: match lang {
                Lang::Vi => entry.name_vi.clone(),
                Lang::En => entry.name_en.clone(),
            },
            selected: selected == Some(entry.code.as_str()),
        })
        .collect()
}

/// Returns the name of a catalogue code in `lang`, or the code itself when the catalogue no
/// longer has it.
pub(in crate::web) fn catalogue_name(
    reference: &Reference,
    lang: Lang,
    axis: Axis,
    code: &str,
) -> String {
    reference
        .catalogues
        .get(axis, code)
        .map(|entry| match lang {
            Lang::Vi => entry.name_vi.clone(),
            Lang::En => entry.name_en.clone(),
        })
        .unwrap_or_else(|| code.to_owned())
}

/// Returns the name of a body in `lang`.
pub(in crate::web) fn org_name(reference: &Reference, lang: Lang, id: OrgId) -> String {
    reference
        .orgs
        .organisation(id)
        .map(|org| match lang {
            Lang::Vi => org.name_vi.clone(),
            Lang::En => org.name_en.clone(),
        })
        .unwrap_or_default()
}

/// Localizes a domain error: its summary, and one message per field keyed by the field's name
/// without list indexes or the `classification.` prefix, as the forms name their inputs.
pub(in crate::web) fn field_messages(
    lang: Lang,
    error: &DomainError,
) -> (String, HashMap<String, String>) {
    let localized = catalogue().error(lang, error);
    let mut summary = localized.message;
    let mut fields = HashMap::new();
    for (violation, field) in error.violations.iter().zip(localized.fields) {
        // The pages take dates as dd/mm/yyyy, so the catalogue's advice to type YYYY-MM-DD
        // (written for the JSON API) would mislead here.
        let message = if violation.code == Code::DateInvalid {
            let label = match violation.label {
                Some(label) if catalogue().has(lang, label) => catalogue().text(lang, label),
                _ => catalogue().field_label(lang, &violation.field),
            };
            let message = catalogue().format(
                lang,
                "ui-tasks-date-invalid",
                &[("field", theodoi_i18n::Value::Text(label))],
            );
            if error.violations.len() == 1 {
                summary = message.clone();
            }
            message
        } else {
            field.message
        };
        let name = field.field.split('[').next().unwrap_or_default();
        let name = name.strip_prefix("classification.").unwrap_or(name);
        fields.entry(name.to_owned()).or_insert(message);
    }
    (summary, fields)
}
