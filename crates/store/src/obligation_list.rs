//! Lists of obligations due soon or breached, per responsible body.

use crate::db::Backend;
use crate::error::{StoreError, StoreResult};
use crate::page::{Cursor, Page, PageRequest};
use crate::scope::{Scope, Visibility};
use crate::sql::Sql;
use crate::task_list::push_obligation_breached;
use crate::{Store, time};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use sqlx::Row;
use theodoi_domain::ids::{DocumentId, OrgId, TaskId};
use theodoi_domain::obligation::{Obligation, ObligationKind, ObligationStatus};

/// Which obligations to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObligationQuery {
    /// Not yet met and due within `within` from now (not yet breached).
    DueSoon { within: SignedDuration },
    /// Breached at `now`: overdue and still open, done late, or closed after their due time.
    Breached,
    /// Every one still owed, due or overdue; optional windows only while they are open.
    Open,
}

/// Filters of the obligation list.
#[derive(Debug, Clone, Default)]
pub struct ObligationFilter {
    /// The body that answers for them (and, with `include_subunits`, units below it).
    pub responsible: Option<OrgId>,
    pub include_subunits: bool,
    pub kinds: Vec<String>,
    pub task_id: Option<TaskId>,
}

/// One obligation with the task it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObligationRow {
    pub task_id: TaskId,
    pub position: i64,
    pub document_id: DocumentId,
    pub document_symbol: String,
    /// `None` for classified tasks.
    pub task_content: Option<String>,
    pub obligation: Obligation,
}

impl ObligationRow {
    pub fn status_at(&self, now: Timestamp) -> ObligationStatus {
        self.obligation.status_at(now)
    }
}

fn decode(row: &sqlx::any::AnyRow) -> StoreResult<ObligationRow> {
    let detail: String = row.try_get("detail")?;
    let kind: ObligationKind = serde_json::from_str(&detail).map_err(StoreError::corrupt)?;
    Ok(ObligationRow {
        task_id: TaskId(row.try_get("task_id")?),
        position: row.try_get("position")?,
        document_id: DocumentId(row.try_get("document_id")?),
        document_symbol: row.try_get("symbol")?,
        task_content: row.try_get("content")?,
        obligation: Obligation {
            kind,
            responsible: OrgId(row.try_get("responsible")?),
            opened_at: time::from_ms(row.try_get("opened_at")?)?,
            due_at: time::from_ms(row.try_get("due_at")?)?,
            calendar_version: row.try_get("calendar_version")?,
            met_at: time::opt_from_ms(row.try_get("met_at")?)?,
            closed_at: time::opt_from_ms(row.try_get("closed_at")?)?,
            optional: row.try_get::<i64, _>("optional")? != 0,
        },
    })
}

/// Columns of an obligation row, in every list statement.
const COLUMNS: &str = "SELECT o.task_id, o.position, o.kind, o.detail, o.responsible, \
    o.opened_at, o.due_at, o.met_at, o.closed_at, o.optional, o.calendar_version, t.document_id, \
    t.content, d.symbol FROM obligations o";

/// The joins and the start of the conditions, after the obligation table and its index hint.
const JOINS: &str = " JOIN tasks t ON t.id = o.task_id JOIN documents d ON d.id = t.document_id \
    WHERE 1 = 1";

/// Responsible bodies up to which a list for a body's subtree reads each body's obligations
/// on its own. Beyond it, one statement reads the obligations in due order.
const MAX_BODY_READS: usize = 400;

/// The selection of one list statement, without the reader's scope.
struct Selection<'a> {
    query: ObligationQuery,
    filter: &'a ObligationFilter,
    after: Option<&'a Cursor>,
    now: Timestamp,
}

impl Selection<'_> {
    /// Appends the conditions on obligation `o`.
    fn push_conditions(&self, sql: &mut Sql) {
        let now_ms = time::to_ms(self.now);
        match self.query {
            ObligationQuery::DueSoon { within } => {
                let until =
                    now_ms.saturating_add(within.as_millis().try_into().unwrap_or(i64::MAX));
                sql.push(" AND o.open = 1 AND o.optional = 0 AND o.due_at >= ")
                    .bind(now_ms)
                    .push(" AND o.due_at <= ")
                    .bind(until);
            }
            ObligationQuery::Breached => {
                sql.push(" AND ");
                push_obligation_breached(sql, self.now);
            }
            ObligationQuery::Open => {
                // An optional window that closed unused is owed by nobody.
                sql.push(" AND o.open = 1 AND NOT (o.optional = 1 AND o.due_at < ")
                    .bind(now_ms)
                    .push(")");
            }
        }
        push_obligation_filter(sql, self.filter);
        if let Some(after) = self.after {
            // The cursor id packs task id and position: both are needed to break ties.
            let due: i64 = after
                .key
                .as_deref()
                .and_then(|key| key.parse().ok())
                .unwrap_or(0);
            sql.push(" AND (o.due_at > ")
                .bind(due)
                .push(" OR (o.due_at = ")
                .bind(due)
                .push(" AND o.task_id * 100000 + o.position > ")
                .bind(after.id)
                .push("))");
        }
    }
}

impl Store {
    /// Obligations of tasks the reader may see, earliest due first.
    ///
    /// A body's reader who lists the obligations of a subtree reads each responsible body's
    /// obligations in due order up to a page, and the pages are merged. One statement over the
    /// whole subtree would read every obligation of every task visible to the body and sort
    /// them: 0.35 s for a provincial committee at a million tasks.
    pub async fn list_obligations(
        &self,
        scope: &Scope,
        query: ObligationQuery,
        filter: &ObligationFilter,
        page: &PageRequest,
        now: Timestamp,
    ) -> StoreResult<Page<ObligationRow>> {
        let selection = Selection {
            query,
            filter,
            after: page.after.as_ref().filter(|cursor| cursor.sort == "due"),
            now,
        };
        let limit = page.limit();
        let bodies = match (scope.visibility, filter.responsible) {
            (Visibility::Within(_), Some(body)) if filter.include_subunits => {
                Some(self.subtree(body).await?)
            }
            (Visibility::Within(_), Some(body)) => Some(vec![body]),
            _ => None,
        };
        let mut rows = match bodies {
            Some(bodies) if bodies.len() <= MAX_BODY_READS => {
                self.read_by_body(scope, &selection, &bodies, limit).await?
            }
            _ => {
                let mut sql = Sql::new(COLUMNS);
                sql.push(JOINS);
                scope.restrict_tasks(&mut sql);
                selection.push_conditions(&mut sql);
                sql.push(" ORDER BY o.due_at, o.task_id, o.position")
                    .limit(i64::from(limit) + 1);
                let rows = sql.query().fetch_all(&self.db.pool).await?;
                rows.iter().map(decode).collect::<StoreResult<Vec<_>>>()?
            }
        };

        let mut symbols: Vec<(i64, &mut String)> = rows
            .iter_mut()
            .map(|row| (row.document_id.0, &mut row.document_symbol))
            .collect();
        self.reveal_symbols(scope, &mut symbols).await?;
        Ok(Page::from_rows(rows, limit, |row| Cursor {
            key: Some(time::to_ms(row.obligation.due_at).to_string()),
            id: row.task_id.0 * 100_000 + row.position,
            sort: "due".into(),
        }))
    }

    /// Reads the first `limit + 1` obligations of `bodies` in due order, with one statement
    /// per responsible body (or, for one body with kinds given, per kind), and merges them.
    ///
    /// Each statement is small and has the same text for all readers of one clearance, so
    /// connections keep it prepared. A compound statement with an arm per body took SQLite
    /// longer to compile than to run: about half of a provincial committee's inbox at a
    /// million tasks.
    async fn read_by_body(
        &self,
        scope: &Scope,
        selection: &Selection<'_>,
        bodies: &[OrgId],
        limit: u32,
    ) -> StoreResult<Vec<ObligationRow>> {
        let needed = usize::try_from(limit)
            .unwrap_or(usize::MAX)
            .saturating_add(1);
        let by_kind = bodies.len() == 1 && !selection.filter.kinds.is_empty();
        // Inside a compound statement the bundled SQLite (3.54) chose `obligations_open` and
        // read every obligation due in the window: 2.4 s for a provincial committee's dashboard
        // at a million tasks, against 24 ms with the hint. One body's kinds read the index by
        // kind, because the Central Office owes hundreds of thousands of evaluations.
        let hint = match (self.db.backend, by_kind) {
            (Backend::Sqlite, false) => " INDEXED BY obligations_responsible",
            (Backend::Sqlite, true) => " INDEXED BY obligations_responsible_kind",
            (Backend::Postgres, _) => "",
        };
        let kinds: Vec<Vec<String>> = if by_kind {
            let kinds = &selection.filter.kinds;
            kinds.iter().map(|kind| vec![kind.clone()]).collect()
        } else {
            vec![selection.filter.kinds.clone()]
        };

        let mut conn = self.db.pool.acquire().await?;
        let mut merged: Vec<ObligationRow> = Vec::with_capacity(needed * 2);
        for body in bodies {
            for kinds in &kinds {
                let filter = ObligationFilter {
                    responsible: Some(*body),
                    include_subunits: false,
                    kinds: kinds.clone(),
                    ..selection.filter.clone()
                };
                let body_selection = Selection {
                    filter: &filter,
                    ..*selection
                };
                let mut sql = Sql::new(COLUMNS);
                sql.push(hint).push(JOINS);
                scope.restrict_tasks_by_probe(&mut sql);
                body_selection.push_conditions(&mut sql);
                // Once the page is full, a body's rows due after its last row cannot enter it.
                if let Some(last) = merged.get(needed - 1) {
                    sql.push(" AND o.due_at <= ")
                        .bind(time::to_ms(last.obligation.due_at));
                }
                sql.push(" ORDER BY o.due_at, o.task_id, o.position")
                    .limit(i64::try_from(needed).unwrap_or(i64::MAX));
                let rows = sql.query().fetch_all(&mut *conn).await?;
                for row in &rows {
                    merged.push(decode(row)?);
                }
                merged.sort_by_key(|row| (row.obligation.due_at, row.task_id, row.position));
                merged.truncate(needed);
            }
        }
        Ok(merged)
    }
}

/// Appends the conditions of `filter` on obligation `o`.
pub(crate) fn push_obligation_filter(sql: &mut Sql, filter: &ObligationFilter) {
    if let Some(body) = filter.responsible {
        if filter.include_subunits {
            sql.push(" AND o.responsible IN (SELECT descendant FROM org_closure WHERE ancestor = ")
                .bind(body.0)
                .push(")");
        } else {
            sql.push(" AND o.responsible = ").bind(body.0);
        }
    }
    if !filter.kinds.is_empty() {
        sql.push(" AND o.kind IN ").bind_list(&filter.kinds);
    }
    if let Some(task) = filter.task_id {
        sql.push(" AND o.task_id = ").bind(task.0);
    }
}
