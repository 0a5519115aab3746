//! Liveness and readiness.

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;

/// 200 once the server is up and its database answers; 503 otherwise.
#[utoipa::path(get, path = "/healthz", tag = "health", security(()),
    responses((status = 200, description = "Ready", body = String), (status = 503, description = "Database unavailable", body = String)))]
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(error) => {
            tracing::warn!(error = %error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// Same as `/healthz`: the process serves only once it is ready.
#[utoipa::path(get, path = "/readyz", tag = "health", security(()),
    responses((status = 200, description = "Ready", body = String), (status = 503, description = "Database unavailable", body = String)))]
pub async fn readyz(state: State<AppState>) -> (StatusCode, &'static str) {
    healthz(state).await
}
