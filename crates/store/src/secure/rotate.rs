//! Key rotation: every sealed value re-encrypted under a new key, and every blind index
//! recomputed, in one transaction.

use super::key::SecureKey;
use super::seal::{self, Sealed, Slot};
use super::{DOCUMENTS, symbol_index};
use crate::Store;
use crate::error::{StoreError, StoreResult};
use sqlx::Row;

/// What a rotation changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RotationReport {
    /// Values re-encrypted under the new key.
    pub values: u64,
    /// Values already under the new key (left by an earlier rotation to the same key).
    pub already_rotated: u64,
    /// Classified documents whose blind index was recomputed.
    pub documents: u64,
}

impl Store {
    /// Re-encrypts every secure-zone value from `old` to `new` and recomputes the blind indexes,
    /// in one transaction: on any failure (a value that `old` cannot open, for instance) nothing
    /// changes. The caller then restarts the servers with the new key.
    pub async fn rotate_secure_key(
        &self,
        old: &SecureKey,
        new: &SecureKey,
    ) -> StoreResult<RotationReport> {
        let mut report = RotationReport::default();
        let mut tx = self.db.begin_write().await?;
        let rows = sqlx::query(
            "SELECT owner, owner_id, field, key_id, nonce, ciphertext FROM secure_values \
             ORDER BY owner, owner_id, field",
        )
        .fetch_all(&mut **tx)
        .await?;
        let mut symbols = Vec::new();
        for row in rows {
            let owner: String = row.try_get("owner")?;
            let owner_id: i64 = row.try_get("owner_id")?;
            let field: String = row.try_get("field")?;
            let sealed = Sealed {
                key_id: row.try_get("key_id")?,
                nonce: row.try_get("nonce")?,
                ciphertext: row.try_get("ciphertext")?,
            };
            let slot = Slot {
                owner: &owner,
                owner_id,
                field: &field,
            };
            let (current, plaintext) = if sealed.key_id == new.id() {
                (new, seal::open(new, slot, &sealed))
            } else {
                (old, seal::open(old, slot, &sealed))
            };
            let plaintext = plaintext.map_err(|error| {
                StoreError::Config(format!(
                    "cannot open secure value {owner} {owner_id} {field} with key {}: {error}; \
                     nothing was changed",
                    current.id()
                ))
            })?;
            if owner == DOCUMENTS && field == "symbol" {
                symbols.push((owner_id, plaintext.clone()));
            }
            if sealed.key_id == new.id() {
                report.already_rotated += 1;
                continue;
            }
            let resealed = seal::seal(new, slot, &plaintext);
            sqlx::query(
                "UPDATE secure_values SET key_id = $1, nonce = $2, ciphertext = $3 \
                 WHERE owner = $4 AND owner_id = $5 AND field = $6",
            )
            .bind(&resealed.key_id)
            .bind(&resealed.nonce)
            .bind(&resealed.ciphertext)
            .bind(&owner)
            .bind(owner_id)
            .bind(&field)
            .execute(&mut **tx)
            .await?;
            report.values += 1;
        }
        for (id, symbol) in symbols {
            let year = sealed_issue_year(&mut tx, old, new, id).await?;
            sqlx::query("UPDATE documents SET symbol = $1 WHERE id = $2")
                .bind(format!("#{}", symbol_index(new, &symbol, year)))
                .bind(id)
                .execute(&mut **tx)
                .await?;
            report.documents += 1;
        }
        tx.commit().await?;
        Ok(report)
    }
}

/// Returns the issue year of a classified document, from its issue date as sealed after the
/// values were re-encrypted in this transaction.
async fn sealed_issue_year(
    tx: &mut crate::db::WriteTx,
    old: &SecureKey,
    new: &SecureKey,
    id: i64,
) -> StoreResult<i64> {
    let row = sqlx::query(
        "SELECT key_id, nonce, ciphertext FROM secure_values \
         WHERE owner = $1 AND owner_id = $2 AND field = 'issue_date'",
    )
    .bind(DOCUMENTS)
    .bind(id)
    .fetch_one(&mut ***tx)
    .await?;
    let sealed = Sealed {
        key_id: row.try_get("key_id")?,
        nonce: row.try_get("nonce")?,
        ciphertext: row.try_get("ciphertext")?,
    };
    let slot = Slot {
        owner: DOCUMENTS,
        owner_id: id,
        field: "issue_date",
    };
    let key = if sealed.key_id == new.id() { new } else { old };
    let date = seal::open(key, slot, &sealed)
        .map_err(|error| StoreError::corrupt(format!("document {id} issue date: {error}")))?;
    let date = crate::time::parse_date(&date)?;
    Ok(i64::from(date.year()))
}
