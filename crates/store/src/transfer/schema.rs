//! The tables of a database, read from the database's own catalogue so that tables added by
//! later migrations are copied without changes here.

use super::TransferError;
use crate::Backend;
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, BTreeSet};

/// The kind of a column's values, which decides how they are read, bound and hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColumnKind {
    Integer,
    Real,
    Text,
    Blob,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Column {
    pub name: String,
    pub kind: ColumnKind,
}

/// One table: its columns sorted by name, so that both backends list them in the same order
/// whatever order the migrations declared them in, and the primary-key columns in key order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub key: Vec<String>,
    /// Tables that this table's foreign keys reference, itself excluded.
    pub parents: BTreeSet<String>,
}

/// The migration bookkeeping table of sqlx, which the copy leaves to the migrations.
pub(crate) const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// Quotes an identifier for both dialects.
pub(crate) fn quote(identifier: &str) -> String {
    format!("\"{}\"", identifier.replace('"', "\"\""))
}

/// Reads every table except the migration bookkeeping, parents before the tables that
/// reference them.
pub(crate) async fn tables(
    conn: &mut AnyConnection,
    backend: Backend,
) -> Result<Vec<Table>, TransferError> {
    let names: Vec<String> = sqlx::query(match backend {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_sqlx_migrations' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT table_name::text AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             AND table_name <> '_sqlx_migrations' ORDER BY 1"
        }
    })
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|row| row.try_get("name"))
    .collect::<Result<_, _>>()?;

    let mut tables = Vec::with_capacity(names.len());
    for name in names {
        tables.push(table(conn, backend, name).await?);
    }
    order_by_dependencies(tables)
}

/// Returns whether the database has the table `name`.
pub(crate) async fn has_table(
    conn: &mut AnyConnection,
    backend: Backend,
    name: &str,
) -> Result<bool, TransferError> {
    let count: i64 = sqlx::query(match backend {
        Backend::Sqlite => {
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = $1"
        }
        Backend::Postgres => {
            "SELECT COUNT(*) AS n FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = $1"
        }
    })
    .bind(name)
    .fetch_one(&mut *conn)
    .await
    .and_then(|row| row.try_get("n"))?;
    Ok(count > 0)
}

async fn table(
    conn: &mut AnyConnection,
    backend: Backend,
    name: String,
) -> Result<Table, TransferError> {
    let (columns_sql, key_sql, parents_sql) = match backend {
        Backend::Sqlite => (
            "SELECT name, type, pk FROM pragma_table_info($1) ORDER BY cid",
            "SELECT name FROM pragma_table_info($1) WHERE pk > 0 ORDER BY pk",
            "SELECT DISTINCT \"table\" AS parent FROM pragma_foreign_key_list($1)",
        ),
        Backend::Postgres => (
            "SELECT column_name::text AS name, data_type::text AS type FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            "SELECT k.column_name::text AS name FROM information_schema.table_constraints c \
             JOIN information_schema.key_column_usage k ON k.constraint_schema = c.constraint_schema \
             AND k.constraint_name = c.constraint_name AND k.table_name = c.table_name \
             WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = current_schema() \
             AND c.table_name = $1 ORDER BY k.ordinal_position",
            "SELECT DISTINCT p.relname::text AS parent FROM pg_constraint f \
             JOIN pg_class t ON t.oid = f.conrelid JOIN pg_class p ON p.oid = f.confrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             WHERE f.contype = 'f' AND n.nspname = current_schema() AND t.relname = $1",
        ),
    };
    let mut columns = Vec::new();
    for row in sqlx::query(columns_sql)
        .bind(&name)
        .fetch_all(&mut *conn)
        .await?
    {
        let column: String = row.try_get("name")?;
        let declared: String = row.try_get("type")?;
        let kind = column_kind(backend, &declared).ok_or_else(|| {
            TransferError::Schema(format!(
                "column {name}.{column} has the type {declared}, which the copy does not handle"
            ))
        })?;
        columns.push(Column { name: column, kind });
    }
    columns.sort_by(|a, b| a.name.cmp(&b.name));

    let key = names_of(conn, key_sql, &name, "name").await?;
    let parents = names_of(conn, parents_sql, &name, "parent")
        .await?
        .into_iter()
        .filter(|parent| *parent != name)
        .collect();
    Ok(Table {
        name,
        columns,
        key,
        parents,
    })
}

async fn names_of(
    conn: &mut AnyConnection,
    sql: &'static str,
    table: &str,
    column: &str,
) -> Result<Vec<String>, TransferError> {
    let rows = sqlx::query(sql).bind(table).fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| row.try_get::<String, _>(column))
        .collect::<Result<_, _>>()
        .map_err(|error| crate::StoreError::from(error).into())
}

/// Maps a declared column type to how its values are handled. SQLite follows its type
/// affinity rules. PostgreSQL names its types in `information_schema.columns.data_type`.
fn column_kind(backend: Backend, declared: &str) -> Option<ColumnKind> {
    let declared = declared.to_ascii_uppercase();
    match backend {
        Backend::Sqlite => {
            if declared.contains("INT") {
                Some(ColumnKind::Integer)
            } else if ["CHAR", "CLOB", "TEXT"]
                .iter()
                .any(|t| declared.contains(t))
            {
                Some(ColumnKind::Text)
            } else if declared.contains("BLOB") || declared.is_empty() {
                Some(ColumnKind::Blob)
            } else if ["REAL", "FLOA", "DOUB"]
                .iter()
                .any(|t| declared.contains(t))
            {
                Some(ColumnKind::Real)
            } else {
                None
            }
        }
        Backend::Postgres => match declared.as_str() {
            "BIGINT" | "INTEGER" | "SMALLINT" => Some(ColumnKind::Integer),
            "TEXT" | "CHARACTER VARYING" | "CHARACTER" => Some(ColumnKind::Text),
            "BYTEA" => Some(ColumnKind::Blob),
            "DOUBLE PRECISION" | "REAL" => Some(ColumnKind::Real),
            _ => None,
        },
    }
}

/// Sorts tables so that every table comes after the tables it references, and otherwise by
/// name, so that both backends copy in the same order.
pub(crate) fn order_by_dependencies(tables: Vec<Table>) -> Result<Vec<Table>, TransferError> {
    let mut pending: BTreeMap<String, Table> = tables
        .into_iter()
        .map(|table| (table.name.clone(), table))
        .collect();
    let mut ordered: Vec<Table> = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let ready = pending
            .values()
            .find(|table| {
                table
                    .parents
                    .iter()
                    .all(|parent| !pending.contains_key(parent))
            })
            .map(|table| table.name.clone());
        let Some(ready) = ready else {
            let cycle: Vec<&str> = pending.keys().map(String::as_str).collect();
            return Err(TransferError::Schema(format!(
                "the foreign keys of the tables {} form a cycle, so no copy order inserts parents first",
                cycle.join(", ")
            )));
        };
        ordered.extend(pending.remove(&ready));
    }
    Ok(ordered)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(name: &str, parents: &[&str]) -> Table {
        Table {
            name: name.to_owned(),
            columns: Vec::new(),
            key: Vec::new(),
            parents: parents.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    fn names(tables: &[Table]) -> Vec<&str> {
        tables.iter().map(|t| t.name.as_str()).collect()
    }

    #[test]
    fn order_puts_parents_first_then_names() {
        let ordered = order_by_dependencies(vec![
            table("task_events", &["tasks", "users"]),
            table("tasks", &["documents"]),
            table("documents", &["users"]),
            table("users", &[]),
            table("audit", &[]),
        ])
        .unwrap();
        assert_eq!(
            names(&ordered),
            ["audit", "users", "documents", "tasks", "task_events"]
        );
    }

    #[test]
    fn order_rejects_cycle() {
        let error =
            order_by_dependencies(vec![table("a", &["b"]), table("b", &["a"])]).unwrap_err();
        assert!(error.to_string().contains("a, b"), "{error}");
    }

    #[test]
    fn column_kinds_follow_each_dialect() {
        assert_eq!(
            column_kind(Backend::Sqlite, "INTEGER"),
            Some(ColumnKind::Integer)
        );
        assert_eq!(column_kind(Backend::Sqlite, "BLOB"), Some(ColumnKind::Blob));
        assert_eq!(column_kind(Backend::Sqlite, "TEXT"), Some(ColumnKind::Text));
        assert_eq!(column_kind(Backend::Sqlite, "NUMERIC"), None);
        assert_eq!(
            column_kind(Backend::Postgres, "bigint"),
            Some(ColumnKind::Integer)
        );
        assert_eq!(
            column_kind(Backend::Postgres, "bytea"),
            Some(ColumnKind::Blob)
        );
        assert_eq!(column_kind(Backend::Postgres, "boolean"), None);
    }
}
