//! The read model against the events on both backends: tasks driven through many histories
//! (every result state, extensions after the deadline passed, voided approvals, reassignment,
//! delegation) are checked at many instants. The result state that SQL derives from the task
//! row must equal the one replayed from the stored events, the counts must add up to the list,
//! and the listed obligations must equal the domain's fold of the events.

mod support;

use jiff::civil::{Date, date};
use jiff::{SignedDuration, Timestamp};
use std::collections::{BTreeMap, BTreeSet};
use support::{World, completed, done_not_completed, everything, local, progress, task_input};
use theodoi_calendar::{end_of_day, local_date};
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::Document;
use theodoi_domain::ids::{OrgId, TaskId, UpdateNo};
use theodoi_domain::obligation::{Obligation, ObligationKind, ObligationStatus, obligations};
use theodoi_domain::result::ResultState;
use theodoi_domain::task::event::{FeedbackKind, TaskEvent, UrgeChannel};
use theodoi_domain::task::update::{Rating, UpdateInput};
use theodoi_domain::task::{
    FeedbackDecision, NewTaskInput, SubtaskInput, Task, TaskCommand, TaskEditInput,
};
use theodoi_domain::user::{Actor, Clearance, Role};
use theodoi_store::{
    Backend, ObligationFilter, ObligationQuery, ObligationRow, PageRequest, TaskFilter, TaskSort,
    on_both_backends,
};

/// Who runs a step.
#[derive(Debug, Clone, Copy)]
enum Who {
    Office,
    Updater,
    Approver,
    Monitor,
    /// Focal officers of Thành uỷ Hải Phòng, which receives a reassigned task.
    OtherUpdater,
    OtherApprover,
    /// Focal officers of a unit under Thành uỷ Hà Nội, which receives a delegated sub-task.
    UnitUpdater,
    UnitApprover,
}

#[derive(Debug, Clone)]
enum Action {
    Run(Who, Box<TaskCommand>),
    /// Creates the task of this history as a sub-task of another history's task.
    Delegate {
        parent: usize,
        input: SubtaskInput,
    },
}

/// One task and what happens to it.
struct History {
    name: &'static str,
    classified: bool,
    deadline: Option<Date>,
    steps: Vec<(Timestamp, Action)>,
}

/// The people of the scenario.
struct Cast {
    office: Actor,
    updater: Actor,
    approver: Actor,
    monitor: Actor,
    other_updater: Actor,
    other_approver: Actor,
    unit_updater: Actor,
    unit_approver: Actor,
}

impl Cast {
    fn actor(&self, who: Who) -> &Actor {
        match who {
            Who::Office => &self.office,
            Who::Updater => &self.updater,
            Who::Approver => &self.approver,
            Who::Monitor => &self.monitor,
            Who::OtherUpdater => &self.other_updater,
            Who::OtherApprover => &self.other_approver,
            Who::UnitUpdater => &self.unit_updater,
            Who::UnitApprover => &self.unit_approver,
        }
    }
}

fn run(at: Timestamp, who: Who, command: TaskCommand) -> (Timestamp, Action) {
    (at, Action::Run(who, Box::new(command)))
}

fn transfer(at: Timestamp) -> (Timestamp, Action) {
    run(at, Who::Office, TaskCommand::Transfer)
}

fn receive(at: Timestamp) -> (Timestamp, Action) {
    run(at, Who::Updater, TaskCommand::ConfirmReceipt)
}

/// Transferred at 10:00 and received at 11:00 on Monday 2 March 2026.
fn started() -> Vec<(Timestamp, Action)> {
    vec![
        transfer(local(2026, 3, 2, 10, 0)),
        receive(local(2026, 3, 2, 11, 0)),
    ]
}

/// Update `number` drafted at `at` by `updater` and approved 30 minutes later by `approver`.
fn report_by(
    updater: Who,
    approver: Who,
    at: Timestamp,
    number: u32,
    input: UpdateInput,
) -> Vec<(Timestamp, Action)> {
    vec![
        run(at, updater, TaskCommand::DraftUpdate(input)),
        run(
            at + SignedDuration::from_mins(30),
            approver,
            TaskCommand::ApproveUpdate {
                update: UpdateNo(number),
            },
        ),
    ]
}

fn report(at: Timestamp, number: u32, input: UpdateInput) -> Vec<(Timestamp, Action)> {
    report_by(Who::Updater, Who::Approver, at, number, input)
}

fn history(
    name: &'static str,
    deadline: Option<Date>,
    parts: Vec<Vec<(Timestamp, Action)>>,
) -> History {
    History {
        name,
        classified: false,
        deadline,
        steps: parts.into_iter().flatten().collect(),
    }
}

/// Returns the histories, each reaching a different result state or path through the
/// lifecycle.
fn histories(hai_phong: OrgId, unit: OrgId) -> Vec<History> {
    let on = |month: i8, day: i8| date(2026, month, day);
    let at = |month: i8, day: i8, hour: i8| local(2026, month, day, hour, 0);
    let mut classified = history(
        "classified completed",
        Some(on(4, 30)),
        vec![started(), report(at(4, 2, 9), 1, completed(on(4, 1)))],
    );
    classified.classified = true;
    vec![
        history("draft", Some(on(4, 30)), vec![]),
        history(
            "never received",
            Some(on(3, 20)),
            vec![vec![transfer(at(3, 2, 10))]],
        ),
        history("received, no report", Some(on(4, 30)), vec![started()]),
        history(
            "in progress",
            Some(on(3, 31)),
            vec![
                started(),
                report(at(3, 10, 9), 1, progress(40)),
                vec![run(
                    at(3, 11, 9),
                    Who::Monitor,
                    TaskCommand::EvaluateUpdate {
                        update: UpdateNo(1),
                        rating: Rating::Satisfactory,
                        comment: None,
                    },
                )],
            ],
        ),
        history(
            "completed on time",
            Some(on(4, 30)),
            vec![started(), report(at(4, 20, 9), 1, completed(on(4, 20)))],
        ),
        history(
            "completed late",
            Some(on(3, 20)),
            vec![
                started(),
                report(at(3, 10, 9), 1, progress(50)),
                report(at(3, 26, 9), 2, completed(on(3, 25))),
            ],
        ),
        history(
            "done, not completed",
            Some(on(3, 31)),
            vec![
                started(),
                report(at(4, 2, 9), 1, done_not_completed(on(3, 31))),
            ],
        ),
        history(
            "extended after the deadline passed",
            Some(on(3, 20)),
            vec![
                started(),
                report(at(3, 12, 9), 1, progress(30)),
                vec![
                    run(
                        at(3, 23, 9),
                        Who::Updater,
                        TaskCommand::RequestExtension {
                            proposed: on(4, 30),
                        },
                    ),
                    run(
                        at(3, 24, 9),
                        Who::Office,
                        TaskCommand::ExtendDeadline { to: on(4, 30) },
                    ),
                ],
                report(at(4, 10, 9), 2, completed(on(4, 10))),
            ],
        ),
        history(
            "completed before a later extension",
            Some(on(3, 20)),
            vec![
                started(),
                report(at(3, 12, 9), 1, progress(30)),
                vec![run(
                    at(3, 25, 9),
                    Who::Office,
                    TaskCommand::ExtendDeadline { to: on(4, 30) },
                )],
                report(at(3, 27, 9), 2, completed(on(3, 23))),
            ],
        ),
        history(
            "voided approval",
            Some(on(4, 30)),
            vec![
                started(),
                report(at(4, 10, 9), 1, completed(on(4, 10))),
                vec![
                    run(
                        at(4, 13, 9),
                        Who::Updater,
                        TaskCommand::EditUpdate {
                            update: UpdateNo(1),
                            input: progress(80),
                        },
                    ),
                    run(
                        at(4, 16, 9),
                        Who::Approver,
                        TaskCommand::ApproveUpdate {
                            update: UpdateNo(1),
                        },
                    ),
                ],
            ],
        ),
        history(
            "reassigned",
            Some(on(4, 30)),
            vec![
                started(),
                vec![
                    run(
                        at(3, 2, 15),
                        Who::Updater,
                        TaskCommand::Return {
                            kind: FeedbackKind::OutsideAuthority,
                        },
                    ),
                    run(
                        at(3, 3, 9),
                        Who::Office,
                        TaskCommand::HandleFeedback(FeedbackDecision::Reassign { to: hai_phong }),
                    ),
                    run(at(3, 3, 10), Who::OtherUpdater, TaskCommand::ConfirmReceipt),
                ],
                report_by(
                    Who::OtherUpdater,
                    Who::OtherApprover,
                    at(3, 16, 9),
                    1,
                    progress(10),
                ),
            ],
        ),
        history(
            "withdrawn",
            Some(on(4, 30)),
            vec![
                started(),
                vec![run(at(3, 5, 9), Who::Office, TaskCommand::Withdraw)],
            ],
        ),
        history(
            "cancelled",
            Some(on(4, 30)),
            vec![
                started(),
                report(at(3, 10, 9), 1, progress(20)),
                vec![run(at(3, 15, 9), Who::Office, TaskCommand::Cancel)],
            ],
        ),
        history(
            "no deadline, in progress",
            None,
            vec![started(), report(at(3, 16, 9), 1, progress(20))],
        ),
        history(
            "no deadline, completed",
            None,
            vec![started(), report(at(3, 25, 15), 1, completed(on(3, 25)))],
        ),
        history(
            "no deadline, not started",
            None,
            vec![vec![transfer(at(3, 2, 10))]],
        ),
        classified,
        history(
            "late feedback, rejected",
            Some(on(4, 30)),
            vec![
                started(),
                vec![
                    run(
                        at(3, 4, 9),
                        Who::Updater,
                        TaskCommand::Return {
                            kind: FeedbackKind::WrongContent,
                        },
                    ),
                    run(
                        at(3, 6, 9),
                        Who::Office,
                        TaskCommand::HandleFeedback(FeedbackDecision::Reject),
                    ),
                    receive(at(3, 6, 10)),
                ],
            ],
        ),
        history(
            "requested update unanswered",
            Some(on(6, 30)),
            vec![
                started(),
                vec![
                    run(
                        at(3, 13, 9),
                        Who::Monitor,
                        TaskCommand::RequestUpdate { due: on(3, 20) },
                    ),
                    run(
                        at(3, 23, 9),
                        Who::Office,
                        TaskCommand::Urge {
                            channel: UrgeChannel::Meeting,
                        },
                    ),
                ],
            ],
        ),
        history(
            "done, not completed, then completed",
            Some(on(3, 31)),
            vec![
                started(),
                report(at(4, 2, 9), 1, done_not_completed(on(3, 31))),
                report(at(4, 14, 9), 2, completed(on(4, 14))),
            ],
        ),
        history(
            "edited, then transferred late",
            Some(on(5, 29)),
            vec![vec![
                run(
                    at(3, 9, 9),
                    Who::Office,
                    TaskCommand::Edit(TaskEditInput {
                        deadline: Some("2026-05-15".into()),
                        ..Default::default()
                    }),
                ),
                transfer(at(3, 9, 10)),
                receive(at(3, 9, 11)),
            ]],
        ),
        history(
            "delegated sub-task",
            None,
            vec![
                vec![(
                    at(3, 5, 9),
                    Action::Delegate {
                        parent: 2,
                        input: SubtaskInput {
                            lead_body: Some(unit),
                            content: Some("Phần việc của Ban Tuyên giáo".into()),
                            ..Default::default()
                        },
                    },
                )],
                vec![run(
                    at(3, 5, 10),
                    Who::UnitUpdater,
                    TaskCommand::ConfirmReceipt,
                )],
                report_by(
                    Who::UnitUpdater,
                    Who::UnitApprover,
                    at(3, 12, 9),
                    1,
                    progress(50),
                ),
            ],
        ),
    ]
}

/// Returns the instants at which the read model is compared with the events. Every step up
/// to each instant runs first.
fn check_instants() -> Vec<Timestamp> {
    vec![
        local(2026, 3, 2, 18, 0),
        local(2026, 3, 5, 12, 0),
        local(2026, 3, 12, 12, 0),
        local(2026, 3, 21, 9, 0),
        local(2026, 3, 24, 12, 0),
        local(2026, 3, 26, 12, 0),
        local(2026, 4, 3, 12, 0),
        local(2026, 4, 14, 12, 0),
        local(2026, 4, 22, 12, 0),
        local(2026, 5, 20, 12, 0),
    ]
}

/// The scenario as it runs: the world, its people and the ids of the tasks created so far.
struct Scenario {
    world: World,
    cast: Cast,
    histories: Vec<History>,
    ids: Vec<Option<TaskId>>,
}

impl Scenario {
    async fn new(backend: Backend) -> Scenario {
        let mut world = World::new(backend).await;
        let hai_phong = world.org("TU-HPG");
        let unit = world
            .add_unit("HNI-BTG", "Ban Tuyên giáo Thành uỷ Hà Nội", "TU-HNI")
            .await;
        let cast = Cast {
            office: world.office.clone(),
            updater: world.updater.clone(),
            approver: world.approver.clone(),
            monitor: world.monitor.clone(),
            other_updater: world
                .add_user(
                    "hpg.capnhat",
                    hai_phong,
                    &[Role::Updater],
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
        };
        let histories = histories(hai_phong, unit);
        let ids = vec![None; histories.len()];
        let mut scenario = Scenario {
            world,
            cast,
            histories,
            ids,
        };
        scenario.create_tasks().await;
        scenario
    }

    /// Creates the task of every history that is not a sub-task, at 09:00 on 2 March 2026.
    async fn create_tasks(&mut self) {
        let issued = date(2026, 2, 27);
        let normal: Document = self
            .world
            .resolution("57-NQ/TW", "Nghị quyết về khoa học, công nghệ", issued)
            .await;
        let classified = self
            .world
            .register(
                "conclusion",
                "12-KL/TW",
                "Kết luận về bảo vệ chính trị nội bộ",
                issued,
                Confidentiality::Confidential,
            )
            .await;
        let hanoi = self.world.org("TU-HNI");
        let at = local(2026, 3, 2, 9, 0);
        for index in 0..self.histories.len() {
            let history = &self.histories[index];
            if matches!(history.steps.first(), Some((_, Action::Delegate { .. }))) {
                continue;
            }
            let (document, input) = if history.classified {
                let input = NewTaskInput {
                    content: None,
                    ..task_input("", hanoi, history.deadline)
                };
                (&classified, input)
            } else {
                let content = format!("Nhiệm vụ: {}", history.name);
                (&normal, task_input(&content, hanoi, history.deadline))
            };
            let task = self.world.create_task(document, &input, at).await;
            self.ids[index] = Some(task.id);
        }
    }

    /// Returns every step of every history in time order. Steps of one history keep their
    /// order.
    fn timeline(&self) -> Vec<(Timestamp, usize, Action)> {
        let mut timeline: Vec<(Timestamp, usize, Action)> = self
            .histories
            .iter()
            .enumerate()
            .flat_map(|(index, history)| {
                history
                    .steps
                    .iter()
                    .map(move |(at, action)| (*at, index, action.clone()))
            })
            .collect();
        timeline.sort_by_key(|(at, _, _)| *at);
        timeline
    }

    async fn apply(&mut self, at: Timestamp, index: usize, action: Action) {
        let name = self.histories[index].name;
        match action {
            Action::Run(who, command) => {
                let id = self.ids[index].unwrap_or_else(|| panic!("{name} has a task"));
                let actor = self.cast.actor(who);
                let command_name = command.name();
                self.world
                    .try_run(actor, id, None, at, *command)
                    .await
                    .unwrap_or_else(|error| panic!("{name}: {command_name} at {at}: {error}"));
            }
            Action::Delegate { parent, input } => {
                let parent = self.ids[parent].expect("the parent exists");
                let task = self
                    .world
                    .delegate(&self.cast.updater, parent, at, &input)
                    .await;
                self.ids[index] = Some(task.id);
            }
        }
    }

    /// Runs the timeline, calling `check` after the steps up to each check instant.
    async fn play<F>(mut self, mut check: F)
    where
        F: AsyncFnMut(&Scenario, Timestamp),
    {
        let mut timeline = self.timeline().into_iter().peekable();
        for instant in check_instants() {
            while let Some((at, _, _)) = timeline.peek()
                && *at <= instant
            {
                let (at, index, action) = timeline.next().expect("peeked");
                self.apply(at, index, action).await;
            }
            check(&self, instant).await;
        }
        assert!(
            timeline.next().is_none(),
            "every step ran before the last check"
        );
    }

    /// Loads each task's id, name and stored events.
    async fn tasks(&self) -> Vec<(TaskId, &'static str, Vec<TaskEvent>)> {
        let mut tasks = Vec::new();
        for (index, id) in self.ids.iter().enumerate() {
            if let Some(id) = id {
                let events = self.world.events(*id).await;
                tasks.push((*id, self.histories[index].name, events));
            }
        }
        tasks
    }
}

/// Returns the instants from `instant` on at which result states are compared: later days,
/// and the last minute of each deadline day and the first minute after it. The flag marks
/// where the slower checks run too (each task's own row, each state's filter). Those are
/// `instant` itself and the deadline boundaries, which keeps the suite fast.
fn result_instants(instant: Timestamp, deadlines: &BTreeSet<Date>) -> BTreeMap<Timestamp, bool> {
    let mut instants: BTreeMap<Timestamp, bool> = [1, 7, 30, 90]
        .into_iter()
        .map(|days| (instant + SignedDuration::from_hours(24 * days), false))
        .collect();
    instants.insert(instant, true);
    for deadline in deadlines {
        let end = end_of_day(*deadline);
        if end > instant + SignedDuration::from_mins(1) {
            instants.insert(end - SignedDuration::from_mins(1), true);
            instants.insert(end, true);
        }
    }
    instants
}

fn replayed_state(id: TaskId, events: &[TaskEvent], at: Timestamp) -> Option<ResultState> {
    Task::replay_until(id, events, at)
        .expect("the history starts with its creation")
        .result_facts()
        .state_on(local_date(at))
}

/// Compares result states at instants from `instant` on; returns the states met.
async fn check_result_states(scenario: &Scenario, instant: Timestamp) -> BTreeSet<ResultState> {
    let world = &scenario.world;
    let scope = everything();
    let tasks = scenario.tasks().await;
    let deadlines: BTreeSet<Date> = tasks
        .iter()
        .filter_map(|(id, _, events)| Task::replay(*id, events).and_then(|task| task.deadline))
        .collect();
    let mut seen_states = BTreeSet::new();

    for (at, detailed) in result_instants(instant, &deadlines) {
        let rows: BTreeMap<TaskId, _> = world
            .all_rows(&scope, &TaskFilter::default(), TaskSort::Newest, at, 500)
            .await
            .into_iter()
            .map(|row| (row.id, row))
            .collect();
        assert_eq!(rows.len(), tasks.len(), "every task is listed at {at}");

        let mut expected_by_state: BTreeMap<ResultState, BTreeSet<TaskId>> = BTreeMap::new();
        for (id, name, events) in &tasks {
            let expected = replayed_state(*id, events, at);
            assert_eq!(
                rows[id].result_state, expected,
                "{name}: listed state at {at} (checked after {instant})"
            );
            if at == instant {
                let row = world
                    .store
                    .task_row(&scope, *id, at)
                    .await
                    .unwrap()
                    .unwrap();
                assert_eq!(row.result_state, expected, "{name}: task row state at {at}");
            }
            if let Some(state) = expected {
                expected_by_state.entry(state).or_default().insert(*id);
                seen_states.insert(state);
            }
        }

        let breached_filter = TaskFilter {
            breached: true,
            ..Default::default()
        };
        let listed: BTreeSet<TaskId> = world
            .ids(&scope, &breached_filter, at)
            .await
            .into_iter()
            .collect();
        let breached: BTreeSet<TaskId> = tasks
            .iter()
            .filter(|(_, _, events)| {
                obligations(events).iter().any(|obligation| {
                    matches!(obligation.status_at(at), ObligationStatus::Breached { .. })
                })
            })
            .map(|(id, _, _)| *id)
            .collect();
        assert_eq!(listed, breached, "tasks with a breached obligation at {at}");

        let counts = world
            .store
            .count_by_state(&scope, &TaskFilter::default(), at)
            .await
            .unwrap();
        let expected_counts: Vec<(ResultState, i64)> = expected_by_state
            .iter()
            .map(|(state, ids)| (*state, i64::try_from(ids.len()).unwrap()))
            .collect();
        assert_eq!(counts.counts, expected_counts, "counts at {at}");
        let with_state = rows
            .values()
            .filter(|row| row.result_state.is_some())
            .count();
        assert_eq!(
            counts.total,
            i64::try_from(with_state).unwrap(),
            "total at {at}"
        );

        if !detailed {
            continue;
        }
        for state in ResultState::ALL {
            let filter = TaskFilter {
                result_states: vec![state],
                ..Default::default()
            };
            let listed: BTreeSet<TaskId> =
                world.ids(&scope, &filter, at).await.into_iter().collect();
            let expected = expected_by_state.remove(&state).unwrap_or_default();
            assert_eq!(listed, expected, "tasks listed as {state:?} at {at}");
        }
    }
    seen_states
}

async fn result_states_match_replay(backend: Backend) {
    let scenario = Scenario::new(backend).await;
    let mut seen = BTreeSet::new();
    scenario
        .play(async |scenario: &Scenario, instant| {
            seen.extend(check_result_states(scenario, instant).await);
            let report = scenario
                .world
                .store
                .check_integrity()
                .await
                .expect("integrity check");
            assert_eq!(report.findings, [], "integrity check at {instant}");
        })
        .await;
    let all: BTreeSet<ResultState> = ResultState::ALL.into_iter().collect();
    assert_eq!(seen, all, "the histories reach every result state");
}

/// Computes the obligations a query should list from the domain's fold of the events.
fn expected_rows(
    tasks: &[(TaskId, &'static str, Vec<TaskEvent>)],
    query: ObligationQuery,
    now: Timestamp,
) -> BTreeMap<(TaskId, i64), Obligation> {
    let mut expected = BTreeMap::new();
    for (id, _, events) in tasks {
        for (position, obligation) in obligations(events).into_iter().enumerate() {
            let open = obligation.met_at.is_none() && obligation.closed_at.is_none();
            let status = obligation.status_at(now);
            let listed = match query {
                ObligationQuery::Open => open && !(obligation.optional && obligation.due_at < now),
                ObligationQuery::Breached => matches!(status, ObligationStatus::Breached { .. }),
                ObligationQuery::DueSoon { within } => {
                    open && !obligation.optional
                        && status == ObligationStatus::Pending
                        && obligation.due_at <= now + within
                }
            };
            if listed {
                expected.insert((*id, i64::try_from(position).unwrap()), obligation);
            }
        }
    }
    expected
}

async fn listed_obligations(
    world: &World,
    query: ObligationQuery,
    now: Timestamp,
    limit: u32,
) -> Vec<ObligationRow> {
    let mut rows = Vec::new();
    let mut request = PageRequest {
        limit: Some(limit),
        after: None,
    };
    for _ in 0..1_000 {
        let page = world
            .store
            .list_obligations(
                &everything(),
                query,
                &ObligationFilter::default(),
                &request,
                now,
            )
            .await
            .unwrap();
        rows.extend(page.items);
        match page.next_cursor {
            Some(cursor) => {
                request.after = Some(theodoi_store::Cursor::decode(&cursor).expect("our cursor"));
            }
            None => return rows,
        }
    }
    panic!("the obligation list did not end after 1000 pages");
}

/// Compares the obligation lists at instants from `instant` on; returns the obligation kinds
/// and the queries that listed something.
async fn check_obligations(scenario: &Scenario, instant: Timestamp) -> BTreeSet<String> {
    let world = &scenario.world;
    let tasks = scenario.tasks().await;
    let mut seen: BTreeSet<String> = tasks
        .iter()
        .flat_map(|(_, _, events)| obligations(events))
        .map(|obligation| obligation.kind.name().to_owned())
        .collect();
    let names: BTreeMap<TaskId, &str> = tasks.iter().map(|(id, name, _)| (*id, *name)).collect();
    let queries = [
        ObligationQuery::Open,
        ObligationQuery::Breached,
        ObligationQuery::DueSoon {
            within: SignedDuration::from_hours(48),
        },
    ];
    for days in [0, 1, 10] {
        let now = instant + SignedDuration::from_hours(24 * days);
        for query in queries {
            let expected = expected_rows(&tasks, query, now);
            let rows = listed_obligations(world, query, now, 500).await;
            let listed: BTreeMap<(TaskId, i64), &ObligationRow> = rows
                .iter()
                .map(|row| ((row.task_id, row.position), row))
                .collect();
            assert_eq!(listed.len(), rows.len(), "{query:?} at {now}: no row twice");
            let expected_keys: BTreeSet<_> = expected.keys().collect();
            let listed_keys: BTreeSet<_> = listed.keys().collect();
            assert_eq!(listed_keys, expected_keys, "{query:?} at {now}");
            for (key, row) in &listed {
                let name = names[&key.0];
                assert_eq!(
                    row.obligation, expected[key],
                    "{name}: obligation {}",
                    key.1
                );
                assert_eq!(
                    row.status_at(now),
                    expected[key].status_at(now),
                    "{name}: status of obligation {} at {now}",
                    key.1
                );
            }
            let dues: Vec<Timestamp> = rows.iter().map(|row| row.obligation.due_at).collect();
            assert!(dues.is_sorted(), "{query:?} at {now}: earliest due first");

            if days == 0 {
                let paged = listed_obligations(world, query, now, 3).await;
                assert_eq!(paged, rows, "{query:?} at {now}: pages of 3");
            }
            if !rows.is_empty() {
                seen.insert(query_name(query).to_owned());
            }
        }
    }
    seen
}

fn query_name(query: ObligationQuery) -> &'static str {
    match query {
        ObligationQuery::Open => "open",
        ObligationQuery::Breached => "breached",
        ObligationQuery::DueSoon { .. } => "due soon",
    }
}

async fn obligations_match_replay(backend: Backend) {
    let scenario = Scenario::new(backend).await;
    let mut seen = BTreeSet::new();
    scenario
        .play(async |scenario: &Scenario, instant| {
            seen.extend(check_obligations(scenario, instant).await);
        })
        .await;
    for name in ObligationKind::NAMES
        .into_iter()
        .chain(["open", "breached", "due soon"])
    {
        assert!(seen.contains(name), "the histories reach {name}");
    }
}

on_both_backends!(result_states_match_replay, obligations_match_replay);
