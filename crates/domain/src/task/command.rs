//! Commands on an existing task. Each command checks the actor's rights and the task's state
//! and returns the events to append; it never changes the task itself.

use super::event::{FeedbackKind, FeedbackOutcome, TaskChange, TaskEdits, TaskEvent, UrgeChannel};
use super::update::{Evaluation, Rating, UpdateInput, UpdateRules, UpdateState};
use super::{Task, TaskStatus};
use crate::catalogue::{Catalogues, ClassificationInput};
use crate::confidentiality::forbidden_field;
use crate::document::parse_date;
use crate::error::{Arg, Code, DomainError, DomainResult, Violations};
use crate::ids::{GroupId, OrgId, UpdateNo};
use crate::org::OrgDirectory;
use crate::schedule::{self, Period};
use crate::text;
use crate::user::{Actor, Role};
use jiff::{Timestamp, civil::Date};
use theodoi_calendar::{WorkingCalendar, local_date};

/// Working hours after a transfer within which the body confirms receipt.
pub const RECEIPT_WORKING_HOURS: u32 = 4;
/// Working hours after receipt within which the body may return the task with feedback.
pub const FEEDBACK_WORKING_HOURS: u32 = 8;
/// Working days after feedback within which the assigning side handles it.
pub const FEEDBACK_HANDLING_WORKING_DAYS: u32 = 1;
/// Working days after an approval within which the monitoring body evaluates the update.
pub const EVALUATION_WORKING_DAYS: u32 = 3;
/// Most coordinating bodies on one task.
pub const MAX_COORDINATING_BODIES: usize = 100;

/// Everything a command needs besides the task: who acts, when, and the reference data.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub actor: &'a Actor,
    pub now: Timestamp,
    pub calendar: &'a WorkingCalendar,
    pub orgs: &'a (dyn OrgDirectory + Sync),
    pub catalogues: &'a Catalogues,
    /// The parent of a sub-task, whose deadline bounds the sub-task's.
    pub parent: Option<&'a Task>,
}

impl std::fmt::Debug for Context<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("actor", &self.actor)
            .field("now", &self.now)
            .finish_non_exhaustive()
    }
}

impl Context<'_> {
    pub fn today(&self) -> Date {
        local_date(self.now)
    }
}

/// Changes to a task as typed by a user.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TaskEditInput {
    pub content: Option<String>,
    /// An empty string clears the expected products.
    pub expected_products: Option<String>,
    pub classification: Option<ClassificationInput>,
    pub lead_body: Option<OrgId>,
    pub coordinating_bodies: Option<Vec<OrgId>>,
    pub monitoring_body: Option<OrgId>,
    pub deadline: Option<String>,
    /// Makes the task one without a deadline.
    #[serde(default)]
    pub remove_deadline: bool,
    pub report_period: Option<String>,
    pub group_id: Option<GroupId>,
    /// Takes the task out of its group.
    #[serde(default)]
    pub remove_group: bool,
}

/// How the assigning side settles feedback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedbackDecision {
    Adjust(TaskEditInput),
    Correct(TaskEditInput),
    Reassign { to: OrgId },
    Reject,
}

/// A command on an existing task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskCommand {
    Edit(TaskEditInput),
    Transfer,
    ConfirmReceipt,
    Return {
        kind: FeedbackKind,
    },
    HandleFeedback(FeedbackDecision),
    DraftUpdate(UpdateInput),
    EditUpdate {
        update: UpdateNo,
        input: UpdateInput,
    },
    ApproveUpdate {
        update: UpdateNo,
    },
    ReturnUpdate {
        update: UpdateNo,
    },
    EvaluateUpdate {
        update: UpdateNo,
        rating: Rating,
        comment: Option<String>,
    },
    RequestExtension {
        proposed: Date,
    },
    ExtendDeadline {
        to: Date,
    },
    RequestUpdate {
        due: Date,
    },
    Urge {
        channel: UrgeChannel,
    },
    ReportDifficulty {
        copied_to: Option<OrgId>,
    },
    Withdraw,
    Cancel,
}

impl TaskCommand {
    /// Stable name, used in messages and logs.
    pub fn name(&self) -> &'static str {
        match self {
            TaskCommand::Edit(_) => "edit",
            TaskCommand::Transfer => "transfer",
            TaskCommand::ConfirmReceipt => "confirm_receipt",
            TaskCommand::Return { .. } => "return",
            TaskCommand::HandleFeedback(_) => "handle_feedback",
            TaskCommand::DraftUpdate(_) => "draft_update",
            TaskCommand::EditUpdate { .. } => "edit_update",
            TaskCommand::ApproveUpdate { .. } => "approve_update",
            TaskCommand::ReturnUpdate { .. } => "return_update",
            TaskCommand::EvaluateUpdate { .. } => "evaluate_update",
            TaskCommand::RequestExtension { .. } => "request_extension",
            TaskCommand::ExtendDeadline { .. } => "extend_deadline",
            TaskCommand::RequestUpdate { .. } => "request_update",
            TaskCommand::Urge { .. } => "urge",
            TaskCommand::ReportDifficulty { .. } => "report_difficulty",
            TaskCommand::Withdraw => "withdraw",
            TaskCommand::Cancel => "cancel",
        }
    }

    /// Whether the command must say why.
    fn needs_reason(&self, task: &Task) -> bool {
        match self {
            TaskCommand::Return { .. }
            | TaskCommand::HandleFeedback(FeedbackDecision::Reject)
            | TaskCommand::ReturnUpdate { .. }
            | TaskCommand::RequestExtension { .. }
            | TaskCommand::ExtendDeadline { .. }
            | TaskCommand::Urge { .. }
            | TaskCommand::ReportDifficulty { .. }
            | TaskCommand::Withdraw
            | TaskCommand::Cancel => true,
            // Changing a task its body already holds must be explained.
            TaskCommand::Edit(_) => task.first_transferred_at.is_some(),
            TaskCommand::EditUpdate { update, .. } => task
                .update(*update)
                .is_some_and(|found| found.approved_at().is_some()),
            _ => false,
        }
    }
}

/// Longest reason, in characters.
pub const MAX_REASON: usize = 5_000;

impl Task {
    /// Decides `command` and returns the events to append, numbered after the current version.
    pub fn handle(
        &self,
        command: TaskCommand,
        reason: Option<&str>,
        ctx: &Context<'_>,
    ) -> DomainResult<Vec<TaskEvent>> {
        ctx.actor.require_clearance(self.confidentiality)?;
        let reason = text::optional_text("reason", reason, MAX_REASON)?;
        if reason.is_none() && command.needs_reason(self) {
            return Err(DomainError::field("reason", Code::ReasonRequired, vec![]));
        }
        let changes = self.decide(command, ctx)?;
        Ok(self.envelope(changes, reason, ctx))
    }

    /// Wraps changes with actor, body, time and sequence numbers.
    pub fn envelope(
        &self,
        changes: Vec<TaskChange>,
        reason: Option<String>,
        ctx: &Context<'_>,
    ) -> Vec<TaskEvent> {
        changes
            .into_iter()
            .zip(self.version + 1..)
            .map(|(change, seq)| TaskEvent {
                seq,
                at: ctx.now,
                actor: Some(ctx.actor.user_id),
                body: Some(ctx.actor.org_id),
                reason: reason.clone(),
                change,
            })
            .collect()
    }

    fn decide(&self, command: TaskCommand, ctx: &Context<'_>) -> DomainResult<Vec<TaskChange>> {
        let name = command.name();
        match command {
            TaskCommand::Edit(input) => self.edit(input, ctx),
            TaskCommand::Transfer => {
                self.require_assigner(ctx)?;
                self.require_status(name, &[TaskStatus::Draft])?;
                Ok(vec![self.transfer_to(self.lead_body, ctx)])
            }
            TaskCommand::ConfirmReceipt => {
                self.require_body(ctx, &[Role::Updater, Role::Approver])?;
                self.require_status(name, &[TaskStatus::AwaitingReceipt])?;
                Ok(vec![TaskChange::ReceiptConfirmed {
                    feedback_due: ctx
                        .calendar
                        .add_working_hours(ctx.now, FEEDBACK_WORKING_HOURS),
                    calendar_version: ctx.calendar.version().0.clone(),
                }])
            }
            TaskCommand::Return { kind } => {
                self.require_body(ctx, &[Role::Updater, Role::Approver])?;
                self.require_status(name, &[TaskStatus::AwaitingReceipt, TaskStatus::InProgress])?;
                Ok(vec![TaskChange::Returned {
                    kind,
                    handling_due: ctx
                        .calendar
                        .add_working_days(ctx.today(), FEEDBACK_HANDLING_WORKING_DAYS),
                    calendar_version: ctx.calendar.version().0.clone(),
                }])
            }
            TaskCommand::HandleFeedback(decision) => self.handle_feedback(decision, ctx),
            TaskCommand::DraftUpdate(input) => self.draft_update(input, ctx),
            TaskCommand::EditUpdate { update, input } => self.edit_update(update, input, ctx),
            TaskCommand::ApproveUpdate { update } => self.approve_update(update, ctx),
            TaskCommand::ReturnUpdate { update } => {
                self.require_body(ctx, &[Role::Approver])?;
                self.require_status(
                    name,
                    &[TaskStatus::InProgress, TaskStatus::DoneNotCompleted],
                )?;
                let found = self.require_update(update)?;
                if found.state != UpdateState::AwaitingApproval {
                    return Err(DomainError::conflict(
                        Code::UpdateNotAwaitingApproval,
                        vec![("update", i64::from(update.0).into())],
                    ));
                }
                Ok(vec![TaskChange::UpdateReturned { update }])
            }
            TaskCommand::EvaluateUpdate {
                update,
                rating,
                comment,
            } => self.evaluate(update, rating, comment, ctx),
            TaskCommand::RequestExtension { proposed } => {
                self.require_body(ctx, &[Role::Updater, Role::Approver])?;
                self.require_status(
                    name,
                    &[
                        TaskStatus::AwaitingReceipt,
                        TaskStatus::InProgress,
                        TaskStatus::DoneNotCompleted,
                    ],
                )?;
                self.require_later_deadline("proposed", proposed)?;
                if proposed < ctx.today() {
                    return Err(DomainError::field(
                        "proposed",
                        Code::DateBeforeMin,
                        vec![("min", ctx.today().into())],
                    ));
                }
                Ok(vec![TaskChange::ExtensionRequested { proposed }])
            }
            TaskCommand::ExtendDeadline { to } => self.extend(to, ctx),
            TaskCommand::RequestUpdate { due } => {
                self.require_overseer(ctx)?;
                self.require_status(
                    name,
                    &[TaskStatus::InProgress, TaskStatus::DoneNotCompleted],
                )?;
                if due < ctx.today() {
                    return Err(DomainError::field(
                        "due",
                        Code::DateBeforeMin,
                        vec![("min", ctx.today().into())],
                    ));
                }
                Ok(vec![TaskChange::UpdateRequested {
                    due_at: ctx.calendar.add_working_days(due, 0),
                    calendar_version: ctx.calendar.version().0.clone(),
                }])
            }
            TaskCommand::Urge { channel } => {
                self.require_overseer(ctx)?;
                self.require_status(
                    name,
                    &[
                        TaskStatus::AwaitingReceipt,
                        TaskStatus::InProgress,
                        TaskStatus::Returned,
                        TaskStatus::DoneNotCompleted,
                    ],
                )?;
                Ok(vec![TaskChange::Urged { channel }])
            }
            TaskCommand::ReportDifficulty { copied_to } => {
                self.require_body(ctx, &[Role::Updater, Role::Approver])?;
                self.require_status(
                    name,
                    &[TaskStatus::InProgress, TaskStatus::DoneNotCompleted],
                )?;
                Ok(vec![TaskChange::DifficultyReported { copied_to }])
            }
            TaskCommand::Withdraw => {
                self.require_assigner(ctx)?;
                self.require_status(
                    name,
                    &[
                        TaskStatus::AwaitingReceipt,
                        TaskStatus::InProgress,
                        TaskStatus::Returned,
                        TaskStatus::DoneNotCompleted,
                    ],
                )?;
                Ok(vec![TaskChange::Withdrawn])
            }
            TaskCommand::Cancel => {
                self.require_assigner(ctx)?;
                self.require_status(
                    name,
                    &[
                        TaskStatus::Draft,
                        TaskStatus::AwaitingReceipt,
                        TaskStatus::InProgress,
                        TaskStatus::Returned,
                        TaskStatus::DoneNotCompleted,
                    ],
                )?;
                Ok(vec![TaskChange::Cancelled])
            }
        }
    }

    /// A transfer to `to` with its receipt clock and a fresh update schedule.
    fn transfer_to(&self, to: OrgId, ctx: &Context<'_>) -> TaskChange {
        TaskChange::Transferred {
            to,
            receipt_due: ctx
                .calendar
                .add_working_hours(ctx.now, RECEIPT_WORKING_HOURS),
            schedule: schedule::build(
                ctx.calendar,
                ctx.now,
                self.deadline,
                self.report_period,
                schedule::periodic_horizon(ctx.now),
            )
            .for_level(self.confidentiality),
        }
    }

    fn edit(&self, input: TaskEditInput, ctx: &Context<'_>) -> DomainResult<Vec<TaskChange>> {
        self.require_assigner(ctx)?;
        self.require_status(
            "edit",
            &[
                TaskStatus::Draft,
                TaskStatus::AwaitingReceipt,
                TaskStatus::InProgress,
                TaskStatus::Returned,
                TaskStatus::DoneNotCompleted,
            ],
        )?;
        let edits = self.validate_edits(&input, ctx)?;
        if edits.is_empty() {
            return Err(DomainError::conflict(Code::TaskNothingChanged, vec![]));
        }
        Ok(vec![TaskChange::Edited(Box::new(edits))])
    }

    /// Validates edits against the task's state: the lead body and the deadline change this way
    /// only before the first transfer; afterwards through feedback handling and extension.
    pub(super) fn validate_edits(
        &self,
        input: &TaskEditInput,
        ctx: &Context<'_>,
    ) -> DomainResult<TaskEdits> {
        let mut violations = Violations::new();
        let mut edits = TaskEdits::default();
        let before_transfer = self.first_transferred_at.is_none();

        if let Some(content) = &input.content {
            if !self.confidentiality.allows_task_content() {
                violations.record(forbidden_field("content", self.confidentiality));
            } else if let Some(content) =
                violations.check(text::required_text("content", content, text::MAX_TEXT))
                && self.content.as_ref() != Some(&content)
            {
                edits.content = Some(content);
            }
        }
        if let Some(products) = &input.expected_products
            && let Some(products) = violations.check(text::optional_text(
                "expected_products",
                Some(products),
                text::MAX_TEXT,
            ))
            && products != self.expected_products
        {
            edits.expected_products = Some(products);
        }
        if let Some(classification) = &input.classification {
            let lead_category = ctx
                .orgs
                .organisation(self.lead_body)
                .map(|org| org.category.executing_unit())
                .unwrap_or(crate::catalogue::ExecutingUnit::Other);
            if let Some(classification) =
                violations.check(classification.validate(ctx.catalogues, lead_category))
                && classification != self.classification
            {
                edits.classification = Some(classification);
            }
        }
        if let Some(lead) = input.lead_body {
            // A withdrawn task is a draft again and may go to another body; its deadline
            // still changes only by extension, so that the past stays judged as it was.
            if self.status != TaskStatus::Draft && lead != self.lead_body {
                violations.push("lead_body", Code::TaskLeadByFeedback, vec![]);
            } else if let Some(lead) = violations.check(self.check_assignee("lead_body", lead, ctx))
                && lead != self.lead_body
            {
                edits.lead_body = Some(lead);
            }
        }
        let lead = edits.lead_body.unwrap_or(self.lead_body);
        if let Some(bodies) = &input.coordinating_bodies {
            if let Some(bodies) = violations.check(check_coordinating(bodies, lead, ctx.orgs))
                && bodies != self.coordinating_bodies
            {
                edits.coordinating_bodies = Some(bodies);
            }
        } else if self.coordinating_bodies.contains(&lead) {
            violations.push("coordinating_bodies", Code::OrgLeadAlsoCoordinating, vec![]);
        }
        if let Some(monitoring) = input.monitoring_body
            && let Some(org) = violations.check(ctx.orgs.require("monitoring_body", monitoring))
            && org.id != self.monitoring_body
        {
            edits.monitoring_body = Some(org.id);
        }
        let deadline = match (&input.deadline, input.remove_deadline) {
            (Some(_), true) => {
                violations.push("deadline", Code::InvalidValue, vec![]);
                None
            }
            (Some(value), false) => violations.check(parse_date("deadline", value)).map(Some),
            (None, true) => Some(None),
            (None, false) => None,
        };
        if let Some(deadline) = deadline {
            if !before_transfer && deadline != self.deadline {
                violations.push("deadline", Code::TaskDeadlineByExtension, vec![]);
            } else if deadline != self.deadline {
                if let Some(violation) = self.check_subtask_deadline(deadline, ctx) {
                    violations.record(violation);
                }
                edits.deadline = Some(deadline);
            }
        }
        if let Some(period) = &input.report_period {
            match Period::parse(period) {
                Some(period) if period != self.report_period => edits.report_period = Some(period),
                Some(_) => {}
                None => violations.record(crate::error::not_one_of(
                    "report_period",
                    Period::ALL.into_iter().map(Period::as_str),
                )),
            }
        }
        if input.remove_group && self.group_id.is_some() {
            edits.group_id = Some(None);
        } else if let Some(group) = input.group_id
            && Some(group) != self.group_id
        {
            edits.group_id = Some(Some(group));
        }
        violations.finish()?;
        Ok(edits)
    }

    /// Checks a body that would lead the task: it exists, it is not an assigning authority, and
    /// for a sub-task it lies below the delegating body.
    pub(super) fn check_assignee(
        &self,
        field: &str,
        lead: OrgId,
        ctx: &Context<'_>,
    ) -> DomainResult<OrgId> {
        let org = ctx.orgs.require(field, lead)?;
        check_lead_category(field, org)?;
        if self.parent_id.is_some()
            && (lead == self.assigning_body || !ctx.orgs.is_within(lead, self.assigning_body))
        {
            return Err(DomainError::field(field, Code::OrgNotSubordinate, vec![]));
        }
        Ok(org.id)
    }

    fn check_subtask_deadline(
        &self,
        deadline: Option<Date>,
        ctx: &Context<'_>,
    ) -> Option<DomainError> {
        let parent_deadline = ctx.parent.and_then(|parent| parent.deadline)?;
        match deadline {
            Some(deadline) if deadline <= parent_deadline => None,
            _ => Some(DomainError::field(
                "deadline",
                Code::TaskDeadlineAfterParent,
                vec![("max", parent_deadline.into())],
            )),
        }
    }

    fn handle_feedback(
        &self,
        decision: FeedbackDecision,
        ctx: &Context<'_>,
    ) -> DomainResult<Vec<TaskChange>> {
        self.require_assigner(ctx)?;
        if self.status != TaskStatus::Returned || self.pending_feedback.is_none() {
            return Err(DomainError::conflict(Code::FeedbackNotPending, vec![]));
        }
        let (outcome, edits, lead) = match decision {
            FeedbackDecision::Adjust(input) | FeedbackDecision::Correct(input)
                if input.lead_body.is_some_and(|lead| lead != self.lead_body) =>
            {
                return Err(DomainError::field(
                    "lead_body",
                    Code::TaskLeadByFeedback,
                    vec![],
                ));
            }
            FeedbackDecision::Adjust(input) => (
                FeedbackOutcome::Adjusted,
                self.require_changes(&input, ctx)?,
                self.lead_body,
            ),
            FeedbackDecision::Correct(input) => (
                FeedbackOutcome::Corrected,
                self.require_changes(&input, ctx)?,
                self.lead_body,
            ),
            FeedbackDecision::Reassign { to } => {
                let to = self
                    .check_assignee("to", to, ctx)
                    .map_err(|error| error.labelled("to", "field-reassign-to"))?;
                if to == self.lead_body {
                    return Err(DomainError::conflict(Code::TaskNothingChanged, vec![]));
                }
                let mut edits = TaskEdits::default();
                if self.coordinating_bodies.contains(&to) {
                    edits.coordinating_bodies = Some(
                        self.coordinating_bodies
                            .iter()
                            .copied()
                            .filter(|body| *body != to)
                            .collect(),
                    );
                }
                (
                    FeedbackOutcome::Reassigned {
                        from: self.lead_body,
                        to,
                    },
                    edits,
                    to,
                )
            }
            FeedbackDecision::Reject => (
                FeedbackOutcome::Rejected,
                TaskEdits::default(),
                self.lead_body,
            ),
        };
        Ok(vec![
            TaskChange::FeedbackHandled {
                outcome,
                edits: Box::new(edits),
            },
            self.transfer_to(lead, ctx),
        ])
    }

    fn require_changes(&self, input: &TaskEditInput, ctx: &Context<'_>) -> DomainResult<TaskEdits> {
        // Feedback handling may not move the deadline: that is an extension, with its history.
        if input.deadline.is_some() || input.remove_deadline {
            return Err(DomainError::field(
                "deadline",
                Code::TaskDeadlineByExtension,
                vec![],
            ));
        }
        let edits = self.validate_edits(input, ctx)?;
        if edits.is_empty() {
            return Err(DomainError::conflict(Code::TaskNothingChanged, vec![]));
        }
        Ok(edits)
    }

    fn update_rules(&self, ctx: &Context<'_>) -> UpdateRules {
        UpdateRules {
            confidentiality: self.confidentiality,
            transferred_on: self
                .first_transferred_at
                .map(local_date)
                .unwrap_or_else(|| ctx.today()),
            today: ctx.today(),
            has_deadline: self.deadline.is_some(),
        }
    }

    fn draft_update(&self, input: UpdateInput, ctx: &Context<'_>) -> DomainResult<Vec<TaskChange>> {
        self.require_body(ctx, &[Role::Updater])?;
        self.require_status(
            "draft_update",
            &[TaskStatus::InProgress, TaskStatus::DoneNotCompleted],
        )?;
        if let Some(open) = self.open_draft() {
            return Err(DomainError::conflict(
                Code::UpdateDraftOpen,
                vec![("update", i64::from(open.no.0).into())],
            ));
        }
        let content = input.validate(self.update_rules(ctx))?;
        Ok(vec![TaskChange::UpdateDrafted {
            update: self.next_update_no(),
            content: Box::new(content),
        }])
    }

    fn edit_update(
        &self,
        update: UpdateNo,
        input: UpdateInput,
        ctx: &Context<'_>,
    ) -> DomainResult<Vec<TaskChange>> {
        self.require_body(ctx, &[Role::Updater])?;
        self.require_status(
            "edit_update",
            &[
                TaskStatus::InProgress,
                TaskStatus::DoneNotCompleted,
                TaskStatus::Completed,
            ],
        )?;
        let found = self.require_update(update)?;
        let voided_approval = found.approved_at().is_some();
        if voided_approval {
            if let Some(open) = self.open_draft() {
                return Err(DomainError::conflict(
                    Code::UpdateDraftOpen,
                    vec![("update", i64::from(open.no.0).into())],
                ));
            }
        } else if self.status == TaskStatus::Completed {
            return Err(state_error("edit_update", self.status));
        }
        // On a completed task only the completion report itself may be reopened: voiding an
        // older update would leave it waiting for an approval that a completed task cannot get.
        if self.status == TaskStatus::Completed
            && self.latest_approved().map(|latest| latest.no) != Some(update)
        {
            return Err(state_error("edit_update", self.status));
        }
        let content = input.validate(self.update_rules(ctx))?;
        if content == found.content && found.state == UpdateState::AwaitingApproval {
            return Err(DomainError::conflict(Code::TaskNothingChanged, vec![]));
        }
        Ok(vec![TaskChange::UpdateEdited {
            update,
            content: Box::new(content),
            voided_approval,
        }])
    }

    fn approve_update(&self, update: UpdateNo, ctx: &Context<'_>) -> DomainResult<Vec<TaskChange>> {
        self.require_body(ctx, &[Role::Approver])?;
        let found = self.require_update(update)?;
        if found.state != UpdateState::AwaitingApproval {
            return Err(DomainError::conflict(
                Code::UpdateNotAwaitingApproval,
                vec![("update", i64::from(update.0).into())],
            ));
        }
        if found.authors.contains(&ctx.actor.user_id) {
            return Err(DomainError::forbidden(Code::UpdateOwnDraft, vec![]));
        }
        self.require_status(
            "approve_update",
            &[TaskStatus::InProgress, TaskStatus::DoneNotCompleted],
        )?;
        // Only tasks with a deadline owe a final report. Those without one report periodically.
        let final_report_days = self
            .schedule
            .as_ref()
            .and_then(|schedule| schedule.final_report_working_days);
        let final_report_due = found
            .content
            .completion_date
            .filter(|_| found.content.status.is_final())
            .zip(final_report_days)
            .map(|(date, days)| ctx.calendar.add_working_days(date, days));
        Ok(vec![TaskChange::UpdateApproved {
            update,
            evaluation_due: ctx
                .calendar
                .add_working_days(ctx.today(), EVALUATION_WORKING_DAYS),
            final_report_due,
            calendar_version: ctx.calendar.version().0.clone(),
        }])
    }

    fn evaluate(
        &self,
        update: UpdateNo,
        rating: Rating,
        comment: Option<String>,
        ctx: &Context<'_>,
    ) -> DomainResult<Vec<TaskChange>> {
        // A delegating body follows its own units' sub-tasks; its focal approvers evaluate
        // their updates as well as any monitoring officer it has.
        if self.parent_id.is_some() {
            ctx.actor
                .require_any(&[Role::MonitoringOfficer, Role::Approver])?;
        } else {
            ctx.actor.require_any(&[Role::MonitoringOfficer])?;
        }
        // The body is checked before the state, as every other command does, so that an officer
        // of another body gets the same refusal whatever state the task is in.
        if ctx.actor.org_id != self.monitoring_body {
            return Err(DomainError::forbidden(Code::NotYourBody, vec![]));
        }
        if self.status == TaskStatus::Cancelled {
            return Err(state_error("evaluate_update", self.status));
        }
        let found = self.require_update(update)?;
        if found.approved_at().is_none() {
            return Err(DomainError::conflict(
                Code::UpdateNotApproved,
                vec![("update", i64::from(update.0).into())],
            ));
        }
        if found.evaluation.is_some() {
            return Err(DomainError::conflict(
                Code::UpdateAlreadyEvaluated,
                vec![("update", i64::from(update.0).into())],
            ));
        }
        let comment = text::optional_text("comment", comment.as_deref(), text::MAX_TEXT)?;
        Ok(vec![TaskChange::UpdateEvaluated {
            update,
            evaluation: Evaluation { rating, comment },
        }])
    }

    fn extend(&self, to: Date, ctx: &Context<'_>) -> DomainResult<Vec<TaskChange>> {
        self.require_assigner(ctx)?;
        self.require_status(
            "extend_deadline",
            &[
                TaskStatus::AwaitingReceipt,
                TaskStatus::InProgress,
                TaskStatus::Returned,
                TaskStatus::DoneNotCompleted,
            ],
        )?;
        let from = self
            .require_later_deadline("to", to)
            .map_err(|error| error.labelled("to", "field-new-deadline"))?;

        // A new deadline already in the past would leave the task overdue and plan a final
        // report due before the extension itself.
        if to < ctx.today() {
            return Err(DomainError::field(
                "to",
                Code::DateBeforeMin,
                vec![("min", ctx.today().into())],
            )
            .labelled("to", "field-new-deadline"));
        }
        if let Some(violation) = self.check_subtask_deadline(Some(to), ctx) {
            return Err(violation);
        }

        // The cadence runs from the latest transfer to the new deadline; checkpoints already due
        // stay judged by the schedule that was in force.
        let start = self.transferred_at.unwrap_or(ctx.now);
        let mut schedule = schedule::build(
            ctx.calendar,
            start,
            Some(to),
            self.report_period,
            schedule::periodic_horizon(ctx.now),
        )
        .for_level(self.confidentiality);
        schedule.checkpoints = schedule::future_part(&schedule, ctx.now);
        Ok(vec![TaskChange::DeadlineExtended { from, to, schedule }])
    }

    fn require_later_deadline(&self, field: &str, proposed: Date) -> DomainResult<Date> {
        let Some(current) = self.deadline else {
            return Err(DomainError::conflict(Code::TaskNoDeadline, vec![]));
        };
        if proposed <= current {
            return Err(DomainError::field(
                field,
                Code::TaskExtensionNotLater,
                vec![("current", current.into())],
            ));
        }
        Ok(current)
    }

    fn require_update(&self, update: UpdateNo) -> DomainResult<&super::update::ProgressUpdate> {
        self.update(update).ok_or_else(|| {
            DomainError::not_found(
                Code::UpdateNotFound,
                vec![("update", i64::from(update.0).into())],
            )
        })
    }

    fn require_status(&self, action: &str, allowed: &[TaskStatus]) -> DomainResult<()> {
        if allowed.contains(&self.status) {
            Ok(())
        } else {
            Err(state_error(action, self.status))
        }
    }

    /// The assigning side: the Central Office for tasks of documents, the delegating body's
    /// focal officers for sub-tasks.
    fn require_assigner(&self, ctx: &Context<'_>) -> DomainResult<()> {
        if self.parent_id.is_none() {
            return ctx.actor.require_any(&[Role::CentralOffice]);
        }
        ctx.actor.require_any(&[Role::Updater, Role::Approver])?;
        if ctx.actor.org_id != self.assigning_body {
            return Err(DomainError::forbidden(Code::NotYourBody, vec![]));
        }
        Ok(())
    }

    /// The lead body's focal officers holding one of `roles`.
    fn require_body(&self, ctx: &Context<'_>, roles: &[Role]) -> DomainResult<()> {
        ctx.actor.require_any(roles)?;
        if ctx.actor.org_id != self.lead_body {
            return Err(DomainError::forbidden(Code::TaskNotLeadBody, vec![]));
        }
        Ok(())
    }

    /// Those who urge and request updates: the assigning side or the monitoring body.
    fn require_overseer(&self, ctx: &Context<'_>) -> DomainResult<()> {
        if self.require_assigner(ctx).is_ok() {
            return Ok(());
        }
        ctx.actor
            .require_any(&[Role::MonitoringOfficer, Role::CentralOffice])?;
        if ctx.actor.org_id != self.monitoring_body && !ctx.actor.has(Role::CentralOffice) {
            return Err(DomainError::forbidden(Code::NotYourBody, vec![]));
        }
        Ok(())
    }
}

/// Assigning authorities issue documents; they never lead a task.
pub(super) fn check_lead_category(field: &str, org: &crate::org::Organisation) -> DomainResult<()> {
    if org.category == crate::org::OrgCategory::AssigningAuthority {
        return Err(DomainError::field(
            field,
            Code::OrgWrongCategory,
            vec![("expected", Arg::Message("org-category-executing".into()))],
        ));
    }
    Ok(())
}

/// Validates coordinating bodies: each exists, none is the lead, no repeats (dropped), bounded.
pub(super) fn check_coordinating(
    bodies: &[OrgId],
    lead: OrgId,
    orgs: &(dyn OrgDirectory + Sync),
) -> DomainResult<Vec<OrgId>> {
    if bodies.len() > MAX_COORDINATING_BODIES {
        return Err(DomainError::field(
            "coordinating_bodies",
            Code::TooMany,
            vec![("max", MAX_COORDINATING_BODIES.into())],
        ));
    }
    let mut violations = Violations::new();
    let mut unique = Vec::new();
    for (index, body) in bodies.iter().enumerate() {
        let field = format!("coordinating_bodies[{index}]");
        if *body == lead {
            violations.push(field, Code::OrgLeadAlsoCoordinating, vec![]);
        } else if violations.check(orgs.require(&field, *body)).is_some() && !unique.contains(body)
        {
            unique.push(*body);
        }
    }
    violations.finish()?;
    Ok(unique)
}

fn state_args(action: &str, status: TaskStatus) -> crate::error::Args {
    vec![
        (
            "action",
            Arg::Message(format!("action-{}", action.replace('_', "-"))),
        ),
        (
            "status",
            Arg::Message(format!("task-status-{}", status.as_str().replace('_', "-"))),
        ),
    ]
}

fn state_error(action: &str, status: TaskStatus) -> DomainError {
    DomainError::conflict(Code::TaskWrongState, state_args(action, status))
}
