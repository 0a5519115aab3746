//! Check of the task counts that the write path keeps: every count table compared with a
//! recount of `tasks`, judged on the stored pivot date.

use super::{Conn, Finding, IntegrityReport};
use crate::error::StoreResult;
use crate::task_counts::{TALLY_RECOUNT, VIEWER_TALLY_RECOUNT};
use sqlx::Row;
use std::collections::BTreeMap;

/// One count table, the recount that must give it, and its key columns.
struct CountTable {
    table: &'static str,
    keys: &'static str,
    recount: &'static str,
}

const TABLES: [CountTable; 6] = [
    CountTable {
        table: "task_tally_counts",
        keys: "lead_body, executing_unit, priority, confidentiality, state",
        recount: TALLY_RECOUNT,
    },
    CountTable {
        table: "task_viewer_tally_counts",
        keys: "org_id, lead_body, executing_unit, priority, confidentiality, state",
        recount: VIEWER_TALLY_RECOUNT,
    },
    CountTable {
        table: "task_deadline_counts",
        keys: "deadline, result_base, confidentiality",
        recount: "SELECT deadline, result_base, confidentiality, COUNT(*) AS n FROM tasks \
            WHERE deadline IS NOT NULL GROUP BY 1, 2, 3",
    },
    CountTable {
        table: "task_completion_counts",
        keys: "completed_on, result_base, confidentiality",
        recount: "SELECT completed_on, result_base, confidentiality, COUNT(*) AS n FROM tasks \
            WHERE completed_on IS NOT NULL GROUP BY 1, 2, 3",
    },
    CountTable {
        table: "task_viewer_deadline_counts",
        keys: "org_id, deadline, result_base, confidentiality",
        recount: "SELECT v.org_id, t.deadline, t.result_base, t.confidentiality, COUNT(*) AS n \
            FROM task_viewers v JOIN tasks t ON t.id = v.task_id \
            WHERE t.deadline IS NOT NULL GROUP BY 1, 2, 3, 4",
    },
    CountTable {
        table: "task_viewer_completion_counts",
        keys: "org_id, completed_on, result_base, confidentiality",
        recount: "SELECT v.org_id, t.completed_on, t.result_base, t.confidentiality, \
            COUNT(*) AS n FROM task_viewers v JOIN tasks t ON t.id = v.task_id \
            WHERE t.completed_on IS NOT NULL GROUP BY 1, 2, 3, 4",
    },
];

/// Compares every count table with a recount and reports each key whose counts differ.
pub(super) async fn check_task_counts(
    conn: &mut Conn,
    report: &mut IntegrityReport,
) -> StoreResult<()> {
    for table in &TABLES {
        let stored_sql = format!("SELECT {}, n FROM {} WHERE n <> 0", table.keys, table.table);
        let stored = read_counts(conn, &stored_sql, table.keys).await?;
        let recounted = read_counts(conn, table.recount, table.keys).await?;
        let keys: std::collections::BTreeSet<&String> =
            stored.keys().chain(recounted.keys()).collect();
        for key in keys {
            let stored_n = stored.get(key).copied().unwrap_or(0);
            let recounted_n = recounted.get(key).copied().unwrap_or(0);
            if stored_n != recounted_n {
                report.findings.push(Finding::TaskCounts {
                    table: table.table.to_owned(),
                    key: key.clone(),
                    stored: stored_n,
                    recounted: recounted_n,
                });
            }
        }
    }
    Ok(())
}

/// Reads `n` per key, the key columns joined with `/` (the first may be an integer).
async fn read_counts(conn: &mut Conn, sql: &str, keys: &str) -> StoreResult<BTreeMap<String, i64>> {
    let width = keys.split(", ").count();
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_all(&mut *conn)
        .await?;
    let mut counts = BTreeMap::new();
    for row in rows {
        let mut parts = Vec::with_capacity(width);
        for index in 0..width {
            let part = match row.try_get::<String, _>(index) {
                Ok(text) => text,
                Err(_) => row.try_get::<i64, _>(index)?.to_string(),
            };
            parts.push(part);
        }
        counts.insert(parts.join("/"), row.try_get::<i64, _>("n")?);
    }
    Ok(counts)
}
