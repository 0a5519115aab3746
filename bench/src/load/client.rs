//! HTTP access to the server under test as its users: page sessions (cookie) and API bearer
//! tokens, obtained with the generated logins.

use anyhow::{Context, Result, bail};
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::{Value, json};

/// The server under test.
#[derive(Debug, Clone)]
pub struct Server {
    pub base: String,
    pub http: reqwest::Client,
}

/// Credentials of one logged-in user.
#[derive(Debug, Clone)]
pub struct Login {
    /// `theodoi_session=…`, for pages and the live event stream.
    pub cookie: String,
    /// Bearer token for the JSON API.
    pub token: String,
}

impl Server {
    pub fn new(base: &str, max_connections: usize) -> Result<Self> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(max_connections)
            .timeout(std::time::Duration::from_secs(120))
            .build()?;
        Ok(Self {
            base: base.trim_end_matches('/').to_owned(),
            http,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Logs in through the login form (a session cookie) and the token endpoint.
    pub async fn login(&self, username: &str, password: &str) -> Result<Login> {
        let response = self
            .http
            .post(self.url("/login"))
            .form(&[("username", username), ("password", password)])
            .send()
            .await?;
        let cookie = response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.starts_with("theodoi_session="))
            .and_then(|value| value.split(';').next())
            .map(str::to_owned)
            .with_context(|| {
                format!(
                    "login of {username} set no session cookie (status {})",
                    response.status()
                )
            })?;
        let response = self
            .http
            .post(self.url("/api/v1/auth/tokens"))
            .json(&json!({"username": username, "password": password, "name": "theodoi-bench", "days": 1}))
            .send()
            .await?;
        let status = response.status();
        let body: Value = response.json().await?;
        let Some(token) = body.get("token").and_then(Value::as_str) else {
            bail!("token request of {username} failed with {status}: {body}");
        };
        Ok(Login {
            cookie,
            token: token.to_owned(),
        })
    }

    /// GET of a page with the session cookie; returns the status.
    pub async fn page(&self, login: &Login, path: &str) -> Result<reqwest::StatusCode> {
        let response = self
            .http
            .get(self.url(path))
            .header(COOKIE, &login.cookie)
            .send()
            .await?;
        let status = response.status();
        // Read the whole body, as a browser would, so the time includes rendering and transfer.
        response.bytes().await?;
        Ok(status)
    }

    /// GET of an API resource with the bearer token.
    pub async fn get_json(
        &self,
        login: &Login,
        path: &str,
    ) -> Result<(reqwest::StatusCode, Value)> {
        let response = self
            .http
            .get(self.url(path))
            .bearer_auth(&login.token)
            .send()
            .await?;
        let status = response.status();
        Ok((status, response.json().await?))
    }

    /// POST of a JSON body to the API with the bearer token.
    pub async fn post_json(
        &self,
        login: &Login,
        path: &str,
        body: &Value,
    ) -> Result<(reqwest::StatusCode, Value)> {
        let response = self
            .http
            .post(self.url(path))
            .bearer_auth(&login.token)
            .json(body)
            .send()
            .await?;
        let status = response.status();
        let bytes = response.bytes().await?;
        let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Ok((status, value))
    }

    /// Ids of tasks listed by the API for `query` (such as `status=in_progress&lead_body=7`),
    /// at most `limit`.
    pub async fn task_ids(&self, login: &Login, query: &str, limit: usize) -> Result<Vec<i64>> {
        let mut ids = Vec::new();
        let mut cursor: Option<String> = None;
        while ids.len() < limit {
            let mut path = format!("/api/v1/tasks?{query}&limit=500");
            if let Some(cursor) = &cursor {
                path.push_str(&format!("&cursor={cursor}"));
            }
            let (status, body) = self.get_json(login, &path).await?;
            if !status.is_success() {
                bail!("GET {path} failed with {status}: {body}");
            }
            let items = body
                .get("items")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            ids.extend(
                items
                    .iter()
                    .filter_map(|item| item.get("id").and_then(Value::as_i64)),
            );
            cursor = body
                .get("next_cursor")
                .and_then(Value::as_str)
                .map(str::to_owned);
            if cursor.is_none() {
                break;
            }
        }
        ids.truncate(limit);
        Ok(ids)
    }
}

/// Logs in every user of `usernames`, a few at a time because password hashing is slow by
/// design.
pub async fn login_all(
    server: &Server,
    usernames: &[String],
    password: &str,
) -> Result<Vec<Login>> {
    use futures::stream::{self, StreamExt, TryStreamExt};
    stream::iter(usernames.iter().cloned())
        .map(|username| async move { server.login(&username, password).await })
        .buffered(4)
        .try_collect()
        .await
}
