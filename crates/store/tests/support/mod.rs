//! Fixtures shared by the storage tests: a seeded database on the chosen backend, the people
//! who act on tasks, and helpers that register documents and run task commands at chosen
//! local times (Asia/Ho_Chi_Minh, +07:00).

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the support module"
)]

use jiff::Timestamp;
use jiff::civil::Date;
use theodoi_calendar::{WorkingCalendar, at_local, local_date};
use theodoi_domain::catalogue::Catalogues;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::{Document, DocumentInput, entry_due};
use theodoi_domain::ids::{OrgId, TaskId};
use theodoi_domain::org::{NewOrganisation, OrgTree};
use theodoi_domain::task::event::TaskEvent;
use theodoi_domain::task::update::UpdateInput;
use theodoi_domain::task::{
    Context, NewTaskInput, SubtaskInput, Task, TaskCommand, new_subtask, new_task,
};
use theodoi_domain::user::{Actor, Clearance, Role};
use theodoi_store::testing::TestDatabase;
use theodoi_store::{
    Backend, Committed, Created, DocumentRegistration, IdempotencyKey, NewUser, PageRequest, Scope,
    Store, StoreResult, TaskFilter, TaskHistory, TaskRow, TaskSort,
};

/// Reason given with every command, so that commands that require a reason never fail for
/// lack of one.
pub const REASON: &str = "Theo chỉ đạo của Văn phòng Trung ương";

/// Returns the instant of a local date and time in Asia/Ho_Chi_Minh.
pub fn local(year: i16, month: i8, day: i8, hour: i8, minute: i8) -> Timestamp {
    at_local(jiff::civil::date(year, month, day).at(hour, minute, 0, 0))
}

/// Returns the scope of a reader cleared for every record at every storable level.
pub fn everything() -> Scope {
    Scope::everything(Clearance::Secret)
}

/// Returns the input of a task of a normal document: `content` led by `lead`, due on
/// `deadline` when given.
pub fn task_input(content: &str, lead: OrgId, deadline: Option<Date>) -> NewTaskInput {
    NewTaskInput {
        content: Some(content.to_owned()),
        lead_body: Some(lead),
        deadline: deadline.map(|date| date.to_string()),
        ..Default::default()
    }
}

/// Returns an update that reports work under way at `percent`.
pub fn progress(percent: i64) -> UpdateInput {
    UpdateInput {
        status: Some("in_progress".into()),
        percent: Some(percent),
        ..Default::default()
    }
}

/// Returns an update that reports completion on `on`, valid at every confidentiality level.
pub fn completed(on: Date) -> UpdateInput {
    UpdateInput {
        status: Some("completed".into()),
        completion_date: Some(on.to_string()),
        ..Default::default()
    }
}

/// Returns an update that reports execution finished on `on` without the task being fully
/// achieved.
pub fn done_not_completed(on: Date) -> UpdateInput {
    UpdateInput {
        status: Some("done_not_completed".into()),
        completion_date: Some(on.to_string()),
        ..Default::default()
    }
}

/// A seeded database and the reference data and people the tests act with.
///
/// The Central Office officer (VPTW) enters and transfers tasks. The updater and approver are
/// the focal officers of Thành uỷ Hà Nội, which leads most test tasks. The monitoring officer
/// belongs to VPTW, the default monitoring body of the test documents.
pub struct World {
    pub store: Store,
    pub orgs: OrgTree,
    pub catalogues: Catalogues,
    pub calendar: WorkingCalendar,
    pub office: Actor,
    pub updater: Actor,
    pub approver: Actor,
    pub monitor: Actor,
    // Declared last so that the pool closes before the database is dropped.
    database: TestDatabase,
}

impl World {
    pub async fn new(backend: Backend) -> World {
        let database = TestDatabase::create(backend).await;
        let store = database.store().await;
        let orgs = OrgTree::new(store.organisations().await.expect("organisations"));
        let catalogues = Catalogues::new(
            store
                .catalogue_entries()
                .await
                .expect("catalogue entries")
                .into_iter()
                .map(|stored| stored.entry),
        );
        let calendar = store
            .calendar_overrides()
            .await
            .expect("calendar overrides")
            .calendar();
        let org = |code: &str| orgs.by_code(code).expect("seeded organisation").id;
        let (vptw, hanoi) = (org("VPTW"), org("TU-HNI"));
        let office = insert_user(
            &store,
            "vptw.nhap",
            vptw,
            &[Role::CentralOffice, Role::Administrator],
            Clearance::Secret,
        )
        .await;
        let updater = insert_user(
            &store,
            "hni.capnhat",
            hanoi,
            &[Role::Updater],
            Clearance::Confidential,
        )
        .await;
        let approver = insert_user(
            &store,
            "hni.pheduyet",
            hanoi,
            &[Role::Approver],
            Clearance::Confidential,
        )
        .await;
        let monitor = insert_user(
            &store,
            "vptw.theodoi",
            vptw,
            &[Role::MonitoringOfficer],
            Clearance::Secret,
        )
        .await;
        World {
            store,
            orgs,
            catalogues,
            calendar,
            office,
            updater,
            approver,
            monitor,
            database,
        }
    }

    pub fn backend(&self) -> Backend {
        self.database.backend
    }

    /// URL of the test database, for connections that bypass the store.
    pub fn database_url(&self) -> &str {
        &self.database.url
    }

    /// The secure-zone key that [`World::store`] was opened with.
    pub fn secure_key(&self) -> &theodoi_store::SecureKey {
        &self.database.secure_key
    }

    /// Opens the database again with `key` (or none) as the secure-zone key.
    pub async fn store_with(&self, key: Option<theodoi_store::SecureKey>) -> Store {
        let store = self.database.store_without_key().await;
        match key {
            Some(key) => store.with_secure_key(key),
            None => store,
        }
    }

    /// Id of the organisation with `code`; panics when there is none.
    pub fn org(&self, code: &str) -> OrgId {
        self.orgs
            .by_code(code)
            .unwrap_or_else(|| panic!("no organisation {code}"))
            .id
    }

    /// Adds an account and returns the actor it acts as.
    pub async fn add_user(
        &self,
        username: &str,
        org: OrgId,
        roles: &[Role],
        clearance: Clearance,
    ) -> Actor {
        insert_user(&self.store, username, org, roles, clearance).await
    }

    /// Adds a subordinate unit under the organisation `parent_code` and returns its id.
    pub async fn add_unit(&mut self, code: &str, name_vi: &str, parent_code: &str) -> OrgId {
        let parent = self
            .orgs
            .by_code(parent_code)
            .expect("parent organisation")
            .clone();
        let new = NewOrganisation::subordinate(code, name_vi, None, &parent).expect("valid unit");
        let unit = self
            .store
            .insert_organisation(&new, local(2026, 1, 5, 8, 0))
            .await
            .expect("insert unit");
        self.orgs.insert(unit.clone());
        unit.id
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

    /// Returns the input of a document of the Secretariat issued on `issue_date` and monitored
    /// by VPTW. Classified documents carry no summary.
    pub fn document_input(
        &self,
        kind: &str,
        symbol: &str,
        title: &str,
        issue_date: Date,
        level: Confidentiality,
    ) -> DocumentInput {
        DocumentInput {
            kind: Some(kind.to_owned()),
            symbol: Some(symbol.to_owned()),
            title: Some(title.to_owned()),
            issue_date: Some(issue_date.to_string()),
            signer: Some("Trần Cẩm Tú".into()),
            issuing_body: Some(self.org("VPTW")),
            assigning_authority: Some(self.org("BBT")),
            monitoring_body: Some(self.org("VPTW")),
            confidentiality: Some(level.as_str().into()),
            summary: (level == Confidentiality::Normal).then(|| format!("Trích yếu của {title}")),
        }
    }

    /// Registers a document as the Central Office at `now`.
    pub async fn try_register(
        &self,
        input: &DocumentInput,
        now: Timestamp,
        key: Option<&IdempotencyKey>,
    ) -> StoreResult<Created<Document>> {
        let content = input
            .validate(&self.orgs, local_date(now))
            .expect("valid document input");
        self.store
            .register_document(
                &DocumentRegistration {
                    content: &content,
                    entry_due: entry_due(&self.calendar, content.issue_date),
                    calendar_version: &self.calendar.version().0,
                    actor: &self.office,
                    now,
                    reason: None,
                },
                key,
            )
            .await
    }

    /// Registers a document at 08:00 local on its issue date.
    pub async fn register(
        &self,
        kind: &str,
        symbol: &str,
        title: &str,
        issue_date: Date,
        level: Confidentiality,
    ) -> Document {
        let input = self.document_input(kind, symbol, title, issue_date, level);
        let now = at_local(issue_date.at(8, 0, 0, 0));
        self.try_register(&input, now, None)
            .await
            .expect("register document")
            .value
    }

    /// Registers a normal resolution issued on `issue_date`.
    pub async fn resolution(&self, symbol: &str, title: &str, issue_date: Date) -> Document {
        self.register(
            "resolution",
            symbol,
            title,
            issue_date,
            Confidentiality::Normal,
        )
        .await
    }

    /// Creates a task of `document` as the Central Office at `at`.
    pub async fn create_task(
        &self,
        document: &Document,
        input: &NewTaskInput,
        at: Timestamp,
    ) -> Task {
        // The context is built inside the closure because it is not `Send`.
        self.store
            .create_task(document.id, None, |document, ordinal| {
                new_task(
                    input,
                    document,
                    ordinal,
                    &self.context(&self.office, at, None),
                )
            })
            .await
            .expect("create task")
            .value
            .task
    }

    /// Runs `command` as `actor` at `at`, checking `expected_version` when given.
    pub async fn try_run(
        &self,
        actor: &Actor,
        id: TaskId,
        expected_version: Option<u32>,
        at: Timestamp,
        command: TaskCommand,
    ) -> StoreResult<Committed> {
        self.store
            .execute(id, expected_version, |task, parent| {
                let ctx = self.context(actor, at, parent);
                task.handle(command.clone(), Some(REASON), &ctx)
            })
            .await
    }

    /// Runs `command` as `actor` at `at`; panics when it fails.
    pub async fn run(
        &self,
        actor: &Actor,
        id: TaskId,
        at: Timestamp,
        command: TaskCommand,
    ) -> Committed {
        let name = command.name();
        self.try_run(actor, id, None, at, command)
            .await
            .unwrap_or_else(|error| panic!("{name} on task {id} at {at}: {error}"))
    }

    /// Transfers a task to its lead body as the Central Office.
    pub async fn transfer(&self, id: TaskId, at: Timestamp) -> Committed {
        self.run(&self.office, id, at, TaskCommand::Transfer).await
    }

    /// Creates a task and transfers it at the same instant.
    pub async fn create_transferred(
        &self,
        document: &Document,
        input: &NewTaskInput,
        at: Timestamp,
    ) -> Task {
        let task = self.create_task(document, input, at).await;
        self.transfer(task.id, at).await.task
    }

    /// Drafts an update as `updater` and approves it as `approver`, both at `at`.
    pub async fn report(
        &self,
        updater: &Actor,
        approver: &Actor,
        id: TaskId,
        at: Timestamp,
        input: UpdateInput,
    ) -> Committed {
        let drafted = self
            .run(updater, id, at, TaskCommand::DraftUpdate(input))
            .await;
        let update = drafted
            .task
            .updates
            .last()
            .expect("the draft was recorded")
            .no;
        self.run(approver, id, at, TaskCommand::ApproveUpdate { update })
            .await
    }

    /// Delegates part of task `parent` to a subordinate unit as `actor` at `at`.
    pub async fn try_delegate(
        &self,
        actor: &Actor,
        parent: TaskId,
        at: Timestamp,
        input: &SubtaskInput,
        key: Option<&IdempotencyKey>,
    ) -> StoreResult<Created<(Committed, Committed)>> {
        self.store
            .delegate(
                parent,
                None,
                key,
                |parent, ordinal| {
                    new_subtask(input, parent, ordinal, &self.context(actor, at, None))
                },
                |parent, subtask, to| parent.delegated(subtask, to, &self.context(actor, at, None)),
            )
            .await
    }

    /// Delegates and returns the new sub-task; panics when it fails.
    pub async fn delegate(
        &self,
        actor: &Actor,
        parent: TaskId,
        at: Timestamp,
        input: &SubtaskInput,
    ) -> Task {
        self.try_delegate(actor, parent, at, input, None)
            .await
            .unwrap_or_else(|error| panic!("delegate task {parent}: {error}"))
            .value
            .0
            .task
    }

    pub async fn history(&self, id: TaskId) -> TaskHistory {
        self.store
            .task(id)
            .await
            .expect("load task")
            .unwrap_or_else(|| panic!("task {id} exists"))
    }

    pub async fn events(&self, id: TaskId) -> Vec<TaskEvent> {
        self.history(id).await.domain_events()
    }

    /// Reads every row of the task list page by page, `limit` rows a page.
    pub async fn all_rows(
        &self,
        scope: &Scope,
        filter: &TaskFilter,
        sort: TaskSort,
        now: Timestamp,
        limit: u32,
    ) -> Vec<TaskRow> {
        let mut rows = Vec::new();
        let mut request = PageRequest {
            limit: Some(limit),
            after: None,
        };
        // Bounded so that a cursor that never advances fails the test instead of hanging it.
        for _ in 0..1_000 {
            let page = self
                .store
                .list_tasks(scope, filter, sort, &request, now)
                .await
                .expect("list tasks");
            assert!(
                page.items.len() <= usize::try_from(limit).unwrap(),
                "a page holds at most its limit"
            );
            rows.extend(page.items);
            match page.next_cursor {
                Some(cursor) => {
                    request.after =
                        Some(theodoi_store::Cursor::decode(&cursor).expect("our own cursor"));
                }
                None => return rows,
            }
        }
        panic!("the task list did not end after 1000 pages");
    }

    /// Returns the ids of every task the reader may see with `filter`, newest first.
    pub async fn ids(&self, scope: &Scope, filter: &TaskFilter, now: Timestamp) -> Vec<TaskId> {
        self.all_rows(scope, filter, TaskSort::Newest, now, 500)
            .await
            .into_iter()
            .map(|row| row.id)
            .collect()
    }
}

async fn insert_user(
    store: &Store,
    username: &str,
    org: OrgId,
    roles: &[Role],
    clearance: Clearance,
) -> Actor {
    store
        .insert_user(
            &NewUser {
                username: username.to_owned(),
                full_name: format!("Cán bộ {username}"),
                org_id: org,
                roles: roles.to_vec(),
                clearance,
                password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
                language: "vi".into(),
                email: None,
            },
            local(2026, 1, 5, 8, 0),
        )
        .await
        .unwrap_or_else(|error| panic!("insert user {username}: {error}"))
        .actor()
}
