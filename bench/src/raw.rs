//! `theodoi-bench raw`: the limits below the server, measured on the same disk and data.
//! It times single-row commits on SQLite with the server's durability settings and an
//! aggregate query that reads only an index. It also times each store query behind the
//! dashboard summary, the task list and the task page, called without HTTP.

use crate::load::stats::Recorder;
use crate::summary::{Figure, RawLimits};
use anyhow::{Context, Result};
use clap::Args;
use jiff::{SignedDuration, Timestamp};
use sqlx::{ConnectOptions, Connection, Executor};
use std::future::Future;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use theodoi_domain::result::ResultState;
use theodoi_domain::user::Clearance;
use theodoi_store::{
    ObligationFilter, ObligationQuery, PageRequest, Scope, Store, TaskFilter, TaskSort, sqlite_url,
};

/// Options of `raw`.
#[derive(Debug, Args, Clone)]
pub struct RawArgs {
    /// Folder of the generated SQLite database; the commit-rate file is created (and removed)
    /// here, so it measures the same disk.
    #[arg(
        long,
        env = "THEODOI_DATA_DIR",
        value_name = "DIR",
        default_value = "data"
    )]
    pub data_dir: PathBuf,
    /// Database URL of the generated data set, when it is not the SQLite file in the data
    /// folder.
    #[arg(long, env = "THEODOI_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// Seconds of single-row commits.
    #[arg(long, value_name = "SECONDS", default_value_t = 5)]
    pub seconds: u64,
    /// Runs of each query.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub repeat: usize,
}

pub async fn run(args: RawArgs) -> Result<()> {
    let url = args
        .database_url
        .clone()
        .unwrap_or_else(|| sqlite_url(&args.data_dir));
    let mut limits = RawLimits::default();
    if url.starts_with("sqlite:") {
        limits.backend = "SQLite".to_owned();
        println!("\n== raw SQLite commits (WAL, synchronous=FULL), one row per transaction");
        limits.commits = Some(commit_rate(&args).await?);
        println!("\n== index-only aggregate without the server");
        limits.aggregate = Some(index_aggregate(&url, args.repeat).await?);
    } else {
        limits.backend = "PostgreSQL".to_owned();
        println!("\n== raw PostgreSQL commits (server defaults), one row per transaction");
        limits.commits = Some(postgres_commit_rate(&url, args.seconds).await?);
        println!("\n== index-only aggregate without the server");
        limits.aggregate = Some(postgres_aggregate(&url, args.repeat).await?);
    }
    println!("\n== queries of the dashboard summary and the task list, through the store");
    let key = crate::secure_key::load_or_create(&args.data_dir)?;
    store_queries(&url, key, args.repeat, &mut limits).await?;
    limits.save(&args.data_dir)
}

async fn commit_rate(args: &RawArgs) -> Result<Figure> {
    std::fs::create_dir_all(&args.data_dir)
        .with_context(|| format!("cannot create {}", args.data_dir.display()))?;
    let path = args.data_dir.join("bench-raw.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let mut connection = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Full)
        .connect()
        .await?;
    connection
        .execute("CREATE TABLE commits (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
        .await?;
    let mut recorder = Recorder::new("commit");
    let started = Instant::now();
    let duration = Duration::from_secs(args.seconds);
    while started.elapsed() < duration {
        let sent = Instant::now();
        let mut tx = connection.begin().await?;
        sqlx::query("INSERT INTO commits (payload) VALUES ($1)")
            .bind("một sự kiện của nhiệm vụ")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        recorder.record(sent.elapsed());
    }
    let wall = started.elapsed();
    recorder.report(wall, None);
    connection.close().await?;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    Ok(Figure::of(&recorder, wall))
}

/// Times single-row commits into a scratch table of the generated PostgreSQL database, which
/// it drops at the end.
async fn postgres_commit_rate(url: &str, seconds: u64) -> Result<Figure> {
    let mut connection = sqlx::postgres::PgConnection::connect(url).await?;
    connection
        .execute(
            "DROP TABLE IF EXISTS bench_raw_commits; \
             CREATE TABLE bench_raw_commits (id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL)",
        )
        .await?;
    let mut recorder = Recorder::new("commit");
    let started = Instant::now();
    let duration = Duration::from_secs(seconds);
    while started.elapsed() < duration {
        let sent = Instant::now();
        let mut tx = connection.begin().await?;
        sqlx::query("INSERT INTO bench_raw_commits (payload) VALUES ($1)")
            .bind("một sự kiện của nhiệm vụ")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        recorder.record(sent.elapsed());
    }
    let wall = started.elapsed();
    recorder.report(wall, None);
    connection.execute("DROP TABLE bench_raw_commits").await?;
    connection.close().await?;
    Ok(Figure::of(&recorder, wall))
}

/// Runs `query` `repeat` times after one warm-up run and prints its latencies.
async fn time<F, Fut, T>(name: &str, repeat: usize, mut query: F) -> Result<Figure>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    query()
        .await
        .with_context(|| format!("warm-up run of {name}"))?;
    let mut recorder = Recorder::new(name);
    let started = Instant::now();
    for _ in 0..repeat {
        let sent = Instant::now();
        query().await.with_context(|| format!("run of {name}"))?;
        recorder.record(sent.elapsed());
    }
    let wall = started.elapsed();
    recorder.report(wall, None);
    Ok(Figure::of(&recorder, wall))
}

/// Groups the tasks by lead body and result base, a query that the tasks' tally index covers.
const AGGREGATE: &str =
    "SELECT lead_body, result_base, COUNT(*) AS n FROM tasks GROUP BY lead_body, result_base";

async fn index_aggregate(url: &str, repeat: usize) -> Result<Figure> {
    let options: sqlx::sqlite::SqliteConnectOptions = url.parse()?;
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options.read_only(true))
        .await?;
    let pool = &pool;
    // Reads only the tasks_tally index (lead_body, executing_unit, priority, result_base, …).
    let sql = AGGREGATE;
    let plan: Vec<(i64, i64, i64, String)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
            .fetch_all(pool)
            .await?;
    for (_, _, _, detail) in plan {
        println!("plan: {detail}");
    }
    let aggregate = time("count by body and result", repeat, || async {
        Ok(sqlx::query(sql).fetch_all(pool).await?.len())
    })
    .await?;
    let count = "SELECT COUNT(*) FROM tasks";
    time("count all tasks", repeat, || async {
        Ok(sqlx::query(count).fetch_all(pool).await?.len())
    })
    .await?;
    pool.close().await;
    Ok(aggregate)
}

async fn postgres_aggregate(url: &str, repeat: usize) -> Result<Figure> {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await?;
    let pool = &pool;
    // The plan shows whether PostgreSQL reads the index only; its visibility map decides.
    let plan: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN {AGGREGATE}")))
        .fetch_all(pool)
        .await?;
    for (line,) in plan {
        println!("plan: {line}");
    }
    let aggregate = time("count by body and result", repeat, || async {
        Ok(sqlx::query(AGGREGATE).fetch_all(pool).await?.len())
    })
    .await?;
    let count = "SELECT COUNT(*) FROM tasks";
    time("count all tasks", repeat, || async {
        Ok(sqlx::query(count).fetch_all(pool).await?.len())
    })
    .await?;
    pool.close().await;
    Ok(aggregate)
}

async fn store_queries(
    url: &str,
    key: theodoi_store::SecureKey,
    repeat: usize,
    limits: &mut RawLimits,
) -> Result<()> {
    let store = Store::open(url).await?.with_secure_key(key);
    let scope = Scope::everything(Clearance::Secret);
    let now = Timestamp::now();
    let today = theodoi_calendar::local_date(now);
    let listed = PageRequest {
        limit: Some(5),
        after: None,
    };
    let page = PageRequest {
        limit: Some(50),
        after: None,
    };
    let filter = ObligationFilter::default();
    let window = SignedDuration::from_hours(72);
    let state =
        |code: &str| ResultState::parse(code).with_context(|| format!("result state {code}"));
    let upcoming = TaskFilter {
        result_states: vec![state("in_progress_on_time")?, state("not_started_on_time")?],
        deadline_from: Some(today),
        deadline_to: Some(today.saturating_add(jiff::ToSpan::days(30))),
        ..Default::default()
    };
    let overdue = TaskFilter {
        result_states: vec![state("in_progress_overdue")?],
        ..Default::default()
    };
    let breached = TaskFilter {
        breached: true,
        ..Default::default()
    };
    let (store, scope) = (&store, &scope);

    println!("dashboard summary (all seven run at once in the server, on separate connections):");
    let figure = time("  task tally", repeat, || async {
        Ok(store.task_tally(scope, now).await?)
    })
    .await?;
    limits.queries.insert("task tally".to_owned(), figure);
    let figure = time("  open obligation counts", repeat, || async {
        Ok(store
            .count_open_obligations(scope, &filter, window, now)
            .await?)
    })
    .await?;
    limits
        .queries
        .insert("open obligation counts".to_owned(), figure);
    let figure = time("  open obligations, first 5", repeat, || async {
        Ok(store
            .list_obligations(scope, ObligationQuery::Open, &filter, &listed, now)
            .await?)
    })
    .await?;
    limits
        .queries
        .insert("open obligations, first 5".to_owned(), figure);
    let figure = time("  due soon, first 5", repeat, || async {
        let query = ObligationQuery::DueSoon { within: window };
        Ok(store
            .list_obligations(scope, query, &filter, &listed, now)
            .await?)
    })
    .await?;
    limits
        .queries
        .insert("due soon, first 5".to_owned(), figure);
    let figure = time("  upcoming deadline counts", repeat, || async {
        Ok(store.count_upcoming_deadlines(scope, today, 7, 30).await?)
    })
    .await?;
    limits
        .queries
        .insert("upcoming deadline counts".to_owned(), figure);
    let figure = time("  nearest deadlines, first 5", repeat, || async {
        Ok(store
            .list_tasks(scope, &upcoming, TaskSort::Deadline, &listed, now)
            .await?)
    })
    .await?;
    limits
        .queries
        .insert("nearest deadlines, first 5".to_owned(), figure);
    let figure = time("  12-month trend", repeat, || async {
        Ok(store.monthly_trend(scope, 12, now).await?)
    })
    .await?;
    limits.queries.insert("12-month trend".to_owned(), figure);

    println!("task list, first page of 50:");
    let figure = time("  in progress, overdue", repeat, || async {
        Ok(store
            .list_tasks(scope, &overdue, TaskSort::Deadline, &page, now)
            .await?)
    })
    .await?;
    limits
        .queries
        .insert("in progress, overdue".to_owned(), figure);
    let figure = time("  with a breached obligation", repeat, || async {
        Ok(store
            .list_tasks(scope, &breached, TaskSort::Deadline, &page, now)
            .await?)
    })
    .await?;
    limits
        .queries
        .insert("with a breached obligation".to_owned(), figure);
    let figure = time("  counts by state, in progress overdue", repeat, || async {
        Ok(store.count_by_state(scope, &overdue, now).await?)
    })
    .await?;
    limits
        .queries
        .insert("counts by state, in progress overdue".to_owned(), figure);

    println!("task page:");
    let mut id = 0;
    let figure = time("  task history (events and replay)", repeat, || {
        id += 997;
        async move { Ok(store.task(theodoi_domain::ids::TaskId(id)).await?) }
    })
    .await?;
    limits
        .queries
        .insert("task history (events and replay)".to_owned(), figure);
    store.close().await;
    Ok(())
}
