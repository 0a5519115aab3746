//! Pieces shared by the pages of an assigned body's and a monitoring body's work. They cover the
//! task shown above a form, errors placed next to their fields, and checks that mirror the
//! domain before a form is offered. They also cover return paths, confirmations, due-time
//! countdowns and dates typed as dd/mm/yyyy.

use crate::error::ApiError;
use crate::ops;
use crate::state::AppState;
use crate::web::countdown::CountdownTexts;
use crate::web::error::page_error;
use crate::web::page::{Page, PageUser};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::Timestamp;
use jiff::civil::Date;
use std::collections::HashMap;
use theodoi_domain::DomainError;
use theodoi_domain::error::ErrorKind;
use theodoi_domain::ids::{OrgId, TaskId, UpdateNo, UserId};
use theodoi_domain::obligation::ObligationKind;
use theodoi_domain::org::OrgDirectory;
use theodoi_domain::schedule::CheckpointKind;
use theodoi_domain::task::event::{TaskChange, UrgeChannel};
use theodoi_domain::task::update::{ProgressStatus, ProgressUpdate, Rating, UpdateState};
use theodoi_domain::task::{Context, Task, TaskCommand, TaskStatus};
use theodoi_i18n::{Lang, catalogue};
use theodoi_store::{AttachmentId, StoredEvent, TaskRow};

/// A task as shown above a form or in a list row.
#[derive(Debug, Clone)]
pub struct TaskSummary {
    pub id: i64,
    /// The document's number and symbol with the task's ordinal, such as `57-NQ/TW · nhiệm vụ 3`.
    pub reference: String,
    /// The content, or a notice that a classified task keeps none.
    pub content: String,
    /// The deadline as dd/mm/yyyy, or a notice that the task has none.
    pub deadline: String,
    pub lead_body: String,
    pub status: String,
    /// Result state code for the badge's class; empty for drafts and cancelled tasks.
    pub result_code: String,
    pub result: String,
    pub version: i64,
}

impl TaskSummary {
    pub fn new(row: &TaskRow, page: &Page, orgs: &dyn OrgDirectory) -> TaskSummary {
        TaskSummary {
            id: row.id.0,
            reference: format!(
                "{} · {}",
                row.document_symbol,
                page.tn("ui-updates-task-ordinal", "number", &row.ordinal)
            ),
            content: row
                .content
                .clone()
                .unwrap_or_else(|| page.t("ui-updates-classified-content")),
            deadline: match row.deadline {
                Some(deadline) => page.date(&deadline),
                None => page.t("ui-updates-no-deadline"),
            },
            lead_body: org_name(orgs, row.lead_body, page.lang),
            status: TaskStatus::parse(&row.status)
                .map(|status| page.t(&task_status_id(status)))
                .unwrap_or_default(),
            result_code: row
                .result_state
                .map(|state| state.as_str().to_owned())
                .unwrap_or_default(),
            result: row
                .result_state
                .map(|state| page.t(&state.message_id()))
                .unwrap_or_default(),
            version: row.version,
        }
    }
}

/// Message id of a task status, such as `task-status-in-progress`.
pub fn task_status_id(status: TaskStatus) -> String {
    format!("task-status-{}", status.as_str().replace('_', "-"))
}

/// Returns the name of body `id` in `lang`, or an empty string for an unknown id.
pub fn org_name(orgs: &dyn OrgDirectory, id: OrgId, lang: Lang) -> String {
    orgs.organisation(id)
        .map(|org| match lang {
            Lang::Vi => org.name_vi.clone(),
            Lang::En => org.name_en.clone(),
        })
        .unwrap_or_default()
}

/// One option of a radio group or a select.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The problems of a submitted form: a summary for the top of the form and one message per
/// field, shown next to the field's input.
#[derive(Debug, Clone, Default)]
pub struct Problems {
    pub summary: Option<String>,
    /// Field path (as in the domain, such as `products[1].name`) and message.
    pub fields: Vec<(String, String)>,
}

impl Problems {
    /// Returns the message for `field`, if it has one.
    pub fn field(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, message)| message.as_str())
    }

    /// Returns the field messages with the id of each field's input, for links from the summary.
    pub fn links(&self) -> Vec<(String, &str)> {
        self.fields
            .iter()
            .map(|(field, message)| (anchor(field), message.as_str()))
            .collect()
    }

    /// Replaces the message of `field`, when it has one.
    pub fn replace(&mut self, field: &str, message: String) {
        for (name, current) in &mut self.fields {
            if name == field {
                *current = message.clone();
            }
        }
    }

    pub fn add(&mut self, field: impl Into<String>, message: String) {
        self.fields.push((field.into(), message));
    }

    pub fn is_empty(&self) -> bool {
        self.summary.is_none() && self.fields.is_empty()
    }

    /// Adds the field messages of a domain error, with dates described as typed on our forms.
    pub fn add_domain(&mut self, error: &DomainError, page: &Page) {
        let localized = catalogue().error(page.lang, error);
        for field in localized.fields {
            let message = if field.code == "field-date-invalid" {
                let label = catalogue().field_label(page.lang, &field.field);
                page.t1("ui-updates-date-invalid", "field", &label)
            } else {
                field.message
            };
            self.fields.push((field.field, message));
        }
        if self.summary.is_none() {
            self.summary = Some(if self.fields.is_empty() {
                localized.message
            } else {
                page.tn(
                    "ui-updates-fix-fields",
                    "count",
                    &i64::try_from(self.fields.len()).unwrap_or(i64::MAX),
                )
            });
        }
    }

    /// Sets the summary from the field messages gathered so far, when there are any.
    pub fn summarise(&mut self, page: &Page) {
        if self.summary.is_none() && !self.fields.is_empty() {
            self.summary = Some(page.tn(
                "ui-updates-fix-fields",
                "count",
                &i64::try_from(self.fields.len()).unwrap_or(i64::MAX),
            ));
        }
    }
}

/// Returns the id of the input for `field` on our forms, such as `f-products-0-name`: `f-` and
/// the field's path, with every run of characters other than letters and digits as one hyphen.
pub fn anchor(field: &str) -> String {
    let mut id = String::from("f-");
    for c in field.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_owned()
}

/// Turns a failed command into the status and problems to show on the form that sent it. An
/// error that is no fault of the input (the record is gone, the server failed) gives the error
/// page instead.
pub fn form_problems(
    error: ApiError,
    page: &Page,
) -> Result<(StatusCode, Problems), Box<Response>> {
    let mut problems = Problems::default();
    let status = match &error {
        ApiError::Domain(domain) => {
            let status = match domain.kind {
                ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
                ErrorKind::Forbidden => StatusCode::FORBIDDEN,
                ErrorKind::Conflict => StatusCode::CONFLICT,
                ErrorKind::NotFound => return Err(Box::new(page_error(error, page.lang))),
            };
            problems.add_domain(domain, page);
            status
        }
        ApiError::VersionConflict { .. } => {
            let (status, body) = error.render_in(page.lang);
            problems.summary = Some(body.message);
            status
        }
        // The page was sent, changed and sent again with the same key, as after going back in
        // the browser. The API's message speaks of headers, which would not help a user here.
        ApiError::IdempotencyKeyReused => {
            problems.summary = Some(page.t("ui-updates-form-already-sent"));
            StatusCode::CONFLICT
        }
        _ => return Err(Box::new(page_error(error, page.lang))),
    };
    Ok((status, problems))
}

/// Checks whether `user` could run `command` on `task` now, without running it. Input errors do
/// not count, so probing a command with empty input decides whether to offer its form at all.
pub fn probe(
    state: &AppState,
    user: &PageUser,
    task: &Task,
    command: TaskCommand,
    reason: Option<&str>,
) -> Result<(), DomainError> {
    with_context(state, user, |ctx| match task.handle(command, reason, ctx) {
        Ok(_) => Ok(()),
        Err(error) if error.kind == ErrorKind::Invalid => Ok(()),
        Err(error) => Err(error),
    })
}

/// Runs `check` with the domain context of `user` now, for a task without a parent.
pub fn with_context<T>(state: &AppState, user: &PageUser, check: impl FnOnce(&Context) -> T) -> T {
    let reference = state.reference();
    let actor = user.current.actor();
    let ctx = Context {
        actor: &actor,
        now: state.now(),
        calendar: &reference.calendar,
        orgs: &reference.orgs,
        catalogues: &reference.catalogues,
        parent: None,
    };
    check(&ctx)
}

/// A task the user may see, with its list row, state and history.
#[derive(Debug)]
pub struct LoadedTask {
    pub row: TaskRow,
    pub task: Task,
    pub events: Vec<StoredEvent>,
}

/// Loads task `id` for a page, or the error page: not found when the user may not see it.
pub async fn load_task(
    state: &AppState,
    user: &PageUser,
    id: TaskId,
) -> Result<LoadedTask, Response> {
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    let row = ops::require_visible(state, &scope, id)
        .await
        .map_err(|error| page_error(error, user.lang))?;
    let history = state
        .store
        .task(id)
        .await
        .map_err(|error| page_error(error.into(), user.lang))?
        .ok_or_else(|| page_error(ApiError::NotFound, user.lang))?;
    Ok(LoadedTask {
        row,
        task: history.task,
        events: history.events,
    })
}

/// Full names of the users `ids`; unknown users are left out.
pub async fn user_names(
    state: &AppState,
    ids: impl IntoIterator<Item = UserId>,
) -> Result<HashMap<UserId, String>, ApiError> {
    let ids: Vec<UserId> = ids.into_iter().collect();
    Ok(state.store.user_full_names(&ids).await?)
}

/// `value` when it is a path on this site, never another host.
pub fn local_path(value: Option<&str>) -> Option<String> {
    let path = value?.trim();
    let local = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control);
    local.then(|| path.to_owned())
}

/// `path` with the confirmation `notice` added to its query, for the page to show once.
pub fn with_notice(path: &str, notice: &str) -> String {
    let (path, fragment) = match path.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (path, None),
    };
    let separator = if path.contains('?') { '&' } else { '?' };
    let mut target = format!("{path}{separator}notice={notice}");
    if let Some(fragment) = fragment {
        target.push('#');
        target.push_str(fragment);
    }
    target
}

/// Returns the confirmation for a `notice` code that a redirect put in the query, or `None` for
/// codes that are not ours.
pub fn notice_text(page: &Page, notice: Option<&str>) -> Option<String> {
    let text = match notice? {
        "receipt-confirmed" => page.t("ui-updates-notice-receipt-confirmed"),
        "update-drafted" => page.t("ui-updates-notice-drafted"),
        "update-saved" => page.t("ui-updates-notice-saved"),
        "update-approved" => page.t("ui-updates-notice-approved"),
        "update-returned" => page.t("ui-updates-notice-returned"),
        "update-evaluated" => page.t("ui-updates-notice-evaluated"),
        "draft-open" => page.t("ui-updates-notice-draft-open"),
        "urged" => page.t("ui-updates-notice-urged"),
        "delegated" => page.t("ui-updates-notice-delegated"),
        _ => return None,
    };
    Some(text)
}

/// Reads a date typed as dd/mm/yyyy (or d/m/yyyy) and returns it as yyyy-mm-dd for the domain.
/// A value already in yyyy-mm-dd, as a browser's date field sends it, passes unchanged, and so
/// does anything unreadable, so that the domain reports it on its field. Empty input is `None`.
pub fn date_for_domain(typed: &str) -> Option<String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    let parts: Vec<&str> = typed.split(['/', '.', '-']).collect();
    if let [day, month, year] = parts.as_slice()
        && year.len() == 4
        && let (Ok(day), Ok(month), Ok(year)) =
            (day.parse::<i8>(), month.parse::<i8>(), year.parse::<i16>())
        && let Ok(date) = Date::new(year, month, day)
    {
        return Some(date.to_string());
    }
    Some(typed.to_owned())
}

/// Formats a date as the forms show it: dd/mm/yyyy, or empty.
pub fn date_for_form(date: Option<Date>) -> String {
    date.map(theodoi_i18n::format_date).unwrap_or_default()
}

/// A due time as the pages show it: the instant, and a countdown that `app.js` keeps current.
#[derive(Debug, Clone)]
pub struct Due {
    /// RFC 3339, for the countdown script.
    pub iso: String,
    /// dd/mm/yyyy HH:MM.
    pub at: String,
    /// "Còn 3 giờ 20 phút" or "Quá hạn 2 ngày 1 giờ", as of the page's rendering.
    pub relative: String,
    pub overdue: bool,
}

impl Due {
    pub fn new(page: &Page, due_at: Timestamp, now: Timestamp) -> Due {
        Due {
            iso: page.iso(&due_at),
            at: page.datetime(&due_at),
            relative: CountdownTexts::new(page).describe(due_at, now),
            overdue: due_at < now,
        }
    }
}

/// Returns the name of a reported status.
pub fn status_label(page: &Page, status: ProgressStatus) -> String {
    match status {
        ProgressStatus::NotStarted => page.t("ui-updates-status-not-started"),
        ProgressStatus::InProgress => page.t("ui-updates-status-in-progress"),
        ProgressStatus::Completed => page.t("ui-updates-status-completed"),
        ProgressStatus::DoneNotCompleted => page.t("ui-updates-status-done-not-completed"),
    }
}

/// Returns the name of an obligation, with the period of a periodic checkpoint.
pub fn obligation_label(page: &Page, kind: ObligationKind) -> String {
    match kind {
        ObligationKind::Checkpoint {
            checkpoint: CheckpointKind::Half,
        } => page.t("ui-inbox-checkpoint-half"),
        ObligationKind::Checkpoint {
            checkpoint: CheckpointKind::ThreeQuarters,
        } => page.t("ui-inbox-checkpoint-three-quarters"),
        ObligationKind::Checkpoint {
            checkpoint: CheckpointKind::Period { start, end },
        } => page.t1(
            "ui-inbox-checkpoint-period",
            "period",
            &format!("{} – {}", page.date(&start), page.date(&end)),
        ),
        other => page.t(&other.message_id()),
    }
}

/// Returns the name of a rating.
pub fn rating_label(page: &Page, rating: Rating) -> String {
    match rating {
        Rating::Good => page.t("ui-updates-rating-good"),
        Rating::Satisfactory => page.t("ui-updates-rating-satisfactory"),
        Rating::Unsatisfactory => page.t("ui-updates-rating-unsatisfactory"),
    }
}

/// Returns the name of an urging channel.
pub fn channel_label(page: &Page, channel: UrgeChannel) -> String {
    match channel {
        UrgeChannel::System => page.t("ui-updates-channel-system"),
        UrgeChannel::Report => page.t("ui-updates-channel-report"),
        UrgeChannel::Meeting => page.t("ui-updates-channel-meeting"),
        UrgeChannel::Phone => page.t("ui-updates-channel-phone"),
        UrgeChannel::OnlineMeeting => page.t("ui-updates-channel-online-meeting"),
        UrgeChannel::Email => page.t("ui-updates-channel-email"),
        UrgeChannel::Fax => page.t("ui-updates-channel-fax"),
        UrgeChannel::Other => page.t("ui-updates-channel-other"),
    }
}

/// A stored file as a link on a page.
#[derive(Debug, Clone)]
pub struct FileLink {
    pub id: i64,
    pub file_name: String,
    /// Such as "1,2 MB" or "820 KB".
    pub size: String,
}

impl FileLink {
    pub fn new(attachment: &theodoi_store::Attachment, page: &Page) -> FileLink {
        FileLink {
            id: attachment.id.0,
            file_name: attachment.file_name.clone(),
            size: file_size(page, attachment.size),
        }
    }
}

/// Formats a size in bytes as KB or MB with one decimal, with the decimal comma in Vietnamese.
pub fn file_size(page: &Page, bytes: i64) -> String {
    let (value, unit) = if bytes >= 1024 * 1024 {
        (bytes as f64 / (1024.0 * 1024.0), "MB")
    } else {
        ((bytes as f64 / 1024.0).max(0.1), "KB")
    };
    let number = format!("{value:.1}");
    let number = match page.lang {
        Lang::Vi => number.replace('.', ","),
        Lang::En => number,
    };
    format!("{number} {unit}")
}

/// Returns the attachment id in a product's `file` reference, when it is one of ours.
pub fn attachment_ref(file: Option<&str>) -> Option<AttachmentId> {
    file?.trim().parse().ok().map(AttachmentId)
}

/// One product of an update as shown on a page.
#[derive(Debug, Clone)]
pub struct ProductView {
    pub name: String,
    pub file: Option<FileLink>,
    /// A file reference that is not an attachment of this system, shown as text.
    pub other_file: Option<String>,
}

/// A progress update as shown for review: its content, its authors and its state.
#[derive(Debug, Clone)]
pub struct UpdateView {
    pub no: i64,
    pub state_code: &'static str,
    pub state: String,
    pub status: String,
    pub percent: Option<u8>,
    pub completion_date: Option<String>,
    pub results: Option<String>,
    pub products: Vec<ProductView>,
    pub difficulties: Option<String>,
    pub proposals: Option<String>,
    pub drafted_by: String,
    pub drafted_at: String,
    /// "Phê duyệt: name, dd/mm/yyyy HH:MM".
    pub approval: Option<String>,
    /// The approver's reason for sending it back, when it is returned.
    pub return_reason: Option<String>,
    pub rating: Option<String>,
    pub comment: Option<String>,
}

/// Builds the view of update `no` of `task`; `None` when the task has no such update.
pub async fn update_view(
    state: &AppState,
    page: &Page,
    task: &Task,
    events: &[StoredEvent],
    no: UpdateNo,
) -> Result<Option<UpdateView>, ApiError> {
    let Some(update) = task.update(no) else {
        return Ok(None);
    };
    let mut people = vec![update.drafted_by];
    if let UpdateState::Approved { by, .. } = update.state {
        people.push(by);
    }
    let names = user_names(state, people).await?;
    let name = |id: UserId| names.get(&id).cloned().unwrap_or_default();
    let refs: Vec<AttachmentId> = update
        .content
        .products
        .iter()
        .filter_map(|product| attachment_ref(product.file.as_deref()))
        .collect();
    let files = state.store.attachments(&refs).await?;
    let products = update
        .content
        .products
        .iter()
        .map(|product| {
            let file = attachment_ref(product.file.as_deref()).and_then(|id| {
                files
                    .iter()
                    .find(|file| file.id == id && file.task_id == task.id)
                    .map(|file| FileLink::new(file, page))
            });
            ProductView {
                name: product.name.clone(),
                other_file: match file {
                    Some(_) => None,
                    None => product.file.clone(),
                },
                file,
            }
        })
        .collect();
    let (state_code, state_label) = update_state(page, update);
    Ok(Some(UpdateView {
        no: i64::from(update.no.0),
        state_code,
        state: state_label,
        status: status_label(page, update.content.status),
        percent: update.content.percent,
        completion_date: update.content.completion_date.map(|date| page.date(&date)),
        results: update.content.results.clone(),
        products,
        difficulties: update.content.difficulties.clone(),
        proposals: update.content.proposals.clone(),
        drafted_by: name(update.drafted_by),
        drafted_at: page.datetime(&update.drafted_at),
        approval: match update.state {
            UpdateState::Approved { by, at } => {
                Some(format!("{}, {}", name(by), page.datetime(&at)))
            }
            _ => None,
        },
        return_reason: match update.state {
            UpdateState::Returned { .. } => return_reason(events, no),
            _ => None,
        },
        rating: update
            .evaluation
            .as_ref()
            .map(|evaluation| rating_label(page, evaluation.rating)),
        comment: update
            .evaluation
            .as_ref()
            .and_then(|evaluation| evaluation.comment.clone()),
    }))
}

/// Returns the code and the name of an update's state.
pub fn update_state(page: &Page, update: &ProgressUpdate) -> (&'static str, String) {
    match update.state {
        UpdateState::AwaitingApproval => (
            "awaiting_approval",
            page.t("ui-updates-state-awaiting-approval"),
        ),
        UpdateState::Approved { .. } => ("approved", page.t("ui-updates-state-approved")),
        UpdateState::Returned { .. } => ("returned", page.t("ui-updates-state-returned")),
    }
}

/// Returns the reason given when update `no` was last returned.
pub fn return_reason(events: &[StoredEvent], no: UpdateNo) -> Option<String> {
    events
        .iter()
        .rev()
        .find(|stored| {
            matches!(stored.event.change, TaskChange::UpdateReturned { update } if update == no)
        })
        .and_then(|stored| stored.event.reason.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_typed_day_first_become_iso() {
        assert_eq!(date_for_domain("31/03/2026").as_deref(), Some("2026-03-31"));
        assert_eq!(date_for_domain(" 1/4/2026 ").as_deref(), Some("2026-04-01"));
        assert_eq!(date_for_domain("2026-04-01").as_deref(), Some("2026-04-01"));
        assert_eq!(date_for_domain("31/02/2026").as_deref(), Some("31/02/2026"));
        assert_eq!(date_for_domain("hôm qua").as_deref(), Some("hôm qua"));
        assert_eq!(date_for_domain("  "), None);
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/inbox")).as_deref(), Some("/inbox"));
        assert_eq!(
            local_path(Some("/tasks/4?tab=1")).as_deref(),
            Some("/tasks/4?tab=1")
        );
        assert_eq!(local_path(Some("//example.invalid/x")), None);
        assert_eq!(local_path(Some("https://example.invalid/")), None);
        assert_eq!(local_path(Some("/\\example.invalid")), None);
        assert_eq!(local_path(None), None);
    }

    #[test]
    fn notices_go_before_the_fragment() {
        assert_eq!(with_notice("/inbox", "urged"), "/inbox?notice=urged");
        assert_eq!(
            with_notice("/queues/evaluation?x=1#task-4", "urged"),
            "/queues/evaluation?x=1&notice=urged#task-4"
        );
    }

    #[test]
    fn anchors_match_the_input_ids() {
        assert_eq!(anchor("products[0].name"), "f-products-0-name");
        assert_eq!(anchor("completion_date"), "f-completion-date");
        assert_eq!(anchor("reason"), "f-reason");
    }

    #[test]
    fn attachment_refs_are_numbers() {
        assert_eq!(attachment_ref(Some("12")), Some(AttachmentId(12)));
        assert_eq!(attachment_ref(Some("bao-cao.pdf")), None);
        assert_eq!(attachment_ref(None), None);
    }
}
