//! Properties of random command sequences: replaying a history up to any instant gives the
//! result state of the task as it stood then, and obligation clocks run forward.

mod support;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};
use proptest::prelude::*;
use support::*;
use theodoi_calendar::{at_local, end_of_day, local_date};
use theodoi_domain::ids::{OrgId, UpdateNo};
use theodoi_domain::obligation::ObligationKind;
use theodoi_domain::result::result_state_at;
use theodoi_domain::task::event::{FeedbackKind, UrgeChannel};
use theodoi_domain::task::update::{Rating, UpdateInput, UpdateState};
use theodoi_domain::task::{FeedbackDecision, Task, TaskCommand, TaskEditInput, TaskStatus};
use theodoi_domain::user::Actor;

/// One step of a random history: how much working time passes, then what is tried.
#[derive(Debug, Clone)]
struct Step {
    /// Working minutes since the previous step; 0 runs the command at the same instant.
    gap: u32,
    op: Op,
}

#[derive(Debug, Clone)]
enum Op {
    Transfer,
    Confirm,
    Return,
    Handle(u8),
    Draft { status: u8, percent: i64, back: i64 },
    EditLatest { status: u8, percent: i64, back: i64 },
    ApproveLatest { second: bool },
    ReturnLatest,
    EvaluateLatest,
    RequestExtension(i64),
    Extend(i64),
    RequestUpdate(i64),
    Urge,
    Difficulty,
    Withdraw,
    Cancel,
    DualDraft,
}

fn op() -> impl Strategy<Value = Op> {
    let update = (0u8..4, 0i64..100, 0i64..20);
    prop_oneof![
        8 => Just(Op::Transfer),
        10 => Just(Op::Confirm),
        2 => Just(Op::Return),
        6 => (0u8..4).prop_map(Op::Handle),
        24 => update.clone().prop_map(|(status, percent, back)| Op::Draft { status, percent, back }),
        5 => update.prop_map(|(status, percent, back)| Op::EditLatest { status, percent, back }),
        24 => any::<bool>().prop_map(|second| Op::ApproveLatest { second }),
        3 => Just(Op::ReturnLatest),
        6 => Just(Op::EvaluateLatest),
        2 => (1i64..60).prop_map(Op::RequestExtension),
        4 => (-5i64..90).prop_map(Op::Extend),
        3 => (0i64..15).prop_map(Op::RequestUpdate),
        2 => Just(Op::Urge),
        2 => Just(Op::Difficulty),
        1 => Just(Op::Withdraw),
        2 => Just(Op::DualDraft),
        1 => Just(Op::Cancel),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    let gap = prop_oneof![1 => Just(0u32), 6 => 1u32..600, 3 => 600u32..6_000];
    (gap, op()).prop_map(|(gap, op)| Step { gap, op })
}

/// Returns the updater and the approver of the lead body `lead`.
fn lead_officers(lead: OrgId) -> (Actor, Actor) {
    if lead == TU_HPG {
        (other_updater(), other_approver())
    } else {
        (updater(), approver())
    }
}

fn update_input(task: &Task, today: Date, status: u8, percent: i64, back: i64) -> UpdateInput {
    let transferred_on = task.first_transferred_at.map(local_date).unwrap_or(today);
    let completion_date = today
        .checked_sub(back.days())
        .unwrap_or(today)
        .max(transferred_on);
    match status {
        0 => not_started(),
        1 => progress(percent),
        2 => completed(completion_date),
        _ => done_not_completed(completion_date),
    }
}

/// Returns the update an approver would act on: the open draft, or else the latest one.
fn latest_update(task: &Task) -> UpdateNo {
    task.open_draft()
        .or(task.updates.last())
        .map(|update| update.no)
        .unwrap_or(UpdateNo(1))
}

fn latest_approved(task: &Task) -> UpdateNo {
    task.updates
        .iter()
        .rev()
        .find(|update| matches!(update.state, UpdateState::Approved { .. }))
        .map(|update| update.no)
        .unwrap_or(UpdateNo(1))
}

/// Turns a step into an actor, a command and a reason for the task as it is now.
fn command(op: &Op, task: &Task, today: Date) -> (Actor, TaskCommand, Option<&'static str>) {
    let (lead_updater, lead_approver) = lead_officers(task.lead_body);
    let reason = Some("Lý do thử nghiệm");
    let later = |days: i64| {
        task.deadline
            .unwrap_or(today)
            .checked_add(days.days())
            .unwrap_or(today)
    };
    match op {
        Op::Transfer => (office(), TaskCommand::Transfer, None),
        Op::Confirm => (lead_updater, TaskCommand::ConfirmReceipt, None),
        Op::Return => (
            lead_approver,
            TaskCommand::Return {
                kind: FeedbackKind::OutsideAuthority,
            },
            reason,
        ),
        Op::Handle(choice) => {
            let decision = match choice {
                0 => FeedbackDecision::Reject,
                1 => FeedbackDecision::Adjust(TaskEditInput {
                    content: Some(format!("Nội dung điều chỉnh lúc {today}")),
                    ..Default::default()
                }),
                2 => FeedbackDecision::Correct(TaskEditInput {
                    expected_products: Some(format!("Sản phẩm {today}")),
                    ..Default::default()
                }),
                _ if task.lead_body == TU_HNI => FeedbackDecision::Reassign { to: TU_HPG },
                _ => FeedbackDecision::Reassign { to: TU_HNI },
            };
            (office(), TaskCommand::HandleFeedback(decision), reason)
        }
        Op::Draft {
            status,
            percent,
            back,
        } => (
            lead_updater,
            TaskCommand::DraftUpdate(update_input(task, today, *status, *percent, *back)),
            None,
        ),
        Op::DualDraft => (dual_officer(), TaskCommand::DraftUpdate(progress(10)), None),
        Op::EditLatest {
            status,
            percent,
            back,
        } => (
            lead_updater,
            TaskCommand::EditUpdate {
                update: latest_update(task),
                input: update_input(task, today, *status, *percent, *back),
            },
            reason,
        ),
        Op::ApproveLatest { second } => {
            let approver = match (*second, task.lead_body == TU_HNI) {
                (true, true) => second_approver(),
                (true, false) => dual_officer(),
                _ => lead_approver,
            };
            (
                approver,
                TaskCommand::ApproveUpdate {
                    update: latest_update(task),
                },
                None,
            )
        }
        Op::ReturnLatest => (
            lead_approver,
            TaskCommand::ReturnUpdate {
                update: latest_update(task),
            },
            reason,
        ),
        Op::EvaluateLatest => (
            monitor(),
            TaskCommand::EvaluateUpdate {
                update: latest_approved(task),
                rating: Rating::Good,
                comment: None,
            },
            None,
        ),
        Op::RequestExtension(days) => (
            lead_updater,
            TaskCommand::RequestExtension {
                proposed: later(*days),
            },
            reason,
        ),
        Op::Extend(days) => (
            office(),
            TaskCommand::ExtendDeadline { to: later(*days) },
            reason,
        ),
        Op::RequestUpdate(days) => (
            monitor(),
            TaskCommand::RequestUpdate {
                due: today.checked_add(days.days()).unwrap_or(today),
            },
            None,
        ),
        Op::Urge => (
            monitor(),
            TaskCommand::Urge {
                channel: UrgeChannel::System,
            },
            reason,
        ),
        Op::Difficulty => (
            lead_updater,
            TaskCommand::ReportDifficulty {
                copied_to: Some(UBKTTW),
            },
            reason,
        ),
        Op::Withdraw => (office(), TaskCommand::Withdraw, reason),
        Op::Cancel => (office(), TaskCommand::Cancel, reason),
    }
}

/// A history built from `steps`, with the task as it stood after each accepted command.
struct History {
    scenario: Scenario,
    /// The task after each accepted command (and after creation), with the command's instant.
    snapshots: Vec<(Timestamp, Task)>,
    /// Instants at which some obligation clock was started by a command.
    command_times: Vec<Timestamp>,
}

fn run(deadline_days: Option<i64>, steps: &[Step]) -> History {
    let created = local(2026, 3, 2, 9, 0);
    let deadline = deadline_days.map(|days| local_date(created).checked_add(days.days()).unwrap());
    let mut scenario = Scenario::task(created, deadline);
    let mut snapshots = vec![(created, scenario.task.clone())];
    let mut command_times = vec![created];
    let mut now = created;
    for step in steps {
        let calendar = &scenario.world.calendar;
        now = calendar.add_working_minutes(now, step.gap);
        if !calendar.is_working_time(now) {
            now = calendar.next_working_moment(now);
        }
        let (actor, command, reason) = command(&step.op, &scenario.task, local_date(now));
        if scenario.try_run(&actor, now, command, reason).is_ok() {
            snapshots.push((now, scenario.task.clone()));
            command_times.push(now);
        }
    }
    History {
        scenario,
        snapshots,
        command_times,
    }
}

/// Instants worth checking: each command, just before and after it, each local midnight in
/// between, and the end of every deadline the task had.
fn sample_instants(history: &History) -> Vec<Timestamp> {
    let mut instants = Vec::new();
    let second = SignedDuration::from_secs(1);
    let first = history.snapshots[0].0;
    let last = history.snapshots.last().unwrap().0;
    instants.push(first.checked_sub(second).unwrap());
    for (at, _) in &history.snapshots {
        instants.extend([
            *at,
            at.checked_sub(second).unwrap(),
            at.checked_add(second).unwrap(),
        ]);
    }
    let mut day = local_date(first);
    let horizon = local_date(last).checked_add(60.days()).unwrap();
    while day <= horizon {
        let midnight = at_local(day.at(0, 0, 0, 0));
        instants.extend([midnight, midnight.checked_sub(second).unwrap()]);
        day = day.tomorrow().unwrap();
    }
    for (_, task) in &history.snapshots {
        if let Some(deadline) = task.deadline {
            let end = end_of_day(deadline);
            instants.extend([end, end.checked_sub(second).unwrap()]);
        }
    }
    instants.sort();
    instants.dedup();
    instants
}

/// Returns the task as it was at `at`: the snapshot of the last command at or before it.
fn task_at(history: &History, at: Timestamp) -> Option<&Task> {
    history
        .snapshots
        .iter()
        .rev()
        .find(|(time, _)| *time <= at)
        .map(|(_, task)| task)
}

fn history_strategy() -> impl Strategy<Value = (Option<i64>, Vec<Step>)> {
    (
        prop::option::weighted(0.8, 3i64..400),
        prop::collection::vec(step(), 1..80),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn state_at_matches_replay((deadline_days, steps) in history_strategy()) {
        let history = run(deadline_days, &steps);
        let events = &history.scenario.events;
        for at in sample_instants(&history) {
            let expected = task_at(&history, at)
                .and_then(|task| task.result_facts().state_on(local_date(at)));
            prop_assert_eq!(result_state_at(TASK, events, at), expected, "at {}", at);
        }

        let replayed = Task::replay(TASK, events);
        prop_assert_eq!(replayed.as_ref(), Some(&history.scenario.task));
        for (index, event) in events.iter().enumerate() {
            prop_assert_eq!(event.seq as usize, index + 1);
        }
        prop_assert_eq!(history.scenario.task.version as usize, events.len());
    }

    #[test]
    fn completed_never_overdue((deadline_days, steps) in history_strategy()) {
        let history = run(deadline_days, &steps);
        let task = &history.scenario.task;
        if task.status == TaskStatus::Completed {
            let completed_at = history
                .snapshots
                .iter()
                .rev()
                .take_while(|(_, task)| task.status == TaskStatus::Completed)
                .last()
                .map(|(at, _)| *at)
                .unwrap();
            let state = history.scenario.state_at(completed_at);
            for days in [0, 1, 30, 400, 4_000] {
                let at = completed_at.checked_add(SignedDuration::from_hours(24 * days)).unwrap();
                prop_assert_eq!(history.scenario.state_at(at), state);
            }
            prop_assert!(state.is_some_and(|state| state.as_str().starts_with("completed")));
        }
    }

    #[test]
    fn obligation_clocks_run_forward((deadline_days, steps) in history_strategy()) {
        let history = run(deadline_days, &steps);
        for obligation in history.scenario.obligations() {
            let opened_locally = theodoi_calendar::local_datetime(obligation.opened_at);
            let clock_start = match obligation.kind {
                ObligationKind::Checkpoint { .. } => true,
                // A settled final report starts on the reported completion date.
                ObligationKind::FinalReport => opened_locally.time() == jiff::civil::Time::midnight(),
                _ => false,
            };
            prop_assert!(
                history.command_times.contains(&obligation.opened_at) || clock_start,
                "{:?} opened neither by a command nor at the start of its clock",
                obligation
            );
            prop_assert!(
                obligation.due_at >= obligation.opened_at,
                "{:?} is due before it opened",
                obligation
            );
            if let Some(met_at) = obligation.met_at {
                prop_assert!(met_at >= obligation.opened_at, "{:?}", obligation);
            }
        }
    }
}
