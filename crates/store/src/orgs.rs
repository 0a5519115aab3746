//! Organisations and their closure table.

use crate::db::WriteTx;
use crate::error::{StoreError, StoreResult};
use crate::{Store, time};
use jiff::Timestamp;
use sqlx::Row;
use theodoi_domain::error::{Code, DomainError};
use theodoi_domain::ids::OrgId;
use theodoi_domain::org::{NewOrganisation, OrgCategory, Organisation};
use theodoi_domain::text::fold;

/// The organisation facts the product ships with: central bodies, committees directly under the
/// Central Committee and the 34 provincial and city committees in force since 1 July 2025.
const SEED: &str = include_str!("../seed/organisations.csv");

const COLUMNS: &str = "id, code, name_vi, name_en, category, parent_id, province_code";

fn decode(row: &sqlx::any::AnyRow) -> StoreResult<Organisation> {
    let category: String = row.try_get("category")?;
    Ok(Organisation {
        id: OrgId(row.try_get("id")?),
        code: row.try_get("code")?,
        name_vi: row.try_get("name_vi")?,
        name_en: row.try_get("name_en")?,
        category: OrgCategory::parse(&category)
            .ok_or_else(|| StoreError::corrupt(format!("organisation category {category}")))?,
        parent_id: row.try_get::<Option<i64>, _>("parent_id")?.map(OrgId),
        province_code: row
            .try_get::<Option<i64>, _>("province_code")?
            .and_then(|code| u16::try_from(code).ok()),
    })
}

impl Store {
    /// Every organisation, parents before children.
    pub async fn organisations(&self) -> StoreResult<Vec<Organisation>> {
        let sql = format!("SELECT {COLUMNS} FROM organisations ORDER BY id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter().map(decode).collect()
    }

    /// Adds an organisation under its parent. A taken code is reported on the `code` field.
    pub async fn insert_organisation(
        &self,
        new: &NewOrganisation,
        now: Timestamp,
    ) -> StoreResult<Organisation> {
        let mut tx = self.db.begin_write().await?;
        let org = insert(&mut tx, new, now).await?;
        tx.announce_reference();
        tx.commit().await?;
        Ok(org)
    }

    /// Loads the shipped organisation tree into an empty database; returns how many were added.
    pub async fn seed_organisations(&self, now: Timestamp) -> StoreResult<usize> {
        // Reading one row is enough to tell whether the tree is there, while counting would
        // read every body.
        let seeded = sqlx::query("SELECT 1 AS found FROM organisations LIMIT 1")
            .fetch_optional(&self.db.pool)
            .await?
            .is_some();
        if seeded {
            return Ok(0);
        }
        // One transaction, so that a failure leaves no partial tree behind.
        let mut tx = self.db.begin_write().await?;
        let mut reader = csv::Reader::from_reader(SEED.as_bytes());
        let mut ids: std::collections::HashMap<String, OrgId> = std::collections::HashMap::new();
        let mut added = 0;
        for record in reader.records() {
            let record = record.map_err(StoreError::corrupt)?;
            let field = |index: usize| record.get(index).unwrap_or_default().trim().to_owned();
            let category = OrgCategory::parse(&field(3))
                .ok_or_else(|| StoreError::corrupt(format!("seed category {}", field(3))))?;
            let parent_code = field(4);
            let parent_id = if parent_code.is_empty() {
                None
            } else {
                Some(*ids.get(&parent_code).ok_or_else(|| {
                    StoreError::corrupt(format!("seed parent {parent_code} comes after its child"))
                })?)
            };
            let new = NewOrganisation {
                code: field(0),
                name_vi: theodoi_domain::text::nfc(&field(1)),
                name_en: field(2),
                category,
                parent_id,
                province_code: field(5).parse().ok(),
            };
            let org = insert(&mut tx, &new, now).await?;
            ids.insert(org.code.clone(), org.id);
            added += 1;
        }
        tx.announce_reference();
        tx.commit().await?;
        Ok(added)
    }

    /// Ids of `root` and every organisation below it.
    pub async fn subtree(&self, root: OrgId) -> StoreResult<Vec<OrgId>> {
        let rows = sqlx::query(
            "SELECT descendant FROM org_closure WHERE ancestor = $1 ORDER BY descendant",
        )
        .bind(root.0)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|row| Ok(OrgId(row.try_get("descendant")?)))
            .collect()
    }
}

/// Inserts an organisation and its closure rows in the caller's transaction.
pub(crate) async fn insert(
    tx: &mut WriteTx,
    new: &NewOrganisation,
    now: Timestamp,
) -> StoreResult<Organisation> {
    let inserted = sqlx::query(
        "INSERT INTO organisations (code, name_vi, name_en, category, parent_id, province_code, search, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(&new.code)
    .bind(&new.name_vi)
    .bind(&new.name_en)
    .bind(new.category.as_str())
    .bind(new.parent_id.map(|id| id.0))
    .bind(new.province_code.map(i64::from))
    .bind(format!("{} {} {}", fold(&new.code), fold(&new.name_vi), fold(&new.name_en)))
    .bind(time::to_ms(now))
    .fetch_one(&mut ***tx)
    .await;
    let id: i64 = match inserted {
        Ok(row) => row.try_get("id")?,
        Err(error) => {
            let error = StoreError::from(error);
            if error.is_unique_violation() {
                return Err(DomainError::field(
                    "code",
                    Code::OrgCodeDuplicate,
                    vec![("value", new.code.clone().into())],
                )
                .into());
            }
            return Err(error);
        }
    };
    sqlx::query("INSERT INTO org_closure (ancestor, descendant, depth) VALUES ($1, $1, 0)")
        .bind(id)
        .execute(&mut ***tx)
        .await?;
    if let Some(parent) = new.parent_id {
        sqlx::query(
            "INSERT INTO org_closure (ancestor, descendant, depth) \
             SELECT ancestor, $1, depth + 1 FROM org_closure WHERE descendant = $2",
        )
        .bind(id)
        .bind(parent.0)
        .execute(&mut ***tx)
        .await?;
    }
    Ok(Organisation {
        id: OrgId(id),
        code: new.code.clone(),
        name_vi: new.name_vi.clone(),
        name_en: new.name_en.clone(),
        category: new.category,
        parent_id: new.parent_id,
        province_code: new.province_code,
    })
}
