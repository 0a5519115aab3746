//! Task counts kept by the write path (tables of migration 0110): per lead body,
//! classification, confidentiality and result state, per deadline and per completion date.
//! The tables of migration 0150 hold the same counts per body the tasks are visible to, for
//! readers limited to a body's subtree. Every command that writes a row of `tasks` records
//! how the row's counted values and its viewers changed, and the transaction adds the
//! differences to the count tables when it commits.
//!
//! The result state of a task in progress or not started with a deadline depends on the day.
//! `task_tally_counts` judges it on a stored pivot date. Readers on another day correct the
//! tasks whose deadline lies between the pivot and their day (see [`read`]).
//! [`Store::advance_task_counts_pivot`] moves the pivot to today.
//!
//! Concurrency: on PostgreSQL (READ COMMITTED) every writer holds a share lock on the pivot
//! row from its first counted change to its commit, and the pivot's advance takes the row
//! exclusively. So the advance sees every committed writer's rows and no writer judges its
//! rows on a pivot that moves under it. The count rows are updated in key order at commit,
//! so two writers never wait for each other's count rows in opposite orders. SQLite admits
//! one writer at a time.

pub(crate) mod mirror;
pub(crate) mod read;

use crate::Store;
use crate::db::{Backend, WriteTx};
use crate::error::StoreResult;
use crate::read_model::TaskRecord;
use jiff::civil::Date;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

/// Result bases of tasks whose state on a day depends on whether their deadline has passed.
pub(crate) const OPEN_BASES: [&str; 2] = ["in_progress", "not_started"];

/// Counts the tasks per key of `task_tally_counts`, judged on the stored pivot date: what the
/// table must contain. The same rule as [`tally_state`].
pub(crate) const TALLY_RECOUNT: &str = "SELECT t.lead_body, t.executing_unit, t.priority, \
    t.confidentiality, CASE WHEN t.result_base IN ('in_progress', 'not_started') \
    AND t.deadline IS NOT NULL THEN t.result_base || CASE WHEN t.deadline >= p.pivot \
    THEN '_on_time' ELSE '_overdue' END WHEN t.result_base = 'none' THEN '' \
    ELSE t.result_base END AS state, COUNT(*) AS n \
    FROM tasks t CROSS JOIN task_counts_pivot p GROUP BY 1, 2, 3, 4, 5";

/// Counts the tasks per key of `task_viewer_tally_counts`: [`TALLY_RECOUNT`] per body the
/// tasks are visible to.
pub(crate) const VIEWER_TALLY_RECOUNT: &str = "SELECT v.org_id, t.lead_body, t.executing_unit, \
    t.priority, t.confidentiality, CASE WHEN t.result_base IN ('in_progress', 'not_started') \
    AND t.deadline IS NOT NULL THEN t.result_base || CASE WHEN t.deadline >= p.pivot \
    THEN '_on_time' ELSE '_overdue' END WHEN t.result_base = 'none' THEN '' \
    ELSE t.result_base END AS state, COUNT(*) AS n \
    FROM task_viewers v JOIN tasks t ON t.id = v.task_id CROSS JOIN task_counts_pivot p \
    GROUP BY 1, 2, 3, 4, 5, 6";

/// The values of a task row that the count tables count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CountedRow {
    pub lead_body: i64,
    pub executing_unit: String,
    pub priority: String,
    pub confidentiality: String,
    pub result_base: String,
    pub deadline: Option<String>,
    pub completed_on: Option<String>,
}

impl CountedRow {
    pub fn of(record: &TaskRecord) -> CountedRow {
        CountedRow {
            lead_body: record.lead_body,
            executing_unit: record.executing_unit.clone(),
            priority: record.priority.clone(),
            confidentiality: record.confidentiality.clone(),
            result_base: record.result_base.clone(),
            deadline: record.deadline.clone(),
            completed_on: record.completed_on.clone(),
        }
    }

    /// Reads the stored row of task `id`, before a command rewrites it.
    pub async fn load(tx: &mut WriteTx, id: i64) -> StoreResult<Option<CountedRow>> {
        let row = sqlx::query(
            "SELECT lead_body, executing_unit, priority, confidentiality, result_base, deadline, \
             completed_on FROM tasks WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut ***tx)
        .await?;
        row.map(|row| {
            Ok(CountedRow {
                lead_body: row.try_get("lead_body")?,
                executing_unit: row.try_get("executing_unit")?,
                priority: row.try_get("priority")?,
                confidentiality: row.try_get("confidentiality")?,
                result_base: row.try_get("result_base")?,
                deadline: row.try_get("deadline")?,
                completed_on: row.try_get("completed_on")?,
            })
        })
        .transpose()
    }
}

/// Returns the `state` column of `task_tally_counts` for a task judged on `pivot`: the result
/// state code as `push_result_state` gives it, or '' for result base `none`.
pub(crate) fn tally_state(result_base: &str, deadline: Option<&str>, pivot: &str) -> String {
    match deadline {
        Some(deadline) if OPEN_BASES.contains(&result_base) => {
            let judged = if deadline >= pivot {
                "_on_time"
            } else {
                "_overdue"
            };
            format!("{result_base}{judged}")
        }
        _ if result_base == "none" => String::new(),
        _ => result_base.to_owned(),
    }
}

/// Key of `task_tally_counts`: lead body, executing unit, priority, confidentiality, state.
pub(crate) type TallyKey = (i64, String, String, String, String);
/// Key of `task_deadline_counts` and `task_completion_counts`: date, result base,
/// confidentiality.
pub(crate) type DayKey = (String, String, String);

/// Changes to the count tables that a write transaction has made so far, added to the tables
/// at commit.
#[derive(Debug, Default)]
pub(crate) struct CountChanges {
    /// The pivot read, and share-locked on PostgreSQL, by this transaction.
    pivot: Option<String>,
    /// The pivot this transaction moves to, if it does.
    moved_to: Option<String>,
    tally: BTreeMap<TallyKey, i64>,
    /// The tally per body the tasks are visible to: `task_viewer_tally_counts`.
    viewer_tally: BTreeMap<(i64, TallyKey), i64>,
    deadlines: BTreeMap<DayKey, i64>,
    completions: BTreeMap<DayKey, i64>,
    /// The day counts per body the tasks are visible to: `task_viewer_deadline_counts` and
    /// `task_viewer_completion_counts`.
    viewer_deadlines: BTreeMap<(i64, DayKey), i64>,
    viewer_completions: BTreeMap<(i64, DayKey), i64>,
}

impl CountChanges {
    /// Returns the transaction's changes to `task_tally_counts`, for the copy in memory.
    pub fn mirrored(&self) -> mirror::Changes<'_> {
        mirror::Changes {
            tally: &self.tally,
            judged_on: self.pivot.as_deref(),
            moved_to: self.moved_to.as_deref(),
        }
    }

    /// Returns whether the transaction changes `task_tally_counts` or its pivot.
    pub fn changes_tally(&self) -> bool {
        self.moved_to.is_some() || self.tally.values().any(|n| *n != 0)
    }

    /// Adds `sign` (1 or -1) times the counts of `row`, judged on `pivot`, for the whole tally
    /// and for each body in `viewers`.
    fn count(&mut self, row: &CountedRow, viewers: &BTreeSet<i64>, pivot: &str, sign: i64) {
        let state = tally_state(&row.result_base, row.deadline.as_deref(), pivot);
        let key = (
            row.lead_body,
            row.executing_unit.clone(),
            row.priority.clone(),
            row.confidentiality.clone(),
            state,
        );
        add_per_viewer(&mut self.viewer_tally, viewers, &key, sign);
        *self.tally.entry(key).or_default() += sign;
        if let Some(deadline) = &row.deadline {
            let key = (
                deadline.clone(),
                row.result_base.clone(),
                row.confidentiality.clone(),
            );
            add_per_viewer(&mut self.viewer_deadlines, viewers, &key, sign);
            *self.deadlines.entry(key).or_default() += sign;
        }
        if let Some(completed_on) = &row.completed_on {
            let key = (
                completed_on.clone(),
                row.result_base.clone(),
                row.confidentiality.clone(),
            );
            add_per_viewer(&mut self.viewer_completions, viewers, &key, sign);
            *self.completions.entry(key).or_default() += sign;
        }
    }
}

fn add_per_viewer<K: Ord + Clone>(
    counts: &mut BTreeMap<(i64, K), i64>,
    viewers: &BTreeSet<i64>,
    key: &K,
    sign: i64,
) {
    for viewer in viewers {
        *counts.entry((*viewer, key.clone())).or_default() += sign;
    }
}

/// A task's counted values and the bodies that see it, at one moment.
pub(crate) type Counted<'a> = (&'a CountedRow, &'a BTreeSet<i64>);

/// Records that a task changed from `old` to `new` (`None` before an insert) by a command of
/// the local date `today`.
pub(crate) async fn record_change(
    tx: &mut WriteTx,
    old: Option<Counted<'_>>,
    new: Counted<'_>,
    today: Date,
) -> StoreResult<()> {
    if old == Some(new) {
        return Ok(());
    }
    let pivot = pivot_for_write(tx, today).await?;
    if let Some((row, viewers)) = old {
        tx.task_counts.count(row, viewers, &pivot, -1);
    }
    tx.task_counts.count(new.0, new.1, &pivot, 1);
    Ok(())
}

/// Returns the pivot for this transaction, reading it (with a share lock on PostgreSQL) the
/// first time. The first command of a new database stores `today` as the pivot.
async fn pivot_for_write(tx: &mut WriteTx, today: Date) -> StoreResult<String> {
    if let Some(pivot) = &tx.task_counts.pivot {
        return Ok(pivot.clone());
    }
    sqlx::query(
        "INSERT INTO task_counts_pivot (id, pivot) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
    )
    .bind(today.to_string())
    .execute(&mut ***tx)
    .await?;
    let statement = match tx.backend() {
        Backend::Sqlite => "SELECT pivot FROM task_counts_pivot WHERE id = 1",
        Backend::Postgres => "SELECT pivot FROM task_counts_pivot WHERE id = 1 FOR SHARE",
    };
    let pivot: String = sqlx::query(statement)
        .fetch_one(&mut ***tx)
        .await?
        .try_get("pivot")?;
    tx.task_counts.pivot = Some(pivot.clone());
    Ok(pivot)
}

/// Adds the recorded changes to the count tables, in key order. Called by
/// [`WriteTx::commit`].
pub(crate) async fn flush(
    conn: &mut sqlx::AnyConnection,
    changes: &CountChanges,
) -> StoreResult<()> {
    for ((lead, unit, priority, level, state), n) in &changes.tally {
        if *n == 0 {
            continue;
        }
        sqlx::query(
            "INSERT INTO task_tally_counts (lead_body, executing_unit, priority, confidentiality, \
             state, n) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (lead_body, executing_unit, priority, confidentiality, state) \
             DO UPDATE SET n = task_tally_counts.n + excluded.n",
        )
        .bind(*lead)
        .bind(unit)
        .bind(priority)
        .bind(level)
        .bind(state)
        .bind(*n)
        .execute(&mut *conn)
        .await?;
    }
    for ((viewer, (lead, unit, priority, level, state)), n) in &changes.viewer_tally {
        if *n == 0 {
            continue;
        }
        sqlx::query(
            "INSERT INTO task_viewer_tally_counts (org_id, lead_body, executing_unit, priority, \
             confidentiality, state, n) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (org_id, lead_body, executing_unit, priority, confidentiality, state) \
             DO UPDATE SET n = task_viewer_tally_counts.n + excluded.n",
        )
        .bind(*viewer)
        .bind(*lead)
        .bind(unit)
        .bind(priority)
        .bind(level)
        .bind(state)
        .bind(*n)
        .execute(&mut *conn)
        .await?;
    }
    flush_days(conn, "task_deadline_counts", "deadline", &changes.deadlines).await?;
    flush_days(
        conn,
        "task_completion_counts",
        "completed_on",
        &changes.completions,
    )
    .await?;
    flush_viewer_days(
        conn,
        "task_viewer_deadline_counts",
        "deadline",
        &changes.viewer_deadlines,
    )
    .await?;
    flush_viewer_days(
        conn,
        "task_viewer_completion_counts",
        "completed_on",
        &changes.viewer_completions,
    )
    .await
}

async fn flush_viewer_days(
    conn: &mut sqlx::AnyConnection,
    table: &str,
    day_column: &str,
    changes: &BTreeMap<(i64, DayKey), i64>,
) -> StoreResult<()> {
    let statement = format!(
        "INSERT INTO {table} (org_id, {day_column}, result_base, confidentiality, n) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (org_id, {day_column}, result_base, confidentiality) \
         DO UPDATE SET n = {table}.n + excluded.n"
    );
    for ((viewer, (day, base, level)), n) in changes {
        if *n == 0 {
            continue;
        }
        sqlx::query(sqlx::AssertSqlSafe(statement.clone()))
            .bind(*viewer)
            .bind(day)
            .bind(base)
            .bind(level)
            .bind(*n)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn flush_days(
    conn: &mut sqlx::AnyConnection,
    table: &str,
    day_column: &str,
    changes: &BTreeMap<DayKey, i64>,
) -> StoreResult<()> {
    let statement = format!(
        "INSERT INTO {table} ({day_column}, result_base, confidentiality, n) \
         VALUES ($1, $2, $3, $4) ON CONFLICT ({day_column}, result_base, confidentiality) \
         DO UPDATE SET n = {table}.n + excluded.n"
    );
    for ((day, base, level), n) in changes {
        if *n == 0 {
            continue;
        }
        sqlx::query(sqlx::AssertSqlSafe(statement.clone()))
            .bind(day)
            .bind(base)
            .bind(level)
            .bind(*n)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

impl Store {
    /// Moves the pivot date of the task counts forward to `today`, re-judging the tasks in
    /// progress or not started whose deadline lies between the old pivot and `today`. Does
    /// nothing when the pivot is `today` or later. Returns how many tasks were re-judged.
    ///
    /// Readers give exact counts on any pivot; a recent one keeps their correction small.
    pub async fn advance_task_counts_pivot(&self, today: Date) -> StoreResult<u64> {
        let today = today.to_string();
        // Without a pivot row no task was counted yet, and the first command stores one.
        match read::current_pivot(&self.db.pool).await? {
            Some(pivot) if pivot < today => {}
            _ => return Ok(0),
        }
        let mut tx = self.db.begin_write().await?;
        let statement = match tx.backend() {
            Backend::Sqlite => "SELECT pivot FROM task_counts_pivot WHERE id = 1",
            Backend::Postgres => "SELECT pivot FROM task_counts_pivot WHERE id = 1 FOR UPDATE",
        };
        let pivot: String = sqlx::query(statement)
            .fetch_one(&mut **tx)
            .await?
            .try_get("pivot")?;
        if pivot >= today {
            return Ok(0);
        }
        let moved = rejudge(&mut tx, &pivot, &today).await?;
        sqlx::query("UPDATE task_counts_pivot SET pivot = $1 WHERE id = 1")
            .bind(&today)
            .execute(&mut **tx)
            .await?;
        tx.task_counts.pivot = Some(pivot);
        tx.task_counts.moved_to = Some(today);
        tx.commit().await?;
        Ok(moved)
    }
}

/// Moves the tasks in progress or not started that are due from `pivot` to the day before
/// `today` from the on-time cells to the overdue cells. Returns how many moved.
async fn rejudge(tx: &mut WriteTx, pivot: &str, today: &str) -> StoreResult<u64> {
    let rows = sqlx::query(
        "SELECT lead_body, executing_unit, priority, confidentiality, result_base, \
         COUNT(*) AS n FROM tasks WHERE result_base IN ('in_progress', 'not_started') \
         AND deadline >= $1 AND deadline < $2 GROUP BY 1, 2, 3, 4, 5",
    )
    .bind(pivot)
    .bind(today)
    .fetch_all(&mut ***tx)
    .await?;
    let mut moved = 0;
    for row in rows {
        let n: i64 = row.try_get("n")?;
        let base: String = row.try_get("result_base")?;
        let key = |state: String| -> StoreResult<TallyKey> {
            Ok((
                row.try_get("lead_body")?,
                row.try_get("executing_unit")?,
                row.try_get("priority")?,
                row.try_get("confidentiality")?,
                state,
            ))
        };
        let tally = &mut tx.task_counts.tally;
        *tally.entry(key(format!("{base}_on_time"))?).or_default() -= n;
        *tally.entry(key(format!("{base}_overdue"))?).or_default() += n;
        moved += u64::try_from(n).unwrap_or(0);
    }

    let rows = sqlx::query(
        "SELECT v.org_id, t.lead_body, t.executing_unit, t.priority, t.confidentiality, \
         t.result_base, COUNT(*) AS n FROM tasks t JOIN task_viewers v ON v.task_id = t.id \
         WHERE t.result_base IN ('in_progress', 'not_started') \
         AND t.deadline >= $1 AND t.deadline < $2 GROUP BY 1, 2, 3, 4, 5, 6",
    )
    .bind(pivot)
    .bind(today)
    .fetch_all(&mut ***tx)
    .await?;
    for row in rows {
        let n: i64 = row.try_get("n")?;
        let base: String = row.try_get("result_base")?;
        let key = |state: String| -> StoreResult<(i64, TallyKey)> {
            Ok((
                row.try_get("org_id")?,
                (
                    row.try_get("lead_body")?,
                    row.try_get("executing_unit")?,
                    row.try_get("priority")?,
                    row.try_get("confidentiality")?,
                    state,
                ),
            ))
        };
        let tally = &mut tx.task_counts.viewer_tally;
        *tally.entry(key(format!("{base}_on_time"))?).or_default() -= n;
        *tally.entry(key(format!("{base}_overdue"))?).or_default() += n;
    }
    Ok(moved)
}
