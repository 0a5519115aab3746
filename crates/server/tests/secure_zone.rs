//! The secure zone through HTTP on both backends. Tuyệt mật is rejected on every input path with
//! nothing stored or logged. An uncleared user gets the same 404 as for a missing record. A
//! server without a key rejects classified input with a clear message.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex, OnceLock};
use support::fixture::{Cast, document};
use support::web::hidden_field;
use support::{Client, TestServer, at};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::testing::columns_containing;
use theodoi_store::{Backend, on_both_backends};

/// Everything the server logs in this test binary, at debug level and above.
fn captured_log() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                "debug,hyper=info,hyper_util=info,reqwest=info,h2=info",
            ))
            .with_ansi(false)
            .with_writer(move || LogWriter(writer.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("one subscriber per binary");
        buffer
    })
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn log_text() -> String {
    String::from_utf8_lossy(&captured_log().lock().expect("log buffer")).into_owned()
}

async fn office(server: &TestServer) -> Client {
    server
        .user("vptw", "VPTW", &[Role::CentralOffice], Clearance::Secret)
        .await
}

/// Returns a Tuyệt mật document whose title and signer contain `marker`.
fn top_secret_json(server: &TestServer, marker: &str, symbol: &str) -> Value {
    json!({
        "kind": "plan",
        "symbol": symbol,
        "title": format!("Kế hoạch tuyệt mật {marker}"),
        "issue_date": "2026-02-20",
        "signer": format!("Người ký {marker}"),
        "issuing_body": server.org_id("VPTW"),
        "assigning_authority": server.org_id("BBT"),
        "monitoring_body": server.org_id("VPTW"),
        "confidentiality": "top_secret"
    })
}

async fn top_secret_leaves_no_trace(backend: Backend) {
    captured_log();
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let office = office(&server).await;
    let marker = format!("Zq{}", if backend == Backend::Sqlite { "S" } else { "P" });
    let symbol = if backend == Backend::Sqlite {
        "971-KH/TW"
    } else {
        "972-KH/TW"
    };
    let refused = top_secret_json(&server, &marker, symbol);

    // The API, with and without an idempotency key.
    for key in [None, Some("tuyet-mat-key")] {
        let mut request = office
            .request(Method::POST, "/api/v1/documents")
            .json(&refused);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        let response = request.send().await.expect("request");
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let text = response.text().await.expect("body");
        assert!(text.contains("document-top-secret-refused"), "{text}");
        assert!(!text.contains(&marker), "{text}");
    }

    // The API's correction of an existing document.
    let existing = document(&server, &office, "15-KL/TW", "normal").await;
    let (status, body) = office
        .send(
            Method::PATCH,
            &format!("/api/v1/documents/{existing}"),
            Some(json!({
                "confidentiality": "top_secret",
                "title": format!("Kế hoạch tuyệt mật {marker}"),
                "symbol": symbol
            })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(!body.to_string().contains(&marker), "{body}");

    // The entry form, saved and previewed.
    server
        .user(
            "vptw.web",
            "VPTW",
            &[Role::CentralOffice],
            Clearance::Secret,
        )
        .await;
    let browser = server.browser("vptw.web").await;
    let fields: Vec<(String, String)> = [
        ("kind", "plan".to_owned()),
        ("symbol", symbol.to_owned()),
        ("title", format!("Kế hoạch tuyệt mật {marker}")),
        ("issue_date", "20/02/2026".to_owned()),
        ("signer", format!("Người ký {marker}")),
        ("issuing_body", server.org_id("VPTW").to_string()),
        ("assigning_authority", server.org_id("BBT").to_string()),
        ("monitoring_body", server.org_id("VPTW").to_string()),
        ("confidentiality", "top_secret".to_owned()),
        ("tasks[0].lead_body", server.org_id("TU-HNI").to_string()),
        ("tasks[0].deadline", "30/06/2026".to_owned()),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect();
    for (path, action, expected) in [
        ("/documents/new", "save", StatusCode::UNPROCESSABLE_ENTITY),
        (
            "/documents/new",
            "save_transfer",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("/documents/preview", "preview", StatusCode::OK),
    ] {
        let (_, page) = browser.get("/documents/new").await;
        let key = hidden_field(&page, "_idem").expect("idempotency key");
        let mut form = vec![
            ("_idem".to_owned(), key),
            ("action".to_owned(), action.to_owned()),
        ];
        form.extend(fields.clone());
        let (status, _, page) = browser.post_pairs(path, &form).await;
        assert_eq!(status, expected, "{path} {action}");
        assert!(
            page.contains("Tuyệt mật"),
            "{path} {action} names the refusal"
        );
        assert!(
            !page.contains(&marker),
            "{path} {action} shows the refused title"
        );
        assert!(
            !page.contains(symbol),
            "{path} {action} shows the refused symbol"
        );
    }

    let url = &server.state.config.database_url;
    for needle in [marker.as_str(), symbol] {
        let found = columns_containing(url, needle).await;
        assert!(found.is_empty(), "{needle} stored in {found:?}");
    }
    let log = log_text();
    assert!(
        log.contains("/api/v1/documents"),
        "the log capture sees requests"
    );
    assert!(!log.contains(&marker), "the log holds the refused title");
    assert!(!log.contains(symbol), "the log holds the refused symbol");
}

async fn uncleared_user_gets_same_404(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let classified = document(&server, &cast.office, "16-KL/TW", "secret").await;
    let opened = cast
        .office
        .fetch(&format!("/api/v1/documents/{classified}"))
        .await;
    assert_eq!(opened["symbol"], "16-KL/TW", "{opened}");

    // A leader reads every body's records, and this one has no clearance.
    let uncleared = server
        .user(
            "lanhdao.thuong",
            "VPTW",
            &[Role::LeaderViewer],
            Clearance::Normal,
        )
        .await;
    let missing = uncleared.get("/api/v1/documents/987654").await;
    let hidden = uncleared
        .get(&format!("/api/v1/documents/{classified}"))
        .await;
    assert_eq!(hidden.0, StatusCode::NOT_FOUND);
    assert_eq!(hidden, missing);
    let (_, list) = uncleared.get("/api/v1/documents").await;
    assert!(!list.to_string().contains("16-KL/TW"), "{list}");
}

async fn server_without_key_refuses_classified(backend: Backend) {
    let server = TestServer::start_with_key(backend, at("2026-03-02 09:00"), false).await;
    let office = office(&server).await;
    for (client, expected) in [
        (office.clone(), "khoá của vùng bảo mật"),
        (office.english(), "secure-zone key"),
    ] {
        let (status, body) = client
            .post(
                "/api/v1/documents",
                json!({
                    "kind": "conclusion",
                    "symbol": "17-KL/TW",
                    "title": "Kết luận mật",
                    "issue_date": "2026-02-27",
                    "signer": "Thường trực Ban Bí thư",
                    "issuing_body": server.org_id("VPTW"),
                    "assigning_authority": server.org_id("BBT"),
                    "monitoring_body": server.org_id("VPTW"),
                    "confidentiality": "confidential"
                }),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(
            body["details"]["fields"][0]["field"], "confidentiality",
            "{body}"
        );
        assert_eq!(
            body["details"]["fields"][0]["code"], "secure-zone-unavailable",
            "{body}"
        );
        assert!(
            body.to_string().contains(expected),
            "{expected:?} in {body}"
        );
    }
    // Normal documents and the lists keep working.
    let normal = document(&server, &office, "18-KL/TW", "normal").await;
    let (status, list) = office.get("/api/v1/documents").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert!(list.to_string().contains(&normal.to_string()));
    assert!(
        columns_containing(&server.state.config.database_url, "17-KL/TW")
            .await
            .is_empty()
    );
}

/// The security events of `kind` recorded so far, as (actor, subject kind, subject id).
async fn security_events(server: &TestServer, kind: &str) -> Vec<(i64, String, i64)> {
    theodoi_store::install_drivers();
    let mut conn =
        <sqlx::AnyConnection as sqlx::Connection>::connect(&server.state.config.database_url)
            .await
            .expect("connect");
    sqlx::query_as::<_, (i64, String, i64)>(
        "SELECT actor, subject_kind, subject_id FROM security_events WHERE kind = $1 ORDER BY id",
    )
    .bind(kind)
    .fetch_all(&mut conn)
    .await
    .expect("security events")
}

async fn opening_a_classified_record_is_audited(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let normal = document(&server, &cast.office, "17-KL/TW", "normal").await;
    let classified = document(&server, &cast.office, "18-KL/TW", "confidential").await;
    let before = security_events(&server, "secure_read").await;

    cast.office
        .fetch(&format!("/api/v1/documents/{normal}"))
        .await;
    assert_eq!(security_events(&server, "secure_read").await, before);

    cast.office
        .fetch(&format!("/api/v1/documents/{classified}"))
        .await;
    let (status, _) = cast
        .office
        .get(&format!("/api/v1/documents/{classified}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = cast.office.get("/api/v1/documents").await;
    assert_eq!(status, StatusCode::OK);
    let after = security_events(&server, "secure_read").await;
    let office = cast.office.id;
    let new: Vec<_> = after[before.len()..].to_vec();
    assert_eq!(
        new,
        vec![
            (office, "document".to_owned(), classified),
            (office, "document".to_owned(), classified),
            (office, "document".to_owned(), classified),
        ],
        "one read per request that opened the document, the list included"
    );
}

on_both_backends!(
    opening_a_classified_record_is_audited,
    top_secret_leaves_no_trace,
    uncleared_user_gets_same_404,
    server_without_key_refuses_classified,
);
