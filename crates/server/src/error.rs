//! The one error type of the HTTP layer and its conversion to a localized JSON response:
//! `{"code": stable id, "message": text in the request's language, "details": …}`.
//!
//! The language is chosen once per request by the [`localize`] middleware and read here from
//! a task-local, so handlers return errors without carrying the language around.

use axum::Json;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use theodoi_domain::error::{DomainError, ErrorKind};
use theodoi_i18n::{FieldMessage, Lang, Value, catalogue};
use theodoi_store::StoreError;
use utoipa::ToSchema;

tokio::task_local! {
    static LANG: Lang;
}

/// The language of the request being handled; Vietnamese outside a request.
pub fn current_lang() -> Lang {
    LANG.try_with(|lang| *lang).unwrap_or_default()
}

/// Picks the language from `?lang=`, else `Accept-Language`, and runs the request with it.
pub async fn localize(request: Request, next: Next) -> Response {
    let lang = request_lang(request.uri().query(), request.headers());
    LANG.scope(lang, next.run(request)).await
}

fn request_lang(query: Option<&str>, headers: &HeaderMap) -> Lang {
    let from_query = query.and_then(|query| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(name, _)| *name == "lang")
            .and_then(|(_, value)| Lang::parse(value))
    });
    from_query.unwrap_or_else(|| {
        Lang::from_accept_language(
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|value| value.to_str().ok()),
        )
    })
}

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("version conflict at {current}")]
    VersionConflict { current: i64 },
    #[error("authentication required")]
    Unauthenticated,
    #[error("login failed")]
    LoginFailed,
    #[error("anti-forgery token missing or wrong")]
    CsrfRejected,
    #[error("account disabled")]
    AccountDisabled,
    /// `wait_seconds` is measured on the server's clock, which tests and the demo move.
    #[error("login locked until {until}")]
    LoginLocked {
        until: jiff::Timestamp,
        wait_seconds: i64,
    },
    #[error("TOTP code required")]
    TotpRequired,
    #[error("TOTP code wrong or already used")]
    TotpInvalid,
    #[error("TOTP enrolment required")]
    TotpEnrolmentRequired,
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("bad request {code}: {detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("idempotency key reused")]
    IdempotencyKeyReused,
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Domain(domain) => ApiError::Domain(domain),
            StoreError::VersionConflict { current } => ApiError::VersionConflict { current },
            StoreError::IdempotencyKeyReused => ApiError::IdempotencyKeyReused,
            // Contention that outlasted the store's retries: the request may succeed later.
            StoreError::Database(sqlx_error)
                if is_unavailable(&sqlx_error)
                    || theodoi_store::classify(&sqlx_error).is_some() =>
            {
                ApiError::Unavailable(sqlx_error.to_string())
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

fn is_unavailable(error: &theodoi_store::SqlxError) -> bool {
    matches!(
        error,
        theodoi_store::SqlxError::PoolTimedOut
            | theodoi_store::SqlxError::PoolClosed
            | theodoi_store::SqlxError::Io(_)
    )
}

/// Body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable error code, such as `validation-failed` or `version-conflict`.
    pub code: &'static str,
    /// Message in the request's language (Vietnamese unless `Accept-Language` asks for English).
    pub message: String,
    pub details: ErrorDetails,
}

/// Details of an error; each part appears only when it applies.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ErrorDetails {
    /// One entry per invalid field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// The record's current version, on a version conflict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
    /// Id to quote to an administrator, on a server error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_id: Option<String>,
}

/// One invalid field.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldError {
    /// Path of the field in the request, such as `symbol` or `products[0].name`.
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

impl From<FieldMessage> for FieldError {
    fn from(field: FieldMessage) -> Self {
        FieldError {
            field: field.field,
            code: field.code,
            message: field.message,
        }
    }
}

fn simple(
    lang: Lang,
    status: StatusCode,
    code: &'static str,
    args: &[(&str, Value)],
) -> (StatusCode, ErrorBody) {
    let message = catalogue().format(lang, code, args);
    (
        status,
        ErrorBody {
            code,
            message,
            details: ErrorDetails::default(),
        },
    )
}

pub(crate) fn random_id() -> String {
    use rand::RngExt;
    format!("{:012x}", rand::rng().random::<u64>() & 0xffff_ffff_ffff)
}

impl ApiError {
    /// The status and body of the error, with the message in `lang`. Server errors are logged
    /// here, once.
    pub fn render_in(&self, lang: Lang) -> (StatusCode, ErrorBody) {
        match self {
            ApiError::Domain(error) => {
                let status = match error.kind {
                    ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorKind::NotFound => StatusCode::NOT_FOUND,
                    ErrorKind::Forbidden => StatusCode::FORBIDDEN,
                    ErrorKind::Conflict => StatusCode::CONFLICT,
                };
                let localized = catalogue().error(lang, error);
                (
                    status,
                    ErrorBody {
                        code: localized.code,
                        message: localized.message,
                        details: ErrorDetails {
                            fields: localized.fields.into_iter().map(FieldError::from).collect(),
                            ..Default::default()
                        },
                    },
                )
            }
            ApiError::VersionConflict { current } => {
                let (status, mut body) = simple(
                    lang,
                    StatusCode::CONFLICT,
                    "version-conflict",
                    &[("current", Value::Number(*current))],
                );
                body.details.current_version = Some(*current);
                (status, body)
            }
            ApiError::Unauthenticated => {
                simple(lang, StatusCode::UNAUTHORIZED, "auth-required", &[])
            }
            ApiError::LoginFailed => {
                simple(lang, StatusCode::UNAUTHORIZED, "auth-login-failed", &[])
            }
            ApiError::CsrfRejected => simple(lang, StatusCode::FORBIDDEN, "auth-csrf-invalid", &[]),
            ApiError::AccountDisabled => {
                simple(lang, StatusCode::FORBIDDEN, "auth-account-disabled", &[])
            }
            ApiError::LoginLocked { until, .. } => simple(
                lang,
                StatusCode::TOO_MANY_REQUESTS,
                "auth-login-locked",
                &[
                    ("time", Value::Text(theodoi_i18n::format_time(*until))),
                    (
                        "date",
                        Value::Text(theodoi_i18n::format_date(theodoi_calendar::local_date(
                            *until,
                        ))),
                    ),
                ],
            ),
            ApiError::TotpRequired => {
                let (status, mut body) =
                    simple(lang, StatusCode::UNAUTHORIZED, "auth-totp-required", &[]);
                body.details.fields.push(FieldError {
                    field: "totp".into(),
                    code: "auth-totp-required",
                    message: body.message.clone(),
                });
                (status, body)
            }
            ApiError::TotpInvalid => {
                simple(lang, StatusCode::UNAUTHORIZED, "auth-totp-invalid", &[])
            }
            ApiError::TotpEnrolmentRequired => simple(
                lang,
                StatusCode::FORBIDDEN,
                "auth-totp-enrolment-required",
                &[],
            ),
            ApiError::NotFound => simple(lang, StatusCode::NOT_FOUND, "not-found", &[]),
            ApiError::MethodNotAllowed => simple(
                lang,
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                &[],
            ),
            ApiError::BadRequest { code, detail } => simple(
                lang,
                if *code == "request-too-large" {
                    StatusCode::PAYLOAD_TOO_LARGE
                } else if *code == "request-unsupported-media" {
                    StatusCode::UNSUPPORTED_MEDIA_TYPE
                } else {
                    StatusCode::BAD_REQUEST
                },
                code,
                &[("detail", Value::Text(detail.clone()))],
            ),
            ApiError::IdempotencyKeyReused => simple(
                lang,
                StatusCode::UNPROCESSABLE_ENTITY,
                "request-idempotency-key-reused",
                &[],
            ),
            ApiError::Unavailable(cause) => {
                tracing::error!(error = %cause, "database unavailable");
                simple(
                    lang,
                    StatusCode::SERVICE_UNAVAILABLE,
                    "service-unavailable",
                    &[],
                )
            }
            ApiError::Internal(cause) => {
                // The cause is logged once, here, and never sent to the client.
                let id = random_id();
                tracing::error!(error.id = %id, error = %cause, "request failed");
                let (status, mut body) = simple(
                    lang,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal-error",
                    &[("id", Value::Text(id.clone()))],
                );
                body.details.error_id = Some(id);
                (status, body)
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = self.render_in(current_lang());
        let mut response = (status, Json(body)).into_response();
        if let ApiError::LoginLocked { wait_seconds, .. } = self {
            add_retry_after(&mut response, wait_seconds);
        }
        response
    }
}

/// Sets `Retry-After` to `wait_seconds`, at least one.
pub fn add_retry_after(response: &mut Response, wait_seconds: i64) {
    if let Ok(value) = axum::http::HeaderValue::from_str(&wait_seconds.max(1).to_string()) {
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, value);
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
