//! Authentication: login sessions in HTTP-only cookies for browsers, bearer tokens for API
//! clients, and the extractor that turns either into the acting user.

pub mod login;
pub mod password;
mod revoke;
mod secret;
pub mod throttle;
pub mod totp;

pub use revoke::{SessionEnded, session_ended};
pub use secret::{hash_secret, new_secret};

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use jiff::Timestamp;
use theodoi_domain::ids::OrgId;
use theodoi_domain::org::{OrgCategory, OrgDirectory};
use theodoi_domain::user::{Actor, Clearance, Role};
use theodoi_store::{Scope, UserRecord};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "theodoi_session";
/// Header that carries the session's CSRF token on state-changing requests.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// How the request proved who it is.
#[derive(Debug, Clone)]
pub enum Credential {
    Session { id_hash: String, csrf_token: String },
    Token { id: i64 },
}

/// The authenticated user of a request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: UserRecord,
    pub credential: Credential,
    /// Whether the server has a secure-zone key. Without one, classified records can be
    /// neither opened nor written, so the user's scope stops at Thường.
    pub secure_zone_open: bool,
}

impl CurrentUser {
    pub fn actor(&self) -> Actor {
        self.user.actor()
    }

    /// What this user may see; see [`user_scope`].
    pub fn scope(&self, orgs: &dyn OrgDirectory) -> Scope {
        let mut scope = user_scope(&self.user, orgs);
        if !self.secure_zone_open {
            scope.clearance = Clearance::Normal;
        }
        scope
    }

    pub fn org_id(&self) -> OrgId {
        self.user.org_id
    }
}

/// What `user` may see, from roles, body and clearance. The Central Office, leaders,
/// administrators and the central inspection commission see every body's records; an
/// inspection commission below sees its committee's subtree; everyone else sees the subtree of
/// their own body. Requests and e-mail notifications share this rule.
pub fn user_scope(user: &UserRecord, orgs: &dyn OrgDirectory) -> Scope {
    let sees_all = [Role::CentralOffice, Role::LeaderViewer, Role::Administrator]
        .iter()
        .any(|role| user.roles.contains(role));
    if sees_all {
        return Scope::everything(user.clearance);
    }
    if user.roles.contains(&Role::Inspector) {
        let org = orgs.organisation(user.org_id);
        let parent = org
            .and_then(|org| org.parent_id)
            .and_then(|id| orgs.organisation(id));
        match (org, parent) {
            (Some(org), Some(parent)) if org.category == OrgCategory::InspectionCommission => {
                if parent.category == OrgCategory::AssigningAuthority {
                    return Scope::everything(user.clearance);
                }
                return Scope::within(parent.id, user.clearance);
            }
            _ => {}
        }
    }
    Scope::within(user.org_id, user.clearance)
}

fn cookie_value<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// How long before expiry a session's activity is written back, so that a busy session costs
/// one write a minute rather than one per request.
const TOUCH_INTERVAL_SECONDS: i64 = 60;

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let current = authenticate_request(parts, state).await?;
        if let Some(slot) = parts.extensions.get::<crate::audit::RequestUser>() {
            slot.set(current.user.id, current.user.org_id);
        }
        Ok(current)
    }
}

/// Finds the user of a bearer token or, failing that, of the session cookie, whose unsafe
/// requests must carry the session's CSRF token.
async fn authenticate_request(
    parts: &mut Parts,
    state: &AppState,
) -> Result<CurrentUser, ApiError> {
    let now = state.now();
    if let Some(token) = bearer(parts) {
        let (record, user) = state
            .store
            .token(&hash_secret(token), now)
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        if user.disabled {
            return Err(ApiError::AccountDisabled);
        }
        return Ok(CurrentUser {
            user,
            credential: Credential::Token { id: record.id },
            secure_zone_open: state.store.secure_zone_open(),
        });
    }
    let (user, id_hash, csrf_token) = session_user(parts, state).await?;
    if !is_safe(&parts.method) {
        let sent = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|value| value.to_str().ok());
        if sent != Some(csrf_token.as_str()) {
            return Err(ApiError::CsrfRejected);
        }
    }
    Ok(CurrentUser {
        user,
        credential: Credential::Session {
            id_hash,
            csrf_token,
        },
        secure_zone_open: state.store.secure_zone_open(),
    })
}

/// The user of the session cookie, with the session's id hash and CSRF token, after
/// recording its activity. The CSRF check is left to the caller: JSON requests carry the token
/// in a header, forms in a field.
pub async fn session_user(
    parts: &Parts,
    state: &AppState,
) -> Result<(UserRecord, String, String), ApiError> {
    let now = state.now();
    let session_id = cookie_value(parts, SESSION_COOKIE).ok_or(ApiError::Unauthenticated)?;
    let id_hash = hash_secret(session_id);
    let (session, user) = state
        .store
        .session(&id_hash, now)
        .await?
        .ok_or(ApiError::Unauthenticated)?;
    if user.disabled {
        return Err(ApiError::AccountDisabled);
    }
    if (now - session.last_seen_at).get_seconds() >= TOUCH_INTERVAL_SECONDS {
        let expires = session_expiry(state, session.created_at, now);
        state.store.touch_session(&id_hash, now, expires).await?;
    }
    Ok((user, id_hash, session.csrf_token))
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// When a session with activity at `now` expires: after the idle timeout, but never later than
/// the absolute timeout from its creation.
pub fn session_expiry(state: &AppState, created_at: Timestamp, now: Timestamp) -> Timestamp {
    let idle = now.checked_add(state.config.session_idle).unwrap_or(now);
    let absolute = created_at
        .checked_add(state.config.session_absolute)
        .unwrap_or(created_at);
    idle.min(absolute)
}

/// A session just started: the cookie value is known only here.
#[derive(Debug)]
pub struct NewSession {
    id: String,
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

impl NewSession {
    /// The `Set-Cookie` value that hands the session to the browser.
    pub fn cookie(&self, state: &AppState) -> axum::http::HeaderValue {
        cookie(state, &self.id, state.config.session_absolute)
    }
}

fn cookie(state: &AppState, value: &str, max_age: jiff::SignedDuration) -> axum::http::HeaderValue {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    axum::http::HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        max_age.as_secs().max(0)
    ))
    .expect("cookie value is ASCII")
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(state: &AppState) -> axum::http::HeaderValue {
    cookie(state, "", jiff::SignedDuration::ZERO)
}

/// Starts a session for `user`.
pub async fn start_session(state: &AppState, user: &UserRecord) -> Result<NewSession, ApiError> {
    let now = state.now();
    let id = new_secret();
    let csrf_token = new_secret();
    let expires_at = session_expiry(state, now, now);
    state
        .store
        .insert_session(&theodoi_store::SessionRecord {
            id_hash: hash_secret(&id),
            user_id: user.id,
            csrf_token: csrf_token.clone(),
            created_at: now,
            last_seen_at: now,
            expires_at,
        })
        .await?;
    Ok(NewSession {
        id,
        csrf_token,
        expires_at,
    })
}
