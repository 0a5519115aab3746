//! Form posts from the pages: the CSRF token is checked, a double submission is recognised by
//! the form's idempotency key, and the version the form was rendered from travels back so that
//! a stale page gets a conflict instead of overwriting newer data.

use super::page::SessionCsrf;
use crate::auth::CSRF_HEADER;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use theodoi_domain::ids::UserId;
use theodoi_store::IdempotencyKey;

/// Name of the hidden field with the session's CSRF token.
pub const CSRF_FIELD: &str = "_csrf";
/// Name of the hidden field with a key unique to one rendering of a creating form.
pub const IDEMPOTENCY_FIELD: &str = "_idem";
/// Name of the hidden field with the version of the record the form was rendered from.
pub const VERSION_FIELD: &str = "_version";

/// A form body of type `T` that passed the CSRF check.
#[derive(Debug)]
pub struct CsrfForm<T> {
    pub body: T,
    key: Option<String>,
    pub version: Option<i64>,
    method: Method,
    path: String,
    raw: Bytes,
}

impl<T> CsrfForm<T> {
    /// The idempotency key of this submission for `user`, when the form carried one.
    pub fn key(&self, user: UserId) -> Option<IdempotencyKey> {
        self.key
            .as_ref()
            .map(|key| IdempotencyKey::new(user, key, self.method.as_str(), &self.path, &self.raw))
    }

    /// The version as a task version.
    pub fn task_version(&self) -> Option<u32> {
        self.version.and_then(|version| u32::try_from(version).ok())
    }
}

fn rejected(status: StatusCode) -> Response {
    status.into_response()
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let expected = request
            .extensions()
            .get::<SessionCsrf>()
            .map(|csrf| csrf.0.clone())
            .ok_or_else(|| rejected(StatusCode::UNAUTHORIZED))?;
        let header = request
            .headers()
            .get(CSRF_HEADER)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let method = request.method().clone();
        let path = request.uri().path().to_owned();
        let raw = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| rejection.into_response())?;

        let mut csrf = header;
        let mut key = None;
        let mut version = None;
        for (name, value) in form_urlencoded::parse(&raw) {
            match name.as_ref() {
                CSRF_FIELD => csrf = Some(value.into_owned()),
                IDEMPOTENCY_FIELD if !value.is_empty() => key = Some(value.into_owned()),
                VERSION_FIELD => version = value.parse().ok(),
                _ => {}
            }
        }
        if csrf.as_deref() != Some(expected.as_str()) {
            return Err(rejected(StatusCode::FORBIDDEN));
        }
        let body =
            serde_html_form::from_bytes(&raw).map_err(|_| rejected(StatusCode::BAD_REQUEST))?;
        Ok(CsrfForm {
            body,
            key,
            version,
            method,
            path,
            raw,
        })
    }
}

/// A fresh key for one rendering of a creating form.
pub fn new_form_key() -> String {
    crate::auth::new_secret()
}
