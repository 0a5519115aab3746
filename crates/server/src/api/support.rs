//! Helpers shared by the handlers: running a task command, publishing its events, and building
//! responses with version headers.

use super::views::{TaskView, task_view};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::etag;
use crate::state::{AppState, Reference};
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use theodoi_domain::DomainError;
use theodoi_domain::ids::TaskId;
use theodoi_domain::task::event::TaskEvent;
use theodoi_domain::task::{Context, Task};
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

pub use crate::live::publish;

/// Fails with 404 unless the user may see the task, so that a task one may not see looks the
/// same as one that does not exist.
pub async fn require_visible(
    state: &AppState,
    scope: &Scope,
    id: TaskId,
) -> ApiResult<theodoi_store::TaskRow> {
    state
        .store
        .task_row(scope, id, state.now())
        .await?
        .ok_or(ApiError::NotFound)
}

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

/// Runs a decision on a visible task and answers with the task as it is afterwards.
pub async fn run_on_task<F>(
    state: &AppState,
    user: &CurrentUser,
    id: TaskId,
    expected_version: Option<u32>,
    key: Option<&theodoi_store::IdempotencyKey>,
    decide: F,
) -> ApiResult<Response>
where
    F: Fn(&Task, &Context<'_>) -> Result<Vec<TaskEvent>, DomainError>,
{
    let reference: Arc<Reference> = state.reference();
    let scope = user.scope(&reference.orgs);
    require_visible(state, &scope, id).await?;
    let actor = user.actor();
    let now = state.now();
    let created = state
        .store
        .execute_keyed(id, expected_version, key, |task, parent| {
            let ctx = Context {
                actor: &actor,
                now,
                calendar: &reference.calendar,
                orgs: &reference.orgs,
                catalogues: &reference.catalogues,
                parent,
            };
            decide(task, &ctx)
        })
        .await?;
    let committed = created.value;
    publish(state, &committed);
    tracing::info!(
        task.id = id.0,
        user.id = user.user.id.0,
        events = committed.events.len(),
        "task changed"
    );
    let view = load_task_view(state, &scope, id).await?;
    Ok(versioned(StatusCode::OK, view.version, view))
}
