//! A browser-like client for page tests: it logs in through the login form, keeps the session
//! cookie, and sends forms with the CSRF token read from the page.

use super::{PASSWORD, TestServer};
use reqwest::StatusCode;

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

impl WebClient {
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
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        (status, location, response.text().await.expect("body"))
    }
}
