//! The final table of a benchmark run: each figure of `load` beside its target and the raw
//! limit that `raw` measured on the same disk and data, which it saves in the data folder.

use crate::load::stats::Recorder;
use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Throughput and latencies of one measured operation.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Figure {
    /// Operations per second over the measured wall time.
    pub rate: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
}

impl Figure {
    pub fn of(recorder: &Recorder, wall: Duration) -> Self {
        Self {
            rate: recorder.count() as f64 / wall.as_secs_f64().max(1e-9),
            p50_ms: recorder.millis(0.50),
            p95_ms: recorder.millis(0.95),
            p99_ms: recorder.millis(0.99),
        }
    }
}

/// The limits below the server that `raw` measured, by the name it printed them under.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct RawLimits {
    pub backend: String,
    /// Single-row commits with the server's durability settings.
    pub commits: Option<Figure>,
    /// The aggregate that reads only the tasks' tally index.
    pub aggregate: Option<Figure>,
    /// Each store query behind a page, called without HTTP.
    pub queries: BTreeMap<String, Figure>,
}

/// Store queries of the dashboard summary, which the server runs at once.
pub const DASHBOARD_QUERIES: [&str; 7] = [
    "task tally",
    "open obligation counts",
    "open obligations, first 5",
    "due soon, first 5",
    "upcoming deadline counts",
    "nearest deadlines, first 5",
    "12-month trend",
];

/// Store queries of the first page of a filtered list: the page and its counts by state.
pub const LIST_QUERIES: [&str; 2] = [
    "in progress, overdue",
    "counts by state, in progress overdue",
];

/// Store query of the task page that loads and replays the history.
pub const TASK_QUERY: &str = "task history (events and replay)";

fn path(data_dir: &Path) -> PathBuf {
    data_dir.join("bench-raw.json")
}

impl RawLimits {
    pub fn save(&self, data_dir: &Path) -> Result<()> {
        let path = path(data_dir);
        std::fs::write(&path, serde_json::to_vec_pretty(self)?)
            .with_context(|| format!("cannot write {}", path.display()))
    }

    /// Reads the limits saved by `raw`, or returns `None` when it has not run on this data folder.
    pub fn load(data_dir: &Path) -> Result<Option<Self>> {
        let path = path(data_dir);
        match std::fs::read(&path) {
            Ok(bytes) => {
                Ok(Some(serde_json::from_slice(&bytes).with_context(|| {
                    format!("invalid raw limits in {}", path.display())
                })?))
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// Returns the sum of the p50 latencies of `names`, or `None` when one is missing.
    fn p50_sum(&self, names: &[&str]) -> Option<f64> {
        names
            .iter()
            .map(|name| self.queries.get(*name).map(|figure| figure.p50_ms))
            .sum()
    }

    /// Returns the slowest p50 of `names`: the floor of a page whose queries run at once.
    fn p50_max(&self, names: &[&str]) -> Option<f64> {
        names
            .iter()
            .map(|name| self.queries.get(*name).map(|figure| figure.p50_ms))
            .try_fold(0.0_f64, |max, p50| p50.map(|p50| max.max(p50)))
    }

    pub fn dashboard(&self) -> String {
        let mut parts = Vec::new();
        if let Some(aggregate) = self.aggregate {
            parts.push(format!(
                "index-only aggregate p50 {:.1} ms",
                aggregate.p50_ms
            ));
        }
        if let (Some(slowest), Some(sum)) = (
            self.p50_max(&DASHBOARD_QUERIES),
            self.p50_sum(&DASHBOARD_QUERIES),
        ) {
            parts.push(format!(
                "store queries p50 slowest {slowest:.1} ms, sum {sum:.1} ms"
            ));
        }
        join(parts)
    }

    pub fn list(&self) -> String {
        self.p50_sum(&LIST_QUERIES)
            .map(|sum| format!("store queries p50 sum {sum:.1} ms"))
            .unwrap_or_else(|| "-".to_owned())
    }

    pub fn task_page(&self) -> String {
        self.queries
            .get(TASK_QUERY)
            .map(|figure| format!("history load and replay p50 {:.2} ms", figure.p50_ms))
            .unwrap_or_else(|| "-".to_owned())
    }

    pub fn commits(&self) -> String {
        self.commits
            .map(|commits| {
                format!(
                    "{:.0} {} commits/s, p99 {:.1} ms",
                    commits.rate, self.backend, commits.p99_ms
                )
            })
            .unwrap_or_else(|| "-".to_owned())
    }
}

fn join(parts: Vec<String>) -> String {
    if parts.is_empty() {
        "-".to_owned()
    } else {
        parts.join("; ")
    }
}

/// One line of the final table.
#[derive(Debug)]
pub struct Row {
    pub measure: String,
    pub figure: String,
    pub target: String,
    pub raw: String,
    /// Whether the target was met; `None` for a measure without a target.
    pub met: Option<bool>,
}

/// Prints the rows as a Markdown table, which reads in a terminal and pastes into the docs.
pub fn print(rows: &[Row]) {
    println!("\n== summary: each figure beside its target and the raw limit of this run");
    println!("| measure | figure | target | raw limit | verdict |");
    println!("|---|---|---|---|---|");
    for row in rows {
        let verdict = match row.met {
            Some(true) => "met",
            Some(false) => "MISSED",
            None => "-",
        };
        println!(
            "| {} | {} | {} | {} | {verdict} |",
            row.measure, row.figure, row.target, row.raw
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(p50_ms: f64) -> Figure {
        Figure {
            rate: 1.0,
            p50_ms,
            p95_ms: p50_ms,
            p99_ms: p50_ms,
        }
    }

    #[test]
    fn list_limit_adds_page_and_counts() {
        let mut limits = RawLimits::default();
        limits
            .queries
            .insert(LIST_QUERIES[0].to_owned(), figure(2.0));
        limits
            .queries
            .insert(LIST_QUERIES[1].to_owned(), figure(3.5));
        assert_eq!(limits.list(), "store queries p50 sum 5.5 ms");
    }

    #[test]
    fn dashboard_limit_needs_every_query() {
        let mut limits = RawLimits::default();
        limits
            .queries
            .insert(DASHBOARD_QUERIES[0].to_owned(), figure(4.0));
        assert_eq!(limits.dashboard(), "-");
        for name in DASHBOARD_QUERIES {
            limits.queries.insert(name.to_owned(), figure(1.0));
        }
        limits
            .queries
            .insert(DASHBOARD_QUERIES[1].to_owned(), figure(6.0));
        assert_eq!(
            limits.dashboard(),
            "store queries p50 slowest 6.0 ms, sum 12.0 ms"
        );
    }
}
