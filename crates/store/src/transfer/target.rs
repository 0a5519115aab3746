//! Getting the target of a copy ready and finishing it: the check that it is empty, clearing it
//! when the caller asked to replace its data, and the identity counters on PostgreSQL.

use super::TransferError;
use super::schema::{Table, quote};
use crate::Backend;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

/// The handling of a target that already contains rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Fail with [`TransferError::TargetNotEmpty`].
    Reject,
    /// Delete every row first, in the same transaction as the copy.
    Replace,
}

/// Counts the rows of a table.
pub(crate) async fn count(conn: &mut AnyConnection, table: &Table) -> Result<i64, TransferError> {
    let sql = format!("SELECT COUNT(*) AS n FROM {}", quote(&table.name));
    let rows = sqlx::query(AssertSqlSafe(sql))
        .fetch_one(&mut *conn)
        .await
        .and_then(|row| row.try_get("n"))?;
    Ok(rows)
}

/// Checks that every table of the target is empty, or empties them all for
/// [`Existing::Replace`]. `tables` lists parents before children.
pub(crate) async fn prepare(
    conn: &mut AnyConnection,
    backend: Backend,
    tables: &[Table],
    existing: Existing,
) -> Result<(), TransferError> {
    for table in tables {
        let rows = count(conn, table).await?;
        if rows == 0 {
            continue;
        }
        return match existing {
            Existing::Reject => Err(TransferError::TargetNotEmpty {
                table: table.name.clone(),
                rows,
            }),
            Existing::Replace => clear(conn, backend, tables).await,
        };
    }
    Ok(())
}

/// Deletes every row of every table. The event tables reject DELETE through triggers that keep
/// the history append-only, so SQLite drops its triggers for the deletion and recreates them
/// from their stored definitions, all inside the transaction. PostgreSQL's TRUNCATE does not
/// fire row triggers.
async fn clear(
    conn: &mut AnyConnection,
    backend: Backend,
    tables: &[Table],
) -> Result<(), TransferError> {
    match backend {
        Backend::Postgres => {
            let names: Vec<String> = tables.iter().map(|t| quote(&t.name)).collect();
            let sql = format!("TRUNCATE {} RESTART IDENTITY", names.join(", "));
            sqlx::query(AssertSqlSafe(sql)).execute(&mut *conn).await?;
        }
        Backend::Sqlite => {
            let triggers = text_pairs(
                conn,
                "SELECT name AS first, sql AS second FROM sqlite_master \
                 WHERE type = 'trigger' ORDER BY name",
            )
            .await?;
            for (name, _) in &triggers {
                execute(conn, format!("DROP TRIGGER {}", quote(name))).await?;
            }
            for table in tables.iter().rev() {
                execute(conn, format!("DELETE FROM {}", quote(&table.name))).await?;
            }
            for (_, sql) in triggers {
                execute(conn, sql).await?;
            }
        }
    }
    Ok(())
}

/// Fetches the text columns `first` and `second` of every row of `sql`.
async fn text_pairs(
    conn: &mut AnyConnection,
    sql: &'static str,
) -> Result<Vec<(String, String)>, TransferError> {
    let rows = sqlx::query(sql).fetch_all(&mut *conn).await?;
    let pairs = rows
        .iter()
        .map(|row| Ok((row.try_get("first")?, row.try_get("second")?)))
        .collect::<Result<_, sqlx::Error>>()?;
    Ok(pairs)
}

async fn execute(conn: &mut AnyConnection, sql: String) -> Result<(), TransferError> {
    sqlx::query(AssertSqlSafe(sql)).execute(&mut *conn).await?;
    Ok(())
}

/// Moves each identity counter of PostgreSQL past the largest copied id, so that the next row
/// the server inserts gets a new id. SQLite takes the next rowid from the table itself.
pub(crate) async fn reset_sequences(
    conn: &mut AnyConnection,
    backend: Backend,
) -> Result<(), TransferError> {
    if backend == Backend::Sqlite {
        return Ok(());
    }
    let columns = text_pairs(
        conn,
        "SELECT table_name::text AS first, column_name::text AS second \
         FROM information_schema.columns WHERE table_schema = current_schema() \
         AND (is_identity = 'YES' OR column_default LIKE 'nextval(%') ORDER BY 1, 2",
    )
    .await?;
    for (table, column) in columns {
        // An empty table keeps the counter at 1 with is_called false, so its first id is 1.
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX({0}), 1), MAX({0}) IS NOT NULL) FROM {1}",
            quote(&column),
            quote(&table)
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(quote(&table))
            .bind(column)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
