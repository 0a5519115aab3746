//! Reading the events named by a change notice that another process sent.

use crate::Store;
use crate::error::{StoreError, StoreResult};
use crate::sql::Sql;
use sqlx::Row;
use std::collections::HashMap;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::ids::{OrgId, TaskId};

/// A committed event without its content, with what decides who may learn of it: the task's
/// confidentiality and the bodies involved in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSummary {
    pub id: i64,
    pub task_id: TaskId,
    /// The event's kind, such as `transferred`.
    pub kind: String,
    pub confidentiality: Confidentiality,
    /// The lead, monitoring and assigning bodies and the coordinators, as the task is now.
    pub bodies: Vec<OrgId>,
}

impl Store {
    /// Summaries of the events with `ids` that exist, in id order.
    pub async fn event_summaries(&self, ids: &[i64]) -> StoreResult<Vec<EventSummary>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(
            "SELECT e.id, e.task_id, e.kind, t.confidentiality, t.lead_body, t.monitoring_body, \
             t.assigning_body FROM task_events e JOIN tasks t ON t.id = e.task_id WHERE e.id IN ",
        );
        sql.bind_list(ids).push(" ORDER BY e.id");
        let rows = sql.query().fetch_all(&self.db.pool).await?;

        let mut task_ids: Vec<i64> = rows
            .iter()
            .map(|row| row.try_get("task_id"))
            .collect::<Result<_, _>>()?;
        task_ids.sort_unstable();
        task_ids.dedup();
        let mut coordinators: HashMap<i64, Vec<OrgId>> = HashMap::new();
        if !task_ids.is_empty() {
            let mut sql =
                Sql::new("SELECT task_id, org_id FROM task_coordinators WHERE task_id IN ");
            sql.bind_list(&task_ids).push(" ORDER BY task_id, org_id");
            for row in sql.query().fetch_all(&self.db.pool).await? {
                coordinators
                    .entry(row.try_get("task_id")?)
                    .or_default()
                    .push(OrgId(row.try_get("org_id")?));
            }
        }

        rows.iter()
            .map(|row| {
                let task_id: i64 = row.try_get("task_id")?;
                let level: String = row.try_get("confidentiality")?;
                let mut bodies = vec![
                    OrgId(row.try_get("lead_body")?),
                    OrgId(row.try_get("monitoring_body")?),
                    OrgId(row.try_get("assigning_body")?),
                ];
                bodies.extend(coordinators.get(&task_id).into_iter().flatten().copied());
                Ok(EventSummary {
                    id: row.try_get("id")?,
                    task_id: TaskId(task_id),
                    kind: row.try_get("kind")?,
                    confidentiality: Confidentiality::parse(&level)
                        .ok_or_else(|| StoreError::corrupt(format!("confidentiality {level}")))?,
                    bodies,
                })
            })
            .collect()
    }
}
