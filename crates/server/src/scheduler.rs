//! Background work that runs on a timer: appending periodic checkpoints to open-ended tasks
//! before their schedule runs out.

use crate::state::AppState;
use std::time::Duration;
use tokio::task::JoinHandle;

/// Runs the jobs now and then every `every`.
pub fn spawn(state: AppState, every: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(every);
        loop {
            interval.tick().await;
            match refill_schedules(&state).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(tasks = count, "schedules extended"),
                Err(error) => tracing::error!(error = %error, "extending schedules failed"),
            }
        }
    })
}

/// Extends the schedule of every open-ended task that needs it; returns how many changed.
pub async fn refill_schedules(state: &AppState) -> Result<usize, theodoi_store::StoreError> {
    let now = state.now();
    let reference = state.reference();
    let mut changed = 0;
    let threshold = now
        .checked_add(jiff::SignedDuration::from_hours(
            24 * 31 * i64::from(theodoi_domain::schedule::SCHEDULE_REFILL_MONTHS),
        ))
        .unwrap_or(now);
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
