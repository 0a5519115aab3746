//! Documents on both backends: registration, symbol uniqueness, idempotency keys, corrections,
//! the paged list with its filters, and what each reader may see.

mod support;

use jiff::civil::{Date, date};
use std::collections::BTreeSet;
use support::{World, local, task_input};
use theodoi_domain::catalogue::Classification;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::{Document, DocumentKind, entry_due};
use theodoi_domain::error::{Code, ErrorKind};
use theodoi_domain::ids::{DocumentId, OrgId};
use theodoi_domain::task::{NewTaskInput, TaskCommand};
use theodoi_domain::user::Clearance;
use theodoi_store::{
    Backend, Cursor, DocumentFilter, IdempotencyKey, PageRequest, Scope, StoreError,
    on_both_backends,
};
use unicode_normalization::UnicodeNormalization;

fn symbol_error(error: StoreError) -> Code {
    match error {
        StoreError::Domain(error) => {
            assert_eq!(error.kind, ErrorKind::Invalid, "{error}");
            assert_eq!(error.violations.len(), 1, "{error}");
            assert_eq!(error.violations[0].field, "symbol", "{error}");
            error.violations[0].code
        }
        other => panic!("expected a field error on symbol, got {other:?}"),
    }
}

/// Reads the ids of every document the reader may see with `filter`, page by page.
async fn document_ids(
    world: &World,
    scope: &Scope,
    filter: &DocumentFilter,
    limit: u32,
) -> Vec<DocumentId> {
    let mut ids = Vec::new();
    let mut request = PageRequest {
        limit: Some(limit),
        after: None,
    };
    for _ in 0..1_000 {
        let page = world
            .store
            .list_documents(scope, filter, &request)
            .await
            .expect("list documents");
        ids.extend(page.items.iter().map(|document| document.id));
        match page.next_cursor {
            Some(cursor) => request.after = Some(Cursor::decode(&cursor).expect("our cursor")),
            None => return ids,
        }
    }
    panic!("the document list did not end after 1000 pages");
}

fn everything(clearance: Clearance) -> Scope {
    Scope::everything(clearance)
}

fn set(ids: impl IntoIterator<Item = DocumentId>) -> BTreeSet<DocumentId> {
    ids.into_iter().collect()
}

async fn documents_register(backend: Backend) {
    let world = World::new(backend).await;
    let input = world.document_input(
        "resolution",
        "Số 57 - nq/tw",
        "Nghị quyết về đột phá phát triển khoa học, công nghệ",
        date(2026, 2, 27),
        Confidentiality::Normal,
    );
    let now = local(2026, 3, 2, 9, 0);
    let created = world.try_register(&input, now, None).await.unwrap();
    assert!(!created.replayed);
    let document = created.value;
    assert_eq!(document.content.symbol.to_string(), "57-NQ/TW");
    assert_eq!(document.content.kind, DocumentKind::Resolution);
    assert_eq!(document.content.issue_date, date(2026, 2, 27));
    assert_eq!(
        document.entry_due,
        entry_due(&world.calendar, date(2026, 2, 27))
    );
    assert_eq!(document.calendar_version, "builtin-1");
    assert_eq!(document.registered_by, world.office.user_id);
    assert_eq!(document.registered_body, world.org("VPTW"));
    assert_eq!(document.registered_at, now);
    assert_eq!(document.task_count, 0);
    assert_eq!(document.version, 1);
    assert_eq!(
        world.store.document(document.id).await.unwrap(),
        Some(document.clone())
    );
    assert_eq!(world.store.document(DocumentId(9_999)).await.unwrap(), None);

    let secret = world
        .register(
            "conclusion",
            "12-KL/TW",
            "Kết luận về công tác bảo vệ chính trị nội bộ",
            date(2026, 2, 27),
            Confidentiality::Secret,
        )
        .await;
    let stored = world.store.document(secret.id).await.unwrap().unwrap();
    assert_eq!(stored.content.confidentiality, Confidentiality::Secret);
    assert_eq!(stored.content.summary, None);
}

async fn documents_duplicate_symbol(backend: Backend) {
    let world = World::new(backend).await;
    let first = world
        .resolution(
            "57-NQ/TW",
            "Nghị quyết về khoa học, công nghệ",
            date(2026, 1, 5),
        )
        .await;
    let now = local(2026, 3, 2, 9, 0);
    for spelling in ["57-NQ/TW", "Số 57-nq/tw", "57 – NQ / TW"] {
        let input = world.document_input(
            "resolution",
            spelling,
            "Một nghị quyết khác",
            date(2026, 2, 20),
            Confidentiality::Normal,
        );
        let error = world.try_register(&input, now, None).await.unwrap_err();
        assert_eq!(symbol_error(error), Code::SymbolDuplicate, "{spelling}");
    }
    // "QD" and "QĐ" are one symbol.
    world
        .register(
            "decision",
            "204-QĐ/TW",
            "Quyết định ban hành quy chế",
            date(2026, 1, 6),
            Confidentiality::Normal,
        )
        .await;
    let input = world.document_input(
        "decision",
        "204-QD/TW",
        "Quyết định khác",
        date(2026, 2, 6),
        Confidentiality::Normal,
    );
    let error = world.try_register(&input, now, None).await.unwrap_err();
    assert_eq!(symbol_error(error), Code::SymbolDuplicate);

    let last_year = world
        .resolution("57-NQ/TW", "Nghị quyết năm trước", date(2025, 6, 1))
        .await;
    assert_ne!(last_year.id, first.id);

    // A correction may not take a symbol already used in its year either.
    let other = world
        .resolution("58-NQ/TW", "Nghị quyết thứ hai", date(2026, 1, 7))
        .await;
    let error = world
        .store
        .correct_document(
            other.id,
            Some(other.version),
            |current| {
                let mut content = current.content.clone();
                content.symbol = first.content.symbol.clone();
                Ok((content, current.entry_due, current.calendar_version.clone()))
            },
            &world.office,
            now,
            Some("Sửa số hiệu"),
        )
        .await
        .unwrap_err();
    assert_eq!(symbol_error(error), Code::SymbolDuplicate);
    let unchanged = world.store.document(other.id).await.unwrap().unwrap();
    assert_eq!(unchanged, other);

    let all = document_ids(
        &world,
        &everything(Clearance::Secret),
        &DocumentFilter::default(),
        50,
    )
    .await;
    assert_eq!(all.len(), 4);
}

async fn documents_idempotency(backend: Backend) {
    let world = World::new(backend).await;
    let input = world.document_input(
        "directive",
        "45-CT/TW",
        "Chỉ thị về lãnh đạo đại hội đảng bộ các cấp",
        date(2026, 2, 2),
        Confidentiality::Normal,
    );
    let body = serde_json::to_vec(&input).unwrap();
    let path = "/api/v1/documents";
    let key = IdempotencyKey::new(world.office.user_id, "k-1", "POST", path, &body);
    let now = local(2026, 3, 2, 9, 0);

    let first = world.try_register(&input, now, Some(&key)).await.unwrap();
    assert!(!first.replayed);
    let again = world
        .try_register(&input, local(2026, 3, 2, 9, 5), Some(&key))
        .await
        .unwrap();
    assert!(again.replayed);
    assert_eq!(again.value, first.value);

    let other_input = world.document_input(
        "directive",
        "46-CT/TW",
        "Chỉ thị khác",
        date(2026, 2, 2),
        Confidentiality::Normal,
    );
    let other_body = serde_json::to_vec(&other_input).unwrap();
    let reused = IdempotencyKey::new(world.office.user_id, "k-1", "POST", path, &other_body);
    let error = world
        .try_register(&other_input, now, Some(&reused))
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::IdempotencyKeyReused),
        "{error:?}"
    );

    // Keys belong to one user: another user's "k-1" is a new request.
    let someone_else = IdempotencyKey::new(world.monitor.user_id, "k-1", "POST", path, &other_body);
    let second = world
        .try_register(&other_input, now, Some(&someone_else))
        .await
        .unwrap();
    assert!(!second.replayed);
    assert_ne!(second.value.id, first.value.id);

    let all = document_ids(
        &world,
        &everything(Clearance::Secret),
        &DocumentFilter::default(),
        50,
    )
    .await;
    assert_eq!(set(all), set([first.value.id, second.value.id]));
}

async fn documents_correct_versions(backend: Backend) {
    let world = World::new(backend).await;
    let document = world
        .resolution("57-NQ/TW", "Nghị quyết về khoa học", date(2026, 2, 27))
        .await;
    let now = local(2026, 3, 3, 9, 0);
    let retitle = |title: &'static str| {
        move |current: &Document| {
            let mut content = current.content.clone();
            content.title = title.to_owned();
            Ok((content, current.entry_due, current.calendar_version.clone()))
        }
    };

    let corrected = world
        .store
        .correct_document(
            document.id,
            Some(1),
            retitle("Nghị quyết về đột phá phát triển khoa học, công nghệ và chuyển đổi số"),
            &world.office,
            now,
            Some("Sửa tên văn bản"),
        )
        .await
        .unwrap();
    assert_eq!(corrected.version, 2);

    let error = world
        .store
        .correct_document(
            document.id,
            Some(1),
            retitle("Tên cũ"),
            &world.office,
            now,
            Some("Sửa lại"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::VersionConflict { current: 2 }),
        "{error:?}"
    );
    assert_eq!(
        world.store.document(document.id).await.unwrap(),
        Some(corrected.clone())
    );

    // The search text follows the correction.
    let scope = everything(Clearance::Secret);
    let found = |text: &str| DocumentFilter {
        text: Some(text.to_owned()),
        ..Default::default()
    };
    assert_eq!(
        document_ids(&world, &scope, &found("chuyen doi so"), 50).await,
        [document.id]
    );
    assert!(
        document_ids(&world, &scope, &found("tên cũ"), 50)
            .await
            .is_empty()
    );

    let error = world
        .store
        .correct_document(
            DocumentId(9_999),
            None,
            retitle("Không có"),
            &world.office,
            now,
            None,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&error, StoreError::Domain(domain) if domain.code == Code::DocumentNotFound),
        "{error:?}"
    );
}

/// Registers `count` normal resolutions, two a day from 2026-01-05 on, so that issue dates tie.
async fn register_many(world: &World, count: usize) -> Vec<Document> {
    let mut documents = Vec::new();
    for index in 0..count {
        let number = 100 + index;
        let day = i8::try_from(5 + index / 2).unwrap();
        let document = world
            .resolution(
                &format!("{number}-NQ/TW"),
                &format!("Nghị quyết số {number}"),
                date(2026, 1, day),
            )
            .await;
        documents.push(document);
    }
    documents
}

async fn documents_paging(backend: Backend) {
    let world = World::new(backend).await;
    let documents = register_many(&world, 13).await;
    let scope = everything(Clearance::Secret);
    let filter = DocumentFilter::default();

    let mut expected: Vec<(Date, DocumentId)> = documents
        .iter()
        .map(|document| (document.content.issue_date, document.id))
        .collect();
    expected.sort_by(|a, b| b.cmp(a));
    let expected: Vec<DocumentId> = expected.into_iter().map(|(_, id)| id).collect();

    assert_eq!(document_ids(&world, &scope, &filter, 500).await, expected);
    for limit in [1, 2, 4, 5, 13] {
        assert_eq!(
            document_ids(&world, &scope, &filter, limit).await,
            expected,
            "pages of {limit}"
        );
    }

    // Documents registered between two pages neither repeat nor hide the ones already there:
    // a newer one sorts before the cursor and is skipped, an older one shows up on a later page.
    let first = world
        .store
        .list_documents(
            &scope,
            &filter,
            &PageRequest {
                limit: Some(4),
                after: None,
            },
        )
        .await
        .unwrap();
    let newer = world
        .resolution("900-NQ/TW", "Nghị quyết mới hơn", date(2026, 2, 2))
        .await;
    let older = world
        .resolution("901-NQ/TW", "Nghị quyết cũ hơn", date(2025, 12, 1))
        .await;
    let mut seen: Vec<DocumentId> = first.items.iter().map(|document| document.id).collect();
    let mut after = first.next_cursor.as_deref().and_then(Cursor::decode);
    while let Some(cursor) = after {
        let page = world
            .store
            .list_documents(
                &scope,
                &filter,
                &PageRequest {
                    limit: Some(4),
                    after: Some(cursor),
                },
            )
            .await
            .unwrap();
        seen.extend(page.items.iter().map(|document| document.id));
        after = page.next_cursor.as_deref().and_then(Cursor::decode);
    }
    let mut expected_after_insert = expected.clone();
    expected_after_insert.push(older.id);
    assert_eq!(seen, expected_after_insert);
    assert!(!seen.contains(&newer.id));

    // A cursor of another list is ignored rather than misread.
    let foreign = PageRequest {
        limit: Some(3),
        after: Some(Cursor {
            key: Some("2026-01-07".into()),
            id: 1,
            sort: "deadline".into(),
        }),
    };
    let page = world
        .store
        .list_documents(&scope, &filter, &foreign)
        .await
        .unwrap();
    assert_eq!(page.items[0].id, newer.id);
}

async fn documents_filters(backend: Backend) {
    let world = World::new(backend).await;
    let resolution = world
        .resolution(
            "57-NQ/TW",
            "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo",
            date(2026, 1, 22),
        )
        .await;
    let directive = world
        .register(
            "directive",
            "45-CT/TW",
            "Chỉ thị về đại hội đảng bộ các cấp",
            date(2026, 2, 2),
            Confidentiality::Normal,
        )
        .await;
    let conclusion = world
        .register(
            "conclusion",
            "123-KL/TW",
            "Kết luận về hoàn thành 100% chỉ tiêu chuyển đổi số",
            date(2026, 2, 10),
            Confidentiality::Normal,
        )
        .await;
    let plan = world
        .register(
            "plan",
            "10-KH/TW",
            "Kế hoạch thực hiện Nghị quyết 57 của Bộ Chính trị",
            date(2026, 2, 26),
            Confidentiality::Normal,
        )
        .await;
    let scope = everything(Clearance::Secret);
    let ids = async |filter: DocumentFilter| set(document_ids(&world, &scope, &filter, 2).await);
    let text = |value: &str| DocumentFilter {
        text: Some(value.to_owned()),
        ..Default::default()
    };

    let kind = DocumentFilter {
        kind: Some(DocumentKind::Directive),
        ..Default::default()
    };
    assert_eq!(ids(kind).await, set([directive.id]));

    let february = DocumentFilter {
        issued_from: Some(date(2026, 2, 2)),
        issued_to: Some(date(2026, 2, 10)),
        ..Default::default()
    };
    assert_eq!(ids(february).await, set([directive.id, conclusion.id]));
    let from = DocumentFilter {
        issued_from: Some(date(2026, 2, 10)),
        ..Default::default()
    };
    assert_eq!(ids(from).await, set([conclusion.id, plan.id]));
    let to = DocumentFilter {
        issued_to: Some(date(2026, 1, 22)),
        ..Default::default()
    };
    assert_eq!(ids(to).await, set([resolution.id]));

    let nghi_quyet = set([resolution.id, plan.id]);
    assert_eq!(ids(text("nghi quyet")).await, nghi_quyet);
    assert_eq!(ids(text("Nghị quyết")).await, nghi_quyet);
    assert_eq!(ids(text("NGHỊ   QUYẾT")).await, nghi_quyet);
    let decomposed: String = "Nghị quyết".nfd().collect();
    assert_eq!(ids(text(&decomposed)).await, nghi_quyet);
    assert_eq!(ids(text("dang bo")).await, set([directive.id]));
    assert_eq!(ids(text("đảng bộ")).await, set([directive.id]));
    assert_eq!(ids(text("45-ct")).await, set([directive.id]));
    assert_eq!(ids(text("khoa hoc doi moi")).await, set([resolution.id]));
    assert!(
        ids(text("khoa hoc dai hoi")).await.is_empty(),
        "every word must match"
    );
    // Punctuation, LIKE wildcards included, separates words and matches nothing by itself.
    assert_eq!(ids(text("100%")).await, set([conclusion.id]));
    assert!(ids(text("1_0")).await.is_empty());
    assert_eq!(ids(text("%")).await.len(), 4);
    assert_eq!(
        ids(text("   ")).await.len(),
        4,
        "blank text filters nothing"
    );

    let combined = DocumentFilter {
        text: Some("nghi quyet".into()),
        kind: Some(DocumentKind::Plan),
        ..Default::default()
    };
    assert_eq!(ids(combined).await, set([plan.id]));
}

async fn documents_awaiting_entry(backend: Backend) {
    let world = World::new(backend).await;
    let hanoi = world.org("TU-HNI");
    let at = local(2026, 3, 2, 10, 0);
    let input = |content: &str| task_input(content, hanoi, Some(date(2026, 6, 30)));

    let empty = world
        .resolution("1-NQ/TW", "Nghị quyết chưa có nhiệm vụ", date(2026, 2, 27))
        .await;
    let partial = world
        .resolution(
            "2-NQ/TW",
            "Nghị quyết đang nhập nhiệm vụ",
            date(2026, 2, 27),
        )
        .await;
    let done = world
        .resolution("3-NQ/TW", "Nghị quyết đã chuyển hết", date(2026, 2, 27))
        .await;
    let with_cancelled = world
        .resolution("4-NQ/TW", "Nghị quyết có nhiệm vụ huỷ", date(2026, 2, 27))
        .await;

    world
        .create_transferred(&partial, &input("Nhiệm vụ một"), at)
        .await;
    world
        .create_task(&partial, &input("Nhiệm vụ hai"), at)
        .await;
    world
        .create_transferred(&done, &input("Nhiệm vụ ba"), at)
        .await;
    world
        .create_transferred(&with_cancelled, &input("Nhiệm vụ bốn"), at)
        .await;
    let dropped = world
        .create_task(&with_cancelled, &input("Nhiệm vụ nhập nhầm"), at)
        .await;
    let count = async |document: &Document| {
        world
            .store
            .document(document.id)
            .await
            .unwrap()
            .unwrap()
            .task_count
    };
    assert_eq!(count(&with_cancelled).await, 2);
    world
        .run(&world.office, dropped.id, at, TaskCommand::Cancel)
        .await;

    assert_eq!(count(&empty).await, 0);
    assert_eq!(count(&partial).await, 2);
    assert_eq!(count(&done).await, 1);
    assert_eq!(
        count(&with_cancelled).await,
        1,
        "cancelled tasks do not count"
    );

    let awaiting = DocumentFilter {
        awaiting_entry: true,
        ..Default::default()
    };
    let scope = everything(Clearance::Secret);
    assert_eq!(
        set(document_ids(&world, &scope, &awaiting, 50).await),
        set([empty.id, partial.id])
    );

    // Ordinals number a document's tasks in the order they were entered.
    let second = world.create_task(&done, &input("Nhiệm vụ năm"), at).await;
    assert_eq!(second.ordinal, 2);
    assert_eq!(
        set(document_ids(&world, &scope, &awaiting, 50).await),
        set([empty.id, partial.id, done.id])
    );
}

async fn documents_scope(backend: Backend) {
    let mut world = World::new(backend).await;
    let hanoi = world.org("TU-HNI");
    let haiphong = world.org("TU-HPG");
    let unit = world
        .add_unit("HNI-BTG", "Ban Tuyên giáo Thành uỷ Hà Nội", "TU-HNI")
        .await;
    let at = local(2026, 3, 2, 10, 0);
    let deadline = Some(date(2026, 6, 30));
    let issued = date(2026, 2, 27);

    let led_by_hanoi = world
        .resolution("1-NQ/TW", "Do Hà Nội chủ trì", issued)
        .await;
    let transferred = world
        .create_task(
            &led_by_hanoi,
            &task_input("Việc của Hà Nội", hanoi, deadline),
            at,
        )
        .await;
    world.transfer(transferred.id, at).await;
    let led_by_haiphong = world
        .resolution("2-NQ/TW", "Do Hải Phòng chủ trì", issued)
        .await;
    let transferred = world
        .create_task(
            &led_by_haiphong,
            &task_input("Việc của Hải Phòng", haiphong, deadline),
            at,
        )
        .await;
    world.transfer(transferred.id, at).await;
    let coordinated = world.resolution("3-NQ/TW", "Hà Nội phối hợp", issued).await;
    let input = NewTaskInput {
        coordinating_bodies: vec![hanoi],
        ..task_input("Hải Phòng chủ trì, Hà Nội phối hợp", haiphong, deadline)
    };
    let transferred = world.create_task(&coordinated, &input, at).await;
    world.transfer(transferred.id, at).await;
    let without_tasks = world
        .resolution("4-NQ/TW", "Chưa có nhiệm vụ", issued)
        .await;
    let monitored = world.resolution("5-NQ/TW", "Hà Nội theo dõi", issued).await;
    let input = NewTaskInput {
        monitoring_body: Some(hanoi),
        ..task_input("Đảng uỷ Chính phủ chủ trì", world.org("DUCP"), deadline)
    };
    let transferred = world.create_task(&monitored, &input, at).await;
    world.transfer(transferred.id, at).await;
    let by_unit = world
        .resolution("6-NQ/TW", "Đơn vị trực thuộc chủ trì", issued)
        .await;
    let transferred = world
        .create_task(
            &by_unit,
            &task_input("Việc của Ban Tuyên giáo", unit, deadline),
            at,
        )
        .await;
    world.transfer(transferred.id, at).await;
    let classified = world
        .register(
            "resolution",
            "7-NQ/TW",
            "Nghị quyết mật",
            issued,
            Confidentiality::Confidential,
        )
        .await;
    let input = NewTaskInput {
        content: None,
        ..task_input("", hanoi, deadline)
    };
    let transferred = world.create_task(&classified, &input, at).await;
    world.transfer(transferred.id, at).await;

    let visible =
        async |scope: Scope| set(document_ids(&world, &scope, &DocumentFilter::default(), 3).await);
    let normal_all = set([
        led_by_hanoi.id,
        led_by_haiphong.id,
        coordinated.id,
        without_tasks.id,
        monitored.id,
        by_unit.id,
    ]);
    assert_eq!(visible(everything(Clearance::Normal)).await, normal_all);
    let mut all = normal_all.clone();
    all.insert(classified.id);
    assert_eq!(visible(everything(Clearance::Confidential)).await, all);
    assert_eq!(visible(everything(Clearance::Secret)).await, all);

    let within = |org: OrgId, clearance: Clearance| Scope::within(org, clearance);
    assert_eq!(
        visible(within(hanoi, Clearance::Normal)).await,
        set([led_by_hanoi.id, coordinated.id, monitored.id, by_unit.id])
    );
    assert_eq!(
        visible(within(hanoi, Clearance::Confidential)).await,
        set([
            led_by_hanoi.id,
            coordinated.id,
            monitored.id,
            by_unit.id,
            classified.id
        ])
    );
    assert_eq!(
        visible(within(haiphong, Clearance::Normal)).await,
        set([led_by_haiphong.id, coordinated.id])
    );
    assert_eq!(
        visible(within(unit, Clearance::Normal)).await,
        set([by_unit.id])
    );
    // The Central Office registered every document, so its own scope covers them all.
    assert_eq!(
        visible(within(world.org("VPTW"), Clearance::Normal)).await,
        normal_all
    );
    assert!(
        visible(within(world.org("TU-DNG"), Clearance::Secret))
            .await
            .is_empty()
    );
}

async fn documents_concurrent_groups(backend: Backend) {
    const GROUPS: i64 = 5;
    let world = std::sync::Arc::new(World::new(backend).await);
    let document = world
        .resolution(
            "57-NQ/TW",
            "Nghị quyết về khoa học, công nghệ",
            date(2026, 2, 27),
        )
        .await;
    let classification = Classification {
        executing_unit: "provincial_committee".into(),
        scope: "nationwide".into(),
        scope_detail: None,
        priority: "regular".into(),
        other: None,
    };
    let mut writers = tokio::task::JoinSet::new();
    for index in 0..GROUPS {
        let world = world.clone();
        let classification = classification.clone();
        writers.spawn(async move {
            world
                .store
                .add_group(
                    document.id,
                    &format!("Nhóm nhiệm vụ {index}"),
                    &classification,
                    &world.office,
                    local(2026, 3, 2, 9, 0),
                )
                .await
        });
    }
    while let Some(joined) = writers.join_next().await {
        joined.unwrap().expect("every group is added");
    }
    let positions: Vec<i64> = world
        .store
        .groups(document.id)
        .await
        .unwrap()
        .iter()
        .map(|group| group.position)
        .collect();
    assert_eq!(positions, (1..=GROUPS).collect::<Vec<_>>());
}

on_both_backends!(
    documents_register,
    documents_duplicate_symbol,
    documents_idempotency,
    documents_correct_versions,
    documents_paging,
    documents_filters,
    documents_awaiting_entry,
    documents_scope,
    documents_concurrent_groups,
);
