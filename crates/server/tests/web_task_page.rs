//! The task page as its users see it: what each role is shown and offered, and every action
//! form with its success, a message next to the wrong field, a double submission and a stale
//! page. Also the links to progress updates, the live region, scope and both languages.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::json;
use support::fixture::{
    Cast, count_events, document, draft_task, fetch_task, hanoi_task, hanoi_task_in_progress,
    hanoi_task_transferred, start, transfer,
};
use support::html::{escaped, form_field};
use support::web::WebClient;
use support::{TestServer, at};
use theodoi_i18n::{Lang, catalogue};
use theodoi_store::{Backend, on_both_backends};

fn message(id: &str) -> String {
    escaped(&catalogue().text(Lang::Vi, id))
}

async fn page(browser: &WebClient, task: i64) -> String {
    let (status, html) = browser.get(&format!("/tasks/{task}")).await;
    assert_eq!(status, StatusCode::OK, "task page {task}: {html}");
    html
}

fn offers(html: &str, task: i64, action: &str) -> bool {
    html.contains(&format!("action=\"/tasks/{task}/actions/{action}\""))
}

fn org_name(server: &TestServer, code: &str) -> String {
    server
        .state
        .reference()
        .orgs
        .by_code(code)
        .expect("organisation")
        .name_vi
        .clone()
}

async fn task_page_per_role(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let content = "Thí điểm số hoá hồ sơ nhiệm vụ tại Hà Nội";
    let document_id = document(&server, &people.office, "12-KL/TW", "normal").await;
    let task = draft_task(
        &people.office,
        document_id,
        hanoi_task(&server, Some(content), json!("2026-06-30")),
    )
    .await;
    transfer(&people.office, task).await;
    let hanoi = org_name(&server, "TU-HNI");

    let office = server.browser("vptw").await;
    let html = page(&office, task).await;
    assert!(html.contains(content), "content shown");
    assert!(
        html.contains("Nhiệm vụ 1 – 12-KL/TW"),
        "heading names the task"
    );
    assert!(html.contains(&format!("href=\"/documents/{document_id}\"")));
    assert!(
        html.contains("Kết luận về thí điểm theo dõi nhiệm vụ"),
        "document title"
    );
    assert!(
        html.contains(&org_name(&server, "BTCTW")),
        "coordinating body"
    );
    assert!(html.contains("30/06/2026"), "deadline as dd/mm/yyyy");
    assert!(html.contains("data-countdown"), "deadline countdown");
    assert!(html.contains(&catalogue().text(Lang::Vi, "task-status-awaiting-receipt")));
    assert!(html.contains(&catalogue().text(Lang::Vi, "result-not-started-on-time")));
    assert!(html.contains("Thường xuyên"), "the default priority, named");
    assert!(
        html.contains(&format!(
            "Chuyển giao nhiệm vụ cho {hanoi}; hạn xác nhận tiếp nhận"
        )),
        "timeline sentence of the transfer"
    );
    assert!(html.contains("Nhập nhiệm vụ vào hệ thống."));
    assert!(html.contains("Cán bộ vptw"), "actor name");
    assert!(
        html.contains("Hạn: Xác nhận tiếp nhận"),
        "obligation due time"
    );
    assert!(html.contains("Đang trong hạn"), "pending obligation status");
    for action in ["extend", "urge", "withdraw", "cancel", "edit"] {
        assert!(offers(&html, task, action), "office is offered {action}");
    }
    for action in [
        "transfer",
        "receipt",
        "return",
        "difficulty",
        "request-update",
    ] {
        assert!(
            !offers(&html, task, action),
            "office is not offered {action}"
        );
    }

    let updater = server.browser("hni.capnhat").await;
    let html = page(&updater, task).await;
    for action in ["receipt", "return", "request-extension"] {
        assert!(offers(&html, task, action), "lead body is offered {action}");
    }
    for action in ["extend", "withdraw", "cancel", "edit", "urge"] {
        assert!(
            !offers(&html, task, action),
            "lead body is not offered {action}"
        );
    }

    let monitor = server.browser("vptw.theodoi").await;
    let html = page(&monitor, task).await;
    assert!(offers(&html, task, "urge"));
    assert!(!offers(&html, task, "request-update"), "not before receipt");
    assert!(!offers(&html, task, "extend"));

    let viewer = server.browser("lanhdao").await;
    let html = page(&viewer, task).await;
    assert!(html.contains(&message("ui-task-page-no-actions")));
    assert!(!html.contains("/actions/"));

    let coordinator = server.browser("btc.dau.moi").await;
    let html = page(&coordinator, task).await;
    assert!(html.contains(content), "a coordinating body sees the task");
    assert!(!html.contains("/actions/"), "but acts on nothing");

    let haiphong = server.browser("hpg.dau.moi").await;
    let (status, html) = haiphong.get(&format!("/tasks/{task}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("<html"), "an error page");
    assert!(!html.contains(content), "nothing of the task leaks");
    let (status, _) = haiphong.get(&format!("/tasks/{task}/live")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = office.get("/tasks/khong-phai-so").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = office.get("/tasks/999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn classified_task_has_no_content(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let document_id = document(&server, &people.office, "13-KL/TW", "confidential").await;
    let task = draft_task(
        &people.office,
        document_id,
        hanoi_task(&server, None, json!("2026-06-30")),
    )
    .await;
    transfer(&people.office, task).await;

    let cleared = server.browser("hni.mat").await;
    let html = page(&cleared, task).await;
    assert!(html.contains(&message("ui-task-page-classified")));
    assert!(html.contains(&message("confidentiality-confidential")));
    assert!(offers(&html, task, "receipt"));

    let uncleared = server.browser("hni.capnhat").await;
    let (status, _) = uncleared.get(&format!("/tasks/{task}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no clearance, no page");
}

async fn transfer_and_receipt(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let document_id = document(&server, &people.office, "14-KL/TW", "normal").await;
    let task = draft_task(
        &people.office,
        document_id,
        hanoi_task(&server, Some("Chuyển giao qua trang"), json!("2026-06-30")),
    )
    .await;

    let office = server.browser("vptw").await;
    let html = page(&office, task).await;
    assert!(html.contains(&message("task-status-draft")));
    let action = format!("/tasks/{task}/actions/transfer");
    let first = office.submit(&html, &action, &[]).await;
    assert_eq!(first.0, StatusCode::SEE_OTHER, "{}", first.2);
    assert_eq!(
        first.1.as_deref(),
        Some(format!("/tasks/{task}?done=transfer#result").as_str())
    );
    // The same rendering of the form sent again, as by a double click.
    let second = office.submit(&html, &action, &[]).await;
    assert_eq!(second.0, StatusCode::SEE_OTHER, "a repeat is not an error");
    assert_eq!(count_events(&people.office, task, "transferred").await, 1);
    let (_, done) = office.get(&format!("/tasks/{task}?done=transfer")).await;
    assert!(done.contains(&message("ui-task-page-done-transfer")));
    assert!(!offers(&done, task, "transfer"), "transferred once");

    let updater = server.browser("hni.capnhat").await;
    let html = page(&updater, task).await;
    let (status, location, _) = updater
        .submit(&html, &format!("/tasks/{task}/actions/receipt"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some(format!("/tasks/{task}?done=receipt#result").as_str())
    );
    let html = page(&updater, task).await;
    assert!(html.contains(&message("task-status-in-progress")));
    assert!(
        html.contains("Xác nhận tiếp nhận nhiệm vụ; nếu nhiệm vụ chưa phù hợp, phản hồi trước")
    );
    assert!(offers(&html, task, "difficulty"));
    assert!(html.contains(&format!("href=\"/tasks/{task}/updates/new\"")));
    assert!(html.contains(&format!("href=\"/tasks/{task}/delegate\"")));
}

async fn return_with_feedback(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let task = hanoi_task_transferred(
        &server,
        &people.office,
        "12-KL/TW",
        "Nhiệm vụ cần phản hồi",
        "2026-06-30",
    )
    .await;
    let updater = server.browser("hni.capnhat").await;
    let html = page(&updater, task).await;
    let action = format!("/tasks/{task}/actions/return");

    let (status, _, html) = updater
        .submit(&html, &action, &[("kind", ""), ("reason", "")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("id=\"return-kind-error\""),
        "message next to the kind"
    );
    assert!(html.contains("Loại phản hồi"), "the kind is named in words");
    assert!(html.contains("id=\"return-reason-error\""));
    assert!(html.contains(&message("reason-required")));
    assert!(html.contains("<details open>"), "the form stays open");
    assert_eq!(count_events(&people.office, task, "returned").await, 0);

    let reason = "Nội dung thuộc thẩm quyền của Chính phủ";
    let (status, location, _) = updater
        .submit(
            &html,
            &action,
            &[("kind", "outside_authority"), ("reason", reason)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location:?}");
    let html = page(&updater, task).await;
    assert!(html.contains("Không thuộc thẩm quyền"));
    assert!(html.contains(reason), "the feedback is shown");

    let office = server.browser("vptw").await;
    let html = page(&office, task).await;
    assert!(html.contains(&message("ui-task-page-pending-feedback")));
    assert!(
        html.contains("href=\"/queues/feedback\""),
        "a link to handle it"
    );
}

async fn extension_forms(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let task = hanoi_task_transferred(
        &server,
        &people.office,
        "12-KL/TW",
        "Nhiệm vụ cần gia hạn",
        "2026-06-30",
    )
    .await;

    let updater = server.browser("hni.capnhat").await;
    let html = page(&updater, task).await;
    let action = format!("/tasks/{task}/actions/request-extension");
    let (status, _, html) = updater
        .submit(
            &html,
            &action,
            &[("proposed", "15/06/2026"), ("reason", "Chờ ý kiến các bộ")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"request-extension-proposed-error\""));
    assert!(
        html.contains("30/06/2026"),
        "the message names the current deadline"
    );
    assert!(html.contains("Chờ ý kiến các bộ"), "the reason is kept");
    assert!(
        html.contains("value=\"15/06/2026\""),
        "the date is kept as typed"
    );

    let (status, _, _) = updater
        .submit(
            &html,
            &action,
            &[("proposed", "31/07/2026"), ("reason", "Chờ ý kiến các bộ")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let office = server.browser("vptw").await;
    let html = page(&office, task).await;
    assert!(html.contains("Cơ quan chủ trì đề nghị gia hạn đến ngày 31/07/2026."));
    assert!(
        html.contains("value=\"31/07/2026\""),
        "the extension form starts from the requested date"
    );
    let action = format!("/tasks/{task}/actions/extend");
    let (status, _, html) = office
        .submit(&html, &action, &[("to", "31/02/2026"), ("reason", "")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"extend-to-error\""));
    assert!(
        html.contains("ngày/tháng/năm"),
        "date advice in the pages' format"
    );
    assert!(
        html.contains("“Thời hạn mới” không phải ngày hợp lệ"),
        "the field is named"
    );
    assert!(html.contains("id=\"extend-reason-error\""));

    let (status, _, _) = office
        .submit(
            &html,
            &action,
            &[
                ("to", "2026-07-31"),
                ("reason", "Đồng ý đề nghị của Thành uỷ"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let html = page(&office, task).await;
    assert!(html.contains(&message("ui-task-page-deadline-history")));
    assert!(html.contains("Gia hạn từ ngày 30/06/2026 đến ngày 31/07/2026."));
    assert!(html.contains("Đồng ý đề nghị của Thành uỷ"));
    assert!(html.contains(&message("ui-task-page-original-deadline")));
}

async fn monitoring_forms(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let task = hanoi_task_in_progress(
        &server,
        &people.office,
        &people.hanoi_updater,
        "15-KL/TW",
        "Nhiệm vụ được đôn đốc",
        "2026-06-30",
    )
    .await;

    let monitor = server.browser("vptw.theodoi").await;
    let html = page(&monitor, task).await;
    let action = format!("/tasks/{task}/actions/request-update");
    let (status, _, html) = monitor
        .submit(&html, &action, &[("due", "01/03/2026")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"request-update-due-error\""));
    assert!(html.contains("02/03/2026"), "not before today");
    let (status, _, html) = monitor
        .submit(&html, &action, &[("due", "10/03/2026")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let html = page(&monitor, task).await;
    assert!(html.contains("Yêu cầu báo cáo tiến độ trước 10/03/2026 17:00."));
    assert!(html.contains("Hạn: Báo cáo theo yêu cầu"));

    let action = format!("/tasks/{task}/actions/urge");
    let (status, _, html) = monitor
        .submit(&html, &action, &[("channel", "phone"), ("reason", "")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"urge-reason-error\""));
    assert!(
        html.contains("<option value=\"phone\" selected>"),
        "the chosen channel is kept"
    );
    let (status, _, _) = monitor
        .submit(
            &html,
            &action,
            &[
                ("channel", "phone"),
                ("reason", "Đề nghị báo cáo trước ngày 10/3"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let html = page(&monitor, task).await;
    assert!(html.contains("Đôn đốc qua điện thoại."));
    assert!(html.contains("Đề nghị báo cáo trước ngày 10/3"));
    assert_eq!(count_events(&people.office, task, "urged").await, 1);
}

async fn difficulty_withdraw_cancel(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let task = hanoi_task_in_progress(
        &server,
        &people.office,
        &people.hanoi_updater,
        "16-KL/TW",
        "Nhiệm vụ gặp khó khăn",
        "2026-06-30",
    )
    .await;

    let updater = server.browser("hni.capnhat").await;
    let html = page(&updater, task).await;
    let action = format!("/tasks/{task}/actions/difficulty");
    let (status, _, html) = updater.submit(&html, &action, &[("reason", "  ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"difficulty-reason-error\""));
    let (status, _, _) = updater
        .submit(&html, &action, &[("reason", "Thiếu kinh phí triển khai")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let html = page(&updater, task).await;
    assert!(html.contains(&format!("đồng gửi {}", org_name(&server, "UBKTTW"))));

    let office = server.browser("vptw").await;
    let html = page(&office, task).await;
    let action = format!("/tasks/{task}/actions/withdraw");
    let (status, _, html) = office.submit(&html, &action, &[("reason", "")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"withdraw-reason-error\""));
    let (status, _, _) = office
        .submit(&html, &action, &[("reason", "Sửa nội dung")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let html = page(&office, task).await;
    assert!(html.contains(&message("task-status-draft")));
    assert!(html.contains("Thu hồi nhiệm vụ để chỉnh sửa."));
    assert!(
        offers(&html, task, "transfer"),
        "a withdrawn task can go out again"
    );

    let action = format!("/tasks/{task}/actions/cancel");
    let (status, _, html) = office.submit(&html, &action, &[("reason", "")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"cancel-reason-error\""));
    let (status, _, _) = office
        .submit(&html, &action, &[("reason", "Trùng nhiệm vụ")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let html = page(&office, task).await;
    assert!(html.contains(&message("task-status-cancelled")));
    assert!(!html.contains("/actions/"), "nothing more to do");
}

async fn edit_form(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let task = hanoi_task_transferred(
        &server,
        &people.office,
        "12-KL/TW",
        "Nội dung cũ của nhiệm vụ",
        "2026-06-30",
    )
    .await;
    let office = server.browser("vptw").await;
    let html = page(&office, task).await;
    assert!(
        html.contains("Nội dung cũ của nhiệm vụ</textarea>"),
        "current values"
    );
    assert!(
        !html.contains("id=\"edit-deadline\""),
        "deadline changes by extension now"
    );
    assert!(
        !html.contains("id=\"edit-lead\""),
        "lead body changes by feedback now"
    );
    let action = format!("/tasks/{task}/actions/edit");
    let monitoring = server.org_id("VPTW").to_string();
    let coordinating = server.org_id("BTCTW").to_string();
    let base = |content: &'static str, reason: &'static str| {
        vec![
            ("content", content),
            ("expected_products", ""),
            ("executing_unit", "provincial_committee"),
            ("scope", "nationwide"),
            ("scope_detail", ""),
            ("priority", "key"),
            ("other", ""),
            ("report_period", "monthly"),
            ("reason", reason),
        ]
    };

    let mut fields = base("", "");
    fields.push(("monitoring_body", monitoring.as_str()));
    fields.push(("coordinating_bodies", coordinating.as_str()));
    let (status, _, html) = office.submit(&html, &action, &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("id=\"edit-content-error\""),
        "content is required"
    );
    assert!(
        html.contains("id=\"edit-reason-error\""),
        "a transferred task needs a reason"
    );
    assert!(
        html.contains("<option value=\"key\" selected>"),
        "the chosen priority is kept"
    );

    let mut fields = base("Nội dung mới của nhiệm vụ", "Đính chính theo văn bản");
    fields.push(("monitoring_body", monitoring.as_str()));
    fields.push(("coordinating_bodies", coordinating.as_str()));
    let (status, _, html) = office.submit(&html, &action, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let html = page(&office, task).await;
    assert!(html.contains("Nội dung mới của nhiệm vụ"));
    assert!(html.contains("Trọng tâm, ưu tiên"));
    assert!(html.contains("Sửa nhiệm vụ: nội dung nhiệm vụ"), "{html}");
    let view = people.office.fetch(&format!("/api/v1/tasks/{task}")).await;
    assert_eq!(view["classification"]["priority"]["code"], "key");
    assert_eq!(view["coordinating_bodies"][0]["code"], "BTCTW");
}

async fn stale_page_keeps_input(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let task = hanoi_task_in_progress(
        &server,
        &people.office,
        &people.hanoi_updater,
        "17-KL/TW",
        "Nhiệm vụ bị thay đổi",
        "2026-06-30",
    )
    .await;
    let monitor = server.browser("vptw.theodoi").await;
    let html = page(&monitor, task).await;

    // Someone else changes the task after the page was rendered.
    people
        .office
        .ok(
            &format!("/api/v1/tasks/{task}/urgings"),
            json!({"channel": "email", "reason": "Nhắc qua thư"}),
        )
        .await;

    let note = "Đề nghị cập nhật trước cuộc họp giao ban";
    let (status, _, html) = monitor
        .submit(
            &html,
            &format!("/tasks/{task}/actions/urge"),
            &[("channel", "meeting"), ("reason", note)],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains(&message("ui-task-page-conflict")));
    assert!(html.contains(note), "the input is kept");
    assert!(html.contains("Nhắc qua thư"), "the current state is shown");
    assert_eq!(count_events(&people.office, task, "urged").await, 1);

    // The re-rendered form carries the current version and goes through.
    let (status, _, _) = monitor
        .submit(
            &html,
            &format!("/tasks/{task}/actions/urge"),
            &[("channel", "meeting"), ("reason", note)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(count_events(&people.office, task, "urged").await, 2);

    // The live region warns an old page that it is out of date.
    let (status, fragment) = monitor.get(&format!("/tasks/{task}/live?version=1")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(fragment.starts_with("<div id=\"task-live\""));
    assert!(!fragment.contains("<html"), "a fragment, not a page");
    assert!(fragment.contains(&message("ui-task-page-changed")));
    let current = people.office.fetch(&format!("/api/v1/tasks/{task}")).await["version"]
        .as_i64()
        .unwrap();
    let (_, fragment) = monitor
        .get(&format!("/tasks/{task}/live?version={current}"))
        .await;
    assert!(!fragment.contains(&message("ui-task-page-changed")));

    // An action the user may not take is refused with the page and a message.
    let updater = server.browser("hni.capnhat").await;
    let html = page(&updater, task).await;
    let version = form_field(
        &html,
        &format!("/tasks/{task}/actions/difficulty"),
        "_version",
    )
    .expect("version");
    let (status, _, html) = updater
        .post(
            &format!("/tasks/{task}/actions/cancel"),
            &[("_version", version.as_str()), ("reason", "Không cần nữa")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("role=\"alert\""));
    assert!(
        html.contains("id=\"result\""),
        "the message is at the top of the page"
    );
    let (status, _) = updater.get(&format!("/tasks/{task}")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = updater
        .post(
            &format!("/tasks/{task}/actions/khong-co"),
            &[("reason", "x")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn update_links_by_role(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let task = hanoi_task_in_progress(
        &server,
        &people.office,
        &people.hanoi_updater,
        "18-KL/TW",
        "Nhiệm vụ có báo cáo",
        "2026-06-30",
    )
    .await;
    people
        .hanoi_updater
        .ok(
            &format!("/api/v1/tasks/{task}/updates"),
            json!({"status": "in_progress", "percent": 40, "results": "Đã xây dựng kế hoạch",
                   "products": [{"name": "Kế hoạch triển khai", "file": "kh-01"}]}),
        )
        .await;

    let approver = server.browser("hni.pheduyet").await;
    let html = page(&approver, task).await;
    assert!(html.contains("Báo cáo số 1"));
    assert!(
        !html.contains(&message("ui-task-page-authors")),
        "a draft only its drafter wrote names its author once"
    );
    let version = fetch_task(&people.hanoi_cleared, task).await["version"].clone();
    let response = people
        .hanoi_cleared
        .request(Method::PUT, &format!("/api/v1/tasks/{task}/updates/1"))
        .header("If-Match", format!("\"{version}\""))
        .json(
            &json!({"status": "in_progress", "percent": 40, "results": "Đã xây dựng kế hoạch chi tiết",
                      "products": [{"name": "Kế hoạch triển khai", "file": "kh-01"}]}),
        )
        .send()
        .await
        .expect("edit the draft");
    let status = response.status();
    assert_eq!(status, StatusCode::OK, "a second updater edits the draft");
    let html = page(&approver, task).await;
    assert!(
        html.contains(&message("ui-task-page-authors")),
        "an edited draft lists everyone who wrote it"
    );
    assert!(html.contains("Đã xây dựng kế hoạch"));
    assert!(
        html.contains("href=\"/attachments/kh-01\""),
        "the product's file"
    );
    assert!(html.contains(&format!("action=\"/tasks/{task}/updates/1/approve\"")));
    assert!(html.contains(&format!("action=\"/tasks/{task}/updates/1/return\"")));
    assert!(
        form_field(
            &html,
            &format!("/tasks/{task}/updates/1/approve"),
            "_version"
        )
        .is_some()
    );

    let updater = server.browser("hni.capnhat").await;
    let html = page(&updater, task).await;
    assert!(html.contains(&format!("href=\"/tasks/{task}/updates/1/edit\"")));
    assert!(
        !html.contains("/updates/1/approve"),
        "an updater does not approve"
    );
    assert!(
        !html.contains(&format!("href=\"/tasks/{task}/updates/new\"")),
        "one open draft at a time"
    );

    people
        .hanoi_approver
        .ok(
            &format!("/api/v1/tasks/{task}/updates/1/approve"),
            json!({}),
        )
        .await;
    let monitor = server.browser("vptw.theodoi").await;
    let html = page(&monitor, task).await;
    assert!(html.contains(&format!("href=\"/tasks/{task}/updates/1/evaluate\"")));
    assert!(html.contains("40%"));
    assert!(html.contains("Phê duyệt báo cáo tiến độ số 1; hạn đánh giá"));
    let html = page(&updater, task).await;
    assert!(html.contains(&format!("href=\"/tasks/{task}/updates/new\"")));
    assert!(html.contains(&message("ui-task-page-reopen-update")));

    // The update pages come back here with their own confirmation.
    let (_, html) = updater
        .get(&format!("/tasks/{task}?notice=update-approved"))
        .await;
    assert!(html.contains(&message("ui-updates-notice-approved")));
}

async fn task_page_in_english(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let task = hanoi_task_transferred(
        &server,
        &people.office,
        "12-KL/TW",
        "Nhiệm vụ xem bằng tiếng Anh",
        "2026-06-30",
    )
    .await;
    let office = server.browser("vptw").await;
    let (status, _, _) = office.post("/language", &[("language", "en")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let html = page(&office, task).await;
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Task 1 – 12-KL/TW"));
    assert!(html.contains("Transferred the task to Hanoi City Party Committee"));
    assert!(html.contains(&escaped(
        &catalogue().text(Lang::En, "task-status-awaiting-receipt")
    )));
    assert!(html.contains("Extend the deadline"));
    let (status, _, html) = office
        .submit(
            &html,
            &format!("/tasks/{task}/actions/cancel"),
            &[("reason", "")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(&escaped(&catalogue().text(Lang::En, "reason-required"))));
}

/// One form submitted from a page rendered before the task changed.
struct StaleCase<'a> {
    browser: &'a WebClient,
    html: &'a str,
    task: i64,
    action: &'static str,
    fields: Vec<(&'a str, &'a str)>,
}

async fn stale_version_on_every_form(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let document_id = document(&server, &people.office, "19-KL/TW", "normal").await;
    let body = |content: &str| hanoi_task(&server, Some(content), json!("2026-06-30"));
    let draft = draft_task(
        &people.office,
        document_id,
        body("Nhiệm vụ còn là bản nháp"),
    )
    .await;
    let waiting = draft_task(&people.office, document_id, body("Nhiệm vụ chờ tiếp nhận")).await;
    transfer(&people.office, waiting).await;
    let working = draft_task(&people.office, document_id, body("Nhiệm vụ đang thực hiện")).await;
    start(&people.office, &people.hanoi_updater, working).await;

    let office = server.browser("vptw").await;
    let updater = server.browser("hni.capnhat").await;
    let draft_page = page(&office, draft).await;
    let waiting_page = page(&updater, waiting).await;
    let office_page = page(&office, working).await;
    let updater_page = page(&updater, working).await;

    // Every task changes after its pages were rendered.
    let (status, edited) = people
        .office
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/tasks/{draft}"),
            Some(json!({"expected_products": "Báo cáo"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    for task in [waiting, working] {
        people
            .office
            .ok(
                &format!("/api/v1/tasks/{task}/urgings"),
                json!({"channel": "email", "reason": "Nhắc qua thư"}),
            )
            .await;
    }

    let monitoring = server.org_id("VPTW").to_string();
    let edit = vec![
        ("content", "Nội dung sửa"),
        ("expected_products", ""),
        ("executing_unit", "provincial_committee"),
        ("scope", "nationwide"),
        ("scope_detail", ""),
        ("priority", "regular"),
        ("other", ""),
        ("report_period", "monthly"),
        ("monitoring_body", monitoring.as_str()),
        ("reason", "Đính chính"),
    ];
    let cases = [
        StaleCase {
            browser: &office,
            html: &draft_page,
            task: draft,
            action: "transfer",
            fields: vec![],
        },
        StaleCase {
            browser: &updater,
            html: &waiting_page,
            task: waiting,
            action: "receipt",
            fields: vec![],
        },
        StaleCase {
            browser: &updater,
            html: &updater_page,
            task: working,
            action: "return",
            fields: vec![("kind", "wrong_content"), ("reason", "Sai nội dung")],
        },
        StaleCase {
            browser: &updater,
            html: &updater_page,
            task: working,
            action: "request-extension",
            fields: vec![("proposed", "31/07/2026"), ("reason", "Chờ ý kiến")],
        },
        StaleCase {
            browser: &updater,
            html: &updater_page,
            task: working,
            action: "difficulty",
            fields: vec![("reason", "Thiếu kinh phí")],
        },
        StaleCase {
            browser: &office,
            html: &office_page,
            task: working,
            action: "extend",
            fields: vec![("to", "31/07/2026"), ("reason", "Đồng ý")],
        },
        StaleCase {
            browser: &office,
            html: &office_page,
            task: working,
            action: "request-update",
            fields: vec![("due", "10/03/2026")],
        },
        StaleCase {
            browser: &office,
            html: &office_page,
            task: working,
            action: "urge",
            fields: vec![("channel", "phone"), ("reason", "Nhắc lần hai")],
        },
        StaleCase {
            browser: &office,
            html: &office_page,
            task: working,
            action: "withdraw",
            fields: vec![("reason", "Sửa nội dung")],
        },
        StaleCase {
            browser: &office,
            html: &office_page,
            task: working,
            action: "cancel",
            fields: vec![("reason", "Trùng nhiệm vụ")],
        },
        StaleCase {
            browser: &office,
            html: &office_page,
            task: working,
            action: "edit",
            fields: edit,
        },
    ];
    let conflict = message("ui-task-page-conflict");
    for StaleCase {
        browser,
        html,
        task,
        action,
        fields,
    } in cases
    {
        let path = format!("/tasks/{task}/actions/{action}");
        let (status, _, answer) = browser.submit(html, &path, &fields).await;
        assert_eq!(status, StatusCode::CONFLICT, "{action} on a stale page");
        assert!(answer.contains(&conflict), "{action} says the task changed");
        for (_, value) in fields.iter().filter(|(name, _)| *name == "reason") {
            assert!(answer.contains(value), "{action} keeps the reason typed");
        }
    }
    assert_eq!(count_events(&people.office, draft, "transferred").await, 0);
    assert_eq!(
        count_events(&people.office, waiting, "receipt_confirmed").await,
        0
    );
    assert_eq!(count_events(&people.office, working, "urged").await, 1);
    assert_eq!(count_events(&people.office, working, "cancelled").await, 0);
}

on_both_backends!(
    task_page_per_role,
    classified_task_has_no_content,
    transfer_and_receipt,
    return_with_feedback,
    extension_forms,
    monitoring_forms,
    difficulty_withdraw_cancel,
    edit_form,
    stale_page_keeps_input,
    stale_version_on_every_form,
    update_links_by_role,
    task_page_in_english,
);
