//! The actions a user may take on a task page: which forms to offer, how a submitted form
//! becomes a domain command, and what a re-rendered form shows after a rejected submission.
//!
//! The offer mirrors the domain's rules (role, body, status) so that users see only what would
//! succeed; the domain still checks every command.

use super::super::form::new_form_key;
use super::super::task_list::{Choice, OptionGroup, catalogue_choices, org_groups, parse_any_date};
use crate::state::Reference;
use serde::Deserialize;
use std::collections::HashMap;
use theodoi_domain::DomainError;
use theodoi_domain::catalogue::{Axis, ClassificationInput};
use theodoi_domain::error::{Code, DomainResult, Violations, not_one_of};
use theodoi_domain::ids::OrgId;
use theodoi_domain::schedule::Period;
use theodoi_domain::task::event::{FeedbackKind, UrgeChannel};
use theodoi_domain::task::update::UpdateState;
use theodoi_domain::task::{Task, TaskCommand, TaskEditInput, TaskStatus};
use theodoi_domain::user::Role;
use theodoi_i18n::{Lang, catalogue, format_date};
use theodoi_store::UserRecord;

/// A form of the task page, posted to `/tasks/{id}/actions/{slug}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Transfer,
    Receipt,
    Return,
    RequestExtension,
    Extend,
    RequestUpdate,
    Urge,
    Difficulty,
    Withdraw,
    Cancel,
    Edit,
}

impl Action {
    pub const ALL: [Action; 11] = [
        Action::Transfer,
        Action::Receipt,
        Action::Return,
        Action::RequestExtension,
        Action::Extend,
        Action::RequestUpdate,
        Action::Urge,
        Action::Difficulty,
        Action::Withdraw,
        Action::Cancel,
        Action::Edit,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Action::Transfer => "transfer",
            Action::Receipt => "receipt",
            Action::Return => "return",
            Action::RequestExtension => "request-extension",
            Action::Extend => "extend",
            Action::RequestUpdate => "request-update",
            Action::Urge => "urge",
            Action::Difficulty => "difficulty",
            Action::Withdraw => "withdraw",
            Action::Cancel => "cancel",
            Action::Edit => "edit",
        }
    }

    pub fn parse(slug: &str) -> Option<Action> {
        Self::ALL.into_iter().find(|action| action.slug() == slug)
    }
}

/// Statuses in which the task is still open to work: transferred and neither completed nor
/// cancelled.
const ACTIVE: [TaskStatus; 4] = [
    TaskStatus::AwaitingReceipt,
    TaskStatus::InProgress,
    TaskStatus::Returned,
    TaskStatus::DoneNotCompleted,
];

/// Returns whether `user` acts for the assigning side: the Central Office for tasks of
/// documents, the delegating body's focal officers for sub-tasks.
pub fn is_assigner(task: &Task, user: &UserRecord) -> bool {
    if task.parent_id.is_none() {
        return user.roles.contains(&Role::CentralOffice);
    }
    has_any(user, &[Role::Updater, Role::Approver]) && user.org_id == task.assigning_body
}

/// Returns whether `user` is a focal officer of the lead body holding one of `roles`.
pub fn is_lead(task: &Task, user: &UserRecord, roles: &[Role]) -> bool {
    has_any(user, roles) && user.org_id == task.lead_body
}

/// Returns whether `user` may urge and request updates: the assigning side, the Central
/// Office or a monitoring officer of the task's monitoring body.
pub fn is_overseer(task: &Task, user: &UserRecord) -> bool {
    if is_assigner(task, user) || user.roles.contains(&Role::CentralOffice) {
        return true;
    }
    user.roles.contains(&Role::MonitoringOfficer) && user.org_id == task.monitoring_body
}

fn has_any(user: &UserRecord, roles: &[Role]) -> bool {
    roles.iter().any(|role| user.roles.contains(role))
}

/// The actions and links the page offers the user on the task now.
#[derive(Debug, Clone, Default)]
pub struct Permissions {
    pub actions: Vec<Action>,
    /// Feedback waits for the assigning side, which handles it in the feedback queue.
    pub handle_feedback: bool,
    pub draft_update: bool,
    pub delegate: bool,
}

pub fn permissions(task: &Task, user: &UserRecord) -> Permissions {
    if !user.clearance.covers(task.confidentiality) {
        return Permissions::default();
    }
    let status = task.status;
    let assigner = is_assigner(task, user);
    let lead = is_lead(task, user, &[Role::Updater, Role::Approver]);
    let overseer = is_overseer(task, user);
    let working = matches!(
        status,
        TaskStatus::InProgress | TaskStatus::DoneNotCompleted
    );
    let has_deadline = task.deadline.is_some();
    let offered = [
        (Action::Transfer, assigner && status == TaskStatus::Draft),
        (
            Action::Receipt,
            lead && status == TaskStatus::AwaitingReceipt,
        ),
        (
            Action::Return,
            lead && matches!(status, TaskStatus::AwaitingReceipt | TaskStatus::InProgress),
        ),
        (
            Action::RequestExtension,
            lead && has_deadline
                && matches!(
                    status,
                    TaskStatus::AwaitingReceipt
                        | TaskStatus::InProgress
                        | TaskStatus::DoneNotCompleted
                ),
        ),
        (
            Action::Extend,
            assigner && has_deadline && ACTIVE.contains(&status),
        ),
        (Action::RequestUpdate, overseer && working),
        (Action::Urge, overseer && ACTIVE.contains(&status)),
        (Action::Difficulty, lead && working),
        (Action::Withdraw, assigner && ACTIVE.contains(&status)),
        (
            Action::Cancel,
            assigner && (status == TaskStatus::Draft || ACTIVE.contains(&status)),
        ),
        (
            Action::Edit,
            assigner && (status == TaskStatus::Draft || ACTIVE.contains(&status)),
        ),
    ];
    Permissions {
        actions: offered
            .into_iter()
            .filter(|(_, allowed)| *allowed)
            .map(|(action, _)| action)
            .collect(),
        handle_feedback: assigner
            && status == TaskStatus::Returned
            && task.pending_feedback.is_some(),
        draft_update: is_lead(task, user, &[Role::Updater])
            && working
            && task.open_draft().is_none(),
        delegate: lead && working && task.parent_id.is_none(),
    }
}

/// The buttons and links the page offers the user on one progress update.
#[derive(Debug, Clone, Copy, Default)]
pub struct UpdateRights {
    pub approve: bool,
    pub send_back: bool,
    pub edit: bool,
    /// The edit reopens an approved update, which then needs a new approval.
    pub edit_reopens: bool,
    pub evaluate: bool,
}

pub fn update_rights(task: &Task, user: &UserRecord, no: u32) -> UpdateRights {
    let Some(update) = task.update(theodoi_domain::ids::UpdateNo(no)) else {
        return UpdateRights::default();
    };
    if !user.clearance.covers(task.confidentiality) {
        return UpdateRights::default();
    }

    let working = matches!(
        task.status,
        TaskStatus::InProgress | TaskStatus::DoneNotCompleted
    );
    let waiting = update.state == UpdateState::AwaitingApproval;
    let approver = is_lead(task, user, &[Role::Approver]) && working && waiting;
    let updater = is_lead(task, user, &[Role::Updater]);

    let approved = update.approved_at().is_some();
    let latest = task.latest_approved().map(|latest| latest.no) == Some(update.no);
    // Reopening is offered on the latest approved update only: it is the one that speaks for
    // the task, and the only one a completed task may reopen.
    let reopen = approved
        && latest
        && task.open_draft().is_none()
        && (working || task.status == TaskStatus::Completed);

    let evaluator_roles: &[Role] = if task.parent_id.is_some() {
        &[Role::MonitoringOfficer, Role::Approver]
    } else {
        &[Role::MonitoringOfficer]
    };

    UpdateRights {
        approve: approver && !update.authors.contains(&user.id),
        send_back: approver,
        edit: updater && ((!approved && working) || reopen),
        edit_reopens: approved,
        evaluate: has_any(user, evaluator_roles)
            && user.org_id == task.monitoring_body
            && task.status != TaskStatus::Cancelled
            && approved
            && update.evaluation.is_none(),
    }
}

/// Every field any action form may carry. Each action reads its own fields.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    pub reason: Option<String>,
    pub kind: Option<String>,
    pub proposed: Option<String>,
    pub to: Option<String>,
    pub due: Option<String>,
    pub channel: Option<String>,
    pub content: Option<String>,
    pub expected_products: Option<String>,
    pub executing_unit: Option<String>,
    pub scope: Option<String>,
    pub scope_detail: Option<String>,
    pub priority: Option<String>,
    pub other: Option<String>,
    pub lead_body: Option<String>,
    pub coordinating_bodies: Vec<String>,
    pub monitoring_body: Option<String>,
    pub deadline: Option<String>,
    pub report_period: Option<String>,
}

impl ActionForm {
    /// Returns the value of the field named `field`, as typed.
    pub fn get(&self, field: &str) -> Option<&str> {
        let value = match field {
            "reason" => &self.reason,
            "kind" => &self.kind,
            "proposed" => &self.proposed,
            "to" => &self.to,
            "due" => &self.due,
            "channel" => &self.channel,
            "content" => &self.content,
            "expected_products" => &self.expected_products,
            "executing_unit" => &self.executing_unit,
            "scope" => &self.scope,
            "scope_detail" => &self.scope_detail,
            "priority" => &self.priority,
            "other" => &self.other,
            "lead_body" => &self.lead_body,
            "monitoring_body" => &self.monitoring_body,
            "deadline" => &self.deadline,
            "report_period" => &self.report_period,
            _ => &None,
        };
        value.as_deref()
    }
}

fn filled(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

fn require_date(
    violations: &mut Violations,
    field: &str,
    value: &Option<String>,
) -> Option<jiff::civil::Date> {
    match filled(value) {
        None => {
            violations.push(field, Code::Required, vec![]);
            None
        }
        Some(value) => violations.check(parse_any_date(field, value)),
    }
}

fn require_reason(violations: &mut Violations, form: &ActionForm) {
    if filled(&form.reason).is_none() {
        violations.push("reason", Code::ReasonRequired, vec![]);
    }
}

fn org_id(violations: &mut Violations, field: &str, value: &str) -> Option<OrgId> {
    match value.trim().parse::<i64>() {
        Ok(id) => Some(OrgId(id)),
        Err(_) => {
            violations.push(field, Code::InvalidValue, vec![]);
            None
        }
    }
}

/// Turns a submitted form into its command and reason. Every field the form can check on its
/// own is checked here, all at once, so the user sees every mistake in one round. The domain
/// then checks the rest.
pub fn command(
    action: Action,
    form: &ActionForm,
    task: &Task,
    copied_to: Option<OrgId>,
) -> DomainResult<(TaskCommand, Option<String>)> {
    let mut violations = Violations::new();
    let reason = filled(&form.reason).map(str::to_owned);
    let command = match action {
        Action::Transfer => Some(TaskCommand::Transfer),
        Action::Receipt => Some(TaskCommand::ConfirmReceipt),
        Action::Return => {
            let kind = match filled(&form.kind) {
                Some("wrong_content") => Some(FeedbackKind::WrongContent),
                Some("outside_authority") => Some(FeedbackKind::OutsideAuthority),
                Some(_) => {
                    violations.record(
                        not_one_of("kind", ["wrong_content", "outside_authority"])
                            .labelled("kind", "field-feedback-kind"),
                    );
                    None
                }
                None => {
                    violations.record(
                        DomainError::field("kind", Code::Required, vec![])
                            .labelled("kind", "field-feedback-kind"),
                    );
                    None
                }
            };
            require_reason(&mut violations, form);
            kind.map(|kind| TaskCommand::Return { kind })
        }
        Action::RequestExtension => {
            let proposed = require_date(&mut violations, "proposed", &form.proposed);
            require_reason(&mut violations, form);
            proposed.map(|proposed| TaskCommand::RequestExtension { proposed })
        }
        Action::Extend => {
            // `to` also names the new lead body of a reassignment, so the message names the field
            // in words.
            let to = match filled(&form.to) {
                None => {
                    violations.record(
                        DomainError::field("to", Code::Required, vec![])
                            .labelled("to", "field-new-deadline"),
                    );
                    None
                }
                Some(value) => violations.check(
                    parse_any_date("to", value)
                        .map_err(|error| error.labelled("to", "field-new-deadline")),
                ),
            };
            require_reason(&mut violations, form);
            to.map(|to| TaskCommand::ExtendDeadline { to })
        }
        Action::RequestUpdate => require_date(&mut violations, "due", &form.due)
            .map(|due| TaskCommand::RequestUpdate { due }),
        Action::Urge => {
            let channel = match filled(&form.channel) {
                Some(value) => {
                    let channel = UrgeChannel::parse(value);
                    if channel.is_none() {
                        violations.record(not_one_of(
                            "channel",
                            UrgeChannel::ALL.map(UrgeChannel::as_str),
                        ));
                    }
                    channel
                }
                None => {
                    violations.push("channel", Code::Required, vec![]);
                    None
                }
            };
            require_reason(&mut violations, form);
            channel.map(|channel| TaskCommand::Urge { channel })
        }
        Action::Difficulty => {
            require_reason(&mut violations, form);
            Some(TaskCommand::ReportDifficulty { copied_to })
        }
        Action::Withdraw => {
            require_reason(&mut violations, form);
            Some(TaskCommand::Withdraw)
        }
        Action::Cancel => {
            require_reason(&mut violations, form);
            Some(TaskCommand::Cancel)
        }
        Action::Edit => {
            // Checked here as well as in the domain, so that a missing reason does not hide
            // an emptied content until the next submission.
            if task.confidentiality.allows_task_content() && filled(&form.content).is_none() {
                violations.push("content", Code::Required, vec![]);
            }
            if task.first_transferred_at.is_some() {
                require_reason(&mut violations, form);
            }
            edit_input(&mut violations, form, task).map(TaskCommand::Edit)
        }
    };
    violations.finish()?;
    // Each arm leaves the command out only after recording why.
    let command = command.expect("a missing command was recorded as a violation");
    Ok((command, reason))
}

/// Builds the edit as the domain takes it. Fields the form does not show for this task stay
/// absent: the content of a classified task, and the lead body and deadline after the first
/// transfer.
fn edit_input(
    violations: &mut Violations,
    form: &ActionForm,
    task: &Task,
) -> Option<TaskEditInput> {
    let before_transfer = task.first_transferred_at.is_none();
    let lead_body = if task.status == TaskStatus::Draft {
        filled(&form.lead_body).and_then(|value| org_id(violations, "lead_body", value))
    } else {
        None
    };
    let coordinating_bodies = form
        .coordinating_bodies
        .iter()
        .filter(|value| !value.trim().is_empty())
        .filter_map(|value| org_id(violations, "coordinating_bodies", value))
        .collect();
    let monitoring_body = filled(&form.monitoring_body)
        .and_then(|value| org_id(violations, "monitoring_body", value));
    let (deadline, remove_deadline) = match (before_transfer, filled(&form.deadline)) {
        (false, _) => (None, false),
        (true, Some(value)) => match parse_any_date("deadline", value) {
            Ok(date) => (Some(date.to_string()), false),
            Err(error) => {
                violations.record(error);
                (None, false)
            }
        },
        (true, None) => (None, task.deadline.is_some()),
    };
    Some(TaskEditInput {
        content: if task.confidentiality.allows_task_content() {
            Some(form.content.clone().unwrap_or_default())
        } else {
            None
        },
        expected_products: Some(form.expected_products.clone().unwrap_or_default()),
        classification: Some(ClassificationInput {
            executing_unit: filled(&form.executing_unit).map(str::to_owned),
            scope: filled(&form.scope).map(str::to_owned),
            scope_detail: filled(&form.scope_detail).map(str::to_owned),
            priority: filled(&form.priority).map(str::to_owned),
            other: filled(&form.other).map(str::to_owned),
        }),
        lead_body,
        coordinating_bodies: Some(coordinating_bodies),
        monitoring_body,
        deadline,
        remove_deadline,
        report_period: filled(&form.report_period).map(str::to_owned),
        group_id: None,
        remove_group: false,
    })
}

/// A submission the page shows again: the action, what the user typed and what was wrong.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub action: Action,
    pub form: ActionForm,
    pub summary: String,
    pub fields: HashMap<String, String>,
}

/// The state of every form on the page: the version and keys the forms carry, their values and
/// the choices of their selects. After a rejected submission its form shows what the user
/// typed, and every other form shows the task's current values.
#[derive(Debug)]
pub struct Forms {
    pub version: u32,
    /// Slugs of the actions offered to the user.
    offered: Vec<&'static str>,
    keys: HashMap<&'static str, String>,
    rejected: Option<Rejected>,
    defaults: HashMap<(&'static str, &'static str), String>,
    pub lead_body: Vec<OptionGroup>,
    pub coordinating_bodies: Vec<OptionGroup>,
    pub monitoring_body: Vec<OptionGroup>,
    pub executing_unit: Vec<Choice>,
    pub scope: Vec<Choice>,
    pub priority: Vec<Choice>,
    pub other: Vec<Choice>,
    pub report_period: Vec<Choice>,
    pub channel: Vec<Choice>,
    pub feedback_kind: Vec<Choice>,
}

impl Forms {
    pub fn new(
        task: &Task,
        reference: &Reference,
        lang: Lang,
        rejected: Option<Rejected>,
        offered: Vec<&'static str>,
    ) -> Forms {
        let text = |id: &str| catalogue().text(lang, id);
        let classification = &task.classification;
        let mut defaults = HashMap::new();
        let edit = Action::Edit.slug();
        let mut default = |action: &'static str, field: &'static str, value: String| {
            defaults.insert((action, field), value);
        };
        default(edit, "content", task.content.clone().unwrap_or_default());
        default(
            edit,
            "expected_products",
            task.expected_products.clone().unwrap_or_default(),
        );
        default(
            edit,
            "executing_unit",
            classification.executing_unit.clone(),
        );
        default(edit, "scope", classification.scope.clone());
        default(
            edit,
            "scope_detail",
            classification.scope_detail.clone().unwrap_or_default(),
        );
        default(edit, "priority", classification.priority.clone());
        default(
            edit,
            "other",
            classification.other.clone().unwrap_or_default(),
        );
        default(edit, "lead_body", task.lead_body.0.to_string());
        default(edit, "monitoring_body", task.monitoring_body.0.to_string());
        default(
            edit,
            "deadline",
            task.deadline.map(format_date).unwrap_or_default(),
        );
        default(
            edit,
            "report_period",
            task.report_period.as_str().to_owned(),
        );
        if let Some(proposed) = task.requested_extension {
            default(Action::Extend.slug(), "to", format_date(proposed));
        }
        default(
            Action::Urge.slug(),
            "channel",
            UrgeChannel::System.as_str().to_owned(),
        );

        let mut forms = Forms {
            version: task.version,
            offered,
            keys: Action::ALL
                .into_iter()
                .map(|action| (action.slug(), new_form_key()))
                .collect(),
            rejected,
            defaults,
            lead_body: Vec::new(),
            coordinating_bodies: Vec::new(),
            monitoring_body: Vec::new(),
            executing_unit: Vec::new(),
            scope: Vec::new(),
            priority: Vec::new(),
            other: Vec::new(),
            report_period: Vec::new(),
            channel: Vec::new(),
            feedback_kind: Vec::new(),
        };
        // The body and catalogue choices belong to the edit form alone, and listing every
        // body takes most of the page's time, so users without that form skip them.
        if forms.offers(edit) {
            forms.fill_edit_choices(task, reference, lang);
        }
        let period = forms.value(edit, "report_period");
        forms.report_period = Period::ALL
            .into_iter()
            .map(|option| Choice {
                value: option.as_str().to_owned(),
                label: text(&format!(
                    "ui-task-page-period-{}",
                    option.as_str().replace('_', "-")
                )),
                selected: option.as_str() == period,
            })
            .collect();
        let channel = forms.value(Action::Urge.slug(), "channel");
        forms.channel = UrgeChannel::ALL
            .into_iter()
            .map(|option| Choice {
                value: option.as_str().to_owned(),
                label: text(&format!(
                    "ui-task-page-channel-{}",
                    option.as_str().replace('_', "-")
                )),
                selected: option.as_str() == channel,
            })
            .collect();
        let kind = forms.value(Action::Return.slug(), "kind");
        forms.feedback_kind = [
            ("wrong_content", "ui-task-page-feedback-wrong-content"),
            (
                "outside_authority",
                "ui-task-page-feedback-outside-authority",
            ),
        ]
        .into_iter()
        .map(|(value, id)| Choice {
            value: value.to_owned(),
            label: text(id),
            selected: value == kind,
        })
        .collect();
        forms
    }

    /// Fills the body and catalogue choices of the edit form. The task's values are selected,
    /// or after a rejected edit the submitted ones.
    fn fill_edit_choices(&mut self, task: &Task, reference: &Reference, lang: Lang) {
        let edit = Action::Edit.slug();
        let ids = |values: Vec<String>| -> Vec<i64> {
            values
                .iter()
                .filter_map(|value| value.trim().parse().ok())
                .collect()
        };
        let coordinating = match &self.rejected {
            Some(rejected) if rejected.action == Action::Edit => {
                ids(rejected.form.coordinating_bodies.clone())
            }
            _ => task.coordinating_bodies.iter().map(|id| id.0).collect(),
        };

        self.lead_body = org_groups(reference, lang, &ids(vec![self.value(edit, "lead_body")]));
        self.coordinating_bodies = org_groups(reference, lang, &coordinating);
        self.monitoring_body = org_groups(
            reference,
            lang,
            &ids(vec![self.value(edit, "monitoring_body")]),
        );

        let choices = |axis: Axis, field: &str| {
            catalogue_choices(reference, lang, axis, Some(&self.value(edit, field)))
        };
        let executing_unit = choices(Axis::ExecutingUnit, "executing_unit");
        let scope = choices(Axis::Scope, "scope");
        let priority = choices(Axis::Priority, "priority");
        let other = choices(Axis::Other, "other");
        self.executing_unit = executing_unit;
        self.scope = scope;
        self.priority = priority;
        self.other = other;
    }

    /// Returns whether the form of `action` is offered.
    pub fn offers(&self, action: &str) -> bool {
        self.offered.contains(&action)
    }

    /// Returns whether any action form is offered.
    pub fn any(&self) -> bool {
        !self.offered.is_empty()
    }

    fn rejected_for(&self, action: &str) -> Option<&Rejected> {
        self.rejected
            .as_ref()
            .filter(|rejected| rejected.action.slug() == action)
    }

    /// Returns the idempotency key of the form of `action`.
    pub fn key(&self, action: &str) -> &str {
        self.keys
            .get(action)
            .map(String::as_str)
            .unwrap_or_default()
    }

    /// Returns whether the form of `action` starts unfolded, because its submission was
    /// rejected.
    pub fn open(&self, action: &str) -> bool {
        self.rejected_for(action).is_some()
    }

    /// Returns the value a field of `action` shows.
    pub fn value(&self, action: &str, field: &str) -> String {
        if let Some(rejected) = self.rejected_for(action) {
            return rejected.form.get(field).unwrap_or_default().to_owned();
        }
        self.defaults
            .iter()
            .find(|((form, name), _)| *form == action && *name == field)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    }

    /// Returns the message next to a field of `action` after a rejected submission.
    pub fn error(&self, action: &str, field: &str) -> Option<&str> {
        self.rejected_for(action)
            .and_then(|rejected| rejected.fields.get(field))
            .map(String::as_str)
    }

    /// Returns the message at the top of the form of `action` when the rejection names no
    /// field.
    pub fn summary(&self, action: &str) -> Option<&str> {
        self.rejected_for(action)
            .filter(|rejected| rejected.fields.is_empty())
            .map(|rejected| rejected.summary.as_str())
    }
}
