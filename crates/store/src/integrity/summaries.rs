//! Checks of the summaries kept beside the tasks: every task's `breached_from` and the per-hour
//! counts of open obligations against a recount from `obligations`, and the bodies that see
//! each task against the tasks' bodies.

use super::{Conn, Finding, IntegrityReport};
use crate::error::StoreResult;
use crate::obligation_summary::{self, BREACHED_FROM};
use crate::sql::Sql;
use crate::task_viewers::VIEWERS_RECOUNT;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

pub(super) async fn check_summaries(
    conn: &mut Conn,
    report: &mut IntegrityReport,
) -> StoreResult<()> {
    let sql = Sql::new(&format!(
        "SELECT t.id FROM tasks t LEFT JOIN (SELECT o.task_id, {BREACHED_FROM} AS breached_from \
         FROM obligations o GROUP BY o.task_id) s ON s.task_id = t.id \
         WHERE NOT ((t.breached_from IS NULL AND s.breached_from IS NULL) \
         OR t.breached_from = s.breached_from) ORDER BY t.id"
    ));
    for row in sql.query().fetch_all(&mut *conn).await? {
        report.findings.push(Finding::TaskRow {
            task: row.try_get("id")?,
            columns: vec!["breached_from".to_owned()],
        });
    }

    let recounted = obligation_summary::recount(conn).await?;
    let stored = obligation_summary::stored(conn).await?;
    push_differences(report, "open_obligation_counts", &stored, &recounted);
    let stored_hours = obligation_summary::stored_hours(conn).await?;
    push_differences(
        report,
        "open_obligation_hours",
        &stored_hours,
        &obligation_summary::by_hour(&recounted),
    );

    let sql = Sql::new(&format!(
        "SELECT (SELECT COUNT(*) FROM (SELECT org_id, task_id FROM task_viewers EXCEPT \
         SELECT org_id, task_id FROM ({VIEWERS_RECOUNT}) r) extra) + (SELECT COUNT(*) FROM \
         (SELECT org_id, task_id FROM ({VIEWERS_RECOUNT}) r EXCEPT \
         SELECT org_id, task_id FROM task_viewers) missing) AS n"
    ));
    let rows: i64 = sql.query().fetch_one(&mut *conn).await?.try_get("n")?;
    if rows > 0 {
        report.findings.push(Finding::ViewerRows { rows });
    }
    Ok(())
}

/// Adds a finding when `stored` and `recounted` differ in any key.
fn push_differences<K: Ord>(
    report: &mut IntegrityReport,
    table: &str,
    stored: &BTreeMap<K, i64>,
    recounted: &BTreeMap<K, i64>,
) {
    let keys: BTreeSet<&K> = stored.keys().chain(recounted.keys()).collect();
    let rows = keys
        .into_iter()
        .filter(|key| stored.get(key) != recounted.get(key))
        .count();
    if rows > 0 {
        report.findings.push(Finding::SummaryCounts {
            table: table.to_owned(),
            rows: i64::try_from(rows).unwrap_or(i64::MAX),
        });
    }
}
