//! The inbox of a body's focal officers ("việc cần làm"): what the body must do, the most
//! urgent first, in sections. Tasks to confirm, progress reports due, updates waiting for
//! approval or returned for fixing, evaluations of its units' updates, units that are late, and
//! tasks it returned that wait for the Central Office. The sections reload when a task the user
//! may see changes.

use super::error::page_error;
use super::form::{CsrfForm, new_form_key};
use super::page::{Page, PageUser, Section};
use super::routes::Routes;
use super::updates::common::{
    Due, TaskSummary, notice_text, obligation_label, org_name, probe, return_reason, user_names,
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
use jiff::Timestamp;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use theodoi_domain::ids::{OrgId, TaskId};
use theodoi_domain::obligation::{ObligationKind, obligations};
use theodoi_domain::task::event::{FeedbackKind, TaskChange};
use theodoi_domain::task::update::{UpdateInput, UpdateState};
use theodoi_domain::task::{TaskCommand, TaskStatus};
use theodoi_domain::user::Role;
use theodoi_i18n::catalogue;
use theodoi_store::{
    ObligationFilter, ObligationQuery, ObligationRow, PageRequest, Scope, TaskFilter, TaskRow,
    TaskSort,
};

pub(super) fn routes(routes: Routes) -> Routes {
    routes
        .add("/inbox", &["GET"], get(show))
        .add("/inbox/sections", &["GET"], get(fragment))
        .add("/inbox/receipt/{id}", &["POST"], post(confirm_receipt))
}

/// A task waiting for the body to confirm receipt.
#[derive(Debug)]
struct ReceiptItem {
    task: TaskSummary,
    due: Option<Due>,
    key: String,
}

/// A progress report the body owes.
#[derive(Debug)]
struct ReportItem {
    task_id: i64,
    reference: String,
    content: String,
    kind: String,
    due: Due,
    /// The page for writing the report: a new update, or the one already open.
    action: String,
    action_label: String,
    /// Whether the action writes the report, rather than only showing the task.
    writes: bool,
}

/// An update waiting for approval or returned to its updater.
#[derive(Debug)]
struct OpenUpdateItem {
    task: TaskSummary,
    no: i64,
    drafted_by: String,
    changed_at: String,
    return_reason: Option<String>,
    can_approve: bool,
    can_return: bool,
    can_edit: bool,
    /// The reason an approver of the body may not approve it, such as having written it.
    note: Option<String>,
    key: String,
}

/// An approved update of a unit's sub-task that the body evaluates.
#[derive(Debug)]
struct EvaluationItem {
    task: TaskSummary,
    no: i64,
    due: Due,
}

/// An overdue obligation of a unit below the body.
#[derive(Debug)]
struct UnitItem {
    unit: String,
    task_id: i64,
    reference: String,
    content: String,
    kind: String,
    due: Due,
}

/// A task the body returned with feedback, waiting for the assigning side.
#[derive(Debug)]
struct ReturnedItem {
    task: TaskSummary,
    kind: String,
    reason: Option<String>,
    sent_at: String,
    handling_due: Option<Due>,
}

#[derive(Template, WebTemplate)]
#[template(path = "inbox/sections.html")]
struct Sections {
    page: Page,
    receipts: Vec<ReceiptItem>,
    reports: Vec<ReportItem>,
    approvals: Vec<OpenUpdateItem>,
    fixes: Vec<OpenUpdateItem>,
    evaluations: Vec<EvaluationItem>,
    units: Vec<UnitItem>,
    returned: Vec<ReturnedItem>,
    /// Items that need the body's action, and those of them past their due time.
    total: i64,
    overdue: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "inbox/page.html")]
struct InboxPage {
    page: Page,
    sections_html: String,
    notice: Option<String>,
    problem: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct InboxQuery {
    notice: Option<String>,
}

/// How far ahead the inbox lists reports: a final report due months later is not work for now,
/// and the task list shows it.
const REPORT_HORIZON: jiff::SignedDuration = jiff::SignedDuration::from_hours(30 * 24);

/// Items listed per section. A body with more open items has the task list and its filters.
/// Each listed update costs a task's history, so a provincial committee with 942 open updates
/// (a million generated tasks) took 6 s and 3 MB per inbox at the page limit of 500.
const SECTION_ITEMS: u32 = 100;

/// Returns the first page of up to [`SECTION_ITEMS`] rows.
fn first_page() -> PageRequest {
    PageRequest {
        limit: Some(SECTION_ITEMS),
        after: None,
    }
}

fn feedback_label(page: &Page, kind: FeedbackKind) -> String {
    match kind {
        FeedbackKind::WrongContent => page.t("ui-inbox-feedback-wrong-content"),
        FeedbackKind::OutsideAuthority => page.t("ui-inbox-feedback-outside-authority"),
    }
}

fn obligation_content(page: &Page, row: &ObligationRow) -> String {
    row.task_content
        .clone()
        .unwrap_or_else(|| page.t("ui-updates-classified-content"))
}

async fn open_obligations(
    state: &AppState,
    scope: &Scope,
    filter: &ObligationFilter,
) -> Result<Vec<ObligationRow>, ApiError> {
    let rows = state
        .store
        .list_obligations(
            scope,
            ObligationQuery::Open,
            filter,
            &first_page(),
            state.now(),
        )
        .await?;
    Ok(rows.items)
}

async fn task_rows(
    state: &AppState,
    scope: &Scope,
    filter: &TaskFilter,
) -> Result<Vec<TaskRow>, ApiError> {
    let rows = state
        .store
        .list_tasks(
            scope,
            filter,
            TaskSort::Deadline,
            &first_page(),
            state.now(),
        )
        .await?;
    Ok(rows.items)
}

/// The queries behind the sections of `user`'s inbox.
struct Loader<'a> {
    state: &'a AppState,
    user: &'a PageUser,
    page: &'a Page,
    scope: Scope,
    body: OrgId,
    now: Timestamp,
}

impl Loader<'_> {
    fn summary(&self, row: &TaskRow) -> TaskSummary {
        TaskSummary::new(row, self.page, &self.state.reference().orgs)
    }

    async fn receipts(&self) -> Result<Vec<ReceiptItem>, ApiError> {
        let filter = TaskFilter {
            statuses: vec![TaskStatus::AwaitingReceipt],
            lead_body: Some(self.body),
            ..Default::default()
        };
        let rows = task_rows(self.state, &self.scope, &filter).await?;
        let dues = open_obligations(
            self.state,
            &self.scope,
            &ObligationFilter {
                responsible: Some(self.body),
                kinds: vec!["receipt".into()],
                ..Default::default()
            },
        )
        .await?;
        let mut items: Vec<ReceiptItem> = rows
            .iter()
            .map(|row| ReceiptItem {
                task: self.summary(row),
                due: dues
                    .iter()
                    .filter(|due| due.task_id == row.id)
                    .map(|due| due.obligation.due_at)
                    .max()
                    .map(|due_at| Due::new(self.page, due_at, self.now)),
                key: new_form_key(),
            })
            .collect();
        items.sort_by(|a, b| {
            let at = |item: &ReceiptItem| item.due.as_ref().map(|due| due.iso.clone());
            at(a).cmp(&at(b))
        });
        Ok(items)
    }

    /// Reports owed now: checkpoints whose period has opened, requested updates and final
    /// reports, due within [`REPORT_HORIZON`], earliest due (so the breached ones) first. Tasks
    /// in `unreceived` are left out: the body confirms receipt before it reports.
    async fn reports(
        &self,
        open_updates: &HashMap<TaskId, i64>,
        unreceived: &HashSet<TaskId>,
    ) -> Result<Vec<ReportItem>, ApiError> {
        let rows = open_obligations(
            self.state,
            &self.scope,
            &ObligationFilter {
                responsible: Some(self.body),
                kinds: vec![
                    "checkpoint".into(),
                    "requested_update".into(),
                    "final_report".into(),
                ],
                ..Default::default()
            },
        )
        .await?;
        let may_write = self.user.has(Role::Updater);
        let horizon = self.now + REPORT_HORIZON;
        Ok(rows
            .iter()
            .filter(|row| row.obligation.opened_at <= self.now && row.obligation.due_at <= horizon)
            .filter(|row| !unreceived.contains(&row.task_id))
            .map(|row| {
                let (action, action_label) = match open_updates.get(&row.task_id) {
                    Some(no) if may_write => (
                        format!("/tasks/{}/updates/{no}/edit?back=/inbox", row.task_id.0),
                        self.page.t("ui-inbox-continue-update"),
                    ),
                    None if may_write => (
                        format!("/tasks/{}/updates/new?back=/inbox", row.task_id.0),
                        self.page.t("ui-inbox-write-update"),
                    ),
                    _ => (
                        format!("/tasks/{}", row.task_id.0),
                        self.page.t("ui-inbox-view-task"),
                    ),
                };
                let writes = may_write;
                ReportItem {
                    task_id: row.task_id.0,
                    reference: row.document_symbol.clone(),
                    content: obligation_content(self.page, row),
                    kind: obligation_label(self.page, row.obligation.kind),
                    due: Due::new(self.page, row.obligation.due_at, self.now),
                    action,
                    action_label,
                    writes,
                }
            })
            .collect())
    }

    /// Updates waiting for approval and updates returned for fixing, with what this user may do
    /// to each, decided by the same rules the commands apply.
    async fn open_updates(&self) -> Result<(Vec<OpenUpdateItem>, Vec<OpenUpdateItem>), ApiError> {
        let ids = self
            .state
            .store
            .tasks_with_open_update(&self.scope, self.body, false, i64::from(SECTION_ITEMS))
            .await?;
        let mut rows = self
            .state
            .store
            .task_rows(&self.scope, &ids, self.now)
            .await?;
        let histories = self.state.store.tasks(&ids).await?;
        let authors = histories
            .values()
            .filter_map(|history| history.task.open_draft())
            .flat_map(|update| update.authors.iter().copied());
        let names = user_names(self.state, authors).await?;
        let mut approvals = Vec::new();
        let mut fixes = Vec::new();
        for id in ids {
            let (Some(row), Some(history)) = (rows.remove(&id), histories.get(&id)) else {
                continue;
            };
            let task = &history.task;
            let Some(update) = task.open_draft() else {
                continue;
            };
            let approve = probe(
                self.state,
                self.user,
                task,
                TaskCommand::ApproveUpdate { update: update.no },
                None,
            );
            let returned = matches!(update.state, UpdateState::Returned { .. });
            let changed_at = match update.state {
                UpdateState::Returned { at, .. } | UpdateState::Approved { at, .. } => at,
                UpdateState::AwaitingApproval => history
                    .events
                    .iter()
                    .rev()
                    .find(|stored| match &stored.event.change {
                        TaskChange::UpdateDrafted { update: no, .. }
                        | TaskChange::UpdateEdited { update: no, .. } => *no == update.no,
                        _ => false,
                    })
                    .map(|stored| stored.event.at)
                    .unwrap_or(update.drafted_at),
            };
            let item = OpenUpdateItem {
                task: self.summary(&row),
                no: i64::from(update.no.0),
                drafted_by: update
                    .authors
                    .iter()
                    .filter_map(|author| names.get(author).cloned())
                    .collect::<Vec<_>>()
                    .join(", "),
                changed_at: self.page.datetime(&changed_at),
                return_reason: return_reason(&history.events, update.no),
                can_approve: approve.is_ok(),
                can_return: probe(
                    self.state,
                    self.user,
                    task,
                    TaskCommand::ReturnUpdate { update: update.no },
                    Some("-"),
                )
                .is_ok(),
                can_edit: probe(
                    self.state,
                    self.user,
                    task,
                    TaskCommand::EditUpdate {
                        update: update.no,
                        input: UpdateInput::default(),
                    },
                    Some("-"),
                )
                .is_ok(),
                note: match approve {
                    Err(error) if self.user.has(Role::Approver) && !returned => {
                        Some(catalogue().error(self.page.lang, &error).message)
                    }
                    _ => None,
                },
                key: new_form_key(),
            };
            if returned {
                fixes.push(item);
            } else {
                approvals.push(item);
            }
        }
        Ok((approvals, fixes))
    }

    /// Evaluations the body owes: of its units' sub-tasks for approvers, of every task it
    /// monitors for its monitoring officers.
    async fn evaluations(&self) -> Result<Vec<EvaluationItem>, ApiError> {
        let monitors = self.user.has(Role::MonitoringOfficer);
        if !monitors && !self.user.has(Role::Approver) {
            return Ok(Vec::new());
        }
        let rows = open_obligations(
            self.state,
            &self.scope,
            &ObligationFilter {
                responsible: Some(self.body),
                kinds: vec!["evaluation".into()],
                ..Default::default()
            },
        )
        .await?;
        let ids: Vec<TaskId> = rows.iter().map(|row| row.task_id).collect();
        let tasks = self
            .state
            .store
            .task_rows(&self.scope, &ids, self.now)
            .await?;
        let mut items = Vec::new();
        for row in rows {
            let ObligationKind::Evaluation { update } = row.obligation.kind else {
                continue;
            };
            let Some(task) = tasks.get(&row.task_id) else {
                continue;
            };
            if monitors || task.parent_id.is_some() {
                items.push(EvaluationItem {
                    task: self.summary(task),
                    no: i64::from(update.0),
                    due: Due::new(self.page, row.obligation.due_at, self.now),
                });
            }
        }
        Ok(items)
    }

    /// Receipts and reports of units below the body that are past due.
    async fn late_units(&self) -> Result<Vec<UnitItem>, ApiError> {
        let reference = self.state.reference();
        let rows = open_obligations(
            self.state,
            &self.scope,
            &ObligationFilter {
                responsible: Some(self.body),
                include_subunits: true,
                kinds: vec![
                    "receipt".into(),
                    "checkpoint".into(),
                    "requested_update".into(),
                    "final_report".into(),
                ],
                ..Default::default()
            },
        )
        .await?;
        Ok(rows
            .iter()
            .filter(|row| {
                row.obligation.responsible != self.body && row.obligation.due_at < self.now
            })
            .map(|row| UnitItem {
                unit: org_name(&reference.orgs, row.obligation.responsible, self.page.lang),
                task_id: row.task_id.0,
                reference: row.document_symbol.clone(),
                content: obligation_content(self.page, row),
                kind: obligation_label(self.page, row.obligation.kind),
                due: Due::new(self.page, row.obligation.due_at, self.now),
            })
            .collect())
    }

    async fn returned(&self) -> Result<Vec<ReturnedItem>, ApiError> {
        let filter = TaskFilter {
            statuses: vec![TaskStatus::Returned],
            lead_body: Some(self.body),
            ..Default::default()
        };
        let rows = task_rows(self.state, &self.scope, &filter).await?;
        let ids: Vec<TaskId> = rows.iter().map(|row| row.id).collect();
        let histories = self.state.store.tasks(&ids).await?;
        let mut items = Vec::new();
        for row in rows {
            let Some(history) = histories.get(&row.id) else {
                continue;
            };
            let Some(feedback) = &history.task.pending_feedback else {
                continue;
            };
            let handling_due = obligations(&history.domain_events())
                .into_iter()
                .filter(|obligation| {
                    obligation.kind == ObligationKind::FeedbackHandling
                        && obligation.met_at.is_none()
                        && obligation.closed_at.is_none()
                })
                .map(|obligation| obligation.due_at)
                .max();
            items.push(ReturnedItem {
                task: self.summary(&row),
                kind: feedback_label(self.page, feedback.kind),
                reason: feedback.reason.clone(),
                sent_at: self.page.datetime(&feedback.at),
                handling_due: handling_due.map(|due| Due::new(self.page, due, self.now)),
            });
        }
        Ok(items)
    }
}

async fn sections(state: &AppState, user: &PageUser, page: Page) -> Result<Sections, ApiError> {
    let reference = state.reference();
    let loader = Loader {
        state,
        user,
        page: &page,
        scope: user.scope(&reference.orgs),
        body: user.current.user.org_id,
        now: state.now(),
    };
    let receipts = loader.receipts().await?;
    let (approvals, fixes) = loader.open_updates().await?;
    let open: HashMap<TaskId, i64> = approvals
        .iter()
        .chain(&fixes)
        .map(|item| (TaskId(item.task.id), item.no))
        .collect();
    let unreceived: HashSet<TaskId> = receipts.iter().map(|item| TaskId(item.task.id)).collect();
    let reports = loader.reports(&open, &unreceived).await?;
    let evaluations = loader.evaluations().await?;
    let units = loader.late_units().await?;
    let returned = loader.returned().await?;

    let dues = receipts
        .iter()
        .filter_map(|item| item.due.as_ref())
        .chain(reports.iter().map(|item| &item.due))
        .chain(evaluations.iter().map(|item| &item.due));
    let overdue = dues.filter(|due| due.overdue).count();
    let total = receipts.len() + reports.len() + approvals.len() + fixes.len() + evaluations.len();
    Ok(Sections {
        page,
        receipts,
        reports,
        approvals,
        fixes,
        evaluations,
        units,
        returned,
        total: i64::try_from(total).unwrap_or(i64::MAX),
        overdue: i64::try_from(overdue).unwrap_or(i64::MAX),
    })
}

/// Returns the error page for users other than a body's focal officers, who alone have an
/// inbox.
fn refuse_without_focal_role(user: &PageUser) -> Option<Response> {
    user.current
        .actor()
        .require_any(&[Role::Updater, Role::Approver])
        .err()
        .map(|error| page_error(error.into(), user.lang))
}

async fn render_page(
    state: &AppState,
    user: &PageUser,
    status: StatusCode,
    notice: Option<String>,
    problem: Option<String>,
) -> Response {
    if let Some(response) = refuse_without_focal_role(user) {
        return response;
    }
    let page = Page::new(state, user, Section::Inbox, "ui-inbox-title");
    let sections = match sections(state, user, page.clone()).await {
        Ok(sections) => sections,
        Err(error) => return page_error(error, user.lang),
    };
    let sections_html = match sections.render() {
        Ok(html) => html,
        Err(error) => return page_error(ApiError::Internal(error.to_string()), user.lang),
    };
    let notice = notice_text(&page, notice.as_deref());
    let inbox = InboxPage {
        page,
        sections_html,
        notice,
        problem,
    };
    (status, inbox).into_response()
}

/// `GET /inbox`.
pub async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Query(query): Query<InboxQuery>,
) -> Response {
    render_page(&state, &user, StatusCode::OK, query.notice, None).await
}

/// `GET /inbox/sections`: the sections alone, for live reloads.
pub async fn fragment(State(state): State<AppState>, user: PageUser) -> Response {
    if let Some(response) = refuse_without_focal_role(&user) {
        return response;
    }
    let page = Page::new(&state, &user, Section::Inbox, "ui-inbox-title");
    match sections(&state, &user, page).await {
        Ok(sections) => sections.into_response(),
        Err(error) => page_error(error, user.lang),
    }
}

/// Renders the inbox with `message` on top and the status `status`, for an action from the
/// inbox that failed.
pub(super) async fn with_problem(
    state: &AppState,
    user: &PageUser,
    status: StatusCode,
    message: String,
) -> Response {
    render_page(state, user, status, None, Some(message)).await
}

#[derive(Debug, Deserialize)]
pub struct NoFields {}

/// `POST /inbox/receipt/{id}`: confirms receipt ("xác nhận tiếp nhận") and returns to the inbox.
pub async fn confirm_receipt(
    State(state): State<AppState>,
    user: PageUser,
    path: Result<Path<i64>, PathRejection>,
    form: CsrfForm<NoFields>,
) -> Response {
    let Ok(Path(id)) = path else {
        return page_error(ApiError::NotFound, user.lang);
    };
    let id = TaskId(id);
    let key = form.key(user.current.user.id);
    let result = ops::run_command(
        &state,
        &user.current,
        id,
        form.task_version(),
        key.as_ref(),
        TaskCommand::ConfirmReceipt,
        None,
    )
    .await;
    match result {
        Ok(_) => Redirect::to("/inbox?notice=receipt-confirmed").into_response(),
        Err(error) => super::updates::review::refused(&state, &user, error, "/inbox", id).await,
    }
}
