//! Idempotency keys on creating requests: a retried request with the same key returns what the
//! first one created instead of creating it twice.

use crate::db::WriteTx;
use crate::error::{StoreError, StoreResult};
use crate::time;
use jiff::Timestamp;
use sha2::{Digest, Sha256};
use sqlx::Row;
use theodoi_domain::ids::UserId;

/// A client's key for one creating request.
#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    pub user_id: UserId,
    pub key: String,
    /// Hash of the request (method, path and body), to detect a key reused for another request.
    pub request_hash: String,
}

impl IdempotencyKey {
    /// Builds a key from the client's header value and the request it came with.
    pub fn new(user_id: UserId, key: &str, method: &str, path: &str, body: &[u8]) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(method.as_bytes());
        hasher.update([0]);
        hasher.update(path.as_bytes());
        hasher.update([0]);
        hasher.update(body);
        Self {
            user_id,
            key: key.to_owned(),
            request_hash: hex::encode(hasher.finalize()),
        }
    }
}

/// What a creating operation returns: the new record, or the one a previous request with the
/// same key created.
#[derive(Debug, Clone)]
pub struct Created<T> {
    pub value: T,
    pub replayed: bool,
}

/// Looks the key up inside the creating transaction. Returns the id of the resource created
/// by an earlier request with the same key and request, or `None` when the key is new.
pub(crate) async fn find(
    tx: &mut WriteTx,
    key: &IdempotencyKey,
    kind: &str,
) -> StoreResult<Option<i64>> {
    let row = sqlx::query(
        "SELECT request_hash, resource_kind, resource_id FROM idempotency_keys \
         WHERE user_id = $1 AND key = $2",
    )
    .bind(key.user_id.0)
    .bind(&key.key)
    .fetch_optional(&mut ***tx)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let hash: String = row.try_get("request_hash")?;
    let stored_kind: String = row.try_get("resource_kind")?;
    if hash != key.request_hash || stored_kind != kind {
        return Err(StoreError::IdempotencyKeyReused);
    }
    Ok(Some(row.try_get("resource_id")?))
}

/// Records the key in the same transaction as the creation it belongs to.
pub(crate) async fn remember(
    tx: &mut WriteTx,
    key: &IdempotencyKey,
    kind: &str,
    resource_id: i64,
    now: Timestamp,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO idempotency_keys (user_id, key, request_hash, resource_kind, resource_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(key.user_id.0)
    .bind(&key.key)
    .bind(&key.request_hash)
    .bind(kind)
    .bind(resource_id)
    .bind(time::to_ms(now))
    .execute(&mut ***tx)
    .await?;
    Ok(())
}
