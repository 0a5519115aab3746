//! The task page: one task with its document, classification, bodies, deadline history,
//! progress, sub-tasks, progress updates and timeline, the forms of the actions the user may
//! take, and a live region that reloads when the task changes.

mod actions;
mod timeline;
mod view;

use super::error::page_error;
use super::form::CsrfForm;
use super::page::{Page, PageUser, Section};
use super::routes::Routes;
use crate::error::ApiError;
use crate::ops;
use crate::state::AppState;
use actions::{Action, ActionForm, Forms, Rejected, permissions};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use theodoi_domain::document::Document;
use theodoi_domain::error::ErrorKind;
use theodoi_domain::ids::{TaskId, UserId};
use theodoi_domain::task::update::UpdateState;
use theodoi_i18n::{Lang, Value, catalogue, format_date, format_datetime};
use theodoi_store::{MAX_PAGE, PageRequest, Scope, TaskFilter, TaskHistory, TaskRow, TaskSort};
use view::TaskDetails;

pub(super) fn routes(routes: Routes) -> Routes {
    routes
        .add("/tasks/{id}", &["GET"], get(show))
        .add("/tasks/{id}/live", &["GET"], get(live))
        .add("/tasks/{id}/actions/{action}", &["POST"], post(act))
}

/// Messages in one language, with named arguments. Callers pass literal message ids to `text`
/// so that the catalogue test finds them in the source.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    pub lang: Lang,
}

/// A message being filled in.
#[derive(Debug)]
pub struct Message {
    lang: Lang,
    id: String,
    args: Vec<(&'static str, Value)>,
}

/// A value that can fill a message argument.
pub trait IntoValue {
    fn into_value(self) -> Value;
}

impl IntoValue for Value {
    fn into_value(self) -> Value {
        self
    }
}

impl IntoValue for String {
    fn into_value(self) -> Value {
        Value::Text(self)
    }
}

impl IntoValue for &str {
    fn into_value(self) -> Value {
        Value::Text(self.to_owned())
    }
}

impl Words {
    pub fn text(&self, id: &str) -> Message {
        Message {
            lang: self.lang,
            id: id.to_owned(),
            args: Vec::new(),
        }
    }

    /// `dd/mm/yyyy`.
    pub fn date(&self, date: Date) -> String {
        format_date(date)
    }

    /// `dd/mm/yyyy HH:MM` in Asia/Ho_Chi_Minh.
    pub fn datetime(&self, at: Timestamp) -> String {
        format_datetime(at)
    }
}

impl Message {
    pub fn arg(mut self, name: &'static str, value: impl IntoValue) -> Self {
        self.args.push((name, value.into_value()));
        self
    }

    pub fn done(self) -> String {
        catalogue().format(self.lang, &self.id, &self.args)
    }
}

/// A task with what its page needs besides reference data.
pub struct Loaded {
    pub row: TaskRow,
    pub history: TaskHistory,
    /// `None` when the user may not see the document itself.
    pub document: Option<Document>,
    /// The sub-tasks the user may see, by ordinal.
    pub subtasks: Vec<TaskRow>,
    users: HashMap<UserId, String>,
}

impl Loaded {
    /// Returns the full name of a user named in the history.
    pub fn user_name(&self, id: UserId) -> String {
        self.users
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("#{}", id.0))
    }
}

/// Collects every user the history names: actors, authors and approvers of updates, and
/// those who extended the deadline.
fn named_users(history: &TaskHistory) -> BTreeSet<UserId> {
    let task = &history.task;
    let mut ids: BTreeSet<UserId> = history
        .events
        .iter()
        .filter_map(|stored| stored.event.actor)
        .collect();
    for update in &task.updates {
        ids.insert(update.drafted_by);
        ids.extend(update.authors.iter().copied());
        if let UpdateState::Approved { by, .. } | UpdateState::Returned { by, .. } = update.state {
            ids.insert(by);
        }
    }
    ids.extend(task.deadline_changes.iter().filter_map(|change| change.by));
    ids
}

/// Loads a task the user may see. One they may not see fails with 404, like one that does not
/// exist.
async fn load(state: &AppState, scope: &Scope, id: TaskId) -> Result<Loaded, ApiError> {
    let row = ops::require_visible(state, scope, id).await?;
    let history = state.store.task(id).await?.ok_or(ApiError::NotFound)?;
    let document = state
        .store
        .visible_document(scope, history.task.document_id)
        .await?;
    let filter = TaskFilter {
        parent_id: Some(id),
        ..Default::default()
    };
    let page = PageRequest {
        limit: Some(MAX_PAGE),
        after: None,
    };
    let mut subtasks = state
        .store
        .list_tasks(scope, &filter, TaskSort::Newest, &page, state.now())
        .await?
        .items;
    subtasks.sort_by_key(|row| (row.ordinal, row.id));
    let users = super::updates::common::user_names(state, named_users(&history)).await?;
    Ok(Loaded {
        row,
        history,
        document,
        subtasks,
        users,
    })
}

fn task_id(raw: &str) -> Option<TaskId> {
    raw.parse::<i64>().ok().filter(|id| *id > 0).map(TaskId)
}

/// A message at the top of the page.
pub struct Alert {
    pub message: String,
    /// The task changed since the form was rendered.
    pub conflict: bool,
    /// The form the message is about, to jump to it.
    pub anchor: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "tasks/page.html")]
struct TaskPage {
    page: Page,
    task: TaskDetails,
    forms: Forms,
    notice: Option<String>,
    alert: Option<Alert>,
}

#[derive(Template, WebTemplate)]
#[template(path = "tasks/live.html")]
struct LiveFragment {
    page: Page,
    task: TaskDetails,
}

fn done_message(page: &Page, slug: &str) -> Option<String> {
    let message = match Action::parse(slug)? {
        Action::Transfer => page.t("ui-task-page-done-transfer"),
        Action::Receipt => page.t("ui-task-page-done-receipt"),
        Action::Return => page.t("ui-task-page-done-return"),
        Action::RequestExtension => page.t("ui-task-page-done-request-extension"),
        Action::Extend => page.t("ui-task-page-done-extend"),
        Action::RequestUpdate => page.t("ui-task-page-done-request-update"),
        Action::Urge => page.t("ui-task-page-done-urge"),
        Action::Difficulty => page.t("ui-task-page-done-difficulty"),
        Action::Withdraw => page.t("ui-task-page-done-withdraw"),
        Action::Cancel => page.t("ui-task-page-done-cancel"),
        Action::Edit => page.t("ui-task-page-done-edit"),
    };
    Some(message)
}

/// What succeeded just before the page was shown, from the query string of a redirect.
#[derive(Debug, Clone, Copy, Default)]
struct Confirm<'a> {
    /// An action of this page.
    done: Option<&'a str>,
    /// A notice code of the pages that return here, such as `update-approved`.
    notice: Option<&'a str>,
}

/// Renders the whole page with a confirmation of what just succeeded. After a rejected
/// submission, `rejected` keeps what the user typed and `alert` explains what went wrong.
async fn render_page(
    state: &AppState,
    user: &PageUser,
    id: TaskId,
    rejected: Option<Rejected>,
    confirm: Confirm<'_>,
    alert: Option<Alert>,
    status: StatusCode,
) -> Response {
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    let loaded = match load(state, &scope, id).await {
        Ok(loaded) => loaded,
        Err(error) => return page_error(error, user.lang),
    };
    let mut page = Page::new(state, user, Section::Tasks, "ui-nav-tasks");
    let task = &loaded.history.task;
    let permissions = permissions(task, &user.current.user);
    let details = view::details(
        &loaded,
        &reference,
        &page,
        user,
        &permissions,
        state.now(),
        None,
    );
    page.title = details.heading.clone();
    // The update, delegation and evaluation pages come back here with their own notice codes.
    let notice = confirm
        .done
        .and_then(|slug| done_message(&page, slug))
        .or_else(|| super::updates::common::notice_text(&page, confirm.notice));
    let offered = permissions
        .actions
        .iter()
        .map(|action| action.slug())
        .collect();
    let forms = Forms::new(task, &reference, user.lang, rejected, offered);
    // A refused action that the page does not offer has no form to jump to.
    let alert = alert.map(|mut alert| {
        alert.anchor = alert
            .anchor
            .filter(|anchor| forms.offers(anchor.trim_start_matches("action-")));
        alert
    });
    let body = TaskPage {
        notice,
        page,
        task: details,
        forms,
        alert,
    };
    (status, body).into_response()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShowQuery {
    done: Option<String>,
    notice: Option<String>,
    version: Option<String>,
}

fn show_query(raw: Option<&str>) -> ShowQuery {
    serde_html_form::from_str(raw.unwrap_or_default()).unwrap_or_default()
}

/// `GET /tasks/{id}`. `?done=ACTION` confirms an action of this page that just succeeded, and
/// `?notice=CODE` one of the update, delegation and evaluation pages.
pub async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let Some(id) = task_id(&id) else {
        return page_error(ApiError::NotFound, user.lang);
    };
    let query = show_query(raw.as_deref());
    render_page(
        &state,
        &user,
        id,
        None,
        Confirm {
            done: query.done.as_deref(),
            notice: query.notice.as_deref(),
        },
        None,
        StatusCode::OK,
    )
    .await
}

/// `GET /tasks/{id}/live?version=N`: the live region alone, for the page's refresh when the
/// task changes. `version` is the one the open page's forms carry.
pub async fn live(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Response {
    let Some(id) = task_id(&id) else {
        return page_error(ApiError::NotFound, user.lang);
    };
    let query = show_query(raw.as_deref());
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    let loaded = match load(&state, &scope, id).await {
        Ok(loaded) => loaded,
        Err(error) => return page_error(error, user.lang),
    };
    let page = Page::new(&state, &user, Section::Tasks, "ui-nav-tasks");
    let permissions = permissions(&loaded.history.task, &user.current.user);
    let page_version = query
        .version
        .as_deref()
        .and_then(|value| value.parse().ok());
    let task = view::details(
        &loaded,
        &reference,
        &page,
        &user,
        &permissions,
        state.now(),
        page_version,
    );
    LiveFragment { page, task }.into_response()
}

/// Path of an action post.
#[derive(Debug, Deserialize)]
pub struct ActionPath {
    id: String,
    action: String,
}

/// `POST /tasks/{id}/actions/{action}`: runs the action and goes back to the page with a
/// confirmation, or shows the page again with the form open, the input kept and the messages
/// next to the fields.
pub async fn act(
    State(state): State<AppState>,
    user: PageUser,
    Path(path): Path<ActionPath>,
    form: CsrfForm<ActionForm>,
) -> Response {
    let (Some(id), Some(action)) = (task_id(&path.id), Action::parse(&path.action)) else {
        return page_error(ApiError::NotFound, user.lang);
    };
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    let history = match ops::require_visible(&state, &scope, id).await {
        Ok(_) => match state.store.task(id).await {
            Ok(Some(history)) => history,
            Ok(None) => return page_error(ApiError::NotFound, user.lang),
            Err(error) => return page_error(error.into(), user.lang),
        },
        Err(error) => return page_error(error, user.lang),
    };
    // Difficulties go to the Central Office with a copy to the Central Inspection Commission.
    let copied_to = reference.orgs.by_code("UBKTTW").map(|org| org.id);
    let outcome = match actions::command(action, &form.body, &history.task, copied_to) {
        Ok((command, reason)) => {
            let key = form.key(user.current.user.id);
            ops::run_command(
                &state,
                &user.current,
                id,
                form.task_version(),
                key.as_ref(),
                command,
                reason,
            )
            .await
            .map(|_| ())
        }
        Err(error) => Err(ApiError::Domain(error)),
    };
    let error = match outcome {
        Ok(()) => {
            let target = format!("/tasks/{}?done={}#result", id.0, action.slug());
            return Redirect::to(&target).into_response();
        }
        Err(error) => error,
    };
    let (status, summary, fields, conflict) = match error {
        ApiError::Domain(domain) if domain.kind != ErrorKind::NotFound => {
            let (summary, fields) = super::task_list::field_messages(user.lang, &domain);
            let status = match domain.kind {
                ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
                ErrorKind::Forbidden => StatusCode::FORBIDDEN,
                _ => StatusCode::CONFLICT,
            };
            (status, summary, fields, false)
        }
        ApiError::VersionConflict { .. } => {
            let message = catalogue().text(user.lang, "ui-task-page-conflict");
            (StatusCode::CONFLICT, message, HashMap::new(), true)
        }
        ApiError::IdempotencyKeyReused => {
            let message = catalogue().text(user.lang, "ui-task-page-resubmitted");
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                message,
                HashMap::new(),
                false,
            )
        }
        other => return page_error(other, user.lang),
    };
    // The form comes back with the user's input, so a rejected or stale submission loses nothing.
    let alert = Alert {
        message: summary.clone(),
        conflict,
        anchor: Some(format!("action-{}", action.slug())),
    };
    let rejected = Rejected {
        action,
        form: form.body,
        summary,
        fields,
    };
    render_page(
        &state,
        &user,
        id,
        Some(rejected),
        Confirm::default(),
        Some(alert),
        status,
    )
    .await
}
