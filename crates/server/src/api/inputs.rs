//! Request bodies shared by several endpoints, and their conversion to domain inputs. Unknown
//! fields are rejected, so that a client cannot slip in a field the server would ignore.

use serde::Deserialize;
use theodoi_domain::catalogue::ClassificationInput;
use theodoi_domain::error::{DomainResult, not_one_of};
use theodoi_domain::ids::{GroupId, OrgId};
use theodoi_domain::task::update::{ProductInput, UpdateInput};
use theodoi_domain::task::{NewTaskInput, SubtaskInput, TaskEditInput};
use utoipa::ToSchema;

/// Parses a coded value with `parse`, or reports on `field` that it must be one of `allowed`.
pub fn parse_code<T>(
    field: &str,
    value: &str,
    allowed: &[&str],
    parse: impl Fn(&str) -> Option<T>,
) -> DomainResult<T> {
    parse(value.trim()).ok_or_else(|| not_one_of(field, allowed.iter().copied()))
}

/// Classification on the catalogue axes; absent values take defaults.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassificationBody {
    /// Executing-unit code; defaults from the lead body's category.
    pub executing_unit: Option<String>,
    /// nationwide (default), sector or locality, or another catalogue code.
    pub scope: Option<String>,
    /// The sector, field or locality when the scope is not nationwide.
    pub scope_detail: Option<String>,
    /// key, regular (default) or urgent, or another catalogue code.
    pub priority: Option<String>,
    /// ad_hoc, emerging or unclassified, for tasks outside the usual groups.
    pub other: Option<String>,
}

impl From<ClassificationBody> for ClassificationInput {
    fn from(body: ClassificationBody) -> Self {
        ClassificationInput {
            executing_unit: body.executing_unit,
            scope: body.scope,
            scope_detail: body.scope_detail,
            priority: body.priority,
            other: body.other,
        }
    }
}

/// A new task of a document.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTaskBody {
    pub group_id: Option<i64>,
    /// Required for normal documents; must be absent for classified ones.
    pub content: Option<String>,
    pub expected_products: Option<String>,
    #[serde(default)]
    pub classification: ClassificationBody,
    #[schema(required = true)]
    pub lead_body: Option<i64>,
    #[serde(default)]
    pub coordinating_bodies: Vec<i64>,
    /// Defaults to the document's monitoring body.
    pub monitoring_body: Option<i64>,
    /// `YYYY-MM-DD`, the last day of the deadline; absent for a task without one.
    pub deadline: Option<String>,
    /// monthly (default), quarterly, half_yearly or yearly: the reporting period of long or
    /// open-ended tasks.
    pub report_period: Option<String>,
}

impl From<NewTaskBody> for NewTaskInput {
    fn from(body: NewTaskBody) -> Self {
        NewTaskInput {
            group_id: body.group_id.map(GroupId),
            content: body.content,
            expected_products: body.expected_products,
            classification: body.classification.into(),
            lead_body: body.lead_body.map(OrgId),
            coordinating_bodies: body.coordinating_bodies.into_iter().map(OrgId).collect(),
            monitoring_body: body.monitoring_body.map(OrgId),
            deadline: body.deadline,
            report_period: body.report_period,
        }
    }
}

/// Changes to a task; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskChangesBody {
    pub content: Option<String>,
    /// An empty string clears the expected products.
    pub expected_products: Option<String>,
    pub classification: Option<ClassificationBody>,
    /// Only before the first transfer.
    pub lead_body: Option<i64>,
    pub coordinating_bodies: Option<Vec<i64>>,
    pub monitoring_body: Option<i64>,
    /// Only before the first transfer; afterwards use the deadline extension.
    pub deadline: Option<String>,
    #[serde(default)]
    pub remove_deadline: bool,
    pub report_period: Option<String>,
    pub group_id: Option<i64>,
    #[serde(default)]
    pub remove_group: bool,
}

impl From<TaskChangesBody> for TaskEditInput {
    fn from(body: TaskChangesBody) -> Self {
        TaskEditInput {
            content: body.content,
            expected_products: body.expected_products,
            classification: body.classification.map(Into::into),
            lead_body: body.lead_body.map(OrgId),
            coordinating_bodies: body
                .coordinating_bodies
                .map(|bodies| bodies.into_iter().map(OrgId).collect()),
            monitoring_body: body.monitoring_body.map(OrgId),
            deadline: body.deadline,
            remove_deadline: body.remove_deadline,
            report_period: body.report_period,
            group_id: body.group_id.map(GroupId),
            remove_group: body.remove_group,
        }
    }
}

/// A product delivered by a task.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductBody {
    pub name: Option<String>,
    /// Reference of an attached file.
    pub file: Option<String>,
}

/// A progress update on the unified form.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateBody {
    /// not_started, in_progress, completed or done_not_completed. Classified tasks report only
    /// completed or done_not_completed.
    pub status: Option<String>,
    /// 0–100; set to 100 for completed; absent for classified tasks.
    pub percent: Option<i64>,
    /// `YYYY-MM-DD`, the date execution finished; required for completed and
    /// done_not_completed, absent otherwise.
    pub completion_date: Option<String>,
    pub results: Option<String>,
    #[serde(default)]
    pub products: Vec<ProductBody>,
    pub difficulties: Option<String>,
    pub proposals: Option<String>,
    /// Required when the edit voids an approval.
    pub reason: Option<String>,
}

impl UpdateBody {
    pub fn input(&self) -> UpdateInput {
        UpdateInput {
            status: self.status.clone(),
            percent: self.percent,
            completion_date: self.completion_date.clone(),
            results: self.results.clone(),
            products: self
                .products
                .iter()
                .map(|product| ProductInput {
                    name: product.name.clone(),
                    file: product.file.clone(),
                })
                .collect(),
            difficulties: self.difficulties.clone(),
            proposals: self.proposals.clone(),
        }
    }
}

/// A sub-task for a subordinate unit.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubtaskBody {
    /// The subordinate unit, below the lead body.
    pub lead_body: Option<i64>,
    pub content: Option<String>,
    pub expected_products: Option<String>,
    /// `YYYY-MM-DD`; defaults to the parent's deadline and may not be later.
    pub deadline: Option<String>,
}

impl From<SubtaskBody> for SubtaskInput {
    fn from(body: SubtaskBody) -> Self {
        SubtaskInput {
            lead_body: body.lead_body.map(OrgId),
            content: body.content,
            expected_products: body.expected_products,
            deadline: body.deadline,
        }
    }
}

/// A body with only a reason.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    pub reason: Option<String>,
}
