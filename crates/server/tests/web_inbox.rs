//! The inbox of a body's focal officers, on both backends. Every section is filled from one set
//! of tasks and seen by an updater, an approver and another province, in Vietnamese and
//! English. Receipt is confirmed from it, with a double click and a stale page.

mod support;

use reqwest::StatusCode;
use serde_json::json;
use support::fixture::{
    Cast, count_events, document, draft_task, fetch_task, hanoi_task, hanoi_unit, start, transfer,
};
use support::html::{form, hidden_fields, text};
use support::{Client, TestServer, at};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{Backend, on_both_backends};

/// The tasks behind each section of Hà Nội's inbox.
struct Tasks {
    receipt: i64,
    report: i64,
    approval: i64,
    fix: i64,
    returned: i64,
    evaluated_subtask: i64,
    late_subtask: i64,
}

async fn new_task(server: &TestServer, office: &Client, document: i64, content: &str) -> i64 {
    draft_task(
        office,
        document,
        hanoi_task(server, Some(content), json!("2026-06-30")),
    )
    .await
}

/// Fills every section: a task to confirm, a requested report, a draft to approve, a returned
/// draft, a task returned with feedback, a unit's approved update to evaluate, and a unit late
/// confirming receipt. The clock ends the next morning, when the receipts are overdue.
async fn fill_sections(server: &TestServer, cast: &Cast) -> Tasks {
    let office = &cast.office;
    let updater = &cast.hanoi_updater;
    let approver = &cast.hanoi_approver;
    let doc = document(server, office, "20-KL/TW", "normal").await;

    let receipt = new_task(server, office, doc, "Nhiệm vụ chờ tiếp nhận").await;
    transfer(office, receipt).await;

    let report = new_task(server, office, doc, "Nhiệm vụ được yêu cầu báo cáo").await;
    start(office, updater, report).await;
    cast.monitor
        .ok(
            &format!("/api/v1/tasks/{report}/update-request"),
            json!({"due": "2026-03-06", "reason": "Cần số liệu cho báo cáo tháng"}),
        )
        .await;

    let approval = new_task(server, office, doc, "Nhiệm vụ có báo cáo chờ phê duyệt").await;
    start(office, updater, approval).await;
    updater
        .ok(
            &format!("/api/v1/tasks/{approval}/updates"),
            json!({"status": "in_progress", "percent": 20}),
        )
        .await;

    let fix = new_task(server, office, doc, "Nhiệm vụ có báo cáo bị trả lại").await;
    start(office, updater, fix).await;
    updater
        .ok(
            &format!("/api/v1/tasks/{fix}/updates"),
            json!({"status": "in_progress", "percent": 10}),
        )
        .await;
    approver
        .ok(
            &format!("/api/v1/tasks/{fix}/updates/1/return"),
            json!({"reason": "Bổ sung số liệu của các quận"}),
        )
        .await;

    let returned = new_task(server, office, doc, "Nhiệm vụ đã phản hồi").await;
    transfer(office, returned).await;
    updater
        .ok(
            &format!("/api/v1/tasks/{returned}/return"),
            json!({"kind": "wrong_content", "reason": "Nội dung trùng với nhiệm vụ khác"}),
        )
        .await;

    let parent = new_task(server, office, doc, "Nhiệm vụ giao đơn vị").await;
    start(office, updater, parent).await;
    let unit = hanoi_unit(office, server, "HNI-BTG", "Ban Tuyên giáo Thành uỷ Hà Nội").await;
    let unit_updater = server
        .user(
            "btg.capnhat",
            "HNI-BTG",
            &[Role::Updater],
            Clearance::Normal,
        )
        .await;
    let unit_approver = server
        .user(
            "btg.pheduyet",
            "HNI-BTG",
            &[Role::Approver],
            Clearance::Normal,
        )
        .await;
    let delegate = |content: &'static str| {
        let approver = approver.clone();
        async move {
            approver
                .ok(
                    &format!("/api/v1/tasks/{parent}/subtasks"),
                    json!({"lead_body": unit, "content": content, "deadline": "2026-05-30"}),
                )
                .await["id"]
                .as_i64()
                .expect("sub-task id")
        }
    };
    let evaluated_subtask = delegate("Tập huấn cán bộ đầu mối").await;
    unit_updater
        .ok(
            &format!("/api/v1/tasks/{evaluated_subtask}/receipt"),
            json!({}),
        )
        .await;
    unit_updater
        .ok(
            &format!("/api/v1/tasks/{evaluated_subtask}/updates"),
            json!({"status": "in_progress", "percent": 50}),
        )
        .await;
    unit_approver
        .ok(
            &format!("/api/v1/tasks/{evaluated_subtask}/updates/1/approve"),
            json!({}),
        )
        .await;
    let late_subtask = delegate("Khảo sát hiện trạng dữ liệu").await;

    server.set_time("2026-03-03 10:00");
    Tasks {
        receipt,
        report,
        approval,
        fix,
        returned,
        evaluated_subtask,
        late_subtask,
    }
}

async fn inbox_sections_by_role(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let tasks = fill_sections(&server, &cast).await;

    // The updater: what to confirm, write and fix.
    let updater = server.browser("hni.capnhat").await;
    let (status, page) = updater.get("/inbox").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let shown = text(&page);
    assert!(
        page.contains("aria-current=\"page\""),
        "the inbox is the current page"
    );
    assert!(shown.contains("Có 4 việc cần thực hiện."), "{shown}");
    assert!(shown.contains("1 việc đã quá hạn."), "{shown}");
    assert!(shown.contains("Nhiệm vụ chờ xác nhận tiếp nhận"));
    assert!(shown.contains("Nhiệm vụ chờ tiếp nhận"));
    assert!(
        shown.contains("Quá hạn"),
        "the overdue receipt counts down: {shown}"
    );
    assert!(page.contains("data-countdown"));
    let receipt = hidden_fields(&page, &format!("/inbox/receipt/{}", tasks.receipt));
    assert!(receipt.contains_key("_idem"), "{receipt:?}");
    assert!(receipt.contains_key("_version"), "{receipt:?}");

    assert!(shown.contains("Báo cáo tiến độ đến hạn"));
    assert!(shown.contains("Báo cáo theo yêu cầu"), "{shown}");
    assert!(page.contains(&format!(
        "href=\"/tasks/{}/updates/new?back=/inbox\"",
        tasks.report
    )));

    assert!(shown.contains("Báo cáo chờ phê duyệt"));
    assert!(shown.contains("Nhiệm vụ có báo cáo chờ phê duyệt"));
    assert!(
        form(
            &page,
            &format!("/tasks/{}/updates/1/approve", tasks.approval)
        )
        .is_none(),
        "an updater does not approve"
    );
    assert!(page.contains(&format!(
        "href=\"/tasks/{}/updates/1/edit?back=/inbox\"",
        tasks.approval
    )));

    assert!(shown.contains("Báo cáo bị trả lại cần sửa"));
    assert!(shown.contains("Bổ sung số liệu của các quận"));
    assert!(shown.contains("Sửa và gửi lại"));
    assert!(page.contains(&format!(
        "href=\"/tasks/{}/updates/1/edit?back=/inbox\"",
        tasks.fix
    )));

    assert!(
        !shown.contains("Báo cáo của đơn vị trực thuộc chờ đánh giá"),
        "an updater does not evaluate"
    );
    assert!(shown.contains("Đơn vị trực thuộc chậm thực hiện"));
    assert!(shown.contains("Ban Tuyên giáo Thành uỷ Hà Nội"));
    assert!(shown.contains("Khảo sát hiện trạng dữ liệu"));
    assert!(page.contains(&format!("href=\"/tasks/{}\"", tasks.late_subtask)));

    assert!(shown.contains("Nhiệm vụ đã phản hồi, chờ xử lý"));
    assert!(shown.contains("Nội dung trùng với nhiệm vụ khác"));
    assert!(shown.contains("Nội dung chưa phù hợp"));
    assert!(page.contains(&format!("href=\"/tasks/{}\"", tasks.returned)));

    // The approver: approve or return, and evaluate the unit's update.
    let approver = server.browser("hni.pheduyet").await;
    let (status, page) = approver.get("/inbox").await;
    assert_eq!(status, StatusCode::OK);
    let shown = text(&page);
    assert!(shown.contains("Có 5 việc cần thực hiện."), "{shown}");
    let approve = hidden_fields(
        &page,
        &format!("/tasks/{}/updates/1/approve", tasks.approval),
    );
    assert_eq!(approve["back"], "/inbox");
    assert!(page.contains(&format!(
        "href=\"/tasks/{}/updates/1/return?back=/inbox\"",
        tasks.approval
    )));
    assert!(
        !page.contains(&format!("href=\"/tasks/{}/updates/new", tasks.report)),
        "an approver does not write updates"
    );
    assert!(shown.contains("Chờ đầu mối cập nhật sửa"));
    assert!(shown.contains("Báo cáo của đơn vị trực thuộc chờ đánh giá"));
    assert!(page.contains(&format!(
        "href=\"/tasks/{}/updates/1/evaluate?back=/inbox\"",
        tasks.evaluated_subtask
    )));

    // The sections alone, for live reloads.
    let (status, fragment) = approver.get("/inbox/sections").await;
    assert_eq!(status, StatusCode::OK);
    assert!(fragment.contains("id=\"inbox-sections\""));
    assert!(!fragment.contains("<html"), "a fragment, not a page");

    // In English.
    approver.post("/language", &[("language", "en")]).await;
    let (_, page) = approver.get("/inbox").await;
    let shown = text(&page);
    assert!(page.contains("<html lang=\"en\">"));
    for heading in [
        "Tasks awaiting confirmation of receipt",
        "Progress reports due",
        "Updates awaiting approval",
        "Updates returned for correction",
        "Units' updates awaiting evaluation",
        "Units that are late",
        "Tasks returned with feedback, awaiting handling",
        "5 items need action.",
        "Confirm receipt",
        "Approve",
    ] {
        assert!(shown.contains(heading), "{heading} in {shown}");
    }

    // Another province gets none of Hà Nội's work.
    let haiphong = server.browser("hpg.dau.moi").await;
    let (status, page) = haiphong.get("/inbox").await;
    assert_eq!(status, StatusCode::OK);
    let shown = text(&page);
    assert!(
        shown.contains("Hiện không có việc nào cần cơ quan thực hiện."),
        "{shown}"
    );
    for content in [
        "Nhiệm vụ chờ tiếp nhận",
        "Nhiệm vụ có báo cáo chờ phê duyệt",
        "Khảo sát hiện trạng dữ liệu",
        "Nội dung trùng với nhiệm vụ khác",
    ] {
        assert!(!shown.contains(content), "{content} in {shown}");
    }

    // Only focal officers have an inbox.
    let monitor = server.browser("vptw.theodoi").await;
    let (status, page) = monitor.get("/inbox").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{page}");
}

async fn receipt_confirmed_from_inbox(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let doc = document(&server, &cast.office, "21-KL/TW", "normal").await;
    let first = new_task(&server, &cast.office, doc, "Nhiệm vụ thứ nhất").await;
    let second = new_task(&server, &cast.office, doc, "Nhiệm vụ thứ hai").await;
    transfer(&cast.office, first).await;
    transfer(&cast.office, second).await;
    server.set_time("2026-03-02 10:00");
    let updater = server.browser("hni.capnhat").await;

    let (_, page) = updater.get("/inbox").await;
    let action = format!("/inbox/receipt/{first}");
    let hidden = hidden_fields(&page, &action);
    let fields: Vec<(&str, &str)> = hidden
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let (status, location, _) = updater.post(&action, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/inbox?notice=receipt-confirmed"));
    let (status, location, _) = updater.post(&action, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the double click");
    assert_eq!(location.as_deref(), Some("/inbox?notice=receipt-confirmed"));
    assert_eq!(
        count_events(&cast.hanoi_updater, first, "receipt_confirmed").await,
        1
    );
    assert_eq!(
        fetch_task(&cast.hanoi_updater, first).await["status"]["code"],
        "in_progress"
    );
    let (_, page) = updater.get("/inbox?notice=receipt-confirmed").await;
    let shown = text(&page);
    assert!(shown.contains("Đã xác nhận tiếp nhận nhiệm vụ."), "{shown}");
    assert!(
        !shown.contains("Nhiệm vụ thứ nhất"),
        "no longer waiting: {shown}"
    );

    // A page left open while the task changed: the conflict is shown in the inbox.
    let stale = hidden_fields(&page, &format!("/inbox/receipt/{second}"));
    cast.monitor
        .ok(
            &format!("/api/v1/tasks/{second}/urgings"),
            json!({"channel": "system", "reason": "Đề nghị xác nhận tiếp nhận"}),
        )
        .await;
    let fields: Vec<(&str, &str)> = stale
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let action = format!("/inbox/receipt/{second}");
    let (status, _, page) = updater.post(&action, &fields).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let shown = text(&page);
    assert!(
        shown.contains("Dữ liệu đã được người khác thay đổi"),
        "{shown}"
    );
    assert!(shown.contains("Việc cần làm"), "shown in the inbox");
    assert_eq!(
        count_events(&cast.hanoi_updater, second, "receipt_confirmed").await,
        0
    );
    let fresh = hidden_fields(&page, &action);
    let fields: Vec<(&str, &str)> = fresh
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let (status, _, _) = updater.post(&action, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        fetch_task(&cast.hanoi_updater, second).await["status"]["code"],
        "in_progress"
    );

    // Another province cannot confirm Hà Nội's task: it does not exist for them.
    let third = new_task(&server, &cast.office, doc, "Nhiệm vụ thứ ba").await;
    transfer(&cast.office, third).await;
    let haiphong = server.browser("hpg.dau.moi").await;
    let (status, _, _) = haiphong.post(&format!("/inbox/receipt/{third}"), &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        count_events(&cast.hanoi_updater, third, "receipt_confirmed").await,
        0
    );
}

/// A task due soon already owes its final report from the moment it is transferred, but the
/// body is asked for it only once it has confirmed receipt.
async fn reports_wait_for_receipt(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let doc = document(&server, &cast.office, "22-KL/TW", "normal").await;
    let task = draft_task(
        &cast.office,
        doc,
        hanoi_task(&server, Some("Nhiệm vụ hạn gần"), json!("2026-03-10")),
    )
    .await;
    transfer(&cast.office, task).await;
    let updater = server.browser("hni.capnhat").await;
    let report_link = format!("href=\"/tasks/{task}/updates/new?back=/inbox\"");

    let (_, page) = updater.get("/inbox").await;
    assert!(
        page.contains(&format!("/inbox/receipt/{task}")),
        "the task waits for receipt"
    );
    assert!(
        !page.contains(&report_link),
        "no report is asked for before receipt"
    );

    cast.hanoi_updater
        .ok(&format!("/api/v1/tasks/{task}/receipt"), json!({}))
        .await;
    let (_, page) = updater.get("/inbox").await;
    assert!(
        page.contains(&report_link),
        "the final report is asked for once the task is received"
    );
}

on_both_backends!(
    inbox_sections_by_role,
    receipt_confirmed_from_inbox,
    reports_wait_for_receipt
);
