//! Reads of many tasks at once, which the inbox uses instead of one read per task: each
//! gives what the read of one task gives, keeps to the reader's scope and leaves out ids
//! that name no task. The histories of a confidential task come back opened, as in a single read.

mod support;

use jiff::civil::date;
use support::{World, completed, everything, local, task_input};
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::ids::TaskId;
use theodoi_domain::task::TaskCommand;
use theodoi_domain::user::Clearance;
use theodoi_store::{Backend, Scope, on_both_backends};

async fn batches_match_single_reads(backend: Backend) {
    let world = World::new(backend).await;
    let hanoi = world.org("TU-HNI");
    let document = world
        .resolution("57-NQ/TW", "Nghị quyết về chuyển đổi số", date(2026, 3, 2))
        .await;
    let start = local(2026, 3, 2, 9, 0);
    let hanoi_task = world
        .create_transferred(
            &document,
            &task_input("Xây dựng đề án", hanoi, Some(date(2026, 6, 30))),
            start,
        )
        .await;
    let haiphong_task = world
        .create_transferred(
            &document,
            &task_input("Sơ kết", world.org("TU-HPG"), Some(date(2026, 6, 30))),
            start,
        )
        .await;
    // A confidential task with a longer history, whose payloads are sealed in storage.
    let confidential = world
        .register(
            "resolution",
            "58-NQ/TW",
            "Nghị quyết mật",
            date(2026, 3, 2),
            Confidentiality::Confidential,
        )
        .await;
    let mut confidential_input = task_input("", hanoi, Some(date(2026, 6, 30)));
    confidential_input.content = None;
    let confidential_task = world
        .create_transferred(&confidential, &confidential_input, start)
        .await;
    world
        .run(
            &world.updater,
            confidential_task.id,
            local(2026, 3, 2, 11, 0),
            TaskCommand::ConfirmReceipt,
        )
        .await;
    world
        .report(
            &world.updater,
            &world.approver,
            confidential_task.id,
            local(2026, 3, 2, 15, 0),
            completed(date(2026, 3, 2)),
        )
        .await;
    let ids = [
        confidential_task.id,
        hanoi_task.id,
        TaskId(999_999),
        haiphong_task.id,
    ];
    let now = local(2026, 3, 3, 9, 0);

    let rows = world
        .store
        .task_rows(&everything(), &ids, now)
        .await
        .expect("rows");
    assert_eq!(rows.len(), 3, "the unknown id is left out");
    for id in [confidential_task.id, hanoi_task.id, haiphong_task.id] {
        let single = world.store.task_row(&everything(), id, now).await.unwrap();
        assert_eq!(rows.get(&id), single.as_ref());
    }
    let hanoi_reader = Scope::within(hanoi, Clearance::Secret);
    let rows = world
        .store
        .task_rows(&hanoi_reader, &ids, now)
        .await
        .expect("rows");
    assert_eq!(
        rows.keys()
            .copied()
            .collect::<std::collections::BTreeSet<_>>(),
        [hanoi_task.id, confidential_task.id].into(),
        "only the tasks the reader sees"
    );

    let histories = world.store.tasks(&ids).await.expect("histories");
    assert_eq!(histories.len(), 3, "the unknown id is left out");
    assert!(histories[&confidential_task.id].events.len() > 3);
    for id in [confidential_task.id, hanoi_task.id, haiphong_task.id] {
        let single = world.store.task(id).await.unwrap().expect("history");
        let batch = &histories[&id];
        assert_eq!(batch.task, single.task);
        assert_eq!(batch.events, single.events);
    }
}

on_both_backends!(batches_match_single_reads);
