//! The secure zone on both backends: classified documents and task histories stored sealed,
//! opened only for cleared readers and only with the key, tamper detection, key rotation,
//! copies that stay sealed, and the refusal of Tuyệt mật.

mod support;

use jiff::civil::date;
use sqlx::{AnyConnection, Connection};
use support::{World, local};
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::{Document, DocumentInput};
use theodoi_domain::error::{Code, DomainError};
use theodoi_domain::task::event::UrgeChannel;
use theodoi_domain::task::{NewTaskInput, TaskCommand};
use theodoi_domain::user::Clearance;
use theodoi_store::testing::{TestDatabase, columns_containing};
use theodoi_store::transfer::{self, Existing, NoProgress};
use theodoi_store::{
    Backend, DocumentFilter, PageRequest, Scope, SecureKey, Store, StoreError, TaskFilter,
    TaskSort, on_both_backends,
};

const TITLE: &str = "Kế hoạch bảo vệ tuyến biên giới Kz7Q";
const SYMBOL: &str = "917-NQ/TW";
const SIGNER: &str = "Lương Bí Mật Kz7Q";
const TRANSFER_REASON: &str = "Chuyển giao theo chỉ đạo Kz7Q-transfer";
const URGE_REASON: &str = "Đôn đốc khẩn Kz7Q-urge";

fn classified_input(world: &World, level: Confidentiality) -> DocumentInput {
    let mut input = world.document_input("resolution", SYMBOL, TITLE, date(2026, 3, 2), level);
    input.signer = Some(SIGNER.into());
    input
}

/// Registers the classified document, creates its task, transfers it and urges it, each with
/// a distinctive reason.
async fn classified_task(world: &World) -> (Document, theodoi_domain::ids::TaskId) {
    let input = classified_input(world, Confidentiality::Confidential);
    let document = world
        .try_register(&input, local(2026, 3, 4, 9, 0), None)
        .await
        .expect("register a classified document")
        .value;
    let task_input = NewTaskInput {
        lead_body: Some(world.org("TU-HNI")),
        deadline: Some("2026-09-30".into()),
        ..Default::default()
    };
    let at = local(2026, 3, 4, 10, 0);
    let task = world.create_task(&document, &task_input, at).await;
    for (command, reason) in [
        (TaskCommand::Transfer, TRANSFER_REASON),
        (
            TaskCommand::Urge {
                channel: UrgeChannel::Phone,
            },
            URGE_REASON,
        ),
    ] {
        world
            .store
            .execute(task.id, None, |task, parent| {
                let ctx = world.context(&world.office, at, parent);
                task.handle(command.clone(), Some(reason), &ctx)
            })
            .await
            .unwrap_or_else(|error| panic!("{}: {error}", command.name()));
    }
    (document, task.id)
}

fn code_of(error: &StoreError) -> Option<Code> {
    match error {
        StoreError::Domain(DomainError { violations, .. }) if !violations.is_empty() => {
            Some(violations[0].code)
        }
        StoreError::Domain(domain) => Some(domain.code),
        _ => None,
    }
}

async fn classified_rows_hold_no_plaintext(backend: Backend) {
    let world = World::new(backend).await;
    let (document, task) = classified_task(&world).await;

    for needle in [TITLE, SYMBOL, SIGNER, TRANSFER_REASON, URGE_REASON, "Kz7Q"] {
        let found = columns_containing(world.database_url(), needle).await;
        assert!(found.is_empty(), "{needle} stored in clear in {found:?}");
    }

    // The real values come back through the store.
    let opened = world
        .store
        .document(document.id)
        .await
        .expect("read")
        .expect("document");
    assert_eq!(opened.content.title, TITLE);
    assert_eq!(opened.content.symbol.to_string(), SYMBOL);
    assert_eq!(opened.content.signer, SIGNER);
    assert_eq!(opened.content.issue_date, date(2026, 3, 2));
    let history = world.store.task(task).await.expect("read").expect("task");
    let reasons: Vec<Option<&str>> = history
        .events
        .iter()
        .map(|stored| stored.event.reason.as_deref())
        .collect();
    assert!(reasons.contains(&Some(TRANSFER_REASON)), "{reasons:?}");
    assert!(reasons.contains(&Some(URGE_REASON)), "{reasons:?}");
}

async fn cleared_reader_sees_fields(backend: Backend) {
    let world = World::new(backend).await;
    let (document, task) = classified_task(&world).await;
    let scope = Scope::everything(Clearance::Confidential);

    let documents = world
        .store
        .list_documents(&scope, &DocumentFilter::default(), &PageRequest::default())
        .await
        .expect("list documents");
    let listed = documents
        .items
        .iter()
        .find(|listed| listed.id == document.id)
        .expect("the classified document is listed");
    assert_eq!(listed.content.title, TITLE);

    let now = local(2026, 3, 5, 9, 0);
    let tasks = world
        .store
        .list_tasks(
            &scope,
            &TaskFilter::default(),
            TaskSort::Deadline,
            &PageRequest::default(),
            now,
        )
        .await
        .expect("list tasks");
    let row = tasks
        .items
        .iter()
        .find(|row| row.id == task)
        .expect("the classified task is listed");
    assert_eq!(row.document_symbol, SYMBOL);
    let single = world
        .store
        .task_row(&scope, task, now)
        .await
        .expect("task row")
        .expect("visible");
    assert_eq!(single.document_symbol, SYMBOL);

    // Search words of classified records are not stored, so the title finds nothing.
    let filter = DocumentFilter {
        text: Some("Kz7Q".into()),
        ..Default::default()
    };
    let found = world
        .store
        .list_documents(&scope, &filter, &PageRequest::default())
        .await
        .expect("search");
    assert!(found.items.is_empty());
}

async fn uncleared_reader_sees_nothing(backend: Backend) {
    let world = World::new(backend).await;
    let (document, task) = classified_task(&world).await;
    let scope = Scope::everything(Clearance::Normal);
    let now = local(2026, 3, 5, 9, 0);

    let visible = world
        .store
        .visible_document(&scope, document.id)
        .await
        .expect("read");
    assert!(visible.is_none());
    let row = world
        .store
        .task_row(&scope, task, now)
        .await
        .expect("task row");
    assert!(row.is_none());
    let documents = world
        .store
        .list_documents(&scope, &DocumentFilter::default(), &PageRequest::default())
        .await
        .expect("list documents");
    assert!(
        documents
            .items
            .iter()
            .all(|listed| listed.id != document.id)
    );
}

async fn swapped_ciphertext_detected(backend: Backend) {
    let world = World::new(backend).await;
    let (document, _) = classified_task(&world).await;
    theodoi_store::install_drivers();
    let mut conn = AnyConnection::connect(world.database_url())
        .await
        .expect("connect");
    // Give the title the signer's ciphertext, which is valid under the same key.
    sqlx::query(
        "UPDATE secure_values SET nonce = (SELECT s.nonce FROM secure_values s \
         WHERE s.owner = 'documents' AND s.owner_id = $1 AND s.field = 'signer'), \
         ciphertext = (SELECT s.ciphertext FROM secure_values s \
         WHERE s.owner = 'documents' AND s.owner_id = $1 AND s.field = 'signer') \
         WHERE owner = 'documents' AND owner_id = $1 AND field = 'title'",
    )
    .bind(document.id.0)
    .execute(&mut conn)
    .await
    .expect("swap");
    let error = world
        .store
        .document(document.id)
        .await
        .expect_err("a swapped value must not open");
    assert!(
        error.to_string().contains("failed authentication"),
        "{error}"
    );
    let report = world.store.check_integrity().await.expect("check");
    assert!(
        report
            .findings
            .iter()
            .any(|finding| format!("{finding:?}").contains("documents")),
        "{:?}",
        report.findings
    );
}

async fn altered_ciphertext_detected(backend: Backend) {
    let world = World::new(backend).await;
    let (_, task) = classified_task(&world).await;
    theodoi_store::install_drivers();
    let mut conn = AnyConnection::connect(world.database_url())
        .await
        .expect("connect");
    // Replace the first base64 character of every sealed payload of the task's events.
    let changed = sqlx::query(
        "UPDATE secure_values SET ciphertext = \
         (CASE WHEN substr(ciphertext, 1, 1) = 'A' THEN 'B' ELSE 'A' END) || substr(ciphertext, 2) \
         WHERE owner = 'task_events' AND field = 'payload' \
         AND owner_id IN (SELECT id FROM task_events WHERE task_id = $1)",
    )
    .bind(task.0)
    .execute(&mut conn)
    .await
    .expect("alter")
    .rows_affected();
    assert!(changed >= 3, "{changed} payloads altered");
    let error = world
        .store
        .task(task)
        .await
        .expect_err("an altered value must not open");
    assert!(
        error.to_string().contains("failed authentication"),
        "{error}"
    );
    let report = world.store.check_integrity().await.expect("check");
    assert!(
        report
            .findings
            .iter()
            .any(|finding| format!("{finding:?}").contains("failed authentication")),
        "{:?}",
        report.findings
    );
}

async fn duplicate_symbol_found_by_blind_index(backend: Backend) {
    let world = World::new(backend).await;
    classified_task(&world).await;
    let at = local(2026, 3, 6, 9, 0);
    for level in [Confidentiality::Secret, Confidentiality::Normal] {
        let mut input = classified_input(&world, level);
        input.title = Some("Another document".into());
        let error = world
            .try_register(&input, at, None)
            .await
            .expect_err("the symbol is taken in 2026");
        assert_eq!(code_of(&error), Some(Code::SymbolDuplicate), "{level:?}");
    }
    // The same symbol in another year is free.
    let input = world.document_input(
        "resolution",
        SYMBOL,
        "Next year",
        date(2027, 1, 4),
        Confidentiality::Secret,
    );
    world
        .try_register(&input, local(2027, 1, 4, 9, 0), None)
        .await
        .expect("same symbol, next year");
}

async fn no_key_refuses_classified(backend: Backend) {
    let world = World::new(backend).await;
    let (document, task) = classified_task(&world).await;
    let store = world.store_with(None).await;
    assert!(!store.secure_zone_open());

    let error = store
        .document(document.id)
        .await
        .expect_err("no key, no classified read");
    assert_eq!(code_of(&error), Some(Code::SecureZoneUnavailable));
    let error = store.task(task).await.expect_err("no key, no history");
    assert_eq!(code_of(&error), Some(Code::SecureZoneUnavailable));

    let mut input = classified_input(&world, Confidentiality::Secret);
    input.symbol = Some("918-NQ/TW".into());
    let content = input
        .validate(&world.orgs, date(2026, 3, 6))
        .expect("valid input");
    let error = store
        .register_document(
            &theodoi_store::DocumentRegistration {
                content: &content,
                entry_due: local(2026, 3, 9, 17, 0),
                calendar_version: &world.calendar.version().0,
                actor: &world.office,
                now: local(2026, 3, 6, 9, 0),
                reason: None,
            },
            None,
        )
        .await
        .expect_err("no key, no classified write");
    assert_eq!(code_of(&error), Some(Code::SecureZoneUnavailable));
    assert!(
        columns_containing(world.database_url(), "918-NQ/TW")
            .await
            .is_empty()
    );

    // Normal data still works, and the integrity check skips only the sealed replay.
    let normal = world
        .resolution("12-NQ/TW", "Nghị quyết thường", date(2026, 3, 2))
        .await;
    assert!(store.document(normal.id).await.expect("read").is_some());
    let report = store.check_integrity().await.expect("check");
    assert_eq!(report.sealed_unchecked, 1);
    assert!(report.is_clean(), "{:?}", report.findings);
    let report = world.store.check_integrity().await.expect("check with key");
    assert_eq!(report.sealed_unchecked, 0);
    assert!(report.is_clean(), "{:?}", report.findings);
}

async fn rotation_reencrypts_everything(backend: Backend) {
    let world = World::new(backend).await;
    let (document, task) = classified_task(&world).await;
    let before = world.store.task(task).await.expect("read").expect("task");
    let old = world.secure_key().clone();
    let new = SecureKey::generate();

    let report = world
        .store
        .rotate_secure_key(&old, &new)
        .await
        .expect("rotate");
    assert_eq!(report.documents, 1);
    assert!(report.values >= 4 + 3, "{report:?}");
    assert_eq!(report.already_rotated, 0);

    let with_old = world.store_with(Some(old.clone())).await;
    let error = with_old
        .document(document.id)
        .await
        .expect_err("the old key no longer opens the data");
    assert!(
        error.to_string().contains("not the configured key"),
        "{error}"
    );

    let with_new = world.store_with(Some(new.clone())).await;
    let opened = with_new
        .document(document.id)
        .await
        .expect("read")
        .expect("document");
    assert_eq!(opened.content, document.content);
    let after = with_new.task(task).await.expect("read").expect("task");
    assert_eq!(after.events, before.events);
    let report = with_new.check_integrity().await.expect("check");
    assert!(report.is_clean(), "{:?}", report.findings);

    // The blind index follows the new key: the symbol is still taken.
    let mut input = classified_input(&world, Confidentiality::Secret);
    input.title = Some("Another document".into());
    let content = input
        .validate(&world.orgs, date(2026, 3, 6))
        .expect("valid input");
    let error = with_new
        .register_document(
            &theodoi_store::DocumentRegistration {
                content: &content,
                entry_due: local(2026, 3, 9, 17, 0),
                calendar_version: &world.calendar.version().0,
                actor: &world.office,
                now: local(2026, 3, 6, 9, 0),
                reason: None,
            },
            None,
        )
        .await
        .expect_err("duplicate after rotation");
    assert_eq!(code_of(&error), Some(Code::SymbolDuplicate));

    // Running it again from a key that does not open the data changes nothing.
    let error = with_new
        .rotate_secure_key(&SecureKey::generate(), &SecureKey::generate())
        .await
        .expect_err("a wrong old key");
    assert!(error.to_string().contains("nothing was changed"), "{error}");
    assert!(with_new.document(document.id).await.is_ok());
}

async fn backup_copies_sealed_values(backend: Backend) {
    let world = World::new(backend).await;
    let (document, task) = classified_task(&world).await;
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("backup.db");
    transfer::backup(world.database_url(), &file, false, &NoProgress)
        .await
        .expect("backup");
    let backup_url = format!("sqlite://{}", file.display());
    for needle in [TITLE, SYMBOL, SIGNER, URGE_REASON] {
        let found = columns_containing(&backup_url, needle).await;
        assert!(found.is_empty(), "{needle} in the backup's {found:?}");
    }

    for target_backend in [Backend::Sqlite, Backend::Postgres] {
        let target = TestDatabase::create(target_backend).await;
        transfer::restore(&file, &target.url, Existing::Reject, &NoProgress)
            .await
            .expect("restore");
        let restored = Store::open(&target.url)
            .await
            .expect("open")
            .with_secure_key(world.secure_key().clone());
        let opened = restored
            .document(document.id)
            .await
            .expect("read")
            .expect("document");
        assert_eq!(opened.content.title, TITLE, "{target_backend:?}");
        let history = restored.task(task).await.expect("read").expect("task");
        assert!(
            history
                .events
                .iter()
                .any(|stored| stored.event.reason.as_deref() == Some(URGE_REASON))
        );
        restored.close().await;
    }
}

async fn top_secret_leaves_no_trace(backend: Backend) {
    let world = World::new(backend).await;
    let mut input = world.document_input(
        "resolution",
        "931-NQ/TW",
        "Tuyệt mật Kz9W",
        date(2026, 3, 2),
        Confidentiality::TopSecret,
    );
    input.signer = Some("Người ký Kz9W".into());
    let error = input
        .validate(&world.orgs, date(2026, 3, 2))
        .expect_err("Tuyệt mật is refused");
    assert_eq!(error.violations[0].code, Code::TopSecretRefused);
    for needle in ["Kz9W", "931-NQ/TW"] {
        let found = columns_containing(world.database_url(), needle).await;
        assert!(found.is_empty(), "{needle} in {found:?}");
    }
    assert!(!format!("{error:?}").contains("Kz9W"));
    assert!(!format!("{error:?}").contains("931"));

    // Content built in code, as the benchmark generator does, is rejected by the store too.
    let mut bypass = world.document_input(
        "resolution",
        "932-NQ/TW",
        "Tuyệt mật Kz9X",
        date(2026, 3, 2),
        Confidentiality::Secret,
    );
    bypass.signer = Some("Người ký Kz9X".into());
    let mut content = bypass
        .validate(&world.orgs, date(2026, 3, 2))
        .expect("valid as Tối mật");
    content.confidentiality = Confidentiality::TopSecret;
    let mut writer = world.store.bulk_writer().await.expect("bulk writer");
    let error = writer
        .register_document(&theodoi_store::DocumentRegistration {
            content: &content,
            entry_due: local(2026, 3, 5, 17, 0),
            calendar_version: &world.calendar.version().0,
            actor: &world.office,
            now: local(2026, 3, 2, 9, 0),
            reason: None,
        })
        .await
        .expect_err("the bulk writer rejects Tuyệt mật");
    assert_eq!(code_of(&error), Some(Code::TopSecretRefused));
    drop(writer);
    for needle in ["Kz9X", "932-NQ/TW"] {
        let found = columns_containing(world.database_url(), needle).await;
        assert!(found.is_empty(), "{needle} in {found:?}");
    }
}

on_both_backends!(
    classified_rows_hold_no_plaintext,
    cleared_reader_sees_fields,
    uncleared_reader_sees_nothing,
    swapped_ciphertext_detected,
    altered_ciphertext_detected,
    duplicate_symbol_found_by_blind_index,
    no_key_refuses_classified,
    rotation_reencrypts_everything,
    backup_copies_sealed_values,
    top_secret_leaves_no_trace,
);
