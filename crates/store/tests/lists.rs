//! Task and obligation lists on both backends: every filter of the task list, each sort with
//! keyset paging, what each reader may see (also in counts), and obligations due soon,
//! breached or open per responsible body.
//!
//! The expected rows come from the domain: each task is replayed from its stored events and
//! every filter is restated as a predicate over the replayed task, so the SQL is checked
//! against an independent statement of the same rule.

mod support;

use jiff::civil::{Date, date};
use jiff::{SignedDuration, Timestamp};
use std::collections::{BTreeMap, BTreeSet};
use support::{World, completed, everything, local, progress, task_input};
use theodoi_calendar::local_date;
use theodoi_domain::catalogue::{Classification, ClassificationInput};
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::Document;
use theodoi_domain::ids::{DocumentId, GroupId, OrgId, TaskId};
use theodoi_domain::obligation::{Obligation, ObligationStatus, obligations};
use theodoi_domain::result::ResultState;
use theodoi_domain::task::event::TaskEvent;
use theodoi_domain::task::{NewTaskInput, SubtaskInput, Task, TaskCommand, TaskStatus};
use theodoi_domain::text::{query_words, search_words};
use theodoi_domain::user::{Actor, Clearance, Role};
use theodoi_store::{
    Backend, Cursor, ObligationFilter, ObligationQuery, ObligationRow, PageRequest, Scope,
    TaskFilter, TaskRow, TaskSort, Visibility, on_both_backends,
};
use unicode_normalization::UnicodeNormalization;

/// Returns the instant at which the lists are read, after every event of the dataset.
fn now() -> Timestamp {
    local(2026, 4, 10, 12, 0)
}

/// A task replayed by the domain, with what the predicates need.
struct Info {
    task: Task,
    events: Vec<TaskEvent>,
    document: Document,
    state: Option<ResultState>,
    breached: bool,
}

/// Tasks with the kinds of data every filter needs, and the people who acted on them.
struct Dataset {
    world: World,
    hanoi: OrgId,
    hai_phong: OrgId,
    unit: OrgId,
    group: GroupId,
    documents: Vec<Document>,
    /// Named tasks, for the checks that name their expected rows.
    named: BTreeMap<&'static str, TaskId>,
    tasks: BTreeMap<TaskId, Info>,
}

struct People {
    other_updater: Actor,
    other_approver: Actor,
    unit_updater: Actor,
    unit_approver: Actor,
}

impl Dataset {
    async fn new(backend: Backend) -> Dataset {
        let mut world = World::new(backend).await;
        let unit = world
            .add_unit("HNI-BTG", "Ban Tuyên giáo Thành uỷ Hà Nội", "TU-HNI")
            .await;
        let hanoi = world.org("TU-HNI");
        let hai_phong = world.org("TU-HPG");
        let people = People {
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
        let science = world
            .resolution(
                "57-NQ/TW",
                "Nghị quyết về đột phá phát triển khoa học, công nghệ",
                date(2026, 2, 27),
            )
            .await;
        let party = world
            .register(
                "directive",
                "45-CT/TW",
                "Chỉ thị về công tác xây dựng Đảng",
                date(2026, 3, 2),
                Confidentiality::Normal,
            )
            .await;
        let confidential = world
            .register(
                "conclusion",
                "12-KL/TW",
                "Kết luận về bảo vệ chính trị nội bộ",
                date(2026, 3, 2),
                Confidentiality::Confidential,
            )
            .await;
        let secret = world
            .register(
                "conclusion",
                "13-KL/TW",
                "Kết luận về quốc phòng",
                date(2026, 3, 2),
                Confidentiality::Secret,
            )
            .await;
        let group = world
            .store
            .add_group(
                science.id,
                "Nhóm nhiệm vụ chuyển đổi số",
                &Classification {
                    executing_unit: "provincial_committee".into(),
                    scope: "nationwide".into(),
                    scope_detail: None,
                    priority: "key".into(),
                    other: None,
                },
                &world.office,
                local(2026, 3, 2, 8, 30),
            )
            .await
            .unwrap()
            .id;

        let mut dataset = Dataset {
            world,
            hanoi,
            hai_phong,
            unit,
            group,
            documents: vec![
                science.clone(),
                party.clone(),
                confidential.clone(),
                secret.clone(),
            ],
            named: BTreeMap::new(),
            tasks: BTreeMap::new(),
        };
        dataset
            .create_named(&people, &science, &party, &confidential, &secret)
            .await;
        dataset.create_bulk(&science).await;
        dataset.load().await;
        dataset
    }

    async fn create_named(
        &mut self,
        people: &People,
        science: &Document,
        party: &Document,
        confidential: &Document,
        secret: &Document,
    ) {
        let world = &self.world;
        let created = local(2026, 3, 2, 9, 0);
        let first_day = local(2026, 3, 2, 10, 0);
        let received = local(2026, 3, 2, 11, 0);
        let second_day = local(2026, 3, 3, 10, 0);
        let deadline = |month: i8, day: i8| Some(date(2026, month, day));
        let classification = |priority: &str, scope: &str| ClassificationInput {
            priority: Some(priority.into()),
            scope: Some(scope.into()),
            ..Default::default()
        };

        let input = NewTaskInput {
            group_id: Some(self.group),
            coordinating_bodies: vec![self.hai_phong],
            classification: ClassificationInput {
                scope_detail: Some("Hà Nội".into()),
                ..classification("key", "locality")
            },
            ..task_input(
                "Xây dựng trung tâm dữ liệu của Thành phố Hà Nội",
                self.hanoi,
                deadline(4, 30),
            )
        };
        let data_centre = world
            .create_transferred(science, &input, first_day)
            .await
            .id;
        world
            .run(
                &world.updater,
                data_centre,
                received,
                TaskCommand::ConfirmReceipt,
            )
            .await;
        world
            .report(
                &world.updater,
                &world.approver,
                data_centre,
                local(2026, 3, 10, 9, 0),
                progress(30),
            )
            .await;

        let input = NewTaskInput {
            group_id: Some(self.group),
            classification: classification("urgent", "nationwide"),
            ..task_input(
                "Đào tạo cán bộ đảng về chuyển đổi số",
                self.hai_phong,
                deadline(3, 20),
            )
        };
        let training = world
            .create_transferred(science, &input, first_day)
            .await
            .id;

        let input = NewTaskInput {
            monitoring_body: Some(world.org("BTCTW")),
            ..task_input(
                "Kết nối dữ liệu đảng viên toàn quốc",
                world.org("DUCP"),
                deadline(6, 30),
            )
        };
        let members = world.create_task(science, &input, created).await.id;
        world.transfer(members, second_day).await;

        let input = NewTaskInput {
            classification: ClassificationInput {
                other: Some("ad_hoc".into()),
                ..Default::default()
            },
            ..task_input("Sơ kết việc thực hiện nghị quyết", world.org("BTCTW"), None)
        };
        let review = world.create_task(science, &input, created).await.id;

        let input = task_input("Rà soát tổ chức đảng ở Hà Nội", self.unit, deadline(5, 15));
        let audit = world.create_task(party, &input, created).await.id;
        world.transfer(audit, second_day).await;
        world
            .run(
                &people.unit_updater,
                audit,
                local(2026, 3, 3, 11, 0),
                TaskCommand::ConfirmReceipt,
            )
            .await;

        let input = task_input(
            "Kiểm tra công tác đảng ở Hải Phòng",
            self.hai_phong,
            deadline(3, 31),
        );
        let inspection = world.create_task(party, &input, created).await.id;
        world.transfer(inspection, second_day).await;
        world
            .run(
                &world.office,
                inspection,
                local(2026, 3, 5, 9, 0),
                TaskCommand::Cancel,
            )
            .await;

        // Typed with combining marks; validation stores it in NFC.
        let decomposed: String = "Báo cáo kết quả thực hiện ở Hà Nội".nfd().collect();
        let input = task_input(&decomposed, self.hanoi, deadline(3, 31));
        let late = world.create_transferred(party, &input, first_day).await.id;
        world
            .run(&world.updater, late, received, TaskCommand::ConfirmReceipt)
            .await;
        world
            .report(
                &world.updater,
                &world.approver,
                late,
                local(2026, 4, 3, 9, 0),
                completed(date(2026, 4, 2)),
            )
            .await;

        let input = NewTaskInput {
            classification: ClassificationInput {
                executing_unit: Some("other".into()),
                scope: Some("sector".into()),
                ..Default::default()
            },
            ..task_input("Tổng kết công tác dân vận", self.hanoi, None)
        };
        let mobilisation = world.create_transferred(party, &input, first_day).await.id;
        world
            .run(
                &world.updater,
                mobilisation,
                received,
                TaskCommand::ConfirmReceipt,
            )
            .await;
        world
            .report(
                &world.updater,
                &world.approver,
                mobilisation,
                local(2026, 3, 25, 9, 0),
                progress(20),
            )
            .await;

        let input = NewTaskInput {
            content: None,
            ..task_input("", self.hanoi, deadline(4, 30))
        };
        let classified = world
            .create_transferred(confidential, &input, first_day)
            .await
            .id;
        world
            .run(
                &world.updater,
                classified,
                received,
                TaskCommand::ConfirmReceipt,
            )
            .await;

        let input = NewTaskInput {
            content: None,
            ..task_input("", self.hai_phong, deadline(5, 29))
        };
        let top = world.create_transferred(secret, &input, first_day).await.id;

        let survey = world
            .delegate(
                &world.updater,
                data_centre,
                local(2026, 3, 5, 9, 0),
                &SubtaskInput {
                    lead_body: Some(self.unit),
                    content: Some("Khảo sát hạ tầng ở quận Ba Đình, Hà Nội".into()),
                    ..Default::default()
                },
            )
            .await
            .id;
        world
            .run(
                &people.unit_updater,
                survey,
                local(2026, 3, 5, 10, 0),
                TaskCommand::ConfirmReceipt,
            )
            .await;
        world
            .report(
                &people.unit_updater,
                &people.unit_approver,
                survey,
                local(2026, 4, 8, 9, 0),
                progress(60),
            )
            .await;

        world
            .run(
                &people.other_updater,
                training,
                local(2026, 3, 4, 9, 0),
                TaskCommand::ConfirmReceipt,
            )
            .await;
        world
            .report(
                &people.other_updater,
                &people.other_approver,
                training,
                local(2026, 3, 19, 9, 0),
                progress(70),
            )
            .await;

        // Returned after its feedback window: the only breach is of an optional obligation.
        let input = task_input("Góp ý dự thảo quy chế", self.hanoi, deadline(5, 29));
        let feedback = world.create_task(party, &input, created).await.id;
        world.transfer(feedback, second_day).await;
        world
            .run(
                &world.updater,
                feedback,
                local(2026, 3, 3, 11, 0),
                TaskCommand::ConfirmReceipt,
            )
            .await;
        world
            .run(
                &world.updater,
                feedback,
                local(2026, 3, 5, 9, 0),
                TaskCommand::Return {
                    kind: theodoi_domain::task::event::FeedbackKind::WrongContent,
                },
            )
            .await;
        world
            .run(
                &world.office,
                feedback,
                local(2026, 3, 5, 10, 0),
                TaskCommand::HandleFeedback(theodoi_domain::task::FeedbackDecision::Reject),
            )
            .await;
        world
            .run(
                &world.updater,
                feedback,
                local(2026, 3, 5, 11, 0),
                TaskCommand::ConfirmReceipt,
            )
            .await;

        self.named = BTreeMap::from([
            ("feedback", feedback),
            ("data centre", data_centre),
            ("training", training),
            ("members", members),
            ("review", review),
            ("audit", audit),
            ("inspection", inspection),
            ("late", late),
            ("mobilisation", mobilisation),
            ("classified", classified),
            ("top", top),
            ("survey", survey),
        ]);
    }

    /// Twelve more tasks so that every sort spans several pages, with repeated deadlines and
    /// several tasks changed at the same instant.
    async fn create_bulk(&mut self, document: &Document) {
        let world = &self.world;
        let leads = [
            self.hanoi,
            self.hai_phong,
            world.org("TU-DNG"),
            world.org("DUCP"),
        ];
        let deadlines = [
            Some(date(2026, 4, 30)),
            Some(date(2026, 5, 15)),
            None,
            Some(date(2026, 4, 30)),
            Some(date(2026, 6, 30)),
            Some(date(2026, 3, 31)),
        ];
        let priorities = ["regular", "key", "urgent"];
        for index in 0..12 {
            let input = NewTaskInput {
                classification: ClassificationInput {
                    priority: Some(priorities[index % 3].into()),
                    ..Default::default()
                },
                ..task_input(
                    &format!("Nhiệm vụ bổ sung số {index}"),
                    leads[index % 4],
                    deadlines[index % 6],
                )
            };
            let task = world
                .create_task(document, &input, local(2026, 3, 2, 9, 0))
                .await;
            match index % 3 {
                0 => {
                    world.transfer(task.id, local(2026, 3, 2, 10, 0)).await;
                }
                1 => {
                    world.transfer(task.id, local(2026, 3, 3, 10, 0)).await;
                }
                _ => {}
            }
        }
    }

    /// Replays every stored task and judges it at [`now`].
    async fn load(&mut self) {
        let rows = self
            .world
            .all_rows(
                &everything(),
                &TaskFilter::default(),
                TaskSort::Newest,
                now(),
                500,
            )
            .await;
        let documents: BTreeMap<DocumentId, Document> = self
            .documents
            .iter()
            .map(|document| (document.id, document.clone()))
            .collect();
        for row in rows {
            let history = self.world.history(row.id).await;
            let events = history.domain_events();
            let task = Task::replay_until(row.id, &events, now()).expect("replays");
            let state = task.result_facts().state_on(local_date(now()));
            let breached = obligations(&events).iter().any(|obligation| {
                matches!(
                    obligation.status_at(now()),
                    ObligationStatus::Breached { .. }
                )
            });
            self.tasks.insert(
                row.id,
                Info {
                    document: documents[&task.document_id].clone(),
                    task,
                    events,
                    state,
                    breached,
                },
            );
        }
        assert_eq!(self.tasks.len(), 24);
    }

    fn id(&self, name: &str) -> TaskId {
        self.named[name]
    }

    /// Returns the ids of the tasks for which `keep` holds, among those `scope` may see.
    fn expected(&self, scope: &Scope, keep: impl Fn(&Info) -> bool) -> BTreeSet<TaskId> {
        self.tasks
            .iter()
            .filter(|(_, info)| self.visible(scope, info) && keep(info))
            .map(|(id, _)| *id)
            .collect()
    }

    /// Returns whether the reader may see a task: its level is covered, and some body involved
    /// in it lies in the reader's subtree.
    fn visible(&self, scope: &Scope, info: &Info) -> bool {
        let task = &info.task;
        if !scope.clearance.covers(task.confidentiality) {
            return false;
        }
        let Visibility::Within(root) = scope.visibility else {
            return true;
        };
        let subtree = self.world.orgs.subtree(root);
        // A draft shows only to the assigning side until it is transferred.
        if task.status == TaskStatus::Draft && !subtree.contains(&task.assigning_body) {
            return false;
        }
        let mut bodies = vec![task.lead_body, task.monitoring_body, task.assigning_body];
        bodies.extend(task.coordinating_bodies.iter().copied());
        bodies.iter().any(|body| subtree.contains(body))
    }

    async fn listed(&self, scope: &Scope, filter: &TaskFilter) -> BTreeSet<TaskId> {
        let rows = self
            .world
            .all_rows(scope, filter, TaskSort::Deadline, now(), 4)
            .await;
        let ids: BTreeSet<TaskId> = rows.iter().map(|row| row.id).collect();
        assert_eq!(ids.len(), rows.len(), "no task is listed twice");
        ids
    }
}

/// Returns whether every folded word of `text` begins a word of the task's content, symbol or
/// title.
fn matches_text(info: &Info, text: &str) -> bool {
    let haystack = format!(
        "{}{}{}",
        info.task
            .content
            .as_deref()
            .map(search_words)
            .unwrap_or_default(),
        search_words(&info.document.content.symbol.to_string()),
        search_words(&info.document.content.title)
    );
    query_words(text)
        .iter()
        .all(|word| haystack.contains(&format!(" {word}")))
}

type Predicate<'a> = Box<dyn Fn(&Info) -> bool + 'a>;

async fn lists_filters(backend: Backend) {
    let data = Dataset::new(backend).await;
    let scope = everything();
    let (hanoi, hai_phong) = (data.hanoi, data.hai_phong);
    let hanoi_tree = data.world.orgs.subtree(hanoi);
    let combined_tree = hanoi_tree.clone();
    let btctw = data.world.org("BTCTW");
    let party_document = data.documents[1].id;
    let group = data.group;
    let parent = data.id("data centre");
    let from = date(2026, 4, 1);
    let to = date(2026, 5, 15);
    let text_filter = |text: &str| TaskFilter {
        text: Some(text.to_owned()),
        ..Default::default()
    };

    let cases: Vec<(&str, TaskFilter, Predicate<'_>)> = vec![
        (
            "one result state",
            TaskFilter {
                result_states: vec![ResultState::InProgressOnTime],
                ..Default::default()
            },
            Box::new(|info| info.state == Some(ResultState::InProgressOnTime)),
        ),
        (
            "several result states",
            TaskFilter {
                result_states: vec![
                    ResultState::NotStartedOverdue,
                    ResultState::CompletedLate,
                    ResultState::InProgress,
                ],
                ..Default::default()
            },
            Box::new(|info| {
                matches!(
                    info.state,
                    Some(
                        ResultState::NotStartedOverdue
                            | ResultState::CompletedLate
                            | ResultState::InProgress
                    )
                )
            }),
        ),
        (
            "statuses",
            TaskFilter {
                statuses: vec![TaskStatus::Draft, TaskStatus::Cancelled],
                ..Default::default()
            },
            Box::new(|info| matches!(info.task.status, TaskStatus::Draft | TaskStatus::Cancelled)),
        ),
        (
            "lead body",
            TaskFilter {
                lead_body: Some(hanoi),
                ..Default::default()
            },
            Box::new(move |info| info.task.lead_body == hanoi),
        ),
        (
            "lead body with sub-units",
            TaskFilter {
                lead_body: Some(hanoi),
                include_subunits: true,
                ..Default::default()
            },
            Box::new(move |info| hanoi_tree.contains(&info.task.lead_body)),
        ),
        (
            "body in any role",
            TaskFilter {
                body: Some(hai_phong),
                ..Default::default()
            },
            Box::new(move |info| {
                let task = &info.task;
                task.lead_body == hai_phong
                    || task.monitoring_body == hai_phong
                    || task.assigning_body == hai_phong
                    || task.coordinating_bodies.contains(&hai_phong)
            }),
        ),
        (
            "body in any role, assigning sub-tasks",
            TaskFilter {
                body: Some(hanoi),
                ..Default::default()
            },
            Box::new(move |info| {
                let task = &info.task;
                task.lead_body == hanoi
                    || task.monitoring_body == hanoi
                    || task.assigning_body == hanoi
                    || task.coordinating_bodies.contains(&hanoi)
            }),
        ),
        (
            "monitoring body",
            TaskFilter {
                monitoring_body: Some(btctw),
                ..Default::default()
            },
            Box::new(move |info| info.task.monitoring_body == btctw),
        ),
        (
            "priority",
            TaskFilter {
                priority: Some("urgent".into()),
                ..Default::default()
            },
            Box::new(|info| info.task.classification.priority == "urgent"),
        ),
        (
            "scope",
            TaskFilter {
                scope: Some("locality".into()),
                ..Default::default()
            },
            Box::new(|info| info.task.classification.scope == "locality"),
        ),
        (
            "executing unit",
            TaskFilter {
                executing_unit: Some("committee_under_cc".into()),
                ..Default::default()
            },
            Box::new(|info| info.task.classification.executing_unit == "committee_under_cc"),
        ),
        (
            "other class",
            TaskFilter {
                other_class: Some("ad_hoc".into()),
                ..Default::default()
            },
            Box::new(|info| info.task.classification.other.as_deref() == Some("ad_hoc")),
        ),
        (
            "confidentiality",
            TaskFilter {
                confidentiality: vec![Confidentiality::Confidential],
                ..Default::default()
            },
            Box::new(|info| info.task.confidentiality == Confidentiality::Confidential),
        ),
        (
            "document",
            TaskFilter {
                document_id: Some(party_document),
                ..Default::default()
            },
            Box::new(move |info| info.task.document_id == party_document),
        ),
        (
            "group",
            TaskFilter {
                group_id: Some(group),
                ..Default::default()
            },
            Box::new(move |info| info.task.group_id == Some(group)),
        ),
        (
            "parent",
            TaskFilter {
                parent_id: Some(parent),
                ..Default::default()
            },
            Box::new(move |info| info.task.parent_id == Some(parent)),
        ),
        (
            "sub-tasks only",
            TaskFilter {
                subtasks: Some(true),
                ..Default::default()
            },
            Box::new(|info| info.task.parent_id.is_some()),
        ),
        (
            "document tasks only",
            TaskFilter {
                subtasks: Some(false),
                ..Default::default()
            },
            Box::new(|info| info.task.parent_id.is_none()),
        ),
        (
            "without deadline",
            TaskFilter {
                has_deadline: Some(false),
                ..Default::default()
            },
            Box::new(|info| info.task.deadline.is_none()),
        ),
        (
            "with deadline",
            TaskFilter {
                has_deadline: Some(true),
                ..Default::default()
            },
            Box::new(|info| info.task.deadline.is_some()),
        ),
        (
            "deadline from",
            TaskFilter {
                deadline_from: Some(from),
                ..Default::default()
            },
            Box::new(move |info| info.task.deadline.is_some_and(|deadline| deadline >= from)),
        ),
        (
            "deadline to",
            TaskFilter {
                deadline_to: Some(to),
                ..Default::default()
            },
            Box::new(move |info| info.task.deadline.is_some_and(|deadline| deadline <= to)),
        ),
        (
            "deadline range",
            TaskFilter {
                deadline_from: Some(from),
                deadline_to: Some(to),
                ..Default::default()
            },
            Box::new(move |info| {
                info.task
                    .deadline
                    .is_some_and(|deadline| (from..=to).contains(&deadline))
            }),
        ),
        (
            "breached",
            TaskFilter {
                breached: true,
                ..Default::default()
            },
            Box::new(|info| info.breached),
        ),
        (
            "text",
            text_filter("ha noi"),
            Box::new(|info| matches_text(info, "ha noi")),
        ),
        (
            "text in symbol and several words",
            text_filter("57-nq khoa hoc"),
            Box::new(|info| matches_text(info, "57-nq khoa hoc")),
        ),
        (
            "combined",
            TaskFilter {
                lead_body: Some(hanoi),
                include_subunits: true,
                has_deadline: Some(true),
                statuses: vec![TaskStatus::InProgress],
                text: Some("ha noi".into()),
                ..Default::default()
            },
            Box::new(move |info| {
                combined_tree.contains(&info.task.lead_body)
                    && info.task.deadline.is_some()
                    && info.task.status == TaskStatus::InProgress
                    && matches_text(info, "ha noi")
            }),
        ),
    ];

    let all = data.expected(&scope, |_| true);
    for (name, filter, keep) in &cases {
        let expected = data.expected(&scope, keep);
        assert!(
            !expected.is_empty(),
            "{name}: the dataset has matching tasks"
        );
        assert_ne!(
            expected, all,
            "{name}: the dataset has tasks the filter drops"
        );
        assert_eq!(data.listed(&scope, filter).await, expected, "{name}");
        let counted = data
            .world
            .store
            .count_by_state(&scope, filter, now())
            .await
            .unwrap();
        let with_state = data
            .tasks
            .iter()
            .filter(|(id, info)| expected.contains(id) && info.state.is_some())
            .count();
        assert_eq!(
            counted.total,
            i64::try_from(with_state).unwrap(),
            "{name}: counted"
        );
    }

    let breached = data
        .listed(
            &scope,
            &TaskFilter {
                breached: true,
                ..Default::default()
            },
        )
        .await;
    assert!(
        breached.contains(&data.id("feedback")),
        "feedback returned late"
    );
    assert!(
        !breached.contains(&data.id("audit")),
        "nothing of it is due yet"
    );

    // Search ignores diacritics, case, Unicode normalisation and the letter đ. Each word must
    // begin a word: "noi" finds "Nội" but not the "nối" of "kết nối".
    let hanoi_tasks = data.listed(&scope, &text_filter("ha noi")).await;
    let named: BTreeSet<TaskId> = ["data centre", "audit", "late", "survey"]
        .into_iter()
        .map(|name| data.id(name))
        .collect();
    assert_eq!(hanoi_tasks, named);
    let decomposed: String = "Hà Nội".nfd().collect();
    for spelling in ["Hà Nội", "HÀ NỘI", "hà   nội", decomposed.as_str()] {
        assert_eq!(
            data.listed(&scope, &text_filter(spelling)).await,
            hanoi_tasks,
            "{spelling:?}"
        );
    }
    let party_tasks = data.listed(&scope, &text_filter("dang")).await;
    assert_eq!(
        party_tasks,
        data.expected(&scope, |info| matches_text(info, "dang"))
    );
    for name in ["training", "members", "audit", "inspection", "mobilisation"] {
        assert!(
            party_tasks.contains(&data.id(name)),
            "\"dang\" finds {name}"
        );
    }
    let decomposed: String = "đảng".nfd().collect();
    for spelling in ["đảng", "Đảng", "ĐẢNG", decomposed.as_str()] {
        assert_eq!(
            data.listed(&scope, &text_filter(spelling)).await,
            party_tasks,
            "{spelling:?}"
        );
    }
    assert!(
        data.listed(&scope, &text_filter("ha noi xyz"))
            .await
            .is_empty()
    );
}

/// Checks that `rows` follow `sort`, with the id breaking ties.
fn assert_sorted(rows: &[TaskRow], sort: TaskSort) {
    for pair in rows.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let in_order = match sort {
            TaskSort::Deadline => {
                let key = |row: &TaskRow| (row.deadline.is_none(), row.deadline, row.id);
                key(a) < key(b)
            }
            TaskSort::Updated => (b.updated_at, b.id) < (a.updated_at, a.id),
            TaskSort::Newest => b.id < a.id,
        };
        assert!(in_order, "{sort:?}: {:?} before {:?}", a.id, b.id);
    }
}

async fn lists_sorts(backend: Backend) {
    let data = Dataset::new(backend).await;
    let hanoi_reader = Scope::within(data.hanoi, Clearance::Normal);
    let filtered = TaskFilter {
        has_deadline: Some(true),
        ..Default::default()
    };
    // In order of change, each result state is read on its own and the pages merged.
    let states = TaskFilter {
        result_states: vec![
            ResultState::CompletedOnTime,
            ResultState::InProgressOverdue,
            ResultState::InProgress,
            ResultState::CompletedLate,
        ],
        ..Default::default()
    };
    for (scope, filter) in [
        (everything(), TaskFilter::default()),
        (hanoi_reader, TaskFilter::default()),
        (everything(), filtered),
        (everything(), states.clone()),
        (hanoi_reader, states),
    ] {
        let expected = data.expected(&scope, |info| {
            (filter.has_deadline.is_none() || info.task.deadline.is_some())
                && (filter.result_states.is_empty()
                    || info
                        .state
                        .is_some_and(|state| filter.result_states.contains(&state)))
        });
        assert!(!expected.is_empty(), "{filter:?} matches some task");
        for sort in [TaskSort::Deadline, TaskSort::Updated, TaskSort::Newest] {
            let whole = data.world.all_rows(&scope, &filter, sort, now(), 500).await;
            assert_sorted(&whole, sort);
            let ids: BTreeSet<TaskId> = whole.iter().map(|row| row.id).collect();
            assert_eq!(ids, expected, "{sort:?} lists every visible task");
            for limit in [1, 3, 7] {
                let paged = data
                    .world
                    .all_rows(&scope, &filter, sort, now(), limit)
                    .await;
                assert_eq!(paged, whole, "{sort:?} in pages of {limit}");
            }
        }
    }

    // Several tasks share a deadline and an update instant, so the id must break the ties.
    let whole = data
        .world
        .all_rows(
            &everything(),
            &TaskFilter::default(),
            TaskSort::Updated,
            now(),
            500,
        )
        .await;
    let instants: BTreeSet<Timestamp> = whole.iter().map(|row| row.updated_at).collect();
    assert!(instants.len() < whole.len());
    let deadlines: Vec<Option<Date>> = whole.iter().map(|row| row.deadline).collect();
    let distinct: BTreeSet<&Option<Date>> = deadlines.iter().collect();
    assert!(distinct.len() < deadlines.len());
    assert!(deadlines.contains(&None));

    // A cursor of another sort starts the list from its beginning.
    let request = PageRequest {
        limit: Some(5),
        after: Some(Cursor {
            key: None,
            id: 0,
            sort: "updated".into(),
        }),
    };
    let page = data
        .world
        .store
        .list_tasks(
            &everything(),
            &TaskFilter::default(),
            TaskSort::Newest,
            &request,
            now(),
        )
        .await
        .unwrap();
    let newest = data
        .world
        .ids(&everything(), &TaskFilter::default(), now())
        .await;
    let listed: Vec<TaskId> = page.items.iter().map(|row| row.id).collect();
    assert_eq!(listed, newest[..5]);
}

async fn lists_scope(backend: Backend) {
    let data = Dataset::new(backend).await;
    let (hanoi, hai_phong) = (data.hanoi, data.hai_phong);
    let scopes = [
        ("everything, secret", everything()),
        ("everything, normal", Scope::everything(Clearance::Normal)),
        (
            "everything, confidential",
            Scope::everything(Clearance::Confidential),
        ),
        ("Hà Nội, normal", Scope::within(hanoi, Clearance::Normal)),
        (
            "Hà Nội, confidential",
            Scope::within(hanoi, Clearance::Confidential),
        ),
        (
            "Hải Phòng, secret",
            Scope::within(hai_phong, Clearance::Secret),
        ),
        ("unit", Scope::within(data.unit, Clearance::Normal)),
        (
            "Ban Tổ chức",
            Scope::within(data.world.org("BTCTW"), Clearance::Normal),
        ),
        (
            "Đà Nẵng",
            Scope::within(data.world.org("TU-DNG"), Clearance::Secret),
        ),
    ];
    for (name, scope) in &scopes {
        let expected = data.expected(scope, |_| true);
        assert!(!expected.is_empty(), "{name} sees something");
        assert_eq!(
            data.listed(scope, &TaskFilter::default()).await,
            expected,
            "{name}"
        );

        let counts = data
            .world
            .store
            .count_by_state(scope, &TaskFilter::default(), now())
            .await
            .unwrap();
        let mut by_state: BTreeMap<ResultState, i64> = BTreeMap::new();
        for id in &expected {
            if let Some(state) = data.tasks[id].state {
                *by_state.entry(state).or_default() += 1;
            }
        }
        assert_eq!(
            counts.counts,
            by_state.into_iter().collect::<Vec<_>>(),
            "{name}: counts"
        );

        for (id, info) in &data.tasks {
            let row = data.world.store.task_row(scope, *id, now()).await.unwrap();
            assert_eq!(
                row.is_some(),
                expected.contains(id),
                "{name}: task row of {:?}",
                info.task.content
            );
        }

        let open = all_obligations(
            &data,
            scope,
            ObligationQuery::Open,
            &ObligationFilter::default(),
            500,
        )
        .await;
        let tasks: BTreeSet<TaskId> = open.iter().map(|row| row.task_id).collect();
        assert!(
            tasks.is_subset(&expected),
            "{name}: obligations of visible tasks only"
        );
    }

    // Hà Nội does not see Hải Phòng's own tasks, and classified tasks stay hidden from a
    // reader without clearance, also in the counts.
    let hanoi_reader = Scope::within(hanoi, Clearance::Normal);
    let seen = data.listed(&hanoi_reader, &TaskFilter::default()).await;
    assert!(!seen.contains(&data.id("training")));
    assert!(!seen.contains(&data.id("inspection")));
    assert!(
        seen.contains(&data.id("data centre")),
        "Hải Phòng coordinates it"
    );
    assert!(
        seen.contains(&data.id("survey")),
        "a unit below Hà Nội leads it"
    );
    assert!(!seen.contains(&data.id("classified")));
    let cleared = data
        .listed(
            &Scope::within(hanoi, Clearance::Confidential),
            &TaskFilter::default(),
        )
        .await;
    assert!(cleared.contains(&data.id("classified")));
    assert!(!cleared.contains(&data.id("top")));
    let normal_total = data
        .world
        .store
        .count_by_state(&hanoi_reader, &TaskFilter::default(), now())
        .await
        .unwrap()
        .total;
    let cleared_total = data
        .world
        .store
        .count_by_state(
            &Scope::within(hanoi, Clearance::Confidential),
            &TaskFilter::default(),
            now(),
        )
        .await
        .unwrap()
        .total;
    assert_eq!(cleared_total, normal_total + 1);
    let classified_only = TaskFilter {
        confidentiality: vec![Confidentiality::Confidential],
        ..Default::default()
    };
    let counted = data
        .world
        .store
        .count_by_state(&hanoi_reader, &classified_only, now())
        .await
        .unwrap();
    assert_eq!(counted.total, 0);
    let row = data
        .world
        .store
        .task_row(
            &Scope::everything(Clearance::Confidential),
            data.id("classified"),
            now(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.content, None);
    assert_eq!(row.percent, None);
}

async fn all_obligations(
    data: &Dataset,
    scope: &Scope,
    query: ObligationQuery,
    filter: &ObligationFilter,
    limit: u32,
) -> Vec<ObligationRow> {
    let mut rows = Vec::new();
    let mut request = PageRequest {
        limit: Some(limit),
        after: None,
    };
    for _ in 0..1_000 {
        let page = data
            .world
            .store
            .list_obligations(scope, query, filter, &request, now())
            .await
            .unwrap();
        rows.extend(page.items);
        match page.next_cursor {
            Some(cursor) => request.after = Some(Cursor::decode(&cursor).expect("our cursor")),
            None => return rows,
        }
    }
    panic!("the obligation list did not end after 1000 pages");
}

/// Computes the obligations `query` should list for `scope`, from the domain's fold, in list
/// order.
fn expected_obligations(
    data: &Dataset,
    scope: &Scope,
    query: ObligationQuery,
    keep: impl Fn(TaskId, &Obligation) -> bool,
) -> Vec<(TaskId, i64)> {
    let mut expected = Vec::new();
    for (id, info) in &data.tasks {
        if !data.visible(scope, info) {
            continue;
        }
        for (position, obligation) in obligations(&info.events).into_iter().enumerate() {
            let open = obligation.met_at.is_none() && obligation.closed_at.is_none();
            let status = obligation.status_at(now());
            let listed = match query {
                ObligationQuery::Open => {
                    open && !(obligation.optional && obligation.due_at < now())
                }
                ObligationQuery::Breached => matches!(status, ObligationStatus::Breached { .. }),
                ObligationQuery::DueSoon { within } => {
                    open && !obligation.optional
                        && status == ObligationStatus::Pending
                        && obligation.due_at <= now() + within
                }
            };
            if listed && keep(*id, &obligation) {
                expected.push((obligation.due_at, *id, i64::try_from(position).unwrap()));
            }
        }
    }
    expected.sort();
    expected
        .into_iter()
        .map(|(_, id, position)| (id, position))
        .collect()
}

/// A filter of the obligation list, named, with the rule it states.
type ObligationCase = (
    &'static str,
    ObligationFilter,
    Box<dyn Fn(TaskId, &Obligation) -> bool>,
);

async fn lists_obligations(backend: Backend) {
    let data = Dataset::new(backend).await;
    let hanoi = data.hanoi;
    let hanoi_tree = data.world.orgs.subtree(hanoi);
    let hanoi_kinds_tree = hanoi_tree.clone();
    let soon = ObligationQuery::DueSoon {
        within: SignedDuration::from_hours(24 * 7),
    };
    let queries = [ObligationQuery::Open, ObligationQuery::Breached, soon];
    // The sub-task has an open evaluation due within the week and a checkpoint met late.
    let one_task = data.id("survey");
    let cases: Vec<ObligationCase> = vec![
        ("all", ObligationFilter::default(), Box::new(|_, _| true)),
        (
            "responsible body",
            ObligationFilter {
                responsible: Some(hanoi),
                ..Default::default()
            },
            Box::new(move |_, obligation| obligation.responsible == hanoi),
        ),
        (
            "responsible body with sub-units",
            ObligationFilter {
                responsible: Some(hanoi),
                include_subunits: true,
                ..Default::default()
            },
            Box::new(move |_, obligation| hanoi_tree.contains(&obligation.responsible)),
        ),
        (
            "kinds",
            ObligationFilter {
                kinds: vec!["receipt".into(), "checkpoint".into()],
                ..Default::default()
            },
            Box::new(|_, obligation| matches!(obligation.kind.name(), "receipt" | "checkpoint")),
        ),
        (
            "kinds of one body",
            ObligationFilter {
                responsible: Some(hanoi),
                kinds: vec!["receipt".into(), "checkpoint".into(), "evaluation".into()],
                ..Default::default()
            },
            Box::new(move |_, obligation| {
                obligation.responsible == hanoi
                    && matches!(
                        obligation.kind.name(),
                        "receipt" | "checkpoint" | "evaluation"
                    )
            }),
        ),
        (
            "kinds of a body with sub-units",
            ObligationFilter {
                responsible: Some(hanoi),
                include_subunits: true,
                kinds: vec!["receipt".into(), "checkpoint".into(), "evaluation".into()],
                ..Default::default()
            },
            Box::new(move |_, obligation| {
                hanoi_kinds_tree.contains(&obligation.responsible)
                    && matches!(
                        obligation.kind.name(),
                        "receipt" | "checkpoint" | "evaluation"
                    )
            }),
        ),
        (
            "task",
            ObligationFilter {
                task_id: Some(one_task),
                ..Default::default()
            },
            Box::new(move |id, _| id == one_task),
        ),
    ];
    let scopes = [
        everything(),
        Scope::within(hanoi, Clearance::Normal),
        Scope::within(data.hai_phong, Clearance::Secret),
    ];
    let mut non_empty = BTreeSet::new();
    for scope in &scopes {
        for query in queries {
            for (name, filter, keep) in &cases {
                let expected = expected_obligations(&data, scope, query, keep);
                let rows = all_obligations(&data, scope, query, filter, 500).await;
                let listed: Vec<(TaskId, i64)> =
                    rows.iter().map(|row| (row.task_id, row.position)).collect();
                assert_eq!(listed, expected, "{name}, {query:?}, {scope:?}");
                for row in &rows {
                    let info = &data.tasks[&row.task_id];
                    let domain = &obligations(&info.events)[usize::try_from(row.position).unwrap()];
                    assert_eq!(&row.obligation, domain, "{name}: stored obligation");
                    assert_eq!(row.status_at(now()), domain.status_at(now()));
                    assert_eq!(row.task_content, info.task.content);
                    assert_eq!(row.document_id, info.task.document_id);
                }
                let paged = all_obligations(&data, scope, query, filter, 2).await;
                assert_eq!(paged, rows, "{name}, {query:?}: pages of 2");
                if !rows.is_empty() {
                    non_empty.insert(format!("{query:?} {name}"));
                }
            }
        }
    }
    for query in queries {
        for (name, _, _) in &cases {
            assert!(
                non_empty.contains(&format!("{query:?} {name}")),
                "the dataset lists something for {name}, {query:?}"
            );
        }
    }

    // A body that does not exist, with or without its units, owes nothing.
    for include_subunits in [true, false] {
        let filter = ObligationFilter {
            responsible: Some(OrgId(i64::MIN)),
            include_subunits,
            ..Default::default()
        };
        let rows = all_obligations(&data, &scopes[1], ObligationQuery::Open, &filter, 5).await;
        assert!(
            rows.is_empty(),
            "unknown body, sub-units {include_subunits}"
        );
    }
}

on_both_backends!(lists_filters, lists_sorts, lists_scope, lists_obligations);
