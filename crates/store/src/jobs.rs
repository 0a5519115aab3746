//! Claims on runs of scheduled jobs, so that processes sharing one database run each job once
//! per period. A claim is a lease: a process that dies holding it loses it when it runs out.

use crate::error::StoreResult;
use crate::{Store, time};
use jiff::{SignedDuration, Timestamp};

impl Store {
    /// Claims the run of `job` for `period` (a key such as the start of an hour) until
    /// `now + lease`. Returns false when the run finished already, or when another claimant's
    /// lease has not run out. A claim that was taken over after its lease ran out may still be
    /// running, so jobs must tolerate a second run of the same period.
    pub async fn claim_job_run(
        &self,
        job: &str,
        period: &str,
        now: Timestamp,
        lease: SignedDuration,
    ) -> StoreResult<bool> {
        let lease_until = now.saturating_add(lease).unwrap_or(Timestamp::MAX);
        let mut tx = self.db.begin_write().await?;
        // On PostgreSQL two claimants of an expired row serialise on its row lock, and the
        // second re-checks the condition against the first one's lease, so only one wins.
        let claimed = sqlx::query(
            "INSERT INTO job_runs (job, period, claimed_by, claimed_at, lease_until) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (job, period) DO UPDATE SET claimed_by = excluded.claimed_by, \
             claimed_at = excluded.claimed_at, lease_until = excluded.lease_until \
             WHERE job_runs.finished_at IS NULL AND job_runs.lease_until <= excluded.claimed_at \
             RETURNING claimed_by",
        )
        .bind(job)
        .bind(period)
        .bind(self.origin())
        .bind(time::to_ms(now))
        .bind(time::to_ms(lease_until))
        .fetch_optional(&mut **tx)
        .await?
        .is_some();
        tx.commit().await?;
        Ok(claimed)
    }

    /// Marks this process's claim on the run of `job` for `period` finished. Returns false when
    /// the claim was lost to another process after its lease ran out.
    pub async fn finish_job_run(
        &self,
        job: &str,
        period: &str,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let mut tx = self.db.begin_write().await?;
        let result = sqlx::query(
            "UPDATE job_runs SET finished_at = $1 \
             WHERE job = $2 AND period = $3 AND claimed_by = $4 AND finished_at IS NULL",
        )
        .bind(time::to_ms(now))
        .bind(job)
        .bind(period)
        .bind(self.origin())
        .execute(&mut **tx)
        .await?;
        tx.commit().await?;
        Ok(result.rows_affected() == 1)
    }
}
