//! The dashboard's counts of open obligations, overdue and due soon, read from the per-hour
//! counts of `obligation_summary` for whole hours and from `obligations` only for the partial
//! hours at the ends of a range.

use crate::dashboard::OpenObligationCounts;
use crate::error::StoreResult;
use crate::obligation_list::{ObligationFilter, push_obligation_filter};
use crate::obligation_summary::{HOUR_MS, VISIBLE};
use crate::scope::{Scope, Visibility};
use crate::sql::Sql;
use crate::{Store, time};
use jiff::{SignedDuration, Timestamp};
use sqlx::Row;
use theodoi_domain::ids::OrgId;

/// The table that gives the whole hours of a count.
#[derive(Debug, Clone, Copy)]
enum HourSource {
    /// `open_obligation_hours`: every body, for readers who see everything.
    AllBodies,
    /// `open_obligation_counts` of these responsible bodies. With `visible_only`, only the
    /// obligations whose task is visible to every reader of the bodies' subtree.
    Bodies {
        body: OrgId,
        include_subunits: bool,
        visible_only: bool,
    },
}

impl HourSource {
    /// Chooses the counts that give `filter` for `scope`, or `None` when only the scan of
    /// every obligation can: filters by kind or task, and body readers who request other bodies.
    fn for_request(scope: &Scope, filter: &ObligationFilter) -> Option<HourSource> {
        if !filter.kinds.is_empty() || filter.task_id.is_some() {
            return None;
        }
        match (scope.visibility, filter.responsible) {
            (Visibility::Everything, None) => Some(HourSource::AllBodies),
            (Visibility::Everything, Some(body)) => Some(HourSource::Bodies {
                body,
                include_subunits: filter.include_subunits,
                visible_only: false,
            }),
            // A body inside the reader's subtree: its visible obligations are all seen.
            (Visibility::Within(org), Some(body)) if body == org => Some(HourSource::Bodies {
                body,
                include_subunits: filter.include_subunits,
                visible_only: true,
            }),
            (Visibility::Within(_), _) => None,
        }
    }
}

/// A range of due times, `from` (or the earliest) up to `until`, exclusive.
#[derive(Debug, Clone, Copy)]
struct DueRange {
    from: Option<i64>,
    until: i64,
}

impl Store {
    /// Counts the obligations of tasks the reader may see that are still owed and either past
    /// their due time or due within `within` of `now`. Optional obligations, such as the
    /// window for feedback, are never owed.
    ///
    /// Whole hours come from the per-hour counts, so the cost grows with the hours that have
    /// open obligations (4 415 rows of `open_obligation_hours` in the 100 000-task benchmark
    /// data), not with the obligations. The partial hours around `now` and the end of the
    /// window are counted from `obligations`.
    pub async fn count_open_obligations(
        &self,
        scope: &Scope,
        filter: &ObligationFilter,
        within: SignedDuration,
        now: Timestamp,
    ) -> StoreResult<OpenObligationCounts> {
        let Some(source) = HourSource::for_request(scope, filter) else {
            return self
                .count_open_obligations_by_scan(scope, filter, within, now)
                .await;
        };
        let now_ms = time::to_ms(now);
        let end = window_end(now_ms, within).saturating_add(1);
        let overdue = DueRange {
            from: None,
            until: now_ms.min(end),
        };
        let due_soon = DueRange {
            from: Some(now_ms),
            until: end,
        };
        Ok(OpenObligationCounts {
            overdue: self.count_due(scope, filter, source, overdue).await?,
            due_soon: self.count_due(scope, filter, source, due_soon).await?,
        })
    }

    /// Counts as [`Store::count_open_obligations`] does, reading every open obligation. It
    /// serves the filters the per-hour counts cannot serve and is the reference of tests.
    pub async fn count_open_obligations_by_scan(
        &self,
        scope: &Scope,
        filter: &ObligationFilter,
        within: SignedDuration,
        now: Timestamp,
    ) -> StoreResult<OpenObligationCounts> {
        let now_ms = time::to_ms(now);
        let until = window_end(now_ms, within);
        let mut sql = Sql::new("SELECT COALESCE(SUM(CASE WHEN o.due_at < ");
        sql.bind(now_ms)
            .push(" THEN 1 ELSE 0 END), 0) AS overdue, COALESCE(SUM(CASE WHEN o.due_at >= ")
            .bind(now_ms)
            .push(
                " THEN 1 ELSE 0 END), 0) AS due_soon FROM obligations o JOIN tasks t ON t.id = o.task_id \
                 WHERE o.open = 1 AND o.optional = 0 AND o.due_at <= ",
            )
            .bind(until);
        scope.restrict_tasks(&mut sql);
        push_obligation_filter(&mut sql, filter);
        let row = sql.query().fetch_one(&self.db.pool).await?;
        Ok(OpenObligationCounts {
            overdue: row.try_get("overdue")?,
            due_soon: row.try_get("due_soon")?,
        })
    }

    /// Counts the open, non-optional obligations due in `range`: whole hours from `source`,
    /// the partial hours at either end from `obligations`.
    async fn count_due(
        &self,
        scope: &Scope,
        filter: &ObligationFilter,
        source: HourSource,
        range: DueRange,
    ) -> StoreResult<i64> {
        if range.from.is_some_and(|from| from >= range.until) {
            return Ok(0);
        }
        // Hour h contains due times [h * HOUR_MS, (h + 1) * HOUR_MS), so the whole hours in the
        // range are first_hour..end_hour.
        let first_hour = range.from.map(|from| ceil_div(from, HOUR_MS));
        let end_hour = range.until.div_euclid(HOUR_MS);
        if first_hour.is_some_and(|first| first >= end_hour) {
            return self.count_rows(scope, filter, range, false).await;
        }
        let mut count = 0;
        if let (Some(from), Some(first)) = (range.from, first_hour) {
            let head = DueRange {
                from: Some(from),
                until: first.saturating_mul(HOUR_MS),
            };
            count += self.count_rows(scope, filter, head, false).await?;
        }
        let tail = DueRange {
            from: Some(end_hour.saturating_mul(HOUR_MS)),
            until: range.until,
        };
        count += self.count_rows(scope, filter, tail, false).await?;
        count += self
            .sum_hours(scope, source, first_hour, end_hour, false)
            .await?;
        if let HourSource::Bodies {
            visible_only: true, ..
        } = source
        {
            // Obligations whose task the reader may not see are rare, so they are counted one
            // by one. NOTE: no command of the tests leaves such an obligation open, so they
            // never reach this branch.
            let hidden = self
                .sum_hours(scope, source, first_hour, end_hour, true)
                .await?;
            if hidden > 0 {
                let whole = DueRange {
                    from: first_hour.map(|first| first.saturating_mul(HOUR_MS)),
                    until: end_hour.saturating_mul(HOUR_MS),
                };
                count += self.count_rows(scope, filter, whole, true).await?;
            }
        }
        Ok(count)
    }

    /// Sums the per-hour counts of hours `first..end` for the reader's confidentiality levels;
    /// with `hidden`, the obligations that `visible_only` leaves out.
    async fn sum_hours(
        &self,
        scope: &Scope,
        source: HourSource,
        first: Option<i64>,
        end: i64,
        hidden: bool,
    ) -> StoreResult<i64> {
        let mut sql = match source {
            HourSource::AllBodies => Sql::new(
                "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM open_obligation_hours WHERE 1 = 1",
            ),
            HourSource::Bodies {
                body,
                include_subunits,
                visible_only,
            } => {
                let mut sql = Sql::new(
                    "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM open_obligation_counts WHERE ",
                );
                if include_subunits {
                    sql.push(
                        "responsible IN (SELECT descendant FROM org_closure WHERE ancestor = ",
                    )
                    .bind(body.0)
                    .push(")");
                } else {
                    sql.push("responsible = ").bind(body.0);
                }
                if visible_only {
                    sql.push(" AND visible = ")
                        .bind(if hidden { 0_i64 } else { 1 });
                }
                sql
            }
        };
        sql.push(" AND confidentiality IN ")
            .bind_list(&scope.levels());
        if let Some(first) = first {
            sql.push(" AND due_hour >= ").bind(first);
        }
        sql.push(" AND due_hour < ").bind(end);
        let row = sql.query().fetch_one(&self.db.pool).await?;
        Ok(row.try_get("n")?)
    }

    /// Counts open, non-optional obligations due in `range` from `obligations`, as the scan
    /// does; with `hidden_only`, only those left out of the visible per-hour counts.
    async fn count_rows(
        &self,
        scope: &Scope,
        filter: &ObligationFilter,
        range: DueRange,
        hidden_only: bool,
    ) -> StoreResult<i64> {
        if range.from.is_some_and(|from| from >= range.until) {
            return Ok(0);
        }
        let mut sql = Sql::new(
            "SELECT COUNT(*) AS n FROM obligations o JOIN tasks t ON t.id = o.task_id \
             WHERE o.open = 1 AND o.optional = 0",
        );
        if let Some(from) = range.from {
            sql.push(" AND o.due_at >= ").bind(from);
        }
        sql.push(" AND o.due_at < ").bind(range.until);
        if hidden_only {
            sql.push(" AND ").push(VISIBLE).push(" = 0");
        }
        scope.restrict_tasks(&mut sql);
        push_obligation_filter(&mut sql, filter);
        let row = sql.query().fetch_one(&self.db.pool).await?;
        Ok(row.try_get("n")?)
    }
}

/// Returns the last due time inside the window of `within` after `now`, in milliseconds.
fn window_end(now_ms: i64, within: SignedDuration) -> i64 {
    now_ms.saturating_add(within.as_millis().try_into().unwrap_or(i64::MAX))
}

fn ceil_div(value: i64, divisor: i64) -> i64 {
    let quotient = value.div_euclid(divisor);
    if value.rem_euclid(divisor) == 0 {
        quotient
    } else {
        quotient + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceil_div_rounds_up() {
        assert_eq!(ceil_div(0, HOUR_MS), 0);
        assert_eq!(ceil_div(1, HOUR_MS), 1);
        assert_eq!(ceil_div(HOUR_MS, HOUR_MS), 1);
        assert_eq!(ceil_div(HOUR_MS + 1, HOUR_MS), 2);
    }
}
