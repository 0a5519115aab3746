//! The JSON API under `/api/v1`, and its OpenAPI 3.1 description built from the handlers.

mod auth;
mod calendar;
mod catalogues;
mod documents;
mod health;
pub mod inputs;
mod obligations;
mod organisations;
mod spec;
mod support;
mod task_actions;
mod tasks;
mod users;
pub mod views;

use crate::state::AppState;
use axum::Json;
use axum::Router;
use axum::routing::get;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "theodoi API",
        description = "Monitoring, urging and inspecting the implementation of tasks assigned by \
            Party documents. Errors are `{\"code\", \"message\", \"details\"}` with the message in \
            Vietnamese, or in English with `Accept-Language: en`. Mutable records carry a version: \
            send it in `If-Match` to get 409 instead of overwriting someone else's change. Creating \
            requests accept an `Idempotency-Key`. Browser sessions send `X-CSRF-Token` on \
            state-changing requests; API clients use `Authorization: Bearer`."
    ),
    modifiers(&Security),
    security(("session" = []), ("bearer" = [])),
    components(schemas(crate::error::ErrorBody)),
    tags(
        (name = "auth", description = "Login, sessions and API tokens"),
        (name = "documents", description = "Documents that assign tasks"),
        (name = "tasks", description = "Tasks: lists, details, history"),
        (name = "lifecycle", description = "Steps of a task's lifecycle"),
        (name = "updates", description = "Progress updates, approval and evaluation"),
        (name = "monitoring", description = "Urging and requests for reports"),
        (name = "obligations", description = "Timed obligations"),
        (name = "organisations", description = "The organisation tree"),
        (name = "users", description = "User accounts"),
        (name = "catalogues", description = "Classification catalogues"),
        (name = "calendar", description = "Working calendar"),
        (name = "health", description = "Health checks"),
    )
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::auth::SESSION_COOKIE,
            ))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every API route with its OpenAPI description.
fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::create_token))
        .routes(routes!(auth::me))
        .routes(routes!(organisations::list, organisations::create))
        .routes(routes!(organisations::get))
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::update))
        .routes(routes!(catalogues::list))
        .routes(routes!(catalogues::create))
        .routes(routes!(catalogues::update))
        .routes(routes!(calendar::year, calendar::save_year))
        .routes(routes!(calendar::hours, calendar::save_hours))
        .routes(routes!(calendar::due))
        .routes(routes!(calendar::to_lunar))
        .routes(routes!(documents::list, documents::create))
        .routes(routes!(documents::get, documents::correct))
        .routes(routes!(documents::add_group))
        .routes(routes!(documents::transfer_all))
        .routes(routes!(tasks::create))
        .routes(routes!(tasks::list))
        .routes(routes!(tasks::counts))
        .routes(routes!(tasks::get, task_actions::edit))
        .routes(routes!(tasks::events))
        .routes(routes!(tasks::obligations))
        .routes(routes!(tasks::result))
        .routes(routes!(task_actions::transfer))
        .routes(routes!(task_actions::confirm_receipt))
        .routes(routes!(task_actions::return_task))
        .routes(routes!(task_actions::handle_feedback))
        .routes(routes!(task_actions::draft_update))
        .routes(routes!(task_actions::edit_update))
        .routes(routes!(task_actions::approve_update))
        .routes(routes!(task_actions::return_update))
        .routes(routes!(task_actions::evaluate_update))
        .routes(routes!(task_actions::request_extension))
        .routes(routes!(task_actions::extend_deadline))
        .routes(routes!(task_actions::request_update))
        .routes(routes!(task_actions::urge))
        .routes(routes!(task_actions::report_difficulty))
        .routes(routes!(task_actions::withdraw))
        .routes(routes!(task_actions::cancel))
        .routes(routes!(task_actions::delegate))
        .routes(routes!(obligations::list))
}

/// The API routes and `/api/v1/openapi.json`.
pub fn router() -> Router<AppState> {
    let (router, openapi) = api_router().split_for_parts();
    let document = std::sync::Arc::new(spec::complete(openapi));
    router.route(
        spec::DOCUMENT_PATH,
        get(move || {
            let document = document.clone();
            async move { Json((*document).clone()) }
        }),
    )
}

/// The OpenAPI document, for tests and tools.
pub fn openapi() -> utoipa::openapi::OpenApi {
    spec::complete(api_router().split_for_parts().1)
}
