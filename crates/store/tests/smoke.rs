//! A first walk through the store on both backends: seed, register a document, create and
//! transfer a task, list it.

use jiff::Timestamp;
use theodoi_calendar::WorkingCalendar;
use theodoi_domain::catalogue::Catalogues;
use theodoi_domain::document::DocumentInput;
use theodoi_domain::org::OrgTree;
use theodoi_domain::task::{Context, NewTaskInput, TaskCommand, new_task};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::testing::TestDatabase;
use theodoi_store::{
    Backend, DocumentRegistration, PageRequest, Scope, TaskFilter, TaskSort, on_both_backends,
};

async fn walk_through(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let store = database.store().await;
    let orgs = OrgTree::new(store.organisations().await.unwrap());
    assert_eq!(orgs.len(), 56);
    let catalogues = Catalogues::new(
        store
            .catalogue_entries()
            .await
            .unwrap()
            .into_iter()
            .map(|stored| stored.entry),
    );
    let office = orgs.by_code("VPTW").unwrap().id;
    let hanoi = orgs.by_code("TU-HNI").unwrap().id;
    let user = store
        .insert_user(
            &theodoi_store::NewUser {
                username: "vptw".into(),
                full_name: "Cán bộ VPTW".into(),
                org_id: office,
                roles: vec![Role::CentralOffice],
                clearance: Clearance::Secret,
                password_hash: "x".into(),
                language: "vi".into(),
                email: None,
            },
            Timestamp::now(),
        )
        .await
        .unwrap();
    let actor = user.actor();
    let now: Timestamp = "2026-03-02T02:00:00Z".parse().unwrap();
    let calendar = WorkingCalendar::builtin();
    let content = DocumentInput {
        kind: Some("resolution".into()),
        symbol: Some("57-NQ/TW".into()),
        title: Some("Nghị quyết về đột phá phát triển khoa học, công nghệ".into()),
        issue_date: Some("2026-02-27".into()),
        signer: Some("Tổng Bí thư".into()),
        issuing_body: Some(office),
        assigning_authority: Some(orgs.by_code("BCT").unwrap().id),
        monitoring_body: Some(office),
        ..Default::default()
    }
    .validate(&orgs, theodoi_calendar::local_date(now))
    .unwrap();
    let document = store
        .register_document(
            &DocumentRegistration {
                content: &content,
                entry_due: theodoi_domain::document::entry_due(&calendar, content.issue_date),
                calendar_version: "builtin-1",
                actor: &actor,
                now,
                reason: None,
            },
            None,
        )
        .await
        .unwrap()
        .value;
    let ctx = Context {
        actor: &actor,
        now,
        calendar: &calendar,
        orgs: &orgs,
        catalogues: &catalogues,
        parent: None,
    };
    let input = NewTaskInput {
        content: Some("Xây dựng kế hoạch chuyển đổi số ở Hà Nội".into()),
        lead_body: Some(hanoi),
        deadline: Some("2026-06-30".into()),
        ..Default::default()
    };
    let created = store
        .create_task(document.id, None, |document, ordinal| {
            new_task(&input, document, ordinal, &ctx)
        })
        .await
        .unwrap()
        .value;
    let committed = store
        .execute(created.task.id, Some(1), |task, _| {
            task.handle(TaskCommand::Transfer, None, &ctx)
        })
        .await
        .unwrap();
    assert_eq!(committed.task.version, 2);

    let filter = TaskFilter {
        text: Some("ha noi".into()),
        ..Default::default()
    };
    let page = store
        .list_tasks(
            &Scope::everything(Clearance::Secret),
            &filter,
            TaskSort::Deadline,
            &PageRequest::default(),
            now,
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(
        page.items[0].result_state,
        Some(theodoi_domain::result::ResultState::NotStartedOnTime)
    );
}

on_both_backends!(walk_through);
