//! Creating tasks: from a document by the Central Office, and by delegation to subordinate units.

use super::command::{Context, check_coordinating, check_lead_category};
use super::event::{TaskChange, TaskCreated, TaskEvent};
use super::{Task, TaskStatus};
use crate::catalogue::{ClassificationInput, ExecutingUnit};
use crate::confidentiality::forbidden_field;
use crate::document::{Document, parse_date};
use crate::error::{Code, DomainError, DomainResult, Violations};
use crate::ids::{GroupId, OrgId, TaskId};
use crate::schedule::{self, Period};
use crate::text;
use crate::user::Role;
use jiff::civil::Date;

/// A new task of a document, as typed by the Central Office.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NewTaskInput {
    pub group_id: Option<GroupId>,
    /// Required for normal documents, forbidden for classified ones.
    pub content: Option<String>,
    pub expected_products: Option<String>,
    #[serde(default)]
    pub classification: ClassificationInput,
    pub lead_body: Option<OrgId>,
    #[serde(default)]
    pub coordinating_bodies: Vec<OrgId>,
    /// Defaults to the document's monitoring body.
    pub monitoring_body: Option<OrgId>,
    /// `YYYY-MM-DD`; absent for a task without a deadline.
    pub deadline: Option<String>,
    /// Reporting period for long or open-ended tasks; monthly when absent.
    pub report_period: Option<String>,
}

/// Validates a task of `document` and returns its creation event (numbered 1).
///
/// `ordinal` is the task's position in the document, chosen by the store.
pub fn new_task(
    input: &NewTaskInput,
    document: &Document,
    ordinal: u32,
    ctx: &Context<'_>,
) -> DomainResult<TaskEvent> {
    ctx.actor.require_any(&[Role::CentralOffice])?;
    ctx.actor
        .require_clearance(document.content.confidentiality)?;
    let level = document.content.confidentiality;

    let mut violations = Violations::new();
    let content = validate_content(&mut violations, input.content.as_deref(), level);
    let expected_products = violations
        .check(text::optional_text(
            "expected_products",
            input.expected_products.as_deref(),
            text::MAX_TEXT,
        ))
        .flatten();
    if expected_products.is_some() && !level.allows_task_content() {
        violations.record(forbidden_field("expected_products", level));
    }

    let lead = match input.lead_body {
        None => {
            violations.push("lead_body", Code::Required, vec![]);
            None
        }
        Some(id) => violations
            .check(ctx.orgs.require("lead_body", id).and_then(|org| {
                check_lead_category("lead_body", org)?;
                Ok(org)
            }))
            .map(|org| (org.id, org.category.executing_unit())),
    };
    let coordinating = match lead {
        Some((lead, _)) => violations
            .check(check_coordinating(
                &input.coordinating_bodies,
                lead,
                ctx.orgs,
            ))
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let monitoring_body = match input.monitoring_body {
        None => Some(document.content.monitoring_body),
        Some(id) => violations
            .check(ctx.orgs.require("monitoring_body", id))
            .map(|org| org.id),
    };
    let classification = violations.check(input.classification.validate(
        ctx.catalogues,
        lead.map(|(_, unit)| unit).unwrap_or(ExecutingUnit::Other),
    ));
    let deadline = validate_deadline(&mut violations, input.deadline.as_deref());
    if let Some(Some(deadline)) = deadline
        && deadline < document.content.issue_date
    {
        violations.push(
            "deadline",
            Code::TaskDeadlineBeforeIssue,
            vec![("min", document.content.issue_date.into())],
        );
    }
    let report_period = validate_period(&mut violations, input.report_period.as_deref());
    violations.finish()?;

    let created = TaskCreated {
        document_id: document.id,
        group_id: input.group_id,
        parent_id: None,
        ordinal,
        content,
        expected_products,
        classification: classification.expect("checked above"),
        confidentiality: level,
        lead_body: lead.expect("checked above").0,
        coordinating_bodies: coordinating,
        monitoring_body: monitoring_body.expect("checked above"),
        deadline: deadline.flatten(),
        report_period: report_period.unwrap_or_default(),
        assigning_body: ctx.actor.org_id,
        entry_due: Some(super::event::DueTime {
            at: document.entry_due,
            calendar_version: document.calendar_version.clone(),
        }),
    };
    Ok(first_event(created, ctx))
}

/// A sub-task as typed by the delegating body.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SubtaskInput {
    /// The subordinate unit that will carry it out.
    pub lead_body: Option<OrgId>,
    /// Required for normal tasks, forbidden for classified ones.
    pub content: Option<String>,
    pub expected_products: Option<String>,
    /// Defaults to the parent's deadline; never later than it.
    pub deadline: Option<String>,
}

/// Validates a delegation of `parent` and returns the sub-task's first two events (creation and
/// transfer to the unit). The caller appends `Delegated` to the parent once the sub-task's id
/// is known, with [`Task::delegated`].
pub fn new_subtask(
    input: &SubtaskInput,
    parent: &Task,
    ordinal: u32,
    ctx: &Context<'_>,
) -> DomainResult<Vec<TaskEvent>> {
    ctx.actor.require_clearance(parent.confidentiality)?;
    ctx.actor.require_any(&[Role::Updater, Role::Approver])?;
    if ctx.actor.org_id != parent.lead_body {
        return Err(DomainError::forbidden(Code::TaskNotLeadBody, vec![]));
    }
    if !matches!(
        parent.status,
        TaskStatus::InProgress | TaskStatus::DoneNotCompleted
    ) {
        return Err(DomainError::conflict(
            Code::TaskWrongState,
            vec![
                (
                    "action",
                    crate::error::Arg::Message("action-delegate".into()),
                ),
                (
                    "status",
                    crate::error::Arg::Message(format!(
                        "task-status-{}",
                        parent.status.as_str().replace('_', "-")
                    )),
                ),
            ],
        ));
    }
    if parent.parent_id.is_some() {
        return Err(DomainError::conflict(Code::TaskSubtaskOfSubtask, vec![]));
    }
    let level = parent.confidentiality;

    let mut violations = Violations::new();
    let lead = match input.lead_body {
        None => {
            violations.push("lead_body", Code::Required, vec![]);
            None
        }
        Some(id) => violations
            .check(ctx.orgs.require("lead_body", id))
            .and_then(|org| {
                if org.id == parent.lead_body || !ctx.orgs.is_within(org.id, parent.lead_body) {
                    violations.push("lead_body", Code::OrgNotSubordinate, vec![]);
                    None
                } else {
                    Some(org.id)
                }
            }),
    };
    let content = validate_content(&mut violations, input.content.as_deref(), level);
    let expected_products = violations
        .check(text::optional_text(
            "expected_products",
            input.expected_products.as_deref(),
            text::MAX_TEXT,
        ))
        .flatten();
    if expected_products.is_some() && !level.allows_task_content() {
        violations.record(forbidden_field("expected_products", level));
    }
    let deadline = match validate_deadline(&mut violations, input.deadline.as_deref()) {
        Some(Some(deadline)) => {
            if let Some(parent_deadline) = parent.deadline
                && deadline > parent_deadline
            {
                violations.push(
                    "deadline",
                    Code::TaskDeadlineAfterParent,
                    vec![("max", parent_deadline.into())],
                );
            }
            if deadline < ctx.today() {
                violations.push(
                    "deadline",
                    Code::DateBeforeMin,
                    vec![("min", ctx.today().into())],
                );
            }
            Some(deadline)
        }
        Some(None) => parent.deadline,
        None => None,
    };
    violations.finish()?;

    let lead = lead.expect("checked above");
    let created = TaskCreated {
        document_id: parent.document_id,
        group_id: parent.group_id,
        parent_id: Some(parent.id),
        ordinal,
        content,
        expected_products,
        classification: parent.classification.clone(),
        confidentiality: level,
        lead_body: lead,
        coordinating_bodies: Vec::new(),
        // The delegating body follows its own units' work.
        monitoring_body: parent.lead_body,
        deadline,
        report_period: parent.report_period,
        assigning_body: parent.lead_body,
        entry_due: None,
    };
    let first = first_event(created, ctx);
    let transfer = TaskEvent {
        seq: 2,
        at: ctx.now,
        actor: Some(ctx.actor.user_id),
        body: Some(ctx.actor.org_id),
        reason: None,
        change: TaskChange::Transferred {
            to: lead,
            receipt_due: ctx
                .calendar
                .add_working_hours(ctx.now, super::command::RECEIPT_WORKING_HOURS),
            schedule: schedule::build(
                ctx.calendar,
                ctx.now,
                deadline,
                parent.report_period,
                schedule::periodic_horizon(ctx.now),
            )
            .for_level(level),
        },
    };
    Ok(vec![first, transfer])
}

impl Task {
    /// The parent's record of a delegation, once the sub-task exists.
    pub fn delegated(&self, subtask: TaskId, to: OrgId, ctx: &Context<'_>) -> TaskEvent {
        self.envelope(vec![TaskChange::Delegated { subtask, to }], None, ctx)
            .pop()
            .expect("one change gives one event")
    }
}

fn first_event(created: TaskCreated, ctx: &Context<'_>) -> TaskEvent {
    TaskEvent {
        seq: 1,
        at: ctx.now,
        actor: Some(ctx.actor.user_id),
        body: Some(ctx.actor.org_id),
        reason: None,
        change: TaskChange::Created(Box::new(created)),
    }
}

fn validate_content(
    violations: &mut Violations,
    content: Option<&str>,
    level: crate::confidentiality::Confidentiality,
) -> Option<String> {
    let typed = content.filter(|value| !value.trim().is_empty());
    if !level.allows_task_content() {
        if typed.is_some() {
            violations.record(forbidden_field("content", level));
        }
        return None;
    }
    violations.check(text::required_text(
        "content",
        content.unwrap_or(""),
        text::MAX_TEXT,
    ))
}

/// `None` when invalid, `Some(None)` for no deadline.
fn validate_deadline(violations: &mut Violations, value: Option<&str>) -> Option<Option<Date>> {
    match value.map(str::trim) {
        None | Some("") => Some(None),
        Some(value) => violations.check(parse_date("deadline", value)).map(Some),
    }
}

fn validate_period(violations: &mut Violations, value: Option<&str>) -> Option<Period> {
    match value.map(str::trim) {
        None | Some("") => Some(Period::default()),
        Some(value) => {
            let period = Period::parse(value);
            if period.is_none() {
                violations.record(crate::error::not_one_of(
                    "report_period",
                    Period::ALL.into_iter().map(Period::as_str),
                ));
            }
            period
        }
    }
}
