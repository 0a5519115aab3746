//! Fresh databases for tests: a temporary SQLite file, or a new PostgreSQL database on the
//! server named by `THEODOI_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`),
//! dropped again when the test ends. Every storage test runs on both.

use crate::{Backend, Store, StoreResult};
use jiff::Timestamp;
use rand::RngExt;
use sqlx::Row;

/// The administrative URL used to create and drop test databases on PostgreSQL.
pub fn postgres_admin_url() -> String {
    std::env::var("THEODOI_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// An empty, migrated database that exists for one test.
#[derive(Debug)]
pub struct TestDatabase {
    pub url: String,
    pub backend: Backend,
    /// A random secure-zone key for this database, which [`TestDatabase::store`] uses.
    pub secure_key: crate::SecureKey,
    _dir: Option<tempfile::TempDir>,
    postgres_name: Option<String>,
}

impl TestDatabase {
    /// Creates the database. Panics when PostgreSQL cannot be reached: a test that should run
    /// on both backends must not pass silently on one.
    pub async fn create(backend: Backend) -> TestDatabase {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = crate::sqlite_url(dir.path());
                TestDatabase {
                    url,
                    backend,
                    secure_key: crate::SecureKey::generate(),
                    _dir: Some(dir),
                    postgres_name: None,
                }
            }
            Backend::Postgres => TestDatabase::create_postgres("").await,
        }
    }

    /// Creates a PostgreSQL database with `options` appended to `CREATE DATABASE name`, such
    /// as `TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'vi'` for a Vietnamese collation.
    pub async fn create_postgres(options: &str) -> TestDatabase {
        let name = format!("theodoi_test_{:016x}", rand::rng().random::<u64>());
        let admin = postgres_admin_url();
        run_admin(&admin, &format!("CREATE DATABASE {name} {options}"))
            .await
            .unwrap_or_else(|error| {
                panic!(
                    "cannot create test database on {}: {error}",
                    crate::redact(&admin)
                )
            });
        let base = admin
            .rsplit_once('/')
            .map(|(base, _)| base)
            .unwrap_or(&admin);
        TestDatabase {
            url: format!("{base}/{name}"),
            backend: Backend::Postgres,
            secure_key: crate::SecureKey::generate(),
            _dir: None,
            postgres_name: Some(name),
        }
    }

    /// Opens the database with reference data loaded and the database's secure-zone key.
    pub async fn store(&self) -> Store {
        let store = self.store_without_key().await;
        store.with_secure_key(self.secure_key.clone())
    }

    /// Opens the database with reference data loaded and no secure-zone key.
    pub async fn store_without_key(&self) -> Store {
        let store = Store::open(&self.url).await.expect("open test database");
        store
            .seed(Timestamp::from_second(1_735_689_600).expect("valid instant"))
            .await
            .expect("seed test database");
        store
    }
}

/// Installs a trigger that makes every transaction appending an event to `task` fail at
/// commit, after the events and their change notice were written. That is the latest point at
/// which a command can still roll back. Works on PostgreSQL only, which has deferred triggers.
pub async fn reject_events_at_commit(url: &str, task: i64) -> StoreResult<()> {
    crate::install_drivers();
    let mut connection = <sqlx::AnyConnection as sqlx::Connection>::connect(url).await?;
    let function = format!(
        "CREATE FUNCTION reject_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN IF NEW.task_id = {task} THEN RAISE EXCEPTION 'rejected by the test'; END IF; \
         RETURN NULL; END $$"
    );
    sqlx::raw_sql(sqlx::AssertSqlSafe(function))
        .execute(&mut connection)
        .await?;
    sqlx::raw_sql(
        "CREATE CONSTRAINT TRIGGER reject_at_commit AFTER INSERT ON task_events \
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION reject_at_commit()",
    )
    .execute(&mut connection)
    .await?;
    Ok(())
}

/// Sets the pivot date of the task counts to `pivot` and rebuilds `task_tally_counts` from
/// the tasks, so that tests can place the pivot before, between and after their dates
/// whatever the real date is.
pub async fn set_task_counts_pivot(url: &str, pivot: jiff::civil::Date) -> StoreResult<()> {
    crate::install_drivers();
    let mut connection = <sqlx::AnyConnection as sqlx::Connection>::connect(url).await?;
    let mut tx = sqlx::Connection::begin(&mut connection).await?;
    sqlx::query(
        "INSERT INTO task_counts_pivot (id, pivot) VALUES (1, $1) \
         ON CONFLICT (id) DO UPDATE SET pivot = excluded.pivot",
    )
    .bind(pivot.to_string())
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM task_tally_counts")
        .execute(&mut *tx)
        .await?;
    let rebuild = format!(
        "INSERT INTO task_tally_counts (lead_body, executing_unit, priority, confidentiality, \
         state, n) {}",
        crate::task_counts::TALLY_RECOUNT
    );
    sqlx::query(sqlx::AssertSqlSafe(rebuild))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Creates the SQLite database `path` with the migrations up to `version` only, as an older
/// release of theodoi left it.
pub async fn create_sqlite_at_version(path: &std::path::Path, version: i64) -> StoreResult<()> {
    let db =
        crate::db::Db::connect(&format!("sqlite://{}", path.display()), Default::default()).await?;
    db.migrate_to(version).await?;
    db.close().await;
    Ok(())
}

async fn run_admin(admin_url: &str, statement: &str) -> StoreResult<()> {
    crate::install_drivers();
    let mut connection = <sqlx::AnyConnection as sqlx::Connection>::connect(admin_url).await?;
    sqlx::query(sqlx::AssertSqlSafe(statement.to_owned()))
        .execute(&mut connection)
        .await?;
    Ok(())
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some(name) = self.postgres_name.take() else {
            return;
        };
        // Drop runs outside any runtime guarantee, so the cleanup gets its own thread and runtime.
        let admin = postgres_admin_url();
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime for test cleanup");
            runtime.block_on(run_admin(
                &admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            ))
        });
        if let Ok(Err(error)) = cleanup.join() {
            eprintln!("could not drop test database: {error}");
        }
    }
}

/// Generates one test per backend from an async function taking a [`Backend`].
///
/// ```ignore
/// async fn documents_register(backend: Backend) { … }
/// on_both_backends!(documents_register);
/// ```
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::Backend::Sqlite).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::Backend::Postgres).await;
                }
            }
        )+
    };
}

/// Returns every (table, column) of the database, from its own catalogue.
async fn columns(conn: &mut sqlx::AnyConnection, backend: Backend) -> Vec<(String, String)> {
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m \
             JOIN pragma_table_info(m.name) p WHERE m.type = 'table'"
        }
        Backend::Postgres => {
            "SELECT table_name::TEXT AS table_name, column_name::TEXT AS column_name \
             FROM information_schema.columns WHERE table_schema = current_schema()"
        }
    };
    sqlx::query(sql)
        .fetch_all(&mut *conn)
        .await
        .expect("list columns")
        .iter()
        .map(|row| {
            (
                row.try_get("table_name").expect("table"),
                row.try_get("column_name").expect("column"),
            )
        })
        .collect()
}

/// Returns "table.column" for every column of every table that contains `needle`.
/// The backend comes from the URL. Tests scan for values that must never be stored.
pub async fn columns_containing(url: &str, needle: &str) -> Vec<String> {
    crate::install_drivers();
    let backend = Backend::from_url(url).expect("sqlite:// or postgres:// URL");
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(url)
        .await
        .expect("connect");
    let mut found = Vec::new();
    for (table, column) in columns(&mut conn, backend).await {
        let sql = format!(
            "SELECT COUNT(*) AS n FROM \"{table}\" WHERE CAST(\"{column}\" AS TEXT) LIKE $1"
        );
        let count: i64 = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(format!("%{needle}%"))
            .fetch_one(&mut conn)
            .await
            .unwrap_or_else(|error| panic!("scan {table}.{column}: {error}"))
            .try_get("n")
            .expect("count");
        if count > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    sqlx::Connection::close(conn).await.expect("close");
    found
}
