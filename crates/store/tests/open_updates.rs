//! The list of tasks with an open progress update, on both backends. Drafted, edited and
//! returned updates stay open until approved, and the reader's scope and the body narrow the list.

mod support;

use jiff::civil::date;
use support::{World, everything, local, progress, task_input};
use theodoi_domain::ids::UpdateNo;
use theodoi_domain::task::{SubtaskInput, TaskCommand};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{Backend, Scope, on_both_backends};

async fn open_updates_follow_approval(backend: Backend) {
    let mut world = World::new(backend).await;
    let hanoi = world.org("TU-HNI");
    let document = world
        .resolution("57-NQ/TW", "Nghị quyết về chuyển đổi số", date(2026, 3, 2))
        .await;
    let start = local(2026, 3, 2, 9, 0);
    let first = world
        .create_transferred(
            &document,
            &task_input("Xây dựng đề án", hanoi, Some(date(2026, 6, 30))),
            start,
        )
        .await;
    let second = world
        .create_transferred(
            &document,
            &task_input("Tổ chức hội nghị", hanoi, Some(date(2026, 6, 30))),
            start,
        )
        .await;
    let _haiphong_task = world
        .create_transferred(
            &document,
            &task_input("Sơ kết", world.org("TU-HPG"), Some(date(2026, 6, 30))),
            start,
        )
        .await;
    let at = local(2026, 3, 3, 9, 0);
    for task in [first.id, second.id] {
        world
            .run(&world.updater, task, at, TaskCommand::ConfirmReceipt)
            .await;
    }
    let store = world.store.clone();
    let open = move |scope: Scope, body| {
        let store = store.clone();
        async move {
            store
                .tasks_with_open_update(&scope, body, false, 100)
                .await
                .unwrap()
        }
    };
    assert!(
        open(everything(), hanoi).await.is_empty(),
        "nothing drafted"
    );

    world
        .run(
            &world.updater,
            first.id,
            at,
            TaskCommand::DraftUpdate(progress(20)),
        )
        .await;
    assert_eq!(open(everything(), hanoi).await, [first.id], "a draft");
    let haiphong_scope = Scope::within(world.org("TU-HPG"), Clearance::Secret);
    assert!(
        open(haiphong_scope, hanoi).await.is_empty(),
        "another province sees none of Hà Nội's tasks"
    );
    assert!(
        open(everything(), world.org("TU-HPG")).await.is_empty(),
        "only the named body's tasks"
    );

    let update = UpdateNo(1);
    world
        .run(
            &world.approver,
            first.id,
            at,
            TaskCommand::ReturnUpdate { update },
        )
        .await;
    assert_eq!(open(everything(), hanoi).await, [first.id], "returned");
    world
        .run(
            &world.updater,
            first.id,
            at,
            TaskCommand::EditUpdate {
                update,
                input: progress(25),
            },
        )
        .await;
    assert_eq!(open(everything(), hanoi).await, [first.id], "edited");
    world
        .run(
            &world.approver,
            first.id,
            at,
            TaskCommand::ApproveUpdate { update },
        )
        .await;
    assert!(open(everything(), hanoi).await.is_empty(), "approved");

    // Editing an approved update voids the approval and opens it again.
    world
        .run(
            &world.updater,
            first.id,
            local(2026, 3, 4, 9, 0),
            TaskCommand::EditUpdate {
                update,
                input: progress(30),
            },
        )
        .await;
    world
        .run(
            &world.updater,
            second.id,
            local(2026, 3, 4, 10, 0),
            TaskCommand::DraftUpdate(progress(10)),
        )
        .await;
    assert_eq!(
        open(everything(), hanoi).await,
        [second.id, first.id],
        "most recently changed first"
    );
    let first_only = world
        .store
        .tasks_with_open_update(&everything(), hanoi, false, 1)
        .await
        .unwrap();
    assert_eq!(first_only, [second.id], "the limit keeps the most recent");

    // A unit's sub-task is listed for the parent body only with its units.
    let unit = world.add_unit("HNI-BTG", "Ban Tuyên giáo", "TU-HNI").await;
    let unit_updater = world
        .add_user("btg.capnhat", unit, &[Role::Updater], Clearance::Normal)
        .await;
    let sub = world
        .delegate(
            &world.approver,
            second.id,
            local(2026, 3, 5, 9, 0),
            &SubtaskInput {
                lead_body: Some(unit),
                content: Some("Tập huấn cán bộ".into()),
                ..Default::default()
            },
        )
        .await;
    let at = local(2026, 3, 5, 10, 0);
    world
        .run(&unit_updater, sub.id, at, TaskCommand::ConfirmReceipt)
        .await;
    world
        .run(
            &unit_updater,
            sub.id,
            at,
            TaskCommand::DraftUpdate(progress(50)),
        )
        .await;
    assert!(!open(everything(), hanoi).await.contains(&sub.id));
    let with_units = world
        .store
        .tasks_with_open_update(&everything(), hanoi, true, 100)
        .await
        .unwrap();
    assert!(with_units.contains(&sub.id), "{with_units:?}");
    assert_eq!(open(everything(), unit).await, [sub.id]);
}

on_both_backends!(open_updates_follow_approval);
