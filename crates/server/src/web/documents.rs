//! Documents that assign tasks: the list every user sees within their scope, each document's
//! page, and the Central Office's entry of new documents with their tasks.

mod check;
mod detail;
pub(super) mod errors;
pub(super) mod fields;
mod list;
mod new;
pub(super) mod pickers;
mod preview;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub(super) use new::office_refusal;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/documents", get(list::show))
        .route("/documents/new", get(new::show).post(new::submit))
        .route("/documents/preview", post(new::preview))
        .route("/documents/{id}", get(detail::show))
        .route("/documents/{id}/transfer", post(detail::transfer_all))
        .route("/documents/{id}/tasks", post(detail::add_task))
}
