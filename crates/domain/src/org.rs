//! Organisations: the tree of Party bodies and their units.

use crate::catalogue::ExecutingUnit;
use crate::error::{Code, DomainError, DomainResult, Violations};
use crate::ids::OrgId;
use crate::text;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Kind of body, which also gives a task's executing-unit class (classification axis b).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgCategory {
    /// Ban Chấp hành Trung ương, Bộ Chính trị, Ban Bí thư and their leaders: issue documents.
    AssigningAuthority,
    /// Central Party commissions and offices ("cơ quan đảng ở Trung ương").
    CentralPartyBody,
    /// Inspection commissions ("uỷ ban kiểm tra").
    InspectionCommission,
    /// Party committees directly under the Central Committee ("đảng uỷ trực thuộc Trung ương").
    CommitteeUnderCc,
    /// Public service units of the Central Committee (academy, newspapers, publisher).
    CentralUnit,
    /// State agencies that receive Party tasks.
    StateAgency,
    /// Provincial and city Party committees ("tỉnh uỷ, thành uỷ").
    ProvincialCommittee,
    /// A unit added under another body, to which tasks are delegated.
    SubordinateUnit,
}

impl OrgCategory {
    pub const ALL: [OrgCategory; 8] = [
        OrgCategory::AssigningAuthority,
        OrgCategory::CentralPartyBody,
        OrgCategory::InspectionCommission,
        OrgCategory::CommitteeUnderCc,
        OrgCategory::CentralUnit,
        OrgCategory::StateAgency,
        OrgCategory::ProvincialCommittee,
        OrgCategory::SubordinateUnit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgCategory::AssigningAuthority => "assigning_authority",
            OrgCategory::CentralPartyBody => "central_party_body",
            OrgCategory::InspectionCommission => "inspection_commission",
            OrgCategory::CommitteeUnderCc => "committee_under_cc",
            OrgCategory::CentralUnit => "central_unit",
            OrgCategory::StateAgency => "state_agency",
            OrgCategory::ProvincialCommittee => "provincial_committee",
            OrgCategory::SubordinateUnit => "subordinate_unit",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == value)
    }

    /// The executing-unit class of tasks led by a body of this category. Inspection
    /// commissions count as central Party bodies; everything not named by the regulation falls
    /// in "other agencies, organisations and party members".
    pub fn executing_unit(self) -> ExecutingUnit {
        match self {
            OrgCategory::CommitteeUnderCc => ExecutingUnit::CommitteeUnderCc,
            OrgCategory::CentralPartyBody | OrgCategory::InspectionCommission => {
                ExecutingUnit::CentralPartyBody
            }
            OrgCategory::ProvincialCommittee => ExecutingUnit::ProvincialCommittee,
            OrgCategory::AssigningAuthority
            | OrgCategory::CentralUnit
            | OrgCategory::StateAgency
            | OrgCategory::SubordinateUnit => ExecutingUnit::Other,
        }
    }
}

/// A Party body or unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: OrgId,
    /// Short code, unique, such as `VPTW` or `TU-HNI`.
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub category: OrgCategory,
    pub parent_id: Option<OrgId>,
    /// National statistics code of the province or city, for maps and data exchange.
    pub province_code: Option<u16>,
}

/// Validated input for a new organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOrganisation {
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub category: OrgCategory,
    pub parent_id: Option<OrgId>,
    pub province_code: Option<u16>,
}

/// Checks an organisation code: 2 to 32 upper-case ASCII letters, digits and hyphens, starting
/// with a letter, so that codes stay usable in URLs, file names and data exchange.
pub fn parse_org_code(field: &str, value: &str) -> DomainResult<String> {
    let code = value.trim().to_ascii_uppercase();
    let valid = (2..=32).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_uppercase())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        return Err(DomainError::field(
            field,
            Code::OrgCodeInvalid,
            vec![("value", value.into())],
        ));
    }
    Ok(code)
}

impl NewOrganisation {
    /// Validates a subordinate unit to be added under `parent`.
    pub fn subordinate(
        code: &str,
        name_vi: &str,
        name_en: Option<&str>,
        parent: &Organisation,
    ) -> DomainResult<Self> {
        let mut violations = Violations::new();
        let code = violations.check(parse_org_code("code", code));
        let name_vi = violations.check(text::required_line("name_vi", name_vi, 300));
        let name_en = violations.check(text::optional_line("name_en", name_en, 300));
        violations.finish()?;
        let name_vi = name_vi.unwrap_or_default();
        Ok(Self {
            code: code.unwrap_or_default(),
            name_en: name_en.flatten().unwrap_or_else(|| name_vi.clone()),
            name_vi,
            category: OrgCategory::SubordinateUnit,
            parent_id: Some(parent.id),
            province_code: parent.province_code,
        })
    }
}

/// Read access to the organisation tree, as the domain needs it.
pub trait OrgDirectory {
    fn organisation(&self, id: OrgId) -> Option<&Organisation>;

    /// Whether `id` is `ancestor` itself or lies below it.
    fn is_within(&self, id: OrgId, ancestor: OrgId) -> bool {
        let mut current = Some(id);
        // Bounded so that a cycle in corrupt data cannot hang a request.
        for _ in 0..64 {
            match current {
                Some(found) if found == ancestor => return true,
                Some(found) => current = self.organisation(found).and_then(|org| org.parent_id),
                None => return false,
            }
        }
        false
    }

    /// The organisation, or a field error naming `field` when it does not exist.
    fn require(&self, field: &str, id: OrgId) -> DomainResult<&Organisation> {
        self.organisation(id)
            .ok_or_else(|| DomainError::field(field, Code::OrgNotFound, vec![("id", id.0.into())]))
    }
}

/// An in-memory organisation tree.
#[derive(Debug, Clone, Default)]
pub struct OrgTree {
    by_id: HashMap<OrgId, Organisation>,
}

impl OrgTree {
    pub fn new(organisations: impl IntoIterator<Item = Organisation>) -> Self {
        Self {
            by_id: organisations.into_iter().map(|org| (org.id, org)).collect(),
        }
    }

    pub fn insert(&mut self, organisation: Organisation) {
        self.by_id.insert(organisation.id, organisation);
    }

    pub fn iter(&self) -> impl Iterator<Item = &Organisation> {
        self.by_id.values()
    }

    pub fn by_code(&self, code: &str) -> Option<&Organisation> {
        self.by_id.values().find(|org| org.code == code)
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Every organisation at or below `root`.
    pub fn subtree(&self, root: OrgId) -> Vec<OrgId> {
        let mut ids: Vec<OrgId> = self
            .by_id
            .keys()
            .copied()
            .filter(|id| self.is_within(*id, root))
            .collect();
        ids.sort();
        ids
    }
}

impl OrgDirectory for OrgTree {
    fn organisation(&self, id: OrgId) -> Option<&Organisation> {
        self.by_id.get(&id)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn org(id: i64, code: &str, category: OrgCategory, parent: Option<i64>) -> Organisation {
        Organisation {
            id: OrgId(id),
            code: code.to_owned(),
            name_vi: code.to_owned(),
            name_en: code.to_owned(),
            category,
            parent_id: parent.map(OrgId),
            province_code: None,
        }
    }

    #[test]
    fn is_within_follows_parents() {
        let tree = OrgTree::new([
            org(1, "TW", OrgCategory::AssigningAuthority, None),
            org(2, "TU-HNI", OrgCategory::ProvincialCommittee, Some(1)),
            org(3, "HNI-BTC", OrgCategory::SubordinateUnit, Some(2)),
            org(4, "TU-HPG", OrgCategory::ProvincialCommittee, Some(1)),
        ]);
        assert!(tree.is_within(OrgId(3), OrgId(2)));
        assert!(tree.is_within(OrgId(3), OrgId(1)));
        assert!(tree.is_within(OrgId(2), OrgId(2)));
        assert!(!tree.is_within(OrgId(3), OrgId(4)));
        assert_eq!(tree.subtree(OrgId(2)), vec![OrgId(2), OrgId(3)]);
    }

    #[test]
    fn org_code_is_validated() {
        assert_eq!(parse_org_code("code", " tu-hni ").unwrap(), "TU-HNI");
        assert!(parse_org_code("code", "1AB").is_err());
        assert!(parse_org_code("code", "A").is_err());
        assert!(parse_org_code("code", "AB CD").is_err());
        assert!(parse_org_code("code", "ĐẢNG").is_err());
    }

    #[test]
    fn subordinate_inherits_province() {
        let mut parent = org(2, "TU-HNI", OrgCategory::ProvincialCommittee, Some(1));
        parent.province_code = Some(1);
        let unit =
            NewOrganisation::subordinate("HNI-BTG", "Ban Tuyên giáo Thành uỷ", None, &parent)
                .unwrap();
        assert_eq!(unit.parent_id, Some(OrgId(2)));
        assert_eq!(unit.province_code, Some(1));
        assert_eq!(unit.name_en, "Ban Tuyên giáo Thành uỷ");
        assert_eq!(unit.category, OrgCategory::SubordinateUnit);
    }
}
