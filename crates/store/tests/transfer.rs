//! Backup, restore and copies between backends, on real SQLite files and PostgreSQL databases.

mod support;

use jiff::civil::date;
use sqlx::{AnyConnection, Connection, Row};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;
use support::{World, local, progress, task_input};
use theodoi_domain::task::{SubtaskInput, TaskCommand};
use theodoi_store::testing::{TestDatabase, create_sqlite_at_version};
use theodoi_store::transfer::{
    self, Comparison, Existing, NoProgress, Phase, Progress, TableDigest, TransferError,
};
use theodoi_store::{Backend, NewAttachment, SessionRecord, on_both_backends};

/// Session keys that sort differently by byte value and by a Vietnamese collation, so that a
/// copy that ordered text keys by the database's collation would hash them in another order.
const TRICKY_KEYS: [&str; 6] = ["Zeta", "alpha", "_x", "Đức", "Duc", "a b"];

/// Fills `world` with rows of every kind: documents, tasks with and without a deadline, a
/// sub-task, progress updates, an attachment with arbitrary bytes, a saved view and sessions.
async fn fill(world: &mut World) {
    let unit = world
        .add_unit("HNI-BTG", "Ban Tuyên giáo Thành uỷ", "TU-HNI")
        .await;
    world
        .add_user(
            "hni-btg.capnhat",
            unit,
            &[theodoi_domain::user::Role::Updater],
            theodoi_domain::user::Clearance::Normal,
        )
        .await;
    let document = world
        .resolution(
            "57-NQ/TW",
            "Nghị quyết về đột phá phát triển khoa học, công nghệ",
            date(2026, 2, 27),
        )
        .await;
    let start = local(2026, 3, 2, 9, 0);
    let hanoi = world.org("TU-HNI");
    let dated = world
        .create_transferred(
            &document,
            &task_input("Xây dựng đề án dữ liệu", hanoi, Some(date(2026, 6, 30))),
            start,
        )
        .await;
    world
        .run(&world.updater, dated.id, start, TaskCommand::ConfirmReceipt)
        .await;
    world
        .report(
            &world.updater,
            &world.approver,
            dated.id,
            local(2026, 3, 10, 9, 0),
            progress(30),
        )
        .await;
    let subtask = SubtaskInput {
        lead_body: Some(unit),
        content: Some("Tuyên truyền về đề án".into()),
        ..Default::default()
    };
    world
        .delegate(&world.updater, dated.id, local(2026, 3, 11, 9, 0), &subtask)
        .await;
    world
        .create_transferred(
            &document,
            &task_input("Theo dõi thường xuyên", hanoi, None),
            start,
        )
        .await;

    let bytes = [0u8, 255, 1, 2, 0xC4, 0x90, 0];
    world
        .store
        .insert_attachment(&NewAttachment {
            task_id: dated.id,
            uploaded_by: world.updater.user_id,
            body: hanoi,
            file_name: "Báo cáo tiến độ.pdf",
            content_type: "application/pdf",
            data: &bytes,
            now: start,
        })
        .await
        .expect("store attachment");
    world
        .store
        .save_view(
            world.office.user_id,
            "Quá hạn ở Hà Nội",
            "result_state=in_progress_overdue",
            start,
        )
        .await
        .expect("save view");
    for key in TRICKY_KEYS {
        world
            .store
            .insert_session(&SessionRecord {
                id_hash: key.to_owned(),
                user_id: world.office.user_id,
                csrf_token: format!("csrf-{key}"),
                created_at: start,
                last_seen_at: start,
                expires_at: local(2026, 3, 2, 21, 0),
            })
            .await
            .expect("insert session");
    }
}

async fn digest(url: &str) -> Vec<TableDigest> {
    transfer::digest(url, &NoProgress)
        .await
        .unwrap_or_else(|error| panic!("digest of {url}: {error}"))
}

fn rows(digests: &[TableDigest], table: &str) -> u64 {
    digests
        .iter()
        .find(|digest| digest.table == table)
        .unwrap_or_else(|| panic!("no table {table}"))
        .rows
}

/// Returns the tables whose rows differ between the two sides.
fn mismatched(comparison: &Comparison) -> Vec<&str> {
    comparison
        .tables
        .iter()
        .filter(|table| !table.matches())
        .map(|table| table.table.as_str())
        .collect()
}

fn file_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

async fn backup_restore_round_trip(backend: Backend) {
    let mut world = World::new(backend).await;
    fill(&mut world).await;
    let source = digest(world.database_url()).await;
    assert_eq!(rows(&source, "attachments"), 1);
    assert_eq!(rows(&source, "sessions"), TRICKY_KEYS.len() as u64);
    assert!(rows(&source, "task_events") > 5);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("theodoi-backup.db");
    let backed_up = transfer::backup(world.database_url(), &file, false, &NoProgress)
        .await
        .expect("backup");
    assert_eq!(backed_up, source);
    assert_eq!(digest(&file_url(&file)).await, source);
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        leftovers,
        ["theodoi-backup.db"],
        "no partial, WAL or journal file stays beside the backup"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata().unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only the owner reads the backup");
    }

    for target_backend in [Backend::Sqlite, Backend::Postgres] {
        let target = TestDatabase::create(target_backend).await;
        let restored = transfer::restore(&file, &target.url, Existing::Reject, &NoProgress)
            .await
            .unwrap_or_else(|error| panic!("restore into {target_backend:?}: {error}"));
        assert_eq!(restored, source, "read from the backup");
        assert_eq!(
            digest(&target.url).await,
            source,
            "stored in {target_backend:?}"
        );
    }
}

async fn restore_rejects_non_empty_target(backend: Backend) {
    let mut world = World::new(backend).await;
    fill(&mut world).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    let source = transfer::backup(world.database_url(), &file, false, &NoProgress)
        .await
        .expect("backup");

    let target = TestDatabase::create(backend).await;
    target.store().await.close().await;
    let before = digest(&target.url).await;
    let error = transfer::restore(&file, &target.url, Existing::Reject, &NoProgress)
        .await
        .expect_err("a seeded database is not empty");
    match error {
        TransferError::TargetNotEmpty { table, rows: count } => {
            assert!(count > 0);
            assert_eq!(count.unsigned_abs(), rows(&before, &table), "{table}");
        }
        other => panic!("expected TargetNotEmpty, got {other}"),
    }
    assert_eq!(digest(&target.url).await, before, "nothing was changed");

    transfer::restore(&file, &target.url, Existing::Replace, &NoProgress)
        .await
        .expect("restore replacing the data");
    assert_eq!(digest(&target.url).await, source);

    // The append-only triggers were put back after the rows were replaced.
    let mut conn = AnyConnection::connect(&target.url).await.unwrap();
    let deleted = sqlx::query("DELETE FROM task_events")
        .execute(&mut conn)
        .await;
    assert!(deleted.is_err(), "task_events is still append-only");
    conn.close().await.unwrap();
}

async fn restored_store_accepts_new_records(backend: Backend) {
    let mut world = World::new(backend).await;
    fill(&mut world).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    transfer::backup(world.database_url(), &file, false, &NoProgress)
        .await
        .expect("backup");
    let target = TestDatabase::create(backend).await;
    transfer::restore(&file, &target.url, Existing::Reject, &NoProgress)
        .await
        .expect("restore");

    // New rows in every table with generated ids must get ids past the restored ones; on
    // PostgreSQL that needs the identity counters moved.
    let store = theodoi_store::Store::open(&target.url).await.unwrap();
    let office = world.office.user_id;
    let view = store
        .save_view(office, "Mới", "q=du+lieu", local(2026, 3, 12, 9, 0))
        .await
        .expect("insert after restore");
    assert!(view.id > 1, "saved view id {}", view.id);
    let attachment = store
        .insert_attachment(&NewAttachment {
            task_id: theodoi_domain::ids::TaskId(1),
            uploaded_by: office,
            body: world.org("VPTW"),
            file_name: "Phụ lục.docx",
            content_type: "application/octet-stream",
            data: b"second file",
            now: local(2026, 3, 12, 9, 0),
        })
        .await
        .expect("insert attachment after restore");
    assert_eq!(attachment.value.id.0, 2);
    store.close().await;
}

async fn older_backup_restores_into_newer_schema(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("old.db");
    // The schema before attachments and saved views: migrations 0001 and 0010.
    create_sqlite_at_version(&file, 10).await.unwrap();
    let mut conn = AnyConnection::connect(&file_url(&file)).await.unwrap();
    for statement in [
        "INSERT INTO organisations (id, code, name_vi, name_en, category, parent_id, province_code, search, created_at) \
         VALUES (1, 'VPTW', 'Văn phòng Trung ương Đảng', 'Central Party Office', 'central_body', NULL, NULL, 'van phong', 0)",
        "INSERT INTO org_closure (ancestor, descendant, depth) VALUES (1, 1, 0)",
        "INSERT INTO users (id, username, full_name, org_id, roles, clearance, password_hash, created_at) \
         VALUES (7, 'vptw.nhaplieu', 'Nguyễn Văn A', 1, 'central_office', 'normal', 'x', 0)",
    ] {
        sqlx::query(statement).execute(&mut conn).await.unwrap();
    }
    conn.close().await.unwrap();

    let target = TestDatabase::create(backend).await;
    let restored = transfer::restore(&file, &target.url, Existing::Reject, &NoProgress)
        .await
        .expect("restore an older backup");
    assert!(
        restored.iter().any(|digest| digest.table == "attachments"),
        "the backup was upgraded before the copy"
    );
    let stored = digest(&target.url).await;
    assert_eq!(stored, restored);
    assert_eq!(rows(&stored, "users"), 1);
    assert_eq!(rows(&stored, "attachments"), 0);
    assert!(
        file.metadata().unwrap().len() > 0 && digest(&file_url(&file)).await.len() < stored.len(),
        "the backup file itself keeps its old schema"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_rejects_newer_backup() {
    let mut world = World::new(Backend::Sqlite).await;
    fill(&mut world).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("future.db");
    transfer::backup(world.database_url(), &file, false, &NoProgress)
        .await
        .unwrap();
    let mut conn = AnyConnection::connect(&file_url(&file)).await.unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (99990101, 'from a later release', 1, x'00', 0)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();

    let target = TestDatabase::create(Backend::Sqlite).await;
    let error = transfer::restore(&file, &target.url, Existing::Reject, &NoProgress)
        .await
        .expect_err("a newer backup");
    assert!(
        matches!(
            error,
            TransferError::SchemaNewer {
                version: 99990101,
                ..
            }
        ),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_rejects_existing_file_and_own_database() {
    let mut world = World::new(Backend::Sqlite).await;
    fill(&mut world).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    std::fs::write(&file, b"an older backup").unwrap();
    let error = transfer::backup(world.database_url(), &file, false, &NoProgress)
        .await
        .expect_err("the file exists");
    assert!(matches!(error, TransferError::FileExists(_)), "{error}");
    assert_eq!(std::fs::read(&file).unwrap(), b"an older backup");
    transfer::backup(world.database_url(), &file, true, &NoProgress)
        .await
        .expect("overwrite");
    assert_eq!(
        digest(&file_url(&file)).await,
        digest(world.database_url()).await
    );

    let database_file = world
        .database_url()
        .trim_start_matches("sqlite://")
        .to_owned();
    let error = transfer::backup(
        world.database_url(),
        Path::new(&database_file),
        true,
        &NoProgress,
    )
    .await
    .expect_err("a backup onto its own database");
    assert!(matches!(error, TransferError::SameDatabase), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_keeps_schema_of_unmigrated_source() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.db");
    create_sqlite_at_version(&old, 10).await.unwrap();
    let file = dir.path().join("backup.db");
    let backed_up = transfer::backup(&file_url(&old), &file, false, &NoProgress)
        .await
        .expect("a backup before the upgrade");
    assert!(
        !backed_up.iter().any(|digest| digest.table == "attachments"),
        "the backup has the source's tables only: {backed_up:?}"
    );
    assert_eq!(digest(&file_url(&file)).await, backed_up);

    let target = TestDatabase::create(Backend::Sqlite).await;
    transfer::restore(&file, &target.url, Existing::Reject, &NoProgress)
        .await
        .expect("the old backup restores into the current schema");
    assert!(rows(&digest(&target.url).await, "attachments") == 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_data_sqlite_postgres_sqlite_keeps_hashes() {
    let mut world = World::new(Backend::Sqlite).await;
    fill(&mut world).await;
    let original = digest(world.database_url()).await;

    let postgres = TestDatabase::create(Backend::Postgres).await;
    let there = transfer::migrate_data(
        world.database_url(),
        &postgres.url,
        Existing::Reject,
        &NoProgress,
    )
    .await
    .expect("SQLite to PostgreSQL");
    assert_eq!(mismatched(&there), Vec::<&str>::new());
    assert_eq!(digest(&postgres.url).await, original);

    let back = TestDatabase::create(Backend::Sqlite).await;
    let again = transfer::migrate_data(&postgres.url, &back.url, Existing::Reject, &NoProgress)
        .await
        .expect("PostgreSQL to SQLite");
    assert_eq!(mismatched(&again), Vec::<&str>::new());
    assert_eq!(digest(&back.url).await, original);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_keys_hash_alike_under_vietnamese_collation() {
    let mut world = World::new(Backend::Sqlite).await;
    fill(&mut world).await;
    let postgres =
        TestDatabase::create_postgres("TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'vi'")
            .await;
    let comparison = transfer::migrate_data(
        world.database_url(),
        &postgres.url,
        Existing::Reject,
        &NoProgress,
    )
    .await
    .expect("copy into a database with a Vietnamese collation");
    assert_eq!(mismatched(&comparison), Vec::<&str>::new());
    assert_eq!(
        digest(&postgres.url).await,
        digest(world.database_url()).await
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_data_rejects_same_or_old_source() {
    let world = World::new(Backend::Sqlite).await;
    let url = world.database_url().to_owned();
    let error = transfer::migrate_data(&url, &url, Existing::Replace, &NoProgress)
        .await
        .expect_err("copying a database onto itself");
    assert!(matches!(error, TransferError::SameDatabase), "{error}");

    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.db");
    create_sqlite_at_version(&old, 10).await.unwrap();
    let target = TestDatabase::create(Backend::Postgres).await;
    let error = transfer::migrate_data(&file_url(&old), &target.url, Existing::Reject, &NoProgress)
        .await
        .expect_err("the source needs its migrations first");
    assert!(
        matches!(error, TransferError::SchemaOlder { version: 10, .. }),
        "{error}"
    );
}

/// Commits counted by the writer of the concurrency test, with a signal for each.
#[derive(Default)]
struct Commits {
    count: Mutex<u64>,
    changed: Condvar,
}

impl Commits {
    fn add(&self) {
        *self.count.lock().unwrap() += 1;
        self.changed.notify_all();
    }

    /// Blocks until `more` commits follow the current count; panics after a minute.
    fn wait_for_more(&self, more: u64) {
        let count = self.count.lock().unwrap();
        let target = *count + more;
        let (count, timeout) = self
            .changed
            .wait_timeout_while(count, Duration::from_secs(60), |count| *count < target)
            .unwrap();
        assert!(
            !timeout.timed_out(),
            "the writer stalled at {count} commits"
        );
    }
}

/// Holds the copy at the start of `table` until the writer has committed more changes, so
/// that the tables read before and after it would disagree without one snapshot.
struct PauseAt {
    table: &'static str,
    commits: Arc<Commits>,
}

impl Progress for PauseAt {
    fn start(&self, _: Phase, _: u64) {}
    fn table(&self, name: &str) {
        if name == self.table {
            tokio::task::block_in_place(|| self.commits.wait_for_more(4));
        }
    }
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}

/// Counts rows that break an invariant which every committed transaction keeps: a task's
/// version is its number of events, and a document's counts match its tasks.
async fn broken_invariants(url: &str) -> i64 {
    let mut conn = AnyConnection::connect(url).await.unwrap();
    let row = sqlx::query(
        "SELECT \
         (SELECT COUNT(*) FROM tasks t \
          WHERE t.version <> (SELECT COUNT(*) FROM task_events e WHERE e.task_id = t.id)) + \
         (SELECT COUNT(*) FROM documents d WHERE d.task_count <> (SELECT COUNT(*) FROM tasks t \
          WHERE t.document_id = d.id AND t.parent_id IS NULL AND t.status <> 'cancelled')) + \
         (SELECT COUNT(*) FROM documents d WHERE d.transferred_count <> (SELECT COUNT(*) FROM tasks t \
          WHERE t.document_id = d.id AND t.parent_id IS NULL AND t.status <> 'cancelled' \
          AND t.first_transferred_at IS NOT NULL)) AS broken",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    let broken = row.try_get("broken").unwrap();
    conn.close().await.unwrap();
    broken
}

async fn backup_during_writes_is_one_moment(backend: Backend) {
    let mut world = World::new(backend).await;
    fill(&mut world).await;
    let document = world
        .resolution("12-NQ/TW", "Nghị quyết về dữ liệu số", date(2026, 2, 20))
        .await;
    let world = Arc::new(world);
    let commits = Arc::new(Commits::default());
    let stop = Arc::new(AtomicBool::new(false));

    let writer = {
        let (world, commits, stop) = (world.clone(), commits.clone(), stop.clone());
        tokio::spawn(async move {
            let hanoi = world.org("TU-HNI");
            let mut number = 0;
            while !stop.load(Ordering::Relaxed) {
                number += 1;
                let at = local(2026, 3, 2, 9, 0);
                let input = task_input(
                    &format!("Nhiệm vụ {number}"),
                    hanoi,
                    Some(date(2026, 9, 30)),
                );
                let task = world.create_task(&document, &input, at).await;
                commits.add();
                world.transfer(task.id, at).await;
                commits.add();
            }
        })
    };
    tokio::task::block_in_place(|| commits.wait_for_more(4));

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    let pause = PauseAt {
        table: "task_events",
        commits: commits.clone(),
    };
    let backed_up = transfer::backup(world.database_url(), &file, false, &pause)
        .await
        .expect("backup during writes");
    stop.store(true, Ordering::Relaxed);
    writer.await.expect("writer");

    let live = digest(world.database_url()).await;
    assert!(
        rows(&live, "tasks") > rows(&backed_up, "tasks"),
        "the writer went on after the snapshot"
    );
    assert_eq!(
        broken_invariants(world.database_url()).await,
        0,
        "live database"
    );
    assert_eq!(broken_invariants(&file_url(&file)).await, 0, "backup");

    let other = match backend {
        Backend::Sqlite => Backend::Postgres,
        Backend::Postgres => Backend::Sqlite,
    };
    let target = TestDatabase::create(other).await;
    transfer::restore(&file, &target.url, Existing::Reject, &NoProgress)
        .await
        .expect("restore");
    assert_eq!(broken_invariants(&target.url).await, 0, "restored");
    assert_eq!(digest(&target.url).await, backed_up);
}

on_both_backends!(
    backup_restore_round_trip,
    restore_rejects_non_empty_target,
    restored_store_accepts_new_records,
    older_backup_restores_into_newer_schema,
    backup_during_writes_is_one_moment,
);
