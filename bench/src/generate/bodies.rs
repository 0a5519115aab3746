//! Subordinate units under the real bodies of the seed data, so that the organisation tree has
//! the size of a national installation.

use anyhow::{Context, Result};
use jiff::Timestamp;
use theodoi_domain::org::{NewOrganisation, OrgCategory, OrgTree, Organisation};
use theodoi_store::Store;

/// Kinds of unit a provincial committee or a committee directly under the Central Committee
/// has, used to name the generated units.
const UNIT_KINDS: [&str; 8] = [
    "Đảng uỷ xã",
    "Đảng uỷ phường",
    "Ban Tổ chức",
    "Ban Tuyên giáo và Dân vận",
    "Uỷ ban Kiểm tra",
    "Văn phòng",
    "Đảng uỷ cơ quan",
    "Đảng uỷ đơn vị sự nghiệp",
];

/// Units per transaction.
const BATCH: usize = 1_000;

/// Whether generated units are placed under `org`: the bodies that tasks are assigned to and
/// that delegate to their own units.
pub fn has_units(org: &Organisation) -> bool {
    matches!(
        org.category,
        OrgCategory::ProvincialCommittee | OrgCategory::CommitteeUnderCc
    )
}

/// Adds units until the tree holds `target` organisations, spread evenly over the bodies that
/// have units, and returns the new ones.
pub async fn add_units(
    store: &Store,
    tree: &mut OrgTree,
    target: usize,
    at: Timestamp,
) -> Result<Vec<Organisation>> {
    let parents: Vec<Organisation> = tree.iter().filter(|org| has_units(org)).cloned().collect();
    let wanted = target.saturating_sub(tree.len());
    let mut added = Vec::with_capacity(wanted);
    let mut writer = store.bulk_writer().await?;
    for index in 0..wanted {
        let parent = &parents[index % parents.len()];
        let number = index / parents.len() + 1;
        let kind = UNIT_KINDS[index / parents.len() % UNIT_KINDS.len()];
        let code = format!("{}-{number:04}", parent.code);
        let name_vi = format!("{kind} số {number}, {}", parent.name_vi);
        let new = NewOrganisation::subordinate(&code, &name_vi, None, parent)
            .with_context(|| format!("invalid generated unit {code}"))?;
        let unit = writer.insert_organisation(&new, at).await?;
        added.push(unit);
        if added.len() % BATCH == 0 {
            writer.commit().await?;
            writer = store.bulk_writer().await?;
        }
    }
    writer.commit().await?;
    for unit in &added {
        tree.insert(unit.clone());
    }
    Ok(added)
}
