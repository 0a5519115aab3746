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
    error_id: Option<String>,
    id_label: String,
    home: String,
}

/// Renders `error` as an HTML page in `lang`, with the status the JSON API would use.
pub fn page_error(error: ApiError, lang: Lang) -> Response {
    let (status, body) = error.render_in(lang);
    render(status, lang, body.message, body.details.error_id)
}

/// Renders a page with `message` and `status`.
pub fn render(
    status: StatusCode,
    lang: Lang,
    message: String,
    error_id: Option<String>,
) -> Response {
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
