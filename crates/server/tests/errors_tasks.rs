//! Error responses of the task endpoints over HTTP, on both backends: creating tasks, list and
//! count filters, tasks one may not see, who may run each command, `If-Match` versions and the
//! fields that classified tasks may not hold.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::check::{assert_english, assert_error, assert_invalid, field_names};
use support::fixture::{Cast, document, draft_task, footprint, hanoi_task, start, transfer};
use support::{Client, TestServer, at, read};
use theodoi_store::{Backend, on_both_backends};

/// Every command on a task: method, path after `/api/v1/tasks/{id}`, and a body complete
/// enough to reach the permission and state checks.
fn commands(unit: i64) -> Vec<(Method, &'static str, Value)> {
    vec![
        (
            Method::PATCH,
            "",
            json!({"content": "Nội dung đã sửa", "reason": "Sửa nội dung"}),
        ),
        (Method::POST, "/transfer", json!({})),
        (Method::POST, "/receipt", json!({})),
        (
            Method::POST,
            "/return",
            json!({"kind": "wrong_content", "reason": "Nội dung chưa đúng"}),
        ),
        (
            Method::POST,
            "/feedback-handling",
            json!({"decision": "reject", "reason": "Giữ nguyên nhiệm vụ"}),
        ),
        (
            Method::POST,
            "/updates",
            json!({"status": "in_progress", "percent": 10}),
        ),
        (
            Method::PUT,
            "/updates/1",
            json!({"status": "in_progress", "percent": 20, "reason": "Sửa số liệu"}),
        ),
        (Method::POST, "/updates/1/approve", json!({})),
        (
            Method::POST,
            "/updates/1/return",
            json!({"reason": "Cần bổ sung kết quả"}),
        ),
        (
            Method::POST,
            "/updates/1/evaluation",
            json!({"rating": "good"}),
        ),
        (
            Method::POST,
            "/extension-request",
            json!({"proposed": "2026-06-30", "reason": "Cần thêm thời gian"}),
        ),
        (
            Method::POST,
            "/deadline-extension",
            json!({"to": "2026-06-30", "reason": "Đồng ý gia hạn"}),
        ),
        (
            Method::POST,
            "/update-request",
            json!({"due": "2026-03-20", "reason": "Cần số liệu cho báo cáo"}),
        ),
        (
            Method::POST,
            "/urgings",
            json!({"channel": "phone", "reason": "Nhắc cập nhật tiến độ"}),
        ),
        (
            Method::POST,
            "/difficulties",
            json!({"reason": "Thiếu kinh phí thực hiện"}),
        ),
        (
            Method::POST,
            "/withdraw",
            json!({"reason": "Thu hồi để sửa"}),
        ),
        (
            Method::POST,
            "/cancel",
            json!({"reason": "Không còn phù hợp"}),
        ),
        (
            Method::POST,
            "/subtasks",
            json!({"lead_body": unit, "content": "Phần việc của đơn vị", "deadline": "2026-04-15"}),
        ),
    ]
}

async fn creation_errors(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let office = &cast.office;
    let doc = document(&server, office, "45-KL/TW", "normal").await;
    let path = format!("/api/v1/documents/{doc}/tasks");
    let valid = hanoi_task(
        &server,
        Some("Thí điểm cập nhật tiến độ"),
        json!("2026-04-30"),
    );
    let with = |changes: Value| {
        let mut body = valid.clone();
        for (name, value) in changes.as_object().expect("changes") {
            body[name] = value.clone();
        }
        body
    };

    // The monitoring officer sees the document but may not add to it; Hà Nội does not see it
    // before it has a task there, and gets the same answer as for a missing document.
    let answer = cast.monitor.post(&path, valid.clone()).await;
    assert_error(&answer, StatusCode::FORBIDDEN, "auth-role-required");
    let en = cast.monitor.english().post(&path, valid.clone()).await;
    assert_english(&answer.1, &en.1);
    let missing = office
        .post("/api/v1/documents/999999/tasks", valid.clone())
        .await;
    assert_error(&missing, StatusCode::NOT_FOUND, "not-found");
    assert_eq!(
        cast.hanoi_approver.post(&path, valid.clone()).await,
        missing
    );

    let answer = office.post(&path, json!({})).await;
    assert_invalid(&answer, "content", "field-required");
    assert_invalid(&answer, "lead_body", "field-required");
    let en = office.english().post(&path, json!({})).await;
    assert_english(&answer.1, &en.1);

    let hanoi = server.org_id("TU-HNI");
    let cases = [
        (json!({"content": "  "}), "content", "field-required"),
        (
            json!({"content": "x".repeat(20_001)}),
            "content",
            "field-too-long",
        ),
        (json!({"lead_body": 999_999}), "lead_body", "org-not-found"),
        (
            json!({"lead_body": server.org_id("BCT")}),
            "lead_body",
            "org-wrong-category",
        ),
        (
            json!({"coordinating_bodies": [hanoi]}),
            "coordinating_bodies[0]",
            "org-lead-also-coordinating",
        ),
        (
            json!({"coordinating_bodies": [server.org_id("BTCTW"), 999_999]}),
            "coordinating_bodies[1]",
            "org-not-found",
        ),
        (
            json!({"monitoring_body": 999_999}),
            "monitoring_body",
            "org-not-found",
        ),
        (
            json!({"deadline": "30/04/2026"}),
            "deadline",
            "field-date-invalid",
        ),
        (
            json!({"deadline": "2026-02-26"}),
            "deadline",
            "task-deadline-before-issue",
        ),
        (
            json!({"report_period": "weekly"}),
            "report_period",
            "field-not-one-of",
        ),
        (
            json!({"classification": {"priority": "gap"}}),
            "classification.priority",
            "catalogue-unknown-code",
        ),
        (
            json!({"classification": {"executing_unit": "khac"}}),
            "classification.executing_unit",
            "catalogue-unknown-code",
        ),
    ];
    for (changes, field, code) in cases {
        let answer = office.post(&path, with(changes.clone())).await;
        assert_invalid(&answer, field, code);
        assert_eq!(field_names(&answer.1), [field], "{changes}");
    }
    let answer = office
        .post(&path, with(json!({"lead_body": 999_999})))
        .await;
    assert!(
        answer.1["message"]
            .as_str()
            .unwrap_or("")
            .contains("999999"),
        "{}",
        answer.1
    );
    let vi = office
        .post(&path, with(json!({"deadline": "2026-02-26"})))
        .await;
    let en = office
        .english()
        .post(&path, with(json!({"deadline": "2026-02-26"})))
        .await;
    assert_english(&vi.1, &en.1);
    assert!(
        vi.1["message"]
            .as_str()
            .unwrap_or("")
            .contains("27/02/2026"),
        "{}",
        vi.1
    );
    let answer = office.post(&path, with(json!({"han": "2026-04-30"}))).await;
    assert_invalid(&answer, "han", "field-unknown");
    assert_eq!(
        office.fetch(&format!("/api/v1/documents/{doc}")).await["task_count"],
        0
    );

    // A retried request with the same key creates the task once.
    let send = |key: &'static str, body: Value| {
        let request = office
            .request(Method::POST, &path)
            .header("Idempotency-Key", key)
            .json(&body);
        async move { read(request.send().await.expect("request")).await }
    };
    let (status, created) = send("nhiem-vu-1", valid.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, replayed) = send("nhiem-vu-1", valid.clone()).await;
    assert_eq!(status, StatusCode::OK, "{replayed}");
    assert_eq!(replayed["id"], created["id"]);
    let answer = send("nhiem-vu-1", with(json!({"deadline": "2026-05-31"}))).await;
    assert_error(
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "request-idempotency-key-reused",
    );
    assert_eq!(
        office.fetch(&format!("/api/v1/documents/{doc}")).await["task_count"],
        1
    );
}

async fn list_queries(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let office = &cast.office;
    let doc = document(&server, office, "45-KL/TW", "normal").await;
    let task = draft_task(
        office,
        doc,
        hanoi_task(&server, Some("Thí điểm"), json!("2026-04-30")),
    )
    .await;

    let invalid = [
        ("result_state=chua_xong", "result_state"),
        ("result_state=in_progress_overdue,chua_xong", "result_state"),
        ("status=dang_lam", "status"),
        ("confidentiality=public", "confidentiality"),
        ("deadline_from=2026-02-30", "deadline_from"),
        ("deadline_to=cuoi-nam", "deadline_to"),
        ("sort=ten", "sort"),
    ];
    for endpoint in ["/api/v1/tasks", "/api/v1/tasks/counts"] {
        for (query, field) in invalid {
            let answer = office.get(&format!("{endpoint}?{query}")).await;
            let code = if field.starts_with("deadline") {
                "field-date-invalid"
            } else {
                "field-not-one-of"
            };
            assert_invalid(&answer, field, code);
            assert_eq!(field_names(&answer.1), [field], "{endpoint}?{query}");
        }
        let answer = office
            .get(&format!(
                "{endpoint}?status=x&deadline_from=y&result_state=z"
            ))
            .await;
        assert_eq!(
            field_names(&answer.1),
            ["result_state", "status", "deadline_from"]
        );
        for (query, parameter) in [
            ("lead_body=ha-noi", "lead_body"),
            ("breached=co", "breached"),
            ("trang_thai=x", "trang_thai"),
        ] {
            let answer = office.get(&format!("{endpoint}?{query}")).await;
            let code = if parameter == "trang_thai" || parameter == "han" {
                "field-unknown"
            } else {
                "field-wrong-type"
            };
            assert_invalid(&answer, parameter, code);
        }
    }
    let vi = office.get("/api/v1/tasks?result_state=chua_xong").await;
    let en = office
        .english()
        .get("/api/v1/tasks?result_state=chua_xong")
        .await;
    assert_english(&vi.1, &en.1);
    let vi = office.get("/api/v1/tasks?limit=abc").await;
    let en = office.english().get("/api/v1/tasks?limit=abc").await;
    assert_english(&vi.1, &en.1);
    // The counts take the list's query, so they reject the same page sizes.
    for endpoint in ["/api/v1/tasks", "/api/v1/tasks/counts"] {
        for query in ["limit=0", "limit=501"] {
            let answer = office.get(&format!("{endpoint}?{query}")).await;
            assert_invalid(&answer, "limit", "field-out-of-range");
        }
    }
    let answer = office.get("/api/v1/tasks?limit=abc").await;
    assert_invalid(&answer, "limit", "field-wrong-type");
    let answer = office.get("/api/v1/tasks?cursor=khong-phai-con-tro").await;
    assert_error(&answer, StatusCode::BAD_REQUEST, "request-cursor-invalid");

    // Obligations.
    let cases = [
        ("status=qua_han", "status", "field-not-one-of"),
        ("within_hours=0", "within_hours", "field-out-of-range"),
        ("within_hours=8785", "within_hours", "field-out-of-range"),
        // Large enough to overflow a duration in seconds.
        (
            "within_hours=-9223372036854775808",
            "within_hours",
            "field-out-of-range",
        ),
        (
            "within_hours=9223372036854775807",
            "within_hours",
            "field-out-of-range",
        ),
        ("kind=receipt,khac", "kind", "field-not-one-of"),
        ("limit=0", "limit", "field-out-of-range"),
    ];
    for (query, field, code) in cases {
        let answer = office.get(&format!("/api/v1/obligations?{query}")).await;
        assert_invalid(&answer, field, code);
    }
    let vi = office.get("/api/v1/obligations?within_hours=0").await;
    let en = office
        .english()
        .get("/api/v1/obligations?within_hours=0")
        .await;
    assert_english(&vi.1, &en.1);
    for (query, parameter) in [
        ("within_hours=nhieu", "within_hours"),
        ("body=x", "body"),
        ("han=1", "han"),
    ] {
        let answer = office.get(&format!("/api/v1/obligations?{query}")).await;
        let code = if parameter == "trang_thai" || parameter == "han" {
            "field-unknown"
        } else {
            "field-wrong-type"
        };
        assert_invalid(&answer, parameter, code);
    }
    let answer = office.get("/api/v1/obligations?cursor=rac").await;
    assert_error(&answer, StatusCode::BAD_REQUEST, "request-cursor-invalid");

    // The result state on a date.
    for on in ["2026-13-01", "hom-qua", "02/03/2026"] {
        let answer = office
            .get(&format!("/api/v1/tasks/{task}/result?on={on}"))
            .await;
        assert_invalid(&answer, "on", "field-date-invalid");
    }
    let vi = office
        .get(&format!("/api/v1/tasks/{task}/result?on=x"))
        .await;
    let en = office
        .english()
        .get(&format!("/api/v1/tasks/{task}/result?on=x"))
        .await;
    assert_english(&vi.1, &en.1);
    let answer = office
        .get(&format!("/api/v1/tasks/{task}/result?ngay=2026-03-01"))
        .await;
    assert_invalid(&answer, "ngay", "field-unknown");
}

async fn hidden_tasks(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let office = &cast.office;
    let doc = document(&server, office, "45-KL/TW", "normal").await;
    let task = draft_task(
        office,
        doc,
        hanoi_task(&server, Some("Thí điểm"), json!("2026-04-30")),
    )
    .await;
    start(office, &cast.hanoi_updater, task).await;
    let secret_doc = document(&server, office, "46-KL/TW", "secret").await;
    let secret = draft_task(
        office,
        secret_doc,
        hanoi_task(&server, None, json!("2026-04-30")),
    )
    .await;
    transfer(office, secret).await;
    let before = footprint(office, task).await;

    // Another province's task gets the same response as a task that does not exist.
    let reads = ["", "/events", "/obligations", "/result"];
    for suffix in reads {
        let missing = cast
            .haiphong
            .get(&format!("/api/v1/tasks/999999{suffix}"))
            .await;
        assert_error(&missing, StatusCode::NOT_FOUND, "not-found");
        assert_eq!(
            cast.haiphong
                .get(&format!("/api/v1/tasks/{task}{suffix}"))
                .await,
            missing,
            "GET {suffix}"
        );
        assert_eq!(
            cast.hanoi_updater
                .get(&format!("/api/v1/tasks/{secret}{suffix}"))
                .await,
            missing,
            "GET {suffix}"
        );
    }
    let unit = server.org_id("TU-HPG");
    for (method, suffix, body) in commands(unit) {
        let missing = cast
            .haiphong
            .send(
                method.clone(),
                &format!("/api/v1/tasks/999999{suffix}"),
                Some(body.clone()),
            )
            .await;
        assert_error(&missing, StatusCode::NOT_FOUND, "not-found");
        let hidden = cast
            .haiphong
            .send(
                method.clone(),
                &format!("/api/v1/tasks/{task}{suffix}"),
                Some(body.clone()),
            )
            .await;
        assert_eq!(hidden, missing, "{method} {suffix}");
        let uncleared = cast
            .hanoi_approver
            .send(
                method.clone(),
                &format!("/api/v1/tasks/{secret}{suffix}"),
                Some(body),
            )
            .await;
        assert_eq!(uncleared, missing, "{method} {suffix} on a Tối mật task");
    }
    let vi = cast.haiphong.get(&format!("/api/v1/tasks/{task}")).await;
    let en = cast
        .haiphong
        .english()
        .get(&format!("/api/v1/tasks/{task}"))
        .await;
    assert_english(&vi.1, &en.1);
    assert_eq!(footprint(office, task).await, before);

    // Lists leave them out too.
    let listed = cast.haiphong.fetch("/api/v1/tasks").await;
    assert_eq!(listed["items"], json!([]));
    let counts = cast.hanoi_updater.fetch("/api/v1/tasks/counts").await;
    assert_eq!(counts["total"], 1, "the Tối mật task is not counted");

    // An update number the task does not have.
    for (method, suffix, body) in [
        (Method::POST, "/updates/9/approve", json!({})),
        (
            Method::POST,
            "/updates/9/return",
            json!({"reason": "Bổ sung"}),
        ),
        (
            Method::PUT,
            "/updates/9",
            json!({"status": "in_progress", "percent": 5}),
        ),
    ] {
        let client = if method == Method::PUT {
            &cast.hanoi_updater
        } else {
            &cast.hanoi_approver
        };
        let answer = client
            .send(method, &format!("/api/v1/tasks/{task}{suffix}"), Some(body))
            .await;
        let body = assert_error(&answer, StatusCode::NOT_FOUND, "update-not-found");
        assert!(
            body["message"].as_str().unwrap_or("").contains('9'),
            "{body}"
        );
    }
    let answer = cast
        .monitor
        .post(
            &format!("/api/v1/tasks/{task}/updates/9/evaluation"),
            json!({"rating": "good"}),
        )
        .await;
    assert_error(&answer, StatusCode::NOT_FOUND, "update-not-found");
    let en = cast
        .hanoi_approver
        .english()
        .post(
            &format!("/api/v1/tasks/{task}/updates/9/approve"),
            json!({}),
        )
        .await;
    let vi = cast
        .hanoi_approver
        .post(
            &format!("/api/v1/tasks/{task}/updates/9/approve"),
            json!({}),
        )
        .await;
    assert_english(&vi.1, &en.1);
}

async fn command_permissions(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let office = &cast.office;
    let doc = document(&server, office, "45-KL/TW", "normal").await;
    let task = draft_task(
        office,
        doc,
        hanoi_task(&server, Some("Thí điểm"), json!("2026-04-30")),
    )
    .await;
    start(office, &cast.hanoi_updater, task).await;
    let before = footprint(office, task).await;
    let unit = server.org_id("TU-HNI");

    // A leader sees the task but acts on nothing.
    for (method, suffix, body) in commands(unit) {
        let answer = cast
            .viewer
            .send(
                method.clone(),
                &format!("/api/v1/tasks/{task}{suffix}"),
                Some(body),
            )
            .await;
        assert_eq!(
            answer.0,
            StatusCode::FORBIDDEN,
            "{method} {suffix}: {}",
            answer.1
        );
        assert_error(&answer, StatusCode::FORBIDDEN, "auth-role-required");
    }

    // The coordinating body sees it, but the lead body's steps and the assigning side's
    // steps belong to others.
    let expected = [
        ("", "auth-role-required"),
        ("/transfer", "auth-role-required"),
        ("/receipt", "task-not-lead-body"),
        ("/return", "task-not-lead-body"),
        ("/feedback-handling", "auth-role-required"),
        ("/updates", "task-not-lead-body"),
        ("/updates/1", "task-not-lead-body"),
        ("/updates/1/approve", "task-not-lead-body"),
        ("/updates/1/return", "task-not-lead-body"),
        ("/updates/1/evaluation", "auth-role-required"),
        ("/extension-request", "task-not-lead-body"),
        ("/deadline-extension", "auth-role-required"),
        ("/update-request", "auth-role-required"),
        ("/urgings", "auth-role-required"),
        ("/difficulties", "task-not-lead-body"),
        ("/withdraw", "auth-role-required"),
        ("/cancel", "auth-role-required"),
        ("/subtasks", "task-not-lead-body"),
    ];
    let commands = commands(unit);
    assert_eq!(commands.len(), expected.len());
    for ((method, suffix, body), (expected_suffix, code)) in commands.into_iter().zip(expected) {
        assert_eq!(suffix, expected_suffix);
        let answer = cast
            .coordinator
            .send(
                method.clone(),
                &format!("/api/v1/tasks/{task}{suffix}"),
                Some(body),
            )
            .await;
        assert_error(&answer, StatusCode::FORBIDDEN, code);
    }

    // A monitoring officer of another body may not evaluate, urge or request reports.
    for (suffix, body) in [
        ("/updates/1/evaluation", json!({"rating": "good"})),
        (
            "/urgings",
            json!({"channel": "email", "reason": "Nhắc cập nhật"}),
        ),
        (
            "/update-request",
            json!({"due": "2026-03-20", "reason": "Cần số liệu"}),
        ),
    ] {
        let answer = cast
            .coordinator_monitor
            .post(&format!("/api/v1/tasks/{task}{suffix}"), body)
            .await;
        assert_error(&answer, StatusCode::FORBIDDEN, "auth-not-your-body");
    }
    assert_eq!(footprint(office, task).await, before, "nothing was written");

    let path = format!("/api/v1/tasks/{task}/receipt");
    let vi = cast.coordinator.post(&path, json!({})).await;
    let en = cast.coordinator.english().post(&path, json!({})).await;
    assert_english(&vi.1, &en.1);
    let path = format!("/api/v1/tasks/{task}/cancel");
    let vi = cast.viewer.post(&path, json!({"reason": "Huỷ"})).await;
    let en = cast
        .viewer
        .english()
        .post(&path, json!({"reason": "Huỷ"}))
        .await;
    assert_english(&vi.1, &en.1);
    let path = format!("/api/v1/tasks/{task}/urgings");
    let vi = cast
        .coordinator_monitor
        .post(&path, json!({"channel": "email", "reason": "Nhắc"}))
        .await;
    let en = cast
        .coordinator_monitor
        .english()
        .post(&path, json!({"channel": "email", "reason": "Nhắc"}))
        .await;
    assert_english(&vi.1, &en.1);
}

/// Sends `body` with an `If-Match` header.
async fn send_if_match(
    client: &Client,
    method: Method,
    path: &str,
    version: &str,
    body: Value,
) -> (StatusCode, Value) {
    let response = client
        .request(method, path)
        .header("If-Match", version)
        .json(&body)
        .send()
        .await
        .expect("request");
    read(response).await
}

async fn version_checks(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let office = &cast.office;
    let doc = document(&server, office, "45-KL/TW", "normal").await;
    let task = draft_task(
        office,
        doc,
        hanoi_task(&server, Some("Thí điểm"), json!("2026-04-30")),
    )
    .await;
    start(office, &cast.hanoi_updater, task).await;
    let unit = office
        .ok("/api/v1/organisations", json!({"code": "HNI-BTG", "name_vi": "Ban Tuyên giáo Thành uỷ Hà Nội", "parent_id": server.org_id("TU-HNI")}))
        .await;
    let path = format!("/api/v1/tasks/{task}");
    let (version, events) = footprint(office, task).await;
    let stale = (version.as_i64().expect("version") - 1).to_string();

    let attempts = [
        (
            &cast.office,
            Method::PATCH,
            String::new(),
            json!({"content": "Nội dung mới", "reason": "Sửa"}),
        ),
        (
            &cast.monitor,
            Method::POST,
            "/urgings".to_owned(),
            json!({"channel": "phone", "reason": "Nhắc"}),
        ),
        (
            &cast.hanoi_updater,
            Method::POST,
            "/updates".to_owned(),
            json!({"status": "in_progress", "percent": 10}),
        ),
        (
            &cast.hanoi_approver,
            Method::POST,
            "/subtasks".to_owned(),
            json!({"lead_body": unit["id"], "content": "Phần việc"}),
        ),
        (
            &cast.office,
            Method::POST,
            "/deadline-extension".to_owned(),
            json!({"to": "2026-05-31", "reason": "Gia hạn"}),
        ),
    ];
    for (client, method, suffix, body) in &attempts {
        let target = format!("{path}{suffix}");
        let answer = send_if_match(client, method.clone(), &target, &stale, body.clone()).await;
        let conflict = assert_error(&answer, StatusCode::CONFLICT, "version-conflict");
        assert_eq!(
            conflict["details"]["current_version"], version,
            "{method} {suffix}"
        );
        for value in ["abc", "\"-3\"", "W/\"x\"", "1, 2"] {
            let answer = send_if_match(client, method.clone(), &target, value, body.clone()).await;
            assert_error(&answer, StatusCode::BAD_REQUEST, "request-if-match-invalid");
        }
    }
    assert_eq!(
        footprint(office, task).await,
        (version.clone(), events),
        "nothing was written"
    );
    assert_eq!(office.fetch(&path).await["subtasks"], json!([]));
    let vi = send_if_match(
        &cast.office,
        Method::PATCH,
        &path,
        &stale,
        json!({"content": "Mới", "reason": "Sửa"}),
    )
    .await;
    let en = send_if_match(
        &cast.office.english(),
        Method::PATCH,
        &path,
        &stale,
        json!({"content": "Mới", "reason": "Sửa"}),
    )
    .await;
    assert_english(&vi.1, &en.1);
    let vi = send_if_match(
        &cast.office,
        Method::PATCH,
        &path,
        "abc",
        json!({"content": "Mới", "reason": "Sửa"}),
    )
    .await;
    let en = send_if_match(
        &cast.office.english(),
        Method::PATCH,
        &path,
        "abc",
        json!({"content": "Mới", "reason": "Sửa"}),
    )
    .await;
    assert_english(&vi.1, &en.1);

    // A weak validator cannot guard a write, even with the current version.
    let answer = send_if_match(
        &cast.monitor,
        Method::POST,
        &format!("{path}/urgings"),
        &format!("W/\"{version}\""),
        json!({"channel": "phone", "reason": "Nhắc"}),
    )
    .await;
    assert_error(&answer, StatusCode::BAD_REQUEST, "request-if-match-invalid");

    // The current version, plain or quoted, is accepted.
    let current = format!("\"{version}\"");
    let (status, urged) = send_if_match(
        &cast.monitor,
        Method::POST,
        &format!("{path}/urgings"),
        &current,
        json!({"channel": "phone", "reason": "Nhắc"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{urged}");
    let (status, edited) = send_if_match(
        &cast.office,
        Method::PATCH,
        &path,
        &urged["version"].to_string(),
        json!({"content": "Nội dung mới", "reason": "Sửa"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
}

async fn classified_fields(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let office = &cast.office;
    let doc = document(&server, office, "45-KL/TW", "confidential").await;
    let path = format!("/api/v1/documents/{doc}/tasks");

    for (field, value) in [
        ("content", "Nội dung mật"),
        ("expected_products", "Báo cáo mật"),
    ] {
        let mut body = hanoi_task(&server, None, json!("2026-04-30"));
        body[field] = json!(value);
        let answer = office.post(&path, body.clone()).await;
        let entry = assert_invalid(&answer, field, "field-forbidden-for-level");
        assert!(
            entry["message"].as_str().unwrap_or("").contains("Mật"),
            "{entry}"
        );
        assert!(
            !answer.1.to_string().contains(value),
            "the refusal repeats the value: {}",
            answer.1
        );
        let en = office.english().post(&path, body).await;
        assert_english(&answer.1, &en.1);
    }
    assert_eq!(
        office.fetch(&format!("/api/v1/documents/{doc}")).await["task_count"],
        0
    );
    let task = draft_task(office, doc, hanoi_task(&server, None, json!("2026-04-30"))).await;
    let answer = office
        .send(
            Method::PATCH,
            &format!("/api/v1/tasks/{task}"),
            Some(json!({"content": "Nội dung mật"})),
        )
        .await;
    assert_invalid(&answer, "content", "field-forbidden-for-level");

    // A body with nobody cleared for Mật cannot be handed the task; the user's own refusal
    // comes first, so that it says nothing about the body's officers.
    let mut body = hanoi_task(&server, None, json!("2026-04-30"));
    body["lead_body"] = json!(server.org_id("TU-HUE"));
    let unreachable = draft_task(office, doc, body).await;
    let transfer = format!("/api/v1/tasks/{unreachable}/transfer");
    let before = footprint(office, unreachable).await;
    let answer = cast.monitor.post(&transfer, json!({})).await;
    assert_error(&answer, StatusCode::FORBIDDEN, "auth-role-required");
    let answer = office.post(&transfer, json!({})).await;
    assert_error(&answer, StatusCode::CONFLICT, "task-no-cleared-recipient");
    assert_eq!(footprint(office, unreachable).await, before);

    start(office, &cast.hanoi_cleared, task).await;

    // Updates of a Mật task carry only the coarse outcome.
    let updates = format!("/api/v1/tasks/{task}/updates");
    let completed = json!({"status": "completed", "completion_date": "2026-03-02"});
    let with = |name: &str, value: Value| {
        let mut body = completed.clone();
        body[name] = value;
        body
    };
    let cases = [
        (
            with("percent", json!(100)),
            "percent",
            "field-forbidden-for-level",
        ),
        (
            with("results", json!("Kết quả chi tiết")),
            "results",
            "field-forbidden-for-level",
        ),
        (
            with("difficulties", json!("Khó khăn")),
            "difficulties",
            "field-forbidden-for-level",
        ),
        (
            with("proposals", json!("Kiến nghị")),
            "proposals",
            "field-forbidden-for-level",
        ),
        (
            with("products", json!([{"name": "Báo cáo"}])),
            "products",
            "field-forbidden-for-level",
        ),
        (
            json!({"status": "in_progress"}),
            "status",
            "update-classified-status-only",
        ),
    ];
    let before = footprint(office, task).await;
    for (body, field, code) in cases {
        let answer = cast.hanoi_cleared.post(&updates, body.clone()).await;
        assert_invalid(&answer, field, code);
        assert_eq!(field_names(&answer.1), [field], "{body}");
    }
    let vi = cast
        .hanoi_cleared
        .post(&updates, with("percent", json!(100)))
        .await;
    let en = cast
        .hanoi_cleared
        .english()
        .post(&updates, with("percent", json!(100)))
        .await;
    assert_english(&vi.1, &en.1);
    assert_eq!(footprint(office, task).await, before);
    let (status, drafted) = cast.hanoi_cleared.post(&updates, completed.clone()).await;
    assert_eq!(status, StatusCode::OK, "{drafted}");
    assert_eq!(drafted["updates"][0]["percent"], Value::Null);
    let answer = cast
        .hanoi_cleared
        .send(
            Method::PUT,
            &format!("{updates}/1"),
            Some(with("results", json!("Kết quả chi tiết"))),
        )
        .await;
    assert_invalid(&answer, "results", "field-forbidden-for-level");

    // Sub-tasks of a Mật task have no content either.
    let unit = office
        .ok("/api/v1/organisations", json!({"code": "HNI-VP", "name_vi": "Văn phòng Thành uỷ Hà Nội", "parent_id": server.org_id("TU-HNI")}))
        .await;
    let answer = cast
        .hanoi_cleared
        .post(
            &format!("/api/v1/tasks/{task}/subtasks"),
            json!({"lead_body": unit["id"], "content": "Phần việc mật"}),
        )
        .await;
    assert_invalid(&answer, "content", "field-forbidden-for-level");

    // Once the input is right, the unit still has nobody cleared for Mật to receive it.
    let before = footprint(office, task).await;
    let answer = cast
        .hanoi_cleared
        .post(
            &format!("/api/v1/tasks/{task}/subtasks"),
            json!({"lead_body": unit["id"]}),
        )
        .await;
    let error = assert_error(&answer, StatusCode::CONFLICT, "task-no-cleared-recipient");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or("")
            .contains("Văn phòng Thành uỷ Hà Nội"),
        "{error}"
    );
    assert_eq!(footprint(office, task).await, before);
    let en = cast
        .hanoi_cleared
        .english()
        .post(
            &format!("/api/v1/tasks/{task}/subtasks"),
            json!({"lead_body": unit["id"]}),
        )
        .await;
    assert_english(&answer.1, &en.1);
}

on_both_backends!(
    creation_errors,
    list_queries,
    hidden_tasks,
    command_permissions,
    version_checks,
    classified_fields,
);
