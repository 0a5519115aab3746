//! The `theodoi` command as a user runs it.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

fn theodoi(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_theodoi"))
        .args(args)
        .output()
        .expect("run theodoi");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn holidays_2026_list_days_off_and_makeup_saturdays() {
    let (ok, stdout, stderr) = theodoi(&["calendar", "holidays", "2026", "--json"]);
    assert!(ok, "{stderr}");
    let days: Vec<Value> = serde_json::from_str(&stdout).expect("JSON array");
    let kind_of = |date: &str| {
        days.iter()
            .find(|day| day["date"] == date)
            .map(|day| day["kind"].as_str().unwrap().to_owned())
    };
    assert_eq!(kind_of("2026-01-10").as_deref(), Some("makeup_workday"));
    assert_eq!(kind_of("2026-01-02").as_deref(), Some("swapped"));
    for date in [
        "2026-02-16",
        "2026-02-17",
        "2026-02-18",
        "2026-02-19",
        "2026-02-20",
    ] {
        assert!(kind_of(date).is_some(), "{date} is a day off");
    }
    assert_eq!(kind_of("2026-02-14"), None, "a Saturday off is not listed");
    for day in &days {
        let keys: Vec<&str> = day
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["date", "kind", "name"]);
        assert!(!day["name"].as_str().unwrap().is_empty());
    }
}

#[test]
fn lunar_new_year_1985_differs_from_china() {
    let (ok, stdout, _) = theodoi(&["calendar", "lunar", "1985-01-21", "--json"]);
    assert!(ok);
    let lunar: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        lunar,
        serde_json::json!({"day": 1, "month": 1, "year": 1985, "leap": false})
    );
}

#[test]
fn due_skips_tet_and_weekend() {
    let (ok, stdout, stderr) = theodoi(&[
        "calendar",
        "due",
        "2026-02-13T16:30:00+07:00",
        "--working-hours",
        "4",
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(stdout.trim(), "2026-02-23T11:30:00+07:00");
    let (ok, stdout, _) = theodoi(&[
        "calendar",
        "due",
        "2026-02-13T09:00:00+07:00",
        "--working-days",
        "3",
    ]);
    assert!(ok);
    assert_eq!(stdout.trim(), "2026-02-25T17:00:00+07:00");
    let (ok, stdout, _) = theodoi(&[
        "calendar",
        "due",
        "2026-03-02T08:00:00+07:00",
        "--working-hours",
        "5",
        "--hours",
        "08:00-12:00,13:30-17:00",
    ]);
    assert!(ok);
    assert_eq!(stdout.trim(), "2026-03-02T14:30:00+07:00");
}

#[test]
fn due_rejects_bad_input_with_a_message() {
    let (ok, _, stderr) = theodoi(&["calendar", "due", "yesterday", "--working-hours", "4"]);
    assert!(!ok);
    assert!(stderr.contains("yesterday"), "{stderr}");
    let (ok, _, stderr) = theodoi(&["calendar", "due", "2026-03-02T08:00:00Z"]);
    assert!(!ok);
    assert!(
        stderr.contains("--working-hours") || stderr.contains("working"),
        "{stderr}"
    );
}

#[test]
fn help_explains_options_and_units() {
    for (args, expected) in [
        (
            vec!["serve", "--help"],
            vec![
                "--listen",
                "ADDR:PORT",
                "--data-dir",
                "--database-url",
                "MINUTES",
                "HOURS",
            ],
        ),
        (
            vec!["demo", "--help"],
            vec![
                "--listen",
                "--data-dir",
                "--database-url",
                "--demo-password",
            ],
        ),
        (
            vec!["migrate", "--help"],
            vec!["--data-dir", "--database-url"],
        ),
        (
            vec!["calendar", "due", "--help"],
            vec!["--working-hours", "--working-days", "--hours", "RFC 3339"],
        ),
        (
            vec!["calendar", "holidays", "--help"],
            vec!["--json", "1900"],
        ),
        (
            vec!["calendar", "lunar", "--help"],
            vec!["--json", "YYYY-MM-DD"],
        ),
    ] {
        let (ok, stdout, _) = theodoi(&args);
        assert!(ok, "{args:?}");
        for word in expected {
            assert!(
                stdout.contains(word),
                "{args:?} --help lacks {word}:\n{stdout}"
            );
        }
    }
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_creates_database_and_answers_health() {
    let dir = tempfile::tempdir().unwrap();
    let (server, address, printed) = serve(dir.path());
    assert!(
        printed.iter().any(|line| line.contains("quantri")),
        "the first administrator's login is printed"
    );
    assert!(dir.path().join("theodoi.db").exists());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let status = runtime.block_on(async {
        reqwest::get(format!("{address}/healthz"))
            .await
            .unwrap()
            .status()
    });
    assert_eq!(status, 200);
    drop(server);
}

/// Starts `theodoi serve` on the data folder `dir`; returns the process, its address and its
/// standard output up to the address line.
fn serve(dir: &std::path::Path) -> (Running, String, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_theodoi"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start server");
    let stdout = child.stdout.take().unwrap();
    let server = Running(child);
    let mut printed = Vec::new();
    let mut lines = BufReader::new(stdout).lines();
    let address = loop {
        let line = lines.next().expect("server output").unwrap();
        if let Some(url) = line.strip_prefix("theodoi: ") {
            break url.trim().trim_end_matches('/').to_owned();
        }
        printed.push(line);
    };
    // The pipe stays open for the rest of the output.
    std::thread::spawn(move || lines.for_each(drop));
    (server, address, printed)
}

fn token_request(address: &str, body: Value) -> (u16, Value) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let response = reqwest::Client::new()
            .post(format!("{address}/api/v1/auth/tokens"))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    })
}

#[test]
fn first_admin_code_and_reset_totp() {
    let dir = tempfile::tempdir().unwrap();
    let (server, address, printed) = serve(dir.path());
    let login = printed
        .iter()
        .find(|line| line.contains("quantri"))
        .expect("the first administrator's login is printed");
    let password = login.rsplit(" / ").next().unwrap().trim().to_owned();
    let secret = printed
        .iter()
        .find_map(|line| line.split("TOTP secret: ").nth(1))
        .expect("the TOTP secret is printed")
        .trim()
        .to_owned();
    assert!(
        printed
            .iter()
            .any(|line| line.contains(&format!("oathtool --totp -b {secret}"))),
        "how to get a code: {printed:?}"
    );

    let without = serde_json::json!({"username": "quantri", "password": password});
    let (status, body) = token_request(&address, without.clone());
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["code"], "auth-totp-required");
    let code = theodoi_server::auth::totp::code_at(&secret, jiff::Timestamp::now()).unwrap();
    let mut with_code = without.clone();
    with_code["totp"] = Value::String(code);
    let (status, body) = token_request(&address, with_code);
    assert_eq!(status, 201, "{body}");
    drop(server);

    let (ok, stdout, stderr) = theodoi(&[
        "user",
        "reset-totp",
        "quantri",
        "--data-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("quantri: TOTP secret removed"), "{stdout}");
    let (ok, _, stderr) = theodoi(&[
        "user",
        "reset-totp",
        "khongco",
        "--data-dir",
        dir.path().to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(stderr.contains("no account has the username"), "{stderr}");

    let (_server, address, printed) = serve(dir.path());
    assert!(
        !printed.iter().any(|line| line.contains("TOTP secret")),
        "no second administrator: {printed:?}"
    );
    let (status, body) = token_request(&address, without);
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "auth-totp-enrolment-required");
}
