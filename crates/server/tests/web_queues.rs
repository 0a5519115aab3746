//! The Central Office's queues over HTTP, on both backends. Covered: documents awaiting entry
//! by their entry deadline, and returned tasks with their handling form, including errors next
//! to fields in Vietnamese and English, double submission, a stale page, reassignment and
//! classified tasks.

mod support;

use reqwest::StatusCode;
use serde_json::json;
use support::fixture::{Cast, document, draft_task, fetch_task, hanoi_task, transfer};
use support::html::{error_next_to, pairs};
use support::web::hidden_field;
use support::{Client, TestServer, at, event_types};
use theodoi_store::{Backend, on_both_backends};

/// Registers a resolution issued on `issue_date` (`YYYY-MM-DD`) and returns its id.
async fn resolution(server: &TestServer, office: &Client, symbol: &str, issue_date: &str) -> i64 {
    office
        .ok(
            "/api/v1/documents",
            json!({
                "kind": "resolution",
                "symbol": symbol,
                "title": format!("Nghị quyết {symbol}"),
                "issue_date": issue_date,
                "signer": "Tổng Bí thư",
                "issuing_body": server.org_id("VPTW"),
                "assigning_authority": server.org_id("BCT"),
                "monitoring_body": server.org_id("VPTW"),
                "summary": "Giao các cơ quan triển khai"
            }),
        )
        .await["id"]
        .as_i64()
        .expect("document id")
}

/// Creates a task of Hà Nội, transfers it and has its updater return it with feedback.
async fn returned_task(server: &TestServer, cast: &Cast, symbol: &str) -> i64 {
    let document = document(server, &cast.office, symbol, "normal").await;
    let task = draft_task(
        &cast.office,
        document,
        hanoi_task(
            server,
            Some("Tổng kết việc thực hiện nghị quyết"),
            json!("2026-06-30"),
        ),
    )
    .await;
    transfer(&cast.office, task).await;
    cast.hanoi_updater
        .ok(
            &format!("/api/v1/tasks/{task}/return"),
            json!({"kind": "wrong_content", "reason": "Nội dung trùng với nhiệm vụ đã giao năm trước"}),
        )
        .await;
    task
}

/// Builds the handling form of the first card on the queue page, filled with `fields`.
fn handling_form(page: &str, fields: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form = pairs(&[
        ("_idem", &hidden_field(page, "_idem").expect("key")),
        (
            "_version",
            &hidden_field(page, "_version").expect("version"),
        ),
    ]);
    form.extend(pairs(fields));
    form
}

async fn queues_entry_order(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    // Entry is due at the end of the third working day after the issue date.
    let overdue = resolution(&server, &cast.office, "31-NQ/TW", "2026-02-20").await;
    let due_today = resolution(&server, &cast.office, "32-NQ/TW", "2026-02-25").await;
    let later = resolution(&server, &cast.office, "33-NQ/TW", "2026-02-27").await;
    draft_task(
        &cast.office,
        later,
        hanoi_task(
            &server,
            Some("Nhiệm vụ chưa chuyển giao"),
            json!("2026-06-30"),
        ),
    )
    .await;
    let entered = resolution(&server, &cast.office, "34-NQ/TW", "2026-02-26").await;
    let task = draft_task(
        &cast.office,
        entered,
        hanoi_task(
            &server,
            Some("Nhiệm vụ đã chuyển giao"),
            json!("2026-06-30"),
        ),
    )
    .await;
    transfer(&cast.office, task).await;

    let browser = server.browser("vptw").await;
    let (status, page) = browser.get("/queues/entry").await;
    assert_eq!(status, StatusCode::OK);
    let position = |id: i64| {
        page.find(&format!("href=\"/documents/{id}\""))
            .unwrap_or_else(|| panic!("document {id} in the queue:\n{page}"))
    };
    assert!(position(overdue) < position(due_today));
    assert!(position(due_today) < position(later));
    assert!(
        !page.contains(&format!("href=\"/documents/{entered}\"")),
        "a document whose tasks are all transferred has left the queue"
    );
    assert!(page.contains("<tr class=\"breached\">"));
    assert!(page.contains("<span class=\"badge breached\">Vi phạm thời hạn</span>"));
    assert!(page.contains("<span class=\"badge pending\">Đang trong hạn</span>"));
    assert!(page.contains("25/02/2026 17:00"));
    assert!(
        page.contains(&format!("datetime=\"{}\"", at("2026-03-02 17:00"))),
        "a countdown to the entry deadline"
    );
    assert!(page.contains("data-left=\"Còn {t}\""));
    assert!(page.contains("Chưa nhập nhiệm vụ"));
    assert!(page.contains("0 / 1 nhiệm vụ"));

    let (_, _, _) = browser.post("/language", &[("language", "en")]).await;
    let (_, page) = browser.get("/queues/entry").await;
    assert!(page.contains("Entry deadline"));
    assert!(page.contains("<span class=\"badge breached\">Breached</span>"));
    assert!(page.contains("No tasks entered yet"));
    assert!(page.contains("data-over=\"Overdue by {t}\""));
}

async fn queues_feedback_handling(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    server.set_time("2026-03-02 10:00");
    let task = returned_task(&server, &cast, "35-KL/TW").await;

    let browser = server.browser("vptw").await;
    let (status, page) = browser.get("/queues/feedback").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Nội dung nhiệm vụ chưa đúng"));
    assert!(page.contains("Nội dung trùng với nhiệm vụ đã giao năm trước"));
    assert!(page.contains("Thành uỷ Hà Nội"));
    assert!(
        page.contains("03/03/2026 17:00"),
        "handling is due one working day later"
    );
    assert!(page.contains(&format!("datetime=\"{}\"", at("2026-03-03 17:00"))));
    assert!(page.contains(">Tổng kết việc thực hiện nghị quyết</textarea>"));
    let path = format!("/queues/feedback/{task}");

    let (status, _, answer) = browser.post_pairs(&path, &handling_form(&page, &[])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_next_to(&answer, &format!("t{task}-decision")),
        "Chưa chọn “Hướng xử lý”. Vui lòng chọn một hướng xử lý."
    );

    let reject = handling_form(&page, &[("decision", "reject"), ("reason", "")]);
    let (status, _, answer) = browser.post_pairs(&path, &reject).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_next_to(&answer, &format!("t{task}-reason")),
        "Thao tác này cần nêu lý do. Vui lòng nhập lý do."
    );
    assert!(
        answer.contains("value=\"reject\" data-decision checked"),
        "the choice is kept"
    );

    let (_, _, _) = browser.post("/language", &[("language", "en")]).await;
    let (status, _, answer) = browser.post_pairs(&path, &reject).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_next_to(&answer, &format!("t{task}-reason")),
        "This action needs a reason. Please enter the reason."
    );
    let (_, _, _) = browser.post("/language", &[("language", "vi")]).await;

    let unchanged = handling_form(&page, &[("decision", "adjust")]);
    let mut unchanged = unchanged;
    unchanged.extend(pairs(&[
        ("content", "Tổng kết việc thực hiện nghị quyết"),
        ("coordinating_bodies", &server.org_id("BTCTW").to_string()),
        ("monitoring_body", &server.org_id("VPTW").to_string()),
        ("classification.executing_unit", "provincial_committee"),
        ("classification.scope", "nationwide"),
        ("classification.priority", "regular"),
    ]));
    let (status, _, answer) = browser.post_pairs(&path, &unchanged).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(answer.contains("Không có thay đổi nào so với dữ liệu hiện tại."));

    let mut adjust = unchanged.clone();
    adjust.retain(|(name, _)| name != "content");
    adjust.push((
        "content".into(),
        "Tổng kết 5 năm thực hiện nghị quyết tại Thành uỷ".into(),
    ));
    let (status, location, answer) = browser.post_pairs(&path, &adjust).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{answer}");
    let (_, page) = browser.get(location.as_deref().unwrap()).await;
    assert!(
        page.contains(
            "Đã xử lý phản hồi về nhiệm vụ 1 của văn bản 35-KL/TW; nhiệm vụ đã được chuyển giao lại."
        ),
        "{page}"
    );
    assert!(page.contains("Không có phản hồi nào chờ xử lý."));
    let (status, _) = browser.get("/queues/feedback?handled=khong-ro").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "an edited address still shows the queue"
    );
    let view = fetch_task(&cast.office, task).await;
    assert_eq!(view["status"]["code"], "awaiting_receipt");
    assert_eq!(
        view["content"],
        "Tổng kết 5 năm thực hiện nghị quyết tại Thành uỷ"
    );
}

async fn queues_feedback_stale(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let task = returned_task(&server, &cast, "36-KL/TW").await;
    let browser = server.browser("vptw").await;
    let (_, page) = browser.get("/queues/feedback").await;
    let form = handling_form(
        &page,
        &[
            ("decision", "reject"),
            ("reason", "Nhiệm vụ đúng thẩm quyền của Thành uỷ"),
        ],
    );

    // Someone urges the body meanwhile, which moves the task to a new version.
    cast.office
        .ok(
            &format!("/api/v1/tasks/{task}/urgings"),
            json!({"channel": "phone", "reason": "Đề nghị Thành uỷ chờ kết quả xử lý"}),
        )
        .await;
    let path = format!("/queues/feedback/{task}");
    let (status, _, answer) = browser.post_pairs(&path, &form).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        answer.contains("Dữ liệu đã được người khác thay đổi sau khi bạn mở"),
        "{answer}"
    );
    assert!(
        answer.contains(">Nhiệm vụ đúng thẩm quyền của Thành uỷ</textarea>"),
        "the input is kept"
    );
    assert!(answer.contains("value=\"reject\" data-decision checked"));
    let events = event_types(&cast.office, task).await;
    assert!(!events.contains(&"feedback_handled".to_owned()));

    // Sent again from the refreshed form, it applies to the version now shown.
    let again = handling_form(
        &answer,
        &[
            ("decision", "reject"),
            ("reason", "Nhiệm vụ đúng thẩm quyền của Thành uỷ"),
        ],
    );
    assert_ne!(again, form, "the form now carries the current version");
    let (status, _, _) = browser.post_pairs(&path, &again).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        fetch_task(&cast.office, task).await["status"]["code"],
        "awaiting_receipt"
    );
}

async fn queues_feedback_once(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let task = returned_task(&server, &cast, "37-KL/TW").await;
    let browser = server.browser("vptw").await;
    let (_, page) = browser.get("/queues/feedback").await;
    let form = handling_form(
        &page,
        &[("decision", "reject"), ("reason", "Giữ nguyên nhiệm vụ")],
    );
    let path = format!("/queues/feedback/{task}");
    let (first, _, _) = browser.post_pairs(&path, &form).await;
    let (second, location, _) = browser.post_pairs(&path, &form).await;
    assert_eq!(first, StatusCode::SEE_OTHER);
    assert_eq!(
        second,
        StatusCode::SEE_OTHER,
        "the repeat is answered as done"
    );
    assert_eq!(
        location.as_deref(),
        Some(format!("/queues/feedback?handled={task}").as_str())
    );
    let handled = event_types(&cast.office, task)
        .await
        .into_iter()
        .filter(|event| event == "feedback_handled")
        .count();
    assert_eq!(handled, 1, "handled once");
}

async fn queues_feedback_reassign(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let task = returned_task(&server, &cast, "38-KL/TW").await;
    let browser = server.browser("vptw").await;
    let (_, page) = browser.get("/queues/feedback").await;
    let path = format!("/queues/feedback/{task}");

    let form = handling_form(&page, &[("decision", "reassign"), ("to", "")]);
    let (status, _, answer) = browser.post_pairs(&path, &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_next_to(&answer, &format!("t{task}-to")),
        "Chưa nhập “Cơ quan được giao lại”. Vui lòng nhập “Cơ quan được giao lại”."
    );

    let haiphong = server.org_id("TU-HPG").to_string();
    let form = handling_form(
        &page,
        &[
            ("decision", "reassign"),
            ("to", &haiphong),
            ("reason", "Giao Thành uỷ Hải Phòng chủ trì"),
        ],
    );
    let (status, _, answer) = browser.post_pairs(&path, &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{answer}");
    let view = fetch_task(&cast.office, task).await;
    assert_eq!(view["lead_body"]["code"], "TU-HPG");
    assert_eq!(view["status"]["code"], "awaiting_receipt");
}

async fn queues_feedback_classified(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let secret = document(&server, &cast.office, "39-KL/TW", "confidential").await;
    let task = draft_task(
        &cast.office,
        secret,
        hanoi_task(&server, None, json!("2026-06-30")),
    )
    .await;
    transfer(&cast.office, task).await;
    cast.hanoi_cleared
        .ok(
            &format!("/api/v1/tasks/{task}/return"),
            json!({"kind": "outside_authority", "reason": "Không thuộc thẩm quyền"}),
        )
        .await;

    let browser = server.browser("vptw").await;
    let (_, page) = browser.get("/queues/feedback").await;
    assert!(page.contains("Nội dung không lưu (nhiệm vụ mật)"));
    assert!(page.contains("Không thuộc thẩm quyền"));
    assert!(
        !page.contains("name=\"content\""),
        "a classified task has no content to edit"
    );
    let mut form = handling_form(&page, &[("decision", "adjust")]);
    form.extend(pairs(&[
        ("monitoring_body", &server.org_id("VPTW").to_string()),
        ("classification.executing_unit", "provincial_committee"),
        ("classification.scope", "nationwide"),
        ("classification.priority", "key"),
    ]));
    let (status, _, answer) = browser
        .post_pairs(&format!("/queues/feedback/{task}"), &form)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{answer}");
    let view = fetch_task(&cast.office, task).await;
    assert_eq!(view["classification"]["priority"]["code"], "key");
    assert!(view["content"].is_null());
}

on_both_backends!(
    queues_entry_order,
    queues_feedback_handling,
    queues_feedback_stale,
    queues_feedback_once,
    queues_feedback_reassign,
    queues_feedback_classified,
);
