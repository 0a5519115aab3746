//! `theodoi audit` as an operator runs it, on both backends. `theodoi demo` fills the database
//! and logs security events over real HTTP, and `audit verify` passes on the clean database.
//! After an attacker edits rows directly in the database, it exits with status 1 and names the
//! first altered entry. A checkpoint exported before a hidden rewrite shows the rewrite.

use reqwest::StatusCode;
use serde_json::json;
use sqlx::{AnyConnection, Connection, Row};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use theodoi_domain::audit::merkle::leaf_hash;
use theodoi_domain::audit::{Entry, Source, payload_digest};
use theodoi_store::testing::TestDatabase;
use theodoi_store::{Backend, on_both_backends};

const PASSWORD: &str = "matkhau-kiem-toan";

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn theodoi(args: &[&str], lang: &str) -> Outcome {
    let output = Command::new(env!("CARGO_BIN_EXE_theodoi"))
        .args(args)
        .env("THEODOI_LANG", lang)
        .env_remove("THEODOI_AUDIT_KEY_FILE")
        .output()
        .expect("run theodoi");
    Outcome {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A running demo server, killed when dropped.
struct Demo {
    child: Child,
    base: String,
    username: String,
    // Kept open: a process that prints to a closed pipe fails.
    _stdout: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `theodoi demo` on the empty database at `url`, with its key file in `data_dir`, and
/// waits for its address and first login.
fn start_demo(url: &str, data_dir: &Path) -> Demo {
    let mut child = Command::new(env!("CARGO_BIN_EXE_theodoi"))
        .args([
            "demo",
            "--demo-password",
            PASSWORD,
            "--listen",
            "127.0.0.1:0",
        ])
        .args(["--database-url", url, "--data-dir"])
        .arg(data_dir)
        .env("THEODOI_LOG", "warn")
        .env_remove("THEODOI_AUDIT_KEY_FILE")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start theodoi demo");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut base = None;
    let username = loop {
        let line = lines.next().expect("demo output").expect("readable output");
        if let Some((_, address)) = line.split_once("http://") {
            base = Some(format!("http://{}", address.trim().trim_end_matches('/')));
        } else if base.is_some() && line.starts_with("  ") {
            // "  ROLE USERNAME FULL NAME (ORG)"
            break line.split_whitespace().nth(1).expect("username").to_owned();
        }
    };
    Demo {
        child,
        base: base.expect("address"),
        username,
        _stdout: lines,
    }
}

/// Logs a failed login, a login, an access denial, a second login and a logout through the
/// HTTP API.
async fn make_security_events(demo: &Demo) {
    let http = reqwest::Client::new();
    let failed = http
        .post(format!("{}/api/v1/auth/login", demo.base))
        .json(&json!({"username": demo.username, "password": "sai-mat-khau-roi"}))
        .send()
        .await
        .expect("send login");
    assert_eq!(failed.status(), StatusCode::UNAUTHORIZED);
    let token = http
        .post(format!("{}/api/v1/auth/tokens", demo.base))
        .json(&json!({"username": demo.username, "password": PASSWORD}))
        .send()
        .await
        .expect("request token");
    assert_eq!(token.status(), StatusCode::CREATED);
    let token: serde_json::Value = token.json().await.expect("token JSON");
    let token = token["token"].as_str().expect("token");
    let hidden = http
        .get(format!("{}/api/v1/tasks/987654321", demo.base))
        .bearer_auth(token)
        .send()
        .await
        .expect("read a task");
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);

    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let session = browser
        .post(format!("{}/api/v1/auth/login", demo.base))
        .json(&json!({"username": demo.username, "password": PASSWORD}))
        .send()
        .await
        .expect("log in");
    assert_eq!(session.status(), StatusCode::OK);
    let session: serde_json::Value = session.json().await.expect("login JSON");
    let logout = browser
        .post(format!("{}/api/v1/auth/logout", demo.base))
        .header(
            "x-csrf-token",
            session["csrf_token"].as_str().expect("CSRF token"),
        )
        .send()
        .await
        .expect("log out");
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
}

async fn connect(url: &str) -> AnyConnection {
    theodoi_store::install_drivers();
    AnyConnection::connect(url).await.expect("connect")
}

async fn execute(connection: &mut AnyConnection, statement: &str) {
    sqlx::query(sqlx::AssertSqlSafe(statement.to_owned()))
        .execute(&mut *connection)
        .await
        .unwrap_or_else(|error| panic!("{statement}: {error}"));
}

/// Drops the append-only triggers, as an attacker with database access would.
async fn drop_triggers(connection: &mut AnyConnection, backend: Backend) {
    for table in [
        "task_events",
        "security_events",
        "audit_log",
        "audit_checkpoints",
    ] {
        let statements = match backend {
            Backend::Sqlite => vec![
                format!("DROP TRIGGER {table}_no_update"),
                format!("DROP TRIGGER {table}_no_delete"),
            ],
            Backend::Postgres => vec![format!("DROP TRIGGER {table}_append_only ON {table}")],
        };
        for statement in statements {
            execute(connection, &statement).await;
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Changes the detail of the first security event and rewrites its entry's leaf to match,
/// so that only a signed checkpoint can show the change.
async fn rewrite_security_event(connection: &mut AnyConnection) {
    let row = sqlx::query(
        "SELECT a.seq, s.id, s.at, s.kind, s.actor, s.body, s.subject_kind, s.subject_id \
         FROM audit_log a JOIN security_events s ON a.row_id = s.id \
         WHERE a.source = 'security_events' ORDER BY a.seq LIMIT 1",
    )
    .fetch_one(&mut *connection)
    .await
    .expect("a logged security event");
    let seq: i64 = row.get("seq");
    let id: i64 = row.get("id");
    let kind: String = row.get("kind");
    let subject_kind: Option<String> = row.get("subject_kind");
    let detail = "forged";
    let entry = Entry {
        seq: seq as u64,
        source: Source::SecurityEvents,
        row_id: id,
        at_ms: row.get("at"),
        kind: &kind,
        actor: row.get("actor"),
        body: row.get("body"),
        subject: row.get("subject_id"),
        subject_seq: None,
        payload_digest: payload_digest(&[subject_kind.as_deref(), Some(detail)]),
    };
    let leaf = hex(&leaf_hash(&entry.encode()));
    execute(
        connection,
        &format!("UPDATE security_events SET detail = '{detail}' WHERE id = {id}"),
    )
    .await;
    execute(
        connection,
        &format!("UPDATE audit_log SET leaf = '{leaf}' WHERE seq = {seq}"),
    )
    .await;
}

async fn audit_verify_names_tampering(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let url = database.url.clone();
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().to_str().unwrap().to_owned();
    {
        let demo = start_demo(&url, dir.path());
        make_security_events(&demo).await;
    }
    assert!(
        dir.path().join("audit.key").exists(),
        "demo creates the key"
    );

    let mut connection = connect(&url).await;
    let kinds: Vec<String> = sqlx::query("SELECT kind FROM security_events ORDER BY id")
        .fetch_all(&mut connection)
        .await
        .unwrap()
        .iter()
        .map(|row| row.get("kind"))
        .collect();
    assert_eq!(
        kinds,
        ["login_failed", "login", "access_denied", "login", "logout"]
    );

    let database_args = [
        "--database-url",
        url.as_str(),
        "--data-dir",
        data_dir.as_str(),
    ];
    let clean = theodoi(
        &[&["audit", "verify"][..], &database_args[..]].concat(),
        "vi",
    );
    assert_eq!(clean.code, Some(0), "{}{}", clean.stdout, clean.stderr);
    assert!(
        clean.stdout.contains("nhật ký không bị sửa đổi"),
        "{}",
        clean.stdout
    );

    let exported = dir.path().join("checkpoint.txt");
    let exported_path = exported.to_str().unwrap();
    let written = theodoi(
        &[
            &["audit", "checkpoint", "--out", exported_path][..],
            &database_args[..],
        ]
        .concat(),
        "en",
    );
    assert_eq!(written.code, Some(0), "{}", written.stderr);
    let note = std::fs::read_to_string(&exported).unwrap();
    assert!(note.starts_with("theodoi/audit\n"), "{note}");
    assert!(note.contains("\n\n\u{2014} theodoi/audit "), "{note}");

    let public = theodoi(
        &[&["audit", "public-key"][..], &database_args[..]].concat(),
        "en",
    );
    assert_eq!(public.code, Some(0), "{}", public.stderr);
    let public_file = dir.path().join("public.key");
    std::fs::write(&public_file, &public.stdout).unwrap();
    let public_path = public_file.to_str().unwrap();

    // The attacker rewrites a security event with a matching leaf and removes the stored
    // checkpoints; only the exported checkpoint still shows the rewrite.
    drop_triggers(&mut connection, backend).await;
    rewrite_security_event(&mut connection).await;
    execute(&mut connection, "DELETE FROM audit_checkpoints").await;
    let with_export = theodoi(
        &[
            "audit",
            "verify",
            "--audit-public-key",
            public_path,
            "--checkpoint",
            exported_path,
            "--database-url",
            url.as_str(),
        ],
        "en",
    );
    assert_eq!(with_export.code, Some(1), "{}", with_export.stdout);
    assert!(
        with_export
            .stderr
            .contains("The log does not extend the exported checkpoint"),
        "{}",
        with_export.stderr
    );

    // An edited task event is named by its entry number, table and row.
    let first = sqlx::query(
        "SELECT seq, row_id FROM audit_log WHERE source = 'task_events' ORDER BY seq LIMIT 1",
    )
    .fetch_one(&mut connection)
    .await
    .unwrap();
    let (seq, row_id): (i64, i64) = (first.get("seq"), first.get("row_id"));
    execute(
        &mut connection,
        &format!("UPDATE task_events SET reason = 'sửa lén' WHERE id = {row_id}"),
    )
    .await;
    connection.close().await.unwrap();
    let edited = theodoi(
        &[&["audit", "verify"][..], &database_args[..]].concat(),
        "en",
    );
    assert_eq!(edited.code, Some(1), "{}", edited.stdout);
    let expected = format!("Entry {seq} was edited or reordered (table task_events, row {row_id})");
    assert!(edited.stderr.contains(&expected), "{}", edited.stderr);
}

async fn audit_verify_requires_key(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let migrated = theodoi(&["migrate", "--database-url", &database.url], "en");
    assert_eq!(migrated.code, Some(0), "{}", migrated.stderr);
    let missing = theodoi(
        &[
            "audit",
            "verify",
            "--database-url",
            &database.url,
            "--data-dir",
            dir.path().to_str().unwrap(),
        ],
        "vi",
    );
    assert_eq!(missing.code, Some(1));
    assert!(
        missing.stderr.contains("Không đọc được tệp khoá kiểm toán"),
        "{}",
        missing.stderr
    );
}

on_both_backends!(audit_verify_names_tampering, audit_verify_requires_key);
