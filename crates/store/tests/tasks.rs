//! The task write path on both backends: creation, every lifecycle command, optimistic
//! concurrency and retries, the append-only history, delegation with roll-up, and the task
//! counts of documents.

mod support;

use jiff::Timestamp;
use jiff::civil::date;
use sqlx::Connection;
use std::collections::BTreeSet;
use std::sync::Arc;
use support::{World, completed, everything, local, progress, task_input};
use theodoi_domain::catalogue::ClassificationInput;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::Document;
use theodoi_domain::error::{Code, ErrorKind};
use theodoi_domain::ids::{OrgId, TaskId, UpdateNo};
use theodoi_domain::rollup::{SubtaskProgress, rollup};
use theodoi_domain::task::event::{FeedbackKind, UrgeChannel};
use theodoi_domain::task::update::Rating;
use theodoi_domain::task::{
    FeedbackDecision, SubtaskInput, Task, TaskCommand, TaskEditInput, TaskStatus, new_task,
};
use theodoi_domain::user::{Actor, Clearance, Role};
use theodoi_store::{
    Backend, Committed, DocumentFilter, IdempotencyKey, PageRequest, StoreError, TaskFilter,
    on_both_backends,
};

fn domain_code(error: &StoreError) -> Code {
    match error {
        StoreError::Domain(domain) => domain.code,
        other => panic!("expected a domain error, got {other:?}"),
    }
}

/// Checks that what a command returned is what the database now holds: the replayed history,
/// the list row, and events numbered up to the task's version.
async fn assert_stored(world: &World, committed: &Committed, step: &str) {
    let task = &committed.task;
    let history = world.history(task.id).await;
    assert_eq!(
        &history.task, task,
        "{step}: replay equals the committed task"
    );
    assert_eq!(
        history.events.len(),
        usize::try_from(task.version).unwrap(),
        "{step}: one event per version"
    );
    for (index, stored) in history.events.iter().enumerate() {
        assert_eq!(
            stored.event.seq,
            u32::try_from(index).unwrap() + 1,
            "{step}: events are numbered from 1 without gaps"
        );
    }
    let tail = &history.events[history.events.len() - committed.events.len()..];
    let own: Vec<_> = committed
        .events
        .iter()
        .filter(|stored| stored.task_id == task.id)
        .cloned()
        .collect();
    assert_eq!(
        tail,
        own.as_slice(),
        "{step}: the returned events are the last ones"
    );

    let row = world
        .store
        .task_row(&everything(), task.id, task.updated_at)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, task.status.as_str(), "{step}: status");
    assert_eq!(row.version, i64::from(task.version), "{step}: version");
    assert_eq!(row.deadline, task.deadline, "{step}: deadline");
    assert_eq!(row.lead_body, task.lead_body, "{step}: lead body");
    assert_eq!(row.content, task.content, "{step}: content");
    assert_eq!(
        row.percent,
        task.percent().map(i64::from),
        "{step}: percent"
    );
    assert_eq!(row.updated_at, task.updated_at, "{step}: updated at");
}

async fn tasks_create(backend: Backend) {
    let world = World::new(backend).await;
    let document = world
        .resolution(
            "57-NQ/TW",
            "Nghị quyết về khoa học, công nghệ",
            date(2026, 2, 27),
        )
        .await;
    let at = local(2026, 3, 2, 10, 0);
    let input = task_input(
        "Xây dựng kế hoạch chuyển đổi số ở Hà Nội",
        world.org("TU-HNI"),
        Some(date(2026, 6, 30)),
    );
    let ctx = world.context(&world.office, at, None);
    let body = serde_json::to_vec(&input).unwrap();
    let key = IdempotencyKey::new(world.office.user_id, "t-1", "POST", "/api/v1/tasks", &body);
    let decide = |document: &Document, ordinal| new_task(&input, document, ordinal, &ctx);

    let created = world
        .store
        .create_task(document.id, Some(&key), decide)
        .await
        .unwrap();
    assert!(!created.replayed);
    let task = &created.value.task;
    assert_eq!(task.version, 1);
    assert_eq!(task.ordinal, 1);
    assert_eq!(task.status, TaskStatus::Draft);
    assert_eq!(task.document_id, document.id);
    assert_eq!(task.created_at, at);
    assert_stored(&world, &created.value, "create").await;
    let row = world
        .store
        .task_row(&everything(), task.id, at)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.result_state, None, "a draft has no result state");
    assert_eq!(row.document_symbol, "57-NQ/TW");
    assert_eq!(row.executing_unit, "provincial_committee");
    assert_eq!(row.priority, "regular");
    assert_eq!(row.ordinal, 1);

    let replayed = world
        .store
        .create_task(document.id, Some(&key), |document: &Document, ordinal| {
            new_task(&input, document, ordinal, &ctx)
        })
        .await
        .unwrap();
    assert!(replayed.replayed);
    assert_eq!(replayed.value.task, created.value.task);
    let other = IdempotencyKey::new(world.office.user_id, "t-1", "POST", "/api/v1/tasks", b"{}");
    let error = world
        .store
        .create_task(document.id, Some(&other), |document: &Document, ordinal| {
            new_task(&input, document, ordinal, &ctx)
        })
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::IdempotencyKeyReused),
        "{error:?}"
    );

    // A rejected task leaves nothing behind.
    let invalid = task_input("Việc giao cho Bộ Chính trị", world.org("BCT"), None);
    let error = world
        .store
        .create_task(document.id, None, |document: &Document, ordinal| {
            new_task(&invalid, document, ordinal, &ctx)
        })
        .await
        .unwrap_err();
    assert_eq!(domain_code(&error), Code::ValidationFailed);
    let stored = world.store.document(document.id).await.unwrap().unwrap();
    assert_eq!(stored.task_count, 1);
    let all = world.ids(&everything(), &TaskFilter::default(), at).await;
    assert_eq!(all, [task.id]);

    let second = world
        .create_task(
            &document,
            &task_input("Việc thứ hai", world.org("TU-HPG"), None),
            at,
        )
        .await;
    assert_eq!(second.ordinal, 2);
    assert_eq!(
        world
            .store
            .document(document.id)
            .await
            .unwrap()
            .unwrap()
            .task_count,
        2
    );
}

async fn tasks_lifecycle(backend: Backend) {
    let world = World::new(backend).await;
    let document = world
        .resolution(
            "57-NQ/TW",
            "Nghị quyết về khoa học, công nghệ",
            date(2026, 2, 27),
        )
        .await;
    let task = world
        .create_task(
            &document,
            &task_input(
                "Lập đề án dữ liệu",
                world.org("TU-HNI"),
                Some(date(2026, 4, 30)),
            ),
            local(2026, 3, 2, 9, 0),
        )
        .await;
    let id = task.id;
    let (office, updater, approver, monitor) = (
        &world.office,
        &world.updater,
        &world.approver,
        &world.monitor,
    );
    let edit = |content: &str| TaskEditInput {
        content: Some(content.to_owned()),
        ..Default::default()
    };
    let update = UpdateNo(1);
    let steps: Vec<(&Actor, Timestamp, TaskCommand, TaskStatus)> = vec![
        (
            office,
            local(2026, 3, 2, 9, 30),
            TaskCommand::Edit(edit("Lập đề án kho dữ liệu dùng chung")),
            TaskStatus::Draft,
        ),
        (
            office,
            local(2026, 3, 2, 10, 0),
            TaskCommand::Transfer,
            TaskStatus::AwaitingReceipt,
        ),
        (
            updater,
            local(2026, 3, 2, 11, 0),
            TaskCommand::Return {
                kind: FeedbackKind::WrongContent,
            },
            TaskStatus::Returned,
        ),
        (
            office,
            local(2026, 3, 3, 9, 0),
            TaskCommand::HandleFeedback(FeedbackDecision::Adjust(edit(
                "Lập đề án kho dữ liệu dùng chung của Thành uỷ",
            ))),
            TaskStatus::AwaitingReceipt,
        ),
        (
            updater,
            local(2026, 3, 3, 10, 0),
            TaskCommand::ConfirmReceipt,
            TaskStatus::InProgress,
        ),
        (
            updater,
            local(2026, 3, 3, 11, 0),
            TaskCommand::Return {
                kind: FeedbackKind::OutsideAuthority,
            },
            TaskStatus::Returned,
        ),
        (
            office,
            local(2026, 3, 4, 9, 0),
            TaskCommand::HandleFeedback(FeedbackDecision::Correct(TaskEditInput {
                expected_products: Some("Đề án được phê duyệt".into()),
                ..Default::default()
            })),
            TaskStatus::AwaitingReceipt,
        ),
        (
            updater,
            local(2026, 3, 4, 10, 0),
            TaskCommand::ConfirmReceipt,
            TaskStatus::InProgress,
        ),
        (
            updater,
            local(2026, 3, 4, 11, 0),
            TaskCommand::Return {
                kind: FeedbackKind::WrongContent,
            },
            TaskStatus::Returned,
        ),
        (
            office,
            local(2026, 3, 5, 9, 0),
            TaskCommand::HandleFeedback(FeedbackDecision::Reject),
            TaskStatus::AwaitingReceipt,
        ),
        (
            updater,
            local(2026, 3, 5, 10, 0),
            TaskCommand::ConfirmReceipt,
            TaskStatus::InProgress,
        ),
        (
            updater,
            local(2026, 3, 10, 9, 0),
            TaskCommand::DraftUpdate(progress(30)),
            TaskStatus::InProgress,
        ),
        (
            approver,
            local(2026, 3, 10, 10, 0),
            TaskCommand::ReturnUpdate { update },
            TaskStatus::InProgress,
        ),
        (
            updater,
            local(2026, 3, 11, 9, 0),
            TaskCommand::EditUpdate {
                update,
                input: progress(40),
            },
            TaskStatus::InProgress,
        ),
        (
            approver,
            local(2026, 3, 11, 10, 0),
            TaskCommand::ApproveUpdate { update },
            TaskStatus::InProgress,
        ),
        (
            monitor,
            local(2026, 3, 12, 9, 0),
            TaskCommand::EvaluateUpdate {
                update,
                rating: Rating::Good,
                comment: Some("Đúng tiến độ".into()),
            },
            TaskStatus::InProgress,
        ),
        (
            monitor,
            local(2026, 3, 13, 9, 0),
            TaskCommand::RequestUpdate {
                due: date(2026, 3, 20),
            },
            TaskStatus::InProgress,
        ),
        (
            monitor,
            local(2026, 3, 13, 10, 0),
            TaskCommand::Urge {
                channel: UrgeChannel::Phone,
            },
            TaskStatus::InProgress,
        ),
        (
            updater,
            local(2026, 3, 16, 9, 0),
            TaskCommand::ReportDifficulty {
                copied_to: Some(world.org("UBKTTW")),
            },
            TaskStatus::InProgress,
        ),
        (
            updater,
            local(2026, 3, 17, 9, 0),
            TaskCommand::RequestExtension {
                proposed: date(2026, 5, 29),
            },
            TaskStatus::InProgress,
        ),
        (
            office,
            local(2026, 3, 18, 9, 0),
            TaskCommand::ExtendDeadline {
                to: date(2026, 5, 29),
            },
            TaskStatus::InProgress,
        ),
        (
            office,
            local(2026, 3, 18, 10, 0),
            TaskCommand::Edit(TaskEditInput {
                classification: Some(ClassificationInput {
                    priority: Some("key".into()),
                    ..Default::default()
                }),
                ..Default::default()
            }),
            TaskStatus::InProgress,
        ),
        (
            office,
            local(2026, 3, 19, 9, 0),
            TaskCommand::Withdraw,
            TaskStatus::Draft,
        ),
        (
            office,
            local(2026, 3, 19, 10, 0),
            TaskCommand::Transfer,
            TaskStatus::AwaitingReceipt,
        ),
        (
            office,
            local(2026, 3, 20, 9, 0),
            TaskCommand::Cancel,
            TaskStatus::Cancelled,
        ),
    ];
    let mut version = 1;
    for (actor, at, command, status) in steps {
        let name = command.name();
        let committed = world.run(actor, id, at, command).await;
        assert!(committed.task.version > version, "{name} appends events");
        version = committed.task.version;
        assert_eq!(committed.task.status, status, "{name}");
        assert_stored(&world, &committed, name).await;
    }

    let history = world.history(id).await;
    let kinds: BTreeSet<&str> = history
        .events
        .iter()
        .map(|stored| stored.event.change.name())
        .collect();
    for kind in [
        "created",
        "edited",
        "transferred",
        "returned",
        "feedback_handled",
        "receipt_confirmed",
        "update_drafted",
        "update_returned",
        "update_edited",
        "update_approved",
        "update_evaluated",
        "update_requested",
        "urged",
        "difficulty_reported",
        "extension_requested",
        "deadline_extended",
        "withdrawn",
        "cancelled",
    ] {
        assert!(kinds.contains(kind), "the history has a {kind} event");
    }
    let task = history.task;
    assert_eq!(task.deadline, Some(date(2026, 5, 29)));
    assert_eq!(task.deadline_changes.len(), 1);
    assert_eq!(task.classification.priority, "key");
    assert_eq!(task.percent(), Some(40));
    let row = world
        .store
        .task_row(&everything(), id, local(2026, 3, 20, 9, 0))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.priority, "key");
    assert_eq!(
        row.result_state, None,
        "a cancelled task has no result state"
    );

    // The global feed lists every event in commit order.
    let feed = world.store.events_after(0, 1_000).await.unwrap();
    assert_eq!(feed, history.events);
    let tail = world
        .store
        .events_after(history.events[9].id, 3)
        .await
        .unwrap();
    assert_eq!(tail, history.events[10..13]);
}

async fn tasks_rejected_writes_nothing(backend: Backend) {
    let world = World::new(backend).await;
    let document = world
        .resolution(
            "57-NQ/TW",
            "Nghị quyết về khoa học, công nghệ",
            date(2026, 2, 27),
        )
        .await;
    let at = local(2026, 3, 2, 10, 0);
    let task = world
        .create_transferred(
            &document,
            &task_input(
                "Lập đề án dữ liệu",
                world.org("TU-HNI"),
                Some(date(2026, 4, 30)),
            ),
            at,
        )
        .await;
    let before = world.history(task.id).await;

    let other = world
        .add_user(
            "hpg.capnhat",
            world.org("TU-HPG"),
            &[Role::Updater],
            Clearance::Normal,
        )
        .await;
    let error = world
        .try_run(&other, task.id, None, at, TaskCommand::ConfirmReceipt)
        .await
        .unwrap_err();
    assert_eq!(domain_code(&error), Code::TaskNotLeadBody);
    let error = world
        .try_run(&world.updater, task.id, None, at, TaskCommand::Cancel)
        .await
        .unwrap_err();
    assert_eq!(domain_code(&error), Code::RoleRequired);
    let error = world
        .try_run(&world.office, task.id, None, at, TaskCommand::Transfer)
        .await
        .unwrap_err();
    assert_eq!(domain_code(&error), Code::TaskWrongState);

    let after = world.history(task.id).await;
    assert_eq!(after.events, before.events);
    let row = world
        .store
        .task_row(&everything(), task.id, at)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.version, 2);

    let error = world
        .try_run(
            &world.office,
            TaskId(9_999),
            None,
            at,
            TaskCommand::Transfer,
        )
        .await
        .unwrap_err();
    assert_eq!(domain_code(&error), Code::TaskNotFound);
}

async fn tasks_stale_version(backend: Backend) {
    let world = World::new(backend).await;
    let document = world
        .resolution(
            "57-NQ/TW",
            "Nghị quyết về khoa học, công nghệ",
            date(2026, 2, 27),
        )
        .await;
    let at = local(2026, 3, 2, 10, 0);
    let task = world
        .create_transferred(
            &document,
            &task_input(
                "Lập đề án dữ liệu",
                world.org("TU-HNI"),
                Some(date(2026, 4, 30)),
            ),
            at,
        )
        .await;
    assert_eq!(task.version, 2);

    let received = world
        .try_run(
            &world.updater,
            task.id,
            Some(2),
            at,
            TaskCommand::ConfirmReceipt,
        )
        .await
        .unwrap();
    assert_eq!(received.task.version, 3);

    let urge = TaskCommand::Urge {
        channel: UrgeChannel::Email,
    };
    let error = world
        .try_run(&world.monitor, task.id, Some(2), at, urge.clone())
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::VersionConflict { current: 3 }),
        "{error:?}"
    );
    let error = world
        .try_run(&world.monitor, task.id, Some(4), at, urge.clone())
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::VersionConflict { current: 3 }),
        "{error:?}"
    );

    let history = world.history(task.id).await;
    assert_eq!(history.events.len(), 3, "a conflict appends nothing");
    assert_eq!(history.task, received.task);
    let row = world
        .store
        .task_row(&everything(), task.id, at)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.version, 3);
    assert_eq!(row.updated_at, received.task.updated_at);

    let urged = world
        .try_run(&world.monitor, task.id, Some(3), at, urge)
        .await
        .unwrap();
    assert_eq!(urged.task.version, 4);
}

async fn tasks_concurrent_execute(backend: Backend) {
    const WRITERS: u32 = 8;
    let world = World::new(backend).await;
    let document = world
        .resolution(
            "57-NQ/TW",
            "Nghị quyết về khoa học, công nghệ",
            date(2026, 2, 27),
        )
        .await;
    let at = local(2026, 3, 2, 10, 0);
    let task = world
        .create_transferred(
            &document,
            &task_input(
                "Lập đề án dữ liệu",
                world.org("TU-HNI"),
                Some(date(2026, 4, 30)),
            ),
            at,
        )
        .await;
    let world = Arc::new(world);
    let mut writers = tokio::task::JoinSet::new();
    for index in 0..WRITERS {
        let world = world.clone();
        writers.spawn(async move {
            let command = TaskCommand::Urge {
                channel: UrgeChannel::ALL[usize::try_from(index).unwrap() % 8],
            };
            world
                .try_run(&world.monitor, task.id, None, at, command)
                .await
        });
    }
    let mut versions = Vec::new();
    while let Some(joined) = writers.join_next().await {
        let committed = joined.unwrap().unwrap_or_else(|error| {
            panic!("every concurrent command succeeds after retries: {error}")
        });
        versions.push(committed.task.version);
    }
    versions.sort_unstable();
    let expected: Vec<u32> = (3..3 + WRITERS).collect();
    assert_eq!(versions, expected, "each writer got its own version");

    let history = world.history(task.id).await;
    assert_eq!(history.task.version, 2 + WRITERS);
    let seqs: Vec<u32> = history
        .events
        .iter()
        .map(|stored| stored.event.seq)
        .collect();
    assert_eq!(seqs, (1..=2 + WRITERS).collect::<Vec<_>>());
    let row = world
        .store
        .task_row(&everything(), task.id, at)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.version, i64::from(2 + WRITERS));
}

async fn tasks_concurrent_documents(backend: Backend) {
    const TASKS: usize = 6;
    let world = World::new(backend).await;
    let document = world
        .resolution(
            "57-NQ/TW",
            "Nghị quyết về khoa học, công nghệ",
            date(2026, 2, 27),
        )
        .await;
    let at = local(2026, 3, 2, 10, 0);
    let world = Arc::new(world);

    // Tasks entered at the same time get distinct ordinals.
    let mut creators = tokio::task::JoinSet::new();
    for index in 0..TASKS {
        let world = world.clone();
        let document = document.clone();
        creators.spawn(async move {
            let input = task_input(
                &format!("Nhiệm vụ số {index}"),
                world.org("TU-HNI"),
                Some(date(2026, 4, 30)),
            );
            world.create_task(&document, &input, at).await
        });
    }
    let mut ids = Vec::new();
    let mut ordinals = BTreeSet::new();
    while let Some(joined) = creators.join_next().await {
        let task = joined.unwrap();
        ids.push(task.id);
        ordinals.insert(task.ordinal);
    }
    assert_eq!(ordinals, (1..=6).collect::<BTreeSet<u32>>());
    let stored = world.store.document(document.id).await.unwrap().unwrap();
    assert_eq!(stored.task_count, 6);

    // Transfers at the same time each count once.
    let mut transfers = tokio::task::JoinSet::new();
    for id in ids {
        let world = world.clone();
        transfers.spawn(async move { world.transfer(id, at).await });
    }
    while let Some(joined) = transfers.join_next().await {
        joined.unwrap();
    }
    let awaiting = DocumentFilter {
        awaiting_entry: true,
        ..Default::default()
    };
    let page = world
        .store
        .list_documents(&everything(), &awaiting, &PageRequest::default())
        .await
        .unwrap();
    assert!(
        page.items.is_empty(),
        "every task of the document was transferred"
    );
}

async fn tasks_events_append_only(backend: Backend) {
    let world = World::new(backend).await;
    let document = world
        .resolution(
            "57-NQ/TW",
            "Nghị quyết về khoa học, công nghệ",
            date(2026, 2, 27),
        )
        .await;
    let task = world
        .create_transferred(
            &document,
            &task_input(
                "Lập đề án dữ liệu",
                world.org("TU-HNI"),
                Some(date(2026, 4, 30)),
            ),
            local(2026, 3, 2, 10, 0),
        )
        .await;
    let before = world.history(task.id).await;

    theodoi_store::install_drivers();
    let mut connection = sqlx::AnyConnection::connect(world.database_url())
        .await
        .unwrap();
    let statements = [
        "UPDATE task_events SET reason = 'sửa lịch sử' WHERE task_id = $1",
        "DELETE FROM task_events WHERE task_id = $1",
        "UPDATE document_events SET reason = 'sửa lịch sử' WHERE document_id = $1",
        "DELETE FROM document_events WHERE document_id = $1",
    ];
    for statement in statements {
        let id = if statement.contains("document_events") {
            document.id.0
        } else {
            task.id.0
        };
        let error = sqlx::query(statement)
            .bind(id)
            .execute(&mut connection)
            .await
            .expect_err(statement);
        assert!(
            error.to_string().contains("append-only"),
            "{statement}: {error}"
        );
    }
    connection.close().await.unwrap();

    let after = world.history(task.id).await;
    assert_eq!(after.events, before.events);
}

/// Focal officers of a subordinate unit.
struct Unit {
    id: OrgId,
    updater: Actor,
    approver: Actor,
}

async fn add_unit(world: &mut World, code: &str, name: &str) -> Unit {
    let id = world.add_unit(code, name, "TU-HNI").await;
    let prefix = code.to_lowercase();
    Unit {
        id,
        updater: world
            .add_user(
                &format!("{prefix}.capnhat"),
                id,
                &[Role::Updater],
                Clearance::Normal,
            )
            .await,
        approver: world
            .add_user(
                &format!("{prefix}.pheduyet"),
                id,
                &[Role::Approver],
                Clearance::Normal,
            )
            .await,
    }
}

fn subtask(unit: &Unit, content: &str) -> SubtaskInput {
    SubtaskInput {
        lead_body: Some(unit.id),
        content: Some(content.to_owned()),
        ..Default::default()
    }
}

/// Computes the roll-up the parent should show from the sub-tasks as stored.
async fn expected_rollup(world: &World, parent: TaskId) -> Option<u8> {
    let mut subtasks = Vec::new();
    for id in world.store.subtask_ids(parent).await.unwrap() {
        let task: Task = world.history(id).await.task;
        subtasks.push(SubtaskProgress {
            percent: task.percent(),
            completed: task.status == TaskStatus::Completed,
            cancelled: task.status == TaskStatus::Cancelled,
        });
    }
    rollup(&subtasks)
}

async fn rollup_of(world: &World, parent: TaskId, at: Timestamp) -> Option<i64> {
    world
        .store
        .task_row(&everything(), parent, at)
        .await
        .unwrap()
        .unwrap()
        .rollup_percent
}

async fn tasks_delegation_rollup(backend: Backend) {
    let mut world = World::new(backend).await;
    let propaganda = add_unit(&mut world, "HNI-BTG", "Ban Tuyên giáo Thành uỷ").await;
    let office = add_unit(&mut world, "HNI-VP", "Văn phòng Thành uỷ").await;
    let document = world
        .resolution(
            "57-NQ/TW",
            "Nghị quyết về khoa học, công nghệ",
            date(2026, 2, 27),
        )
        .await;
    let start = local(2026, 3, 2, 10, 0);
    let parent = world
        .create_transferred(
            &document,
            &task_input(
                "Lập đề án dữ liệu",
                world.org("TU-HNI"),
                Some(date(2026, 4, 30)),
            ),
            start,
        )
        .await;
    world
        .run(
            &world.updater,
            parent.id,
            start,
            TaskCommand::ConfirmReceipt,
        )
        .await;

    let at = local(2026, 3, 3, 9, 0);
    let input = subtask(&propaganda, "Tuyên truyền về đề án");
    let key = IdempotencyKey::new(world.updater.user_id, "d-1", "POST", "/delegate", b"1");
    let created = world
        .try_delegate(&world.updater, parent.id, at, &input, Some(&key))
        .await
        .unwrap();
    assert!(!created.replayed);
    let (first, parent_after) = created.value;
    assert_eq!(first.task.parent_id, Some(parent.id));
    assert_eq!(first.task.status, TaskStatus::AwaitingReceipt);
    assert_eq!(first.task.lead_body, propaganda.id);
    assert_eq!(first.task.assigning_body, world.org("TU-HNI"));
    assert_eq!(first.task.deadline, Some(date(2026, 4, 30)));
    assert_eq!(parent_after.task.subtasks.len(), 1);
    assert_stored(&world, &first, "delegated sub-task").await;
    assert_stored(&world, &parent_after, "delegating parent").await;
    assert_eq!(rollup_of(&world, parent.id, at).await, Some(0));

    let replayed = world
        .try_delegate(&world.updater, parent.id, at, &input, Some(&key))
        .await
        .unwrap();
    assert!(replayed.replayed);
    assert_eq!(replayed.value.0.task.id, first.task.id);
    assert_eq!(
        world.history(parent.id).await.task.version,
        parent_after.task.version
    );

    let second = world
        .delegate(
            &world.updater,
            parent.id,
            at,
            &subtask(&office, "Tổng hợp số liệu"),
        )
        .await;
    let third = world
        .delegate(
            &world.approver,
            parent.id,
            at,
            &subtask(&propaganda, "Việc giao nhầm"),
        )
        .await;
    assert_eq!(
        world.store.subtask_ids(parent.id).await.unwrap(),
        [first.task.id, second.id, third.id]
    );

    let at = local(2026, 3, 4, 9, 0);
    for (unit, id) in [
        (&propaganda, first.task.id),
        (&office, second.id),
        (&propaganda, third.id),
    ] {
        world
            .run(&unit.updater, id, at, TaskCommand::ConfirmReceipt)
            .await;
    }
    world
        .report(
            &propaganda.updater,
            &propaganda.approver,
            first.task.id,
            at,
            progress(40),
        )
        .await;
    assert_eq!(
        rollup_of(&world, parent.id, at).await,
        Some(13),
        "(40 + 0 + 0) / 3"
    );
    world
        .report(
            &office.updater,
            &office.approver,
            second.id,
            local(2026, 3, 10, 9, 0),
            completed(date(2026, 3, 9)),
        )
        .await;
    world
        .report(
            &propaganda.updater,
            &propaganda.approver,
            third.id,
            at,
            progress(90),
        )
        .await;
    let at = local(2026, 3, 10, 10, 0);
    assert_eq!(
        rollup_of(&world, parent.id, at).await,
        Some(76),
        "(40 + 100 + 90) / 3"
    );

    world
        .run(&world.approver, third.id, at, TaskCommand::Cancel)
        .await;
    assert_eq!(
        rollup_of(&world, parent.id, at).await,
        Some(70),
        "a cancelled sub-task no longer counts"
    );
    assert_eq!(
        rollup_of(&world, parent.id, at).await,
        expected_rollup(&world, parent.id).await.map(i64::from)
    );

    // Sub-tasks are listed under their parent and never counted as tasks of the document.
    let row = world
        .store
        .task_row(&everything(), parent.id, at)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.subtask_count, 3);
    let under_parent = TaskFilter {
        parent_id: Some(parent.id),
        ..Default::default()
    };
    assert_eq!(
        world.ids(&everything(), &under_parent, at).await,
        [third.id, second.id, first.task.id]
    );
    let top_level = TaskFilter {
        subtasks: Some(false),
        ..Default::default()
    };
    assert_eq!(world.ids(&everything(), &top_level, at).await, [parent.id]);
    let stored = world.store.document(document.id).await.unwrap().unwrap();
    assert_eq!(stored.task_count, 1);

    // Delegation below a sub-task or to a body outside the delegating one is refused.
    let error = world
        .try_delegate(
            &propaganda.updater,
            first.task.id,
            at,
            &subtask(&office, "Giao tiếp"),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(domain_code(&error), Code::TaskSubtaskOfSubtask);
    let outside = SubtaskInput {
        lead_body: Some(world.org("TU-HPG")),
        content: Some("Giao sang Hải Phòng".into()),
        ..Default::default()
    };
    let error = world
        .try_delegate(&world.updater, parent.id, at, &outside, None)
        .await
        .unwrap_err();
    assert!(matches!(&error, StoreError::Domain(domain) if domain.kind == ErrorKind::Invalid));
    assert_eq!(world.store.subtask_ids(parent.id).await.unwrap().len(), 3);
}

async fn tasks_concurrent_rollup(backend: Backend) {
    let mut world = World::new(backend).await;
    let propaganda = add_unit(&mut world, "HNI-BTG", "Ban Tuyên giáo Thành uỷ").await;
    let office = add_unit(&mut world, "HNI-VP", "Văn phòng Thành uỷ").await;
    let document = world
        .resolution(
            "57-NQ/TW",
            "Nghị quyết về khoa học, công nghệ",
            date(2026, 2, 27),
        )
        .await;
    let start = local(2026, 3, 2, 10, 0);
    let parent = world
        .create_transferred(
            &document,
            &task_input(
                "Lập đề án dữ liệu",
                world.org("TU-HNI"),
                Some(date(2026, 4, 30)),
            ),
            start,
        )
        .await;
    world
        .run(
            &world.updater,
            parent.id,
            start,
            TaskCommand::ConfirmReceipt,
        )
        .await;
    let at = local(2026, 3, 3, 9, 0);
    let mut drafted = Vec::new();
    for (index, unit) in [&propaganda, &office, &propaganda, &office]
        .into_iter()
        .enumerate()
    {
        let sub = world
            .delegate(
                &world.updater,
                parent.id,
                at,
                &subtask(unit, &format!("Phần việc {index}")),
            )
            .await;
        world
            .run(&unit.updater, sub.id, at, TaskCommand::ConfirmReceipt)
            .await;
        let percent = 20 * (i64::try_from(index).unwrap() + 1);
        world
            .run(
                &unit.updater,
                sub.id,
                at,
                TaskCommand::DraftUpdate(progress(percent)),
            )
            .await;
        drafted.push((unit.approver.clone(), sub.id));
    }

    // Approvals of different sub-tasks commit at the same time. The parent must end up with
    // the roll-up of all of them, not of whichever transaction wrote last.
    let world = Arc::new(world);
    let mut approvals = tokio::task::JoinSet::new();
    for (approver, id) in drafted {
        let world = world.clone();
        approvals.spawn(async move {
            world
                .try_run(
                    &approver,
                    id,
                    None,
                    at,
                    TaskCommand::ApproveUpdate {
                        update: UpdateNo(1),
                    },
                )
                .await
        });
    }
    while let Some(joined) = approvals.join_next().await {
        joined.unwrap().unwrap();
    }
    assert_eq!(
        rollup_of(&world, parent.id, at).await,
        Some(50),
        "(20 + 40 + 60 + 80) / 4"
    );
    assert_eq!(
        rollup_of(&world, parent.id, at).await,
        expected_rollup(&world, parent.id).await.map(i64::from)
    );
}

async fn tasks_concurrent_delegation(backend: Backend) {
    const SUBTASKS: u32 = 4;
    let mut world = World::new(backend).await;
    let unit = add_unit(&mut world, "HNI-BTG", "Ban Tuyên giáo Thành uỷ").await;
    let document = world
        .resolution(
            "57-NQ/TW",
            "Nghị quyết về khoa học, công nghệ",
            date(2026, 2, 27),
        )
        .await;
    let start = local(2026, 3, 2, 10, 0);
    let parent = world
        .create_transferred(
            &document,
            &task_input(
                "Lập đề án dữ liệu",
                world.org("TU-HNI"),
                Some(date(2026, 4, 30)),
            ),
            start,
        )
        .await;
    world
        .run(
            &world.updater,
            parent.id,
            start,
            TaskCommand::ConfirmReceipt,
        )
        .await;

    let world = Arc::new(world);
    let mut delegations = tokio::task::JoinSet::new();
    for index in 0..SUBTASKS {
        let world = world.clone();
        let input = subtask(&unit, &format!("Phần việc {index}"));
        delegations.spawn(async move {
            let at = local(2026, 3, 3, 9, 0);
            world
                .try_delegate(&world.updater, parent.id, at, &input, None)
                .await
        });
    }
    let mut ordinals = BTreeSet::new();
    while let Some(joined) = delegations.join_next().await {
        let created = joined.unwrap().expect("every delegation succeeds");
        ordinals.insert(created.value.0.task.ordinal);
    }
    assert_eq!(ordinals, (1..=SUBTASKS).collect::<BTreeSet<_>>());
    let parent = world.history(parent.id).await.task;
    assert_eq!(parent.subtasks.len(), 4);
    assert_eq!(parent.version, 3 + SUBTASKS);
}

async fn tasks_classified(backend: Backend) {
    let world = World::new(backend).await;
    let document = world
        .register(
            "conclusion",
            "12-KL/TW",
            "Kết luận về công tác bảo vệ chính trị nội bộ",
            date(2026, 2, 27),
            Confidentiality::Confidential,
        )
        .await;
    let at = local(2026, 3, 2, 10, 0);
    let input = theodoi_domain::task::NewTaskInput {
        content: None,
        lead_body: Some(world.org("TU-HNI")),
        deadline: Some("2026-04-30".into()),
        ..Default::default()
    };
    let task = world.create_transferred(&document, &input, at).await;
    world
        .run(&world.updater, task.id, at, TaskCommand::ConfirmReceipt)
        .await;
    let done = world
        .report(
            &world.updater,
            &world.approver,
            task.id,
            local(2026, 3, 20, 9, 0),
            completed(date(2026, 3, 19)),
        )
        .await;
    assert_stored(&world, &done, "classified completion").await;
    let row = world
        .store
        .task_row(&everything(), task.id, local(2026, 3, 20, 9, 0))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.content, None);
    assert_eq!(
        row.percent,
        Some(100),
        "completion is the one coarse fact kept"
    );
    assert_eq!(row.confidentiality, "confidential");
    assert_eq!(row.completed_on, Some(date(2026, 3, 19)));
}

/// Removing a draft's deadline and expected products is kept by its history: the task read
/// back, which replays the events, has neither, and the integrity check finds the row equal
/// to the replay.
async fn tasks_removed_values_replay(backend: Backend) {
    let world = World::new(backend).await;
    let document = world
        .resolution(
            "07-NQ/TW",
            "Nghị quyết về phát triển nguồn nhân lực",
            date(2025, 10, 1),
        )
        .await;
    let input = theodoi_domain::task::NewTaskInput {
        expected_products: Some("Báo cáo tổng kết".into()),
        ..task_input(
            "Xây dựng đề án",
            world.org("TU-HNI"),
            Some(date(2026, 5, 29)),
        )
    };
    let at = local(2026, 2, 2, 9, 0);
    let task = world.create_task(&document, &input, at).await;
    assert!(task.deadline.is_some());
    assert!(task.expected_products.is_some());

    let edit = TaskEditInput {
        remove_deadline: true,
        expected_products: Some(String::new()),
        ..Default::default()
    };
    let committed = world
        .run(&world.office, task.id, at, TaskCommand::Edit(edit))
        .await;
    assert_eq!(committed.task.deadline, None);

    let replayed = world.history(task.id).await.task;
    assert_eq!(replayed.deadline, None);
    assert_eq!(replayed.expected_products, None);
    let report = world.store.check_integrity().await.expect("check");
    assert!(report.is_clean(), "{:?}", report.findings);
}

on_both_backends!(
    tasks_removed_values_replay,
    tasks_create,
    tasks_lifecycle,
    tasks_rejected_writes_nothing,
    tasks_stale_version,
    tasks_concurrent_execute,
    tasks_concurrent_documents,
    tasks_events_append_only,
    tasks_delegation_rollup,
    tasks_concurrent_rollup,
    tasks_concurrent_delegation,
    tasks_classified,
);
