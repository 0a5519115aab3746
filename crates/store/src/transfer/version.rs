//! The schema version of a database compared with the migrations built into this program.

use super::TransferError;
use super::schema::{self, MIGRATIONS_TABLE};
use crate::db::{Db, migrator};
use sqlx::Row;
use sqlx::migrate::MigrationType;

/// The state of a database's schema compared with this program's migrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SchemaState {
    /// Every migration of this program is applied, and no other.
    Current,
    /// Some migrations of this program are not applied yet; `version` is the latest applied.
    Older { version: i64 },
    /// A migration this program does not know is applied: a newer program made the database.
    Newer { version: i64 },
    /// No migration is recorded: not a theodoi database.
    Missing,
}

/// Returns the versions of this program's migrations for `db`'s backend, in order.
pub(crate) fn known_versions(db: &Db) -> Vec<i64> {
    migrator(db.backend)
        .iter()
        .filter(|migration| migration.migration_type != MigrationType::ReversibleDown)
        .map(|migration| migration.version)
        .collect()
}

/// The latest version of this program's migrations.
pub(crate) fn latest_version(db: &Db) -> i64 {
    known_versions(db).last().copied().unwrap_or_default()
}

pub(crate) async fn schema_state(db: &Db) -> Result<SchemaState, TransferError> {
    let mut conn = db.pool.acquire().await?;
    if !schema::has_table(&mut conn, db.backend, MIGRATIONS_TABLE).await? {
        return Ok(SchemaState::Missing);
    }
    let applied: Vec<i64> =
        sqlx::query("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|row| row.try_get("version"))
            .collect::<Result<_, _>>()?;
    Ok(compare(&applied, &known_versions(db)))
}

fn compare(applied: &[i64], known: &[i64]) -> SchemaState {
    if let Some(unknown) = applied
        .iter()
        .rev()
        .find(|version| !known.contains(version))
    {
        return SchemaState::Newer { version: *unknown };
    }
    match applied.last() {
        None => SchemaState::Missing,
        Some(_) if applied.len() == known.len() => SchemaState::Current,
        Some(version) => SchemaState::Older { version: *version },
    }
}

/// Fails unless `db` has exactly this program's schema. `database` names it in the message.
pub(crate) async fn require_current(db: &Db, database: &str) -> Result<(), TransferError> {
    match schema_state(db).await? {
        SchemaState::Current => Ok(()),
        SchemaState::Older { version } => Err(TransferError::SchemaOlder {
            database: database.to_owned(),
            version,
            expected: latest_version(db),
        }),
        SchemaState::Newer { version } => Err(TransferError::SchemaNewer {
            database: database.to_owned(),
            version,
        }),
        SchemaState::Missing => Err(TransferError::NotTheodoi {
            database: database.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compare_classifies_applied_versions() {
        let known = [1, 10, 30, 40];
        assert_eq!(compare(&[1, 10, 30, 40], &known), SchemaState::Current);
        assert_eq!(
            compare(&[1, 10], &known),
            SchemaState::Older { version: 10 }
        );
        assert_eq!(
            compare(&[1, 10, 30, 40, 50], &known),
            SchemaState::Newer { version: 50 }
        );
        assert_eq!(compare(&[], &known), SchemaState::Missing);
    }
}
