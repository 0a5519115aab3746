//! A browser-like client for page tests: it logs in through the login form, keeps the session
//! cookie, and sends forms with the CSRF token read from the page, as URL-encoded or multipart
//! bodies.

use super::html::hidden_fields;
use super::{PASSWORD, TestServer};
use reqwest::StatusCode;
use std::sync::atomic::{AtomicU64, Ordering};

/// A signed-in user of the pages.
pub struct WebClient {
    pub base: String,
    pub http: reqwest::Client,
    pub csrf: String,
}

/// The value of `<meta name="csrf-token" content="…">` in a page.
pub fn csrf_of(html: &str) -> Option<String> {
    let marker = "name=\"csrf-token\" content=\"";
    let start = html.find(marker)? + marker.len();
    let end = start + html[start..].find('"')?;
    Some(html[start..end].to_owned())
}

/// The value of the hidden field `name` in the first form that has it.
pub fn hidden_field(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = start + html[start..].find('"')?;
    Some(html[start..end].to_owned())
}

impl TestServer {
    /// Logs `username` in through the login form (the account must exist).
    pub async fn browser(&self, username: &str) -> WebClient {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let response = http
            .post(format!("{}/login", self.base))
            .form(&[
                ("username", username),
                ("password", PASSWORD),
                ("next", "/"),
            ])
            .send()
            .await
            .expect("login");
        let response = if self.needs_code(username).await {
            assert_eq!(
                response.status(),
                StatusCode::OK,
                "code page for {username}"
            );
            let page = response.text().await.expect("code page");
            let challenge = hidden_field(&page, "challenge").expect("challenge on the code page");
            let code = self.code_for(username).await;
            http.post(format!("{}/login/code", self.base))
                .form(&[
                    ("challenge", challenge.as_str()),
                    ("code", code.as_str()),
                    ("next", "/"),
                ])
                .send()
                .await
                .expect("login code")
        } else {
            response
        };
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "login of {username}"
        );
        let mut client = WebClient {
            base: self.base.clone(),
            http,
            csrf: String::new(),
        };
        let (_, home) = client.get("/").await;
        client.csrf = csrf_of(&home).expect("csrf token on the home page");
        client
    }
}

/// Returns the status, the `Location` header of a redirect, and the body of `response`.
async fn read(response: reqwest::Response) -> (StatusCode, Option<String>, String) {
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    (status, location, response.text().await.expect("body"))
}

impl WebClient {
    /// GETs `path` without an `Accept` header; returns the status, the `Location` header of a
    /// redirect, and the body.
    pub async fn get_redirect(&self, path: &str) -> (StatusCode, Option<String>, String) {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("GET");
        read(response).await
    }

    /// GETs a page; returns the status and the HTML.
    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .header("Accept", "text/html")
            .send()
            .await
            .expect("GET");
        let status = response.status();
        (status, response.text().await.expect("body"))
    }

    /// POSTs a form with the CSRF token added; returns the status, the `Location` header of a
    /// redirect, and the HTML.
    pub async fn post(
        &self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, Option<String>, String) {
        let mut form: Vec<(&str, &str)> = vec![("_csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Accept", "text/html")
            .form(&form)
            .send()
            .await
            .expect("POST");
        read(response).await
    }

    /// POSTs a form given as owned pairs, for forms built up field by field.
    pub async fn post_pairs(
        &self,
        path: &str,
        fields: &[(String, String)],
    ) -> (StatusCode, Option<String>, String) {
        let borrowed: Vec<(&str, &str)> = fields
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        self.post(path, &borrowed).await
    }

    /// Submits the form posting to `action` as rendered in `html`: its hidden fields (version,
    /// idempotency key and the like) as the page has them, then `extra`.
    pub async fn submit(
        &self,
        html: &str,
        action: &str,
        extra: &[(&str, &str)],
    ) -> (StatusCode, Option<String>, String) {
        let hidden = hidden_fields(html, action);
        let mut fields: Vec<(&str, &str)> = hidden
            .iter()
            .filter(|(name, _)| name.as_str() != "_csrf")
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        fields.extend_from_slice(extra);
        self.post(action, &fields).await
    }
}

/// One part of a multipart form.
pub enum Part<'a> {
    Text(&'a str, &'a str),
    File {
        name: &'a str,
        file_name: &'a str,
        content_type: &'a str,
        data: &'a [u8],
    },
}

static BOUNDARY: AtomicU64 = AtomicU64::new(1);

/// Posts `parts` as `multipart/form-data` after the session's CSRF token, with a fresh boundary
/// each time as a browser does. Returns the status, the redirect target and the HTML.
pub async fn post_multipart(
    client: &WebClient,
    path: &str,
    parts: &[Part<'_>],
) -> (StatusCode, Option<String>, String) {
    let boundary = format!(
        "----theodoi-test-{}",
        BOUNDARY.fetch_add(1, Ordering::Relaxed)
    );
    let mut body = Vec::new();
    let text = |name: &str, value: &str, body: &mut Vec<u8>| {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    };
    text("_csrf", &client.csrf, &mut body);
    for part in parts {
        match part {
            Part::Text(name, value) => text(name, value, &mut body),
            Part::File {
                name,
                file_name,
                content_type,
                data,
            } => {
                body.extend_from_slice(
                    format!(
                        "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; \
                         filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(data);
                body.extend_from_slice(b"\r\n");
            }
        }
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let response = client
        .http
        .post(format!("{}{path}", client.base))
        .header("Accept", "text/html")
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("POST multipart");
    read(response).await
}
