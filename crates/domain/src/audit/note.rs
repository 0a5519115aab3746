//! Signed checkpoints of the audit tree, in the signed-note format of C2SP
//! (`tlog-checkpoint` and `signed-note`, as used by Go's `golang.org/x/mod/sumdb/note`):
//!
//! ```text
//! theodoi/audit
//! 1234
//! <root hash, base64>
//!
//! — theodoi/audit <base64 of key id (4 bytes) and Ed25519 signature (64 bytes)>
//! ```
//!
//! The signature covers the text before the blank line, its final newline included. Keys are
//! written in the same format as that Go package, so its tools can check our checkpoints.

use super::merkle::Hash;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

/// The signature algorithm byte of Ed25519 in the signed-note key format.
const ALG_ED25519: u8 = 0x01;
const SIGNATURE_PREFIX: &str = "\u{2014} ";

/// The reason a key or a signed checkpoint was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    #[error("the key is not in the signed-note format NAME+KEYID+BASE64")]
    MalformedKey,
    #[error("the checkpoint is not a signed note of origin, tree size and root hash")]
    MalformedNote,
    #[error("no signature of key {0} on the checkpoint")]
    NoSignature(String),
    #[error("the checkpoint signature is invalid")]
    InvalidSignature,
}

/// A tree head: the log's origin line, its size and its root hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
}

impl Checkpoint {
    /// Returns the signed text: origin, size and base64 root, one per line.
    pub fn body(&self) -> String {
        format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            STANDARD.encode(self.root)
        )
    }

    fn parse_body(body: &str) -> Result<Checkpoint, NoteError> {
        let mut lines = body.lines();
        let origin = lines.next().filter(|line| !line.is_empty());
        let size = lines.next().and_then(|line| {
            // Decimal without sign or leading zeros, as the format requires.
            let canonical = line == "0" || (!line.starts_with('0') && !line.starts_with('+'));
            canonical.then(|| line.parse::<u64>().ok()).flatten()
        });
        let root = lines
            .next()
            .and_then(|line| STANDARD.decode(line).ok())
            .and_then(|bytes| Hash::try_from(bytes).ok());
        match (origin, size, root) {
            (Some(origin), Some(size), Some(root)) => Ok(Checkpoint {
                origin: origin.to_owned(),
                size,
                root,
            }),
            _ => Err(NoteError::MalformedNote),
        }
    }
}

/// Returns the 4-byte key id of the signed-note format: the start of
/// SHA-256(name || "\n" || 0x01 || public key).
fn key_id(name: &str, public: &VerifyingKey) -> [u8; 4] {
    let mut hasher = Sha256::new();
    hasher.update(name.as_bytes());
    hasher.update(b"\n");
    hasher.update([ALG_ED25519]);
    hasher.update(public.as_bytes());
    let digest = hasher.finalize();
    [digest[0], digest[1], digest[2], digest[3]]
}

/// Splits `NAME+KEYID+BASE64` and checks the key id and algorithm byte.
fn parse_key_text(text: &str) -> Result<(String, [u8; 4], Vec<u8>), NoteError> {
    // The name contains no '+', but standard base64 does, so only the first two split.
    let mut parts = text.trim().splitn(3, '+');
    let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(NoteError::MalformedKey);
    };
    let id = u32::from_str_radix(id, 16)
        .ok()
        .filter(|_| id.len() == 8)
        .ok_or(NoteError::MalformedKey)?;
    let key = STANDARD.decode(key).map_err(|_| NoteError::MalformedKey)?;
    match key.split_first() {
        Some((&ALG_ED25519, rest)) if !name.is_empty() => {
            Ok((name.to_owned(), id.to_be_bytes(), rest.to_vec()))
        }
        _ => Err(NoteError::MalformedKey),
    }
}

/// The private key that signs checkpoints, with the name that signatures carry.
pub struct NoteSigner {
    name: String,
    key: SigningKey,
}

impl std::fmt::Debug for NoteSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NoteSigner")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl NoteSigner {
    /// Makes a signer from a 32-byte Ed25519 seed, which the caller draws from a secure
    /// random source.
    pub fn from_seed(name: &str, seed: [u8; 32]) -> NoteSigner {
        NoteSigner {
            name: name.to_owned(),
            key: SigningKey::from_bytes(&seed),
        }
    }

    /// Parses `PRIVATE+KEY+NAME+KEYID+BASE64`, the signer key format of the Go package.
    pub fn parse(text: &str) -> Result<NoteSigner, NoteError> {
        let rest = text
            .trim()
            .strip_prefix("PRIVATE+KEY+")
            .ok_or(NoteError::MalformedKey)?;
        let (name, id, seed) = parse_key_text(rest)?;
        let seed: [u8; 32] = seed.try_into().map_err(|_| NoteError::MalformedKey)?;
        let signer = NoteSigner::from_seed(&name, seed);
        if key_id(&name, &signer.key.verifying_key()) != id {
            return Err(NoteError::MalformedKey);
        }
        Ok(signer)
    }

    /// Returns the key in its file format. The text is the secret.
    pub fn to_text(&self) -> String {
        let id = key_id(&self.name, &self.key.verifying_key());
        let mut key = vec![ALG_ED25519];
        key.extend_from_slice(self.key.as_bytes());
        format!(
            "PRIVATE+KEY+{}+{}+{}",
            self.name,
            hex_id(id),
            STANDARD.encode(key)
        )
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn verifier(&self) -> NoteVerifier {
        NoteVerifier {
            name: self.name.clone(),
            key: self.key.verifying_key(),
        }
    }

    /// Returns the signed note of `checkpoint`.
    pub fn sign(&self, checkpoint: &Checkpoint) -> String {
        let body = checkpoint.body();
        let signature = self.key.sign(body.as_bytes());
        let mut blob = key_id(&self.name, &self.key.verifying_key()).to_vec();
        blob.extend_from_slice(&signature.to_bytes());
        format!(
            "{body}\n{SIGNATURE_PREFIX}{} {}\n",
            self.name,
            STANDARD.encode(blob)
        )
    }
}

/// The public key that checks checkpoint signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteVerifier {
    name: String,
    key: VerifyingKey,
}

impl NoteVerifier {
    /// Parses `NAME+KEYID+BASE64`, the verifier key format of the Go package.
    pub fn parse(text: &str) -> Result<NoteVerifier, NoteError> {
        let (name, id, public) = parse_key_text(text)?;
        let public: [u8; 32] = public.try_into().map_err(|_| NoteError::MalformedKey)?;
        let key = VerifyingKey::from_bytes(&public).map_err(|_| NoteError::MalformedKey)?;
        if key_id(&name, &key) != id {
            return Err(NoteError::MalformedKey);
        }
        Ok(NoteVerifier { name, key })
    }

    pub fn to_text(&self) -> String {
        let mut key = vec![ALG_ED25519];
        key.extend_from_slice(self.key.as_bytes());
        format!(
            "{}+{}+{}",
            self.name,
            hex_id(key_id(&self.name, &self.key)),
            STANDARD.encode(key)
        )
    }

    /// Checks this key's signature on a signed note and returns the checkpoint it signs.
    /// Signatures of other keys are ignored, as the format allows several signers.
    pub fn open(&self, note: &str) -> Result<Checkpoint, NoteError> {
        let (body, signatures) = note.split_once("\n\n").ok_or(NoteError::MalformedNote)?;
        let body = format!("{body}\n");
        let checkpoint = Checkpoint::parse_body(&body)?;
        let id = key_id(&self.name, &self.key);
        for line in signatures.lines() {
            let Some((name, blob)) = line
                .strip_prefix(SIGNATURE_PREFIX)
                .and_then(|rest| rest.split_once(' '))
            else {
                return Err(NoteError::MalformedNote);
            };
            let Ok(blob) = STANDARD.decode(blob) else {
                return Err(NoteError::MalformedNote);
            };
            if name != self.name || blob.len() != 4 + 64 || blob[..4] != id {
                continue;
            }
            let signature =
                Signature::from_slice(&blob[4..]).map_err(|_| NoteError::InvalidSignature)?;
            return self
                .key
                .verify(body.as_bytes(), &signature)
                .map(|()| checkpoint)
                .map_err(|_| NoteError::InvalidSignature);
        }
        Err(NoteError::NoSignature(self.name.clone()))
    }
}

fn hex_id(id: [u8; 4]) -> String {
    format!("{:08x}", u32::from_be_bytes(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> NoteSigner {
        NoteSigner::from_seed("theodoi/audit", [7; 32])
    }

    fn checkpoint() -> Checkpoint {
        Checkpoint {
            origin: "theodoi/audit".into(),
            size: 12,
            root: [9; 32],
        }
    }

    #[test]
    fn signed_note_opens_with_its_key() {
        let note = signer().sign(&checkpoint());
        assert!(note.starts_with("theodoi/audit\n12\nCQkJ"));
        assert_eq!(signer().verifier().open(&note), Ok(checkpoint()));
    }

    #[test]
    fn edited_note_is_rejected() {
        let note = signer().sign(&checkpoint()).replace("\n12\n", "\n13\n");
        assert_eq!(
            signer().verifier().open(&note),
            Err(NoteError::InvalidSignature)
        );
    }

    #[test]
    fn other_key_finds_no_signature() {
        let other = NoteSigner::from_seed("theodoi/audit", [8; 32]).verifier();
        let note = signer().sign(&checkpoint());
        assert_eq!(
            other.open(&note),
            Err(NoteError::NoSignature("theodoi/audit".into()))
        );
    }

    #[test]
    fn keys_round_trip_through_text() {
        let text = signer().to_text();
        assert!(text.starts_with("PRIVATE+KEY+theodoi/audit+"));
        let parsed = NoteSigner::parse(&text).unwrap();
        assert_eq!(parsed.verifier(), signer().verifier());
        let public = signer().verifier().to_text();
        assert_eq!(NoteVerifier::parse(&public).unwrap(), signer().verifier());
    }

    #[test]
    fn keys_with_plus_in_base64_round_trip() {
        for byte in 0..=255u8 {
            let signer = NoteSigner::from_seed(ORIGIN_NAME, [byte; 32]);
            let text = signer.verifier().to_text();
            assert_eq!(
                NoteVerifier::parse(&text).as_ref(),
                Ok(&signer.verifier()),
                "{text}"
            );
            assert!(NoteSigner::parse(&signer.to_text()).is_ok());
        }
    }

    const ORIGIN_NAME: &str = "theodoi/audit";

    #[test]
    fn key_with_wrong_id_is_rejected() {
        let text = signer().verifier().to_text();
        let mut parts: Vec<&str> = text.split('+').collect();
        parts[1] = "00000000";
        assert_eq!(
            NoteVerifier::parse(&parts.join("+")),
            Err(NoteError::MalformedKey)
        );
    }
}
