//! The web interface: server-rendered pages in Vietnamese (or English), htmx for partial
//! updates and server-sent events for live data. Every asset comes from this server.

mod assets;
mod countdown;
pub(crate) mod dashboard;
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

mod routes;

use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
pub use routes::PageRoute;
use routes::Routes;

fn routes() -> Routes {
    let routes = Routes::default()
        .add("/", &["GET"], get(dashboard::show))
        .add("/dashboard/summary", &["GET"], get(dashboard::fragment))
        .add(
            "/login",
            &["GET", "POST"],
            get(login::show).post(login::submit),
        )
        .add("/login/code", &["POST"], post(totp::submit_code))
        .add(
            "/account/totp",
            &["GET", "POST"],
            get(totp::show_account).post(totp::confirm_account),
        )
        .add("/logout", &["POST"], post(login::logout))
        .add("/language", &["POST"], post(login::language))
        .add("/events", &["GET"], get(live::events))
        .add("/assets/{*path}", &["GET"], get(assets::serve));
    let routes = documents::routes(routes);
    let routes = queues::routes(routes);
    let routes = task_list::routes(routes);
    let routes = task_page::routes(routes);
    let routes = inbox::routes(routes);
    let routes = updates::routes(routes);
    evaluation::routes(routes)
}

/// The routes of the pages.
pub fn router() -> Router<AppState> {
    routes().into_router()
}

/// Every route of the pages with its methods, in the order they were added, for tests that
/// must cover each one.
pub fn route_list() -> Vec<PageRoute> {
    routes().into_list()
}
