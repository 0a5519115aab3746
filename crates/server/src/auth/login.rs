//! The steps of a login: the password, then, for accounts with a TOTP secret or required to
//! have one, a code. Every failure passes through [`failed`] and every success through
//! [`succeeded`], so that each is counted and logged in one place, where the audit trail can
//! record it too.

use super::throttle::{self, ClientAddr};
use super::{hash_secret, new_secret, password, totp};
use crate::error::ApiError;
use crate::state::AppState;
use jiff::SignedDuration;
use theodoi_domain::DomainError;
use theodoi_domain::audit::SecurityEventKind;
use theodoi_domain::error::Code;
use theodoi_store::UserRecord;

/// How long a login may wait between the password and the code.
pub const CHALLENGE_LIFETIME: SignedDuration = SignedDuration::from_mins(5);

/// The next step after a correct password.
#[derive(Debug)]
pub enum PasswordChecked {
    /// No second factor: the login is complete.
    Complete(UserRecord),
    /// The account has a confirmed TOTP secret: a code must follow.
    CodeNeeded(UserRecord),
    /// The account's roles require a TOTP secret it does not have yet: the user must enrol one
    /// and confirm it with a code before the login completes.
    EnrolmentNeeded(UserRecord),
}

/// Normalizes a username as stored: trimmed and lower case.
pub fn normalize_username(username: &str) -> String {
    username.trim().to_ascii_lowercase()
}

/// Checks a username and password. An unknown username costs the same hashing time and gets
/// the same error as a wrong password. A locked client gets [`ApiError::LoginLocked`] before
/// the password is looked at.
pub async fn check_password(
    state: &AppState,
    client: &ClientAddr,
    username: &str,
    secret: &str,
) -> Result<PasswordChecked, ApiError> {
    let username = normalize_username(username);
    if username.is_empty() || secret.is_empty() {
        let field = if username.is_empty() {
            "username"
        } else {
            "password"
        };
        return Err(DomainError::field(field, Code::Required, vec![]).into());
    }
    throttle::check(state, &username, client).await?;
    let user = state.store.user_by_username(&username).await?;
    let stored = user
        .as_ref()
        .map_or(password::dummy_hash(), |user| user.password_hash.as_str())
        .to_owned();
    let secret = secret.to_owned();
    // Hashing takes tens of milliseconds of CPU and 19 MiB; the pool keeps it off the async
    // workers and runs one per core.
    let matches = password::verify_pooled(secret, stored)
        .await
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    let user = match user {
        Some(user) if matches => user,
        _ => {
            failed(state, &username, client, "wrong username or password").await?;
            return Err(ApiError::LoginFailed);
        }
    };
    if user.disabled {
        return Err(ApiError::AccountDisabled);
    }
    let enrolled = state
        .store
        .totp(user.id)
        .await?
        .is_some_and(|record| record.confirmed_at.is_some());
    Ok(if enrolled {
        PasswordChecked::CodeNeeded(user)
    } else if totp::required(&state.config.totp_required_roles, &user) {
        PasswordChecked::EnrolmentNeeded(user)
    } else {
        PasswordChecked::Complete(user)
    })
}

/// Returns the trimmed `code`, after checking that one was given and that `user` is not locked
/// out from `client`.
async fn code_to_check<'a>(
    state: &AppState,
    client: &ClientAddr,
    user: &UserRecord,
    code: &'a str,
) -> Result<&'a str, ApiError> {
    let code = code.trim();
    if code.is_empty() {
        return Err(ApiError::TotpRequired);
    }
    throttle::check(state, &user.username, client).await?;
    Ok(code)
}

/// Checks the TOTP code of `user`, whose password was right. A code is accepted once: a code of
/// a step already used, even by another server process, is rejected.
pub async fn check_code(
    state: &AppState,
    client: &ClientAddr,
    user: &UserRecord,
    code: &str,
) -> Result<(), ApiError> {
    let code = code_to_check(state, client, user, code).await?;
    let record = state.store.totp(user.id).await?;
    let step = record
        .filter(|record| record.confirmed_at.is_some())
        .and_then(|record| totp::check(&record.secret, code, state.now()));
    let accepted = match step {
        Some(step) => state.store.use_totp_step(user.id, step).await?,
        None => false,
    };
    if !accepted {
        failed(state, &user.username, client, "wrong or reused TOTP code").await?;
        return Err(ApiError::TotpInvalid);
    }
    Ok(())
}

/// Returns the unconfirmed secret of `user`, made now unless one is pending. Returns `None` when the
/// account already has a confirmed secret.
pub async fn enrolment_secret(
    state: &AppState,
    user: &UserRecord,
) -> Result<Option<String>, ApiError> {
    match state.store.totp(user.id).await? {
        Some(record) if record.confirmed_at.is_some() => Ok(None),
        Some(record) => Ok(Some(record.secret)),
        None => {
            let secret = totp::new_secret();
            if !state
                .store
                .begin_totp_enrolment(user.id, &secret, state.now())
                .await?
            {
                return Ok(None);
            }
            Ok(Some(secret))
        }
    }
}

/// Confirms the pending secret of `user` with a code from their authenticator.
pub async fn confirm_enrolment(
    state: &AppState,
    client: &ClientAddr,
    user: &UserRecord,
    code: &str,
) -> Result<(), ApiError> {
    let code = code_to_check(state, client, user, code).await?;
    let now = state.now();
    let step = state
        .store
        .totp(user.id)
        .await?
        .filter(|record| record.confirmed_at.is_none())
        .and_then(|record| totp::check(&record.secret, code, now));
    let confirmed = match step {
        Some(step) => state.store.confirm_totp(user.id, step, now).await?,
        None => false,
    };
    if !confirmed {
        failed(
            state,
            &user.username,
            client,
            "wrong TOTP code at enrolment",
        )
        .await?;
        return Err(ApiError::TotpInvalid);
    }
    tracing::info!(user.id = user.id.0, "TOTP secret enrolled");
    Ok(())
}

/// Starts the wait for the second factor; returns the id the browser sends back with the code.
pub async fn begin_challenge(state: &AppState, user: &UserRecord) -> Result<String, ApiError> {
    let id = new_secret();
    let now = state.now();
    let expires_at = now.checked_add(CHALLENGE_LIFETIME).unwrap_or(now);
    state
        .store
        .insert_login_challenge(&hash_secret(&id), user.id, now, expires_at)
        .await?;
    Ok(id)
}

/// The account of a pending login, while it has not expired and the account is enabled.
pub async fn challenge_user(state: &AppState, id: &str) -> Result<Option<UserRecord>, ApiError> {
    let Some(user_id) = state
        .store
        .login_challenge(&hash_secret(id), state.now())
        .await?
    else {
        return Ok(None);
    };
    Ok(state
        .store
        .user(user_id)
        .await?
        .filter(|user| !user.disabled))
}

/// Ends a pending login once it completed.
pub async fn end_challenge(state: &AppState, id: &str) -> Result<(), ApiError> {
    state.store.delete_login_challenge(&hash_secret(id)).await?;
    Ok(())
}

/// The one place where a login attempt fails: the failure counts towards the lockout of
/// `username` from `client` and is logged. `reason` is for the log only; the user always sees
/// the same message, so that it does not tell which part was wrong.
pub async fn failed(
    state: &AppState,
    username: &str,
    client: &ClientAddr,
    reason: &'static str,
) -> Result<(), ApiError> {
    tracing::info!(user.name = %username, client.address = %client.0, reason, "login failed");
    let known = state.store.user_by_username(username).await?;
    let mut event = crate::audit::event(
        state,
        SecurityEventKind::LoginFailed,
        known.map(|user| (user.id, user.org_id)),
    );
    event.detail = Some(reason.to_owned());
    // A login whose security event cannot be recorded is refused with the storage error.
    state.store.record_security_event(&event).await?;
    throttle::record_failure(state, username, client).await
}

/// The one place where a login succeeds, after every factor it needs: the failures of the
/// account from this client are forgotten and the login is logged. The caller then starts a
/// session or issues a token.
pub async fn succeeded(
    state: &AppState,
    client: &ClientAddr,
    user: &UserRecord,
) -> Result<(), ApiError> {
    throttle::record_success(state, &user.username, client).await?;
    let event = crate::audit::event(
        state,
        SecurityEventKind::Login,
        Some((user.id, user.org_id)),
    );
    state.store.record_security_event(&event).await?;
    tracing::info!(user.id = user.id.0, client.address = %client.0, "login");
    Ok(())
}

/// A whole login in one request, for API clients: the password and, when the account has a
/// TOTP secret, the code. An account that must enrol a secret first gets
/// [`ApiError::TotpEnrolmentRequired`], because enrolment shows a secret and happens in the
/// web interface.
pub async fn authenticate(
    state: &AppState,
    client: &ClientAddr,
    username: &str,
    secret: &str,
    code: Option<&str>,
) -> Result<UserRecord, ApiError> {
    let user = match check_password(state, client, username, secret).await? {
        PasswordChecked::Complete(user) => user,
        PasswordChecked::CodeNeeded(user) => {
            check_code(state, client, &user, code.unwrap_or("")).await?;
            user
        }
        PasswordChecked::EnrolmentNeeded(_) => return Err(ApiError::TotpEnrolmentRequired),
    };
    succeeded(state, client, &user).await?;
    Ok(user)
}
