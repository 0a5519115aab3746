//! The tamper-evident audit log: the canonical entry of each logged event, the RFC 9162 Merkle
//! tree over those entries, and signed checkpoints of the tree. Pure functions only; the store
//! appends entries and the command line verifies them.

pub mod entry;
pub mod merkle;
pub mod note;

pub use entry::{Entry, SecurityEventKind, Source, payload_digest};
pub use merkle::{Hash, TreeBuilder};
pub use note::{Checkpoint, NoteError, NoteSigner, NoteVerifier};

/// The origin line of this system's checkpoints and the name of its signing key.
pub const ORIGIN: &str = "theodoi/audit";
