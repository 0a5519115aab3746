//! The authorization matrix checked against a running server: the table, the people and
//! records, one probe per operation, and the comparison of each response with its cell.

pub mod matrix;
pub mod probes;
pub mod world;

use super::support::web::{Part, WebClient, post_multipart};
use matrix::{Access, Fields, Rule};
use probes::{Payload, Probe};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// A response: enough to compare two of them and to read the fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerResponse {
    pub status: StatusCode,
    pub location: Option<String>,
    /// The body; empty for event streams, which never end.
    pub body: String,
}

impl ServerResponse {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    fn redirects_to_login(&self) -> bool {
        self.status == StatusCode::SEE_OTHER
            && self
                .location
                .as_deref()
                .is_some_and(|location| location.starts_with("/login?next="))
    }
}

async fn read(response: reqwest::Response) -> ServerResponse {
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let streaming = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/event-stream"));
    let body = if streaming {
        String::new()
    } else {
        String::from_utf8_lossy(&response.bytes().await.expect("body")).into_owned()
    };
    ServerResponse {
        status,
        location,
        body,
    }
}

/// Who sends a probe: an API token (or none) for the API, a browser session (or none) for
/// the pages.
pub struct Sender<'a> {
    pub token: Option<&'a str>,
    pub web: &'a WebClient,
}

/// Sends `probe` as `method` on `surface`.
pub async fn send(
    sender: &Sender<'_>,
    surface: &str,
    method: &str,
    probe: &Probe,
) -> ServerResponse {
    let method = Method::from_bytes(method.as_bytes()).expect("method");
    let url = format!("{}{}", sender.web.base, probe.path);
    if surface == "api" {
        let mut request = sender.web.http.request(method, &url);
        if let Some(token) = sender.token {
            request = request.bearer_auth(token);
        }
        if let Payload::Json(body) = &probe.payload {
            request = request.json(body);
        }
        return read(request.send().await.expect("API request")).await;
    }
    match &probe.payload {
        Payload::Multipart(fields) => {
            let parts: Vec<Part<'_>> = fields
                .iter()
                .map(|(name, value)| Part::Text(name, value))
                .collect();
            let (status, location, body) = post_multipart(sender.web, &probe.path, &parts).await;
            ServerResponse {
                status,
                location,
                body,
            }
        }
        Payload::Form(fields) => {
            let mut form: Vec<(&str, &str)> = vec![("_csrf", sender.web.csrf.as_str())];
            form.extend(fields.iter().map(|(name, value)| (*name, value.as_str())));
            let request = sender
                .web
                .http
                .request(method, &url)
                .header("Accept", "text/html")
                .form(&form);
            read(request.send().await.expect("form request")).await
        }
        Payload::Empty | Payload::Json(_) => {
            let request = sender
                .web
                .http
                .request(method, &url)
                .header("Accept", "text/html");
            read(request.send().await.expect("page request")).await
        }
    }
}

/// Compares the status class of `response` with the rule's access; `missing` is the response
/// to the same probe on an id that does not exist, which a hidden record must match exactly.
pub fn check_access(
    rule: &Rule,
    surface: &str,
    method: &str,
    response: &ServerResponse,
    missing: Option<&ServerResponse>,
) -> Result<(), String> {
    let status = response.status;
    let refused = [
        StatusCode::UNAUTHORIZED,
        StatusCode::FORBIDDEN,
        StatusCode::NOT_FOUND,
        StatusCode::METHOD_NOT_ALLOWED,
    ];
    let passed = !refused.contains(&status) && !status.is_server_error();
    let ok = match rule.access {
        Access::Public if method == "GET" => status == StatusCode::OK,
        Access::Public => passed && !response.redirects_to_login(),
        Access::Login if surface == "api" => status == StatusCode::UNAUTHORIZED,
        Access::Login => response.redirects_to_login(),
        // A form page may refuse the cancelled task's state, which it checks after the role.
        Access::Allow if method == "GET" => {
            status == StatusCode::OK || status == StatusCode::CONFLICT
        }
        Access::Allow => passed && !response.redirects_to_login(),
        Access::Forbid => status == StatusCode::FORBIDDEN,
        Access::Hide => status == StatusCode::NOT_FOUND,
    };
    if !ok {
        return Err(format!(
            "expected {:?} (matrix.csv line {}), got {status} {}{}",
            rule.access,
            rule.line,
            response
                .location
                .as_deref()
                .map(|location| format!("to {location} "))
                .unwrap_or_default(),
            excerpt(&response.body)
        ));
    }
    if let Some(missing) = missing
        && (missing.status != response.status
            || without_error_id(&missing.body) != without_error_id(&response.body))
    {
        return Err(format!(
            "response differs from the one for a missing id: {status} vs {}, {}",
            missing.status,
            first_difference(
                &without_error_id(&response.body),
                &without_error_id(&missing.body)
            )
        ));
    }
    Ok(())
}

/// Checks the fields of an allowed JSON read of a task or document.
pub fn check_fields(fields: Fields, item: &Value, content: Option<&str>) -> Result<(), String> {
    let shown = |name: &str| !item[name].is_null();
    match fields {
        Fields::Unchecked => Ok(()),
        Fields::Coarse if shown("content") || shown("summary") => Err(format!(
            "a classified record shows its content or summary: {}",
            excerpt(&item.to_string())
        )),
        Fields::Coarse => Ok(()),
        Fields::Full => {
            let has_text = match content {
                Some(content) => item["content"] == content,
                None => shown("summary"),
            };
            if has_text {
                Ok(())
            } else {
                Err(format!(
                    "a normal record lacks its content or summary: {}",
                    excerpt(&item.to_string())
                ))
            }
        }
    }
}

/// `body` without the id that an error page shows for the administrator, which differs on
/// every request: `<code>` followed by twelve hexadecimal digits.
fn without_error_id(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("<code>") {
        let after = &rest[start + "<code>".len()..];
        let is_id = after.len() > 12
            && after[..12].bytes().all(|byte| byte.is_ascii_hexdigit())
            && after[12..].starts_with("</code>");
        out.push_str(&rest[..start]);
        out.push_str("<code>");
        rest = if is_id { &after[12..] } else { after };
    }
    out.push_str(rest);
    out
}

/// The text around the first place where `left` and `right` differ.
fn first_difference(left: &str, right: &str) -> String {
    let at = left
        .char_indices()
        .zip(right.chars())
        .find(|((_, a), b)| a != b)
        .map_or(left.len().min(right.len()), |((index, _), _)| index);
    let start = left[..at.min(left.len())]
        .char_indices()
        .rev()
        .nth(60)
        .map_or(0, |(index, _)| index);
    let around = |text: &str| excerpt(text.get(start..).unwrap_or(""));
    format!("“{}” vs “{}”", around(left), around(right))
}

pub fn excerpt(text: &str) -> String {
    let text: String = text.chars().take(300).collect();
    text.replace('\n', " ")
}
