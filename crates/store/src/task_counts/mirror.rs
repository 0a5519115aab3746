//! A copy of `task_tally_counts` in memory, kept current by this process's writers (SQLite
//! only).
//!
//! The national tally has tens of thousands of rows at a million tasks, and reading it again
//! after every write took 1.5 to 1.9 s per reading in the mixed load benchmark. So the writer
//! that commits a change adds the same differences to the copy, and readers filter the copy
//! in memory.
//!
//! A copy belongs to one state of the tables: the pivot date and the highest task event id,
//! as in [`read`](super::read). A writer holds the SQLite write lock from the event id it
//! reads at its start to its commit, so when the copy is at that id, the writer's changes
//! bring it exactly to the state its commit makes. Writes of other processes leave the copy
//! behind, and the next reader finds it older than its snapshot and reads the table again.

use super::TallyKey;
use crate::error::StoreResult;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::watch;

/// The rows of `task_tally_counts` at one state of the tables.
#[derive(Debug, Clone)]
pub(crate) struct TallyCopy {
    pub pivot: String,
    pub last_event: i64,
    pub rows: HashMap<TallyKey, i64>,
}

/// The copy, shared by the readers and the writers of one process.
#[derive(Debug)]
pub(crate) struct TallyMirror {
    inner: Mutex<Inner>,
    /// Bumped when a commit that the copy follows has ended, so that readers waiting for it
    /// look again.
    settled: watch::Sender<u64>,
    /// Taken by a reader that reads the whole table, so that readers who miss at the same time
    /// read it once.
    loading: tokio::sync::Mutex<()>,
}

#[derive(Debug, Default)]
struct Inner {
    copy: Option<Arc<TallyCopy>>,
    /// Whether a writer that the copy follows is committing.
    committing: bool,
}

/// A reader's next step for the state of its snapshot.
pub(crate) enum Lookup {
    /// The copy is at the reader's state or later.
    Use(Arc<TallyCopy>),
    /// A commit that will bring the copy forward is under way.
    Wait(watch::Receiver<u64>),
    /// No copy serves: read the table.
    Read,
}

/// A writer's part in keeping the copy: the state it started from and reaches. Dropped
/// without [`Commit::finish`], as when the commit's future is dropped, it drops the copy.
#[derive(Debug)]
pub(crate) struct Commit {
    mirror: Arc<TallyMirror>,
    from_event: i64,
    to_event: i64,
    finished: bool,
}

impl Default for TallyMirror {
    fn default() -> TallyMirror {
        TallyMirror {
            inner: Mutex::new(Inner::default()),
            settled: watch::Sender::new(0),
            loading: tokio::sync::Mutex::new(()),
        }
    }
}

impl TallyMirror {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Finds the copy for a reader whose snapshot has `pivot` and `last_event`. With `exact`,
    /// only a copy of that very state serves: a reader that combines the copy with other rows
    /// of its snapshot needs both from one state.
    pub fn lookup(&self, pivot: &str, last_event: i64, exact: bool) -> Lookup {
        let inner = self.lock();
        if let Some(copy) = &inner.copy
            && copy.pivot == pivot
            && (copy.last_event == last_event || (!exact && copy.last_event > last_event))
        {
            return Lookup::Use(Arc::clone(copy));
        }
        if inner.committing {
            return Lookup::Wait(self.settled.subscribe());
        }
        Lookup::Read
    }

    /// Returns the copy for the reader's state, reading the whole table in `conn` (the
    /// reader's snapshot) when no copy serves.
    pub async fn copy_for(
        &self,
        conn: &mut sqlx::AnyConnection,
        pivot: &str,
        last_event: i64,
        exact: bool,
    ) -> StoreResult<Arc<TallyCopy>> {
        let mut loading = None;
        loop {
            match self.lookup(pivot, last_event, exact) {
                Lookup::Use(copy) => return Ok(copy),
                Lookup::Wait(mut settled) => {
                    // The sender lives as long as `self`, and the loop looks again either way.
                    let _ = settled.changed().await;
                }
                Lookup::Read if loading.is_none() => {
                    // Another reader may be reading the table for the same state: wait for it
                    // and look again before reading.
                    loading = Some(self.loading.lock().await);
                }
                Lookup::Read => break,
            }
        }
        let copy = Arc::new(read_table(conn, pivot, last_event).await?);
        self.install(Arc::clone(&copy));
        Ok(copy)
    }

    /// Keeps `copy` unless the kept one is of a later state.
    fn install(&self, copy: Arc<TallyCopy>) {
        let mut inner = self.lock();
        let later = inner.copy.as_ref().is_some_and(|kept| {
            (kept.last_event, kept.pivot.as_str()) > (copy.last_event, copy.pivot.as_str())
        });
        if !later {
            inner.copy = Some(copy);
        }
    }

    /// Called by a writer before its commit, with the highest task event id at its start and
    /// now. Returns the writer's part when the copy is at the writer's starting state. Readers
    /// of the new state then wait for [`Commit::finish`].
    pub fn prepare(self: &Arc<Self>, from_event: i64, to_event: i64) -> Option<Commit> {
        let mut inner = self.lock();
        let follows = inner
            .copy
            .as_ref()
            .is_some_and(|copy| copy.last_event == from_event);
        follows.then(|| {
            inner.committing = true;
            Commit {
                mirror: Arc::clone(self),
                from_event,
                to_event,
                finished: false,
            }
        })
    }
}

impl Commit {
    /// Called by the writer after its commit, with what it changed. Without a successful
    /// commit, `changes` is `None` and the copy is dropped: a failed commit may have left the
    /// table in either state.
    pub fn finish(mut self, changes: Option<Changes<'_>>) {
        self.finished = true;
        self.settle(changes);
    }

    fn settle(&self, changes: Option<Changes<'_>>) {
        {
            let mut inner = self.mirror.lock();
            inner.committing = false;
            // A reader may have kept a copy of the new state meanwhile; it needs nothing.
            let at_start = inner
                .copy
                .as_ref()
                .filter(|copy| copy.last_event == self.from_event)
                .map(|copy| copy.pivot.clone());
            match (changes, at_start) {
                (Some(changes), Some(pivot))
                    if changes.judged_on.is_none_or(|judged| judged == pivot) =>
                {
                    if let Some(copy) = inner.copy.as_mut() {
                        apply(Arc::make_mut(copy), &changes, self.to_event);
                    }
                }
                (Some(_), None) => {}
                // Failed, or judged on a pivot that another process moved.
                _ => inner.copy = None,
            }
        }
        self.mirror
            .settled
            .send_modify(|generation| *generation += 1);
    }
}

impl Drop for Commit {
    fn drop(&mut self) {
        if !self.finished {
            self.settle(None);
        }
    }
}

/// The changes a committed writer made to `task_tally_counts`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Changes<'a> {
    pub tally: &'a BTreeMap<TallyKey, i64>,
    /// The pivot the differences were judged on, when the writer read it.
    pub judged_on: Option<&'a str>,
    /// The pivot the writer moved to, if it did.
    pub moved_to: Option<&'a str>,
}

fn apply(copy: &mut TallyCopy, changes: &Changes<'_>, to: i64) {
    for (key, n) in changes.tally {
        if *n == 0 {
            continue;
        }
        let count = copy.rows.entry(key.clone()).or_default();
        *count += n;
        if *count == 0 {
            copy.rows.remove(key);
        }
    }
    copy.last_event = to;
    if let Some(pivot) = changes.moved_to {
        copy.pivot = pivot.to_owned();
    }
}

async fn read_table(
    conn: &mut sqlx::AnyConnection,
    pivot: &str,
    last_event: i64,
) -> StoreResult<TallyCopy> {
    let found = sqlx::query(
        "SELECT lead_body, executing_unit, priority, confidentiality, state, n \
         FROM task_tally_counts WHERE n <> 0",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut rows = HashMap::with_capacity(found.len());
    for row in found {
        let key = (
            row.try_get("lead_body")?,
            row.try_get("executing_unit")?,
            row.try_get("priority")?,
            row.try_get("confidentiality")?,
            row.try_get("state")?,
        );
        rows.insert(key, row.try_get("n")?);
    }
    Ok(TallyCopy {
        pivot: pivot.to_owned(),
        last_event,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(lead: i64, state: &str) -> TallyKey {
        (
            lead,
            "unit".to_owned(),
            "normal".to_owned(),
            "normal".to_owned(),
            state.to_owned(),
        )
    }

    fn mirror_at(pivot: &str, last_event: i64, rows: &[(TallyKey, i64)]) -> Arc<TallyMirror> {
        let mirror = Arc::new(TallyMirror::default());
        mirror.install(Arc::new(TallyCopy {
            pivot: pivot.to_owned(),
            last_event,
            rows: rows.iter().cloned().collect(),
        }));
        mirror
    }

    fn used(lookup: Lookup) -> Arc<TallyCopy> {
        match lookup {
            Lookup::Use(copy) => copy,
            Lookup::Wait(_) => panic!("expected the copy, found a commit under way"),
            Lookup::Read => panic!("expected the copy, found none"),
        }
    }

    #[test]
    fn copy_follows_committed_changes() {
        let mirror = mirror_at("2026-12-01", 10, &[(key(1, "completed_on_time"), 2)]);
        let commit = mirror.prepare(10, 12).expect("the copy follows");
        let tally = BTreeMap::from([
            (key(1, "completed_on_time"), -2),
            (key(2, "in_progress_on_time"), 1),
        ]);
        commit.finish(Some(Changes {
            tally: &tally,
            judged_on: Some("2026-12-01"),
            moved_to: None,
        }));

        let copy = used(mirror.lookup("2026-12-01", 12, true));
        assert_eq!(copy.last_event, 12);
        assert_eq!(
            copy.rows,
            HashMap::from([(key(2, "in_progress_on_time"), 1)]),
            "a count that reaches zero leaves the copy"
        );
        assert!(
            matches!(mirror.lookup("2026-12-01", 13, false), Lookup::Read),
            "a copy older than the snapshot is read again"
        );
        assert!(
            matches!(mirror.lookup("2026-12-01", 11, true), Lookup::Read),
            "an exact reader needs its own state"
        );
        used(mirror.lookup("2026-12-01", 11, false));
    }

    #[test]
    fn copy_follows_moved_pivot() {
        let mirror = mirror_at("2026-12-01", 10, &[(key(1, "in_progress_on_time"), 3)]);
        let tally = BTreeMap::from([
            (key(1, "in_progress_on_time"), -1),
            (key(1, "in_progress_overdue"), 1),
        ]);
        let commit = mirror.prepare(10, 10).expect("the copy follows");
        commit.finish(Some(Changes {
            tally: &tally,
            judged_on: Some("2026-12-01"),
            moved_to: Some("2026-12-03"),
        }));
        assert!(matches!(
            mirror.lookup("2026-12-01", 10, false),
            Lookup::Read
        ));
        let copy = used(mirror.lookup("2026-12-03", 10, true));
        assert_eq!(copy.rows[&key(1, "in_progress_overdue")], 1);
    }

    #[test]
    fn copy_dropped_after_uncertain_commit() {
        let failed = mirror_at("2026-12-01", 10, &[]);
        failed.prepare(10, 11).expect("follows").finish(None);
        assert!(matches!(
            failed.lookup("2026-12-01", 10, false),
            Lookup::Read
        ));

        let dropped = mirror_at("2026-12-01", 10, &[]);
        drop(dropped.prepare(10, 11));
        assert!(matches!(
            dropped.lookup("2026-12-01", 10, false),
            Lookup::Read
        ));

        let other_pivot = mirror_at("2026-12-01", 10, &[]);
        let tally = BTreeMap::from([(key(1, "in_progress_on_time"), 1)]);
        other_pivot
            .prepare(10, 11)
            .expect("follows")
            .finish(Some(Changes {
                tally: &tally,
                judged_on: Some("2026-12-02"),
                moved_to: None,
            }));
        assert!(matches!(
            other_pivot.lookup("2026-12-01", 11, false),
            Lookup::Read
        ));
    }

    #[test]
    fn copy_behind_writer_left_alone() {
        let mirror = mirror_at("2026-12-01", 8, &[]);
        assert!(mirror.prepare(10, 11).is_none());
        assert!(matches!(
            mirror.lookup("2026-12-01", 11, false),
            Lookup::Read
        ));
    }

    #[tokio::test]
    async fn reader_waits_for_commit() {
        let mirror = mirror_at("2026-12-01", 10, &[]);
        let commit = mirror.prepare(10, 11).expect("follows");
        let Lookup::Wait(mut settled) = mirror.lookup("2026-12-01", 11, true) else {
            panic!("a reader of the new state waits");
        };
        let reader = tokio::spawn(async move { settled.changed().await.is_ok() });

        let tally = BTreeMap::new();
        commit.finish(Some(Changes {
            tally: &tally,
            judged_on: None,
            moved_to: None,
        }));
        assert!(reader.await.expect("reader"), "the reader was woken");
        assert_eq!(used(mirror.lookup("2026-12-01", 11, true)).last_event, 11);
    }
}
