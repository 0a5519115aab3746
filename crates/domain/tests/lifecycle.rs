//! The task lifecycle: who may run each command, in which state, and what its events record.

mod support;

use jiff::Timestamp;
use jiff::civil::{Date, date};
use support::*;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::error::{Code, DomainResult, ErrorKind};
use theodoi_domain::ids::{OrgId, UpdateNo};
use theodoi_domain::obligation::ObligationKind;
use theodoi_domain::result::ResultState;
use theodoi_domain::task::event::{
    FeedbackKind, FeedbackOutcome, TaskChange, TaskEvent, UrgeChannel,
};
use theodoi_domain::task::update::{Rating, UpdateInput};
use theodoi_domain::task::{
    FeedbackDecision, NewTaskInput, SubtaskInput, Task, TaskCommand, TaskEditInput, TaskStatus,
};
use theodoi_domain::user::{Actor, Clearance};

/// What a refused command must return.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Refused as a whole, with this kind and code.
    Denied(ErrorKind, Code),
    /// Invalid input: exactly one violation on this field.
    Invalid(&'static str, Code),
}

use Expect::{Denied, Invalid};

const FORBIDDEN: ErrorKind = ErrorKind::Forbidden;
const CONFLICT: ErrorKind = ErrorKind::Conflict;
const REASON: Option<&str> = Some("Theo chỉ đạo của Thường trực Ban Bí thư");

#[track_caller]
fn check<T: std::fmt::Debug>(result: DomainResult<T>, expect: Expect, case: &str) {
    let error = match result {
        Ok(value) => panic!("{case}: expected {expect:?}, got {value:?}"),
        Err(error) => error,
    };
    match expect {
        Denied(kind, code) => {
            assert_eq!((error.kind, error.code), (kind, code), "{case}: {error:?}");
        }
        Invalid(field, code) => {
            assert_eq!(error.kind, ErrorKind::Invalid, "{case}: {error:?}");
            assert_eq!(fields(&error), [(field.to_owned(), code)], "{case}");
        }
    }
}

fn deadline() -> Date {
    date(2026, 4, 30)
}

fn edit_content(content: &str) -> TaskEditInput {
    TaskEditInput {
        content: Some(content.into()),
        ..Default::default()
    }
}

fn evaluate(update: u32) -> TaskCommand {
    TaskCommand::EvaluateUpdate {
        update: UpdateNo(update),
        rating: Rating::Satisfactory,
        comment: Some("Đạt yêu cầu".into()),
    }
}

fn give_back() -> TaskCommand {
    TaskCommand::Return {
        kind: FeedbackKind::WrongContent,
    }
}

/// Builds a task due 30 April, received on 2 March, with update 1 approved and update 2
/// waiting for approval.
fn in_flight() -> Scenario {
    let mut scenario = Scenario::task(local(2026, 3, 2, 9, 0), Some(deadline()));
    scenario.transfer(local(2026, 3, 2, 10, 0));
    scenario.receive(local(2026, 3, 2, 14, 0));
    scenario.report(
        local(2026, 3, 3, 9, 0),
        local(2026, 3, 3, 10, 0),
        progress(20),
    );
    scenario.draft(local(2026, 3, 4, 9, 0), progress(40));
    scenario
}

/// When the commands of the tables run: Thursday 5 March, 09:00.
fn now() -> Timestamp {
    local(2026, 3, 5, 9, 0)
}

#[test]
fn refusals_by_role_body_and_input() {
    let cases: Vec<(&str, Actor, TaskCommand, Option<&str>, Expect)> = vec![
        (
            "edit by updater",
            updater(),
            TaskCommand::Edit(edit_content("Nội dung mới")),
            REASON,
            Denied(FORBIDDEN, Code::RoleRequired),
        ),
        (
            "edit without reason",
            office(),
            TaskCommand::Edit(edit_content("Nội dung mới")),
            None,
            Invalid("reason", Code::ReasonRequired),
        ),
        (
            "edit changing nothing",
            office(),
            TaskCommand::Edit(edit_content("Xây dựng kho dữ liệu dùng chung của Thành uỷ")),
            REASON,
            Denied(CONFLICT, Code::TaskNothingChanged),
        ),
        (
            "edit deadline after transfer",
            office(),
            TaskCommand::Edit(TaskEditInput {
                deadline: Some("2026-05-15".into()),
                ..Default::default()
            }),
            REASON,
            Invalid("deadline", Code::TaskDeadlineByExtension),
        ),
        (
            "edit lead after transfer",
            office(),
            TaskCommand::Edit(TaskEditInput {
                lead_body: Some(TU_HPG),
                ..Default::default()
            }),
            REASON,
            Invalid("lead_body", Code::TaskLeadByFeedback),
        ),
        (
            "transfer by updater",
            updater(),
            TaskCommand::Transfer,
            None,
            Denied(FORBIDDEN, Code::RoleRequired),
        ),
        (
            "transfer twice",
            office(),
            TaskCommand::Transfer,
            None,
            Denied(CONFLICT, Code::TaskWrongState),
        ),
        (
            "confirm by office",
            office(),
            TaskCommand::ConfirmReceipt,
            None,
            Denied(FORBIDDEN, Code::RoleRequired),
        ),
        (
            "confirm by other body",
            other_updater(),
            TaskCommand::ConfirmReceipt,
            None,
            Denied(FORBIDDEN, Code::TaskNotLeadBody),
        ),
        (
            "confirm twice",
            updater(),
            TaskCommand::ConfirmReceipt,
            None,
            Denied(CONFLICT, Code::TaskWrongState),
        ),
        (
            "return by other body",
            other_updater(),
            give_back(),
            REASON,
            Denied(FORBIDDEN, Code::TaskNotLeadBody),
        ),
        (
            "return by monitor",
            monitor(),
            give_back(),
            REASON,
            Denied(FORBIDDEN, Code::RoleRequired),
        ),
        (
            "return without reason",
            updater(),
            give_back(),
            None,
            Invalid("reason", Code::ReasonRequired),
        ),
        (
            "return with blank reason",
            updater(),
            give_back(),
            Some("  \n "),
            Invalid("reason", Code::ReasonRequired),
        ),
        (
            "handle feedback not pending",
            office(),
            TaskCommand::HandleFeedback(FeedbackDecision::Reject),
            REASON,
            Denied(CONFLICT, Code::FeedbackNotPending),
        ),
        (
            "handle feedback by updater",
            updater(),
            TaskCommand::HandleFeedback(FeedbackDecision::Reject),
            REASON,
            Denied(FORBIDDEN, Code::RoleRequired),
        ),
        (
            "draft by approver",
            approver(),
            TaskCommand::DraftUpdate(progress(50)),
            None,
            Denied(FORBIDDEN, Code::RoleRequired),
        ),
        (
            "draft by other body",
            other_updater(),
            TaskCommand::DraftUpdate(progress(50)),
            None,
            Denied(FORBIDDEN, Code::TaskNotLeadBody),
        ),
        (
            "draft beside open draft",
            updater(),
            TaskCommand::DraftUpdate(progress(50)),
            None,
            Denied(CONFLICT, Code::UpdateDraftOpen),
        ),
        (
            "approve by updater",
            updater(),
            TaskCommand::ApproveUpdate {
                update: UpdateNo(2),
            },
            None,
            Denied(FORBIDDEN, Code::RoleRequired),
        ),
        (
            "approve by other body",
            other_approver(),
            TaskCommand::ApproveUpdate {
                update: UpdateNo(2),
            },
            None,
            Denied(FORBIDDEN, Code::TaskNotLeadBody),
        ),
        (
            "approve twice",
            approver(),
            TaskCommand::ApproveUpdate {
                update: UpdateNo(1),
            },
            None,
            Denied(CONFLICT, Code::UpdateNotAwaitingApproval),
        ),
        (
            "approve unknown update",
            approver(),
            TaskCommand::ApproveUpdate {
                update: UpdateNo(9),
            },
            None,
            Denied(ErrorKind::NotFound, Code::UpdateNotFound),
        ),
        (
            "return update by updater",
            updater(),
            TaskCommand::ReturnUpdate {
                update: UpdateNo(2),
            },
            REASON,
            Denied(FORBIDDEN, Code::RoleRequired),
        ),
        (
            "return update without reason",
            approver(),
            TaskCommand::ReturnUpdate {
                update: UpdateNo(2),
            },
            None,
            Invalid("reason", Code::ReasonRequired),
        ),
        (
            "return approved update",
            approver(),
            TaskCommand::ReturnUpdate {
                update: UpdateNo(1),
            },
            REASON,
            Denied(CONFLICT, Code::UpdateNotAwaitingApproval),
        ),
        (
            "evaluate before approval",
            monitor(),
            evaluate(2),
            None,
            Denied(CONFLICT, Code::UpdateNotApproved),
        ),
        (
            "evaluate by office",
            office(),
            evaluate(1),
            None,
            Denied(FORBIDDEN, Code::RoleRequired),
        ),
        (
            "evaluate by other monitor",
            foreign_monitor(),
            evaluate(1),
            None,
            Denied(FORBIDDEN, Code::NotYourBody),
        ),
        (
            "evaluate unknown update",
            monitor(),
            evaluate(9),
            None,
            Denied(ErrorKind::NotFound, Code::UpdateNotFound),
        ),
        (
            "request extension by office",
            office(),
            TaskCommand::RequestExtension {
                proposed: date(2026, 5, 15),
            },
            REASON,
            Denied(FORBIDDEN, Code::RoleRequired),
        ),
        (
            "request extension not later",
            updater(),
            TaskCommand::RequestExtension {
                proposed: deadline(),
            },
            REASON,
            Invalid("proposed", Code::TaskExtensionNotLater),
        ),
        (
            "request extension without reason",
            updater(),
            TaskCommand::RequestExtension {
                proposed: date(2026, 5, 15),
            },
            None,
            Invalid("reason", Code::ReasonRequired),
        ),
        (
            "extend by approver",
            approver(),
            TaskCommand::ExtendDeadline {
                to: date(2026, 5, 15),
            },
            REASON,
            Denied(FORBIDDEN, Code::RoleRequired),
        ),
        (
            "extend to same date",
            office(),
            TaskCommand::ExtendDeadline { to: deadline() },
            REASON,
            Invalid("to", Code::TaskExtensionNotLater),
        ),
        (
            "extend to earlier date",
            office(),
            TaskCommand::ExtendDeadline {
                to: date(2026, 4, 29),
            },
            REASON,
            Invalid("to", Code::TaskExtensionNotLater),
        ),
        (
            "extend without reason",
            office(),
            TaskCommand::ExtendDeadline {
                to: date(2026, 5, 15),
            },
            None,
            Invalid("reason", Code::ReasonRequired),
        ),
        (
            "request update by updater",
            updater(),
            TaskCommand::RequestUpdate {
                due: date(2026, 3, 10),
            },
            None,
            Denied(FORBIDDEN, Code::RoleRequired),
        ),
        (
            "request update by other monitor",
            foreign_monitor(),
            TaskCommand::RequestUpdate {
                due: date(2026, 3, 10),
            },
            None,
            Denied(FORBIDDEN, Code::NotYourBody),
        ),
        (
            "request update in the past",
            monitor(),
            TaskCommand::RequestUpdate {
                due: date(2026, 3, 4),
            },
            None,
            Invalid("due", Code::DateBeforeMin),
        ),
        (
            "urge by inspector",
            inspector(),
            TaskCommand::Urge {
                channel: UrgeChannel::Phone,
            },
            REASON,
            Denied(FORBIDDEN, Code::RoleRequired),
        ),
        (
            "urge without reason",
            monitor(),
            TaskCommand::Urge {
                channel: UrgeChannel::Phone,
            },
            None,
            Invalid("reason", Code::ReasonRequired),
        ),
        (
            "difficulty by office",
            office(),
            TaskCommand::ReportDifficulty {
                copied_to: Some(UBKTTW),
            },
            REASON,
            Denied(FORBIDDEN, Code::RoleRequired),
        ),
        (
            "difficulty by other body",
            other_updater(),
            TaskCommand::ReportDifficulty {
                copied_to: Some(UBKTTW),
            },
            REASON,
            Denied(FORBIDDEN, Code::TaskNotLeadBody),
        ),
        (
            "difficulty without reason",
            updater(),
            TaskCommand::ReportDifficulty {
                copied_to: Some(UBKTTW),
            },
            None,
            Invalid("reason", Code::ReasonRequired),
        ),
        (
            "withdraw by updater",
            updater(),
            TaskCommand::Withdraw,
            REASON,
            Denied(FORBIDDEN, Code::RoleRequired),
        ),
        (
            "withdraw without reason",
            office(),
            TaskCommand::Withdraw,
            None,
            Invalid("reason", Code::ReasonRequired),
        ),
        (
            "cancel by approver",
            approver(),
            TaskCommand::Cancel,
            REASON,
            Denied(FORBIDDEN, Code::RoleRequired),
        ),
        (
            "cancel without reason",
            office(),
            TaskCommand::Cancel,
            None,
            Invalid("reason", Code::ReasonRequired),
        ),
    ];
    let scenario = in_flight();
    for (case, actor, command, reason, expect) in cases {
        let mut attempt = scenario.clone();
        check(
            attempt.try_run(&actor, now(), command, reason),
            expect,
            case,
        );
        assert_eq!(attempt.events.len(), scenario.events.len(), "{case}");
        assert_eq!(attempt.task, scenario.task, "{case}");
    }
}

#[test]
fn allowed_commands_record_events() {
    let cases: Vec<(&str, Actor, TaskCommand, Option<&str>, &str)> = vec![
        (
            "edit content",
            office(),
            TaskCommand::Edit(edit_content("Nội dung mới")),
            REASON,
            "edited",
        ),
        ("return", updater(), give_back(), REASON, "returned"),
        (
            "approve",
            approver(),
            TaskCommand::ApproveUpdate {
                update: UpdateNo(2),
            },
            None,
            "update_approved",
        ),
        (
            "return update",
            approver(),
            TaskCommand::ReturnUpdate {
                update: UpdateNo(2),
            },
            REASON,
            "update_returned",
        ),
        (
            "edit draft",
            updater(),
            TaskCommand::EditUpdate {
                update: UpdateNo(2),
                input: progress(45),
            },
            None,
            "update_edited",
        ),
        ("evaluate", monitor(), evaluate(1), None, "update_evaluated"),
        (
            "request extension",
            approver(),
            TaskCommand::RequestExtension {
                proposed: date(2026, 5, 15),
            },
            REASON,
            "extension_requested",
        ),
        (
            "extend",
            office(),
            TaskCommand::ExtendDeadline {
                to: date(2026, 5, 15),
            },
            REASON,
            "deadline_extended",
        ),
        (
            "request update by monitor",
            monitor(),
            TaskCommand::RequestUpdate {
                due: date(2026, 3, 10),
            },
            None,
            "update_requested",
        ),
        (
            "request update by office",
            office(),
            TaskCommand::RequestUpdate {
                due: date(2026, 3, 10),
            },
            None,
            "update_requested",
        ),
        (
            "urge",
            monitor(),
            TaskCommand::Urge {
                channel: UrgeChannel::OnlineMeeting,
            },
            REASON,
            "urged",
        ),
        (
            "report difficulty",
            approver(),
            TaskCommand::ReportDifficulty {
                copied_to: Some(UBKTTW),
            },
            REASON,
            "difficulty_reported",
        ),
        (
            "withdraw",
            office(),
            TaskCommand::Withdraw,
            REASON,
            "withdrawn",
        ),
        ("cancel", office(), TaskCommand::Cancel, REASON, "cancelled"),
    ];
    let scenario = in_flight();
    for (case, actor, command, reason, name) in cases {
        let mut attempt = scenario.clone();
        let events = attempt
            .try_run(&actor, now(), command, reason)
            .unwrap_or_else(|error| panic!("{case}: {error:?}"));
        let names: Vec<&str> = events.iter().map(|event| event.change.name()).collect();
        assert_eq!(names, [name], "{case}");
        assert_eq!(
            Task::replay(TASK, &attempt.events).as_ref(),
            Some(&attempt.task),
            "{case}"
        );
    }
}

/// A command tried on a task in some state: case, scenario, actor, command, reason, outcome.
type StateCase<'a> = (
    &'a str,
    &'a Scenario,
    Actor,
    TaskCommand,
    Option<&'a str>,
    Expect,
);

/// Commands refused because of the task's state, by scenario.
#[test]
fn refusals_by_state() {
    let wrong = Denied(CONFLICT, Code::TaskWrongState);
    let draft = Scenario::task(local(2026, 3, 2, 9, 0), Some(deadline()));

    let mut awaiting = draft.clone();
    awaiting.transfer(local(2026, 3, 2, 10, 0));

    let mut returned = awaiting.clone();
    returned.run_because(
        &updater(),
        local(2026, 3, 2, 11, 0),
        give_back(),
        "Sai nội dung",
    );

    let mut completed_task = awaiting.clone();
    completed_task.receive(local(2026, 3, 2, 14, 0));
    completed_task.report(
        local(2026, 3, 4, 9, 0),
        local(2026, 3, 4, 10, 0),
        completed(date(2026, 3, 3)),
    );

    let mut cancelled = in_flight();
    cancelled.run_because(
        &office(),
        local(2026, 3, 4, 15, 0),
        TaskCommand::Cancel,
        "Không còn phù hợp",
    );

    let later = || TaskCommand::ExtendDeadline {
        to: date(2026, 5, 15),
    };
    let cases: Vec<StateCase> = vec![
        (
            "draft: confirm",
            &draft,
            updater(),
            TaskCommand::ConfirmReceipt,
            None,
            wrong,
        ),
        (
            "draft: return",
            &draft,
            updater(),
            give_back(),
            REASON,
            wrong,
        ),
        (
            "draft: draft update",
            &draft,
            updater(),
            TaskCommand::DraftUpdate(progress(10)),
            None,
            wrong,
        ),
        ("draft: extend", &draft, office(), later(), REASON, wrong),
        (
            "draft: request update",
            &draft,
            monitor(),
            TaskCommand::RequestUpdate {
                due: date(2026, 3, 10),
            },
            None,
            wrong,
        ),
        (
            "draft: urge",
            &draft,
            monitor(),
            TaskCommand::Urge {
                channel: UrgeChannel::System,
            },
            REASON,
            wrong,
        ),
        (
            "draft: withdraw",
            &draft,
            office(),
            TaskCommand::Withdraw,
            REASON,
            wrong,
        ),
        (
            "draft: handle feedback",
            &draft,
            office(),
            TaskCommand::HandleFeedback(FeedbackDecision::Reject),
            REASON,
            Denied(CONFLICT, Code::FeedbackNotPending),
        ),
        (
            "awaiting: draft update",
            &awaiting,
            updater(),
            TaskCommand::DraftUpdate(progress(10)),
            None,
            wrong,
        ),
        (
            "awaiting: difficulty",
            &awaiting,
            updater(),
            TaskCommand::ReportDifficulty { copied_to: None },
            REASON,
            wrong,
        ),
        (
            "awaiting: request update",
            &awaiting,
            monitor(),
            TaskCommand::RequestUpdate {
                due: date(2026, 3, 10),
            },
            None,
            wrong,
        ),
        (
            "returned: confirm",
            &returned,
            updater(),
            TaskCommand::ConfirmReceipt,
            None,
            wrong,
        ),
        (
            "returned: return again",
            &returned,
            updater(),
            give_back(),
            REASON,
            wrong,
        ),
        (
            "returned: draft update",
            &returned,
            updater(),
            TaskCommand::DraftUpdate(progress(10)),
            None,
            wrong,
        ),
        (
            "returned: request extension",
            &returned,
            updater(),
            TaskCommand::RequestExtension {
                proposed: date(2026, 5, 15),
            },
            REASON,
            wrong,
        ),
        (
            "completed: draft update",
            &completed_task,
            updater(),
            TaskCommand::DraftUpdate(progress(10)),
            None,
            wrong,
        ),
        (
            "completed: return",
            &completed_task,
            updater(),
            give_back(),
            REASON,
            wrong,
        ),
        (
            "completed: edit",
            &completed_task,
            office(),
            TaskCommand::Edit(edit_content("Nội dung mới")),
            REASON,
            wrong,
        ),
        (
            "completed: extend",
            &completed_task,
            office(),
            later(),
            REASON,
            wrong,
        ),
        (
            "completed: request extension",
            &completed_task,
            updater(),
            TaskCommand::RequestExtension {
                proposed: date(2026, 5, 15),
            },
            REASON,
            wrong,
        ),
        (
            "completed: request update",
            &completed_task,
            monitor(),
            TaskCommand::RequestUpdate {
                due: date(2026, 3, 10),
            },
            None,
            wrong,
        ),
        (
            "completed: urge",
            &completed_task,
            monitor(),
            TaskCommand::Urge {
                channel: UrgeChannel::Email,
            },
            REASON,
            wrong,
        ),
        (
            "completed: difficulty",
            &completed_task,
            updater(),
            TaskCommand::ReportDifficulty { copied_to: None },
            REASON,
            wrong,
        ),
        (
            "completed: withdraw",
            &completed_task,
            office(),
            TaskCommand::Withdraw,
            REASON,
            wrong,
        ),
        (
            "completed: cancel",
            &completed_task,
            office(),
            TaskCommand::Cancel,
            REASON,
            wrong,
        ),
        (
            "cancelled: transfer",
            &cancelled,
            office(),
            TaskCommand::Transfer,
            None,
            wrong,
        ),
        (
            "cancelled: edit",
            &cancelled,
            office(),
            TaskCommand::Edit(edit_content("Nội dung mới")),
            REASON,
            wrong,
        ),
        (
            "cancelled: approve",
            &cancelled,
            approver(),
            TaskCommand::ApproveUpdate {
                update: UpdateNo(2),
            },
            None,
            wrong,
        ),
        (
            "cancelled: edit update",
            &cancelled,
            updater(),
            TaskCommand::EditUpdate {
                update: UpdateNo(2),
                input: progress(45),
            },
            None,
            wrong,
        ),
        (
            "cancelled: extend",
            &cancelled,
            office(),
            later(),
            REASON,
            wrong,
        ),
        (
            "cancelled: withdraw",
            &cancelled,
            office(),
            TaskCommand::Withdraw,
            REASON,
            wrong,
        ),
        (
            "cancelled: cancel",
            &cancelled,
            office(),
            TaskCommand::Cancel,
            REASON,
            wrong,
        ),
    ];
    for (case, scenario, actor, command, reason, expect) in cases {
        let mut attempt = scenario.clone();
        check(
            attempt.try_run(&actor, now(), command, reason),
            expect,
            case,
        );
    }
}

#[test]
fn approver_may_not_approve_own() {
    let mut scenario = in_flight();
    scenario.approve(local(2026, 3, 4, 10, 0), UpdateNo(2));

    // A focal officer who is both updater and approver drafts and then tries to approve.
    let events = scenario.run(
        &dual_officer(),
        now(),
        TaskCommand::DraftUpdate(progress(50)),
    );
    let TaskChange::UpdateDrafted { update, .. } = events[0].change else {
        panic!("expected a draft");
    };
    check(
        scenario.try_run(
            &dual_officer(),
            now(),
            TaskCommand::ApproveUpdate { update },
            None,
        ),
        Denied(FORBIDDEN, Code::UpdateOwnDraft),
        "own draft",
    );
    scenario.run(
        &approver(),
        local(2026, 3, 5, 10, 0),
        TaskCommand::ApproveUpdate { update },
    );
    assert_eq!(
        scenario.task.update(update).unwrap().approved_at(),
        Some(local(2026, 3, 5, 10, 0))
    );
}

#[test]
fn approver_who_edited_refused() {
    let mut scenario = in_flight();
    // The dual officer edits the updater's draft, which makes them one of its authors.
    scenario.run(
        &dual_officer(),
        now(),
        TaskCommand::EditUpdate {
            update: UpdateNo(2),
            input: progress(45),
        },
    );
    let draft = scenario.task.update(UpdateNo(2)).unwrap();
    assert_eq!(draft.authors, [updater().user_id, dual_officer().user_id]);
    assert_eq!(draft.drafted_by, updater().user_id);
    check(
        scenario.try_run(
            &dual_officer(),
            now(),
            TaskCommand::ApproveUpdate {
                update: UpdateNo(2),
            },
            None,
        ),
        Denied(FORBIDDEN, Code::UpdateOwnDraft),
        "edited draft",
    );
    let events = scenario.run(
        &second_approver(),
        local(2026, 3, 5, 10, 0),
        TaskCommand::ApproveUpdate {
            update: UpdateNo(2),
        },
    );
    assert_eq!(events[0].actor, Some(second_approver().user_id));
    assert_eq!(scenario.task.percent(), Some(45));
}

#[test]
fn evaluation_once_per_approval() {
    let mut scenario = in_flight();
    scenario.run(&monitor(), now(), evaluate(1));
    let evaluation = scenario
        .task
        .update(UpdateNo(1))
        .unwrap()
        .evaluation
        .clone()
        .unwrap();
    assert_eq!(evaluation.rating, Rating::Satisfactory);
    check(
        scenario.try_run(&monitor(), now(), evaluate(1), None),
        Denied(CONFLICT, Code::UpdateAlreadyEvaluated),
        "second evaluation",
    );

    // Voiding the approval clears the evaluation; the new approval is evaluated afresh.
    scenario.approve(local(2026, 3, 5, 10, 0), UpdateNo(2));
    scenario.run_because(
        &updater(),
        local(2026, 3, 5, 11, 0),
        TaskCommand::EditUpdate {
            update: UpdateNo(1),
            input: progress(25),
        },
        "Sửa số liệu",
    );
    let voided = scenario.task.update(UpdateNo(1)).unwrap();
    assert_eq!(voided.evaluation, None);
    assert_eq!(voided.voided_approvals, 1);
    check(
        scenario.try_run(&monitor(), local(2026, 3, 5, 11, 30), evaluate(1), None),
        Denied(CONFLICT, Code::UpdateNotApproved),
        "voided approval",
    );
    scenario.approve(local(2026, 3, 5, 14, 0), UpdateNo(1));
    scenario.run(&monitor(), local(2026, 3, 5, 15, 0), evaluate(1));
}

#[test]
fn extension_needs_a_deadline() {
    let mut scenario = Scenario::task(local(2026, 3, 2, 9, 0), None);
    scenario.transfer(local(2026, 3, 2, 10, 0));
    scenario.receive(local(2026, 3, 2, 14, 0));
    check(
        scenario.try_run(
            &office(),
            now(),
            TaskCommand::ExtendDeadline {
                to: date(2026, 5, 1),
            },
            REASON,
        ),
        Denied(CONFLICT, Code::TaskNoDeadline),
        "extend",
    );
    check(
        scenario.try_run(
            &updater(),
            now(),
            TaskCommand::RequestExtension {
                proposed: date(2026, 5, 1),
            },
            REASON,
        ),
        Denied(CONFLICT, Code::TaskNoDeadline),
        "request",
    );
    check(
        scenario.try_run(
            &updater(),
            now(),
            TaskCommand::DraftUpdate(done_not_completed(date(2026, 3, 4))),
            None,
        ),
        Invalid("status", Code::TaskNoDeadline),
        "done but not completed",
    );
}

#[test]
fn extension_into_past_rejected() {
    let mut scenario = Scenario::task(local(2026, 3, 2, 9, 0), Some(date(2026, 3, 3)));
    scenario.transfer(local(2026, 3, 2, 10, 0));
    scenario.receive(local(2026, 3, 2, 14, 0));
    let at = local(2026, 3, 10, 9, 0);
    check(
        scenario.try_run(
            &office(),
            at,
            TaskCommand::ExtendDeadline {
                to: date(2026, 3, 9),
            },
            REASON,
        ),
        Invalid("to", Code::DateBeforeMin),
        "yesterday",
    );
    scenario.run_because(
        &office(),
        at,
        TaskCommand::ExtendDeadline {
            to: date(2026, 3, 10),
        },
        "Gia hạn",
    );
    assert_eq!(scenario.state_at(at), Some(ResultState::NotStartedOnTime));
}

#[test]
fn update_input_checked() {
    let scenario = in_flight();
    let cases: Vec<(&str, UpdateInput, Expect)> = vec![
        (
            "completion in the future",
            completed(date(2026, 3, 6)),
            Invalid("completion_date", Code::UpdateCompletionDateInFuture),
        ),
        (
            "completion before transfer",
            completed(date(2026, 3, 1)),
            Invalid("completion_date", Code::UpdateCompletionDateBeforeTransfer),
        ),
        (
            "completion without date",
            UpdateInput {
                status: Some("completed".into()),
                ..Default::default()
            },
            Invalid("completion_date", Code::UpdateCompletionDateRequired),
        ),
        (
            "percent over 100",
            progress(101),
            Invalid("percent", Code::OutOfRange),
        ),
        (
            "unknown status",
            UpdateInput {
                status: Some("paused".into()),
                ..Default::default()
            },
            Invalid("status", Code::NotOneOf),
        ),
    ];
    for (case, input, expect) in cases {
        let mut attempt = scenario.clone();
        check(
            attempt.try_run(
                &updater(),
                now(),
                TaskCommand::EditUpdate {
                    update: UpdateNo(2),
                    input,
                },
                None,
            ),
            expect,
            case,
        );
    }
}

/// Builds a task received on 2 March and returned with feedback on 3 March at 09:00.
fn returned() -> Scenario {
    let mut scenario = Scenario::task(local(2026, 3, 2, 9, 0), Some(deadline()));
    scenario.transfer(local(2026, 3, 2, 10, 0));
    scenario.receive(local(2026, 3, 2, 14, 0));
    scenario.run_because(
        &updater(),
        local(2026, 3, 3, 9, 0),
        TaskCommand::Return {
            kind: FeedbackKind::OutsideAuthority,
        },
        "Nhiệm vụ thuộc thẩm quyền Thành uỷ Hải Phòng",
    );
    scenario
}

#[test]
fn feedback_recorded_on_return() {
    let scenario = returned();
    assert_eq!(scenario.task.status, TaskStatus::Returned);
    let pending = scenario.task.pending_feedback.clone().unwrap();
    assert_eq!(pending.kind, FeedbackKind::OutsideAuthority);
    assert_eq!(pending.at, local(2026, 3, 3, 9, 0));
    assert_eq!(pending.body, Some(TU_HNI));
    assert_eq!(
        pending.reason.as_deref(),
        Some("Nhiệm vụ thuộc thẩm quyền Thành uỷ Hải Phòng")
    );
}

#[test]
fn feedback_outcomes() {
    let handled = local(2026, 3, 3, 14, 0);
    let new_content = "Xây dựng kho dữ liệu dùng chung, phạm vi toàn thành phố";
    let cases: Vec<(&str, FeedbackDecision, Option<&str>, FeedbackOutcome, OrgId)> = vec![
        (
            "adjust",
            FeedbackDecision::Adjust(edit_content(new_content)),
            None,
            FeedbackOutcome::Adjusted,
            TU_HNI,
        ),
        (
            "correct",
            FeedbackDecision::Correct(TaskEditInput {
                expected_products: Some("Đề án".into()),
                ..Default::default()
            }),
            None,
            FeedbackOutcome::Corrected,
            TU_HNI,
        ),
        (
            "reassign",
            FeedbackDecision::Reassign { to: TU_HPG },
            None,
            FeedbackOutcome::Reassigned {
                from: TU_HNI,
                to: TU_HPG,
            },
            TU_HPG,
        ),
        (
            "reject",
            FeedbackDecision::Reject,
            REASON,
            FeedbackOutcome::Rejected,
            TU_HNI,
        ),
    ];
    for (case, decision, reason, outcome, lead) in cases {
        let mut scenario = returned();
        let events = scenario
            .try_run(
                &office(),
                handled,
                TaskCommand::HandleFeedback(decision),
                reason,
            )
            .unwrap_or_else(|error| panic!("{case}: {error:?}"));
        assert_eq!(events.len(), 2, "{case}");
        let TaskChange::FeedbackHandled { outcome: found, .. } = &events[0].change else {
            panic!("{case}: expected feedback handling first");
        };
        assert_eq!(found, &outcome, "{case}");
        let TaskChange::Transferred {
            to, receipt_due, ..
        } = &events[1].change
        else {
            panic!("{case}: expected a transfer second");
        };
        assert_eq!(*to, lead, "{case}");
        assert_eq!(*receipt_due, local(2026, 3, 4, 9, 0), "{case}");
        assert_eq!(scenario.task.status, TaskStatus::AwaitingReceipt, "{case}");
        assert_eq!(scenario.task.transferred_at, Some(handled), "{case}");
        assert_eq!(
            scenario.task.first_transferred_at,
            Some(local(2026, 3, 2, 10, 0)),
            "{case}"
        );
        assert_eq!(scenario.task.pending_feedback, None, "{case}");
        assert_eq!(scenario.task.lead_body, lead, "{case}");
    }
}

#[test]
fn feedback_adjusts_task() {
    let mut adjusted = returned();
    adjusted.run(
        &office(),
        local(2026, 3, 3, 14, 0),
        TaskCommand::HandleFeedback(FeedbackDecision::Adjust(edit_content(
            "Nội dung đã điều chỉnh",
        ))),
    );
    assert_eq!(
        adjusted.task.content.as_deref(),
        Some("Nội dung đã điều chỉnh")
    );

    // Reassigning to a coordinating body makes it the lead and no longer a coordinator.
    let mut reassigned = returned();
    assert_eq!(reassigned.task.coordinating_bodies, [TU_HPG]);
    reassigned.run(
        &office(),
        local(2026, 3, 3, 14, 0),
        TaskCommand::HandleFeedback(FeedbackDecision::Reassign { to: TU_HPG }),
    );
    assert!(reassigned.task.coordinating_bodies.is_empty());
    check(
        reassigned.try_run(
            &updater(),
            local(2026, 3, 3, 15, 0),
            TaskCommand::ConfirmReceipt,
            None,
        ),
        Denied(FORBIDDEN, Code::TaskNotLeadBody),
        "former lead",
    );
    reassigned.run(
        &other_updater(),
        local(2026, 3, 3, 15, 0),
        TaskCommand::ConfirmReceipt,
    );
    assert_eq!(reassigned.task.status, TaskStatus::InProgress);
}

#[test]
fn feedback_decisions_checked() {
    let cases: Vec<(&str, FeedbackDecision, Option<&str>, Expect)> = vec![
        (
            "reject without reason",
            FeedbackDecision::Reject,
            None,
            Invalid("reason", Code::ReasonRequired),
        ),
        (
            "adjust deadline",
            FeedbackDecision::Adjust(TaskEditInput {
                deadline: Some("2026-05-30".into()),
                ..Default::default()
            }),
            None,
            Invalid("deadline", Code::TaskDeadlineByExtension),
        ),
        (
            "correct removing deadline",
            FeedbackDecision::Correct(TaskEditInput {
                remove_deadline: true,
                ..Default::default()
            }),
            None,
            Invalid("deadline", Code::TaskDeadlineByExtension),
        ),
        (
            "adjust lead",
            FeedbackDecision::Adjust(TaskEditInput {
                lead_body: Some(TU_HPG),
                ..Default::default()
            }),
            None,
            Invalid("lead_body", Code::TaskLeadByFeedback),
        ),
        (
            "adjust nothing",
            FeedbackDecision::Adjust(TaskEditInput::default()),
            None,
            Denied(CONFLICT, Code::TaskNothingChanged),
        ),
        (
            "reassign to same",
            FeedbackDecision::Reassign { to: TU_HNI },
            None,
            Denied(CONFLICT, Code::TaskNothingChanged),
        ),
        (
            "reassign to authority",
            FeedbackDecision::Reassign { to: BBT },
            None,
            Invalid("to", Code::OrgWrongCategory),
        ),
        (
            "reassign to unknown",
            FeedbackDecision::Reassign { to: OrgId(999) },
            None,
            Invalid("to", Code::OrgNotFound),
        ),
    ];
    let scenario = returned();
    for (case, decision, reason, expect) in cases {
        let mut attempt = scenario.clone();
        check(
            attempt.try_run(
                &office(),
                local(2026, 3, 3, 14, 0),
                TaskCommand::HandleFeedback(decision),
                reason,
            ),
            expect,
            case,
        );
    }

    let mut handled = scenario.clone();
    handled.run(
        &office(),
        local(2026, 3, 3, 14, 0),
        TaskCommand::HandleFeedback(FeedbackDecision::Reassign { to: TU_HPG }),
    );
    check(
        handled.try_run(
            &office(),
            local(2026, 3, 3, 15, 0),
            TaskCommand::HandleFeedback(FeedbackDecision::Reject),
            REASON,
        ),
        Denied(CONFLICT, Code::FeedbackNotPending),
        "handled twice",
    );
}

/// Builds a task due 30 April received by TU_HNI, and the input of a sub-task for its unit.
fn delegating() -> (Scenario, SubtaskInput) {
    let mut scenario = Scenario::task(local(2026, 3, 2, 9, 0), Some(deadline()));
    scenario.transfer(local(2026, 3, 2, 10, 0));
    scenario.receive(local(2026, 3, 2, 14, 0));
    let input = SubtaskInput {
        lead_body: Some(HNI_UNIT),
        content: Some("Thu thập dữ liệu của Ban Tuyên giáo".into()),
        expected_products: None,
        deadline: Some("2026-04-15".into()),
    };
    (scenario, input)
}

#[test]
fn delegation_creates_subtask() {
    let (mut parent, input) = delegating();
    let sub = parent.delegate(&approver(), now(), &input).unwrap();

    let names: Vec<&str> = sub.events.iter().map(|event| event.change.name()).collect();
    assert_eq!(names, ["created", "transferred"]);
    assert_eq!(
        sub.events.iter().map(|event| event.seq).collect::<Vec<_>>(),
        [1, 2]
    );
    for event in &sub.events {
        assert_eq!(event.actor, Some(approver().user_id));
        assert_eq!(event.body, Some(TU_HNI));
        assert_eq!(event.at, now());
    }
    assert_eq!(sub.task.parent_id, Some(TASK));
    assert_eq!(sub.task.lead_body, HNI_UNIT);
    assert_eq!(sub.task.assigning_body, TU_HNI);
    assert_eq!(sub.task.monitoring_body, TU_HNI);
    assert_eq!(sub.task.deadline, Some(date(2026, 4, 15)));
    assert_eq!(sub.task.status, TaskStatus::AwaitingReceipt);
    assert_eq!(sub.task.entry_due, None);

    let last = parent.events.last().unwrap();
    assert_eq!(
        last.change,
        TaskChange::Delegated {
            subtask: SUBTASK,
            to: HNI_UNIT
        }
    );
    assert_eq!(last.seq, parent.task.version);
    assert_eq!(parent.task.subtasks.len(), 1);

    assert!(sub.obligations_named("entry").is_empty());
    let receipt = sub.obligation(ObligationKind::Receipt);
    assert_eq!(receipt.responsible, HNI_UNIT);
    assert_eq!(receipt.due_at, local(2026, 3, 5, 14, 0));
}

#[test]
fn delegation_takes_parent_deadline() {
    let (mut parent, mut input) = delegating();
    input.deadline = None;
    let sub = parent.delegate(&updater(), now(), &input).unwrap();
    assert_eq!(sub.task.deadline, Some(deadline()));
}

#[test]
fn delegation_checked() {
    let (parent, input) = delegating();
    let with = |change: fn(&mut SubtaskInput)| {
        let mut input = input.clone();
        change(&mut input);
        input
    };
    let cases: Vec<(&str, Actor, SubtaskInput, Expect)> = vec![
        (
            "to another province",
            approver(),
            with(|i| i.lead_body = Some(TU_HPG)),
            Invalid("lead_body", Code::OrgNotSubordinate),
        ),
        (
            "to another province's unit",
            approver(),
            with(|i| i.lead_body = Some(HPG_UNIT)),
            Invalid("lead_body", Code::OrgNotSubordinate),
        ),
        (
            "to itself",
            approver(),
            with(|i| i.lead_body = Some(TU_HNI)),
            Invalid("lead_body", Code::OrgNotSubordinate),
        ),
        (
            "to nobody",
            approver(),
            with(|i| i.lead_body = None),
            Invalid("lead_body", Code::Required),
        ),
        (
            "after parent deadline",
            approver(),
            with(|i| i.deadline = Some("2026-05-01".into())),
            Invalid("deadline", Code::TaskDeadlineAfterParent),
        ),
        (
            "deadline in the past",
            approver(),
            with(|i| i.deadline = Some("2026-03-04".into())),
            Invalid("deadline", Code::DateBeforeMin),
        ),
        (
            "without content",
            approver(),
            with(|i| i.content = None),
            Invalid("content", Code::Required),
        ),
        (
            "by another body",
            other_approver(),
            input.clone(),
            Denied(FORBIDDEN, Code::TaskNotLeadBody),
        ),
        (
            "by the office",
            office(),
            input.clone(),
            Denied(FORBIDDEN, Code::RoleRequired),
        ),
    ];
    for (case, actor, input, expect) in cases {
        let mut attempt = parent.clone();
        check(attempt.delegate(&actor, now(), &input), expect, case);
    }

    let mut awaiting = Scenario::task(local(2026, 3, 2, 9, 0), Some(deadline()));
    awaiting.transfer(local(2026, 3, 2, 10, 0));
    check(
        awaiting.delegate(&approver(), now(), &input),
        Denied(CONFLICT, Code::TaskWrongState),
        "parent not received",
    );
}

#[test]
fn subtask_lifecycle() {
    let (mut parent, input) = delegating();
    let mut sub = parent.delegate(&approver(), now(), &input).unwrap();
    sub.run(
        &unit_updater(),
        local(2026, 3, 5, 10, 0),
        TaskCommand::ConfirmReceipt,
    );
    assert_eq!(sub.task.status, TaskStatus::InProgress);

    let mut nested = sub.clone();
    check(
        nested.delegate(
            &unit_updater(),
            local(2026, 3, 5, 11, 0),
            &SubtaskInput {
                lead_body: Some(HNI_UNIT),
                ..input.clone()
            },
        ),
        Denied(CONFLICT, Code::TaskSubtaskOfSubtask),
        "sub-task of a sub-task",
    );

    let extend = |to: Date| TaskCommand::ExtendDeadline { to };
    let at = local(2026, 3, 6, 9, 0);
    check(
        sub.clone()
            .try_run(&approver(), at, extend(date(2026, 5, 1)), REASON),
        Invalid("deadline", Code::TaskDeadlineAfterParent),
        "beyond parent",
    );
    check(
        sub.clone()
            .try_run(&office(), at, extend(date(2026, 4, 20)), REASON),
        Denied(FORBIDDEN, Code::RoleRequired),
        "office",
    );
    check(
        sub.clone()
            .try_run(&other_approver(), at, extend(date(2026, 4, 20)), REASON),
        Denied(FORBIDDEN, Code::NotYourBody),
        "other body",
    );
    sub.run_because(
        &approver(),
        at,
        extend(deadline()),
        "Theo tiến độ của Thành uỷ",
    );
    assert_eq!(sub.task.deadline, Some(deadline()));

    sub.run(
        &unit_updater(),
        local(2026, 3, 9, 9, 0),
        TaskCommand::DraftUpdate(completed(date(2026, 3, 6))),
    );
    check(
        sub.clone().try_run(
            &approver(),
            local(2026, 3, 9, 10, 0),
            TaskCommand::ApproveUpdate {
                update: UpdateNo(1),
            },
            None,
        ),
        Denied(FORBIDDEN, Code::TaskNotLeadBody),
        "parent's approver",
    );
    sub.run(
        &unit_approver(),
        local(2026, 3, 9, 10, 0),
        TaskCommand::ApproveUpdate {
            update: UpdateNo(1),
        },
    );
    assert_eq!(
        sub.state_at(local(2026, 3, 9, 10, 0)),
        Some(ResultState::CompletedOnTime)
    );
    assert_eq!(sub.task.percent(), Some(100));
}

fn classified_task(level: Confidentiality) -> Scenario {
    let world = World::new();
    let document = world.document(date(2026, 3, 2), level);
    let input = NewTaskInput {
        content: None,
        expected_products: None,
        ..task_input(Some(deadline()))
    };
    let mut scenario = Scenario::create(world, document, &input, local(2026, 3, 2, 9, 0)).unwrap();
    scenario.transfer(local(2026, 3, 2, 10, 0));
    scenario.receive(local(2026, 3, 2, 14, 0));
    scenario
}

#[test]
fn classified_task_has_no_content() {
    for level in [Confidentiality::Confidential, Confidentiality::Secret] {
        let world = World::new();
        let document = world.document(date(2026, 3, 2), level);
        assert_eq!(document.content.summary, None);
        let error = error_of(Scenario::create(
            world.clone(),
            document.clone(),
            &task_input(Some(deadline())),
            local(2026, 3, 2, 9, 0),
        ));
        assert_eq!(
            fields(&error),
            [
                ("content".to_owned(), Code::FieldForbiddenForLevel),
                ("expected_products".to_owned(), Code::FieldForbiddenForLevel)
            ],
            "{level:?}"
        );

        let scenario = classified_task(level);
        assert_eq!(scenario.task.content, None, "{level:?}");
        assert_eq!(scenario.task.confidentiality, level, "{level:?}");
        check(
            scenario.clone().try_run(
                &office(),
                now(),
                TaskCommand::Edit(edit_content("Nội dung")),
                REASON,
            ),
            Invalid("content", Code::FieldForbiddenForLevel),
            "edit content",
        );

        let mut summary = world.document_input(date(2026, 3, 2), level);
        summary.summary = Some("Trích yếu".into());
        let error = error_of(summary.validate(&world.orgs, date(2026, 3, 2)));
        assert_eq!(
            fields(&error),
            [("summary".to_owned(), Code::FieldForbiddenForLevel)]
        );
    }
}

#[test]
fn classified_updates_final_only() {
    let scenario = classified_task(Confidentiality::Confidential);
    let with_percent = UpdateInput {
        percent: Some(100),
        ..completed(date(2026, 3, 4))
    };
    let with_results = UpdateInput {
        results: Some("Chi tiết kết quả".into()),
        ..done_not_completed(date(2026, 3, 4))
    };
    let cases: Vec<(&str, UpdateInput, Expect)> = vec![
        (
            "in progress",
            UpdateInput {
                status: Some("in_progress".into()),
                ..Default::default()
            },
            Invalid("status", Code::ClassifiedStatusOnly),
        ),
        (
            "not started",
            not_started(),
            Invalid("status", Code::ClassifiedStatusOnly),
        ),
        (
            "percent",
            with_percent,
            Invalid("percent", Code::FieldForbiddenForLevel),
        ),
        (
            "results",
            with_results,
            Invalid("results", Code::FieldForbiddenForLevel),
        ),
    ];
    for (case, input, expect) in cases {
        check(
            scenario
                .clone()
                .try_run(&updater(), now(), TaskCommand::DraftUpdate(input), None),
            expect,
            case,
        );
    }

    let mut done = scenario.clone();
    let update = done.report(now(), local(2026, 3, 5, 10, 0), completed(date(2026, 3, 4)));
    let content = &done.task.update(update).unwrap().content;
    assert_eq!(content.percent, None);
    assert_eq!(content.results, None);
    assert_eq!(
        done.state_at(local(2026, 3, 5, 10, 0)),
        Some(ResultState::CompletedOnTime)
    );
}

#[test]
fn clearance_required() {
    let uncleared = |actor: Actor, clearance: Clearance| Actor { clearance, ..actor };
    let scenario = classified_task(Confidentiality::Secret);
    check(
        scenario.clone().try_run(
            &uncleared(updater(), Clearance::Confidential),
            now(),
            TaskCommand::DraftUpdate(completed(date(2026, 3, 4))),
            None,
        ),
        Denied(FORBIDDEN, Code::ClearanceTooLow),
        "updater",
    );
    check(
        scenario.clone().try_run(
            &uncleared(office(), Clearance::Normal),
            now(),
            TaskCommand::Cancel,
            REASON,
        ),
        Denied(FORBIDDEN, Code::ClearanceTooLow),
        "office",
    );

    let world = World::new();
    let document = world.document(date(2026, 3, 2), Confidentiality::Confidential);
    let input = NewTaskInput {
        content: None,
        expected_products: None,
        ..task_input(None)
    };
    let office = uncleared(office(), Clearance::Normal);
    let error = error_of(theodoi_domain::task::new_task(
        &input,
        &document,
        1,
        &world.context(&office, now(), None),
    ));
    assert_eq!((error.kind, error.code), (FORBIDDEN, Code::ClearanceTooLow));
}

#[test]
fn top_secret_document_rejected() {
    let world = World::new();
    let title = "Kế hoạch bảo vệ bí mật quốc gia";
    let mut input = world.document_input(date(2026, 3, 2), Confidentiality::Normal);
    input.confidentiality = Some("top_secret".into());
    input.title = Some(title.into());
    input.symbol = Some("99-KH/TW".into());
    input.summary = Some("Trích yếu tuyệt mật".into());
    input.issuing_body = Some(OrgId(999));
    let error = error_of(input.validate(&world.orgs, date(2026, 3, 2)));
    assert_eq!(error.kind, ErrorKind::Invalid);
    assert_eq!(
        fields(&error),
        [("confidentiality".to_owned(), Code::TopSecretRefused)]
    );
    assert!(error.args.is_empty());
    assert!(error.violations[0].args.is_empty());
    let shown = format!("{error} {error:?}");
    for secret in [title, "99-KH/TW", "Trích yếu", "999"] {
        assert!(!shown.contains(secret), "{secret} echoed in {shown}");
    }
}

/// Checks the envelope of every event against the commands that produced them.
fn assert_envelopes(events: &[TaskEvent], expected: &[(Actor, Timestamp, Option<&str>)]) {
    assert_eq!(events.len(), expected.len());
    for (index, (event, (actor, at, reason))) in events.iter().zip(expected).enumerate() {
        let seq = u32::try_from(index + 1).unwrap();
        assert_eq!(event.seq, seq, "event {seq}");
        assert_eq!(event.actor, Some(actor.user_id), "event {seq}");
        assert_eq!(event.body, Some(actor.org_id), "event {seq}");
        assert_eq!(event.at, *at, "event {seq}");
        assert_eq!(event.reason.as_deref(), *reason, "event {seq}");
    }
}

#[test]
fn events_carry_envelope() {
    let mut scenario = Scenario::task(local(2026, 3, 2, 9, 0), Some(deadline()));
    scenario.transfer(local(2026, 3, 2, 10, 0));
    scenario.run_because(
        &updater(),
        local(2026, 3, 2, 11, 0),
        give_back(),
        "Sai nội dung",
    );
    scenario.run_because(
        &office(),
        local(2026, 3, 3, 9, 0),
        TaskCommand::HandleFeedback(FeedbackDecision::Reject),
        "Đúng thẩm quyền",
    );
    scenario.receive(local(2026, 3, 3, 10, 0));
    scenario.report(
        local(2026, 3, 4, 9, 0),
        local(2026, 3, 4, 10, 0),
        progress(30),
    );
    scenario.run(&monitor(), local(2026, 3, 4, 11, 0), evaluate(1));
    scenario.run_because(
        &monitor(),
        local(2026, 3, 4, 14, 0),
        TaskCommand::Urge {
            channel: UrgeChannel::Fax,
        },
        "Chậm báo cáo",
    );
    scenario.run_because(
        &approver(),
        local(2026, 3, 4, 15, 0),
        TaskCommand::ReportDifficulty {
            copied_to: Some(UBKTTW),
        },
        "Thiếu kinh phí",
    );

    let rejected = local(2026, 3, 3, 9, 0);
    assert_envelopes(
        &scenario.events,
        &[
            (office(), local(2026, 3, 2, 9, 0), None),
            (office(), local(2026, 3, 2, 10, 0), None),
            (updater(), local(2026, 3, 2, 11, 0), Some("Sai nội dung")),
            (office(), rejected, Some("Đúng thẩm quyền")),
            (office(), rejected, Some("Đúng thẩm quyền")),
            (updater(), local(2026, 3, 3, 10, 0), None),
            (updater(), local(2026, 3, 4, 9, 0), None),
            (approver(), local(2026, 3, 4, 10, 0), None),
            (monitor(), local(2026, 3, 4, 11, 0), None),
            (monitor(), local(2026, 3, 4, 14, 0), Some("Chậm báo cáo")),
            (approver(), local(2026, 3, 4, 15, 0), Some("Thiếu kinh phí")),
        ],
    );
    assert_eq!(
        scenario.events[10].change,
        TaskChange::DifficultyReported {
            copied_to: Some(UBKTTW)
        }
    );
    assert_eq!(scenario.task.version, 11);
    assert_eq!(scenario.task.updated_at, local(2026, 3, 4, 15, 0));
    assert_eq!(
        Task::replay(TASK, &scenario.events).as_ref(),
        Some(&scenario.task)
    );

    // A refused command leaves the version alone; the next event continues the sequence.
    check(
        scenario.try_run(&updater(), now(), TaskCommand::Cancel, REASON),
        Denied(FORBIDDEN, Code::RoleRequired),
        "cancel by updater",
    );
    assert_eq!(scenario.task.version, 11);
    let events = scenario.run_because(&office(), now(), TaskCommand::Cancel, "Không còn phù hợp");
    assert_eq!(events[0].seq, 12);
}

#[test]
fn reason_is_normalised() {
    let mut scenario = in_flight();
    let decomposed = "Ly\u{301} do\u{323}";
    let events = scenario.run_because(
        &office(),
        now(),
        TaskCommand::Cancel,
        &format!("  {decomposed}  "),
    );
    assert_eq!(events[0].reason.as_deref(), Some("Lý dọ"));
    let long = "x".repeat(5_001);
    check(
        in_flight().try_run(&office(), now(), TaskCommand::Cancel, Some(&long)),
        Invalid("reason", Code::TooLong),
        "long reason",
    );
}
