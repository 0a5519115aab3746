//! First start of an installation: an administrator account when there is none.

use crate::auth::{new_secret, password};
use crate::state::AppState;
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{NewUser, StoreResult};

/// Login name of the administrator created on first start.
pub const FIRST_ADMIN: &str = "quantri";

/// Creates the first administrator, attached to the Central Party Office, when the database
/// has no account at all. Returns the username and the generated password, to be shown once.
/// Processes starting together on an empty database take turns, so only one creates it.
pub async fn ensure_admin(state: &AppState) -> StoreResult<Option<(String, String)>> {
    let lock = state.store.lock_startup().await?;
    let created = create_first_admin(state).await?;
    lock.release().await?;
    Ok(created)
}

async fn create_first_admin(state: &AppState) -> StoreResult<Option<(String, String)>> {
    if !state.store.users(None).await?.is_empty() {
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
    state.store.insert_user(&user, state.now()).await?;
    Ok(Some((FIRST_ADMIN.to_owned(), secret)))
}
