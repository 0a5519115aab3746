//! Lockout with backoff after failed logins.
//!
//! Failures are counted under two keys. The account key pairs the username with the client
//! address, so that repeated failures slow down only the client that makes them: the owner of
//! the account, logging in from another address, is not locked out by someone guessing their
//! password. The client key counts every failure of one address over all usernames, so that
//! one address cannot try a few passwords on each of many accounts. Both keys are kept in the
//! database, so that every server process of an installation enforces the same lock.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use jiff::{SignedDuration, Timestamp};
use std::convert::Infallible;
use std::net::SocketAddr;
use theodoi_store::LoginFailures;

/// Failures of one account from one client address before the first lock.
pub const ACCOUNT_FREE_FAILURES: i64 = 5;
/// Failures of one client address, over all accounts, before the first lock.
pub const CLIENT_FREE_FAILURES: i64 = 20;
/// The first lock; each further failure doubles it, up to [`MAX_LOCK`].
pub const FIRST_LOCK: SignedDuration = SignedDuration::from_mins(1);
pub const MAX_LOCK: SignedDuration = SignedDuration::from_hours(1);
/// Failures older than this, counted from the last one, are forgotten.
pub const FORGET_AFTER: SignedDuration = SignedDuration::from_hours(24);

/// The address the request came from, as the server's listener saw it.
///
/// NOTE: behind a reverse proxy every request comes from the proxy's address, so the client
/// key then counts the failures of every user together. Forwarded addresses are not trusted,
/// because a client can forge them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "unknown".to_owned(), |info| info.0.ip().to_string());
        Ok(ClientAddr(address))
    }
}

fn account_key(username: &str, client: &ClientAddr) -> String {
    format!("account:{username}@{}", client.0)
}

fn client_key(client: &ClientAddr) -> String {
    format!("client:{}", client.0)
}

/// Returns the lock after `failures` failures when the first `free` go unpunished.
pub fn lock_duration(failures: i64, free: i64) -> Option<SignedDuration> {
    let beyond = failures - free;
    if beyond <= 0 {
        return None;
    }
    let doublings = u32::try_from(beyond - 1).unwrap_or(u32::MAX).min(16);
    let lock = FIRST_LOCK
        .checked_mul(1i32 << doublings)
        .unwrap_or(MAX_LOCK);
    Some(lock.min(MAX_LOCK))
}

/// Returns the counter after one more failure at `now`.
pub fn next_failures(current: Option<LoginFailures>, now: Timestamp, free: i64) -> LoginFailures {
    let previous = current
        .filter(|failures| now.duration_since(failures.last_failure_at) < FORGET_AFTER)
        .map_or(0, |failures| failures.failures);
    let failures = previous + 1;
    LoginFailures {
        failures,
        last_failure_at: now,
        locked_until: lock_duration(failures, free).and_then(|lock| now.checked_add(lock).ok()),
    }
}

/// Rejects the login when `username` from `client`, or `client` itself, is locked at `now`.
pub async fn check(state: &AppState, username: &str, client: &ClientAddr) -> Result<(), ApiError> {
    let now = state.now();
    let mut until: Option<Timestamp> = None;
    for key in [account_key(username, client), client_key(client)] {
        if let Some(failures) = state.store.login_failures(&key).await?
            && let Some(locked_until) = failures.locked_until
            && locked_until > now
        {
            until = Some(until.map_or(locked_until, |other| other.max(locked_until)));
        }
    }
    match until {
        Some(until) => Err(ApiError::LoginLocked {
            until,
            wait_seconds: until.duration_since(now).as_secs() + 1,
        }),
        None => Ok(()),
    }
}

/// Counts a failed login of `username` from `client`.
pub async fn record_failure(
    state: &AppState,
    username: &str,
    client: &ClientAddr,
) -> Result<(), ApiError> {
    let now = state.now();
    let account = state
        .store
        .record_login_failure(&account_key(username, client), now, |current| {
            next_failures(current, now, ACCOUNT_FREE_FAILURES)
        })
        .await?;
    let address = state
        .store
        .record_login_failure(&client_key(client), now, |current| {
            next_failures(current, now, CLIENT_FREE_FAILURES)
        })
        .await?;
    if account.locked_until.is_some() || address.locked_until.is_some() {
        tracing::warn!(
            user.name = %username,
            client.address = %client.0,
            account.failures = account.failures,
            client.failures = address.failures,
            "login locked after repeated failures"
        );
    }
    Ok(())
}

/// Forgets the failures of `username` from `client` after a successful login. The client's
/// own count stays until it is forgotten, so that one valid account does not reset the
/// budget of guesses at others.
pub async fn record_success(
    state: &AppState,
    username: &str,
    client: &ClientAddr,
) -> Result<(), ApiError> {
    state
        .store
        .clear_login_failures(&account_key(username, client))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_grows_then_caps() {
        assert_eq!(lock_duration(5, 5), None);
        assert_eq!(lock_duration(6, 5), Some(SignedDuration::from_mins(1)));
        assert_eq!(lock_duration(7, 5), Some(SignedDuration::from_mins(2)));
        assert_eq!(lock_duration(9, 5), Some(SignedDuration::from_mins(8)));
        assert_eq!(lock_duration(12, 5), Some(SignedDuration::from_mins(60)));
        assert_eq!(lock_duration(1000, 5), Some(MAX_LOCK));
    }

    #[test]
    fn old_failures_are_forgotten() {
        let start: Timestamp = "2026-03-02T02:00:00Z".parse().expect("instant");
        let old = LoginFailures {
            failures: 9,
            last_failure_at: start,
            locked_until: None,
        };
        let soon = start + SignedDuration::from_hours(1);
        assert_eq!(next_failures(Some(old), soon, 5).failures, 10);
        let later = start + FORGET_AFTER;
        let fresh = next_failures(Some(old), later, 5);
        assert_eq!(fresh.failures, 1);
        assert_eq!(fresh.locked_until, None);
    }
}
