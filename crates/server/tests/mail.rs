//! E-mail notifications through a real SMTP server on 127.0.0.1 that stores what it receives:
//! who gets which message, what a classified task's message may say, the outbox across a
//! restart and between two processes, retries, and the daily digest.

mod support;

use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use support::fixture::{Cast, document, draft_task, hanoi_task, transfer};
use support::smtp::{Received, SmtpSink};
use support::{Client, TestServer, at};
use theodoi_domain::ids::UserId;
use theodoi_server::mail::{self, MailConfig, Mailer, SmtpTls};
use theodoi_server::{AppState, ManualClock, ServerConfig};
use theodoi_store::{Backend, UserChanges, on_both_backends};

/// Mail settings that send to `sink` in plain SMTP.
fn mail_config(sink: &SmtpSink) -> MailConfig {
    MailConfig {
        host: "127.0.0.1".into(),
        port: sink.port,
        tls: SmtpTls::Off,
        from: "Theo dõi nhiệm vụ <theodoi@vptw.test>".into(),
        username: None,
        password: None,
        public_url: "http://theodoi.test".into(),
    }
}

async fn start(backend: Backend, sink: &SmtpSink) -> TestServer {
    let config = mail_config(sink);
    TestServer::start_with(backend, at("2026-03-02 09:00"), move |settings| {
        settings.mail = Some(config);
    })
    .await
}

/// Gives the user of `client` an address and a language.
async fn set_email(server: &TestServer, client: &Client, address: &str, language: &str) {
    server
        .state
        .store
        .update_user(
            UserId(client.id),
            None,
            &UserChanges {
                email: Some(Some(address.into())),
                language: Some(language.into()),
                ..UserChanges::default()
            },
        )
        .await
        .expect("set e-mail");
}

/// Gives every member of the cast an address `<username>@test.vn`, in Vietnamese.
async fn addresses(server: &TestServer, cast: &Cast) {
    for (client, name) in [
        (&cast.office, "vptw"),
        (&cast.monitor, "vptw.theodoi"),
        (&cast.viewer, "lanhdao"),
        (&cast.hanoi_updater, "hni.capnhat"),
        (&cast.hanoi_approver, "hni.pheduyet"),
        (&cast.hanoi_cleared, "hni.mat"),
        (&cast.coordinator, "btc.dau.moi"),
        (&cast.coordinator_monitor, "btc.theodoi"),
        (&cast.haiphong, "hpg.dau.moi"),
    ] {
        set_email(server, client, &format!("{name}@test.vn"), "vi").await;
    }
}

async fn deliver(state: &AppState, sink: &SmtpSink) -> mail::Delivery {
    let mailer = Mailer::new(&mail_config(sink)).expect("mailer");
    mail::deliver_due(state, &mailer).await.expect("deliver")
}

/// Returns the recipients of the messages, sorted.
fn recipients(messages: &[Received]) -> Vec<String> {
    let mut all: Vec<String> = messages
        .iter()
        .flat_map(|message| message.to.clone())
        .collect();
    all.sort();
    all
}

fn only(messages: Vec<Received>) -> Received {
    assert_eq!(messages.len(), 1, "{messages:#?}");
    messages.into_iter().next().expect("one message")
}

/// Transfers a new task of Hà Nội due on 30/06/2026, from a new document with `symbol` at
/// `level`; returns its id.
async fn transferred(
    server: &TestServer,
    office: &Client,
    symbol: &str,
    level: &str,
    content: Option<&str>,
) -> i64 {
    let doc = document(server, office, symbol, level).await;
    let task = draft_task(
        office,
        doc,
        hanoi_task(server, content, json!("2026-06-30")),
    )
    .await;
    transfer(office, task).await;
    task
}

async fn notices_reach_the_lead_body(backend: Backend) {
    let sink = SmtpSink::start().await;
    let server = start(backend, &sink).await;
    let cast = Cast::new(&server).await;
    addresses(&server, &cast).await;
    set_email(&server, &cast.hanoi_approver, "hni.pheduyet@test.vn", "en").await;
    let doc = document(&server, &cast.office, "71-KL/TW", "normal").await;
    let task = draft_task(
        &cast.office,
        doc,
        hanoi_task(
            &server,
            Some("Tổng kết thí điểm chuyển đổi số"),
            json!("2026-06-30"),
        ),
    )
    .await;
    transfer(&cast.office, task).await;
    let delivery = deliver(&server.state, &sink).await;
    assert_eq!(delivery.sent, 3, "{delivery:?}");
    assert_eq!(
        recipients(&sink.messages()),
        [
            "hni.capnhat@test.vn",
            "hni.mat@test.vn",
            "hni.pheduyet@test.vn"
        ],
        "only the focal officers of Hà Nội hear of the transfer"
    );
    let vietnamese = only(sink.to("hni.capnhat@test.vn"));
    assert_eq!(
        vietnamese.subject(),
        "[theodoi] Nhiệm vụ được chuyển giao: 71-KL/TW"
    );
    let body = vietnamese.body();
    assert!(
        body.contains("Thành uỷ Hà Nội lúc 02/03/2026 09:00"),
        "{body}"
    );
    assert!(body.contains("Tổng kết thí điểm chuyển đổi số"), "{body}");
    assert!(body.contains("Thời hạn: 30/06/2026"), "{body}");
    assert!(
        body.contains(&format!("http://theodoi.test/tasks/{task}")),
        "{body}"
    );
    let english = only(sink.to("hni.pheduyet@test.vn"));
    assert_eq!(english.subject(), "[theodoi] Task transferred: 71-KL/TW");
    assert!(english.body().contains("Deadline: 30/06/2026"));
    assert!(
        deliver(&server.state, &sink).await.is_empty(),
        "nothing is sent twice"
    );

    // Urging reaches the lead body's focal officers.
    server.set_time("2026-03-03 10:15");
    cast.monitor
        .ok(
            &format!("/api/v1/tasks/{task}/urgings"),
            json!({"channel": "system", "reason": "Đề nghị xác nhận tiếp nhận"}),
        )
        .await;
    deliver(&server.state, &sink).await;
    let urged: Vec<Received> = sink
        .messages()
        .into_iter()
        .filter(|message| message.subject().contains("Đôn đốc"))
        .collect();
    assert_eq!(
        recipients(&urged),
        ["hni.capnhat@test.vn", "hni.mat@test.vn"],
        "the English-speaking approver gets the English subject instead"
    );
    let urged_en = sink.to("hni.pheduyet@test.vn");
    assert_eq!(urged_en.len(), 2);
    assert!(urged_en[1].subject().starts_with("[theodoi] Urged"));
    assert!(urged[0].body().contains("03/03/2026 10:15"));

    // A returned update goes to the updaters; an approved one to the updaters and the
    // monitoring body, never to the officer who acted.
    cast.hanoi_updater
        .ok(&format!("/api/v1/tasks/{task}/receipt"), json!({}))
        .await;
    let update = json!({"status": "in_progress", "percent": 20, "results": "Đã lập kế hoạch"});
    cast.hanoi_updater
        .ok(&format!("/api/v1/tasks/{task}/updates"), update.clone())
        .await;
    cast.hanoi_approver
        .ok(
            &format!("/api/v1/tasks/{task}/updates/1/return"),
            json!({"reason": "Bổ sung số liệu"}),
        )
        .await;
    let before = sink.messages().len();
    deliver(&server.state, &sink).await;
    let returned: Vec<Received> = sink.messages().split_off(before);
    assert_eq!(
        recipients(&returned),
        ["hni.capnhat@test.vn", "hni.mat@test.vn"]
    );
    assert!(
        returned[0]
            .subject()
            .starts_with("[theodoi] Báo cáo tiến độ bị trả lại")
    );

    let (status, body) = cast
        .hanoi_updater
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/tasks/{task}/updates/1"),
            Some(update),
        )
        .await;
    assert!(status.is_success(), "{status} {body}");
    cast.hanoi_approver
        .ok(
            &format!("/api/v1/tasks/{task}/updates/1/approve"),
            json!({}),
        )
        .await;
    let before = sink.messages().len();
    deliver(&server.state, &sink).await;
    let approved: Vec<Received> = sink.messages().split_off(before);
    assert_eq!(
        recipients(&approved),
        [
            "hni.capnhat@test.vn",
            "hni.mat@test.vn",
            "vptw.theodoi@test.vn"
        ]
    );
    for address in [
        "btc.dau.moi@test.vn",
        "btc.theodoi@test.vn",
        "hpg.dau.moi@test.vn",
        "vptw@test.vn",
        "lanhdao@test.vn",
    ] {
        assert!(sink.to(address).is_empty(), "{address} got a message");
    }
}

/// Log lines of the whole test binary, to check that none names a classified field.
fn captured_logs() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter("debug")
            .with_ansi(false)
            .with_writer(move || LogWriter(writer.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("one log subscriber");
        buffer
    })
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Returns every outbox row as text.
async fn outbox_dump(server: &TestServer) -> String {
    let mut connection =
        <sqlx::AnyConnection as sqlx::Connection>::connect(&server.state.config.database_url)
            .await
            .expect("connect");
    let rows: Vec<sqlx::any::AnyRow> = sqlx::query(
        "SELECT id, recipient, event_id, digest_day, status, attempts, claimed_by, last_error \
         FROM mail_outbox ORDER BY id",
    )
    .fetch_all(&mut connection)
    .await
    .expect("outbox rows");
    use sqlx::Row;
    rows.iter()
        .map(|row| {
            format!(
                "{} {} {:?} {:?} {} {} {:?} {:?}",
                row.get::<i64, _>("id"),
                row.get::<i64, _>("recipient"),
                row.get::<Option<i64>, _>("event_id"),
                row.get::<Option<String>, _>("digest_day"),
                row.get::<String, _>("status"),
                row.get::<i64, _>("attempts"),
                row.get::<Option<String>, _>("claimed_by"),
                row.get::<Option<String>, _>("last_error"),
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn classified_notice_says_nothing(backend: Backend) {
    let logs = captured_logs();
    let sink = SmtpSink::start().await;
    let server = start(backend, &sink).await;
    let cast = Cast::new(&server).await;
    addresses(&server, &cast).await;
    let title = "Kết luận MARKER-TITLE về nhân sự";
    let symbol = "93-KL/TW";
    let reason = "MARKER-REASON đề nghị khẩn trương";
    let created = cast
        .office
        .ok(
            "/api/v1/documents",
            json!({
                "kind": "conclusion", "symbol": symbol, "title": title,
                "issue_date": "2026-02-27", "signer": "MARKER-SIGNER",
                "issuing_body": server.org_id("VPTW"), "assigning_authority": server.org_id("BBT"),
                "monitoring_body": server.org_id("VPTW"), "confidentiality": "secret",
                "summary": null
            }),
        )
        .await;
    let doc = created["id"].as_i64().expect("document id");
    let task = draft_task(
        &cast.office,
        doc,
        hanoi_task(&server, None, json!("2026-05-31")),
    )
    .await;
    transfer(&cast.office, task).await;
    cast.monitor
        .ok(
            &format!("/api/v1/tasks/{task}/urgings"),
            json!({"channel": "phone", "reason": reason}),
        )
        .await;
    let outbox = outbox_dump(&server).await;
    deliver(&server.state, &sink).await;

    let messages = sink.messages();
    assert_eq!(
        recipients(&messages),
        ["hni.mat@test.vn", "hni.mat@test.vn"],
        "only the cleared focal officer of Hà Nội hears of a Tối mật task"
    );
    let markers = [
        title,
        "MARKER-TITLE",
        symbol,
        "93-KL",
        reason,
        "MARKER-REASON",
        "MARKER-SIGNER",
        "Hà Nội",
        "Thành uỷ",
        "Ban Tổ chức",
        &format!("/tasks/{task}"),
    ];
    for message in &messages {
        assert_eq!(
            message.subject(),
            "[theodoi] Có nhiệm vụ cần đồng chí quan tâm"
        );
        assert!(
            message
                .body()
                .contains("Đề nghị đồng chí đăng nhập hệ thống để xem: http://theodoi.test/login"),
            "{}",
            message.body()
        );
        let everything = message.everything();
        for marker in markers.iter().map(|marker| marker.to_string()) {
            assert!(
                !everything.contains(&marker),
                "the e-mail shows {marker}: {everything}"
            );
        }
    }
    for marker in markers.iter().map(|marker| marker.to_string()) {
        assert!(!outbox.contains(&marker), "the outbox holds {marker}");
    }
    let logged = String::from_utf8_lossy(&logs.lock().expect("log lock")).into_owned();
    assert!(!logged.is_empty(), "the log capture works");
    for marker in ["MARKER-TITLE", "MARKER-REASON", "MARKER-SIGNER"] {
        assert!(!logged.contains(marker), "a log line shows {marker}");
    }
}

async fn other_province_gets_nothing(backend: Backend) {
    let sink = SmtpSink::start().await;
    let server = start(backend, &sink).await;
    let cast = Cast::new(&server).await;
    addresses(&server, &cast).await;
    // An officer of Hải Phòng with every focal and monitoring role still hears nothing of Hà
    // Nội's tasks.
    let haiphong_all = server
        .user(
            "hpg.tatca",
            "TU-HPG",
            &[
                theodoi_domain::user::Role::Updater,
                theodoi_domain::user::Role::Approver,
                theodoi_domain::user::Role::MonitoringOfficer,
            ],
            theodoi_domain::user::Clearance::Secret,
        )
        .await;
    set_email(&server, &haiphong_all, "hpg.tatca@test.vn", "vi").await;
    for (symbol, level) in [("72-KL/TW", "normal"), ("73-KL/TW", "confidential")] {
        let doc = document(&server, &cast.office, symbol, level).await;
        let content = (level == "normal").then_some("Rà soát quy hoạch");
        let task = draft_task(
            &cast.office,
            doc,
            hanoi_task(&server, content, json!("2026-06-30")),
        )
        .await;
        transfer(&cast.office, task).await;
        cast.monitor
            .ok(
                &format!("/api/v1/tasks/{task}/urgings"),
                json!({"channel": "system", "reason": "Nhắc tiến độ"}),
            )
            .await;
    }
    deliver(&server.state, &sink).await;
    assert!(!sink.messages().is_empty(), "Hà Nội got its notices");
    assert!(sink.to("hpg.dau.moi@test.vn").is_empty());
    assert!(sink.to("hpg.tatca@test.vn").is_empty());
    let normal_only = sink.to("hni.capnhat@test.vn");
    assert_eq!(
        normal_only.len(),
        2,
        "a Thường-cleared officer hears only of the normal task"
    );
}

async fn user_email_is_validated(backend: Backend) {
    let sink = SmtpSink::start().await;
    let server = start(backend, &sink).await;
    let admin = server
        .user(
            "quantri",
            "VPTW",
            &[theodoi_domain::user::Role::Administrator],
            theodoi_domain::user::Clearance::Normal,
        )
        .await;
    let answer = admin
        .post(
            "/api/v1/users",
            json!({"username": "hni.moi", "full_name": "Cán bộ mới", "password": "mat-khau-dai-du",
                   "org_id": server.org_id("TU-HNI"), "roles": ["updater"], "email": "khong-hop-le"}),
        )
        .await;
    let error = support::check::assert_invalid(&answer, "email", "email-invalid");
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|message| message.contains("ten@coquan.vn")),
        "{error}"
    );
    let created = admin
        .ok(
            "/api/v1/users",
            json!({"username": "hni.moi", "full_name": "Cán bộ mới", "password": "mat-khau-dai-du",
                   "org_id": server.org_id("TU-HNI"), "roles": ["updater"],
                   "email": "Can.Bo@HANOI.test.vn"}),
        )
        .await;
    assert_eq!(created["email"], "Can.Bo@hanoi.test.vn");
    let id = created["id"].as_i64().expect("id");
    let (status, cleared) = admin
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(json!({"email": ""})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{cleared}");
    assert!(cleared["email"].is_null(), "an empty address removes it");
}

/// Starts a second process on the same database, with its own clock.
async fn second_process(server: &TestServer, sink: &SmtpSink) -> (AppState, ManualClock) {
    let clock = ManualClock::new(theodoi_server::Clock::now(&server.clock));
    let mut config = ServerConfig::new(server.state.config.database_url.clone());
    config.mail = Some(mail_config(sink));
    let state = theodoi_server::state(config, Arc::new(clock.clone()))
        .await
        .expect("second process");
    (state, clock)
}

async fn outbox_survives_restart(backend: Backend) {
    let sink = SmtpSink::start().await;
    let server = start(backend, &sink).await;
    let cast = Cast::new(&server).await;
    addresses(&server, &cast).await;
    transferred(&server, &cast.office, "74-KL/TW", "normal", Some("Sơ kết")).await;

    // The first process claims the messages and dies before sending them.
    let claimed = server
        .state
        .store
        .claim_mail(
            theodoi_server::Clock::now(&server.clock),
            SignedDuration::from_mins(5),
            20,
        )
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 3);
    server.state.store.close().await;

    let (restarted, clock) = second_process(&server, &sink).await;
    assert!(
        deliver(&restarted, &sink).await.is_empty(),
        "a live claim is left alone"
    );
    clock.advance(SignedDuration::from_mins(5));
    let delivery = deliver(&restarted, &sink).await;
    assert_eq!(delivery.sent, 3, "{delivery:?}");
    assert_eq!(
        recipients(&sink.messages()),
        [
            "hni.capnhat@test.vn",
            "hni.mat@test.vn",
            "hni.pheduyet@test.vn"
        ]
    );
}

async fn two_processes_send_once(backend: Backend) {
    let sink = SmtpSink::start().await;
    let server = start(backend, &sink).await;
    let cast = Cast::new(&server).await;
    addresses(&server, &cast).await;
    for symbol in ["75-KL/TW", "76-KL/TW", "77-KL/TW"] {
        let doc = document(&server, &cast.office, symbol, "normal").await;
        let task = draft_task(
            &cast.office,
            doc,
            hanoi_task(&server, Some("Sơ kết"), json!("2026-06-30")),
        )
        .await;
        transfer(&cast.office, task).await;
    }
    let (other, _clock) = second_process(&server, &sink).await;
    let (first, second) = tokio::join!(deliver(&server.state, &sink), deliver(&other, &sink));
    assert_eq!(first.sent + second.sent, 9, "{first:?} {second:?}");
    assert_eq!(sink.messages().len(), 9, "each message once");
}

async fn failing_smtp_is_retried(backend: Backend) {
    let sink = SmtpSink::start().await;
    let server = start(backend, &sink).await;
    let cast = Cast::new(&server).await;
    set_email(&server, &cast.hanoi_updater, "hni.capnhat@test.vn", "vi").await;
    transferred(&server, &cast.office, "78-KL/TW", "normal", Some("Sơ kết")).await;

    sink.fail_next(1);
    let delivery = deliver(&server.state, &sink).await;
    assert_eq!(delivery.retried, 1, "{delivery:?}");
    assert!(sink.messages().is_empty());
    assert!(
        deliver(&server.state, &sink).await.is_empty(),
        "not before the backoff"
    );
    server.advance(mail::FIRST_RETRY);
    assert_eq!(deliver(&server.state, &sink).await.sent, 1);
    assert_eq!(sink.messages().len(), 1);

    // A server that keeps failing is given up after the last attempt.
    transferred(
        &server,
        &cast.office,
        "79-KL/TW",
        "normal",
        Some("Tổng kết"),
    )
    .await;
    sink.fail_next(usize::MAX);
    for attempt in 1..mail::MAX_ATTEMPTS {
        assert_eq!(deliver(&server.state, &sink).await.retried, 1);
        server.advance(mail::retry_delay(attempt));
    }
    assert_eq!(deliver(&server.state, &sink).await.failed, 1);
    assert!(deliver(&server.state, &sink).await.is_empty());
    assert!(outbox_dump(&server).await.contains(" failed "));
}

async fn digest_lists_due_obligations(backend: Backend) {
    let sink = SmtpSink::start().await;
    let server = start(backend, &sink).await;
    let cast = Cast::new(&server).await;
    addresses(&server, &cast).await;
    transferred(
        &server,
        &cast.office,
        "80-KL/TW",
        "normal",
        Some("Báo cáo chuyên đề"),
    )
    .await;
    let hidden = transferred(&server, &cast.office, "81-KL/TW", "secret", None).await;
    deliver(&server.state, &sink).await;
    let before = sink.messages().len();

    // Receipt was due at 13:00 on 2/3; the next morning it is overdue.
    server.set_time("2026-03-03 06:30");
    assert_eq!(
        mail::digest::run_due(&server.state).await.expect("digest"),
        None
    );
    server.set_time("2026-03-03 07:05");
    assert_eq!(
        mail::digest::run_due(&server.state).await.expect("digest"),
        Some(3)
    );
    assert_eq!(
        mail::digest::run_due(&server.state).await.expect("digest"),
        None,
        "the day's run happens once"
    );
    deliver(&server.state, &sink).await;
    let digests: Vec<Received> = sink.messages().split_off(before);
    assert_eq!(
        recipients(&digests),
        [
            "hni.capnhat@test.vn",
            "hni.mat@test.vn",
            "hni.pheduyet@test.vn"
        ]
    );
    let plain = only(sink.to("hni.capnhat@test.vn").split_off(1));
    assert_eq!(plain.subject(), "[theodoi] Việc cần làm ngày 03/03/2026");
    let body = plain.body();
    assert!(body.contains("Quá hạn:"), "{body}");
    assert!(body.contains("80-KL/TW: Báo cáo chuyên đề"), "{body}");
    assert!(!body.contains("81-KL/TW"), "{body}");
    assert!(!body.contains("nhiệm vụ khác"), "{body}");
    let cleared = only(sink.to("hni.mat@test.vn").split_off(2));
    let body = cleared.body();
    assert!(body.contains("80-KL/TW"), "{body}");
    assert!(
        body.contains("Ngoài ra có 1 nhiệm vụ khác cần đồng chí quan tâm"),
        "{body}"
    );
    assert!(!cleared.everything().contains("81-KL/TW"), "{body}");
    assert!(!cleared.everything().contains(&format!("/tasks/{hidden}")));
}

on_both_backends!(
    notices_reach_the_lead_body,
    classified_notice_says_nothing,
    other_province_gets_nothing,
    user_email_is_validated,
    outbox_survives_restart,
    two_processes_send_once,
    failing_smtp_is_retried,
    digest_lists_due_obligations,
);
