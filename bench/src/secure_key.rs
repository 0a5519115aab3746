//! The secure-zone key of a benchmark data folder: the generated data holds Mật and Tối mật
//! documents, which the store seals with it.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use theodoi_store::SecureKey;

/// Returns the key file of the data folder.
pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join("bench-secure.key")
}

/// Reads the data folder's key, creating it when missing.
pub fn load_or_create(data_dir: &Path) -> Result<SecureKey> {
    let file = path(data_dir);
    if file.exists() {
        return Ok(SecureKey::read_file(&file)?);
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create {}", data_dir.display()))?;
    let key = SecureKey::generate();
    key.write_new_file(&file)?;
    Ok(key)
}
