//! The assigned body's work on a task: the unified progress-update form with product files,
//! the approver's approval or return, delegation to a unit, and downloads of attached files.

pub(super) mod common;
mod delegate;
mod download;
mod form;
pub(super) mod review;
mod upload;

use super::routes::Routes;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

pub(super) fn routes(routes: Routes) -> Routes {
    routes
        .add(
            "/tasks/{id}/updates/new",
            &["GET", "POST"],
            get(form::new)
                .post(form::create)
                .layer(DefaultBodyLimit::max(upload::MAX_FORM_BYTES)),
        )
        .add(
            "/tasks/{id}/updates/{no}/edit",
            &["GET", "POST"],
            get(form::edit)
                .post(form::save)
                .layer(DefaultBodyLimit::max(upload::MAX_FORM_BYTES)),
        )
        .add(
            "/tasks/{id}/updates/{no}/approve",
            &["POST"],
            post(review::approve),
        )
        .add(
            "/tasks/{id}/updates/{no}/return",
            &["GET", "POST"],
            get(review::return_form).post(review::return_update),
        )
        .add(
            "/tasks/{id}/delegate",
            &["GET", "POST"],
            get(delegate::show).post(delegate::submit),
        )
        .add("/attachments/{id}", &["GET"], get(download::attachment))
}
