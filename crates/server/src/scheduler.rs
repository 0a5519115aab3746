//! Background work that runs on a timer: appending periodic checkpoints to open-ended tasks
//! before their schedule runs out, signing an hourly checkpoint of the audit log, and moving
//! the pivot date of the dashboard's task counts to today.
//!
//! Several processes may share one database, so each job runs once per period: a process
//! claims the run in the `job_runs` table before it starts. A claim is a lease, so when the
//! claimant dies another process takes the run over at a later tick.

use crate::state::AppState;
use jiff::{SignedDuration, Timestamp};
use std::time::Duration;
use theodoi_store::StoreError;
use tokio::task::JoinHandle;

/// The job that extends the schedules of open-ended tasks.
pub const REFILL_JOB: &str = "refill_schedules";
/// The job that signs a checkpoint of the audit log.
pub const CHECKPOINT_JOB: &str = "audit_checkpoint";
/// How often a job runs: once per period of this length, counted from the Unix epoch.
const PERIOD_SECONDS: i64 = 3600;
/// How long a claim holds. A run that takes longer may be taken over and run a second time,
/// which the refill tolerates: it extends only schedules that still need it.
const LEASE: SignedDuration = SignedDuration::from_mins(15);

/// Checks every `tick` whether the current period's run is due, starting now.
pub fn spawn(state: AppState, tick: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(tick);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            // First, because until the pivot moves every reader of the counts corrects the
            // tasks due since it. The two jobs below may take seconds on a large database.
            advance_count_pivot(&state).await;
            match run_due(&state).await {
                Ok(None | Some(0)) => {}
                Ok(Some(count)) => tracing::info!(tasks = count, "schedules extended"),
                Err(error) => tracing::error!(error = %error, "extending schedules failed"),
            }
            if let Err(error) = checkpoint_due(&state).await {
                tracing::error!(error = %error, "writing the audit checkpoint failed");
            }
        }
    })
}

/// Returns the key of the period that contains `now`: the instant it starts, such as
/// `2026-03-02T02:00:00Z`.
pub fn period_of(now: Timestamp) -> String {
    let start = now.as_second().div_euclid(PERIOD_SECONDS) * PERIOD_SECONDS;
    Timestamp::from_second(start)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_string()
}

/// Runs the refill for the current period unless this or another process has run it or is
/// running it. Returns how many tasks changed, or `None` when the run was not this process's.
pub async fn run_due(state: &AppState) -> Result<Option<usize>, StoreError> {
    let now = state.now();
    let period = period_of(now);
    if !state
        .store
        .claim_job_run(REFILL_JOB, &period, now, LEASE)
        .await?
    {
        return Ok(None);
    }
    let changed = refill_schedules(state).await?;
    if !state
        .store
        .finish_job_run(REFILL_JOB, &period, state.now())
        .await?
    {
        tracing::warn!(
            job = REFILL_JOB,
            period = %period,
            "job run outlived its lease and was taken over by another process"
        );
    }
    Ok(Some(changed))
}

/// Writes the signed checkpoint of the audit log for the current period unless this or
/// another process has claimed it. A second run of the same period, after its lease ran out,
/// writes a new checkpoint only when entries were added since the first.
pub async fn checkpoint_due(state: &AppState) -> Result<Option<u64>, StoreError> {
    if state.config.audit_signer.is_none() {
        return Ok(None);
    }
    let now = state.now();
    let period = period_of(now);
    if !state
        .store
        .claim_job_run(CHECKPOINT_JOB, &period, now, LEASE)
        .await?
    {
        return Ok(None);
    }
    let size = crate::audit::write_checkpoint(state).await?;
    state
        .store
        .finish_job_run(CHECKPOINT_JOB, &period, state.now())
        .await?;
    Ok(size)
}

/// Moves the pivot date of the task counts to today. Needs no claim: the move locks the pivot
/// row and does nothing once the pivot is today, so every process may try it at each tick.
async fn advance_count_pivot(state: &AppState) {
    let today = theodoi_calendar::local_date(state.now());
    match state.store.advance_task_counts_pivot(today).await {
        Ok(0) => {}
        Ok(moved) => tracing::info!(tasks = moved, pivot = %today, "task counts re-judged"),
        Err(error) => {
            tracing::error!(error = %error, pivot = %today, "moving the task counts' pivot failed");
        }
    }
}

/// Extends the schedule of every open-ended task that needs it; returns how many changed.
pub async fn refill_schedules(state: &AppState) -> Result<usize, StoreError> {
    let now = state.now();
    let reference = state.reference();
    let mut changed = 0;
    let threshold = theodoi_domain::schedule::refill_threshold(now);
    for id in state.store.open_ended_task_ids(threshold).await? {
        let result = state
            .store
            .execute(id, None, |task, _| {
                Ok(task
                    .extend_schedule(&reference.calendar, now)
                    .into_iter()
                    .collect())
            })
            .await;
        match result {
            Ok(committed) if !committed.events.is_empty() => {
                crate::live::publish(state, &committed);
                changed += 1;
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(task.id = id.0, error = %error, "schedule not extended"),
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_starts_on_the_hour() {
        let at: Timestamp = "2026-03-02T02:59:59.999Z".parse().unwrap();
        assert_eq!(period_of(at), "2026-03-02T02:00:00Z");
        let next: Timestamp = "2026-03-02T03:00:00Z".parse().unwrap();
        assert_eq!(period_of(next), "2026-03-02T03:00:00Z");
    }
}
