//! `theodoi secure-zone` as an operator runs it, on both backends: generate two keys, rotate a
//! database with a classified document from one to the other, and check it with each.

use jiff::civil::date;
use std::path::Path;
use std::process::Command;
use theodoi_domain::document::{DocumentInput, entry_due};
use theodoi_domain::org::OrgTree;
use theodoi_domain::user::{Actor, Clearance, Role};
use theodoi_store::testing::{TestDatabase, columns_containing};
use theodoi_store::{Backend, DocumentRegistration, NewUser, SecureKey, Store, on_both_backends};

const TITLE: &str = "Kết luận mật về quốc phòng Wq4R";

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn theodoi(args: &[&str], env: &[(&str, &str)]) -> Outcome {
    let output = Command::new(env!("CARGO_BIN_EXE_theodoi"))
        .args(args)
        .env_remove("THEODOI_LANG")
        .env_remove("THEODOI_SECURE_KEY")
        .env_remove("THEODOI_SECURE_KEY_FILE")
        .envs(env.iter().copied())
        .output()
        .expect("run theodoi");
    Outcome {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn generate(path: &Path) -> SecureKey {
    let path_text = path.display().to_string();
    let outcome = theodoi(&["secure-zone", "generate-key", "--out", &path_text], &[]);
    assert_eq!(outcome.code, Some(0), "{}", outcome.stderr);
    SecureKey::read_file(path).expect("the generated key file reads back")
}

/// Registers a Mật document through the store opened with `key`; returns its id.
async fn register_classified(url: &str, key: &SecureKey) -> i64 {
    let store = Store::open(url)
        .await
        .expect("open")
        .with_secure_key(key.clone());
    store
        .seed(jiff::Timestamp::now())
        .await
        .expect("seed reference data");
    let orgs = OrgTree::new(store.organisations().await.expect("organisations"));
    let org = |code: &str| orgs.by_code(code).expect("seeded organisation").id;
    let input = DocumentInput {
        kind: Some("conclusion".into()),
        symbol: Some("44-KL/TW".into()),
        title: Some(TITLE.into()),
        issue_date: Some("2026-02-27".into()),
        signer: Some("Thường trực Ban Bí thư".into()),
        issuing_body: Some(org("VPTW")),
        assigning_authority: Some(org("BBT")),
        monitoring_body: Some(org("VPTW")),
        confidentiality: Some("confidential".into()),
        summary: None,
    };
    let content = input
        .validate(&orgs, date(2026, 3, 2))
        .expect("valid document");
    let calendar = store
        .calendar_overrides()
        .await
        .expect("calendar")
        .calendar();
    let user = store
        .insert_user(
            &NewUser {
                username: "vptw.nhap".into(),
                full_name: "Cán bộ nhập liệu".into(),
                org_id: org("VPTW"),
                roles: vec![Role::CentralOffice],
                clearance: Clearance::Secret,
                password_hash: "not used".into(),
                email: None,
                language: "vi".into(),
            },
            jiff::Timestamp::now(),
        )
        .await
        .expect("insert user");
    let actor = Actor {
        user_id: user.id,
        org_id: org("VPTW"),
        roles: vec![Role::CentralOffice],
        clearance: Clearance::Secret,
    };
    let created = store
        .register_document(
            &DocumentRegistration {
                content: &content,
                entry_due: entry_due(&calendar, content.issue_date),
                calendar_version: &calendar.version().0,
                actor: &actor,
                now: jiff::Timestamp::now(),
                reason: None,
            },
            None,
        )
        .await
        .expect("register");
    store.close().await;
    created.value.id.0
}

async fn title_with(url: &str, key: &SecureKey, id: i64) -> Result<String, String> {
    let store = Store::connect(url)
        .await
        .expect("connect")
        .with_secure_key(key.clone());
    let read = store
        .document(theodoi_domain::ids::DocumentId(id))
        .await
        .map(|document| document.expect("document").content.title)
        .map_err(|error| error.to_string());
    store.close().await;
    read
}

async fn rotation_through_cli(backend: Backend) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let old_file = dir.path().join("old.key");
    let new_file = dir.path().join("new.key");
    let old = generate(&old_file);
    let new = generate(&new_file);
    assert_ne!(old.id(), new.id());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&old_file)
            .expect("key file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "only the owner reads the key file");
    }
    let again = theodoi(
        &[
            "secure-zone",
            "generate-key",
            "--out",
            &old_file.display().to_string(),
        ],
        &[],
    );
    assert_ne!(
        again.code,
        Some(0),
        "an existing key file is never replaced"
    );
    assert_eq!(SecureKey::read_file(&old_file).expect("key").id(), old.id());

    let database = TestDatabase::create(backend).await;
    let url = database.url.clone();
    let id = register_classified(&url, &old).await;
    assert!(columns_containing(&url, "Wq4R").await.is_empty());

    let rotated = theodoi(
        &[
            "secure-zone",
            "rotate-key",
            "--database-url",
            &url,
            "--old-key-file",
            &old_file.display().to_string(),
            "--new-key-file",
            &new_file.display().to_string(),
        ],
        &[],
    );
    assert_eq!(
        rotated.code,
        Some(0),
        "{}{}",
        rotated.stdout,
        rotated.stderr
    );
    // Four document fields and the payload of its registration event.
    assert!(
        rotated.stdout.contains("5 values re-encrypted"),
        "{}",
        rotated.stdout
    );
    assert!(rotated.stdout.contains(new.id()), "{}", rotated.stdout);

    let with_old = title_with(&url, &old, id).await;
    assert!(with_old.is_err(), "the old key still opens: {with_old:?}");
    assert_eq!(title_with(&url, &new, id).await.as_deref(), Ok(TITLE));
    assert!(columns_containing(&url, "Wq4R").await.is_empty());

    // The check reads the key from the file option or, in base64, from the environment.
    let new_path = new_file.display().to_string();
    let by_file = theodoi(
        &[
            "check",
            "--database-url",
            &url,
            "--secure-key-file",
            &new_path,
            "--lang",
            "en",
        ],
        &[],
    );
    assert_eq!(
        by_file.code,
        Some(0),
        "{}{}",
        by_file.stdout,
        by_file.stderr
    );
    let invalid = theodoi(
        &["check", "--database-url", &url, "--lang", "en"],
        &[("THEODOI_SECURE_KEY", "not a key")],
    );
    assert_eq!(
        invalid.code,
        Some(1),
        "{}{}",
        invalid.stdout,
        invalid.stderr
    );
    assert!(
        invalid.stderr.contains("THEODOI_SECURE_KEY"),
        "{}",
        invalid.stderr
    );
    let without = theodoi(&["check", "--database-url", &url, "--lang", "en"], &[]);
    assert_eq!(
        without.code,
        Some(0),
        "{}{}",
        without.stdout,
        without.stderr
    );
    let old_path = old_file.display().to_string();
    let wrong = theodoi(
        &[
            "secure-zone",
            "rotate-key",
            "--database-url",
            &url,
            "--old-key-file",
            &old_path,
            "--new-key-file",
            &old_path,
        ],
        &[],
    );
    assert_ne!(wrong.code, Some(0), "the same key twice is refused");
    assert!(wrong.stderr.contains("same key"), "{}", wrong.stderr);
}

on_both_backends!(rotation_through_cli);
