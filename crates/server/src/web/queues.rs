//! The Central Office's work queues: documents whose tasks are not yet entered and
//! transferred, and tasks that their bodies returned with feedback, each ordered by the clock
//! running on it.

mod entry;
mod feedback;

use super::routes::Routes;
use axum::routing::{get, post};

pub(super) fn routes(routes: Routes) -> Routes {
    routes
        .add("/queues/entry", &["GET"], get(entry::show))
        .add("/queues/feedback", &["GET"], get(feedback::show))
        .add("/queues/feedback/{id}", &["POST"], post(feedback::handle))
}
