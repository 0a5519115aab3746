//! Backend differences: the connection type, and the way each stops an abandoned statement.

use futures::future::BoxFuture;
use sqlx::any::AnyConnectOptions;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Error};
use sqlx_core::any::AnyConnectionBackend;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Virtual machine instructions between two calls of SQLite's progress handler. A call is one
/// atomic load, and a thousand instructions take some microseconds (an estimate), so an
/// interrupt takes effect at once and the checks cost little.
pub(crate) const PROGRESS_STEPS: i32 = 1_000;

/// How often a PostgreSQL server checks, during a long statement, that the client is still
/// connected, and cancels the statement once it is not.
const CLIENT_CHECK_INTERVAL: &str = "1s";

/// The first PostgreSQL version with `client_connection_check_interval`.
const CLIENT_CHECK_SINCE: i64 = 140_000;

/// The action a connection takes on a statement that its caller abandoned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OnAbandon {
    /// Raise the interrupt flag, which the progress handler turns into `SQLITE_INTERRUPT`, and
    /// keep the connection once the statement has stopped.
    Interrupt,
    /// Close the connection when it is returned to the pool, which ends the statement on the
    /// server.
    Close,
}

/// A backend whose connections [`super::connection::GuardedConnection`] wraps.
pub(crate) trait Backing: Send + Sync + 'static {
    type Connection: AnyConnectionBackend;
    type Options: ConnectOptions<Connection = Self::Connection>
        + for<'a> TryFrom<&'a AnyConnectOptions, Error = Error>;

    const NAME: &'static str;
    const URL_SCHEMES: &'static [&'static str];
    const ON_ABANDON: OnAbandon;

    /// Sets up a new connection so that raising `interrupt` stops its running statement.
    fn prepare(
        connection: &mut Self::Connection,
        interrupt: Arc<AtomicBool>,
    ) -> BoxFuture<'_, Result<(), Error>>;
}

#[derive(Debug)]
pub(crate) struct SqliteBacking;

impl Backing for SqliteBacking {
    type Connection = SqliteConnection;
    type Options = SqliteConnectOptions;

    const NAME: &'static str = "SQLite";
    const URL_SCHEMES: &'static [&'static str] = &["sqlite"];
    const ON_ABANDON: OnAbandon = OnAbandon::Interrupt;

    fn prepare(
        connection: &mut SqliteConnection,
        interrupt: Arc<AtomicBool>,
    ) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async move {
            let mut handle = connection.lock_handle().await?;
            // Returning false makes SQLite stop the statement with SQLITE_INTERRUPT.
            handle.set_progress_handler(PROGRESS_STEPS, move || !interrupt.load(Ordering::Acquire));
            Ok(())
        })
    }
}

#[derive(Debug)]
pub(crate) struct PostgresBacking;

impl Backing for PostgresBacking {
    type Connection = PgConnection;
    type Options = PgConnectOptions;

    const NAME: &'static str = "PostgreSQL";
    const URL_SCHEMES: &'static [&'static str] = &["postgres", "postgresql"];
    const ON_ABANDON: OnAbandon = OnAbandon::Close;

    fn prepare(
        connection: &mut PgConnection,
        _interrupt: Arc<AtomicBool>,
    ) -> BoxFuture<'_, Result<(), Error>> {
        Box::pin(async move {
            let version: String = sqlx::query_scalar("SHOW server_version_num")
                .fetch_one(&mut *connection)
                .await?;
            // NOTE: an older server keeps running an abandoned statement after the pool has
            // closed its connection, until the statement ends or next writes to the client.
            if version.parse::<i64>().unwrap_or(0) >= CLIENT_CHECK_SINCE {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SET client_connection_check_interval = '{CLIENT_CHECK_INTERVAL}'"
                )))
                .execute(&mut *connection)
                .await?;
            }
            Ok(())
        })
    }
}
