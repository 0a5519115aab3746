//! Committed events fanned out to live subscribers in this process.

use crate::state::AppState;
use serde::Serialize;
use std::sync::Arc;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::ids::{OrgId, TaskId};
use theodoi_store::Committed;

/// What subscribers learn of one committed event: enough to decide who may see it and to refresh
/// their view, nothing of its content.
#[derive(Debug, Clone, Serialize)]
pub struct LiveEvent {
    pub id: i64,
    pub task_id: TaskId,
    pub kind: &'static str,
    #[serde(skip)]
    pub confidentiality: Confidentiality,
    /// Bodies involved in the task, for scoping.
    #[serde(skip)]
    pub bodies: Vec<OrgId>,
}

/// Turns a committed command into live events.
pub fn from_committed(committed: &Committed) -> Vec<LiveEvent> {
    let task = &committed.task;
    let mut bodies = vec![task.lead_body, task.monitoring_body, task.assigning_body];
    bodies.extend(task.coordinating_bodies.iter().copied());
    committed
        .events
        .iter()
        .map(|stored| LiveEvent {
            id: stored.id,
            task_id: stored.task_id,
            kind: stored.event.change.name(),
            confidentiality: task.confidentiality,
            bodies: bodies.clone(),
        })
        .collect()
}

/// Sends committed events to live subscribers of this process.
pub fn publish(state: &AppState, committed: &Committed) {
    for event in from_committed(committed) {
        // A send fails only when nobody is subscribed, which is not an error.
        let _ = state.live.send(Arc::new(event));
    }
}
