//! Accounts of the generated installation: the Central Office's officers, monitoring officers,
//! leaders, inspectors, and the focal updaters and approvers of every body.

use anyhow::{Context, Result};
use jiff::Timestamp;
use serde::Serialize;
use std::collections::BTreeMap;
use theodoi_domain::ids::OrgId;
use theodoi_domain::org::{OrgCategory, OrgTree, Organisation};
use theodoi_domain::user::{Actor, Clearance, Role};
use theodoi_store::{NewUser, Store};

const FAMILY: [&str; 12] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
];
const MIDDLE: [&str; 8] = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quang", "Ngọc"];
const GIVEN: [&str; 16] = [
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hùng", "Lan", "Linh", "Long", "Mai",
    "Nam", "Phương", "Quân", "Thảo",
];

/// Accounts per transaction.
const BATCH: usize = 5_000;

/// The focal officers of one body.
#[derive(Debug, Clone, Default)]
pub struct Team {
    pub updaters: Vec<Actor>,
    pub approvers: Vec<Actor>,
}

/// Usernames of a body's focal officers, for the load driver.
#[derive(Debug, Clone, Serialize)]
pub struct TeamLogins {
    pub body_id: i64,
    pub code: String,
    /// Whether the body is one of the real bodies of the seed data (tasks are assigned to
    /// these) rather than a generated unit.
    pub top_level: bool,
    pub updaters: Vec<String>,
    pub approvers: Vec<String>,
}

/// Usernames by role, written to the manifest for the load driver.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Logins {
    pub central_office: Vec<String>,
    pub monitoring_officers: Vec<String>,
    pub leaders: Vec<String>,
    pub inspectors: Vec<String>,
    pub administrator: String,
    pub teams: Vec<TeamLogins>,
}

/// The generated people as domain actors, by role and body.
#[derive(Debug, Default)]
pub struct People {
    pub office: Vec<Actor>,
    pub monitors: Vec<Actor>,
    pub teams: BTreeMap<OrgId, Team>,
    pub logins: Logins,
}

/// Returns whether tasks or sub-tasks may be assigned to `org`: every body but the assigning
/// authorities.
pub fn takes_tasks(org: &Organisation) -> bool {
    org.category != OrgCategory::AssigningAuthority
}

fn full_name(index: usize) -> String {
    format!(
        "{} {} {}",
        FAMILY[index % FAMILY.len()],
        MIDDLE[index / FAMILY.len() % MIDDLE.len()],
        GIVEN[index / (FAMILY.len() * MIDDLE.len()) % GIVEN.len()]
    )
}

/// One account to create.
struct Planned {
    username: String,
    org: OrgId,
    roles: Vec<Role>,
    clearance: Clearance,
}

fn add(
    planned: &mut Vec<Planned>,
    username: String,
    org: &Organisation,
    roles: Vec<Role>,
    clearance: Clearance,
) {
    planned.push(Planned {
        username,
        org: org.id,
        roles,
        clearance,
    });
}

/// Plans `total` accounts (at least one updater and one approver per body).
fn plan(tree: &OrgTree, total: usize) -> Result<Vec<Planned>> {
    let office = tree.by_code("VPTW").context("the seed data has no VPTW")?;
    let inspection = tree
        .iter()
        .find(|org| org.category == OrgCategory::InspectionCommission)
        .context("the seed data has no inspection commission")?;
    let mut planned = Vec::with_capacity(total);
    add(
        &mut planned,
        "vptw.quantri".into(),
        office,
        vec![Role::Administrator],
        Clearance::Secret,
    );
    for index in 1..=(total / 2_500).max(2) {
        let roles = vec![Role::CentralOffice];
        add(
            &mut planned,
            format!("vptw.nhaplieu{index}"),
            office,
            roles,
            Clearance::Secret,
        );
    }
    for index in 1..=(total / 1_250).max(2) {
        let roles = vec![Role::MonitoringOfficer];
        add(
            &mut planned,
            format!("vptw.theodoi{index}"),
            office,
            roles,
            Clearance::Secret,
        );
    }
    for index in 1..=(total / 5_000).max(2) {
        let roles = vec![Role::LeaderViewer];
        add(
            &mut planned,
            format!("vptw.lanhdao{index}"),
            office,
            roles,
            Clearance::Secret,
        );
    }
    for index in 1..=(total / 5_000).max(1) {
        let roles = vec![Role::Inspector];
        let username = format!("ubkt.kiemtra{index}");
        add(&mut planned, username, inspection, roles, Clearance::Secret);
    }

    let bodies: Vec<&Organisation> = tree.iter().filter(|org| takes_tasks(org)).collect();
    let mut counts: BTreeMap<OrgId, (usize, usize)> = BTreeMap::new();
    let mut slot = 0usize;
    // The first round gives every body one updater and one approver; later rounds add two
    // updaters for each approver until the total is reached.
    while planned.len() < total || slot < bodies.len() * 2 {
        let body = bodies[slot / 2 % bodies.len()];
        let round = slot / (bodies.len() * 2);
        let approver = slot % 2 == 1 && (round == 0 || round % 2 == 1);
        slot += 1;
        let (updaters, approvers) = counts.entry(body.id).or_default();
        let clearance = if body.category == OrgCategory::SubordinateUnit {
            Clearance::Normal
        } else {
            Clearance::Secret
        };
        let prefix = body.code.to_lowercase();
        if approver {
            *approvers += 1;
            let username = format!("{prefix}.pheduyet{approvers}");
            add(
                &mut planned,
                username,
                body,
                vec![Role::Approver],
                clearance,
            );
        } else {
            *updaters += 1;
            let username = format!("{prefix}.capnhat{updaters}");
            add(&mut planned, username, body, vec![Role::Updater], clearance);
        }
    }
    Ok(planned)
}

/// Creates the accounts, all with `password_hash`, and returns them by role and body.
/// TOTP secret (base32) of every generated administrator and central-office account, the
/// roles a server requires codes of by default; the load driver computes their codes.
pub const TOTP_SECRET: &str = "KRUGKZDPMRXWSLLCMVXGG2BNORXXI4DT";

/// Enrols [`TOTP_SECRET`] for the administrator and the central-office accounts; returns how
/// many.
pub async fn enrol_totp(store: &Store, logins: &Logins, at: Timestamp) -> Result<usize> {
    let mut enrolled = 0;
    let usernames = std::iter::once(&logins.administrator).chain(&logins.central_office);
    for username in usernames {
        let Some(user) = store.user_by_username(username).await? else {
            continue;
        };
        store.set_confirmed_totp(user.id, TOTP_SECRET, at).await?;
        enrolled += 1;
    }
    Ok(enrolled)
}

pub async fn add_users(
    store: &Store,
    tree: &OrgTree,
    total: usize,
    password_hash: &str,
    at: Timestamp,
) -> Result<People> {
    let planned = plan(tree, total)?;
    let mut people = People::default();
    let mut writer = store.bulk_writer().await?;
    for (index, account) in planned.into_iter().enumerate() {
        let new = NewUser {
            username: account.username.clone(),
            full_name: full_name(index),
            org_id: account.org,
            roles: account.roles.clone(),
            clearance: account.clearance,
            password_hash: password_hash.to_owned(),
            language: "vi".to_owned(),
            email: None,
        };
        let user_id = writer.insert_user(&new, at).await?;
        let actor = Actor {
            user_id,
            org_id: account.org,
            roles: account.roles.clone(),
            clearance: account.clearance,
        };
        let logins = &mut people.logins;
        match account.roles[0] {
            Role::Administrator => logins.administrator = account.username,
            Role::CentralOffice => {
                logins.central_office.push(account.username);
                people.office.push(actor);
            }
            Role::MonitoringOfficer => {
                logins.monitoring_officers.push(account.username);
                people.monitors.push(actor);
            }
            Role::LeaderViewer => logins.leaders.push(account.username),
            Role::Inspector => logins.inspectors.push(account.username),
            Role::Updater => people
                .teams
                .entry(account.org)
                .or_default()
                .updaters
                .push(actor),
            Role::Approver => people
                .teams
                .entry(account.org)
                .or_default()
                .approvers
                .push(actor),
        }
        if (index + 1) % BATCH == 0 {
            writer.commit().await?;
            writer = store.bulk_writer().await?;
        }
    }
    writer.commit().await?;
    people.logins.teams = team_logins(tree, &people.teams);
    Ok(people)
}

fn team_logins(tree: &OrgTree, teams: &BTreeMap<OrgId, Team>) -> Vec<TeamLogins> {
    tree.iter()
        .filter_map(|org| {
            let team = teams.get(&org.id)?;
            let prefix = org.code.to_lowercase();
            Some(TeamLogins {
                body_id: org.id.0,
                code: org.code.clone(),
                top_level: org.category != OrgCategory::SubordinateUnit,
                updaters: (1..=team.updaters.len())
                    .map(|n| format!("{prefix}.capnhat{n}"))
                    .collect(),
                approvers: (1..=team.approvers.len())
                    .map(|n| format!("{prefix}.pheduyet{n}"))
                    .collect(),
            })
        })
        .collect()
}
