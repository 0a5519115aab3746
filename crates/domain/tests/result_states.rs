//! Result classification of a task at chosen instants, computed from its history.

mod support;

use jiff::Timestamp;
use jiff::civil::{Date, date};
use std::collections::BTreeSet;
use support::*;
use theodoi_domain::result::ResultState;
use theodoi_domain::task::{TaskCommand, TaskStatus};

/// Friday 20 March 2026.
fn deadline() -> Date {
    date(2026, 3, 20)
}

/// A task due on 20 March, transferred and received on Monday 2 March.
fn received(deadline: Option<Date>) -> Scenario {
    let mut scenario = Scenario::task(local(2026, 3, 2, 9, 0), deadline);
    scenario.transfer(local(2026, 3, 2, 10, 0));
    scenario.receive(local(2026, 3, 2, 14, 0));
    scenario
}

fn extend(scenario: &mut Scenario, at: Timestamp, to: Date) {
    scenario.run_because(
        &office(),
        at,
        TaskCommand::ExtendDeadline { to },
        "Thành uỷ đề nghị gia hạn",
    );
}

/// A case of the state tables: name, history after receipt, instant, expected state.
type StateCase = (&'static str, fn(&mut Scenario), Timestamp, ResultState);

fn nothing(_: &mut Scenario) {}

fn draft_only(scenario: &mut Scenario) {
    scenario.draft(local(2026, 3, 9, 9, 0), progress(40));
}

fn approved_not_started(scenario: &mut Scenario) {
    scenario.report(
        local(2026, 3, 9, 9, 0),
        local(2026, 3, 9, 10, 0),
        not_started(),
    );
}

fn started(scenario: &mut Scenario) {
    scenario.report(
        local(2026, 3, 9, 9, 0),
        local(2026, 3, 9, 10, 0),
        progress(40),
    );
}

fn completed_on_deadline(scenario: &mut Scenario) {
    scenario.report(
        local(2026, 3, 20, 15, 0),
        local(2026, 3, 23, 9, 0),
        completed(date(2026, 3, 20)),
    );
}

fn completed_after_deadline(scenario: &mut Scenario) {
    scenario.report(
        local(2026, 3, 24, 9, 0),
        local(2026, 3, 24, 10, 0),
        completed(date(2026, 3, 23)),
    );
}

fn reported_done_not_completed(scenario: &mut Scenario) {
    scenario.report(
        local(2026, 3, 23, 9, 0),
        local(2026, 3, 23, 10, 0),
        done_not_completed(date(2026, 3, 20)),
    );
}

#[test]
fn every_state_with_deadline() {
    use ResultState::*;
    let cases: [StateCase; 13] = [
        (
            "nothing reported, due today",
            nothing,
            local(2026, 3, 20, 23, 59),
            NotStartedOnTime,
        ),
        (
            "nothing reported, day after",
            nothing,
            local(2026, 3, 21, 0, 0),
            NotStartedOverdue,
        ),
        (
            "draft only",
            draft_only,
            local(2026, 3, 20, 12, 0),
            NotStartedOnTime,
        ),
        (
            "draft only, overdue",
            draft_only,
            local(2026, 3, 21, 0, 0),
            NotStartedOverdue,
        ),
        (
            "approved not started",
            approved_not_started,
            local(2026, 3, 10, 9, 0),
            NotStartedOnTime,
        ),
        (
            "started, before start",
            started,
            local(2026, 3, 9, 9, 59),
            NotStartedOnTime,
        ),
        (
            "started",
            started,
            local(2026, 3, 9, 10, 0),
            InProgressOnTime,
        ),
        (
            "started, overdue",
            started,
            local(2026, 3, 23, 9, 0),
            InProgressOverdue,
        ),
        (
            "completed on deadline",
            completed_on_deadline,
            local(2026, 4, 1, 9, 0),
            CompletedOnTime,
        ),
        (
            "completed, before approval",
            completed_on_deadline,
            local(2026, 3, 22, 9, 0),
            NotStartedOverdue,
        ),
        (
            "completed after deadline",
            completed_after_deadline,
            local(2026, 4, 1, 9, 0),
            CompletedLate,
        ),
        (
            "done not completed",
            reported_done_not_completed,
            local(2026, 4, 1, 9, 0),
            DoneNotCompleted,
        ),
        (
            "done not completed, before approval",
            reported_done_not_completed,
            local(2026, 3, 23, 9, 59),
            NotStartedOverdue,
        ),
    ];
    let mut seen = BTreeSet::new();
    for (case, build, at, expected) in cases {
        let mut scenario = received(Some(deadline()));
        build(&mut scenario);
        assert_eq!(scenario.state_at(at), Some(expected), "{case}");
        seen.insert(expected);
    }
    assert_eq!(
        seen.len(),
        7,
        "every state of a task with a deadline is covered"
    );
}

#[test]
fn every_state_without_deadline() {
    use ResultState::*;
    let cases: [StateCase; 5] = [
        (
            "nothing reported",
            nothing,
            local(2030, 1, 1, 9, 0),
            NotStarted,
        ),
        (
            "approved not started",
            approved_not_started,
            local(2026, 3, 10, 9, 0),
            NotStarted,
        ),
        ("started", started, local(2026, 3, 9, 10, 0), InProgress),
        (
            "started, years later",
            started,
            local(2031, 6, 1, 9, 0),
            InProgress,
        ),
        (
            "completed",
            completed_on_deadline,
            local(2026, 3, 23, 9, 0),
            Completed,
        ),
    ];
    let mut seen = BTreeSet::new();
    for (case, build, at, expected) in cases {
        let mut scenario = received(None);
        build(&mut scenario);
        assert_eq!(scenario.state_at(at), Some(expected), "{case}");
        seen.insert(expected);
    }
    assert_eq!(
        seen.len(),
        3,
        "every state of a task without deadline is covered"
    );
}

#[test]
fn due_today_not_overdue() {
    let mut scenario = received(Some(deadline()));
    started(&mut scenario);
    for at in [
        local(2026, 3, 20, 0, 0),
        local(2026, 3, 20, 17, 30),
        local_s(2026, 3, 20, 23, 59, 59),
    ] {
        assert_eq!(
            scenario.state_at(at),
            Some(ResultState::InProgressOnTime),
            "{at}"
        );
    }
    // 00:00 of 21 March at +07:00 is 17:00 UTC on the deadline itself.
    let midnight: Timestamp = "2026-03-20T17:00:00Z".parse().unwrap();
    assert_eq!(midnight, local(2026, 3, 21, 0, 0));
    assert_eq!(
        scenario.state_at(midnight),
        Some(ResultState::InProgressOverdue)
    );
}

#[test]
fn extension_after_deadline_keeps_past() {
    let mut scenario = received(Some(deadline()));
    started(&mut scenario);
    extend(&mut scenario, local(2026, 3, 25, 10, 0), date(2026, 4, 10));

    let cases = [
        (local(2026, 3, 20, 16, 0), ResultState::InProgressOnTime),
        (local(2026, 3, 24, 12, 0), ResultState::InProgressOverdue),
        (local(2026, 3, 25, 9, 59), ResultState::InProgressOverdue),
        (local(2026, 3, 25, 10, 0), ResultState::InProgressOnTime),
        (
            local_s(2026, 4, 10, 23, 59, 59),
            ResultState::InProgressOnTime,
        ),
        (local(2026, 4, 11, 0, 0), ResultState::InProgressOverdue),
    ];
    for (at, expected) in cases {
        assert_eq!(scenario.state_at(at), Some(expected), "{at}");
    }

    let change = &scenario.task.deadline_changes[0];
    assert_eq!(scenario.task.deadline_changes.len(), 1);
    assert_eq!((change.from, change.to), (deadline(), date(2026, 4, 10)));
    assert_eq!(change.by, Some(office().user_id));
    assert_eq!(change.reason.as_deref(), Some("Thành uỷ đề nghị gia hạn"));
    assert_eq!(scenario.task.original_deadline, Some(deadline()));
}

#[test]
fn completed_never_overdue_later() {
    let cases = [
        (date(2026, 3, 18), ResultState::CompletedOnTime),
        (date(2026, 3, 23), ResultState::CompletedLate),
    ];
    for (completed_on, expected) in cases {
        let mut scenario = received(Some(deadline()));
        started(&mut scenario);
        scenario.report(
            local(2026, 3, 24, 9, 0),
            local(2026, 3, 24, 10, 0),
            completed(completed_on),
        );
        let mut day = date(2026, 3, 24);
        while day < date(2028, 1, 1) {
            for hour in [0, 12, 23] {
                let at = theodoi_calendar::at_local(day.at(hour, 0, 0, 0));
                if at < local(2026, 3, 24, 10, 0) {
                    continue;
                }
                assert_eq!(scenario.state_at(at), Some(expected), "{at}");
            }
            day = day.tomorrow().unwrap();
        }
    }
}

#[test]
fn completion_judged_by_deadline_then() {
    // (when the extension to 27 March was granted, completion date, expected state)
    let cases = [
        (
            "granted before completion",
            local(2026, 3, 18, 9, 0),
            date(2026, 3, 25),
            ResultState::CompletedOnTime,
        ),
        (
            "granted on completion date",
            local(2026, 3, 23, 15, 0),
            date(2026, 3, 23),
            ResultState::CompletedOnTime,
        ),
        (
            "granted next morning",
            local(2026, 3, 24, 8, 30),
            date(2026, 3, 23),
            ResultState::CompletedLate,
        ),
        (
            "granted at next midnight",
            local(2026, 3, 24, 0, 0),
            date(2026, 3, 23),
            ResultState::CompletedLate,
        ),
        (
            "completed on old deadline",
            local(2026, 3, 24, 8, 30),
            date(2026, 3, 20),
            ResultState::CompletedOnTime,
        ),
    ];
    for (case, granted, completed_on, expected) in cases {
        let mut scenario = received(Some(deadline()));
        extend(&mut scenario, granted, date(2026, 3, 27));
        scenario.report(
            local(2026, 3, 26, 8, 0),
            local(2026, 3, 26, 9, 0),
            completed(completed_on),
        );
        assert_eq!(
            scenario.state_at(local(2026, 3, 26, 9, 0)),
            Some(expected),
            "{case}"
        );
        assert_eq!(
            scenario.state_at(local(2026, 12, 31, 9, 0)),
            Some(expected),
            "{case}"
        );
    }
}

#[test]
fn done_not_completed_stays() {
    let mut scenario = received(Some(deadline()));
    started(&mut scenario);
    // Reported before the deadline: the body finished execution without achieving the task.
    scenario.report(
        local(2026, 3, 18, 9, 0),
        local(2026, 3, 18, 10, 0),
        done_not_completed(date(2026, 3, 17)),
    );
    assert_eq!(scenario.task.status, TaskStatus::DoneNotCompleted);
    for at in [
        local(2026, 3, 18, 10, 0),
        local(2026, 3, 20, 12, 0),
        local(2026, 6, 1, 9, 0),
    ] {
        assert_eq!(
            scenario.state_at(at),
            Some(ResultState::DoneNotCompleted),
            "{at}"
        );
    }
    assert_eq!(
        scenario.state_at(local(2026, 3, 18, 9, 59)),
        Some(ResultState::InProgressOnTime)
    );

    // A later completion report replaces it.
    scenario.report(
        local(2026, 3, 25, 9, 0),
        local(2026, 3, 25, 10, 0),
        completed(date(2026, 3, 24)),
    );
    assert_eq!(scenario.task.status, TaskStatus::Completed);
    assert_eq!(
        scenario.state_at(local(2026, 3, 25, 10, 0)),
        Some(ResultState::CompletedLate)
    );
    assert_eq!(
        scenario.state_at(local(2026, 3, 24, 9, 0)),
        Some(ResultState::DoneNotCompleted)
    );
}

#[test]
fn draft_has_no_state() {
    let mut scenario = Scenario::task(local(2026, 3, 2, 9, 0), Some(deadline()));
    assert_eq!(scenario.state_at(local(2026, 3, 2, 8, 59)), None);
    assert_eq!(scenario.state_at(local(2026, 3, 2, 9, 0)), None);
    assert_eq!(scenario.state_at(local(2026, 3, 25, 9, 0)), None);

    scenario.transfer(local(2026, 3, 2, 10, 0));
    assert_eq!(scenario.state_at(local(2026, 3, 2, 9, 59)), None);
    assert_eq!(
        scenario.state_at(local(2026, 3, 2, 10, 0)),
        Some(ResultState::NotStartedOnTime)
    );
}

#[test]
fn cancelled_has_no_state() {
    let mut scenario = received(Some(deadline()));
    started(&mut scenario);
    scenario.run_because(
        &office(),
        local(2026, 3, 24, 9, 0),
        TaskCommand::Cancel,
        "Nhiệm vụ không còn phù hợp",
    );
    assert_eq!(scenario.task.status, TaskStatus::Cancelled);
    assert_eq!(
        scenario.state_at(local(2026, 3, 24, 8, 59)),
        Some(ResultState::InProgressOverdue)
    );
    assert_eq!(scenario.state_at(local(2026, 3, 24, 9, 0)), None);
    assert_eq!(scenario.state_at(local(2027, 1, 1, 9, 0)), None);
}

#[test]
fn withdrawal_returns_to_draft() {
    let mut scenario = received(Some(deadline()));
    started(&mut scenario);
    scenario.run_because(
        &office(),
        local(2026, 3, 12, 9, 0),
        TaskCommand::Withdraw,
        "Sửa nội dung nhiệm vụ",
    );
    assert_eq!(scenario.task.status, TaskStatus::Draft);
    assert_eq!(scenario.task.received_at, None);
    assert_eq!(
        scenario.state_at(local(2026, 3, 12, 8, 59)),
        Some(ResultState::InProgressOnTime)
    );
    assert_eq!(scenario.state_at(local(2026, 3, 12, 9, 0)), None);
    assert_eq!(scenario.state_at(local(2026, 3, 25, 9, 0)), None);

    // Transferred again, the approved progress still counts.
    scenario.transfer(local(2026, 3, 13, 9, 0));
    assert_eq!(scenario.task.status, TaskStatus::AwaitingReceipt);
    assert_eq!(
        scenario.state_at(local(2026, 3, 13, 9, 0)),
        Some(ResultState::InProgressOnTime)
    );
}

#[test]
fn voided_approval_stops_counting() {
    let mut scenario = received(Some(deadline()));
    let first = scenario.report(
        local(2026, 3, 5, 9, 0),
        local(2026, 3, 5, 10, 0),
        progress(20),
    );
    scenario.run_because(
        &updater(),
        local(2026, 3, 6, 9, 0),
        TaskCommand::EditUpdate {
            update: first,
            input: progress(30),
        },
        "Sửa số liệu",
    );
    assert_eq!(
        scenario.state_at(local(2026, 3, 5, 12, 0)),
        Some(ResultState::InProgressOnTime)
    );
    assert_eq!(
        scenario.state_at(local(2026, 3, 6, 9, 0)),
        Some(ResultState::NotStartedOnTime)
    );

    scenario.approve(local(2026, 3, 9, 9, 0), first);
    let completion = scenario.report(
        local(2026, 3, 12, 9, 0),
        local(2026, 3, 12, 10, 0),
        completed(date(2026, 3, 11)),
    );
    scenario.run_because(
        &updater(),
        local(2026, 3, 13, 9, 0),
        TaskCommand::EditUpdate {
            update: completion,
            input: progress(90),
        },
        "Chưa hoàn thành sản phẩm",
    );
    assert_eq!(scenario.task.status, TaskStatus::InProgress);
    assert_eq!(
        scenario.state_at(local(2026, 3, 12, 12, 0)),
        Some(ResultState::CompletedOnTime)
    );
    assert_eq!(
        scenario.state_at(local(2026, 3, 13, 9, 0)),
        Some(ResultState::InProgressOnTime)
    );
    assert_eq!(
        scenario.state_at(local(2026, 3, 23, 9, 0)),
        Some(ResultState::InProgressOverdue)
    );
}

#[test]
fn returned_task_keeps_state() {
    let mut scenario = received(Some(deadline()));
    started(&mut scenario);
    scenario.run_because(
        &updater(),
        local(2026, 3, 10, 9, 0),
        TaskCommand::Return {
            kind: theodoi_domain::task::event::FeedbackKind::OutsideAuthority,
        },
        "Nhiệm vụ thuộc thẩm quyền Thành uỷ Hải Phòng",
    );
    assert_eq!(scenario.task.status, TaskStatus::Returned);
    assert_eq!(
        scenario.state_at(local(2026, 3, 10, 9, 0)),
        Some(ResultState::InProgressOnTime)
    );
    assert_eq!(
        scenario.state_at(local(2026, 3, 23, 9, 0)),
        Some(ResultState::InProgressOverdue)
    );
}
