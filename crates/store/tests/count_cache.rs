//! Counts by result state for filters that the count tables cannot serve (free text,
//! breached obligations) are read by scanning and then reused. Each reading here is compared
//! with a fresh scan, after task and document writes, as obligations fall due, and with the
//! clock set back.

mod support;

use jiff::civil::date;
use jiff::{SignedDuration, Timestamp};
use support::{World, everything, local, task_input};
use theodoi_store::{Backend, TaskFilter, on_both_backends};

/// Counts `filter` at `now` through the cached path, checks them against a fresh scan and
/// returns the total.
async fn counted(world: &World, filter: &TaskFilter, now: Timestamp) -> i64 {
    let scope = everything();
    let counts = world
        .store
        .count_by_state(&scope, filter, now)
        .await
        .expect("counts");
    let scanned = world
        .store
        .count_by_state_by_scan(&scope, filter, now)
        .await
        .expect("scan");
    assert_eq!(counts, scanned, "{filter:?} at {now}");
    counts.total
}

async fn scanned_counts_follow_changes(backend: Backend) {
    let world = World::new(backend).await;
    let hanoi = world.org("TU-HNI");
    let document = world
        .resolution("57-NQ/TW", "Nghị quyết về chuyển đổi số", date(2026, 3, 2))
        .await;
    let start = local(2026, 3, 2, 9, 0);
    let plan = task_input("Xây dựng đề án", hanoi, Some(date(2026, 6, 30)));
    world.create_transferred(&document, &plan, start).await;
    let now = local(2026, 3, 2, 10, 0);

    let words = |text: &str| TaskFilter {
        text: Some(text.into()),
        ..Default::default()
    };
    assert_eq!(counted(&world, &words("de an"), now).await, 1);
    assert_eq!(counted(&world, &words("de an"), now).await, 1, "read again");

    let second = task_input("Hoàn thiện đề án", hanoi, Some(date(2026, 6, 30)));
    world.create_transferred(&document, &second, start).await;
    assert_eq!(counted(&world, &words("de an"), now).await, 2, "a new task");

    // The document's title is part of its tasks' search words.
    assert_eq!(counted(&world, &words("tong ket"), now).await, 0);
    let current = world.store.document(document.id).await.unwrap().unwrap();
    world
        .store
        .correct_document(
            document.id,
            Some(current.version),
            |current| {
                let mut content = current.content.clone();
                content.title = "Nghị quyết về tổng kết chuyển đổi số".into();
                Ok((content, current.entry_due, current.calendar_version.clone()))
            },
            &world.office,
            now,
            Some("Sửa trích yếu"),
        )
        .await
        .expect("correct the title");
    assert_eq!(
        counted(&world, &words("tong ket"), now).await,
        2,
        "a new title"
    );

    // Receipt falls due within days of the transfer and is never confirmed here.
    let breached = TaskFilter {
        breached: true,
        ..Default::default()
    };
    assert_eq!(counted(&world, &breached, now).await, 0);
    assert_eq!(counted(&world, &breached, now).await, 0, "read again");
    // Half-hour steps until the receipt falls due, each reading compared with the scan.
    let step = SignedDuration::from_mins(30);
    let mut at = now;
    while counted(&world, &breached, at).await == 0 {
        at += step;
        assert!(at < local(2026, 4, 1, 0, 0), "the receipt never fell due");
    }
    assert_eq!(counted(&world, &breached, at).await, 2, "receipt overdue");

    // With the clock set back before the due time on the same day, the counts are read again.
    let before = at - step;
    assert_eq!(
        theodoi_calendar::local_date(before),
        theodoi_calendar::local_date(at)
    );
    assert_eq!(
        counted(&world, &breached, before).await,
        0,
        "clock set back"
    );
}

on_both_backends!(scanned_counts_follow_changes);
