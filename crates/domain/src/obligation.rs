//! Timed obligations of a task: each step of the workflow that must happen by a due time.
//!
//! Obligations are a fold over the task's events. Due times come from the events themselves,
//! where they were stored with the calendar version that computed them, so a later edit of the
//! calendar never moves a due time already given.

use crate::ids::{OrgId, UpdateNo};
use crate::schedule::{Checkpoint, CheckpointKind, UpdateSchedule};
use crate::task::event::{TaskChange, TaskEvent};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

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
    pub opened_at: Timestamp,
    pub due_at: Timestamp,
    pub calendar_version: String,
    pub met_at: Option<Timestamp>,
    /// When it stopped applying unmet: the task was withdrawn or cancelled, or a new transfer
    /// or deadline replaced the schedule.
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
    /// Final report due as scheduled, restored when a completion approval is voided.
    scheduled_final_due: Option<(Timestamp, String)>,
    /// Updates whose latest content reports finished execution (completed, or done but not
    /// completed).
    finished_updates: BTreeSet<UpdateNo>,
    /// The update whose approval met the final report of the current schedule.
    final_report_met_by: Option<UpdateNo>,
    /// Checkpoints that had not opened when an approved update reported finished execution,
    /// closed by that approval, with the update.
    closed_by_completion: Option<(UpdateNo, Vec<usize>)>,
}

impl Fold {
    fn push(
        &mut self,
        kind: ObligationKind,
        responsible: Option<OrgId>,
        opened_at: Timestamp,
        due_at: Timestamp,
        calendar_version: &str,
    ) {
        let Some(responsible) = responsible else {
            return;
        };
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
        self.close(at, |o| {
            matches!(
                o.kind,
                ObligationKind::Checkpoint { .. } | ObligationKind::FinalReport
            ) && o.due_at > at
        });
        let version = schedule.calendar_version.clone();
        for checkpoint in schedule.checkpoints.iter().filter(|c| c.due_at > at) {
            self.push_checkpoint(checkpoint, &version);
        }
        self.scheduled_final_due = schedule.final_report_due.map(|due| (due, version.clone()));
        // A voided approval from before this schedule no longer reopens anything.
        self.final_report_met_by = None;
        self.closed_by_completion = None;
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
                if let Some(due) = final_report_due {
                    self.settle_final_report(at, *due, calendar_version);
                    self.final_report_met_by = Some(*update);
                }
                if self.finished_updates.contains(update) {
                    self.close_later_checkpoints(at, *update);
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
                self.record_content(*update, content.status.is_final());
            }
            TaskChange::UpdateEdited {
                update,
                content,
                voided_approval,
            } => {
                let update = *update;
                self.record_content(update, content.status.is_final());
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
            } => self.push(
                ObligationKind::RequestedUpdate,
                self.lead,
                at,
                *due_at,
                calendar_version,
            ),
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

    /// An approved report of finished execution meets the final report, due a few working days
    /// after the reported date rather than after the deadline.
    fn settle_final_report(&mut self, at: Timestamp, due: Timestamp, version: &str) {
        let open = self
            .obligations
            .iter_mut()
            .find(|o| o.kind == ObligationKind::FinalReport && o.is_open());
        match open {
            Some(obligation) => {
                obligation.due_at = due;
                obligation.calendar_version = version.to_owned();
                obligation.met_at = Some(at);
            }
            None => {
                self.push(ObligationKind::FinalReport, self.lead, at, due, version);
                if let Some(last) = self.obligations.last_mut() {
                    last.met_at = Some(at);
                }
            }
        }
    }

    fn record_content(&mut self, update: UpdateNo, finished: bool) {
        if finished {
            self.finished_updates.insert(update);
        } else {
            self.finished_updates.remove(&update);
        }
    }

    /// Once finished execution is approved, progress checkpoints that have not opened yet stop
    /// applying: the body has nothing left to report at them.
    fn close_later_checkpoints(&mut self, at: Timestamp, update: UpdateNo) {
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
        self.closed_by_completion = Some((update, closed));
    }

    /// Undoes what the approval of `update` settled as a report of finished execution: the final
    /// report it met and the checkpoints it closed are owed again. Voiding any other update
    /// leaves them alone.
    fn void_completion(&mut self, update: UpdateNo) {
        if self.final_report_met_by == Some(update) {
            self.final_report_met_by = None;
            self.reopen_final_report();
        }
        if let Some((_, closed)) = self.closed_by_completion.take_if(|(by, _)| *by == update) {
            for index in closed {
                self.obligations[index].closed_at = None;
            }
        }
    }

    /// A voided completion leaves the final report owed again, by the scheduled due time.
    fn reopen_final_report(&mut self) {
        let scheduled = self.scheduled_final_due.clone();
        let Some(met) = self
            .obligations
            .iter_mut()
            .rev()
            .find(|o| o.kind == ObligationKind::FinalReport && o.met_at.is_some())
        else {
            return;
        };
        met.met_at = None;
        if let Some((due, version)) = scheduled {
            met.due_at = due;
            met.calendar_version = version;
        }
    }
}
