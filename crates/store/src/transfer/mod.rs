//! Backup, restore, and moving an installation between SQLite and PostgreSQL.
//!
//! A backup is an SQLite database file with theodoi's schema, so either backend writes and
//! reads it, `sqlite3` opens it, and `theodoi serve --database-url sqlite://FILE` could serve
//! it. The three operations share one copy: every table is read from one snapshot of the
//! source in primary-key order and inserted into the target in one transaction. Each table's
//! rows are hashed on the way (SHA-256 of a canonical encoding, see [`TableDigest`]), so that
//! copies on different backends can be compared.

mod copy;
mod schema;
mod target;
mod value;
mod version;

pub use target::Existing;

use crate::db::{Db, OpenOptions, redact, sqlite_path};
use crate::error::StoreError;
use std::path::{Path, PathBuf};
use version::SchemaState;

/// Errors of backup, restore and copies between databases.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    /// The target has rows and the caller did not ask to replace them.
    #[error("the target database already contains data: table {table} has {rows} rows")]
    TargetNotEmpty { table: String, rows: i64 },
    /// The backup file exists and the caller did not ask to overwrite it.
    #[error("the file {} already exists", .0.display())]
    FileExists(PathBuf),
    /// The backup file to restore does not exist.
    #[error("the backup file {} does not exist", .0.display())]
    FileMissing(PathBuf),
    /// The SQLite database file to read does not exist.
    #[error("the SQLite database file {} does not exist", .0.display())]
    DatabaseMissing(PathBuf),
    /// Source and target are the same database.
    #[error("the source and the target are the same database")]
    SameDatabase,
    /// The database has no migration record, so it was not made by theodoi.
    #[error("{database} is not a theodoi database: it has no _sqlx_migrations table")]
    NotTheodoi { database: String },
    /// The source's schema is older than this program's.
    #[error(
        "{database} has schema version {version}, older than this program's {expected}; run `theodoi migrate` on it first"
    )]
    SchemaOlder {
        database: String,
        version: i64,
        expected: i64,
    },
    /// A newer program made the database.
    #[error(
        "{database} has schema version {version}, which this program does not know; use the theodoi release that wrote it, or a newer one"
    )]
    SchemaNewer { database: String, version: i64 },
    /// The two databases have different tables or columns, or a column type the copy does not
    /// handle.
    #[error("the schemas differ: {0}")]
    Schema(String),
    /// The target rejected a row.
    #[error("inserting into {table} on {backend} failed: {source}")]
    Insert {
        table: String,
        backend: &'static str,
        source: sqlx::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl From<sqlx::Error> for TransferError {
    fn from(error: sqlx::Error) -> Self {
        TransferError::Store(StoreError::from(error))
    }
}

/// The rows of one table and their SHA-256, in hexadecimal.
///
/// The hash covers the column names sorted by name, then every row in primary-key order (text
/// keys by byte value), each value encoded as a tag byte and its big-endian bytes, with text
/// and blobs prefixed by their length. Equal tables hash alike on SQLite and PostgreSQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDigest {
    pub table: String,
    pub rows: u64,
    pub sha256: String,
}

/// One table on both sides of a copy. A side is `None` when it lacks the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableComparison {
    pub table: String,
    pub source: Option<TableDigest>,
    pub target: Option<TableDigest>,
}

impl TableComparison {
    pub fn matches(&self) -> bool {
        self.source.is_some() && self.source == self.target
    }
}

/// The tables of a source and a target, side by side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub tables: Vec<TableComparison>,
}

impl Comparison {
    /// Pairs the digests by table name, in the source's order, then tables only the target
    /// has.
    pub fn new(source: &[TableDigest], target: &[TableDigest]) -> Comparison {
        let find = |digests: &[TableDigest], table: &str| {
            digests.iter().find(|digest| digest.table == table).cloned()
        };
        let mut tables: Vec<TableComparison> = source
            .iter()
            .map(|digest| TableComparison {
                table: digest.table.clone(),
                source: Some(digest.clone()),
                target: find(target, &digest.table),
            })
            .collect();
        tables.extend(
            target
                .iter()
                .filter(|digest| find(source, &digest.table).is_none())
                .map(|digest| TableComparison {
                    table: digest.table.clone(),
                    source: None,
                    target: Some(digest.clone()),
                }),
        );
        Comparison { tables }
    }

    /// Returns whether every table has the same rows on both sides.
    pub fn matches(&self) -> bool {
        self.tables.iter().all(TableComparison::matches)
    }
}

/// A step of an operation, for the progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Backup,
    Restore,
    Copy,
    /// Reading the target again to hash it.
    Verify,
}

/// Receives the progress of a long operation. Calls come from the task running it.
pub trait Progress: Send + Sync {
    /// Starts a phase that will read `total_rows` rows.
    fn start(&self, phase: Phase, total_rows: u64);
    /// Moves the phase on to the table `name`.
    fn table(&self, name: &str);
    /// Counts `rows` more rows as read.
    fn advance(&self, rows: u64);
    /// Ends the phase.
    fn finish(&self);
}

/// A [`Progress`] that ignores every report.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: Phase, _: u64) {}
    fn table(&self, _: &str) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

/// Writes a backup of the database at `source_url` to `file`, from one snapshot, while other
/// processes may go on writing. The file appears only when the backup is complete: it is
/// written as `FILE.partial` and renamed. Returns the digest of each table.
///
/// # Errors
///
/// [`TransferError::FileExists`] when `file` exists and `overwrite` is false;
/// [`TransferError::SchemaNewer`] when a newer release made the source. A source that this
/// release has not migrated yet is backed up at its own schema version.
pub async fn backup(
    source_url: &str,
    file: &Path,
    overwrite: bool,
    progress: &dyn Progress,
) -> Result<Vec<TableDigest>, TransferError> {
    if file.exists() && !overwrite {
        return Err(TransferError::FileExists(file.to_owned()));
    }
    let target_url = file_url(file);
    if same_sqlite_file(source_url, &target_url) {
        return Err(TransferError::SameDatabase);
    }
    let source = connect_source(source_url).await?;
    let database = redact(source_url);
    // A database that this release has not migrated yet is backed up with its own schema, so
    // that an upgrade can start with a backup taken by the new release.
    let version = match version::schema_state(&source).await? {
        SchemaState::Current => version::latest_version(&source),
        SchemaState::Older { version } => version,
        SchemaState::Newer { version } => {
            return Err(TransferError::SchemaNewer { database, version });
        }
        SchemaState::Missing => return Err(TransferError::NotTheodoi { database }),
    };

    let partial = PathBuf::from(format!("{}.partial", file.display()));
    remove_sqlite_file(&partial)?;
    let result = write_backup(&source, &partial, version, progress).await;
    source.close().await;
    match result {
        Ok(digests) => {
            std::fs::rename(&partial, file).map_err(|source| TransferError::Io {
                path: file.to_owned(),
                source,
            })?;
            Ok(digests)
        }
        Err(error) => {
            // The copy's error matters more than a failed cleanup, so the cleanup's is dropped.
            let _ = remove_sqlite_file(&partial);
            Err(error)
        }
    }
}

async fn write_backup(
    source: &Db,
    partial: &Path,
    version: i64,
    progress: &dyn Progress,
) -> Result<Vec<TableDigest>, TransferError> {
    create_private_file(partial)?;
    let url = file_url(partial);
    let target = Db::connect(&url, OpenOptions::default()).await?;
    target.migrate_to(version).await?;
    let digests = copy::copy(source, &target, Existing::Reject, Phase::Backup, progress).await;
    target.close().await;
    let digests = digests?;
    // A file in rollback-journal mode is complete on its own: no -wal or -shm file to carry
    // along, and it opens on read-only media.
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&format!(
        "sqlite://{}?mode=rw",
        partial.display()
    ))
    .await?;
    sqlx::query("PRAGMA journal_mode = DELETE")
        .execute(&mut conn)
        .await?;
    sqlx::Connection::close(conn).await?;
    Ok(digests)
}

/// Restores the backup `file` into the database at `target_url`, which is created (SQLite)
/// and migrated first. A backup of an older schema is upgraded on a temporary copy in the
/// system's temporary folder (`TMPDIR`) before its rows are copied. Returns the digest of each
/// table as read from the backup.
///
/// # Errors
///
/// [`TransferError::TargetNotEmpty`] when the target has rows and `existing` is
/// [`Existing::Reject`]; [`TransferError::SchemaNewer`] for a backup of a newer program.
pub async fn restore(
    file: &Path,
    target_url: &str,
    existing: Existing,
    progress: &dyn Progress,
) -> Result<Vec<TableDigest>, TransferError> {
    if !file.is_file() {
        return Err(TransferError::FileMissing(file.to_owned()));
    }
    let source_url = file_url(file);
    if same_sqlite_file(&source_url, target_url) {
        return Err(TransferError::SameDatabase);
    }
    let database = file.display().to_string();
    let mut source = Db::connect_existing(&source_url).await?;
    let mut _upgrade_dir = None;
    match version::schema_state(&source).await? {
        SchemaState::Current => {}
        SchemaState::Older { version } => {
            tracing::info!(backup = %database, version, "upgrading the backup's schema on a temporary copy");
            let dir = tempfile::tempdir().map_err(|source| TransferError::Io {
                path: std::env::temp_dir(),
                source,
            })?;
            source = upgraded_copy(source, &dir.path().join("upgrade.db")).await?;
            _upgrade_dir = Some(dir);
        }
        SchemaState::Newer { version } => {
            return Err(TransferError::SchemaNewer { database, version });
        }
        SchemaState::Missing => return Err(TransferError::NotTheodoi { database }),
    }

    let target = Db::connect(target_url, OpenOptions::default()).await?;
    let result = async {
        target.migrate().await?;
        copy::copy(&source, &target, existing, Phase::Restore, progress).await
    }
    .await;
    source.close().await;
    target.close().await;
    result
}

/// Copies an SQLite database with `VACUUM INTO`, which also takes the rows still in its WAL
/// file, and migrates the copy to this program's schema.
async fn upgraded_copy(source: Db, copy: &Path) -> Result<Db, TransferError> {
    sqlx::query("VACUUM INTO $1")
        .bind(copy.display().to_string())
        .execute(&source.pool)
        .await?;
    source.close().await;
    let upgraded = Db::connect(&file_url(copy), OpenOptions::default()).await?;
    upgraded.migrate().await?;
    Ok(upgraded)
}

/// Copies every row of the installation at `from_url` into the database at `to_url` (created
/// and migrated first), then reads the target again and compares row counts and hashes table
/// by table. The source must have this program's schema and should have no server running.
///
/// # Errors
///
/// [`TransferError::TargetNotEmpty`] when the target has rows and `existing` is
/// [`Existing::Reject`], the schema errors for a source of another schema version. A copy
/// whose tables differ is not an error, and [`Comparison::matches`] returns false for it.
pub async fn migrate_data(
    from_url: &str,
    to_url: &str,
    existing: Existing,
    progress: &dyn Progress,
) -> Result<Comparison, TransferError> {
    if from_url == to_url || same_sqlite_file(from_url, to_url) {
        return Err(TransferError::SameDatabase);
    }
    let source = connect_source(from_url).await?;
    version::require_current(&source, &redact(from_url)).await?;
    let target = Db::connect(to_url, OpenOptions::default()).await?;
    let result = async {
        target.migrate().await?;
        let copied = copy::copy(&source, &target, existing, Phase::Copy, progress).await?;
        let stored = copy::digest(&target, Phase::Verify, progress).await?;
        Ok(Comparison::new(&copied, &stored))
    }
    .await;
    source.close().await;
    target.close().await;
    result
}

/// Hashes every table of the database at `url` from one snapshot, without changing it.
pub async fn digest(url: &str, progress: &dyn Progress) -> Result<Vec<TableDigest>, TransferError> {
    let db = connect_source(url).await?;
    let result = copy::digest(&db, Phase::Verify, progress).await;
    db.close().await;
    result
}

/// Connects to the database to read from, which must exist.
async fn connect_source(url: &str) -> Result<Db, TransferError> {
    if crate::Backend::from_url(url) == Some(crate::Backend::Sqlite) {
        let path = Path::new(sqlite_path(url)?);
        if !path.is_file() {
            return Err(TransferError::DatabaseMissing(path.to_owned()));
        }
    }
    Ok(Db::connect_existing(url).await?)
}

/// Returns the SQLite URL of a file, as the copy opens it.
fn file_url(file: &Path) -> String {
    format!("sqlite://{}", file.display())
}

/// Returns whether two URLs name the same existing SQLite file.
fn same_sqlite_file(a: &str, b: &str) -> bool {
    let canonical = |url: &str| {
        crate::Backend::from_url(url)
            .filter(|backend| *backend == crate::Backend::Sqlite)
            .and_then(|_| sqlite_path(url).ok())
            .and_then(|path| std::fs::canonicalize(path).ok())
    };
    matches!((canonical(a), canonical(b)), (Some(a), Some(b)) if a == b)
}

/// Creates an empty file that only its owner may read, because a backup contains password
/// hashes, sessions and attached files. SQLite accepts an empty file as an empty database and
/// gives its journal files the same permissions.
fn create_private_file(path: &Path) -> Result<(), TransferError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(|source| TransferError::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(())
}

/// Removes an SQLite file and its WAL companions, when they exist.
fn remove_sqlite_file(path: &Path) -> Result<(), TransferError> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let file = PathBuf::from(format!("{}{suffix}", path.display()));
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(TransferError::Io { path: file, source }),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(table: &str, rows: u64, sha256: &str) -> TableDigest {
        TableDigest {
            table: table.to_owned(),
            rows,
            sha256: sha256.to_owned(),
        }
    }

    #[test]
    fn comparison_matches_equal_tables() {
        let tables = [digest("users", 2, "aa"), digest("tasks", 5, "bb")];
        let comparison = Comparison::new(&tables, &tables);
        assert!(comparison.matches());
        assert_eq!(comparison.tables.len(), 2);
    }

    #[test]
    fn comparison_flags_each_difference() {
        let source = [digest("users", 2, "aa"), digest("tasks", 5, "bb")];
        for target in [
            vec![digest("users", 2, "aa"), digest("tasks", 5, "cc")],
            vec![digest("users", 2, "aa"), digest("tasks", 4, "bb")],
            vec![digest("users", 2, "aa")],
        ] {
            let comparison = Comparison::new(&source, &target);
            assert!(!comparison.matches(), "{target:?}");
            assert!(comparison.tables[0].matches());
            assert!(!comparison.tables[1].matches());
        }
    }

    #[test]
    fn comparison_lists_tables_only_in_target() {
        let source = [digest("users", 2, "aa")];
        let target = [digest("users", 2, "aa"), digest("extra", 0, "dd")];
        let comparison = Comparison::new(&source, &target);
        assert!(!comparison.matches());
        assert_eq!(comparison.tables[1].table, "extra");
        assert_eq!(comparison.tables[1].source, None);
    }
}
