//! Classification catalogues edited by the Central Office.

use crate::Store;
use crate::error::{StoreError, StoreResult};
use sqlx::Row;
use theodoi_domain::catalogue::{Axis, CatalogueEntry, default_entries};
use theodoi_domain::error::{Code, DomainError};

/// A catalogue entry with its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    pub entry: CatalogueEntry,
    pub version: i64,
}

fn decode(row: &sqlx::any::AnyRow) -> StoreResult<StoredEntry> {
    let axis: String = row.try_get("axis")?;
    Ok(StoredEntry {
        entry: CatalogueEntry {
            axis: Axis::parse(&axis).ok_or_else(|| StoreError::corrupt(format!("axis {axis}")))?,
            code: row.try_get("code")?,
            name_vi: row.try_get("name_vi")?,
            name_en: row.try_get("name_en")?,
            active: row.try_get::<i64, _>("active")? != 0,
            position: i32::try_from(row.try_get::<i64, _>("position")?).unwrap_or(i32::MAX),
        },
        version: row.try_get("version")?,
    })
}

impl Store {
    /// Every entry of every axis, by axis and position.
    pub async fn catalogue_entries(&self) -> StoreResult<Vec<StoredEntry>> {
        let rows = sqlx::query(
            "SELECT axis, code, name_vi, name_en, active, position, version FROM catalogue_entries \
             ORDER BY axis, position, code",
        )
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter().map(decode).collect()
    }

    /// Adds an entry; a taken code is reported on the `code` field.
    pub async fn insert_catalogue_entry(&self, entry: &CatalogueEntry) -> StoreResult<StoredEntry> {
        let mut tx = self.db.begin_write().await?;
        let result = sqlx::query(
            "INSERT INTO catalogue_entries (axis, code, name_vi, name_en, active, position) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(entry.axis.as_str())
        .bind(&entry.code)
        .bind(&entry.name_vi)
        .bind(&entry.name_en)
        .bind(i64::from(entry.active))
        .bind(i64::from(entry.position))
        .execute(&mut **tx)
        .await
        .map_err(StoreError::from);
        match result {
            Err(error) if error.is_unique_violation() => {
                return Err(DomainError::field(
                    "code",
                    Code::CatalogueCodeDuplicate,
                    vec![("value", entry.code.clone().into())],
                )
                .into());
            }
            other => other?,
        };
        tx.announce_reference();
        tx.commit().await?;
        Ok(StoredEntry {
            entry: entry.clone(),
            version: 1,
        })
    }

    /// Replaces the names, active flag and position of an entry at `expected_version`.
    pub async fn update_catalogue_entry(
        &self,
        entry: &CatalogueEntry,
        expected_version: Option<i64>,
    ) -> StoreResult<StoredEntry> {
        let mut tx = self.db.begin_write().await?;
        let current: Option<i64> =
            sqlx::query("SELECT version FROM catalogue_entries WHERE axis = $1 AND code = $2")
                .bind(entry.axis.as_str())
                .bind(&entry.code)
                .fetch_optional(&mut **tx)
                .await?
                .map(|row| row.try_get("version"))
                .transpose()?;
        let Some(current) = current else {
            return Err(DomainError::not_found(
                Code::CatalogueUnknownCode,
                vec![
                    ("axis", entry.axis.as_str().into()),
                    ("value", entry.code.clone().into()),
                ],
            )
            .into());
        };
        if expected_version.is_some_and(|expected| expected != current) {
            return Err(StoreError::VersionConflict { current });
        }
        sqlx::query(
            "UPDATE catalogue_entries SET name_vi = $1, name_en = $2, active = $3, position = $4, \
             version = version + 1 WHERE axis = $5 AND code = $6",
        )
        .bind(&entry.name_vi)
        .bind(&entry.name_en)
        .bind(i64::from(entry.active))
        .bind(i64::from(entry.position))
        .bind(entry.axis.as_str())
        .bind(&entry.code)
        .execute(&mut **tx)
        .await?;
        tx.announce_reference();
        tx.commit().await?;
        Ok(StoredEntry {
            entry: entry.clone(),
            version: current + 1,
        })
    }

    /// Fills empty catalogues with the default entries.
    pub async fn seed_catalogue(&self) -> StoreResult<usize> {
        if !self.catalogue_entries().await?.is_empty() {
            return Ok(0);
        }
        let entries = default_entries();
        for entry in &entries {
            self.insert_catalogue_entry(entry).await?;
        }
        Ok(entries.len())
    }
}
