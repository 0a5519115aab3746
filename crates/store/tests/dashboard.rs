//! Dashboard aggregates on both backends: counts by lead body, classification and result
//! state, upcoming deadlines, the monthly trend and open obligations, for readers of the whole
//! country and of one province, with and without clearance. Every expected number is worked
//! out by hand from the fixture below.

mod support;

use jiff::civil::{Date, date};
use jiff::{SignedDuration, Timestamp};
use std::collections::BTreeMap;
use support::{World, completed, done_not_completed, everything, local, progress, task_input};
use theodoi_domain::catalogue::ClassificationInput;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::ids::{OrgId, TaskId};
use theodoi_domain::result::ResultState;
use theodoi_domain::task::{NewTaskInput, TaskCommand};
use theodoi_domain::user::{Actor, Clearance, Role};
use theodoi_store::{
    Backend, BodyCounts, MonthTrend, ObligationFilter, ObligationQuery, OpenObligationCounts,
    PageRequest, Scope, TaskFilter, UpcomingDeadlines, on_both_backends,
};

/// Returns the instant the dashboard is read: Monday 15/06/2026, noon.
fn now() -> Timestamp {
    local(2026, 6, 15, 12, 0)
}

/// Fifteen tasks of Hà Nội, its unit, Hải Phòng and the Government Party Committee. Each is
/// listed with its state on 15/06/2026:
///
/// | task | lead | deadline | priority | state |
/// |---|---|---|---|---|
/// | 1 | Hà Nội | 31/03 | key | completed on time (20/03) |
/// | 2 | Hà Nội | 27/02 | regular | completed late (10/03) |
/// | 3 | Hà Nội unit | 31/05 | regular | in progress, overdue |
/// | 4 | Hà Nội | 20/06 | regular | not started, on time |
/// | 5 | Hải Phòng | 10/07 | urgent | in progress, on time |
/// | 6 | Hải Phòng | 30/04 | key | not started, overdue |
/// | 7 | Hải Phòng | 15/04 | regular | done but not completed (10/04) |
/// | 8 | Government Party Committee | none | regular | completed (05/05) |
/// | 9 | Hà Nội | none | regular | in progress |
/// | 10 | Hà Nội | none | regular | not started |
/// | 11 | Hà Nội | 30/09 | regular | draft |
/// | 12 | Hà Nội, Mật | 15/05 | regular | not started, overdue |
/// | 13 | Hải Phòng | 30/09 | regular | cancelled |
/// | 14 | Hải Phòng | 14/06 | regular | not started, overdue |
/// | 15 | Hà Nội | 15/06 | regular | in progress, on time (due today) |
struct Fixture {
    world: World,
    hanoi: OrgId,
    unit: OrgId,
    hai_phong: OrgId,
    government: OrgId,
}

struct People {
    unit_updater: Actor,
    unit_approver: Actor,
    other_updater: Actor,
    other_approver: Actor,
}

impl Fixture {
    async fn new(backend: Backend) -> Fixture {
        let mut world = World::new(backend).await;
        let unit = world
            .add_unit("HNI-BTG", "Ban Tuyên giáo Thành uỷ Hà Nội", "TU-HNI")
            .await;
        let hanoi = world.org("TU-HNI");
        let hai_phong = world.org("TU-HPG");
        let government = world.org("DUCP");
        let people = People {
            unit_updater: world
                .add_user("hni-btg.capnhat", unit, &[Role::Updater], Clearance::Normal)
                .await,
            unit_approver: world
                .add_user(
                    "hni-btg.pheduyet",
                    unit,
                    &[Role::Approver],
                    Clearance::Normal,
                )
                .await,
            other_updater: world
                .add_user(
                    "hpg.capnhat",
                    hai_phong,
                    &[Role::Updater, Role::Approver],
                    Clearance::Normal,
                )
                .await,
            other_approver: world
                .add_user(
                    "hpg.pheduyet",
                    hai_phong,
                    &[Role::Approver],
                    Clearance::Normal,
                )
                .await,
        };
        let fixture = Fixture {
            world,
            hanoi,
            unit,
            hai_phong,
            government,
        };
        fixture.create_tasks(&people).await;
        fixture
    }

    /// Creates and transfers a task on 06/01/2026 and confirms its receipt as `lead`.
    async fn received(
        &self,
        document: &theodoi_domain::document::Document,
        input: NewTaskInput,
        lead: &Actor,
    ) -> TaskId {
        let world = &self.world;
        let id = world
            .create_transferred(document, &input, local(2026, 1, 6, 9, 0))
            .await
            .id;
        world
            .run(
                lead,
                id,
                local(2026, 1, 6, 10, 0),
                TaskCommand::ConfirmReceipt,
            )
            .await;
        id
    }

    async fn create_tasks(&self, people: &People) {
        let world = &self.world;
        let document = world
            .resolution(
                "05-NQ/TW",
                "Nghị quyết về chuyển đổi số trong các cơ quan đảng",
                date(2026, 1, 5),
            )
            .await;
        let classified = world
            .register(
                "conclusion",
                "06-KL/TW",
                "Kết luận về bảo vệ chính trị nội bộ",
                date(2026, 1, 5),
                Confidentiality::Confidential,
            )
            .await;
        let deadline = |month: i8, day: i8| Some(date(2026, month, day));
        let priority = |code: &str| ClassificationInput {
            priority: Some(code.into()),
            ..Default::default()
        };
        let hanoi = (&world.updater, &world.approver);
        let unit = (&people.unit_updater, &people.unit_approver);
        let hai_phong = (&people.other_updater, &people.other_approver);

        let input = NewTaskInput {
            classification: priority("key"),
            ..task_input("Nhiệm vụ 1", self.hanoi, deadline(3, 31))
        };
        let task = self.received(&document, input, hanoi.0).await;
        world
            .report(
                hanoi.0,
                hanoi.1,
                task,
                local(2026, 3, 23, 9, 0),
                completed(date(2026, 3, 20)),
            )
            .await;

        let input = task_input("Nhiệm vụ 2", self.hanoi, deadline(2, 27));
        let task = self.received(&document, input, hanoi.0).await;
        world
            .report(
                hanoi.0,
                hanoi.1,
                task,
                local(2026, 3, 11, 9, 0),
                completed(date(2026, 3, 10)),
            )
            .await;

        let input = task_input("Nhiệm vụ 3", self.unit, deadline(5, 31));
        let task = self.received(&document, input, unit.0).await;
        world
            .report(unit.0, unit.1, task, local(2026, 2, 2, 9, 0), progress(40))
            .await;

        let input = task_input("Nhiệm vụ 4", self.hanoi, deadline(6, 20));
        self.received(&document, input, hanoi.0).await;

        let input = NewTaskInput {
            classification: priority("urgent"),
            ..task_input("Nhiệm vụ 5", self.hai_phong, deadline(7, 10))
        };
        let task = self.received(&document, input, hai_phong.0).await;
        world
            .report(
                hai_phong.0,
                hai_phong.1,
                task,
                local(2026, 2, 2, 9, 0),
                progress(30),
            )
            .await;

        let input = NewTaskInput {
            classification: priority("key"),
            ..task_input("Nhiệm vụ 6", self.hai_phong, deadline(4, 30))
        };
        self.received(&document, input, hai_phong.0).await;

        let input = task_input("Nhiệm vụ 7", self.hai_phong, deadline(4, 15));
        let task = self.received(&document, input, hai_phong.0).await;
        world
            .report(
                hai_phong.0,
                hai_phong.1,
                task,
                local(2026, 4, 13, 9, 0),
                done_not_completed(date(2026, 4, 10)),
            )
            .await;

        let government = world
            .add_user(
                "dcp.capnhat",
                self.government,
                &[Role::Updater],
                Clearance::Normal,
            )
            .await;
        let government_approver = world
            .add_user(
                "dcp.pheduyet",
                self.government,
                &[Role::Approver],
                Clearance::Normal,
            )
            .await;
        let input = task_input("Nhiệm vụ 8", self.government, None);
        let task = self.received(&document, input, &government).await;
        world
            .report(
                &government,
                &government_approver,
                task,
                local(2026, 5, 6, 9, 0),
                completed(date(2026, 5, 5)),
            )
            .await;

        let input = task_input("Nhiệm vụ 9", self.hanoi, None);
        let task = self.received(&document, input, hanoi.0).await;
        world
            .report(
                hanoi.0,
                hanoi.1,
                task,
                local(2026, 2, 2, 9, 0),
                progress(10),
            )
            .await;

        let input = task_input("Nhiệm vụ 10", self.hanoi, None);
        self.received(&document, input, hanoi.0).await;

        let input = task_input("Nhiệm vụ 11", self.hanoi, deadline(9, 30));
        world
            .create_task(&document, &input, local(2026, 1, 6, 9, 0))
            .await;

        let input = NewTaskInput {
            content: None,
            ..task_input("", self.hanoi, deadline(5, 15))
        };
        self.received(&classified, input, hanoi.0).await;

        let input = task_input("Nhiệm vụ 13", self.hai_phong, deadline(9, 30));
        let task = self.received(&document, input, hai_phong.0).await;
        world
            .run(
                &world.office,
                task,
                local(2026, 2, 2, 9, 0),
                TaskCommand::Cancel,
            )
            .await;

        let input = task_input("Nhiệm vụ 14", self.hai_phong, deadline(6, 14));
        self.received(&document, input, hai_phong.0).await;

        let input = task_input("Nhiệm vụ 15", self.hanoi, deadline(6, 15));
        let task = self.received(&document, input, hanoi.0).await;
        world
            .report(
                hanoi.0,
                hanoi.1,
                task,
                local(2026, 2, 2, 9, 0),
                progress(20),
            )
            .await;
    }
}

fn states(pairs: &[(ResultState, i64)]) -> Vec<(ResultState, i64)> {
    let mut pairs = pairs.to_vec();
    pairs.sort_by_key(|(state, _)| *state);
    pairs
}

fn counts(total: i64, on_time: i64, late: i64, overdue: i64) -> BodyCounts {
    BodyCounts {
        total,
        completed_on_time: on_time,
        completed_late: late,
        overdue,
    }
}

fn codes(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
    pairs
        .iter()
        .map(|(code, count)| ((*code).to_owned(), *count))
        .collect()
}

async fn dashboard_tally_national(backend: Backend) {
    let fixture = Fixture::new(backend).await;
    let store = &fixture.world.store;
    let tally = store.task_tally(&everything(), now()).await.expect("tally");

    let by_state = tally.state_counts();
    assert_eq!(
        by_state.counts,
        states(&[
            (ResultState::CompletedOnTime, 1),
            (ResultState::CompletedLate, 1),
            (ResultState::InProgressOnTime, 2),
            (ResultState::InProgressOverdue, 1),
            (ResultState::DoneNotCompleted, 1),
            (ResultState::NotStartedOnTime, 1),
            (ResultState::NotStartedOverdue, 3),
            (ResultState::Completed, 1),
            (ResultState::InProgress, 1),
            (ResultState::NotStarted, 1),
        ])
    );
    assert_eq!(by_state.total, 13);
    assert_eq!(
        by_state.without_result_state, 2,
        "the draft and the cancelled task"
    );
    assert_eq!(
        by_state,
        store
            .count_by_state(&everything(), &TaskFilter::default(), now())
            .await
            .expect("count by state"),
        "the tally agrees with the task list's counts"
    );

    assert_eq!(
        tally.by_executing_unit(),
        codes(&[
            ("committee_under_cc", 1),
            ("other", 1),
            ("provincial_committee", 11),
        ])
    );
    assert_eq!(
        tally.by_priority(),
        codes(&[("key", 2), ("regular", 10), ("urgent", 1)])
    );

    let bodies = tally.by_lead_body();
    assert_eq!(bodies.len(), 4, "{bodies:?}");
    assert_eq!(bodies[&fixture.hanoi], counts(7, 1, 1, 1));
    assert_eq!(bodies[&fixture.unit], counts(1, 0, 0, 1));
    assert_eq!(bodies[&fixture.hai_phong], counts(4, 0, 0, 3));
    assert_eq!(bodies[&fixture.government], counts(1, 0, 0, 0));
}

async fn dashboard_tally_scoped(backend: Backend) {
    let fixture = Fixture::new(backend).await;
    let store = &fixture.world.store;

    let uncleared = Scope::everything(Clearance::Normal);
    let tally = store.task_tally(&uncleared, now()).await.expect("tally");
    let by_state = tally.state_counts();
    assert_eq!(by_state.total, 12, "the Mật task is left out");
    assert!(
        by_state
            .counts
            .contains(&(ResultState::NotStartedOverdue, 2))
    );
    assert_eq!(tally.by_lead_body()[&fixture.hanoi], counts(6, 1, 1, 0));

    let hanoi = Scope::within(fixture.hanoi, Clearance::Normal);
    let tally = store.task_tally(&hanoi, now()).await.expect("tally");
    let by_state = tally.state_counts();
    assert_eq!(
        by_state.counts,
        states(&[
            (ResultState::CompletedOnTime, 1),
            (ResultState::CompletedLate, 1),
            (ResultState::InProgressOnTime, 1),
            (ResultState::InProgressOverdue, 1),
            (ResultState::NotStartedOnTime, 1),
            (ResultState::InProgress, 1),
            (ResultState::NotStarted, 1),
        ])
    );
    assert_eq!(
        by_state.without_result_state, 0,
        "drafts stay with the Central Office"
    );
    let bodies = tally.by_lead_body();
    assert_eq!(
        bodies.keys().copied().collect::<Vec<_>>(),
        vec![fixture.hanoi, fixture.unit],
        "nothing of Hải Phòng"
    );
    assert_eq!(bodies[&fixture.hanoi], counts(6, 1, 1, 0));
    assert_eq!(bodies[&fixture.unit], counts(1, 0, 0, 1));
    assert_eq!(
        by_state,
        store
            .count_by_state(&hanoi, &TaskFilter::default(), now())
            .await
            .expect("count by state")
    );

    let cleared = Scope::within(fixture.hanoi, Clearance::Confidential);
    let tally = store.task_tally(&cleared, now()).await.expect("tally");
    assert_eq!(tally.by_lead_body()[&fixture.hanoi], counts(7, 1, 1, 1));

    let hai_phong = Scope::within(fixture.hai_phong, Clearance::Normal);
    let tally = store.task_tally(&hai_phong, now()).await.expect("tally");
    let by_state = tally.state_counts();
    assert_eq!(by_state.total, 4);
    assert_eq!(by_state.without_result_state, 1, "the cancelled task");
    assert_eq!(
        tally.by_priority(),
        codes(&[("key", 1), ("regular", 2), ("urgent", 1)])
    );
}

#[test]
fn on_time_rate_counts_judged_tasks() {
    assert_eq!(counts(7, 1, 1, 1).on_time_rate(), Some(1.0 / 3.0));
    assert_eq!(counts(4, 0, 0, 3).on_time_rate(), Some(0.0));
    assert_eq!(counts(2, 2, 0, 0).on_time_rate(), Some(1.0));
    assert_eq!(
        counts(5, 0, 0, 0).on_time_rate(),
        None,
        "nothing judged yet"
    );
    let mut sum = counts(7, 1, 1, 1);
    sum.merge(&counts(1, 0, 0, 1));
    assert_eq!(sum, counts(8, 1, 1, 2));
    assert_eq!(sum.judged(), 4);
}

async fn dashboard_upcoming_deadlines(backend: Backend) {
    let fixture = Fixture::new(backend).await;
    let store = &fixture.world.store;
    let today = date(2026, 6, 15);
    let cases = [
        (everything(), UpcomingDeadlines { near: 2, far: 3 }),
        (
            Scope::within(fixture.hanoi, Clearance::Normal),
            UpcomingDeadlines { near: 2, far: 2 },
        ),
        (
            Scope::within(fixture.hai_phong, Clearance::Normal),
            UpcomingDeadlines { near: 0, far: 1 },
        ),
    ];
    for (scope, expected) in cases {
        let upcoming = store
            .count_upcoming_deadlines(&scope, today, 7, 30)
            .await
            .expect("upcoming deadlines");
        assert_eq!(upcoming, expected, "{scope:?}");

        // The same tasks as the task list with the filters the dashboard links to.
        for (days, count) in [(7, expected.near), (30, expected.far)] {
            let filter = TaskFilter {
                result_states: vec![ResultState::InProgressOnTime, ResultState::NotStartedOnTime],
                deadline_from: Some(today),
                deadline_to: Some(today.saturating_add(jiff::ToSpan::days(days))),
                ..Default::default()
            };
            let listed = store
                .count_by_state(&scope, &filter, now())
                .await
                .expect("count");
            assert_eq!(listed.total, count, "{scope:?} within {days} days");
        }
    }
}

fn month(year: i16, month: i8, on_time: i64, late: i64, overdue: i64) -> MonthTrend {
    MonthTrend {
        month: date(year, month, 1),
        completed_on_time: on_time,
        completed_late: late,
        became_overdue: overdue,
    }
}

/// Returns the twelve months from July 2025 to June 2026, zero except for `changed`.
fn year_with(changed: &[MonthTrend]) -> Vec<MonthTrend> {
    let first: Date = date(2025, 7, 1);
    (0..12)
        .map(|offset| {
            let start = first.saturating_add(jiff::ToSpan::months(offset));
            changed
                .iter()
                .find(|entry| entry.month == start)
                .copied()
                .unwrap_or(month(start.year(), start.month(), 0, 0, 0))
        })
        .collect()
}

async fn dashboard_monthly_trend(backend: Backend) {
    let fixture = Fixture::new(backend).await;
    let store = &fixture.world.store;

    // Task 6 is due on 30/04 and task 3 on 31/05: each becomes overdue the next month.
    let trend = store
        .monthly_trend(&everything(), 12, now())
        .await
        .expect("trend");
    assert_eq!(
        trend,
        year_with(&[
            month(2026, 2, 0, 0, 1),
            month(2026, 3, 1, 1, 0),
            month(2026, 4, 0, 0, 1),
            month(2026, 5, 0, 0, 2),
            month(2026, 6, 0, 0, 2),
        ])
    );

    let trend = store
        .monthly_trend(&Scope::everything(Clearance::Normal), 12, now())
        .await
        .expect("trend");
    assert_eq!(
        trend[10],
        month(2026, 5, 0, 0, 1),
        "the Mật task is left out"
    );

    let trend = store
        .monthly_trend(&Scope::within(fixture.hanoi, Clearance::Normal), 12, now())
        .await
        .expect("trend");
    assert_eq!(
        trend,
        year_with(&[
            month(2026, 2, 0, 0, 1),
            month(2026, 3, 1, 1, 0),
            month(2026, 6, 0, 0, 1),
        ])
    );

    let trend = store
        .monthly_trend(
            &Scope::within(fixture.hai_phong, Clearance::Normal),
            12,
            now(),
        )
        .await
        .expect("trend");
    assert_eq!(
        trend,
        year_with(&[
            month(2026, 4, 0, 0, 1),
            month(2026, 5, 0, 0, 1),
            month(2026, 6, 0, 0, 1),
        ])
    );

    // Task 14 was due yesterday and counts; task 15 is due today and does not yet.
    let before = store
        .monthly_trend(&everything(), 12, local(2026, 6, 14, 23, 0))
        .await
        .expect("trend");
    assert_eq!(before[11], month(2026, 6, 0, 0, 1));

    let short = store
        .monthly_trend(&everything(), 3, now())
        .await
        .expect("trend");
    assert_eq!(
        short,
        vec![
            month(2026, 4, 0, 0, 1),
            month(2026, 5, 0, 0, 2),
            month(2026, 6, 0, 0, 2),
        ]
    );
}

/// Obligations on Tuesday 03/03/2026 at 10:00, from a conclusion issued on Friday 27/02:
/// - task A (Hà Nội), transferred on Monday at 09:00 and not received: its receipt was due at
///   14:00 that day, four working hours later, so it is overdue;
/// - task B (Hải Phòng), transferred and received on Monday: nothing owed before its first
///   checkpoint; its feedback window is optional and never counted;
/// - task C (Hà Nội), still a draft: its entry by the Central Office is due on Wednesday
///   04/03 at 17:00, three working days after the issue;
/// - task D (the Hà Nội unit), transferred today at 09:00: receipt due at 14:00 today.
async fn dashboard_open_obligations(backend: Backend) {
    let mut world = World::new(backend).await;
    let unit = world
        .add_unit("HNI-BTG", "Ban Tuyên giáo Thành uỷ Hà Nội", "TU-HNI")
        .await;
    let (hanoi, hai_phong) = (world.org("TU-HNI"), world.org("TU-HPG"));
    let other = world
        .add_user(
            "hpg.capnhat",
            hai_phong,
            &[Role::Updater],
            Clearance::Normal,
        )
        .await;
    let document = world
        .register(
            "conclusion",
            "07-KL/TW",
            "Kết luận về thí điểm theo dõi nhiệm vụ",
            date(2026, 2, 27),
            Confidentiality::Normal,
        )
        .await;
    let monday = local(2026, 3, 2, 9, 0);
    let deadline = Some(date(2026, 4, 30));
    world
        .create_transferred(&document, &task_input("A", hanoi, deadline), monday)
        .await;
    let task_b = world
        .create_transferred(&document, &task_input("B", hai_phong, deadline), monday)
        .await
        .id;
    world
        .run(
            &other,
            task_b,
            local(2026, 3, 2, 10, 0),
            TaskCommand::ConfirmReceipt,
        )
        .await;
    world
        .create_task(&document, &task_input("C", hanoi, deadline), monday)
        .await;
    world
        .create_transferred(
            &document,
            &task_input("D", unit, deadline),
            local(2026, 3, 3, 9, 0),
        )
        .await;

    let now = local(2026, 3, 3, 10, 0);
    let within = SignedDuration::from_hours(72);
    let hanoi_tree = ObligationFilter {
        responsible: Some(hanoi),
        include_subunits: true,
        ..Default::default()
    };
    let hanoi_only = ObligationFilter {
        responsible: Some(hanoi),
        ..Default::default()
    };
    let hai_phong_tree = ObligationFilter {
        responsible: Some(hai_phong),
        include_subunits: true,
        ..Default::default()
    };
    let cases = [
        (
            everything(),
            ObligationFilter::default(),
            OpenObligationCounts {
                overdue: 1,
                due_soon: 2,
            },
        ),
        (
            Scope::within(hanoi, Clearance::Normal),
            hanoi_tree,
            OpenObligationCounts {
                overdue: 1,
                due_soon: 1,
            },
        ),
        (
            Scope::within(hanoi, Clearance::Normal),
            hanoi_only,
            OpenObligationCounts {
                overdue: 1,
                due_soon: 0,
            },
        ),
        (
            Scope::within(hai_phong, Clearance::Normal),
            hai_phong_tree,
            OpenObligationCounts::default(),
        ),
    ];
    for (scope, filter, expected) in cases {
        let counted = world
            .store
            .count_open_obligations(&scope, &filter, within, now)
            .await
            .expect("count obligations");
        assert_eq!(counted, expected, "{scope:?} {filter:?}");

        // The counts match the obligation lists the dashboard shows.
        let page = PageRequest {
            limit: Some(500),
            after: None,
        };
        let open = world
            .store
            .list_obligations(&scope, ObligationQuery::Open, &filter, &page, now)
            .await
            .expect("open obligations");
        let overdue = open
            .items
            .iter()
            .filter(|row| row.obligation.due_at < now)
            .count();
        assert_eq!(i64::try_from(overdue).unwrap(), expected.overdue);
        let soon = world
            .store
            .list_obligations(
                &scope,
                ObligationQuery::DueSoon { within },
                &filter,
                &page,
                now,
            )
            .await
            .expect("obligations due soon");
        assert_eq!(i64::try_from(soon.items.len()).unwrap(), expected.due_soon);
    }

    let receipts_only = ObligationFilter {
        kinds: vec!["receipt".into()],
        ..Default::default()
    };
    let counted = world
        .store
        .count_open_obligations(&everything(), &receipts_only, within, now)
        .await
        .expect("count obligations");
    assert_eq!(
        counted,
        OpenObligationCounts {
            overdue: 1,
            due_soon: 1,
        },
        "without the entry of the draft"
    );
}

on_both_backends!(
    dashboard_tally_national,
    dashboard_tally_scoped,
    dashboard_upcoming_deadlines,
    dashboard_monthly_trend,
    dashboard_open_obligations,
);
