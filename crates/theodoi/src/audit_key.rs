//! The file that contains the key signing audit checkpoints. The key lives outside the database,
//! so that someone who can change the database cannot sign a rewritten history.

use crate::messages::{arg, text};
use anyhow::{Context, Result};
use rand::RngExt;
use std::io::Write;
use std::path::Path;
use theodoi_domain::audit::{NoteSigner, NoteVerifier, ORIGIN};

/// Reads the signing key from `path`.
pub fn load_signer(path: &Path) -> Result<NoteSigner> {
    let content = std::fs::read_to_string(path)
        .with_context(|| text("cli-audit-key-unreadable", &[("file", arg(path.display()))]))?;
    NoteSigner::parse(&content).map_err(|_| invalid_key(path))
}

/// Reads a public key written by `theodoi audit public-key`.
pub fn load_verifier(path: &Path) -> Result<NoteVerifier> {
    let content = std::fs::read_to_string(path)
        .with_context(|| text("cli-audit-key-unreadable", &[("file", arg(path.display()))]))?;
    NoteVerifier::parse(&content).map_err(|_| invalid_key(path))
}

fn invalid_key(path: &Path) -> anyhow::Error {
    anyhow::anyhow!(text(
        "cli-audit-key-invalid",
        &[("file", arg(path.display()))]
    ))
}

/// Reads the signing key from `path`, or creates the file with a new random key when it does
/// not exist. Two processes that start together both end up with the key of the one that
/// created the file first.
pub fn load_or_create_signer(path: &Path) -> Result<NoteSigner> {
    if path.exists() {
        return load_signer(path);
    }
    if let Some(folder) = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
    {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create {}", folder.display()))?;
    }
    let seed: [u8; 32] = rand::rng().random();
    let signer = NoteSigner::from_seed(ORIGIN, seed);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(mut file) => {
            writeln!(file, "{}", signer.to_text())
                .and_then(|()| file.sync_all())
                .with_context(|| format!("cannot write {}", path.display()))?;
            tracing::info!(file = %path.display(), "audit signing key created");
            Ok(signer)
        }
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => load_signer(path),
        Err(error) => Err(error).with_context(|| format!("cannot create {}", path.display())),
    }
}
