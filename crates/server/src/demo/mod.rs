//! Demo data for `theodoi demo`: users for every role, Quy chế 08-QC/TW with the tasks its
//! Article 18 assigns, and invented documents. At the given "now", their histories show every
//! result state, and every kind of timed obligation pending, met and breached somewhere.
//!
//! Everything is written through the domain commands and the store's write path, as the
//! server would write it, at instants derived from "now". The regulation is real and public;
//! the other documents, their numbers and titles, and all people are invented.

mod classified;
mod clock;
mod conclusion;
mod directive;
mod notices;
mod people;
mod plan;
mod regulation;
mod seeder;
#[cfg(test)]
mod tests;

use jiff::Timestamp;
use jiff::civil::{Date, date};
use people::{HANOI_UNITS, PEOPLE};
use seeder::Seeder;
use serde::Serialize;
use theodoi_calendar::local_date;
use theodoi_domain::user::{Role, check_password};
use theodoi_store::{NewUser, Store, StoreError};

/// Earliest local date the demo can be seeded at: about four months after Quy chế 08-QC/TW
/// was issued, so that its tasks have a history before their deadlines relative to "now".
pub const EARLIEST_DEMO_DATE: Date = date(2026, 3, 2);

/// A demo account. Every demo account has the password given to [`seed_demo`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoLogin {
    /// The role to try with this account (some accounts hold a second one).
    pub role: Role,
    pub username: String,
    pub full_name: String,
    /// Code of the account's organisation, such as `TU-HNI`.
    pub org_code: String,
}

/// The demo accounts that [`seed_demo`] created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoData {
    /// Every demo account, with the first account of each role ahead of the others.
    pub logins: Vec<DemoLogin>,
}

impl DemoData {
    /// Returns the account to try `role` with.
    pub fn login(&self, role: Role) -> Option<&DemoLogin> {
        self.logins.iter().find(|login| login.role == role)
    }
}

/// Fills a migrated and seeded store with the demo data set as it is at `now`.
///
/// The store must hold the shipped organisations and catalogues (`store.seed`) and no demo
/// data yet. Every demo account gets `password`, hashed once with `hash_password`.
///
/// # Errors
///
/// [`StoreError::Config`] when `now` is before [`EARLIEST_DEMO_DATE`] or a seeded
/// organisation is missing, a domain error when `password` is too short, and any storage
/// failure.
pub async fn seed_demo(
    store: &Store,
    now: Timestamp,
    hash_password: &(dyn Fn(&str) -> String + Sync),
    password: &str,
) -> Result<DemoData, StoreError> {
    let today = local_date(now);
    if today < EARLIEST_DEMO_DATE {
        return Err(StoreError::Config(format!(
            "cannot seed the demo at {today}: its history needs a date on or after {EARLIEST_DEMO_DATE}, about four months after Quy chế 08-QC/TW was issued; use a later date"
        )));
    }
    check_password("password", password)?;

    let mut seeder = Seeder::load(store, now).await?;
    // Accounts and units exist before the oldest demo document.
    let founded = seeder.clock.at(
        regulation::ISSUED.min(seeder.clock.working_day_before(120)),
        8,
        0,
    );
    for (code, name_vi, name_en) in HANOI_UNITS {
        seeder
            .add_unit("TU-HNI", code, name_vi, name_en, founded)
            .await?;
    }
    // One hash for every account: they share the password, and password hashing is slow by
    // design.
    let password_hash = hash_password(password);
    let mut logins = Vec::with_capacity(PEOPLE.len());
    for person in PEOPLE {
        let new = NewUser {
            username: person.username.to_owned(),
            full_name: person.full_name.to_owned(),
            org_id: seeder.org(person.org)?,
            roles: person.roles.to_vec(),
            clearance: person.clearance,
            password_hash: password_hash.clone(),
            language: "vi".to_owned(),
            email: None,
        };
        seeder.add_user(&new, founded).await?;
        logins.push(DemoLogin {
            role: person.roles[0],
            username: person.username.to_owned(),
            full_name: person.full_name.to_owned(),
            org_code: person.org.to_owned(),
        });
    }

    regulation::seed(&seeder).await?;
    plan::seed(&seeder).await?;
    conclusion::seed(&seeder).await?;
    directive::seed(&seeder).await?;
    classified::seed(&seeder).await?;
    notices::seed(&seeder).await?;
    Ok(DemoData { logins })
}

/// Enrols `secret` as the confirmed TOTP secret of every account whose roles need a code, so
/// that the demo can be tried with the printed secret alone. Returns their usernames.
pub async fn enrol_totp(
    state: &crate::AppState,
    secret: &str,
) -> theodoi_store::StoreResult<Vec<String>> {
    let mut enrolled = Vec::new();
    for user in state.store.users(None).await? {
        if crate::auth::totp::required(&state.config.totp_required_roles, &user) {
            state
                .store
                .set_confirmed_totp(user.id, secret, state.now())
                .await?;
            enrolled.push(user.username);
        }
    }
    Ok(enrolled)
}
