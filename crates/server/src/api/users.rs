//! User accounts, managed by administrators.

use super::inputs::parse_code;
use super::support::versioned;
use super::views::{OrgRef, org_ref};
use crate::auth::{CurrentUser, password};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, IfMatch};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use theodoi_domain::error::{Code, Violations};
use theodoi_domain::ids::{OrgId, UserId};
use theodoi_domain::org::OrgDirectory;
use theodoi_domain::text;
use theodoi_domain::user::{Clearance, Role, check_password, parse_username};
use theodoi_i18n::Lang;
use theodoi_store::{NewUser, UserChanges, UserRecord};
use utoipa::{IntoParams, ToSchema};

/// A user account, without its password.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub version: i64,
    pub username: String,
    pub full_name: String,
    pub org: OrgRef,
    /// central_office, updater, approver, monitoring_officer, inspector, leader_viewer or
    /// administrator.
    pub roles: Vec<String>,
    /// normal, confidential or secret: the highest level the user may read.
    pub clearance: String,
    /// vi or en.
    pub language: String,
    /// Address for e-mail notifications; null when the user gets none.
    pub email: Option<String>,
    pub disabled: bool,
}

pub fn user_view(user: &UserRecord, orgs: &dyn OrgDirectory) -> UserView {
    UserView {
        id: user.id.0,
        version: user.version,
        username: user.username.clone(),
        full_name: user.full_name.clone(),
        org: org_ref(orgs, user.org_id),
        roles: user
            .roles
            .iter()
            .map(|role| role.as_str().to_owned())
            .collect(),
        clearance: user.clearance.as_str().to_owned(),
        language: user.language.clone(),
        email: user.email.clone(),
        disabled: user.disabled,
    }
}

/// Filters of the user list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Only users of this body.
    pub org: Option<i64>,
    /// Language of names and messages in the response: vi (default) or en.
    #[expect(
        dead_code,
        reason = "read from the query string by the localize middleware"
    )]
    pub lang: Option<String>,
}

/// Lists user accounts. Administrators only.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(UserQuery),
    responses((status = 200, body = Vec<UserView>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<UserQuery>,
) -> ApiResult<Json<Vec<UserView>>> {
    user.actor().require_any(&[Role::Administrator])?;
    let reference = state.reference();
    let users = state.store.users(query.org.map(OrgId)).await?;
    Ok(Json(
        users
            .iter()
            .map(|record| user_view(record, &reference.orgs))
            .collect(),
    ))
}

/// A new account.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    pub username: Option<String>,
    #[schema(required = true)]
    pub full_name: Option<String>,
    /// At least 10 characters.
    pub password: Option<String>,
    #[schema(required = true)]
    pub org_id: Option<i64>,
    #[schema(required = true)]
    #[serde(default)]
    pub roles: Vec<String>,
    /// normal (default), confidential or secret.
    pub clearance: Option<String>,
    /// vi (default) or en.
    pub language: Option<String>,
    /// Address for e-mail notifications; absent or empty for none.
    pub email: Option<String>,
}

/// Parses an e-mail field: `None` when absent, `Some(None)` when empty (no address).
fn parse_email_field(violations: &mut Violations, value: Option<&str>) -> Option<Option<String>> {
    let value = value?;
    if value.trim().is_empty() {
        return Some(None);
    }
    violations
        .check(theodoi_domain::user::parse_email("email", value))
        .map(Some)
}

fn parse_roles(violations: &mut Violations, values: &[String]) -> Vec<Role> {
    if values.is_empty() {
        violations.push("roles", Code::Required, vec![]);
    }
    values
        .iter()
        .filter_map(|value| {
            violations.check(parse_code(
                "roles",
                value,
                &Role::ALL.map(Role::as_str),
                Role::parse,
            ))
        })
        .collect()
}

fn parse_language(violations: &mut Violations, value: Option<&str>) -> Option<String> {
    value.and_then(|value| {
        violations
            .check(parse_code("language", value, &["vi", "en"], Lang::parse))
            .map(|lang| lang.code().to_owned())
    })
}

/// Creates an account. Administrators only.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUserBody,
    responses((status = 201, body = UserView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<NewUserBody>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    user.actor().require_any(&[Role::Administrator])?;
    let reference = state.reference();
    let mut violations = Violations::new();
    let username = violations.check(parse_username(
        "username",
        body.username.as_deref().unwrap_or(""),
    ));
    let full_name = violations.check(text::required_line(
        "full_name",
        body.full_name.as_deref().unwrap_or(""),
        200,
    ));
    let secret = body.password.clone().unwrap_or_default();
    violations.check(check_password("password", &secret));
    let org = match body.org_id {
        None => {
            violations.push("org_id", Code::Required, vec![]);
            None
        }
        Some(id) => violations
            .check(reference.orgs.require("org_id", OrgId(id)))
            .map(|org| org.id),
    };
    let roles = parse_roles(&mut violations, &body.roles);
    let clearance = match body.clearance.as_deref() {
        None => Some(Clearance::Normal),
        Some(value) => violations.check(parse_code(
            "clearance",
            value,
            &["normal", "confidential", "secret"],
            Clearance::parse,
        )),
    };
    let language =
        parse_language(&mut violations, body.language.as_deref()).unwrap_or_else(|| "vi".into());
    let email = parse_email_field(&mut violations, body.email.as_deref()).flatten();
    violations.finish()?;
    let password_hash = password::hash_pooled(secret)
        .await
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    let new = NewUser {
        username: username.expect("checked above"),
        full_name: full_name.expect("checked above"),
        org_id: org.expect("checked above"),
        roles,
        clearance: clearance.expect("checked above"),
        password_hash,
        language,
        email,
    };
    let created = state.store.insert_user(&new, state.now()).await?;
    tracing::info!(
        user.id = user.user.id.0,
        created.id = created.id.0,
        "user created"
    );
    Ok((
        StatusCode::CREATED,
        Json(user_view(&created, &reference.orgs)),
    ))
}

/// Changes to an account; absent fields stay.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChangesBody {
    pub full_name: Option<String>,
    pub org_id: Option<i64>,
    pub roles: Option<Vec<String>>,
    pub clearance: Option<String>,
    pub password: Option<String>,
    pub language: Option<String>,
    /// Address for e-mail notifications; empty removes it.
    pub email: Option<String>,
    pub disabled: Option<bool>,
}

/// Changes an account. Administrators change any field; users change their own password,
/// name, language and e-mail address. A change of password, roles, body, clearance or a disabling ends the
/// account's sessions.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = i64, Path, description = "User id"), ("If-Match" = Option<String>, Header, description = "Expected account version")),
    request_body = UserChangesBody,
    responses((status = 200, body = UserView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<UserChangesBody>,
) -> ApiResult<Response> {
    let actor = user.actor();
    let is_admin = actor.has(Role::Administrator);
    let is_self = actor.user_id == UserId(id);
    let admin_fields = body.org_id.is_some()
        || body.roles.is_some()
        || body.clearance.is_some()
        || body.disabled.is_some();
    if !is_admin && !is_self {
        actor.require_any(&[Role::Administrator])?;
    }
    if !is_admin && admin_fields {
        // A user editing their own account names a field only an administrator sets: say
        // which, instead of a bare refusal or silently ignoring it.
        let mut protected = Violations::new();
        let sent = [
            ("org_id", body.org_id.is_some()),
            ("roles", body.roles.is_some()),
            ("clearance", body.clearance.is_some()),
            ("disabled", body.disabled.is_some()),
        ];
        for (field, present) in sent {
            if present {
                protected.push(field, Code::FieldProtected, vec![]);
            }
        }
        protected.finish()?;
    }
    let reference = state.reference();
    let mut violations = Violations::new();
    let full_name = body
        .full_name
        .as_deref()
        .and_then(|value| violations.check(text::required_line("full_name", value, 200)));
    let org_id = body.org_id.and_then(|value| {
        violations
            .check(reference.orgs.require("org_id", OrgId(value)))
            .map(|org| org.id)
    });
    let roles = body
        .roles
        .as_deref()
        .map(|roles| parse_roles(&mut violations, roles));
    let clearance = body.clearance.as_deref().and_then(|value| {
        violations.check(parse_code(
            "clearance",
            value,
            &["normal", "confidential", "secret"],
            Clearance::parse,
        ))
    });
    if let Some(secret) = body.password.as_deref() {
        violations.check(check_password("password", secret));
    }
    let language = parse_language(&mut violations, body.language.as_deref());
    let email = parse_email_field(&mut violations, body.email.as_deref());
    violations.finish()?;
    let password_hash = match body.password.clone() {
        Some(secret) => Some(
            password::hash_pooled(secret)
                .await
                .map_err(|error| ApiError::Internal(error.to_string()))?,
        ),
        None => None,
    };
    let changes = UserChanges {
        full_name,
        org_id,
        roles,
        clearance,
        password_hash,
        language,
        email,
        disabled: body.disabled,
    };
    let updated = state
        .store
        .update_user(UserId(id), if_match.0, &changes)
        .await
        .map_err(|error| match ApiError::from(error) {
            ApiError::Domain(domain) if domain.code == Code::UserNotFound => ApiError::NotFound,
            other => other,
        })?;
    state.access_changed();
    let ends_sessions = changes.password_hash.is_some()
        || changes.roles.is_some()
        || changes.org_id.is_some()
        || changes.clearance.is_some()
        || changes.disabled == Some(true);
    if ends_sessions {
        // The store deleted the sessions; this closes their open event streams. No stream
        // open is not an error.
        let _ = state
            .sessions_ended
            .send(crate::auth::SessionEnded::User(updated.id));
    }
    Ok(versioned(
        StatusCode::OK,
        updated.version,
        user_view(&updated, &reference.orgs),
    ))
}
