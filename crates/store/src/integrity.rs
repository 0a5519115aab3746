//! The integrity check of a database: every task replayed from its events and compared with
//! the read tables, the event sequences, the version rule, references between tables, and
//! SQLite's own consistency check. It only reads, inside one snapshot, so it may run next to a
//! serving process.

use crate::db::Backend;
use crate::documents;
use crate::error::StoreResult;
use crate::read_model::{self, OBLIGATION_COLUMNS, ObligationRecord, TASK_COLUMNS, TaskRecord};
use crate::tasks::decode_event;
use crate::{Store, StoredEvent};
use serde::Serialize;
use sqlx::Row;
use std::collections::HashMap;
use theodoi_domain::document::Document;
use theodoi_domain::ids::{DocumentId, TaskId};
use theodoi_domain::task::Task;
use theodoi_domain::task::event::TaskEvent;

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
    /// every parent's rolled-up progress matches its sub-tasks, and every document's task
    /// counts match its tasks.
    ReadModel,
}

impl IntegrityCheck {
    /// Every check, in the order they run.
    pub const ALL: [IntegrityCheck; 5] = [
        IntegrityCheck::SqliteIntegrity,
        IntegrityCheck::ForeignKeys,
        IntegrityCheck::EventSequences,
        IntegrityCheck::Versions,
        IntegrityCheck::ReadModel,
    ];

    pub fn name(self) -> &'static str {
        match self {
            IntegrityCheck::SqliteIntegrity => "sqlite_integrity",
            IntegrityCheck::ForeignKeys => "foreign_keys",
            IntegrityCheck::EventSequences => "event_sequences",
            IntegrityCheck::Versions => "versions",
            IntegrityCheck::ReadModel => "read_model",
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
}

/// The result of an integrity check: the checks run, the records read and the findings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IntegrityReport {
    pub checks: Vec<IntegrityCheck>,
    pub documents: u64,
    pub tasks: u64,
    pub events: u64,
    pub findings: Vec<Finding>,
}

impl IntegrityReport {
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }
}

type Conn = sqlx::AnyConnection;

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
            sqlite_integrity(&mut tx, &mut report).await?;
        }
        report.checks.push(IntegrityCheck::ForeignKeys);
        match self.db.backend {
            Backend::Sqlite => sqlite_foreign_keys(&mut tx, &mut report).await?,
            Backend::Postgres => postgres_foreign_keys(&mut tx, &mut report).await?,
        }
        report.checks.extend([
            IntegrityCheck::EventSequences,
            IntegrityCheck::Versions,
            IntegrityCheck::ReadModel,
        ]);
        check_documents(&mut tx, &mut report).await?;
        check_tasks(&mut tx, &mut report).await?;
        tx.rollback().await?;
        Ok(report)
    }
}

async fn sqlite_integrity(conn: &mut Conn, report: &mut IntegrityReport) -> StoreResult<()> {
    let rows = sqlx::query("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await?;
    for row in rows {
        let message: String = row.try_get(0)?;
        if message != "ok" {
            report.findings.push(Finding::SqliteIntegrity { message });
        }
    }
    Ok(())
}

async fn sqlite_foreign_keys(conn: &mut Conn, report: &mut IntegrityReport) -> StoreResult<()> {
    // Each row of foreign_key_check names the table and the constraint (fkid); the column
    // comes from the table's foreign-key list.
    let rows = sqlx::query(
        "SELECT c.\"table\" AS child, c.parent AS parent, l.\"from\" AS col, COUNT(*) AS n \
         FROM pragma_foreign_key_check() c \
         LEFT JOIN pragma_foreign_key_list(c.\"table\") l ON l.id = c.fkid \
         GROUP BY c.\"table\", c.parent, l.\"from\" ORDER BY 1, 3",
    )
    .fetch_all(&mut *conn)
    .await?;
    for row in rows {
        report.findings.push(Finding::ForeignKey {
            table: row.try_get("child")?,
            column: row.try_get::<Option<String>, _>("col")?.unwrap_or_default(),
            parent: row.try_get("parent")?,
            rows: row.try_get("n")?,
        });
    }
    Ok(())
}

async fn postgres_foreign_keys(conn: &mut Conn, report: &mut IntegrityReport) -> StoreResult<()> {
    // PostgreSQL enforces the constraints, but a restore with triggers disabled or a manual
    // repair can bypass them, so every single-column foreign key is checked by a query.
    let constraints = sqlx::query(
        "SELECT child.relname::text AS child, a.attname::text AS col, \
                parent.relname::text AS parent, pa.attname::text AS parent_col \
         FROM pg_constraint c \
         JOIN pg_class child ON child.oid = c.conrelid \
         JOIN pg_class parent ON parent.oid = c.confrelid \
         JOIN pg_namespace n ON n.oid = child.relnamespace \
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] \
         JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1] \
         WHERE c.contype = 'f' AND n.nspname = current_schema() \
           AND array_length(c.conkey, 1) = 1 \
         ORDER BY 1, 2",
    )
    .fetch_all(&mut *conn)
    .await?;
    for constraint in constraints {
        let child: String = constraint.try_get("child")?;
        let column: String = constraint.try_get("col")?;
        let parent: String = constraint.try_get("parent")?;
        let parent_column: String = constraint.try_get("parent_col")?;
        let quote = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
        let sql = format!(
            "SELECT COUNT(*) AS n FROM {child_table} c WHERE c.{col} IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM {parent_table} p WHERE p.{parent_col} = c.{col})",
            child_table = quote(&child),
            col = quote(&column),
            parent_table = quote(&parent),
            parent_col = quote(&parent_column),
        );
        let orphans: i64 = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_one(&mut *conn)
            .await?
            .try_get("n")?;
        if orphans > 0 {
            report.findings.push(Finding::ForeignKey {
                table: child,
                column,
                parent,
                rows: orphans,
            });
        }
    }
    Ok(())
}

/// Returns the first number that breaks the sequence 1, 2, 3, … and the number found there.
fn first_gap(numbers: impl IntoIterator<Item = i64>) -> Option<(i64, i64)> {
    numbers
        .into_iter()
        .zip(1..)
        .find(|(found, expected)| found != expected)
        .map(|(found, expected)| (expected, found))
}

async fn check_documents(conn: &mut Conn, report: &mut IntegrityReport) -> StoreResult<()> {
    let documents = sqlx::query("SELECT id, version FROM documents ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    for row in documents {
        report.documents += 1;
        let id: i64 = row.try_get("id")?;
        let version: i64 = row.try_get("version")?;
        let events = sqlx::query(
            "SELECT seq, kind FROM document_events WHERE document_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let mut numbers = Vec::with_capacity(events.len());
        let mut revisions = 0;
        for event in &events {
            numbers.push(event.try_get::<i64, _>("seq")?);
            let kind: String = event.try_get("kind")?;
            if kind == "registered" || kind == "corrected" {
                revisions += 1;
            }
        }
        if let Some((expected, found)) = first_gap(numbers) {
            report.findings.push(Finding::DocumentEventGap {
                document: id,
                expected,
                found,
            });
        }
        if version != revisions {
            report.findings.push(Finding::DocumentVersion {
                document: id,
                version,
                revisions,
            });
        }

        let stored =
            sqlx::query("SELECT task_count, transferred_count FROM documents WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
        let counted = read_model::document_counts(&mut *conn, DocumentId(id)).await?;
        let mut columns = Vec::new();
        if stored.try_get::<i64, _>("task_count")? != counted.task_count {
            columns.push("task_count".to_owned());
        }
        if stored.try_get::<i64, _>("transferred_count")? != counted.transferred_count {
            columns.push("transferred_count".to_owned());
        }
        if !columns.is_empty() {
            report.findings.push(Finding::DocumentCounts {
                document: id,
                columns,
            });
        }
    }
    Ok(())
}

async fn check_tasks(conn: &mut Conn, report: &mut IntegrityReport) -> StoreResult<()> {
    let ids: Vec<i64> = sqlx::query("SELECT id FROM tasks ORDER BY id")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| row.try_get("id"))
        .collect::<Result<_, _>>()?;
    let mut documents: HashMap<i64, Document> = HashMap::new();
    for id in ids {
        report.tasks += 1;
        let findings = check_task(conn, TaskId(id), &mut documents, report).await?;
        report.findings.extend(findings);
    }
    Ok(())
}

/// Checks one task: its event numbers, its version and its read-model rows.
async fn check_task(
    conn: &mut Conn,
    id: TaskId,
    documents: &mut HashMap<i64, Document>,
    report: &mut IntegrityReport,
) -> StoreResult<Vec<Finding>> {
    let task = id.0;
    let mut findings = Vec::new();
    let stored = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {TASK_COLUMNS}, rollup_percent FROM tasks WHERE id = $1"
    )))
    .bind(task)
    .fetch_one(&mut *conn)
    .await?;
    let rows = sqlx::query(
        "SELECT id, task_id, seq, at, actor, body, reason, payload FROM task_events \
         WHERE task_id = $1 ORDER BY seq",
    )
    .bind(task)
    .fetch_all(&mut *conn)
    .await?;
    report.events += rows.len() as u64;
    if rows.is_empty() {
        findings.push(Finding::TaskWithoutEvents { task });
        return Ok(findings);
    }
    let numbers = rows
        .iter()
        .map(|row| row.try_get::<i64, _>("seq"))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some((expected, found)) = first_gap(numbers) {
        findings.push(Finding::TaskEventGap {
            task,
            expected,
            found,
        });
    }
    let version: i64 = stored.try_get("version")?;
    let event_count = i64::try_from(rows.len()).unwrap_or(i64::MAX);
    if version != event_count {
        findings.push(Finding::TaskVersion {
            task,
            version,
            events: event_count,
        });
    }

    let events: Vec<TaskEvent> = match rows
        .iter()
        .map(decode_event)
        .collect::<StoreResult<Vec<StoredEvent>>>()
    {
        Ok(events) => events.into_iter().map(|stored| stored.event).collect(),
        Err(error) => {
            findings.push(Finding::TaskReplay {
                task,
                error: error.to_string(),
            });
            return Ok(findings);
        }
    };
    let Some(replayed) = Task::replay(id, &events) else {
        findings.push(Finding::TaskReplay {
            task,
            error: "the first event does not create the task".to_owned(),
        });
        return Ok(findings);
    };
    let document = match documents.get(&replayed.document_id.0) {
        Some(document) => document.clone(),
        None => {
            let document = documents::load_with(&mut *conn, replayed.document_id).await?;
            documents.insert(replayed.document_id.0, document.clone());
            document
        }
    };

    let expected = TaskRecord::new(&replayed, &document);
    let actual = TaskRecord::decode(&stored)?;
    let mut columns = differing_fields(&expected, &actual);
    let rollup: Option<i64> = stored.try_get("rollup_percent")?;
    if rollup != read_model::rollup_percent(&mut *conn, id).await? {
        columns.push("rollup_percent".to_owned());
    }
    if !columns.is_empty() {
        findings.push(Finding::TaskRow { task, columns });
    }

    let mut coordinators: Vec<i64> =
        sqlx::query("SELECT org_id FROM task_coordinators WHERE task_id = $1")
            .bind(task)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|row| row.try_get("org_id"))
            .collect::<Result<_, _>>()?;
    coordinators.sort_unstable();
    let mut expected_coordinators: Vec<i64> = replayed
        .coordinating_bodies
        .iter()
        .map(|org| org.0)
        .collect();
    expected_coordinators.sort_unstable();
    expected_coordinators.dedup();
    if coordinators != expected_coordinators {
        findings.push(Finding::TaskTable {
            task,
            table: "task_coordinators".to_owned(),
        });
    }

    let obligations = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {OBLIGATION_COLUMNS} FROM obligations WHERE task_id = $1 ORDER BY position"
    )))
    .bind(task)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(ObligationRecord::decode)
    .collect::<StoreResult<Vec<_>>>()?;
    if obligations != ObligationRecord::from_history(&events)? {
        findings.push(Finding::TaskTable {
            task,
            table: "obligations".to_owned(),
        });
    }
    Ok(findings)
}

/// Names the fields whose values differ between two records of one type.
fn differing_fields<T: Serialize>(expected: &T, actual: &T) -> Vec<String> {
    let to_map = |value: &T| match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let (expected, actual) = (to_map(expected), to_map(actual));
    expected
        .iter()
        .filter(|(name, value)| actual.get(*name) != Some(*value))
        .map(|(name, _)| name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_gap_finds_missing_and_late_numbers() {
        assert_eq!(first_gap([1, 2, 3]), None);
        assert_eq!(first_gap([]), None);
        assert_eq!(first_gap([1, 3, 4]), Some((2, 3)));
        assert_eq!(first_gap([2, 3]), Some((1, 2)));
        assert_eq!(first_gap([1, 2, 2]), Some((3, 2)));
    }

    #[test]
    fn differing_fields_names_columns() {
        #[derive(Serialize)]
        struct Row {
            a: i64,
            b: Option<String>,
            c: String,
        }
        let expected = Row {
            a: 1,
            b: None,
            c: "x".into(),
        };
        let actual = Row {
            a: 1,
            b: Some("y".into()),
            c: "z".into(),
        };
        assert_eq!(differing_fields(&expected, &actual), ["b", "c"]);
        assert!(differing_fields(&expected, &expected).is_empty());
    }
}
