//! Two `theodoi` processes on one fresh PostgreSQL database, as a deployment behind a reverse
//! proxy runs them. A change made through one reaches the live stream of the other, once. A
//! rolled-back change is never announced. A process killed during writes leaves no
//! half-written command behind.
//!
//! Process A runs `theodoi demo`, which fills the database with people and documents; process
//! B runs `theodoi serve` on the same database.

use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;
use theodoi_store::Backend;
use theodoi_store::changes::{ChangeListener, ChangeNotice};
use theodoi_store::testing::{TestDatabase, reject_events_at_commit};
use tokio::time::Instant;

/// Password of every demo login.
const PASSWORD: &str = "matkhau-thu-nghiem";
/// Generous ceiling for a change to travel between processes; the expected latency, well
/// under a second, is for benchmarks to measure.
const CEILING: Duration = Duration::from_secs(10);

/// A running `theodoi` process, killed when dropped.
struct Process {
    child: Child,
    base: String,
    // Kept open: a process that prints to a closed pipe fails.
    stdout: BufReader<ChildStdout>,
}

impl Process {
    /// Starts `theodoi ARGS --listen 127.0.0.1:0 --database-url URL` and waits until it
    /// listens.
    fn start(args: &[&str], url: &str) -> Process {
        let mut process = Process::spawn(args, url);
        process.wait_listening();
        process
    }

    /// Starts `theodoi ARGS --listen 127.0.0.1:0 --database-url URL` without waiting.
    fn spawn(args: &[&str], url: &str) -> Process {
        let mut child = Command::new(env!("CARGO_BIN_EXE_theodoi"))
            .args(args)
            .args(["--listen", "127.0.0.1:0", "--database-url", url])
            // Keeps the audit signing key out of the source tree; processes share it.
            .env(
                "THEODOI_AUDIT_KEY_FILE",
                std::env::temp_dir().join("theodoi-test-audit.key"),
            )
            .env("THEODOI_LOG", "warn")
            // These tests share a database between processes; logins with a TOTP code are
            // tested in the server's own tests, and each code works only once.
            .env("THEODOI_TOTP_REQUIRED_ROLES", "")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start theodoi");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        Process {
            child,
            base: String::new(),
            stdout,
        }
    }

    /// Waits until the process prints its address; returns the lines it printed before.
    fn wait_listening(&mut self) -> Vec<String> {
        tokio::task::block_in_place(|| {
            let mut before = Vec::new();
            loop {
                let mut line = String::new();
                let read = self.stdout.read_line(&mut line).expect("read stdout");
                assert!(
                    read > 0,
                    "theodoi exited before listening; printed {before:?}"
                );
                if let Some((_, address)) = line.split_once("http://") {
                    self.base = format!("http://{}", address.trim().trim_end_matches('/'));
                    return before;
                }
                before.push(line);
            }
        })
    }

    /// `theodoi demo` on the empty database at `url`.
    fn demo(url: &str) -> Process {
        Process::start(&["demo", "--demo-password", PASSWORD], url)
    }

    /// `theodoi serve` on the database at `url`.
    fn serve(url: &str) -> Process {
        Process::start(&["serve"], url)
    }

    /// Ends the process at once, as a crash or `kill -9` would.
    fn kill(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reap");
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An API client of one process with a bearer token.
#[derive(Clone)]
struct Api {
    base: String,
    http: reqwest::Client,
    token: String,
}

impl Api {
    async fn login(process: &Process, username: &str) -> Api {
        let http = reqwest::Client::new();
        let response = http
            .post(format!("{}/api/v1/auth/tokens", process.base))
            .json(&json!({"username": username, "password": PASSWORD}))
            .send()
            .await
            .expect("request token");
        assert_eq!(response.status(), StatusCode::CREATED);
        let body: Value = response.json().await.expect("token JSON");
        Api {
            base: process.base.clone(),
            http,
            token: body["token"].as_str().expect("token").to_owned(),
        }
    }

    async fn send(&self, path: &str, body: Option<Value>) -> Result<(StatusCode, Value), String> {
        let url = format!("{}/api/v1{path}", self.base);
        let request = match body {
            Some(body) => self.http.post(url).json(&body),
            None => self.http.get(url),
        };
        let response = request
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|error| error.to_string())?;
        let status = response.status();
        let body = response.json().await.unwrap_or(Value::Null);
        Ok((status, body))
    }

    /// Sends a request that must succeed and returns its body.
    async fn ok(&self, path: &str, body: Option<Value>) -> Value {
        let (status, body) = self.send(path, body).await.expect("request sent");
        assert!(status.is_success(), "{path}: {status} {body}");
        body
    }

    /// Returns the id of the first normal document, to add tasks to.
    async fn normal_document(&self) -> i64 {
        let documents = self.ok("/documents?limit=50", None).await;
        documents["items"]
            .as_array()
            .expect("documents")
            .iter()
            .find(|document| document["confidentiality"]["code"] == "normal")
            .and_then(|document| document["id"].as_i64())
            .expect("a normal demo document")
    }

    async fn org_id(&self, code: &str) -> i64 {
        let orgs = self.ok("/organisations", None).await;
        orgs.as_array()
            .expect("organisations")
            .iter()
            .find(|org| org["code"] == code)
            .and_then(|org| org["id"].as_i64())
            .unwrap_or_else(|| panic!("no organisation {code}"))
    }

    /// Creates a draft task for Hà Nội without a deadline; returns its id.
    async fn create_task(&self, document: i64, lead: i64, content: &str) -> i64 {
        let task = self
            .ok(
                &format!("/documents/{document}/tasks"),
                Some(json!({"content": content, "lead_body": lead})),
            )
            .await;
        task["id"].as_i64().expect("task id")
    }

    /// Ids of the task's events, in order.
    async fn event_ids(&self, task: i64) -> Vec<i64> {
        self.ok(&format!("/tasks/{task}/events"), None)
            .await
            .as_array()
            .expect("events")
            .iter()
            .map(|event| event["id"].as_i64().expect("event id"))
            .collect()
    }
}

/// One server-sent event.
#[derive(Debug, Clone, PartialEq)]
struct SseEvent {
    event: String,
    id: Option<i64>,
    data: String,
}

/// The `/events` stream of a signed-in browser session.
struct LiveStream {
    response: reqwest::Response,
    buffer: String,
}

impl LiveStream {
    /// Signs in on `process` through the login form and opens the stream.
    async fn open(process: &Process, username: &str) -> LiveStream {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let login = http
            .post(format!("{}/login", process.base))
            .form(&[
                ("username", username),
                ("password", PASSWORD),
                ("next", "/"),
            ])
            .send()
            .await
            .expect("sign in");
        assert_eq!(login.status(), StatusCode::SEE_OTHER, "signed in");
        let response = http
            .get(format!("{}/events", process.base))
            .header("accept", "text/event-stream")
            .send()
            .await
            .expect("open stream");
        assert_eq!(response.status(), StatusCode::OK);
        LiveStream {
            response,
            buffer: String::new(),
        }
    }

    /// Reads the next event, or returns `None` once `deadline` passes or the stream ends.
    async fn next(&mut self, deadline: Instant) -> Option<SseEvent> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                if let Some(event) = parse_event(&block) {
                    return Some(event);
                }
                continue;
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .ok()?
                .expect("stream readable")?;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// Task events up to and including the first one for which `last` holds; panics when none
    /// comes within the ceiling.
    async fn task_events_until(&mut self, last: impl Fn(&SseEvent) -> bool) -> Vec<SseEvent> {
        let deadline = Instant::now() + CEILING;
        let mut seen = Vec::new();
        loop {
            let event = self
                .next(deadline)
                .await
                .unwrap_or_else(|| panic!("awaited event not delivered; got {seen:?}"));
            if event.event != "task" {
                continue;
            }
            let done = last(&event);
            seen.push(event);
            if done {
                return seen;
            }
        }
    }
}

/// Parses one event block; `None` for a comment such as the keep-alive.
fn parse_event(block: &str) -> Option<SseEvent> {
    let mut event = SseEvent {
        event: "message".into(),
        id: None,
        data: String::new(),
    };
    let mut any = false;
    for line in block.lines() {
        if let Some(value) = line.strip_prefix("event:") {
            event.event = value.trim().to_owned();
            any = true;
        } else if let Some(value) = line.strip_prefix("id:") {
            event.id = value.trim().parse().ok();
        } else if let Some(value) = line.strip_prefix("data:") {
            event.data.push_str(value.trim());
            any = true;
        }
    }
    any.then_some(event)
}

fn is_task(task: i64) -> impl Fn(&SseEvent) -> bool {
    move |event| event.data == task.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn change_reaches_other_process_once() {
    let database = TestDatabase::create(Backend::Postgres).await;
    let a = Process::demo(&database.url);
    let b = Process::serve(&database.url);
    let office_a = Api::login(&a, "vptw.nhaplieu").await;
    let office_b = Api::login(&b, "vptw.nhaplieu").await;
    let document = office_a.normal_document().await;
    let hanoi = office_a.org_id("TU-HNI").await;
    let mut stream_a = LiveStream::open(&a, "vptw.nhaplieu").await;
    let mut stream_b = LiveStream::open(&b, "vptw.nhaplieu").await;

    let task = office_a
        .create_task(document, hanoi, "Tổng hợp báo cáo quý")
        .await;
    office_a
        .ok(&format!("/tasks/{task}/transfer"), Some(json!({})))
        .await;
    let committed = office_a.event_ids(task).await;
    assert_eq!(committed.len(), 2, "created and transferred");

    let on_b = stream_b
        .task_events_until(|event| event.id == committed.last().copied())
        .await;
    let delivered: Vec<Option<i64>> = on_b
        .iter()
        .filter(|event| is_task(task)(event))
        .map(|event| event.id)
        .collect();
    assert_eq!(
        delivered,
        committed.iter().copied().map(Some).collect::<Vec<_>>(),
        "B's stream shows A's change"
    );

    // A change through B comes after A's own notices, which A must skip: it published its
    // events when it committed them.
    let barrier = office_b
        .create_task(document, hanoi, "Rà soát số liệu")
        .await;
    let on_a = stream_a.task_events_until(is_task(barrier)).await;
    let own: Vec<Option<i64>> = on_a
        .iter()
        .filter(|event| is_task(task)(event))
        .map(|event| event.id)
        .collect();
    assert_eq!(
        own,
        committed.iter().copied().map(Some).collect::<Vec<_>>(),
        "A's stream shows its own events once each"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rolled_back_change_is_never_announced() {
    let database = TestDatabase::create(Backend::Postgres).await;
    let a = Process::demo(&database.url);
    let b = Process::serve(&database.url);
    let office = Api::login(&a, "vptw.nhaplieu").await;
    let document = office.normal_document().await;
    let hanoi = office.org_id("TU-HNI").await;
    let doomed = office
        .create_task(document, hanoi, "Nhiệm vụ không lưu được")
        .await;
    let kept = office
        .create_task(document, hanoi, "Nhiệm vụ lưu được")
        .await;
    reject_events_at_commit(&database.url, doomed)
        .await
        .expect("install trigger");
    // The test listens on the channel as a third process would, to see every notice.
    let mut listener = ChangeListener::connect(&database.url)
        .await
        .expect("listen");
    let mut stream_a = LiveStream::open(&a, "vptw.nhaplieu").await;
    let mut stream_b = LiveStream::open(&b, "vptw.nhaplieu").await;

    let (status, _) = office
        .send(&format!("/tasks/{doomed}/transfer"), Some(json!({})))
        .await
        .expect("request sent");
    assert!(status.is_server_error(), "the commit fails: {status}");
    office
        .ok(&format!("/tasks/{kept}/transfer"), Some(json!({})))
        .await;
    let kept_events = office.event_ids(kept).await;
    let transfer_events = kept_events[1..].to_vec();

    // Notices arrive in commit order, so one for the doomed transfer would come first.
    let notice: ChangeNotice = tokio::time::timeout(CEILING, listener.next())
        .await
        .expect("a notice within the ceiling")
        .expect("listener connected");
    assert_eq!(
        notice.events, transfer_events,
        "the first notice is the kept transfer's"
    );

    for (name, stream) in [("A", &mut stream_a), ("B", &mut stream_b)] {
        let events = stream
            .task_events_until(|event| event.id == transfer_events.last().copied())
            .await;
        assert!(
            !events.iter().any(is_task(doomed)),
            "{name}'s stream announces the rolled-back transfer: {events:?}"
        );
    }
    assert_eq!(office.event_ids(doomed).await.len(), 1, "only the creation");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_start_together_on_empty_database() {
    let database = TestDatabase::create(Backend::Postgres).await;
    let mut first = Process::spawn(&["serve"], &database.url);
    let mut second = Process::spawn(&["serve"], &database.url);
    let printed = [first.wait_listening(), second.wait_listening()];

    let admins = printed
        .iter()
        .flatten()
        .filter(|line| line.contains("quantri"))
        .count();
    assert_eq!(admins, 1, "one first administrator: {printed:?}");

    let mut connection = <sqlx::PgConnection as sqlx::Connection>::connect(&database.url)
        .await
        .expect("connect");
    let organisations: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organisations")
        .fetch_one(&mut connection)
        .await
        .expect("count organisations");
    assert_eq!(organisations.0, 56, "the shipped organisations, once");
    let users: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(&mut connection)
        .await
        .expect("count users");
    assert_eq!(users.0, 1);
}

/// Checks that every command in the database was written whole: each task's version counts
/// its events, each transferred task has its obligations, and each document's counts match
/// its tasks. Returns the number of tasks.
async fn check_consistent(url: &str) -> i64 {
    let mut connection = <sqlx::PgConnection as sqlx::Connection>::connect(url)
        .await
        .expect("connect");
    let torn: Vec<(i64,)> = sqlx::query_as(
        "SELECT t.id FROM tasks t WHERE t.version <> \
         (SELECT COUNT(*) FROM task_events e WHERE e.task_id = t.id)",
    )
    .fetch_all(&mut connection)
    .await
    .expect("versions");
    assert_eq!(torn, [], "tasks whose version does not match their events");

    let orphans: (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM task_events e WHERE NOT EXISTS \
         (SELECT 1 FROM tasks t WHERE t.id = e.task_id)",
    )
    .fetch_one(&mut connection)
    .await
    .expect("orphans");
    assert_eq!(orphans.0, 0, "events without a task row");

    let unobliged: Vec<(i64,)> = sqlx::query_as(
        "SELECT t.id FROM tasks t WHERE t.first_transferred_at IS NOT NULL AND NOT EXISTS \
         (SELECT 1 FROM obligations o WHERE o.task_id = t.id)",
    )
    .fetch_all(&mut connection)
    .await
    .expect("obligations");
    assert_eq!(unobliged, [], "transferred tasks without obligations");

    let miscounted: Vec<(i64,)> = sqlx::query_as(
        "SELECT d.id FROM documents d WHERE d.task_count <> (SELECT COUNT(*) FROM tasks t \
         WHERE t.document_id = d.id AND t.parent_id IS NULL AND t.status <> 'cancelled') \
         OR d.transferred_count <> (SELECT COUNT(*) FROM tasks t WHERE t.document_id = d.id \
         AND t.parent_id IS NULL AND t.status <> 'cancelled' \
         AND t.first_transferred_at IS NOT NULL)",
    )
    .fetch_all(&mut connection)
    .await
    .expect("document counts");
    assert_eq!(
        miscounted,
        [],
        "documents whose counts do not match their tasks"
    );

    let tasks: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tasks")
        .fetch_one(&mut connection)
        .await
        .expect("count tasks");
    tasks.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_process_leaves_whole_commands() {
    let database = TestDatabase::create(Backend::Postgres).await;
    let mut a = Process::demo(&database.url);
    let office = Api::login(&a, "vptw.nhaplieu").await;
    let document = office.normal_document().await;
    let hanoi = office.org_id("TU-HNI").await;
    let before = check_consistent(&database.url).await;

    // Four writers create and transfer tasks until the process dies under them.
    let (acknowledged_tx, mut acknowledged) = tokio::sync::mpsc::unbounded_channel();
    let mut writers = Vec::new();
    for writer in 0..4 {
        let office = office.clone();
        let acknowledged = acknowledged_tx.clone();
        writers.push(tokio::spawn(async move {
            for round in 0..200 {
                let content = format!("Nhiệm vụ {writer}-{round}");
                let Ok((StatusCode::CREATED, task)) = office
                    .send(
                        &format!("/documents/{document}/tasks"),
                        Some(json!({"content": content, "lead_body": hanoi})),
                    )
                    .await
                else {
                    return;
                };
                let id = task["id"].as_i64().expect("task id");
                let _ = acknowledged.send((id, 1));
                let Ok((StatusCode::OK, _)) = office
                    .send(&format!("/tasks/{id}/transfer"), Some(json!({})))
                    .await
                else {
                    return;
                };
                let _ = acknowledged.send((id, 2));
            }
        }));
    }
    drop(acknowledged_tx);
    let mut confirmed = std::collections::HashMap::new();
    while confirmed.len() < 12 {
        let (id, version) = acknowledged.recv().await.expect("writers acknowledged");
        confirmed.insert(id, version);
    }
    a.kill();
    for writer in writers {
        writer.await.expect("writer");
    }
    while let Ok((id, version)) = acknowledged.try_recv() {
        confirmed.insert(id, version);
    }

    let after = check_consistent(&database.url).await;
    assert!(after >= before + 12, "acknowledged tasks are stored");
    // A restarted process serves every acknowledged change.
    let b = Process::serve(&database.url);
    let office = Api::login(&b, "vptw.nhaplieu").await;
    for (id, version) in confirmed {
        let task = office.ok(&format!("/tasks/{id}"), None).await;
        assert!(
            task["version"].as_i64().expect("version") >= version,
            "task {id} lost an acknowledged change: {task}"
        );
    }
}

/// A page left open must not keep a stopping server alive: SIGTERM ends its event stream and
/// the process exits.
async fn open_stream_does_not_hold_shutdown(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let mut process = Process::demo(&database.url);
    let mut stream = LiveStream::open(&process, "vptw.nhaplieu").await;

    let status = Command::new("kill")
        .args(["-TERM", &process.child.id().to_string()])
        .status()
        .expect("send SIGTERM");
    assert!(status.success(), "kill -TERM");

    let deadline = Instant::now() + CEILING;
    while stream.next(deadline).await.is_some() {}
    let exited = tokio::task::block_in_place(|| {
        let end = std::time::Instant::now() + CEILING;
        loop {
            if let Some(status) = process.child.try_wait().expect("poll the process") {
                return Some(status);
            }
            if std::time::Instant::now() > end {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    assert!(
        exited.is_some_and(|status| status.success()),
        "the server exits cleanly with a page open: {exited:?}"
    );
}

theodoi_store::on_both_backends!(open_stream_does_not_hold_shutdown);
