//! The task page's view of a task, built from its history: document, classification, bodies,
//! deadline and its history, progress, sub-tasks, progress updates and the timeline.

use super::actions::{Permissions, update_rights};
use super::timeline::{self, Entry};
use super::{Loaded, Words};
use crate::state::Reference;
use crate::web::page::{Page, PageUser};
use crate::web::task_list::{catalogue_name, org_name};
use jiff::Timestamp;
use theodoi_domain::catalogue::Axis;
use theodoi_domain::result::ResultState;
use theodoi_domain::schedule::Cadence;
use theodoi_domain::task::event::FeedbackKind;
use theodoi_domain::task::update::{ProgressStatus, ProgressUpdate, UpdateState};
use theodoi_domain::task::{Task, TaskStatus};
use theodoi_i18n::Value;

/// A label and its value, for definition lists.
#[derive(Debug, Clone)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// One change of deadline.
#[derive(Debug, Clone)]
pub struct DeadlineRow {
    pub from: String,
    pub to: String,
    pub at: String,
    pub by: String,
    pub reason: String,
}

/// One sub-task, as far as the user may see it.
#[derive(Debug, Clone)]
pub struct SubtaskRow {
    pub href: String,
    pub ordinal: i64,
    pub lead: String,
    pub content: Option<String>,
    pub deadline: String,
    pub status_code: String,
    pub status: String,
    pub result_code: &'static str,
    pub result: String,
    pub percent: String,
}

/// A product of an update; `href` points at its attached file, when there is one.
#[derive(Debug, Clone)]
pub struct ProductLink {
    pub name: String,
    pub href: Option<String>,
}

/// One progress update with what the user may do with it.
#[derive(Debug, Clone)]
pub struct UpdateCard {
    pub no: u32,
    pub title: String,
    pub state_code: &'static str,
    pub state: String,
    pub status: String,
    pub percent: Option<String>,
    pub completion_date: Option<String>,
    pub results: Option<String>,
    pub products: Vec<ProductLink>,
    pub difficulties: Option<String>,
    pub proposals: Option<String>,
    pub drafted: String,
    /// Everyone who wrote the draft, shown only when someone edited it after its drafter.
    pub authors: Option<String>,
    pub approved: Option<String>,
    pub returned: Option<String>,
    pub evaluation: Option<Fact>,
    pub evaluation_comment: Option<String>,
    pub voided: Option<String>,
    pub can_approve: bool,
    pub can_send_back: bool,
    pub can_edit: bool,
    pub edit_reopens: bool,
    pub can_evaluate: bool,
}

/// Feedback from the lead body that waits for the assigning side.
#[derive(Debug, Clone)]
pub struct FeedbackNote {
    pub kind: String,
    pub at: String,
    pub body: String,
    pub reason: String,
}

/// Everything the live part of the task page shows.
#[derive(Debug, Clone)]
pub struct TaskDetails {
    pub id: i64,
    pub version: u32,
    /// The version the open page's forms carry; the live refresh keeps asking with it.
    pub page_version: u32,
    /// Not transferred yet: the lead body and the deadline may still be edited directly.
    pub before_transfer: bool,
    pub heading: String,
    pub document_href: Option<String>,
    pub document_symbol: String,
    pub document_title: Option<String>,
    pub parent_href: Option<String>,
    /// `None` for classified tasks, whose content is never stored.
    pub content: Option<String>,
    pub expected_products: Option<String>,
    pub confidentiality_code: &'static str,
    pub confidentiality: String,
    pub status_code: &'static str,
    pub status: String,
    pub result_code: &'static str,
    pub result: Option<String>,
    pub deadline: Option<String>,
    /// End of the deadline day, for the countdown; absent once the task is closed.
    pub deadline_end: Option<String>,
    pub original_deadline: Option<String>,
    pub requested_extension: Option<String>,
    pub classification: Vec<Fact>,
    pub bodies: Vec<Fact>,
    pub coordinating: Vec<String>,
    pub dates: Vec<Fact>,
    pub pending_feedback: Option<FeedbackNote>,
    pub percent: Option<String>,
    pub rollup: Option<String>,
    pub deadline_history: Vec<DeadlineRow>,
    pub subtasks: Vec<SubtaskRow>,
    pub updates: Vec<UpdateCard>,
    pub timeline: Vec<Entry>,
    pub draft_update: bool,
    pub delegate: bool,
    pub handle_feedback: bool,
    /// The page was opened at another version: its forms are out of date.
    pub stale: bool,
}

fn status_id(status: TaskStatus) -> String {
    format!("task-status-{}", status.as_str().replace('_', "-"))
}

/// Names a progress status with the result names for the states they share, and with the
/// task status for finished execution without completion.
fn progress_status_name(words: &Words, status: ProgressStatus) -> String {
    match status {
        ProgressStatus::NotStarted => words.text("result-not-started").done(),
        ProgressStatus::InProgress => words.text("result-in-progress").done(),
        ProgressStatus::Completed => words.text("result-completed").done(),
        ProgressStatus::DoneNotCompleted => words.text("task-status-done-not-completed").done(),
    }
}

fn cadence_name(words: &Words, cadence: Cadence) -> String {
    match cadence {
        Cadence::UnderOneMonth => words.text("ui-task-page-cadence-under-one-month"),
        Cadence::OneToThreeMonths => words.text("ui-task-page-cadence-one-to-three-months"),
        Cadence::ThreeToSixMonths => words.text("ui-task-page-cadence-three-to-six-months"),
        Cadence::SixMonthsOrMore => words.text("ui-task-page-cadence-six-months-or-more"),
        Cadence::NoDeadline => words.text("ui-task-page-cadence-no-deadline"),
    }
    .done()
}

pub fn feedback_kind_name(words: &Words, kind: FeedbackKind) -> String {
    match kind {
        FeedbackKind::WrongContent => words.text("ui-task-page-feedback-wrong-content"),
        FeedbackKind::OutsideAuthority => words.text("ui-task-page-feedback-outside-authority"),
    }
    .done()
}

fn at_by(
    words: &Words,
    loaded: &Loaded,
    user: theodoi_domain::ids::UserId,
    at: Timestamp,
) -> String {
    words
        .text("ui-task-page-by-at")
        .arg("name", loaded.user_name(user))
        .arg("at", words.datetime(at))
        .done()
}

fn update_card(
    words: &Words,
    loaded: &Loaded,
    user: &PageUser,
    update: &ProgressUpdate,
) -> UpdateCard {
    let task = &loaded.history.task;
    let content = &update.content;
    let rights = update_rights(task, &user.current.user, update.no.0);
    let (state_code, state) = match update.state {
        UpdateState::AwaitingApproval => (
            "awaiting_approval",
            words.text("ui-task-page-update-awaiting").done(),
        ),
        UpdateState::Approved { .. } => (
            "approved",
            words.text("ui-task-page-update-approved").done(),
        ),
        UpdateState::Returned { .. } => (
            "returned",
            words.text("ui-task-page-update-returned").done(),
        ),
    };
    let authors: Vec<String> = update
        .authors
        .iter()
        .map(|author| loaded.user_name(*author))
        .collect();
    UpdateCard {
        no: update.no.0,
        title: words
            .text("ui-task-page-update-number")
            .arg("number", Value::Number(i64::from(update.no.0)))
            .done(),
        state_code,
        state,
        status: progress_status_name(words, content.status),
        percent: content.percent.map(|percent| format!("{percent}%")),
        completion_date: content.completion_date.map(|date| words.date(date)),
        results: content.results.clone(),
        products: content
            .products
            .iter()
            .map(|product| ProductLink {
                name: product.name.clone(),
                href: product.file.as_ref().map(|file| {
                    let file: String = form_urlencoded::byte_serialize(file.as_bytes()).collect();
                    format!("/attachments/{file}")
                }),
            })
            .collect(),
        difficulties: content.difficulties.clone(),
        proposals: content.proposals.clone(),
        drafted: at_by(words, loaded, update.drafted_by, update.drafted_at),
        authors: (update
            .authors
            .iter()
            .any(|author| *author != update.drafted_by))
        .then(|| authors.join(", ")),
        approved: match update.state {
            UpdateState::Approved { by, at } => Some(at_by(words, loaded, by, at)),
            _ => None,
        },
        returned: match update.state {
            UpdateState::Returned { by, at } => Some(at_by(words, loaded, by, at)),
            _ => None,
        },
        evaluation: update.evaluation.as_ref().map(|evaluation| Fact {
            label: words.text("field-rating").done(),
            value: words
                .text(&format!(
                    "ui-task-page-rating-{}",
                    evaluation.rating.as_str()
                ))
                .done(),
        }),
        evaluation_comment: update
            .evaluation
            .as_ref()
            .and_then(|evaluation| evaluation.comment.clone()),
        voided: (update.voided_approvals > 0).then(|| {
            words
                .text("ui-task-page-update-voided")
                .arg("count", Value::Number(i64::from(update.voided_approvals)))
                .done()
        }),
        can_approve: rights.approve,
        can_send_back: rights.send_back,
        can_edit: rights.edit,
        edit_reopens: rights.edit_reopens,
        can_evaluate: rights.evaluate,
    }
}

fn subtask_row(words: &Words, reference: &Reference, row: &theodoi_store::TaskRow) -> SubtaskRow {
    let classified = row.confidentiality != "normal";
    SubtaskRow {
        href: format!("/tasks/{}", row.id.0),
        ordinal: row.ordinal,
        lead: org_name(reference, words.lang, row.lead_body),
        content: if classified {
            None
        } else {
            row.content.clone()
        },
        deadline: row
            .deadline
            .map(|date| words.date(date))
            .unwrap_or_else(|| words.text("ui-tasks-no-deadline").done()),
        status_code: row.status.clone(),
        status: words
            .text(&format!("task-status-{}", row.status.replace('_', "-")))
            .done(),
        result_code: row.result_state.map(ResultState::as_str).unwrap_or("none"),
        result: row
            .result_state
            .map(|state| words.text(&state.message_id()).done())
            .unwrap_or_else(|| "—".to_owned()),
        percent: row
            .percent
            .map(|percent| format!("{percent}%"))
            .unwrap_or_else(|| "—".to_owned()),
    }
}

fn classification(words: &Words, reference: &Reference, task: &Task) -> Vec<Fact> {
    let lang = words.lang;
    let axes = &task.classification;
    let mut scope = catalogue_name(reference, lang, Axis::Scope, &axes.scope);
    if let Some(detail) = &axes.scope_detail {
        scope = format!("{scope}: {detail}");
    }
    let time = if task.deadline.is_some() {
        words.text("ui-task-page-time-with-deadline")
    } else {
        words.text("ui-task-page-time-without-deadline")
    };
    let mut facts = vec![
        Fact {
            label: words.text("ui-task-page-axis-time").done(),
            value: time.done(),
        },
        Fact {
            label: words.text("field-executing-unit").done(),
            value: catalogue_name(reference, lang, Axis::ExecutingUnit, &axes.executing_unit),
        },
        Fact {
            label: words.text("field-scope").done(),
            value: scope,
        },
        Fact {
            label: words.text("field-priority").done(),
            value: catalogue_name(reference, lang, Axis::Priority, &axes.priority),
        },
        Fact {
            label: words.text("field-confidentiality").done(),
            value: words.text(task.confidentiality.message_id()).done(),
        },
    ];
    if let Some(other) = &axes.other {
        facts.push(Fact {
            label: words.text("field-other").done(),
            value: catalogue_name(reference, lang, Axis::Other, other),
        });
    }
    facts
}

fn dates(words: &Words, task: &Task) -> Vec<Fact> {
    let mut facts = vec![Fact {
        label: words.text("ui-task-page-created-at").done(),
        value: words.datetime(task.created_at),
    }];
    if let Some(at) = task.first_transferred_at {
        facts.push(Fact {
            label: words.text("ui-task-page-first-transferred-at").done(),
            value: words.datetime(at),
        });
    }
    if let Some(at) = task
        .transferred_at
        .filter(|at| Some(*at) != task.first_transferred_at)
    {
        facts.push(Fact {
            label: words.text("ui-task-page-transferred-at").done(),
            value: words.datetime(at),
        });
    }
    if let Some(at) = task.received_at {
        facts.push(Fact {
            label: words.text("ui-task-page-received-at").done(),
            value: words.datetime(at),
        });
    }
    facts.push(Fact {
        label: words.text("field-report-period").done(),
        value: words
            .text(&format!(
                "ui-task-page-period-{}",
                task.report_period.as_str().replace('_', "-")
            ))
            .done(),
    });
    if let Some(schedule) = &task.schedule {
        facts.push(Fact {
            label: words.text("ui-task-page-cadence").done(),
            value: cadence_name(words, schedule.cadence),
        });
    }
    facts
}

fn bodies(words: &Words, reference: &Reference, task: &Task) -> Vec<Fact> {
    let named = |id: &str, body| Fact {
        label: words.text(id).done(),
        value: org_name(reference, words.lang, body),
    };
    vec![
        named("field-lead-body", task.lead_body),
        named("field-monitoring-body", task.monitoring_body),
        named("ui-task-page-assigning-body", task.assigning_body),
    ]
}

fn feedback_note(words: &Words, reference: &Reference, task: &Task) -> Option<FeedbackNote> {
    let feedback = task.pending_feedback.as_ref()?;
    Some(FeedbackNote {
        kind: feedback_kind_name(words, feedback.kind),
        at: words.datetime(feedback.at),
        body: feedback
            .body
            .map(|body| org_name(reference, words.lang, body))
            .unwrap_or_default(),
        reason: feedback.reason.clone().unwrap_or_default(),
    })
}

fn deadline_rows(words: &Words, loaded: &Loaded) -> Vec<DeadlineRow> {
    loaded
        .history
        .task
        .deadline_changes
        .iter()
        .map(|change| DeadlineRow {
            from: words.date(change.from),
            to: words.date(change.to),
            at: words.datetime(change.at),
            by: change.by.map(|by| loaded.user_name(by)).unwrap_or_default(),
            reason: change.reason.clone().unwrap_or_default(),
        })
        .collect()
}

/// Builds the page's view of the task for `user`. The live refresh passes `page_version`, the
/// version the open page was rendered from, so that the view can warn when the page is stale.
pub fn details(
    loaded: &Loaded,
    reference: &Reference,
    page: &Page,
    user: &PageUser,
    permissions: &Permissions,
    now: Timestamp,
    page_version: Option<u32>,
) -> TaskDetails {
    let words = Words { lang: page.lang };
    let task = &loaded.history.task;
    let lang = page.lang;
    let result = task
        .result_facts()
        .state_on(theodoi_calendar::local_date(now));
    let closed = matches!(task.status, TaskStatus::Completed | TaskStatus::Cancelled);
    let document = loaded.document.as_ref();

    // Newest first: the latest update speaks for the task.
    let mut updates: Vec<UpdateCard> = task
        .updates
        .iter()
        .map(|update| update_card(&words, loaded, user, update))
        .collect();
    updates.reverse();

    TaskDetails {
        id: task.id.0,
        version: task.version,
        page_version: page_version.unwrap_or(task.version),
        before_transfer: task.first_transferred_at.is_none(),
        heading: words
            .text("ui-task-page-heading")
            .arg("ordinal", Value::Number(i64::from(task.ordinal)))
            .arg("symbol", loaded.row.document_symbol.clone())
            .done(),
        document_href: document.map(|document| format!("/documents/{}", document.id.0)),
        document_symbol: loaded.row.document_symbol.clone(),
        document_title: document.map(|document| document.content.title.clone()),
        parent_href: task.parent_id.map(|parent| format!("/tasks/{}", parent.0)),
        content: task
            .content
            .clone()
            .filter(|_| task.confidentiality.allows_task_content()),
        expected_products: task.expected_products.clone(),
        confidentiality_code: task.confidentiality.as_str(),
        confidentiality: words.text(task.confidentiality.message_id()).done(),
        status_code: task.status.as_str(),
        status: words.text(&status_id(task.status)).done(),
        result_code: result.map(ResultState::as_str).unwrap_or("none"),
        result: result.map(|state| words.text(&state.message_id()).done()),
        deadline: task.deadline.map(|date| words.date(date)),
        deadline_end: task
            .deadline
            .filter(|_| !closed && task.status != TaskStatus::Draft)
            .map(|date| theodoi_calendar::end_of_day(date).to_string()),
        original_deadline: task
            .original_deadline
            .filter(|original| Some(*original) != task.deadline)
            .map(|date| words.date(date)),
        requested_extension: task.requested_extension.map(|date| words.date(date)),
        classification: classification(&words, reference, task),
        bodies: bodies(&words, reference, task),
        coordinating: task
            .coordinating_bodies
            .iter()
            .map(|id| org_name(reference, lang, *id))
            .collect(),
        dates: dates(&words, task),
        pending_feedback: feedback_note(&words, reference, task),
        percent: task.percent().map(|percent| format!("{percent}%")),
        rollup: loaded
            .row
            .rollup_percent
            .filter(|_| !task.subtasks.is_empty())
            .map(|percent| format!("{percent}%")),
        deadline_history: deadline_rows(&words, loaded),
        subtasks: loaded
            .subtasks
            .iter()
            .map(|row| subtask_row(&words, reference, row))
            .collect(),
        updates,
        timeline: timeline::entries(&words, loaded, reference, now),
        draft_update: permissions.draft_update,
        delegate: permissions.delegate,
        handle_feedback: permissions.handle_feedback,
        stale: page_version.is_some_and(|version| version != task.version),
    }
}
