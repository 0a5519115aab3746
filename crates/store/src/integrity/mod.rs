//! The integrity check of a database: every task replayed from its events and compared with
//! the read tables, the event sequences, the version rule, references between tables, and
//! SQLite's own consistency check. It only reads, inside one snapshot, so it may run next to a
//! serving process.

mod counts;
mod records;
mod schema;
mod summaries;

use crate::Store;
use crate::db::Backend;
use crate::error::StoreResult;
use serde::Serialize;

/// One of the checks that [`Store::check_integrity`] runs, in the order it runs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IntegrityCheck {
    /// SQLite `PRAGMA integrity_check` (only on SQLite).
    SqliteIntegrity,
    /// Every foreign-key value has its referenced row.
    ForeignKeys,
    /// Every task's events are numbered 1, 2, 3, … without gaps, and so are every document's.
    EventSequences,
    /// A task's version equals the number of its events; a document's version equals the
    /// number of its `registered` and `corrected` events.
    Versions,
    /// Every task replayed from its events gives its stored row, coordinators and obligations,
    /// every parent's rolled-up progress matches its sub-tasks, every document's task
    /// counts match its tasks, and the obligation summaries and the bodies that see each task
    /// match a recount.
    ReadModel,
    /// The task counts kept for the dashboard equal a recount of the tasks.
    TaskCounts,
}

impl IntegrityCheck {
    /// Every check, in the order they run.
    pub const ALL: [IntegrityCheck; 6] = [
        IntegrityCheck::SqliteIntegrity,
        IntegrityCheck::ForeignKeys,
        IntegrityCheck::EventSequences,
        IntegrityCheck::Versions,
        IntegrityCheck::ReadModel,
        IntegrityCheck::TaskCounts,
    ];

    pub fn name(self) -> &'static str {
        match self {
            IntegrityCheck::SqliteIntegrity => "sqlite_integrity",
            IntegrityCheck::ForeignKeys => "foreign_keys",
            IntegrityCheck::EventSequences => "event_sequences",
            IntegrityCheck::Versions => "versions",
            IntegrityCheck::ReadModel => "read_model",
            IntegrityCheck::TaskCounts => "task_counts",
        }
    }
}

/// Something wrong that the check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// A line of SQLite's `PRAGMA integrity_check` other than `ok`.
    SqliteIntegrity { message: String },
    /// Rows of `table` whose `column` names a row of `parent` that does not exist.
    ForeignKey {
        table: String,
        column: String,
        parent: String,
        rows: i64,
    },
    /// A task row without any event.
    TaskWithoutEvents { task: i64 },
    /// The events of a task jump from one number to a later one, or do not start at 1.
    TaskEventGap {
        task: i64,
        expected: i64,
        found: i64,
    },
    /// The events of a document jump from one number to a later one, or do not start at 1.
    DocumentEventGap {
        document: i64,
        expected: i64,
        found: i64,
    },
    /// A task's stored version differs from the number of its events.
    TaskVersion {
        task: i64,
        version: i64,
        events: i64,
    },
    /// A document's stored version differs from the number of its registration and
    /// corrections.
    DocumentVersion {
        document: i64,
        version: i64,
        revisions: i64,
    },
    /// A task's events could not be decoded or replayed.
    TaskReplay { task: i64, error: String },
    /// Columns of a task's row that differ from the replay of its events.
    TaskRow { task: i64, columns: Vec<String> },
    /// A task's coordinating bodies or obligations differ from the replay of its events.
    TaskTable { task: i64, table: String },
    /// Columns of a document's row that differ from its tasks.
    DocumentCounts { document: i64, columns: Vec<String> },
    /// Rows of a table of obligation counts that differ from a recount of `obligations`:
    /// missing, extra or with another count.
    SummaryCounts { table: String, rows: i64 },
    /// Rows of `task_viewers` missing or extra against the bodies of the tasks.
    ViewerRows { rows: i64 },
    /// A row of a task count table whose count differs from a recount of the tasks. `key`
    /// lists the key columns' values joined with `/`.
    TaskCounts {
        table: String,
        key: String,
        stored: i64,
        recounted: i64,
    },
}

/// The result of an integrity check: the checks run, the records read and the findings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IntegrityReport {
    pub checks: Vec<IntegrityCheck>,
    pub documents: u64,
    pub tasks: u64,
    pub events: u64,
    /// Classified tasks whose replay was skipped because no secure-zone key was given.
    pub sealed_unchecked: u64,
    pub findings: Vec<Finding>,
}

impl IntegrityReport {
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }
}

/// The connection every check reads through: the snapshot transaction.
pub(super) type Conn = sqlx::AnyConnection;

impl Store {
    /// Runs every check of [`IntegrityCheck::ALL`] that applies to the backend, in one
    /// read-only snapshot, and returns what it found. Fails only when the database cannot be
    /// read.
    pub async fn check_integrity(&self) -> StoreResult<IntegrityReport> {
        let mut tx = match self.db.backend {
            // The first read starts a snapshot that the transaction keeps (WAL mode).
            Backend::Sqlite => self.db.pool.begin().await?,
            Backend::Postgres => {
                self.db
                    .pool
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?
            }
        };
        let mut report = IntegrityReport::default();
        if self.db.backend == Backend::Sqlite {
            report.checks.push(IntegrityCheck::SqliteIntegrity);
            schema::sqlite_integrity(&mut tx, &mut report).await?;
        }
        report.checks.push(IntegrityCheck::ForeignKeys);
        match self.db.backend {
            Backend::Sqlite => schema::sqlite_foreign_keys(&mut tx, &mut report).await?,
            Backend::Postgres => schema::postgres_foreign_keys(&mut tx, &mut report).await?,
        }
        report.checks.extend([
            IntegrityCheck::EventSequences,
            IntegrityCheck::Versions,
            IntegrityCheck::ReadModel,
            IntegrityCheck::TaskCounts,
        ]);
        records::check_documents(&mut tx, &mut report).await?;
        records::check_tasks(&mut tx, &self.db.secure, &mut report).await?;
        summaries::check_summaries(&mut tx, &mut report).await?;
        counts::check_task_counts(&mut tx, &mut report).await?;
        tx.rollback().await?;
        Ok(report)
    }
}
