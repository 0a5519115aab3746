//! Tasks: their state as a fold over their events, and the commands that append events.

mod command;
mod create;
pub mod event;
pub mod update;

pub use command::{Context, FeedbackDecision, TaskCommand, TaskEditInput};
pub use create::{NewTaskInput, SubtaskInput, new_subtask, new_task};

use crate::catalogue::Classification;
use crate::confidentiality::Confidentiality;
use crate::ids::{DocumentId, GroupId, OrgId, TaskId, UpdateNo, UserId};
use crate::schedule::{Period, UpdateSchedule};
use event::{FeedbackKind, FeedbackOutcome, TaskChange, TaskCreated, TaskEdits, TaskEvent};
use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};
use update::{ProgressStatus, ProgressUpdate, UpdateState};

/// Where a task stands in its lifecycle. The result state of §5 is derived separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Entered but not transferred (or withdrawn for correction).
    Draft,
    /// Transferred; the body has not confirmed receipt.
    AwaitingReceipt,
    /// Received and being carried out.
    InProgress,
    /// Returned by the body with feedback; the assigning side must handle it.
    Returned,
    /// Completion approved.
    Completed,
    /// Execution finished without the task being fully achieved.
    DoneNotCompleted,
    Cancelled,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 7] = [
        TaskStatus::Draft,
        TaskStatus::AwaitingReceipt,
        TaskStatus::InProgress,
        TaskStatus::Returned,
        TaskStatus::Completed,
        TaskStatus::DoneNotCompleted,
        TaskStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Draft => "draft",
            TaskStatus::AwaitingReceipt => "awaiting_receipt",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Returned => "returned",
            TaskStatus::Completed => "completed",
            TaskStatus::DoneNotCompleted => "done_not_completed",
            TaskStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Whether the body has the task in hand (received and not closed).
    pub fn is_received(self) -> bool {
        matches!(
            self,
            TaskStatus::InProgress | TaskStatus::DoneNotCompleted | TaskStatus::Completed
        )
    }
}

/// One change of deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineChange {
    pub at: Timestamp,
    pub from: Date,
    pub to: Date,
    pub by: Option<UserId>,
    pub reason: Option<String>,
}

/// Feedback waiting to be handled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingFeedback {
    pub kind: FeedbackKind,
    pub at: Timestamp,
    pub body: Option<OrgId>,
    pub reason: Option<String>,
}

/// A sub-task created by delegation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delegation {
    pub subtask: TaskId,
    pub to: OrgId,
}

/// The current state of a task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub document_id: DocumentId,
    pub group_id: Option<GroupId>,
    pub parent_id: Option<TaskId>,
    pub ordinal: u32,
    pub content: Option<String>,
    pub expected_products: Option<String>,
    pub classification: Classification,
    pub confidentiality: Confidentiality,
    pub lead_body: OrgId,
    pub coordinating_bodies: Vec<OrgId>,
    pub monitoring_body: OrgId,
    /// The deadline in force now.
    pub deadline: Option<Date>,
    /// The deadline set when the task was created or last edited before its first transfer.
    pub original_deadline: Option<Date>,
    pub deadline_changes: Vec<DeadlineChange>,
    pub report_period: Period,
    pub assigning_body: OrgId,
    pub entry_due: Option<event::DueTime>,
    pub status: TaskStatus,
    pub first_transferred_at: Option<Timestamp>,
    pub transferred_at: Option<Timestamp>,
    pub received_at: Option<Timestamp>,
    pub pending_feedback: Option<PendingFeedback>,
    pub schedule: Option<UpdateSchedule>,
    pub updates: Vec<ProgressUpdate>,
    pub subtasks: Vec<Delegation>,
    pub requested_extension: Option<Date>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Number of events so far; the optimistic-concurrency version.
    pub version: u32,
}

impl Task {
    /// Rebuilds a task from its full history. Returns `None` when the history does not start
    /// with its creation.
    pub fn replay(id: TaskId, events: &[TaskEvent]) -> Option<Self> {
        Self::replay_until(id, events, Timestamp::MAX)
    }

    /// Rebuilds the task as it stood at `at`, from the events recorded up to that instant.
    pub fn replay_until(id: TaskId, events: &[TaskEvent], at: Timestamp) -> Option<Self> {
        let mut events = events.iter().take_while(|event| event.at <= at);
        let first = events.next()?;
        let TaskChange::Created(created) = &first.change else {
            return None;
        };
        let mut task = Task::from_created(id, created, first);
        for event in events {
            task.apply(event);
        }
        Some(task)
    }

    fn from_created(id: TaskId, created: &TaskCreated, event: &TaskEvent) -> Self {
        Task {
            id,
            document_id: created.document_id,
            group_id: created.group_id,
            parent_id: created.parent_id,
            ordinal: created.ordinal,
            content: created.content.clone(),
            expected_products: created.expected_products.clone(),
            classification: created.classification.clone(),
            confidentiality: created.confidentiality,
            lead_body: created.lead_body,
            coordinating_bodies: created.coordinating_bodies.clone(),
            monitoring_body: created.monitoring_body,
            deadline: created.deadline,
            original_deadline: created.deadline,
            deadline_changes: Vec::new(),
            report_period: created.report_period,
            assigning_body: created.assigning_body,
            entry_due: created.entry_due.clone(),
            status: TaskStatus::Draft,
            first_transferred_at: None,
            transferred_at: None,
            received_at: None,
            pending_feedback: None,
            schedule: None,
            updates: Vec::new(),
            subtasks: Vec::new(),
            requested_extension: None,
            created_at: event.at,
            updated_at: event.at,
            version: event.seq,
        }
    }

    /// Applies one event. Events were checked when they were decided, so applying never fails.
    pub fn apply(&mut self, event: &TaskEvent) {
        match &event.change {
            TaskChange::Created(_) => {}
            TaskChange::Edited(edits) => self.apply_edits(edits),
            TaskChange::Transferred { to, schedule, .. } => {
                self.lead_body = *to;
                self.status = TaskStatus::AwaitingReceipt;
                self.transferred_at = Some(event.at);
                self.first_transferred_at.get_or_insert(event.at);
                self.received_at = None;
                self.pending_feedback = None;
                self.schedule = Some(schedule.clone());
            }
            TaskChange::ReceiptConfirmed { .. } => {
                self.received_at = Some(event.at);
                self.status = TaskStatus::InProgress;
                self.refresh_outcome();
            }
            TaskChange::Returned { kind, .. } => {
                self.status = TaskStatus::Returned;
                self.pending_feedback = Some(PendingFeedback {
                    kind: *kind,
                    at: event.at,
                    body: event.body,
                    reason: event.reason.clone(),
                });
            }
            TaskChange::FeedbackHandled { outcome, edits } => {
                self.apply_edits(edits);
                if let FeedbackOutcome::Reassigned { to, .. } = outcome {
                    self.lead_body = *to;
                }
                self.pending_feedback = None;
            }
            TaskChange::UpdateDrafted { update, content } => {
                if let Some(actor) = event.actor {
                    self.updates.push(ProgressUpdate {
                        no: *update,
                        content: (**content).clone(),
                        drafted_by: actor,
                        drafted_at: event.at,
                        authors: vec![actor],
                        state: UpdateState::AwaitingApproval,
                        evaluation: None,
                        voided_approvals: 0,
                    });
                }
            }
            TaskChange::UpdateEdited {
                update,
                content,
                voided_approval,
            } => {
                if let Some(found) = self.update_mut(*update) {
                    found.content = (**content).clone();
                    if let Some(actor) = event.actor
                        && !found.authors.contains(&actor)
                    {
                        found.authors.push(actor);
                    }
                    if *voided_approval {
                        found.voided_approvals += 1;
                        found.evaluation = None;
                    }
                    found.state = UpdateState::AwaitingApproval;
                }
                self.refresh_outcome();
            }
            TaskChange::UpdateApproved { update, .. } => {
                if let (Some(found), Some(actor)) = (self.update_mut(*update), event.actor) {
                    found.state = UpdateState::Approved {
                        by: actor,
                        at: event.at,
                    };
                }
                self.refresh_outcome();
            }
            TaskChange::UpdateReturned { update } => {
                if let (Some(found), Some(actor)) = (self.update_mut(*update), event.actor) {
                    found.state = UpdateState::Returned {
                        by: actor,
                        at: event.at,
                    };
                }
            }
            TaskChange::UpdateEvaluated { update, evaluation } => {
                if let Some(found) = self.update_mut(*update) {
                    found.evaluation = Some(evaluation.clone());
                }
            }
            TaskChange::ExtensionRequested { proposed } => {
                self.requested_extension = Some(*proposed);
            }
            TaskChange::DeadlineExtended { from, to, schedule } => {
                self.deadline = Some(*to);
                self.deadline_changes.push(DeadlineChange {
                    at: event.at,
                    from: *from,
                    to: *to,
                    by: event.actor,
                    reason: event.reason.clone(),
                });
                self.requested_extension = None;
                self.schedule = Some(schedule.clone());
            }
            TaskChange::Delegated { subtask, to } => self.subtasks.push(Delegation {
                subtask: *subtask,
                to: *to,
            }),
            TaskChange::ScheduleExtended { checkpoints, .. } => {
                if let Some(schedule) = &mut self.schedule {
                    schedule.checkpoints.extend(checkpoints.iter().copied());
                }
            }
            TaskChange::Withdrawn => {
                self.status = TaskStatus::Draft;
                self.received_at = None;
                self.pending_feedback = None;
            }
            TaskChange::Cancelled => self.status = TaskStatus::Cancelled,
            TaskChange::UpdateRequested { .. }
            | TaskChange::Urged { .. }
            | TaskChange::DifficultyReported { .. } => {}
        }
        self.version = event.seq;
        self.updated_at = event.at;
    }

    fn apply_edits(&mut self, edits: &TaskEdits) {
        if let Some(content) = &edits.content {
            self.content = Some(content.clone());
        }
        if let Some(products) = &edits.expected_products {
            self.expected_products = products.clone();
        }
        if let Some(classification) = &edits.classification {
            self.classification = classification.clone();
        }
        if let Some(lead) = edits.lead_body {
            self.lead_body = lead;
        }
        if let Some(bodies) = &edits.coordinating_bodies {
            self.coordinating_bodies = bodies.clone();
        }
        if let Some(monitoring) = edits.monitoring_body {
            self.monitoring_body = monitoring;
        }
        if let Some(deadline) = edits.deadline {
            self.deadline = deadline;
            self.original_deadline = deadline;
        }
        if let Some(period) = edits.report_period {
            self.report_period = period;
        }
        if let Some(group) = edits.group_id {
            self.group_id = group;
        }
    }

    /// Sets the status from the latest approved update once the body holds the task.
    fn refresh_outcome(&mut self) {
        if !self.status.is_received() {
            return;
        }
        self.status = match self.latest_approved().map(|update| update.content.status) {
            Some(ProgressStatus::Completed) => TaskStatus::Completed,
            Some(ProgressStatus::DoneNotCompleted) => TaskStatus::DoneNotCompleted,
            _ => TaskStatus::InProgress,
        };
    }

    fn update_mut(&mut self, no: UpdateNo) -> Option<&mut ProgressUpdate> {
        self.updates.iter_mut().find(|update| update.no == no)
    }

    pub fn update(&self, no: UpdateNo) -> Option<&ProgressUpdate> {
        self.updates.iter().find(|update| update.no == no)
    }

    /// The approved update with the latest approval, which speaks for the task now.
    pub fn latest_approved(&self) -> Option<&ProgressUpdate> {
        self.updates
            .iter()
            .filter_map(|update| update.approved_at().map(|at| (at, update.no, update)))
            .max_by_key(|(at, no, _)| (*at, *no))
            .map(|(_, _, update)| update)
    }

    /// The update still being written or waiting for approval, if any.
    pub fn open_draft(&self) -> Option<&ProgressUpdate> {
        self.updates
            .iter()
            .find(|update| !matches!(update.state, UpdateState::Approved { .. }))
    }

    /// Percentage done according to the latest approved update.
    pub fn percent(&self) -> Option<u8> {
        match self.status {
            TaskStatus::Completed => Some(100),
            _ => self
                .latest_approved()
                .and_then(|update| update.content.percent),
        }
    }

    /// The deadline that was in force at `at`: extensions change it only from their own time.
    pub fn deadline_at(&self, at: Timestamp) -> Option<Date> {
        let mut deadline = self.original_deadline;
        for change in &self.deadline_changes {
            if change.at <= at {
                deadline = Some(change.to);
            }
        }
        deadline
    }

    /// The deadline in force on local `date`: extensions granted before that day ended count,
    /// those from the next local midnight on do not.
    pub fn deadline_on(&self, date: Date) -> Option<Date> {
        let end = theodoi_calendar::end_of_day(date);
        let mut deadline = self.original_deadline;
        for change in &self.deadline_changes {
            if change.at < end {
                deadline = Some(change.to);
            }
        }
        deadline
    }

    /// Whether the task was started: some approved update reports work under way or done.
    pub fn is_started(&self) -> bool {
        self.updates.iter().any(|update| {
            update.approved_at().is_some()
                && (update.content.status != ProgressStatus::NotStarted
                    || update.content.percent.is_some_and(|p| p > 0))
        })
    }

    /// Appends periodic checkpoints to an open-ended task whose schedule ends within
    /// [`schedule::SCHEDULE_REFILL_MONTHS`] of `now`. The event has no actor: the system acts.
    pub fn extend_schedule(
        &self,
        calendar: &theodoi_calendar::WorkingCalendar,
        now: jiff::Timestamp,
    ) -> Option<TaskEvent> {
        use crate::schedule::{self, CheckpointKind};
        use jiff::ToSpan;
        let active = matches!(
            self.status,
            TaskStatus::AwaitingReceipt | TaskStatus::InProgress | TaskStatus::DoneNotCompleted
        );
        if self.deadline.is_some() || !active {
            return None;
        }
        let plan = self.schedule.as_ref()?;
        let period = plan.period?;
        let last_end = plan
            .checkpoints
            .iter()
            .filter_map(|checkpoint| match checkpoint.kind {
                CheckpointKind::Period { end, .. } => Some(end),
                _ => None,
            })
            .max()?;
        let refill_before = theodoi_calendar::local_date(now)
            .checked_add(i32::from(schedule::SCHEDULE_REFILL_MONTHS).months())
            .ok()?;
        if last_end >= refill_before {
            return None;
        }
        let checkpoints = schedule::continue_periodic(
            calendar,
            last_end,
            period,
            schedule::periodic_horizon(now),
        );
        if checkpoints.is_empty() {
            return None;
        }
        Some(TaskEvent {
            seq: self.version + 1,
            at: now,
            actor: None,
            body: None,
            reason: None,
            change: TaskChange::ScheduleExtended {
                checkpoints,
                calendar_version: calendar.version().0.clone(),
            },
        })
    }

    /// Next number for a new progress update.
    pub fn next_update_no(&self) -> UpdateNo {
        UpdateNo(u32::try_from(self.updates.len()).unwrap_or(u32::MAX - 1) + 1)
    }
}
