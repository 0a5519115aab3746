//! Error responses of the document endpoints over HTTP, on both backends: symbols, required
//! fields, duplicates, Tuyệt mật and classified documents, idempotency keys, list filters,
//! visibility, corrections with `If-Match`, task groups and bulk transfer.

mod support;

use reqwest::header::ETAG;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::check::{assert_english, assert_error, assert_invalid, field_error, field_names};
use support::{Client, TestServer, at, read};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{Backend, on_both_backends};

/// A valid resolution issued on 27/02/2026, with `changes` applied on top.
fn resolution(server: &TestServer, changes: Value) -> Value {
    let mut body = json!({
        "kind": "resolution",
        "symbol": "57-NQ/TW",
        "title": "Nghị quyết về đột phá phát triển khoa học, công nghệ",
        "issue_date": "2026-02-27",
        "signer": "Tổng Bí thư",
        "issuing_body": server.org_id("VPTW"),
        "assigning_authority": server.org_id("BCT"),
        "monitoring_body": server.org_id("VPTW"),
        "summary": "Giao các cơ quan triển khai nghị quyết"
    });
    let object = body.as_object_mut().expect("object");
    for (name, value) in changes.as_object().expect("changes").clone() {
        if value.is_null() {
            object.remove(&name);
        } else {
            object.insert(name, value);
        }
    }
    body
}

async fn office(server: &TestServer) -> Client {
    server
        .user("vptw", "VPTW", &[Role::CentralOffice], Clearance::Secret)
        .await
}

/// Sends `body` with extra headers.
async fn send_with(
    client: &Client,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: &Value,
) -> (StatusCode, Value) {
    let mut request = client.request(method, path).json(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    read(request.send().await.expect("request")).await
}

async fn document_count(client: &Client) -> usize {
    client.fetch("/api/v1/documents?limit=500").await["items"]
        .as_array()
        .expect("items")
        .len()
}

async fn symbol_errors(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let office = office(&server).await;

    for symbol in [
        "57NQ/TW",
        "57-XX/TW",
        "NQ/TW",
        "57-NQ",
        "57-NQ/",
        "0-NQ/TW",
        "1234567-NQ/TW",
    ] {
        let answer = office
            .post(
                "/api/v1/documents",
                resolution(&server, json!({"symbol": symbol})),
            )
            .await;
        let entry = assert_invalid(&answer, "symbol", "symbol-invalid");
        assert!(
            entry["message"].as_str().unwrap_or("").contains(symbol),
            "{symbol}: {entry}"
        );
        assert_eq!(field_names(&answer.1), ["symbol"], "{symbol}");
    }
    let answer = office
        .post(
            "/api/v1/documents",
            resolution(&server, json!({"symbol": ""})),
        )
        .await;
    assert_invalid(&answer, "symbol", "symbol-invalid");

    // A directive's symbol on a resolution names both abbreviations.
    let answer = office
        .post(
            "/api/v1/documents",
            resolution(&server, json!({"symbol": "57-CT/TW"})),
        )
        .await;
    let entry = assert_invalid(&answer, "symbol", "symbol-kind-mismatch");
    let message = entry["message"].as_str().unwrap_or("");
    assert!(
        message.contains("CT") && message.contains("NQ"),
        "{message}"
    );

    let vi = office
        .post(
            "/api/v1/documents",
            resolution(&server, json!({"symbol": "57-XX/TW"})),
        )
        .await;
    let en = office
        .english()
        .post(
            "/api/v1/documents",
            resolution(&server, json!({"symbol": "57-XX/TW"})),
        )
        .await;
    assert_english(&vi.1, &en.1);
    let vi = office
        .post(
            "/api/v1/documents",
            resolution(&server, json!({"symbol": "57-CT/TW"})),
        )
        .await;
    let en = office
        .english()
        .post(
            "/api/v1/documents",
            resolution(&server, json!({"symbol": "57-CT/TW"})),
        )
        .await;
    assert_english(&vi.1, &en.1);
    assert_eq!(document_count(&office).await, 0);
}

async fn field_errors(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let office = office(&server).await;

    // Every missing field is reported at once, and the summary counts them.
    let answer = office.post("/api/v1/documents", json!({})).await;
    let body = assert_error(
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
    );
    let required = [
        "kind",
        "symbol",
        "title",
        "issue_date",
        "signer",
        "issuing_body",
        "assigning_authority",
        "monitoring_body",
    ];
    for field in required {
        field_error(body, field, "field-required");
    }
    assert_eq!(field_names(body).len(), required.len(), "{body}");
    assert!(
        body["message"].as_str().unwrap_or("").contains('8'),
        "{body}"
    );
    let en = office.english().post("/api/v1/documents", json!({})).await;
    assert_english(&answer.1, &en.1);

    let cases = [
        (json!({"kind": "law"}), "kind", "field-not-one-of"),
        (
            json!({"confidentiality": "public"}),
            "confidentiality",
            "field-not-one-of",
        ),
        (
            json!({"issue_date": "27/02/2026"}),
            "issue_date",
            "field-date-invalid",
        ),
        (
            json!({"issue_date": "2026-02-30"}),
            "issue_date",
            "field-date-invalid",
        ),
        (
            json!({"issue_date": "2026-03-03"}),
            "issue_date",
            "date-out-of-range",
        ),
        (
            json!({"issue_date": "1929-12-31"}),
            "issue_date",
            "date-out-of-range",
        ),
        (json!({"title": "   "}), "title", "field-required"),
        (json!({"title": "x".repeat(501)}), "title", "field-too-long"),
        (json!({"signer": null}), "signer", "field-required"),
        (
            json!({"issuing_body": 999_999}),
            "issuing_body",
            "org-not-found",
        ),
        (
            json!({"monitoring_body": -1}),
            "monitoring_body",
            "org-not-found",
        ),
        (
            json!({"assigning_authority": server.org_id("VPTW")}),
            "assigning_authority",
            "org-wrong-category",
        ),
        (
            json!({"summary": "x".repeat(20_001)}),
            "summary",
            "field-too-long",
        ),
    ];
    for (changes, field, code) in cases {
        let answer = office
            .post("/api/v1/documents", resolution(&server, changes.clone()))
            .await;
        assert_invalid(&answer, field, code);
        assert_eq!(field_names(&answer.1), [field], "{changes}");
    }
    let answer = office
        .post(
            "/api/v1/documents",
            resolution(&server, json!({"issuing_body": 999_999})),
        )
        .await;
    let message = answer.1["message"].as_str().unwrap_or("");
    assert!(message.contains("999999"), "{message}");
    let en = office
        .english()
        .post(
            "/api/v1/documents",
            resolution(&server, json!({"issue_date": "2026-03-03"})),
        )
        .await;
    let vi = office
        .post(
            "/api/v1/documents",
            resolution(&server, json!({"issue_date": "2026-03-03"})),
        )
        .await;
    assert_english(&vi.1, &en.1);
    assert!(
        vi.1["message"]
            .as_str()
            .unwrap_or("")
            .contains("02/03/2026"),
        "{}",
        vi.1
    );

    // Only the Central Office registers documents, and only at its clearance.
    let updater = server
        .user(
            "hni.capnhat",
            "TU-HNI",
            &[Role::Updater, Role::Approver],
            Clearance::Secret,
        )
        .await;
    let answer = updater
        .post("/api/v1/documents", resolution(&server, json!({})))
        .await;
    assert_error(&answer, StatusCode::FORBIDDEN, "auth-role-required");
    let cleared_low = server
        .user(
            "vptw.thuong",
            "VPTW",
            &[Role::CentralOffice],
            Clearance::Normal,
        )
        .await;
    let answer = cleared_low
        .post(
            "/api/v1/documents",
            resolution(
                &server,
                json!({"confidentiality": "confidential", "summary": null}),
            ),
        )
        .await;
    assert_error(&answer, StatusCode::FORBIDDEN, "auth-clearance-too-low");
    let en = cleared_low
        .english()
        .post(
            "/api/v1/documents",
            resolution(
                &server,
                json!({"confidentiality": "confidential", "summary": null}),
            ),
        )
        .await;
    assert_english(&answer.1, &en.1);
    assert_eq!(document_count(&office).await, 0);
}

async fn duplicate_symbol(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let office = office(&server).await;
    let (status, first) = office
        .post("/api/v1/documents", resolution(&server, json!({})))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");

    // The same symbol in the same year, however it is written, is taken.
    for symbol in ["57-NQ/TW", "Số 57 - nq/tw", "057-NQ/TW"] {
        let answer = office
            .post(
                "/api/v1/documents",
                resolution(
                    &server,
                    json!({"symbol": symbol, "issue_date": "2026-01-15", "title": "Bản trùng"}),
                ),
            )
            .await;
        let entry = assert_invalid(&answer, "symbol", "symbol-duplicate");
        let message = entry["message"].as_str().unwrap_or("");
        assert!(
            message.contains("57-NQ/TW") && message.contains("2026"),
            "{message}"
        );
    }
    let vi = office
        .post("/api/v1/documents", resolution(&server, json!({})))
        .await;
    let en = office
        .english()
        .post("/api/v1/documents", resolution(&server, json!({})))
        .await;
    assert_english(&vi.1, &en.1);
    assert_eq!(document_count(&office).await, 1);

    // Another year, or another issuer, is another document.
    let (status, other_year) = office
        .post(
            "/api/v1/documents",
            resolution(
                &server,
                json!({"issue_date": "2025-12-22", "title": "Nghị quyết năm trước"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{other_year}");
    assert_eq!(other_year["symbol"], "57-NQ/TW");
    let (status, other_issuer) = office
        .post(
            "/api/v1/documents",
            resolution(&server, json!({"symbol": "57-NQ/VPTW"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{other_issuer}");
    assert_eq!(document_count(&office).await, 3);
}

async fn top_secret_refused(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let office = office(&server).await;
    let existing = office
        .ok("/api/v1/documents", resolution(&server, json!({})))
        .await;
    let lead = server.org_id("TU-HNI");
    office
        .ok(
            &format!("/api/v1/documents/{}/tasks", existing["id"]),
            json!({"content": "Triển khai nghị quyết", "lead_body": lead}),
        )
        .await;
    let documents_before = office.fetch("/api/v1/documents").await;
    let counts_before = office.fetch("/api/v1/tasks/counts").await;

    // The refusal names only the confidentiality, even when other fields are invalid too.
    let title = "Kế hoạch bảo vệ công trình quan trọng đặc biệt";
    let symbol = "99-KH/TW";
    let refused = json!({
        "kind": "plan",
        "symbol": symbol,
        "title": title,
        "issue_date": "2026-02-20",
        "signer": "Thường trực Ban Bí thư",
        "issuing_body": 999_999,
        "assigning_authority": server.org_id("BBT"),
        "monitoring_body": server.org_id("VPTW"),
        "confidentiality": "top_secret",
        "summary": "Nội dung tuyệt mật không được lưu"
    });
    for client in [office.clone(), office.english()] {
        for headers in [&[][..], &[("Idempotency-Key", "tuyet-mat-1")][..]] {
            let response = client
                .request(Method::POST, "/api/v1/documents")
                .headers(
                    headers
                        .iter()
                        .map(|(name, value)| {
                            (name.parse().expect("name"), value.parse().expect("value"))
                        })
                        .collect(),
                )
                .json(&refused)
                .send()
                .await
                .expect("request");
            let text = response.text().await.expect("body");
            for secret in [title, symbol, "99-KH", "tuyệt mật không được lưu", "999999"] {
                assert!(
                    !text.contains(secret),
                    "the refusal repeats {secret:?}: {text}"
                );
            }
            let body: Value = serde_json::from_str(&text).expect("JSON");
            let answer = (StatusCode::UNPROCESSABLE_ENTITY, body);
            assert_invalid(&answer, "confidentiality", "document-top-secret-refused");
            assert_eq!(field_names(&answer.1), ["confidentiality"]);
        }
    }
    let vi = office.post("/api/v1/documents", refused.clone()).await;
    let en = office
        .english()
        .post("/api/v1/documents", refused.clone())
        .await;
    assert_english(&vi.1, &en.1);

    // Nothing was stored: lists, counts and search are unchanged, and the key is still free.
    assert_eq!(office.fetch("/api/v1/documents").await, documents_before);
    assert_eq!(office.fetch("/api/v1/tasks/counts").await, counts_before);
    let found = office
        .fetch("/api/v1/documents?q=cong%20trinh%20quan%20trong")
        .await;
    assert_eq!(found["items"], json!([]));
    let answer = send_with(
        &office,
        Method::POST,
        "/api/v1/documents",
        &[("Idempotency-Key", "tuyet-mat-1")],
        &resolution(&server, json!({"symbol": "58-NQ/TW"})),
    )
    .await;
    assert_eq!(answer.0, StatusCode::CREATED, "{}", answer.1);

    // A correction to Tuyệt mật is refused the same way and changes nothing.
    let path = format!("/api/v1/documents/{}", existing["id"]);
    let before = office.fetch(&path).await;
    let answer = office
        .send(
            Method::PATCH,
            &path,
            Some(json!({"confidentiality": "top_secret", "title": title})),
        )
        .await;
    assert_invalid(&answer, "confidentiality", "document-top-secret-refused");
    assert!(!answer.1.to_string().contains(title));
    assert_eq!(office.fetch(&path).await, before);
}

async fn classified_summary(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let office = office(&server).await;
    for (level, name) in [("confidential", "Mật"), ("secret", "Tối mật")] {
        let answer = office
            .post(
                "/api/v1/documents",
                resolution(&server, json!({"confidentiality": level})),
            )
            .await;
        let entry = assert_invalid(&answer, "summary", "field-forbidden-for-level");
        assert!(
            entry["message"].as_str().unwrap_or("").contains(name),
            "{entry}"
        );
        assert_eq!(field_names(&answer.1), ["summary"]);
    }
    let vi = office
        .post(
            "/api/v1/documents",
            resolution(&server, json!({"confidentiality": "confidential"})),
        )
        .await;
    let en = office
        .english()
        .post(
            "/api/v1/documents",
            resolution(&server, json!({"confidentiality": "confidential"})),
        )
        .await;
    assert_english(&vi.1, &en.1);
    assert_eq!(document_count(&office).await, 0);

    let (status, stored) = office
        .post(
            "/api/v1/documents",
            resolution(
                &server,
                json!({"confidentiality": "confidential", "summary": null}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{stored}");
    assert_eq!(stored["summary"], Value::Null);

    // Adding a summary by correction is refused too.
    let path = format!("/api/v1/documents/{}", stored["id"]);
    let answer = office
        .send(Method::PATCH, &path, Some(json!({"summary": "Trích yếu"})))
        .await;
    assert_invalid(&answer, "summary", "field-forbidden-for-level");
}

async fn idempotency_keys(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let office = office(&server).await;
    let body = resolution(&server, json!({}));
    let key = [("Idempotency-Key", "dang-ky-57")];

    let first = office
        .request(Method::POST, "/api/v1/documents")
        .header("Idempotency-Key", "dang-ky-57")
        .json(&body)
        .send()
        .await
        .expect("request");
    let first_etag = first.headers().get(ETAG).cloned();
    let (status, created) = read(first).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let second = office
        .request(Method::POST, "/api/v1/documents")
        .header("Idempotency-Key", "dang-ky-57")
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_eq!(second.headers().get(ETAG).cloned(), first_etag);
    let (status, replayed) = read(second).await;
    assert_eq!(status, StatusCode::OK, "{replayed}");
    assert_eq!(replayed["id"], created["id"]);
    assert_eq!(replayed, created);
    assert_eq!(document_count(&office).await, 1);

    // The same key with another body, or on another endpoint, is refused.
    let other = resolution(&server, json!({"symbol": "58-NQ/TW"}));
    let answer = send_with(&office, Method::POST, "/api/v1/documents", &key, &other).await;
    assert_error(
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "request-idempotency-key-reused",
    );
    let en = send_with(
        &office.english(),
        Method::POST,
        "/api/v1/documents",
        &key,
        &other,
    )
    .await;
    assert_english(&answer.1, &en.1);
    let task = json!({"content": "Triển khai nghị quyết", "lead_body": server.org_id("TU-HNI")});
    let answer = send_with(
        &office,
        Method::POST,
        &format!("/api/v1/documents/{}/tasks", created["id"]),
        &key,
        &task,
    )
    .await;
    assert_error(
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "request-idempotency-key-reused",
    );
    assert_eq!(document_count(&office).await, 1);
    assert_eq!(
        office
            .fetch(&format!("/api/v1/documents/{}", created["id"]))
            .await["task_count"],
        0
    );

    // Keys are per user: another officer's identical key creates their own record.
    let colleague = server
        .user("vptw.2", "VPTW", &[Role::CentralOffice], Clearance::Normal)
        .await;
    let answer = send_with(&colleague, Method::POST, "/api/v1/documents", &key, &other).await;
    assert_eq!(answer.0, StatusCode::CREATED, "{}", answer.1);

    let long_key = "k".repeat(201);
    for value in [" ", long_key.as_str()] {
        let answer = send_with(
            &office,
            Method::POST,
            "/api/v1/documents",
            &[("Idempotency-Key", value)],
            &body,
        )
        .await;
        assert_error(
            &answer,
            StatusCode::BAD_REQUEST,
            "request-idempotency-key-invalid",
        );
    }
    assert_eq!(document_count(&office).await, 2);
}

async fn list_queries(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let office = office(&server).await;
    let cases = [
        ("kind=law", "kind"),
        ("issued_from=2026-02-30", "issued_from"),
        ("issued_to=hom-nay", "issued_to"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
    ];
    for (query, field) in cases {
        let answer = office.get(&format!("/api/v1/documents?{query}")).await;
        let code = match field {
            "limit" => "field-out-of-range",
            "kind" => "field-not-one-of",
            _ => "field-date-invalid",
        };
        assert_invalid(&answer, field, code);
    }
    let answer = office
        .get("/api/v1/documents?issued_from=x&issued_to=y")
        .await;
    assert_eq!(field_names(&answer.1), ["issued_from", "issued_to"]);
    let vi = office.get("/api/v1/documents?issued_from=x").await;
    let en = office
        .english()
        .get("/api/v1/documents?issued_from=x")
        .await;
    assert_english(&vi.1, &en.1);

    for (query, parameter) in [
        ("limit=abc", "limit"),
        ("limit=-1", "limit"),
        ("awaiting_entry=maybe", "awaiting_entry"),
        ("sap_xep=moi", "sap_xep"),
    ] {
        let answer = office.get(&format!("/api/v1/documents?{query}")).await;
        let code = if parameter == "sap_xep" {
            "field-unknown"
        } else {
            "field-wrong-type"
        };
        assert_invalid(&answer, parameter, code);
    }
    for cursor in ["rac", "eyJ4IjoxfQ", "%00"] {
        let answer = office
            .get(&format!("/api/v1/documents?cursor={cursor}"))
            .await;
        assert_error(&answer, StatusCode::BAD_REQUEST, "request-cursor-invalid");
    }
    let vi = office.get("/api/v1/documents?cursor=rac").await;
    let en = office.english().get("/api/v1/documents?cursor=rac").await;
    assert_english(&vi.1, &en.1);
}

async fn hidden_documents(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let office = office(&server).await;
    let normal = office
        .ok("/api/v1/documents", resolution(&server, json!({})))
        .await;
    let task = office
        .ok(
            &format!("/api/v1/documents/{}/tasks", normal["id"]),
            json!({"content": "Triển khai", "lead_body": server.org_id("TU-HNI")}),
        )
        .await;
    // Bodies see a document through its transferred tasks.
    office
        .ok(&format!("/api/v1/tasks/{}/transfer", task["id"]), json!({}))
        .await;
    let classified = office
        .ok(
            "/api/v1/documents",
            resolution(
                &server,
                json!({"symbol": "58-NQ/TW", "confidentiality": "secret", "summary": null}),
            ),
        )
        .await;

    let missing = office.get("/api/v1/documents/999999").await;
    assert_error(&missing, StatusCode::NOT_FOUND, "not-found");
    let en = office.english().get("/api/v1/documents/999999").await;
    assert_english(&missing.1, &en.1);

    // A document one may not see gets the same response as a missing one.
    let low = server
        .user(
            "vptw.thuong",
            "VPTW",
            &[Role::CentralOffice],
            Clearance::Confidential,
        )
        .await;
    assert_eq!(
        low.get(&format!("/api/v1/documents/{}", classified["id"]))
            .await,
        missing
    );
    let haiphong = server
        .user("hpg.capnhat", "TU-HPG", &[Role::Updater], Clearance::Secret)
        .await;
    assert_eq!(
        haiphong
            .get(&format!("/api/v1/documents/{}", normal["id"]))
            .await,
        missing
    );
    let hanoi = server
        .user("hni.capnhat", "TU-HNI", &[Role::Updater], Clearance::Secret)
        .await;
    assert_eq!(
        hanoi
            .get(&format!("/api/v1/documents/{}", normal["id"]))
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        hanoi
            .get(&format!("/api/v1/documents/{}", classified["id"]))
            .await,
        missing
    );
    let listed = haiphong.fetch("/api/v1/documents").await;
    assert_eq!(listed["items"], json!([]));
}

async fn correction_errors(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let office = office(&server).await;
    let document = office
        .ok("/api/v1/documents", resolution(&server, json!({})))
        .await;
    office
        .ok(
            "/api/v1/documents",
            resolution(&server, json!({"symbol": "58-NQ/TW"})),
        )
        .await;
    let path = format!("/api/v1/documents/{}", document["id"]);
    let version = document["version"].as_i64().expect("version");

    let answer = office
        .send(
            Method::PATCH,
            "/api/v1/documents/999999",
            Some(json!({"title": "Tên mới"})),
        )
        .await;
    assert_error(&answer, StatusCode::NOT_FOUND, "not-found");
    let updater = server
        .user("hni.capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
        .await;
    let answer = updater
        .send(Method::PATCH, &path, Some(json!({"title": "Tên mới"})))
        .await;
    assert_error(&answer, StatusCode::FORBIDDEN, "auth-role-required");

    // A stale version gets the current one back and writes nothing.
    let stale = (version + 5).to_string();
    let answer = send_with(
        &office,
        Method::PATCH,
        &path,
        &[("If-Match", &stale)],
        &json!({"title": "Tên mới"}),
    )
    .await;
    let body = assert_error(&answer, StatusCode::CONFLICT, "version-conflict");
    assert_eq!(body["details"]["current_version"], version);
    assert!(
        body["message"]
            .as_str()
            .unwrap_or("")
            .contains(&version.to_string()),
        "{body}"
    );
    let en = send_with(
        &office.english(),
        Method::PATCH,
        &path,
        &[("If-Match", &stale)],
        &json!({"title": "Tên mới"}),
    )
    .await;
    assert_english(&answer.1, &en.1);
    assert_eq!(office.fetch(&path).await["title"], document["title"]);
    assert_eq!(office.fetch(&path).await["version"], version);

    for value in ["abc", "\"-1\"", "1.5", "\"\""] {
        let answer = send_with(
            &office,
            Method::PATCH,
            &path,
            &[("If-Match", value)],
            &json!({"title": "Tên mới"}),
        )
        .await;
        assert_error(&answer, StatusCode::BAD_REQUEST, "request-if-match-invalid");
    }
    assert_eq!(office.fetch(&path).await["version"], version);

    let answer = office
        .send(Method::PATCH, &path, Some(json!({"symbol": "57NQ/TW"})))
        .await;
    assert_invalid(&answer, "symbol", "symbol-invalid");
    let answer = office
        .send(Method::PATCH, &path, Some(json!({"symbol": "58-NQ/TW"})))
        .await;
    assert_invalid(&answer, "symbol", "symbol-duplicate");
    let answer = office
        .send(
            Method::PATCH,
            &path,
            Some(json!({"title": document["title"]})),
        )
        .await;
    assert_error(&answer, StatusCode::CONFLICT, "task-nothing-changed");
    let answer = office
        .send(
            Method::PATCH,
            &path,
            Some(json!({"reason": "x".repeat(5_001), "title": "Tên mới"})),
        )
        .await;
    assert_invalid(&answer, "reason", "field-too-long");

    // Once it has tasks, the fixed fields stay; the title may still change.
    office
        .ok(
            &format!("{path}/tasks"),
            json!({"content": "Triển khai", "lead_body": server.org_id("TU-HNI")}),
        )
        .await;
    let current = office.fetch(&path).await["version"].to_string();
    for changes in [
        json!({"symbol": "59-NQ/TW"}),
        json!({"issue_date": "2026-02-26"}),
        json!({"kind": "conclusion", "symbol": "57-KL/TW"}),
    ] {
        let answer = send_with(
            &office,
            Method::PATCH,
            &path,
            &[("If-Match", &current)],
            &changes,
        )
        .await;
        assert_error(&answer, StatusCode::CONFLICT, "document-has-tasks");
    }
    let response = office
        .request(Method::PATCH, &path)
        .header("If-Match", format!("\"{current}\""))
        .json(&json!({"title": "Tên mới của nghị quyết"}))
        .send()
        .await
        .expect("request");
    let etag = response.headers().get(ETAG).cloned();
    let (status, corrected) = read(response).await;
    assert_eq!(status, StatusCode::OK, "{corrected}");
    assert_eq!(
        etag.expect("ETag").to_str().expect("ASCII"),
        format!("\"{}\"", corrected["version"])
    );
}

async fn group_and_transfer_errors(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let office = office(&server).await;
    let document = office
        .ok("/api/v1/documents", resolution(&server, json!({})))
        .await;
    let groups = format!("/api/v1/documents/{}/groups", document["id"]);
    let transfer = format!("/api/v1/documents/{}/transfer", document["id"]);
    let approver = server
        .user(
            "hni.pheduyet",
            "TU-HNI",
            &[Role::Approver, Role::Updater],
            Clearance::Normal,
        )
        .await;

    let answer = approver
        .post(&groups, json!({"name": "Nhóm nhiệm vụ về thể chế"}))
        .await;
    assert_error(&answer, StatusCode::FORBIDDEN, "auth-role-required");
    let answer = office
        .post("/api/v1/documents/999999/groups", json!({"name": "Nhóm"}))
        .await;
    assert_error(&answer, StatusCode::NOT_FOUND, "not-found");
    let answer = office.post(&groups, json!({})).await;
    assert_invalid(&answer, "name", "field-required");
    let answer = office
        .post(
            &groups,
            json!({"name": "Nhóm", "classification": {"priority": "gap", "scope": "toan_cau"}}),
        )
        .await;
    assert_invalid(&answer, "classification.priority", "catalogue-unknown-code");
    assert_invalid(&answer, "classification.scope", "catalogue-unknown-code");
    let en = office
        .english()
        .post(
            &groups,
            json!({"name": "Nhóm", "classification": {"priority": "gap"}}),
        )
        .await;
    let vi = office
        .post(
            &groups,
            json!({"name": "Nhóm", "classification": {"priority": "gap"}}),
        )
        .await;
    assert_english(&vi.1, &en.1);
    let answer = office
        .post(
            &groups,
            json!({"name": "Nhóm", "classification": {"muc_do": "key"}}),
        )
        .await;
    assert_invalid(&answer, "classification.muc_do", "field-unknown");
    assert_eq!(
        office
            .fetch(&format!("/api/v1/documents/{}", document["id"]))
            .await["groups"],
        json!([])
    );

    let answer = approver.post(&transfer, json!({})).await;
    assert_error(&answer, StatusCode::FORBIDDEN, "auth-role-required");
    let answer = office
        .post("/api/v1/documents/999999/transfer", json!({}))
        .await;
    assert_error(&answer, StatusCode::NOT_FOUND, "not-found");
    let answer = office.post(&transfer, json!({"ly_do": "x"})).await;
    assert_invalid(&answer, "ly_do", "field-unknown");
    let (status, nothing) = office.post(&transfer, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{nothing}");
    assert_eq!(nothing["transferred"], json!([]));
}

on_both_backends!(
    symbol_errors,
    field_errors,
    duplicate_symbol,
    top_secret_refused,
    classified_summary,
    idempotency_keys,
    list_queries,
    hidden_documents,
    correction_errors,
    group_and_transfer_errors,
);
