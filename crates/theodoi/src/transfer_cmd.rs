//! `theodoi backup`, `theodoi restore` and `theodoi migrate-data`.

use crate::cli::{BackupArgs, MigrateDataArgs, RestoreArgs};
use crate::messages::{arg, text};
use crate::progress::RowsBar;
use anyhow::Result;
use theodoi_i18n::Value;
use theodoi_store::redact;
use theodoi_store::transfer::{self, Comparison, Existing, TableDigest, TransferError};

/// Hexadecimal digits of each hash shown in the tables; the comparison uses the whole hash.
const SHOWN_HASH_DIGITS: usize = 16;

fn existing(force: bool) -> Existing {
    if force {
        Existing::Replace
    } else {
        Existing::Reject
    }
}

pub async fn backup(args: BackupArgs) -> Result<()> {
    let url = args.database.url();
    let digests = transfer::backup(&url, &args.file, args.force, &RowsBar::new())
        .await
        .map_err(|error| explain(error, &url))?;
    print_digests(&digests);
    print_done(
        "cli-backup-done",
        &digests,
        vec![("file", arg(args.file.display()))],
    );
    Ok(())
}

pub async fn restore(args: RestoreArgs) -> Result<()> {
    let url = args.database.url();
    let digests = transfer::restore(&args.file, &url, existing(args.force), &RowsBar::new())
        .await
        .map_err(|error| explain(error, &url))?;
    print_digests(&digests);
    print_done(
        "cli-restore-done",
        &digests,
        vec![
            ("file", arg(args.file.display())),
            ("database", arg(redact(&url))),
        ],
    );
    Ok(())
}

pub async fn migrate_data(args: MigrateDataArgs) -> Result<()> {
    let comparison =
        transfer::migrate_data(&args.from, &args.to, existing(args.force), &RowsBar::new())
            .await
            .map_err(|error| explain(error, &args.to))?;
    print_comparison(&comparison);
    let differing: Vec<&str> = comparison
        .tables
        .iter()
        .filter(|table| !table.matches())
        .map(|table| table.table.as_str())
        .collect();
    if !differing.is_empty() {
        anyhow::bail!(text(
            "cli-migrate-mismatch",
            &[
                ("count", Value::Number(differing.len() as i64)),
                ("tables", arg(differing.join(", "))),
            ],
        ));
    }
    let copied: Vec<TableDigest> = comparison
        .tables
        .iter()
        .filter_map(|table| table.source.clone())
        .collect();
    print_done(
        "cli-migrate-done",
        &copied,
        vec![
            ("from", arg(redact(&args.from))),
            ("to", arg(redact(&args.to))),
        ],
    );
    Ok(())
}

/// Prints the closing message `id` with the number of tables and rows and the other `args`.
fn print_done(id: &str, digests: &[TableDigest], mut args: Vec<(&str, Value)>) {
    let rows: u64 = digests.iter().map(|digest| digest.rows).sum();
    args.push(("tables", Value::Number(digests.len() as i64)));
    args.push((
        "rows",
        Value::Number(i64::try_from(rows).unwrap_or(i64::MAX)),
    ));
    println!("{}", text(id, &args));
}

/// Turns the errors an operator can act on into a message in their language; other errors
/// keep their technical text. `target_url` is the database written to.
fn explain(error: TransferError, target_url: &str) -> anyhow::Error {
    let message = match &error {
        TransferError::TargetNotEmpty { table, rows } => text(
            "cli-target-not-empty",
            &[
                ("database", arg(redact(target_url))),
                ("table", arg(table)),
                ("rows", Value::Number(*rows)),
            ],
        ),
        TransferError::FileExists(file) => {
            text("cli-file-exists", &[("file", arg(file.display()))])
        }
        TransferError::FileMissing(file) => {
            text("cli-file-missing", &[("file", arg(file.display()))])
        }
        TransferError::DatabaseMissing(file) => {
            text("cli-database-missing", &[("file", arg(file.display()))])
        }
        TransferError::SameDatabase => text("cli-same-database", &[]),
        TransferError::NotTheodoi { database } => {
            text("cli-not-theodoi", &[("database", arg(database))])
        }
        TransferError::SchemaOlder {
            database,
            version,
            expected,
        } => text(
            "cli-schema-older",
            &[
                ("database", arg(database)),
                ("version", Value::Number(*version)),
                ("expected", Value::Number(*expected)),
            ],
        ),
        TransferError::SchemaNewer { database, version } => text(
            "cli-schema-newer",
            &[
                ("database", arg(database)),
                ("version", Value::Number(*version)),
            ],
        ),
        _ => return error.into(),
    };
    anyhow::Error::msg(message)
}

fn short(hash: &str) -> &str {
    hash.get(..SHOWN_HASH_DIGITS).unwrap_or(hash)
}

/// Prints one line per table: name, rows and the start of its hash.
fn print_digests(digests: &[TableDigest]) {
    let width = table_width(digests.iter().map(|digest| digest.table.as_str()));
    println!(
        "{:<width$}  {:>10}  {}",
        text("cli-column-table", &[]),
        text("cli-column-rows", &[]),
        text("cli-column-hash", &[])
    );
    for digest in digests {
        println!(
            "{:<width$}  {:>10}  {}",
            digest.table,
            digest.rows,
            short(&digest.sha256)
        );
    }
}

/// Prints one line per table with both sides and whether they match.
fn print_comparison(comparison: &Comparison) {
    let width = table_width(comparison.tables.iter().map(|table| table.table.as_str()));
    let hash_width = SHOWN_HASH_DIGITS.max(text("cli-column-source-hash", &[]).chars().count());
    println!(
        "{:<width$}  {:>12}  {:>12}  {:<hash_width$}  {:<hash_width$}  {}",
        text("cli-column-table", &[]),
        text("cli-column-source-rows", &[]),
        text("cli-column-target-rows", &[]),
        text("cli-column-source-hash", &[]),
        text("cli-column-target-hash", &[]),
        text("cli-column-result", &[])
    );
    let missing = "-".to_owned();
    for table in &comparison.tables {
        let rows = |digest: &Option<TableDigest>| {
            digest
                .as_ref()
                .map_or(missing.clone(), |digest| digest.rows.to_string())
        };
        let hash = |digest: &Option<TableDigest>| {
            digest
                .as_ref()
                .map_or(missing.clone(), |digest| short(&digest.sha256).to_owned())
        };
        let verdict = if table.matches() {
            text("cli-match", &[])
        } else {
            text("cli-mismatch", &[])
        };
        println!(
            "{:<width$}  {:>12}  {:>12}  {:<hash_width$}  {:<hash_width$}  {verdict}",
            table.table,
            rows(&table.source),
            rows(&table.target),
            hash(&table.source),
            hash(&table.target),
        );
    }
}

fn table_width<'a>(names: impl Iterator<Item = &'a str>) -> usize {
    names
        .map(|name| name.chars().count())
        .chain([text("cli-column-table", &[]).chars().count()])
        .max()
        .unwrap_or(0)
}
