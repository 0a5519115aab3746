//! The page of one document: its details, whether its tasks were entered on time, and its
//! groups and tasks. The Central Office also transfers every draft and adds tasks there.

use super::check::{check_task, preview_of};
use super::errors::FormErrors;
use super::fields::{EntryForm, Pairs, TaskFields};
use super::new::office_refusal;
use super::pickers::{Pickers, org_label};
use super::preview::Preview;
use crate::error::ApiError;
use crate::ops;
use crate::state::{AppState, Reference};
use crate::web::error::page_error;
use crate::web::form::{CsrfForm, new_form_key};
use crate::web::page::{Page, PageUser, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;
use theodoi_domain::document::Document;
use theodoi_domain::ids::{DocumentId, TaskId};
use theodoi_domain::obligation::{Obligation, ObligationKind};
use theodoi_domain::user::Role;
use theodoi_i18n::{Lang, Value, catalogue};
use theodoi_store::{Cursor, PageRequest, TaskFilter, TaskSort, Visibility};

/// One labelled value of the document.
#[derive(Debug, Clone)]
pub struct Detail {
    pub label: String,
    pub value: String,
}

/// Whether the document's tasks were entered and transferred in time.
#[derive(Debug, Clone)]
pub struct EntryStatus {
    pub due: Timestamp,
    /// pending, met or breached, as for any obligation.
    pub code: &'static str,
    pub label: String,
    /// When the last task went out, once all have.
    pub met_at: Option<Timestamp>,
    /// How many of the tasks were transferred, shown to the Central Office.
    pub progress: Option<String>,
}

/// One task of the document.
#[derive(Debug, Clone)]
pub struct TaskLine {
    pub id: i64,
    pub ordinal: i64,
    pub group: Option<String>,
    /// Absent for classified tasks, which keep no content.
    pub content: Option<String>,
    pub lead_body: String,
    pub deadline: Option<Date>,
    pub status: String,
    pub is_draft: bool,
    /// Result state code and name; absent for drafts and cancelled tasks.
    pub result: Option<(&'static str, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "documents/detail.html")]
struct DocumentPage {
    page: Page,
    id: i64,
    symbol: String,
    title: String,
    kind: String,
    level_code: &'static str,
    level: String,
    classified: bool,
    details: Vec<Detail>,
    summary: Option<String>,
    entry: EntryStatus,
    groups: Vec<String>,
    tasks: Vec<TaskLine>,
    drafts: usize,
    is_office: bool,
    /// Confirmations of what the previous request did.
    notices: Vec<String>,
    /// Error of the previous request.
    alert: Option<String>,
    /// The add-task form, for the Central Office: one row at index `i`.
    pickers: Option<Pickers>,
    row: TaskFields,
    i: usize,
    idem: String,
    errors: FormErrors,
    preview: Option<Preview>,
}

/// Reads a document id from the path; anything else names a page that does not exist.
fn parse_id(raw: &str) -> Option<DocumentId> {
    raw.parse::<i64>().ok().map(DocumentId)
}

/// Loads the document if `user` may see it, with the task count of what they may see.
async fn visible(state: &AppState, user: &PageUser, id: DocumentId) -> Result<Document, ApiError> {
    let scope = user.scope(&state.reference().orgs);
    let mut document = ops::require_visible_document(state, &scope, id).await?;
    if scope.visibility != Visibility::Everything {
        let counts = state.store.visible_task_counts(&scope, &[id]).await?;
        document.task_count = counts.get(&id).copied().unwrap_or(0);
    }
    Ok(document)
}

fn entry_status(
    document: &Document,
    progress: theodoi_store::queues::EntryProgress,
    now: Timestamp,
    lang: Lang,
    is_office: bool,
) -> EntryStatus {
    let met_at = progress
        .is_complete()
        .then_some(progress.last_transferred_at)
        .flatten();
    let obligation = Obligation {
        kind: ObligationKind::Entry,
        responsible: document.registered_body,
        opened_at: document.registered_at,
        due_at: document.entry_due,
        calendar_version: document.calendar_version.clone(),
        met_at,
        closed_at: None,
        optional: false,
    };
    let code = obligation.status_at(now).name();
    EntryStatus {
        due: document.entry_due,
        code,
        label: catalogue().text(
            lang,
            &format!("obligation-status-{}", code.replace('_', "-")),
        ),
        met_at,
        progress: is_office.then(|| {
            catalogue().format(
                lang,
                "ui-documents-entry-progress",
                &[
                    (
                        "transferred",
                        Value::Number(i64::from(progress.transferred_count)),
                    ),
                    ("total", Value::Number(i64::from(progress.task_count))),
                ],
            )
        }),
    }
}

/// Lists every task of the document that the user may see, in document order.
async fn task_lines(
    state: &AppState,
    user: &PageUser,
    document: &Document,
    groups: &[theodoi_store::TaskGroup],
) -> Result<Vec<TaskLine>, ApiError> {
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    let filter = TaskFilter {
        document_id: Some(document.id),
        subtasks: Some(false),
        ..Default::default()
    };
    let mut request = PageRequest {
        limit: Some(theodoi_store::MAX_PAGE),
        after: None,
    };
    let mut rows = Vec::new();
    loop {
        let page = state
            .store
            .list_tasks(&scope, &filter, TaskSort::Newest, &request, state.now())
            .await?;
        rows.extend(page.items);
        match page.next_cursor.as_deref().and_then(Cursor::decode) {
            Some(cursor) => request.after = Some(cursor),
            None => break,
        }
    }
    rows.sort_by_key(|row| row.ordinal);
    let lang = user.lang;
    Ok(rows
        .into_iter()
        .map(|row| TaskLine {
            id: row.id.0,
            ordinal: row.ordinal,
            group: row.group_id.and_then(|id| {
                groups
                    .iter()
                    .find(|group| group.id == id)
                    .map(|group| group.name.clone())
            }),
            content: row.content.clone(),
            lead_body: org_label(&reference, row.lead_body, lang),
            deadline: row.deadline,
            status: catalogue().text(
                lang,
                &format!("task-status-{}", row.status.replace('_', "-")),
            ),
            is_draft: row.status == "draft",
            result: row
                .result_state
                .map(|state| (state.as_str(), catalogue().text(lang, &state.message_id()))),
        })
        .collect())
}

/// Notices and errors of a page, and the add-task form as the user left it.
struct Extras {
    notices: Vec<String>,
    alert: Option<String>,
    row: TaskFields,
    idem: String,
    errors: FormErrors,
    preview: Option<Preview>,
}

impl Extras {
    fn fresh() -> Self {
        Extras {
            notices: Vec::new(),
            alert: None,
            row: TaskFields::default(),
            idem: new_form_key(),
            errors: FormErrors::default(),
            preview: None,
        }
    }
}

/// Lists the document's labelled values, in the order the page shows them.
fn details(reference: &Reference, document: &Document, lang: Lang) -> Vec<Detail> {
    let text = |id: &str| catalogue().text(lang, id);
    let org = |id| org_label(reference, id, lang);
    let content = &document.content;
    [
        (text("field-kind"), text(&content.kind.message_id())),
        (text("field-symbol"), content.symbol.to_string()),
        (
            text("field-issue-date"),
            theodoi_i18n::format_date(content.issue_date),
        ),
        (text("field-signer"), content.signer.clone()),
        (text("field-issuing-body"), org(content.issuing_body)),
        (
            text("field-assigning-authority"),
            org(content.assigning_authority),
        ),
        (text("field-monitoring-body"), org(content.monitoring_body)),
        (
            text("ui-documents-registered-at"),
            theodoi_i18n::format_datetime(document.registered_at),
        ),
    ]
    .into_iter()
    .map(|(label, value)| Detail { label, value })
    .collect()
}

async fn build(
    state: &AppState,
    user: &PageUser,
    id: DocumentId,
    extras: Extras,
) -> Result<DocumentPage, ApiError> {
    let reference = state.reference();
    let lang = user.lang;
    let document = visible(state, user, id).await?;
    let is_office = user.has(Role::CentralOffice);
    let progress = state.store.entry_progress(id).await?;
    let groups = state.store.groups(id).await?;
    let tasks = task_lines(state, user, &document, &groups).await?;

    let content = &document.content;
    let mut page = Page::new(state, user, Section::Documents, "ui-nav-documents");
    page.title = content.symbol.to_string();
    let drafts = tasks.iter().filter(|task| task.is_draft).count();
    Ok(DocumentPage {
        page,
        id: id.0,
        symbol: content.symbol.to_string(),
        title: content.title.clone(),
        kind: catalogue().text(lang, &content.kind.message_id()),
        level_code: content.confidentiality.as_str(),
        level: catalogue().text(lang, content.confidentiality.message_id()),
        classified: content.confidentiality.is_classified(),
        details: details(&reference, &document, lang),
        summary: content.summary.clone(),
        entry: entry_status(&document, progress, state.now(), lang, is_office),
        groups: groups.into_iter().map(|group| group.name).collect(),
        tasks,
        drafts,
        is_office,
        notices: extras.notices,
        alert: extras.alert,
        pickers: is_office.then(|| Pickers::new(&reference, lang, user.current.user.clearance)),
        row: extras.row,
        i: 0,
        idem: extras.idem,
        errors: extras.errors,
        preview: extras.preview,
    })
}

fn respond(status: StatusCode, built: Result<DocumentPage, ApiError>, lang: Lang) -> Response {
    match built {
        Ok(page) => (status, page).into_response(),
        Err(error) => page_error(error, lang),
    }
}

/// Outcome of the previous request, passed along its redirect. Kept as text, so that an
/// edited address shows the page without the notice instead of failing.
#[derive(Debug, Default, Deserialize)]
pub struct DetailQuery {
    saved: Option<String>,
    transferred: Option<String>,
    transferred_all: Option<String>,
    added: Option<String>,
}

fn count_of(value: &Option<String>) -> Option<u32> {
    value.as_deref().and_then(|value| value.parse().ok())
}

fn notices(query: &DetailQuery, lang: Lang) -> Vec<String> {
    let count =
        |id: &str, n: u32| catalogue().format(lang, id, &[("count", Value::Number(i64::from(n)))]);
    let mut notices = Vec::new();
    if let Some(saved) = count_of(&query.saved) {
        notices.push(count("ui-documents-notice-saved", saved));
    }
    if let Some(transferred) = count_of(&query.transferred).filter(|n| *n > 0) {
        notices.push(count("ui-documents-notice-transferred", transferred));
    }
    if let Some(transferred) = count_of(&query.transferred_all) {
        notices.push(count("ui-documents-notice-transferred", transferred));
    }
    if count_of(&query.added).is_some() {
        notices.push(catalogue().text(lang, "ui-documents-notice-added"));
    }
    notices
}

/// `GET /documents/{id}`.
pub async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Path(raw): Path<String>,
    Query(query): Query<DetailQuery>,
) -> Response {
    let Some(id) = parse_id(&raw) else {
        return page_error(ApiError::NotFound, user.lang);
    };
    let mut extras = Extras::fresh();
    extras.notices = notices(&query, user.lang);
    respond(
        StatusCode::OK,
        build(&state, &user, id, extras).await,
        user.lang,
    )
}

/// Renders the document's page with `alert` above it, for an operation that failed after
/// its document was stored.
pub async fn render_with_alert(
    state: &AppState,
    user: &PageUser,
    id: DocumentId,
    alert: String,
) -> Response {
    let mut extras = Extras::fresh();
    extras.alert = Some(alert);
    respond(
        StatusCode::CONFLICT,
        build(state, user, id, extras).await,
        user.lang,
    )
}

/// `POST /documents/{id}/transfer`: transfers every draft task. A repeated submission finds
/// no drafts left and transfers nothing more.
pub async fn transfer_all(
    State(state): State<AppState>,
    user: PageUser,
    Path(raw): Path<String>,
    _posted: CsrfForm<Pairs>,
) -> Response {
    if let Some(refused) = office_refusal(&user) {
        return refused;
    }
    let Some(id) = parse_id(&raw) else {
        return page_error(ApiError::NotFound, user.lang);
    };
    match ops::transfer_all(&state, &user.current, id).await {
        Ok(transferred) => Redirect::to(&format!(
            "/documents/{}?transferred_all={}",
            id.0,
            transferred.len()
        ))
        .into_response(),
        Err(ApiError::NotFound) => page_error(ApiError::NotFound, user.lang),
        Err(error) => {
            let message = error.render_in(user.lang).1.message;
            let alert = catalogue().format(
                user.lang,
                "ui-documents-transfer-failed",
                &[("error", Value::Text(message))],
            );
            render_with_alert(&state, &user, id, alert).await
        }
    }
}

/// Checks the added row against the stored document and previews it; `Err` when the user may
/// not see the document.
async fn check_added(
    state: &AppState,
    user: &PageUser,
    id: DocumentId,
    row: &TaskFields,
) -> Result<(Document, theodoi_domain::task::NewTaskInput, FormErrors), ApiError> {
    let document = visible(state, user, id).await?;
    let reference = state.reference();
    let mut errors = FormErrors::default();
    let input = check_task(
        &reference,
        &user.current.actor(),
        state.now(),
        &document,
        row,
        0,
        document.task_count.saturating_add(1),
        &mut errors,
        user.lang,
    );
    errors.summarize(user.lang);
    Ok((document, input, errors))
}

/// Previews the task of an add-task form.
pub async fn added_task_preview(
    state: &AppState,
    user: &PageUser,
    id: DocumentId,
    form: &EntryForm,
) -> Result<Preview, ApiError> {
    let row = form.tasks.first().cloned().unwrap_or_default();
    let (document, input, errors) = check_added(state, user, id, &row).await?;
    Ok(preview_of(
        state,
        user,
        Some(&document),
        std::slice::from_ref(&input),
        &errors,
        document.task_count.saturating_add(1),
    ))
}

/// `POST /documents/{id}/tasks`: previews or adds one task, by the button pressed.
pub async fn add_task(
    State(state): State<AppState>,
    user: PageUser,
    Path(raw): Path<String>,
    posted: CsrfForm<Pairs>,
) -> Response {
    if let Some(refused) = office_refusal(&user) {
        return refused;
    }
    let Some(id) = parse_id(&raw) else {
        return page_error(ApiError::NotFound, user.lang);
    };
    let form = EntryForm::parse(&posted.body);
    let row = form.tasks.first().cloned().unwrap_or_default();
    let (document, input, errors) = match check_added(&state, &user, id, &row).await {
        Ok(checked) => checked,
        Err(error) => return page_error(error, user.lang),
    };
    let mut extras = Extras::fresh();
    if !form.idem.trim().is_empty() {
        extras.idem = form.idem.clone();
    }
    extras.row = row;
    if form.action != "save" || !errors.is_empty() {
        let mut preview = preview_of(
            &state,
            &user,
            Some(&document),
            std::slice::from_ref(&input),
            &errors,
            document.task_count.saturating_add(1),
        );
        // The whole page lists the errors above the form already.
        preview.problems.clear();
        extras.preview = Some(preview);
        let status = if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        extras.errors = errors;
        return respond(status, build(&state, &user, id, extras).await, user.lang);
    }
    let key = posted.key(user.current.user.id);
    match ops::create_task(&state, &user.current, id, &input, key.as_ref()).await {
        Ok(created) => added(id, created.value.task.id),
        Err(error) => {
            let mut errors = FormErrors::default();
            let status = match error {
                ApiError::Domain(domain) => {
                    errors.add_api(user.lang, ApiError::Domain(domain.within("tasks[0]")))
                }
                other => errors.add_api(user.lang, other),
            };
            errors.summarize(user.lang);
            extras.errors = errors;
            respond(status, build(&state, &user, id, extras).await, user.lang)
        }
    }
}

fn added(document: DocumentId, task: TaskId) -> Response {
    Redirect::to(&format!("/documents/{}?added={}#tasks", document.0, task.0)).into_response()
}
