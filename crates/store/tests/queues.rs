//! The Central Office's work queues on both backends: documents awaiting entry by entry due
//! time, their entry progress, and returned tasks by handling due time, each paged and
//! limited to what the reader may see.

mod support;

use jiff::civil::date;
use support::{World, everything, local, task_input};
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::ids::{DocumentId, TaskId};
use theodoi_domain::task::event::FeedbackKind;
use theodoi_domain::task::{FeedbackDecision, TaskCommand};
use theodoi_domain::user::Clearance;
use theodoi_store::queues::{EntryProgress, EntryQueueItem, FeedbackQueueItem};
use theodoi_store::{Backend, Cursor, PageRequest, Scope, on_both_backends};

/// Reads the whole entry queue, `limit` documents a page.
async fn entry_queue(world: &World, scope: &Scope, limit: u32) -> Vec<EntryQueueItem> {
    let mut items = Vec::new();
    let mut request = PageRequest {
        limit: Some(limit),
        after: None,
    };
    for _ in 0..100 {
        let page = world
            .store
            .entry_queue(scope, &request)
            .await
            .expect("entry queue");
        items.extend(page.items);
        match page.next_cursor {
            Some(cursor) => request.after = Some(Cursor::decode(&cursor).expect("our cursor")),
            None => return items,
        }
    }
    panic!("the entry queue did not end after 100 pages");
}

/// Reads the whole feedback queue, `limit` tasks a page.
async fn feedback_queue(world: &World, scope: &Scope, limit: u32) -> Vec<FeedbackQueueItem> {
    let mut items = Vec::new();
    let mut request = PageRequest {
        limit: Some(limit),
        after: None,
    };
    for _ in 0..100 {
        let page = world
            .store
            .feedback_queue(scope, &request)
            .await
            .expect("feedback queue");
        items.extend(page.items);
        match page.next_cursor {
            Some(cursor) => request.after = Some(Cursor::decode(&cursor).expect("our cursor")),
            None => return items,
        }
    }
    panic!("the feedback queue did not end after 100 pages");
}

fn ids(items: &[EntryQueueItem]) -> Vec<DocumentId> {
    items.iter().map(|item| item.document.id).collect()
}

fn task_ids(items: &[FeedbackQueueItem]) -> Vec<TaskId> {
    items.iter().map(|item| item.task_id).collect()
}

async fn queues_entry(backend: Backend) {
    let world = World::new(backend).await;
    let hanoi = world.org("TU-HNI");
    let empty = world
        .resolution(
            "1-NQ/TW",
            "Nghị quyết chưa nhập nhiệm vụ",
            date(2026, 2, 27),
        )
        .await;
    let partial = world
        .resolution("2-NQ/TW", "Nghị quyết nhập dở", date(2026, 3, 2))
        .await;
    let done = world
        .resolution("3-NQ/TW", "Nghị quyết đã chuyển giao", date(2026, 2, 26))
        .await;
    let secret = world
        .register(
            "resolution",
            "4-NQ/TW",
            "Nghị quyết mật",
            date(2026, 3, 3),
            Confidentiality::Confidential,
        )
        .await;

    let transferred_at = local(2026, 3, 3, 10, 0);
    world
        .create_transferred(
            &partial,
            &task_input("Nhiệm vụ đã chuyển giao", hanoi, Some(date(2026, 6, 30))),
            transferred_at,
        )
        .await;
    let draft = world
        .create_task(
            &partial,
            &task_input("Nhiệm vụ chưa chuyển giao", hanoi, None),
            transferred_at,
        )
        .await;
    let done_at = local(2026, 3, 2, 9, 0);
    world
        .create_transferred(
            &done,
            &task_input("Nhiệm vụ duy nhất", hanoi, Some(date(2026, 5, 29))),
            done_at,
        )
        .await;

    let queue = entry_queue(&world, &everything(), 1).await;
    assert_eq!(
        ids(&queue),
        [empty.id, partial.id, secret.id],
        "earliest entry due time first, one page at a time"
    );
    assert!(queue[0].document.entry_due < queue[1].document.entry_due);
    assert_eq!(queue[0].transferred_count, 0);
    assert_eq!(queue[1].transferred_count, 1);
    assert_eq!(queue[1].document.task_count, 2);
    assert_eq!(
        ids(&entry_queue(&world, &everything(), 50).await),
        ids(&queue)
    );

    let uncleared = Scope::everything(Clearance::Normal);
    assert_eq!(
        ids(&entry_queue(&world, &uncleared, 50).await),
        [empty.id, partial.id],
        "a reader without clearance does not see the classified document"
    );
    let hanoi_reader = Scope::within(hanoi, Clearance::Secret);
    assert_eq!(
        ids(&entry_queue(&world, &hanoi_reader, 50).await),
        [partial.id],
        "a body sees only documents with a task it may see"
    );

    let progress = world.store.entry_progress(partial.id).await.unwrap();
    assert_eq!(
        progress,
        EntryProgress {
            task_count: 2,
            transferred_count: 1,
            last_transferred_at: Some(transferred_at),
        }
    );
    assert!(!progress.is_complete());
    let finished = world.store.entry_progress(done.id).await.unwrap();
    assert!(finished.is_complete());
    assert_eq!(finished.last_transferred_at, Some(done_at));
    let nothing = world.store.entry_progress(empty.id).await.unwrap();
    assert_eq!(nothing.task_count, 0);
    assert!(
        !nothing.is_complete(),
        "a document without tasks is not entered"
    );

    world
        .run(
            &world.office,
            draft.id,
            local(2026, 3, 3, 11, 0),
            TaskCommand::Cancel,
        )
        .await;
    let progress = world.store.entry_progress(partial.id).await.unwrap();
    assert!(progress.is_complete(), "a cancelled task is not owed");
    assert_eq!(
        ids(&entry_queue(&world, &everything(), 50).await),
        [empty.id, secret.id]
    );
}

async fn queues_feedback(backend: Backend) {
    let world = World::new(backend).await;
    let hanoi = world.org("TU-HNI");
    let document = world
        .resolution("15-NQ/TW", "Nghị quyết có phản hồi", date(2026, 3, 2))
        .await;
    let transferred_at = local(2026, 3, 4, 9, 0);
    let first = world
        .create_transferred(
            &document,
            &task_input("Nhiệm vụ thứ nhất", hanoi, Some(date(2026, 6, 30))),
            transferred_at,
        )
        .await;
    let second = world
        .create_transferred(
            &document,
            &task_input("Nhiệm vụ thứ hai", hanoi, Some(date(2026, 6, 30))),
            transferred_at,
        )
        .await;
    let untouched = world
        .create_transferred(
            &document,
            &task_input("Nhiệm vụ không phản hồi", hanoi, None),
            transferred_at,
        )
        .await;
    assert!(
        feedback_queue(&world, &everything(), 50).await.is_empty(),
        "nothing returned yet"
    );

    let second_returned = local(2026, 3, 4, 10, 0);
    world
        .run(
            &world.updater,
            second.id,
            second_returned,
            TaskCommand::Return {
                kind: FeedbackKind::OutsideAuthority,
            },
        )
        .await;
    world
        .run(
            &world.updater,
            first.id,
            local(2026, 3, 5, 10, 0),
            TaskCommand::Return {
                kind: FeedbackKind::WrongContent,
            },
        )
        .await;

    let queue = feedback_queue(&world, &everything(), 1).await;
    assert_eq!(
        task_ids(&queue),
        [second.id, first.id],
        "earliest handling due time first, not task order"
    );
    assert_eq!(queue[0].returned_at, second_returned);
    assert_eq!(queue[0].handling_due, local(2026, 3, 5, 17, 0));
    assert_eq!(queue[1].handling_due, local(2026, 3, 6, 17, 0));
    assert_eq!(queue[0].document_id, document.id);
    assert_eq!(queue[0].document_symbol, "15-NQ/TW");
    assert!(!task_ids(&queue).contains(&untouched.id));

    let hanoi_reader = Scope::within(hanoi, Clearance::Normal);
    assert_eq!(
        task_ids(&feedback_queue(&world, &hanoi_reader, 50).await),
        [second.id, first.id],
        "the returning body sees its own returns"
    );
    let haiphong = Scope::within(world.org("TU-HPG"), Clearance::Secret);
    assert!(
        feedback_queue(&world, &haiphong, 50).await.is_empty(),
        "another province sees nothing"
    );

    world
        .run(
            &world.office,
            second.id,
            local(2026, 3, 5, 9, 0),
            TaskCommand::HandleFeedback(FeedbackDecision::Reject),
        )
        .await;
    assert_eq!(
        task_ids(&feedback_queue(&world, &everything(), 50).await),
        [first.id],
        "handled feedback leaves the queue"
    );
}

on_both_backends!(queues_entry, queues_feedback);
