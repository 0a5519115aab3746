//! The audit entry: the canonical bytes that become one leaf of the audit tree.
//!
//! An entry names its source row and carries a SHA-256 of the row's free text instead of the
//! text itself, so the log proves that content did not change without holding a copy of it.
//! The encoding is fixed-width big-endian integers and length-prefixed UTF-8, so each entry has
//! exactly one byte form.

use sha2::{Digest, Sha256};

/// The version tag at the start of every entry; a change of the encoding takes a new tag.
const ENTRY_VERSION: &[u8] = b"theodoi-audit-entry/1";

/// The table an audit entry comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    TaskEvents,
    DocumentEvents,
    SecurityEvents,
}

impl Source {
    pub const ALL: [Source; 3] = [
        Source::TaskEvents,
        Source::DocumentEvents,
        Source::SecurityEvents,
    ];

    /// The table name, as stored in `audit_log.source`.
    pub fn table(self) -> &'static str {
        match self {
            Source::TaskEvents => "task_events",
            Source::DocumentEvents => "document_events",
            Source::SecurityEvents => "security_events",
        }
    }

    pub fn from_table(table: &str) -> Option<Source> {
        Source::ALL
            .into_iter()
            .find(|source| source.table() == table)
    }
}

/// A security event kind. The stored names are stable: verification recomputes entries from
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecurityEventKind {
    Login,
    LoginFailed,
    Logout,
    /// A request for a record outside the user's scope, answered 403 or 404.
    AccessDenied,
    /// A read of a Mật or Tối mật record in the secure zone.
    SecureRead,
}

impl SecurityEventKind {
    pub const ALL: [SecurityEventKind; 5] = [
        SecurityEventKind::Login,
        SecurityEventKind::LoginFailed,
        SecurityEventKind::Logout,
        SecurityEventKind::AccessDenied,
        SecurityEventKind::SecureRead,
    ];

    pub fn name(self) -> &'static str {
        match self {
            SecurityEventKind::Login => "login",
            SecurityEventKind::LoginFailed => "login_failed",
            SecurityEventKind::Logout => "logout",
            SecurityEventKind::AccessDenied => "access_denied",
            SecurityEventKind::SecureRead => "secure_read",
        }
    }

    pub fn from_name(name: &str) -> Option<SecurityEventKind> {
        SecurityEventKind::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
    }
}

/// The fields of one audit entry, read from its source row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    /// Position in the log, from 1.
    pub seq: u64,
    pub source: Source,
    /// The id of the source row.
    pub row_id: i64,
    /// Time of the event, in milliseconds since the Unix epoch.
    pub at_ms: i64,
    pub kind: &'a str,
    pub actor: Option<i64>,
    /// The acting body (organisation).
    pub body: Option<i64>,
    /// The record the event concerns: the task or document id.
    pub subject: Option<i64>,
    /// The event's number within its subject's history.
    pub subject_seq: Option<i64>,
    /// SHA-256 of the row's free text; see [`payload_digest`].
    pub payload_digest: [u8; 32],
}

impl Entry<'_> {
    /// Returns the canonical byte encoding of the entry.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(128 + self.kind.len());
        put_bytes(&mut out, ENTRY_VERSION);
        out.extend_from_slice(&self.seq.to_be_bytes());
        put_bytes(&mut out, self.source.table().as_bytes());
        out.extend_from_slice(&self.row_id.to_be_bytes());
        out.extend_from_slice(&self.at_ms.to_be_bytes());
        put_bytes(&mut out, self.kind.as_bytes());
        for value in [self.actor, self.body, self.subject, self.subject_seq] {
            put_optional(&mut out, value);
        }
        out.extend_from_slice(&self.payload_digest);
        out
    }
}

/// Returns SHA-256 over the free-text fields of a source row (each optional, length-prefixed),
/// so an entry commits to that text without containing it.
pub fn payload_digest(fields: &[Option<&str>]) -> [u8; 32] {
    let mut encoded = Vec::new();
    for field in fields {
        match field {
            None => encoded.push(0),
            Some(text) => {
                encoded.push(1);
                put_bytes(&mut encoded, text.as_bytes());
            }
        }
    }
    Sha256::digest(&encoded).into()
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(bytes);
}

fn put_optional(out: &mut Vec<u8>, value: Option<i64>) {
    match value {
        None => out.push(0),
        Some(value) => {
            out.push(1);
            out.extend_from_slice(&value.to_be_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: &str) -> Entry<'_> {
        Entry {
            seq: 7,
            source: Source::TaskEvents,
            row_id: 42,
            at_ms: 1_700_000_000_000,
            kind,
            actor: Some(3),
            body: None,
            subject: Some(9),
            subject_seq: Some(2),
            payload_digest: payload_digest(&[None, Some("{}")]),
        }
    }

    #[test]
    fn encoding_separates_fields() {
        let base = entry("created").encode();
        let mut moved = entry("created");
        moved.actor = None;
        moved.body = Some(3);
        assert_ne!(base, moved.encode());
        let mut reordered = entry("created");
        reordered.seq = 8;
        assert_ne!(base, reordered.encode());
    }

    #[test]
    fn payload_digest_distinguishes_absent_and_empty() {
        assert_ne!(payload_digest(&[None]), payload_digest(&[Some("")]));
        assert_ne!(
            payload_digest(&[Some("ab"), Some("c")]),
            payload_digest(&[Some("a"), Some("bc")])
        );
    }

    #[test]
    fn names_round_trip() {
        for source in Source::ALL {
            assert_eq!(Source::from_table(source.table()), Some(source));
        }
        for kind in SecurityEventKind::ALL {
            assert_eq!(SecurityEventKind::from_name(kind.name()), Some(kind));
        }
    }
}
