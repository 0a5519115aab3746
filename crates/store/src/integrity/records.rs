//! Checks of the records: event numbering, versions, and every task replayed from its events
//! and compared with its rows in the read tables.

use super::{Conn, Finding, IntegrityReport};
use crate::StoredEvent;
use crate::documents;
use crate::error::StoreResult;
use crate::read_model::{self, OBLIGATION_COLUMNS, ObligationRecord, TASK_COLUMNS, TaskRecord};
use crate::secure::{Access, Zone};
use crate::tasks::{EVENT_COLUMNS, decode_events};
use serde::Serialize;
use sqlx::Row;
use std::collections::HashMap;
use theodoi_domain::document::Document;
use theodoi_domain::ids::{DocumentId, TaskId};
use theodoi_domain::task::Task;
use theodoi_domain::task::event::TaskEvent;

/// Returns the first number that breaks the sequence 1, 2, 3, … and the number found there.
fn first_gap(numbers: impl IntoIterator<Item = i64>) -> Option<(i64, i64)> {
    numbers
        .into_iter()
        .zip(1..)
        .find(|(found, expected)| found != expected)
        .map(|(found, expected)| (expected, found))
}

pub(super) async fn check_documents(
    conn: &mut Conn,
    report: &mut IntegrityReport,
) -> StoreResult<()> {
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

pub(super) async fn check_tasks(
    conn: &mut Conn,
    zone: &Zone,
    report: &mut IntegrityReport,
) -> StoreResult<()> {
    let ids: Vec<i64> = sqlx::query("SELECT id FROM tasks ORDER BY id")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|row| row.try_get("id"))
        .collect::<Result<_, _>>()?;
    let mut documents: HashMap<i64, Document> = HashMap::new();
    for id in ids {
        report.tasks += 1;
        let findings = check_task(conn, zone, TaskId(id), &mut documents, report).await?;
        report.findings.extend(findings);
    }
    Ok(())
}

/// Checks one task: its event numbers, its version and its read-model rows.
async fn check_task(
    conn: &mut Conn,
    zone: &Zone,
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
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {EVENT_COLUMNS} FROM task_events e JOIN tasks t ON t.id = e.task_id \
         WHERE e.task_id = $1 ORDER BY e.seq"
    )))
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

    let level: String = stored.try_get("confidentiality")?;
    let classified = theodoi_domain::confidentiality::Confidentiality::parse(&level)
        .is_some_and(|level| level.is_classified());
    if classified && !zone.is_open() {
        // Replaying a classified task needs its sealed payloads, so without the key only its
        // numbering and version are checked.
        report.sealed_unchecked += 1;
        return Ok(findings);
    }
    let decoded: StoreResult<Vec<StoredEvent>> =
        decode_events(&mut *conn, zone, Access::System, &rows).await;
    let events: Vec<TaskEvent> = match decoded {
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
            let loaded =
                documents::load_with(&mut *conn, zone, Access::System, replayed.document_id).await;
            let document = match loaded {
                Ok(document) => document,
                // A sealed field that fails to open is damage to report, not a read failure.
                Err(error @ crate::StoreError::Corrupt(_)) => {
                    findings.push(Finding::TaskReplay {
                        task,
                        error: error.to_string(),
                    });
                    return Ok(findings);
                }
                Err(error) => return Err(error),
            };
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
