//! Security events of the HTTP layer for the audit log: logins, login failures, logouts and
//! access denials, plus the periodic signed checkpoint of the log.
//!
//! Nothing restricted is recorded: a denial names the user, the route template and the id in
//! the path, never the query string, a body or a field of the record.

use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use std::sync::{Arc, OnceLock};
use theodoi_domain::audit::SecurityEventKind;
use theodoi_domain::ids::{OrgId, UserId};
use theodoi_store::{SecureReads, SecurityEvent, SecuritySubject, StoreError};

/// The authenticated user of a request, filled in by the `CurrentUser` extractor so that the
/// denial middleware, which runs around the handler, can name who was denied.
#[derive(Debug, Clone, Default)]
pub struct RequestUser(Arc<OnceLock<(UserId, OrgId)>>);

impl RequestUser {
    pub fn set(&self, user: UserId, body: OrgId) {
        let _ = self.0.set((user, body));
    }
}

/// Records a security event and logs a failure instead of returning it, because the response
/// to the request it concerns is already decided.
pub async fn record(state: &AppState, event: SecurityEvent) {
    let kind = event.kind.name();
    if let Err(error) = state.store.record_security_event(&event).await {
        tracing::error!(audit.kind = kind, error = %error, "security event not recorded");
    }
}

/// Returns a security event of `kind` at the state's current time.
pub fn event(
    state: &AppState,
    kind: SecurityEventKind,
    actor: Option<(UserId, OrgId)>,
) -> SecurityEvent {
    SecurityEvent {
        at: state.now(),
        kind,
        actor: actor.map(|(user, _)| user),
        body: actor.map(|(_, body)| body),
        subject: None,
        detail: None,
    }
}

/// Records an access denial when an authenticated request to a route gets a 403 or 404
/// response. A 404 for a record that does not exist is recorded too, because the server sends
/// the same response for records the user may not see.
pub async fn record_denials(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let slot = RequestUser::default();
    request.extensions_mut().insert(slot.clone());
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|matched| matched.as_str().to_owned());
    let reads = SecureReads::default();
    let response = reads.scope(next.run(request)).await;

    // The secure reads and the denial of one request share a transaction, so a page that
    // opens a classified task and its document costs one commit, not one per record.
    let mut events = Vec::new();
    if let Some(actor) = slot.0.get().copied() {
        for (kind, id) in reads.take() {
            let mut event = event(&state, SecurityEventKind::SecureRead, Some(actor));
            event.subject = Some(SecuritySubject { kind, id });
            events.push(event);
        }
    }
    let denied = matches!(
        response.status(),
        StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
    );
    if let (true, Some(actor), Some(route)) = (denied, slot.0.get().copied(), route) {
        let mut event = event(&state, SecurityEventKind::AccessDenied, Some(actor));
        event.subject = subject(&route, &path);
        event.detail = Some(format!("{method} {route}"));
        events.push(event);
    }
    if let Err(error) = state.store.record_security_events(&events).await {
        tracing::error!(
            events = events.len(),
            error = %error,
            "security events of a request not recorded"
        );
    }
    response
}

/// Returns the first numeric path parameter with the name of the collection before it, such
/// as `task` 12 for `/api/v1/tasks/{id}` and `/api/v1/tasks/12`.
fn subject(route: &str, path: &str) -> Option<SecuritySubject> {
    let mut previous = "";
    for (template, value) in route.split('/').zip(path.split('/')) {
        if template.starts_with('{')
            && let Ok(id) = value.parse::<i64>()
        {
            let kind = match previous {
                "tasks" => "task",
                "documents" => "document",
                "users" => "user",
                "organisations" => "organisation",
                _ => "record",
            };
            return Some(SecuritySubject { kind, id });
        }
        previous = template;
    }
    None
}

/// Signs and stores a checkpoint of the audit log when a signing key is configured. Returns
/// the tree size of the latest checkpoint, or `None` without a key.
pub async fn write_checkpoint(state: &AppState) -> Result<Option<u64>, StoreError> {
    let Some(signer) = &state.config.audit_signer else {
        return Ok(None);
    };
    let checkpoint = state
        .store
        .write_audit_checkpoint(signer, state.now())
        .await?;
    Ok(Some(checkpoint.tree_size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_takes_first_numeric_parameter() {
        assert_eq!(
            subject("/api/v1/tasks/{id}/events", "/api/v1/tasks/12/events"),
            Some(SecuritySubject {
                kind: "task",
                id: 12
            })
        );
        assert_eq!(
            subject("/documents/{id}", "/documents/7"),
            Some(SecuritySubject {
                kind: "document",
                id: 7
            })
        );
        assert_eq!(subject("/api/v1/tasks", "/api/v1/tasks"), None);
        assert_eq!(subject("/files/{name}", "/files/abc"), None);
    }
}
