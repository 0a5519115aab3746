//! `theodoi audit verify`, `theodoi audit checkpoint` and `theodoi audit public-key`.

use crate::audit_key::{load_signer, load_verifier};
use crate::cli::{AuditCheckpointArgs, AuditPublicKeyArgs, AuditVerifyArgs, DatabaseArgs};
use crate::messages::{arg, text};
use anyhow::{Context, Result};
use base64::Engine;
use theodoi_domain::audit::{NoteError, NoteVerifier};
use theodoi_i18n::Value;
use theodoi_store::{AuditProblem, CheckpointFault, ExportedProblem, Store, redact};

/// Opens the database without migrating it; an SQLite file must exist.
async fn open(database: &DatabaseArgs) -> Result<(Store, String)> {
    let url = database.url();
    if database.database_url.is_none() {
        let file = database.data_dir.join("theodoi.db");
        anyhow::ensure!(
            file.exists(),
            text("cli-database-missing", &[("file", arg(file.display()))])
        );
    }
    let store = Store::connect(&url)
        .await
        .with_context(|| format!("cannot open database {}", redact(&url)))?;
    Ok((store, url))
}

fn verifier(args: &AuditVerifyArgs) -> Result<NoteVerifier> {
    match &args.audit_public_key {
        Some(path) => load_verifier(path),
        None => Ok(load_signer(&args.key.key_file(&args.database))?.verifier()),
    }
}

fn number(value: u64) -> Value {
    Value::Number(i64::try_from(value).unwrap_or(i64::MAX))
}

/// Verifies the log and prints the result. Returns whether the log is intact.
pub async fn verify(args: AuditVerifyArgs) -> Result<bool> {
    let verifier = verifier(&args)?;
    let exported = match &args.checkpoint {
        Some(path) => Some(std::fs::read_to_string(path).with_context(|| {
            text(
                "audit-checkpoint-file-missing",
                &[("file", arg(path.display()))],
            )
        })?),
        None => None,
    };
    let (store, url) = open(&args.database).await?;
    let verification = store
        .verify_audit(&verifier)
        .await
        .with_context(|| format!("cannot read database {}", redact(&url)))?;
    let exported = match &exported {
        Some(note) => Some(store.verify_exported_checkpoint(&verifier, note).await?),
        None => None,
    };
    store.close().await;

    println!(
        "{}",
        text(
            "audit-verify-summary",
            &[
                ("database", arg(redact(&url))),
                ("entries", number(verification.size)),
                ("checkpoints", number(verification.checkpoints)),
                (
                    "root",
                    arg(base64::engine::general_purpose::STANDARD.encode(verification.root)),
                ),
            ]
        )
    );
    let mut intact = true;
    if let Some(problem) = &verification.problem {
        eprintln!("{}", problem_message(problem));
        intact = false;
    }
    match exported {
        Some(Ok(checkpoint)) => println!(
            "{}",
            text("audit-exported-ok", &[("size", number(checkpoint.size))])
        ),
        Some(Err(problem)) => {
            eprintln!("{}", exported_message(&problem));
            intact = false;
        }
        None => {}
    }
    if intact {
        println!("{}", text("audit-verify-ok", &[]));
    } else {
        eprintln!("{}", text("audit-verify-next-step", &[]));
    }
    Ok(intact)
}

fn problem_message(problem: &AuditProblem) -> String {
    let entry = |id: &str, seq: u64, table: &str, row_id: i64| {
        text(
            id,
            &[
                ("seq", number(seq)),
                ("table", arg(table)),
                ("row", Value::Number(row_id)),
            ],
        )
    };
    match problem {
        AuditProblem::EntryMissing { seq } => {
            text("audit-problem-entry-missing", &[("seq", number(*seq))])
        }
        AuditProblem::EntryInserted { seq, table, row_id } => {
            entry("audit-problem-entry-inserted", *seq, table, *row_id)
        }
        AuditProblem::SourceRowMissing { seq, table, row_id } => {
            entry("audit-problem-row-missing", *seq, table, *row_id)
        }
        AuditProblem::EntryAltered { seq, table, row_id } => {
            entry("audit-problem-entry-altered", *seq, table, *row_id)
        }
        AuditProblem::RowNotLogged { table, row_id } => text(
            "audit-problem-row-not-logged",
            &[("table", arg(table)), ("row", Value::Number(*row_id))],
        ),
        AuditProblem::CheckpointInvalid { size, fault } => {
            let reason = match fault {
                CheckpointFault::Note(error) => note_error(error),
                CheckpointFault::ColumnsDiffer => text("audit-fault-columns-differ", &[]),
            };
            text(
                "audit-problem-checkpoint-invalid",
                &[("size", number(*size)), ("reason", arg(reason))],
            )
        }
        AuditProblem::CheckpointMismatch { size, after } => text(
            "audit-problem-checkpoint-mismatch",
            &[("size", number(*size)), ("first", number(after + 1))],
        ),
        AuditProblem::CheckpointBeyondLog { size, log_size } => text(
            "audit-problem-checkpoint-beyond-log",
            &[("size", number(*size)), ("entries", number(*log_size))],
        ),
    }
}

fn note_error(error: &NoteError) -> String {
    match error {
        NoteError::MalformedKey => text("audit-fault-malformed-key", &[]),
        NoteError::MalformedNote => text("audit-fault-malformed-note", &[]),
        NoteError::NoSignature(name) => text("audit-fault-no-signature", &[("key", arg(name))]),
        NoteError::InvalidSignature => text("audit-fault-invalid-signature", &[]),
    }
}

fn exported_message(problem: &ExportedProblem) -> String {
    match problem {
        ExportedProblem::Invalid(error) => text(
            "audit-exported-invalid",
            &[("reason", arg(note_error(error)))],
        ),
        ExportedProblem::BeyondLog { size, log_size } => text(
            "audit-exported-beyond-log",
            &[("size", number(*size)), ("entries", number(*log_size))],
        ),
        ExportedProblem::Inconsistent { size } => {
            text("audit-exported-inconsistent", &[("size", number(*size))])
        }
    }
}

/// Signs a checkpoint of the log as it is now (unless the latest already covers it) and
/// writes its signed note to `--out` or standard output.
pub async fn checkpoint(args: AuditCheckpointArgs) -> Result<()> {
    let signer = load_signer(&args.key.key_file(&args.database))?;
    let (store, url) = open(&args.database).await?;
    let checkpoint = store
        .write_audit_checkpoint(&signer, jiff::Timestamp::now())
        .await
        .with_context(|| format!("cannot write to database {}", redact(&url)))?;
    store.close().await;
    match &args.out {
        Some(path) => {
            std::fs::write(path, &checkpoint.note)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "{}",
                text(
                    "audit-checkpoint-written",
                    &[
                        ("size", number(checkpoint.tree_size)),
                        ("file", arg(path.display())),
                    ]
                )
            );
        }
        None => print!("{}", checkpoint.note),
    }
    Ok(())
}

/// Prints the public key that checks the checkpoints' signatures.
pub fn public_key(args: AuditPublicKeyArgs) -> Result<()> {
    let signer = load_signer(&args.key.key_file(&args.database))?;
    println!("{}", signer.verifier().to_text());
    Ok(())
}
