//! Pages for errors: a Vietnamese (or English) message with an id the user can quote, never a
//! stack trace.

use crate::error::ApiError;
use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use theodoi_i18n::{Lang, catalogue};

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    lang: &'static str,
    title: String,
    message: String,
    error_id: String,
    id_label: String,
    home: String,
}

/// Renders `error` as an HTML page in `lang`, with the status the JSON API would use.
pub fn page_error(error: ApiError, lang: Lang) -> Response {
    let (status, body) = error.render_in(lang);
    render(status, lang, body.message, body.details.error_id)
}

/// Renders a page with `message` and `status`. Every such page carries an id the user can quote:
/// a server error keeps the id it was logged with, and any other refusal gets a new one, logged
/// here with the status and message.
pub fn render(
    status: StatusCode,
    lang: Lang,
    message: String,
    error_id: Option<String>,
) -> Response {
    let error_id = error_id.unwrap_or_else(|| {
        let id = crate::error::random_id();
        tracing::info!(error.id = %id, status = status.as_u16(), %message, "page not shown");
        id
    });
    let text = |id: &str| catalogue().text(lang, id);
    let title = match status {
        StatusCode::NOT_FOUND => text("ui-error-not-found-title"),
        StatusCode::FORBIDDEN => text("ui-error-forbidden-title"),
        status if status.is_server_error() => text("ui-error-server-title"),
        _ => text("ui-error-title"),
    };
    let page = ErrorPage {
        lang: lang.code(),
        title,
        message,
        error_id,
        id_label: text("ui-error-id"),
        home: text("ui-error-home"),
    };
    (status, page).into_response()
}
