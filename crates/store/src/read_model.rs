//! The read-model rows of a task as its events determine them. The write path stores these
//! values, and the integrity check recomputes them from the events and compares them with the
//! stored rows, so both use one definition.

use crate::error::{StoreError, StoreResult};
use crate::time;
use serde::Serialize;
use sqlx::Row;
use theodoi_domain::document::{Document, DocumentContent};
use theodoi_domain::ids::{DocumentId, TaskId};
use theodoi_domain::obligation::obligations;
use theodoi_domain::rollup::{SubtaskProgress, rollup};
use theodoi_domain::task::event::TaskEvent;
use theodoi_domain::task::{Task, TaskStatus};
use theodoi_domain::text::search_words;

/// The values of a task's row in `tasks`, named after their columns. `rollup_percent` is not
/// here because it comes from the sub-tasks' rows, not from the task's own events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct TaskRecord {
    pub document_id: i64,
    pub group_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub ordinal: i64,
    pub content: Option<String>,
    pub lead_body: i64,
    pub monitoring_body: i64,
    pub assigning_body: i64,
    pub executing_unit: String,
    pub scope: String,
    pub priority: String,
    pub other_class: Option<String>,
    pub confidentiality: String,
    pub deadline: Option<String>,
    pub status: String,
    pub result_base: String,
    pub percent: Option<i64>,
    pub subtask_count: i64,
    pub first_transferred_at: Option<i64>,
    pub completed_on: Option<String>,
    /// 1 while a progress update waits for approval or for its updater's fix.
    pub open_update: i64,
    pub search: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The columns of [`TaskRecord`], in its field order, for `SELECT`.
pub(crate) const TASK_COLUMNS: &str = "document_id, group_id, parent_id, ordinal, content, \
    lead_body, monitoring_body, assigning_body, executing_unit, scope, priority, other_class, \
    confidentiality, deadline, status, result_base, percent, subtask_count, first_transferred_at, \
    completed_on, open_update, search, version, created_at, updated_at";

impl TaskRecord {
    /// Computes the row of `task`, a task of `document`, from its replayed state.
    pub fn new(task: &Task, document: &Document) -> TaskRecord {
        let completed_on = (task.status == TaskStatus::Completed)
            .then(|| {
                task.latest_approved()
                    .and_then(|update| update.content.completion_date)
            })
            .flatten();
        let search = task_search(task.content.as_deref(), &document.content);
        TaskRecord {
            document_id: task.document_id.0,
            group_id: task.group_id.map(|id| id.0),
            parent_id: task.parent_id.map(|id| id.0),
            ordinal: i64::from(task.ordinal),
            content: task.content.clone(),
            lead_body: task.lead_body.0,
            monitoring_body: task.monitoring_body.0,
            assigning_body: task.assigning_body.0,
            executing_unit: task.classification.executing_unit.clone(),
            scope: task.classification.scope.clone(),
            priority: task.classification.priority.clone(),
            other_class: task.classification.other.clone(),
            confidentiality: task.confidentiality.as_str().to_owned(),
            deadline: task.deadline.map(|date| date.to_string()),
            status: task.status.as_str().to_owned(),
            result_base: task.result_facts().base.as_str().to_owned(),
            percent: task.percent().map(i64::from),
            subtask_count: i64::try_from(task.subtasks.len()).unwrap_or(i64::MAX),
            first_transferred_at: task.first_transferred_at.map(time::to_ms),
            completed_on: completed_on.map(|date| date.to_string()),
            open_update: i64::from(task.open_draft().is_some()),
            search,
            version: i64::from(task.version),
            created_at: time::to_ms(task.created_at),
            updated_at: time::to_ms(task.updated_at),
        }
    }

    /// Decodes a row selected with [`TASK_COLUMNS`].
    pub fn decode(row: &sqlx::any::AnyRow) -> StoreResult<TaskRecord> {
        Ok(TaskRecord {
            document_id: row.try_get("document_id")?,
            group_id: row.try_get("group_id")?,
            parent_id: row.try_get("parent_id")?,
            ordinal: row.try_get("ordinal")?,
            content: row.try_get("content")?,
            lead_body: row.try_get("lead_body")?,
            monitoring_body: row.try_get("monitoring_body")?,
            assigning_body: row.try_get("assigning_body")?,
            executing_unit: row.try_get("executing_unit")?,
            scope: row.try_get("scope")?,
            priority: row.try_get("priority")?,
            other_class: row.try_get("other_class")?,
            confidentiality: row.try_get("confidentiality")?,
            deadline: row.try_get("deadline")?,
            status: row.try_get("status")?,
            result_base: row.try_get("result_base")?,
            percent: row.try_get("percent")?,
            subtask_count: row.try_get("subtask_count")?,
            first_transferred_at: row.try_get("first_transferred_at")?,
            completed_on: row.try_get("completed_on")?,
            open_update: row.try_get("open_update")?,
            search: row.try_get("search")?,
            version: row.try_get("version")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// Folds the words that find a task: its content and its document's symbol and title.
pub(crate) fn task_search(content: Option<&str>, document: &DocumentContent) -> String {
    // A classified task's words would reveal its document's sealed symbol and title.
    if document.confidentiality.is_classified() {
        return String::new();
    }
    format!(
        "{}{}{}",
        content.map(search_words).unwrap_or_default(),
        search_words(&document.symbol.to_string()),
        search_words(&document.title)
    )
}

/// The values of one row of `obligations`, named after its columns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ObligationRecord {
    pub position: i64,
    pub kind: String,
    pub detail: String,
    pub responsible: i64,
    pub opened_at: i64,
    pub due_at: i64,
    pub met_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub optional: i64,
    pub open: i64,
    pub calendar_version: String,
}

/// The columns of [`ObligationRecord`], for `SELECT`.
pub(crate) const OBLIGATION_COLUMNS: &str = "position, kind, detail, responsible, opened_at, \
    due_at, met_at, closed_at, optional, open, calendar_version";

impl ObligationRecord {
    /// Computes the obligation rows of a task from its whole history.
    pub fn from_history(history: &[TaskEvent]) -> StoreResult<Vec<ObligationRecord>> {
        obligations(history)
            .iter()
            .enumerate()
            .map(|(position, obligation)| {
                Ok(ObligationRecord {
                    position: i64::try_from(position).unwrap_or(i64::MAX),
                    kind: obligation.kind.name().to_owned(),
                    detail: serde_json::to_string(&obligation.kind).map_err(StoreError::corrupt)?,
                    responsible: obligation.responsible.0,
                    opened_at: time::to_ms(obligation.opened_at),
                    due_at: time::to_ms(obligation.due_at),
                    met_at: obligation.met_at.map(time::to_ms),
                    closed_at: obligation.closed_at.map(time::to_ms),
                    optional: i64::from(obligation.optional),
                    open: i64::from(obligation.met_at.is_none() && obligation.closed_at.is_none()),
                    calendar_version: obligation.calendar_version.clone(),
                })
            })
            .collect()
    }

    /// Decodes a row selected with [`OBLIGATION_COLUMNS`].
    pub fn decode(row: &sqlx::any::AnyRow) -> StoreResult<ObligationRecord> {
        Ok(ObligationRecord {
            position: row.try_get("position")?,
            kind: row.try_get("kind")?,
            detail: row.try_get("detail")?,
            responsible: row.try_get("responsible")?,
            opened_at: row.try_get("opened_at")?,
            due_at: row.try_get("due_at")?,
            met_at: row.try_get("met_at")?,
            closed_at: row.try_get("closed_at")?,
            optional: row.try_get("optional")?,
            open: row.try_get("open")?,
            calendar_version: row.try_get("calendar_version")?,
        })
    }
}

/// Computes the rolled-up progress of `parent` from its sub-tasks' rows.
pub(crate) async fn rollup_percent<'e, E>(executor: E, parent: TaskId) -> StoreResult<Option<i64>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows = sqlx::query("SELECT percent, status FROM tasks WHERE parent_id = $1")
        .bind(parent.0)
        .fetch_all(executor)
        .await?;
    let subtasks = rows
        .iter()
        .map(|row| {
            let status: String = row.try_get("status")?;
            Ok(SubtaskProgress {
                percent: row
                    .try_get::<Option<i64>, _>("percent")?
                    .and_then(|p| u8::try_from(p).ok()),
                completed: status == TaskStatus::Completed.as_str(),
                cancelled: status == TaskStatus::Cancelled.as_str(),
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(rollup(&subtasks).map(i64::from))
}

/// A document's own tasks (not sub-tasks, not cancelled), and how many of them were transferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DocumentCounts {
    pub task_count: i64,
    pub transferred_count: i64,
}

/// Counts the tasks of `document` from the task rows.
pub(crate) async fn document_counts<'e, E>(
    executor: E,
    document: DocumentId,
) -> StoreResult<DocumentCounts>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let row = sqlx::query(
        "SELECT COUNT(*) AS task_count, \
         COALESCE(SUM(CASE WHEN first_transferred_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS transferred_count \
         FROM tasks WHERE document_id = $1 AND parent_id IS NULL AND status <> 'cancelled'",
    )
    .bind(document.0)
    .fetch_one(executor)
    .await?;
    Ok(DocumentCounts {
        task_count: row.try_get("task_count")?,
        transferred_count: row.try_get("transferred_count")?,
    })
}
