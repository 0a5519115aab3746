//! Transparent retry of write transactions that lost a race inside the database.
//!
//! A serialization failure or deadlock on PostgreSQL, and a busy or locked database on SQLite,
//! roll the whole transaction back, so running it again from the start is safe. The retry
//! reloads the record, repeats every version check and lets the domain decide again on the
//! fresh state. A version conflict is a different thing. It means that the caller's copy is
//! stale, so it is never retried here and reaches the caller as a conflict.

use crate::error::{StoreError, StoreResult};
use rand::RngExt;
use std::time::Duration;

/// The cause of a rollback forced by concurrent transactions, not by the transaction itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contention {
    /// PostgreSQL SQLSTATE 40001, `serialization_failure`.
    Serialization,
    /// PostgreSQL SQLSTATE 40P01, `deadlock_detected`.
    Deadlock,
    /// SQLite `SQLITE_BUSY` and its extended codes: another connection holds the write lock
    /// for longer than the busy timeout.
    Busy,
    /// SQLite `SQLITE_LOCKED` and its extended codes: a conflict inside one connection or
    /// shared cache.
    Locked,
}

/// The database product that reported an error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorSource {
    Sqlite,
    Postgres,
}

/// Classifies a database error code: an SQLite result code (primary or extended, as a decimal
/// number) or a PostgreSQL SQLSTATE. Returns `None` for every other failure, which is not
/// retried.
pub fn classify_code(source: ErrorSource, code: &str) -> Option<Contention> {
    match source {
        ErrorSource::Postgres => match code {
            "40001" => Some(Contention::Serialization),
            "40P01" => Some(Contention::Deadlock),
            _ => None,
        },
        ErrorSource::Sqlite => {
            // An extended result code keeps the primary code in its low byte, for example
            // SQLITE_BUSY_SNAPSHOT = 517 = 5 | 2 << 8.
            let primary = code.parse::<i32>().ok()? & 0xff;
            match primary {
                5 => Some(Contention::Busy),
                6 => Some(Contention::Locked),
                _ => None,
            }
        }
    }
}

/// Classifies a database error by the driver that raised it.
pub fn classify(error: &sqlx::Error) -> Option<Contention> {
    let sqlx::Error::Database(database) = error else {
        return None;
    };
    let source = if database
        .try_downcast_ref::<sqlx::sqlite::SqliteError>()
        .is_some()
    {
        ErrorSource::Sqlite
    } else if database
        .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
        .is_some()
    {
        ErrorSource::Postgres
    } else {
        return None;
    };
    classify_code(source, database.code().as_deref()?)
}

/// How often and how long to wait before running a transaction again.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RetryPolicy {
    /// Attempts in total, the first one included.
    pub attempts: u32,
    /// Upper bound of the wait before the second attempt; it doubles for each later attempt.
    pub first_backoff: Duration,
    pub max_backoff: Duration,
}

impl RetryPolicy {
    /// The policy of every write transaction. With SQLite's busy timeout of 10 s the worst case
    /// is about 40 s before the error reaches the caller. PostgreSQL reports a deadlock after
    /// its `deadlock_timeout` (1 s by default).
    pub const WRITES: RetryPolicy = RetryPolicy {
        attempts: 4,
        first_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_millis(500),
    };

    /// Picks the wait before attempt `next` (2 for the first retry): a random duration between
    /// half the bound and the bound, so that transactions that collided once do not collide
    /// again in lockstep.
    pub fn backoff(&self, next: u32) -> Duration {
        let doublings = next.saturating_sub(2).min(16);
        let bound = self
            .first_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff);
        let half = bound / 2;
        let jitter_ms = u64::try_from(half.as_millis()).unwrap_or(u64::MAX);
        half + Duration::from_millis(rand::rng().random_range(0..=jitter_ms))
    }
}

/// Returns the contention behind a failed store operation, if any.
pub(crate) fn contention_of(error: &StoreError) -> Option<Contention> {
    match error {
        StoreError::Database(error) => classify(error),
        _ => None,
    }
}

/// Runs `attempt` until it succeeds, fails with an error that is not contention, or the policy
/// runs out of attempts; returns the last result.
pub(crate) async fn run<T, F, Fut>(
    policy: RetryPolicy,
    operation: &str,
    attempt: F,
) -> StoreResult<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = StoreResult<T>>,
{
    run_classified(policy, operation, contention_of, attempt).await
}

/// [`run`] with the classifier as a parameter, so that tests can script contention.
async fn run_classified<T, F, Fut>(
    policy: RetryPolicy,
    operation: &str,
    contention_of: impl Fn(&StoreError) -> Option<Contention>,
    mut attempt: F,
) -> StoreResult<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = StoreResult<T>>,
{
    let mut number = 1;
    loop {
        let result = attempt().await;
        let Some(contention) = result.as_ref().err().and_then(&contention_of) else {
            return result;
        };
        if number >= policy.attempts {
            tracing::warn!(
                operation,
                attempts = number,
                ?contention,
                "write transaction failed on contention, giving up"
            );
            return result;
        }
        number += 1;
        let wait = policy.backoff(number);
        tracing::info!(
            operation,
            attempt = number,
            ?contention,
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            "write transaction rolled back on contention, running it again"
        );
        tokio::time::sleep(wait).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn postgres_serialization_and_deadlock_retry() {
        let cases = [
            ("40001", Some(Contention::Serialization)),
            ("40P01", Some(Contention::Deadlock)),
            ("23505", None),
            ("40002", None),
            ("57014", None),
            ("5", None),
        ];
        for (code, expected) in cases {
            assert_eq!(
                classify_code(ErrorSource::Postgres, code),
                expected,
                "{code}"
            );
        }
    }

    #[test]
    fn sqlite_busy_and_locked_retry() {
        let cases = [
            ("5", Some(Contention::Busy)),
            ("261", Some(Contention::Busy)),
            ("517", Some(Contention::Busy)),
            ("773", Some(Contention::Busy)),
            ("6", Some(Contention::Locked)),
            ("262", Some(Contention::Locked)),
            ("19", None),
            ("2067", None),
            ("1", None),
            ("8", None),
            ("40001", None),
            ("busy", None),
        ];
        for (code, expected) in cases {
            assert_eq!(classify_code(ErrorSource::Sqlite, code), expected, "{code}");
        }
    }

    #[test]
    fn classify_ignores_errors_without_database() {
        assert_eq!(classify(&sqlx::Error::PoolTimedOut), None);
        assert_eq!(classify(&sqlx::Error::RowNotFound), None);
    }

    #[test]
    fn backoff_stays_within_bounds() {
        let policy = RetryPolicy::WRITES;
        for next in 2..12 {
            let bound = policy
                .first_backoff
                .saturating_mul(1 << (next - 2))
                .min(policy.max_backoff);
            for _ in 0..50 {
                let wait = policy.backoff(next);
                assert!(
                    wait >= bound / 2,
                    "attempt {next}: {wait:?} below half of {bound:?}"
                );
                assert!(wait <= bound, "attempt {next}: {wait:?} above {bound:?}");
            }
        }
    }

    fn quick() -> RetryPolicy {
        RetryPolicy {
            attempts: 3,
            first_backoff: Duration::from_millis(1),
            max_backoff: Duration::from_millis(1),
        }
    }

    #[tokio::test]
    async fn run_stops_at_first_success() {
        let calls = Cell::new(0);
        let result = run(quick(), "test", || {
            calls.set(calls.get() + 1);
            async { Ok::<_, StoreError>(7) }
        })
        .await;
        assert_eq!(result.ok(), Some(7));
        assert_eq!(calls.get(), 1);
    }

    #[tokio::test]
    async fn run_never_retries_version_conflict() {
        let calls = Cell::new(0);
        let result: StoreResult<()> = run(quick(), "test", || {
            calls.set(calls.get() + 1);
            async { Err(StoreError::VersionConflict { current: 4 }) }
        })
        .await;
        assert!(matches!(
            result,
            Err(StoreError::VersionConflict { current: 4 })
        ));
        assert_eq!(calls.get(), 1);
    }

    /// Treats `StoreError::Config("busy")` as SQLite contention.
    fn scripted(error: &StoreError) -> Option<Contention> {
        matches!(error, StoreError::Config(text) if text == "busy").then_some(Contention::Busy)
    }

    #[tokio::test]
    async fn run_retries_contention_until_success() {
        let calls = Cell::new(0);
        let result = run_classified(quick(), "test", scripted, || {
            calls.set(calls.get() + 1);
            let outcome = if calls.get() < 3 {
                Err(StoreError::Config("busy".into()))
            } else {
                Ok(calls.get())
            };
            async move { outcome }
        })
        .await;
        assert_eq!(result.ok(), Some(3));
        assert_eq!(calls.get(), 3);
    }

    #[tokio::test]
    async fn run_gives_up_after_the_last_attempt() {
        let calls = Cell::new(0);
        let result: StoreResult<()> = run_classified(quick(), "test", scripted, || {
            calls.set(calls.get() + 1);
            async { Err(StoreError::Config("busy".into())) }
        })
        .await;
        assert!(matches!(result, Err(StoreError::Config(text)) if text == "busy"));
        assert_eq!(calls.get(), quick().attempts);
    }

    #[tokio::test]
    async fn run_stops_when_contention_turns_into_conflict() {
        let calls = Cell::new(0);
        let result: StoreResult<()> = run_classified(quick(), "test", scripted, || {
            calls.set(calls.get() + 1);
            let outcome = if calls.get() == 1 {
                Err(StoreError::Config("busy".into()))
            } else {
                Err(StoreError::VersionConflict { current: 9 })
            };
            async move { outcome }
        })
        .await;
        assert!(matches!(
            result,
            Err(StoreError::VersionConflict { current: 9 })
        ));
        assert_eq!(calls.get(), 2);
    }

    #[tokio::test]
    async fn run_never_retries_other_database_errors() {
        let calls = Cell::new(0);
        let result: StoreResult<()> = run(quick(), "test", || {
            calls.set(calls.get() + 1);
            async { Err(StoreError::Database(sqlx::Error::PoolTimedOut)) }
        })
        .await;
        assert!(result.is_err());
        assert_eq!(calls.get(), 1);
    }
}
