//! The inputs of reused counts: the state of the tasks and documents, and the next instant at
//! which time alone changes an obligation's standing.
//!
//! SQLite only: its single writer hands out event ids in commit order, so the highest ids
//! prove that nothing was written. On PostgreSQL a transaction holding a lower id can commit
//! after a higher one was read.

use crate::Store;
use crate::db::Backend;
use crate::error::StoreResult;
use crate::time;
use jiff::{SignedDuration, Timestamp};
use sqlx::Row;

/// Reads the state of the tasks and documents as their highest event ids. Every task or
/// document command appends an event in the same transaction as the rows it changes.
pub(crate) async fn written_state(conn: &mut sqlx::AnyConnection) -> StoreResult<String> {
    // Bare MAX(id) reads the last row of each rowid tree.
    let row = sqlx::query(
        "SELECT (SELECT MAX(id) FROM task_events) AS tasks, \
         (SELECT MAX(id) FROM document_events) AS documents",
    )
    .fetch_one(&mut *conn)
    .await?;
    let tasks: Option<i64> = row.try_get("tasks")?;
    let documents: Option<i64> = row.try_get("documents")?;
    Ok(format!("{}|{}", tasks.unwrap_or(0), documents.unwrap_or(0)))
}

/// Returns the due time of the first open obligation due at or after `from_ms`, or `i64::MAX`
/// when there is none. With `required_only`, optional obligations are left out.
async fn first_due(
    conn: &mut sqlx::AnyConnection,
    from_ms: i64,
    required_only: bool,
) -> StoreResult<i64> {
    let sql = if required_only {
        "SELECT due_at FROM obligations WHERE open = 1 AND due_at >= $1 AND optional = 0 \
         ORDER BY due_at LIMIT 1"
    } else {
        "SELECT due_at FROM obligations WHERE open = 1 AND due_at >= $1 ORDER BY due_at LIMIT 1"
    };
    let row = sqlx::query(sql)
        .bind(from_ms)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => Ok(row.try_get("due_at")?),
        None => Ok(i64::MAX),
    }
}

/// Returns the due time of the first open obligation due at or after `from_ms`: a task becomes
/// breached then, so breached counts read at `from_ms` stay valid until that time.
pub(crate) async fn next_breach(conn: &mut sqlx::AnyConnection, from_ms: i64) -> StoreResult<i64> {
    first_due(conn, from_ms, true).await
}

/// Returns the first instant at or after `from_ms` at which an open obligation falls due or
/// comes within `within_ms` of falling due: counts of overdue and due-soon obligations read at
/// `from_ms` stay valid until just before it.
pub(crate) async fn next_due_change(
    conn: &mut sqlx::AnyConnection,
    from_ms: i64,
    within_ms: i64,
) -> StoreResult<i64> {
    let falls_due = first_due(conn, from_ms, false).await?;
    let window_start = first_due(conn, from_ms.saturating_add(within_ms), false).await?;
    // No obligation ahead leaves `i64::MAX`, which must not move back by the window.
    let enters_window = match window_start {
        i64::MAX => i64::MAX,
        due_at => due_at.saturating_sub(within_ms),
    };
    Ok(falls_due.min(enters_window))
}

/// The state of the tables that a value read from them belongs to, and the last instant at
/// which time alone has not changed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableState {
    /// The highest task and document event ids, as text.
    pub written: String,
    /// The last instant (Unix milliseconds) before an open obligation falls due or comes
    /// within the window given to [`Store::table_state`].
    pub due_standing_until: i64,
}

impl Store {
    /// Reads the state of the tasks and documents, for callers that reuse what they read from
    /// them. `None` on PostgreSQL, where the highest event ids prove nothing (see above).
    pub async fn table_state(
        &self,
        now: Timestamp,
        within: SignedDuration,
    ) -> StoreResult<Option<TableState>> {
        if self.db.backend != Backend::Sqlite {
            return Ok(None);
        }
        let now_ms = time::to_ms(now);
        let within_ms = i64::try_from(within.as_millis()).unwrap_or(i64::MAX);
        let mut tx = self.db.pool.begin().await?;
        let written = written_state(&mut tx).await?;
        let next = next_due_change(&mut tx, now_ms, within_ms).await?;
        tx.rollback().await?;
        Ok(Some(TableState {
            written,
            due_standing_until: next.saturating_sub(1),
        }))
    }
}
