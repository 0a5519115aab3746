//! Checks of the database as a whole: SQLite's own consistency check and the references
//! between tables.

use super::{Conn, Finding, IntegrityReport};
use crate::error::StoreResult;
use sqlx::Row;

pub(super) async fn sqlite_integrity(
    conn: &mut Conn,
    report: &mut IntegrityReport,
) -> StoreResult<()> {
    let rows = sqlx::query("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await?;
    for row in rows {
        let message: String = row.try_get(0)?;
        if message != "ok" {
            report.findings.push(Finding::SqliteIntegrity { message });
        }
    }
    Ok(())
}

pub(super) async fn sqlite_foreign_keys(
    conn: &mut Conn,
    report: &mut IntegrityReport,
) -> StoreResult<()> {
    // Each row of foreign_key_check names the table and the constraint (fkid); the column
    // comes from the table's foreign-key list.
    let rows = sqlx::query(
        "SELECT c.\"table\" AS child, c.parent AS parent, l.\"from\" AS col, COUNT(*) AS n \
         FROM pragma_foreign_key_check() c \
         LEFT JOIN pragma_foreign_key_list(c.\"table\") l ON l.id = c.fkid \
         GROUP BY c.\"table\", c.parent, l.\"from\" ORDER BY 1, 3",
    )
    .fetch_all(&mut *conn)
    .await?;
    for row in rows {
        report.findings.push(Finding::ForeignKey {
            table: row.try_get("child")?,
            column: row.try_get::<Option<String>, _>("col")?.unwrap_or_default(),
            parent: row.try_get("parent")?,
            rows: row.try_get("n")?,
        });
    }
    Ok(())
}

pub(super) async fn postgres_foreign_keys(
    conn: &mut Conn,
    report: &mut IntegrityReport,
) -> StoreResult<()> {
    // PostgreSQL enforces the constraints, but a restore with triggers disabled or a manual
    // repair can bypass them, so every single-column foreign key is checked by a query.
    let constraints = sqlx::query(
        "SELECT child.relname::text AS child, a.attname::text AS col, \
                parent.relname::text AS parent, pa.attname::text AS parent_col \
         FROM pg_constraint c \
         JOIN pg_class child ON child.oid = c.conrelid \
         JOIN pg_class parent ON parent.oid = c.confrelid \
         JOIN pg_namespace n ON n.oid = child.relnamespace \
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] \
         JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1] \
         WHERE c.contype = 'f' AND n.nspname = current_schema() \
           AND array_length(c.conkey, 1) = 1 \
         ORDER BY 1, 2",
    )
    .fetch_all(&mut *conn)
    .await?;
    for constraint in constraints {
        let child: String = constraint.try_get("child")?;
        let column: String = constraint.try_get("col")?;
        let parent: String = constraint.try_get("parent")?;
        let parent_column: String = constraint.try_get("parent_col")?;
        let quote = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
        let sql = format!(
            "SELECT COUNT(*) AS n FROM {child_table} c WHERE c.{col} IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM {parent_table} p WHERE p.{parent_col} = c.{col})",
            child_table = quote(&child),
            col = quote(&column),
            parent_table = quote(&parent),
            parent_col = quote(&parent_column),
        );
        let orphans: i64 = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_one(&mut *conn)
            .await?
            .try_get("n")?;
        if orphans > 0 {
            report.findings.push(Finding::ForeignKey {
                table: child,
                column,
                parent,
                rows: orphans,
            });
        }
    }
    Ok(())
}
