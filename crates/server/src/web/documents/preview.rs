//! The preview of a task before it is saved: the obligations and update schedule it would
//! get if it were transferred now. The domain computes them from the same events a real
//! creation and transfer would record, so the preview cannot drift from the rules.

use super::errors::FieldMessage;
use super::pickers::{org_label, period_message};
use crate::state::Reference;
use jiff::Timestamp;
use theodoi_domain::DomainResult;
use theodoi_domain::document::Document;
use theodoi_domain::ids::TaskId;
use theodoi_domain::obligation::{ObligationKind, obligations};
use theodoi_domain::schedule::{Cadence, CheckpointKind, UpdateSchedule};
use theodoi_domain::task::event::TaskChange;
use theodoi_domain::task::{Context, NewTaskInput, Task, TaskCommand, new_task};
use theodoi_domain::user::Actor;
use theodoi_i18n::{Lang, Value, catalogue, format_date};

/// One obligation the task would carry.
#[derive(Debug, Clone)]
pub struct ObligationLine {
    pub label: String,
    /// Name of the checkpoint, or how the due time was reckoned.
    pub detail: Option<String>,
    pub responsible: String,
    /// When its clock starts, for checkpoints that open later.
    pub opens_at: Option<Timestamp>,
    pub due_at: Timestamp,
    /// Already past its due time: an entry deadline missed before the task was even saved.
    pub overdue: bool,
}

/// The preview of one task row.
#[derive(Debug, Clone)]
pub struct TaskPreview {
    /// 1-based position of the row in the form.
    pub number: usize,
    pub cadence: String,
    /// The reporting period, for tasks that report periodically.
    pub period: Option<String>,
    /// Classified tasks report only their final outcome, so they owe no checkpoints.
    pub classified: bool,
    pub obligations: Vec<ObligationLine>,
}

/// The preview of a whole form.
#[derive(Debug, Clone, Default)]
pub struct Preview {
    /// The moment the preview assumes the tasks are transferred.
    pub computed_at: Option<Timestamp>,
    /// When the document's tasks must be entered and transferred.
    pub entry_due: Option<Timestamp>,
    pub entry_overdue: bool,
    pub tasks: Vec<TaskPreview>,
    /// Set when the document's own fields must be corrected before anything can be shown.
    pub document_invalid: bool,
    /// Errors that keep rows from being previewed, with links to the fields.
    pub problems: Vec<FieldMessage>,
}

fn cadence_message(cadence: Cadence) -> &'static str {
    match cadence {
        Cadence::UnderOneMonth => "ui-documents-cadence-under-one-month",
        Cadence::OneToThreeMonths => "ui-documents-cadence-one-to-three-months",
        Cadence::ThreeToSixMonths => "ui-documents-cadence-three-to-six-months",
        Cadence::SixMonthsOrMore => "ui-documents-cadence-six-months-or-more",
        Cadence::NoDeadline => "ui-documents-cadence-no-deadline",
    }
}

fn detail(kind: ObligationKind, schedule: &UpdateSchedule, lang: Lang) -> Option<String> {
    let text = |id: &str| catalogue().text(lang, id);
    match kind {
        ObligationKind::Checkpoint { checkpoint } => Some(match checkpoint {
            CheckpointKind::Half => text("ui-documents-checkpoint-half"),
            CheckpointKind::ThreeQuarters => text("ui-documents-checkpoint-three-quarters"),
            CheckpointKind::Period { start, end } => catalogue().format(
                lang,
                "ui-documents-checkpoint-period",
                &[
                    ("start", Value::Text(format_date(start))),
                    ("end", Value::Text(format_date(end))),
                ],
            ),
        }),
        ObligationKind::FinalReport => schedule.final_report_working_days.map(|days| {
            catalogue().format(
                lang,
                "ui-documents-final-report-detail",
                &[("days", Value::Number(i64::from(days)))],
            )
        }),
        _ => None,
    }
}

/// Previews task `input` of `document` as if `actor` created it at position `ordinal` and
/// transferred it at `now`. Fails with the domain's errors when the row is invalid.
pub fn task_preview(
    reference: &Reference,
    actor: &Actor,
    now: Timestamp,
    document: &Document,
    input: &NewTaskInput,
    ordinal: u32,
    lang: Lang,
) -> DomainResult<TaskPreview> {
    let ctx = Context {
        actor,
        now,
        calendar: &reference.calendar,
        orgs: &reference.orgs,
        catalogues: &reference.catalogues,
        parent: None,
    };
    let created = new_task(input, document, ordinal, &ctx)?;
    let task = Task::replay(TaskId(0), std::slice::from_ref(&created))
        .expect("a history that starts with its creation replays");
    let mut events = vec![created];
    events.extend(task.handle(TaskCommand::Transfer, None, &ctx)?);
    let schedule = events
        .iter()
        .find_map(|event| match &event.change {
            TaskChange::Transferred { schedule, .. } => Some(schedule.clone()),
            _ => None,
        })
        .expect("a transfer plans the update schedule");

    let lines = obligations(&events)
        .into_iter()
        .map(|obligation| ObligationLine {
            label: catalogue().text(lang, &obligation.kind.message_id()),
            detail: detail(obligation.kind, &schedule, lang),
            responsible: org_label(reference, obligation.responsible, lang),
            opens_at: matches!(obligation.kind, ObligationKind::Checkpoint { .. })
                .then_some(obligation.opened_at),
            due_at: obligation.due_at,
            overdue: obligation.due_at < now,
        })
        .collect();
    Ok(TaskPreview {
        number: usize::try_from(ordinal).unwrap_or(usize::MAX),
        cadence: catalogue().text(lang, cadence_message(schedule.cadence)),
        period: schedule
            .period
            .map(|period| catalogue().text(lang, period_message(period))),
        classified: !task.confidentiality.allows_detailed_results(),
        obligations: lines,
    })
}
