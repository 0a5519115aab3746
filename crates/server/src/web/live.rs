//! Server-sent events for open pages: every committed change the user may see, without its
//! content, so that pages reload the parts that changed.

use super::page::PageUser;
use crate::auth::Credential;
use crate::live::{LiveEvent, LiveTaskEvent};
use crate::state::AppState;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::FutureExt;
use futures::stream::Stream;
use std::convert::Infallible;
use std::time::Duration;
use theodoi_store::Scope;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

/// Whether a reader with `scope` and subtree `subtree` may learn of `event`.
fn may_see(scope: &Scope, subtree: &[theodoi_domain::ids::OrgId], event: &LiveTaskEvent) -> bool {
    scope.allows(event.confidentiality, &event.bodies, subtree)
}

/// `GET /events`: a stream of `task` events (data: the task id) and, when this subscriber fell
/// behind or the process may have missed other processes' changes, a `resync` event telling
/// the page to reload everything.
pub async fn events(
    State(state): State<AppState>,
    user: PageUser,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    let subtree = match scope.visibility {
        theodoi_store::Visibility::Everything => Vec::new(),
        theodoi_store::Visibility::Within(root) => reference.orgs.subtree(root),
    };
    let receiver = state.live.subscribe();
    let stream = BroadcastStream::new(receiver).filter_map(move |item| match item {
        Ok(event) => match event.as_ref() {
            LiveEvent::Task(task) => may_see(&scope, &subtree, task).then(|| Ok(task_event(task))),
            LiveEvent::Resync => Some(Ok(resync_event())),
        },
        Err(BroadcastStreamRecvError::Lagged(_)) => Some(Ok(resync_event())),
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
