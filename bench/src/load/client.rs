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

/// TOTP codes of the generated secret for one account, each of a later time step than the
/// last, because the server accepts a code once.
#[derive(Debug, Default)]
struct Codes {
    last_step: Option<u64>,
}

impl Codes {
    fn current_step() -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs() / 30)
    }

    /// The next code, when the account used one already in this login.
    async fn next_if_used(&mut self) -> Result<Option<String>> {
        if self.last_step.is_none() {
            return Ok(None);
        }
        self.next().await.map(Some)
    }

    /// A code of the current step, or of the next one (which the server accepts one step
    /// early) when the current one is used; waits for the clock when both are.
    async fn next(&mut self) -> Result<String> {
        let secret = totp_rs::Secret::try_from_base32(crate::generate::people::TOTP_SECRET)
            .context("bench TOTP secret")?;
        let totp = totp_rs::Builder::new()
            .with_secret(secret)
            .with_account_name("theodoi-bench")
            .build()
            .context("bench TOTP generator")?;
        let mut step = Self::current_step();
        if let Some(last) = self.last_step {
            while last + 1 > step + 1 {
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                step = Self::current_step();
            }
            step = step.max(last + 1);
        }
        self.last_step = Some(step);
        Ok(totp.generate(step * 30).to_string())
    }
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

    /// Logs in through the login API (a session cookie) and the token endpoint, with a TOTP
    /// code of the generated secret when the server asks for one.
    pub async fn login(&self, username: &str, password: &str) -> Result<Login> {
        let mut codes = Codes::default();
        let credentials = json!({"username": username, "password": password});
        let response = self
            .post_login("/api/v1/auth/login", &credentials, &mut codes)
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
        let mut request = credentials.clone();
        request["name"] = json!("theodoi-bench");
        request["days"] = json!(1);
        let response = self
            .post_login("/api/v1/auth/tokens", &request, &mut codes)
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

    /// Posts login credentials to `path`, and again with a TOTP code when the server answers
    /// that the account needs one.
    async fn post_login(
        &self,
        path: &str,
        body: &Value,
        codes: &mut Codes,
    ) -> Result<reqwest::Response> {
        let mut body = body.clone();
        if let Some(code) = codes.next_if_used().await? {
            body["totp"] = json!(code);
        }
        let response = self.http.post(self.url(path)).json(&body).send().await?;
        if response.status() != reqwest::StatusCode::UNAUTHORIZED || body.get("totp").is_some() {
            return Ok(response);
        }
        let refusal: Value = response.json().await?;
        if refusal["code"] != "auth-totp-required" {
            bail!("login at {path} failed: {refusal}");
        }
        body["totp"] = json!(codes.next().await?);
        Ok(self.http.post(self.url(path)).json(&body).send().await?)
    }

    /// GET of a page with the session cookie; returns the status.
    pub async fn page(&self, login: &Login, path: &str) -> Result<reqwest::StatusCode> {
        Ok(self.page_size(login, path).await?.0)
    }

    /// GET of a page with the session cookie; returns the status and the body's length in
    /// bytes.
    pub async fn page_size(
        &self,
        login: &Login,
        path: &str,
    ) -> Result<(reqwest::StatusCode, usize)> {
        let response = self
            .http
            .get(self.url(path))
            .header(COOKIE, &login.cookie)
            .send()
            .await?;
        let status = response.status();
        // Read the whole body, as a browser would, so the time includes rendering and transfer.
        let body = response.bytes().await?;
        Ok((status, body.len()))
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
