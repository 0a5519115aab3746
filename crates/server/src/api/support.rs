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
use theodoi_domain::task::Task;
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
    load_task_view_at(state, scope, id, None).await
}

/// The full view of a task at `version`, or as it is now. The response to a command shows the
/// version that command wrote, because another command may have committed since. A client
/// that took the newer version as its own could send it in `If-Match` and overwrite a change
/// it never saw.
async fn load_task_view_at(
    state: &AppState,
    scope: &Scope,
    id: TaskId,
    version: Option<u32>,
) -> ApiResult<TaskView> {
    let row = require_visible(state, scope, id).await?;
    let mut history = state.store.task(id).await?.ok_or(ApiError::NotFound)?;
    if let Some(version) = version
        && version < history.task.version
    {
        history.events.retain(|stored| stored.event.seq <= version);
        history.task = Task::replay(id, &history.domain_events()).ok_or(ApiError::NotFound)?;
    }
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

/// The task at `version` (the one a command wrote) as a versioned JSON response.
pub async fn task_response(
    state: &AppState,
    user: &CurrentUser,
    id: TaskId,
    version: u32,
    status: StatusCode,
) -> ApiResult<Response> {
    let scope = user.scope(&state.reference().orgs);
    let view = load_task_view_at(state, &scope, id, Some(version)).await?;
    Ok(versioned(status, view.version, view))
}
