//! The steps the demo history is built from: register a document, enter its tasks, and run
//! commands on them as the demo users, each at an instant in the past. Every step goes through
//! the domain's validation and the store's write path.

use super::clock::Clock;
use super::people::{CENTRAL_OFFICE, Team};
use jiff::Timestamp;
use jiff::civil::Date;
use std::collections::HashMap;
use theodoi_calendar::{WorkingCalendar, local_date};
use theodoi_domain::catalogue::{Catalogues, ClassificationInput, ExecutingUnit};
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::{self, Document, DocumentInput, DocumentKind};
use theodoi_domain::error::{Code, DomainError};
use theodoi_domain::ids::{DocumentId, GroupId, OrgId, TaskId, UpdateNo};
use theodoi_domain::org::{NewOrganisation, OrgTree, Organisation};
use theodoi_domain::schedule::{Checkpoint, CheckpointKind, Period};
use theodoi_domain::task::update::{Rating, UpdateInput};
use theodoi_domain::task::{
    Context, NewTaskInput, SubtaskInput, Task, TaskCommand, new_subtask, new_task,
};
use theodoi_domain::user::Actor;
use theodoi_store::{DocumentRegistration, NewUser, Store, StoreError, StoreResult, UserRecord};

/// A document to register, with its bodies given by organisation code. The Central Party
/// Office monitors every demo document.
#[derive(Debug, Clone)]
pub(super) struct DocumentSpec {
    pub kind: DocumentKind,
    pub symbol: &'static str,
    pub title: &'static str,
    pub issue_date: Date,
    pub signer: &'static str,
    pub issuing_body: &'static str,
    pub assigning_authority: &'static str,
    pub confidentiality: Confidentiality,
    pub summary: Option<&'static str>,
    pub registered_at: Timestamp,
}

/// A task to enter, with its bodies given by organisation code. Unset classification axes take
/// the catalogue defaults (nationwide, regular).
#[derive(Debug, Clone, Default)]
pub(super) struct TaskSpec {
    pub lead: &'static str,
    /// `None` for tasks of classified documents.
    pub content: Option<String>,
    pub expected_products: Option<&'static str>,
    pub coordinating: Vec<&'static str>,
    pub deadline: Option<Date>,
    pub period: Option<Period>,
    pub priority: Option<&'static str>,
    pub scope: Option<&'static str>,
    pub scope_detail: Option<&'static str>,
    pub other: Option<&'static str>,
    pub group: Option<GroupId>,
}

/// Reference data and the demo users, with the operations that write the demo history.
#[derive(Debug)]
pub(super) struct Seeder<'a> {
    pub store: &'a Store,
    pub clock: Clock,
    calendar: WorkingCalendar,
    orgs: OrgTree,
    catalogues: Catalogues,
    users: HashMap<String, UserRecord>,
}

impl<'a> Seeder<'a> {
    /// Loads the calendar, organisations and catalogues that the seeded store holds.
    pub async fn load(store: &'a Store, now: Timestamp) -> StoreResult<Self> {
        let calendar = store.calendar_overrides().await?.calendar();
        let orgs = OrgTree::new(store.organisations().await?);
        let catalogues = Catalogues::new(
            store
                .catalogue_entries()
                .await?
                .into_iter()
                .map(|stored| stored.entry),
        );
        Ok(Self {
            store,
            clock: Clock::new(now, calendar.clone()),
            calendar,
            orgs,
            catalogues,
            users: HashMap::new(),
        })
    }

    /// Returns the id of the organisation with `code`.
    pub fn org(&self, code: &str) -> StoreResult<OrgId> {
        self.orgs.by_code(code).map(|org| org.id).ok_or_else(|| {
            StoreError::Config(format!(
                "organisation {code} is missing; load the reference data with `store.seed` before the demo"
            ))
        })
    }

    fn actor(&self, username: &str) -> StoreResult<Actor> {
        self.users
            .get(username)
            .map(UserRecord::actor)
            .ok_or_else(|| StoreError::Config(format!("demo user {username} was not created")))
    }

    fn context<'c>(
        &'c self,
        actor: &'c Actor,
        at: Timestamp,
        parent: Option<&'c Task>,
    ) -> Context<'c> {
        Context {
            actor,
            now: at,
            calendar: &self.calendar,
            orgs: &self.orgs,
            catalogues: &self.catalogues,
            parent,
        }
    }

    /// Adds a unit under the body with code `parent`.
    pub async fn add_unit(
        &mut self,
        parent: &str,
        code: &str,
        name_vi: &str,
        name_en: &str,
        at: Timestamp,
    ) -> StoreResult<Organisation> {
        let parent_id = self.org(parent)?;
        let parent = self
            .orgs
            .iter()
            .find(|org| org.id == parent_id)
            .cloned()
            .ok_or_else(|| StoreError::Config(format!("organisation {parent} is missing")))?;
        let new = NewOrganisation::subordinate(code, name_vi, Some(name_en), &parent)?;
        let unit = self.store.insert_organisation(&new, at).await?;
        self.orgs.insert(unit.clone());
        Ok(unit)
    }

    /// Creates a user account and remembers it for later steps.
    pub async fn add_user(&mut self, new: &NewUser, at: Timestamp) -> StoreResult<UserRecord> {
        let user = self.store.insert_user(new, at).await?;
        self.users.insert(user.username.clone(), user.clone());
        Ok(user)
    }

    /// Validates and registers a document as the Central Office's data-entry officer.
    pub async fn register(&self, spec: &DocumentSpec) -> StoreResult<Document> {
        let actor = self.actor(CENTRAL_OFFICE)?;
        let input = DocumentInput {
            kind: Some(spec.kind.as_str().to_owned()),
            symbol: Some(spec.symbol.to_owned()),
            title: Some(spec.title.to_owned()),
            issue_date: Some(spec.issue_date.to_string()),
            signer: Some(spec.signer.to_owned()),
            issuing_body: Some(self.org(spec.issuing_body)?),
            assigning_authority: Some(self.org(spec.assigning_authority)?),
            monitoring_body: Some(self.org("VPTW")?),
            confidentiality: Some(spec.confidentiality.as_str().to_owned()),
            summary: spec.summary.map(str::to_owned),
        };
        let content = input.validate(&self.orgs, local_date(spec.registered_at))?;
        let entry_due = document::entry_due(&self.calendar, content.issue_date);
        let registration = DocumentRegistration {
            content: &content,
            entry_due,
            calendar_version: &self.calendar.version().0,
            actor: &actor,
            now: spec.registered_at,
            reason: None,
        };
        Ok(self
            .store
            .register_document(&registration, None)
            .await?
            .value)
    }

    /// Adds a task group to a document, classified like the tasks of `unit`.
    pub async fn add_group(
        &self,
        document: DocumentId,
        name: &str,
        unit: ExecutingUnit,
        priority: &str,
        at: Timestamp,
    ) -> StoreResult<GroupId> {
        let actor = self.actor(CENTRAL_OFFICE)?;
        let classification = ClassificationInput {
            priority: Some(priority.to_owned()),
            ..Default::default()
        }
        .validate(&self.catalogues, unit)?;
        let group = self
            .store
            .add_group(document, name, &classification, &actor, at)
            .await?;
        Ok(group.id)
    }

    /// Enters a task of `document` as the Central Office's data-entry officer.
    pub async fn add_task(
        &self,
        document: DocumentId,
        at: Timestamp,
        spec: TaskSpec,
    ) -> StoreResult<TaskId> {
        let actor = self.actor(CENTRAL_OFFICE)?;
        let coordinating_bodies = spec
            .coordinating
            .iter()
            .map(|code| self.org(code))
            .collect::<StoreResult<Vec<_>>>()?;
        let input = NewTaskInput {
            group_id: spec.group,
            content: spec.content,
            expected_products: spec.expected_products.map(str::to_owned),
            classification: ClassificationInput {
                executing_unit: None,
                scope: spec.scope.map(str::to_owned),
                scope_detail: spec.scope_detail.map(str::to_owned),
                priority: spec.priority.map(str::to_owned),
                other: spec.other.map(str::to_owned),
            },
            lead_body: Some(self.org(spec.lead)?),
            coordinating_bodies,
            monitoring_body: None,
            deadline: spec.deadline.map(|date| date.to_string()),
            report_period: spec.period.map(|period| period.as_str().to_owned()),
        };
        let created = self
            .store
            .create_task(document, None, |document, ordinal| {
                new_task(&input, document, ordinal, &self.context(&actor, at, None))
            })
            .await?;
        Ok(created.value.task.id)
    }

    /// Enters a task and transfers it to its lead body.
    pub async fn enter(
        &self,
        document: DocumentId,
        created_at: Timestamp,
        transferred_at: Timestamp,
        spec: TaskSpec,
    ) -> StoreResult<TaskId> {
        let task = self.add_task(document, created_at, spec).await?;
        self.transfer(task, transferred_at).await?;
        Ok(task)
    }

    /// Runs `command` on a task as `username` at `at`, and returns the task afterwards.
    pub async fn act(
        &self,
        task: TaskId,
        username: &str,
        at: Timestamp,
        command: TaskCommand,
        reason: Option<&str>,
    ) -> StoreResult<Task> {
        let actor = self.actor(username)?;
        let now = self.clock.now;
        let committed = self
            .store
            .execute(task, None, |task, parent| {
                // A step out of order would give the task a history that never happened.
                debug_assert!(
                    at >= task.updated_at && at <= now,
                    "demo step {} on task {} at {at} is out of order (last change {}, now {now})",
                    command.name(),
                    task.id,
                    task.updated_at,
                );
                let ctx = self.context(&actor, at, parent);
                task.handle(command.clone(), reason, &ctx)
            })
            .await?;
        Ok(committed.task)
    }

    /// Transfers a task to its lead body as the Central Office.
    pub async fn transfer(&self, task: TaskId, at: Timestamp) -> StoreResult<Task> {
        self.act(task, CENTRAL_OFFICE, at, TaskCommand::Transfer, None)
            .await
    }

    /// Confirms receipt of a task as `username` of the lead body.
    pub async fn confirm(&self, task: TaskId, username: &str, at: Timestamp) -> StoreResult<Task> {
        self.act(task, username, at, TaskCommand::ConfirmReceipt, None)
            .await
    }

    /// Delegates part of a task to a subordinate unit; returns the sub-task.
    pub async fn delegate(
        &self,
        parent: TaskId,
        username: &str,
        at: Timestamp,
        input: SubtaskInput,
    ) -> StoreResult<TaskId> {
        let actor = self.actor(username)?;
        let created = self
            .store
            .delegate(
                parent,
                None,
                None,
                |parent, ordinal| {
                    new_subtask(&input, parent, ordinal, &self.context(&actor, at, None))
                },
                |parent, subtask, to| {
                    parent.delegated(subtask, to, &self.context(&actor, at, None))
                },
            )
            .await?;
        Ok(created.value.0.task.id)
    }

    /// Drafts an update as the team's updater and has the team's approver approve it.
    pub async fn report(
        &self,
        task: TaskId,
        team: &Team,
        drafted_at: Timestamp,
        approved_at: Timestamp,
        input: UpdateInput,
    ) -> StoreResult<UpdateNo> {
        let update = self.draft(task, team, drafted_at, input).await?;
        self.act(
            task,
            team.approver,
            approved_at,
            TaskCommand::ApproveUpdate { update },
            None,
        )
        .await?;
        Ok(update)
    }

    /// Drafts an update as the team's updater; returns its number.
    pub async fn draft(
        &self,
        task: TaskId,
        team: &Team,
        at: Timestamp,
        input: UpdateInput,
    ) -> StoreResult<UpdateNo> {
        let task = self
            .act(
                task,
                team.updater,
                at,
                TaskCommand::DraftUpdate(input),
                None,
            )
            .await?;
        task.updates
            .last()
            .map(|update| update.no)
            .ok_or_else(|| StoreError::Corrupt("a drafted update is missing".into()))
    }

    /// Evaluates an approved update as `username` of the monitoring body.
    pub async fn evaluate(
        &self,
        task: TaskId,
        username: &str,
        at: Timestamp,
        update: UpdateNo,
        rating: Rating,
    ) -> StoreResult<Task> {
        let comment = match rating {
            Rating::Good => "Báo cáo đầy đủ, đúng thời hạn, có số liệu minh chứng.",
            Rating::Satisfactory => {
                "Đạt yêu cầu; đề nghị bổ sung số liệu, sản phẩm minh chứng ở kỳ báo cáo sau."
            }
            Rating::Unsatisfactory => {
                "Chưa đạt yêu cầu: kết quả chưa tương xứng với nội dung được giao, đề nghị làm rõ nguyên nhân và giải pháp khắc phục."
            }
        };
        let command = TaskCommand::EvaluateUpdate {
            update,
            rating,
            comment: Some(comment.to_owned()),
        };
        self.act(task, username, at, command, None).await
    }

    /// Reports progress at every checkpoint of the task's schedule that is due before `until`.
    /// Each update is drafted and approved two working days before the checkpoint is due and
    /// evaluated the next working day, so the checkpoint is met. `plan` gives the percentage
    /// reported at each checkpoint, or `None` to leave it unreported (breached). A checkpoint
    /// whose window closed before the task's last step is skipped as well.
    pub async fn report_at_checkpoints(
        &self,
        task: TaskId,
        team: &Team,
        until: Timestamp,
        plan: impl Fn(usize, &Checkpoint) -> Option<u8>,
    ) -> StoreResult<()> {
        let history = self
            .store
            .task(task)
            .await?
            .ok_or_else(|| DomainError::not_found(Code::TaskNotFound, vec![]))?;
        let checkpoints = history
            .task
            .schedule
            .map(|schedule| schedule.checkpoints)
            .unwrap_or_default();
        let mut last = history.task.updated_at;
        for (index, checkpoint) in checkpoints.iter().enumerate() {
            if checkpoint.due_at >= until {
                break;
            }
            let Some(percent) = plan(index, checkpoint) else {
                continue;
            };
            let earliest = checkpoint.opens_at.max(last);
            let due_day = local_date(checkpoint.due_at);
            let mut drafted_at = self
                .clock
                .at(self.clock.working_days_before(due_day, 2), 9, 0);
            if drafted_at <= earliest {
                drafted_at = self.clock.at(due_day, 9, 0);
            }
            if drafted_at <= earliest {
                continue;
            }
            let approved_at = self.clock.at(local_date(drafted_at), 10, 30);
            let input = progress(percent, &checkpoint_results(checkpoint.kind));
            let update = self
                .report(task, team, drafted_at, approved_at, input)
                .await?;
            last = approved_at;
            if let Some(evaluator) = team.evaluator {
                let next_day = self.clock.working_days_after(local_date(approved_at), 1);
                let evaluated_at = self.clock.at(next_day, 9, 30);
                let rating = if index % 2 == 0 {
                    Rating::Good
                } else {
                    Rating::Satisfactory
                };
                self.evaluate(task, evaluator, evaluated_at, update, rating)
                    .await?;
                last = evaluated_at;
            }
        }
        Ok(())
    }
}

/// Returns a percentage that grows from `first` by `step` at each checkpoint, at most 95.
pub(super) fn ramp(first: usize, step: usize, index: usize) -> u8 {
    u8::try_from(first.saturating_add(step.saturating_mul(index)).min(95)).unwrap_or(95)
}

/// Builds a progress update that reports work under way.
pub(super) fn progress(percent: u8, results: &str) -> UpdateInput {
    UpdateInput {
        status: Some("in_progress".into()),
        percent: Some(i64::from(percent)),
        results: Some(results.to_owned()),
        ..Default::default()
    }
}

/// Builds a progress update that reports the task completed on `date`.
pub(super) fn completion(date: Date, results: &str, product: &str) -> UpdateInput {
    UpdateInput {
        status: Some("completed".into()),
        completion_date: Some(date.to_string()),
        results: Some(results.to_owned()),
        products: vec![theodoi_domain::task::update::ProductInput {
            name: Some(product.to_owned()),
            file: None,
        }],
        ..Default::default()
    }
}

fn checkpoint_results(kind: CheckpointKind) -> String {
    match kind {
        CheckpointKind::Half => "Đã triển khai khoảng một nửa khối lượng công việc; các nội dung còn lại đang thực hiện theo kế hoạch.".to_owned(),
        CheckpointKind::ThreeQuarters => "Cơ bản hoàn thành các nội dung chính; đang hoàn thiện sản phẩm để trình cấp có thẩm quyền.".to_owned(),
        CheckpointKind::Period { start, end } => format!(
            "Báo cáo kỳ từ {} đến {}: tiếp tục triển khai các nội dung theo kế hoạch, không phát sinh vướng mắc mới.",
            start.strftime("%d/%m/%Y"),
            end.strftime("%d/%m/%Y"),
        ),
    }
}
