//! Two server states on one PostgreSQL database, as two processes would have: reference-data
//! changes made through one reload the other's cache, account changes reach the other's event
//! streams, a lost listener connection makes live subscribers resync, and the scheduler's run
//! of each period happens once between them.

mod support;

use jiff::Timestamp;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use support::fixture::{Cast, document, draft_task, hanoi_task, start};
use support::{TestServer, at};
use theodoi_domain::ids::TaskId;
use theodoi_domain::user::Clearance;
use theodoi_server::live::LiveEvent;
use theodoi_server::{AppState, ManualClock, ServerConfig};
use theodoi_store::changes::LISTENER_APPLICATION_NAME;
use theodoi_store::testing::TestDatabase;
use theodoi_store::{Backend, UserChanges, on_both_backends};
use tokio::sync::broadcast;

/// Generous ceiling for a notice to travel; a healthy server takes milliseconds.
const CEILING: Duration = Duration::from_secs(10);

fn start_instant() -> Timestamp {
    "2026-03-02T02:00:00Z".parse().expect("instant")
}

async fn process(database: &TestDatabase) -> AppState {
    theodoi_server::state(
        ServerConfig::new(database.url.clone()),
        Arc::new(ManualClock::new(start_instant())),
    )
    .await
    .expect("server state")
}

/// Waits for the next resync on `receiver`, skipping task events.
async fn next_resync(receiver: &mut broadcast::Receiver<Arc<LiveEvent>>) {
    tokio::time::timeout(CEILING, async {
        loop {
            let event = receiver.recv().await.expect("live channel open");
            if matches!(event.as_ref(), LiveEvent::Resync) {
                return;
            }
        }
    })
    .await
    .expect("a resync within the ceiling");
}

/// Creates the first administrator through `state` and returns the account.
async fn administrator(state: &AppState) -> theodoi_store::UserRecord {
    let admin = theodoi_server::bootstrap::ensure_admin(state)
        .await
        .expect("administrator")
        .expect("a new administrator");
    state
        .store
        .user_by_username(&admin.username)
        .await
        .expect("read user")
        .expect("administrator exists")
}

/// Starts the relay of `state` and waits until its listener is connected, which it announces
/// with a resync.
async fn relaying(state: &AppState) -> tokio::task::JoinHandle<()> {
    let mut receiver = state.live.subscribe();
    let relay = theodoi_server::relay::spawn(state.clone()).expect("relay on PostgreSQL");
    next_resync(&mut receiver).await;
    relay
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reference_change_reloads_other_process() {
    let database = TestDatabase::create(Backend::Postgres).await;
    let first = process(&database).await;
    let second = process(&database).await;
    let _relay = relaying(&second).await;
    let mut receiver = second.live.subscribe();
    let hours: theodoi_calendar::hours::WorkingHours =
        "07:30-11:30,13:00-17:00".parse().expect("hours");
    assert_ne!(
        second.reference().calendar_overrides.hours,
        Some(hours.to_string())
    );

    let admin = theodoi_server::bootstrap::ensure_admin(&first)
        .await
        .expect("administrator")
        .expect("a new administrator");
    let admin = first
        .store
        .user_by_username(&admin.username)
        .await
        .expect("read user")
        .expect("administrator exists");
    first
        .store
        .save_working_hours(&hours, admin.id, start_instant())
        .await
        .expect("save hours");

    next_resync(&mut receiver).await;
    assert_eq!(
        second.reference().calendar_overrides.hours,
        Some(hours.to_string())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_change_reaches_other_process() {
    let database = TestDatabase::create(Backend::Postgres).await;
    let first = process(&database).await;
    let second = process(&database).await;
    let _relay = relaying(&second).await;
    let mut access_changes = second.access_changes();
    let admin = administrator(&first).await;

    // Open event streams of the second process check their sessions again on this signal.
    let changes = UserChanges {
        clearance: Some(Clearance::Normal),
        ..UserChanges::default()
    };
    first
        .store
        .update_user(admin.id, None, &changes)
        .await
        .expect("update user");
    tokio::time::timeout(CEILING, access_changes.changed())
        .await
        .expect("the access change within the ceiling")
        .expect("state alive");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_listener_reconnects_and_resyncs() {
    let database = TestDatabase::create(Backend::Postgres).await;
    let state = process(&database).await;
    let _relay = relaying(&state).await;
    let mut receiver = state.live.subscribe();

    let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&database.url)
        .await
        .expect("connect");
    let terminated: Vec<(bool,)> = sqlx::query_as(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name = $1",
    )
    .bind(LISTENER_APPLICATION_NAME)
    .fetch_all(&mut admin)
    .await
    .expect("terminate listener");
    assert_eq!(terminated, [(true,)], "one listener connection per process");

    next_resync(&mut receiver).await;
    let listeners: (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name = $1",
    )
    .bind(LISTENER_APPLICATION_NAME)
    .fetch_one(&mut admin)
    .await
    .expect("count listeners");
    assert_eq!(listeners.0, 1, "the listener is back");
}

async fn scheduler_runs_period_once(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let document = document(&server, &people.office, "10-KL/TW", "normal").await;
    let body = hanoi_task(&server, Some("Theo dõi định kỳ"), Value::Null);
    let mut tasks = Vec::new();
    for _ in 0..3 {
        let task = draft_task(&people.office, document, body.clone()).await;
        start(&people.office, &people.hanoi_updater, task).await;
        tasks.push(task);
    }
    // A second process on the same database, at the same time.
    let clock = ManualClock::new(at("2026-03-02 09:00"));
    let second = theodoi_server::state(
        ServerConfig::new(server.state.config.database_url.clone()),
        Arc::new(clock.clone()),
    )
    .await
    .expect("second process");
    // Nine months on, less than three months of the yearly schedule are left.
    server.set_time("2026-12-15 09:00");
    clock.set(at("2026-12-15 09:00"));

    let (first_run, second_run) = tokio::join!(
        theodoi_server::scheduler::run_due(&server.state),
        theodoi_server::scheduler::run_due(&second)
    );
    let runs = [
        first_run.expect("first run"),
        second_run.expect("second run"),
    ];
    assert_eq!(
        runs.iter().flatten().collect::<Vec<_>>(),
        [&3],
        "one process ran the period and extended every task: {runs:?}"
    );
    for task in &tasks {
        // Read from the store: the API tokens issued nine months ago have expired.
        let history = server
            .state
            .store
            .task(TaskId(*task))
            .await
            .expect("read task")
            .expect("task exists");
        let extensions = history
            .events
            .iter()
            .filter(|stored| stored.event.change.name() == "schedule_extended")
            .count();
        assert_eq!(extensions, 1, "task {task}");
    }
    assert_eq!(
        theodoi_server::scheduler::run_due(&second)
            .await
            .expect("rerun"),
        None,
        "the finished period does not run again"
    );
}

on_both_backends!(scheduler_runs_period_once);
