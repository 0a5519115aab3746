//! The end of a session while a response is still streaming: an open event stream stops as
//! soon as its session is logged out, its account disabled or its rights changed.

use crate::state::AppState;
use std::time::Duration;
use theodoi_domain::ids::UserId;
use tokio::sync::broadcast::error::RecvError;

/// A session or every session of an account, ended by this process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionEnded {
    /// The session with this id hash.
    Session(String),
    /// Every session of this account.
    User(UserId),
}

/// How often an open stream checks its session in the database, which catches what other
/// processes ended, the timeouts, and notices that this process missed.
const RECHECK: Duration = Duration::from_secs(15);

/// Completes once the session `id_hash` of `user` ends.
pub async fn session_ended(state: AppState, id_hash: String, user: UserId) {
    let mut ended = state.sessions_ended.subscribe();
    loop {
        let recheck = tokio::select! {
            notice = ended.recv() => match notice {
                Ok(SessionEnded::Session(hash)) if hash == id_hash => return,
                Ok(SessionEnded::User(id)) if id == user => return,
                Ok(_) => false,
                Err(RecvError::Lagged(_)) => true,
                Err(RecvError::Closed) => return,
            },
            () = tokio::time::sleep(RECHECK) => true,
        };
        if recheck && !alive(&state, &id_hash).await {
            return;
        }
    }
}

async fn alive(state: &AppState, id_hash: &str) -> bool {
    match state.store.session(id_hash, state.now()).await {
        Ok(Some((_, user))) => !user.disabled,
        Ok(None) => false,
        // A database that does not answer ends no stream; the next check tries again.
        Err(error) => {
            tracing::warn!(error = %error, "cannot check the session of an event stream");
            true
        }
    }
}
