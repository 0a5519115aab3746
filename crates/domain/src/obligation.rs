//! Timed obligations of a task: each step of the workflow that must happen by a due time.
//!
//! Obligations are a fold over the task's events. Due times come from the events themselves,
//! where they were stored with the calendar version that computed them, so a later edit of the
//! calendar never moves a due time already given.

use crate::ids::{OrgId, UpdateNo};
use crate::schedule::{Checkpoint, CheckpointKind, UpdateSchedule};
use crate::task::event::{TaskChange, TaskEvent};
use crate::task::update::UpdateContent;
use jiff::civil::{Date, Time};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What must be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ObligationKind {
    /// Enter and transfer the task, 3 working days after the document's issue.
    Entry,
    /// Confirm receipt, 4 working hours after transfer.
    Receipt,
    /// Return the task with feedback if it is wrong, 8 working hours after receipt. Optional:
    /// a body with no feedback owes nothing.
    Feedback,
    /// Handle feedback, 1 working day after it arrived.
    FeedbackHandling,
    /// Report progress at a checkpoint of the update schedule.
    Checkpoint { checkpoint: CheckpointKind },
    /// Report completion, a few working days after execution finished.
    FinalReport,
    /// Report progress on request.
    RequestedUpdate,
    /// Evaluate an approved update, 3 working days after approval.
    Evaluation { update: UpdateNo },
}

impl ObligationKind {
    pub fn name(self) -> &'static str {
        match self {
            ObligationKind::Entry => "entry",
            ObligationKind::Receipt => "receipt",
            ObligationKind::Feedback => "feedback",
            ObligationKind::FeedbackHandling => "feedback_handling",
            ObligationKind::Checkpoint { .. } => "checkpoint",
            ObligationKind::FinalReport => "final_report",
            ObligationKind::RequestedUpdate => "requested_update",
            ObligationKind::Evaluation { .. } => "evaluation",
        }
    }

    pub const NAMES: [&'static str; 8] = [
        "entry",
        "receipt",
        "feedback",
        "feedback_handling",
        "checkpoint",
        "final_report",
        "requested_update",
        "evaluation",
    ];

    /// Message id of the kind's name.
    pub fn message_id(self) -> String {
        format!("obligation-{}", self.name().replace('_', "-"))
    }
}

/// One obligation with its clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Obligation {
    pub kind: ObligationKind,
    /// The body that answers for it.
    pub responsible: OrgId,
    /// When its clock started: the command that opened it, the start of a checkpoint's period
    /// or fraction, or the start of the reported completion date for a settled final report.
    pub opened_at: Timestamp,
    pub due_at: Timestamp,
    pub calendar_version: String,
    pub met_at: Option<Timestamp>,
    /// When it stopped applying unmet: the task was withdrawn or cancelled, a new transfer or
    /// deadline replaced the schedule, or finished execution was approved before a checkpoint
    /// opened.
    pub closed_at: Option<Timestamp>,
    pub optional: bool,
}

/// Where an obligation stands at some moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ObligationStatus {
    Pending,
    Met {
        at: Timestamp,
    },
    /// Late by `by`; `met_at` is set when it was done late, absent while still undone.
    Breached {
        #[serde(with = "seconds")]
        by: SignedDuration,
        met_at: Option<Timestamp>,
    },
    /// An optional obligation whose window closed unused.
    NotRequired,
    /// It stopped applying before it was due.
    Cancelled,
}

mod seconds {
    use jiff::SignedDuration;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        value: &SignedDuration,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(value.as_secs())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<SignedDuration, D::Error> {
        i64::deserialize(deserializer).map(SignedDuration::from_secs)
    }
}

impl ObligationStatus {
    pub fn name(self) -> &'static str {
        match self {
            ObligationStatus::Pending => "pending",
            ObligationStatus::Met { .. } => "met",
            ObligationStatus::Breached { .. } => "breached",
            ObligationStatus::NotRequired => "not_required",
            ObligationStatus::Cancelled => "cancelled",
        }
    }
}

impl Obligation {
    /// The status at `now`, from the facts recorded by then.
    pub fn status_at(&self, now: Timestamp) -> ObligationStatus {
        let met_at = self.met_at.filter(|at| *at <= now);
        let closed_at = self.closed_at.filter(|at| *at <= now);
        match (met_at, closed_at) {
            (Some(at), _) if at <= self.due_at => ObligationStatus::Met { at },
            (Some(at), _) => ObligationStatus::Breached {
                by: self.due_at.duration_until(at),
                met_at: Some(at),
            },
            (None, Some(closed)) if closed > self.due_at && !self.optional => {
                ObligationStatus::Breached {
                    by: self.due_at.duration_until(closed),
                    met_at: None,
                }
            }
            // The window of an optional obligation had closed unused before the task closed.
            (None, Some(closed)) if closed > self.due_at => ObligationStatus::NotRequired,
            (None, Some(_)) => ObligationStatus::Cancelled,
            (None, None) if now > self.due_at && self.optional => ObligationStatus::NotRequired,
            (None, None) if now > self.due_at => ObligationStatus::Breached {
                by: self.due_at.duration_until(now),
                met_at: None,
            },
            (None, None) => ObligationStatus::Pending,
        }
    }

    fn is_open(&self) -> bool {
        self.met_at.is_none() && self.closed_at.is_none()
    }
}

/// Folds a task's events into its obligations, in the order they were opened.
pub fn obligations(events: &[TaskEvent]) -> Vec<Obligation> {
    let mut fold = Fold::default();
    for event in events {
        fold.apply(event);
    }
    fold.obligations
}

#[derive(Default)]
struct Fold {
    obligations: Vec<Obligation>,
    lead: Option<OrgId>,
    monitoring: Option<OrgId>,
    assigning: Option<OrgId>,
    /// Completion date of each update whose latest content reports finished execution
    /// (completed, or done but not completed).
    finished_on: BTreeMap<UpdateNo, Date>,
    /// Effects of each approved report of finished execution under the current schedule,
    /// oldest first.
    settlements: Vec<Settlement>,
}

/// Effects of approving a report of finished execution, kept so that voiding the approval can
/// undo them.
struct Settlement {
    update: UpdateNo,
    /// Index of the final report it met, with that report's clock before the approval. The
    /// clock is `None` when the approval opened the final report itself.
    final_report: Option<(usize, Option<Clock>)>,
    /// Indices of the checkpoints it closed because they had not opened yet.
    closed_checkpoints: Vec<usize>,
}

struct Clock {
    opened_at: Timestamp,
    due_at: Timestamp,
    calendar_version: String,
}

impl Fold {
    /// Opens an obligation and returns its index, or `None` without a responsible body.
    fn push(
        &mut self,
        kind: ObligationKind,
        responsible: Option<OrgId>,
        opened_at: Timestamp,
        due_at: Timestamp,
        calendar_version: &str,
    ) -> Option<usize> {
        let responsible = responsible?;
        self.obligations.push(Obligation {
            kind,
            responsible,
            opened_at,
            due_at,
            calendar_version: calendar_version.to_owned(),
            met_at: None,
            closed_at: None,
            optional: kind == ObligationKind::Feedback,
        });
        Some(self.obligations.len() - 1)
    }

    fn meet(&mut self, at: Timestamp, matches: impl Fn(&Obligation) -> bool) {
        for obligation in self.obligations.iter_mut() {
            if obligation.is_open() && obligation.opened_at <= at && matches(obligation) {
                obligation.met_at = Some(at);
            }
        }
    }

    fn close(&mut self, at: Timestamp, matches: impl Fn(&Obligation) -> bool) {
        for obligation in self.obligations.iter_mut() {
            if obligation.is_open() && matches(obligation) {
                obligation.closed_at = Some(at);
            }
        }
    }

    /// Replaces the schedule from `at` on: open checkpoints and the pending final report that
    /// are not yet due stop applying; those already due stay and keep counting as breached.
    fn plan(&mut self, at: Timestamp, schedule: &UpdateSchedule) {
        // Checkpoints already due stay open and can still be met late. The final report is
        // replaced whatever its state: the new schedule owes a new one, and an old one already
        // overdue keeps counting as breached because it closes after its due time.
        self.close(at, |o| {
            o.kind == ObligationKind::FinalReport
                || (matches!(o.kind, ObligationKind::Checkpoint { .. }) && o.due_at > at)
        });
        let version = schedule.calendar_version.clone();
        for checkpoint in schedule.checkpoints.iter().filter(|c| c.due_at > at) {
            self.push_checkpoint(checkpoint, &version);
        }
        // A voided approval from before this schedule no longer reopens anything.
        self.settlements.clear();
        if let Some(due) = schedule.final_report_due {
            self.push(ObligationKind::FinalReport, self.lead, at, due, &version);
        }
    }

    fn push_checkpoint(&mut self, checkpoint: &Checkpoint, version: &str) {
        self.push(
            ObligationKind::Checkpoint {
                checkpoint: checkpoint.kind,
            },
            self.lead,
            checkpoint.opens_at,
            checkpoint.due_at,
            version,
        );
    }

    fn apply(&mut self, event: &TaskEvent) {
        let at = event.at;
        match &event.change {
            TaskChange::Created(created) => {
                self.lead = Some(created.lead_body);
                self.monitoring = Some(created.monitoring_body);
                self.assigning = Some(created.assigning_body);
                if let Some(entry) = &created.entry_due {
                    self.push(
                        ObligationKind::Entry,
                        self.assigning,
                        at,
                        entry.at,
                        &entry.calendar_version,
                    );
                }
            }
            TaskChange::Edited(edits) => {
                if let Some(lead) = edits.lead_body {
                    self.lead = Some(lead);
                }
                if let Some(monitoring) = edits.monitoring_body {
                    self.monitoring = Some(monitoring);
                }
            }
            TaskChange::Transferred {
                to,
                receipt_due,
                schedule,
            } => {
                self.meet(at, |o| o.kind == ObligationKind::Entry);
                self.close(at, |o| o.kind == ObligationKind::Receipt);
                self.lead = Some(*to);
                self.push(
                    ObligationKind::Receipt,
                    self.lead,
                    at,
                    *receipt_due,
                    &schedule.calendar_version,
                );
                self.plan(at, schedule);
            }
            TaskChange::ReceiptConfirmed {
                feedback_due,
                calendar_version,
            } => {
                self.meet(at, |o| o.kind == ObligationKind::Receipt);
                self.push(
                    ObligationKind::Feedback,
                    self.lead,
                    at,
                    *feedback_due,
                    calendar_version,
                );
            }
            TaskChange::Returned {
                handling_due,
                calendar_version,
                ..
            } => {
                self.meet(at, |o| {
                    matches!(o.kind, ObligationKind::Receipt | ObligationKind::Feedback)
                });
                // The body's reporting clocks stop while the task is back with the assigning side.
                self.close(at, |o| {
                    matches!(
                        o.kind,
                        ObligationKind::Checkpoint { .. }
                            | ObligationKind::FinalReport
                            | ObligationKind::RequestedUpdate
                    )
                });
                self.push(
                    ObligationKind::FeedbackHandling,
                    self.assigning,
                    at,
                    *handling_due,
                    calendar_version,
                );
            }
            TaskChange::FeedbackHandled { edits, .. } => {
                self.meet(at, |o| o.kind == ObligationKind::FeedbackHandling);
                if let Some(monitoring) = edits.monitoring_body {
                    self.monitoring = Some(monitoring);
                }
            }
            TaskChange::UpdateApproved {
                update,
                evaluation_due,
                final_report_due,
                calendar_version,
            } => {
                self.meet(at, |o| {
                    matches!(
                        o.kind,
                        ObligationKind::Checkpoint { .. } | ObligationKind::RequestedUpdate
                    )
                });
                if let Some(finished_on) = self.finished_on.get(update).copied() {
                    // The final report's clock started on the reported completion date.
                    let started =
                        theodoi_calendar::at_local(finished_on.to_datetime(Time::midnight()))
                            .min(at);
                    let final_report = final_report_due.and_then(|due| {
                        self.settle_final_report(at, started, due, calendar_version)
                    });
                    let closed_checkpoints = self.close_later_checkpoints(at);
                    // Nobody returns a task whose execution has ended.
                    self.close(at, |o| o.kind == ObligationKind::Feedback);
                    self.settlements.push(Settlement {
                        update: *update,
                        final_report,
                        closed_checkpoints,
                    });
                }
                self.push(
                    ObligationKind::Evaluation { update: *update },
                    self.monitoring,
                    at,
                    *evaluation_due,
                    calendar_version,
                );
            }
            TaskChange::UpdateDrafted { update, content } => {
                self.record_content(*update, content);
            }
            TaskChange::UpdateEdited {
                update,
                content,
                voided_approval,
            } => {
                let update = *update;
                self.record_content(update, content);
                if *voided_approval {
                    self.close(at, |o| o.kind == ObligationKind::Evaluation { update });
                    self.void_completion(update);
                }
            }
            TaskChange::UpdateEvaluated { update, .. } => {
                let update = *update;
                self.meet(at, |o| o.kind == ObligationKind::Evaluation { update });
            }
            TaskChange::DeadlineExtended { schedule, .. } => self.plan(at, schedule),
            TaskChange::UpdateRequested {
                due_at,
                calendar_version,
            } => {
                self.push(
                    ObligationKind::RequestedUpdate,
                    self.lead,
                    at,
                    *due_at,
                    calendar_version,
                );
            }
            TaskChange::ScheduleExtended {
                checkpoints,
                calendar_version,
            } => {
                for checkpoint in checkpoints {
                    self.push_checkpoint(checkpoint, calendar_version);
                }
            }
            TaskChange::Withdrawn | TaskChange::Cancelled => self.close(at, |_| true),
            TaskChange::UpdateReturned { .. }
            | TaskChange::ExtensionRequested { .. }
            | TaskChange::Urged { .. }
            | TaskChange::DifficultyReported { .. }
            | TaskChange::Delegated { .. } => {}
        }
    }

    /// Meets the final report with an approved report of finished execution. The report is due
    /// a few working days after the reported date rather than after the deadline, and its clock
    /// starts at `started`: the start of the reported completion date, or `at` if that is later.
    ///
    /// Returns the index of the final report and its clock before this approval. The clock is
    /// `None` when no final report was open, so this approval opened one.
    fn settle_final_report(
        &mut self,
        at: Timestamp,
        started: Timestamp,
        due: Timestamp,
        version: &str,
    ) -> Option<(usize, Option<Clock>)> {
        let open = self
            .obligations
            .iter()
            .position(|o| o.kind == ObligationKind::FinalReport && o.is_open());
        let (index, before) = match open {
            Some(index) => {
                let obligation = &mut self.obligations[index];
                let before = Clock {
                    opened_at: obligation.opened_at,
                    due_at: obligation.due_at,
                    calendar_version: obligation.calendar_version.clone(),
                };
                obligation.opened_at = obligation.opened_at.min(started);
                obligation.due_at = due;
                obligation.calendar_version = version.to_owned();
                (index, Some(before))
            }
            None => (
                self.push(
                    ObligationKind::FinalReport,
                    self.lead,
                    started,
                    due,
                    version,
                )?,
                None,
            ),
        };
        self.obligations[index].met_at = Some(at);
        Some((index, before))
    }

    fn record_content(&mut self, update: UpdateNo, content: &UpdateContent) {
        match content.completion_date {
            Some(date) if content.status.is_final() => self.finished_on.insert(update, date),
            _ => self.finished_on.remove(&update),
        };
    }

    /// Once finished execution is approved, progress checkpoints that have not opened yet stop
    /// applying: the body has nothing left to report at them. Returns their indices.
    fn close_later_checkpoints(&mut self, at: Timestamp) -> Vec<usize> {
        let mut closed = Vec::new();
        for (index, obligation) in self.obligations.iter_mut().enumerate() {
            if obligation.is_open()
                && matches!(obligation.kind, ObligationKind::Checkpoint { .. })
                && obligation.opened_at > at
            {
                obligation.closed_at = Some(at);
                closed.push(index);
            }
        }
        closed
    }

    /// Undoes what the approval of `update` settled as a report of finished execution: the
    /// final report it met is owed again by its earlier clock (or dropped when the approval
    /// opened it), and the checkpoints it closed apply again. When a later report of finished
    /// execution is still approved, that one keeps everything settled.
    fn void_completion(&mut self, update: UpdateNo) {
        let Some(position) = self.settlements.iter().rposition(|s| s.update == update) else {
            return;
        };
        let settlement = self.settlements.remove(position);
        if position < self.settlements.len() {
            return;
        }
        for index in settlement.closed_checkpoints {
            self.obligations[index].closed_at = None;
        }
        match settlement.final_report {
            Some((index, Some(before))) => {
                let obligation = &mut self.obligations[index];
                obligation.opened_at = before.opened_at;
                obligation.due_at = before.due_at;
                obligation.calendar_version = before.calendar_version;
                obligation.met_at = None;
            }
            // Opened by this approval: every index still stored belongs to an obligation opened
            // before it, so removing it shifts none of them.
            Some((index, None)) => {
                self.obligations.remove(index);
            }
            None => {}
        }
    }
}
