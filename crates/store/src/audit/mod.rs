//! The tamper-evident audit log: entries appended inside the transactions that write the
//! logged rows, security events, signed checkpoints, and the verification that rebuilds every
//! entry from its source row.
//!
//! A write transaction collects the entries of the rows it inserts and numbers them at commit,
//! under a lock that admits one numbering transaction at a time, so entries get consecutive
//! sequence numbers in commit order on both backends. Taking the lock last keeps it off the
//! row locks that writers take earlier, so it adds no lock-order deadlock.

mod checkpoint;
mod security;
mod verify;

pub use checkpoint::StoredCheckpoint;
pub use security::{SecurityEvent, SecuritySubject};
pub use verify::{AuditProblem, AuditVerification, CheckpointFault, ExportedProblem};

use crate::db::{Backend, WriteTx};
use crate::error::StoreResult;
use crate::sql::{MAX_PARAMETERS, values_placeholders};
use sqlx::Row;
use theodoi_domain::audit::{Entry, Source, merkle};

/// Key of the PostgreSQL advisory lock that serialises the numbering of audit entries and the
/// writing of checkpoints. Any constant works that no other application on the database uses.
const AUDIT_LOCK_KEY: i64 = 0x7468_656f_646f_6932;

/// An entry waiting for its sequence number until its transaction commits.
#[derive(Debug, Clone)]
pub(crate) struct PendingEntry {
    pub source: Source,
    pub row_id: i64,
    pub at_ms: i64,
    pub kind: String,
    pub actor: Option<i64>,
    pub body: Option<i64>,
    pub subject: Option<i64>,
    pub subject_seq: Option<i64>,
    pub payload_digest: [u8; 32],
}

impl PendingEntry {
    fn entry(&self, seq: u64) -> Entry<'_> {
        Entry {
            seq,
            source: self.source,
            row_id: self.row_id,
            at_ms: self.at_ms,
            kind: &self.kind,
            actor: self.actor,
            body: self.body,
            subject: self.subject,
            subject_seq: self.subject_seq,
            payload_digest: self.payload_digest,
        }
    }
}

/// Takes the audit lock until the transaction ends. SQLite admits one writer at a time
/// already (write gate and `BEGIN IMMEDIATE`), so this does nothing there.
pub(crate) async fn lock(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
) -> StoreResult<()> {
    if backend == Backend::Postgres {
        // pg_advisory_xact_lock returns void, which the Any driver cannot decode.
        sqlx::query("SELECT 1 AS locked FROM pg_advisory_xact_lock($1)")
            .bind(AUDIT_LOCK_KEY)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Numbers the pending entries after the last one in the log and inserts them, just before
/// the transaction commits.
pub(crate) async fn flush(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    backend: Backend,
    pending: &[PendingEntry],
) -> StoreResult<()> {
    if pending.is_empty() {
        return Ok(());
    }
    lock(tx, backend).await?;
    let last: i64 = sqlx::query("SELECT COALESCE(MAX(seq), 0) AS last FROM audit_log")
        .fetch_one(&mut **tx)
        .await?
        .try_get("last")?;
    // One statement per chunk of rows: a bulk load commits tens of thousands of entries at once.
    const COLUMNS: usize = 4;
    let mut first = last + 1;
    for chunk in pending.chunks(MAX_PARAMETERS / COLUMNS) {
        let sql = format!(
            "INSERT INTO audit_log (seq, source, row_id, leaf) VALUES {}",
            values_placeholders(chunk.len(), COLUMNS)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (seq, entry) in (first..).zip(chunk) {
            let leaf = merkle::leaf_hash(&entry.entry(seq as u64).encode());
            query = query
                .bind(seq)
                .bind(entry.source.table())
                .bind(entry.row_id)
                .bind(hex::encode(leaf));
        }
        query.execute(&mut **tx).await?;
        first += chunk.len() as i64;
    }
    Ok(())
}

/// Returns the digest of an event row's free text: its reason and its JSON payload.
pub(crate) fn event_digest(reason: Option<&str>, payload: &str) -> [u8; 32] {
    theodoi_domain::audit::payload_digest(&[reason, Some(payload)])
}

impl WriteTx {
    /// Records an audit entry for a row inserted in this transaction; it is numbered and
    /// written at commit.
    pub(crate) fn audit(&mut self, entry: PendingEntry) {
        self.audit_entries.push(entry);
    }
}
