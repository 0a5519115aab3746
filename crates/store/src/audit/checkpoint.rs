//! Signed checkpoints of the audit tree, written by the scheduler and on request.

use crate::error::{StoreError, StoreResult};
use crate::{Store, time};
use futures::TryStreamExt;
use jiff::Timestamp;
use sqlx::Row;
use theodoi_domain::audit::{Checkpoint, Hash, NoteSigner, ORIGIN, TreeBuilder};

/// A checkpoint as stored: the tree size, the root and the signed note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCheckpoint {
    pub tree_size: u64,
    pub at: Timestamp,
    pub root: Hash,
    /// The signed note, the form exported for safekeeping.
    pub note: String,
}

impl StoredCheckpoint {
    fn decode(row: &sqlx::any::AnyRow) -> StoreResult<StoredCheckpoint> {
        let size: i64 = row.try_get("tree_size")?;
        Ok(StoredCheckpoint {
            tree_size: u64::try_from(size).map_err(StoreError::corrupt)?,
            at: time::from_ms(row.try_get("at")?)?,
            root: decode_hash(&row.try_get::<String, _>("root")?)?,
            note: row.try_get("note")?,
        })
    }
}

pub(super) fn decode_hash(text: &str) -> StoreResult<Hash> {
    let bytes = hex::decode(text).map_err(StoreError::corrupt)?;
    Hash::try_from(bytes).map_err(|_| StoreError::corrupt(format!("{text} is no SHA-256 hash")))
}

/// Returns the tree of the latest checkpoint, resumed from its stored frontier, or an empty
/// tree when there is no checkpoint or its frontier is missing or does not give its root.
async fn resumable_tree(conn: &mut sqlx::AnyConnection) -> StoreResult<TreeBuilder> {
    let latest = sqlx::query(
        "SELECT tree_size, root, frontier FROM audit_checkpoints \
         ORDER BY tree_size DESC LIMIT 1",
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(latest) = latest else {
        return Ok(TreeBuilder::new());
    };
    let Some(frontier) = latest.try_get::<Option<String>, _>("frontier")? else {
        return Ok(TreeBuilder::new());
    };
    let size: i64 = latest.try_get("tree_size")?;
    let size = u64::try_from(size).map_err(StoreError::corrupt)?;
    let hashes = frontier
        .split(',')
        .filter(|part| !part.is_empty())
        .map(decode_hash)
        .collect::<StoreResult<Vec<Hash>>>()?;
    let root = decode_hash(&latest.try_get::<String, _>("root")?)?;

    // The root is the signed one, so a frontier that gives it is the signed tree's.
    match TreeBuilder::resume(size, &hashes) {
        Some(tree) if tree.root() == root => Ok(tree),
        _ => {
            tracing::warn!(
                audit.tree_size = size,
                "the latest audit checkpoint's frontier does not give its root; hashing the \
                 whole log"
            );
            Ok(TreeBuilder::new())
        }
    }
}

impl Store {
    /// Signs and stores a checkpoint of the log as it is now. When the latest checkpoint
    /// already covers every entry, returns that one instead of writing another.
    pub async fn write_audit_checkpoint(
        &self,
        signer: &NoteSigner,
        now: Timestamp,
    ) -> StoreResult<StoredCheckpoint> {
        // Entries are numbered under the audit lock just before their transaction commits, so
        // one statement reads a gapless run of the log. Reading it outside the write
        // transaction keeps writers going while the leaves stream through, and the tree
        // builder holds only one hash per level.
        let tree = {
            let mut conn = self.db.pool.acquire().await?;
            let mut tree = resumable_tree(&mut conn).await?;
            let size = i64::try_from(tree.size()).map_err(StoreError::corrupt)?;
            let mut rows = sqlx::query("SELECT leaf FROM audit_log WHERE seq > $1 ORDER BY seq")
                .bind(size)
                .fetch(&mut *conn);
            while let Some(row) = rows.try_next().await? {
                tree.push(decode_hash(&row.try_get::<String, _>("leaf")?)?);
            }
            tree
        };

        let mut tx = self.db.begin_write().await?;
        // Under the audit lock no other process writes a checkpoint between the check of the
        // latest one and the insert.
        super::lock(&mut tx, self.db.backend).await?;
        let latest = sqlx::query(
            "SELECT tree_size, at, root, note FROM audit_checkpoints \
             ORDER BY tree_size DESC LIMIT 1",
        )
        .fetch_optional(&mut **tx)
        .await?
        .map(|row| StoredCheckpoint::decode(&row))
        .transpose()?;
        if let Some(latest) = latest.filter(|latest| latest.tree_size >= tree.size()) {
            return Ok(latest);
        }

        let checkpoint = Checkpoint {
            origin: ORIGIN.to_owned(),
            size: tree.size(),
            root: tree.root(),
        };
        let stored = StoredCheckpoint {
            tree_size: checkpoint.size,
            at: now,
            root: checkpoint.root,
            note: signer.sign(&checkpoint),
        };
        let frontier: Vec<String> = tree.frontier().iter().map(hex::encode).collect();
        sqlx::query(
            "INSERT INTO audit_checkpoints (tree_size, at, root, note, frontier) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(i64::try_from(stored.tree_size).map_err(StoreError::corrupt)?)
        .bind(time::to_ms(now))
        .bind(hex::encode(stored.root))
        .bind(&stored.note)
        .bind(frontier.join(","))
        .execute(&mut **tx)
        .await?;
        tx.commit().await?;
        tracing::info!(
            audit.tree_size = stored.tree_size,
            "audit checkpoint written"
        );
        Ok(stored)
    }

    /// Returns the checkpoint of the largest tree, if any was written.
    pub async fn latest_audit_checkpoint(&self) -> StoreResult<Option<StoredCheckpoint>> {
        sqlx::query(
            "SELECT tree_size, at, root, note FROM audit_checkpoints \
             ORDER BY tree_size DESC LIMIT 1",
        )
        .fetch_optional(&self.db.pool)
        .await?
        .map(|row| StoredCheckpoint::decode(&row))
        .transpose()
    }
}
