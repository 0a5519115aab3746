//! Transactions that lose a race inside the database, on both backends. Errors that the
//! database really raises are classified as contention. A command rolled back by contention is
//! run again and succeeds. A command whose `If-Match` version went stale meanwhile ends in a
//! version conflict instead of succeeding on a retry.

mod support;

use jiff::civil::date;
use sqlx::{AnyConnection, Connection};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use support::{World, local, task_input};
use theodoi_domain::ids::TaskId;
use theodoi_domain::task::{Task, TaskCommand, TaskEditInput};
use theodoi_store::{
    Backend, Contention, OpenOptions, Store, StoreError, classify, on_both_backends,
};

/// Opens a connection outside the store, as another process would.
async fn outside_connection(url: &str) -> AnyConnection {
    theodoi_store::install_drivers();
    AnyConnection::connect(url)
        .await
        .expect("connect outside the store")
}

async fn run(connection: &mut AnyConnection, statement: &str) -> Result<(), sqlx::Error> {
    sqlx::query(sqlx::AssertSqlSafe(statement.to_owned()))
        .execute(connection)
        .await
        .map(drop)
}

/// Runs a statement that must fail and returns its error.
async fn failure(connection: &mut AnyConnection, statement: &str) -> sqlx::Error {
    run(connection, statement)
        .await
        .expect_err(&format!("{statement} fails"))
}

async fn real_errors_classified(backend: Backend) {
    let world = World::new(backend).await;
    let mut first = outside_connection(world.database_url()).await;
    match backend {
        Backend::Postgres => {
            for (name, expected) in [
                ("serialization_failure", Some(Contention::Serialization)),
                ("deadlock_detected", Some(Contention::Deadlock)),
                ("unique_violation", None),
                ("query_canceled", None),
            ] {
                let statement =
                    format!("DO $$ BEGIN RAISE EXCEPTION 'test' USING ERRCODE = '{name}'; END $$");
                let error = failure(&mut first, &statement).await;
                assert_eq!(classify(&error), expected, "{name}");
            }
        }
        Backend::Sqlite => {
            let mut second = outside_connection(world.database_url()).await;
            run(&mut first, "BEGIN IMMEDIATE")
                .await
                .expect("take the write lock");
            run(&mut second, "PRAGMA busy_timeout = 0")
                .await
                .expect("no busy wait");
            let busy = failure(&mut second, "BEGIN IMMEDIATE").await;
            assert_eq!(classify(&busy), Some(Contention::Busy), "{busy}");
            run(&mut first, "ROLLBACK").await.expect("release");
        }
    }
    let missing_table = failure(&mut first, "SELECT * FROM no_such_table").await;
    assert_eq!(classify(&missing_table), None, "{missing_table}");
}

/// Creates a draft task of a new document at 09:00 on 2 March 2026.
async fn draft(world: &World) -> Task {
    let document = world
        .resolution("71-NQ/TW", "Nghị quyết về thử tranh chấp", date(2026, 3, 2))
        .await;
    let input = task_input(
        "Nội dung ban đầu",
        world.org("TU-HNI"),
        Some(date(2026, 6, 30)),
    );
    world
        .create_task(&document, &input, local(2026, 3, 2, 9, 0))
        .await
}

fn edit(content: &str) -> TaskCommand {
    TaskCommand::Edit(TaskEditInput {
        content: Some(content.to_owned()),
        ..Default::default()
    })
}

/// Runs an edit of `id` on `store` at `expected_version`, counting the calls of the decision.
async fn run_edit(
    world: &World,
    store: &Store,
    id: TaskId,
    expected_version: Option<u32>,
    content: &str,
    calls: &AtomicUsize,
) -> Result<u32, StoreError> {
    let at = local(2026, 3, 2, 10, 0);
    store
        .execute(id, expected_version, |task, parent| {
            calls.fetch_add(1, Ordering::SeqCst);
            task.handle(
                edit(content),
                None,
                &world.context(&world.office, at, parent),
            )
        })
        .await
        .map(|committed| committed.task.version)
}

/// Waits until `count` sessions of the database wait for a row lock.
async fn await_lock_waiters(observer: &mut AnyConnection, count: i64) {
    for _ in 0..2_000 {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .fetch_one(&mut *observer)
        .await
        .expect("read pg_stat_activity");
        if waiting >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("no {count} sessions waited for a lock within 10 s");
}

/// Opens a second store on the database whose SQLite statements wait only 50 ms for a lock.
async fn impatient_store(url: &str) -> Store {
    let options = OpenOptions {
        sqlite_busy_timeout: Duration::from_millis(50),
    };
    Store::open_with(url, options)
        .await
        .expect("open with a short busy timeout")
}

/// SQLite: another connection holds the write lock longer than the store's busy timeout, so
/// the first attempt fails with SQLITE_BUSY and a later one succeeds.
async fn busy_sqlite_retried(world: &World, task: &Task) -> usize {
    let impatient = impatient_store(world.database_url()).await;
    let mut holder = outside_connection(world.database_url()).await;
    run(&mut holder, "BEGIN IMMEDIATE")
        .await
        .expect("take the write lock");
    let calls = AtomicUsize::new(0);
    let command = run_edit(
        world,
        &impatient,
        task.id,
        Some(task.version),
        "Sửa sau khi chờ khoá",
        &calls,
    );
    let release = async {
        // Longer than the busy timeout and shorter than the attempts with their backoff.
        tokio::time::sleep(Duration::from_millis(150)).await;
        run(&mut holder, "ROLLBACK")
            .await
            .expect("release the lock");
    };
    let (result, ()) = tokio::join!(command, release);
    let version = result.expect("the edit succeeds once the lock is free");
    assert_eq!(version, task.version + 1);
    impatient.close().await;
    calls.load(Ordering::SeqCst)
}

/// PostgreSQL: an outside transaction and the command lock the document and the task in
/// opposite orders. The database aborts the command with a deadlock, and the store runs it
/// again after the outside transaction ends.
async fn deadlock_postgres_retried(world: &World, task: &Task) -> usize {
    let mut holder = outside_connection(world.database_url()).await;
    let mut observer = outside_connection(world.database_url()).await;
    // The command's session detects the deadlock first (1 s by default), so the command is
    // the transaction that PostgreSQL aborts.
    run(&mut holder, "SET deadlock_timeout = '20s'")
        .await
        .expect("set the holder's deadlock timeout");
    run(&mut holder, "BEGIN").await.expect("begin");
    run(
        &mut holder,
        &format!(
            "SELECT id FROM documents WHERE id = {} FOR UPDATE",
            task.document_id.0
        ),
    )
    .await
    .expect("lock the document");
    let calls = AtomicUsize::new(0);
    let command = run_edit(
        world,
        &world.store,
        task.id,
        Some(task.version),
        "Sửa sau khoá chết",
        &calls,
    );
    let close_cycle = async {
        await_lock_waiters(&mut observer, 1).await;
        run(
            &mut holder,
            &format!("SELECT id FROM tasks WHERE id = {} FOR UPDATE", task.id.0),
        )
        .await
        .expect("the holder gets the task once the command is aborted");
        run(&mut holder, "ROLLBACK").await.expect("rollback");
    };
    let (result, ()) = tokio::join!(command, close_cycle);
    let version = result.expect("the edit succeeds after the deadlock");
    assert_eq!(version, task.version + 1);
    calls.load(Ordering::SeqCst)
}

async fn contention_retried(backend: Backend) {
    let world = World::new(backend).await;
    let task = draft(&world).await;
    let decisions = match backend {
        Backend::Sqlite => busy_sqlite_retried(&world, &task).await,
        Backend::Postgres => {
            let decisions = deadlock_postgres_retried(&world, &task).await;
            assert_eq!(
                decisions, 2,
                "the aborted attempt and the retry both decided"
            );
            decisions
        }
    };
    assert!(decisions >= 1);
    let history = world.history(task.id).await;
    assert_eq!(
        history.events.len(),
        usize::try_from(task.version).unwrap() + 1,
        "the retried edit is stored once"
    );
}

/// A second store keeps the task in a slow transaction that changes it. A command with the
/// version read before that change waits (PostgreSQL row lock) or fails busy and is retried
/// (SQLite), and in both cases ends in a version conflict, never in a success.
async fn stale_version_stays_conflict(backend: Backend) {
    let world = Arc::new(World::new(backend).await);
    let task = draft(&world).await;
    let impatient = impatient_store(world.database_url()).await;
    let started = Arc::new(tokio::sync::Notify::new());
    // Its own task on its own worker thread, because its decision blocks the thread.
    let slow = tokio::spawn({
        let started = started.clone();
        let world = world.clone();
        let other = Store::open(world.database_url())
            .await
            .expect("open a second store");
        let at = local(2026, 3, 2, 10, 0);
        async move {
            let committed = other
                .execute(task.id, None, |task, parent| {
                    started.notify_one();
                    // Keeps the transaction open, holding the write lock (SQLite) or the row
                    // lock (PostgreSQL), longer than the other store's busy timeout.
                    std::thread::sleep(Duration::from_millis(150));
                    task.handle(
                        edit("Sửa bởi phiên khác"),
                        None,
                        &world.context(&world.office, at, parent),
                    )
                })
                .await;
            other.close().await;
            committed
        }
    });
    started.notified().await;
    let calls = AtomicUsize::new(0);
    let stale = run_edit(
        &world,
        &impatient,
        task.id,
        Some(task.version),
        "Sửa theo phiên bản cũ",
        &calls,
    )
    .await;
    let committed = slow
        .await
        .expect("slow edit task")
        .expect("the slow edit commits");
    assert_eq!(committed.task.version, task.version + 1);
    match stale {
        Err(StoreError::VersionConflict { current }) => {
            assert_eq!(current, i64::from(task.version + 1));
        }
        other => panic!("expected a version conflict, got {other:?}"),
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        0,
        "the stale edit never decided"
    );
    let history = world.history(task.id).await;
    assert_eq!(history.task.content.as_deref(), Some("Sửa bởi phiên khác"));
    impatient.close().await;
}

on_both_backends!(
    real_errors_classified,
    contention_retried,
    stale_version_stays_conflict
);
