//! The bulk writer against the single-write path on both backends: a task history written in
//! one bulk transaction must leave the same task row, coordinators, obligations, events and
//! document counts as the same history run command by command.

mod support;

use jiff::civil::date;
use sqlx::Row;
use support::{World, completed, local, progress, task_input};
use theodoi_domain::ids::TaskId;
use theodoi_domain::org::NewOrganisation;
use theodoi_domain::task::TaskCommand;
use theodoi_domain::task::update::Rating;
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{Backend, NewUser, on_both_backends};

const TASK_COLUMNS: &[&str] = &[
    "document_id",
    "group_id",
    "parent_id",
    "ordinal",
    "content",
    "lead_body",
    "monitoring_body",
    "assigning_body",
    "executing_unit",
    "scope",
    "priority",
    "other_class",
    "confidentiality",
    "deadline",
    "status",
    "result_base",
    "percent",
    "rollup_percent",
    "subtask_count",
    "first_transferred_at",
    "completed_on",
    "search",
    "version",
    "created_at",
    "updated_at",
];

const OBLIGATION_COLUMNS: &[&str] = &[
    "position",
    "kind",
    "detail",
    "responsible",
    "opened_at",
    "due_at",
    "met_at",
    "closed_at",
    "optional",
    "open",
    "calendar_version",
];

const EVENT_COLUMNS: &[&str] = &["seq", "at", "actor", "body", "reason", "kind", "payload"];

/// Reads `columns` of the rows of `table` whose `key` is `id`, as text, in `order`.
async fn rows_as_text(
    pool: &sqlx::AnyPool,
    table: &str,
    key: &str,
    id: i64,
    columns: &[&str],
    order: &str,
) -> Vec<Vec<Option<String>>> {
    let selected: Vec<String> = columns
        .iter()
        .map(|column| format!("CAST({column} AS TEXT) AS {column}"))
        .collect();
    let sql = format!(
        "SELECT {} FROM {table} WHERE {key} = $1 ORDER BY {order}",
        selected.join(", ")
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_all(pool)
        .await
        .unwrap_or_else(|error| panic!("read {table}: {error}"));
    rows.iter()
        .map(|row| {
            columns
                .iter()
                .map(|column| {
                    row.try_get::<Option<String>, _>(*column)
                        .expect("text column")
                })
                .collect()
        })
        .collect()
}

/// Everything the write path stores about one task, without its id.
async fn stored(pool: &sqlx::AnyPool, id: TaskId) -> Vec<Vec<Vec<Option<String>>>> {
    vec![
        rows_as_text(pool, "tasks", "id", id.0, TASK_COLUMNS, "id").await,
        rows_as_text(
            pool,
            "task_coordinators",
            "task_id",
            id.0,
            &["org_id"],
            "org_id",
        )
        .await,
        rows_as_text(
            pool,
            "obligations",
            "task_id",
            id.0,
            OBLIGATION_COLUMNS,
            "position",
        )
        .await,
        rows_as_text(pool, "task_events", "task_id", id.0, EVENT_COLUMNS, "seq").await,
    ]
}

fn finished_version(history: &[theodoi_domain::task::event::TaskEvent]) -> u32 {
    u32::try_from(history.len()).expect("short history")
}

async fn bulk_task_equals_single_writes(backend: Backend) {
    let world = World::new(backend).await;
    let document = world
        .resolution(
            "57-NQ/TW",
            "Nghị quyết về đột phá phát triển khoa học, công nghệ",
            date(2026, 2, 27),
        )
        .await;
    let hanoi = world.org("TU-HNI");

    let mut running = task_input(
        "Xây dựng cơ sở dữ liệu nhiệm vụ",
        hanoi,
        Some(date(2026, 9, 30)),
    );
    running.coordinating_bodies = vec![world.org("VPTW"), world.org("TU-HPG")];
    let running = world
        .create_transferred(&document, &running, local(2026, 3, 2, 9, 0))
        .await;
    world
        .run(
            &world.updater,
            running.id,
            local(2026, 3, 2, 10, 0),
            TaskCommand::ConfirmReceipt,
        )
        .await;
    let reported = world
        .report(
            &world.updater,
            &world.approver,
            running.id,
            local(2026, 6, 16, 9, 0),
            progress(40),
        )
        .await;
    let update = reported.task.updates.last().expect("approved update").no;
    world
        .run(
            &world.monitor,
            running.id,
            local(2026, 6, 17, 9, 0),
            TaskCommand::EvaluateUpdate {
                update,
                rating: Rating::Good,
                comment: Some("Đạt yêu cầu".into()),
            },
        )
        .await;

    let finished = task_input("Ban hành quy chế phối hợp", hanoi, Some(date(2026, 4, 30)));
    let finished = world
        .create_transferred(&document, &finished, local(2026, 3, 3, 9, 0))
        .await;
    world
        .run(
            &world.updater,
            finished.id,
            local(2026, 3, 3, 10, 0),
            TaskCommand::ConfirmReceipt,
        )
        .await;
    world
        .report(
            &world.updater,
            &world.approver,
            finished.id,
            local(2026, 4, 20, 9, 0),
            completed(date(2026, 4, 17)),
        )
        .await;

    let originals = [running.id, finished.id];
    let histories = [
        world.events(running.id).await,
        world.events(finished.id).await,
    ];
    let document = world
        .store
        .document(document.id)
        .await
        .expect("read document")
        .expect("document exists");
    // The first history goes in whole; the second in two parts, as a delegating parent does.
    let mut writer = world.store.bulk_writer().await.expect("open bulk writer");
    let whole = writer
        .insert_task(&document, &histories[0])
        .await
        .expect("bulk insert");
    assert_eq!(whole.events.len(), histories[0].len());
    let (first, rest) = histories[1].split_at(3);
    let started = writer
        .insert_task(&document, first)
        .await
        .expect("bulk insert of the first part");
    let appended = writer
        .append_events(&document, started.task.id, first, rest)
        .await
        .expect("bulk append of the rest");
    assert_eq!(appended.events.len(), rest.len());
    assert_eq!(appended.task.version, finished_version(&histories[1]));
    writer.commit().await.expect("commit bulk writer");
    let copies = [whole.task.id, started.task.id];

    let pool = sqlx::AnyPool::connect(world.database_url())
        .await
        .expect("connect");
    for (original, copy) in originals.iter().zip(&copies) {
        assert_ne!(original, copy, "the copy is a new task");
        let expected = stored(&pool, *original).await;
        let actual = stored(&pool, *copy).await;
        assert_eq!(expected[0], actual[0], "task row of {copy}");
        assert_eq!(expected[1], actual[1], "coordinators of {copy}");
        assert!(!actual[2].is_empty(), "task {copy} has obligations");
        assert_eq!(expected[2], actual[2], "obligations of {copy}");
        assert_eq!(expected[3], actual[3], "events of {copy}");
    }
    let counts = world
        .store
        .document(document.id)
        .await
        .expect("read document")
        .expect("document exists");
    assert_eq!(counts.task_count, 4, "the document counts the copies");
    pool.close().await;
}

async fn bulk_writes_visible_only_after_commit(backend: Backend) {
    let world = World::new(backend).await;
    let hanoi = world.orgs.by_code("TU-HNI").expect("seeded Hà Nội").clone();
    let at = local(2026, 3, 2, 8, 0);
    let user = |username: &str, org_id| NewUser {
        username: username.to_owned(),
        full_name: "Nguyễn Văn Thử".to_owned(),
        org_id,
        roles: vec![Role::Updater],
        clearance: Clearance::Normal,
        password_hash: "not-a-hash".to_owned(),
        language: "vi".to_owned(),
        email: None,
    };

    let unit = NewOrganisation::subordinate("HNI-BTG", "Ban Tuyên giáo Thành uỷ", None, &hanoi)
        .expect("valid unit");
    let mut writer = world.store.bulk_writer().await.expect("open bulk writer");
    let inserted = writer
        .insert_organisation(&unit, at)
        .await
        .expect("insert unit");
    writer
        .insert_user(&user("btg.capnhat", inserted.id), at)
        .await
        .expect("insert user");
    drop(writer);
    let rolled_back = world
        .store
        .user_by_username("btg.capnhat")
        .await
        .expect("read user");
    assert!(rolled_back.is_none(), "a dropped writer leaves no user");

    let mut writer = world.store.bulk_writer().await.expect("open bulk writer");
    let inserted = writer
        .insert_organisation(&unit, at)
        .await
        .expect("insert unit");
    let id = writer
        .insert_user(&user("btg.capnhat", inserted.id), at)
        .await
        .expect("insert user");
    writer.commit().await.expect("commit bulk writer");

    let found = world
        .store
        .user_by_username("btg.capnhat")
        .await
        .expect("read user")
        .expect("committed user");
    assert_eq!(found.id, id);
    assert_eq!(found.org_id, inserted.id);
    let subtree = world.store.subtree(hanoi.id).await.expect("subtree");
    assert!(
        subtree.contains(&inserted.id),
        "the unit joins Hà Nội's subtree"
    );
}

on_both_backends!(
    bulk_task_equals_single_writes,
    bulk_writes_visible_only_after_commit
);
