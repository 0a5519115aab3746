//! Tests of the demo data set: what it shows at a fixed "now" through the store's lists and
//! counts, and that it keeps showing it at awkward dates (nights, weekends, Tết).

use super::clock::Clock;
use super::{DemoData, EARLIEST_DEMO_DATE, seed_demo};
use jiff::Timestamp;
use jiff::civil::date;
use std::collections::{BTreeSet, HashSet};
use theodoi_calendar::{WorkingCalendar, end_of_day};
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::obligation::{ObligationKind, ObligationStatus, obligations};
use theodoi_domain::result::ResultState;
use theodoi_domain::task::TaskStatus;
use theodoi_domain::task::event::{FeedbackOutcome, TaskChange};
use theodoi_domain::task::update::UpdateState;
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::testing::TestDatabase;
use theodoi_store::{
    Backend, DocumentFilter, ObligationFilter, ObligationQuery, ObligationRow, PageRequest, Scope,
    Store, StoreError, TaskFilter, TaskHistory, TaskRow, TaskSort, on_both_backends,
};

/// Friday 4 December 2026, 10:30 in Hanoi.
const NOW: &str = "2026-12-04T03:30:00Z";
const PASSWORD: &str = "demo-mat-khau-2026";

fn hash(password: &str) -> String {
    format!("test-hash:{password}")
}

fn now() -> Timestamp {
    NOW.parse().expect("valid instant")
}

fn everything() -> Scope {
    Scope::everything(Clearance::Secret)
}

fn require_send<F: std::future::Future + Send>(future: F) -> F {
    future
}

async fn seeded(backend: Backend, now: Timestamp) -> (TestDatabase, Store, DemoData) {
    let database = TestDatabase::create(backend).await;
    let store = database.store().await;
    // A server may run the seed inside a spawned task, which needs a `Send` future.
    let data = require_send(seed_demo(&store, now, &hash, PASSWORD))
        .await
        .unwrap_or_else(|error| panic!("seeding the demo at {now} failed: {error}"));
    (database, store, data)
}

async fn all_tasks(
    store: &Store,
    scope: &Scope,
    filter: &TaskFilter,
    now: Timestamp,
) -> Vec<TaskRow> {
    let mut rows = Vec::new();
    let mut page = PageRequest {
        limit: Some(100),
        after: None,
    };
    loop {
        let found = store
            .list_tasks(scope, filter, TaskSort::Newest, &page, now)
            .await
            .expect("list tasks");
        rows.extend(found.items);
        match found
            .next_cursor
            .as_deref()
            .and_then(theodoi_store::Cursor::decode)
        {
            Some(cursor) => page.after = Some(cursor),
            None => return rows,
        }
    }
}

async fn all_obligations(
    store: &Store,
    query: ObligationQuery,
    now: Timestamp,
) -> Vec<ObligationRow> {
    let mut rows = Vec::new();
    let mut page = PageRequest {
        limit: Some(200),
        after: None,
    };
    loop {
        let found = store
            .list_obligations(
                &everything(),
                query,
                &ObligationFilter::default(),
                &page,
                now,
            )
            .await
            .expect("list obligations");
        rows.extend(found.items);
        match found
            .next_cursor
            .as_deref()
            .and_then(theodoi_store::Cursor::decode)
        {
            Some(cursor) => page.after = Some(cursor),
            None => return rows,
        }
    }
}

async fn histories(store: &Store, now: Timestamp) -> Vec<TaskHistory> {
    let mut found = Vec::new();
    for row in all_tasks(store, &everything(), &TaskFilter::default(), now).await {
        found.push(
            store
                .task(row.id)
                .await
                .expect("load task")
                .expect("listed task exists"),
        );
    }
    found
}

/// Collects every (obligation kind, status) pair at `now`, replayed from the histories.
fn obligation_statuses(
    histories: &[TaskHistory],
    now: Timestamp,
) -> BTreeSet<(&'static str, &'static str)> {
    histories
        .iter()
        .flat_map(|history| obligations(&history.domain_events()))
        .map(|obligation| (obligation.kind.name(), obligation.status_at(now).name()))
        .collect()
}

fn missing_pairs(
    found: &BTreeSet<(&'static str, &'static str)>,
) -> Vec<(&'static str, &'static str)> {
    ObligationKind::NAMES
        .into_iter()
        .flat_map(|kind| ["pending", "met", "breached"].map(|status| (kind, status)))
        .filter(|pair| !found.contains(pair))
        .collect()
}

async fn missing_states(store: &Store, now: Timestamp) -> Vec<ResultState> {
    let counts = store
        .count_by_state(&everything(), &TaskFilter::default(), now)
        .await
        .expect("count by state");
    ResultState::ALL
        .into_iter()
        .filter(|state| {
            !counts
                .counts
                .iter()
                .any(|(counted, n)| counted == state && *n > 0)
        })
        .collect()
}

async fn every_result_state_is_counted(backend: Backend) {
    let (_database, store, _) = seeded(backend, now()).await;
    assert_eq!(missing_states(&store, now()).await, []);
}

async fn every_obligation_kind_is_pending_met_and_breached(backend: Backend) {
    let (_database, store, _) = seeded(backend, now()).await;
    let histories = histories(&store, now()).await;
    assert_eq!(missing_pairs(&obligation_statuses(&histories, now())), []);

    let breached: HashSet<&str> = all_obligations(&store, ObligationQuery::Breached, now())
        .await
        .iter()
        .map(|row| row.obligation.kind.name())
        .collect();
    for kind in ObligationKind::NAMES {
        assert!(
            breached.contains(kind),
            "no breached {kind} in the breached list"
        );
    }
    let pending: HashSet<&str> = all_obligations(&store, ObligationQuery::Open, now())
        .await
        .iter()
        .filter(|row| row.status_at(now()) == ObligationStatus::Pending)
        .map(|row| row.obligation.kind.name())
        .collect();
    for kind in ObligationKind::NAMES {
        assert!(pending.contains(kind), "no pending {kind} in the open list");
    }
}

async fn checkpoints_of_every_kind_are_pending_met_and_breached(backend: Backend) {
    let (_database, store, _) = seeded(backend, now()).await;
    let histories = histories(&store, now()).await;
    let found: BTreeSet<(&str, &str)> = histories
        .iter()
        .flat_map(|history| obligations(&history.domain_events()))
        .filter_map(|obligation| match obligation.kind {
            ObligationKind::Checkpoint { checkpoint } => {
                let kind = match checkpoint {
                    theodoi_domain::schedule::CheckpointKind::Half => "half",
                    theodoi_domain::schedule::CheckpointKind::ThreeQuarters => "three_quarters",
                    theodoi_domain::schedule::CheckpointKind::Period { .. } => "period",
                };
                Some((kind, obligation.status_at(now()).name()))
            }
            _ => None,
        })
        .collect();
    for kind in ["half", "three_quarters", "period"] {
        for status in ["pending", "met", "breached"] {
            assert!(
                found.contains(&(kind, status)),
                "no {status} {kind} checkpoint"
            );
        }
    }
}

async fn delegated_task_rolls_up_subtasks(backend: Backend) {
    let (_database, store, _) = seeded(backend, now()).await;
    let parents: Vec<TaskRow> = all_tasks(&store, &everything(), &TaskFilter::default(), now())
        .await
        .into_iter()
        .filter(|row| row.subtask_count > 0)
        .collect();
    assert_eq!(parents.len(), 1);
    let parent = &parents[0];
    assert_eq!(parent.subtask_count, 2);
    // One sub-task completed (counts 100) and one at 50 %.
    assert_eq!(parent.rollup_percent, Some(75));

    let filter = TaskFilter {
        parent_id: Some(parent.id),
        ..Default::default()
    };
    let subtasks = all_tasks(&store, &everything(), &filter, now()).await;
    assert_eq!(subtasks.len(), 2);
    let states: BTreeSet<Option<ResultState>> =
        subtasks.iter().map(|row| row.result_state).collect();
    assert!(states.contains(&Some(ResultState::CompletedOnTime)));
    assert!(states.contains(&Some(ResultState::InProgressOnTime)));
    for subtask in &subtasks {
        assert_eq!(subtask.monitoring_body, parent.lead_body);
    }
}

async fn awaiting_entry_lists_the_new_notice(backend: Backend) {
    let (_database, store, _) = seeded(backend, now()).await;
    let filter = DocumentFilter {
        awaiting_entry: true,
        ..Default::default()
    };
    let documents = store
        .list_documents(&everything(), &filter, &PageRequest::default())
        .await
        .expect("list documents");
    let symbols: Vec<String> = documents
        .items
        .iter()
        .map(|document| document.content.symbol.to_string())
        .collect();
    assert_eq!(symbols, ["228-TB/TW"]);

    let filter = TaskFilter {
        document_id: Some(documents.items[0].id),
        ..Default::default()
    };
    let tasks = all_tasks(&store, &everything(), &filter, now()).await;
    assert_eq!(tasks.len(), 3);
    for task in &tasks {
        assert_eq!(task.status, TaskStatus::Draft.as_str());
        assert_eq!(task.result_state, None);
    }
}

async fn classified_tasks_keep_no_content(backend: Backend) {
    let (_database, store, _) = seeded(backend, now()).await;
    let filter = TaskFilter {
        confidentiality: vec![Confidentiality::Confidential],
        ..Default::default()
    };
    let tasks = all_tasks(&store, &everything(), &filter, now()).await;
    assert_eq!(tasks.len(), 3);
    let document = store
        .document(tasks[0].document_id)
        .await
        .expect("load document")
        .expect("document exists");
    assert_eq!(
        document.content.confidentiality,
        Confidentiality::Confidential
    );
    assert_eq!(document.content.summary, None);
    let mut updates = 0;
    for row in &tasks {
        assert_eq!(row.content, None);
        // A completed task counts as 100 % whatever its level; no other percentage is kept.
        if row.status != TaskStatus::Completed.as_str() {
            assert_eq!(row.percent, None);
        }
        let history = store
            .task(row.id)
            .await
            .expect("load task")
            .expect("task exists");
        assert_eq!(history.task.content, None);
        assert_eq!(history.task.expected_products, None);
        for update in &history.task.updates {
            updates += 1;
            assert!(update.content.status.is_final());
            assert_eq!(update.content.percent, None);
            assert_eq!(update.content.results, None);
            assert!(update.content.products.is_empty());
        }
    }
    assert_eq!(updates, 1);

    let uncleared = all_tasks(
        &store,
        &Scope::everything(Clearance::Normal),
        &filter,
        now(),
    )
    .await;
    assert_eq!(uncleared.len(), 0);
}

async fn logins_cover_every_role(backend: Backend) {
    let (_database, store, data) = seeded(backend, now()).await;
    for role in Role::ALL {
        let login = data
            .login(role)
            .unwrap_or_else(|| panic!("no demo login for {}", role.as_str()));
        let user = store
            .user_by_username(&login.username)
            .await
            .expect("load user")
            .unwrap_or_else(|| panic!("demo user {} is missing", login.username));
        assert!(
            user.roles.contains(&role),
            "{} lacks {}",
            login.username,
            role.as_str()
        );
        assert_eq!(user.password_hash, hash(PASSWORD));
        assert_eq!(user.full_name, login.full_name);
    }
    let central = data
        .login(Role::CentralOffice)
        .expect("central office login");
    assert_eq!(central.username, "vptw.nhaplieu");
    assert_eq!(central.org_code, "VPTW");
    let user = store
        .user_by_username("vptw.nhaplieu")
        .await
        .expect("load user")
        .expect("user exists");
    assert_eq!(user.clearance, Clearance::Secret);
    assert_eq!(
        data.login(Role::Inspector).expect("inspector").org_code,
        "UBKTTW"
    );
    let hanoi: Vec<_> = data
        .logins
        .iter()
        .filter(|login| login.org_code == "TU-HNI")
        .map(|login| login.role)
        .collect();
    assert_eq!(hanoi, [Role::Updater, Role::Approver, Role::Approver]);
}

async fn workflow_examples_are_present(backend: Backend) {
    let (_database, store, _) = seeded(backend, now()).await;
    let histories = histories(&store, now()).await;

    let awaiting_handling = histories
        .iter()
        .filter(|history| history.task.status == TaskStatus::Returned)
        .count();
    assert_eq!(awaiting_handling, 1, "one returned task waits for handling");
    let reassigned = histories.iter().any(|history| {
        history.events.iter().any(|stored| {
            matches!(
                &stored.event.change,
                TaskChange::FeedbackHandled {
                    outcome: FeedbackOutcome::Reassigned { .. },
                    ..
                }
            )
        })
    });
    assert!(reassigned, "no feedback handled by reassignment");

    let extended_after_deadline = histories.iter().any(|history| {
        history
            .task
            .deadline_changes
            .iter()
            .any(|change| change.at > end_of_day(change.from))
    });
    assert!(
        extended_after_deadline,
        "no deadline extended after it had passed"
    );

    let awaiting_approval = histories.iter().any(|history| {
        history
            .task
            .open_draft()
            .is_some_and(|update| update.state == UpdateState::AwaitingApproval)
    });
    assert!(awaiting_approval, "no draft update awaiting approval");

    let channels: HashSet<String> = histories
        .iter()
        .flat_map(|history| &history.events)
        .filter_map(|stored| match stored.event.change {
            TaskChange::Urged { channel } => Some(format!("{channel:?}")),
            _ => None,
        })
        .collect();
    assert!(channels.len() >= 6, "urging channels used: {channels:?}");

    let difficulties = histories
        .iter()
        .flat_map(|history| &history.events)
        .filter(|stored| {
            matches!(
                stored.event.change,
                TaskChange::DifficultyReported { copied_to: Some(_) }
            )
        })
        .count();
    assert!(difficulties >= 3);
}

async fn coverage_holds_at_awkward_dates(backend: Backend) {
    let instants = [
        // Sunday night.
        "2026-12-06T15:00:00Z",
        // Before office hours on a Monday.
        "2026-12-07T00:30:00Z",
        // During Tết 2027 (the days off run from 5 to 10 February).
        "2027-02-08T04:00:00Z",
        // National Day.
        "2026-09-02T03:00:00Z",
        // The earliest supported date, at noon.
        "2026-03-02T05:00:00Z",
        // Years later, with long histories.
        "2028-06-15T09:00:00Z",
    ];
    for instant in instants {
        let now: Timestamp = instant.parse().expect("valid instant");
        let (_database, store, _) = seeded(backend, now).await;
        assert_eq!(missing_states(&store, now).await, [], "at {instant}");
        let histories = histories(&store, now).await;
        assert_eq!(
            missing_pairs(&obligation_statuses(&histories, now)),
            [],
            "at {instant}"
        );
    }
}

async fn date_before_earliest_is_rejected(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let store = database.store().await;
    let too_early = Clock::new(now(), WorkingCalendar::builtin()).at(date(2026, 2, 27), 10, 0);
    let error = seed_demo(&store, too_early, &hash, PASSWORD)
        .await
        .expect_err("a date before the earliest demo date is rejected");
    assert!(matches!(error, StoreError::Config(_)), "{error}");
    assert!(error.to_string().contains(&EARLIEST_DEMO_DATE.to_string()));
    assert!(
        store
            .user_by_username("vptw.nhaplieu")
            .await
            .expect("query")
            .is_none()
    );
}

on_both_backends!(
    every_result_state_is_counted,
    every_obligation_kind_is_pending_met_and_breached,
    checkpoints_of_every_kind_are_pending_met_and_breached,
    delegated_task_rolls_up_subtasks,
    awaiting_entry_lists_the_new_notice,
    classified_tasks_keep_no_content,
    logins_cover_every_role,
    workflow_examples_are_present,
    coverage_holds_at_awkward_dates,
    date_before_earliest_is_rejected,
);

#[test]
fn clock_counts_working_days() {
    // Monday 7 December 2026, 10:00 in Hanoi.
    let clock = Clock::new(
        "2026-12-07T03:00:00Z".parse().unwrap(),
        WorkingCalendar::builtin(),
    );
    assert_eq!(clock.working_day_before(1), date(2026, 12, 4));
    assert_eq!(clock.working_day_before(5), date(2026, 11, 30));
    assert_eq!(clock.working_day_after(1), date(2026, 12, 8));
}

#[test]
fn clock_recent_stays_in_office_hours() {
    // Monday 10:00: 90 working minutes earlier is Monday 08:30.
    let monday = Clock::new(
        "2026-12-07T03:00:00Z".parse().unwrap(),
        WorkingCalendar::builtin(),
    );
    assert_eq!(monday.recent(90), monday.at(date(2026, 12, 7), 8, 30));
    // 150 working minutes earlier reaches back to Friday 16:30.
    assert_eq!(monday.recent(150), monday.at(date(2026, 12, 4), 16, 30));
    // Sunday night: a moment ago is the end of Friday afternoon.
    let sunday = Clock::new(
        "2026-12-06T15:00:00Z".parse().unwrap(),
        WorkingCalendar::builtin(),
    );
    assert_eq!(sunday.recent(30), sunday.at(date(2026, 12, 4), 16, 30));
}
