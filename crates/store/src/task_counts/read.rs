//! Reading `task_tally_counts`, corrected from the pivot date to the reader's day.

use super::OPEN_BASES;
use super::TallyKey;
use super::mirror::TallyCopy;
use crate::db::{Backend, Db};
use crate::error::{StoreError, StoreResult};
use crate::scope::{Scope, Visibility};
use crate::sql::Sql;
use crate::task_list::TaskFilter;
use jiff::civil::Date;
use sqlx::Row;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use theodoi_domain::result::ResultState;

/// A tally cell: lead body, executing unit, priority and result state (`None` for drafts and
/// cancelled tasks).
pub(crate) type CellKey = (i64, String, String, Option<ResultState>);

/// A tally as read: the number of tasks per cell, and their sums per result state.
#[derive(Debug)]
pub(crate) struct Tally {
    pub cells: BTreeMap<CellKey, i64>,
    /// Tasks per result state (`None` for drafts and cancelled tasks), added up once per
    /// reading because a list page's counts need only these.
    pub by_state: BTreeMap<Option<ResultState>, i64>,
}

/// A tally shared by the requests that read the same state of the count tables.
pub(crate) type Cells = Arc<Tally>;

/// Reads the stored pivot date, which a database gets with its first task command.
pub(crate) async fn current_pivot<'e, E>(executor: E) -> StoreResult<Option<String>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let row = sqlx::query("SELECT pivot FROM task_counts_pivot WHERE id = 1")
        .fetch_optional(executor)
        .await?;
    Ok(row.map(|row| row.try_get("pivot")).transpose()?)
}

/// Returns `filter` without its result states when the count tables can count it: only
/// conditions on the lead body, executing unit, priority and confidentiality, which are
/// columns of `task_tally_counts` and `task_viewer_tally_counts`. The result states are
/// applied to the cells afterwards.
pub(crate) fn tally_filter(filter: &TaskFilter) -> Option<TaskFilter> {
    // Destructured in full, so that a new filter field needs a decision here.
    let TaskFilter {
        result_states: _,
        statuses,
        lead_body: _,
        include_subunits: _,
        body,
        monitoring_body,
        priority: _,
        scope: task_scope,
        executing_unit: _,
        other_class,
        confidentiality: _,
        document_id,
        group_id,
        parent_id,
        subtasks,
        has_deadline,
        deadline_from,
        deadline_to,
        breached,
        text,
    } = filter;
    let answerable = statuses.is_empty()
        && body.is_none()
        && monitoring_body.is_none()
        && task_scope.is_none()
        && other_class.is_none()
        && document_id.is_none()
        && group_id.is_none()
        && parent_id.is_none()
        && subtasks.is_none()
        && has_deadline.is_none()
        && deadline_from.is_none()
        && deadline_to.is_none()
        && !breached
        && text.as_deref().is_none_or(|words| words.trim().is_empty());
    answerable.then(|| TaskFilter {
        result_states: Vec::new(),
        ..filter.clone()
    })
}

/// Counts the tasks that `scope` and `filter` (from [`tally_filter`]) select, per tally cell,
/// judged on `today`. Reads the count table (`task_tally_counts` for readers who see
/// everything, the reader's body's rows of `task_viewer_tally_counts` for the others) and the
/// tasks whose deadline lies between the pivot and `today` in one snapshot. On SQLite the
/// cells read for the same state of the tables are reused, and readers who see everything
/// filter the copy of `task_tally_counts` in memory (see [`mirror`](super::mirror)), which
/// may be of a later state than their snapshot when no correction is needed.
pub(crate) async fn tally_cells(
    db: &Db,
    scope: &Scope,
    filter: &TaskFilter,
    today: Date,
) -> StoreResult<Cells> {
    let today = today.to_string();
    // One snapshot for every read: a pivot advance committed between two of them would have
    // moved some tasks in the count table that the correction then moves again.
    let pool = db.counting(scope);
    let mut tx = match db.backend {
        Backend::Sqlite => pool.begin().await?,
        Backend::Postgres => {
            pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .await?
        }
    };
    // Without a pivot row the count tables are empty, and so is the correction.
    let pivot = current_pivot(&mut *tx)
        .await?
        .unwrap_or_else(|| today.clone());
    let cells = match db.backend {
        Backend::Sqlite => {
            // SQLite's single writer hands out event ids in commit order, so the highest id
            // and the pivot name one state of the count tables. On PostgreSQL a transaction
            // holding a lower id can commit after a higher one was read.
            let last = crate::db::last_event(&mut tx).await?;
            let state = format!("{pivot}|{last}");
            let reading = format!(
                "{:?}|{:?}|{filter:?}|{today}",
                scope.visibility,
                scope.levels()
            );
            let tx = &mut tx;
            let (pivot, today) = (&pivot, &today);
            let mirror = &db.tally_mirror;
            db.tally_cache
                .get_or_read(&state, &reading, 0, move || async move {
                    let source = match scope.visibility {
                        // The correction reads the tasks of this snapshot, so the copy must
                        // be of the same state when there is one to make.
                        Visibility::Everything => {
                            let exact = pivot != today;
                            Source::Copy(mirror.copy_for(tx, pivot, last, exact).await?)
                        }
                        Visibility::Within(_) => Source::Table,
                    };
                    let cells = read_cells(tx, scope, filter, pivot, today, source).await?;
                    Ok((cells, i64::MAX))
                })
                .await?
        }
        Backend::Postgres => {
            read_cells(&mut tx, scope, filter, &pivot, &today, Source::Table).await?
        }
    };
    tx.rollback().await?;
    Ok(cells)
}

/// The source of the counts judged on the pivot.
enum Source {
    /// The count table of the reader's scope.
    Table,
    /// The copy of `task_tally_counts` in memory, for readers who see everything.
    Copy(Arc<TallyCopy>),
}

/// Reads the cells of [`tally_cells`] in `tx`, with the count tables judged on `pivot`.
async fn read_cells(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    scope: &Scope,
    filter: &TaskFilter,
    pivot: &str,
    today: &str,
    source: Source,
) -> StoreResult<Cells> {
    let mut cells = match source {
        Source::Table => read_table_cells(tx, scope, filter, today).await?,
        Source::Copy(copy) => {
            let matcher = CopyFilter::new(tx, scope, filter).await?;
            copy_cells(&copy, &matcher)?
        }
    };

    if pivot != today {
        // Tasks due in [low, high) changed state between the pivot and `today`.
        let (low, high, stored, actual) = if pivot < today {
            (pivot, today, "_on_time", "_overdue")
        } else {
            (today, pivot, "_overdue", "_on_time")
        };
        let mut sql = Sql::new(
            "SELECT t.lead_body, t.executing_unit, t.priority, t.result_base, COUNT(*) AS n \
             FROM tasks t WHERE t.result_base IN ",
        );
        sql.bind_list(&OPEN_BASES)
            .push(" AND t.deadline >= ")
            .bind(low.to_owned())
            .push(" AND t.deadline < ")
            .bind(high.to_owned());
        scope.restrict_tasks(&mut sql);
        filter.push_conditions(&mut sql, today, jiff::Timestamp::UNIX_EPOCH);
        sql.push(" GROUP BY 1, 2, 3, 4");
        for row in sql.query().fetch_all(&mut **tx).await? {
            let base: String = row.try_get("result_base")?;
            let n: i64 = row.try_get("n")?;
            let lead: i64 = row.try_get("lead_body")?;
            let unit: String = row.try_get("executing_unit")?;
            let priority: String = row.try_get("priority")?;
            let from = parse_state(&format!("{base}{stored}"))?;
            let to = parse_state(&format!("{base}{actual}"))?;
            *cells
                .entry((lead, unit.clone(), priority.clone(), Some(from)))
                .or_default() -= n;
            *cells.entry((lead, unit, priority, Some(to))).or_default() += n;
        }
    }
    cells.retain(|_, n| *n != 0);
    let mut by_state = BTreeMap::new();
    for ((_, _, _, state), n) in &cells {
        *by_state.entry(*state).or_default() += n;
    }
    Ok(Arc::new(Tally { cells, by_state }))
}

/// Reads the cells judged on the pivot from the count table of the reader's scope.
async fn read_table_cells(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    scope: &Scope,
    filter: &TaskFilter,
    today: &str,
) -> StoreResult<BTreeMap<CellKey, i64>> {
    let table = match scope.visibility {
        Visibility::Everything => "task_tally_counts",
        Visibility::Within(_) => "task_viewer_tally_counts",
    };
    let mut sql = Sql::new(&format!(
        "SELECT t.lead_body, t.executing_unit, t.priority, t.state, CAST(SUM(t.n) AS BIGINT) AS n \
         FROM {table} t WHERE t.n <> 0 AND t.confidentiality IN "
    ));
    sql.bind_list(&scope.levels());
    if let Visibility::Within(org) = scope.visibility {
        sql.push(" AND t.org_id = ").bind(org.0);
    }
    filter.push_conditions(&mut sql, today, jiff::Timestamp::UNIX_EPOCH);
    sql.push(" GROUP BY 1, 2, 3, 4");
    let mut cells = BTreeMap::new();
    for row in sql.query().fetch_all(&mut **tx).await? {
        let state: String = row.try_get("state")?;
        let key = (
            row.try_get("lead_body")?,
            row.try_get("executing_unit")?,
            row.try_get("priority")?,
            stored_state(&state)?,
        );
        *cells.entry(key).or_default() += row.try_get::<i64, _>("n")?;
    }
    Ok(cells)
}

/// The conditions of a tally filter and the reader's clearance, on the rows of the copy.
struct CopyFilter {
    levels: Vec<&'static str>,
    /// The lead bodies selected, when the filter names one.
    leads: Option<HashSet<i64>>,
    priority: Option<String>,
    executing_unit: Option<String>,
}

impl CopyFilter {
    /// Builds the conditions of `filter` (from [`tally_filter`]), reading the units below a
    /// lead body in `tx`.
    async fn new(
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        scope: &Scope,
        filter: &TaskFilter,
    ) -> StoreResult<CopyFilter> {
        let mut levels = scope.levels();
        if !filter.confidentiality.is_empty() {
            levels.retain(|level| {
                filter
                    .confidentiality
                    .iter()
                    .any(|chosen| chosen.as_str() == *level)
            });
        }
        let leads = match filter.lead_body {
            Some(lead) if filter.include_subunits => {
                let rows = sqlx::query("SELECT descendant FROM org_closure WHERE ancestor = $1")
                    .bind(lead.0)
                    .fetch_all(&mut **tx)
                    .await?;
                let units = rows
                    .iter()
                    .map(|row| row.try_get("descendant"))
                    .collect::<Result<_, _>>()?;
                Some(units)
            }
            Some(lead) => Some(HashSet::from([lead.0])),
            None => None,
        };
        Ok(CopyFilter {
            levels,
            leads,
            priority: filter.priority.clone(),
            executing_unit: filter.executing_unit.clone(),
        })
    }

    fn admits(&self, (lead, unit, priority, level, _): &TallyKey) -> bool {
        self.levels.contains(&level.as_str())
            && self.leads.as_ref().is_none_or(|leads| leads.contains(lead))
            && self
                .priority
                .as_ref()
                .is_none_or(|chosen| chosen == priority)
            && self
                .executing_unit
                .as_ref()
                .is_none_or(|chosen| chosen == unit)
    }
}

/// Adds up the rows of `copy` that `matcher` admits, per cell.
fn copy_cells(copy: &TallyCopy, matcher: &CopyFilter) -> StoreResult<BTreeMap<CellKey, i64>> {
    let mut cells = BTreeMap::new();
    for (key, n) in &copy.rows {
        if !matcher.admits(key) {
            continue;
        }
        let (lead, unit, priority, _, state) = key;
        let cell = (*lead, unit.clone(), priority.clone(), stored_state(state)?);
        *cells.entry(cell).or_default() += n;
    }
    Ok(cells)
}

/// Parses the `state` column of the tally tables: '' for tasks without a result state.
fn stored_state(code: &str) -> StoreResult<Option<ResultState>> {
    match code {
        "" => Ok(None),
        code => parse_state(code).map(Some),
    }
}

fn parse_state(code: &str) -> StoreResult<ResultState> {
    ResultState::parse(code).ok_or_else(|| StoreError::corrupt(format!("result state {code}")))
}
