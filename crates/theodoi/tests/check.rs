//! `theodoi check` as an operator runs it, on both backends: a clean database passes with a
//! report in the chosen language, and damage made behind the server's back fails the check.

use sqlx::{AnyConnection, Connection};
use std::process::Command;
use theodoi_store::testing::TestDatabase;
use theodoi_store::{Backend, on_both_backends};

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn theodoi(args: &[&str]) -> Outcome {
    let output = Command::new(env!("CARGO_BIN_EXE_theodoi"))
        .args(args)
        .env_remove("THEODOI_LANG")
        .output()
        .expect("run theodoi");
    Outcome {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

async fn check_reports_damage(backend: Backend) {
    let database = TestDatabase::create(backend).await;
    let url = database.url.clone();
    let migrated = theodoi(&["migrate", "--database-url", &url]);
    assert_eq!(migrated.code, Some(0), "{}", migrated.stderr);

    let clean = theodoi(&["check", "--database-url", &url]);
    assert_eq!(clean.code, Some(0), "{}{}", clean.stdout, clean.stderr);
    assert!(
        clean
            .stdout
            .contains("Kết quả: không phát hiện sai lệch nào."),
        "Vietnamese by default: {}",
        clean.stdout
    );
    assert!(
        clean.stdout.contains("Bảng dữ liệu đọc"),
        "lists the checks: {}",
        clean.stdout
    );
    let sqlite_check = clean.stdout.contains("PRAGMA integrity_check");
    assert_eq!(sqlite_check, backend == Backend::Sqlite, "{}", clean.stdout);

    // A coordinator row of a task that does not exist, written with foreign keys off.
    theodoi_store::install_drivers();
    let mut connection = AnyConnection::connect(&url).await.expect("connect");
    let off = match backend {
        Backend::Sqlite => "PRAGMA foreign_keys = OFF",
        Backend::Postgres => "SET session_replication_role = replica",
    };
    for statement in [
        off,
        "INSERT INTO task_coordinators (task_id, org_id) VALUES (424242, 1)",
    ] {
        sqlx::query(statement)
            .execute(&mut connection)
            .await
            .unwrap_or_else(|error| panic!("{statement}: {error}"));
    }
    connection.close().await.expect("close");

    let damaged = theodoi(&["check", "--database-url", &url, "--lang", "en"]);
    assert_eq!(
        damaged.code,
        Some(1),
        "{}{}",
        damaged.stdout,
        damaged.stderr
    );
    assert!(
        damaged.stdout.contains("Result: 1 findings."),
        "{}",
        damaged.stdout
    );
    assert!(
        damaged.stdout.contains(
            "Table task_coordinators: 1 rows whose column task_id points to a missing row of table tasks."
        ),
        "{}",
        damaged.stdout
    );
    assert!(
        damaged.stdout.contains("Back up the database"),
        "{}",
        damaged.stdout
    );
}

on_both_backends!(check_reports_damage);

#[test]
fn check_without_database_fails_with_hint() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let data_dir = dir.path().join("missing");
    let outcome = theodoi(&[
        "check",
        "--data-dir",
        data_dir.to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(outcome.code, Some(1));
    assert!(
        outcome.stderr.contains("no database file"),
        "{}",
        outcome.stderr
    );
    assert!(outcome.stderr.contains("--data-dir"), "{}", outcome.stderr);
    assert!(!data_dir.exists(), "the check creates nothing");
}

#[test]
fn check_help_explains_options() {
    let outcome = theodoi(&["check", "--help"]);
    assert_eq!(outcome.code, Some(0));
    for word in [
        "--data-dir",
        "--database-url",
        "--lang",
        "status 1",
        "vi",
        "en",
    ] {
        assert!(
            outcome.stdout.contains(word),
            "--help lacks {word}:\n{}",
            outcome.stdout
        );
    }
}
