//! Latency histograms (microseconds) and the lines that report them.

use hdrhistogram::Histogram;
use std::time::Duration;

/// Latencies and error count of one kind of request.
#[derive(Debug, Clone)]
pub struct Recorder {
    pub name: String,
    histogram: Histogram<u64>,
    pub errors: u64,
    /// Requests that the server turned down for a reason of the data, such as a draft already
    /// open on the task: counted apart from errors and left out of the latencies.
    pub rejected: u64,
}

impl Recorder {
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            // 1 µs to 10 minutes at three significant digits.
            histogram: Histogram::new_with_bounds(1, 600_000_000, 3)
                .expect("valid histogram bounds"),
            errors: 0,
            rejected: 0,
        }
    }

    pub fn record(&mut self, elapsed: Duration) {
        let micros = u64::try_from(elapsed.as_micros())
            .unwrap_or(u64::MAX)
            .max(1);
        self.histogram.saturating_record(micros);
    }

    pub fn count(&self) -> u64 {
        self.histogram.len()
    }

    pub fn merge(&mut self, other: &Recorder) {
        // Both histograms have the same bounds, so adding cannot fail.
        let _ = self.histogram.add(&other.histogram);
        self.errors += other.errors;
        self.rejected += other.rejected;
    }

    /// Returns the latency at `quantile` (0–1), in milliseconds.
    pub fn millis(&self, quantile: f64) -> f64 {
        self.histogram.value_at_quantile(quantile) as f64 / 1_000.0
    }

    /// Prints one line: count, rate over `wall`, p50/p95/p99/max and errors, with `target`
    /// (a description such as "p95 ≤ 50 ms") and whether it was met when given.
    pub fn report(&self, wall: Duration, target: Option<(&str, bool)>) {
        let rate = self.count() as f64 / wall.as_secs_f64().max(1e-9);
        let verdict = match target {
            Some((text, true)) => format!("  target {text}: met"),
            Some((text, false)) => format!("  target {text}: MISSED"),
            None => String::new(),
        };
        let rejected = if self.rejected > 0 {
            format!("  ({} rejected)", self.rejected)
        } else {
            String::new()
        };
        println!(
            "{:<38} {:>8} ok {:>6} err {:>9.1}/s  p50 {:>8.2} ms  p95 {:>8.2} ms  p99 {:>8.2} ms  max {:>8.2} ms{rejected}{verdict}",
            self.name,
            self.count(),
            self.errors,
            rate,
            self.millis(0.50),
            self.millis(0.95),
            self.millis(0.99),
            self.histogram.max() as f64 / 1_000.0,
        );
    }
}
