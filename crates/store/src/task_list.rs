//! Task lists and counts from the read model, filtered and paged without replaying events.

use crate::documents::escape_like;
use crate::error::{StoreError, StoreResult};
use crate::page::{Cursor, Page, PageRequest};
use crate::scope::{Scope, Visibility};
use crate::sql::Sql;
use crate::table_state;
use crate::task_counts::read::{tally_cells, tally_filter};
use crate::{Backend, Store, time};
use jiff::{Timestamp, civil::Date};
use serde::Serialize;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::ids::{DocumentId, GroupId, OrgId, TaskId};
use theodoi_domain::result::ResultState;
use theodoi_domain::task::TaskStatus;
use theodoi_domain::text::query_words;

/// Filters of the task list; every filter narrows the list.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    /// Any of these result states, judged on the `today` given to the query.
    pub result_states: Vec<ResultState>,
    pub statuses: Vec<TaskStatus>,
    /// Led by this body (or a unit below it, with `include_subunits`).
    pub lead_body: Option<OrgId>,
    pub include_subunits: bool,
    /// Involving this body in any role: lead, coordinating, monitoring or assigning.
    pub body: Option<OrgId>,
    pub monitoring_body: Option<OrgId>,
    pub priority: Option<String>,
    pub scope: Option<String>,
    pub executing_unit: Option<String>,
    pub other_class: Option<String>,
    /// Any of these confidentiality levels.
    pub confidentiality: Vec<Confidentiality>,
    pub document_id: Option<DocumentId>,
    pub group_id: Option<GroupId>,
    pub parent_id: Option<TaskId>,
    /// Only tasks of documents (`Some(false)`) or only sub-tasks (`Some(true)`).
    pub subtasks: Option<bool>,
    pub has_deadline: Option<bool>,
    pub deadline_from: Option<Date>,
    pub deadline_to: Option<Date>,
    /// Only tasks with at least one breached obligation at `now`.
    pub breached: bool,
    /// Words that must all occur in the content, symbol or title, ignoring diacritics.
    pub text: Option<String>,
}

/// Sort orders of the task list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TaskSort {
    /// Earliest deadline first; tasks without a deadline last.
    #[default]
    Deadline,
    /// Most recently changed first.
    Updated,
    /// Document order: newest task first by id.
    Newest,
}

impl TaskSort {
    pub fn name(self) -> &'static str {
        match self {
            TaskSort::Deadline => "deadline",
            TaskSort::Updated => "updated",
            TaskSort::Newest => "newest",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [TaskSort::Deadline, TaskSort::Updated, TaskSort::Newest]
            .into_iter()
            .find(|sort| sort.name() == value)
    }
}

/// One row of the task list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskRow {
    pub id: TaskId,
    pub document_id: DocumentId,
    pub document_symbol: String,
    pub group_id: Option<GroupId>,
    pub parent_id: Option<TaskId>,
    pub ordinal: i64,
    /// `None` for classified tasks.
    pub content: Option<String>,
    pub lead_body: OrgId,
    pub monitoring_body: OrgId,
    pub executing_unit: String,
    pub scope: String,
    pub priority: String,
    pub other_class: Option<String>,
    pub confidentiality: String,
    pub deadline: Option<Date>,
    pub status: String,
    /// Result state on the query's date; `None` for drafts and cancelled tasks.
    pub result_state: Option<ResultState>,
    pub percent: Option<i64>,
    pub rollup_percent: Option<i64>,
    pub subtask_count: i64,
    pub completed_on: Option<Date>,
    pub version: i64,
    pub updated_at: Timestamp,
}

/// SQL giving the result state code of task `t` on the date bound as `today`; the same rule
/// as `ResultFacts::state_on`, checked against it by the storage tests.
pub(crate) fn push_result_state(sql: &mut Sql, today: &str) {
    sql.push(
        "CASE WHEN t.result_base IN ('in_progress', 'not_started') AND t.deadline IS NOT NULL THEN \
         t.result_base || CASE WHEN t.deadline >= ",
    )
    .bind(today)
    .push(" THEN '_on_time' ELSE '_overdue' END WHEN t.result_base = 'none' THEN NULL ELSE t.result_base END");
}

/// Returns the stored result base of `state` and how it compares the deadline with today: an
/// operator, "none" for tasks without a deadline, or `None` when the deadline does not matter.
fn state_base(state: ResultState) -> (&'static str, Option<&'static str>) {
    match state {
        ResultState::CompletedOnTime => ("completed_on_time", None),
        ResultState::CompletedLate => ("completed_late", None),
        ResultState::DoneNotCompleted => ("done_not_completed", None),
        ResultState::Completed => ("completed", None),
        ResultState::InProgressOnTime => ("in_progress", Some(" >= ")),
        ResultState::InProgressOverdue => ("in_progress", Some(" < ")),
        ResultState::NotStartedOnTime => ("not_started", Some(" >= ")),
        ResultState::NotStartedOverdue => ("not_started", Some(" < ")),
        ResultState::InProgress => ("in_progress", Some("none")),
        ResultState::NotStarted => ("not_started", Some("none")),
    }
}

/// The index that a statement should read for its result-state conditions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum ResultIndex {
    /// The planner's choice, such as `tasks_result (result_base, deadline)`.
    #[default]
    Result,
    /// The index of the list's sort order: `t.result_base` is compared as an expression, so
    /// that SQLite reads that index instead of the result index and sorting every match.
    SortOrder,
    /// `tasks_result_updated (result_base, updated_at, id)`, for one result state in order of
    /// change: the deadline is compared as an expression, so that SQLite does not read the
    /// result index and sort.
    BaseThenUpdated,
}

/// Appends the condition for one result state of task `t` on `today`, written for `index`.
fn push_state_condition(sql: &mut Sql, state: ResultState, today: &str, index: ResultIndex) {
    let (base, deadline) = state_base(state);
    let (column, deadline_column) = match index {
        ResultIndex::Result => ("(t.result_base = ", "t.deadline"),
        ResultIndex::SortOrder => ("(t.result_base || '' = ", "t.deadline"),
        ResultIndex::BaseThenUpdated => ("(t.result_base = ", "(t.deadline || '')"),
    };
    sql.push(column).bind(base);
    match deadline {
        None => {}
        Some("none") => {
            sql.push(" AND ").push(deadline_column).push(" IS NULL");
        }
        Some(operator) => {
            sql.push(" AND ")
                .push(deadline_column)
                .push(operator)
                .bind(today);
        }
    }
    sql.push(")");
}

/// Appends the condition "task `t` has an obligation breached at `now`", read from the
/// task's summary of its obligations (see `obligation_summary::BREACHED_FROM`).
pub(crate) fn push_breached(sql: &mut Sql, now: Timestamp) {
    sql.push(" AND t.breached_from < ").bind(time::to_ms(now));
}

/// Appends the condition "task `t` has an obligation breached at `now`", checked obligation by
/// obligation: the reference that `push_breached` must agree with.
pub(crate) fn push_breached_by_scan(sql: &mut Sql, now: Timestamp) {
    sql.push(" AND EXISTS (SELECT 1 FROM obligations o WHERE o.task_id = t.id AND ");
    push_obligation_breached(sql, now);
    sql.push(")");
}

/// Appends the condition "obligation `o` is breached at `now`", as `Obligation::status_at`
/// decides it. An obligation done late is breached even when optional. One that is not
/// optional is also breached when it was closed, or is still open, after its due time.
pub(crate) fn push_obligation_breached(sql: &mut Sql, now: Timestamp) {
    sql.push(
        "((o.met_at IS NOT NULL AND o.met_at > o.due_at) \
         OR (o.optional = 0 AND o.met_at IS NULL AND \
         ((o.closed_at IS NOT NULL AND o.closed_at > o.due_at) OR (o.open = 1 AND o.due_at < ",
    )
    .bind(time::to_ms(now))
    .push("))))");
}

const ROW_COLUMNS: &str = "t.id, t.document_id, d.symbol AS document_symbol, t.group_id, t.parent_id, \
    t.ordinal, t.content, t.lead_body, t.monitoring_body, t.executing_unit, t.scope, t.priority, \
    t.other_class, t.confidentiality, t.deadline, t.status, t.percent, t.rollup_percent, t.subtask_count, \
    t.completed_on, t.version, t.updated_at";

fn decode_row(row: &sqlx::any::AnyRow) -> StoreResult<TaskRow> {
    let state: Option<String> = row.try_get("result_state")?;
    Ok(TaskRow {
        id: TaskId(row.try_get("id")?),
        document_id: DocumentId(row.try_get("document_id")?),
        document_symbol: row.try_get("document_symbol")?,
        group_id: row.try_get::<Option<i64>, _>("group_id")?.map(GroupId),
        parent_id: row.try_get::<Option<i64>, _>("parent_id")?.map(TaskId),
        ordinal: row.try_get("ordinal")?,
        content: row.try_get("content")?,
        lead_body: OrgId(row.try_get("lead_body")?),
        monitoring_body: OrgId(row.try_get("monitoring_body")?),
        executing_unit: row.try_get("executing_unit")?,
        scope: row.try_get("scope")?,
        priority: row.try_get("priority")?,
        other_class: row.try_get("other_class")?,
        confidentiality: row.try_get("confidentiality")?,
        deadline: time::opt_date(row.try_get("deadline")?)?,
        status: row.try_get("status")?,
        result_state: state
            .map(|code| {
                ResultState::parse(&code)
                    .ok_or_else(|| StoreError::corrupt(format!("result state {code}")))
            })
            .transpose()?,
        percent: row.try_get("percent")?,
        rollup_percent: row.try_get("rollup_percent")?,
        subtask_count: row.try_get("subtask_count")?,
        completed_on: time::opt_date(row.try_get("completed_on")?)?,
        version: row.try_get("version")?,
        updated_at: time::from_ms(row.try_get("updated_at")?)?,
    })
}

impl TaskFilter {
    /// Returns how many result bases the filter's result states name.
    fn result_bases(&self) -> usize {
        let mut bases: Vec<&str> = self
            .result_states
            .iter()
            .map(|state| state_base(*state).0)
            .collect();
        bases.sort_unstable();
        bases.dedup();
        bases.len()
    }

    /// Appends the filter's conditions on task `t`.
    pub(crate) fn push_conditions(&self, sql: &mut Sql, today: &str, now: Timestamp) {
        self.push_conditions_checked(sql, today, now, ListPlan::default());
    }

    /// Appends the filter's conditions on task `t`, written as `plan` requests.
    fn push_conditions_checked(&self, sql: &mut Sql, today: &str, now: Timestamp, plan: ListPlan) {
        if !self.result_states.is_empty() {
            sql.push(" AND (");
            for (index, state) in self.result_states.iter().enumerate() {
                if index > 0 {
                    sql.push(" OR ");
                }
                push_state_condition(sql, *state, today, plan.results);
            }
            sql.push(")");
        }
        if !self.statuses.is_empty() {
            let names: Vec<&str> = self.statuses.iter().map(|status| status.as_str()).collect();
            sql.push(" AND t.status IN ").bind_list(&names);
        }
        if let Some(lead) = self.lead_body {
            if self.include_subunits {
                sql.push(
                    " AND t.lead_body IN (SELECT descendant FROM org_closure WHERE ancestor = ",
                )
                .bind(lead.0)
                .push(")");
            } else {
                sql.push(" AND t.lead_body = ").bind(lead.0);
            }
        }
        if let Some(body) = self.body {
            sql.push(" AND (t.lead_body = ")
                .bind(body.0)
                .push(" OR t.monitoring_body = ")
                .bind(body.0)
                .push(" OR t.assigning_body = ")
                .bind(body.0)
                .push(" OR EXISTS (SELECT 1 FROM task_coordinators c WHERE c.task_id = t.id AND c.org_id = ")
                .bind(body.0)
                .push("))");
        }
        if let Some(monitoring) = self.monitoring_body {
            sql.push(" AND t.monitoring_body = ").bind(monitoring.0);
        }
        let exact = [
            ("t.priority", &self.priority),
            ("t.scope", &self.scope),
            ("t.executing_unit", &self.executing_unit),
            ("t.other_class", &self.other_class),
        ];
        for (column, value) in exact {
            if let Some(value) = value {
                sql.push(" AND ").push(column).push(" = ").bind(value);
            }
        }
        if !self.confidentiality.is_empty() {
            let levels: Vec<&str> = self
                .confidentiality
                .iter()
                .map(|level| level.as_str())
                .collect();
            sql.push(" AND t.confidentiality IN ").bind_list(&levels);
        }
        if let Some(document) = self.document_id {
            sql.push(" AND t.document_id = ").bind(document.0);
        }
        if let Some(group) = self.group_id {
            sql.push(" AND t.group_id = ").bind(group.0);
        }
        if let Some(parent) = self.parent_id {
            sql.push(" AND t.parent_id = ").bind(parent.0);
        }
        match self.subtasks {
            Some(true) => {
                sql.push(" AND t.parent_id IS NOT NULL");
            }
            Some(false) => {
                sql.push(" AND t.parent_id IS NULL");
            }
            None => {}
        }
        match self.has_deadline {
            Some(true) => {
                sql.push(" AND t.deadline IS NOT NULL");
            }
            Some(false) => {
                sql.push(" AND t.deadline IS NULL");
            }
            None => {}
        }
        if let Some(from) = self.deadline_from {
            sql.push(" AND t.deadline >= ").bind(from.to_string());
        }
        if let Some(to) = self.deadline_to {
            sql.push(" AND t.deadline <= ").bind(to.to_string());
        }
        if self.breached && plan.breached_by_scan {
            push_breached_by_scan(sql, now);
        } else if self.breached {
            push_breached(sql, now);
        }
        // TODO: a word index (FTS5 on SQLite, a trigram or tsvector index on PostgreSQL)
        // instead of scanning the folded column, for free-text search over millions of tasks.
        for word in self.text.as_deref().map(query_words).unwrap_or_default() {
            // Each word matches the beginning of a word: "ha" finds "Hà", not "Thanh".
            sql.push(" AND t.search LIKE ")
                .bind(format!("% {}%", escape_like(&word)))
                .push(" ESCAPE '\\'");
        }
    }
}

/// Choices of how a list statement writes the filter's conditions.
#[derive(Debug, Clone, Copy, Default)]
struct ListPlan {
    /// Checks breached obligations one by one instead of reading `tasks.breached_from`.
    breached_by_scan: bool,
    /// The index for result-state conditions. Sorts by id, and by deadline with several result
    /// bases, keep off the result index. Reading the sort order's index then finds a page after
    /// about 50 ÷ (share of tasks that match) rows, where the result index would sort every
    /// match.
    // NOTE: a filter that matches almost no task reads the whole sort index; each result state
    // held 1.7 % or more of the tasks in the 100 000-task benchmark data.
    results: ResultIndex,
}

/// The selection of a list statement: the reader, the filter and the instant it is judged at.
struct RowQuery<'a> {
    scope: &'a Scope,
    filter: &'a TaskFilter,
    now: Timestamp,
    plan: ListPlan,
}

/// Appends "after `cursor`" for rows with a deadline in `(deadline, id)` order. The leading
/// `t.deadline >=` gives the index scan its start; the rest keeps it exact.
fn push_after_deadline(sql: &mut Sql, cursor: &Cursor) {
    let deadline = cursor.key.clone().unwrap_or_default();
    sql.push(" AND t.deadline >= ")
        .bind(deadline.clone())
        .push(" AND (t.deadline > ")
        .bind(deadline)
        .push(" OR t.id > ")
        .bind(cursor.id)
        .push(")");
}

fn push_after(sql: &mut Sql, sort: TaskSort, after: &Cursor) {
    match sort {
        TaskSort::Deadline => match &after.key {
            // Rows with a deadline come first; after one of them come later deadlines, the same
            // deadline with a higher id, and every row without a deadline.
            Some(deadline) => {
                sql.push(" AND (t.deadline > ")
                    .bind(deadline.clone())
                    .push(" OR (t.deadline = ")
                    .bind(deadline.clone())
                    .push(" AND t.id > ")
                    .bind(after.id)
                    .push(") OR t.deadline IS NULL)");
            }
            None => {
                sql.push(" AND t.deadline IS NULL AND t.id > ")
                    .bind(after.id);
            }
        },
        TaskSort::Updated => {
            let at: i64 = after
                .key
                .as_deref()
                .and_then(|key| key.parse().ok())
                .unwrap_or(0);
            sql.push(" AND (t.updated_at < ")
                .bind(at)
                .push(" OR (t.updated_at = ")
                .bind(at)
                .push(" AND t.id < ")
                .bind(after.id)
                .push("))");
        }
        TaskSort::Newest => {
            sql.push(" AND t.id < ").bind(after.id);
        }
    }
}

fn order_by(sort: TaskSort) -> &'static str {
    match sort {
        // CASE keeps rows without a deadline last on both backends, which order NULLs apart.
        TaskSort::Deadline => {
            " ORDER BY CASE WHEN t.deadline IS NULL THEN 1 ELSE 0 END, t.deadline, t.id"
        }
        TaskSort::Updated => " ORDER BY t.updated_at DESC, t.id DESC",
        TaskSort::Newest => " ORDER BY t.id DESC",
    }
}

fn cursor_of(sort: TaskSort, row: &TaskRow) -> Cursor {
    let key = match sort {
        TaskSort::Deadline => row.deadline.map(|date| date.to_string()),
        TaskSort::Updated => Some(row.updated_at.as_millisecond().to_string()),
        TaskSort::Newest => None,
    };
    Cursor {
        key,
        id: row.id.0,
        sort: sort.name().into(),
    }
}

/// A count of tasks per result state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StateCounts {
    pub counts: Vec<(ResultState, i64)>,
    /// Tasks with a result state.
    pub total: i64,
    /// Drafts and cancelled tasks, which have none.
    pub without_result_state: i64,
}

impl Store {
    /// A page of tasks the reader may see, with result states judged on `today`.
    ///
    /// In deadline order, the rows with a deadline and those without are read by two
    /// statements, `ORDER BY t.deadline, t.id` and `ORDER BY t.id`, which an index returns in
    /// order; one statement would sort every matching row by the expression that puts
    /// missing deadlines last.
    pub async fn list_tasks(
        &self,
        scope: &Scope,
        filter: &TaskFilter,
        sort: TaskSort,
        page: &PageRequest,
        now: Timestamp,
    ) -> StoreResult<Page<TaskRow>> {
        let after = page
            .after
            .as_ref()
            .filter(|cursor| cursor.sort == sort.name());
        let limit = page.limit();
        let wanted = usize::try_from(limit).unwrap_or(usize::MAX) + 1;
        // In deadline order, one result base reads `tasks_result (result_base, deadline)` in
        // order; several bases would merge and sort every match, so those read the deadline
        // index instead.
        let results = if sort == TaskSort::Deadline && filter.result_bases() <= 1 {
            ResultIndex::Result
        } else {
            ResultIndex::SortOrder
        };
        let query = RowQuery {
            scope,
            filter,
            now,
            plan: ListPlan {
                breached_by_scan: false,
                results,
            },
        };
        let mut rows = Vec::new();
        match sort {
            TaskSort::Updated if !filter.result_states.is_empty() => {
                rows = self.select_rows_by_state(&query, wanted, after).await?;
            }
            TaskSort::Deadline => {
                let after_dated = after.filter(|cursor| cursor.key.is_some());
                let after_undated = after.filter(|cursor| cursor.key.is_none());
                if after_undated.is_none() {
                    rows = self
                        .select_rows(&query, wanted, |sql| {
                            sql.push(" AND t.deadline IS NOT NULL");
                            if let Some(cursor) = after_dated {
                                push_after_deadline(sql, cursor);
                            }
                            sql.push(" ORDER BY t.deadline, t.id");
                        })
                        .await?;
                }
                if rows.len() < wanted {
                    let more = self
                        .select_rows(&query, wanted - rows.len(), |sql| {
                            sql.push(" AND t.deadline IS NULL");
                            if let Some(cursor) = after_undated {
                                sql.push(" AND t.id > ").bind(cursor.id);
                            }
                            sql.push(" ORDER BY t.id");
                        })
                        .await?;
                    rows.extend(more);
                }
            }
            TaskSort::Updated | TaskSort::Newest => {
                rows = self
                    .select_rows(&query, wanted, |sql| {
                        if let Some(cursor) = after {
                            push_after(sql, sort, cursor);
                        }
                        sql.push(order_by(sort));
                    })
                    .await?;
            }
        }
        self.reveal_row_symbols(scope, &mut rows).await?;
        Ok(Page::from_rows(rows, limit, |row| cursor_of(sort, row)))
    }

    /// Reads the same page as [`Store::list_tasks`] with one statement that sorts every
    /// matching row and checks breached obligations one by one: the reference that tests
    /// compare the indexed statements with.
    #[cfg(feature = "testing")]
    pub async fn list_tasks_by_scan(
        &self,
        scope: &Scope,
        filter: &TaskFilter,
        sort: TaskSort,
        page: &PageRequest,
        now: Timestamp,
    ) -> StoreResult<Page<TaskRow>> {
        let after = page
            .after
            .as_ref()
            .filter(|cursor| cursor.sort == sort.name());
        let limit = page.limit();
        let query = RowQuery {
            scope,
            filter,
            now,
            plan: ListPlan {
                breached_by_scan: true,
                results: ResultIndex::Result,
            },
        };
        let wanted = usize::try_from(limit).unwrap_or(usize::MAX) + 1;
        let mut rows = self
            .select_rows(&query, wanted, |sql| {
                if let Some(cursor) = after {
                    push_after(sql, sort, cursor);
                }
                sql.push(order_by(sort));
            })
            .await?;
        self.reveal_row_symbols(scope, &mut rows).await?;
        Ok(Page::from_rows(rows, limit, |row| cursor_of(sort, row)))
    }

    /// Selects at most `limit` list rows matching `query`; `finish` appends the conditions of
    /// the page and the `ORDER BY`.
    async fn select_rows(
        &self,
        query: &RowQuery<'_>,
        limit: usize,
        finish: impl FnOnce(&mut Sql),
    ) -> StoreResult<Vec<TaskRow>> {
        let today = theodoi_calendar::local_date(query.now).to_string();
        let mut sql = Sql::new(&format!("SELECT {ROW_COLUMNS}, "));
        push_result_state(&mut sql, &today);
        sql.push(
            " AS result_state FROM tasks t JOIN documents d ON d.id = t.document_id WHERE 1 = 1",
        );
        let wide = match query.scope.visibility {
            Visibility::Within(org) => self.db.wide_bodies.is_wide(&self.db.pool, org).await?,
            Visibility::Everything => false,
        };
        if wide {
            query.scope.restrict_tasks_by_probe(&mut sql);
        } else {
            query.scope.restrict_tasks(&mut sql);
        }
        query
            .filter
            .push_conditions_checked(&mut sql, &today, query.now, query.plan);
        finish(&mut sql);
        sql.limit(i64::try_from(limit).unwrap_or(i64::MAX));
        let rows = sql.query().fetch_all(&self.db.pool).await?;
        rows.iter().map(decode_row).collect()
    }

    /// Reads the first `limit` rows of `query` in order of change with one statement per
    /// result state, each reading `tasks_result_updated` from the newest change, and merges
    /// them. The sort index alone would pass over every task changed since the newest match:
    /// after a burst of writes to open tasks, tens of thousands for completed ones.
    async fn select_rows_by_state(
        &self,
        query: &RowQuery<'_>,
        limit: usize,
        after: Option<&Cursor>,
    ) -> StoreResult<Vec<TaskRow>> {
        let mut rows = Vec::new();
        for state in &query.filter.result_states {
            let one_state = TaskFilter {
                result_states: vec![*state],
                ..query.filter.clone()
            };
            let arm = RowQuery {
                filter: &one_state,
                plan: ListPlan {
                    results: ResultIndex::BaseThenUpdated,
                    ..query.plan
                },
                ..*query
            };
            let found = self
                .select_rows(&arm, limit, |sql| {
                    if let Some(cursor) = after {
                        push_after(sql, TaskSort::Updated, cursor);
                    }
                    sql.push(order_by(TaskSort::Updated));
                })
                .await?;
            rows.extend(found);
        }
        // A state listed twice yields its rows twice.
        rows.sort_by_key(|row| std::cmp::Reverse((row.updated_at, row.id)));
        rows.dedup_by_key(|row| row.id);
        rows.truncate(limit);
        Ok(rows)
    }

    /// One task's list row, if the reader may see it.
    pub async fn task_row(
        &self,
        scope: &Scope,
        id: TaskId,
        now: Timestamp,
    ) -> StoreResult<Option<TaskRow>> {
        Ok(self.task_rows(scope, &[id], now).await?.remove(&id))
    }

    /// Reads the list rows of those of `ids` that the reader may see, by id, in one statement
    /// per 500 ids.
    pub async fn task_rows(
        &self,
        scope: &Scope,
        ids: &[TaskId],
        now: Timestamp,
    ) -> StoreResult<HashMap<TaskId, TaskRow>> {
        let today = theodoi_calendar::local_date(now).to_string();
        let mut found = HashMap::with_capacity(ids.len());
        // A bound list stays within every backend's limit on parameters.
        for chunk in ids.chunks(500) {
            let mut sql = Sql::new(&format!("SELECT {ROW_COLUMNS}, "));
            push_result_state(&mut sql, &today);
            sql.push(
                " AS result_state FROM tasks t JOIN documents d ON d.id = t.document_id \
                 WHERE t.id IN ",
            );
            let chunk: Vec<i64> = chunk.iter().map(|id| id.0).collect();
            sql.bind_list(&chunk);
            scope.restrict_tasks(&mut sql);
            let rows = sql.query().fetch_all(&self.db.pool).await?;
            let mut rows: Vec<TaskRow> = rows.iter().map(decode_row).collect::<StoreResult<_>>()?;
            self.reveal_row_symbols(scope, &mut rows).await?;
            found.extend(rows.into_iter().map(|row| (row.id, row)));
        }
        Ok(found)
    }

    async fn reveal_row_symbols(&self, scope: &Scope, rows: &mut [TaskRow]) -> StoreResult<()> {
        let mut symbols: Vec<(i64, &mut String)> = rows
            .iter_mut()
            .map(|row| (row.document_id.0, &mut row.document_symbol))
            .collect();
        self.reveal_symbols(scope, &mut symbols).await
    }

    /// Counts the tasks the reader may see that match `filter`, by result state on `today`.
    /// A filter on no more than the lead body, executing unit, priority, confidentiality and
    /// result state reads the counts that the write path keeps. Other filters count the tasks
    /// with [`Store::count_by_state_by_scan`].
    pub async fn count_by_state(
        &self,
        scope: &Scope,
        filter: &TaskFilter,
        now: Timestamp,
    ) -> StoreResult<StateCounts> {
        let Some(narrowed) = tally_filter(filter) else {
            return self.count_by_state_cached(scope, filter, now).await;
        };
        let today = theodoi_calendar::local_date(now);
        let tally = tally_cells(&self.db, scope, &narrowed, today).await?;
        let mut by_state: BTreeMap<ResultState, i64> = BTreeMap::new();
        let mut counts = StateCounts::default();
        for (&state, &n) in &tally.by_state {
            match state {
                Some(state)
                    if filter.result_states.is_empty() || filter.result_states.contains(&state) =>
                {
                    *by_state.entry(state).or_default() += n;
                    counts.total += n;
                }
                Some(_) => {}
                // A filter on result states leaves out the tasks without one.
                None if filter.result_states.is_empty() => counts.without_result_state += n,
                None => {}
            }
        }
        counts.counts = by_state.into_iter().collect();
        Ok(counts)
    }

    /// Counts by scanning, on SQLite through the count cache: the counts read for the same
    /// scope, filter and date are reused until a task or document is written or, with the
    /// breached filter, until the next open obligation falls due.
    async fn count_by_state_cached(
        &self,
        scope: &Scope,
        filter: &TaskFilter,
        now: Timestamp,
    ) -> StoreResult<StateCounts> {
        if self.db.backend != Backend::Sqlite {
            return self.count_by_state_by_scan(scope, filter, now).await;
        }
        let now_ms = time::to_ms(now);
        let reading = format!(
            "{:?}|{:?}|{filter:?}|{}",
            scope.visibility,
            scope.levels(),
            theodoi_calendar::local_date(now)
        );
        // One snapshot for the state and the counts, so the counts belong to that state.
        let mut tx = self.db.counting(scope).begin().await?;
        let state = table_state::written_state(&mut tx).await?;
        let conn = &mut *tx;
        let counts = self
            .db
            .count_cache
            .get_or_read(&state, &reading, now_ms, move || async move {
                let counts = count_by_state_on(conn, scope, filter, now).await?;
                let valid_until = if filter.breached {
                    table_state::next_breach(conn, now_ms).await?
                } else {
                    i64::MAX
                };
                Ok((counts, valid_until))
            })
            .await?;
        tx.rollback().await?;
        Ok(counts)
    }

    /// Counts like [`Store::count_by_state`] by reading the tasks themselves.
    pub async fn count_by_state_by_scan(
        &self,
        scope: &Scope,
        filter: &TaskFilter,
        now: Timestamp,
    ) -> StoreResult<StateCounts> {
        let mut conn = self.db.counting(scope).acquire().await?;
        count_by_state_on(&mut conn, scope, filter, now).await
    }
}

async fn count_by_state_on(
    conn: &mut sqlx::AnyConnection,
    scope: &Scope,
    filter: &TaskFilter,
    now: Timestamp,
) -> StoreResult<StateCounts> {
    let today = theodoi_calendar::local_date(now).to_string();
    // One sum per state instead of GROUP BY: SQLite would sort every match to group them,
    // in memory, which took 20 MB per request for a text search at a million tasks.
    let mut sql = Sql::new("SELECT COUNT(*) AS n");
    for (index, state) in ResultState::ALL.into_iter().enumerate() {
        sql.push(", COALESCE(SUM(CASE WHEN ");
        push_state_condition(&mut sql, state, &today, ResultIndex::Result);
        sql.push(&format!(" THEN 1 ELSE 0 END), 0) AS s{index}"));
    }
    sql.push(" FROM tasks t WHERE 1 = 1");
    scope.restrict_tasks(&mut sql);
    filter.push_conditions(&mut sql, &today, now);
    let row = sql.query().fetch_one(&mut *conn).await?;

    let mut counts = StateCounts::default();
    for (index, state) in ResultState::ALL.into_iter().enumerate() {
        let n: i64 = row.try_get(format!("s{index}").as_str())?;
        if n > 0 {
            counts.counts.push((state, n));
            counts.total += n;
        }
    }
    let all: i64 = row.try_get("n")?;
    counts.without_result_state = all - counts.total;
    counts.counts.sort_by_key(|(state, _)| *state);
    Ok(counts)
}
