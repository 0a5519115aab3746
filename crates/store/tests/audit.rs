//! The audit log on both backends. Every event written through the store gets one entry with
//! consecutive numbers, and verification of a clean database finds nothing. Each kind of
//! tampering made directly in the database is found and named by its first entry. The tests
//! drop the append-only triggers first, as an attacker with database access would.

mod support;

use sqlx::{AnyConnection, Connection, Row};
use support::{World, local, progress, task_input};
use theodoi_domain::audit::merkle::{leaf_hash, root};
use theodoi_domain::audit::{
    Entry, Hash, NoteSigner, NoteVerifier, ORIGIN, SecurityEventKind, Source, payload_digest,
};
use theodoi_domain::task::TaskCommand;
use theodoi_store::testing::TestDatabase;
use theodoi_store::transfer::{self, Existing, NoProgress};
use theodoi_store::{
    AuditProblem, Backend, ExportedProblem, SecurityEvent, SecuritySubject, on_both_backends,
};

fn signer() -> NoteSigner {
    NoteSigner::from_seed(ORIGIN, [42; 32])
}

fn verifier() -> NoteVerifier {
    signer().verifier()
}

/// Writes a document, a task through several commands and security events, then a checkpoint.
async fn fill(world: &World) {
    let document = world
        .resolution(
            "15-NQ/TW",
            "Nghị quyết về nhật ký kiểm toán",
            jiff::civil::date(2026, 3, 2),
        )
        .await;
    let hanoi = world.org("TU-HNI");
    let input = task_input(
        "Nhiệm vụ được ghi nhật ký",
        hanoi,
        Some(jiff::civil::date(2026, 6, 30)),
    );
    let task = world
        .create_transferred(&document, &input, local(2026, 3, 2, 10, 0))
        .await;
    world
        .run(
            &world.updater,
            task.id,
            local(2026, 3, 2, 11, 0),
            TaskCommand::ConfirmReceipt,
        )
        .await;
    world
        .report(
            &world.updater,
            &world.approver,
            task.id,
            local(2026, 3, 9, 9, 0),
            progress(40),
        )
        .await;
    for (kind, subject) in [
        (SecurityEventKind::Login, None),
        (
            SecurityEventKind::AccessDenied,
            Some(SecuritySubject {
                kind: "task",
                id: task.id.0,
            }),
        ),
        (SecurityEventKind::Logout, None),
    ] {
        world
            .store
            .record_security_event(&SecurityEvent {
                at: local(2026, 3, 10, 8, 0),
                kind,
                actor: Some(world.updater.user_id),
                body: Some(world.updater.org_id),
                subject,
                detail: Some("GET /api/v1/tasks/{id}".into()),
            })
            .await
            .expect("record a security event");
    }
    world
        .store
        .write_audit_checkpoint(&signer(), local(2026, 3, 10, 9, 0))
        .await
        .expect("write a checkpoint");
}

/// Opens a connection beside the store, as an attacker with database access would, and drops
/// the append-only triggers of every logged table.
async fn attacker(world: &World) -> AnyConnection {
    theodoi_store::install_drivers();
    let mut connection = AnyConnection::connect(world.database_url())
        .await
        .expect("connect beside the store");
    let tables = [
        "task_events",
        "document_events",
        "security_events",
        "audit_log",
        "audit_checkpoints",
    ];
    for table in tables {
        let statements: Vec<String> = match world.backend() {
            Backend::Sqlite => vec![
                format!("DROP TRIGGER {table}_no_update"),
                format!("DROP TRIGGER {table}_no_delete"),
            ],
            Backend::Postgres => vec![format!("DROP TRIGGER {table}_append_only ON {table}")],
        };
        for statement in statements {
            execute(&mut connection, &statement).await;
        }
    }
    if world.backend() == Backend::Sqlite {
        execute(&mut connection, "PRAGMA foreign_keys = OFF").await;
    }
    connection
}

async fn execute(connection: &mut AnyConnection, statement: &str) {
    sqlx::query(sqlx::AssertSqlSafe(statement.to_owned()))
        .execute(&mut *connection)
        .await
        .unwrap_or_else(|error| panic!("{statement}: {error}"));
}

async fn fetch_i64(connection: &mut AnyConnection, query: &str) -> i64 {
    sqlx::query(sqlx::AssertSqlSafe(query.to_owned()))
        .fetch_one(&mut *connection)
        .await
        .unwrap_or_else(|error| panic!("{query}: {error}"))
        .try_get(0)
        .expect("an integer")
}

/// Returns the source table and row id of entry `seq`.
async fn entry_source(connection: &mut AnyConnection, seq: i64) -> (String, i64) {
    let row = sqlx::query("SELECT source, row_id FROM audit_log WHERE seq = $1")
        .bind(seq)
        .fetch_one(&mut *connection)
        .await
        .expect("entry exists");
    (row.get("source"), row.get("row_id"))
}

/// Returns the first entry of `table` after entry `after`.
async fn first_entry_of(connection: &mut AnyConnection, table: &str, after: i64) -> (i64, i64) {
    let row = sqlx::query(
        "SELECT seq, row_id FROM audit_log WHERE source = $1 AND seq > $2 ORDER BY seq LIMIT 1",
    )
    .bind(table)
    .bind(after)
    .fetch_one(&mut *connection)
    .await
    .expect("an entry of the table");
    (row.get("seq"), row.get("row_id"))
}

async fn problem(world: &World) -> Option<AuditProblem> {
    world
        .store
        .verify_audit(&verifier())
        .await
        .expect("verification reads the database")
        .problem
}

async fn audit_clean_database_verifies(backend: Backend) {
    let world = World::new(backend).await;
    fill(&world).await;
    let verification = world.store.verify_audit(&verifier()).await.unwrap();
    assert_eq!(verification.problem, None);
    assert_eq!(verification.checkpoints, 1);

    let mut connection = attacker(&world).await;
    let events = fetch_i64(
        &mut connection,
        "SELECT (SELECT COUNT(*) FROM task_events) + (SELECT COUNT(*) FROM document_events) \
         + (SELECT COUNT(*) FROM security_events)",
    )
    .await;
    assert_eq!(verification.size, events as u64, "one entry per event");
    let last = fetch_i64(&mut connection, "SELECT MAX(seq) FROM audit_log").await;
    assert_eq!(last, events, "numbered from 1 without gaps");

    let checkpoint = world
        .store
        .latest_audit_checkpoint()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(checkpoint.tree_size, verification.size);
    assert_eq!(checkpoint.root, verification.root);
    let again = world
        .store
        .write_audit_checkpoint(&signer(), local(2026, 3, 10, 10, 0))
        .await
        .unwrap();
    assert_eq!(again, checkpoint, "no new checkpoint without new entries");
}

async fn audit_history_is_append_only(backend: Backend) {
    let world = World::new(backend).await;
    fill(&world).await;
    theodoi_store::install_drivers();
    let mut connection = AnyConnection::connect(world.database_url()).await.unwrap();
    for statement in [
        "UPDATE audit_log SET leaf = 'x' WHERE seq = 1",
        "DELETE FROM audit_log WHERE seq = 1",
        "UPDATE security_events SET detail = 'x'",
        "DELETE FROM security_events",
        "DELETE FROM audit_checkpoints",
    ] {
        let result = sqlx::query(sqlx::AssertSqlSafe(statement.to_owned()))
            .execute(&mut connection)
            .await;
        assert!(result.is_err(), "{statement} is rejected");
    }
}

async fn audit_edited_event_is_named(backend: Backend) {
    let world = World::new(backend).await;
    fill(&world).await;
    let mut connection = attacker(&world).await;
    let (seq, row_id) = first_entry_of(&mut connection, "task_events", 0).await;
    execute(
        &mut connection,
        &format!("UPDATE task_events SET reason = 'đã sửa' WHERE id = {row_id}"),
    )
    .await;
    assert_eq!(
        problem(&world).await,
        Some(AuditProblem::EntryAltered {
            seq: seq as u64,
            table: "task_events".into(),
            row_id,
        })
    );
}

async fn audit_edited_document_event_is_named(backend: Backend) {
    let world = World::new(backend).await;
    fill(&world).await;
    let mut connection = attacker(&world).await;
    let (seq, row_id) = first_entry_of(&mut connection, "document_events", 0).await;
    execute(
        &mut connection,
        &format!("UPDATE document_events SET at = at + 1 WHERE id = {row_id}"),
    )
    .await;
    assert_eq!(
        problem(&world).await,
        Some(AuditProblem::EntryAltered {
            seq: seq as u64,
            table: "document_events".into(),
            row_id,
        })
    );
}

async fn audit_edited_leaf_is_named(backend: Backend) {
    let world = World::new(backend).await;
    fill(&world).await;
    let mut connection = attacker(&world).await;
    let (table, row_id) = entry_source(&mut connection, 3).await;
    execute(
        &mut connection,
        &format!(
            "UPDATE audit_log SET leaf = '{}' WHERE seq = 3",
            "00".repeat(32)
        ),
    )
    .await;
    assert_eq!(
        problem(&world).await,
        Some(AuditProblem::EntryAltered {
            seq: 3,
            table,
            row_id
        })
    );
}

async fn audit_deleted_event_is_named(backend: Backend) {
    let world = World::new(backend).await;
    fill(&world).await;
    let mut connection = attacker(&world).await;
    let (seq, row_id) = first_entry_of(&mut connection, "security_events", 0).await;
    execute(
        &mut connection,
        &format!("DELETE FROM security_events WHERE id = {row_id}"),
    )
    .await;
    assert_eq!(
        problem(&world).await,
        Some(AuditProblem::SourceRowMissing {
            seq: seq as u64,
            table: "security_events".into(),
            row_id,
        })
    );
}

async fn audit_deleted_entry_is_named(backend: Backend) {
    let world = World::new(backend).await;
    fill(&world).await;
    let mut connection = attacker(&world).await;
    execute(&mut connection, "DELETE FROM audit_log WHERE seq = 4").await;
    assert_eq!(
        problem(&world).await,
        Some(AuditProblem::EntryMissing { seq: 4 })
    );
}

async fn audit_deleted_tail_is_found(backend: Backend) {
    let world = World::new(backend).await;
    fill(&world).await;
    let mut connection = attacker(&world).await;
    let last = fetch_i64(&mut connection, "SELECT MAX(seq) FROM audit_log").await;
    let (_, row_id) = entry_source(&mut connection, last).await;
    // Both the last security event and its entry go, so that nothing points to a missing row.
    execute(
        &mut connection,
        &format!("DELETE FROM audit_log WHERE seq = {last}"),
    )
    .await;
    execute(
        &mut connection,
        &format!("DELETE FROM security_events WHERE id = {row_id}"),
    )
    .await;
    assert_eq!(
        problem(&world).await,
        Some(AuditProblem::CheckpointBeyondLog {
            size: last as u64,
            log_size: last as u64 - 1,
        })
    );
}

async fn audit_inserted_event_is_named(backend: Backend) {
    let world = World::new(backend).await;
    fill(&world).await;
    let mut connection = attacker(&world).await;
    let user = world.updater.user_id.0;
    execute(
        &mut connection,
        &format!(
            "INSERT INTO security_events (id, at, kind, actor) VALUES (9999, 0, 'login', {user})"
        ),
    )
    .await;
    assert_eq!(
        problem(&world).await,
        Some(AuditProblem::RowNotLogged {
            table: "security_events".into(),
            row_id: 9999,
        })
    );
}

async fn audit_inserted_entry_is_named(backend: Backend) {
    let world = World::new(backend).await;
    fill(&world).await;
    let mut connection = attacker(&world).await;
    // A forged login becomes entry 3: the later entries move up one place, and the forged
    // entry gets the leaf the verifier would compute for it.
    execute(
        &mut connection,
        "UPDATE audit_log SET seq = -seq WHERE seq >= 3",
    )
    .await;
    execute(
        &mut connection,
        "UPDATE audit_log SET seq = 1 - seq WHERE seq < 0",
    )
    .await;
    let user = world.updater.user_id.0;
    execute(
        &mut connection,
        &format!(
            "INSERT INTO security_events (id, at, kind, actor) VALUES (9999, 0, 'login', {user})"
        ),
    )
    .await;
    let entry = Entry {
        seq: 3,
        source: Source::SecurityEvents,
        row_id: 9999,
        at_ms: 0,
        kind: "login",
        actor: Some(user),
        body: None,
        subject: None,
        subject_seq: None,
        payload_digest: payload_digest(&[None, None]),
    };
    let leaf = hex::encode(leaf_hash(&entry.encode()));
    execute(
        &mut connection,
        &format!(
            "INSERT INTO audit_log (seq, source, row_id, leaf) \
             VALUES (3, 'security_events', 9999, '{leaf}')"
        ),
    )
    .await;
    assert_eq!(
        problem(&world).await,
        Some(AuditProblem::EntryInserted {
            seq: 3,
            table: "security_events".into(),
            row_id: 9999,
        })
    );
}

async fn audit_renumbered_deletion_is_named(backend: Backend) {
    let world = World::new(backend).await;
    fill(&world).await;
    let mut connection = attacker(&world).await;
    execute(&mut connection, "DELETE FROM audit_log WHERE seq = 5").await;
    execute(
        &mut connection,
        "UPDATE audit_log SET seq = -seq WHERE seq > 5",
    )
    .await;
    execute(
        &mut connection,
        "UPDATE audit_log SET seq = -seq - 1 WHERE seq < 0",
    )
    .await;
    assert_eq!(
        problem(&world).await,
        Some(AuditProblem::EntryMissing { seq: 5 })
    );
}

async fn audit_reordered_entries_are_named(backend: Backend) {
    let world = World::new(backend).await;
    fill(&world).await;
    let mut connection = attacker(&world).await;
    let (first, first_row) = first_entry_of(&mut connection, "task_events", 0).await;
    let (second, second_row) = first_entry_of(&mut connection, "task_events", first).await;
    execute(
        &mut connection,
        &format!("UPDATE audit_log SET row_id = -1 WHERE seq = {first}"),
    )
    .await;
    execute(
        &mut connection,
        &format!("UPDATE audit_log SET row_id = {first_row} WHERE seq = {second}"),
    )
    .await;
    execute(
        &mut connection,
        &format!("UPDATE audit_log SET row_id = {second_row} WHERE seq = {first}"),
    )
    .await;
    assert_eq!(
        problem(&world).await,
        Some(AuditProblem::EntryAltered {
            seq: first as u64,
            table: "task_events".into(),
            row_id: second_row,
        })
    );
}

async fn audit_reordered_events_are_named(backend: Backend) {
    let world = World::new(backend).await;
    fill(&world).await;
    let mut connection = attacker(&world).await;
    let (first, first_row) = first_entry_of(&mut connection, "task_events", 0).await;
    let (_, second_row) = first_entry_of(&mut connection, "task_events", first).await;
    // The two events swap places in the table's order.
    for (from, to) in [(first_row, -1), (second_row, first_row), (-1, second_row)] {
        execute(
            &mut connection,
            &format!("UPDATE task_events SET id = {to} WHERE id = {from}"),
        )
        .await;
    }
    assert_eq!(
        problem(&world).await,
        Some(AuditProblem::EntryAltered {
            seq: first as u64,
            table: "task_events".into(),
            row_id: first_row,
        })
    );
}

/// Rewrites security event `row_id` and its entry's leaf as the verifier would compute them,
/// so that only the signed checkpoints can show the change.
async fn rewrite_consistently(connection: &mut AnyConnection, seq: i64, row_id: i64) {
    let detail = "GET /api/v1/documents/{id}";
    execute(
        connection,
        &format!("UPDATE security_events SET detail = '{detail}' WHERE id = {row_id}"),
    )
    .await;
    let row = sqlx::query(
        "SELECT at, kind, actor, body, subject_kind, subject_id FROM security_events WHERE id = $1",
    )
    .bind(row_id)
    .fetch_one(&mut *connection)
    .await
    .unwrap();
    let kind: String = row.get("kind");
    let subject_kind: Option<String> = row.get("subject_kind");
    let entry = Entry {
        seq: seq as u64,
        source: Source::SecurityEvents,
        row_id,
        at_ms: row.get("at"),
        kind: &kind,
        actor: row.get("actor"),
        body: row.get("body"),
        subject: row.get("subject_id"),
        subject_seq: None,
        payload_digest: payload_digest(&[subject_kind.as_deref(), Some(detail)]),
    };
    let leaf = hex::encode(leaf_hash(&entry.encode()));
    execute(
        connection,
        &format!("UPDATE audit_log SET leaf = '{leaf}' WHERE seq = {seq}"),
    )
    .await;
}

async fn audit_consistent_rewrite_breaks_checkpoint(backend: Backend) {
    let world = World::new(backend).await;
    fill(&world).await;
    let size = world.store.verify_audit(&verifier()).await.unwrap().size;
    let mut connection = attacker(&world).await;
    let (seq, row_id) = first_entry_of(&mut connection, "security_events", 0).await;
    rewrite_consistently(&mut connection, seq, row_id).await;
    assert_eq!(
        problem(&world).await,
        Some(AuditProblem::CheckpointMismatch { size, after: 0 })
    );
}

async fn audit_exported_checkpoint_detects_rewrite(backend: Backend) {
    let world = World::new(backend).await;
    fill(&world).await;
    let exported = world
        .store
        .latest_audit_checkpoint()
        .await
        .unwrap()
        .unwrap();
    let proven = world
        .store
        .verify_exported_checkpoint(&verifier(), &exported.note)
        .await
        .unwrap();
    assert_eq!(
        proven.map(|checkpoint| checkpoint.size),
        Ok(exported.tree_size)
    );

    // The log grows, so the proof spans more than one size.
    world
        .store
        .record_security_event(&SecurityEvent {
            at: local(2026, 3, 11, 8, 0),
            kind: SecurityEventKind::LoginFailed,
            actor: None,
            body: None,
            subject: None,
            detail: None,
        })
        .await
        .unwrap();
    assert!(
        world
            .store
            .verify_exported_checkpoint(&verifier(), &exported.note)
            .await
            .unwrap()
            .is_ok(),
        "a longer log extends the exported checkpoint"
    );

    // The attacker rewrites an entry and removes the stored checkpoints that would show it.
    let mut connection = attacker(&world).await;
    let (seq, row_id) = first_entry_of(&mut connection, "security_events", 0).await;
    rewrite_consistently(&mut connection, seq, row_id).await;
    execute(&mut connection, "DELETE FROM audit_checkpoints").await;
    assert_eq!(
        problem(&world).await,
        None,
        "nothing stored inside shows it"
    );
    assert_eq!(
        world
            .store
            .verify_exported_checkpoint(&verifier(), &exported.note)
            .await
            .unwrap(),
        Err(ExportedProblem::Inconsistent {
            size: exported.tree_size
        })
    );
}

async fn audit_other_signing_key_is_rejected(backend: Backend) {
    let world = World::new(backend).await;
    fill(&world).await;
    let other = NoteSigner::from_seed(ORIGIN, [1; 32]).verifier();
    let verification = world.store.verify_audit(&other).await.unwrap();
    assert!(
        matches!(
            verification.problem,
            Some(AuditProblem::CheckpointInvalid { .. })
        ),
        "{:?}",
        verification.problem
    );
    let exported = world
        .store
        .latest_audit_checkpoint()
        .await
        .unwrap()
        .unwrap();
    let forged = exported.note.replace(
        &format!("\n{}\n", exported.tree_size),
        &format!("\n{}\n", exported.tree_size + 1),
    );
    assert!(matches!(
        world
            .store
            .verify_exported_checkpoint(&verifier(), &forged)
            .await
            .unwrap(),
        Err(ExportedProblem::Invalid(_))
    ));
}

async fn audit_concurrent_writers_number_consecutively(backend: Backend) {
    let world = World::new(backend).await;
    // A second store on the same database stands for a second server process.
    let other = theodoi_store::Store::open(world.database_url())
        .await
        .unwrap();
    let mut writers = Vec::new();
    for store in [world.store.clone(), other.clone()] {
        let user = world.updater.user_id;
        writers.push(tokio::spawn(async move {
            for minute in 0..15 {
                store
                    .record_security_event(&SecurityEvent {
                        at: local(2026, 3, 10, 8, minute),
                        kind: SecurityEventKind::SecureRead,
                        actor: Some(user),
                        body: None,
                        subject: Some(SecuritySubject {
                            kind: "document",
                            id: 1,
                        }),
                        detail: None,
                    })
                    .await
                    .expect("record");
            }
        }));
    }
    for writer in writers {
        writer.await.unwrap();
    }
    let verification = world.store.verify_audit(&verifier()).await.unwrap();
    assert_eq!(verification.problem, None);
    assert_eq!(verification.size, 30);
    other.close().await;
}

async fn audit_restore_verifies(backend: Backend) {
    let world = World::new(backend).await;
    fill(&world).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    transfer::backup(world.database_url(), &file, false, &NoProgress)
        .await
        .expect("backup");
    for target_backend in [Backend::Sqlite, Backend::Postgres] {
        let target = TestDatabase::create(target_backend).await;
        transfer::restore(&file, &target.url, Existing::Reject, &NoProgress)
            .await
            .unwrap_or_else(|error| panic!("restore into {target_backend:?}: {error}"));
        let restored = theodoi_store::Store::open(&target.url).await.unwrap();
        let verification = restored.verify_audit(&verifier()).await.unwrap();
        assert_eq!(
            verification.problem, None,
            "restored into {target_backend:?}"
        );
        assert_eq!(verification.checkpoints, 1);
        // New entries continue the numbering after the restored ones.
        restored
            .record_security_event(&SecurityEvent {
                at: local(2026, 3, 12, 8, 0),
                kind: SecurityEventKind::Login,
                actor: None,
                body: None,
                subject: None,
                detail: None,
            })
            .await
            .expect("record after restore");
        let after = restored.verify_audit(&verifier()).await.unwrap();
        assert_eq!(after.problem, None);
        assert_eq!(after.size, verification.size + 1);
        restored.close().await;
    }
}

/// Returns the leaf hashes of the log, in order.
async fn leaves(connection: &mut AnyConnection) -> Vec<Hash> {
    sqlx::query("SELECT leaf FROM audit_log ORDER BY seq")
        .fetch_all(&mut *connection)
        .await
        .expect("read the leaves")
        .iter()
        .map(|row| {
            let bytes = hex::decode(row.get::<String, _>("leaf")).expect("hex leaf");
            Hash::try_from(bytes).expect("a SHA-256 leaf")
        })
        .collect()
}

/// Records three more security events, so that the log grows past the checkpoint.
async fn grow(world: &World) {
    for minute in 0..3 {
        world
            .store
            .record_security_event(&SecurityEvent {
                at: local(2026, 3, 11, 8, minute),
                kind: SecurityEventKind::Login,
                actor: Some(world.updater.user_id),
                body: Some(world.updater.org_id),
                subject: None,
                detail: None,
            })
            .await
            .expect("record a security event");
    }
}

async fn audit_checkpoint_extends_signed_tree(backend: Backend) {
    let world = World::new(backend).await;
    fill(&world).await;
    let mut connection = attacker(&world).await;
    let signed = leaves(&mut connection).await;

    // A leaf edited after the first checkpoint stays out of the next one, which goes on from
    // the signed tree instead of hashing the log again.
    execute(
        &mut connection,
        "UPDATE audit_log SET leaf = (SELECT leaf FROM audit_log WHERE seq = 2) WHERE seq = 1",
    )
    .await;
    grow(&world).await;
    let next = world
        .store
        .write_audit_checkpoint(&signer(), local(2026, 3, 11, 9, 0))
        .await
        .expect("write the next checkpoint");
    let added = leaves(&mut connection).await.split_off(signed.len());
    assert_eq!(added.len(), 3);
    let expected: Vec<Hash> = signed.iter().chain(&added).copied().collect();
    assert_eq!(next.tree_size, expected.len() as u64);
    assert_eq!(next.root, root(&expected));
}

async fn audit_checkpoint_without_frontier_rehashes(backend: Backend) {
    let world = World::new(backend).await;
    fill(&world).await;
    let mut connection = attacker(&world).await;
    // A frontier that does not give the signed root, as after a damaged row.
    execute(
        &mut connection,
        &format!(
            "UPDATE audit_checkpoints SET frontier = '{}'",
            "ab".repeat(32)
        ),
    )
    .await;
    grow(&world).await;
    let next = world
        .store
        .write_audit_checkpoint(&signer(), local(2026, 3, 11, 9, 0))
        .await
        .expect("write the next checkpoint");
    assert_eq!(next.root, root(&leaves(&mut connection).await));
    assert_eq!(problem(&world).await, None);

    // The next one goes on from the frontier written with this checkpoint.
    grow(&world).await;
    let last = world
        .store
        .write_audit_checkpoint(&signer(), local(2026, 3, 11, 10, 0))
        .await
        .expect("write the last checkpoint");
    assert_eq!(last.root, root(&leaves(&mut connection).await));
    assert_eq!(problem(&world).await, None);
}

on_both_backends!(
    audit_checkpoint_extends_signed_tree,
    audit_checkpoint_without_frontier_rehashes,
    audit_clean_database_verifies,
    audit_history_is_append_only,
    audit_edited_event_is_named,
    audit_edited_document_event_is_named,
    audit_edited_leaf_is_named,
    audit_deleted_event_is_named,
    audit_deleted_entry_is_named,
    audit_deleted_tail_is_found,
    audit_inserted_event_is_named,
    audit_inserted_entry_is_named,
    audit_renumbered_deletion_is_named,
    audit_reordered_entries_are_named,
    audit_reordered_events_are_named,
    audit_consistent_rewrite_breaks_checkpoint,
    audit_exported_checkpoint_detects_rewrite,
    audit_other_signing_key_is_rejected,
    audit_concurrent_writers_number_consecutively,
    audit_restore_verifies,
);
