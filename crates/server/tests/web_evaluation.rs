//! The monitoring body's pages: the evaluation queue and form, for monitoring officers and for
//! approvers of a body that delegated work, and urging with each channel. On both backends.

mod support;

use reqwest::StatusCode;
use serde_json::json;
use support::fixture::{
    Cast, count_events, document, draft_task, events, fetch_task, hanoi_task,
    hanoi_task_in_progress, hanoi_unit, transfer,
};
use support::html::{field_error, text};
use support::{TestServer, at};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{Backend, on_both_backends};

async fn evaluation_queue_and_form(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let id = hanoi_task_in_progress(
        &server,
        &cast.office,
        &cast.hanoi_updater,
        "30-KL/TW",
        "Xây dựng kho dữ liệu nhiệm vụ",
        "2026-06-30",
    )
    .await;
    cast.hanoi_updater
        .ok(
            &format!("/api/v1/tasks/{id}/updates"),
            json!({"status": "in_progress", "percent": 45, "results": "Đã nhập 45% hồ sơ"}),
        )
        .await;
    server.set_time("2026-03-02 10:00");
    cast.hanoi_approver
        .ok(&format!("/api/v1/tasks/{id}/updates/1/approve"), json!({}))
        .await;

    let monitor = server.browser("vptw.theodoi").await;
    let (status, page) = monitor.get("/queues/evaluation").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let shown = text(&page);
    assert!(shown.contains("Báo cáo chờ đánh giá"));
    assert!(shown.contains("Xây dựng kho dữ liệu nhiệm vụ"));
    assert!(shown.contains("Báo cáo số 1"));
    // Three working days after the approval on Monday: Thursday at the end of the day.
    assert!(shown.contains("Hạn: 05/03/2026 17:00"), "{shown}");
    assert!(page.contains("data-countdown"));
    let form_path = format!("/tasks/{id}/updates/1/evaluate");
    assert!(page.contains(&format!("href=\"{form_path}\"")));

    let (status, page) = monitor.get(&form_path).await;
    assert_eq!(status, StatusCode::OK);
    let shown = text(&page);
    assert!(shown.contains("Đã nhập 45% hồ sơ"), "the update's content");
    assert!(shown.contains("45%"));
    for rating in ["good", "satisfactory", "unsatisfactory"] {
        assert!(page.contains(&format!("name=\"rating\" value=\"{rating}\"")));
    }

    let (status, _, answer) = monitor
        .submit(
            &page,
            &form_path,
            &[("comment", "Cần nêu rõ tiến độ từng quận")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_error(&answer, "f-rating").as_deref(),
        Some("Chưa nhập “Mức đánh giá”. Vui lòng nhập “Mức đánh giá”.")
    );
    assert!(
        answer.contains(">Cần nêu rõ tiến độ từng quận</textarea>"),
        "input kept"
    );

    let rated = [
        ("rating", "satisfactory"),
        ("comment", "Cần nêu rõ tiến độ từng quận"),
    ];
    let (status, location, _) = monitor.submit(&page, &form_path, &rated).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some("/queues/evaluation?notice=update-evaluated")
    );
    let (status, _, _) = monitor.submit(&page, &form_path, &rated).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the double click");
    assert_eq!(count_events(&cast.monitor, id, "update_evaluated").await, 1);
    // The same page sent again with another rating, as after going back in the browser.
    let (status, _, answer) = monitor
        .submit(&page, &form_path, &[("rating", "good")])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        text(&answer).contains("Biểu mẫu này đã được gửi trước đó với nội dung khác."),
        "{}",
        text(&answer)
    );
    let view = fetch_task(&cast.monitor, id).await;
    assert_eq!(view["updates"][0]["evaluation"]["rating"], "satisfactory");

    let (_, page) = monitor
        .get("/queues/evaluation?notice=update-evaluated")
        .await;
    let shown = text(&page);
    assert!(shown.contains("Đã ghi nhận đánh giá báo cáo tiến độ."));
    assert!(
        shown.contains("Không có báo cáo nào chờ đánh giá."),
        "{shown}"
    );
    let (status, page) = monitor.get(&form_path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text(&page).contains("Báo cáo tiến độ số 1 đã được đánh giá."));
    assert!(!page.contains("name=\"rating\""), "no second evaluation");

    // A monitoring officer of another body may not evaluate, and another province gets not found.
    let other = server.browser("btc.theodoi").await;
    let (status, page) = other.get(&form_path).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{page}");
    assert!(page.contains("Thao tác này thuộc thẩm quyền của cơ quan khác."));
    let haiphong = server.browser("hpg.dau.moi").await;
    let (status, _) = haiphong.get(&form_path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // In English.
    monitor.post("/language", &[("language", "en")]).await;
    let (_, page) = monitor.get("/queues/evaluation").await;
    let shown = text(&page);
    assert!(shown.contains("Updates awaiting evaluation"), "{shown}");
    assert!(shown.contains("Tasks to urge"), "{shown}");
}

async fn delegating_body_evaluates_its_units(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let parent = hanoi_task_in_progress(
        &server,
        &cast.office,
        &cast.hanoi_updater,
        "31-KL/TW",
        "Chuyển đổi số công tác văn phòng",
        "2026-06-30",
    )
    .await;
    let unit = hanoi_unit(&cast.office, &server, "HNI-VP", "Văn phòng Thành uỷ Hà Nội").await;
    let unit_updater = server
        .user("vp.capnhat", "HNI-VP", &[Role::Updater], Clearance::Normal)
        .await;
    let unit_approver = server
        .user(
            "vp.pheduyet",
            "HNI-VP",
            &[Role::Approver],
            Clearance::Normal,
        )
        .await;
    let sub = cast
        .hanoi_approver
        .ok(
            &format!("/api/v1/tasks/{parent}/subtasks"),
            json!({"lead_body": unit, "content": "Số hoá hồ sơ của Văn phòng"}),
        )
        .await["id"]
        .as_i64()
        .expect("sub-task id");
    unit_updater
        .ok(&format!("/api/v1/tasks/{sub}/receipt"), json!({}))
        .await;
    unit_updater
        .ok(
            &format!("/api/v1/tasks/{sub}/updates"),
            json!({"status": "in_progress", "percent": 60}),
        )
        .await;
    unit_approver
        .ok(&format!("/api/v1/tasks/{sub}/updates/1/approve"), json!({}))
        .await;

    let approver = server.browser("hni.pheduyet").await;
    let (status, page) = approver.get("/queues/evaluation").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(text(&page).contains("Số hoá hồ sơ của Văn phòng"));
    let form_path = format!("/tasks/{sub}/updates/1/evaluate");
    let (_, page) = approver.get(&form_path).await;
    let (status, location, _) = approver
        .submit(&page, &form_path, &[("rating", "good")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some("/queues/evaluation?notice=update-evaluated")
    );
    assert_eq!(
        fetch_task(&cast.hanoi_approver, sub).await["updates"][0]["evaluation"]["rating"],
        "good"
    );

    // An updater has no evaluation queue.
    let updater = server.browser("hni.capnhat").await;
    let (status, _) = updater.get("/queues/evaluation").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn urging_with_each_channel(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let doc = document(&server, &cast.office, "32-KL/TW", "normal").await;
    let id = draft_task(
        &cast.office,
        doc,
        hanoi_task(
            &server,
            Some("Báo cáo tình hình triển khai"),
            json!("2026-06-30"),
        ),
    )
    .await;
    transfer(&cast.office, id).await;
    // The next morning the receipt, due 4 working hours after the transfer, is late.
    server.set_time("2026-03-03 09:00");
    let monitor = server.browser("vptw.theodoi").await;
    let (status, page) = monitor.get("/queues/evaluation").await;
    assert_eq!(status, StatusCode::OK);
    let shown = text(&page);
    assert!(shown.contains("Nhiệm vụ cần đôn đốc"));
    assert!(shown.contains("Báo cáo tình hình triển khai"));
    assert!(
        shown.contains("Xác nhận tiếp nhận (4 giờ làm việc sau khi chuyển giao) — Quá hạn"),
        "{shown}"
    );
    let action = format!("/queues/evaluation/urge/{id}");
    for channel in [
        "system",
        "report",
        "meeting",
        "phone",
        "online_meeting",
        "email",
        "fax",
        "other",
    ] {
        assert!(
            page.contains(&format!("<option value=\"{channel}\"")),
            "{channel}"
        );
    }

    // Both fields are needed; the messages stand next to them and the form stays open.
    let (status, _, answer) = monitor
        .submit(&page, &action, &[("channel", ""), ("reason", "")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_error(&answer, &format!("urge-{id}-channel")).as_deref(),
        Some("Chưa nhập “Hình thức đôn đốc”. Vui lòng nhập “Hình thức đôn đốc”.")
    );
    let (status, _, answer) = monitor
        .submit(&page, &action, &[("channel", "phone"), ("reason", "")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_error(&answer, &format!("urge-{id}-reason")).as_deref(),
        Some("Thao tác này cần nêu lý do. Vui lòng nhập lý do.")
    );
    assert!(
        answer.contains("<details class=\"urge\" open>"),
        "the form stays open"
    );
    assert!(
        answer.contains("<option value=\"phone\" selected>"),
        "the choice is kept"
    );
    let (status, _, answer) = monitor
        .submit(&page, &action, &[("channel", "bo-cau"), ("reason", "Nhắc")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_error(&answer, &format!("urge-{id}-channel")).is_some());

    let channels = [
        "system",
        "report",
        "meeting",
        "phone",
        "online_meeting",
        "email",
        "fax",
        "other",
    ];
    for channel in channels {
        let (_, page) = monitor.get("/queues/evaluation").await;
        let reason = format!("Đề nghị xác nhận tiếp nhận ({channel})");
        let (status, location, answer) = monitor
            .submit(
                &page,
                &action,
                &[("channel", channel), ("reason", reason.as_str())],
            )
            .await;
        assert_eq!(
            status,
            StatusCode::SEE_OTHER,
            "{channel}: {}",
            text(&answer)
        );
        assert_eq!(
            location.as_deref(),
            Some(format!("/queues/evaluation?notice=urged#task-{id}").as_str())
        );
    }
    let urged: Vec<String> = events(&cast.monitor, id)
        .await
        .iter()
        .filter(|event| event["type"] == "urged")
        .map(|event| {
            event["data"]["channel"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(urged, channels, "one urging per channel, in order");
    let (_, page) = monitor.get("/queues/evaluation?notice=urged").await;
    assert!(text(&page).contains("Đã ghi nhận việc đôn đốc."));

    // In English, the same mistake reads in English.
    monitor.post("/language", &[("language", "en")]).await;
    let (_, page) = monitor.get("/queues/evaluation").await;
    let (status, _, answer) = monitor
        .submit(&page, &action, &[("channel", ""), ("reason", "Reminder")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = field_error(&answer, &format!("urge-{id}-channel")).expect("message");
    assert!(
        message.contains("Urging channel") || message.contains("channel"),
        "{message}"
    );
    assert!(!message.contains("Hình thức"), "{message}");

    // Another province's officer cannot urge a task it does not see.
    let haiphong = server.browser("hpg.dau.moi").await;
    let (status, _, _) = haiphong
        .post(&action, &[("channel", "phone"), ("reason", "Nhắc")])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        count_events(&cast.monitor, id, "urged").await,
        channels.len()
    );
}

async fn urging_once_and_stale(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let cast = Cast::new(&server).await;
    let doc = document(&server, &cast.office, "33-KL/TW", "normal").await;
    let id = draft_task(
        &cast.office,
        doc,
        hanoi_task(&server, Some("Rà soát hồ sơ lưu trữ"), json!("2026-06-30")),
    )
    .await;
    transfer(&cast.office, id).await;
    // The next morning the receipt is late, so the task waits to be urged.
    server.set_time("2026-03-03 09:00");
    let action = format!("/queues/evaluation/urge/{id}");

    // A double click sends the same form twice: one urging is recorded.
    let monitor = server.browser("vptw.theodoi").await;
    let (_, page) = monitor.get("/queues/evaluation").await;
    let typed = [
        ("channel", "phone"),
        ("reason", "Đề nghị xác nhận tiếp nhận"),
    ];
    let (status, _, _) = monitor.submit(&page, &action, &typed).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = monitor.submit(&page, &action, &typed).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the double click");
    assert_eq!(count_events(&cast.monitor, id, "urged").await, 1);

    // A page opened before someone else urged the task gets a conflict, and keeps the input.
    let (_, stale) = monitor.get("/queues/evaluation").await;
    let other_tab = server.browser("vptw.theodoi").await;
    let (_, fresh) = other_tab.get("/queues/evaluation").await;
    let (status, _, _) = other_tab
        .submit(
            &fresh,
            &action,
            &[("channel", "email"), ("reason", "Nhắc qua thư")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, answer) = monitor
        .submit(
            &stale,
            &action,
            &[
                ("channel", "meeting"),
                ("reason", "Nhắc tại cuộc họp giao ban"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{}", text(&answer));
    assert!(
        answer.contains("<option value=\"meeting\" selected>"),
        "the channel is kept"
    );
    assert!(
        answer.contains("Nhắc tại cuộc họp giao ban"),
        "the reason is kept"
    );
    assert_eq!(count_events(&cast.monitor, id, "urged").await, 2);

    // Sent again from the page the conflict returned, it is recorded.
    let (status, _, _) = monitor
        .submit(
            &answer,
            &action,
            &[
                ("channel", "meeting"),
                ("reason", "Nhắc tại cuộc họp giao ban"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(count_events(&cast.monitor, id, "urged").await, 3);
}

on_both_backends!(
    evaluation_queue_and_form,
    delegating_body_evaluates_its_units,
    urging_with_each_channel,
    urging_once_and_stale,
);
