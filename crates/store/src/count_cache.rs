//! Task counts read by scanning the tasks, reused while nothing they depend on has changed.
//!
//! A list filtered by free text or by breached obligations has no count table to read, so its
//! counts by result state read every matching task: about a second for a reader who sees a
//! million tasks. They change only when a task or a document is written, when the date
//! changes, or, for the breached filter, when an open obligation's due time passes. Leaders
//! open the same lists many times between two such changes.
//!
//! SQLite only, for the reason given in the tally cache: there the highest event ids prove
//! that nothing was written.

use crate::error::StoreResult;
use crate::task_list::StateCounts;
use sqlx::Row;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// Distinct readings kept for one state of the tables: the filters leaders open, times a few
/// scopes.
const ENTRIES: usize = 64;

/// Counts by reading, all for one state of the tasks and documents.
#[derive(Debug, Default)]
pub(crate) struct CountCache {
    inner: Mutex<Readings>,
}

#[derive(Debug, Default)]
struct Readings {
    state: String,
    counts: HashMap<String, Reading>,
}

#[derive(Debug, Clone)]
struct Reading {
    counts: StateCounts,
    /// The instants (Unix milliseconds) between which the counts hold: from their reading to
    /// the next breach. After the clock is set back, the counts are read again.
    valid_from: i64,
    valid_until: i64,
}

impl CountCache {
    /// Returns the counts read for `reading` in `state`, if they still hold at `now_ms`.
    pub(crate) fn get(&self, state: &str, reading: &str, now_ms: i64) -> Option<StateCounts> {
        let readings = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if readings.state != state {
            return None;
        }
        readings
            .counts
            .get(reading)
            .filter(|kept| (kept.valid_from..=kept.valid_until).contains(&now_ms))
            .map(|kept| kept.counts.clone())
    }

    /// Keeps `counts` for `reading` in `state` from `valid.0` to `valid.1`, dropping the
    /// readings of any other state.
    pub(crate) fn put(
        &self,
        state: String,
        reading: String,
        counts: StateCounts,
        valid: (i64, i64),
    ) {
        let mut readings = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if readings.state != state || readings.counts.len() >= ENTRIES {
            readings.counts.clear();
            readings.state = state;
        }
        readings.counts.insert(
            reading,
            Reading {
                counts,
                valid_from: valid.0,
                valid_until: valid.1,
            },
        );
    }
}

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

/// Returns the due time of the first open obligation due at or after `from_ms`: a task becomes
/// breached then, so breached counts read at `from_ms` hold until that time.
pub(crate) async fn next_breach(conn: &mut sqlx::AnyConnection, from_ms: i64) -> StoreResult<i64> {
    let row = sqlx::query(
        "SELECT due_at FROM obligations WHERE open = 1 AND due_at >= $1 AND optional = 0 \
         ORDER BY due_at LIMIT 1",
    )
    .bind(from_ms)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(row) => Ok(row.try_get("due_at")?),
        None => Ok(i64::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(total: i64) -> StateCounts {
        StateCounts {
            total,
            ..StateCounts::default()
        }
    }

    #[test]
    fn cache_keeps_counts_until_their_time() {
        let cache = CountCache::default();
        cache.put("7|2".into(), "q".into(), counts(5), (10, 1_000));
        assert_eq!(cache.get("7|2", "q", 1_000), Some(counts(5)));
        assert_eq!(
            cache.get("7|2", "q", 9),
            None,
            "read before the counts were"
        );
        assert_eq!(cache.get("7|2", "q", 1_001), None, "an obligation fell due");
        assert_eq!(cache.get("8|2", "q", 10), None, "a task was written");
        assert_eq!(cache.get("7|2", "other", 10), None);
    }

    #[test]
    fn cache_drops_readings_of_other_states() {
        let cache = CountCache::default();
        cache.put("a".into(), "q".into(), counts(1), (0, i64::MAX));
        cache.put("b".into(), "r".into(), counts(2), (0, i64::MAX));
        assert_eq!(cache.get("a", "q", 0), None);
        assert_eq!(cache.get("b", "r", 0), Some(counts(2)));
    }
}
