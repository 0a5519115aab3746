//! `theodoi secure-zone …` and the loading of the secure-zone key for other commands.

use crate::cli::{RotateKeyArgs, SecureKeyArgs, SecureZoneCommand};
use anyhow::{Context, Result};
use std::path::Path;
use theodoi_store::{SecureKey, Store, redact};

/// Environment variable that may carry the key in base64.
pub const KEY_VARIABLE: &str = "THEODOI_SECURE_KEY";

impl SecureKeyArgs {
    /// Reads the key from --secure-key-file, else from THEODOI_SECURE_KEY; `None` when neither
    /// is set.
    pub fn load(&self) -> Result<Option<SecureKey>> {
        if let Some(path) = &self.secure_key_file {
            return Ok(Some(SecureKey::read_file(path)?));
        }
        match std::env::var(KEY_VARIABLE) {
            Ok(text) if !text.trim().is_empty() => SecureKey::from_base64(&text)
                .map(Some)
                .with_context(|| format!("invalid {KEY_VARIABLE}")),
            _ => Ok(None),
        }
    }
}

pub async fn run(command: SecureZoneCommand) -> Result<()> {
    match command {
        SecureZoneCommand::GenerateKey { out } => generate(&out),
        SecureZoneCommand::RotateKey(args) => rotate(args).await,
    }
}

fn generate(out: &Path) -> Result<()> {
    let key = SecureKey::generate();
    key.write_new_file(out)?;
    println!(
        "{}: new secure-zone key {} written; keep a copy outside the server and its backups",
        out.display(),
        key.id()
    );
    Ok(())
}

async fn rotate(args: RotateKeyArgs) -> Result<()> {
    let old = SecureKey::read_file(&args.old_key_file)?;
    let new = SecureKey::read_file(&args.new_key_file)?;
    if old.id() == new.id() {
        anyhow::bail!("--old-key-file and --new-key-file hold the same key; give a new key");
    }
    let url = args.database.url();
    let store = Store::open(&url)
        .await
        .with_context(|| format!("cannot open database {}", redact(&url)))?;
    let report = store
        .rotate_secure_key(&old, &new)
        .await
        .context("key rotation failed; the database is unchanged")?;
    store.close().await;
    println!(
        "{}: {} values re-encrypted from key {} to key {} ({} already under it), {} document \
         symbol indexes recomputed; restart the servers with the new key",
        redact(&url),
        report.values,
        old.id(),
        new.id(),
        report.already_rotated,
        report.documents
    );
    Ok(())
}
