//! Verification of the audit log: every entry rebuilt from its source row, the tree rebuilt
//! from those entries, every checkpoint's signature and root checked, and the first entry that
//! differs named.

use super::checkpoint::decode_hash;
use super::security::security_digest;
use crate::Store;
use crate::db::Backend;
use crate::error::{StoreError, StoreResult};
use sqlx::Row;
use std::collections::{BTreeMap, HashMap, HashSet};
use theodoi_domain::audit::merkle::{self, Hash};
use theodoi_domain::audit::{Checkpoint, Entry, NoteError, NoteVerifier, Source, TreeBuilder};

/// The first sign of tampering that verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditProblem {
    /// No entry has sequence number `seq` although later ones exist: an entry was deleted, or
    /// entries were renumbered.
    EntryMissing { seq: u64 },
    /// A second entry has sequence number `seq`, or the entry names a row that an earlier
    /// entry already names: an entry was inserted.
    EntryInserted {
        seq: u64,
        table: String,
        row_id: i64,
    },
    /// Entry `seq` names a row that does not exist: the row was deleted from its table.
    SourceRowMissing {
        seq: u64,
        table: String,
        row_id: i64,
    },
    /// Entry `seq` differs from the entry rebuilt from its row: the row or the entry was
    /// edited, or rows were reordered.
    EntryAltered {
        seq: u64,
        table: String,
        row_id: i64,
    },
    /// A row of a logged table has no entry: it was inserted around the log.
    RowNotLogged { table: String, row_id: i64 },
    /// A stored checkpoint is malformed, unsigned, signed by another key, or its columns
    /// differ from its signed note.
    CheckpointInvalid { size: u64, fault: CheckpointFault },
    /// The tree of the first `size` entries differs from the signed checkpoint of that size,
    /// while the checkpoint of `after` entries matched: an entry after `after` was changed.
    CheckpointMismatch { size: u64, after: u64 },
    /// A checkpoint covers more entries than the log holds: entries were deleted at its end.
    CheckpointBeyondLog { size: u64, log_size: u64 },
}

impl AuditProblem {
    /// Returns the sequence number of the first entry the problem concerns, for ordering
    /// problems.
    fn first_seq(&self) -> u64 {
        match self {
            AuditProblem::EntryMissing { seq }
            | AuditProblem::EntryInserted { seq, .. }
            | AuditProblem::SourceRowMissing { seq, .. }
            | AuditProblem::EntryAltered { seq, .. } => *seq,
            // The changed entry lies somewhere after `after`, up to `size`. An entry problem
            // in that range is more precise, so the mismatch ranks at its last entry.
            AuditProblem::CheckpointMismatch { size, .. } => *size,
            AuditProblem::CheckpointBeyondLog { log_size, .. } => log_size + 1,
            AuditProblem::CheckpointInvalid { .. } | AuditProblem::RowNotLogged { .. } => u64::MAX,
        }
    }
}

/// A fault of a stored checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckpointFault {
    /// The signed note is malformed or its signature does not verify with the key.
    Note(NoteError),
    /// The `tree_size` or `root` column differs from the signed note.
    ColumnsDiffer,
}

/// The result of verifying the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerification {
    /// The number of entries in the log.
    pub size: u64,
    /// The root of the tree rebuilt from the source rows.
    pub root: Hash,
    /// The number of stored checkpoints checked.
    pub checkpoints: u64,
    /// The first problem, or `None` when the log is intact.
    pub problem: Option<AuditProblem>,
}

/// A reason an exported checkpoint does not prove the current log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportedProblem {
    /// The note is malformed or not signed by the key.
    Invalid(NoteError),
    /// The log has fewer entries than the exported checkpoint: entries were deleted.
    BeyondLog { size: u64, log_size: u64 },
    /// The current log does not extend the exported tree: its history was rewritten.
    Inconsistent { size: u64 },
}

/// The fields of a source row that an entry is built from.
struct SourceRow {
    at_ms: i64,
    kind: String,
    actor: Option<i64>,
    body: Option<i64>,
    subject: Option<i64>,
    subject_seq: Option<i64>,
    payload_digest: [u8; 32],
}

impl SourceRow {
    fn leaf(&self, seq: u64, source: Source, row_id: i64) -> Hash {
        let entry = Entry {
            seq,
            source,
            row_id,
            at_ms: self.at_ms,
            kind: &self.kind,
            actor: self.actor,
            body: self.body,
            subject: self.subject,
            subject_seq: self.subject_seq,
            payload_digest: self.payload_digest,
        };
        merkle::leaf_hash(&entry.encode())
    }
}

type Conn = sqlx::AnyConnection;

async fn load_sources(conn: &mut Conn) -> StoreResult<HashMap<(Source, i64), SourceRow>> {
    let mut rows = HashMap::new();
    for (source, subject) in [
        (Source::TaskEvents, "task_id"),
        (Source::DocumentEvents, "document_id"),
    ] {
        let sql = format!(
            "SELECT id, {subject} AS subject, seq, at, actor, body, reason, kind, payload FROM {}",
            source.table()
        );
        for row in sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&mut *conn)
            .await?
        {
            let reason: Option<String> = row.try_get("reason")?;
            let payload: String = row.try_get("payload")?;
            rows.insert(
                (source, row.try_get("id")?),
                SourceRow {
                    at_ms: row.try_get("at")?,
                    kind: row.try_get("kind")?,
                    actor: row.try_get("actor")?,
                    body: row.try_get("body")?,
                    subject: Some(row.try_get("subject")?),
                    subject_seq: Some(row.try_get("seq")?),
                    payload_digest: super::event_digest(reason.as_deref(), &payload),
                },
            );
        }
    }
    let security = sqlx::query(
        "SELECT id, at, kind, actor, body, subject_kind, subject_id, detail FROM security_events",
    )
    .fetch_all(&mut *conn)
    .await?;
    for row in security {
        let subject_kind: Option<String> = row.try_get("subject_kind")?;
        let detail: Option<String> = row.try_get("detail")?;
        rows.insert(
            (Source::SecurityEvents, row.try_get("id")?),
            SourceRow {
                at_ms: row.try_get("at")?,
                kind: row.try_get("kind")?,
                actor: row.try_get("actor")?,
                body: row.try_get("body")?,
                subject: row.try_get("subject_id")?,
                subject_seq: None,
                payload_digest: security_digest(subject_kind.as_deref(), detail.as_deref()),
            },
        );
    }
    Ok(rows)
}

/// A checkpoint as read from the table, before its signature is checked.
struct CheckpointRow {
    size: u64,
    root: String,
    note: String,
}

async fn load_checkpoints(conn: &mut Conn) -> StoreResult<Vec<CheckpointRow>> {
    let rows =
        sqlx::query("SELECT tree_size, root, note FROM audit_checkpoints ORDER BY tree_size")
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|row| {
            Ok(CheckpointRow {
                size: u64::try_from(row.try_get::<i64, _>("tree_size")?)
                    .map_err(StoreError::corrupt)?,
                root: row.try_get("root")?,
                note: row.try_get("note")?,
            })
        })
        .collect()
}

/// Opens each stored checkpoint with the key and checks that its columns match its note.
/// Returns the signed checkpoints by size and the first invalid one.
fn open_checkpoints(
    rows: &[CheckpointRow],
    verifier: &NoteVerifier,
) -> (BTreeMap<u64, Checkpoint>, Option<AuditProblem>) {
    let mut opened = BTreeMap::new();
    for row in rows {
        let invalid = |fault| AuditProblem::CheckpointInvalid {
            size: row.size,
            fault,
        };
        let checkpoint = match verifier.open(&row.note) {
            Ok(checkpoint) => checkpoint,
            Err(error) => return (opened, Some(invalid(CheckpointFault::Note(error)))),
        };
        if checkpoint.size != row.size || hex::encode(checkpoint.root) != row.root {
            return (opened, Some(invalid(CheckpointFault::ColumnsDiffer)));
        }
        opened.insert(checkpoint.size, checkpoint);
    }
    (opened, None)
}

/// The rebuilt log: its leaves in order and the first problem of the entries themselves.
struct Rebuilt {
    leaves: Vec<Hash>,
    problem: Option<AuditProblem>,
}

async fn rebuild(conn: &mut Conn) -> StoreResult<Rebuilt> {
    let mut sources = load_sources(conn).await?;
    let entries = sqlx::query("SELECT seq, source, row_id, leaf FROM audit_log ORDER BY seq")
        .fetch_all(&mut *conn)
        .await?;
    let mut leaves = Vec::with_capacity(entries.len());
    let mut problem = None;
    let mut logged: HashSet<(Source, i64)> = HashSet::with_capacity(entries.len());
    for (position, row) in entries.iter().enumerate() {
        let expected = position as u64 + 1;
        let seq = u64::try_from(row.try_get::<i64, _>("seq")?).unwrap_or(0);
        let table: String = row.try_get("source")?;
        let row_id: i64 = row.try_get("row_id")?;
        let stored = decode_hash(&row.try_get::<String, _>("leaf")?).unwrap_or([0; 32]);
        let source = Source::from_table(&table);
        let rebuilt = source.and_then(|source| {
            sources
                .get(&(source, row_id))
                .map(|found| found.leaf(expected, source, row_id))
        });
        leaves.push(rebuilt.unwrap_or(stored));
        if problem.is_some() {
            continue;
        }
        problem = if seq > expected {
            Some(AuditProblem::EntryMissing { seq: expected })
        } else if seq < expected {
            Some(AuditProblem::EntryInserted { seq, table, row_id })
        } else if let Some(source) = source.filter(|source| !logged.contains(&(*source, row_id))) {
            logged.insert((source, row_id));
            match (rebuilt, sources.get(&(source, row_id))) {
                (Some(leaf), _) if leaf == stored => None,
                (Some(_), Some(found)) => Some(shifted_or_altered(
                    found, stored, seq, source, row_id, &entries,
                )?),
                _ => Some(AuditProblem::SourceRowMissing { seq, table, row_id }),
            }
        } else {
            Some(AuditProblem::EntryInserted { seq, table, row_id })
        };
    }
    if problem.is_none() {
        sources.retain(|key, _| !logged.contains(key));
        // The unlogged row that happened first, so that a report names the same row each run.
        problem = sources
            .iter()
            .min_by_key(|((source, id), row)| (row.at_ms, source.table(), *id))
            .map(|((source, id), _)| AuditProblem::RowNotLogged {
                table: source.table().to_owned(),
                row_id: *id,
            });
    }
    Ok(Rebuilt { leaves, problem })
}

/// Names the problem of entry `seq`, whose stored leaf differs from its row's. When the
/// stored leaf is the one the row would have one place earlier or later, the entries from
/// here on were renumbered: an entry was inserted just before this one, or the one at this
/// place was deleted.
fn shifted_or_altered(
    found: &SourceRow,
    stored: Hash,
    seq: u64,
    source: Source,
    row_id: i64,
    entries: &[sqlx::any::AnyRow],
) -> StoreResult<AuditProblem> {
    let table = source.table().to_owned();
    if seq > 1 && found.leaf(seq - 1, source, row_id) == stored {
        let before = &entries[seq as usize - 2];
        return Ok(AuditProblem::EntryInserted {
            seq: seq - 1,
            table: before.try_get("source")?,
            row_id: before.try_get("row_id")?,
        });
    }
    if found.leaf(seq + 1, source, row_id) == stored {
        return Ok(AuditProblem::EntryMissing { seq });
    }
    Ok(AuditProblem::EntryAltered { seq, table, row_id })
}

/// Compares the rebuilt tree with every signed checkpoint. Equal roots at every checkpoint
/// size mean each later checkpoint extends each earlier one, since all are prefixes of one
/// list of leaves. That takes one pass instead of a consistency proof per pair.
fn compare_checkpoints(
    leaves: &[Hash],
    checkpoints: &BTreeMap<u64, Checkpoint>,
) -> Option<AuditProblem> {
    let log_size = leaves.len() as u64;
    let mut tree = TreeBuilder::new();
    let mut after = 0;
    for (size, checkpoint) in checkpoints {
        if *size > log_size {
            return Some(AuditProblem::CheckpointBeyondLog {
                size: *size,
                log_size,
            });
        }
        while tree.size() < *size {
            tree.push(leaves[tree.size() as usize]);
        }
        if tree.root() != checkpoint.root {
            return Some(AuditProblem::CheckpointMismatch { size: *size, after });
        }
        after = *size;
    }
    None
}

impl Store {
    /// Rebuilds every audit entry from its source row and the tree from those entries, checks
    /// every stored checkpoint's signature with `verifier` and its root against the rebuilt
    /// tree, and returns the first problem, in one read-only snapshot.
    pub async fn verify_audit(&self, verifier: &NoteVerifier) -> StoreResult<AuditVerification> {
        let mut tx = self.read_snapshot().await?;
        let rebuilt = rebuild(&mut tx).await?;
        let rows = load_checkpoints(&mut tx).await?;
        tx.rollback().await?;

        let (checkpoints, invalid) = open_checkpoints(&rows, verifier);
        let mismatch = compare_checkpoints(&rebuilt.leaves, &checkpoints);
        let problem = [rebuilt.problem, mismatch, invalid]
            .into_iter()
            .flatten()
            .min_by_key(AuditProblem::first_seq);
        Ok(AuditVerification {
            size: rebuilt.leaves.len() as u64,
            root: merkle::root(&rebuilt.leaves),
            checkpoints: rows.len() as u64,
            problem,
        })
    }

    /// Checks that the log rebuilt from the source rows extends the exported checkpoint
    /// `note`, with an RFC 9162 consistency proof from its size to the current size.
    pub async fn verify_exported_checkpoint(
        &self,
        verifier: &NoteVerifier,
        note: &str,
    ) -> StoreResult<Result<Checkpoint, ExportedProblem>> {
        let checkpoint = match verifier.open(note) {
            Ok(checkpoint) => checkpoint,
            Err(error) => return Ok(Err(ExportedProblem::Invalid(error))),
        };
        let mut tx = self.read_snapshot().await?;
        let rebuilt = rebuild(&mut tx).await?;
        tx.rollback().await?;

        let log_size = rebuilt.leaves.len() as u64;
        let Ok(old_size) = usize::try_from(checkpoint.size) else {
            return Ok(Err(ExportedProblem::BeyondLog {
                size: checkpoint.size,
                log_size,
            }));
        };
        let Some(proof) = merkle::consistency_proof(old_size, &rebuilt.leaves) else {
            return Ok(Err(ExportedProblem::BeyondLog {
                size: checkpoint.size,
                log_size,
            }));
        };
        let current = merkle::root(&rebuilt.leaves);
        if merkle::verify_consistency(
            checkpoint.size,
            log_size,
            &checkpoint.root,
            &current,
            &proof,
        ) {
            Ok(Ok(checkpoint))
        } else {
            Ok(Err(ExportedProblem::Inconsistent {
                size: checkpoint.size,
            }))
        }
    }

    /// Opens a read-only transaction that reads one snapshot of the database.
    async fn read_snapshot(&self) -> StoreResult<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.db.backend {
            // The first read starts a snapshot that the transaction keeps (WAL mode).
            Backend::Sqlite => self.db.pool.begin().await?,
            Backend::Postgres => {
                self.db
                    .pool
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?
            }
        })
    }
}
