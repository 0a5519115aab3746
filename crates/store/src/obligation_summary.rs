//! Summaries of the open obligations that lists and the dashboard read instead of every
//! obligation: `tasks.breached_from` per task, and the counts of open, non-optional
//! obligations per due hour in `open_obligation_counts` (per responsible body) and
//! `open_obligation_hours` (all bodies). They are rewritten in the transaction that rewrites a
//! task's obligations, and migration 0120 backfills them with the same expressions.

use crate::error::StoreResult;
use crate::sql::Sql;
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;
use theodoi_domain::ids::TaskId;

/// The width of a due-time bucket of the count tables, in milliseconds; the SQL below writes
/// it as the literal 3600000.
// NOTE: SQL integer division truncates towards zero, so due times before 1970 would share
// hour 0 with the first hour after it and the counts for them would be wrong.
pub(crate) const HOUR_MS: i64 = 3_600_000;

/// `breached_from` of one task, aggregated over its obligations `o`: `i64::MIN` when an
/// obligation is breached for good, otherwise the earliest due time of the open, non-optional
/// ones, and NULL when there is none. It follows `push_obligation_breached`, so a task has a
/// breached obligation at `now` exactly when `breached_from < now`.
pub(crate) const BREACHED_FROM: &str = "CASE WHEN MAX(CASE WHEN (o.met_at IS NOT NULL AND o.met_at > o.due_at) \
     OR (o.optional = 0 AND o.met_at IS NULL AND o.closed_at IS NOT NULL AND o.closed_at > o.due_at) \
     THEN 1 ELSE 0 END) = 1 THEN -9223372036854775807 - 1 \
     ELSE MIN(CASE WHEN o.open = 1 AND o.optional = 0 THEN o.due_at END) END";

/// 1 when obligation `o`'s responsible body assigns task `t`, or leads, monitors or
/// coordinates it and `t` is not a draft: the rule of `task_viewers`. `Scope::restrict_tasks`
/// then admits `t` for every reader whose subtree contains the responsible body.
pub(crate) const VISIBLE: &str = "CASE WHEN o.responsible = t.assigning_body \
     OR (t.status <> 'draft' AND (o.responsible IN (t.lead_body, t.monitoring_body) \
     OR EXISTS (SELECT 1 FROM task_coordinators c WHERE c.task_id = t.id AND c.org_id = o.responsible))) \
     THEN 1 ELSE 0 END";

/// A row key of `open_obligation_counts`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct CountKey {
    pub responsible: i64,
    pub visible: i64,
    pub confidentiality: String,
    pub due_hour: i64,
}

/// Counts of open, non-optional obligations by key.
pub(crate) type Counts = BTreeMap<CountKey, i64>;

/// Appends the recount of `open_obligation_counts` from `obligations` and `tasks`, grouped by
/// key, of the obligations that match `condition` (conditions on `o` and `t`, each starting
/// with ` AND`).
fn push_recount(sql: &mut Sql, condition: impl FnOnce(&mut Sql)) {
    // The grouping runs over a derived table, because PostgreSQL does not group by an
    // expression whose subquery reads ungrouped columns. The unary plus keeps SQLite from
    // reading `obligations_open (open, due_at)` for one task's recount: without statistics
    // it rates `open = 1` as selective as the task id and then reads every open obligation.
    sql.push(
        "SELECT responsible, visible, confidentiality, due_hour, COUNT(*) AS n FROM \
         (SELECT o.responsible, CAST(",
    )
    .push(VISIBLE)
    .push(
        " AS BIGINT) AS visible, t.confidentiality, o.due_at / 3600000 AS due_hour \
         FROM obligations o JOIN tasks t ON t.id = o.task_id \
         WHERE +o.open = 1 AND +o.optional = 0",
    );
    condition(sql);
    sql.push(") counted GROUP BY responsible, visible, confidentiality, due_hour");
}

fn decode_counts(rows: &[sqlx::any::AnyRow]) -> StoreResult<Counts> {
    let mut counts = Counts::new();
    for row in rows {
        let key = CountKey {
            responsible: row.try_get("responsible")?,
            visible: row.try_get("visible")?,
            confidentiality: row.try_get("confidentiality")?,
            due_hour: row.try_get("due_hour")?,
        };
        counts.insert(key, row.try_get("n")?);
    }
    Ok(counts)
}

/// Counts the open, non-optional obligations of `task` as its rows stand now.
pub(crate) async fn task_counts(conn: &mut AnyConnection, task: TaskId) -> StoreResult<Counts> {
    let mut sql = Sql::new("");
    push_recount(&mut sql, |sql| {
        sql.push(" AND o.task_id = ").bind(task.0);
    });
    let rows = sql.query().fetch_all(&mut *conn).await?;
    decode_counts(&rows)
}

/// Recounts `open_obligation_counts` over every task, for the integrity check.
pub(crate) async fn recount(conn: &mut AnyConnection) -> StoreResult<Counts> {
    let mut sql = Sql::new("");
    push_recount(&mut sql, |_| {});
    let rows = sql.query().fetch_all(&mut *conn).await?;
    decode_counts(&rows)
}

/// Reads `open_obligation_counts` as stored, for the integrity check.
pub(crate) async fn stored(conn: &mut AnyConnection) -> StoreResult<Counts> {
    let rows = sqlx::query(
        "SELECT responsible, visible, confidentiality, due_hour, n FROM open_obligation_counts",
    )
    .fetch_all(&mut *conn)
    .await?;
    decode_counts(&rows)
}

/// Sums `counts` by confidentiality and due hour, the key of `open_obligation_hours`.
pub(crate) fn by_hour(counts: &Counts) -> BTreeMap<(String, i64), i64> {
    let mut hours = BTreeMap::new();
    for (key, n) in counts {
        *hours
            .entry((key.confidentiality.clone(), key.due_hour))
            .or_default() += n;
    }
    hours
}

/// Reads `open_obligation_hours` as stored, for the integrity check.
pub(crate) async fn stored_hours(
    conn: &mut AnyConnection,
) -> StoreResult<BTreeMap<(String, i64), i64>> {
    let rows = sqlx::query("SELECT confidentiality, due_hour, n FROM open_obligation_hours")
        .fetch_all(&mut *conn)
        .await?;
    let mut hours = BTreeMap::new();
    for row in rows {
        hours.insert(
            (row.try_get("confidentiality")?, row.try_get("due_hour")?),
            row.try_get("n")?,
        );
    }
    Ok(hours)
}

/// Rewrites the summaries of `task` after its task row, coordinators and obligations were
/// rewritten. `before` is [`task_counts`] as read before that rewrite (empty for a new task).
pub(crate) async fn refresh(
    conn: &mut AnyConnection,
    task: TaskId,
    before: &Counts,
) -> StoreResult<()> {
    let mut sql = Sql::new("UPDATE tasks SET breached_from = (SELECT ");
    sql.push(BREACHED_FROM)
        .push(" FROM obligations o WHERE o.task_id = ")
        .bind(task.0)
        .push(") WHERE id = ")
        .bind(task.0);
    sql.query().execute(&mut *conn).await?;

    let after = task_counts(conn, task).await?;
    let changes = difference(before, &after);
    // Rows are changed in key order (body counts first, then hour counts), so concurrent
    // writers on PostgreSQL lock them in the same order and do not deadlock on these tables.
    for (key, change) in &changes {
        sqlx::query(
            "INSERT INTO open_obligation_counts (responsible, visible, confidentiality, due_hour, n) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (responsible, visible, confidentiality, due_hour) \
             DO UPDATE SET n = open_obligation_counts.n + excluded.n",
        )
        .bind(key.responsible)
        .bind(key.visible)
        .bind(key.confidentiality.clone())
        .bind(key.due_hour)
        .bind(*change)
        .execute(&mut *conn)
        .await?;
        if *change < 0 {
            sqlx::query(
                "DELETE FROM open_obligation_counts WHERE responsible = $1 AND visible = $2 \
                 AND confidentiality = $3 AND due_hour = $4 AND n = 0",
            )
            .bind(key.responsible)
            .bind(key.visible)
            .bind(key.confidentiality.clone())
            .bind(key.due_hour)
            .execute(&mut *conn)
            .await?;
        }
    }
    for ((confidentiality, due_hour), change) in by_hour(&changes) {
        if change == 0 {
            continue;
        }
        sqlx::query(
            "INSERT INTO open_obligation_hours (confidentiality, due_hour, n) VALUES ($1, $2, $3) \
             ON CONFLICT (confidentiality, due_hour) DO UPDATE SET n = open_obligation_hours.n + excluded.n",
        )
        .bind(confidentiality.clone())
        .bind(due_hour)
        .bind(change)
        .execute(&mut *conn)
        .await?;
        if change < 0 {
            sqlx::query(
                "DELETE FROM open_obligation_hours WHERE confidentiality = $1 AND due_hour = $2 AND n = 0",
            )
            .bind(confidentiality)
            .bind(due_hour)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// Computes the non-zero changes that turn `before` into `after`.
fn difference(before: &Counts, after: &Counts) -> Counts {
    let mut changes = after.clone();
    for (key, n) in before {
        *changes.entry(key.clone()).or_default() -= n;
    }
    changes.retain(|_, change| *change != 0);
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(responsible: i64, due_hour: i64) -> CountKey {
        CountKey {
            responsible,
            visible: 1,
            confidentiality: "thuong".into(),
            due_hour,
        }
    }

    #[test]
    fn difference_keeps_changed_keys() {
        let before = Counts::from([(key(1, 10), 2), (key(2, 10), 1)]);
        let after = Counts::from([(key(1, 10), 2), (key(1, 11), 1)]);
        let changes = difference(&before, &after);
        assert_eq!(changes, Counts::from([(key(1, 11), 1), (key(2, 10), -1)]));
    }

    #[test]
    fn by_hour_sums_bodies() {
        let counts = Counts::from([(key(1, 10), 2), (key(2, 10), 3), (key(2, 11), 1)]);
        let hours = by_hour(&counts);
        assert_eq!(hours.get(&("thuong".to_owned(), 10)), Some(&5));
        assert_eq!(hours.get(&("thuong".to_owned(), 11)), Some(&1));
    }
}
