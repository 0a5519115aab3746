//! Crash safety of the real `theodoi serve` binary, on both backends. Each round starts the
//! server, drives a write load (new tasks and edits) from several clients while recording
//! every acknowledged write, kills the process with SIGKILL at a random moment, and restarts
//! it. After each restart every acknowledged write must be in the history at the version in
//! the server's response, `theodoi check` must pass, and the restarted server must accept writes.
//!
//! `THEODOI_CRASH_ROUNDS` sets the rounds per backend (default 50) and `THEODOI_CRASH_SEED`
//! the seed of the random kill moments and workload; a failure names both.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::testing::TestDatabase;
use theodoi_store::{Backend, NewUser, Store, on_both_backends};
use tokio::sync::Mutex;

const PASSWORD: &str = "mat-khau-thu-nghiem";
const WORKERS: usize = 4;

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(value) => value
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value} is not a number")),
        Err(_) => default,
    }
}

/// A running `theodoi serve`, killed with SIGKILL when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts the server on an ephemeral port and waits until it prints its address.
    fn start(url: &str, log: &Path) -> Server {
        let log_file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("server log file");
        let mut child = Command::new(env!("CARGO_BIN_EXE_theodoi"))
            .args(["serve", "--listen", "127.0.0.1:0", "--database-url", url])
            // Keeps the audit signing key out of the source tree; processes share it.
            .env(
                "THEODOI_AUDIT_KEY_FILE",
                std::env::temp_dir().join("theodoi-test-audit.key"),
            )
            .env("THEODOI_LOG", "warn")
            // The test is about durability; logins with a TOTP code are tested elsewhere.
            .env("THEODOI_TOTP_REQUIRED_ROLES", "")
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .expect("start theodoi serve");
        let stdout = child.stdout.take().expect("server output");
        let mut server = Server {
            child,
            base: String::new(),
        };
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("server output line");
            if let Some(address) = line.strip_prefix("theodoi: ") {
                server.base = format!("{}/api/v1", address.trim().trim_end_matches('/'));
                return server;
            }
        }
        let status = server.child.wait().expect("server exit status");
        panic!(
            "theodoi serve exited with {status} before listening; log: {}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
    }

    /// Kills the process at once, as a power cut or `kill -9` would.
    fn kill(mut self) {
        self.child.kill().expect("SIGKILL the server");
        self.child.wait().expect("reap the server");
    }
}

/// Writes the server acknowledged: each task's creation marker, and each edit's marker with
/// the version in the response.
#[derive(Default)]
struct Acknowledged {
    created: BTreeMap<i64, String>,
    edits: BTreeMap<i64, Vec<(String, i64)>>,
}

/// Ids of the bodies that the test's document and tasks name.
#[derive(Debug, Clone, Copy)]
struct Bodies {
    office: i64,
    secretariat: i64,
    hanoi: i64,
}

/// Creates the office account before the first start, so that the server needs no
/// administrator and the test has the password.
async fn prepare(url: &str) -> Bodies {
    let store = Store::open(url).await.expect("open the test database");
    store
        .seed(jiff::Timestamp::now())
        .await
        .expect("seed reference data");
    let organisations = store.organisations().await.expect("organisations");
    let id_of = |code: &str| {
        organisations
            .iter()
            .find(|org| org.code == code)
            .unwrap_or_else(|| panic!("no organisation {code}"))
            .id
    };
    let office = id_of("VPTW");
    let bodies = Bodies {
        office: office.0,
        secretariat: id_of("BBT").0,
        hanoi: id_of("TU-HNI").0,
    };
    store
        .insert_user(
            &NewUser {
                username: "vptw.nhap".into(),
                full_name: "Cán bộ nhập liệu".into(),
                org_id: office,
                roles: vec![Role::CentralOffice],
                clearance: Clearance::Secret,
                password_hash: theodoi_server::auth::password::hash(PASSWORD),
                language: "vi".into(),
                email: None,
            },
            jiff::Timestamp::now(),
        )
        .await
        .expect("insert the office account");
    store.close().await;
    bodies
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("HTTP client")
}

async fn token(http: &reqwest::Client, base: &str) -> String {
    let response = http
        .post(format!("{base}/auth/tokens"))
        .json(&json!({"username": "vptw.nhap", "password": PASSWORD}))
        .send()
        .await
        .expect("token request");
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.expect("token body");
    body["token"].as_str().expect("token").to_owned()
}

async fn create_document(http: &reqwest::Client, base: &str, token: &str, bodies: Bodies) -> i64 {
    let response = http
        .post(format!("{base}/documents"))
        .bearer_auth(token)
        .json(&json!({
            "kind": "conclusion",
            "symbol": "74-KL/TW",
            "title": "Kết luận về thử nghiệm mất điện",
            "issue_date": "2026-12-01",
            "signer": "Thường trực Ban Bí thư",
            "issuing_body": bodies.office,
            "assigning_authority": bodies.secretariat,
            "monitoring_body": bodies.office,
            "summary": "Thử ghi dữ liệu khi máy chủ bị dừng đột ngột"
        }))
        .send()
        .await
        .expect("document request");
    let status = response.status();
    let body: Value = response.json().await.expect("document body");
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().expect("document id")
}

/// What a writing client needs to reach the server and name its records.
#[derive(Clone)]
struct Session {
    http: reqwest::Client,
    base: String,
    token: String,
    document: i64,
    hanoi: i64,
}

/// Creates a task and edits it repeatedly until a request fails (the server is dead) or `stop` is set;
/// records every acknowledged write.
async fn write_until_killed(
    session: Session,
    label: String,
    stop: Arc<AtomicBool>,
    acknowledged: Arc<Mutex<Acknowledged>>,
) {
    let Session {
        http,
        base,
        token,
        document,
        hanoi,
    } = session;
    let mut task = None;
    let mut change = 0;
    while !stop.load(Ordering::SeqCst) {
        change += 1;
        let marker = format!("{label}-{change:05}");
        let request = match task {
            None => http
                .post(format!("{base}/documents/{document}/tasks"))
                .json(&json!({"content": format!("Nội dung {marker}"), "lead_body": hanoi})),
            Some(id) => http
                .patch(format!("{base}/tasks/{id}"))
                .json(&json!({"content": format!("Nội dung {marker}")})),
        };
        let Ok(response) = request.bearer_auth(&token).send().await else {
            return;
        };
        let status = response.status();
        let Ok(body) = response.json::<Value>().await else {
            return;
        };
        assert!(
            status.is_success(),
            "{label}: write {marker} answered {status} {body}"
        );
        let id = body["id"].as_i64().expect("task id");
        let version = body["version"].as_i64().expect("task version");
        let mut acknowledged = acknowledged.lock().await;
        if task.is_none() {
            acknowledged.created.insert(id, marker);
            task = Some(id);
        } else {
            acknowledged
                .edits
                .entry(id)
                .or_default()
                .push((marker, version));
        }
    }
}

/// Returns the marker of each event of a task, by event number.
async fn markers(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    task: i64,
) -> BTreeMap<i64, String> {
    let response = http
        .get(format!("{base}/tasks/{task}/events"))
        .bearer_auth(token)
        .send()
        .await
        .expect("events request");
    assert_eq!(response.status(), StatusCode::OK, "events of task {task}");
    let events: Value = response.json().await.expect("events body");
    events
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|event| {
            let data = event["data"].to_string();
            let start = data.find("round-")?;
            let end = data[start..].find(['"', '\\'])? + start;
            Some((event["seq"].as_i64()?, data[start..end].to_owned()))
        })
        .collect()
}

/// Checks that every acknowledged write is in the history; returns how many were checked.
async fn verify(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    acknowledged: &Acknowledged,
    context: &str,
) -> usize {
    let mut checked = 0;
    for (task, created) in &acknowledged.created {
        let history = markers(http, base, token, *task).await;
        assert_eq!(
            history.get(&1),
            Some(created),
            "{context}: creation of task {task} lost"
        );
        checked += 1;
        for (marker, version) in acknowledged.edits.get(task).into_iter().flatten() {
            assert_eq!(
                history.get(version),
                Some(marker),
                "{context}: acknowledged edit {marker} of task {task} not at version {version}"
            );
            checked += 1;
        }
    }
    checked
}

async fn wait_for_first_write(acknowledged: &Mutex<Acknowledged>, context: &str) {
    for _ in 0..3_000 {
        if !acknowledged.lock().await.created.is_empty() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{context}: no write acknowledged within 30 s");
}

fn check_passes(url: &str, context: &str) {
    let output = Command::new(env!("CARGO_BIN_EXE_theodoi"))
        .args(["check", "--lang", "en", "--database-url", url])
        .output()
        .expect("run theodoi check");
    assert!(
        output.status.success(),
        "{context}: theodoi check failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

async fn crash_keeps_acknowledged_writes(backend: Backend) {
    let rounds = env_number("THEODOI_CRASH_ROUNDS", 50);
    let seed = env_number("THEODOI_CRASH_SEED", rand::rng().random());
    eprintln!("{backend:?}: {rounds} rounds, THEODOI_CRASH_SEED={seed}");
    let mut random = StdRng::seed_from_u64(seed);
    let database = TestDatabase::create(backend).await;
    let logs = tempfile::tempdir().expect("log folder");
    let log = logs.path().join("server.log");
    let bodies = prepare(&database.url).await;
    let http = client();

    let server = Server::start(&database.url, &log);
    let token = token(&http, &server.base).await;
    let document = create_document(&http, &server.base, &token, bodies).await;
    let mut all = Acknowledged::default();
    let mut server = Some(server);
    for round in 1..=rounds {
        let context = format!("{backend:?} round {round} of {rounds}, THEODOI_CRASH_SEED={seed}");
        let running = server.take().expect("a running server");
        let base = running.base.clone();
        let stop = Arc::new(AtomicBool::new(false));
        let acknowledged = Arc::new(Mutex::new(Acknowledged::default()));
        let workers: Vec<_> = (0..WORKERS)
            .map(|worker| {
                let session = Session {
                    http: http.clone(),
                    base: base.clone(),
                    token: token.clone(),
                    document,
                    hanoi: bodies.hanoi,
                };
                tokio::spawn(write_until_killed(
                    session,
                    format!("round-{round:03}-worker-{worker}"),
                    stop.clone(),
                    acknowledged.clone(),
                ))
            })
            .collect();
        // The kill lands at a random moment after the load is under way, so that every round
        // has acknowledged writes and writes in flight.
        wait_for_first_write(&acknowledged, &context).await;
        let kill_after = Duration::from_millis(random.random_range(0..300));
        tokio::time::sleep(kill_after).await;
        running.kill();
        stop.store(true, Ordering::SeqCst);
        for worker in workers {
            worker
                .await
                .unwrap_or_else(|error| panic!("{context}: {error}"));
        }

        let restarted = Server::start(&database.url, &log);
        let acknowledged = std::mem::take(&mut *acknowledged.lock().await);
        verify(&http, &restarted.base, &token, &acknowledged, &context).await;
        check_passes(&database.url, &context);
        all.created.extend(acknowledged.created);
        for (task, edits) in acknowledged.edits {
            all.edits.entry(task).or_default().extend(edits);
        }
        server = Some(restarted);
    }

    let running = server.take().expect("a running server");
    let context = format!("{backend:?} after {rounds} rounds, THEODOI_CRASH_SEED={seed}");
    let checked = verify(&http, &running.base, &token, &all, &context).await;
    assert!(checked > 0, "{context}: some writes were acknowledged");
    let health = http
        .get(format!(
            "{}/healthz",
            running.base.trim_end_matches("/api/v1")
        ))
        .send()
        .await
        .expect("health request");
    assert_eq!(health.status(), StatusCode::OK, "{context}");
    drop(running);
    check_passes(&database.url, &context);
    eprintln!("{backend:?}: {checked} acknowledged writes survived {rounds} kills");
}

on_both_backends!(crash_keeps_acknowledged_writes);
