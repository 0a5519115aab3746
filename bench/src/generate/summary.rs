//! Counts of a generated data set, printed after generation.

use anyhow::Result;
use jiff::Timestamp;
use sqlx::Row;

/// Prints how many rows each table holds, the tasks per result base and the obligations per
/// status at `now`.
pub async fn print(url: &str, now: Timestamp) -> Result<()> {
    theodoi_store::install_drivers();
    let pool = sqlx::AnyPool::connect(url).await?;
    for table in [
        "organisations",
        "users",
        "documents",
        "tasks",
        "task_events",
        "obligations",
    ] {
        let sql = format!("SELECT COUNT(*) AS n FROM {table}");
        let count: i64 = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_one(&pool)
            .await?
            .try_get("n")?;
        eprintln!("{table:<14} {count:>10}");
    }
    let rows = sqlx::query(
        "SELECT result_base, COUNT(*) AS n FROM tasks GROUP BY result_base ORDER BY result_base",
    )
    .fetch_all(&pool)
    .await?;
    for row in rows {
        let base: String = row.try_get("result_base")?;
        let count: i64 = row.try_get("n")?;
        eprintln!("  tasks {base:<20} {count:>10}");
    }
    let now_ms = now.as_millisecond();
    let rows = sqlx::query(
        "SELECT CASE WHEN open = 1 AND due_at >= $1 THEN 'pending' \
                     WHEN open = 1 THEN 'breached (open)' \
                     WHEN met_at IS NOT NULL AND met_at <= due_at THEN 'met' \
                     WHEN met_at IS NOT NULL THEN 'met late' \
                     ELSE 'closed' END AS state, COUNT(*) AS n \
         FROM obligations GROUP BY 1 ORDER BY 1",
    )
    .bind(now_ms)
    .fetch_all(&pool)
    .await?;
    for row in rows {
        let state: String = row.try_get("state")?;
        let count: i64 = row.try_get("n")?;
        eprintln!("  obligations {state:<16} {count:>10}");
    }
    pool.close().await;
    Ok(())
}
