//! How many SQL statements a page or a command runs, counted from sqlx's statement log
//! (target `sqlx::query`, level debug). The log is shared by the whole test process, so the
//! tests of this binary take turns.

mod support;

use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use support::fixture::{Cast, hanoi_task_in_progress};
use support::{TestServer, at};
use theodoi_store::{Backend, on_both_backends};

/// Held for a whole test, so that no other test of this binary logs statements meanwhile.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Every statement logged since the process started, one line each.
#[derive(Clone, Default)]
struct StatementLog(Arc<Mutex<Vec<u8>>>);

impl Write for StatementLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl StatementLog {
    /// Installs the subscriber once per process and returns its log.
    fn install() -> StatementLog {
        static LOG: OnceLock<StatementLog> = OnceLock::new();
        LOG.get_or_init(|| {
            let log = StatementLog::default();
            let writer = log.clone();
            let subscriber = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new("sqlx::query=debug"))
                .with_ansi(false)
                .with_writer(move || writer.clone())
                .finish();
            tracing::subscriber::set_global_default(subscriber).expect("one log subscriber");
            log
        })
        .clone()
    }

    fn len(&self) -> usize {
        self.0.lock().expect("log lock").len()
    }

    /// Returns the statements logged after `mark`, a value of [`StatementLog::len`]. The
    /// settings a newly opened pool connection runs (`PRAGMA …`) are left out, because whether
    /// the pool opens one depends on timing, not on the request.
    fn since(&self, mark: usize) -> Vec<String> {
        let bytes = self.0.lock().expect("log lock")[mark..].to_vec();
        String::from_utf8_lossy(&bytes)
            .lines()
            .filter(|line| line.contains("sqlx::query"))
            .filter(|line| !line.contains("summary=\"PRAGMA"))
            .map(str::to_owned)
            .collect()
    }
}

/// Counts the statements whose text contains `fragment`, such as `INSERT INTO obligations`.
fn count(statements: &[String], fragment: &str) -> usize {
    statements
        .iter()
        .filter(|line| line.contains(fragment))
        .count()
}

/// Drafts an update as `updater` and approves it as `approver`.
async fn approved_update(task: i64, updater: &support::Client, approver: &support::Client) {
    let view = updater
        .ok(
            &format!("/api/v1/tasks/{task}/updates"),
            json!({"status": "in_progress", "percent": 30, "results": "Đã triển khai bước đầu"}),
        )
        .await;
    let no = view["updates"]
        .as_array()
        .and_then(|updates| updates.last())
        .and_then(|update| update["no"].as_u64())
        .expect("update number");
    approver
        .ok(
            &format!("/api/v1/tasks/{task}/updates/{no}/approve"),
            json!({}),
        )
        .await;
}

/// Checks that the task page reads the names of everyone in the history with one query, so that
/// two more people in the history cost no statement.
async fn task_page_names_in_one_query(backend: Backend) {
    let _turn = TURN.lock().await;
    let log = StatementLog::install();
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let task = hanoi_task_in_progress(
        &server,
        &cast.office,
        &cast.hanoi_updater,
        "31-KL/TW",
        "Rà soát quy chế làm việc",
        "2026-12-31",
    )
    .await;
    approved_update(task, &cast.hanoi_updater, &cast.hanoi_approver).await;
    let viewer = server.browser("lanhdao").await;
    let path = format!("/tasks/{task}");

    let mark = log.len();
    let (status, _) = viewer.get(&path).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    let fewer_people = log.since(mark);

    // Two more people act on the task: another Hà Nội officer drafts an update, and a
    // monitoring officer urges the task.
    approved_update(task, &cast.hanoi_cleared, &cast.hanoi_approver).await;
    cast.monitor
        .ok(
            &format!("/api/v1/tasks/{task}/urgings"),
            json!({"channel": "system", "reason": "Đề nghị khẩn trương báo cáo"}),
        )
        .await;
    let mark = log.len();
    let (status, _) = viewer.get(&path).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    let more_people = log.since(mark);

    assert_eq!(
        count(&more_people, "SELECT id, full_name FROM users WHERE id IN"),
        1,
        "names read in one query: {more_people:#?}"
    );
    assert_eq!(
        fewer_people.len(),
        more_people.len(),
        "statements of the page with 3 and with 5 people in the history: {fewer_people:#?} {more_people:#?}"
    );
}

/// Checks that a progress update writes only the few obligations it changes, and that the read
/// model still equals a replay of the history.
async fn command_writes_changed_obligations(backend: Backend) {
    let _turn = TURN.lock().await;
    let log = StatementLog::install();
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    // A deadline at the end of the year gives the task a checkpoint every month.
    let task = hanoi_task_in_progress(
        &server,
        &cast.office,
        &cast.hanoi_updater,
        "32-KL/TW",
        "Tổng kết công tác tuyên giáo",
        "2026-12-31",
    )
    .await;
    let obligations = cast
        .office
        .fetch(&format!("/api/v1/tasks/{task}/obligations"))
        .await;
    let total = obligations.as_array().map(Vec::len).unwrap_or_default();
    assert!(
        total >= 5,
        "the task has monthly checkpoints: {obligations}"
    );

    let mark = log.len();
    approved_update(task, &cast.hanoi_updater, &cast.hanoi_approver).await;
    let statements = log.since(mark);

    let written = count(&statements, "INSERT INTO obligations")
        + count(&statements, "UPDATE obligations")
        + count(&statements, "DELETE FROM obligations");
    assert!(
        written <= 4,
        "{written} obligation rows written for a draft and an approval on a task with {total}: {statements:#?}"
    );
    assert_eq!(
        count(&statements, "UPDATE documents"),
        0,
        "the document's task counts did not change: {statements:#?}"
    );
    let report = server
        .state
        .store
        .check_integrity()
        .await
        .expect("integrity check");
    assert!(report.is_clean(), "read model equals replay: {report:?}");
}

on_both_backends!(
    task_page_names_in_one_query,
    command_writes_changed_obligations,
);
