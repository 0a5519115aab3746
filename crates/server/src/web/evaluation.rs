//! The monitoring body's work. Approved updates wait for evaluation, ordered by the
//! 3-working-day evaluation clock, and open the evaluation form. Bodies that are late are urged
//! ("đôn đốc"), and each urging is recorded with its channel.
//!
//! Monitoring officers see what their body monitors. Approvers of a body that delegated work
//! see the sub-tasks of its units, which their body monitors and evaluates.

use super::error::page_error;
use super::form::{CsrfForm, new_form_key};
use super::page::{Page, PageUser, Section};
use super::routes::Routes;
use super::updates::common::{
    Choice, Due, Problems, TaskSummary, UpdateView, channel_label, form_problems, load_task,
    local_path, notice_text, obligation_label, probe, rating_label, update_view, with_notice,
};
use crate::error::ApiError;
use crate::ops;
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use theodoi_domain::DomainError;
use theodoi_domain::error::{Code, ErrorKind, not_one_of};
use theodoi_domain::ids::{TaskId, UpdateNo};
use theodoi_domain::obligation::ObligationKind;
use theodoi_domain::task::event::UrgeChannel;
use theodoi_domain::task::update::Rating;
use theodoi_domain::task::{TaskCommand, TaskStatus};
use theodoi_domain::user::Role;
use theodoi_store::{ObligationFilter, ObligationQuery, PageRequest, Scope, TaskFilter, TaskSort};

pub(super) fn routes(routes: Routes) -> Routes {
    routes
        .add("/queues/evaluation", &["GET"], get(queue))
        .add("/queues/evaluation/urge/{task_id}", &["POST"], post(urge))
        .add(
            "/tasks/{id}/updates/{no}/evaluate",
            &["GET", "POST"],
            get(evaluate_form).post(evaluate),
        )
}

/// Most late tasks listed for urging; the task list filters show the rest.
const URGE_LIMIT: u32 = 100;
/// Most updates listed for evaluation.
const EVALUATION_LIMIT: u32 = 500;

/// An approved update waiting for the body's evaluation.
#[derive(Debug)]
struct EvaluationRow {
    task: TaskSummary,
    no: i64,
    approved_at: String,
    due: Due,
}

/// The urging form of one task, with what was typed when it failed.
#[derive(Debug)]
struct UrgeForm {
    channels: Vec<Choice>,
    reason: String,
    open: bool,
    problems: Problems,
    key: String,
    version: i64,
}

/// A task whose lead body is late on something its monitoring body follows.
#[derive(Debug)]
struct UrgeRow {
    task: TaskSummary,
    /// The late obligations, such as "Xác nhận tiếp nhận — quá hạn 2 giờ".
    late: Vec<String>,
    form: UrgeForm,
}

#[derive(Template, WebTemplate)]
#[template(path = "evaluation/queue.html")]
struct QueuePage {
    page: Page,
    evaluations: Vec<EvaluationRow>,
    urges: Vec<UrgeRow>,
    /// Whether more late tasks exist than are listed.
    more_urges: bool,
    notice: Option<String>,
    problem: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "evaluation/evaluate.html")]
struct EvaluatePage {
    page: Page,
    task: TaskSummary,
    update: UpdateView,
    action: String,
    back: String,
    key: String,
    version: i64,
    ratings: Vec<Choice>,
    comment: String,
    /// The reason the update cannot be evaluated now, such as an evaluation already given.
    blocked: Option<String>,
    problems: Problems,
}

#[derive(Debug, Deserialize)]
pub struct NoticeQuery {
    notice: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct BackQuery {
    back: Option<String>,
}

/// Returns the error page for users other than monitoring officers and approvers, who have the
/// queue because their bodies delegate work.
fn refuse_without_queue_role(user: &PageUser) -> Option<Response> {
    user.current
        .actor()
        .require_any(&[Role::MonitoringOfficer, Role::Approver])
        .err()
        .map(|error| page_error(error.into(), user.lang))
}

fn channel_choices(page: &Page, selected: &str) -> Vec<Choice> {
    UrgeChannel::ALL
        .into_iter()
        .map(|channel| Choice {
            value: channel.as_str().to_owned(),
            label: channel_label(page, channel),
            selected: channel.as_str() == selected,
        })
        .collect()
}

fn rating_choices(page: &Page, selected: &str) -> Vec<Choice> {
    Rating::ALL
        .into_iter()
        .map(|rating| Choice {
            value: rating.as_str().to_owned(),
            label: rating_label(page, rating),
            selected: rating.as_str() == selected,
        })
        .collect()
}

/// The input of a failed urging, to show again.
struct FailedUrge {
    task: TaskId,
    channel: String,
    reason: String,
    problems: Problems,
    key: String,
    version: i64,
}

async fn evaluation_rows(
    state: &AppState,
    user: &PageUser,
    page: &Page,
    scope: &Scope,
) -> Result<Vec<EvaluationRow>, ApiError> {
    let now = state.now();
    let reference = state.reference();
    let monitors = user.has(Role::MonitoringOfficer);
    let obligations = state
        .store
        .list_obligations(
            scope,
            ObligationQuery::Open,
            &ObligationFilter {
                responsible: Some(user.current.user.org_id),
                kinds: vec!["evaluation".into()],
                ..Default::default()
            },
            &PageRequest {
                limit: Some(EVALUATION_LIMIT),
                after: None,
            },
            now,
        )
        .await?;
    let mut rows = Vec::new();
    for obligation in obligations.items {
        let ObligationKind::Evaluation { update } = obligation.obligation.kind else {
            continue;
        };
        let Some(task) = state.store.task_row(scope, obligation.task_id, now).await? else {
            continue;
        };
        // An approver evaluates only the sub-tasks of the body's units.
        if !monitors && task.parent_id.is_none() {
            continue;
        }
        rows.push(EvaluationRow {
            task: TaskSummary::new(&task, page, &reference.orgs),
            no: i64::from(update.0),
            approved_at: page.datetime(&obligation.obligation.opened_at),
            due: Due::new(page, obligation.obligation.due_at, now),
        });
    }
    Ok(rows)
}

/// Tasks the user's body monitors whose lead body has an obligation open past its due time.
async fn urge_rows(
    state: &AppState,
    page: &Page,
    scope: &Scope,
    user: &PageUser,
    failed: Option<&FailedUrge>,
) -> Result<(Vec<UrgeRow>, bool), ApiError> {
    let now = state.now();
    let reference = state.reference();
    let filter = TaskFilter {
        monitoring_body: Some(user.current.user.org_id),
        statuses: vec![
            TaskStatus::AwaitingReceipt,
            TaskStatus::InProgress,
            TaskStatus::DoneNotCompleted,
        ],
        breached: true,
        ..Default::default()
    };
    let tasks = state
        .store
        .list_tasks(
            scope,
            &filter,
            TaskSort::Deadline,
            &PageRequest {
                limit: Some(URGE_LIMIT),
                after: None,
            },
            now,
        )
        .await?;
    let mut rows = Vec::new();
    for task in &tasks.items {
        let obligations = state
            .store
            .list_obligations(
                scope,
                ObligationQuery::Open,
                &ObligationFilter {
                    task_id: Some(task.id),
                    responsible: Some(task.lead_body),
                    ..Default::default()
                },
                &PageRequest::default(),
                now,
            )
            .await?;
        let late: Vec<String> = obligations
            .items
            .iter()
            .filter(|row| row.obligation.due_at < now)
            .map(|row| {
                let due = Due::new(page, row.obligation.due_at, now);
                format!(
                    "{} — {}",
                    obligation_label(page, row.obligation.kind),
                    due.relative
                )
            })
            .collect();
        // A task late only in the past, and on time now, needs no urging.
        if late.is_empty() {
            continue;
        }
        let form = match failed.filter(|failed| failed.task == task.id) {
            Some(failed) => UrgeForm {
                channels: channel_choices(page, &failed.channel),
                reason: failed.reason.clone(),
                open: true,
                problems: failed.problems.clone(),
                key: failed.key.clone(),
                version: failed.version,
            },
            None => UrgeForm {
                channels: channel_choices(page, ""),
                reason: String::new(),
                open: false,
                problems: Problems::default(),
                key: new_form_key(),
                version: task.version,
            },
        };
        rows.push(UrgeRow {
            task: TaskSummary::new(task, page, &reference.orgs),
            late,
            form,
        });
    }
    Ok((rows, tasks.next_cursor.is_some()))
}

async fn render_queue(
    state: &AppState,
    user: &PageUser,
    status: StatusCode,
    notice: Option<&str>,
    failed: Option<FailedUrge>,
) -> Response {
    if let Some(response) = refuse_without_queue_role(user) {
        return response;
    }
    let page = Page::new(state, user, Section::EvaluationQueue, "ui-evaluation-title");
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    let evaluations = match evaluation_rows(state, user, &page, &scope).await {
        Ok(rows) => rows,
        Err(error) => return page_error(error, user.lang),
    };
    let (urges, more_urges) = match urge_rows(state, &page, &scope, user, failed.as_ref()).await {
        Ok(found) => found,
        Err(error) => return page_error(error, user.lang),
    };
    // A failure on a task no longer listed is shown on top instead of next to its form.
    let problem = failed
        .filter(|failed| urges.iter().all(|row| row.task.id != failed.task.0))
        .map(|failed| {
            let mut lines: Vec<String> = failed.problems.summary.into_iter().collect();
            lines.extend(
                failed
                    .problems
                    .fields
                    .into_iter()
                    .map(|(_, message)| message),
            );
            lines.join(" ")
        });
    let queue = QueuePage {
        notice: notice_text(&page, notice),
        page,
        evaluations,
        urges,
        more_urges,
        problem,
    };
    (status, queue).into_response()
}

/// `GET /queues/evaluation`.
pub async fn queue(
    State(state): State<AppState>,
    user: PageUser,
    Query(query): Query<NoticeQuery>,
) -> Response {
    render_queue(&state, &user, StatusCode::OK, query.notice.as_deref(), None).await
}

#[derive(Debug, Deserialize)]
pub struct UrgeBody {
    channel: Option<String>,
    reason: Option<String>,
}

fn parse_channel(value: Option<&str>) -> Result<UrgeChannel, DomainError> {
    match value.map(str::trim) {
        None | Some("") => Err(DomainError::field("channel", Code::Required, vec![])),
        Some(value) => UrgeChannel::parse(value).ok_or_else(|| {
            not_one_of(
                "channel",
                UrgeChannel::ALL.into_iter().map(UrgeChannel::as_str),
            )
        }),
    }
}

/// `POST /queues/evaluation/urge/{task_id}`: records an urging act and returns to the queue.
pub async fn urge(
    State(state): State<AppState>,
    user: PageUser,
    path: Result<Path<i64>, PathRejection>,
    form: CsrfForm<UrgeBody>,
) -> Response {
    // The form belongs to the queue: without the queue's roles the answer is the queue's 403,
    // given before the task is looked up so that it says nothing about the task.
    if let Some(refused) = refuse_without_queue_role(&user) {
        return refused;
    }
    let Ok(Path(id)) = path else {
        return page_error(ApiError::NotFound, user.lang);
    };
    let id = TaskId(id);
    let key = form.key(user.current.user.id);
    let reason = form.body.reason.clone().unwrap_or_default();
    let result = match parse_channel(form.body.channel.as_deref()) {
        Ok(channel) => {
            ops::run_command(
                &state,
                &user.current,
                id,
                form.task_version(),
                key.as_ref(),
                TaskCommand::Urge { channel },
                Some(reason.clone()).filter(|reason| !reason.trim().is_empty()),
            )
            .await
        }
        Err(error) => Err(error.into()),
    };
    let error = match result {
        Ok(_) => {
            let target = with_notice(&format!("/queues/evaluation#task-{}", id.0), "urged");
            return Redirect::to(&target).into_response();
        }
        Err(error) => error,
    };
    let page = Page::new(
        &state,
        &user,
        Section::EvaluationQueue,
        "ui-evaluation-title",
    );
    let version = match &error {
        ApiError::VersionConflict { current } => *current,
        _ => form.version.unwrap_or_default(),
    };
    let (status, problems) = match form_problems(error, &page) {
        Ok(found) => found,
        Err(response) => return *response,
    };
    let failed = FailedUrge {
        task: id,
        channel: form.body.channel.clone().unwrap_or_default(),
        reason,
        problems,
        key: key.map(|key| key.key).unwrap_or_else(new_form_key),
        version,
    };
    render_queue(&state, &user, status, None, Some(failed)).await
}

#[derive(Debug, Deserialize)]
pub struct EvaluateBody {
    rating: Option<String>,
    comment: Option<String>,
    back: Option<String>,
}

struct EvaluateFrame {
    page: Page,
    task: TaskSummary,
    update: UpdateView,
    id: TaskId,
    no: UpdateNo,
    back: String,
    key: String,
    version: i64,
    blocked: Option<String>,
}

impl EvaluateFrame {
    fn render(
        self,
        status: StatusCode,
        rating: &str,
        comment: String,
        problems: Problems,
    ) -> Response {
        let ratings = rating_choices(&self.page, rating);
        let page = EvaluatePage {
            page: self.page,
            task: self.task,
            update: self.update,
            action: format!("/tasks/{}/updates/{}/evaluate", self.id.0, self.no.0),
            back: self.back,
            key: self.key,
            version: self.version,
            ratings,
            comment,
            blocked: self.blocked,
            problems,
        };
        (status, page).into_response()
    }
}

/// Loads the update to evaluate, with the reason it cannot be evaluated now if there is one.
/// Users who may never evaluate it get the error page.
async fn evaluate_frame(
    state: &AppState,
    user: &PageUser,
    id: TaskId,
    no: UpdateNo,
    back: String,
    key: String,
) -> Result<EvaluateFrame, Response> {
    let loaded = load_task(state, user, id).await?;
    let page = Page::new(
        state,
        user,
        Section::EvaluationQueue,
        "ui-evaluation-form-title",
    );
    let update = update_view(state, &page, &loaded.task, &loaded.events, no)
        .await
        .map_err(|error| page_error(error, user.lang))?
        .ok_or_else(|| page_error(ApiError::NotFound, user.lang))?;
    let probed = probe(
        state,
        user,
        &loaded.task,
        TaskCommand::EvaluateUpdate {
            update: no,
            rating: Rating::Good,
            comment: None,
        },
        None,
    );
    let blocked = match probed {
        Ok(()) => None,
        Err(error) if error.kind == ErrorKind::Conflict => {
            Some(theodoi_i18n::catalogue().error(user.lang, &error).message)
        }
        Err(error) => return Err(page_error(error.into(), user.lang)),
    };
    let reference = state.reference();
    Ok(EvaluateFrame {
        task: TaskSummary::new(&loaded.row, &page, &reference.orgs),
        page,
        update,
        id,
        no,
        back,
        key,
        version: i64::from(loaded.task.version),
        blocked,
    })
}

fn default_back() -> String {
    "/queues/evaluation".to_owned()
}

/// `GET /tasks/{id}/updates/{no}/evaluate`.
pub async fn evaluate_form(
    State(state): State<AppState>,
    user: PageUser,
    path: Result<Path<(i64, u32)>, PathRejection>,
    Query(query): Query<BackQuery>,
) -> Response {
    let Ok(Path((id, no))) = path else {
        return page_error(ApiError::NotFound, user.lang);
    };
    let back = local_path(query.back.as_deref()).unwrap_or_else(default_back);
    match evaluate_frame(
        &state,
        &user,
        TaskId(id),
        UpdateNo(no),
        back,
        new_form_key(),
    )
    .await
    {
        Ok(frame) => frame.render(StatusCode::OK, "", String::new(), Problems::default()),
        Err(response) => response,
    }
}

fn parse_rating(value: Option<&str>) -> Result<Rating, DomainError> {
    match value.map(str::trim) {
        None | Some("") => Err(DomainError::field("rating", Code::Required, vec![])),
        Some(value) => Rating::parse(value)
            .ok_or_else(|| not_one_of("rating", Rating::ALL.into_iter().map(Rating::as_str))),
    }
}

/// `POST /tasks/{id}/updates/{no}/evaluate`.
pub async fn evaluate(
    State(state): State<AppState>,
    user: PageUser,
    path: Result<Path<(i64, u32)>, PathRejection>,
    form: CsrfForm<EvaluateBody>,
) -> Response {
    let Ok(Path((id, no))) = path else {
        return page_error(ApiError::NotFound, user.lang);
    };
    let (id, no) = (TaskId(id), UpdateNo(no));
    let back = local_path(form.body.back.as_deref()).unwrap_or_else(default_back);
    let key = form.key(user.current.user.id);
    let comment = form.body.comment.clone().unwrap_or_default();
    let result = match parse_rating(form.body.rating.as_deref()) {
        Ok(rating) => {
            ops::run_command(
                &state,
                &user.current,
                id,
                form.task_version(),
                key.as_ref(),
                TaskCommand::EvaluateUpdate {
                    update: no,
                    rating,
                    comment: Some(comment.clone()).filter(|comment| !comment.trim().is_empty()),
                },
                None,
            )
            .await
        }
        Err(error) => Err(error.into()),
    };
    let error = match result {
        Ok(_) => return Redirect::to(&with_notice(&back, "update-evaluated")).into_response(),
        Err(error) => error,
    };

    let submitted_key = key.map(|key| key.key).unwrap_or_else(new_form_key);
    let mut frame = match evaluate_frame(&state, &user, id, no, back, submitted_key).await {
        Ok(frame) => frame,
        Err(response) => return response,
    };
    match &error {
        ApiError::VersionConflict { current } => frame.version = *current,
        _ => frame.version = form.version.unwrap_or(frame.version),
    }
    let rating = form.body.rating.clone().unwrap_or_default();
    match form_problems(error, &frame.page) {
        Ok((status, problems)) => frame.render(status, &rating, comment, problems),
        Err(response) => *response,
    }
}
