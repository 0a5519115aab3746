//! The choices of the entry and handling forms: organisations grouped by category with names
//! in the user's language, document kinds, confidentiality levels, reporting periods and the
//! classification catalogues.

use crate::state::Reference;
use theodoi_domain::catalogue::Axis;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::DocumentKind;
use theodoi_domain::org::{OrgCategory, OrgDirectory, Organisation};
use theodoi_domain::schedule::Period;
use theodoi_domain::user::Clearance;
use theodoi_i18n::{Lang, catalogue};

/// One option of a select.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// Options under one `<optgroup>`.
#[derive(Debug, Clone)]
pub struct ChoiceGroup {
    pub label: String,
    pub choices: Vec<Choice>,
}

/// Every choice the forms offer to one user.
#[derive(Debug, Clone)]
pub struct Pickers {
    /// Every organisation, for issuing and monitoring bodies.
    pub bodies: Vec<ChoiceGroup>,
    /// Organisations that may lead or coordinate a task: all but the assigning authorities.
    pub executing_bodies: Vec<ChoiceGroup>,
    /// The assigning authorities only.
    pub authorities: Vec<Choice>,
    pub kinds: Vec<Choice>,
    /// The storable levels the user's clearance covers; Tuyệt mật is never offered.
    pub levels: Vec<Choice>,
    pub periods: Vec<Choice>,
    pub executing_units: Vec<Choice>,
    pub scopes: Vec<Choice>,
    pub priorities: Vec<Choice>,
    pub others: Vec<Choice>,
}

/// Returns the organisation's name in `lang`.
pub fn org_name(org: &Organisation, lang: Lang) -> String {
    match lang {
        Lang::Vi => org.name_vi.clone(),
        Lang::En => org.name_en.clone(),
    }
}

/// Returns the name of organisation `id` in `lang`, or an empty text when it is unknown.
pub fn org_label(reference: &Reference, id: theodoi_domain::ids::OrgId, lang: Lang) -> String {
    reference
        .orgs
        .organisation(id)
        .map(|org| org_name(org, lang))
        .unwrap_or_default()
}

fn group_message(category: OrgCategory) -> &'static str {
    match category {
        OrgCategory::AssigningAuthority => "ui-documents-orgs-assigning-authority",
        OrgCategory::CentralPartyBody => "ui-documents-orgs-central-party-body",
        OrgCategory::InspectionCommission => "ui-documents-orgs-inspection-commission",
        OrgCategory::CommitteeUnderCc => "ui-documents-orgs-committee-under-cc",
        OrgCategory::CentralUnit => "ui-documents-orgs-central-unit",
        OrgCategory::StateAgency => "ui-documents-orgs-state-agency",
        OrgCategory::ProvincialCommittee => "ui-documents-orgs-provincial-committee",
        OrgCategory::SubordinateUnit => "ui-documents-orgs-subordinate-unit",
    }
}

/// Builds the option of `org`. A subordinate unit is named with the body above it, because
/// unit names repeat ("Văn phòng").
fn org_choice(reference: &Reference, org: &Organisation, lang: Lang) -> Choice {
    let name = org_name(org, lang);
    let label = match (org.category, org.parent_id) {
        (OrgCategory::SubordinateUnit, Some(parent)) => {
            format!("{name} – {}", org_label(reference, parent, lang))
        }
        _ => name,
    };
    Choice {
        value: org.id.0.to_string(),
        label,
    }
}

/// Organisations in `categories`, one group per category in the official order of the seed
/// (by id within a category).
fn org_groups(reference: &Reference, lang: Lang, categories: &[OrgCategory]) -> Vec<ChoiceGroup> {
    let mut orgs: Vec<&Organisation> = reference.orgs.iter().collect();
    orgs.sort_by_key(|org| org.id);
    categories
        .iter()
        .filter_map(|category| {
            let choices: Vec<Choice> = orgs
                .iter()
                .filter(|org| org.category == *category)
                .map(|org| org_choice(reference, org, lang))
                .collect();
            (!choices.is_empty()).then(|| ChoiceGroup {
                label: catalogue().text(lang, group_message(*category)),
                choices,
            })
        })
        .collect()
}

fn catalogue_choices(reference: &Reference, lang: Lang, axis: Axis) -> Vec<Choice> {
    let mut entries: Vec<_> = reference
        .catalogues
        .entries()
        .filter(|entry| entry.axis == axis && entry.active)
        .collect();
    entries.sort_by_key(|entry| entry.position);
    entries
        .into_iter()
        .map(|entry| Choice {
            value: entry.code.clone(),
            label: match lang {
                Lang::Vi => entry.name_vi.clone(),
                Lang::En => entry.name_en.clone(),
            },
        })
        .collect()
}

/// Returns the message id of a reporting period's name.
pub fn period_message(period: Period) -> &'static str {
    match period {
        Period::Monthly => "ui-documents-period-monthly",
        Period::Quarterly => "ui-documents-period-quarterly",
        Period::HalfYearly => "ui-documents-period-half-yearly",
        Period::Yearly => "ui-documents-period-yearly",
    }
}

impl Pickers {
    pub fn new(reference: &Reference, lang: Lang, clearance: Clearance) -> Pickers {
        let text = |id: &str| catalogue().text(lang, id);
        let executing: Vec<OrgCategory> = OrgCategory::ALL
            .into_iter()
            .filter(|category| *category != OrgCategory::AssigningAuthority)
            .collect();
        Pickers {
            bodies: org_groups(reference, lang, &OrgCategory::ALL),
            executing_bodies: org_groups(reference, lang, &executing),
            authorities: org_groups(reference, lang, &[OrgCategory::AssigningAuthority])
                .into_iter()
                .flat_map(|group| group.choices)
                .collect(),
            kinds: DocumentKind::ALL
                .into_iter()
                .map(|kind| Choice {
                    value: kind.as_str().to_owned(),
                    label: text(&kind.message_id()),
                })
                .collect(),
            levels: Confidentiality::ALL
                .into_iter()
                .filter(|level| *level != Confidentiality::TopSecret && clearance.covers(*level))
                .map(|level| Choice {
                    value: level.as_str().to_owned(),
                    label: text(level.message_id()),
                })
                .collect(),
            periods: Period::ALL
                .into_iter()
                .map(|period| Choice {
                    value: period.as_str().to_owned(),
                    label: text(period_message(period)),
                })
                .collect(),
            executing_units: catalogue_choices(reference, lang, Axis::ExecutingUnit),
            scopes: catalogue_choices(reference, lang, Axis::Scope),
            priorities: catalogue_choices(reference, lang, Axis::Priority),
            others: catalogue_choices(reference, lang, Axis::Other),
        }
    }
}
