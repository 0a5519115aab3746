//! Values read from the tables, reused while the tables stay in one state.
//!
//! Counts over a leader's million tasks take tens of milliseconds to a second, and leaders
//! open the same pages many times between two writes. The caller names the state of the
//! tables its value depends on (on SQLite, the highest event ids) and the instant until which
//! the value stays valid (when the next obligation falls due, say). Callers that miss the same key
//! at the same time wait for one reading instead of each reading the same rows.

use crate::error::StoreResult;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Mutex, PoisonError};
use tokio::sync::watch;

/// Kept values by key, all for one state of the tables.
#[derive(Debug)]
pub struct Reuse<V> {
    /// Keys kept for one state. A reading beyond this number first clears all the others.
    capacity: usize,
    inner: Mutex<Generation<V>>,
}

#[derive(Debug)]
struct Generation<V> {
    state: String,
    slots: HashMap<String, Slot<V>>,
}

/// One reading, finished or under way. The reader that started it sends the outcome. The
/// outcome is `None` when the reading failed or was dropped, and the waiting callers then read
/// for themselves.
#[derive(Debug, Clone)]
struct Slot<V> {
    started_ms: i64,
    outcome: watch::Receiver<Option<Option<Entry<V>>>>,
}

#[derive(Debug, Clone)]
struct Entry<V> {
    value: V,
    /// The instants (Unix milliseconds) between which the value is valid: from its reading to
    /// the next change that time alone brings. After the clock is set back it is read again.
    valid_from: i64,
    valid_until: i64,
}

impl<V> Entry<V> {
    fn is_valid_at(&self, now_ms: i64) -> bool {
        (self.valid_from..=self.valid_until).contains(&now_ms)
    }
}

/// The caller's part for a key: waiting for a reading under way or finished, or reading.
enum Turn<V> {
    Wait(watch::Receiver<Option<Option<Entry<V>>>>),
    Read(watch::Sender<Option<Option<Entry<V>>>>),
}

impl<V: Clone> Reuse<V> {
    pub fn new(capacity: usize) -> Reuse<V> {
        Reuse {
            capacity,
            inner: Mutex::new(Generation {
                state: String::new(),
                slots: HashMap::new(),
            }),
        }
    }

    /// Returns the value kept for `key` while the tables are in `state`, if it is valid at
    /// `now_ms`. Otherwise calls `read`, which returns the value and the last instant at which
    /// it is valid, and keeps it. A caller that finds a reading of the same key under way
    /// waits for it.
    pub async fn get_or_read<F, Fut>(
        &self,
        state: &str,
        key: &str,
        now_ms: i64,
        read: F,
    ) -> StoreResult<V>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = StoreResult<(V, i64)>>,
    {
        let sender = match self.turn(state, key, now_ms) {
            Turn::Wait(mut outcome) => {
                // A dropped sender (the reader's request went away) reads as no outcome.
                let waited = outcome.wait_for(Option::is_some).await;
                let entry = waited.ok().and_then(|outcome| (*outcome).clone().flatten());
                match entry {
                    Some(entry) if entry.is_valid_at(now_ms) => return Ok(entry.value),
                    // Failed, dropped, or valid only before `now_ms`: read without keeping.
                    _ => return read().await.map(|(value, _)| value),
                }
            }
            Turn::Read(sender) => sender,
        };

        match read().await {
            Ok((value, valid_until)) => {
                sender.send_replace(Some(Some(Entry {
                    value: value.clone(),
                    valid_from: now_ms,
                    valid_until,
                })));
                Ok(value)
            }
            Err(error) => {
                sender.send_replace(Some(None));
                self.forget(state, key, now_ms);
                Err(error)
            }
        }
    }

    /// Finds the reading to wait for, or registers the caller as the reader.
    fn turn(&self, state: &str, key: &str, now_ms: i64) -> Turn<V> {
        let mut generation = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if generation.state != state {
            generation.slots.clear();
            generation.state = state.to_owned();
        }
        if let Some(slot) = generation.slots.get(key) {
            // A closed channel without an outcome is a reading whose request went away.
            let abandoned = slot.outcome.has_changed().is_err();
            let usable = match &*slot.outcome.borrow() {
                // Under way since before `now_ms`: its reading is at least as recent.
                None => slot.started_ms <= now_ms && !abandoned,
                Some(Some(entry)) => entry.is_valid_at(now_ms),
                Some(None) => false,
            };
            if usable {
                return Turn::Wait(slot.outcome.clone());
            }
        }
        if generation.slots.len() >= self.capacity {
            generation.slots.clear();
        }
        let (sender, outcome) = watch::channel(None);
        generation.slots.insert(
            key.to_owned(),
            Slot {
                started_ms: now_ms,
                outcome,
            },
        );
        Turn::Read(sender)
    }

    /// Drops the failed reading started at `now_ms`, so that the next caller reads again.
    fn forget(&self, state: &str, key: &str, now_ms: i64) {
        let mut generation = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if generation.state == state
            && generation
                .slots
                .get(key)
                .is_some_and(|slot| slot.started_ms == now_ms)
        {
            generation.slots.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::StoreError;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    async fn value(reads: &AtomicUsize, value: i64, until: i64) -> StoreResult<(i64, i64)> {
        reads.fetch_add(1, Ordering::SeqCst);
        Ok((value, until))
    }

    #[tokio::test]
    async fn value_is_reused_in_its_state_and_window() {
        let reuse = Reuse::new(8);
        let reads = AtomicUsize::new(0);
        let first = reuse
            .get_or_read("7|2", "q", 10, || value(&reads, 5, 1_000))
            .await
            .unwrap();
        assert_eq!(first, 5);

        let again = reuse
            .get_or_read("7|2", "q", 1_000, || value(&reads, 6, 2_000))
            .await
            .unwrap();
        assert_eq!((again, reads.load(Ordering::SeqCst)), (5, 1));

        let after_due = reuse
            .get_or_read("7|2", "q", 1_001, || value(&reads, 7, 2_000))
            .await
            .unwrap();
        assert_eq!(after_due, 7, "a value past its window is read again");

        let clock_back = reuse
            .get_or_read("7|2", "q", 9, || value(&reads, 8, 2_000))
            .await
            .unwrap();
        assert_eq!(clock_back, 8, "a value is not used before its reading");

        let written = reuse
            .get_or_read("8|2", "q", 1_001, || value(&reads, 9, 2_000))
            .await
            .unwrap();
        assert_eq!(written, 9, "a write changes the state");
        assert_eq!(reads.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn other_keys_and_states_are_read_apart() {
        let reuse = Reuse::new(8);
        let reads = AtomicUsize::new(0);
        reuse
            .get_or_read("a", "q", 0, || value(&reads, 1, i64::MAX))
            .await
            .unwrap();
        let other_key = reuse
            .get_or_read("a", "r", 0, || value(&reads, 2, i64::MAX))
            .await
            .unwrap();
        let other_state = reuse
            .get_or_read("b", "q", 0, || value(&reads, 3, i64::MAX))
            .await
            .unwrap();
        let first_again = reuse
            .get_or_read("a", "q", 0, || value(&reads, 4, i64::MAX))
            .await
            .unwrap();
        assert_eq!((other_key, other_state, first_again), (2, 3, 4));
    }

    #[tokio::test]
    async fn concurrent_misses_share_one_reading() {
        let reuse = Arc::new(Reuse::new(8));
        let reads = Arc::new(AtomicUsize::new(0));
        let (release, released) = watch::channel(false);
        let mut callers = Vec::new();
        for _ in 0..5 {
            let reuse = Arc::clone(&reuse);
            let reads = Arc::clone(&reads);
            let mut released = released.clone();
            callers.push(tokio::spawn(async move {
                reuse
                    .get_or_read("s", "k", 0, || async move {
                        reads.fetch_add(1, Ordering::SeqCst);
                        released.wait_for(|open| *open).await.unwrap();
                        Ok((42, i64::MAX))
                    })
                    .await
            }));
        }
        // Every caller has found the reading under way before it finishes.
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        release.send_replace(true);
        for caller in callers {
            assert_eq!(caller.await.unwrap().unwrap(), 42);
        }
        assert_eq!(reads.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn reuse_forgets_failed_reading() {
        let reuse = Reuse::new(8);
        let failed = reuse
            .get_or_read("s", "k", 0, || async {
                Err::<(i64, i64), _>(StoreError::corrupt("test".to_owned()))
            })
            .await;
        assert!(failed.is_err());
        let reads = AtomicUsize::new(0);
        let next = reuse
            .get_or_read("s", "k", 0, || value(&reads, 3, i64::MAX))
            .await
            .unwrap();
        assert_eq!((next, reads.load(Ordering::SeqCst)), (3, 1));
    }

    #[tokio::test]
    async fn reuse_after_dropped_reading() {
        let reuse = Arc::new(Reuse::new(8));
        let stalled = {
            let reuse = Arc::clone(&reuse);
            tokio::spawn(async move {
                reuse
                    .get_or_read("s", "k", 0, || {
                        std::future::pending::<StoreResult<(i64, i64)>>()
                    })
                    .await
            })
        };
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let waiting = {
            let reuse = Arc::clone(&reuse);
            tokio::spawn(async move {
                reuse
                    .get_or_read("s", "k", 0, || async { Ok((7, i64::MAX)) })
                    .await
            })
        };
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        stalled.abort();
        assert_eq!(waiting.await.unwrap().unwrap(), 7);
    }

    #[tokio::test]
    async fn capacity_bounds_the_kept_keys() {
        let reuse = Reuse::new(2);
        let reads = AtomicUsize::new(0);
        for key in ["a", "b", "c", "a"] {
            reuse
                .get_or_read("s", key, 0, || value(&reads, 1, i64::MAX))
                .await
                .unwrap();
        }
        assert_eq!(reads.load(Ordering::SeqCst), 4, "the third key made room");
        assert_eq!(reuse.inner.lock().unwrap().slots.len(), 2);
    }
}
