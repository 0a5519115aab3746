//! Connecting to SQLite or PostgreSQL, migrations, and write transactions.
//!
//! Both backends go through sqlx's `Any` driver with one set of portable queries (`$1`
//! placeholders work on both). What differs between them lives in [`Backend`]: connection
//! settings, the statement that opens a write transaction, and the migration folder.

use crate::changes::Announcements;
use crate::error::{StoreError, StoreResult};
use crate::reuse::Reuse;
use crate::task_counts::mirror::TallyMirror;
use futures::future::BoxFuture;
use sqlx::AnyConnection;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::pool::PoolConnectionMetadata;
use sqlx::{AnyPool, ConnectOptions, Executor, Row, Transaction};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// The database product behind a [`Store`](crate::Store).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Picks the backend from a database URL.
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// The SQLite URL of the database file in `data_dir`.
pub fn sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join("theodoi.db").display())
}

/// A connected pool with its backend.
#[derive(Debug, Clone)]
pub(crate) struct Db {
    /// Connections for reads, and for writes that do not go through [`Db::begin_write`].
    pub pool: AnyPool,
    /// Connections of [`Db::begin_write`], apart from `pool` so that these writes do not wait
    /// for a connection behind slow reads. Dashboard and list requests can hold every
    /// connection of `pool` for seconds, while a write commits in milliseconds.
    writer: AnyPool,
    /// Connections of the counts that read every task a national reader sees (see
    /// [`Db::counting`]). On SQLite a small pool of their own, so that these counts, which
    /// take up to seconds at a million tasks, never hold every reading connection while the
    /// pages of the bodies wait. On PostgreSQL the reading pool.
    counting: AnyPool,
    pub backend: Backend,
    /// SQLite allows one writer at a time; writers of this process queue here instead of
    /// spinning on SQLITE_BUSY. `BEGIN IMMEDIATE` and the busy timeout cover other processes.
    write_gate: Option<Arc<tokio::sync::Mutex<()>>>,
    /// A random id of this process's connection to the database, sent with change notices so
    /// that the process can recognise its own.
    pub origin: Arc<str>,
    /// The secure-zone key, when configured.
    pub secure: crate::secure::Zone,
    /// Whether task commands write e-mail notifications to the outbox; off unless the server
    /// sends e-mail, so that an installation without SMTP does not pile up messages.
    pub mail_outbox: bool,
    /// Bodies whose list pages check each task's viewers.
    pub(crate) wide_bodies: Arc<crate::wide_bodies::WideBodies>,
    /// The national tally in memory, kept current by this process's writers (SQLite only).
    pub(crate) tally_mirror: Arc<TallyMirror>,
    /// Tally cells, reused until a task changes (SQLite only).
    pub(crate) tally_cache: Arc<Reuse<crate::task_counts::read::Cells>>,
    /// Counts by result state read by scanning the tasks, reused until a task or document
    /// changes (SQLite only).
    pub(crate) count_cache: Arc<Reuse<crate::task_list::StateCounts>>,
}

/// A write transaction, holding the SQLite write gate while it lives.
pub(crate) struct WriteTx {
    pub tx: Transaction<'static, sqlx::Any>,
    backend: Backend,
    origin: Arc<str>,
    pub mail_outbox: bool,
    /// Sent to other processes inside the transaction, at commit.
    announcements: Announcements,
    /// Audit entries of the rows inserted in this transaction, numbered at commit.
    pub(crate) audit_entries: Vec<crate::audit::PendingEntry>,
    /// Changes to the task count tables, added to them at commit.
    pub(crate) task_counts: crate::task_counts::CountChanges,
    /// The secure-zone key, for sealing and opening classified values in this transaction.
    pub zone: crate::secure::Zone,
    /// On SQLite, the national tally in memory and the highest task event id when the
    /// transaction began.
    mirror: Option<(Arc<TallyMirror>, i64)>,
    _gate: Option<tokio::sync::OwnedMutexGuard<()>>,
}

/// A table whose rows writers lock before reading what they will rewrite.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Locked {
    Task,
    Document,
}

impl std::ops::Deref for WriteTx {
    type Target = Transaction<'static, sqlx::Any>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

impl WriteTx {
    /// Commits, announcing the recorded changes to other processes on PostgreSQL. The
    /// notifications are queued inside the transaction, so PostgreSQL delivers them once the
    /// commit succeeds and discards them if it fails.
    // NOTE: PostgreSQL serialises the commits of all transactions that sent a notification,
    // cluster-wide, with a lock held until each commit ends (`PreCommit_Notify` in
    // src/backend/commands/async.c), so commit latency bounds write throughput on PostgreSQL.
    pub async fn commit(mut self) -> StoreResult<()> {
        crate::task_counts::flush(&mut self.tx, &self.task_counts).await?;
        crate::audit::flush(&mut self.tx, self.backend, &self.audit_entries).await?;
        if self.backend == Backend::Postgres {
            for payload in self.announcements.payloads(&self.origin) {
                // pg_notify returns void, which the Any driver cannot decode, so the query
                // selects a constant instead.
                sqlx::query("SELECT 1 AS sent FROM pg_notify($1, $2)")
                    .bind(crate::changes::CHANNEL)
                    .bind(payload)
                    .execute(&mut *self.tx)
                    .await?;
            }
        }
        let follower = match &self.mirror {
            Some((mirror, from_event)) => {
                let to_event = last_event(&mut self.tx).await?;
                let moves = to_event != *from_event || self.task_counts.changes_tally();
                moves
                    .then(|| mirror.prepare(*from_event, to_event))
                    .flatten()
            }
            None => None,
        };
        let committed = self.tx.commit().await;
        if let Some(follower) = follower {
            let changes = committed.is_ok().then(|| self.task_counts.mirrored());
            follower.finish(changes);
        }
        committed?;
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Records appended task events, to be announced at commit.
    pub fn announce_events(&mut self, ids: impl IntoIterator<Item = i64>) {
        self.announcements.events(ids);
    }

    /// Records a change of organisations, catalogues or the calendar, to be announced at
    /// commit.
    pub fn announce_reference(&mut self) {
        self.announcements.reference();
    }

    /// Records a change of an account's rights or the end of a session, to be announced at
    /// commit.
    pub fn announce_access(&mut self) {
        self.announcements.access();
    }

    /// Locks one row until the transaction ends, so that concurrent writers of the same record
    /// take turns instead of each rewriting it from a state the other is changing. PostgreSQL
    /// runs transactions at READ COMMITTED and needs the lock. `NO KEY` lets inserts that only
    /// reference the row through a foreign key go on. On SQLite the write gate and
    /// `BEGIN IMMEDIATE` already admit one writer at a time, so this does nothing there.
    pub async fn lock(&mut self, table: Locked, id: i64) -> StoreResult<()> {
        let statement = match (self.backend, table) {
            (Backend::Sqlite, _) => return Ok(()),
            (Backend::Postgres, Locked::Task) => {
                "SELECT id FROM tasks WHERE id = $1 FOR NO KEY UPDATE"
            }
            (Backend::Postgres, Locked::Document) => {
                "SELECT id FROM documents WHERE id = $1 FOR NO KEY UPDATE"
            }
        };
        sqlx::query(statement)
            .bind(id)
            .fetch_optional(&mut *self.tx)
            .await?;
        Ok(())
    }
}

/// Connection settings that an installation or a test may change.
#[derive(Debug, Clone, Copy)]
pub struct OpenOptions {
    /// How long an SQLite statement waits for another connection's write lock before it fails
    /// with `SQLITE_BUSY`, which the store then retries a few times. Not used on PostgreSQL.
    pub sqlite_busy_timeout: Duration,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            sqlite_busy_timeout: Duration::from_secs(10),
        }
    }
}

impl WriteTx {
    /// Locks the rows of every task of a document, in id order, until the transaction ends.
    /// Task commands lock their task before the document, so a writer that changes a
    /// document and then its tasks takes the tasks first to keep the same order. Does nothing
    /// on SQLite, for the reason given at [`WriteTx::lock`].
    pub async fn lock_tasks_of(&mut self, document: i64) -> StoreResult<()> {
        if self.backend == Backend::Sqlite {
            return Ok(());
        }
        sqlx::query("SELECT id FROM tasks WHERE document_id = $1 ORDER BY id FOR NO KEY UPDATE")
            .bind(document)
            .fetch_all(&mut *self.tx)
            .await?;
        Ok(())
    }
}

fn sqlite_settings(
    busy_timeout: Duration,
) -> impl Fn(&mut AnyConnection, PoolConnectionMetadata) -> BoxFuture<'_, Result<(), sqlx::Error>>
+ Send
+ Sync
+ 'static {
    move |conn, _meta| {
        Box::pin(async move {
            // synchronous=FULL makes an acknowledged write survive a power cut, not only a crash.
            let pragmas = format!(
                "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                 PRAGMA busy_timeout = {}; PRAGMA temp_store = MEMORY;",
                busy_timeout.as_millis()
            );
            conn.execute(sqlx::AssertSqlSafe(pragmas)).await?;
            Ok(())
        })
    }
}

/// Reading connections of an SQLite pool. Each keeps its own page cache (up to 2 MiB, SQLite's
/// default `cache_size`) and worker thread, so eight of them stay within about 20 MiB.
const SQLITE_READERS: u32 = 8;
/// Connections of an SQLite pool for the national counts: one per core of the machines this
/// runs on, since each such count keeps a core busy.
const SQLITE_COUNTERS: u32 = 2;
/// Reading and writing connections of a PostgreSQL pool: 16 per process in all, the pool size
/// before the two were split. Several server processes share one PostgreSQL server, whose
/// default `max_connections` is 100.
const POSTGRES_READERS: u32 = 12;
const POSTGRES_WRITERS: u32 = 4;

/// Tally readings kept for one state of the count tables: a few clearances times the filters
/// of the list page's counts.
const TALLY_READINGS: usize = 32;
/// Scanned counts kept for one state of the tasks and documents: the filters leaders open,
/// times a few scopes.
const COUNT_READINGS: usize = 64;

/// How long a request waits for a free connection before it fails.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

fn sqlite_pool(options: OpenOptions, size: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(size)
        .min_connections(1)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        // A connection to a local file does not go stale between uses the way a network
        // connection can, so the ping before each use is a round trip to the connection's
        // worker thread that finds nothing.
        .test_before_acquire(false)
        .after_connect(sqlite_settings(options.sqlite_busy_timeout))
}

fn postgres_pool(size: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(ACQUIRE_TIMEOUT)
}

/// The migrations of each backend, compiled into the binary. Both folders use the same version
/// numbers, so that a database of either backend can be compared with the other by version.
static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

pub(crate) fn migrator(backend: Backend) -> &'static Migrator {
    match backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    }
}

fn unsupported_scheme(url: &str) -> StoreError {
    StoreError::Config(format!(
        "unsupported database URL scheme in {}; use sqlite://PATH or postgres://…",
        redact(url)
    ))
}

/// Returns the file path of an SQLite URL, without options.
pub(crate) fn sqlite_path(url: &str) -> StoreResult<&str> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Err(StoreError::Config(format!(
            "the SQLite URL {url} names no file; use sqlite://PATH"
        )));
    }
    Ok(path)
}

/// Makes sure the folder of an SQLite file exists, and returns the URL with create mode.
fn prepare_sqlite(url: &str) -> StoreResult<String> {
    let path = sqlite_path(url)?;
    if let Some(parent) = PathBuf::from(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent).map_err(|error| {
            StoreError::Config(format!("cannot create {}: {error}", parent.display()))
        })?;
    }
    Ok(if url.contains('?') {
        url.to_owned()
    } else {
        format!("sqlite://{path}?mode=rwc")
    })
}

impl Db {
    pub async fn connect(url: &str, options: OpenOptions) -> StoreResult<Db> {
        crate::abandon::install_drivers();
        let backend = Backend::from_url(url).ok_or_else(|| unsupported_scheme(url))?;
        let (pool, writer, counting) = match backend {
            Backend::Sqlite => {
                let url = prepare_sqlite(url)?;
                // SQLite admits one writer at a time and the write gate queues this process's
                // writers, so one writing connection is all that can be busy.
                let readers = sqlite_pool(options, SQLITE_READERS).connect(&url).await?;
                let writer = sqlite_pool(options, 1).connect(&url).await?;
                let counting = sqlite_pool(options, SQLITE_COUNTERS).connect(&url).await?;
                (readers, writer, counting)
            }
            Backend::Postgres => {
                let readers = postgres_pool(POSTGRES_READERS).connect(url).await?;
                let writer = postgres_pool(POSTGRES_WRITERS).connect(url).await?;
                (readers.clone(), writer, readers)
            }
        };
        Ok(Db {
            pool,
            writer,
            counting,
            write_gate: (backend == Backend::Sqlite).then(|| Arc::new(tokio::sync::Mutex::new(()))),
            backend,
            origin: new_origin().into(),
            secure: crate::secure::Zone::default(),
            mail_outbox: false,
            wide_bodies: Arc::default(),
            tally_mirror: Arc::default(),
            tally_cache: Arc::new(Reuse::new(TALLY_READINGS)),
            count_cache: Arc::new(Reuse::new(COUNT_READINGS)),
        })
    }

    /// Connects to a database that must already exist, without changing its settings or
    /// schema: the source of a backup or a copy. An SQLite file keeps its journal mode, and a
    /// missing file is an error instead of a new empty database.
    pub async fn connect_existing(url: &str) -> StoreResult<Db> {
        crate::abandon::install_drivers();
        let backend = Backend::from_url(url).ok_or_else(|| unsupported_scheme(url))?;
        let url = match backend {
            Backend::Sqlite => {
                let path = sqlite_path(url)?;
                if !Path::new(path).is_file() {
                    return Err(StoreError::Config(format!(
                        "the SQLite file {path} does not exist"
                    )));
                }
                format!("sqlite://{path}?mode=rw")
            }
            Backend::Postgres => url.to_owned(),
        };
        // A copy streams each table through one long SELECT, which is no slow query to warn of.
        let options = AnyConnectOptions::from_str(&url)?
            .log_slow_statements(log::LevelFilter::Off, Duration::from_secs(1));
        let pool = AnyPoolOptions::new()
            .max_connections(2)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        Ok(Db {
            writer: pool.clone(),
            counting: pool.clone(),
            pool,
            write_gate: None,
            backend,
            origin: new_origin().into(),
            secure: crate::secure::Zone::default(),
            mail_outbox: false,
            wide_bodies: Arc::default(),
            tally_mirror: Arc::default(),
            tally_cache: Arc::new(Reuse::new(TALLY_READINGS)),
            count_cache: Arc::new(Reuse::new(COUNT_READINGS)),
        })
    }

    /// Returns the pool for a count within `scope`: the counting pool for a national reader,
    /// whose counts read every task, and the reading pool for the others.
    pub fn counting(&self, scope: &crate::Scope) -> &AnyPool {
        match scope.visibility {
            crate::Visibility::Everything => &self.counting,
            crate::Visibility::Within(_) => &self.pool,
        }
    }

    /// Closes the pools, waiting for the connections in use to come back.
    pub async fn close(&self) {
        self.pool.close().await;
        self.counting.close().await;
        self.writer.close().await;
    }

    pub async fn migrate(&self) -> StoreResult<()> {
        migrator(self.backend).run(&self.pool).await?;
        Ok(())
    }

    /// Applies the migrations up to `version` only.
    pub async fn migrate_to(&self, version: i64) -> StoreResult<()> {
        migrator(self.backend).run_to(version, &self.pool).await?;
        Ok(())
    }

    /// Opens a write transaction. On SQLite it takes the write lock at once, so that two
    /// writers never both read and then fail to upgrade.
    pub async fn begin_write(&self) -> StoreResult<WriteTx> {
        let gate = match &self.write_gate {
            Some(gate) => Some(gate.clone().lock_owned().await),
            None => None,
        };
        let mut tx = match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.writer.begin().await?,
        };
        let mirror = match self.backend {
            Backend::Sqlite => Some((self.tally_mirror.clone(), last_event(&mut tx).await?)),
            Backend::Postgres => None,
        };
        Ok(WriteTx {
            mirror,
            tx,
            backend: self.backend,
            origin: self.origin.clone(),
            mail_outbox: self.mail_outbox,
            announcements: Announcements::default(),
            audit_entries: Vec::new(),
            task_counts: Default::default(),
            zone: self.secure.clone(),
            _gate: gate,
        })
    }
}

/// Reads the highest task event id, which names the state of the count tables on SQLite
/// together with their pivot date.
pub(crate) async fn last_event(tx: &mut Transaction<'static, sqlx::Any>) -> StoreResult<i64> {
    // A bare MAX(id) reads the last row of the rowid tree. Wrapped in another function,
    // SQLite would scan every event.
    let last: Option<i64> = sqlx::query("SELECT MAX(id) AS last FROM task_events")
        .fetch_one(&mut **tx)
        .await?
        .try_get("last")?;
    Ok(last.unwrap_or(0))
}

/// Returns a fresh origin id: 128 random bits in hex.
fn new_origin() -> String {
    use rand::RngExt;
    format!("{:032x}", rand::rng().random::<u128>())
}

/// A database URL with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((credentials, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_password_only() {
        assert_eq!(
            redact("postgres://theodoi:secret@127.0.0.1:5432/theodoi"),
            "postgres://theodoi:***@127.0.0.1:5432/theodoi"
        );
        assert_eq!(redact("postgres://127.0.0.1/x"), "postgres://127.0.0.1/x");
        assert_eq!(
            redact("sqlite://data/theodoi.db"),
            "sqlite://data/theodoi.db"
        );
    }

    #[test]
    fn backend_follows_scheme() {
        assert_eq!(Backend::from_url("sqlite://x.db"), Some(Backend::Sqlite));
        assert_eq!(
            Backend::from_url("postgresql://h/db"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::from_url("mysql://h/db"), None);
    }

    /// The workspace's cargo configuration compiles SQLite with the planner stability
    /// guarantee. Without it, every kept statement with a parameter compared by `=` is compiled
    /// again on each run.
    #[tokio::test]
    async fn sqlite_plans_ignore_bound_values() {
        let database = crate::testing::TestDatabase::create(Backend::Sqlite).await;
        let store = database.store().await;

        let found = sqlx::query(
            "SELECT 1 AS found FROM pragma_compile_options WHERE compile_options = 'ENABLE_QPSG'",
        )
        .fetch_optional(&store.db.pool)
        .await
        .expect("compile options");

        assert!(
            found.is_some(),
            "SQLite was built without SQLITE_ENABLE_QPSG"
        );
    }
}
