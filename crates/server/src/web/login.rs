//! The login page, logout and the language switch.

use super::form::CsrfForm;
use super::page::PageUser;
use crate::auth::{self, Credential};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use theodoi_domain::audit::SecurityEventKind;
use theodoi_i18n::{Lang, catalogue};
use theodoi_store::UserChanges;

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
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

fn request_lang(query: Option<&str>, headers: &HeaderMap) -> Lang {
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
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let lang = request_lang(None, &headers);
    let next = safe_next(form.next.as_deref());
    let user = match auth::authenticate(&state, &form.username, &form.password).await {
        Ok(user) => user,
        Err(error @ (ApiError::LoginFailed | ApiError::AccountDisabled | ApiError::Domain(_))) => {
            let message = error.render_in(lang).1.message;
            return LoginPage::new(lang, &next, &form.username, Some(message)).into_response();
        }
        Err(other) => return super::error::page_error(other, lang),
    };
    match auth::start_session(&state, &user).await {
        Ok(session) => {
            let mut response = Redirect::to(&next).into_response();
            response
                .headers_mut()
                .insert(header::SET_COOKIE, session.cookie(&state));
            response
        }
        Err(error) => super::error::page_error(error, lang),
    }
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

pub async fn logout(
    State(state): State<AppState>,
    user: PageUser,
    _form: CsrfForm<Empty>,
) -> Response {
    if let Credential::Session { id_hash, .. } = &user.current.credential
        && let Err(error) = state.store.delete_session(id_hash).await
    {
        return super::error::page_error(error.into(), user.lang);
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
