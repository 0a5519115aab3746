//! Saved views of the task list: named query strings that each user keeps to reapply a set of
//! filters later. Every query takes the user's id, so a view is visible to its owner only.

use crate::error::StoreResult;
use crate::{Store, time};
use jiff::Timestamp;
use serde::Serialize;
use sqlx::Row;
use theodoi_domain::ids::UserId;

/// A named set of task-list filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedView {
    pub id: i64,
    pub user_id: UserId,
    pub name: String,
    /// Query string of the task list without a leading `?`, such as `result_state=in_progress_overdue`.
    pub query: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

const COLUMNS: &str = "id, user_id, name, query, created_at, updated_at";

fn decode(row: &sqlx::any::AnyRow) -> StoreResult<SavedView> {
    Ok(SavedView {
        id: row.try_get("id")?,
        user_id: UserId(row.try_get("user_id")?),
        name: row.try_get("name")?,
        query: row.try_get("query")?,
        created_at: time::from_ms(row.try_get("created_at")?)?,
        updated_at: time::from_ms(row.try_get("updated_at")?)?,
    })
}

impl Store {
    /// Saves `query` under `name` for `user`. A view of the same name is replaced, so saving
    /// twice (a double click) leaves one view.
    pub async fn save_view(
        &self,
        user: UserId,
        name: &str,
        query: &str,
        now: Timestamp,
    ) -> StoreResult<SavedView> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO saved_views (user_id, name, query, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4) \
             ON CONFLICT (user_id, name) DO UPDATE SET query = excluded.query, \
             updated_at = excluded.updated_at RETURNING {COLUMNS}"
        )))
        .bind(user.0)
        .bind(name)
        .bind(query)
        .bind(time::to_ms(now))
        .fetch_one(&self.db.pool)
        .await?;
        decode(&row)
    }

    /// Lists the views of `user`, by name.
    pub async fn saved_views(&self, user: UserId) -> StoreResult<Vec<SavedView>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM saved_views WHERE user_id = $1 ORDER BY name, id"
        )))
        .bind(user.0)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter().map(decode).collect()
    }

    /// Returns one view of `user`, or `None` when it does not exist or belongs to someone else.
    pub async fn saved_view(&self, user: UserId, id: i64) -> StoreResult<Option<SavedView>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM saved_views WHERE id = $1 AND user_id = $2"
        )))
        .bind(id)
        .bind(user.0)
        .fetch_optional(&self.db.pool)
        .await?;
        row.as_ref().map(decode).transpose()
    }

    /// Deletes a view of `user`. Returns whether one was deleted: `false` when it was already
    /// gone or belongs to someone else.
    pub async fn delete_view(&self, user: UserId, id: i64) -> StoreResult<bool> {
        let result = sqlx::query("DELETE FROM saved_views WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user.0)
            .execute(&self.db.pool)
            .await?;
        Ok(result.rows_affected() > 0)
    }
}
