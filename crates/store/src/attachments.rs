//! Files attached to progress updates, such as a signed report or a draft regulation. The bytes
//! are stored in the database next to their SHA-256, so that a backup of the database
//! contains them too.

use crate::error::{StoreError, StoreResult};
use crate::idempotency::Created;
use crate::{Store, time};
use jiff::Timestamp;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::fmt;
use theodoi_domain::ids::{OrgId, TaskId, UserId};

/// Id of a stored file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct AttachmentId(pub i64);

impl fmt::Display for AttachmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A file to store for a task.
#[derive(Debug, Clone, Copy)]
pub struct NewAttachment<'a> {
    pub task_id: TaskId,
    pub uploaded_by: UserId,
    /// The uploader's body.
    pub body: OrgId,
    /// The name the file had on the uploader's computer.
    pub file_name: &'a str,
    /// Media type, such as `application/pdf`, decided by the caller after checking the file.
    pub content_type: &'a str,
    pub data: &'a [u8],
    pub now: Timestamp,
}

/// The metadata of a stored file, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub id: AttachmentId,
    pub task_id: TaskId,
    pub uploaded_by: UserId,
    pub body: OrgId,
    pub file_name: String,
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256 of the bytes, in lowercase hexadecimal.
    pub sha256: String,
    pub created_at: Timestamp,
}

const COLUMNS: &str =
    "id, task_id, uploaded_by, body, file_name, content_type, size, sha256, created_at";

fn decode(row: &sqlx::any::AnyRow) -> StoreResult<Attachment> {
    Ok(Attachment {
        id: AttachmentId(row.try_get("id")?),
        task_id: TaskId(row.try_get("task_id")?),
        uploaded_by: UserId(row.try_get("uploaded_by")?),
        body: OrgId(row.try_get("body")?),
        file_name: row.try_get("file_name")?,
        content_type: row.try_get("content_type")?,
        size: row.try_get("size")?,
        sha256: row.try_get("sha256")?,
        created_at: time::from_ms(row.try_get("created_at")?)?,
    })
}

impl Store {
    /// Stores a file for a task. When the same user already stored the same bytes under the
    /// same name for the same task, returns that attachment marked `replayed` and stores
    /// nothing, so that a form submitted twice keeps one copy.
    pub async fn insert_attachment(
        &self,
        new: &NewAttachment<'_>,
    ) -> StoreResult<Created<Attachment>> {
        let sha256 = hex::encode(Sha256::digest(new.data));
        let size = i64::try_from(new.data.len()).map_err(StoreError::corrupt)?;
        let mut tx = self.db.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO attachments (task_id, uploaded_by, body, file_name, content_type, size, sha256, data, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (task_id, uploaded_by, sha256, file_name) DO NOTHING RETURNING id",
        )
        .bind(new.task_id.0)
        .bind(new.uploaded_by.0)
        .bind(new.body.0)
        .bind(new.file_name)
        .bind(new.content_type)
        .bind(size)
        .bind(&sha256)
        .bind(new.data.to_vec())
        .bind(time::to_ms(new.now))
        .fetch_optional(&mut **tx)
        .await?;

        let replayed = inserted.is_none();
        let sql = format!(
            "SELECT {COLUMNS} FROM attachments \
             WHERE task_id = $1 AND uploaded_by = $2 AND sha256 = $3 AND file_name = $4"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(new.task_id.0)
            .bind(new.uploaded_by.0)
            .bind(&sha256)
            .bind(new.file_name)
            .fetch_one(&mut **tx)
            .await?;
        let attachment = decode(&row)?;
        tx.commit().await?;
        Ok(Created {
            value: attachment,
            replayed,
        })
    }

    /// Returns the attachment `id` without its bytes, or `None` when there is none.
    pub async fn attachment(&self, id: AttachmentId) -> StoreResult<Option<Attachment>> {
        let sql = format!("SELECT {COLUMNS} FROM attachments WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_optional(&self.db.pool)
            .await?;
        row.as_ref().map(decode).transpose()
    }

    /// Returns the attachment `id` with its bytes, or `None` when there is none.
    pub async fn attachment_data(
        &self,
        id: AttachmentId,
    ) -> StoreResult<Option<(Attachment, Vec<u8>)>> {
        let sql = format!("SELECT {COLUMNS}, data FROM attachments WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_optional(&self.db.pool)
            .await?;
        match row {
            Some(row) => Ok(Some((decode(&row)?, row.try_get("data")?))),
            None => Ok(None),
        }
    }

    /// Returns the attachments among `ids` that exist, without their bytes, in id order.
    pub async fn attachments(&self, ids: &[AttachmentId]) -> StoreResult<Vec<Attachment>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let values: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let mut sql =
            crate::sql::Sql::new(&format!("SELECT {COLUMNS} FROM attachments WHERE id IN "));
        sql.bind_list(&values).push(" ORDER BY id");
        let rows = sql.query().fetch_all(&self.db.pool).await?;
        rows.iter().map(decode).collect()
    }
}
