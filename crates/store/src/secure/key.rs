//! The secure zone's key: 32 bytes from a file or a base64 environment variable, never from
//! the database or the repository.

use crate::error::{StoreError, StoreResult};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::path::Path;

/// Length of a key in bytes (AES-256).
pub const KEY_LEN: usize = 32;

/// An AES-256 key of the secure zone with its id. `Debug` shows only the id.
#[derive(Clone)]
pub struct SecureKey {
    bytes: [u8; KEY_LEN],
    id: String,
    index_key: [u8; 32],
}

impl std::fmt::Debug for SecureKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecureKey").field("id", &self.id).finish()
    }
}

impl SecureKey {
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        // The id is a hash of the key, so it names the key without revealing it and needs no
        // storage of its own.
        let digest = Sha256::new()
            .chain_update(b"theodoi secure zone key id\0")
            .chain_update(bytes)
            .finalize();
        let id = hex::encode(&digest[..8]);
        // Blind indexes use a key derived from the secure key, never the AES key itself.
        let mut mac = Hmac::<Sha256>::new_from_slice(&bytes).expect("HMAC accepts any key length");
        mac.update(b"theodoi secure zone blind index v1");
        let index_key: [u8; 32] = mac.finalize().into_bytes().into();
        Self {
            bytes,
            id,
            index_key,
        }
    }

    /// Generates a random key.
    pub fn generate() -> Self {
        use rand::RngExt;
        Self::from_bytes(rand::rng().random())
    }

    /// Parses a key written in base64 (standard alphabet, padding optional, surrounding
    /// whitespace ignored).
    pub fn from_base64(text: &str) -> StoreResult<Self> {
        let trimmed = text.trim().trim_end_matches('=');
        let decoded = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(trimmed)
            .map_err(|_| {
                StoreError::Config(
                    "the secure-zone key is not valid base64; generate one with \
                     `theodoi secure-zone generate-key`"
                        .into(),
                )
            })?;
        Self::from_slice(&decoded)
    }

    /// Reads a key file: exactly 32 raw bytes, or their base64 text.
    pub fn read_file(path: &Path) -> StoreResult<Self> {
        let content = std::fs::read(path).map_err(|error| {
            StoreError::Config(format!(
                "cannot read the secure-zone key file {}: {error}",
                path.display()
            ))
        })?;
        if content.len() == KEY_LEN {
            return Self::from_slice(&content);
        }
        let text = std::str::from_utf8(&content).map_err(|_| {
            StoreError::Config(format!(
                "the secure-zone key file {} is invalid: it must contain 32 bytes or their base64 text",
                path.display()
            ))
        })?;
        Self::from_base64(text)
    }

    /// Writes the key as base64 text to a new file readable only by its owner (on Unix).
    pub fn write_new_file(&self, path: &Path) -> StoreResult<()> {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path).map_err(|error| {
            StoreError::Config(format!(
                "cannot create the secure-zone key file {}: {error}",
                path.display()
            ))
        })?;
        writeln!(file, "{}", self.to_base64())
            .and_then(|()| file.sync_all())
            .map_err(|error| {
                StoreError::Config(format!(
                    "cannot write the secure-zone key file {}: {error}",
                    path.display()
                ))
            })
    }

    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.bytes)
    }

    fn from_slice(bytes: &[u8]) -> StoreResult<Self> {
        let bytes: [u8; KEY_LEN] = bytes.try_into().map_err(|_| {
            StoreError::Config(format!(
                "the secure-zone key has {} bytes; it must have exactly {KEY_LEN}",
                bytes.len()
            ))
        })?;
        Ok(Self::from_bytes(bytes))
    }

    /// Returns the key's id, stored beside each ciphertext: 16 hex digits of a SHA-256 of the
    /// key.
    pub fn id(&self) -> &str {
        &self.id
    }

    pub(crate) fn aes_key(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }

    /// Returns the blind index of `value`: HMAC-SHA256 under the derived index key, in hex.
    pub(crate) fn blind_index(&self, value: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.index_key).expect("HMAC accepts any key length");
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip() {
        let key = SecureKey::generate();
        let parsed = SecureKey::from_base64(&format!("  {}\n", key.to_base64())).expect("parses");
        assert_eq!(parsed.id(), key.id());
        assert_eq!(parsed.aes_key(), key.aes_key());
    }

    #[test]
    fn short_key_rejected() {
        let error = SecureKey::from_base64(&STANDARD.encode([1u8; 16])).expect_err("rejected");
        assert!(error.to_string().contains("16 bytes"), "{error}");
    }

    #[test]
    fn debug_hides_bytes() {
        let key = SecureKey::from_bytes([7; KEY_LEN]);
        let shown = format!("{key:?}");
        assert!(shown.contains(key.id()), "{shown}");
        assert!(!shown.contains("7, 7"), "{shown}");
        assert!(!shown.contains(&key.to_base64()), "{shown}");
    }

    #[test]
    fn blind_index_depends_on_key() {
        let first = SecureKey::from_bytes([1; KEY_LEN]);
        let second = SecureKey::from_bytes([2; KEY_LEN]);
        assert_eq!(first.blind_index("57-NQ/TW"), first.blind_index("57-NQ/TW"));
        assert_ne!(
            first.blind_index("57-NQ/TW"),
            second.blind_index("57-NQ/TW")
        );
        assert_ne!(first.blind_index("57-NQ/TW"), first.blind_index("58-NQ/TW"));
    }
}
