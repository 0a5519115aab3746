//! Error responses of the task lifecycle commands over HTTP, on both backends: commands in a
//! status that does not allow them, missing reasons, progress updates, dates out of range, and
//! the inputs of feedback, urging and delegation.

mod support;

use jiff::SignedDuration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::check::{assert_english, assert_error, assert_invalid, field_names};
use support::fixture::{Cast, document, draft_task, footprint, hanoi_task, start, transfer};
use support::{Client, TestServer, at};
use theodoi_store::{Backend, on_both_backends};

/// Runs one refused command and checks it names the action and the status, in Vietnamese.
async fn assert_wrong_state(
    client: &Client,
    method: Method,
    path: &str,
    body: Value,
    action: &str,
    status: &str,
) -> Value {
    let answer = client.send(method, path, Some(body)).await;
    let error = assert_error(&answer, StatusCode::CONFLICT, "task-wrong-state");
    let message = error["message"].as_str().unwrap_or("");
    assert!(
        message.contains(action),
        "{path}: {message} does not name {action}"
    );
    assert!(
        message.contains(status),
        "{path}: {message} does not name {status}"
    );
    answer.1
}

async fn wrong_state(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let office = &cast.office;
    let doc = document(&server, office, "45-KL/TW", "normal").await;
    let unit = office
        .ok("/api/v1/organisations", json!({"code": "HNI-BTG", "name_vi": "Ban Tuyên giáo Thành uỷ Hà Nội", "parent_id": server.org_id("TU-HNI")}))
        .await;
    let subtask = json!({"lead_body": unit["id"], "content": "Phần việc của đơn vị", "deadline": "2026-04-15"});
    let hanoi = &cast.hanoi_approver;
    let updater = &cast.hanoi_updater;

    // A draft: nothing of the body's part has started.
    let draft = draft_task(
        office,
        doc,
        hanoi_task(&server, Some("Nhiệm vụ nháp"), json!("2026-04-30")),
    )
    .await;
    let path = |suffix: &str| format!("/api/v1/tasks/{draft}{suffix}");
    let before = footprint(office, draft).await;
    let draft_cases: Vec<(&Client, &str, Value, &str)> = vec![
        (updater, "/receipt", json!({}), "xác nhận tiếp nhận"),
        (
            updater,
            "/return",
            json!({"kind": "wrong_content", "reason": "Sai nội dung"}),
            "phản hồi, trả lại nhiệm vụ",
        ),
        (
            updater,
            "/updates",
            json!({"status": "in_progress", "percent": 10}),
            "soạn báo cáo tiến độ",
        ),
        (
            updater,
            "/extension-request",
            json!({"proposed": "2026-05-31", "reason": "Cần thêm thời gian"}),
            "đề nghị gia hạn",
        ),
        (
            updater,
            "/difficulties",
            json!({"reason": "Thiếu kinh phí"}),
            "báo cáo khó khăn, vướng mắc",
        ),
        (
            office,
            "/update-request",
            json!({"due": "2026-03-10", "reason": "Cần số liệu"}),
            "yêu cầu báo cáo",
        ),
        (
            office,
            "/urgings",
            json!({"channel": "phone", "reason": "Nhắc"}),
            "đôn đốc",
        ),
        (
            office,
            "/withdraw",
            json!({"reason": "Thu hồi"}),
            "thu hồi nhiệm vụ",
        ),
        (
            office,
            "/deadline-extension",
            json!({"to": "2026-05-31", "reason": "Gia hạn"}),
            "gia hạn",
        ),
        (
            hanoi,
            "/subtasks",
            subtask.clone(),
            "giao cho đơn vị trực thuộc",
        ),
    ];
    for (client, suffix, body, action) in draft_cases {
        // A draft is the Central Office's work in progress: the body does not see it yet.
        if client.id != office.id {
            let answer = client.post(&path(suffix), body).await;
            assert_error(&answer, StatusCode::NOT_FOUND, "not-found");
            continue;
        }
        assert_wrong_state(
            client,
            Method::POST,
            &path(suffix),
            body,
            action,
            "Chưa chuyển giao",
        )
        .await;
    }
    let answer = office
        .post(
            &path("/feedback-handling"),
            json!({"decision": "reject", "reason": "Giữ nguyên"}),
        )
        .await;
    assert_error(&answer, StatusCode::CONFLICT, "feedback-not-pending");
    assert_eq!(footprint(office, draft).await, before);
    let vi = office.post(&path("/transfer"), json!({})).await;
    assert_eq!(vi.0, StatusCode::OK, "{}", vi.1);
    let vi = office.post(&path("/transfer"), json!({})).await;
    let en = office.english().post(&path("/transfer"), json!({})).await;
    assert_english(&vi.1, &en.1);
    let message = en.1["message"].as_str().unwrap_or("");
    assert!(
        message.contains("transfer the task") && message.contains("Awaiting receipt"),
        "{message}"
    );

    // Awaiting receipt: the body has not taken the task on yet.
    let waiting = draft_task(
        office,
        doc,
        hanoi_task(&server, Some("Nhiệm vụ chờ tiếp nhận"), json!("2026-04-30")),
    )
    .await;
    transfer(office, waiting).await;
    let path = |suffix: &str| format!("/api/v1/tasks/{waiting}{suffix}");
    assert_wrong_state(
        office,
        Method::POST,
        &path("/transfer"),
        json!({}),
        "chuyển giao nhiệm vụ",
        "Chờ xác nhận tiếp nhận",
    )
    .await;
    assert_wrong_state(
        updater,
        Method::POST,
        &path("/updates"),
        json!({"status": "in_progress", "percent": 5}),
        "soạn báo cáo tiến độ",
        "Chờ xác nhận tiếp nhận",
    )
    .await;
    assert_wrong_state(
        hanoi,
        Method::POST,
        &path("/subtasks"),
        subtask.clone(),
        "giao cho đơn vị trực thuộc",
        "Chờ xác nhận tiếp nhận",
    )
    .await;
    assert_wrong_state(
        &cast.monitor,
        Method::POST,
        &path("/update-request"),
        json!({"due": "2026-03-10", "reason": "Cần số liệu"}),
        "yêu cầu báo cáo",
        "Chờ xác nhận tiếp nhận",
    )
    .await;

    // Cancelled, with a draft update left awaiting approval: nothing goes on.
    let cancelled = draft_task(
        office,
        doc,
        hanoi_task(&server, Some("Nhiệm vụ bị huỷ"), json!("2026-04-30")),
    )
    .await;
    start(office, updater, cancelled).await;
    updater
        .ok(
            &format!("/api/v1/tasks/{cancelled}/updates"),
            json!({"status": "in_progress", "percent": 10}),
        )
        .await;
    office
        .ok(
            &format!("/api/v1/tasks/{cancelled}/cancel"),
            json!({"reason": "Không còn phù hợp"}),
        )
        .await;
    let path = |suffix: &str| format!("/api/v1/tasks/{cancelled}{suffix}");
    let before = footprint(office, cancelled).await;
    let cancelled_cases: Vec<(&Client, Method, &str, Value, &str)> = vec![
        (
            office,
            Method::PATCH,
            "",
            json!({"content": "Sửa", "reason": "Sửa"}),
            "sửa nhiệm vụ",
        ),
        (
            office,
            Method::POST,
            "/transfer",
            json!({}),
            "chuyển giao nhiệm vụ",
        ),
        (
            office,
            Method::POST,
            "/cancel",
            json!({"reason": "Huỷ lần nữa"}),
            "huỷ nhiệm vụ",
        ),
        (
            office,
            Method::POST,
            "/withdraw",
            json!({"reason": "Thu hồi"}),
            "thu hồi nhiệm vụ",
        ),
        (
            office,
            Method::POST,
            "/deadline-extension",
            json!({"to": "2026-05-31", "reason": "Gia hạn"}),
            "gia hạn",
        ),
        (
            office,
            Method::POST,
            "/urgings",
            json!({"channel": "email", "reason": "Nhắc"}),
            "đôn đốc",
        ),
        (
            updater,
            Method::POST,
            "/receipt",
            json!({}),
            "xác nhận tiếp nhận",
        ),
        (
            updater,
            Method::POST,
            "/return",
            json!({"kind": "outside_authority", "reason": "Ngoài thẩm quyền"}),
            "phản hồi, trả lại nhiệm vụ",
        ),
        (
            updater,
            Method::PUT,
            "/updates/1",
            json!({"status": "in_progress", "percent": 20}),
            "sửa báo cáo tiến độ",
        ),
        (
            updater,
            Method::POST,
            "/difficulties",
            json!({"reason": "Vướng mắc"}),
            "báo cáo khó khăn, vướng mắc",
        ),
        (
            updater,
            Method::POST,
            "/extension-request",
            json!({"proposed": "2026-05-31", "reason": "Thêm thời gian"}),
            "đề nghị gia hạn",
        ),
        (
            hanoi,
            Method::POST,
            "/updates/1/approve",
            json!({}),
            "phê duyệt báo cáo tiến độ",
        ),
        (
            hanoi,
            Method::POST,
            "/subtasks",
            subtask.clone(),
            "giao cho đơn vị trực thuộc",
        ),
    ];
    for (client, method, suffix, body, action) in cancelled_cases {
        assert_wrong_state(client, method, &path(suffix), body, action, "Đã huỷ").await;
    }
    assert_eq!(footprint(office, cancelled).await, before);
    let vi = office
        .post(&path("/cancel"), json!({"reason": "Huỷ"}))
        .await;
    let en = office
        .english()
        .post(&path("/cancel"), json!({"reason": "Huỷ"}))
        .await;
    assert_english(&vi.1, &en.1);
    assert!(
        en.1["message"]
            .as_str()
            .unwrap_or("")
            .contains("cancel the task"),
        "{}",
        en.1
    );

    // In progress: the task cannot be transferred again, and feedback handling has nothing
    // to handle.
    let running = draft_task(
        office,
        doc,
        hanoi_task(&server, Some("Nhiệm vụ đang làm"), json!("2026-04-30")),
    )
    .await;
    start(office, updater, running).await;
    let path = |suffix: &str| format!("/api/v1/tasks/{running}{suffix}");
    assert_wrong_state(
        office,
        Method::POST,
        &path("/transfer"),
        json!({}),
        "chuyển giao nhiệm vụ",
        "Đang thực hiện",
    )
    .await;
    assert_wrong_state(
        updater,
        Method::POST,
        &path("/receipt"),
        json!({}),
        "xác nhận tiếp nhận",
        "Đang thực hiện",
    )
    .await;
    let answer = office
        .post(
            &path("/feedback-handling"),
            json!({"decision": "reassign", "to": server.org_id("TU-HUE")}),
        )
        .await;
    assert_error(&answer, StatusCode::CONFLICT, "feedback-not-pending");
    let vi = office
        .post(
            &path("/feedback-handling"),
            json!({"decision": "reject", "reason": "Giữ"}),
        )
        .await;
    let en = office
        .english()
        .post(
            &path("/feedback-handling"),
            json!({"decision": "reject", "reason": "Giữ"}),
        )
        .await;
    assert_english(&vi.1, &en.1);

    // After the lead body has it, the lead body and the deadline change only through feedback
    // and extension; the error names the field.
    let answer = office
        .send(
            Method::PATCH,
            &path(""),
            Some(json!({"deadline": "2026-05-31", "reason": "Đổi hạn"})),
        )
        .await;
    let entry = assert_invalid(&answer, "deadline", "task-deadline-by-extension");
    assert!(
        entry["message"].as_str().unwrap_or("").contains("gia hạn"),
        "{entry}"
    );
    let answer = office
        .send(
            Method::PATCH,
            &path(""),
            Some(json!({"lead_body": server.org_id("TU-HUE"), "reason": "Đổi cơ quan"})),
        )
        .await;
    assert_invalid(&answer, "lead_body", "task-lead-by-feedback");
    let answer = office
        .send(
            Method::PATCH,
            &path(""),
            Some(json!({"content": "Nhiệm vụ đang làm", "reason": "Không đổi"})),
        )
        .await;
    assert_error(&answer, StatusCode::CONFLICT, "task-nothing-changed");
}

async fn reasons_required(backend: Backend) {
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

    // Editing a draft needs no reason; once transferred it does.
    let answer = office
        .send(
            Method::PATCH,
            &format!("/api/v1/tasks/{task}"),
            Some(json!({"content": "Thí điểm mở rộng"})),
        )
        .await;
    assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);
    start(office, &cast.hanoi_updater, task).await;
    cast.hanoi_updater
        .ok(
            &format!("/api/v1/tasks/{task}/updates"),
            json!({"status": "in_progress", "percent": 10}),
        )
        .await;
    let path = |suffix: &str| format!("/api/v1/tasks/{task}{suffix}");
    let before = footprint(office, task).await;

    let cases: Vec<(&Client, Method, &str, Value)> = vec![
        (
            office,
            Method::PATCH,
            "",
            json!({"content": "Nội dung mới"}),
        ),
        (
            &cast.hanoi_updater,
            Method::POST,
            "/return",
            json!({"kind": "wrong_content"}),
        ),
        (
            &cast.hanoi_approver,
            Method::POST,
            "/updates/1/return",
            json!({}),
        ),
        (
            &cast.hanoi_updater,
            Method::POST,
            "/extension-request",
            json!({"proposed": "2026-05-31"}),
        ),
        (
            office,
            Method::POST,
            "/deadline-extension",
            json!({"to": "2026-05-31"}),
        ),
        (
            &cast.monitor,
            Method::POST,
            "/urgings",
            json!({"channel": "phone"}),
        ),
        (
            &cast.hanoi_updater,
            Method::POST,
            "/difficulties",
            json!({}),
        ),
        (office, Method::POST, "/withdraw", json!({})),
        (office, Method::POST, "/cancel", json!({})),
        (office, Method::POST, "/cancel", json!({"reason": "   "})),
    ];
    for (client, method, suffix, body) in cases {
        let answer = client.send(method.clone(), &path(suffix), Some(body)).await;
        assert_invalid(&answer, "reason", "reason-required");
        assert_eq!(field_names(&answer.1), ["reason"], "{method} {suffix}");
    }
    // Bodies that may be left out entirely still need the reason.
    for suffix in ["/withdraw", "/cancel"] {
        let response = office
            .request(Method::POST, &path(suffix))
            .send()
            .await
            .expect("request");
        let answer = support::read(response).await;
        assert_invalid(&answer, "reason", "reason-required");
    }
    let answer = office
        .post(&path("/cancel"), json!({"reason": "x".repeat(5_001)}))
        .await;
    assert_invalid(&answer, "reason", "field-too-long");
    assert_eq!(footprint(office, task).await, before, "nothing was written");
    let vi = office.post(&path("/cancel"), json!({})).await;
    let en = office.english().post(&path("/cancel"), json!({})).await;
    assert_english(&vi.1, &en.1);

    // Editing an approved update voids its approval, which needs a reason.
    cast.hanoi_approver
        .ok(&path("/updates/1/approve"), json!({}))
        .await;
    let answer = cast
        .hanoi_updater
        .send(
            Method::PUT,
            &path("/updates/1"),
            Some(json!({"status": "in_progress", "percent": 15})),
        )
        .await;
    assert_invalid(&answer, "reason", "reason-required");
}

async fn update_errors(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-10 09:00")).await;
    let cast = Cast::new(&server).await;
    let office = &cast.office;
    let doc = document(&server, office, "45-KL/TW", "normal").await;
    let task = draft_task(
        office,
        doc,
        hanoi_task(&server, Some("Thí điểm"), json!("2026-04-30")),
    )
    .await;
    start(office, &cast.hanoi_cleared, task).await;
    let path = |suffix: &str| format!("/api/v1/tasks/{task}{suffix}");
    let both = &cast.hanoi_cleared;

    let cases = [
        (json!({}), "status", "field-required"),
        (json!({"status": "xong"}), "status", "field-not-one-of"),
        (
            json!({"status": "in_progress", "percent": 150}),
            "percent",
            "field-out-of-range",
        ),
        (
            json!({"status": "in_progress", "percent": -1}),
            "percent",
            "field-out-of-range",
        ),
        (
            json!({"status": "in_progress", "percent": 100}),
            "percent",
            "update-status-percent-mismatch",
        ),
        (
            json!({"status": "not_started", "percent": 20}),
            "percent",
            "update-status-percent-mismatch",
        ),
        (
            json!({"status": "completed"}),
            "completion_date",
            "update-completion-date-required",
        ),
        (
            json!({"status": "completed", "completion_date": "2026-03-11"}),
            "completion_date",
            "update-completion-date-in-future",
        ),
        (
            json!({"status": "completed", "completion_date": "2026-03-01"}),
            "completion_date",
            "update-completion-date-before-transfer",
        ),
        (
            json!({"status": "completed", "completion_date": "10/03/2026"}),
            "completion_date",
            "field-date-invalid",
        ),
        (
            json!({"status": "in_progress", "percent": 50, "completion_date": "2026-03-09"}),
            "completion_date",
            "update-completion-date-forbidden",
        ),
        (
            json!({"status": "in_progress", "percent": 50, "products": [{"file": "bao-cao.pdf"}]}),
            "products[0].name",
            "field-required",
        ),
        (
            json!({"status": "in_progress", "percent": 50, "results": "x".repeat(20_001)}),
            "results",
            "field-too-long",
        ),
    ];
    let before = footprint(office, task).await;
    for (body, field, code) in cases {
        let answer = both.post(&path("/updates"), body.clone()).await;
        assert_invalid(&answer, field, code);
        assert_eq!(field_names(&answer.1), [field], "{body}");
    }
    let body = json!({"status": "completed", "completion_date": "2026-03-11"});
    let vi = both.post(&path("/updates"), body.clone()).await;
    let en = both.english().post(&path("/updates"), body).await;
    assert_english(&vi.1, &en.1);
    assert!(
        vi.1["message"]
            .as_str()
            .unwrap_or("")
            .contains("10/03/2026"),
        "{}",
        vi.1
    );
    let answer = cast
        .hanoi_approver
        .post(
            &path("/updates"),
            json!({"status": "in_progress", "percent": 10}),
        )
        .await;
    assert_error(&answer, StatusCode::FORBIDDEN, "auth-role-required");
    assert_eq!(footprint(office, task).await, before);

    // One open draft at a time; its own author may not approve it.
    both.ok(
        &path("/updates"),
        json!({"status": "in_progress", "percent": 40}),
    )
    .await;
    let answer = both
        .post(
            &path("/updates"),
            json!({"status": "in_progress", "percent": 45}),
        )
        .await;
    assert_error(&answer, StatusCode::CONFLICT, "update-draft-open");
    let answer = both
        .send(
            Method::PUT,
            &path("/updates/1"),
            Some(json!({"status": "in_progress", "percent": 40})),
        )
        .await;
    assert_error(&answer, StatusCode::CONFLICT, "task-nothing-changed");
    let before = footprint(office, task).await;
    let own = both.post(&path("/updates/1/approve"), json!({})).await;
    assert_error(&own, StatusCode::FORBIDDEN, "update-own-draft");
    let en = both
        .english()
        .post(&path("/updates/1/approve"), json!({}))
        .await;
    assert_english(&own.1, &en.1);
    assert_eq!(footprint(office, task).await, before);

    // Evaluation comes after approval, once, by the monitoring body.
    let answer = cast
        .monitor
        .post(&path("/updates/1/evaluation"), json!({"rating": "good"}))
        .await;
    assert_error(&answer, StatusCode::CONFLICT, "update-not-approved");
    let en = cast
        .monitor
        .english()
        .post(&path("/updates/1/evaluation"), json!({"rating": "good"}))
        .await;
    assert_english(&answer.1, &en.1);
    cast.hanoi_approver
        .ok(&path("/updates/1/approve"), json!({}))
        .await;
    let answer = cast
        .hanoi_approver
        .post(&path("/updates/1/approve"), json!({}))
        .await;
    assert_error(
        &answer,
        StatusCode::CONFLICT,
        "update-not-awaiting-approval",
    );
    let answer = cast
        .hanoi_approver
        .post(&path("/updates/1/return"), json!({"reason": "Bổ sung"}))
        .await;
    assert_error(
        &answer,
        StatusCode::CONFLICT,
        "update-not-awaiting-approval",
    );
    for (body, field, code) in [
        (json!({}), "rating", "field-required"),
        (json!({"rating": "tot"}), "rating", "field-not-one-of"),
        (
            json!({"rating": "good", "comment": "x".repeat(20_001)}),
            "comment",
            "field-too-long",
        ),
    ] {
        let answer = cast
            .monitor
            .post(&path("/updates/1/evaluation"), body)
            .await;
        assert_invalid(&answer, field, code);
    }
    cast.monitor
        .ok(&path("/updates/1/evaluation"), json!({"rating": "good"}))
        .await;
    let answer = cast
        .monitor
        .post(
            &path("/updates/1/evaluation"),
            json!({"rating": "unsatisfactory"}),
        )
        .await;
    assert_error(&answer, StatusCode::CONFLICT, "update-already-evaluated");

    // "Done but not completed" needs a deadline to have missed.
    let open_ended = draft_task(
        office,
        doc,
        hanoi_task(&server, Some("Nhiệm vụ thường xuyên"), Value::Null),
    )
    .await;
    start(office, &cast.hanoi_updater, open_ended).await;
    let answer = cast
        .hanoi_updater
        .post(
            &format!("/api/v1/tasks/{open_ended}/updates"),
            json!({"status": "done_not_completed", "completion_date": "2026-03-10"}),
        )
        .await;
    assert_invalid(&answer, "status", "task-no-deadline");
}

async fn date_errors(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let office = &cast.office;
    let doc = document(&server, office, "45-KL/TW", "normal").await;
    let task = draft_task(
        office,
        doc,
        hanoi_task(&server, Some("Báo cáo nhanh"), json!("2026-03-06")),
    )
    .await;
    start(office, &cast.hanoi_approver, task).await;
    let open_ended = draft_task(
        office,
        doc,
        hanoi_task(&server, Some("Nhiệm vụ thường xuyên"), Value::Null),
    )
    .await;
    start(office, &cast.hanoi_approver, open_ended).await;
    let unit = office
        .ok("/api/v1/organisations", json!({"code": "HNI-BTG", "name_vi": "Ban Tuyên giáo Thành uỷ Hà Nội", "parent_id": server.org_id("TU-HNI")}))
        .await;
    server.advance(SignedDuration::from_hours(24 * 14));
    let path = |suffix: &str| format!("/api/v1/tasks/{task}{suffix}");
    let before = footprint(office, task).await;

    let hanoi = &cast.hanoi_approver;
    let cases: Vec<(&Client, &str, Value, &str, &str)> = vec![
        (
            hanoi,
            "/extension-request",
            json!({"reason": "Thêm thời gian"}),
            "proposed",
            "field-required",
        ),
        (
            hanoi,
            "/extension-request",
            json!({"proposed": "31/03/2026", "reason": "Thêm"}),
            "proposed",
            "field-date-invalid",
        ),
        (
            hanoi,
            "/extension-request",
            json!({"proposed": "2026-03-06", "reason": "Thêm"}),
            "proposed",
            "task-extension-not-later",
        ),
        (
            office,
            "/deadline-extension",
            json!({"reason": "Gia hạn"}),
            "to",
            "field-required",
        ),
        (
            office,
            "/deadline-extension",
            json!({"to": "2026-03-05", "reason": "Gia hạn"}),
            "to",
            "task-extension-not-later",
        ),
        (
            office,
            "/deadline-extension",
            json!({"to": "2026-03-10", "reason": "Gia hạn"}),
            "to",
            "date-before-min",
        ),
        (
            office,
            "/update-request",
            json!({"reason": "Báo cáo"}),
            "due",
            "field-required",
        ),
        (
            office,
            "/update-request",
            json!({"due": "2026-03-13", "reason": "Báo cáo"}),
            "due",
            "date-before-min",
        ),
        (
            hanoi,
            "/subtasks",
            json!({"lead_body": unit["id"], "content": "Phần việc", "deadline": "2026-03-05"}),
            "deadline",
            "date-before-min",
        ),
        (
            hanoi,
            "/subtasks",
            json!({"lead_body": unit["id"], "content": "Phần việc", "deadline": "2026-03-31"}),
            "deadline",
            "task-deadline-after-parent",
        ),
    ];
    for (client, suffix, body, field, code) in cases {
        let answer = client.post(&path(suffix), body).await;
        let entry = assert_invalid(&answer, field, code);
        if code == "date-before-min" {
            assert!(
                entry["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains("16/03/2026"),
                "today is named: {entry}"
            );
        }
    }
    assert_eq!(footprint(office, task).await, before);
    let body = json!({"to": "2026-03-10", "reason": "Gia hạn"});
    let vi = office
        .post(&path("/deadline-extension"), body.clone())
        .await;
    let en = office
        .english()
        .post(&path("/deadline-extension"), body)
        .await;
    assert_english(&vi.1, &en.1);
    let body = json!({"proposed": "2026-03-06", "reason": "Thêm"});
    let vi = hanoi.post(&path("/extension-request"), body.clone()).await;
    let en = hanoi
        .english()
        .post(&path("/extension-request"), body)
        .await;
    assert_english(&vi.1, &en.1);

    // A task without a deadline cannot be extended.
    let path = format!("/api/v1/tasks/{open_ended}");
    let answer = hanoi
        .post(
            &format!("{path}/extension-request"),
            json!({"proposed": "2026-12-31", "reason": "Thêm"}),
        )
        .await;
    assert_error(&answer, StatusCode::CONFLICT, "task-no-deadline");
    let answer = office
        .post(
            &format!("{path}/deadline-extension"),
            json!({"to": "2026-12-31", "reason": "Thêm"}),
        )
        .await;
    assert_error(&answer, StatusCode::CONFLICT, "task-no-deadline");
    let en = office
        .english()
        .post(
            &format!("{path}/deadline-extension"),
            json!({"to": "2026-12-31", "reason": "Thêm"}),
        )
        .await;
    assert_english(&answer.1, &en.1);
}

async fn feedback_inputs(backend: Backend) {
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
    let path = |suffix: &str| format!("/api/v1/tasks/{task}{suffix}");

    for (body, code) in [
        (json!({"reason": "Sai"}), "field-required"),
        (json!({"kind": "sai", "reason": "Sai"}), "field-not-one-of"),
    ] {
        let answer = cast.hanoi_updater.post(&path("/return"), body).await;
        assert_invalid(&answer, "kind", code);
    }
    for (body, field, code) in [
        (json!({"reason": "Nhắc"}), "channel", "field-required"),
        (
            json!({"channel": "bo-cau", "reason": "Nhắc"}),
            "channel",
            "field-not-one-of",
        ),
    ] {
        let answer = cast.monitor.post(&path("/urgings"), body).await;
        assert_invalid(&answer, field, code);
    }
    let vi = cast
        .monitor
        .post(
            &path("/urgings"),
            json!({"channel": "bo-cau", "reason": "Nhắc"}),
        )
        .await;
    let en = cast
        .monitor
        .english()
        .post(
            &path("/urgings"),
            json!({"channel": "bo-cau", "reason": "Nhắc"}),
        )
        .await;
    assert_english(&vi.1, &en.1);

    cast.hanoi_updater
        .ok(
            &path("/return"),
            json!({"kind": "outside_authority", "reason": "Thuộc thẩm quyền Thành uỷ Huế"}),
        )
        .await;
    let before = footprint(office, task).await;
    let cases = [
        (json!({}), "decision", "field-required"),
        (json!({"decision": "xoa"}), "decision", "field-not-one-of"),
        (json!({"decision": "reassign"}), "to", "field-required"),
        (
            json!({"decision": "reassign", "to": 999_999}),
            "to",
            "org-not-found",
        ),
        (
            json!({"decision": "reassign", "to": server.org_id("BCT")}),
            "to",
            "org-wrong-category",
        ),
        (json!({"decision": "reject"}), "reason", "reason-required"),
        (
            json!({"decision": "adjust", "changes": {"deadline": "2026-05-31"}}),
            "deadline",
            "task-deadline-by-extension",
        ),
        (
            json!({"decision": "correct", "changes": {"lead_body": server.org_id("TU-HUE")}}),
            "lead_body",
            "task-lead-by-feedback",
        ),
    ];
    for (body, field, code) in cases {
        let answer = office.post(&path("/feedback-handling"), body.clone()).await;
        assert_invalid(&answer, field, code);
        assert_eq!(field_names(&answer.1), [field], "{body}");
    }
    let vi = office
        .post(
            &path("/feedback-handling"),
            json!({"decision": "reassign", "to": 999_999}),
        )
        .await;
    let en = office
        .english()
        .post(
            &path("/feedback-handling"),
            json!({"decision": "reassign", "to": 999_999}),
        )
        .await;
    assert_english(&vi.1, &en.1);
    for body in [
        json!({"decision": "reassign", "to": server.org_id("TU-HNI")}),
        json!({"decision": "adjust", "changes": {}}),
        json!({"decision": "adjust", "changes": {"content": "Thí điểm"}}),
    ] {
        let answer = office.post(&path("/feedback-handling"), body).await;
        assert_error(&answer, StatusCode::CONFLICT, "task-nothing-changed");
    }
    let answer = office
        .post(
            &path("/feedback-handling"),
            json!({"decision": "adjust", "changes": {"noi_dung": "x"}}),
        )
        .await;
    assert_invalid(&answer, "changes.noi_dung", "field-unknown");
    assert_eq!(footprint(office, task).await, before, "nothing was written");
}

async fn delegation_inputs(backend: Backend) {
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
    let path = format!("/api/v1/tasks/{task}/subtasks");
    let hanoi = &cast.hanoi_approver;

    let cases = [
        (
            json!({"content": "Phần việc"}),
            "lead_body",
            "field-required",
        ),
        (
            json!({"lead_body": 999_999, "content": "Phần việc"}),
            "lead_body",
            "org-not-found",
        ),
        (
            json!({"lead_body": server.org_id("TU-HPG"), "content": "Phần việc"}),
            "lead_body",
            "org-not-subordinate",
        ),
        (
            json!({"lead_body": server.org_id("TU-HNI"), "content": "Phần việc"}),
            "lead_body",
            "org-not-subordinate",
        ),
        (
            json!({"lead_body": unit["id"]}),
            "content",
            "field-required",
        ),
        (
            json!({"lead_body": unit["id"], "content": "Phần việc", "deadline": "15/04/2026"}),
            "deadline",
            "field-date-invalid",
        ),
    ];
    for (body, field, code) in cases {
        let answer = hanoi.post(&path, body.clone()).await;
        assert_invalid(&answer, field, code);
        assert_eq!(field_names(&answer.1), [field], "{body}");
    }
    let vi = hanoi
        .post(
            &path,
            json!({"lead_body": server.org_id("TU-HPG"), "content": "Phần việc"}),
        )
        .await;
    let en = hanoi
        .english()
        .post(
            &path,
            json!({"lead_body": server.org_id("TU-HPG"), "content": "Phần việc"}),
        )
        .await;
    assert_english(&vi.1, &en.1);
    assert_eq!(
        office.fetch(&format!("/api/v1/tasks/{task}")).await["subtasks"],
        json!([])
    );

    // A retried delegation with the same key creates one sub-task; the key with another body
    // is refused.
    let delegation = json!({"lead_body": unit["id"], "content": "Phần việc của Ban Tuyên giáo"});
    let send = |body: Value| {
        let request = hanoi
            .request(Method::POST, &path)
            .header("Idempotency-Key", "giao-btg")
            .json(&body);
        async move { support::read(request.send().await.expect("request")).await }
    };
    let (status, sub) = send(delegation.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{sub}");
    let (status, replayed) = send(delegation).await;
    assert_eq!(status, StatusCode::OK, "{replayed}");
    assert_eq!(replayed["id"], sub["id"]);
    let answer = send(json!({"lead_body": unit["id"], "content": "Phần việc khác"})).await;
    assert_error(
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "request-idempotency-key-reused",
    );
    assert_eq!(
        office.fetch(&format!("/api/v1/tasks/{task}")).await["subtasks"],
        json!([sub["id"]])
    );

    // A sub-task is not delegated further down.
    let sub_id = sub["id"].as_i64().expect("sub-task id");
    let unit_approver = server
        .user(
            "hni.btg.pheduyet",
            "HNI-BTG",
            &[
                theodoi_domain::user::Role::Approver,
                theodoi_domain::user::Role::Updater,
            ],
            theodoi_domain::user::Clearance::Normal,
        )
        .await;
    unit_approver
        .ok(&format!("/api/v1/tasks/{sub_id}/receipt"), json!({}))
        .await;
    let answer = unit_approver
        .post(
            &format!("/api/v1/tasks/{sub_id}/subtasks"),
            json!({"lead_body": unit["id"], "content": "Cấp dưới nữa"}),
        )
        .await;
    assert_error(&answer, StatusCode::CONFLICT, "task-subtask-depth");
    let en = unit_approver
        .english()
        .post(
            &format!("/api/v1/tasks/{sub_id}/subtasks"),
            json!({"lead_body": unit["id"], "content": "Cấp dưới nữa"}),
        )
        .await;
    assert_english(&answer.1, &en.1);

    // The delegating body, not the Central Office, is the sub-task's assigning side.
    let answer = office
        .post(
            &format!("/api/v1/tasks/{sub_id}/cancel"),
            json!({"reason": "Huỷ"}),
        )
        .await;
    assert_error(&answer, StatusCode::FORBIDDEN, "auth-role-required");
    let answer = cast
        .coordinator
        .post(
            &format!("/api/v1/tasks/{sub_id}/cancel"),
            json!({"reason": "Huỷ"}),
        )
        .await;
    assert_error(&answer, StatusCode::NOT_FOUND, "not-found");
}

on_both_backends!(
    wrong_state,
    reasons_required,
    update_errors,
    date_errors,
    feedback_inputs,
    delegation_inputs
);
