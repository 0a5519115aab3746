//! The Central Office's work queues: documents whose tasks are not yet entered and
//! transferred, and tasks that their bodies returned with feedback, each ordered by the clock
//! running on it.

mod entry;
mod feedback;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/queues/entry", get(entry::show))
        .route("/queues/feedback", get(feedback::show))
        .route("/queues/feedback/{id}", post(feedback::handle))
}
