//! Work queues of the Central Office, each ordered by the clock that runs on its items. The
//! entry queue lists documents whose tasks are not all entered and transferred, by entry due
//! time. The feedback queue lists tasks returned with feedback, by handling due time.

use crate::error::{StoreError, StoreResult};
use crate::page::{Cursor, Page, PageRequest};
use crate::scope::Scope;
use crate::sql::Sql;
use crate::{Store, time};
use jiff::Timestamp;
use sqlx::Row;
use theodoi_domain::document::Document;
use theodoi_domain::ids::{DocumentId, TaskId};

/// Cursor sort name of the entry queue.
const ENTRY_SORT: &str = "entry_due";
/// Cursor sort name of the feedback queue.
const FEEDBACK_SORT: &str = "handling_due";

/// A document whose tasks are not all entered and transferred yet.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryQueueItem {
    pub document: Document,
    /// Tasks of the document (not sub-tasks, not cancelled) transferred at least once.
    pub transferred_count: u32,
}

/// How far the entry and transfer of a document's tasks has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryProgress {
    /// Tasks of the document, not counting sub-tasks and cancelled tasks.
    pub task_count: u32,
    /// Those of them transferred at least once.
    pub transferred_count: u32,
    /// The latest first transfer among them, when the last task went out.
    pub last_transferred_at: Option<Timestamp>,
}

impl EntryProgress {
    /// Returns true when every task has been entered and transferred. A document without
    /// tasks is not entered yet.
    pub fn is_complete(&self) -> bool {
        self.task_count > 0 && self.transferred_count == self.task_count
    }
}

/// A task returned with feedback that the assigning side has not handled yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackQueueItem {
    pub task_id: TaskId,
    pub document_id: DocumentId,
    pub document_symbol: String,
    /// When the feedback arrived.
    pub returned_at: Timestamp,
    /// When its handling is due.
    pub handling_due: Timestamp,
}

fn count(row: &sqlx::any::AnyRow, column: &str) -> StoreResult<u32> {
    let value: i64 = row.try_get(column)?;
    u32::try_from(value).map_err(StoreError::corrupt)
}

/// Reads the due time and id from a keyset cursor of `sort`, or returns `None` on the first
/// page.
fn after_due(page: &PageRequest, sort: &str) -> Option<(i64, i64)> {
    let after = page.after.as_ref().filter(|cursor| cursor.sort == sort)?;
    let due = after.key.as_deref().and_then(|key| key.parse().ok())?;
    Some((due, after.id))
}

impl Store {
    /// Documents the reader may see whose tasks are missing or not all transferred, earliest
    /// entry due time first.
    pub async fn entry_queue(
        &self,
        scope: &Scope,
        page: &PageRequest,
    ) -> StoreResult<Page<EntryQueueItem>> {
        let mut sql = Sql::new(
            "SELECT d.id, d.entry_due, d.transferred_count FROM documents d \
             WHERE (d.task_count = 0 OR d.transferred_count < d.task_count)",
        );
        scope.restrict_documents(&mut sql);
        if let Some((due, id)) = after_due(page, ENTRY_SORT) {
            sql.push(" AND (d.entry_due > ")
                .bind(due)
                .push(" OR (d.entry_due = ")
                .bind(due)
                .push(" AND d.id > ")
                .bind(id)
                .push("))");
        }
        let limit = page.limit();
        sql.push(" ORDER BY d.entry_due, d.id")
            .limit(i64::from(limit) + 1);
        let rows = sql.query().fetch_all(&self.db.pool).await?;
        let mut items = Vec::with_capacity(rows.len());
        // NOTE: this reads each document of the page on its own. The queue contains the
        // documents of the last few working days plus overdue ones, so pages stay short.
        for row in &rows {
            let id = DocumentId(row.try_get("id")?);
            let document = self.document(id).await?.ok_or_else(|| {
                StoreError::corrupt(format!("document {} of the entry queue not found", id.0))
            })?;
            items.push(EntryQueueItem {
                document,
                transferred_count: count(row, "transferred_count")?,
            });
        }
        Ok(Page::from_rows(items, limit, |item| Cursor {
            key: Some(time::to_ms(item.document.entry_due).to_string()),
            id: item.document.id.0,
            sort: ENTRY_SORT.into(),
        }))
    }

    /// Counts a document's tasks and their transfers over every task, whatever the reader's
    /// scope, because the entry deadline is the Central Office's duty for the whole document.
    pub async fn entry_progress(&self, id: DocumentId) -> StoreResult<EntryProgress> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS task_count, COUNT(t.first_transferred_at) AS transferred_count, \
             MAX(t.first_transferred_at) AS last_transferred_at FROM tasks t \
             WHERE t.document_id = $1 AND t.parent_id IS NULL AND t.status <> 'cancelled'",
        )
        .bind(id.0)
        .fetch_one(&self.db.pool)
        .await?;
        Ok(EntryProgress {
            task_count: count(&row, "task_count")?,
            transferred_count: count(&row, "transferred_count")?,
            last_transferred_at: time::opt_from_ms(row.try_get("last_transferred_at")?)?,
        })
    }

    /// Tasks of documents that the reader may see and that their bodies returned with
    /// feedback, earliest handling due time first. Sub-tasks are left out because the
    /// delegating body handles their feedback, not the Central Office.
    pub async fn feedback_queue(
        &self,
        scope: &Scope,
        page: &PageRequest,
    ) -> StoreResult<Page<FeedbackQueueItem>> {
        let mut sql = Sql::new(
            "SELECT t.id, t.document_id, d.symbol, o.opened_at, o.due_at FROM tasks t \
             JOIN documents d ON d.id = t.document_id \
             JOIN obligations o ON o.task_id = t.id AND o.kind = 'feedback_handling' AND o.open = 1 \
             WHERE t.status = 'returned' AND t.parent_id IS NULL",
        );
        scope.restrict_tasks(&mut sql);
        if let Some((due, id)) = after_due(page, FEEDBACK_SORT) {
            sql.push(" AND (o.due_at > ")
                .bind(due)
                .push(" OR (o.due_at = ")
                .bind(due)
                .push(" AND t.id > ")
                .bind(id)
                .push("))");
        }
        let limit = page.limit();
        sql.push(" ORDER BY o.due_at, t.id")
            .limit(i64::from(limit) + 1);
        let rows = sql.query().fetch_all(&self.db.pool).await?;
        let items = rows
            .iter()
            .map(|row| {
                Ok(FeedbackQueueItem {
                    task_id: TaskId(row.try_get("id")?),
                    document_id: DocumentId(row.try_get("document_id")?),
                    document_symbol: row.try_get("symbol")?,
                    returned_at: time::from_ms(row.try_get("opened_at")?)?,
                    handling_due: time::from_ms(row.try_get("due_at")?)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let mut items = items;
        let mut symbols: Vec<(i64, &mut String)> = items
            .iter_mut()
            .map(|item| (item.document_id.0, &mut item.document_symbol))
            .collect();
        self.reveal_symbols(scope, &mut symbols).await?;
        Ok(Page::from_rows(items, limit, |item| Cursor {
            key: Some(time::to_ms(item.handling_due).to_string()),
            id: item.task_id.0,
            sort: FEEDBACK_SORT.into(),
        }))
    }
}
