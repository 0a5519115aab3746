//! A progress bar on standard error for long operations, drawn only when a person watches a
//! terminal, so that logs and pipes receive no control codes.

use crate::messages::text;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;
use theodoi_store::transfer::{Phase, Progress};

/// One bar per phase of a backup, restore or copy, counting rows.
#[derive(Debug, Default)]
pub struct RowsBar {
    bar: Mutex<Option<ProgressBar>>,
}

impl RowsBar {
    pub fn new() -> RowsBar {
        RowsBar::default()
    }

    fn with_bar(&self, action: impl FnOnce(&ProgressBar)) {
        let bar = self
            .bar
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(bar) = bar.as_ref() {
            action(bar);
        }
    }
}

fn label(phase: Phase) -> String {
    text(
        match phase {
            Phase::Backup => "cli-progress-backup",
            Phase::Restore => "cli-progress-restore",
            Phase::Copy => "cli-progress-copy",
            Phase::Verify => "cli-progress-verify",
        },
        &[],
    )
}

impl Progress for RowsBar {
    fn start(&self, phase: Phase, total_rows: u64) {
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let template = format!(
            "{{prefix}} [{{bar:30}}] {{pos}}/{{len}} {} · {{msg}} ({{eta}})",
            text("cli-progress-rows", &[])
        );
        let style = ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        let bar = ProgressBar::with_draw_target(Some(total_rows), target)
            .with_style(style)
            .with_prefix(label(phase));
        *self
            .bar
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(bar);
    }

    fn table(&self, name: &str) {
        self.with_bar(|bar| bar.set_message(name.to_owned()));
    }

    fn advance(&self, rows: u64) {
        self.with_bar(|bar| bar.inc(rows));
    }

    fn finish(&self) {
        if let Some(bar) = self
            .bar
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
        {
            bar.finish_and_clear();
        }
    }
}
