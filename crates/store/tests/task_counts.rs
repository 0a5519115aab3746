//! The task counts that the write path keeps, on both backends. The test runs many random
//! commands, and after each batch it compares every count read from the count tables with a
//! recount of the task rows. It reads on days before and after the deadlines and across
//! month ends, with the pivot date behind, on and ahead of the reader's day.

mod support;

use jiff::Timestamp;
use jiff::ToSpan;
use jiff::civil::{Date, date};
use std::collections::{BTreeMap, BTreeSet};
use support::{World, completed, done_not_completed, local, progress, task_input};
use theodoi_calendar::at_local;
use theodoi_domain::catalogue::ClassificationInput;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::Document;
use theodoi_domain::ids::{OrgId, TaskId};
use theodoi_domain::result::ResultState;
use theodoi_domain::task::{NewTaskInput, SubtaskInput, TaskCommand, TaskEditInput, TaskStatus};
use theodoi_domain::user::{Actor, Clearance, Role};
use theodoi_store::testing::set_task_counts_pivot;
use theodoi_store::{
    Backend, Cursor, MonthTrend, PageRequest, Scope, StateCounts, TaskFilter, TaskRow, TaskSort,
    TaskTally, UpcomingDeadlines, on_both_backends,
};

/// A small deterministic generator (SplitMix64), so that a failing sequence repeats.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A lead body and the focal officers who report for it.
struct Body {
    id: OrgId,
    updater: Actor,
    approver: Actor,
}

struct Fixture {
    world: World,
    /// Thành uỷ Hà Nội, its unit and Thành uỷ Hải Phòng.
    bodies: Vec<Body>,
    normal: Document,
    classified: Document,
    tasks: Vec<TaskId>,
    /// Tasks led by Thành uỷ Hà Nội with their receipt confirmed, which it may delegate to
    /// its unit.
    delegable: Vec<TaskId>,
}

/// How many commands of each kind committed, so that the test fails when the random
/// commands stop exercising a path.
#[derive(Debug, Default)]
struct Committed(BTreeMap<&'static str, usize>);

impl Fixture {
    async fn new(backend: Backend) -> Fixture {
        let mut world = World::new(backend).await;
        let unit = world
            .add_unit("HNI-BTG", "Ban Tuyên giáo Thành uỷ Hà Nội", "TU-HNI")
            .await;
        let hai_phong = world.org("TU-HPG");
        let mut bodies = vec![Body {
            id: world.org("TU-HNI"),
            updater: world.updater.clone(),
            approver: world.approver.clone(),
        }];
        for (code, id) in [("hni-btg", unit), ("hpg", hai_phong)] {
            let updater = world
                .add_user(
                    &format!("{code}.capnhat"),
                    id,
                    &[Role::Updater],
                    Clearance::Secret,
                )
                .await;
            let approver = world
                .add_user(
                    &format!("{code}.pheduyet"),
                    id,
                    &[Role::Approver],
                    Clearance::Secret,
                )
                .await;
            bodies.push(Body {
                id,
                updater,
                approver,
            });
        }
        let normal = world
            .resolution(
                "05-NQ/TW",
                "Nghị quyết về chuyển đổi số trong các cơ quan đảng",
                date(2025, 10, 1),
            )
            .await;
        let classified = world
            .register(
                "conclusion",
                "06-KL/TW",
                "Kết luận về bảo vệ chính trị nội bộ",
                date(2025, 10, 1),
                Confidentiality::Confidential,
            )
            .await;
        Fixture {
            world,
            bodies,
            normal,
            classified,
            tasks: Vec::new(),
            delegable: Vec::new(),
        }
    }

    fn body_of(&self, id: OrgId) -> &Body {
        self.bodies
            .iter()
            .find(|body| body.id == id)
            .unwrap_or(&self.bodies[0])
    }

    /// Runs one random command at `at`; returns its name when it committed.
    async fn random_command(&mut self, random: &mut Random, at: Timestamp) -> Option<&'static str> {
        let today = theodoi_calendar::local_date(at);
        let deadline = |random: &mut Random| {
            let offset = i64::try_from(random.below(120)).unwrap_or(0) - 40;
            today.saturating_add(offset.days())
        };
        let choice = if self.tasks.is_empty() {
            0
        } else {
            random.below(12)
        };
        if choice <= 1 {
            let deadline = deadline(random);
            return self.create(random, at, deadline).await;
        }
        let task = *random.pick(&self.tasks);
        let row = self.row(task, at).await;
        let lead = self.body_of(row.lead_body);
        let world = &self.world;
        let (actor, command, name) = match choice {
            2 => (
                &lead.updater,
                TaskCommand::ConfirmReceipt,
                "confirm_receipt",
            ),
            3 | 4 => {
                let update = match random.below(4) {
                    0 => completed(
                        today.saturating_sub(i64::try_from(random.below(5)).unwrap_or(0).days()),
                    ),
                    1 => done_not_completed(today),
                    _ => progress(i64::try_from(random.below(90)).unwrap_or(0) + 5),
                };
                let name = match random.below(4) {
                    0 => "draft_update",
                    _ => "report",
                };
                let result = world
                    .try_run(
                        &lead.updater,
                        task,
                        None,
                        at,
                        TaskCommand::DraftUpdate(update),
                    )
                    .await;
                let Ok(drafted) = result else { return None };
                if name == "draft_update" {
                    return Some(name);
                }
                let update = drafted.task.updates.last()?.no;
                return world
                    .try_run(
                        &lead.approver,
                        task,
                        None,
                        at,
                        TaskCommand::ApproveUpdate { update },
                    )
                    .await
                    .ok()
                    .map(|_| "approve_update");
            }
            5 => (
                &world.office,
                TaskCommand::ExtendDeadline {
                    to: row.deadline.unwrap_or(today).saturating_add(20.days()),
                },
                "extend_deadline",
            ),
            6 => {
                let to = random.pick(&self.bodies).id;
                if row.status == "draft" {
                    let edit = TaskEditInput {
                        lead_body: Some(to),
                        ..Default::default()
                    };
                    (&world.office, TaskCommand::Edit(edit), "reassign")
                } else {
                    // After the transfer the lead body returns the task and the office
                    // reassigns it.
                    let kind = theodoi_domain::task::event::FeedbackKind::OutsideAuthority;
                    world
                        .try_run(&lead.updater, task, None, at, TaskCommand::Return { kind })
                        .await
                        .ok()?;
                    let decision = theodoi_domain::task::FeedbackDecision::Reassign { to };
                    (
                        &world.office,
                        TaskCommand::HandleFeedback(decision),
                        "reassign",
                    )
                }
            }
            7 => {
                let edit = TaskEditInput {
                    classification: Some(ClassificationInput {
                        priority: Some((*random.pick(&["key", "regular", "urgent"])).into()),
                        executing_unit: Some(
                            (*random.pick(&["provincial_committee", "other"])).into(),
                        ),
                        ..Default::default()
                    }),
                    ..Default::default()
                };
                (&world.office, TaskCommand::Edit(edit), "reclassify")
            }
            8 => {
                // NOTE: no `remove_deadline` here. The `edited` event stores the removal as
                // `"deadline": null`, which deserialises as "unchanged", so a replay keeps the
                // old deadline and the integrity check reports the row.
                let edit = TaskEditInput {
                    deadline: Some(deadline(random).to_string()),
                    ..Default::default()
                };
                (&world.office, TaskCommand::Edit(edit), "change_deadline")
            }
            9 => {
                if random.below(3) != 0 {
                    return None;
                }
                (&world.office, TaskCommand::Cancel, "cancel")
            }
            10 => {
                if self.delegable.is_empty() {
                    return None;
                }
                let task = *random.pick(&self.delegable);
                let lead = &self.bodies[0];
                let input = SubtaskInput {
                    lead_body: Some(self.bodies[1].id),
                    content: Some(format!("Phần việc của nhiệm vụ {task}")),
                    ..Default::default()
                };
                let subtask = world
                    .try_delegate(&lead.updater, task, at, &input, None)
                    .await
                    .ok()?;
                self.tasks.push(subtask.value.0.task.id);
                return Some("delegate");
            }
            _ => (&world.office, TaskCommand::Transfer, "transfer"),
        };
        world
            .try_run(actor, task, None, at, command)
            .await
            .ok()
            .map(|_| name)
    }

    async fn create(
        &mut self,
        random: &mut Random,
        at: Timestamp,
        deadline: Date,
    ) -> Option<&'static str> {
        let lead = random.pick(&self.bodies).id;
        let classified = random.below(5) == 0;
        let deadline = (random.below(6) != 0).then_some(deadline);
        let input = NewTaskInput {
            classification: ClassificationInput {
                priority: Some((*random.pick(&["key", "regular", "urgent"])).into()),
                ..Default::default()
            },
            content: (!classified).then(|| format!("Nhiệm vụ {}", self.tasks.len() + 1)),
            ..task_input("", lead, deadline)
        };
        let document = if classified {
            &self.classified
        } else {
            &self.normal
        };
        let task = self.world.create_task(document, &input, at).await;
        self.tasks.push(task.id);
        if random.below(5) == 0 {
            return Some("create_draft");
        }
        self.world
            .try_run(&self.world.office, task.id, None, at, TaskCommand::Transfer)
            .await
            .ok()?;
        if random.below(4) != 0 {
            let updater = &self.body_of(lead).updater;
            self.world
                .try_run(updater, task.id, None, at, TaskCommand::ConfirmReceipt)
                .await
                .ok()?;
            if lead == self.bodies[0].id {
                self.delegable.push(task.id);
            }
        }
        Some("create")
    }

    async fn row(&self, id: TaskId, at: Timestamp) -> TaskRow {
        self.world
            .store
            .task_row(&support::everything(), id, at)
            .await
            .expect("task row")
            .expect("the task exists")
    }
}

/// The counts recounted from every task row the reader may see.
struct Recount {
    tally: BTreeMap<(OrgId, String, String, Option<ResultState>), i64>,
    upcoming: UpcomingDeadlines,
    trend: Vec<MonthTrend>,
}

fn recount(rows: &[TaskRow], scope: &Scope, today: Date, months: u8) -> Recount {
    let visible: Vec<&TaskRow> = rows
        .iter()
        .filter(|row| {
            let level = Confidentiality::parse(&row.confidentiality).expect("level");
            scope.clearance.covers(level)
        })
        .collect();
    let mut tally = BTreeMap::new();
    for row in &visible {
        let key = (
            row.lead_body,
            row.executing_unit.clone(),
            row.priority.clone(),
            row.result_state,
        );
        *tally.entry(key).or_default() += 1;
    }

    let open = |state: Option<ResultState>| {
        matches!(
            state,
            Some(
                ResultState::InProgressOnTime
                    | ResultState::InProgressOverdue
                    | ResultState::NotStartedOnTime
                    | ResultState::NotStartedOverdue
            )
        )
    };
    let mut upcoming = UpcomingDeadlines::default();
    for row in &visible {
        if let (Some(deadline), true) = (row.deadline, open(row.result_state))
            && deadline >= today
            && deadline <= today.saturating_add(30.days())
        {
            upcoming.far += 1;
            if deadline <= today.saturating_add(7.days()) {
                upcoming.near += 1;
            }
        }
    }

    let first = today
        .first_of_month()
        .saturating_sub(i64::from(months - 1).months());
    let mut trend: Vec<MonthTrend> = (0..i64::from(months))
        .map(|offset| MonthTrend {
            month: first.saturating_add(offset.months()),
            completed_on_time: 0,
            completed_late: 0,
            became_overdue: 0,
        })
        .collect();
    let months: Vec<Date> = trend.iter().map(|entry| entry.month).collect();
    let index = |day: Date| {
        months
            .iter()
            .position(|month| *month == day.first_of_month())
    };
    for row in &visible {
        if let Some(day) = row
            .completed_on
            .filter(|day| *day >= first && *day <= today)
            && let Some(at) = index(day)
        {
            match row.result_state {
                Some(ResultState::CompletedOnTime) => trend[at].completed_on_time += 1,
                Some(ResultState::CompletedLate) => trend[at].completed_late += 1,
                _ => {}
            }
        }
        let missed = matches!(
            row.result_state,
            Some(
                ResultState::CompletedLate
                    | ResultState::DoneNotCompleted
                    | ResultState::InProgressOverdue
                    | ResultState::NotStartedOverdue
            )
        );
        if let Some(deadline) = row.deadline.filter(|day| *day < today && missed) {
            let overdue_from = deadline.tomorrow().expect("a later day");
            if overdue_from >= first
                && let Some(at) = index(overdue_from)
            {
                trend[at].became_overdue += 1;
            }
        }
    }
    Recount {
        tally,
        upcoming,
        trend,
    }
}

fn tally_map(tally: &TaskTally) -> BTreeMap<(OrgId, String, String, Option<ResultState>), i64> {
    tally
        .cells
        .iter()
        .map(|cell| {
            (
                (
                    cell.lead_body,
                    cell.executing_unit.clone(),
                    cell.priority.clone(),
                    cell.result_state,
                ),
                cell.count,
            )
        })
        .collect()
}

/// Compares the tasks each body's readers list with the rule the viewer table stores: a body
/// sees a task that it or a body below it leads, monitors, assigns or coordinates, and a draft
/// only on the assigning side.
async fn compare_visibility(fixture: &Fixture, label: &str) {
    let store = &fixture.world.store;
    let now = local(2026, 6, 1, 9, 0);
    let mut tasks = Vec::new();
    for id in &fixture.tasks {
        let history = store.task(*id).await.expect("task").expect("stored");
        tasks.push(history.task);
    }
    let readers: Vec<OrgId> = fixture
        .bodies
        .iter()
        .map(|body| body.id)
        .chain([fixture.world.org("VPTW")])
        .collect();
    for reader in readers {
        let subtree = store.subtree(reader).await.expect("subtree");
        let inside = |body: &OrgId| subtree.contains(body);
        let expected: BTreeSet<TaskId> = tasks
            .iter()
            .filter(|task| {
                if task.status == TaskStatus::Draft {
                    return inside(&task.assigning_body);
                }
                [task.lead_body, task.monitoring_body, task.assigning_body]
                    .iter()
                    .chain(&task.coordinating_bodies)
                    .any(inside)
            })
            .map(|task| task.id)
            .collect();

        let scope = Scope::within(reader, Clearance::Secret);
        let mut listed = BTreeSet::new();
        let mut request = PageRequest {
            limit: Some(100),
            after: None,
        };
        loop {
            let page = store
                .list_tasks(
                    &scope,
                    &TaskFilter::default(),
                    TaskSort::Deadline,
                    &request,
                    now,
                )
                .await
                .expect("list");
            listed.extend(page.items.iter().map(|row| row.id));
            match page.next_cursor {
                Some(cursor) => request.after = Some(Cursor::decode(&cursor).expect("cursor")),
                None => break,
            }
        }
        assert_eq!(listed, expected, "{label}: tasks body {reader:?} sees");
        let counts = store
            .count_by_state(&scope, &TaskFilter::default(), now)
            .await
            .expect("counts");
        assert_eq!(
            sum(&counts),
            i64::try_from(expected.len()).expect("count"),
            "{label}: tasks body {reader:?} counts"
        );
    }
}

/// Compares every count read from the count tables with the recount, for `now`.
async fn compare(fixture: &Fixture, now: Timestamp, label: &str) {
    let store = &fixture.world.store;
    let today = theodoi_calendar::local_date(now);
    for clearance in [Clearance::Secret, Clearance::Normal] {
        let scope = Scope::everything(clearance);
        let rows = fixture
            .world
            .all_rows(&scope, &TaskFilter::default(), TaskSort::Newest, now, 100)
            .await;
        let expected = recount(&rows, &scope, today, 12);
        let context = format!("{label}, today {today}, clearance {clearance:?}");

        let tally = store.task_tally(&scope, now).await.expect("tally");
        assert_eq!(tally_map(&tally), expected.tally, "tally: {context}");
        let scanned = store.task_tally_by_scan(&scope, now).await.expect("scan");
        assert_eq!(tally, scanned, "tally against the scan: {context}");

        let upcoming = store
            .count_upcoming_deadlines(&scope, today, 7, 30)
            .await
            .expect("upcoming");
        assert_eq!(upcoming, expected.upcoming, "upcoming deadlines: {context}");

        let trend = store.monthly_trend(&scope, 12, now).await.expect("trend");
        assert_eq!(trend, expected.trend, "trend: {context}");

        for filter in filters(fixture) {
            let counted = store
                .count_by_state(&scope, &filter, now)
                .await
                .expect("counts");
            let scanned = store
                .count_by_state_by_scan(&scope, &filter, now)
                .await
                .expect("scanned counts");
            assert_eq!(
                counted, scanned,
                "counts by state for {filter:?}: {context}"
            );
        }
    }

    // A body's readers add up their body's rows of the viewer counts. The list and the scan
    // read the tasks, whose visibility `compare_visibility` checks against the rule.
    let mut readers: Vec<OrgId> = fixture.bodies.iter().map(|body| body.id).collect();
    readers.push(fixture.world.org("VPTW"));
    for reader in readers {
        for clearance in [Clearance::Secret, Clearance::Normal] {
            let scope = Scope::within(reader, clearance);
            let context = format!("{label}, today {today}, body {reader:?}, {clearance:?}");

            let rows = fixture
                .world
                .all_rows(&scope, &TaskFilter::default(), TaskSort::Newest, now, 100)
                .await;
            let expected = recount(&rows, &scope, today, 12);

            let tally = store.task_tally(&scope, now).await.expect("tally");
            assert_eq!(tally_map(&tally), expected.tally, "tally: {context}");
            let scanned = store.task_tally_by_scan(&scope, now).await.expect("scan");
            assert_eq!(tally, scanned, "tally against the scan: {context}");

            let upcoming = store
                .count_upcoming_deadlines(&scope, today, 7, 30)
                .await
                .expect("upcoming");
            assert_eq!(upcoming, expected.upcoming, "upcoming deadlines: {context}");
            let trend = store.monthly_trend(&scope, 12, now).await.expect("trend");
            assert_eq!(trend, expected.trend, "trend: {context}");

            for filter in filters(fixture) {
                let counted = store
                    .count_by_state(&scope, &filter, now)
                    .await
                    .expect("counts");
                let scanned = store
                    .count_by_state_by_scan(&scope, &filter, now)
                    .await
                    .expect("scanned counts");
                assert_eq!(
                    counted, scanned,
                    "counts by state for {filter:?}: {context}"
                );
            }
        }
    }
}

/// Filters that the counts answer, and one that they leave to the scan.
fn filters(fixture: &Fixture) -> Vec<TaskFilter> {
    vec![
        TaskFilter::default(),
        TaskFilter {
            result_states: vec![
                ResultState::InProgressOverdue,
                ResultState::NotStartedOnTime,
            ],
            ..Default::default()
        },
        TaskFilter {
            lead_body: Some(fixture.bodies[0].id),
            include_subunits: true,
            ..Default::default()
        },
        TaskFilter {
            lead_body: Some(fixture.bodies[2].id),
            priority: Some("urgent".into()),
            confidentiality: vec![Confidentiality::Normal],
            ..Default::default()
        },
        TaskFilter {
            has_deadline: Some(true),
            ..Default::default()
        },
        TaskFilter {
            breached: true,
            ..Default::default()
        },
        TaskFilter {
            text: Some("nhiem vu 1".into()),
            ..Default::default()
        },
    ]
}

fn sum(counts: &StateCounts) -> i64 {
    counts.total + counts.without_result_state
}

/// Days to read the counts on, around `today`: before and after deadlines, the last day of
/// a month and the first of the next.
fn reading_days(today: Date) -> Vec<Date> {
    let end_of_month = today.last_of_month();
    vec![
        today,
        today.saturating_sub(45.days()),
        today.saturating_add(10.days()),
        end_of_month,
        end_of_month.tomorrow().expect("a later day"),
        today.saturating_add(75.days()),
    ]
}

async fn task_counts_follow_random_commands(backend: Backend) {
    let mut fixture = Fixture::new(backend).await;
    // Judged on a pivot long before the first command, every counted task starts on time.
    set_task_counts_pivot(fixture.world.database_url(), date(2026, 1, 1))
        .await
        .expect("set pivot");
    let mut random = Random(0x7468_656f_646f_6931);
    let mut committed = Committed::default();
    let mut day = date(2026, 1, 6);
    for batch in 0..8 {
        for step in 0..40 {
            let at = at_local(day.at(9, 0, 0, 0)) + jiff::SignedDuration::from_mins(step);
            if let Some(name) = fixture.random_command(&mut random, at).await {
                *committed.0.entry(name).or_default() += 1;
            }
            if step % 8 == 7 {
                day = day.saturating_add(3.days());
            }
        }
        // The pivot moves on most batches, as the daily job would, and lags on the others.
        if batch % 3 != 2 {
            fixture
                .world
                .store
                .advance_task_counts_pivot(day)
                .await
                .expect("advance pivot");
        }
        for reading in reading_days(day) {
            let now = at_local(reading.at(12, 0, 0, 0));
            compare(&fixture, now, &format!("batch {batch}")).await;
        }
        compare_visibility(&fixture, &format!("batch {batch}")).await;
        let report = fixture.world.store.check_integrity().await.expect("check");
        assert!(report.is_clean(), "batch {batch}: {:?}", report.findings);
    }
    for name in [
        "create",
        "approve_update",
        "extend_deadline",
        "reassign",
        "reclassify",
        "change_deadline",
        "cancel",
        "delegate",
    ] {
        assert!(
            committed.0.get(name).copied().unwrap_or(0) > 0,
            "no {name} committed: {committed:?}"
        );
    }
    let scope = support::everything();
    let all = fixture
        .world
        .store
        .count_by_state(&scope, &TaskFilter::default(), local(2026, 6, 1, 9, 0))
        .await
        .expect("counts");
    assert_eq!(
        sum(&all),
        i64::try_from(fixture.tasks.len()).expect("count")
    );
}

/// Checks that the integrity check reports a count table changed outside the write path.
async fn task_counts_drift_is_reported(backend: Backend) {
    let mut fixture = Fixture::new(backend).await;
    let mut random = Random(7);
    let at = local(2026, 2, 2, 9, 0);
    for _ in 0..5 {
        fixture.create(&mut random, at, date(2026, 3, 1)).await;
    }
    let report = fixture.world.store.check_integrity().await.expect("check");
    assert!(report.is_clean(), "{:?}", report.findings);

    // One more task on every deadline than the tasks have.
    let url = fixture.world.database_url().to_owned();
    theodoi_store::install_drivers();
    let mut connection = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
        .await
        .expect("connect");
    sqlx::query("UPDATE task_deadline_counts SET n = n + 1")
        .execute(&mut connection)
        .await
        .expect("change counts");
    let report = fixture.world.store.check_integrity().await.expect("check");
    let drifted: Vec<_> = report
        .findings
        .iter()
        .filter(|finding| {
            matches!(finding, theodoi_store::Finding::TaskCounts { table, .. } if table == "task_deadline_counts")
        })
        .collect();
    assert!(!drifted.is_empty(), "{:?}", report.findings);
}

on_both_backends!(
    task_counts_follow_random_commands,
    task_counts_drift_is_reported
);
