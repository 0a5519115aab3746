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

use super::routes::Routes;
use axum::routing::{get, post};

pub(super) use new::office_refusal;

pub(super) fn routes(routes: Routes) -> Routes {
    routes
        .add("/documents", &["GET"], get(list::show))
        .add(
            "/documents/new",
            &["GET", "POST"],
            get(new::show).post(new::submit),
        )
        .add("/documents/preview", &["POST"], post(new::preview))
        .add("/documents/{id}", &["GET"], get(detail::show))
        .add(
            "/documents/{id}/transfer",
            &["POST"],
            post(detail::transfer_all),
        )
        .add("/documents/{id}/tasks", &["POST"], post(detail::add_task))
}
