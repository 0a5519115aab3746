//! Tally cells read recently, reused until a task changes.
//!
//! A reader who sees everything adds up tens of thousands of count rows per dashboard, which
//! costs more than the rest of the page together at a million tasks. The rows change only in
//! a task command, and every task command appends to `task_events`, so the highest event id
//! and the pivot date identify one state of the count tables.
//!
//! SQLite only: its single writer hands out event ids in commit order. On PostgreSQL a
//! transaction holding a lower id can commit after a higher one was read, so the highest id
//! does not prove that nothing changed.

use super::read::CellKey;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

/// Cells of one tally: per cell key, the number of tasks.
pub(crate) type Cells = Arc<BTreeMap<CellKey, i64>>;

/// Distinct readings kept for one state of the tables: a few clearances times the filters of
/// the list page's counts.
const ENTRIES: usize = 32;

/// Tally cells by reading, all for one state of the count tables.
#[derive(Debug, Default)]
pub(crate) struct TallyCache {
    inner: Mutex<Readings>,
}

#[derive(Debug, Default)]
struct Readings {
    /// The state of the count tables the readings belong to.
    state: String,
    cells: HashMap<String, Cells>,
}

impl TallyCache {
    /// Returns the cells read for `reading` while the tables were in `state`.
    pub(crate) fn get(&self, state: &str, reading: &str) -> Option<Cells> {
        let readings = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        (readings.state == state)
            .then(|| readings.cells.get(reading).cloned())
            .flatten()
    }

    /// Keeps `cells` for `reading` in `state`, dropping the readings of any other state.
    pub(crate) fn put(&self, state: String, reading: String, cells: Cells) {
        let mut readings = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if readings.state != state || readings.cells.len() >= ENTRIES {
            readings.cells.clear();
            readings.state = state;
        }
        readings.cells.insert(reading, cells);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(n: i64) -> Cells {
        Arc::new(BTreeMap::from([((1, "u".into(), "p".into(), None), n)]))
    }

    #[test]
    fn cache_reuses_reading_in_same_state() {
        let cache = TallyCache::default();
        cache.put("2026-12-05|10".into(), "all".into(), cells(3));

        assert_eq!(cache.get("2026-12-05|10", "all"), Some(cells(3)));
        assert_eq!(cache.get("2026-12-05|11", "all"), None);
        assert_eq!(cache.get("2026-12-05|10", "secret"), None);
    }

    #[test]
    fn cache_drops_readings_on_new_state() {
        let cache = TallyCache::default();
        cache.put("a".into(), "all".into(), cells(1));
        cache.put("b".into(), "secret".into(), cells(2));

        assert_eq!(cache.get("a", "all"), None);
        assert_eq!(cache.get("b", "secret"), Some(cells(2)));
    }
}
