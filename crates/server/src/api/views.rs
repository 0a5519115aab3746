//! JSON shapes of records in responses, built from domain values. They decide what leaves the
//! server, so they are written out rather than reusing domain or row types.

use crate::error::current_lang;
use jiff::{Timestamp, civil::Date};
use serde::Serialize;
use theodoi_calendar::WorkingCalendar;
use theodoi_domain::document::Document;
use theodoi_domain::ids::OrgId;
use theodoi_domain::obligation::{Obligation, ObligationStatus};
use theodoi_domain::org::{OrgDirectory, Organisation};
use theodoi_domain::result::ResultState;
use theodoi_domain::task::Task;
use theodoi_domain::task::update::{ProgressUpdate, UpdateState};
use theodoi_i18n::{Lang, catalogue};
use theodoi_store::TaskGroup;
use utoipa::ToSchema;

/// A body named in a record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrgRef {
    pub id: i64,
    pub code: String,
    /// Name in the request's language.
    pub name: String,
}

pub fn org_ref(orgs: &dyn OrgDirectory, id: OrgId) -> OrgRef {
    match orgs.organisation(id) {
        Some(org) => OrgRef {
            id: id.0,
            code: org.code.clone(),
            name: org_name(org),
        },
        None => OrgRef {
            id: id.0,
            code: String::new(),
            name: String::new(),
        },
    }
}

pub fn org_name(org: &Organisation) -> String {
    match current_lang() {
        Lang::Vi => org.name_vi.clone(),
        Lang::En => org.name_en.clone(),
    }
}

/// A coded value with its name in the request's language.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Named {
    pub code: String,
    pub name: String,
}

pub fn named(code: &str, message_id: &str) -> Named {
    Named {
        code: code.to_owned(),
        name: catalogue().text(current_lang(), message_id),
    }
}

pub fn result_named(state: Option<ResultState>) -> Option<Named> {
    state.map(|state| named(state.as_str(), &state.message_id()))
}

/// An organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationView {
    pub id: i64,
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    /// assigning_authority, central_party_body, inspection_commission, committee_under_cc,
    /// central_unit, state_agency, provincial_committee or subordinate_unit.
    pub category: String,
    pub parent_id: Option<i64>,
    /// National statistics code of the province or city.
    pub province_code: Option<u16>,
}

impl From<&Organisation> for OrganisationView {
    fn from(org: &Organisation) -> Self {
        OrganisationView {
            id: org.id.0,
            code: org.code.clone(),
            name_vi: org.name_vi.clone(),
            name_en: org.name_en.clone(),
            category: org.category.as_str().to_owned(),
            parent_id: org.parent_id.map(|id| id.0),
            province_code: org.province_code,
        }
    }
}

/// A document.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    pub id: i64,
    pub version: i64,
    pub kind: Named,
    /// Normalised number and symbol, such as `57-NQ/TW`.
    pub symbol: String,
    pub title: String,
    pub issue_date: Date,
    pub signer: String,
    pub issuing_body: OrgRef,
    pub assigning_authority: OrgRef,
    pub monitoring_body: OrgRef,
    pub confidentiality: Named,
    /// Absent for classified documents, which may not store one.
    pub summary: Option<String>,
    /// When its tasks must have been entered and transferred.
    pub entry_due: Timestamp,
    pub calendar_version: String,
    pub task_count: u32,
    pub registered_at: Timestamp,
    pub registered_body: OrgRef,
}

pub fn document_view(document: &Document, orgs: &dyn OrgDirectory) -> DocumentView {
    let content = &document.content;
    DocumentView {
        id: document.id.0,
        version: document.version,
        kind: named(content.kind.as_str(), &content.kind.message_id()),
        symbol: content.symbol.to_string(),
        title: content.title.clone(),
        issue_date: content.issue_date,
        signer: content.signer.clone(),
        issuing_body: org_ref(orgs, content.issuing_body),
        assigning_authority: org_ref(orgs, content.assigning_authority),
        monitoring_body: org_ref(orgs, content.monitoring_body),
        confidentiality: named(
            content.confidentiality.as_str(),
            content.confidentiality.message_id(),
        ),
        summary: content.summary.clone(),
        entry_due: document.entry_due,
        calendar_version: document.calendar_version.clone(),
        task_count: document.task_count,
        registered_at: document.registered_at,
        registered_body: org_ref(orgs, document.registered_body),
    }
}

/// A task group.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupView {
    pub id: i64,
    pub name: String,
    pub position: i64,
    #[schema(value_type = Object)]
    pub classification: serde_json::Value,
}

impl From<&TaskGroup> for GroupView {
    fn from(group: &TaskGroup) -> Self {
        GroupView {
            id: group.id.0,
            name: group.name.clone(),
            position: group.position,
            classification: serde_json::to_value(&group.classification).unwrap_or_default(),
        }
    }
}

/// An obligation with its status now.
#[derive(Debug, Serialize, ToSchema)]
pub struct ObligationView {
    /// entry, receipt, feedback, feedback_handling, checkpoint, final_report, requested_update
    /// or evaluation, with its name.
    pub kind: Named,
    /// Which checkpoint or update the obligation is about.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    pub responsible: OrgRef,
    pub opened_at: Timestamp,
    pub due_at: Timestamp,
    /// Version of the working calendar that computed `due_at`.
    pub calendar_version: String,
    /// pending, met, breached, not_required or cancelled, with its name.
    pub status: Named,
    pub met_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    /// Whether the obligation may go unused (the feedback window).
    pub optional: bool,
    /// How late, in seconds, when breached.
    pub overdue_seconds: Option<i64>,
    /// How late, in working minutes on the current calendar, when breached.
    pub overdue_working_minutes: Option<i64>,
}

pub fn obligation_view(
    obligation: &Obligation,
    now: Timestamp,
    orgs: &dyn OrgDirectory,
    calendar: &WorkingCalendar,
) -> ObligationView {
    let status = obligation.status_at(now);
    let (overdue_seconds, overdue_working_minutes) = match status {
        ObligationStatus::Breached { by, met_at } => {
            let end = met_at
                .unwrap_or_else(|| obligation.closed_at.filter(|at| *at <= now).unwrap_or(now));
            (
                Some(by.as_secs()),
                Some(calendar.working_minutes_between(obligation.due_at, end)),
            )
        }
        _ => (None, None),
    };
    ObligationView {
        kind: named(obligation.kind.name(), &obligation.kind.message_id()),
        detail: serde_json::to_value(obligation.kind).unwrap_or_default(),
        responsible: org_ref(orgs, obligation.responsible),
        opened_at: obligation.opened_at,
        due_at: obligation.due_at,
        calendar_version: obligation.calendar_version.clone(),
        status: named(
            status.name(),
            &format!("obligation-status-{}", status.name().replace('_', "-")),
        ),
        met_at: obligation.met_at.filter(|at| *at <= now),
        closed_at: obligation.closed_at.filter(|at| *at <= now),
        optional: obligation.optional,
        overdue_seconds,
        overdue_working_minutes,
    }
}

/// A progress update.
#[derive(Debug, Serialize, ToSchema)]
pub struct UpdateView {
    pub no: u32,
    /// awaiting_approval, approved or returned.
    pub state: String,
    /// not_started, in_progress, completed or done_not_completed, with its name.
    pub status: String,
    /// Absent for classified tasks.
    pub percent: Option<u8>,
    pub completion_date: Option<Date>,
    pub results: Option<String>,
    pub products: Vec<ProductView>,
    pub difficulties: Option<String>,
    pub proposals: Option<String>,
    pub drafted_by: i64,
    pub drafted_at: Timestamp,
    /// Users who wrote any version of it; none of them may approve it.
    pub authors: Vec<i64>,
    pub approved_by: Option<i64>,
    pub approved_at: Option<Timestamp>,
    pub returned_at: Option<Timestamp>,
    pub evaluation: Option<EvaluationView>,
    pub voided_approvals: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductView {
    pub name: String,
    pub file: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EvaluationView {
    /// good, satisfactory or unsatisfactory.
    pub rating: String,
    pub comment: Option<String>,
}

pub fn update_view(update: &ProgressUpdate) -> UpdateView {
    let (state, approved_by, approved_at, returned_at) = match update.state {
        UpdateState::AwaitingApproval => ("awaiting_approval", None, None, None),
        UpdateState::Approved { by, at } => ("approved", Some(by.0), Some(at), None),
        UpdateState::Returned { at, .. } => ("returned", None, None, Some(at)),
    };
    let content = &update.content;
    UpdateView {
        no: update.no.0,
        state: state.to_owned(),
        status: content.status.as_str().to_owned(),
        percent: content.percent,
        completion_date: content.completion_date,
        results: content.results.clone(),
        products: content
            .products
            .iter()
            .map(|product| ProductView {
                name: product.name.clone(),
                file: product.file.clone(),
            })
            .collect(),
        difficulties: content.difficulties.clone(),
        proposals: content.proposals.clone(),
        drafted_by: update.drafted_by.0,
        drafted_at: update.drafted_at,
        authors: update.authors.iter().map(|user| user.0).collect(),
        approved_by,
        approved_at,
        returned_at,
        evaluation: update.evaluation.as_ref().map(|evaluation| EvaluationView {
            rating: evaluation.rating.as_str().to_owned(),
            comment: evaluation.comment.clone(),
        }),
        voided_approvals: update.voided_approvals,
    }
}

/// A deadline change.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineChangeView {
    pub at: Timestamp,
    pub from: Date,
    pub to: Date,
    pub by: Option<i64>,
    pub reason: Option<String>,
}

/// Classification of a task.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClassificationView {
    /// with_deadline or without_deadline.
    pub time: String,
    pub executing_unit: Named,
    pub scope: Named,
    pub scope_detail: Option<String>,
    pub priority: Named,
    pub other: Option<Named>,
}

/// Feedback waiting to be handled.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackView {
    /// wrong_content or outside_authority.
    pub kind: String,
    pub at: Timestamp,
    pub reason: Option<String>,
    pub body: Option<OrgRef>,
}

/// A task with everything the task page shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskView {
    pub id: i64,
    /// Optimistic-concurrency version: send it back in `If-Match`.
    pub version: u32,
    pub document_id: i64,
    pub document_symbol: String,
    pub group_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub ordinal: u32,
    /// Absent for classified tasks.
    pub content: Option<String>,
    pub expected_products: Option<String>,
    pub classification: ClassificationView,
    pub confidentiality: Named,
    pub lead_body: OrgRef,
    pub coordinating_bodies: Vec<OrgRef>,
    pub monitoring_body: OrgRef,
    /// The body that assigned the task and handles its feedback and extensions: the Central
    /// Office for a document's tasks, the delegating body for a sub-task.
    pub assigning_body: OrgRef,
    pub deadline: Option<Date>,
    pub original_deadline: Option<Date>,
    pub deadline_history: Vec<DeadlineChangeView>,
    pub requested_extension: Option<Date>,
    /// monthly, quarterly, half_yearly or yearly.
    pub report_period: String,
    /// draft, awaiting_receipt, in_progress, returned, completed, done_not_completed or
    /// cancelled, with its name.
    pub status: Named,
    /// Result state now; absent for drafts and cancelled tasks.
    pub result_state: Option<Named>,
    pub percent: Option<u8>,
    /// Progress rolled up from sub-tasks.
    pub rollup_percent: Option<i64>,
    /// under_one_month, one_to_three_months, three_to_six_months, six_months_or_more or
    /// no_deadline, once transferred.
    pub cadence: Option<String>,
    pub first_transferred_at: Option<Timestamp>,
    pub transferred_at: Option<Timestamp>,
    pub received_at: Option<Timestamp>,
    pub pending_feedback: Option<FeedbackView>,
    pub updates: Vec<UpdateView>,
    pub subtasks: Vec<i64>,
    pub obligations: Vec<ObligationView>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Names an optional catalogue code.
fn catalogue_named(
    reference: &crate::state::Reference,
    axis: theodoi_domain::catalogue::Axis,
    code: &str,
) -> Named {
    let name = reference
        .catalogues
        .get(axis, code)
        .map(|entry| match current_lang() {
            Lang::Vi => entry.name_vi.clone(),
            Lang::En => entry.name_en.clone(),
        })
        .unwrap_or_else(|| code.to_owned());
    Named {
        code: code.to_owned(),
        name,
    }
}

/// Builds the task view at `now`.
pub fn task_view(
    task: &Task,
    events: &[theodoi_domain::task::event::TaskEvent],
    document_symbol: &str,
    rollup_percent: Option<i64>,
    now: Timestamp,
    reference: &crate::state::Reference,
) -> TaskView {
    use theodoi_domain::catalogue::Axis;
    let orgs = &reference.orgs;
    let result = task
        .result_facts()
        .state_on(theodoi_calendar::local_date(now));
    let classification = &task.classification;
    TaskView {
        id: task.id.0,
        version: task.version,
        document_id: task.document_id.0,
        document_symbol: document_symbol.to_owned(),
        group_id: task.group_id.map(|id| id.0),
        parent_id: task.parent_id.map(|id| id.0),
        ordinal: task.ordinal,
        content: task.content.clone(),
        expected_products: task.expected_products.clone(),
        classification: ClassificationView {
            time: if task.deadline.is_some() {
                "with_deadline"
            } else {
                "without_deadline"
            }
            .to_owned(),
            executing_unit: catalogue_named(
                reference,
                Axis::ExecutingUnit,
                &classification.executing_unit,
            ),
            scope: catalogue_named(reference, Axis::Scope, &classification.scope),
            scope_detail: classification.scope_detail.clone(),
            priority: catalogue_named(reference, Axis::Priority, &classification.priority),
            other: classification
                .other
                .as_deref()
                .map(|code| catalogue_named(reference, Axis::Other, code)),
        },
        confidentiality: named(
            task.confidentiality.as_str(),
            task.confidentiality.message_id(),
        ),
        lead_body: org_ref(orgs, task.lead_body),
        coordinating_bodies: task
            .coordinating_bodies
            .iter()
            .map(|id| org_ref(orgs, *id))
            .collect(),
        monitoring_body: org_ref(orgs, task.monitoring_body),
        assigning_body: org_ref(orgs, task.assigning_body),
        deadline: task.deadline,
        original_deadline: task.original_deadline,
        deadline_history: task
            .deadline_changes
            .iter()
            .map(|change| DeadlineChangeView {
                at: change.at,
                from: change.from,
                to: change.to,
                by: change.by.map(|user| user.0),
                reason: change.reason.clone(),
            })
            .collect(),
        requested_extension: task.requested_extension,
        report_period: task.report_period.as_str().to_owned(),
        status: named(
            task.status.as_str(),
            &format!("task-status-{}", task.status.as_str().replace('_', "-")),
        ),
        result_state: result_named(result),
        percent: task.percent(),
        rollup_percent,
        cadence: task.schedule.as_ref().map(|schedule| {
            serde_json::to_value(schedule.cadence)
                .ok()
                .and_then(|value| value.as_str().map(str::to_owned))
                .unwrap_or_default()
        }),
        first_transferred_at: task.first_transferred_at,
        transferred_at: task.transferred_at,
        received_at: task.received_at,
        pending_feedback: task.pending_feedback.as_ref().map(|feedback| FeedbackView {
            kind: serde_json::to_value(feedback.kind)
                .ok()
                .and_then(|value| value.as_str().map(str::to_owned))
                .unwrap_or_default(),
            at: feedback.at,
            reason: feedback.reason.clone(),
            body: feedback.body.map(|id| org_ref(orgs, id)),
        }),
        updates: task.updates.iter().map(update_view).collect(),
        subtasks: task
            .subtasks
            .iter()
            .map(|delegation| delegation.subtask.0)
            .collect(),
        obligations: theodoi_domain::obligation::obligations(events)
            .iter()
            .map(|obligation| obligation_view(obligation, now, orgs, &reference.calendar))
            .collect(),
        created_at: task.created_at,
        updated_at: task.updated_at,
    }
}
