//! Field-level AES-256-GCM. Each value gets a random 96-bit nonce, and its associated data
//! binds the ciphertext to its row and field, so a ciphertext copied to another row or field
//! fails authentication.

use super::key::SecureKey;
use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Location of a secure value: the table and id of the row it belongs to, and the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Slot<'a> {
    pub owner: &'a str,
    pub owner_id: i64,
    pub field: &'a str,
}

impl Slot<'_> {
    fn associated_data(&self) -> Vec<u8> {
        format!(
            "theodoi secure value v1\0{}\0{}\0{}",
            self.owner, self.owner_id, self.field
        )
        .into_bytes()
    }
}

/// A value as stored in `secure_values`: base64 nonce and ciphertext (with its tag).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sealed {
    pub key_id: String,
    pub nonce: String,
    pub ciphertext: String,
}

/// Reason a stored value could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum OpenError {
    #[error("sealed under key {found}, not the configured key {expected}")]
    OtherKey { found: String, expected: String },
    #[error("failed authentication: altered, moved from another row or field, or damaged")]
    Authentication,
}

pub(crate) fn seal(key: &SecureKey, slot: Slot<'_>, plaintext: &str) -> Sealed {
    use rand::RngExt;
    let nonce_bytes: [u8; 12] = rand::rng().random();
    let cipher = Aes256Gcm::new(key.aes_key().into());
    let ciphertext = cipher
        .encrypt(
            &Nonce::from(nonce_bytes),
            Payload {
                msg: plaintext.as_bytes(),
                aad: &slot.associated_data(),
            },
        )
        .expect("AES-GCM encrypts any message below 64 GiB");
    Sealed {
        key_id: key.id().to_owned(),
        nonce: STANDARD.encode(nonce_bytes),
        ciphertext: STANDARD.encode(ciphertext),
    }
}

pub(crate) fn open(key: &SecureKey, slot: Slot<'_>, sealed: &Sealed) -> Result<String, OpenError> {
    if sealed.key_id != key.id() {
        return Err(OpenError::OtherKey {
            found: sealed.key_id.clone(),
            expected: key.id().to_owned(),
        });
    }
    let nonce: [u8; 12] = STANDARD
        .decode(&sealed.nonce)
        .ok()
        .and_then(|nonce| nonce.try_into().ok())
        .ok_or(OpenError::Authentication)?;
    let ciphertext = STANDARD
        .decode(&sealed.ciphertext)
        .map_err(|_| OpenError::Authentication)?;
    let cipher = Aes256Gcm::new(key.aes_key().into());
    let plaintext = cipher
        .decrypt(
            &Nonce::from(nonce),
            Payload {
                msg: &ciphertext,
                aad: &slot.associated_data(),
            },
        )
        .map_err(|_| OpenError::Authentication)?;
    String::from_utf8(plaintext).map_err(|_| OpenError::Authentication)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SLOT: Slot<'static> = Slot {
        owner: "documents",
        owner_id: 7,
        field: "title",
    };

    #[test]
    fn round_trip() {
        let key = SecureKey::generate();
        let sealed = seal(&key, SLOT, "Nghị quyết về bảo vệ");
        assert_eq!(sealed.key_id, key.id());
        assert!(!sealed.ciphertext.contains("Nghị"));
        assert_eq!(
            open(&key, SLOT, &sealed).as_deref(),
            Ok("Nghị quyết về bảo vệ")
        );
    }

    #[test]
    fn nonces_differ() {
        let key = SecureKey::generate();
        let first = seal(&key, SLOT, "same");
        let second = seal(&key, SLOT, "same");
        assert_ne!(first.nonce, second.nonce);
        assert_ne!(first.ciphertext, second.ciphertext);
    }

    #[test]
    fn other_row_or_field_rejected() {
        let key = SecureKey::generate();
        let sealed = seal(&key, SLOT, "title");
        let other_row = Slot {
            owner_id: 8,
            ..SLOT
        };
        let other_field = Slot {
            field: "signer",
            ..SLOT
        };
        let other_table = Slot {
            owner: "task_events",
            ..SLOT
        };
        for slot in [other_row, other_field, other_table] {
            assert_eq!(open(&key, slot, &sealed), Err(OpenError::Authentication));
        }
    }

    #[test]
    fn altered_ciphertext_rejected() {
        let key = SecureKey::generate();
        let mut sealed = seal(&key, SLOT, "title");
        let mut bytes = STANDARD.decode(&sealed.ciphertext).expect("base64");
        bytes[0] ^= 1;
        sealed.ciphertext = STANDARD.encode(bytes);
        assert_eq!(open(&key, SLOT, &sealed), Err(OpenError::Authentication));
    }

    #[test]
    fn other_key_rejected() {
        let sealed = seal(&SecureKey::generate(), SLOT, "title");
        let other = SecureKey::generate();
        assert!(matches!(
            open(&other, SLOT, &sealed),
            Err(OpenError::OtherKey { .. })
        ));
        let forged = Sealed {
            key_id: other.id().to_owned(),
            ..sealed
        };
        assert_eq!(open(&other, SLOT, &forged), Err(OpenError::Authentication));
    }
}
