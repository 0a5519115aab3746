//! The integrity check on both backends: a database written only through the store has no
//! findings, and each kind of damage made behind the store's back is reported as such.

mod support;

use jiff::civil::date;
use sqlx::{AnyConnection, Connection};
use support::{World, local, progress, task_input};
use theodoi_domain::ids::OrgId;
use theodoi_domain::task::{SubtaskInput, Task, TaskEditInput};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{Backend, Finding, IntegrityCheck, IntegrityReport, on_both_backends};

/// Tasks in several states: a draft with a coordinating body, a task in progress with its
/// obligations, a parent with a delegated sub-task in progress, and a document corrected after
/// its tasks were entered.
struct Records {
    draft: Task,
    running: Task,
    parent: Task,
    subtask: Task,
}

async fn fill(world: &mut World) -> Records {
    let unit = world
        .add_unit("HNI-BTG", "Ban Tuyên giáo Thành uỷ", "TU-HNI")
        .await;
    let unit_updater = world
        .add_user("btg.capnhat", unit, &[Role::Updater], Clearance::Normal)
        .await;
    let unit_approver = world
        .add_user("btg.pheduyet", unit, &[Role::Approver], Clearance::Normal)
        .await;
    let document = world
        .resolution(
            "72-NQ/TW",
            "Nghị quyết về kiểm tra dữ liệu",
            date(2026, 3, 2),
        )
        .await;
    let at = |day: i8, hour: i8| local(2026, 3, day, hour, 0);
    let hanoi = world.org("TU-HNI");

    let mut draft_input = task_input("Nhiệm vụ còn là dự thảo", hanoi, Some(date(2026, 6, 30)));
    draft_input.coordinating_bodies = vec![world.org("BTCTW")];
    let draft = world.create_task(&document, &draft_input, at(2, 9)).await;

    let running_input = task_input("Nhiệm vụ đang thực hiện", hanoi, Some(date(2026, 5, 29)));
    let running = world
        .create_transferred(&document, &running_input, at(2, 10))
        .await;
    world
        .run(
            &world.updater,
            running.id,
            at(2, 11),
            theodoi_domain::task::TaskCommand::ConfirmReceipt,
        )
        .await;
    let running = world
        .report(
            &world.updater,
            &world.approver,
            running.id,
            at(9, 9),
            progress(30),
        )
        .await
        .task;

    let parent_input = task_input(
        "Nhiệm vụ có phần giao đơn vị",
        hanoi,
        Some(date(2026, 6, 30)),
    );
    let parent = world
        .create_transferred(&document, &parent_input, at(2, 10))
        .await;
    world
        .run(
            &world.updater,
            parent.id,
            at(2, 11),
            theodoi_domain::task::TaskCommand::ConfirmReceipt,
        )
        .await;
    let subtask_input = SubtaskInput {
        lead_body: Some(unit),
        content: Some("Phần việc của Ban Tuyên giáo".into()),
        ..Default::default()
    };
    let subtask = world
        .delegate(&world.updater, parent.id, at(3, 9), &subtask_input)
        .await;
    world
        .run(
            &unit_updater,
            subtask.id,
            at(3, 10),
            theodoi_domain::task::TaskCommand::ConfirmReceipt,
        )
        .await;
    let subtask = world
        .report(
            &unit_updater,
            &unit_approver,
            subtask.id,
            at(10, 9),
            progress(60),
        )
        .await
        .task;
    let parent = world.history(parent.id).await.task;

    let corrected = world
        .store
        .correct_document(
            document.id,
            Some(document.version),
            |current| {
                let mut content = current.content.clone();
                content.title = "Nghị quyết về kiểm tra tính toàn vẹn dữ liệu".into();
                Ok((content, current.entry_due, current.calendar_version.clone()))
            },
            &world.office,
            at(11, 9),
            Some("Sửa tên văn bản"),
        )
        .await
        .expect("correct the document");
    assert_eq!(corrected.version, 2);
    let draft = world
        .run(
            &world.office,
            draft.id,
            at(11, 10),
            theodoi_domain::task::TaskCommand::Edit(TaskEditInput {
                content: Some("Nhiệm vụ dự thảo đã sửa".into()),
                ..Default::default()
            }),
        )
        .await
        .task;
    Records {
        draft,
        running,
        parent,
        subtask,
    }
}

async fn check(world: &World) -> IntegrityReport {
    world
        .store
        .check_integrity()
        .await
        .expect("the check reads the database")
}

async fn integrity_clean_database(backend: Backend) {
    let mut world = World::new(backend).await;
    let records = fill(&mut world).await;
    let report = check(&world).await;
    assert_eq!(
        report.findings,
        [],
        "a database written by the store is clean"
    );
    assert_eq!(report.documents, 1);
    assert_eq!(report.tasks, 4);
    let events: u32 = [
        &records.draft,
        &records.running,
        &records.parent,
        &records.subtask,
    ]
    .iter()
    .map(|task| task.version)
    .sum();
    assert_eq!(report.events, u64::from(events));
    let expected_checks = match backend {
        Backend::Sqlite => IntegrityCheck::ALL.to_vec(),
        Backend::Postgres => IntegrityCheck::ALL[1..].to_vec(),
    };
    assert_eq!(report.checks, expected_checks);
}

/// Opens a connection outside the store whose writes skip foreign-key enforcement, as a
/// manual repair or a restore with triggers off would.
async fn outside_connection(world: &World) -> AnyConnection {
    theodoi_store::install_drivers();
    let mut connection = AnyConnection::connect(world.database_url())
        .await
        .expect("connect outside the store");
    let statement = match world.backend() {
        Backend::Sqlite => "PRAGMA foreign_keys = OFF",
        Backend::Postgres => "SET session_replication_role = replica",
    };
    execute(&mut connection, statement).await;
    connection
}

async fn execute(connection: &mut AnyConnection, statement: &str) {
    sqlx::query(sqlx::AssertSqlSafe(statement.to_owned()))
        .execute(&mut *connection)
        .await
        .unwrap_or_else(|error| panic!("{statement}: {error}"));
}

fn has(report: &IntegrityReport, expected: &Finding) -> bool {
    report.findings.contains(expected)
}

async fn integrity_damage_reported(backend: Backend) {
    let mut world = World::new(backend).await;
    let records = fill(&mut world).await;
    let document = records.draft.document_id.0;
    let mut outside = outside_connection(&world).await;
    let (draft, running, parent, subtask) = (
        records.draft.id.0,
        records.running.id.0,
        records.parent.id.0,
        records.subtask.id.0,
    );
    let missing_task = 999_999;
    let hanoi: OrgId = world.org("TU-HNI");
    for statement in [
        format!("UPDATE tasks SET percent = 77 WHERE id = {running}"),
        format!("UPDATE tasks SET rollup_percent = 5 WHERE id = {parent}"),
        format!("UPDATE tasks SET version = version + 1 WHERE id = {subtask}"),
        format!("DELETE FROM task_coordinators WHERE task_id = {draft}"),
        format!("DELETE FROM obligations WHERE task_id = {running} AND position = 0"),
        format!("UPDATE documents SET task_count = 9, version = 5 WHERE id = {document}"),
        format!(
            "INSERT INTO task_coordinators (task_id, org_id) VALUES ({missing_task}, {})",
            hanoi.0
        ),
        // The draft's last edit again, numbered 10 later: a gap in its sequence.
        format!(
            "INSERT INTO task_events (task_id, seq, at, actor, body, reason, kind, payload) \
             SELECT task_id, seq + 10, at, actor, body, reason, kind, payload FROM task_events \
             WHERE task_id = {draft} AND seq = {}",
            records.draft.version
        ),
        format!(
            "INSERT INTO tasks (document_id, ordinal, lead_body, monitoring_body, assigning_body, \
             executing_unit, scope, priority, confidentiality, status, result_base, search, version, \
             created_at, updated_at) \
             SELECT document_id, 99, lead_body, monitoring_body, assigning_body, executing_unit, \
             scope, priority, confidentiality, 'cancelled', 'none', search, 1, created_at, updated_at \
             FROM tasks WHERE id = {draft}"
        ),
    ] {
        execute(&mut outside, &statement).await;
    }
    outside.close().await.expect("close");
    let orphan_row: i64 = {
        let mut connection = AnyConnection::connect(world.database_url())
            .await
            .expect("connect");
        sqlx::query_scalar("SELECT MAX(id) FROM tasks")
            .fetch_one(&mut connection)
            .await
            .expect("the copied row")
    };

    let report = check(&world).await;
    let expected = [
        Finding::TaskRow {
            task: running,
            columns: vec!["percent".into()],
        },
        Finding::TaskRow {
            task: parent,
            columns: vec!["rollup_percent".into()],
        },
        Finding::TaskVersion {
            task: subtask,
            version: i64::from(records.subtask.version) + 1,
            events: i64::from(records.subtask.version),
        },
        Finding::TaskRow {
            task: subtask,
            columns: vec!["version".into()],
        },
        Finding::TaskTable {
            task: draft,
            table: "task_coordinators".into(),
        },
        Finding::TaskTable {
            task: running,
            table: "obligations".into(),
        },
        Finding::DocumentCounts {
            document,
            columns: vec!["task_count".into()],
        },
        Finding::DocumentVersion {
            document,
            version: 5,
            revisions: 2,
        },
        Finding::ForeignKey {
            table: "task_coordinators".into(),
            column: "task_id".into(),
            parent: "tasks".into(),
            rows: 1,
        },
        Finding::TaskEventGap {
            task: draft,
            expected: i64::from(records.draft.version) + 1,
            found: i64::from(records.draft.version) + 10,
        },
        Finding::TaskVersion {
            task: draft,
            version: i64::from(records.draft.version),
            events: i64::from(records.draft.version) + 1,
        },
        // The replay ends at the copied event, so its number becomes the version.
        Finding::TaskRow {
            task: draft,
            columns: vec!["version".into()],
        },
        Finding::TaskWithoutEvents { task: orphan_row },
    ];
    for finding in &expected {
        assert!(
            has(&report, finding),
            "{finding:?} in {:#?}",
            report.findings
        );
    }
    // The copied row bypassed the write path, so the tally counts one cancelled task fewer.
    let drifted: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|finding| matches!(finding, Finding::TaskCounts { .. }))
        .collect();
    assert_eq!(drifted.len(), 1, "{drifted:#?}");
    assert!(
        matches!(
            drifted[0],
            Finding::TaskCounts { table, stored, recounted, .. }
                if table == "task_tally_counts" && *recounted == *stored + 1
        ),
        "{drifted:#?}"
    );
    // Nor did it add the rows of the bodies that see the copied task.
    assert!(
        report
            .findings
            .iter()
            .any(|finding| matches!(finding, Finding::ViewerRows { rows } if *rows > 0)),
        "{:#?}",
        report.findings
    );
    assert_eq!(
        report.findings.len(),
        expected.len() + 2,
        "nothing else: {:#?}",
        report.findings
    );
}

/// Changed summaries are reported: a task's `breached_from`, every row of the per-body counts,
/// an extra row of the per-hour counts, and a missing and an extra body that sees a task.
async fn integrity_summary_damage_reported(backend: Backend) {
    let mut world = World::new(backend).await;
    let records = fill(&mut world).await;
    let running = records.running.id.0;
    let mut outside = outside_connection(&world).await;
    let body_rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM open_obligation_counts")
        .fetch_one(&mut outside)
        .await
        .expect("count rows");
    assert!(body_rows > 0, "the records have open obligations");
    for statement in [
        format!("UPDATE tasks SET breached_from = 1 WHERE id = {running}"),
        "UPDATE open_obligation_counts SET n = n + 5".to_owned(),
        "INSERT INTO open_obligation_hours (confidentiality, due_hour, n) VALUES ('normal', 1, 3)"
            .to_owned(),
        format!(
            "DELETE FROM task_viewers WHERE task_id = {running} AND org_id = {}",
            records.running.lead_body.0
        ),
        format!(
            "INSERT INTO task_viewers (org_id, task_id) VALUES ({}, {running})",
            world.org("TU-HPG").0
        ),
    ] {
        execute(&mut outside, &statement).await;
    }
    outside.close().await.expect("close");

    let report = check(&world).await;
    let expected = [
        Finding::TaskRow {
            task: running,
            columns: vec!["breached_from".into()],
        },
        Finding::SummaryCounts {
            table: "open_obligation_counts".into(),
            rows: body_rows,
        },
        Finding::SummaryCounts {
            table: "open_obligation_hours".into(),
            rows: 1,
        },
        Finding::ViewerRows { rows: 2 },
    ];
    let (viewer_counts, others): (Vec<Finding>, Vec<Finding>) =
        report.findings.into_iter().partition(|finding| {
            matches!(finding, Finding::TaskCounts { table, .. } if table.starts_with("task_viewer_"))
        });
    assert_eq!(others, expected);
    // The recount follows the changed viewer rows, so the task moves from its lead body's
    // row to the added body's row in the tally and in the deadline counts.
    let tables: Vec<&str> = viewer_counts
        .iter()
        .filter_map(|finding| match finding {
            Finding::TaskCounts { table, .. } => Some(table.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        tables,
        [
            "task_viewer_tally_counts",
            "task_viewer_tally_counts",
            "task_viewer_deadline_counts",
            "task_viewer_deadline_counts"
        ],
        "{viewer_counts:#?}"
    );
}

on_both_backends!(
    integrity_clean_database,
    integrity_damage_reported,
    integrity_summary_damage_reported
);
