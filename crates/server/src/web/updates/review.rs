//! The approver's decisions on a drafted update: approve it, or return it to the updater with a
//! reason. Both go back to the page the approver came from, with a confirmation.

use super::common::{
    Problems, TaskSummary, UpdateView, form_problems, load_task, local_path, probe, update_view,
    with_notice,
};
use crate::error::ApiError;
use crate::ops;
use crate::state::AppState;
use crate::web::error::page_error;
use crate::web::form::{CsrfForm, new_form_key};
use crate::web::page::{Page, PageUser, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use theodoi_domain::ids::{TaskId, UpdateNo};
use theodoi_domain::task::{Task, TaskCommand};

#[derive(Debug, Deserialize)]
pub struct ApproveForm {
    back: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ReturnForm {
    reason: Option<String>,
    back: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct BackQuery {
    back: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "updates/return.html")]
struct ReturnPage {
    page: Page,
    task: TaskSummary,
    update: UpdateView,
    action: String,
    back: String,
    key: String,
    version: i64,
    reason: String,
    problems: Problems,
}

/// The page explaining that an action from a list failed, with the way back.
#[derive(Template, WebTemplate)]
#[template(path = "updates/refused.html")]
pub(in crate::web) struct RefusedPage {
    pub page: Page,
    pub message: String,
    pub back: String,
    pub task_link: String,
}

/// Returns the page to go to after an action: the `back` field, else the page that sent the
/// form, else the task.
pub(in crate::web) fn back_of(field: Option<&str>, headers: &HeaderMap, id: TaskId) -> String {
    local_path(field)
        .or_else(|| {
            let referer = headers.get(header::REFERER)?.to_str().ok()?;
            let (_, rest) = referer.split_once("://")?;
            local_path(rest.find('/').map(|slash| &rest[slash..]))
        })
        .unwrap_or_else(|| format!("/tasks/{}", id.0))
}

/// Shows why an action failed: in the inbox when it came from there, else on a page of its own.
pub(in crate::web) async fn refused(
    state: &AppState,
    user: &PageUser,
    error: ApiError,
    back: &str,
    id: TaskId,
) -> Response {
    let page = Page::new(state, user, Section::Tasks, "ui-updates-refused-title");
    let (status, problems) = match form_problems(error, &page) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let message = if problems.fields.is_empty() {
        problems.summary.unwrap_or_default()
    } else {
        problems
            .fields
            .iter()
            .map(|(_, message)| message.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    if back.starts_with("/inbox") {
        return crate::web::inbox::with_problem(state, user, status, message).await;
    }
    let refused = RefusedPage {
        page,
        message,
        back: back.to_owned(),
        task_link: format!("/tasks/{}", id.0),
    };
    (status, refused).into_response()
}

/// `POST /tasks/{id}/updates/{no}/approve`.
pub async fn approve(
    State(state): State<AppState>,
    user: PageUser,
    path: Result<Path<(i64, u32)>, PathRejection>,
    headers: HeaderMap,
    form: CsrfForm<ApproveForm>,
) -> Response {
    let Ok(Path((id, no))) = path else {
        return page_error(ApiError::NotFound, user.lang);
    };
    let id = TaskId(id);
    let back = back_of(form.body.back.as_deref(), &headers, id);
    let key = form.key(user.current.user.id);
    let result = ops::run_command(
        &state,
        &user.current,
        id,
        form.task_version(),
        key.as_ref(),
        TaskCommand::ApproveUpdate {
            update: UpdateNo(no),
        },
        None,
    )
    .await;
    match result {
        Ok(_) => Redirect::to(&with_notice(&back, "update-approved")).into_response(),
        Err(error) => refused(&state, &user, error, &back, id).await,
    }
}

struct ReturnFrame {
    page: Page,
    task: TaskSummary,
    update: UpdateView,
    id: TaskId,
    no: UpdateNo,
    back: String,
    key: String,
    version: i64,
}

impl ReturnFrame {
    fn render(self, status: StatusCode, reason: String, problems: Problems) -> Response {
        let page = ReturnPage {
            page: self.page,
            task: self.task,
            update: self.update,
            action: format!("/tasks/{}/updates/{}/return", self.id.0, self.no.0),
            back: self.back,
            key: self.key,
            version: self.version,
            reason,
            problems,
        };
        (status, page).into_response()
    }
}

/// Loads what the return form shows and the task, or the error page.
async fn return_frame(
    state: &AppState,
    user: &PageUser,
    id: TaskId,
    no: UpdateNo,
    back: String,
    key: String,
) -> Result<(ReturnFrame, Task), Response> {
    let loaded = load_task(state, user, id).await?;
    let page = Page::new(state, user, Section::Tasks, "ui-updates-return-title");
    let update = update_view(state, &page, &loaded.task, &loaded.events, no)
        .await
        .map_err(|error| page_error(error, user.lang))?
        .ok_or_else(|| page_error(ApiError::NotFound, user.lang))?;
    let reference = state.reference();
    let frame = ReturnFrame {
        task: TaskSummary::new(&loaded.row, &page, &reference.orgs),
        page,
        update,
        id,
        no,
        back,
        key,
        version: i64::from(loaded.task.version),
    };
    Ok((frame, loaded.task))
}

/// `GET /tasks/{id}/updates/{no}/return`: the update and a field for the reason.
pub async fn return_form(
    State(state): State<AppState>,
    user: PageUser,
    path: Result<Path<(i64, u32)>, PathRejection>,
    headers: HeaderMap,
    Query(query): Query<BackQuery>,
) -> Response {
    let Ok(Path((id, no))) = path else {
        return page_error(ApiError::NotFound, user.lang);
    };
    let (id, no) = (TaskId(id), UpdateNo(no));
    let back = back_of(query.back.as_deref(), &headers, id);
    let (frame, task) = match return_frame(&state, &user, id, no, back, new_form_key()).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let probed = probe(
        &state,
        &user,
        &task,
        TaskCommand::ReturnUpdate { update: no },
        Some("-"),
    );
    if let Err(error) = probed {
        return page_error(error.into(), user.lang);
    }
    frame.render(StatusCode::OK, String::new(), Problems::default())
}

/// `POST /tasks/{id}/updates/{no}/return`.
pub async fn return_update(
    State(state): State<AppState>,
    user: PageUser,
    path: Result<Path<(i64, u32)>, PathRejection>,
    headers: HeaderMap,
    form: CsrfForm<ReturnForm>,
) -> Response {
    let Ok(Path((id, no))) = path else {
        return page_error(ApiError::NotFound, user.lang);
    };
    let (id, no) = (TaskId(id), UpdateNo(no));
    let back = back_of(form.body.back.as_deref(), &headers, id);
    let reason = form.body.reason.clone().unwrap_or_default();
    let key = form.key(user.current.user.id);
    let result = ops::run_command(
        &state,
        &user.current,
        id,
        form.task_version(),
        key.as_ref(),
        TaskCommand::ReturnUpdate { update: no },
        Some(reason.clone()).filter(|reason| !reason.trim().is_empty()),
    )
    .await;
    let error = match result {
        Ok(_) => return Redirect::to(&with_notice(&back, "update-returned")).into_response(),
        Err(error) => error,
    };

    // The same key again, so that the corrected form still counts once.
    let submitted_key = key.map(|key| key.key).unwrap_or_else(new_form_key);
    let (mut frame, _) = match return_frame(&state, &user, id, no, back, submitted_key).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match &error {
        ApiError::VersionConflict { current } => frame.version = *current,
        _ => frame.version = form.version.unwrap_or(frame.version),
    }
    match form_problems(error, &frame.page) {
        Ok((status, problems)) => frame.render(status, reason, problems),
        Err(response) => *response,
    }
}
