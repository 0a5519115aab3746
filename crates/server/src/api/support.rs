//! Helpers shared by the handlers: running a task command, publishing its events, and building
//! responses with version headers.

use super::views::{TaskView, task_view};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::etag;
use crate::state::AppState;
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use theodoi_domain::ids::TaskId;
use theodoi_store::Scope;

/// A JSON response with an `ETag` carrying the record's version.
pub fn versioned<T: serde::Serialize>(
    status: StatusCode,
    version: impl std::fmt::Display,
    body: T,
) -> Response {
    let mut response = (status, Json(body)).into_response();
    if let Ok(value) = HeaderValue::from_str(&etag(version)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

pub use crate::ops::require_visible;

/// The full view of a task as it is now.
pub async fn load_task_view(state: &AppState, scope: &Scope, id: TaskId) -> ApiResult<TaskView> {
    let row = require_visible(state, scope, id).await?;
    let history = state.store.task(id).await?.ok_or(ApiError::NotFound)?;
    let reference = state.reference();
    Ok(task_view(
        &history.task,
        &history.domain_events(),
        &row.document_symbol,
        row.rollup_percent,
        state.now(),
        &reference,
    ))
}

/// The task as it is now, as a versioned JSON response.
pub async fn task_response(
    state: &AppState,
    user: &CurrentUser,
    id: TaskId,
    status: StatusCode,
) -> ApiResult<Response> {
    let scope = user.scope(&state.reference().orgs);
    let view = load_task_view(state, &scope, id).await?;
    Ok(versioned(status, view.version, view))
}
