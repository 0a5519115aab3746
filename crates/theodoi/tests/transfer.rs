//! `theodoi backup`, `restore` and `migrate-data` as an operator runs them, on the demo data
//! set, and a server started on the restored database.

use jiff::Timestamp;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use theodoi_store::testing::TestDatabase;
use theodoi_store::transfer::{self, NoProgress, TableDigest};
use theodoi_store::{Backend, on_both_backends};

const PASSWORD: &str = "mat-khau-sao-luu";

/// Runs the program with `THEODOI_LANG` set to `lang`; returns success, stdout and stderr.
fn theodoi(lang: &str, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_theodoi"))
        .args(args)
        .env("THEODOI_LANG", lang)
        .output()
        .expect("run theodoi");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn other(backend: Backend) -> Backend {
    match backend {
        Backend::Sqlite => Backend::Postgres,
        Backend::Postgres => Backend::Sqlite,
    }
}

/// Creates a database on `backend` filled with the demo data set, whose logins take
/// [`PASSWORD`].
async fn demo_database(backend: Backend) -> TestDatabase {
    let database = TestDatabase::create(backend).await;
    let store = database.store().await;
    theodoi_server::demo::seed_demo(
        &store,
        Timestamp::now(),
        &theodoi_server::auth::password::hash,
        PASSWORD,
    )
    .await
    .expect("seed the demo");
    store.close().await;
    database
}

async fn digest(url: &str) -> Vec<TableDigest> {
    transfer::digest(url, &NoProgress)
        .await
        .unwrap_or_else(|error| panic!("digest of {url}: {error}"))
}

fn path(file: &Path) -> &str {
    file.to_str().expect("UTF-8 path")
}

struct Server {
    child: Child,
    base: String,
    // Kept open so that the server never writes into a closed pipe.
    _output: std::io::Lines<BufReader<ChildStdout>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `theodoi serve` on `url` and waits for the line with its address.
fn serve(url: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_theodoi"))
        .args(["serve", "--listen", "127.0.0.1:0", "--database-url", url])
        // Keeps the audit signing key out of the source tree; processes share it.
        .env(
            "THEODOI_AUDIT_KEY_FILE",
            std::env::temp_dir().join("theodoi-test-audit.key"),
        )
        // The test is about copies; logins with a TOTP code are tested elsewhere.
        .env("THEODOI_TOTP_REQUIRED_ROLES", "")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start server");
    let mut output = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let base = tokio::task::block_in_place(|| {
        for line in output.by_ref() {
            let line = line.expect("server output");
            if let Some(address) = line.strip_prefix("theodoi: ") {
                return Some(address.trim().trim_end_matches('/').to_owned());
            }
        }
        None
    });
    let Some(base) = base else {
        let _ = child.kill();
        panic!("the server on {url} stopped before printing its address");
    };
    Server {
        child,
        base,
        _output: output,
    }
}

/// Counts the rows of a printed table report: a table name, a row count and a hash.
fn table_rows(report: &str) -> usize {
    report
        .lines()
        .filter(|line| {
            let cells: Vec<&str> = line.split_whitespace().collect();
            cells.len() == 3 && cells[1].parse::<u64>().is_ok()
        })
        .count()
}

/// Sends a GET request to the API with a bearer token and returns the JSON body.
async fn get(client: &reqwest::Client, base: &str, token: &str, path: &str) -> Value {
    let response = client
        .get(format!("{base}/api/v1{path}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().await.expect("JSON body")
}

/// Logs in as the Central Office's data entry officer of the demo.
async fn token(client: &reqwest::Client, base: &str) -> String {
    let response: Value = client
        .post(format!("{base}/api/v1/auth/tokens"))
        .json(&json!({"username": "vptw.nhaplieu", "password": PASSWORD}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("token body");
    response["token"]
        .as_str()
        .unwrap_or_else(|| panic!("no token in {response}"))
        .to_owned()
}

async fn server_serves_restored_database(backend: Backend) {
    let source = demo_database(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("theodoi-backup.db");
    let (ok, stdout, stderr) = theodoi(
        "vi",
        &["backup", "--database-url", &source.url, path(&file)],
    );
    assert!(ok, "{stderr}");
    let tables = table_rows(&stdout);
    assert!(tables > 10, "{stdout}");
    assert!(
        stdout.contains(&format!("Đã sao lưu {tables} bảng")),
        "{stdout}"
    );
    assert!(stdout.contains("task_events"), "{stdout}");

    let target = TestDatabase::create(other(backend)).await;
    let (ok, stdout, stderr) = theodoi(
        "en",
        &["restore", "--database-url", &target.url, path(&file)],
    );
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains(&format!("Restored {tables} tables")),
        "{stdout}"
    );
    assert_eq!(digest(&target.url).await, digest(&source.url).await);

    // Both servers read the same rows at the same moment, so their responses must be equal.
    // Obligations are left out: each server's scheduler extends the checkpoints of open-ended
    // tasks when it starts, and the two may not have done so yet at the same request.
    let original = serve(&source.url);
    let restored = serve(&target.url);
    let client = reqwest::Client::new();
    let original_token = token(&client, &original.base).await;
    let restored_token = token(&client, &restored.base).await;
    for request in ["/documents?limit=500", "/tasks/counts", "/organisations"] {
        let expected = get(&client, &original.base, &original_token, request).await;
        let served = get(&client, &restored.base, &restored_token, request).await;
        assert_eq!(served, expected, "{request}");
    }
    let documents = get(
        &client,
        &restored.base,
        &restored_token,
        "/documents?limit=500",
    )
    .await;
    let count = documents["items"].as_array().expect("items").len();
    assert!(count > 3, "the demo documents are served: {documents}");

    // A new record gets the next id, so the identity counters follow the restored rows.
    let created = client
        .post(format!("{}/api/v1/documents", restored.base))
        .bearer_auth(&restored_token)
        .json(&json!({
            "kind": "decision", "symbol": "301-QD/TW",
            "title": "Quyết định thí điểm sau khôi phục", "issue_date": "2026-12-01",
            "signer": "Thường trực Ban Bí thư",
            "issuing_body": 6, "assigning_authority": 3, "monitoring_body": 6
        }))
        .send()
        .await
        .expect("create document");
    let status = created.status();
    let body: Value = created.json().await.expect("created body");
    assert!(status.is_success(), "{status}: {body}");
    let max_id = documents["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|item| item["id"].as_i64())
        .max()
        .unwrap();
    assert_eq!(body["id"].as_i64(), Some(max_id + 1), "{body}");
}

async fn restore_rejects_non_empty_database(backend: Backend) {
    let source = demo_database(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    let (ok, _, stderr) = theodoi(
        "vi",
        &["backup", "--database-url", &source.url, path(&file)],
    );
    assert!(ok, "{stderr}");

    let target = TestDatabase::create(backend).await;
    target.store().await.close().await;
    let before = digest(&target.url).await;
    for (lang, expected) in [("vi", "đã có dữ liệu"), ("en", "already contains data")] {
        let (ok, stdout, stderr) = theodoi(
            lang,
            &["restore", "--database-url", &target.url, path(&file)],
        );
        assert!(!ok, "{stdout}");
        assert!(stderr.contains(expected), "{lang}: {stderr}");
        assert!(stderr.contains("--force"), "{lang}: {stderr}");
        assert!(stderr.contains("catalogue_entries"), "{lang}: {stderr}");
    }
    assert_eq!(digest(&target.url).await, before, "nothing was written");

    let (ok, _, stderr) = theodoi(
        "vi",
        &[
            "restore",
            "--force",
            "--database-url",
            &target.url,
            path(&file),
        ],
    );
    assert!(ok, "{stderr}");
    assert_eq!(digest(&target.url).await, digest(&source.url).await);
}

on_both_backends!(
    server_serves_restored_database,
    restore_rejects_non_empty_database
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_data_sqlite_postgres_sqlite_prints_matches() {
    let sqlite = demo_database(Backend::Sqlite).await;
    let original = digest(&sqlite.url).await;
    let postgres = TestDatabase::create(Backend::Postgres).await;
    let back = TestDatabase::create(Backend::Sqlite).await;

    for (from, to) in [(&sqlite.url, &postgres.url), (&postgres.url, &back.url)] {
        let (ok, stdout, stderr) = theodoi("vi", &["migrate-data", "--from", from, "--to", to]);
        assert!(ok, "{from} → {to}: {stderr}");
        for digest in &original {
            let line = stdout
                .lines()
                .find(|line| line.split_whitespace().next() == Some(digest.table.as_str()))
                .unwrap_or_else(|| panic!("no line for {}:\n{stdout}", digest.table));
            let rows = digest.rows.to_string();
            let short = &digest.sha256[..16];
            assert_eq!(
                line.split_whitespace().collect::<Vec<_>>(),
                [digest.table.as_str(), &rows, &rows, short, short, "khớp"],
                "{from} → {to}"
            );
        }
        assert!(stdout.contains("đều khớp"), "{stdout}");
    }
    assert_eq!(digest(&postgres.url).await, original);
    assert_eq!(digest(&back.url).await, original);

    let (ok, _, stderr) = theodoi(
        "en",
        &["migrate-data", "--from", &sqlite.url, "--to", &back.url],
    );
    assert!(!ok, "the target is no longer empty");
    assert!(stderr.contains("already contains data"), "{stderr}");
}

#[test]
fn backup_names_missing_database() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    let (ok, _, stderr) = theodoi(
        "vi",
        &["backup", "--data-dir", path(dir.path()), path(&file)],
    );
    assert!(!ok);
    assert!(
        stderr.contains("Không tìm thấy tệp cơ sở dữ liệu SQLite"),
        "{stderr}"
    );
    assert!(stderr.contains("theodoi.db"), "{stderr}");
    assert!(!file.exists(), "no backup file is left behind");
    assert!(
        !dir.path().join("theodoi.db").exists(),
        "the backup does not create the database it reads"
    );
}

#[test]
fn transfer_commands_explain_their_options() {
    for (args, expected) in [
        (
            vec!["backup", "--help"],
            vec!["--data-dir", "--database-url", "FILE", "--force", "moment"],
        ),
        (
            vec!["restore", "--help"],
            vec!["--data-dir", "--database-url", "FILE", "--force", "empty"],
        ),
        (
            vec!["migrate-data", "--help"],
            vec!["--from", "--to", "URL", "--force", "SHA-256"],
        ),
    ] {
        let (ok, stdout, _) = theodoi("en", &args);
        assert!(ok, "{args:?}");
        for word in expected {
            assert!(
                stdout.contains(word),
                "{args:?} --help lacks {word}:\n{stdout}"
            );
        }
    }
}
