//! First start of an installation: an administrator account when there is none.

use crate::auth::{new_secret, password, totp};
use crate::state::AppState;
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{NewUser, StoreResult};

/// Login name of the administrator created on first start.
pub const FIRST_ADMIN: &str = "quantri";

/// The first administrator's login, to be shown once on the console.
#[derive(Debug, Clone)]
pub struct FirstAdmin {
    pub username: String,
    pub password: String,
    /// The TOTP secret the account is enrolled with, when administrators must use codes, so
    /// that the operator can log in through the API as well as the web interface.
    pub totp_secret: Option<String>,
}

/// Creates the first administrator, attached to the Central Party Office, when the database
/// has no account at all. Returns its login, to be shown once. Processes starting together on
/// an empty database take turns, so only one creates it.
pub async fn ensure_admin(state: &AppState) -> StoreResult<Option<FirstAdmin>> {
    let lock = state.store.lock_startup().await?;
    let created = create_first_admin(state).await?;
    lock.release().await?;
    Ok(created)
}

async fn create_first_admin(state: &AppState) -> StoreResult<Option<FirstAdmin>> {
    if state.store.has_users().await? {
        return Ok(None);
    }
    let reference = state.reference();
    let Some(office) = reference.orgs.by_code("VPTW") else {
        return Ok(None);
    };
    // 32 random bytes in base64 are more than anyone types; the first 16 characters keep
    // 96 bits of randomness and fit on one line of the console.
    let secret: String = new_secret().chars().take(16).collect();
    let user = NewUser {
        username: FIRST_ADMIN.to_owned(),
        full_name: "Quản trị hệ thống".to_owned(),
        org_id: office.id,
        roles: vec![Role::Administrator],
        clearance: Clearance::Normal,
        password_hash: password::hash(&secret),
        language: "vi".to_owned(),
        email: None,
    };
    let record = state.store.insert_user(&user, state.now()).await?;
    let totp_secret = if totp::required(&state.config.totp_required_roles, &record) {
        let totp_secret = totp::new_secret();
        state
            .store
            .set_confirmed_totp(record.id, &totp_secret, state.now())
            .await?;
        Some(totp_secret)
    } else {
        None
    };
    Ok(Some(FirstAdmin {
        username: FIRST_ADMIN.to_owned(),
        password: secret,
        totp_secret,
    }))
}
