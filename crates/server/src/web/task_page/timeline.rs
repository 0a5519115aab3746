//! The timeline of a task: every event of its history as a sentence in the user's language,
//! merged by time with the due time of every obligation and its status.

use super::view::feedback_kind_name;
use super::{Loaded, Words};
use crate::state::Reference;
use crate::web::task_list::org_name;
use jiff::{SignedDuration, Timestamp};
use theodoi_domain::obligation::{Obligation, ObligationKind, ObligationStatus, obligations};
use theodoi_domain::schedule::CheckpointKind;
use theodoi_domain::task::event::{FeedbackOutcome, TaskChange, TaskEdits, TaskEvent};
use theodoi_i18n::Value;

/// One line of the timeline.
#[derive(Debug, Clone)]
pub struct Entry {
    /// `event`, `obligation` or `now` (the marker between past and future).
    pub kind: &'static str,
    /// The event type or obligation status, for styling.
    pub code: &'static str,
    pub at: String,
    pub iso: String,
    pub actor: Option<String>,
    pub body: Option<String>,
    pub sentence: String,
    pub reason: Option<String>,
    /// Status of an obligation, with its name.
    pub badge: Option<(&'static str, String)>,
    pub detail: Option<String>,
    /// A related page, such as the sub-task a delegation created.
    pub link: Option<(String, String)>,
    /// The obligation is still open and its due time lies ahead: show a countdown.
    pub countdown: bool,
    sort: (Timestamp, u8, u32),
}

/// Formats a duration as days, hours and minutes, such as "2 ngày 3 giờ". Minutes appear
/// only under a day, so that long breaches read at a glance.
pub fn duration(words: &Words, by: SignedDuration) -> String {
    let minutes = by.as_secs().unsigned_abs() / 60;
    let days = minutes / 1440;
    let hours = (minutes % 1440) / 60;
    let rest = minutes % 60;
    let count = |value: u64| Value::Number(i64::try_from(value).unwrap_or(i64::MAX));
    let mut parts = Vec::new();
    if days > 0 {
        parts.push(
            words
                .text("ui-task-page-days")
                .arg("count", count(days))
                .done(),
        );
    }
    if hours > 0 {
        parts.push(
            words
                .text("ui-task-page-hours")
                .arg("count", count(hours))
                .done(),
        );
    }
    if days == 0 && (rest > 0 || hours == 0) {
        parts.push(
            words
                .text("ui-task-page-minutes")
                .arg("count", count(rest))
                .done(),
        );
    }
    parts.join(" ")
}

fn changed_fields(words: &Words, edits: &TaskEdits) -> String {
    let checks = [
        (edits.content.is_some(), "field-content"),
        (edits.expected_products.is_some(), "field-expected-products"),
        (
            edits.classification.is_some(),
            "ui-task-page-classification",
        ),
        (edits.lead_body.is_some(), "field-lead-body"),
        (
            edits.coordinating_bodies.is_some(),
            "field-coordinating-bodies",
        ),
        (edits.monitoring_body.is_some(), "field-monitoring-body"),
        (edits.deadline.is_some(), "field-deadline"),
        (edits.report_period.is_some(), "field-report-period"),
        (edits.group_id.is_some(), "field-group"),
    ];
    checks
        .into_iter()
        .filter(|(changed, _)| *changed)
        .map(|(_, id)| words.text(id).done().to_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Returns the sentence for an event, and a link when the event points at another page.
fn describe(
    words: &Words,
    reference: &Reference,
    event: &TaskEvent,
) -> (String, Option<(String, String)>) {
    let org = |id| org_name(reference, words.lang, id);
    let number = |update: &theodoi_domain::ids::UpdateNo| Value::Number(i64::from(update.0));
    let sentence = match &event.change {
        TaskChange::Created(_) => words.text("ui-task-page-event-created"),
        TaskChange::Edited(edits) => words
            .text("ui-task-page-event-edited")
            .arg("fields", changed_fields(words, edits)),
        TaskChange::Transferred {
            to, receipt_due, ..
        } => words
            .text("ui-task-page-event-transferred")
            .arg("body", org(*to))
            .arg("due", words.datetime(*receipt_due)),
        TaskChange::ReceiptConfirmed { feedback_due, .. } => words
            .text("ui-task-page-event-receipt-confirmed")
            .arg("due", words.datetime(*feedback_due)),
        TaskChange::Returned {
            kind, handling_due, ..
        } => words
            .text("ui-task-page-event-returned")
            .arg("kind", feedback_kind_name(words, *kind))
            .arg("due", words.datetime(*handling_due)),
        TaskChange::FeedbackHandled { outcome, edits } => match outcome {
            FeedbackOutcome::Adjusted => words
                .text("ui-task-page-event-feedback-adjusted")
                .arg("fields", changed_fields(words, edits)),
            FeedbackOutcome::Corrected => words
                .text("ui-task-page-event-feedback-corrected")
                .arg("fields", changed_fields(words, edits)),
            FeedbackOutcome::Reassigned { from, to } => words
                .text("ui-task-page-event-feedback-reassigned")
                .arg("from", org(*from))
                .arg("to", org(*to)),
            FeedbackOutcome::Rejected => words.text("ui-task-page-event-feedback-rejected"),
        },
        TaskChange::UpdateDrafted { update, .. } => words
            .text("ui-task-page-event-update-drafted")
            .arg("number", number(update)),
        TaskChange::UpdateEdited {
            update,
            voided_approval: true,
            ..
        } => words
            .text("ui-task-page-event-update-reopened")
            .arg("number", number(update)),
        TaskChange::UpdateEdited { update, .. } => words
            .text("ui-task-page-event-update-edited")
            .arg("number", number(update)),
        TaskChange::UpdateApproved {
            update,
            evaluation_due,
            ..
        } => words
            .text("ui-task-page-event-update-approved")
            .arg("number", number(update))
            .arg("due", words.datetime(*evaluation_due)),
        TaskChange::UpdateReturned { update } => words
            .text("ui-task-page-event-update-returned")
            .arg("number", number(update)),
        TaskChange::UpdateEvaluated { update, evaluation } => words
            .text("ui-task-page-event-update-evaluated")
            .arg("number", number(update))
            .arg(
                "rating",
                words
                    .text(&format!(
                        "ui-task-page-rating-{}",
                        evaluation.rating.as_str()
                    ))
                    .done(),
            ),
        TaskChange::ExtensionRequested { proposed } => words
            .text("ui-task-page-event-extension-requested")
            .arg("date", words.date(*proposed)),
        TaskChange::DeadlineExtended { from, to, .. } => words
            .text("ui-task-page-event-deadline-extended")
            .arg("from", words.date(*from))
            .arg("to", words.date(*to)),
        TaskChange::UpdateRequested { due_at, .. } => words
            .text("ui-task-page-event-update-requested")
            .arg("due", words.datetime(*due_at)),
        TaskChange::Urged { channel } => words.text("ui-task-page-event-urged").arg(
            "channel",
            words
                .text(&format!(
                    "ui-task-page-channel-{}",
                    channel.as_str().replace('_', "-")
                ))
                .done()
                .to_lowercase(),
        ),
        TaskChange::DifficultyReported {
            copied_to: Some(copied),
        } => words
            .text("ui-task-page-event-difficulty-copied")
            .arg("body", org(*copied)),
        TaskChange::DifficultyReported { copied_to: None } => {
            words.text("ui-task-page-event-difficulty")
        }
        TaskChange::Delegated { subtask, to } => {
            let sentence = words
                .text("ui-task-page-event-delegated")
                .arg("body", org(*to))
                .done();
            let link = (
                format!("/tasks/{}", subtask.0),
                words.text("ui-task-page-open-subtask").done(),
            );
            return (sentence, Some(link));
        }
        TaskChange::ScheduleExtended { checkpoints, .. } => {
            words.text("ui-task-page-event-schedule-extended").arg(
                "count",
                Value::Number(i64::try_from(checkpoints.len()).unwrap_or(0)),
            )
        }
        TaskChange::Withdrawn => words.text("ui-task-page-event-withdrawn"),
        TaskChange::Cancelled => words.text("ui-task-page-event-cancelled"),
    };
    (sentence.done(), None)
}

fn event_entry(words: &Words, loaded: &Loaded, reference: &Reference, event: &TaskEvent) -> Entry {
    let (sentence, link) = describe(words, reference, event);
    Entry {
        kind: "event",
        code: event.change.name(),
        at: words.datetime(event.at),
        iso: event.at.to_string(),
        actor: Some(match event.actor {
            Some(actor) => loaded.user_name(actor),
            None => words.text("ui-task-page-system").done(),
        }),
        body: event.body.map(|body| org_name(reference, words.lang, body)),
        sentence,
        reason: event.reason.clone(),
        badge: None,
        detail: None,
        link,
        countdown: false,
        sort: (event.at, 0, event.seq),
    }
}

fn obligation_title(words: &Words, obligation: &Obligation) -> String {
    let name = words.text(&obligation.kind.message_id()).done();
    let detail = match obligation.kind {
        ObligationKind::Checkpoint {
            checkpoint: CheckpointKind::Half,
        } => Some(words.text("ui-task-page-checkpoint-half").done()),
        ObligationKind::Checkpoint {
            checkpoint: CheckpointKind::ThreeQuarters,
        } => Some(words.text("ui-task-page-checkpoint-three-quarters").done()),
        ObligationKind::Checkpoint {
            checkpoint: CheckpointKind::Period { start, end },
        } => Some(
            words
                .text("ui-task-page-checkpoint-period")
                .arg("start", words.date(start))
                .arg("end", words.date(end))
                .done(),
        ),
        ObligationKind::Evaluation { update } => Some(
            words
                .text("ui-task-page-obligation-update")
                .arg("number", Value::Number(i64::from(update.0)))
                .done(),
        ),
        _ => None,
    };
    match detail {
        Some(detail) => format!("{name} ({detail})"),
        None => name,
    }
}

fn obligation_entry(
    words: &Words,
    reference: &Reference,
    obligation: &Obligation,
    index: usize,
    now: Timestamp,
) -> Entry {
    let status = obligation.status_at(now);
    let label = words
        .text(&format!(
            "obligation-status-{}",
            status.name().replace('_', "-")
        ))
        .done();
    let detail = match status {
        ObligationStatus::Met { at } => Some(
            words
                .text("ui-task-page-obligation-met-at")
                .arg("at", words.datetime(at))
                .done(),
        ),
        ObligationStatus::Breached {
            by,
            met_at: Some(at),
        } => Some(
            words
                .text("ui-task-page-obligation-late-done")
                .arg("late", duration(words, by))
                .arg("at", words.datetime(at))
                .done(),
        ),
        ObligationStatus::Breached { by, met_at: None } => Some(
            words
                .text("ui-task-page-obligation-late-open")
                .arg("late", duration(words, by))
                .done(),
        ),
        ObligationStatus::Pending => None,
        ObligationStatus::NotRequired => {
            Some(words.text("ui-task-page-obligation-not-required").done())
        }
        ObligationStatus::Cancelled => Some(words.text("ui-task-page-obligation-cancelled").done()),
    };
    Entry {
        kind: "obligation",
        code: status.name(),
        at: words.datetime(obligation.due_at),
        iso: obligation.due_at.to_string(),
        actor: None,
        body: Some(org_name(reference, words.lang, obligation.responsible)),
        sentence: words
            .text("ui-task-page-obligation-due")
            .arg("obligation", obligation_title(words, obligation))
            .done(),
        reason: None,
        badge: Some((status.name(), label)),
        detail,
        link: None,
        countdown: status == ObligationStatus::Pending,
        sort: (
            obligation.due_at,
            1,
            u32::try_from(index).unwrap_or(u32::MAX),
        ),
    }
}

/// Lists every event and obligation in time order, with a marker at `now` when some due
/// times are still ahead.
pub fn entries(
    words: &Words,
    loaded: &Loaded,
    reference: &Reference,
    now: Timestamp,
) -> Vec<Entry> {
    let events = loaded.history.domain_events();
    let mut entries: Vec<Entry> = events
        .iter()
        .map(|event| event_entry(words, loaded, reference, event))
        .collect();
    entries.extend(
        obligations(&events)
            .iter()
            .enumerate()
            .map(|(index, obligation)| obligation_entry(words, reference, obligation, index, now)),
    );
    if entries.iter().any(|entry| entry.sort.0 > now) {
        entries.push(Entry {
            kind: "now",
            code: "now",
            at: words.datetime(now),
            iso: now.to_string(),
            actor: None,
            body: None,
            sentence: words.text("ui-task-page-now").done(),
            reason: None,
            badge: None,
            detail: None,
            link: None,
            countdown: false,
            sort: (now, 2, 0),
        });
    }
    entries.sort_by_key(|entry| entry.sort);
    entries
}
