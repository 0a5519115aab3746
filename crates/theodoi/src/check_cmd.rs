//! `theodoi check`: the integrity report of a database, in Vietnamese or English.

use crate::cli::{CheckArgs, ReportLang};
use anyhow::{Context, Result};
use theodoi_i18n::{Lang, Value, catalogue, format_datetime};
use theodoi_store::{Finding, IntegrityCheck, IntegrityReport, Store, redact};

/// Runs the checks and prints the report. Returns whether the database is clean.
pub async fn check(args: CheckArgs) -> Result<bool> {
    let url = args.database.url();
    if args.database.database_url.is_none() {
        let file = args.database.data_dir.join("theodoi.db");
        anyhow::ensure!(
            file.exists(),
            "no database file at {}; pass the --data-dir of the installation or --database-url",
            file.display()
        );
    }
    // Without migrations, so that checking never changes the database.
    let mut store = Store::connect(&url)
        .await
        .with_context(|| format!("cannot open database {}", redact(&url)))?;
    if let Some(key) = args.secure_key.load()? {
        store = store.with_secure_key(key);
    }
    let report = store
        .check_integrity()
        .await
        .with_context(|| format!("cannot read database {}", redact(&url)))?;
    store.close().await;
    let lang = match args.lang {
        ReportLang::Vi => Lang::Vi,
        ReportLang::En => Lang::En,
    };
    print!(
        "{}",
        render(&report, lang, &redact(&url), jiff::Timestamp::now())
    );
    Ok(report.is_clean())
}

fn number(value: impl TryInto<i64>) -> Value {
    Value::Number(value.try_into().unwrap_or(i64::MAX))
}

/// Writes the report as lines of text in `lang`.
pub fn render(report: &IntegrityReport, lang: Lang, database: &str, at: jiff::Timestamp) -> String {
    let messages = catalogue();
    let text = |id: &str, args: &[(&str, Value)]| messages.format(lang, id, args);
    let mut lines = vec![
        text(
            "check-heading",
            &[("database", Value::Text(database.into()))],
        ),
        text("check-at", &[("at", Value::Text(format_datetime(at)))]),
        text("check-ran", &[]),
    ];
    for check in &report.checks {
        lines.push(format!("  - {}", text(check_message(*check), &[])));
    }
    lines.push(text(
        "check-counted",
        &[
            ("documents", number(report.documents)),
            ("tasks", number(report.tasks)),
            ("events", number(report.events)),
        ],
    ));
    if report.sealed_unchecked > 0 {
        lines.push(text(
            "check-sealed-unchecked",
            &[("count", number(report.sealed_unchecked))],
        ));
    }
    if report.is_clean() {
        lines.push(text("check-clean", &[]));
    } else {
        lines.push(text(
            "check-found",
            &[("count", number(report.findings.len()))],
        ));
        for finding in &report.findings {
            let (id, args) = finding_message(finding);
            lines.push(format!("  - {}", text(id, &args)));
        }
        lines.push(text("check-next-step", &[]));
    }
    lines.iter().map(|line| format!("{line}\n")).collect()
}

fn check_message(check: IntegrityCheck) -> &'static str {
    match check {
        IntegrityCheck::SqliteIntegrity => "check-name-sqlite-integrity",
        IntegrityCheck::ForeignKeys => "check-name-foreign-keys",
        IntegrityCheck::EventSequences => "check-name-event-sequences",
        IntegrityCheck::Versions => "check-name-versions",
        IntegrityCheck::ReadModel => "check-name-read-model",
        IntegrityCheck::TaskCounts => "check-name-task-counts",
    }
}

fn finding_message(finding: &Finding) -> (&'static str, Vec<(&'static str, Value)>) {
    let text = |value: &str| Value::Text(value.to_owned());
    let list = |values: &[String]| Value::Text(values.join(", "));
    match finding {
        Finding::SqliteIntegrity { message } => (
            "check-finding-sqlite-integrity",
            vec![("message", text(message))],
        ),
        Finding::ForeignKey {
            table,
            column,
            parent,
            rows,
        } => (
            "check-finding-foreign-key",
            vec![
                ("table", text(table)),
                ("column", text(column)),
                ("parent", text(parent)),
                ("rows", number(*rows)),
            ],
        ),
        Finding::TaskWithoutEvents { task } => (
            "check-finding-task-without-events",
            vec![("task", number(*task))],
        ),
        Finding::TaskEventGap {
            task,
            expected,
            found,
        } => (
            "check-finding-task-event-gap",
            vec![
                ("task", number(*task)),
                ("expected", number(*expected)),
                ("found", number(*found)),
            ],
        ),
        Finding::DocumentEventGap {
            document,
            expected,
            found,
        } => (
            "check-finding-document-event-gap",
            vec![
                ("document", number(*document)),
                ("expected", number(*expected)),
                ("found", number(*found)),
            ],
        ),
        Finding::TaskVersion {
            task,
            version,
            events,
        } => (
            "check-finding-task-version",
            vec![
                ("task", number(*task)),
                ("version", number(*version)),
                ("events", number(*events)),
            ],
        ),
        Finding::DocumentVersion {
            document,
            version,
            revisions,
        } => (
            "check-finding-document-version",
            vec![
                ("document", number(*document)),
                ("version", number(*version)),
                ("revisions", number(*revisions)),
            ],
        ),
        Finding::TaskReplay { task, error } => (
            "check-finding-task-replay",
            vec![("task", number(*task)), ("error", text(error))],
        ),
        Finding::TaskRow { task, columns } => (
            "check-finding-task-row",
            vec![("task", number(*task)), ("columns", list(columns))],
        ),
        Finding::TaskTable { task, table } => (
            "check-finding-task-table",
            vec![("task", number(*task)), ("table", text(table))],
        ),
        Finding::DocumentCounts { document, columns } => (
            "check-finding-document-counts",
            vec![("document", number(*document)), ("columns", list(columns))],
        ),
        Finding::SummaryCounts { table, rows } => (
            "check-finding-summary-counts",
            vec![("table", text(table)), ("rows", number(*rows))],
        ),
        Finding::ViewerRows { rows } => {
            ("check-finding-viewer-rows", vec![("rows", number(*rows))])
        }
        Finding::TaskCounts {
            table,
            key,
            stored,
            recounted,
        } => (
            "check-finding-task-counts",
            vec![
                ("table", text(table)),
                ("key", text(key)),
                ("stored", number(*stored)),
                ("recounted", number(*recounted)),
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn damaged() -> IntegrityReport {
        IntegrityReport {
            checks: IntegrityCheck::ALL.to_vec(),
            documents: 2,
            tasks: 3,
            events: 12,
            sealed_unchecked: 0,
            findings: vec![
                Finding::SqliteIntegrity {
                    message: "row 4 missing from index tasks_parent".into(),
                },
                Finding::ForeignKey {
                    table: "task_coordinators".into(),
                    column: "task_id".into(),
                    parent: "tasks".into(),
                    rows: 1,
                },
                Finding::TaskWithoutEvents { task: 9 },
                Finding::TaskEventGap {
                    task: 1,
                    expected: 3,
                    found: 5,
                },
                Finding::DocumentEventGap {
                    document: 1,
                    expected: 2,
                    found: 4,
                },
                Finding::TaskVersion {
                    task: 2,
                    version: 7,
                    events: 6,
                },
                Finding::DocumentVersion {
                    document: 2,
                    version: 3,
                    revisions: 2,
                },
                Finding::TaskReplay {
                    task: 4,
                    error: "bad payload".into(),
                },
                Finding::TaskRow {
                    task: 5,
                    columns: vec!["percent".into(), "status".into()],
                },
                Finding::TaskTable {
                    task: 6,
                    table: "obligations".into(),
                },
                Finding::DocumentCounts {
                    document: 1,
                    columns: vec!["task_count".into()],
                },
                Finding::SummaryCounts {
                    table: "open_obligation_hours".into(),
                    rows: 2,
                },
            ],
        }
    }

    #[test]
    fn every_message_exists_in_both_languages() {
        let report = damaged();
        for lang in Lang::ALL {
            for check in IntegrityCheck::ALL {
                assert!(catalogue().has(lang, check_message(check)), "{check:?}");
            }
            for finding in &report.findings {
                let (id, _) = finding_message(finding);
                assert!(catalogue().has(lang, id), "{lang:?} lacks {id}");
            }
        }
    }

    #[test]
    fn render_lists_findings_in_vietnamese() {
        let at = jiff::Timestamp::from_second(1_780_000_000).unwrap();
        let text = render(&damaged(), Lang::Vi, "sqlite://data/theodoi.db", at);
        assert!(text.contains("phát hiện 12 sai lệch"), "{text}");
        assert!(
            text.contains("Nhiệm vụ số 1: thiếu sự kiện số 3 (gặp số 5)"),
            "{text}"
        );
        assert!(text.contains("cột percent, status"), "{text}");
        assert!(
            text.contains("29/05/2026 03:26"),
            "local dd/mm/yyyy HH:MM: {text}"
        );
        assert!(text.contains("sao lưu"), "next step: {text}");
        assert!(!text.contains("check-"), "no raw message id: {text}");
    }

    #[test]
    fn render_reports_clean_database_in_english() {
        let report = IntegrityReport {
            checks: IntegrityCheck::ALL[1..].to_vec(),
            documents: 1,
            tasks: 2,
            events: 5,
            sealed_unchecked: 1,
            findings: Vec::new(),
        };
        let at = jiff::Timestamp::from_second(1_780_000_000).unwrap();
        let text = render(&report, Lang::En, "postgres://db", at);
        assert!(text.contains("Result: no findings."), "{text}");
        assert!(
            text.contains("The histories of 1 Mật and Tối mật tasks were not replayed"),
            "{text}"
        );
        assert!(
            text.contains("Checked 1 documents, 2 tasks, 5 events."),
            "{text}"
        );
        assert!(
            !text.contains("SQLite"),
            "no SQLite check on PostgreSQL: {text}"
        );
        assert!(!text.contains("Back up"), "{text}");
    }
}
