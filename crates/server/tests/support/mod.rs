//! A real server on an ephemeral port over a fresh database, with a clock the test moves, and
//! an HTTP client per user.

#![allow(
    dead_code,
    reason = "each test file uses a different part of the support code"
)]

pub mod check;
pub mod fixture;
pub mod html;
pub mod leaks;
pub mod smtp;
pub mod web;
pub mod zip;

use jiff::{SignedDuration, Timestamp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use theodoi_domain::user::{Clearance, Role};
use theodoi_server::{AppState, ManualClock, ServerConfig};
use theodoi_store::testing::TestDatabase;
use theodoi_store::{Backend, NewUser};

/// Password of every test user.
pub const PASSWORD: &str = "mat-khau-thu-nghiem";
/// TOTP secret (base32) of every test user whose roles need a code.
pub const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

/// The 6-digit code of `secret` for the 30-second step `step`, computed with totp-rs as an
/// authenticator app would.
pub fn totp_code(secret: &str, step: i64) -> String {
    let totp = totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::try_from_base32(secret).expect("base32 secret"))
        .with_account_name("test")
        .build()
        .expect("totp");
    totp.generate(u64::try_from(step * 30).expect("step after 1970"))
        .to_string()
}

/// The argon2id hash of `PASSWORD`, computed once per test binary because hashing costs tens
/// of milliseconds and some tests create a hundred users.
fn password_hash() -> String {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| theodoi_server::auth::password::hash(PASSWORD))
        .clone()
}

pub struct TestServer {
    pub base: String,
    pub clock: ManualClock,
    pub state: AppState,
    _database: TestDatabase,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Local time in Vietnam as an instant, e.g. `at("2026-03-02 09:00")`.
pub fn at(local: &str) -> Timestamp {
    let datetime: jiff::civil::DateTime = local.replace(' ', "T").parse().expect("local date-time");
    theodoi_calendar::at_local(datetime)
}

impl TestServer {
    pub async fn start(backend: Backend, now: Timestamp) -> TestServer {
        TestServer::start_with(backend, now, |_| {}).await
    }

    /// Starts a server with the test database's secure-zone key, or without any key.
    pub async fn start_with_key(backend: Backend, now: Timestamp, with_key: bool) -> TestServer {
        TestServer::start_with(backend, now, move |config| {
            if !with_key {
                config.secure_key = None;
            }
        })
        .await
    }

    /// Starts a server, with the test database's secure-zone key, whose settings `configure`
    /// changes first.
    pub async fn start_with(
        backend: Backend,
        now: Timestamp,
        configure: impl FnOnce(&mut ServerConfig),
    ) -> TestServer {
        let database = TestDatabase::create(backend).await;
        let clock = ManualClock::new(now);
        let mut config = ServerConfig::new(database.url.clone());
        config.secure_key = Some(database.secure_key.clone());
        configure(&mut config);
        let state = theodoi_server::state(config, Arc::new(clock.clone()))
            .await
            .expect("server state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let router = theodoi_server::router(state.clone())
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        let server = tokio::spawn(async move {
            axum::serve(listener, router).await.expect("serve");
        });
        TestServer {
            base,
            clock,
            state,
            _database: database,
            server,
        }
    }

    pub fn org_id(&self, code: &str) -> i64 {
        self.state
            .reference()
            .orgs
            .by_code(code)
            .unwrap_or_else(|| panic!("no organisation {code}"))
            .id
            .0
    }

    /// A code that the server accepts for `username` now: the earliest step within one step of
    /// the clock that is later than the last code the account used, because each code works
    /// once. Panics when the account used up the three steps around the current instant;
    /// advance the clock between more logins.
    pub async fn code_for(&self, username: &str) -> String {
        let store = &self.state.store;
        let user = store
            .user_by_username(username)
            .await
            .expect("read user")
            .expect("user exists");
        let record = store
            .totp(user.id)
            .await
            .expect("read totp")
            .expect("enrolled");
        let now = theodoi_server::Clock::now(&self.clock).as_second() / 30;
        let step = record
            .last_step
            .map_or(now - 1, |last| (last + 1).max(now - 1));
        assert!(
            step <= now + 1,
            "{username} logged in more than three times within one step; advance the clock"
        );
        totp_code(TOTP_SECRET, step)
    }

    /// Whether `username` must log in with a code on this server.
    pub async fn needs_code(&self, username: &str) -> bool {
        let user = self
            .state
            .store
            .user_by_username(username)
            .await
            .expect("read user")
            .expect("user exists");
        self.state
            .store
            .totp(user.id)
            .await
            .expect("read totp")
            .is_some_and(|record| record.confirmed_at.is_some())
    }

    /// Creates an account directly in the store and returns a client holding its API token.
    /// Accounts whose roles need a second factor are enrolled with [`TOTP_SECRET`].
    pub async fn user(
        &self,
        username: &str,
        org_code: &str,
        roles: &[Role],
        clearance: Clearance,
    ) -> Client {
        let org = self
            .state
            .reference()
            .orgs
            .by_code(org_code)
            .expect("organisation")
            .id;
        self.state
            .store
            .insert_user(
                &NewUser {
                    username: username.into(),
                    full_name: format!("Cán bộ {username}"),
                    org_id: org,
                    roles: roles.to_vec(),
                    clearance,
                    password_hash: password_hash(),
                    language: "vi".into(),
                    email: None,
                },
                theodoi_server::Clock::now(&self.clock),
            )
            .await
            .expect("insert user");
        let record = self
            .state
            .store
            .user_by_username(username)
            .await
            .expect("read user")
            .expect("user exists");
        let mut login = json!({"username": username, "password": PASSWORD});
        if theodoi_server::auth::totp::required(&self.state.config.totp_required_roles, &record) {
            self.state
                .store
                .set_confirmed_totp(
                    record.id,
                    TOTP_SECRET,
                    theodoi_server::Clock::now(&self.clock),
                )
                .await
                .expect("enrol totp");
            login["totp"] = json!(self.code_for(username).await);
        }
        let anonymous = self.anonymous();
        let (status, body) = anonymous
            .send(Method::POST, "/api/v1/auth/tokens", Some(login))
            .await;
        assert_eq!(status, StatusCode::CREATED, "token for {username}: {body}");
        Client {
            base: self.base.clone(),
            http: reqwest::Client::new(),
            token: Some(body["token"].as_str().expect("token").to_owned()),
            lang: None,
            id: 0,
        }
        .with_id()
        .await
    }

    pub fn anonymous(&self) -> Client {
        Client {
            base: self.base.clone(),
            http: reqwest::Client::new(),
            token: None,
            lang: None,
            id: 0,
        }
    }

    pub fn advance(&self, by: SignedDuration) {
        self.clock.advance(by);
    }

    pub fn set_time(&self, local: &str) {
        self.clock.set(at(local));
    }
}

/// An HTTP client acting as one user.
#[derive(Clone)]
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
    pub token: Option<String>,
    pub lang: Option<&'static str>,
    pub id: i64,
}

impl Client {
    async fn with_id(mut self) -> Self {
        let (status, me) = self.get("/api/v1/me").await;
        assert_eq!(status, StatusCode::OK, "{me}");
        self.id = me["user"]["id"].as_i64().expect("user id");
        self
    }

    pub fn english(&self) -> Client {
        Client {
            lang: Some("en"),
            ..self.clone()
        }
    }

    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(lang) = self.lang {
            request = request.header("Accept-Language", lang);
        }
        request
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.request(method, path);
        if let Some(body) = body {
            request = request.json(&body);
        }
        read(request.send().await.expect("request")).await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, Some(body)).await
    }

    /// Posts and fails the test unless the answer is 2xx; returns the body.
    pub async fn ok(&self, path: &str, body: Value) -> Value {
        let (status, value) = self.post(path, body).await;
        assert!(status.is_success(), "POST {path}: {status} {value}");
        value
    }

    pub async fn fetch(&self, path: &str) -> Value {
        let (status, value) = self.get(path).await;
        assert!(status.is_success(), "GET {path}: {status} {value}");
        value
    }
}

pub async fn read(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.expect("body");
    let value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, value)
}

/// The obligation of `kind` in a task view (the last one opened when several match).
pub fn obligation<'a>(task: &'a Value, kind: &str) -> &'a Value {
    task["obligations"]
        .as_array()
        .expect("obligations")
        .iter()
        .rev()
        .find(|o| o["kind"]["code"] == kind)
        .unwrap_or_else(|| panic!("no {kind} obligation in {}", task["obligations"]))
}

/// The types of a task's events, in order.
pub async fn event_types(client: &Client, task: i64) -> Vec<String> {
    client
        .fetch(&format!("/api/v1/tasks/{task}/events"))
        .await
        .as_array()
        .expect("events")
        .iter()
        .map(|event| event["type"].as_str().expect("type").to_owned())
        .collect()
}
