//! A statement whose caller stops waiting gives its connection back at once, on both backends.
//! The server drops a request's future at the request's deadline. The statement must stop then,
//! because otherwise it holds a pool connection until it has run to its end.

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Row};
use std::time::Duration;
use theodoi_store::testing::TestDatabase;
use theodoi_store::{Backend, on_both_backends};

/// How long the caller waits for the slow statement before giving up on it.
const PATIENCE: Duration = Duration::from_millis(300);

/// How long the next statement may take. The slow statement runs for many minutes, so a
/// connection that waits for it to end misses this by far.
const NEXT_STATEMENT_LIMIT: Duration = Duration::from_secs(60);

/// Returns a statement that runs for many minutes: a recursive count to ten billion on SQLite,
/// a ten-minute sleep on PostgreSQL.
fn slow_statement(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "WITH RECURSIVE counter(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM counter \
             WHERE x < 10000000000) SELECT COUNT(*) AS n FROM counter"
        }
        // pg_sleep returns void, which the Any driver cannot decode.
        Backend::Postgres => "SELECT 1 AS n FROM pg_sleep(600)",
    }
}

/// Opens a pool of one connection, connected before it is returned, so that every statement
/// of the test needs the same connection slot.
async fn one_connection_pool(url: &str) -> AnyPool {
    theodoi_store::install_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .expect("connect");
    select_one(&pool).await.expect("first statement");
    pool
}

async fn select_one(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT CAST(1 AS BIGINT) AS one")
        .fetch_one(pool)
        .await?
        .try_get("one")
}

/// Counts the statements of the slow kind still running in the test's PostgreSQL database.
async fn sleeping_statements(pool: &AnyPool) -> i64 {
    sqlx::query(
        "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
         AND state = 'active' AND query LIKE '%pg_sleep(600)%' AND pid <> pg_backend_pid()",
    )
    .fetch_one(pool)
    .await
    .expect("read pg_stat_activity")
    .try_get("n")
    .expect("count")
}

async fn abandoned_statement_frees_connection(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    // Opening the store creates and migrates the database.
    database.store_without_key().await.close().await;
    let pool = one_connection_pool(&database.url).await;

    let slow = tokio::time::timeout(
        PATIENCE,
        sqlx::query(slow_statement(backend)).fetch_one(&pool),
    )
    .await;
    assert!(
        slow.is_err(),
        "the slow statement ended within {PATIENCE:?}"
    );

    let next = tokio::time::timeout(NEXT_STATEMENT_LIMIT, select_one(&pool))
        .await
        .expect("the connection is back in the pool")
        .expect("the next statement succeeds");
    assert_eq!(next, 1);

    if backend == Backend::Postgres {
        // The server notices the closed connection at its next client check, once a second.
        let deadline = tokio::time::Instant::now() + NEXT_STATEMENT_LIMIT;
        while sleeping_statements(&pool).await > 0 {
            assert!(
                tokio::time::Instant::now() < deadline,
                "the abandoned statement still runs on the server"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    pool.close().await;
}

async fn finished_statements_keep_connection(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    database.store_without_key().await.close().await;
    let pool = one_connection_pool(&database.url).await;
    let first: i64 = sqlx::query("SELECT CAST(1 AS BIGINT) AS one")
        .fetch_one(&pool)
        .await
        .expect("first")
        .try_get("one")
        .expect("decode");

    // A transaction over several statements runs to its commit on the same connection.
    let mut tx = pool.begin().await.expect("begin");
    sqlx::query("CREATE TABLE numbers (n BIGINT NOT NULL)")
        .execute(&mut *tx)
        .await
        .expect("create");
    for n in 1..=3_i64 {
        sqlx::query("INSERT INTO numbers (n) VALUES ($1)")
            .bind(n)
            .execute(&mut *tx)
            .await
            .expect("insert");
    }
    tx.commit().await.expect("commit");
    let total: i64 = sqlx::query("SELECT CAST(SUM(n) AS BIGINT) AS total FROM numbers")
        .fetch_one(&pool)
        .await
        .expect("sum")
        .try_get("total")
        .expect("decode");

    assert_eq!(first, 1);
    assert_eq!(total, 6);
    pool.close().await;
}

on_both_backends!(
    abandoned_statement_frees_connection,
    finished_statements_keep_connection
);
