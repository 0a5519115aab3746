//! Committed events fanned out to live subscribers in this process. Events committed by other
//! processes on the same PostgreSQL database arrive through [`crate::relay`].

use crate::state::AppState;
use std::sync::Arc;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::ids::{OrgId, TaskId};
use theodoi_store::{Committed, EventSummary};

/// Message to live subscribers.
#[derive(Debug, Clone)]
pub enum LiveEvent {
    /// A committed event of a task.
    Task(LiveTaskEvent),
    /// Changes may have been missed, so subscribers reload everything they show.
    Resync,
}

/// Live view of one committed task event: enough to decide who may see it and to
/// refresh their view, nothing of its content.
#[derive(Debug, Clone)]
pub struct LiveTaskEvent {
    pub id: i64,
    pub task_id: TaskId,
    pub kind: String,
    pub confidentiality: Confidentiality,
    /// Bodies involved in the task, for scoping.
    pub bodies: Vec<OrgId>,
}

impl From<EventSummary> for LiveTaskEvent {
    fn from(summary: EventSummary) -> Self {
        LiveTaskEvent {
            id: summary.id,
            task_id: summary.task_id,
            kind: summary.kind,
            confidentiality: summary.confidentiality,
            bodies: summary.bodies,
        }
    }
}

/// Turns a committed command into live events.
pub fn from_committed(committed: &Committed) -> Vec<LiveTaskEvent> {
    let task = &committed.task;
    let mut bodies = vec![task.lead_body, task.monitoring_body, task.assigning_body];
    bodies.extend(task.coordinating_bodies.iter().copied());
    committed
        .events
        .iter()
        .map(|stored| LiveTaskEvent {
            id: stored.id,
            task_id: stored.task_id,
            kind: stored.event.change.name().to_owned(),
            confidentiality: task.confidentiality,
            bodies: bodies.clone(),
        })
        .collect()
}

/// Sends committed events to live subscribers of this process. Other processes learn of them
/// from the notices their transaction sent.
pub fn publish(state: &AppState, committed: &Committed) {
    for event in from_committed(committed) {
        send(state, LiveEvent::Task(event));
    }
}

/// Sends one event to live subscribers of this process.
pub fn send(state: &AppState, event: LiveEvent) {
    // A send fails only when no receiver is subscribed, which is not an error.
    let _ = state.live.send(Arc::new(event));
}
