//! Server-sent events for open pages: every committed change the user may see, without its
//! content, so that pages reload the parts that changed.
//!
//! A stream may stay open for hours, so it does not keep the scope its user had when it
//! opened. It reads the session and the account again whenever an account changes or a
//! session ends, in this process or, through [`crate::relay`], in another one. It also reads
//! them before it delivers an event when its last check is older than [`RECHECK_AFTER`],
//! because the notice of another process may be lost while the listener reconnects. The
//! stream ends once the session is gone or the account disabled, and a narrower scope applies
//! from the next event on.

use super::page::PageUser;
use crate::auth::Credential;
use crate::live::{LiveEvent, LiveTaskEvent};
use crate::state::AppState;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::FutureExt;
use futures::stream::Stream;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};
use theodoi_domain::ids::OrgId;
use theodoi_store::{Scope, UserRecord, Visibility};
use tokio::sync::{broadcast, watch};

/// Maximum age of the last session check under which a stream still delivers an event.
const RECHECK_AFTER: Duration = Duration::from_secs(5);

/// Scope of the stream's user, as of `checked`.
struct Access {
    scope: Scope,
    /// The ids of the user's subtree, or empty when the scope is everything.
    subtree: Vec<OrgId>,
    checked: Instant,
}

impl Access {
    fn of(state: &AppState, user: &UserRecord) -> Access {
        let reference = state.reference();
        let scope = crate::auth::user_scope(user, &reference.orgs);
        let subtree = match scope.visibility {
            Visibility::Everything => Vec::new(),
            Visibility::Within(root) => reference.orgs.subtree(root),
        };
        Access {
            scope,
            subtree,
            checked: Instant::now(),
        }
    }

    fn may_see(&self, event: &LiveTaskEvent) -> bool {
        self.scope
            .allows(event.confidentiality, &event.bodies, &self.subtree)
    }
}

/// One open stream: the session it serves, the live channel and the access last checked.
struct Subscriber {
    state: AppState,
    /// The session's id hash, or `None` for a credential that has no session to check.
    session: Option<String>,
    events: broadcast::Receiver<Arc<LiveEvent>>,
    access_changes: watch::Receiver<u64>,
    access: Access,
}

impl Subscriber {
    /// Reads the session and the account again. Returns false once the session has ended or the
    /// account is disabled, and also when the check fails, so that nothing is sent unchecked.
    async fn recheck(&mut self) -> bool {
        let Some(id_hash) = &self.session else {
            return false;
        };
        match self.state.store.session(id_hash, self.state.now()).await {
            Ok(Some((_, user))) if !user.disabled => {
                self.access = Access::of(&self.state, &user);
                true
            }
            Ok(_) => false,
            Err(error) => {
                tracing::warn!(
                    error = %error,
                    "checking the session of an event stream failed, so the stream ends"
                );
                false
            }
        }
    }

    /// The next event for this user, or `None` when the stream must end.
    async fn next(&mut self) -> Option<Event> {
        loop {
            tokio::select! {
                changed = self.access_changes.changed() => {
                    if changed.is_err() || !self.recheck().await {
                        return None;
                    }
                }
                received = self.events.recv() => match received {
                    Ok(event) => match event.as_ref() {
                        LiveEvent::Task(task) => {
                            if self.access.checked.elapsed() >= RECHECK_AFTER && !self.recheck().await {
                                return None;
                            }
                            if self.access.may_see(task) {
                                return Some(task_event(task));
                            }
                        }
                        LiveEvent::Resync => return Some(resync_event()),
                    },
                    Err(broadcast::error::RecvError::Lagged(_)) => return Some(resync_event()),
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
            }
        }
    }
}

/// `GET /events`: a stream of `task` events (data: the task id) and, when this subscriber fell
/// behind or the process may have missed other processes' changes, a `resync` event telling
/// the page to reload everything.
pub async fn events(
    State(state): State<AppState>,
    user: PageUser,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let session = match &user.current.credential {
        Credential::Session { id_hash, .. } => Some(id_hash.clone()),
        Credential::Token { .. } => None,
    };
    let subscriber = Subscriber {
        access: Access::of(&state, &user.current.user),
        events: state.live.subscribe(),
        access_changes: state.access_changes(),
        session,
        state: state.clone(),
    };
    let stream = futures::stream::unfold(subscriber, |mut subscriber| async move {
        let event = subscriber.next().await?;
        Some((Ok(event), subscriber))
    });
    // The browser reconnects on its own once another process (or this one, restarted) listens.
    // A stream whose session ended stops too, and its reconnection is then refused.
    let closed = state.closed();
    let ended = match &user.current.credential {
        Credential::Session { id_hash, .. } => {
            crate::auth::session_ended(state.clone(), id_hash.clone(), user.current.user.id).boxed()
        }
        Credential::Token { .. } => futures::future::pending().boxed(),
    };
    let stop = async move {
        futures::future::select(Box::pin(closed), ended).await;
    };
    let stream = futures::StreamExt::take_until(stream, stop);
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
}

fn resync_event() -> Event {
    Event::default().event("resync").data("1")
}

fn task_event(event: &LiveTaskEvent) -> Event {
    Event::default()
        .event("task")
        .id(event.id.to_string())
        .data(event.task_id.0.to_string())
}
