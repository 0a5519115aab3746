//! Tasks with a progress update still open: waiting for the approver, or returned to the
//! updater to fix. The write path keeps `tasks.open_update`, so the inbox needs no replay and
//! no search of the events.

use crate::Store;
use crate::error::StoreResult;
use crate::scope::Scope;
use crate::sql::Sql;
use sqlx::Row;
use theodoi_domain::ids::{OrgId, TaskId};

impl Store {
    /// Ids of the tasks the reader may see, led by `body` (or by a unit below it with
    /// `include_subunits`), that have an open progress update: one drafted, edited or returned
    /// with no approval after it. A task has at most one open update at a time, because the
    /// domain refuses a new draft while one is open. Most recently changed tasks come first,
    /// at most `limit` of them.
    pub async fn tasks_with_open_update(
        &self,
        scope: &Scope,
        body: OrgId,
        include_subunits: bool,
        limit: i64,
    ) -> StoreResult<Vec<TaskId>> {
        let mut sql = Sql::new("SELECT t.id FROM tasks t WHERE 1 = 1");
        scope.restrict_tasks(&mut sql);
        if include_subunits {
            sql.push(" AND t.lead_body IN (SELECT descendant FROM org_closure WHERE ancestor = ")
                .bind(body.0)
                .push(")");
        } else {
            sql.push(" AND t.lead_body = ").bind(body.0);
        }
        // Only the updates of tasks the body has received can be approved.
        sql.push(" AND t.status IN ").bind_list(&[
            "in_progress",
            "done_not_completed",
            "completed",
        ]);
        sql.push(" AND t.open_update = 1 ORDER BY t.updated_at DESC, t.id DESC")
            .limit(limit);
        let rows = sql.query().fetch_all(&self.db.pool).await?;
        rows.iter()
            .map(|row| Ok(TaskId(row.try_get("id")?)))
            .collect()
    }
}
