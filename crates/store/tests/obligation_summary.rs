//! The obligation summaries against the statements that read every obligation, on both
//! backends. A seeded random walk of commands (receipts, returns and reassignment, progress and
//! completion reports, extension requests and extensions, update requests, edits of the lead
//! body, cancellations) runs over a few tasks; after every round the dashboard's obligation
//! counts, the breached filter and the list filters of the benchmark are compared with the
//! reference statements at several instants, and the integrity check must find nothing.

mod support;

use jiff::civil::{Date, date};
use jiff::{SignedDuration, Timestamp, ToSpan};
use sqlx::Connection;
use support::{World, completed, everything, local, progress, task_input};
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::Document;
use theodoi_domain::ids::{OrgId, TaskId};
use theodoi_domain::result::ResultState;
use theodoi_domain::task::event::{FeedbackKind, UrgeChannel};
use theodoi_domain::task::{
    FeedbackDecision, NewTaskInput, TaskCommand, TaskEditInput, TaskStatus,
};
use theodoi_domain::user::{Actor, Clearance, Role};
use theodoi_store::{
    Backend, ObligationFilter, PageRequest, Scope, TaskFilter, TaskSort, on_both_backends,
};

/// A small deterministic generator (xorshift64), so that a failing walk can be run again.
struct Walk(u64);

impl Walk {
    fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % u64::try_from(bound).unwrap()).unwrap()
    }
}

/// The bodies and accounts of the walk.
struct Cast {
    hanoi: OrgId,
    unit: OrgId,
    hai_phong: OrgId,
    government: OrgId,
    /// The Central Office, which assigns every task and owes the entry of drafts.
    office: OrgId,
    hai_phong_updater: Actor,
    hai_phong_approver: Actor,
}

/// Runs `command` and ignores a rejection: commands that do not apply to the task's state are
/// part of the walk.
async fn attempt(world: &World, actor: &Actor, id: TaskId, at: Timestamp, command: TaskCommand) {
    let _ = world.try_run(actor, id, None, at, command).await;
}

/// Drafts `input` as `updater` and approves it as `approver`, when the task accepts them.
async fn attempt_report(
    world: &World,
    updater: &Actor,
    approver: &Actor,
    id: TaskId,
    at: Timestamp,
    input: theodoi_domain::task::update::UpdateInput,
) {
    let Ok(drafted) = world
        .try_run(updater, id, None, at, TaskCommand::DraftUpdate(input))
        .await
    else {
        return;
    };
    if let Some(update) = drafted.task.updates.last() {
        attempt(
            world,
            approver,
            id,
            at,
            TaskCommand::ApproveUpdate { update: update.no },
        )
        .await;
    }
}

/// Runs one random command on `id` at `at`.
async fn step(world: &World, cast: &Cast, walk: &mut Walk, id: TaskId, at: Timestamp) {
    let day = theodoi_calendar::local_date(at);
    let later = |days: i32| -> Date { day.saturating_add(days.days()) };
    let updaters = [
        (&world.updater, &world.approver),
        (&cast.hai_phong_updater, &cast.hai_phong_approver),
    ];
    let (updater, approver) = updaters[walk.below(updaters.len())];
    let bodies = [cast.hanoi, cast.unit, cast.hai_phong, cast.government];
    match walk.below(12) {
        0 | 1 => attempt(world, updater, id, at, TaskCommand::ConfirmReceipt).await,
        2 => {
            let kind = FeedbackKind::OutsideAuthority;
            attempt(world, updater, id, at, TaskCommand::Return { kind }).await;
        }
        3 => {
            let to = bodies[walk.below(bodies.len())];
            let decision = FeedbackDecision::Reassign { to };
            attempt(
                world,
                &world.office,
                id,
                at,
                TaskCommand::HandleFeedback(decision),
            )
            .await;
        }
        4 => {
            let decision = FeedbackDecision::Reject;
            attempt(
                world,
                &world.office,
                id,
                at,
                TaskCommand::HandleFeedback(decision),
            )
            .await;
        }
        5 => attempt_report(world, updater, approver, id, at, progress(40)).await,
        6 => attempt_report(world, updater, approver, id, at, completed(day)).await,
        7 => {
            let proposed = later(20 + i32::try_from(walk.below(20)).unwrap());
            attempt(
                world,
                updater,
                id,
                at,
                TaskCommand::RequestExtension { proposed },
            )
            .await;
        }
        8 => {
            let to = later(5 + i32::try_from(walk.below(30)).unwrap());
            attempt(
                world,
                &world.office,
                id,
                at,
                TaskCommand::ExtendDeadline { to },
            )
            .await;
        }
        9 => {
            let due = later(1 + i32::try_from(walk.below(5)).unwrap());
            attempt(
                world,
                &world.monitor,
                id,
                at,
                TaskCommand::RequestUpdate { due },
            )
            .await;
            let channel = UrgeChannel::System;
            attempt(world, &world.monitor, id, at, TaskCommand::Urge { channel }).await;
        }
        10 => {
            let edit = TaskEditInput {
                lead_body: Some(bodies[walk.below(bodies.len())]),
                ..Default::default()
            };
            attempt(world, &world.office, id, at, TaskCommand::Edit(edit)).await;
        }
        _ => {
            let command = if walk.below(3) == 0 {
                TaskCommand::Cancel
            } else {
                TaskCommand::Transfer
            };
            attempt(world, &world.office, id, at, command).await;
        }
    }
}

/// Returns the readers compared: everyone, body readers of several subtrees, and lower clearances.
fn scopes(cast: &Cast) -> Vec<Scope> {
    vec![
        everything(),
        Scope::everything(Clearance::Normal),
        Scope::within(cast.hanoi, Clearance::Secret),
        Scope::within(cast.hanoi, Clearance::Normal),
        Scope::within(cast.unit, Clearance::Confidential),
        Scope::within(cast.hai_phong, Clearance::Secret),
        Scope::within(cast.government, Clearance::Secret),
        Scope::within(cast.office, Clearance::Secret),
    ]
}

/// Returns the list filters of the benchmark's list scenario, and the breached filter with a body.
fn list_filters(cast: &Cast) -> Vec<(TaskFilter, TaskSort)> {
    vec![
        (
            TaskFilter {
                result_states: vec![ResultState::InProgressOverdue],
                ..Default::default()
            },
            TaskSort::Deadline,
        ),
        (
            TaskFilter {
                result_states: vec![ResultState::NotStartedOverdue],
                ..Default::default()
            },
            TaskSort::Deadline,
        ),
        (
            TaskFilter {
                breached: true,
                ..Default::default()
            },
            TaskSort::Deadline,
        ),
        (
            TaskFilter {
                breached: true,
                lead_body: Some(cast.hanoi),
                include_subunits: true,
                ..Default::default()
            },
            TaskSort::Updated,
        ),
        (
            TaskFilter {
                breached: true,
                ..Default::default()
            },
            TaskSort::Newest,
        ),
        (
            TaskFilter {
                result_states: vec![ResultState::CompletedOnTime, ResultState::CompletedLate],
                ..Default::default()
            },
            TaskSort::Updated,
        ),
        (
            TaskFilter {
                statuses: vec![TaskStatus::AwaitingReceipt],
                ..Default::default()
            },
            TaskSort::Deadline,
        ),
        (TaskFilter::default(), TaskSort::Deadline),
    ]
}

/// Totals of the compared results, so the test can tell that it compared something.
#[derive(Default)]
struct Seen {
    overdue: i64,
    due_soon: i64,
    listed: usize,
}

/// Compares every fast result with its reference at instants around `at`.
async fn compare(world: &World, cast: &Cast, at: Timestamp, seen: &mut Seen) {
    let instants = [
        at.checked_sub(SignedDuration::from_hours(30)).unwrap(),
        at.checked_sub(SignedDuration::from_mins(17)).unwrap(),
        at,
        at.checked_add(SignedDuration::from_hours(49)).unwrap(),
        at.checked_add(SignedDuration::from_hours(24 * 40)).unwrap(),
    ];
    let windows = [
        SignedDuration::from_hours(72),
        SignedDuration::from_mins(90),
        SignedDuration::ZERO,
    ];
    for now in instants {
        for scope in scopes(cast) {
            let mut filters = vec![ObligationFilter::default()];
            for body in [cast.hanoi, cast.unit, cast.hai_phong] {
                for include_subunits in [true, false] {
                    filters.push(ObligationFilter {
                        responsible: Some(body),
                        include_subunits,
                        ..Default::default()
                    });
                }
            }
            if let theodoi_store::Visibility::Within(org) = scope.visibility {
                filters.push(ObligationFilter {
                    responsible: Some(org),
                    include_subunits: true,
                    ..Default::default()
                });
            }
            for filter in &filters {
                for within in windows {
                    let fast = world
                        .store
                        .count_open_obligations(&scope, filter, within, now)
                        .await
                        .expect("count open obligations");
                    let scanned = world
                        .store
                        .count_open_obligations_by_scan(&scope, filter, within, now)
                        .await
                        .expect("count by scan");
                    assert_eq!(fast, scanned, "{scope:?} {filter:?} {within} at {now}");
                    seen.overdue += fast.overdue;
                    seen.due_soon += fast.due_soon;
                }
            }
            for (filter, sort) in list_filters(cast) {
                seen.listed += compare_pages(world, &scope, &filter, sort, now).await;
            }
        }
    }
}

/// Pages through a list three rows at a time with both statements, compares every page and
/// returns the number of rows.
async fn compare_pages(
    world: &World,
    scope: &Scope,
    filter: &TaskFilter,
    sort: TaskSort,
    now: Timestamp,
) -> usize {
    let mut after = None;
    let mut listed = 0;
    for _ in 0..20 {
        let page = PageRequest {
            limit: Some(3),
            after: after.clone(),
        };
        let fast = world
            .store
            .list_tasks(scope, filter, sort, &page, now)
            .await
            .expect("list tasks");
        let scanned = world
            .store
            .list_tasks_by_scan(scope, filter, sort, &page, now)
            .await
            .expect("list tasks by scan");
        let ids =
            |rows: &[theodoi_store::TaskRow]| rows.iter().map(|row| row.id).collect::<Vec<_>>();
        assert_eq!(
            ids(&fast.items),
            ids(&scanned.items),
            "{scope:?} {filter:?} {sort:?} at {now}"
        );
        assert_eq!(fast.next_cursor, scanned.next_cursor);
        listed += fast.items.len();
        match fast.next_cursor {
            Some(cursor) => after = theodoi_store::Cursor::decode(&cursor),
            None => return listed,
        }
    }
    panic!("{filter:?} {sort:?}: more than 20 pages");
}

async fn summaries_match_scans(backend: Backend) {
    let mut world = World::new(backend).await;
    let unit = world
        .add_unit("HNI-BTG", "Ban Tuyên giáo Thành uỷ Hà Nội", "TU-HNI")
        .await;
    let hai_phong = world.org("TU-HPG");
    let cast = Cast {
        hanoi: world.org("TU-HNI"),
        unit,
        hai_phong,
        government: world.org("DUCP"),
        office: world.org("VPTW"),
        hai_phong_updater: world
            .add_user(
                "hpg.capnhat",
                hai_phong,
                &[Role::Updater],
                Clearance::Secret,
            )
            .await,
        hai_phong_approver: world
            .add_user(
                "hpg.pheduyet",
                hai_phong,
                &[Role::Approver],
                Clearance::Secret,
            )
            .await,
    };
    let issued = date(2026, 3, 2);
    let documents: Vec<Document> = vec![
        world
            .register(
                "directive",
                "45-CT/TW",
                "Chỉ thị về công tác xây dựng Đảng",
                issued,
                Confidentiality::Normal,
            )
            .await,
        world
            .register(
                "conclusion",
                "12-KL/TW",
                "Kết luận về bảo vệ chính trị nội bộ",
                issued,
                Confidentiality::Confidential,
            )
            .await,
        world
            .register(
                "conclusion",
                "13-KL/TW",
                "Kết luận về quốc phòng",
                issued,
                Confidentiality::Secret,
            )
            .await,
    ];

    let leads = [
        cast.hanoi,
        cast.hai_phong,
        cast.unit,
        cast.hanoi,
        cast.government,
    ];
    let mut at = local(2026, 3, 3, 9, 0);
    let mut tasks = Vec::new();
    for index in 0..15_usize {
        let offset = i32::try_from(index).unwrap();
        let deadline =
            (index % 5 != 4).then(|| date(2026, 3, 20).saturating_add((offset * 4).days()));
        let document = &documents[index % documents.len()];
        let lead = leads[index % leads.len()];
        let mut input = NewTaskInput {
            coordinating_bodies: match (index % 3, lead == cast.hai_phong) {
                (0, false) => vec![cast.hai_phong],
                (0, true) => vec![cast.unit],
                _ => Vec::new(),
            },
            ..task_input("Tổ chức quán triệt nghị quyết", lead, deadline)
        };
        // Classified tasks keep no content in the clear.
        if document.content.confidentiality != Confidentiality::Normal {
            input.content = None;
        }
        let task = world.create_task(document, &input, at).await;
        // Every seventh task stays a draft: only its assigning side sees it.
        if index % 7 != 6 {
            world.transfer(task.id, at).await;
        }
        tasks.push(task.id);
    }

    // A draft outside the walk: the Central Office owes its entry, which readers of the office
    // see through the assigning side, so those counts are among the visible ones.
    let draft = task_input(
        "Xây dựng kế hoạch thực hiện",
        cast.hanoi,
        Some(date(2026, 3, 30)),
    );
    world.create_task(&documents[0], &draft, at).await;

    let mut walk = Walk(0x9e37_79b9_7f4a_7c15);
    let mut seen = Seen::default();
    compare(&world, &cast, at, &mut seen).await;
    for _round in 0..6 {
        for _ in 0..25 {
            let hours = 1 + i64::try_from(walk.below(20)).unwrap();
            at = at.checked_add(SignedDuration::from_hours(hours)).unwrap();
            let id = tasks[walk.below(tasks.len())];
            step(&world, &cast, &mut walk, id, at).await;
        }
        compare(&world, &cast, at, &mut seen).await;
    }
    assert!(seen.overdue > 0, "some obligations were overdue");
    assert!(seen.due_soon > 0, "some obligations were due soon");
    assert!(seen.listed > 0, "the lists held rows");

    // The drafts' entries are counted with the obligations every reader of the office sees.
    theodoi_store::install_drivers();
    let mut connection = sqlx::AnyConnection::connect(world.database_url())
        .await
        .expect("connect");
    let office_visible: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM open_obligation_counts WHERE visible = 1 AND responsible = $1",
    )
    .bind(cast.office.0)
    .fetch_one(&mut connection)
    .await
    .expect("count the office's rows");
    assert!(office_visible > 0, "the drafts' entries are visible counts");
    let hidden: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM open_obligation_counts WHERE visible = 0")
            .fetch_one(&mut connection)
            .await
            .expect("count hidden rows");
    assert_eq!(hidden, 0, "no body owes on a task it does not see");

    let report = world
        .store
        .check_integrity()
        .await
        .expect("integrity check");
    assert!(report.is_clean(), "{:?}", report.findings);
}

/// Checks that the migration corrects a database that counted the drafts' entries as hidden,
/// as older releases did.
async fn draft_entries_migrate_to_visible(backend: Backend) {
    let world = World::new(backend).await;
    let document = world
        .register(
            "directive",
            "46-CT/TW",
            "Chỉ thị về công tác dân vận",
            date(2026, 3, 2),
            Confidentiality::Normal,
        )
        .await;
    let input = task_input(
        "Soạn kế hoạch",
        world.org("TU-HNI"),
        Some(date(2026, 4, 30)),
    );
    world
        .create_task(&document, &input, local(2026, 3, 3, 9, 0))
        .await;

    theodoi_store::install_drivers();
    let mut connection = sqlx::AnyConnection::connect(world.database_url())
        .await
        .expect("connect");
    let office = world.org("VPTW");
    let moved = sqlx::query(
        "UPDATE open_obligation_counts SET visible = 0 WHERE responsible = $1 AND visible = 1",
    )
    .bind(office.0)
    .execute(&mut connection)
    .await
    .expect("count the entry as hidden");
    assert!(moved.rows_affected() > 0, "the draft's entry is counted");
    let report = world.store.check_integrity().await.expect("check");
    assert!(
        !report.is_clean(),
        "the hidden count differs from the recount"
    );

    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 200")
        .execute(&mut connection)
        .await
        .expect("forget the migration");
    let reopened = theodoi_store::Store::open(world.database_url())
        .await
        .expect("migrate again");
    let report = reopened.check_integrity().await.expect("check");
    assert!(report.is_clean(), "{:?}", report.findings);
}

on_both_backends!(summaries_match_scans, draft_entries_migrate_to_visible);
