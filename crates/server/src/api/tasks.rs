//! Reading tasks: the filtered list, one task, its history, its obligations and its result
//! state at a past date; and creating tasks of a document.

use super::inputs::{NewTaskBody, parse_code};
use super::support::{load_task_view, require_visible, versioned};
use super::views::{
    Named, ObligationView, OrgRef, TaskView, obligation_view, org_ref, result_named,
};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery, Creating};
use crate::ops;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};
use theodoi_domain::DomainError;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::parse_date;
use theodoi_domain::error::{Code, DomainResult, Violations};
use theodoi_domain::ids::{DocumentId, GroupId, OrgId, TaskId};
use theodoi_domain::result::{ResultState, result_state_at};
use theodoi_domain::task::{NewTaskInput, TaskStatus};
use theodoi_store::{Cursor, PageRequest, TaskFilter, TaskRow, TaskSort};
use utoipa::{IntoParams, ToSchema};

/// Filters, sort and page of the task list. Lists take comma-separated values.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TaskListQuery {
    /// Result states, e.g. `in_progress_overdue,not_started_overdue`.
    pub result_state: Option<String>,
    /// Lifecycle statuses, e.g. `awaiting_receipt,returned`.
    pub status: Option<String>,
    /// Lead body id.
    pub lead_body: Option<i64>,
    /// With `lead_body`: include units below it.
    pub include_subunits: Option<bool>,
    /// A body involved in any role (lead, coordinating, monitoring, assigning).
    pub body: Option<i64>,
    pub monitoring_body: Option<i64>,
    pub priority: Option<String>,
    pub scope: Option<String>,
    pub executing_unit: Option<String>,
    pub other: Option<String>,
    /// Confidentiality levels: normal, confidential, secret.
    pub confidentiality: Option<String>,
    pub document: Option<i64>,
    pub group: Option<i64>,
    pub parent: Option<i64>,
    /// true for sub-tasks only, false for tasks of documents only.
    pub subtasks: Option<bool>,
    /// true for tasks with a deadline, false for tasks without.
    pub has_deadline: Option<bool>,
    /// `YYYY-MM-DD`, inclusive.
    pub deadline_from: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub deadline_to: Option<String>,
    /// Only tasks with a breached obligation.
    pub breached: Option<bool>,
    /// Words to find in content, symbol or title, with or without diacritics.
    pub q: Option<String>,
    /// deadline (default), updated or newest.
    pub sort: Option<String>,
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Language of names and messages in the response: vi (default) or en.
    #[expect(
        dead_code,
        reason = "read from the query string by the localize middleware"
    )]
    pub lang: Option<String>,
}

fn split(value: &Option<String>) -> Vec<&str> {
    value
        .as_deref()
        .map(|value| {
            value
                .split(',')
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn optional_date(violations: &mut Violations, field: &str, value: &Option<String>) -> Option<Date> {
    value
        .as_deref()
        .filter(|value| !value.trim().is_empty())
        .and_then(|value| violations.check(parse_date(field, value)))
}

/// Rejects a page size outside 1 to [`theodoi_store::MAX_PAGE`], naming the `limit` field.
pub fn check_page_limit(limit: Option<u32>) -> ApiResult<()> {
    match limit {
        Some(limit) if !(1..=theodoi_store::MAX_PAGE).contains(&limit) => {
            let max = i64::from(theodoi_store::MAX_PAGE);
            Err(DomainError::field(
                "limit",
                Code::OutOfRange,
                vec![("min", 1i64.into()), ("max", max.into())],
            )
            .into())
        }
        _ => Ok(()),
    }
}

/// Turns `limit` and `cursor` into a page request for a list sorted by `sort`; a cursor from
/// another sort order is rejected rather than silently restarting the list.
pub fn page_request(
    limit: Option<u32>,
    cursor: &Option<String>,
    sort: &str,
) -> ApiResult<PageRequest> {
    check_page_limit(limit)?;
    let after = match cursor.as_deref().filter(|value| !value.is_empty()) {
        None => None,
        Some(value) => Some(
            Cursor::decode(value)
                .filter(|cursor| cursor.sort == sort)
                .ok_or(ApiError::BadRequest {
                    code: "request-cursor-invalid",
                    detail: String::new(),
                })?,
        ),
    };
    Ok(PageRequest { limit, after })
}

impl TaskListQuery {
    fn filter(&self) -> DomainResult<(TaskFilter, TaskSort)> {
        let mut violations = Violations::new();
        let mut filter = TaskFilter::default();
        for value in split(&self.result_state) {
            if let Some(state) = violations.check(parse_code(
                "result_state",
                value,
                &ResultState::ALL.map(ResultState::as_str),
                ResultState::parse,
            )) {
                filter.result_states.push(state);
            }
        }
        for value in split(&self.status) {
            if let Some(status) = violations.check(parse_code(
                "status",
                value,
                &TaskStatus::ALL.map(TaskStatus::as_str),
                TaskStatus::parse,
            )) {
                filter.statuses.push(status);
            }
        }
        filter.lead_body = self.lead_body.map(OrgId);
        filter.include_subunits = self.include_subunits.unwrap_or(false);
        filter.body = self.body.map(OrgId);
        filter.monitoring_body = self.monitoring_body.map(OrgId);
        filter.priority = self.priority.clone();
        filter.scope = self.scope.clone();
        filter.executing_unit = self.executing_unit.clone();
        filter.other_class = self.other.clone();
        for value in split(&self.confidentiality) {
            let allowed = ["normal", "confidential", "secret"];
            if let Some(level) = violations.check(parse_code(
                "confidentiality",
                value,
                &allowed,
                Confidentiality::parse,
            )) {
                filter.confidentiality.push(level);
            }
        }
        filter.document_id = self.document.map(DocumentId);
        filter.group_id = self.group.map(GroupId);
        filter.parent_id = self.parent.map(TaskId);
        filter.subtasks = self.subtasks;
        filter.has_deadline = self.has_deadline;
        filter.deadline_from = optional_date(&mut violations, "deadline_from", &self.deadline_from);
        filter.deadline_to = optional_date(&mut violations, "deadline_to", &self.deadline_to);
        filter.breached = self.breached.unwrap_or(false);
        filter.text = self.q.clone();
        let sort = match self.sort.as_deref() {
            None | Some("") => TaskSort::Deadline,
            Some(value) => violations
                .check(parse_code(
                    "sort",
                    value,
                    &["deadline", "updated", "newest"],
                    TaskSort::parse,
                ))
                .unwrap_or_default(),
        };
        violations.finish()?;
        Ok((filter, sort))
    }
}

/// One row of the task list.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskListItem {
    pub id: i64,
    pub version: i64,
    pub document_id: i64,
    pub document_symbol: String,
    pub parent_id: Option<i64>,
    pub ordinal: i64,
    /// Absent for classified tasks.
    pub content: Option<String>,
    pub lead_body: OrgRef,
    pub monitoring_body: OrgRef,
    pub priority: String,
    pub scope: String,
    pub executing_unit: String,
    pub confidentiality: String,
    pub deadline: Option<Date>,
    pub status: Named,
    /// Result state today; absent for drafts and cancelled tasks.
    pub result_state: Option<Named>,
    pub percent: Option<i64>,
    pub rollup_percent: Option<i64>,
    pub subtask_count: i64,
    pub updated_at: Timestamp,
}

fn list_item(row: &TaskRow, orgs: &dyn theodoi_domain::org::OrgDirectory) -> TaskListItem {
    TaskListItem {
        id: row.id.0,
        version: row.version,
        document_id: row.document_id.0,
        document_symbol: row.document_symbol.clone(),
        parent_id: row.parent_id.map(|id| id.0),
        ordinal: row.ordinal,
        content: row.content.clone(),
        lead_body: org_ref(orgs, row.lead_body),
        monitoring_body: org_ref(orgs, row.monitoring_body),
        priority: row.priority.clone(),
        scope: row.scope.clone(),
        executing_unit: row.executing_unit.clone(),
        confidentiality: row.confidentiality.clone(),
        deadline: row.deadline,
        status: super::views::named(
            &row.status,
            &format!("task-status-{}", row.status.replace('_', "-")),
        ),
        result_state: result_named(row.result_state),
        percent: row.percent,
        rollup_percent: row.rollup_percent,
        subtask_count: row.subtask_count,
        updated_at: row.updated_at,
    }
}

/// A page of tasks.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskPage {
    pub items: Vec<TaskListItem>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Lists the tasks the user may see.
#[utoipa::path(get, path = "/api/v1/tasks", tag = "tasks", params(TaskListQuery),
    responses((status = 200, body = TaskPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<TaskListQuery>,
) -> ApiResult<Json<TaskPage>> {
    let (filter, sort) = query.filter()?;
    let page = page_request(query.limit, &query.cursor, sort.name())?;
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    let result = state
        .store
        .list_tasks(&scope, &filter, sort, &page, state.now())
        .await?;
    Ok(Json(TaskPage {
        items: result
            .items
            .iter()
            .map(|row| list_item(row, &reference.orgs))
            .collect(),
        next_cursor: result.next_cursor,
    }))
}

/// Counts per result state.
#[derive(Debug, Serialize, ToSchema)]
pub struct StateCount {
    pub result_state: Named,
    pub count: i64,
}

/// Counts of the filtered tasks by result state today.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskCounts {
    /// Tasks with a result state; the list also shows drafts and cancelled tasks, counted in
    /// `without_result_state`.
    pub total: i64,
    pub without_result_state: i64,
    pub by_result_state: Vec<StateCount>,
}

/// Counts the tasks the user may see, by result state, with the same filters as the list.
#[utoipa::path(get, path = "/api/v1/tasks/counts", tag = "tasks", params(TaskListQuery),
    responses((status = 200, body = TaskCounts), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn counts(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<TaskListQuery>,
) -> ApiResult<Json<TaskCounts>> {
    let (filter, sort) = query.filter()?;
    // The counts take the list's query so that a client can reuse the list's URL. The page
    // parameters do not change the counts, but an invalid one is still rejected as it is by
    // the list, rather than accepted here and refused there.
    page_request(query.limit, &query.cursor, sort.name())?;
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    let counts = state
        .store
        .count_by_state(&scope, &filter, state.now())
        .await?;
    Ok(Json(TaskCounts {
        total: counts.total,
        without_result_state: counts.without_result_state,
        by_result_state: counts
            .counts
            .into_iter()
            .map(|(result_state, count)| StateCount {
                result_state: super::views::named(
                    result_state.as_str(),
                    &result_state.message_id(),
                ),
                count,
            })
            .collect(),
    }))
}

/// Shows a task with its updates, deadline history, sub-tasks and obligations.
#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "tasks",
    params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, body = TaskView, headers(("ETag" = String, description = "Task version"))), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    let scope = user.scope(&state.reference().orgs);
    let view = load_task_view(&state, &scope, TaskId(id)).await?;
    Ok(versioned(StatusCode::OK, view.version, view))
}

/// One event of a task's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    /// Global order of commits.
    pub id: i64,
    /// Position in the task's history; the task's version after it.
    pub seq: u32,
    /// Event type, such as `transferred` or `update_approved`.
    #[serde(rename = "type")]
    pub kind: String,
    pub at: Timestamp,
    pub actor: Option<i64>,
    pub body: Option<OrgRef>,
    pub reason: Option<String>,
    /// The event's facts, including the due times it set.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

/// Lists a task's events, oldest first. Events are never edited.
#[utoipa::path(get, path = "/api/v1/tasks/{id}/events", tag = "tasks",
    params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, body = Vec<EventView>), (status = 404, body = ErrorBody)))]
pub async fn events(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<EventView>>> {
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    require_visible(&state, &scope, TaskId(id)).await?;
    let history = state
        .store
        .task(TaskId(id))
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(
        history
            .events
            .iter()
            .map(|stored| EventView {
                id: stored.id,
                seq: stored.event.seq,
                kind: stored.event.change.name().to_owned(),
                at: stored.event.at,
                actor: stored.event.actor.map(|user| user.0),
                body: stored.event.body.map(|body| org_ref(&reference.orgs, body)),
                reason: stored.event.reason.clone(),
                data: serde_json::to_value(&stored.event.change).unwrap_or_default(),
            })
            .collect(),
    ))
}

/// Lists a task's obligations with their status now.
#[utoipa::path(get, path = "/api/v1/tasks/{id}/obligations", tag = "obligations",
    params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, body = Vec<ObligationView>), (status = 404, body = ErrorBody)))]
pub async fn obligations(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<ObligationView>>> {
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    require_visible(&state, &scope, TaskId(id)).await?;
    let history = state
        .store
        .task(TaskId(id))
        .await?
        .ok_or(ApiError::NotFound)?;
    let now = state.now();
    Ok(Json(
        theodoi_domain::obligation::obligations(&history.domain_events())
            .iter()
            .map(|obligation| {
                obligation_view(obligation, now, &reference.orgs, &reference.calendar)
            })
            .collect(),
    ))
}

/// The date to judge a result state at.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ResultQuery {
    /// `YYYY-MM-DD`: the state at the end of that day in Asia/Ho_Chi_Minh, from the history
    /// recorded by then. Today when absent.
    pub on: Option<String>,
    /// Language of names and messages in the response: vi (default) or en.
    #[expect(
        dead_code,
        reason = "read from the query string by the localize middleware"
    )]
    pub lang: Option<String>,
}

/// A task's result state on a date.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultView {
    pub on: Date,
    /// Absent when the task did not exist, was not transferred or was cancelled then.
    pub result_state: Option<Named>,
    /// The deadline in force then.
    pub deadline: Option<Date>,
}

/// Computes a task's result state on any date, from the events recorded by its end.
#[utoipa::path(get, path = "/api/v1/tasks/{id}/result", tag = "tasks",
    params(("id" = i64, Path, description = "Task id"), ResultQuery),
    responses((status = 200, body = ResultView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn result(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(query): ApiQuery<ResultQuery>,
) -> ApiResult<Json<ResultView>> {
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    require_visible(&state, &scope, TaskId(id)).await?;
    let now = state.now();
    let on = match query.on.as_deref() {
        None | Some("") => theodoi_calendar::local_date(now),
        Some(value) => parse_date("on", value)?,
    };
    // The last instant of that day: a task due on it is still on time. A future date is
    // judged on today's facts, as they would stand then if nothing changes.
    let end = theodoi_calendar::end_of_day(on)
        .checked_sub(jiff::SignedDuration::from_millis(1))
        .map_err(|_| DomainError::field("on", Code::InvalidValue, vec![]))?;
    let facts_at = end.min(now);
    let history = state
        .store
        .task(TaskId(id))
        .await?
        .ok_or(ApiError::NotFound)?;
    let events = history.domain_events();
    let task = theodoi_domain::task::Task::replay_until(TaskId(id), &events, facts_at);
    let result_state = if end <= now {
        result_state_at(TaskId(id), &events, end)
    } else {
        task.as_ref()
            .and_then(|task| task.result_facts().state_on(on))
    };
    Ok(Json(ResultView {
        on,
        result_state: result_named(result_state),
        deadline: task.and_then(|task| task.deadline_at(facts_at)),
    }))
}

/// Adds a task to a document. Needs the Central Office role.
#[utoipa::path(post, path = "/api/v1/documents/{id}/tasks", tag = "tasks",
    params(("id" = i64, Path, description = "Document id"), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request create the task once")),
    request_body = NewTaskBody,
    responses((status = 201, body = TaskView, description = "Created"),
        (status = 200, body = TaskView, description = "Created earlier by a request with the same Idempotency-Key and body"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(document_id): ApiPath<i64>,
    creating: Creating<NewTaskBody>,
) -> ApiResult<Response> {
    let input: NewTaskInput = creating.body.clone().into();
    let key = creating.key(user.user.id);
    let created =
        ops::create_task(&state, &user, DocumentId(document_id), &input, key.as_ref()).await?;
    let status = if created.replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let task = &created.value.task;
    super::support::task_response(&state, &user, task.id, task.version, status).await
}
