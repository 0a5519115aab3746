//! Scenario builder shared by the integration tests: a small organisation tree, the people who
//! act on tasks, a document, and one task whose commands run at chosen local times.
//!
//! Times are local to Asia/Ho_Chi_Minh (+07:00). Every command goes through
//! [`Task::handle`] and its events are applied to the task and kept, exactly as the store does.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the support module"
)]

use jiff::Timestamp;
use jiff::civil::{Date, date};
use std::fmt::Debug;
use theodoi_calendar::{WorkingCalendar, at_local};
use theodoi_domain::catalogue::{Catalogues, default_entries};
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::{Document, DocumentInput, entry_due};
use theodoi_domain::error::{Code, DomainError, DomainResult};
use theodoi_domain::ids::{DocumentId, OrgId, TaskId, UpdateNo, UserId};
use theodoi_domain::obligation::{Obligation, ObligationKind, obligations};
use theodoi_domain::org::{OrgCategory, OrgTree, Organisation};
use theodoi_domain::result::{ResultState, result_state_at};
use theodoi_domain::task::event::{TaskChange, TaskEvent};
use theodoi_domain::task::update::UpdateInput;
use theodoi_domain::task::{
    Context, NewTaskInput, SubtaskInput, Task, TaskCommand, new_subtask, new_task,
};
use theodoi_domain::user::{Actor, Clearance, Role};

/// Ban Bí thư, the assigning authority of the test document.
pub const BBT: OrgId = OrgId(1);
/// Văn phòng Trung ương Đảng: enters and transfers tasks, and monitors them.
pub const VPTW: OrgId = OrgId(2);
/// Uỷ ban Kiểm tra Trung ương.
pub const UBKTTW: OrgId = OrgId(3);
/// Thành uỷ Hà Nội, the lead body of the test task.
pub const TU_HNI: OrgId = OrgId(10);
/// A unit under Thành uỷ Hà Nội, to which it delegates.
pub const HNI_UNIT: OrgId = OrgId(11);
/// Thành uỷ Hải Phòng, a body with nothing to do with the test task.
pub const TU_HPG: OrgId = OrgId(20);
/// A unit under Thành uỷ Hải Phòng.
pub const HPG_UNIT: OrgId = OrgId(21);

/// Id of the main task of a scenario.
pub const TASK: TaskId = TaskId(1);
/// Id given to a sub-task created by delegation.
pub const SUBTASK: TaskId = TaskId(2);

/// Returns the instant of a local date and time in Asia/Ho_Chi_Minh.
pub fn local(year: i16, month: i8, day: i8, hour: i8, minute: i8) -> Timestamp {
    at_local(date(year, month, day).at(hour, minute, 0, 0))
}

/// Returns the instant of a local date and time with seconds.
pub fn local_s(year: i16, month: i8, day: i8, hour: i8, minute: i8, second: i8) -> Timestamp {
    at_local(date(year, month, day).at(hour, minute, second, 0))
}

fn organisation(
    id: OrgId,
    code: &str,
    category: OrgCategory,
    parent: Option<OrgId>,
) -> Organisation {
    Organisation {
        id,
        code: code.to_owned(),
        name_vi: code.to_owned(),
        name_en: code.to_owned(),
        category,
        parent_id: parent,
        province_code: None,
    }
}

fn actor(user: i64, org: OrgId, roles: &[Role]) -> Actor {
    Actor {
        user_id: UserId(user),
        org_id: org,
        roles: roles.to_vec(),
        clearance: Clearance::Secret,
    }
}

pub fn office() -> Actor {
    actor(1, VPTW, &[Role::CentralOffice])
}

pub fn updater() -> Actor {
    actor(2, TU_HNI, &[Role::Updater])
}

pub fn approver() -> Actor {
    actor(3, TU_HNI, &[Role::Approver])
}

pub fn second_approver() -> Actor {
    actor(4, TU_HNI, &[Role::Approver])
}

/// Returns the monitoring officer of VPTW, the monitoring body of the test document.
pub fn monitor() -> Actor {
    actor(5, VPTW, &[Role::MonitoringOfficer])
}

/// Returns a focal officer of TU_HNI who is both updater and approver.
pub fn dual_officer() -> Actor {
    actor(6, TU_HNI, &[Role::Updater, Role::Approver])
}

pub fn other_updater() -> Actor {
    actor(7, TU_HPG, &[Role::Updater])
}

pub fn other_approver() -> Actor {
    actor(8, TU_HPG, &[Role::Approver])
}

pub fn unit_updater() -> Actor {
    actor(9, HNI_UNIT, &[Role::Updater])
}

pub fn unit_approver() -> Actor {
    actor(10, HNI_UNIT, &[Role::Approver])
}

pub fn inspector() -> Actor {
    actor(11, UBKTTW, &[Role::Inspector])
}

/// Returns a monitoring officer of a body that does not monitor the test task.
pub fn foreign_monitor() -> Actor {
    actor(12, UBKTTW, &[Role::MonitoringOfficer])
}

/// The reference data every command needs.
#[derive(Debug, Clone)]
pub struct World {
    pub calendar: WorkingCalendar,
    pub orgs: OrgTree,
    pub catalogues: Catalogues,
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

impl World {
    pub fn new() -> Self {
        let orgs = OrgTree::new([
            organisation(BBT, "BBT", OrgCategory::AssigningAuthority, None),
            organisation(VPTW, "VPTW", OrgCategory::CentralPartyBody, None),
            organisation(UBKTTW, "UBKTTW", OrgCategory::InspectionCommission, None),
            organisation(TU_HNI, "TU-HNI", OrgCategory::ProvincialCommittee, None),
            organisation(
                HNI_UNIT,
                "HNI-BTG",
                OrgCategory::SubordinateUnit,
                Some(TU_HNI),
            ),
            organisation(TU_HPG, "TU-HPG", OrgCategory::ProvincialCommittee, None),
            organisation(
                HPG_UNIT,
                "HPG-BTG",
                OrgCategory::SubordinateUnit,
                Some(TU_HPG),
            ),
        ]);
        Self {
            calendar: WorkingCalendar::builtin(),
            orgs,
            catalogues: Catalogues::new(default_entries()),
        }
    }

    pub fn context<'a>(
        &'a self,
        actor: &'a Actor,
        now: Timestamp,
        parent: Option<&'a Task>,
    ) -> Context<'a> {
        Context {
            actor,
            now,
            calendar: &self.calendar,
            orgs: &self.orgs,
            catalogues: &self.catalogues,
            parent,
        }
    }

    /// Returns the input of a conclusion of the Secretariat, issued on `issue_date` at `level`.
    pub fn document_input(&self, issue_date: Date, level: Confidentiality) -> DocumentInput {
        DocumentInput {
            kind: Some("conclusion".into()),
            symbol: Some("57-KL/TW".into()),
            title: Some("Kết luận về chuyển đổi số trong các cơ quan đảng".into()),
            issue_date: Some(issue_date.to_string()),
            signer: Some("Trần Cẩm Tú".into()),
            issuing_body: Some(VPTW),
            assigning_authority: Some(BBT),
            monitoring_body: Some(VPTW),
            confidentiality: Some(level.as_str().into()),
            summary: (level == Confidentiality::Normal)
                .then(|| "Giao nhiệm vụ chuyển đổi số".to_owned()),
        }
    }

    /// Returns a registered document issued on `issue_date`, whose tasks are due for entry 3
    /// working days later.
    pub fn document(&self, issue_date: Date, level: Confidentiality) -> Document {
        let content = self
            .document_input(issue_date, level)
            .validate(&self.orgs, issue_date)
            .expect("the test document is valid");
        Document {
            id: DocumentId(1),
            content,
            entry_due: entry_due(&self.calendar, issue_date),
            calendar_version: self.calendar.version().0.clone(),
            registered_by: office().user_id,
            registered_body: VPTW,
            registered_at: at_local(issue_date.at(8, 0, 0, 0)),
            task_count: 1,
            version: 1,
        }
    }
}

/// Returns the input of a normal task led by TU_HNI with TU_HPG coordinating.
pub fn task_input(deadline: Option<Date>) -> NewTaskInput {
    NewTaskInput {
        content: Some("Xây dựng kho dữ liệu dùng chung của Thành uỷ".into()),
        expected_products: Some("Báo cáo kết quả".into()),
        lead_body: Some(TU_HNI),
        coordinating_bodies: vec![TU_HPG],
        deadline: deadline.map(|d| d.to_string()),
        ..Default::default()
    }
}

/// One task, its history so far, and the world it lives in.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub world: World,
    pub document: Document,
    pub task: Task,
    pub events: Vec<TaskEvent>,
    /// The parent of a sub-task, passed to every command so that its deadline bounds the
    /// sub-task's.
    pub parent: Option<Task>,
}

impl Scenario {
    /// Creates a normal task led by TU_HNI, entered by the Central Office at `created_at` from
    /// a document issued that same local day.
    pub fn task(created_at: Timestamp, deadline: Option<Date>) -> Self {
        let world = World::new();
        let document = world.document(
            theodoi_calendar::local_date(created_at),
            Confidentiality::Normal,
        );
        Self::create(world, document, &task_input(deadline), created_at)
            .expect("the test task is valid")
    }

    /// Creates a task entered by the Central Office at `at`.
    pub fn create(
        world: World,
        document: Document,
        input: &NewTaskInput,
        at: Timestamp,
    ) -> DomainResult<Self> {
        let office = office();
        let created = new_task(input, &document, 1, &world.context(&office, at, None))?;
        let task =
            Task::replay(TASK, std::slice::from_ref(&created)).expect("starts with creation");
        Ok(Self {
            world,
            document,
            task,
            events: vec![created],
            parent: None,
        })
    }

    /// Delegates this task to a unit at `at` and returns the sub-task's scenario. The parent's
    /// `Delegated` event is appended here.
    pub fn delegate(
        &mut self,
        actor: &Actor,
        at: Timestamp,
        input: &SubtaskInput,
    ) -> DomainResult<Scenario> {
        let ctx = self.world.context(actor, at, None);
        let events = new_subtask(input, &self.task, 1, &ctx)?;
        let TaskChange::Created(created) = &events[0].change else {
            panic!("a sub-task starts with its creation");
        };
        let to = created.lead_body;
        let delegated = self.task.delegated(SUBTASK, to, &ctx);
        self.append(&[delegated]);
        let task = Task::replay(SUBTASK, &events).expect("starts with creation");
        Ok(Scenario {
            world: self.world.clone(),
            document: self.document.clone(),
            task,
            events,
            parent: Some(self.task.clone()),
        })
    }

    /// Runs `command` and keeps its events, or returns the error and changes nothing.
    pub fn try_run(
        &mut self,
        actor: &Actor,
        at: Timestamp,
        command: TaskCommand,
        reason: Option<&str>,
    ) -> DomainResult<Vec<TaskEvent>> {
        let ctx = self.world.context(actor, at, self.parent.as_ref());
        let events = self.task.handle(command, reason, &ctx)?;
        self.append(&events);
        Ok(events)
    }

    /// Runs a command that must succeed, without a reason.
    #[track_caller]
    pub fn run(&mut self, actor: &Actor, at: Timestamp, command: TaskCommand) -> Vec<TaskEvent> {
        let name = command.name();
        self.try_run(actor, at, command, None)
            .unwrap_or_else(|error| panic!("{name} failed: {error:?}"))
    }

    /// Runs a command that must succeed, with a reason.
    #[track_caller]
    pub fn run_because(
        &mut self,
        actor: &Actor,
        at: Timestamp,
        command: TaskCommand,
        reason: &str,
    ) -> Vec<TaskEvent> {
        let name = command.name();
        self.try_run(actor, at, command, Some(reason))
            .unwrap_or_else(|error| panic!("{name} failed: {error:?}"))
    }

    pub fn append(&mut self, events: &[TaskEvent]) {
        for event in events {
            self.task.apply(event);
            self.events.push(event.clone());
        }
    }

    #[track_caller]
    pub fn transfer(&mut self, at: Timestamp) {
        self.run(&office(), at, TaskCommand::Transfer);
    }

    #[track_caller]
    pub fn receive(&mut self, at: Timestamp) {
        self.run(&updater(), at, TaskCommand::ConfirmReceipt);
    }

    /// Drafts an update as the updater and returns its number.
    #[track_caller]
    pub fn draft(&mut self, at: Timestamp, input: UpdateInput) -> UpdateNo {
        let events = self.run(&updater(), at, TaskCommand::DraftUpdate(input));
        match events[0].change {
            TaskChange::UpdateDrafted { update, .. } => update,
            ref other => panic!("expected a drafted update, got {other:?}"),
        }
    }

    #[track_caller]
    pub fn approve(&mut self, at: Timestamp, update: UpdateNo) {
        self.run(&approver(), at, TaskCommand::ApproveUpdate { update });
    }

    /// Drafts an update and has it approved.
    #[track_caller]
    pub fn report(
        &mut self,
        drafted: Timestamp,
        approved: Timestamp,
        input: UpdateInput,
    ) -> UpdateNo {
        let update = self.draft(drafted, input);
        self.approve(approved, update);
        update
    }

    pub fn state_at(&self, at: Timestamp) -> Option<ResultState> {
        result_state_at(self.task.id, &self.events, at)
    }

    pub fn obligations(&self) -> Vec<Obligation> {
        obligations(&self.events)
    }

    /// Returns every obligation whose kind has `name`, in the order they were opened.
    pub fn obligations_named(&self, name: &str) -> Vec<Obligation> {
        self.obligations()
            .into_iter()
            .filter(|obligation| obligation.kind.name() == name)
            .collect()
    }

    /// Returns the only obligation of `kind`, and panics unless there is exactly one.
    #[track_caller]
    pub fn obligation(&self, kind: ObligationKind) -> Obligation {
        let mut found: Vec<Obligation> = self
            .obligations()
            .into_iter()
            .filter(|obligation| obligation.kind == kind)
            .collect();
        assert_eq!(found.len(), 1, "obligations of kind {kind:?}: {found:?}");
        found.remove(0)
    }
}

pub fn progress(percent: i64) -> UpdateInput {
    UpdateInput {
        status: Some("in_progress".into()),
        percent: Some(percent),
        results: Some("Đã xây dựng dự thảo".into()),
        ..Default::default()
    }
}

pub fn not_started() -> UpdateInput {
    UpdateInput {
        status: Some("not_started".into()),
        ..Default::default()
    }
}

pub fn completed(on: Date) -> UpdateInput {
    UpdateInput {
        status: Some("completed".into()),
        completion_date: Some(on.to_string()),
        ..Default::default()
    }
}

pub fn done_not_completed(on: Date) -> UpdateInput {
    UpdateInput {
        status: Some("done_not_completed".into()),
        completion_date: Some(on.to_string()),
        ..Default::default()
    }
}

/// The error of a result that must have failed.
#[track_caller]
pub fn error_of<T: Debug>(result: DomainResult<T>) -> DomainError {
    match result {
        Ok(value) => panic!("expected an error, got {value:?}"),
        Err(error) => error,
    }
}

/// Field path and code of every violation of an invalid-input error.
pub fn fields(error: &DomainError) -> Vec<(String, Code)> {
    error
        .violations
        .iter()
        .map(|violation| (violation.field.clone(), violation.code))
        .collect()
}
