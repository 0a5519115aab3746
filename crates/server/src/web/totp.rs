//! The second step of a web login (a TOTP code, or the enrolment of a new secret) and the page
//! where a signed-in user turns codes on of their own accord.

use super::form::CsrfForm;
use super::login::{complete, failure_page, login_page, request_lang, safe_next};
use super::page::PageUser;
use crate::auth::login;
use crate::auth::throttle::ClientAddr;
use crate::auth::totp;
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use theodoi_i18n::{Lang, Value, catalogue};
use theodoi_store::UserRecord;

/// What an enrolment shows: the secret as a QR code, as text, and as an `otpauth://` URI.
struct Enrolment {
    secret: String,
    uri: String,
    qr: String,
    secret_label: String,
    uri_label: String,
    qr_alt: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "totp.html")]
struct TotpPage {
    lang: &'static str,
    title: String,
    intro: String,
    error: Option<String>,
    notice: Option<String>,
    enrol: Option<Enrolment>,
    show_form: bool,
    action: &'static str,
    challenge: Option<String>,
    csrf: Option<String>,
    next: String,
    code_label: String,
    submit: String,
    back: Option<(String, String)>,
}

impl TotpPage {
    fn new(lang: Lang, user: &UserRecord, enrol: Option<&str>) -> Result<TotpPage, ApiError> {
        let text = |id: &str| catalogue().text(lang, id);
        let username = [("username", Value::Text(user.username.clone()))];
        let enrolment = match enrol {
            Some(secret) => {
                let uri = totp::otpauth_uri(secret, &user.username)
                    .ok_or_else(|| ApiError::Internal("TOTP secret cannot make a URI".into()))?;
                let qr = totp::qr_data_uri(&uri)
                    .ok_or_else(|| ApiError::Internal("TOTP URI too long for a QR code".into()))?;
                Some(Enrolment {
                    secret: secret.to_owned(),
                    uri,
                    qr,
                    secret_label: text("ui-totp-secret"),
                    uri_label: text("ui-totp-uri"),
                    qr_alt: text("ui-totp-qr-alt"),
                })
            }
            None => None,
        };
        let (title, intro) = if enrolment.is_some() {
            ("ui-totp-enrol-title", "ui-totp-enrol-intro")
        } else {
            ("ui-login-code-title", "ui-login-code-intro")
        };
        Ok(TotpPage {
            lang: lang.code(),
            title: text(title),
            intro: catalogue().format(lang, intro, &username),
            error: None,
            notice: None,
            enrol: enrolment,
            show_form: true,
            action: "/login/code",
            challenge: None,
            csrf: None,
            next: "/".into(),
            code_label: text("field-totp"),
            submit: text("ui-login-code-submit"),
            back: None,
        })
    }
}

/// The page that asks for the code after a correct password, with the enrolment of a secret
/// when the account must have one and has none yet.
async fn code_page(
    state: &AppState,
    lang: Lang,
    user: &UserRecord,
    challenge: &str,
    next: &str,
    error: Option<String>,
) -> Result<Response, ApiError> {
    let enrol = login::enrolment_secret(state, user).await?;
    let mut page = TotpPage::new(lang, user, enrol.as_deref())?;
    page.challenge = Some(challenge.to_owned());
    page.next = next.to_owned();
    let status = if error.is_some() {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    page.error = error;
    Ok((status, page).into_response())
}

/// Starts the second step of the login of `user`, whose password was right.
pub(super) async fn second_step(
    state: &AppState,
    lang: Lang,
    user: &UserRecord,
    next: &str,
) -> Result<Response, ApiError> {
    let challenge = login::begin_challenge(state, user).await?;
    code_page(state, lang, user, &challenge, next, None).await
}

#[derive(Debug, Deserialize)]
pub struct CodeForm {
    challenge: String,
    code: String,
    next: Option<String>,
}

/// `POST /login/code`: the code of a login whose password was right, or the first code of a
/// new secret. A wrong code shows the page again with the same pending login, until it expires.
pub async fn submit_code(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let lang = request_lang(None, &headers);
    let next = safe_next(form.next.as_deref());
    let user = match login::challenge_user(&state, &form.challenge).await {
        Ok(Some(user)) => user,
        Ok(None) => {
            let message = catalogue().text(lang, "auth-login-expired");
            return login_page(lang, &next, StatusCode::UNAUTHORIZED, message);
        }
        Err(error) => return failure_page(error, lang, &next, ""),
    };
    let enrolled = match state.store.totp(user.id).await {
        Ok(record) => record.is_some_and(|record| record.confirmed_at.is_some()),
        Err(error) => return failure_page(error.into(), lang, &next, &user.username),
    };
    let checked = if enrolled {
        login::check_code(&state, &client, &user, &form.code).await
    } else {
        login::confirm_enrolment(&state, &client, &user, &form.code).await
    };
    let result = match checked {
        Ok(()) => match login::end_challenge(&state, &form.challenge).await {
            Ok(()) => complete(&state, &client, &user, &next).await,
            Err(error) => Err(error),
        },
        Err(error @ (ApiError::TotpInvalid | ApiError::TotpRequired)) => {
            let message = error.render_in(lang).1.message;
            code_page(&state, lang, &user, &form.challenge, &next, Some(message)).await
        }
        Err(error) => Err(error),
    };
    result.unwrap_or_else(|error| failure_page(error, lang, &next, &user.username))
}

/// The account page for `user`: the enrolment of a secret, or a note that codes are on.
async fn account_page(
    state: &AppState,
    user: &PageUser,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, ApiError> {
    let lang = user.lang;
    let record = &user.current.user;
    let secret = login::enrolment_secret(state, record).await?;
    let mut page = TotpPage::new(lang, record, secret.as_deref())?;
    page.action = "/account/totp";
    page.csrf = Some(user.csrf.clone());
    page.back = Some(("/".into(), catalogue().text(lang, "ui-nav-dashboard")));
    match secret {
        Some(_) => page.intro = catalogue().text(lang, "ui-totp-enrol-optional"),
        None => {
            page.title = catalogue().text(lang, "ui-nav-totp");
            page.intro = catalogue().text(lang, "ui-totp-enrolled");
            page.show_form = false;
        }
    }
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page.error = error;
    page.notice = notice;
    Ok((status, page).into_response())
}

/// `GET /account/totp`.
pub async fn show_account(State(state): State<AppState>, user: PageUser) -> Response {
    account_page(&state, &user, None, None)
        .await
        .unwrap_or_else(|error| super::error::page_error(error, user.lang))
}

#[derive(Debug, Deserialize)]
pub struct AccountCodeForm {
    code: String,
}

/// `POST /account/totp`: confirms the secret shown on the account page with a first code.
pub async fn confirm_account(
    State(state): State<AppState>,
    client: ClientAddr,
    user: PageUser,
    form: CsrfForm<AccountCodeForm>,
) -> Response {
    let lang = user.lang;
    let confirmed =
        login::confirm_enrolment(&state, &client, &user.current.user, &form.body.code).await;
    let result = match confirmed {
        Ok(()) => {
            let notice = catalogue().text(lang, "ui-totp-confirmed");
            account_page(&state, &user, None, Some(notice)).await
        }
        Err(error @ (ApiError::TotpInvalid | ApiError::TotpRequired)) => {
            let message = error.render_in(lang).1.message;
            account_page(&state, &user, Some(message), None).await
        }
        Err(error) => Err(error),
    };
    result.unwrap_or_else(|error| super::error::page_error(error, lang))
}
