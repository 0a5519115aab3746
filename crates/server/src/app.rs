//! Assembling the server: state, routes, middleware, background work, and serving.

use crate::clock::Clock;
use crate::config::ServerConfig;
use crate::error::{ApiError, localize};
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;
use theodoi_store::{Store, StoreResult};
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Opens the database, loads reference data and builds the shared state.
pub async fn state(config: ServerConfig, clock: Arc<dyn Clock>) -> StoreResult<AppState> {
    let mut store = Store::open(&config.database_url).await?;
    match &config.secure_key {
        Some(key) => {
            tracing::info!(key.id = key.id(), "secure zone open");
            store = store.with_secure_key(key.clone());
        }
        None => tracing::warn!(
            "no secure-zone key configured: Mật and Tối mật documents and tasks are refused"
        ),
    }
    if config.mail.is_some() {
        store.enable_mail_outbox();
    }
    store.seed(clock.now()).await?;
    AppState::new(store, clock, config).await
}

/// Not found: an HTML page for browsers on pages, JSON for the API and other clients.
async fn fallback(uri: axum::http::Uri, headers: axum::http::HeaderMap) -> Response {
    let wants_html = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_html && !uri.path().starts_with("/api/") {
        return crate::web::error::page_error(ApiError::NotFound, crate::error::current_lang());
    }
    ApiError::NotFound.into_response()
}

async fn method_not_allowed() -> Response {
    ApiError::MethodNotAllowed.into_response()
}

fn panic_response(_: Box<dyn std::any::Any + Send>) -> Response {
    ApiError::Internal("handler panicked".into()).into_response()
}

/// The complete router with its middleware.
pub fn router(state: AppState) -> Router {
    let timeout = state.config.request_timeout;
    let body_limit = state.config.body_limit;
    let https = state.config.secure_cookies;
    let trace = TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
        let id = request
            .headers()
            .get(&REQUEST_ID)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("");
        let route = request
            .extensions()
            .get::<axum::extract::MatchedPath>()
            .map(|path| path.as_str().to_owned())
            .unwrap_or_default();
        tracing::info_span!("request", request.id = %id, http.method = %request.method(), http.route = %route)
    });
    crate::api::router()
        .merge(crate::web::router())
        // Only on routes, so that an unknown address is no access denial.
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::audit::record_denials,
        ))
        .fallback(fallback)
        // Set after every route is added, because it applies only to the routes registered so far.
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(axum::middleware::from_fn(localize))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(trace)
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        // Outermost, so that timeouts, panics and rejected bodies get the headers too.
        .layer(axum::middleware::from_fn(move |request, next| {
            crate::headers::middleware(https, request, next)
        }))
}

/// Serves until `shutdown` completes, then finishes the requests in flight. Runs the
/// scheduler and, on PostgreSQL, the relay of other processes' changes meanwhile.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The scheduler checks every minute so that a run whose claimant died is taken over
    // within minutes of its lease running out.
    let scheduler = crate::scheduler::spawn(state.clone(), Duration::from_secs(60));
    let relay = crate::relay::spawn(state.clone());
    let mail = spawn_mail(&state);
    let closing = state.clone();
    let shutdown = async move {
        shutdown.await;
        closing.begin_closing();
    };
    // The peer address counts failed logins per client.
    let service = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let result = axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await;
    scheduler.abort();
    if let Some(relay) = relay {
        relay.abort();
    }
    if let Some(mail) = mail {
        mail.abort();
    }
    result
}

/// Starts the e-mail worker when SMTP is configured. It checks the outbox every 15 seconds, so
/// a notice leaves within seconds of its command.
fn spawn_mail(state: &AppState) -> Option<tokio::task::JoinHandle<()>> {
    let config = state.config.mail.as_ref()?;
    match crate::mail::Mailer::new(config) {
        Ok(mailer) => Some(crate::mail::spawn(
            state.clone(),
            mailer,
            Duration::from_secs(15),
        )),
        Err(error) => {
            tracing::error!(error = %error, "e-mail is off: the SMTP settings are invalid");
            None
        }
    }
}
