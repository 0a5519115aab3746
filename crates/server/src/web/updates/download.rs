//! Downloading an attached file, for users who may see its task. Anyone else gets the same
//! "not found" as for a file that does not exist.

use crate::error::ApiError;
use crate::ops;
use crate::state::AppState;
use crate::web::error::page_error;
use crate::web::page::PageUser;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use theodoi_store::AttachmentId;

/// `GET /attachments/{id}`: the file, always as a download under its original name.
pub async fn attachment(
    State(state): State<AppState>,
    user: PageUser,
    path: Result<Path<i64>, PathRejection>,
) -> Response {
    let Ok(Path(id)) = path else {
        return page_error(ApiError::NotFound, user.lang);
    };
    let found = match state.store.attachment_data(AttachmentId(id)).await {
        Ok(Some(found)) => found,
        Ok(None) => return page_error(ApiError::NotFound, user.lang),
        Err(error) => return page_error(error.into(), user.lang),
    };
    let (attachment, data) = found;
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    if let Err(error) = ops::require_visible(&state, &scope, attachment.task_id).await {
        return page_error(error, user.lang);
    }
    let content_type = HeaderValue::from_str(&attachment.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&content_disposition(&attachment.file_name))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        data,
    )
        .into_response()
}

/// `attachment` with the name twice: an ASCII fallback for old clients, and the exact name in
/// UTF-8 as RFC 5987 (`filename*`) spells it, which every current browser prefers.
fn content_disposition(file_name: &str) -> String {
    let fallback: String = theodoi_domain::text::fold(file_name)
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        rfc5987(file_name)
    )
}

/// Percent-encodes every byte that RFC 5987 does not allow as is (`attr-char`).
fn rfc5987(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        let plain = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'!' | b'#' | b'$' | b'&' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'
            );
        if plain {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_names_are_encoded_twice() {
        assert_eq!(
            content_disposition("Báo cáo đợt 1.pdf"),
            "attachment; filename=\"bao cao dot 1.pdf\"; \
             filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20%C4%91%E1%BB%A3t%201.pdf"
        );
        assert_eq!(
            content_disposition("a\"b.pdf"),
            "attachment; filename=\"a_b.pdf\"; filename*=UTF-8''a%22b.pdf"
        );
    }
}
