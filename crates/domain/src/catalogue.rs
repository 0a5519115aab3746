//! Classification of tasks and task groups, and the catalogues behind the editable axes.
//!
//! The regulation names seven axes. Time (with or without a deadline), result and
//! confidentiality are derived or fixed; executing unit, scope, priority and "other" come from
//! catalogues that the Central Office edits, so statistics follow its wording.

use crate::error::{Code, DomainError, DomainResult, Violations};
use crate::text;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An axis whose values come from an editable catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    /// b) executing unit.
    ExecutingUnit,
    /// c) scope: nationwide, by sector or field, by region or locality.
    Scope,
    /// d) priority.
    Priority,
    /// g) other: ad hoc or emerging tasks.
    Other,
}

impl Axis {
    pub const ALL: [Axis; 4] = [
        Axis::ExecutingUnit,
        Axis::Scope,
        Axis::Priority,
        Axis::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Axis::ExecutingUnit => "executing_unit",
            Axis::Scope => "scope",
            Axis::Priority => "priority",
            Axis::Other => "other",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|axis| axis.as_str() == value)
    }
}

/// Built-in executing-unit classes; the catalogue starts with exactly these codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExecutingUnit {
    CommitteeUnderCc,
    CentralPartyBody,
    ProvincialCommittee,
    Other,
}

impl ExecutingUnit {
    pub fn code(self) -> &'static str {
        match self {
            ExecutingUnit::CommitteeUnderCc => "committee_under_cc",
            ExecutingUnit::CentralPartyBody => "central_party_body",
            ExecutingUnit::ProvincialCommittee => "provincial_committee",
            ExecutingUnit::Other => "other",
        }
    }
}

/// One value of an axis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueEntry {
    pub axis: Axis,
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// Inactive entries stay on old tasks but cannot be chosen for new ones.
    pub active: bool,
    pub position: i32,
}

/// The catalogues the system starts with.
pub fn default_entries() -> Vec<CatalogueEntry> {
    let rows: [(Axis, &str, &str, &str); 13] = [
        (
            Axis::ExecutingUnit,
            "committee_under_cc",
            "Đảng uỷ trực thuộc Trung ương",
            "Party committees directly under the Central Committee",
        ),
        (
            Axis::ExecutingUnit,
            "central_party_body",
            "Cơ quan đảng ở Trung ương",
            "Central Party bodies",
        ),
        (
            Axis::ExecutingUnit,
            "provincial_committee",
            "Tỉnh uỷ, thành uỷ",
            "Provincial and city Party committees",
        ),
        (
            Axis::ExecutingUnit,
            "other",
            "Cơ quan, tổ chức, đảng viên khác",
            "Other agencies, organisations and party members",
        ),
        (Axis::Scope, "nationwide", "Toàn quốc", "Nationwide"),
        (
            Axis::Scope,
            "sector",
            "Theo ngành, lĩnh vực",
            "By sector or field",
        ),
        (
            Axis::Scope,
            "locality",
            "Theo vùng, địa phương",
            "By region or locality",
        ),
        (Axis::Priority, "key", "Trọng tâm, ưu tiên", "Key, priority"),
        (Axis::Priority, "regular", "Thường xuyên", "Regular"),
        (
            Axis::Priority,
            "urgent",
            "Đột xuất, khẩn cấp",
            "Sudden, urgent",
        ),
        (Axis::Other, "ad_hoc", "Nhiệm vụ đột xuất", "Ad hoc task"),
        (
            Axis::Other,
            "emerging",
            "Nhiệm vụ phát sinh",
            "Emerging task",
        ),
        (Axis::Other, "unclassified", "Nhiệm vụ khác", "Other task"),
    ];
    rows.into_iter()
        .enumerate()
        .map(
            |(position, (axis, code, name_vi, name_en))| CatalogueEntry {
                axis,
                code: code.to_owned(),
                name_vi: name_vi.to_owned(),
                name_en: name_en.to_owned(),
                active: true,
                position: i32::try_from(position).unwrap_or(i32::MAX),
            },
        )
        .collect()
}

/// Checks a catalogue code: 2 to 40 lower-case ASCII letters, digits and underscores.
pub fn parse_entry_code(field: &str, value: &str) -> DomainResult<String> {
    let code = value.trim();
    let valid = (2..=40).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if valid {
        Ok(code.to_owned())
    } else {
        Err(DomainError::field(
            field,
            Code::CatalogueCodeInvalid,
            vec![("value", value.into())],
        ))
    }
}

impl CatalogueEntry {
    /// Validates a new or edited entry.
    pub fn validate(
        axis: Axis,
        code: &str,
        name_vi: &str,
        name_en: &str,
        active: bool,
        position: i32,
    ) -> DomainResult<Self> {
        let mut violations = Violations::new();
        let code = violations.check(parse_entry_code("code", code));
        let name_vi = violations.check(text::required_line("name_vi", name_vi, 200));
        let name_en = violations.check(text::required_line("name_en", name_en, 200));
        violations.finish()?;
        Ok(Self {
            axis,
            code: code.unwrap_or_default(),
            name_vi: name_vi.unwrap_or_default(),
            name_en: name_en.unwrap_or_default(),
            active,
            position,
        })
    }
}

/// A snapshot of every catalogue.
#[derive(Debug, Clone, Default)]
pub struct Catalogues {
    entries: BTreeMap<(Axis, String), CatalogueEntry>,
}

impl Catalogues {
    pub fn new(entries: impl IntoIterator<Item = CatalogueEntry>) -> Self {
        Self {
            entries: entries
                .into_iter()
                .map(|entry| ((entry.axis, entry.code.clone()), entry))
                .collect(),
        }
    }

    pub fn get(&self, axis: Axis, code: &str) -> Option<&CatalogueEntry> {
        self.entries.get(&(axis, code.to_owned()))
    }

    pub fn entries(&self) -> impl Iterator<Item = &CatalogueEntry> {
        self.entries.values()
    }

    /// Fails unless `code` is an active entry of `axis`.
    pub fn require_active(&self, field: &str, axis: Axis, code: &str) -> DomainResult<String> {
        match self.get(axis, code) {
            Some(entry) if entry.active => Ok(entry.code.clone()),
            _ => Err(DomainError::field(
                field,
                Code::CatalogueUnknownCode,
                vec![("axis", axis.as_str().into()), ("value", code.into())],
            )),
        }
    }
}

/// Classification of a task or task group on the catalogue axes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    pub executing_unit: String,
    pub scope: String,
    /// The sector, field, region or locality when the scope is not nationwide.
    pub scope_detail: Option<String>,
    pub priority: String,
    /// Ad hoc or emerging, when the task is outside the usual groups.
    pub other: Option<String>,
}

/// Classification as typed by a user; missing values take the defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassificationInput {
    pub executing_unit: Option<String>,
    pub scope: Option<String>,
    pub scope_detail: Option<String>,
    pub priority: Option<String>,
    pub other: Option<String>,
}

impl ClassificationInput {
    /// Validates against the catalogues. The executing unit defaults to the class of the lead
    /// body, the scope to nationwide and the priority to regular.
    pub fn validate(
        &self,
        catalogues: &Catalogues,
        lead_default: ExecutingUnit,
    ) -> DomainResult<Classification> {
        let mut violations = Violations::new();
        let executing_unit = violations.check(
            catalogues.require_active(
                "classification.executing_unit",
                Axis::ExecutingUnit,
                self.executing_unit
                    .as_deref()
                    .unwrap_or(lead_default.code()),
            ),
        );
        let scope = violations.check(catalogues.require_active(
            "classification.scope",
            Axis::Scope,
            self.scope.as_deref().unwrap_or("nationwide"),
        ));
        let scope_detail = violations.check(text::optional_line(
            "classification.scope_detail",
            self.scope_detail.as_deref(),
            200,
        ));
        let priority = violations.check(catalogues.require_active(
            "classification.priority",
            Axis::Priority,
            self.priority.as_deref().unwrap_or("regular"),
        ));
        let other = match self.other.as_deref().filter(|code| !code.trim().is_empty()) {
            Some(code) => violations
                .check(catalogues.require_active("classification.other", Axis::Other, code))
                .map(Some),
            None => Some(None),
        };
        violations.finish()?;
        Ok(Classification {
            executing_unit: executing_unit.unwrap_or_default(),
            scope: scope.unwrap_or_default(),
            scope_detail: scope_detail.flatten(),
            priority: priority.unwrap_or_default(),
            other: other.flatten(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_missing_axes() {
        let catalogues = Catalogues::new(default_entries());
        let classification = ClassificationInput::default()
            .validate(&catalogues, ExecutingUnit::ProvincialCommittee)
            .unwrap();
        assert_eq!(classification.executing_unit, "provincial_committee");
        assert_eq!(classification.scope, "nationwide");
        assert_eq!(classification.priority, "regular");
        assert_eq!(classification.other, None);
    }

    #[test]
    fn unknown_and_inactive_codes_are_rejected_with_their_field() {
        let mut entries = default_entries();
        entries
            .iter_mut()
            .find(|entry| entry.code == "urgent")
            .unwrap()
            .active = false;
        let catalogues = Catalogues::new(entries);
        let input = ClassificationInput {
            scope: Some("planet".into()),
            priority: Some("urgent".into()),
            ..Default::default()
        };
        let error = input
            .validate(&catalogues, ExecutingUnit::Other)
            .unwrap_err();
        let fields: Vec<_> = error.violations.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["classification.scope", "classification.priority"]);
    }

    #[test]
    fn entry_code_is_checked() {
        assert!(parse_entry_code("code", "digital_transformation").is_ok());
        assert!(parse_entry_code("code", "Digital").is_err());
        assert!(parse_entry_code("code", "x").is_err());
    }
}
