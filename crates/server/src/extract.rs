//! Request extractors that report bad input with the API's own localized errors.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use serde::de::DeserializeOwned;
use theodoi_domain::DomainError;
use theodoi_domain::error::{Arg, Code};
use theodoi_domain::ids::UserId;
use theodoi_store::IdempotencyKey;

/// JSON body; see [`parse_json`] for how bad input is reported.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = has_json_type(request.headers());
        let raw = Bytes::from_request(request, state)
            .await
            .map_err(bytes_rejection)?;
        if !is_json {
            return Err(ApiError::BadRequest {
                code: "request-unsupported-media",
                detail: String::new(),
            });
        }
        parse_json(&raw).map(ApiJson)
    }
}

/// Joins a parent path from serde with a child field name.
fn child_path(parent: &str, child: &str) -> String {
    if parent.is_empty() || parent == "." {
        child.to_owned()
    } else {
        format!("{parent}.{child}")
    }
}

/// The name between the first pair of backticks in a serde message, such as the `x` of
/// "unknown field `x`, expected …".
fn quoted_name(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(&message[start..end])
}

/// Turns a serde data error at `path` into a field error. The offending value is never copied
/// into the error: a refused Tuyệt mật request must leave no trace of what it carried.
fn data_error(path: &str, message: &str) -> ApiError {
    let (field, code) = if message.starts_with("unknown field") {
        // The path already ends with the unknown name.
        let name = quoted_name(message).unwrap_or("?");
        let field = if path.ends_with(name) {
            path.to_owned()
        } else {
            child_path(path, name)
        };
        (field, Code::FieldUnknown)
    } else if message.starts_with("missing field") {
        let name = quoted_name(message).unwrap_or("?");
        (child_path(path, name), Code::Required)
    } else if path.is_empty() || path == "." {
        ("json".to_owned(), Code::InvalidValue)
    } else {
        (path.to_owned(), Code::InvalidValue)
    };
    match expected_type(message) {
        Some(expected) if code == Code::InvalidValue => DomainError::field(
            field,
            Code::WrongType,
            vec![("expected", Arg::Message(expected.to_owned()))],
        )
        .into(),
        _ => DomainError::field(field, code, vec![]).into(),
    }
}

/// The message id naming the type serde expected, read from its error text: "invalid type:
/// string, expected i64", or the parser errors of query values.
fn expected_type(message: &str) -> Option<&'static str> {
    let expected = message
        .split_once("expected ")
        .map(|(_, rest)| rest)
        .unwrap_or(message);
    // Query values only say "invalid digit"; every number a query takes is a count or an id,
    // so it too asks for a number that is not negative.
    let unsigned = ["u64", "u32", "u16", "u8", "invalid digit"];
    let signed = ["i64", "i32", "integer"];
    if unsigned.iter().any(|word| expected.contains(word)) {
        Some("type-count")
    } else if signed.iter().any(|word| expected.contains(word)) {
        Some("type-number")
    } else if expected.contains("boolean") || expected.contains("`true` or `false`") {
        Some("type-boolean")
    } else if expected.contains("a string") {
        Some("type-text")
    } else if expected.contains("a sequence") {
        Some("type-list")
    } else if expected.contains("struct") || expected.contains("a map") {
        Some("type-object")
    } else {
        None
    }
}

/// Parses a JSON body. Broken JSON is a 400 giving the line and column; a value of the wrong
/// type, a missing value or an unknown field is a 422 naming the field.
pub(crate) fn parse_json<T: DeserializeOwned>(raw: &[u8]) -> Result<T, ApiError> {
    // Syntax first, so that a cut-off body is reported as such rather than by its first key.
    let value: serde_json::Value =
        serde_json::from_slice(raw).map_err(|error| ApiError::BadRequest {
            code: "request-invalid-json",
            detail: format!("{}:{}", error.line(), error.column()),
        })?;
    // Every body is an object; serde would otherwise read an array as a struct's fields.
    if !value.is_object() {
        return Err(DomainError::field(
            "json",
            Code::WrongType,
            vec![("expected", Arg::Message("type-object".into()))],
        )
        .into());
    }
    serde_path_to_error::deserialize::<_, T>(value).map_err(|error| {
        let path = error.path().to_string();
        data_error(&path, &error.into_inner().to_string())
    })
}

/// Query string parameters; a bad or unknown parameter is a 422 naming it.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let deserializer =
            serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(deserializer)
            .map(ApiQuery)
            .map_err(|error| {
                let path = error.path().to_string();
                data_error(&path, &error.into_inner().to_string())
            })
    }
}

/// Path parameters.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| ApiPath(value))
            // A path with an id that is not a number names no record: not found.
            .map_err(|_: PathRejection| ApiError::NotFound)
    }
}

/// The version named by `If-Match`, when the client sent one.
#[derive(Debug, Clone, Copy)]
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else {
            return Ok(IfMatch(None));
        };
        let invalid = || ApiError::BadRequest {
            code: "request-if-match-invalid",
            detail: String::new(),
        };
        let text = value.to_str().map_err(|_| invalid())?.trim();
        // "*" matches any version: the client asks for no check.
        if text == "*" {
            return Ok(IfMatch(None));
        }
        // A weak tag never matches in If-Match (RFC 9110, 13.1.1).
        if text.starts_with("W/") {
            return Err(invalid());
        }
        let text = text.trim_matches('"');
        text.parse::<i64>()
            .ok()
            .filter(|version| *version >= 0)
            .map(|version| IfMatch(Some(version)))
            .ok_or_else(invalid)
    }
}

impl IfMatch {
    /// The version as a task version.
    pub fn task_version(self) -> Option<u32> {
        self.0
            .map(|version| u32::try_from(version).unwrap_or(u32::MAX))
    }
}

/// The `ETag` header value for a record version.
pub fn etag(version: impl std::fmt::Display) -> String {
    format!("\"{version}\"")
}

/// Longest idempotency key, in bytes.
const MAX_KEY: usize = 200;

/// A creating request: its JSON body and the idempotency key that may come with it.
#[derive(Debug)]
pub struct Creating<T> {
    pub body: T,
    key: Option<String>,
    method: Method,
    path: String,
    raw: Bytes,
}

impl<T> Creating<T> {
    /// The idempotency key of this request for `user`, if the client sent one.
    pub fn key(&self, user: UserId) -> Option<IdempotencyKey> {
        self.key
            .as_ref()
            .map(|key| IdempotencyKey::new(user, key, self.method.as_str(), &self.path, &self.raw))
    }
}

fn idempotency_header(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let invalid = || ApiError::BadRequest {
        code: "request-idempotency-key-invalid",
        detail: String::new(),
    };
    let key = value.to_str().map_err(|_| invalid())?.trim();
    if key.is_empty() || key.len() > MAX_KEY || key.chars().any(|c| c.is_control()) {
        return Err(invalid());
    }
    Ok(Some(key.to_owned()))
}

/// Whether the request declares a JSON body: `application/json` or `application/*+json`, with
/// or without parameters, as axum's `Json` accepts.
fn has_json_type(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|media_type| media_type.trim().to_ascii_lowercase())
        .is_some_and(|media_type| {
            media_type == "application/json"
                || (media_type.starts_with("application/") && media_type.ends_with("+json"))
        })
}

/// A body that could not be read: too large (413) or cut off (400).
fn bytes_rejection(rejection: BytesRejection) -> ApiError {
    if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::BadRequest {
            code: "request-too-large",
            detail: String::new(),
        }
    } else {
        ApiError::BadRequest {
            code: "request-invalid-json",
            detail: rejection.body_text(),
        }
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Creating<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let key = idempotency_header(request.headers())?;
        let method = request.method().clone();
        let path = request.uri().path().to_owned();
        let is_json = has_json_type(request.headers());
        let raw = Bytes::from_request(request, state)
            .await
            .map_err(bytes_rejection)?;
        if !is_json {
            return Err(ApiError::BadRequest {
                code: "request-unsupported-media",
                detail: String::new(),
            });
        }
        let body = parse_json(&raw)?;
        Ok(Creating {
            body,
            key,
            method,
            path,
            raw,
        })
    }
}

/// A JSON body that may be left out: an empty body gives the type's default.
#[derive(Debug)]
pub struct OptionalJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = has_json_type(request.headers());
        let raw = Bytes::from_request(request, state)
            .await
            .map_err(bytes_rejection)?;
        if raw.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalJson(T::default()));
        }
        if !is_json {
            return Err(ApiError::BadRequest {
                code: "request-unsupported-media",
                detail: String::new(),
            });
        }
        parse_json(&raw).map(OptionalJson)
    }
}
