//! The table copy shared by backup, restore and migrate-data: read every table from one
//! snapshot of the source, insert the rows into the target in one transaction, and hash each
//! table's rows on the way.

use super::schema::{self, ColumnKind, Table, quote};
use super::target::{self, Existing};
use super::value::{Value, encode_bytes};
use super::{Phase, Progress, TableDigest, TransferError};
use crate::Backend;
use crate::db::Db;
use futures::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::{Any, AnyConnection, AssertSqlSafe, Transaction};

/// Rows per INSERT statement at most.
const BATCH_ROWS: usize = 500;
/// Bound parameters per INSERT statement at most, below SQLite's default limit of 32 766.
const BATCH_PARAMETERS: usize = 30_000;
/// Text and blob bytes per INSERT statement at most, so that tables of attachments do not
/// gather hundreds of files in memory.
const BATCH_BYTES: usize = 8 << 20;

/// Opens a read-only transaction whose reads all return the source as it was at one moment. On
/// SQLite in WAL mode the first read fixes the snapshot, and writers go on meanwhile. On PostgreSQL,
/// REPEATABLE READ gives every statement of the transaction the snapshot of its first one.
pub(crate) async fn begin_snapshot(db: &Db) -> Result<Transaction<'static, Any>, TransferError> {
    let tx = match db.backend {
        Backend::Sqlite => db.pool.begin().await,
        Backend::Postgres => {
            db.pool
                .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .await
        }
    };
    Ok(tx?)
}

/// Copies every table of `source` into `target`, which must have the same tables. Returns
/// the digest of each table as read from the source.
pub(crate) async fn copy(
    source: &Db,
    target: &Db,
    existing: Existing,
    phase: Phase,
    progress: &dyn Progress,
) -> Result<Vec<TableDigest>, TransferError> {
    let mut snapshot = begin_snapshot(source).await?;
    let tables = schema::tables(&mut snapshot, source.backend).await?;
    let counts = count_rows(&mut snapshot, &tables).await?;

    let mut write = target.begin_write().await?;
    let target_tables = schema::tables(&mut write, target.backend).await?;
    check_same_tables(&tables, &target_tables)?;
    target::prepare(&mut write, target.backend, &target_tables, existing).await?;

    progress.start(phase, counts.iter().sum());
    let mut digests = Vec::with_capacity(tables.len());
    for table in &tables {
        progress.table(&table.name);
        let mut writer = Writer {
            conn: &mut write,
            backend: target.backend,
        };
        digests.push(
            read_table(
                &mut snapshot,
                source.backend,
                table,
                Some(&mut writer),
                progress,
            )
            .await?,
        );
    }
    target::reset_sequences(&mut write, target.backend).await?;
    write.commit().await?;
    snapshot.rollback().await?;
    progress.finish();
    Ok(digests)
}

/// Hashes every table of `db` from one snapshot, without writing anything.
pub(crate) async fn digest(
    db: &Db,
    phase: Phase,
    progress: &dyn Progress,
) -> Result<Vec<TableDigest>, TransferError> {
    let mut snapshot = begin_snapshot(db).await?;
    let tables = schema::tables(&mut snapshot, db.backend).await?;
    let counts = count_rows(&mut snapshot, &tables).await?;
    progress.start(phase, counts.iter().sum());
    let mut digests = Vec::with_capacity(tables.len());
    for table in &tables {
        progress.table(&table.name);
        digests.push(read_table(&mut snapshot, db.backend, table, None, progress).await?);
    }
    snapshot.rollback().await?;
    progress.finish();
    Ok(digests)
}

/// Counts the rows of each table, for the progress bar.
async fn count_rows(conn: &mut AnyConnection, tables: &[Table]) -> Result<Vec<u64>, TransferError> {
    let mut counts = Vec::with_capacity(tables.len());
    for table in tables {
        counts.push(target::count(conn, table).await?.unsigned_abs());
    }
    Ok(counts)
}

fn check_same_tables(source: &[Table], target: &[Table]) -> Result<(), TransferError> {
    let describe = |tables: &[Table]| -> Vec<String> {
        tables
            .iter()
            .flat_map(|table| {
                table.columns.iter().map(move |column| {
                    format!("{}.{} ({:?})", table.name, column.name, column.kind)
                })
            })
            .collect()
    };
    let (source, target) = (describe(source), describe(target));
    if source == target {
        return Ok(());
    }
    let only_source: Vec<&str> = source
        .iter()
        .filter(|column| !target.contains(column))
        .map(String::as_str)
        .collect();
    let only_target: Vec<&str> = target
        .iter()
        .filter(|column| !source.contains(column))
        .map(String::as_str)
        .collect();
    Err(TransferError::Schema(format!(
        "columns only in the source: [{}], columns only in the target: [{}]",
        only_source.join(", "),
        only_target.join(", ")
    )))
}

/// The target side of a copy: an open write transaction.
struct Writer<'a> {
    conn: &'a mut AnyConnection,
    backend: Backend,
}

impl Writer<'_> {
    async fn insert(&mut self, table: &Table, rows: &[Vec<Value>]) -> Result<(), TransferError> {
        if rows.is_empty() {
            return Ok(());
        }
        let columns: Vec<String> = table.columns.iter().map(|c| quote(&c.name)).collect();
        let mut sql = format!(
            "INSERT INTO {} ({}) VALUES ",
            quote(&table.name),
            columns.join(", ")
        );
        let mut parameter = 0;
        for (index, _) in rows.iter().enumerate() {
            if index > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for column in 0..columns.len() {
                if column > 0 {
                    sql.push_str(", ");
                }
                parameter += 1;
                sql.push('$');
                sql.push_str(&parameter.to_string());
            }
            sql.push(')');
        }
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for row in rows {
            for (value, column) in row.iter().zip(&table.columns) {
                query = value.bind(query, column.kind);
            }
        }
        query
            .execute(&mut *self.conn)
            .await
            .map_err(|error| insert_failed(table, self.backend, error))?;
        Ok(())
    }
}

fn insert_failed(table: &Table, backend: Backend, error: sqlx::Error) -> TransferError {
    TransferError::Insert {
        table: table.name.clone(),
        backend: backend.name(),
        source: error,
    }
}

/// Builds the query that reads a table in primary-key order. Text keys are ordered by byte value on
/// PostgreSQL (`COLLATE "C"`), as SQLite orders them, so that both backends hash rows in the
/// same order whatever the database's collation.
fn select_sql(table: &Table, backend: Backend) -> String {
    let kind_of = |name: &str| {
        table
            .columns
            .iter()
            .find(|column| column.name == name)
            .map(|column| column.kind)
    };
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|column| match (backend, column.kind) {
            // PostgreSQL may store INTEGER or SMALLINT, so the value is cast to a 64-bit integer.
            (Backend::Postgres, ColumnKind::Integer) => {
                format!("CAST({0} AS BIGINT) AS {0}", quote(&column.name))
            }
            _ => quote(&column.name),
        })
        .collect();
    // A table without a primary key is ordered by all its columns. NULLS FIRST is SQLite's
    // default order and must be spelled out for PostgreSQL.
    let (order, nulls) = if table.key.is_empty() {
        let all = table.columns.iter().map(|c| c.name.clone()).collect();
        (all, " NULLS FIRST")
    } else {
        (table.key.clone(), "")
    };
    let order: Vec<String> = order
        .iter()
        .map(|name| match (backend, kind_of(name)) {
            (Backend::Postgres, Some(ColumnKind::Text)) => {
                format!("{} COLLATE \"C\"{nulls}", quote(name))
            }
            _ => format!("{}{nulls}", quote(name)),
        })
        .collect();
    format!(
        "SELECT {} FROM {} ORDER BY {}",
        columns.join(", "),
        quote(&table.name),
        order.join(", ")
    )
}

/// Reads one table in key order, hashes it, and hands its rows in batches to `writer`.
///
/// NOTE: a row that references its own table (an organisation's parent, a sub-task's parent)
/// is inserted after its parent only because ids grow with insertion and parents are never
/// re-pointed to a later row. A table that breaks this fails the copy with a foreign-key error.
async fn read_table(
    snapshot: &mut AnyConnection,
    backend: Backend,
    table: &Table,
    mut writer: Option<&mut Writer<'_>>,
    progress: &dyn Progress,
) -> Result<TableDigest, TransferError> {
    let mut hasher = Sha256::new();
    let mut encoded = Vec::new();
    for column in &table.columns {
        encode_bytes(column.name.as_bytes(), &mut encoded);
    }
    hasher.update(&encoded);

    let rows_per_batch = (BATCH_PARAMETERS / table.columns.len().max(1)).clamp(1, BATCH_ROWS);
    let mut batch: Vec<Vec<Value>> = Vec::with_capacity(rows_per_batch);
    let mut batch_bytes = 0;
    let mut count: u64 = 0;

    let sql = select_sql(table, backend);
    let mut rows = sqlx::query(AssertSqlSafe(sql)).fetch(&mut *snapshot);
    while let Some(row) = rows.try_next().await? {
        let mut values = Vec::with_capacity(table.columns.len());
        encoded.clear();
        for (index, column) in table.columns.iter().enumerate() {
            let value = Value::read(&row, index, column.kind).map_err(|error| {
                TransferError::Schema(format!(
                    "cannot read {}.{} as {:?}: {error}",
                    table.name, column.name, column.kind
                ))
            })?;
            value.encode(&mut encoded);
            values.push(value);
        }
        hasher.update(&encoded);
        count += 1;
        if let Some(writer) = writer.as_deref_mut() {
            batch_bytes += values.iter().map(Value::payload_len).sum::<usize>();
            batch.push(values);
            if batch.len() >= rows_per_batch || batch_bytes >= BATCH_BYTES {
                writer.insert(table, &batch).await?;
                progress.advance(batch.len() as u64);
                batch.clear();
                batch_bytes = 0;
            }
        } else if count.is_multiple_of(BATCH_ROWS as u64) {
            progress.advance(BATCH_ROWS as u64);
        }
    }
    drop(rows);
    match writer {
        Some(writer) => {
            writer.insert(table, &batch).await?;
            progress.advance(batch.len() as u64);
        }
        None => progress.advance(count % BATCH_ROWS as u64),
    }
    Ok(TableDigest {
        table: table.name.clone(),
        rows: count,
        sha256: hex::encode(hasher.finalize()),
    })
}
