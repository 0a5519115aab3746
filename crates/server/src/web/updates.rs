//! The assigned body's work on a task: the unified progress-update form with product files,
//! the approver's approval or return, delegation to a unit, and downloads of attached files.

pub(super) mod common;
mod delegate;
mod download;
mod form;
pub(super) mod review;
mod upload;

use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/tasks/{id}/updates/new",
            get(form::new)
                .post(form::create)
                .layer(DefaultBodyLimit::max(upload::MAX_FORM_BYTES)),
        )
        .route(
            "/tasks/{id}/updates/{no}/edit",
            get(form::edit)
                .post(form::save)
                .layer(DefaultBodyLimit::max(upload::MAX_FORM_BYTES)),
        )
        .route("/tasks/{id}/updates/{no}/approve", post(review::approve))
        .route(
            "/tasks/{id}/updates/{no}/return",
            get(review::return_form).post(review::return_update),
        )
        .route(
            "/tasks/{id}/delegate",
            get(delegate::show).post(delegate::submit),
        )
        .route("/attachments/{id}", get(download::attachment))
}
