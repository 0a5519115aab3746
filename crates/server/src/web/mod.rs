//! The web interface: server-rendered pages in Vietnamese (or English), htmx for partial
//! updates and server-sent events for live data. Every asset comes from this server.

mod assets;
mod countdown;
mod dashboard;
mod documents;
pub mod error;
mod evaluation;
pub mod form;
mod inbox;
mod live;
mod login;
pub mod page;
mod queues;
mod task_list;
mod task_page;
mod totp;
mod updates;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

/// The routes of the pages.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(dashboard::show))
        .route("/dashboard/summary", get(dashboard::fragment))
        .route("/login", get(login::show).post(login::submit))
        .route("/login/code", post(totp::submit_code))
        .route(
            "/account/totp",
            get(totp::show_account).post(totp::confirm_account),
        )
        .route("/logout", post(login::logout))
        .route("/language", post(login::language))
        .route("/events", get(live::events))
        .route("/assets/{*path}", get(assets::serve))
        .merge(documents::routes())
        .merge(queues::routes())
        .merge(task_list::routes())
        .merge(task_page::routes())
        .merge(inbox::routes())
        .merge(updates::routes())
        .merge(evaluation::routes())
}
