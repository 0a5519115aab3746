//! The login page, logout and the language switch.

use super::form::CsrfForm;
use super::page::PageUser;
use crate::auth::login::{self, PasswordChecked};
use crate::auth::throttle::ClientAddr;
use crate::auth::{self, Credential};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use theodoi_domain::audit::SecurityEventKind;
use theodoi_i18n::{Lang, catalogue};
use theodoi_store::{UserChanges, UserRecord};

struct LoginText {
    title: String,
    app_name: String,
    subtitle: String,
    username: String,
    password: String,
    submit: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    lang: &'static str,
    text: LoginText,
    error: Option<String>,
    next: String,
    next_encoded: String,
    username: String,
}

impl LoginPage {
    fn new(lang: Lang, next: &str, username: &str, error: Option<String>) -> Self {
        let text = |id: &str| catalogue().text(lang, id);
        LoginPage {
            lang: lang.code(),
            text: LoginText {
                title: text("ui-login-title"),
                app_name: text("ui-app-name"),
                subtitle: text("ui-login-subtitle"),
                username: text("field-username"),
                password: text("field-password"),
                submit: text("ui-login-submit"),
            },
            error,
            next: next.to_owned(),
            next_encoded: form_urlencoded::byte_serialize(next.as_bytes()).collect(),
            username: username.to_owned(),
        }
    }
}

/// Only paths on this site are followed after login, never another host.
pub(super) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

pub(super) fn request_lang(query: Option<&str>, headers: &HeaderMap) -> Lang {
    query.and_then(Lang::parse).unwrap_or_else(|| {
        Lang::from_accept_language(
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|value| value.to_str().ok()),
        )
    })
}

#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    lang: Option<String>,
}

pub async fn show(Query(query): Query<LoginQuery>, headers: HeaderMap) -> Response {
    let lang = request_lang(query.lang.as_deref(), &headers);
    LoginPage::new(lang, &safe_next(query.next.as_deref()), "", None).into_response()
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let lang = request_lang(None, &headers);
    let next = safe_next(form.next.as_deref());
    let checked = login::check_password(&state, &client, &form.username, &form.password).await;
    let result = match checked {
        Ok(PasswordChecked::Complete(user)) => complete(&state, &client, &user, &next).await,
        Ok(PasswordChecked::CodeNeeded(user) | PasswordChecked::EnrolmentNeeded(user)) => {
            super::totp::second_step(&state, lang, &user, &next).await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(response) => response,
        Err(error) => failure_page(error, lang, &next, &form.username),
    }
}

/// Renders the login page with `message` above an empty form.
pub(super) fn login_page(lang: Lang, next: &str, status: StatusCode, message: String) -> Response {
    (status, LoginPage::new(lang, next, "", Some(message))).into_response()
}

/// Renders the login page again with the error, or the error page for a server failure.
pub(super) fn failure_page(error: ApiError, lang: Lang, next: &str, username: &str) -> Response {
    match error {
        error @ (ApiError::LoginFailed
        | ApiError::AccountDisabled
        | ApiError::LoginLocked { .. }
        | ApiError::Domain(_)) => {
            let status = error.render_in(lang).0;
            let message = error.render_in(lang).1.message;
            let mut response =
                (status, LoginPage::new(lang, next, username, Some(message))).into_response();
            if let ApiError::LoginLocked { wait_seconds, .. } = error {
                crate::error::add_retry_after(&mut response, wait_seconds);
            }
            response
        }
        other => super::error::page_error(other, lang),
    }
}

/// Finishes a login whose every factor passed: a new session, with a new id whatever cookie
/// the browser sent, and the way back to the page the user asked for.
pub(super) async fn complete(
    state: &AppState,
    client: &ClientAddr,
    user: &UserRecord,
    next: &str,
) -> Result<Response, ApiError> {
    login::succeeded(state, client, user).await?;
    let session = auth::start_session(state, user).await?;
    let mut response = Redirect::to(next).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session.cookie(state));
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

pub async fn logout(
    State(state): State<AppState>,
    user: PageUser,
    _form: CsrfForm<Empty>,
) -> Response {
    if let Credential::Session { id_hash, .. } = &user.current.credential {
        if let Err(error) = state.store.delete_session(id_hash).await {
            return super::error::page_error(error.into(), user.lang);
        }
        let _ = state
            .sessions_ended
            .send(auth::SessionEnded::Session(id_hash.clone()));
    }
    state.access_changed();
    tracing::info!(user.id = user.current.user.id.0, "logout");
    let actor = (user.current.user.id, user.current.user.org_id);
    crate::audit::record(
        &state,
        crate::audit::event(&state, SecurityEventKind::Logout, Some(actor)),
    )
    .await;
    let mut response = Redirect::to("/login").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, auth::clear_cookie(&state));
    response
}

#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    language: String,
}

/// Stores the user's interface language and goes back to the page they came from.
pub async fn language(
    State(state): State<AppState>,
    user: PageUser,
    headers: HeaderMap,
    form: CsrfForm<LanguageForm>,
) -> Response {
    let Some(lang) = Lang::parse(&form.body.language) else {
        return super::error::page_error(ApiError::NotFound, user.lang);
    };
    let changes = UserChanges {
        language: Some(lang.code().to_owned()),
        ..Default::default()
    };
    if let Err(error) = state
        .store
        .update_user(user.current.user.id, None, &changes)
        .await
    {
        return super::error::page_error(error.into(), user.lang);
    }
    let back = headers
        .get(header::REFERER)
        .and_then(|value| value.to_str().ok())
        .and_then(|referer| referer.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|slash| &rest[slash..]))
        .map(|path| safe_next(Some(path)))
        .unwrap_or_else(|| "/".to_owned());
    Redirect::to(&back).into_response()
}
