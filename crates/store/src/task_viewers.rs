//! The bodies that see each task (table `task_viewers`, migration 0130), rewritten with the
//! task's row in the same transaction.
//!
//! A body sees a task when the body itself or one below it leads, monitors, assigns or
//! coordinates the task, and a draft only on the assigning side: the rule of
//! [`Scope::restrict_tasks`](crate::scope::Scope), stored so that a reader limited to one
//! body's subtree reads one index range. Organisations are only ever added, as leaves, so a
//! task's viewers change only when the task does.

use crate::db::WriteTx;
use crate::error::StoreResult;
use crate::row_sync::Previous;
use crate::sql::{MAX_PARAMETERS, Sql, values_placeholders};
use sqlx::Row;
use std::collections::BTreeSet;
use theodoi_domain::ids::OrgId;
use theodoi_domain::task::{Task, TaskStatus};

/// Every (body, task) pair that `task_viewers` must hold, computed from the tasks: what
/// `theodoi check` compares the table with.
pub(crate) const VIEWERS_RECOUNT: &str = "SELECT DISTINCT c.ancestor AS org_id, b.task_id \
    FROM (SELECT id AS task_id, assigning_body AS body FROM tasks \
    UNION ALL SELECT id, lead_body FROM tasks WHERE status <> 'draft' \
    UNION ALL SELECT id, monitoring_body FROM tasks WHERE status <> 'draft' \
    UNION ALL SELECT k.task_id, k.org_id FROM task_coordinators k \
    JOIN tasks t ON t.id = k.task_id WHERE t.status <> 'draft') b \
    JOIN org_closure c ON c.descendant = b.body";

/// Returns the bodies whose own role in the task makes it visible to them and their ancestors.
fn involved(task: &Task) -> BTreeSet<i64> {
    let mut bodies = BTreeSet::from([task.assigning_body.0]);
    if task.status != TaskStatus::Draft {
        bodies.insert(task.lead_body.0);
        bodies.insert(task.monitoring_body.0);
        bodies.extend(task.coordinating_bodies.iter().map(|body| body.0));
    }
    bodies
}

/// The bodies that saw a task before a command and those that see it after.
#[derive(Debug, Default)]
pub(crate) struct ViewerChange {
    pub before: BTreeSet<i64>,
    pub after: BTreeSet<i64>,
}

/// Makes the viewer rows of `task` match its bodies and status, and returns the rows before
/// and after. A stored task's rows are read back and only the difference is written. Most
/// commands change no body, so they write none.
pub(crate) async fn sync(
    tx: &mut WriteTx,
    task: &Task,
    previous: Previous,
) -> StoreResult<ViewerChange> {
    let expected = ancestors(tx, &involved(task)).await?;
    let current: BTreeSet<i64> = match previous {
        Previous::NewTask => BTreeSet::new(),
        Previous::StoredTask => sqlx::query("SELECT org_id FROM task_viewers WHERE task_id = $1")
            .bind(task.id.0)
            .fetch_all(&mut ***tx)
            .await?
            .iter()
            .map(|row| row.try_get("org_id"))
            .collect::<Result<_, _>>()?,
    };

    let removed: Vec<i64> = current.difference(&expected).copied().collect();
    for chunk in removed.chunks(MAX_PARAMETERS - 1) {
        let mut sql = Sql::new("DELETE FROM task_viewers WHERE task_id = ");
        sql.bind(task.id.0).push(" AND org_id IN ").bind_list(chunk);
        sql.query().execute(&mut ***tx).await?;
    }

    let added: Vec<i64> = expected.difference(&current).copied().collect();
    for chunk in added.chunks(MAX_PARAMETERS / 2) {
        let statement = format!(
            "INSERT INTO task_viewers (org_id, task_id) VALUES {}",
            values_placeholders(chunk.len(), 2)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(statement));
        for org in chunk {
            query = query.bind(*org).bind(task.id.0);
        }
        query.execute(&mut ***tx).await?;
    }
    Ok(ViewerChange {
        before: current,
        after: expected,
    })
}

/// Returns the bodies in `bodies` and every body above them.
async fn ancestors(tx: &mut WriteTx, bodies: &BTreeSet<i64>) -> StoreResult<BTreeSet<i64>> {
    let bodies: Vec<i64> = bodies.iter().copied().collect();
    let mut found = BTreeSet::new();
    for chunk in bodies.chunks(MAX_PARAMETERS) {
        let mut sql = Sql::new("SELECT DISTINCT ancestor FROM org_closure WHERE descendant IN ");
        sql.bind_list(chunk);
        for row in sql.query().fetch_all(&mut ***tx).await? {
            found.insert(row.try_get::<i64, _>("ancestor")?);
        }
    }
    Ok(found)
}

/// Appends ` AND …` keeping the tasks aliased `t` that are visible to `org`.
pub(crate) fn restrict(sql: &mut Sql, org: OrgId) {
    sql.push(" AND t.id IN (SELECT v.task_id FROM task_viewers v WHERE v.org_id = ")
        .bind(org.0)
        .push(")");
}

/// Appends ` AND …` keeping the tasks aliased `t` that are visible to `org`, checked row by row.
pub(crate) fn restrict_by_probe(sql: &mut Sql, org: OrgId) {
    sql.push(" AND EXISTS (SELECT 1 FROM task_viewers v WHERE v.org_id = ")
        .bind(org.0)
        .push(" AND v.task_id = t.id)");
}
