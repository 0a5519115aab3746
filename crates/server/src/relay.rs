//! Relays changes that other processes commit to the same PostgreSQL database into this one:
//! their task events reach this process's live subscribers, their reference-data changes
//! reload its cached copy, and their account changes make open event streams check again. One listener connection per process; SQLite has a single process
//! and needs none.
//!
//! Notices sent while the listener is down are lost, so after every (re)connection the process
//! reloads its reference data and sends live subscribers a resync.

use crate::live::{self, LiveEvent, LiveTaskEvent};
use crate::state::AppState;
use std::time::Duration;
use theodoi_store::Backend;
use theodoi_store::changes::{ChangeListener, ChangeNotice, ListenerError};
use tokio::task::JoinHandle;

/// First wait before reconnecting; it doubles after each failed attempt up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Starts relaying on PostgreSQL; returns `None` on SQLite.
pub fn spawn(state: AppState) -> Option<JoinHandle<()>> {
    (state.store.backend() == Backend::Postgres).then(|| tokio::spawn(run(state)))
}

async fn run(state: AppState) {
    let mut backoff = FIRST_BACKOFF;
    loop {
        match ChangeListener::connect(&state.config.database_url).await {
            Ok(listener) => {
                tracing::info!("change listener connected");
                backoff = FIRST_BACKOFF;
                catch_up(&state).await;
                relay(&state, listener).await;
            }
            Err(error) => tracing::warn!(
                error = %error,
                retry_in_ms = backoff.as_millis(),
                "change listener cannot connect; changes of other processes are not shown live"
            ),
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// Makes up for notices missed before the listener (re)connected.
async fn catch_up(state: &AppState) {
    if let Err(error) = state.reload_reference().await {
        tracing::error!(error = %error, "reloading reference data failed");
    }
    live::send(state, LiveEvent::Resync);
}

/// Handles notices until the connection is lost.
async fn relay(state: &AppState, mut listener: ChangeListener) {
    loop {
        match listener.next().await {
            Ok(notice) => handle(state, notice).await,
            Err(ListenerError::Disconnected) => {
                tracing::warn!("change listener disconnected; reconnecting");
                return;
            }
            Err(ListenerError::Failed(error)) => {
                tracing::warn!(error = %error, "change listener failed; reconnecting");
                return;
            }
        }
    }
}

async fn handle(state: &AppState, notice: ChangeNotice) {
    // This process published its own changes when it committed them.
    if notice.origin == state.store.origin() {
        return;
    }
    if notice.access {
        state.access_changed();
    }
    if notice.reference {
        match state.reload_reference().await {
            // Pages show names, catalogue labels and due dates from the reference data.
            Ok(()) => live::send(state, LiveEvent::Resync),
            Err(error) => tracing::error!(error = %error, "reloading reference data failed"),
        }
    }
    if notice.events.is_empty() {
        return;
    }
    match state.store.event_summaries(&notice.events).await {
        Ok(summaries) => {
            for summary in summaries {
                live::send(state, LiveEvent::Task(LiveTaskEvent::from(summary)));
            }
        }
        Err(error) => {
            tracing::error!(
                error = %error,
                events = notice.events.len(),
                "reading notified events failed; live pages resync"
            );
            live::send(state, LiveEvent::Resync);
        }
    }
}
