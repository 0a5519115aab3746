//! Timed obligations of the workflow: who owes what by when, and how each is settled.

mod support;

use jiff::civil::{Date, date};
use jiff::{SignedDuration, Timestamp};
use support::*;
use theodoi_domain::error::Code;
use theodoi_domain::ids::{OrgId, UpdateNo};
use theodoi_domain::obligation::{Obligation, ObligationKind, ObligationStatus};
use theodoi_domain::schedule::{Cadence, CheckpointKind};
use theodoi_domain::task::event::FeedbackKind;
use theodoi_domain::task::{FeedbackDecision, TaskCommand, TaskEditInput, TaskStatus};

fn hours(count: i64) -> SignedDuration {
    SignedDuration::from_hours(count)
}

fn breached(by: SignedDuration, met_at: Option<Timestamp>) -> ObligationStatus {
    ObligationStatus::Breached { by, met_at }
}

fn met(at: Timestamp) -> ObligationStatus {
    ObligationStatus::Met { at }
}

/// Creates a task with `deadline` and transfers it at the same instant `at`.
fn transferred(at: Timestamp, deadline: Option<Date>) -> Scenario {
    let mut scenario = Scenario::task(at, deadline);
    scenario.transfer(at);
    scenario
}

fn give_back(scenario: &mut Scenario, at: Timestamp) {
    scenario.run_because(
        &updater(),
        at,
        TaskCommand::Return {
            kind: FeedbackKind::WrongContent,
        },
        "Nội dung nhiệm vụ chưa rõ",
    );
}

/// A command run on a scenario at an instant.
type Step = fn(&mut Scenario, Timestamp);

fn checkpoints(scenario: &Scenario) -> Vec<Obligation> {
    scenario.obligations_named("checkpoint")
}

fn final_reports(scenario: &Scenario) -> Vec<Obligation> {
    scenario.obligations_named("final_report")
}

#[test]
fn status_follows_facts() {
    let due = local(2026, 3, 9, 12, 0);
    let obligation =
        |met_at: Option<Timestamp>, closed_at: Option<Timestamp>, optional| Obligation {
            kind: ObligationKind::Receipt,
            responsible: TU_HNI,
            opened_at: local(2026, 3, 9, 8, 0),
            due_at: due,
            calendar_version: "builtin-1".into(),
            met_at,
            closed_at,
            optional,
        };
    let early = Some(local(2026, 3, 9, 11, 0));
    let late = Some(local(2026, 3, 9, 14, 0));
    let cases = [
        (
            "pending",
            obligation(None, None, false),
            local(2026, 3, 9, 11, 0),
            ObligationStatus::Pending,
        ),
        (
            "pending at due",
            obligation(None, None, false),
            due,
            ObligationStatus::Pending,
        ),
        (
            "met",
            obligation(early, None, false),
            local(2026, 3, 9, 11, 0),
            met(local(2026, 3, 9, 11, 0)),
        ),
        (
            "met at due",
            obligation(Some(due), None, false),
            due,
            met(due),
        ),
        (
            "met later, not yet",
            obligation(early, None, false),
            local(2026, 3, 9, 10, 0),
            ObligationStatus::Pending,
        ),
        (
            "overdue",
            obligation(None, None, false),
            local(2026, 3, 9, 13, 30),
            breached(hours(1) + SignedDuration::from_mins(30), None),
        ),
        (
            "met late",
            obligation(late, None, false),
            local(2026, 3, 10, 9, 0),
            breached(hours(2), late),
        ),
        (
            "overdue before late meeting",
            obligation(late, None, false),
            local(2026, 3, 9, 13, 0),
            breached(hours(1), None),
        ),
        (
            "closed before due",
            obligation(None, early, false),
            local(2026, 3, 10, 9, 0),
            ObligationStatus::Cancelled,
        ),
        (
            "closed after due",
            obligation(None, late, false),
            local(2026, 3, 10, 9, 0),
            breached(hours(2), None),
        ),
        (
            "optional unused",
            obligation(None, None, true),
            local(2026, 3, 9, 13, 0),
            ObligationStatus::NotRequired,
        ),
        (
            "optional pending",
            obligation(None, None, true),
            local(2026, 3, 9, 11, 0),
            ObligationStatus::Pending,
        ),
        (
            "optional met late",
            obligation(late, None, true),
            local(2026, 3, 10, 9, 0),
            breached(hours(2), late),
        ),
        (
            "optional closed before due",
            obligation(None, early, true),
            local(2026, 3, 10, 9, 0),
            ObligationStatus::Cancelled,
        ),
        (
            "optional closed after due",
            obligation(None, late, true),
            local(2026, 3, 10, 9, 0),
            ObligationStatus::NotRequired,
        ),
    ];
    for (case, obligation, now, expected) in cases {
        assert_eq!(obligation.status_at(now), expected, "{case}");
    }
}

#[test]
fn entry_due_three_working_days() {
    // (issue date, due: the end of the third working day after it)
    let cases = [
        ("Monday", date(2026, 3, 2), local(2026, 3, 5, 17, 0)),
        ("Saturday", date(2026, 3, 7), local(2026, 3, 11, 17, 0)),
        ("before Tết", date(2026, 2, 13), local(2026, 2, 25, 17, 0)),
        (
            "make-up Saturday",
            date(2026, 1, 8),
            local(2026, 1, 12, 17, 0),
        ),
        ("new year", date(2025, 12, 31), local(2026, 1, 7, 17, 0)),
    ];
    for (case, issued, due) in cases {
        let scenario = Scenario::task(theodoi_calendar::at_local(issued.at(9, 0, 0, 0)), None);
        let entry = scenario.obligation(ObligationKind::Entry);
        assert_eq!(entry.due_at, due, "{case}");
        assert_eq!(entry.responsible, VPTW, "{case}");
        assert_eq!(
            entry.opened_at,
            theodoi_calendar::at_local(issued.at(9, 0, 0, 0)),
            "{case}"
        );
        assert_eq!(scenario.document.entry_due, due, "{case}");
    }
}

#[test]
fn entry_met_by_first_transfer() {
    let due = local(2026, 2, 25, 17, 0);
    let cases = [
        (local(2026, 2, 13, 15, 0), met(local(2026, 2, 13, 15, 0))),
        (due, met(due)),
        (
            local(2026, 2, 26, 9, 0),
            breached(hours(16), Some(local(2026, 2, 26, 9, 0))),
        ),
    ];
    for (transfer, expected) in cases {
        let mut scenario = Scenario::task(local(2026, 2, 13, 9, 0), None);
        scenario.transfer(transfer);
        let entry = scenario.obligation(ObligationKind::Entry);
        assert_eq!(
            entry.status_at(local(2026, 12, 1, 9, 0)),
            expected,
            "{transfer}"
        );
    }

    // A second transfer, after feedback, leaves the entry as it was.
    let mut scenario = Scenario::task(local(2026, 2, 13, 9, 0), None);
    scenario.transfer(local(2026, 2, 13, 15, 0));
    give_back(&mut scenario, local(2026, 2, 23, 9, 0));
    scenario.run(
        &office(),
        local(2026, 2, 26, 9, 0),
        TaskCommand::HandleFeedback(FeedbackDecision::Reassign { to: TU_HPG }),
    );
    assert_eq!(
        scenario.obligation(ObligationKind::Entry).met_at,
        Some(local(2026, 2, 13, 15, 0))
    );
}

#[test]
fn entry_breached_while_draft() {
    let scenario = Scenario::task(local(2026, 3, 2, 9, 0), None);
    let entry = scenario.obligation(ObligationKind::Entry);
    assert_eq!(
        entry.status_at(local(2026, 3, 5, 17, 0)),
        ObligationStatus::Pending
    );
    assert_eq!(
        entry.status_at(local(2026, 3, 6, 9, 0)),
        breached(hours(16), None)
    );
}

#[test]
fn receipt_due_four_working_hours() {
    // (transfer, due)
    let cases = [
        (
            "Friday afternoon",
            local(2026, 3, 6, 16, 30),
            local(2026, 3, 9, 11, 30),
        ),
        (
            "Monday opening",
            local(2026, 3, 9, 8, 0),
            local(2026, 3, 9, 12, 0),
        ),
        (
            "across lunch",
            local(2026, 3, 9, 10, 30),
            local(2026, 3, 9, 15, 30),
        ),
        (
            "during lunch",
            local(2026, 3, 9, 12, 30),
            local(2026, 3, 9, 17, 0),
        ),
        (
            "evening",
            local(2026, 3, 9, 18, 0),
            local(2026, 3, 10, 12, 0),
        ),
        (
            "before Tết",
            local(2026, 2, 13, 16, 30),
            local(2026, 2, 23, 11, 30),
        ),
        (
            "before make-up Saturday",
            local(2026, 1, 9, 16, 30),
            local(2026, 1, 10, 11, 30),
        ),
    ];
    for (case, transfer, due) in cases {
        let scenario = transferred(transfer, None);
        let receipt = scenario.obligation(ObligationKind::Receipt);
        assert_eq!(receipt.due_at, due, "{case}");
        assert_eq!(receipt.opened_at, transfer, "{case}");
        assert_eq!(receipt.responsible, TU_HNI, "{case}");
        assert!(!receipt.optional, "{case}");
    }
}

#[test]
fn receipt_met_by_confirmation_or_return() {
    let transfer = local(2026, 3, 9, 8, 0);
    let later = local(2026, 3, 20, 9, 0);

    let mut on_time = transferred(transfer, None);
    on_time.receive(local(2026, 3, 9, 11, 0));
    assert_eq!(
        on_time.obligation(ObligationKind::Receipt).status_at(later),
        met(local(2026, 3, 9, 11, 0))
    );

    let mut late = transferred(transfer, None);
    late.receive(local(2026, 3, 9, 14, 0));
    assert_eq!(
        late.obligation(ObligationKind::Receipt).status_at(later),
        breached(hours(2), Some(local(2026, 3, 9, 14, 0)))
    );

    let mut returned = transferred(transfer, None);
    give_back(&mut returned, local(2026, 3, 9, 10, 0));
    assert_eq!(
        returned
            .obligation(ObligationKind::Receipt)
            .status_at(later),
        met(local(2026, 3, 9, 10, 0))
    );
    assert!(returned.obligations_named("feedback").is_empty());

    let unconfirmed = transferred(transfer, None);
    assert_eq!(
        unconfirmed
            .obligation(ObligationKind::Receipt)
            .status_at(local(2026, 3, 9, 13, 15)),
        breached(hours(1) + SignedDuration::from_mins(15), None)
    );
}

#[test]
fn feedback_window_eight_working_hours() {
    let mut scenario = transferred(local(2026, 3, 9, 8, 0), None);
    scenario.receive(local(2026, 3, 9, 10, 0));
    let feedback = scenario.obligation(ObligationKind::Feedback);
    // Monday 10:00–12:00 and 13:00–17:00 give six hours, Tuesday 08:00–10:00 the last two.
    assert_eq!(feedback.due_at, local(2026, 3, 10, 10, 0));
    assert_eq!(feedback.opened_at, local(2026, 3, 9, 10, 0));
    assert_eq!(feedback.responsible, TU_HNI);
    assert!(feedback.optional);
    assert_eq!(
        feedback.status_at(local(2026, 3, 10, 10, 0)),
        ObligationStatus::Pending
    );
    assert_eq!(
        feedback.status_at(local_s(2026, 3, 10, 10, 0, 1)),
        ObligationStatus::NotRequired
    );
}

#[test]
fn feedback_met_or_late() {
    let cases = [
        (local(2026, 3, 10, 9, 0), met(local(2026, 3, 10, 9, 0))),
        (
            local(2026, 3, 10, 11, 0),
            breached(hours(1), Some(local(2026, 3, 10, 11, 0))),
        ),
    ];
    for (returned_at, expected) in cases {
        let mut scenario = transferred(local(2026, 3, 9, 8, 0), None);
        scenario.receive(local(2026, 3, 9, 10, 0));
        give_back(&mut scenario, returned_at);
        let feedback = scenario.obligation(ObligationKind::Feedback);
        assert_eq!(
            feedback.status_at(local(2026, 3, 20, 9, 0)),
            expected,
            "{returned_at}"
        );
    }
}

#[test]
fn unused_feedback_not_required_after_cancel() {
    let mut scenario = transferred(local(2026, 3, 9, 8, 0), None);
    scenario.receive(local(2026, 3, 9, 10, 0));
    scenario.run_because(
        &office(),
        local(2026, 3, 12, 9, 0),
        TaskCommand::Cancel,
        "Nhiệm vụ không còn phù hợp",
    );
    assert_eq!(
        scenario
            .obligation(ObligationKind::Feedback)
            .status_at(local(2026, 3, 20, 9, 0)),
        ObligationStatus::NotRequired
    );
}

#[test]
fn feedback_handling_one_working_day() {
    // (returned at, handled at, due, status)
    let cases = [
        (
            local(2026, 3, 10, 9, 0),
            local(2026, 3, 11, 16, 0),
            local(2026, 3, 11, 17, 0),
            met(local(2026, 3, 11, 16, 0)),
        ),
        (
            local(2026, 3, 10, 9, 0),
            local(2026, 3, 12, 9, 0),
            local(2026, 3, 11, 17, 0),
            breached(hours(16), Some(local(2026, 3, 12, 9, 0))),
        ),
        (
            local(2026, 3, 13, 16, 0),
            local(2026, 3, 16, 9, 0),
            local(2026, 3, 16, 17, 0),
            met(local(2026, 3, 16, 9, 0)),
        ),
        (
            local(2026, 2, 13, 10, 0),
            local(2026, 2, 23, 9, 0),
            local(2026, 2, 23, 17, 0),
            met(local(2026, 2, 23, 9, 0)),
        ),
    ];
    for (returned_at, handled_at, due, expected) in cases {
        let transfer = returned_at.checked_sub(hours(1)).unwrap();
        let mut scenario = transferred(transfer, None);
        give_back(&mut scenario, returned_at);
        let handling = scenario.obligation(ObligationKind::FeedbackHandling);
        assert_eq!(handling.due_at, due, "{returned_at}");
        assert_eq!(handling.opened_at, returned_at, "{returned_at}");
        assert_eq!(handling.responsible, VPTW, "{returned_at}");
        scenario.run_because(
            &office(),
            handled_at,
            TaskCommand::HandleFeedback(FeedbackDecision::Reject),
            "Nhiệm vụ đúng thẩm quyền",
        );
        let handling = scenario.obligation(ObligationKind::FeedbackHandling);
        assert_eq!(
            handling.status_at(local(2026, 12, 1, 9, 0)),
            expected,
            "{returned_at}"
        );
    }
}

#[test]
fn every_outcome_starts_new_receipt() {
    let content = TaskEditInput {
        content: Some("Xây dựng kho dữ liệu dùng chung, phạm vi toàn thành phố".into()),
        ..Default::default()
    };
    let products = TaskEditInput {
        expected_products: Some("Đề án kho dữ liệu".into()),
        ..Default::default()
    };
    let cases = [
        ("adjust", FeedbackDecision::Adjust(content), TU_HNI),
        ("correct", FeedbackDecision::Correct(products), TU_HNI),
        (
            "reassign",
            FeedbackDecision::Reassign { to: TU_HPG },
            TU_HPG,
        ),
        ("reject", FeedbackDecision::Reject, TU_HNI),
    ];
    for (case, decision, lead) in cases {
        let mut scenario = transferred(local(2026, 3, 9, 8, 0), Some(date(2026, 3, 31)));
        scenario.receive(local(2026, 3, 9, 9, 0));
        give_back(&mut scenario, local(2026, 3, 10, 9, 0));
        let handled = local(2026, 3, 11, 10, 30);
        let events = scenario.run_because(
            &office(),
            handled,
            TaskCommand::HandleFeedback(decision),
            "Đã xem xét phản hồi",
        );
        let names: Vec<&str> = events.iter().map(|event| event.change.name()).collect();
        assert_eq!(names, ["feedback_handled", "transferred"], "{case}");
        assert_eq!(scenario.task.status, TaskStatus::AwaitingReceipt, "{case}");
        assert_eq!(scenario.task.lead_body, lead, "{case}");
        assert_eq!(scenario.task.pending_feedback, None, "{case}");

        let receipts = scenario.obligations_named("receipt");
        assert_eq!(receipts.len(), 2, "{case}");
        assert_eq!(receipts[0].met_at, Some(local(2026, 3, 9, 9, 0)), "{case}");
        assert_eq!(receipts[1].opened_at, handled, "{case}");
        assert_eq!(receipts[1].due_at, local(2026, 3, 11, 15, 30), "{case}");
        assert_eq!(receipts[1].responsible, lead, "{case}");
        assert_eq!(
            receipts[1].status_at(local(2026, 3, 11, 15, 31)),
            breached(SignedDuration::from_mins(1), None),
            "{case}"
        );
        assert_eq!(
            scenario
                .obligation(ObligationKind::FeedbackHandling)
                .status_at(handled),
            met(handled),
            "{case}"
        );
    }
}

#[test]
fn under_one_month_final_report() {
    let mut scenario = transferred(local(2026, 3, 2, 8, 0), Some(date(2026, 3, 20)));
    let schedule = scenario.task.schedule.clone().unwrap();
    assert_eq!(schedule.cadence, Cadence::UnderOneMonth);
    assert!(checkpoints(&scenario).is_empty());
    let planned = scenario.obligation(ObligationKind::FinalReport);
    assert_eq!(planned.opened_at, local(2026, 3, 2, 8, 0));
    assert_eq!(planned.due_at, local(2026, 3, 25, 17, 0));
    assert_eq!(planned.responsible, TU_HNI);

    scenario.receive(local(2026, 3, 2, 9, 0));
    let mut late = scenario.clone();
    scenario.report(
        local(2026, 3, 17, 9, 0),
        local(2026, 3, 20, 10, 0),
        completed(date(2026, 3, 17)),
    );
    let report = scenario.obligation(ObligationKind::FinalReport);
    // Three working days after the reported completion date, not after the deadline.
    assert_eq!(report.due_at, local(2026, 3, 20, 17, 0));
    assert_eq!(
        report.status_at(local(2026, 4, 1, 9, 0)),
        met(local(2026, 3, 20, 10, 0))
    );

    late.report(
        local(2026, 3, 17, 9, 0),
        local(2026, 3, 23, 9, 0),
        completed(date(2026, 3, 17)),
    );
    assert_eq!(
        late.obligation(ObligationKind::FinalReport)
            .status_at(local(2026, 4, 1, 9, 0)),
        breached(hours(64), Some(local(2026, 3, 23, 9, 0)))
    );
}

#[test]
fn one_to_three_months_half() {
    let mut scenario = transferred(local(2026, 3, 2, 8, 0), Some(date(2026, 4, 10)));
    assert_eq!(
        scenario.task.schedule.as_ref().unwrap().cadence,
        Cadence::OneToThreeMonths
    );
    let half = scenario.obligation(ObligationKind::Checkpoint {
        checkpoint: CheckpointKind::Half,
    });
    // From Monday 08:00 to the end of 10 April is 952 hours, so the half ends on Sunday 22
    // March at 04:00. The update is due three working days later.
    assert_eq!(half.opened_at, local(2026, 3, 22, 4, 0));
    assert_eq!(half.due_at, local(2026, 3, 25, 17, 0));
    assert_eq!(half.responsible, TU_HNI);
    assert_eq!(checkpoints(&scenario).len(), 1);
    assert_eq!(
        scenario.obligation(ObligationKind::FinalReport).due_at,
        local(2026, 4, 15, 17, 0)
    );

    scenario.receive(local(2026, 3, 2, 9, 0));
    // An update before the half does not count for it.
    scenario.report(
        local(2026, 3, 20, 9, 0),
        local(2026, 3, 20, 10, 0),
        progress(30),
    );
    let mut unmet = scenario.clone();
    scenario.report(
        local(2026, 3, 24, 9, 0),
        local(2026, 3, 24, 10, 0),
        progress(50),
    );
    assert_eq!(
        checkpoints(&scenario)[0].status_at(local(2026, 4, 1, 9, 0)),
        met(local(2026, 3, 24, 10, 0))
    );
    assert_eq!(
        checkpoints(&unmet)[0].status_at(local_s(2026, 3, 25, 17, 0, 1)),
        breached(SignedDuration::from_secs(1), None)
    );
    unmet.report(
        local(2026, 3, 26, 9, 0),
        local(2026, 3, 26, 9, 30),
        progress(50),
    );
    assert_eq!(
        checkpoints(&unmet)[0].status_at(local(2026, 4, 1, 9, 0)),
        breached(
            hours(16) + SignedDuration::from_mins(30),
            Some(local(2026, 3, 26, 9, 30))
        )
    );
}

#[test]
fn three_to_six_months_quarters() {
    let mut scenario = transferred(local(2026, 3, 2, 8, 0), Some(date(2026, 6, 30)));
    let schedule = scenario.task.schedule.clone().unwrap();
    assert_eq!(schedule.cadence, Cadence::ThreeToSixMonths);
    assert_eq!(schedule.final_report_working_days, Some(5));
    let found: Vec<(ObligationKind, Timestamp, Timestamp)> = checkpoints(&scenario)
        .iter()
        .map(|o| (o.kind, o.opened_at, o.due_at))
        .collect();
    // 2 896 hours from transfer to the end of 30 June: the half falls on the holiday of
    // 1 May, the three quarters on Sunday 31 May.
    assert_eq!(
        found,
        [
            (
                ObligationKind::Checkpoint {
                    checkpoint: CheckpointKind::Half
                },
                local(2026, 5, 1, 16, 0),
                local(2026, 5, 6, 17, 0)
            ),
            (
                ObligationKind::Checkpoint {
                    checkpoint: CheckpointKind::ThreeQuarters
                },
                local(2026, 5, 31, 20, 0),
                local(2026, 6, 3, 17, 0)
            ),
        ]
    );
    assert_eq!(
        scenario.obligation(ObligationKind::FinalReport).due_at,
        local(2026, 7, 7, 17, 0)
    );

    scenario.receive(local(2026, 3, 2, 9, 0));
    scenario.report(
        local(2026, 5, 4, 9, 0),
        local(2026, 5, 4, 10, 0),
        progress(50),
    );
    scenario.report(
        local(2026, 6, 2, 9, 0),
        local(2026, 6, 2, 10, 0),
        progress(80),
    );
    scenario.report(
        local(2026, 6, 12, 9, 0),
        local(2026, 6, 15, 9, 0),
        completed(date(2026, 6, 12)),
    );
    let statuses: Vec<ObligationStatus> = checkpoints(&scenario)
        .iter()
        .map(|o| o.status_at(local(2026, 7, 1, 9, 0)))
        .collect();
    assert_eq!(
        statuses,
        [met(local(2026, 5, 4, 10, 0)), met(local(2026, 6, 2, 10, 0))]
    );
    let report = scenario.obligation(ObligationKind::FinalReport);
    // Five working days after Friday 12 June.
    assert_eq!(report.due_at, local(2026, 6, 19, 17, 0));
    assert_eq!(report.met_at, Some(local(2026, 6, 15, 9, 0)));
}

#[test]
fn six_months_or_more_periodic() {
    let scenario = transferred(local(2026, 3, 2, 8, 0), Some(date(2026, 11, 30)));
    let schedule = scenario.task.schedule.clone().unwrap();
    assert_eq!(schedule.cadence, Cadence::SixMonthsOrMore);
    let found: Vec<(CheckpointKind, Timestamp, Timestamp)> = checkpoints(&scenario)
        .iter()
        .map(|o| match o.kind {
            ObligationKind::Checkpoint { checkpoint } => (checkpoint, o.opened_at, o.due_at),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    let month = |start: Date, end: Date, due: Timestamp| {
        let opened = if start == date(2026, 3, 2) {
            local(2026, 3, 2, 8, 0)
        } else {
            theodoi_calendar::at_local(start.at(0, 0, 0, 0))
        };
        (CheckpointKind::Period { start, end }, opened, due)
    };
    // Each month is due at the end of its last working day; November is left to the final
    // report because it ends on the deadline.
    assert_eq!(
        found,
        [
            month(
                date(2026, 3, 2),
                date(2026, 3, 31),
                local(2026, 3, 31, 17, 0)
            ),
            month(
                date(2026, 4, 1),
                date(2026, 4, 30),
                local(2026, 4, 29, 17, 0)
            ),
            month(
                date(2026, 5, 1),
                date(2026, 5, 31),
                local(2026, 5, 29, 17, 0)
            ),
            month(
                date(2026, 6, 1),
                date(2026, 6, 30),
                local(2026, 6, 30, 17, 0)
            ),
            month(
                date(2026, 7, 1),
                date(2026, 7, 31),
                local(2026, 7, 31, 17, 0)
            ),
            month(
                date(2026, 8, 1),
                date(2026, 8, 31),
                local(2026, 8, 28, 17, 0)
            ),
            month(
                date(2026, 9, 1),
                date(2026, 9, 30),
                local(2026, 9, 30, 17, 0)
            ),
            month(
                date(2026, 10, 1),
                date(2026, 10, 31),
                local(2026, 10, 30, 17, 0)
            ),
        ]
    );
    assert_eq!(
        scenario.obligation(ObligationKind::FinalReport).due_at,
        local(2026, 12, 7, 17, 0)
    );
}

#[test]
fn no_deadline_periodic_only() {
    let mut scenario = transferred(local(2026, 3, 10, 9, 0), None);
    let schedule = scenario.task.schedule.clone().unwrap();
    assert_eq!(schedule.cadence, Cadence::NoDeadline);
    let found = checkpoints(&scenario);
    assert_eq!(found.len(), 12);
    assert_eq!(
        found[0].kind,
        ObligationKind::Checkpoint {
            checkpoint: CheckpointKind::Period {
                start: date(2026, 3, 10),
                end: date(2026, 3, 31)
            }
        }
    );
    assert_eq!(found[0].opened_at, local(2026, 3, 10, 9, 0));
    assert_eq!(found[0].due_at, local(2026, 3, 31, 17, 0));
    assert_eq!(found[1].due_at, local(2026, 4, 29, 17, 0));
    assert!(final_reports(&scenario).is_empty());

    scenario.receive(local(2026, 3, 10, 10, 0));
    scenario.report(
        local(2026, 3, 30, 9, 0),
        local(2026, 3, 30, 10, 0),
        progress(40),
    );
    scenario.report(
        local(2026, 4, 15, 9, 0),
        local(2026, 4, 15, 10, 0),
        completed(date(2026, 4, 14)),
    );
    assert!(final_reports(&scenario).is_empty());
    let statuses: Vec<ObligationStatus> = checkpoints(&scenario)
        .iter()
        .map(|o| o.status_at(local(2027, 6, 1, 9, 0)))
        .collect();
    assert_eq!(statuses[0], met(local(2026, 3, 30, 10, 0)));
    assert_eq!(statuses[1], met(local(2026, 4, 15, 10, 0)));
    // A completed task owes no further progress reports.
    for (index, status) in statuses.iter().enumerate().skip(2) {
        assert_eq!(*status, ObligationStatus::Cancelled, "checkpoint {index}");
    }
}

#[test]
fn completion_closes_later_checkpoints() {
    let mut scenario = transferred(local(2026, 3, 2, 8, 0), Some(date(2026, 4, 10)));
    scenario.receive(local(2026, 3, 2, 9, 0));
    scenario.report(
        local(2026, 3, 16, 9, 0),
        local(2026, 3, 16, 10, 0),
        completed(date(2026, 3, 13)),
    );
    assert_eq!(
        checkpoints(&scenario)[0].status_at(local(2026, 4, 1, 9, 0)),
        ObligationStatus::Cancelled
    );
    assert_eq!(
        scenario
            .obligation(ObligationKind::FinalReport)
            .status_at(local(2026, 4, 1, 9, 0)),
        met(local(2026, 3, 16, 10, 0))
    );

    // Voiding the completion puts both back.
    scenario.run_because(
        &updater(),
        local(2026, 3, 17, 9, 0),
        TaskCommand::EditUpdate {
            update: UpdateNo(1),
            input: progress(80),
        },
        "Sản phẩm chưa được thông qua",
    );
    assert_eq!(scenario.task.status, TaskStatus::InProgress);
    assert_eq!(
        checkpoints(&scenario)[0].status_at(local(2026, 3, 23, 9, 0)),
        ObligationStatus::Pending
    );
    let report = scenario.obligation(ObligationKind::FinalReport);
    assert_eq!(report.due_at, local(2026, 4, 15, 17, 0));
    assert_eq!(
        report.status_at(local(2026, 4, 1, 9, 0)),
        ObligationStatus::Pending
    );
}

#[test]
fn voiding_other_update_keeps_final_report() {
    let mut scenario = transferred(local(2026, 3, 2, 8, 0), Some(date(2026, 3, 20)));
    scenario.receive(local(2026, 3, 2, 9, 0));
    let first = scenario.report(
        local(2026, 3, 5, 9, 0),
        local(2026, 3, 5, 10, 0),
        progress(40),
    );
    scenario.report(
        local(2026, 3, 12, 9, 0),
        local(2026, 3, 12, 10, 0),
        completed(date(2026, 3, 11)),
    );
    // Only the completion report itself may be reopened on a completed task.
    let refused = scenario
        .try_run(
            &updater(),
            local(2026, 3, 13, 9, 0),
            TaskCommand::EditUpdate {
                update: first,
                input: progress(45),
            },
            Some("Sửa số liệu"),
        )
        .unwrap_err();
    assert_eq!(refused.code, Code::TaskWrongState);
    assert_eq!(scenario.task.status, TaskStatus::Completed);
    assert_eq!(
        scenario
            .obligation(ObligationKind::FinalReport)
            .status_at(local(2026, 4, 1, 9, 0)),
        met(local(2026, 3, 12, 10, 0))
    );
}

#[test]
fn requested_update_due_end_of_day() {
    // (requested due date, due instant)
    let cases = [
        ("Friday", date(2026, 3, 13), local(2026, 3, 13, 17, 0)),
        ("Saturday", date(2026, 3, 14), local(2026, 3, 16, 17, 0)),
        ("today", date(2026, 3, 10), local(2026, 3, 10, 17, 0)),
    ];
    for (case, due, due_at) in cases {
        let mut scenario = transferred(local(2026, 3, 9, 8, 0), Some(date(2026, 6, 30)));
        scenario.receive(local(2026, 3, 9, 9, 0));
        scenario.report(
            local(2026, 3, 9, 10, 0),
            local(2026, 3, 9, 11, 0),
            progress(10),
        );
        scenario.run(
            &monitor(),
            local(2026, 3, 10, 9, 0),
            TaskCommand::RequestUpdate { due },
        );
        let request = scenario.obligation(ObligationKind::RequestedUpdate);
        assert_eq!(request.due_at, due_at, "{case}");
        assert_eq!(request.opened_at, local(2026, 3, 10, 9, 0), "{case}");
        assert_eq!(request.responsible, TU_HNI, "{case}");
        // The approval before the request does not meet it.
        assert_eq!(request.met_at, None, "{case}");
    }
}

#[test]
fn requested_update_met_or_breached() {
    let mut scenario = transferred(local(2026, 3, 9, 8, 0), Some(date(2026, 6, 30)));
    scenario.receive(local(2026, 3, 9, 9, 0));
    scenario.run(
        &office(),
        local(2026, 3, 10, 9, 0),
        TaskCommand::RequestUpdate {
            due: date(2026, 3, 13),
        },
    );
    let unanswered = scenario.clone();
    scenario.report(
        local(2026, 3, 12, 9, 0),
        local(2026, 3, 12, 10, 0),
        progress(20),
    );
    assert_eq!(
        scenario
            .obligation(ObligationKind::RequestedUpdate)
            .status_at(local(2026, 3, 20, 9, 0)),
        met(local(2026, 3, 12, 10, 0))
    );
    assert_eq!(
        unanswered
            .obligation(ObligationKind::RequestedUpdate)
            .status_at(local(2026, 3, 16, 9, 0)),
        breached(hours(64), None)
    );
}

#[test]
fn evaluation_three_working_days() {
    let mut scenario = transferred(local(2026, 3, 9, 8, 0), Some(date(2026, 6, 30)));
    scenario.receive(local(2026, 3, 9, 9, 0));
    let update = scenario.report(
        local(2026, 3, 10, 9, 0),
        local(2026, 3, 10, 10, 0),
        progress(10),
    );
    let evaluation = scenario.obligation(ObligationKind::Evaluation { update });
    assert_eq!(evaluation.opened_at, local(2026, 3, 10, 10, 0));
    assert_eq!(evaluation.due_at, local(2026, 3, 13, 17, 0));
    assert_eq!(evaluation.responsible, VPTW);

    let evaluate = |scenario: &mut Scenario, at: Timestamp| {
        scenario.run(
            &monitor(),
            at,
            TaskCommand::EvaluateUpdate {
                update,
                rating: theodoi_domain::task::update::Rating::Good,
                comment: None,
            },
        );
    };
    let mut late = scenario.clone();
    evaluate(&mut scenario, local(2026, 3, 13, 16, 0));
    assert_eq!(
        scenario
            .obligation(ObligationKind::Evaluation { update })
            .status_at(local(2026, 3, 20, 9, 0)),
        met(local(2026, 3, 13, 16, 0))
    );
    evaluate(&mut late, local(2026, 3, 16, 9, 0));
    assert_eq!(
        late.obligation(ObligationKind::Evaluation { update })
            .status_at(local(2026, 3, 20, 9, 0)),
        breached(hours(64), Some(local(2026, 3, 16, 9, 0)))
    );
}

#[test]
fn voided_approval_cancels_evaluation() {
    let mut scenario = transferred(local(2026, 3, 9, 8, 0), Some(date(2026, 6, 30)));
    scenario.receive(local(2026, 3, 9, 9, 0));
    let update = scenario.report(
        local(2026, 3, 10, 9, 0),
        local(2026, 3, 10, 10, 0),
        progress(10),
    );
    let mut after_due = scenario.clone();
    let edit = TaskCommand::EditUpdate {
        update,
        input: progress(15),
    };

    scenario.run_because(
        &updater(),
        local(2026, 3, 11, 9, 0),
        edit.clone(),
        "Sửa số liệu",
    );
    scenario.approve(local(2026, 3, 11, 10, 0), update);
    let evaluations = scenario.obligations_named("evaluation");
    assert_eq!(evaluations.len(), 2);
    assert_eq!(
        evaluations[0].status_at(local(2026, 3, 20, 9, 0)),
        ObligationStatus::Cancelled
    );
    assert_eq!(evaluations[1].opened_at, local(2026, 3, 11, 10, 0));
    assert_eq!(evaluations[1].due_at, local(2026, 3, 16, 17, 0));

    after_due.run_because(&updater(), local(2026, 3, 16, 9, 0), edit, "Sửa số liệu");
    assert_eq!(
        after_due
            .obligation(ObligationKind::Evaluation { update })
            .status_at(local(2026, 3, 20, 9, 0)),
        breached(hours(64), None)
    );
}

#[test]
fn closing_cancels_or_breaches() {
    let cancel = |scenario: &mut Scenario, at: Timestamp| {
        scenario.run_because(&office(), at, TaskCommand::Cancel, "Không còn phù hợp");
    };
    let withdraw = |scenario: &mut Scenario, at: Timestamp| {
        scenario.run_because(&office(), at, TaskCommand::Withdraw, "Sửa nội dung");
    };
    let closers: [(&str, Step); 2] = [("cancel", cancel), ("withdraw", withdraw)];
    for (name, close) in closers {
        // The receipt of a transfer at 08:00 is due at 12:00.
        let mut early = transferred(local(2026, 3, 9, 8, 0), Some(date(2026, 3, 20)));
        close(&mut early, local(2026, 3, 9, 10, 0));
        let mut late = transferred(local(2026, 3, 9, 8, 0), Some(date(2026, 3, 20)));
        close(&mut late, local(2026, 3, 9, 14, 0));
        let later = local(2026, 6, 1, 9, 0);
        assert_eq!(
            early.obligation(ObligationKind::Receipt).status_at(later),
            ObligationStatus::Cancelled,
            "{name}"
        );
        assert_eq!(
            late.obligation(ObligationKind::Receipt).status_at(later),
            breached(hours(2), None),
            "{name}"
        );
        assert_eq!(
            early
                .obligation(ObligationKind::FinalReport)
                .status_at(later),
            ObligationStatus::Cancelled,
            "{name}"
        );
        for obligation in early.obligations() {
            assert!(
                obligation.met_at.is_some() || obligation.closed_at.is_some(),
                "{name}: {obligation:?}"
            );
        }
    }

    let mut draft = Scenario::task(local(2026, 3, 2, 9, 0), None);
    cancel(&mut draft, local(2026, 3, 6, 9, 0));
    assert_eq!(
        draft
            .obligation(ObligationKind::Entry)
            .status_at(local(2026, 6, 1, 9, 0)),
        breached(hours(16), None)
    );
}

#[test]
fn obligations_name_responsible_body() {
    let mut scenario = transferred(local(2026, 3, 9, 8, 0), Some(date(2026, 4, 30)));
    scenario.receive(local(2026, 3, 9, 9, 0));
    let update = scenario.report(
        local(2026, 3, 10, 9, 0),
        local(2026, 3, 10, 10, 0),
        progress(10),
    );
    scenario.run(
        &office(),
        local(2026, 3, 10, 11, 0),
        TaskCommand::RequestUpdate {
            due: date(2026, 3, 20),
        },
    );
    give_back(&mut scenario, local(2026, 3, 11, 9, 0));
    let expected: [(ObligationKind, OrgId); 6] = [
        (ObligationKind::Entry, VPTW),
        (ObligationKind::Receipt, TU_HNI),
        (ObligationKind::Feedback, TU_HNI),
        (ObligationKind::Evaluation { update }, VPTW),
        (ObligationKind::RequestedUpdate, TU_HNI),
        (ObligationKind::FeedbackHandling, VPTW),
    ];
    for (kind, body) in expected {
        assert_eq!(scenario.obligation(kind).responsible, body, "{kind:?}");
    }
    // The body's reporting clocks stop while the task is back with the Central Office.
    assert_eq!(
        scenario
            .obligation(ObligationKind::RequestedUpdate)
            .status_at(local(2026, 3, 25, 9, 0)),
        ObligationStatus::Cancelled
    );
}

#[test]
fn late_transfer_final_report() {
    // Entered with a deadline that passes before the transfer: the final report is counted from
    // the transfer day, not from the deadline.
    let mut scenario = Scenario::task(local(2026, 3, 2, 9, 0), Some(date(2026, 3, 5)));
    scenario.transfer(local(2026, 3, 11, 9, 0));
    let report = scenario.obligation(ObligationKind::FinalReport);
    assert_eq!(report.opened_at, local(2026, 3, 11, 9, 0));
    assert_eq!(report.due_at, local(2026, 3, 16, 17, 0));
    assert_eq!(
        scenario.state_at(local(2026, 3, 11, 9, 0)),
        Some(theodoi_domain::result::ResultState::NotStartedOverdue)
    );
}

#[test]
fn final_report_clock_starts_at_completion() {
    let mut scenario = transferred(local(2026, 3, 2, 8, 0), Some(date(2026, 3, 20)));
    scenario.receive(local(2026, 3, 2, 9, 0));
    // Execution finished on 10 March; the deadline is extended before the body reports it,
    // which plans a new final report.
    scenario.run_because(
        &office(),
        local(2026, 3, 12, 9, 0),
        TaskCommand::ExtendDeadline {
            to: date(2026, 3, 27),
        },
        "Bổ sung thời gian",
    );
    scenario.report(
        local(2026, 3, 16, 8, 30),
        local(2026, 3, 16, 9, 0),
        completed(date(2026, 3, 10)),
    );
    let reports = final_reports(&scenario);
    assert_eq!(reports.len(), 2);
    assert_eq!(
        reports[0].status_at(local(2026, 3, 12, 9, 0)),
        ObligationStatus::Cancelled
    );
    assert_eq!(reports[1].opened_at, local(2026, 3, 10, 0, 0));
    assert_eq!(reports[1].due_at, local(2026, 3, 13, 17, 0));
    assert_eq!(
        reports[1].status_at(local(2026, 4, 1, 9, 0)),
        breached(hours(64), Some(local(2026, 3, 16, 9, 0)))
    );
}

/// Builds a task due 20 March whose body reports, on 18 March, that execution finished without
/// the task being achieved (update 1), and later that it completed it after all (update 2).
fn done_then_completed() -> Scenario {
    let mut scenario = transferred(local(2026, 3, 2, 8, 0), Some(date(2026, 3, 20)));
    scenario.receive(local(2026, 3, 2, 9, 0));
    scenario.report(
        local(2026, 3, 18, 9, 0),
        local(2026, 3, 18, 10, 0),
        done_not_completed(date(2026, 3, 18)),
    );
    scenario.report(
        local(2026, 3, 27, 9, 0),
        local(2026, 3, 27, 10, 0),
        completed(date(2026, 3, 24)),
    );
    scenario
}

#[test]
fn later_completion_opens_final_report() {
    let scenario = done_then_completed();
    assert_eq!(scenario.task.status, TaskStatus::Completed);
    let reports = final_reports(&scenario);
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0].due_at, local(2026, 3, 23, 17, 0));
    assert_eq!(reports[0].met_at, Some(local(2026, 3, 18, 10, 0)));
    assert_eq!(reports[1].opened_at, local(2026, 3, 24, 0, 0));
    assert_eq!(reports[1].due_at, local(2026, 3, 27, 17, 0));
    assert_eq!(reports[1].met_at, Some(local(2026, 3, 27, 10, 0)));
}

#[test]
fn voided_completion_drops_its_report() {
    let mut scenario = done_then_completed();
    scenario.run_because(
        &updater(),
        local(2026, 3, 30, 9, 0),
        TaskCommand::EditUpdate {
            update: UpdateNo(2),
            input: progress(95),
        },
        "Sản phẩm chưa được thông qua",
    );
    assert_eq!(scenario.task.status, TaskStatus::DoneNotCompleted);
    let reports = final_reports(&scenario);
    assert_eq!(reports.len(), 1);
    assert_eq!(
        reports[0].status_at(local(2026, 4, 1, 9, 0)),
        met(local(2026, 3, 18, 10, 0))
    );

    // The earlier report cannot be reopened while the completion stands, so nothing changes.
    let mut earlier = done_then_completed();
    let refused = earlier
        .try_run(
            &updater(),
            local(2026, 3, 30, 9, 0),
            TaskCommand::EditUpdate {
                update: UpdateNo(1),
                input: progress(95),
            },
            Some("Sửa số liệu"),
        )
        .unwrap_err();
    assert_eq!(refused.code, Code::TaskWrongState);
    assert_eq!(earlier.task.status, TaskStatus::Completed);
    let statuses: Vec<ObligationStatus> = final_reports(&earlier)
        .iter()
        .map(|o| o.status_at(local(2026, 4, 1, 9, 0)))
        .collect();
    assert_eq!(
        statuses,
        [
            met(local(2026, 3, 18, 10, 0)),
            met(local(2026, 3, 27, 10, 0))
        ]
    );
}
