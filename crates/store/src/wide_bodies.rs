//! Bodies that see most tasks, whose list pages check each task's viewers instead of reading
//! the body's viewer rows first.
//!
//! A list page limited to a body's subtree reads the body's rows of `task_viewers` and then
//! its tasks, which suits a body with some thousands of tasks. The Central Office assigns
//! nearly every task and sees 95 % of a million: reading its viewer rows took 1 to 4 s per
//! page at that size, while walking the sort order's index and checking each task found the
//! page in a few milliseconds.

use crate::error::StoreResult;
use sqlx::{AnyPool, Row};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};
use theodoi_domain::ids::OrgId;

/// The share of all tasks, in percent, from which a body counts as wide.
const WIDE_PERCENT: i64 = 25;

/// How long a body's verdict is kept. A body's share changes slowly, and a stale verdict only
/// chooses the slower of two plans that give the same rows.
const KEPT_FOR: Duration = Duration::from_secs(600);

/// The verdicts read so far, by body.
#[derive(Debug, Default)]
pub(crate) struct WideBodies(Mutex<HashMap<i64, (bool, Instant)>>);

impl WideBodies {
    /// Returns whether `org` sees at least a quarter of the tasks, from the kept verdict or by
    /// counting its viewer rows.
    pub async fn is_wide(&self, pool: &AnyPool, org: OrgId) -> StoreResult<bool> {
        if let Some(wide) = self.kept(org) {
            return Ok(wide);
        }
        let seen: i64 = sqlx::query("SELECT COUNT(*) AS n FROM task_viewers WHERE org_id = $1")
            .bind(org.0)
            .fetch_one(pool)
            .await?
            .try_get("n")?;
        // The highest id estimates the number of tasks, because ids are handed out in order
        // and a bare MAX(id) reads one row where COUNT(*) would read them all.
        let last: Option<i64> = sqlx::query("SELECT MAX(id) AS last FROM tasks")
            .fetch_one(pool)
            .await?
            .try_get("last")?;
        let wide = is_wide_share(seen, last.unwrap_or(0));

        let mut verdicts = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        verdicts.insert(org.0, (wide, Instant::now()));
        Ok(wide)
    }

    fn kept(&self, org: OrgId) -> Option<bool> {
        let verdicts = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        verdicts
            .get(&org.0)
            .filter(|(_, read_at)| read_at.elapsed() < KEPT_FOR)
            .map(|(wide, _)| *wide)
    }
}

fn is_wide_share(seen: i64, tasks: i64) -> bool {
    tasks > 0 && seen.saturating_mul(100) >= tasks.saturating_mul(WIDE_PERCENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_share_starts_at_a_quarter() {
        assert!(is_wide_share(948_324, 1_002_000));
        assert!(is_wide_share(25, 100));
        assert!(!is_wide_share(24, 100));
        assert!(!is_wide_share(28_220, 1_002_000));
        assert!(!is_wide_share(0, 0), "no task makes no body wide");
    }
}
