//! Login, logout, API tokens and the current user.

use super::users::{UserView, user_view};
use crate::auth::throttle::ClientAddr;
use crate::auth::{Credential, CurrentUser, hash_secret, new_secret};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiJson;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use theodoi_domain::audit::SecurityEventKind;
use theodoi_domain::error::{Code, DomainError};
use theodoi_domain::text;
use theodoi_store::UserRecord;
use utoipa::ToSchema;

/// Credentials.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    #[schema(required = true)]
    pub username: Option<String>,
    #[schema(required = true)]
    pub password: Option<String>,
    /// The 6-digit code of the user's authenticator app, needed when the account uses one.
    pub totp: Option<String>,
}

/// The logged-in user and the token to send in `X-CSRF-Token` on state-changing requests made
/// with the session cookie.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginView {
    pub user: UserView,
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

async fn authenticate(
    state: &AppState,
    client: &ClientAddr,
    body: &LoginBody,
) -> ApiResult<UserRecord> {
    crate::auth::login::authenticate(
        state,
        client,
        body.username.as_deref().unwrap_or(""),
        body.password.as_deref().unwrap_or(""),
        body.totp.as_deref(),
    )
    .await
}

/// Logs in and sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", security(()), request_body = LoginBody,
    responses((status = 200, body = LoginView, headers(("Set-Cookie" = String, description = "HTTP-only session cookie"))),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody, headers(("Retry-After" = i64, description = "Seconds until the lock ends")))))]
pub async fn login(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<Response> {
    let user = authenticate(&state, &client, &body).await?;
    let session = crate::auth::start_session(&state, &user).await?;
    let reference = state.reference();
    let view = LoginView {
        user: user_view(&user, &reference.orgs),
        csrf_token: session.csrf_token.clone(),
        expires_at: session.expires_at,
    };
    let mut response = Json(view).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session.cookie(&state));
    Ok(response)
}

/// Ends the session and clears the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204, description = "Logged out"), (status = 401, body = ErrorBody)))]
pub async fn logout(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Response> {
    if let Credential::Session { id_hash, .. } = &user.credential {
        state.store.delete_session(id_hash).await?;
        state.access_changed();
        // No stream open is not an error.
        let _ = state
            .sessions_ended
            .send(crate::auth::SessionEnded::Session(id_hash.clone()));
    }
    tracing::info!(user.id = user.user.id.0, "logout");
    let actor = (user.user.id, user.user.org_id);
    crate::audit::record(
        &state,
        crate::audit::event(&state, SecurityEventKind::Logout, Some(actor)),
    )
    .await;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, crate::auth::clear_cookie(&state));
    Ok(response)
}

/// A request for an API token.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    /// Needed unless the request comes with a session.
    pub username: Option<String>,
    pub password: Option<String>,
    /// The 6-digit code of the user's authenticator app, needed when the account uses one.
    pub totp: Option<String>,
    /// What the token is for, such as the client's name.
    pub name: Option<String>,
    /// Lifetime in days, 1–365 (default 90).
    pub days: Option<i64>,
}

/// A new API token; it is shown only once.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenView {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub name: String,
    pub expires_at: Timestamp,
}

/// Issues a bearer token for API clients, from a username and password.
#[utoipa::path(post, path = "/api/v1/auth/tokens", tag = "auth", security(()), request_body = TokenBody,
    responses((status = 201, body = TokenView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody, headers(("Retry-After" = i64, description = "Seconds until the lock ends")))))]
pub async fn create_token(
    State(state): State<AppState>,
    client: ClientAddr,
    ApiJson(body): ApiJson<TokenBody>,
) -> ApiResult<(StatusCode, Json<TokenView>)> {
    let user = authenticate(
        &state,
        &client,
        &LoginBody {
            username: body.username.clone(),
            password: body.password.clone(),
            totp: body.totp.clone(),
        },
    )
    .await?;
    let name =
        text::optional_line("name", body.name.as_deref(), 200)?.unwrap_or_else(|| "api".to_owned());
    let lifetime = match body.days {
        None => state.config.token_lifetime,
        Some(days) if (1..=365).contains(&days) => SignedDuration::from_hours(days * 24),
        Some(_) => {
            return Err(DomainError::field(
                "days",
                Code::OutOfRange,
                vec![("min", 1i64.into()), ("max", 365i64.into())],
            )
            .labelled("days", "field-valid-days")
            .into());
        }
    };
    let now = state.now();
    let token = new_secret();
    let expires_at = now.checked_add(lifetime).unwrap_or(now);
    state
        .store
        .insert_token(&hash_secret(&token), user.id, &name, now, expires_at)
        .await?;
    tracing::info!(user.id = user.id.0, "api token issued");
    Ok((
        StatusCode::CREATED,
        Json(TokenView {
            token,
            name,
            expires_at,
        }),
    ))
}

/// The current user, with the CSRF token of the session when logged in through one.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeView {
    pub user: UserView,
    pub csrf_token: Option<String>,
}

/// Shows the current user.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, body = MeView), (status = 401, body = ErrorBody)))]
pub async fn me(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<MeView>> {
    let reference = state.reference();
    let csrf_token = match &user.credential {
        Credential::Session { csrf_token, .. } => Some(csrf_token.clone()),
        Credential::Token { .. } => None,
    };
    Ok(Json(MeView {
        user: user_view(&user.user, &reference.orgs),
        csrf_token,
    }))
}
