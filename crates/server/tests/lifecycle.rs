//! One document taken through every step of the task lifecycle over HTTP, checking events,
//! result states and obligations at each step, on both backends.

mod support;

use jiff::SignedDuration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Client, TestServer, at, event_types, obligation};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{Backend, on_both_backends};

struct Cast {
    office: Client,
    monitor: Client,
    hanoi_both: Client,
    hanoi_approver: Client,
    hue_updater: Client,
    hue_approver: Client,
    haiphong: Client,
}

async fn cast(server: &TestServer) -> Cast {
    Cast {
        office: server
            .user("vptw", "VPTW", &[Role::CentralOffice], Clearance::Secret)
            .await,
        monitor: server
            .user(
                "vptw.theodoi",
                "VPTW",
                &[Role::MonitoringOfficer],
                Clearance::Normal,
            )
            .await,
        hanoi_both: server
            .user(
                "hni.capnhat",
                "TU-HNI",
                &[Role::Updater, Role::Approver],
                Clearance::Normal,
            )
            .await,
        hanoi_approver: server
            .user(
                "hni.pheduyet",
                "TU-HNI",
                &[Role::Approver],
                Clearance::Normal,
            )
            .await,
        hue_updater: server
            .user("hue.capnhat", "TU-HUE", &[Role::Updater], Clearance::Normal)
            .await,
        hue_approver: server
            .user(
                "hue.pheduyet",
                "TU-HUE",
                &[Role::Approver],
                Clearance::Normal,
            )
            .await,
        haiphong: server
            .user("hpg.capnhat", "TU-HPG", &[Role::Updater], Clearance::Normal)
            .await,
    }
}

async fn result_on(client: &Client, task: i64, date: &str) -> Value {
    client
        .fetch(&format!("/api/v1/tasks/{task}/result?on={date}"))
        .await["result_state"]["code"]
        .clone()
}

async fn task(client: &Client, id: i64) -> Value {
    client.fetch(&format!("/api/v1/tasks/{id}")).await
}

async fn whole_lifecycle(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = cast(&server).await;
    let office = &people.office;

    // The Central Office registers a document issued on Friday 27/02/2026.
    let document = office
        .ok(
            "/api/v1/documents",
            json!({
                "kind": "conclusion",
                "symbol": "Số 45 - KL/TW",
                "title": "Kết luận về việc thí điểm hệ thống theo dõi nhiệm vụ",
                "issue_date": "2026-02-27",
                "signer": "Thường trực Ban Bí thư",
                "issuing_body": server.org_id("VPTW"),
                "assigning_authority": server.org_id("BBT"),
                "monitoring_body": server.org_id("VPTW"),
                "summary": "Giao các tỉnh uỷ, thành uỷ thí điểm cập nhật tiến độ"
            }),
        )
        .await;
    assert_eq!(document["symbol"], "45-KL/TW");
    assert_eq!(document["entry_due"], at("2026-03-04 17:00").to_string());
    let document_id = document["id"].as_i64().unwrap();

    let task_a = office
        .ok(
            &format!("/api/v1/documents/{document_id}/tasks"),
            json!({
                "content": "Thí điểm cập nhật tiến độ nhiệm vụ trên hệ thống tại Hà Nội",
                "lead_body": server.org_id("TU-HNI"),
                "coordinating_bodies": [server.org_id("BTCTW")],
                "deadline": "2026-04-30",
                "classification": {"priority": "key", "scope": "locality", "scope_detail": "Hà Nội"}
            }),
        )
        .await;
    let task_b = office
        .ok(
            &format!("/api/v1/documents/{document_id}/tasks"),
            json!({
                "content": "Báo cáo kết quả rà soát dữ liệu nhiệm vụ của thành phố",
                "lead_body": server.org_id("TU-HPG"),
                "deadline": "2026-03-20"
            }),
        )
        .await;
    let (a, b) = (
        task_a["id"].as_i64().unwrap(),
        task_b["id"].as_i64().unwrap(),
    );
    assert_eq!(task_a["status"]["code"], "draft");
    assert_eq!(task_a["result_state"], Value::Null);
    assert_eq!(obligation(&task_a, "entry")["status"]["code"], "pending");

    // 10:00: both tasks are transferred; receipt is due 4 working hours later, at 15:00.
    server.set_time("2026-03-02 10:00");
    let transferred = office
        .ok(
            &format!("/api/v1/documents/{document_id}/transfer"),
            json!({}),
        )
        .await;
    assert_eq!(transferred["transferred"].as_array().unwrap().len(), 2);
    let view = task(office, a).await;
    assert_eq!(view["status"]["code"], "awaiting_receipt");
    assert_eq!(view["result_state"]["code"], "not_started_on_time");
    assert_eq!(view["cadence"], "one_to_three_months");
    assert_eq!(obligation(&view, "entry")["status"]["code"], "met");
    let receipt = obligation(&view, "receipt");
    assert_eq!(receipt["due_at"], at("2026-03-02 15:00").to_string());
    assert_eq!(receipt["status"]["code"], "pending");

    // 11:00: Hà Nội confirms; the feedback window closes 8 working hours later.
    server.set_time("2026-03-02 11:00");
    let view = people
        .hanoi_both
        .ok(&format!("/api/v1/tasks/{a}/receipt"), json!({}))
        .await;
    assert_eq!(view["status"]["code"], "in_progress");
    assert_eq!(obligation(&view, "receipt")["status"]["code"], "met");
    assert_eq!(
        obligation(&view, "feedback")["due_at"],
        at("2026-03-03 11:00").to_string()
    );

    // 16:00: Hải Phòng returns its task, an hour after receipt was due.
    server.set_time("2026-03-02 16:00");
    let (status, refused) = people
        .haiphong
        .post(
            &format!("/api/v1/tasks/{b}/return"),
            json!({"kind": "outside_authority"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["details"]["fields"][0]["field"], "reason");
    let view = people
        .haiphong
        .ok(
            &format!("/api/v1/tasks/{b}/return"),
            json!({"kind": "outside_authority", "reason": "Nhiệm vụ thuộc địa bàn Thành uỷ Huế"}),
        )
        .await;
    assert_eq!(view["status"]["code"], "returned");
    let receipt = obligation(&view, "receipt");
    assert_eq!(receipt["status"]["code"], "breached");
    assert_eq!(receipt["overdue_seconds"], 3600);
    assert_eq!(
        obligation(&view, "feedback_handling")["due_at"],
        at("2026-03-03 17:00").to_string()
    );

    // Next morning the Central Office reassigns it to Huế, which gets a new receipt clock.
    server.set_time("2026-03-03 09:00");
    let view = office
        .ok(
            &format!("/api/v1/tasks/{b}/feedback-handling"),
            json!({"decision": "reassign", "to": server.org_id("TU-HUE"), "reason": "Giao lại cho Thành uỷ Huế"}),
        )
        .await;
    assert_eq!(view["lead_body"]["code"], "TU-HUE");
    assert_eq!(view["status"]["code"], "awaiting_receipt");
    assert_eq!(
        obligation(&view, "feedback_handling")["status"]["code"],
        "met"
    );
    assert_eq!(
        obligation(&view, "receipt")["due_at"],
        at("2026-03-03 14:00").to_string()
    );
    server.set_time("2026-03-03 10:00");
    people
        .hue_updater
        .ok(&format!("/api/v1/tasks/{b}/receipt"), json!({}))
        .await;
    assert_eq!(
        event_types(office, b).await,
        [
            "created",
            "transferred",
            "returned",
            "feedback_handled",
            "transferred",
            "receipt_confirmed"
        ]
    );
    let (status, _) = people.haiphong.get(&format!("/api/v1/tasks/{b}")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "Hải Phòng no longer sees the task"
    );

    // 10/3: an update drafted by one focal officer cannot be approved by the same person.
    server.set_time("2026-03-10 09:00");
    let view = people
        .hanoi_both
        .ok(
            &format!("/api/v1/tasks/{a}/updates"),
            json!({"status": "in_progress", "percent": 30, "results": "Đã chọn 5 cơ quan thí điểm",
                   "products": [{"name": "Danh sách cơ quan thí điểm"}]}),
        )
        .await;
    assert_eq!(view["updates"][0]["state"], "awaiting_approval");
    assert_eq!(
        view["result_state"]["code"], "not_started_on_time",
        "a draft does not count"
    );
    let (status, own) = people
        .hanoi_both
        .post(&format!("/api/v1/tasks/{a}/updates/1/approve"), json!({}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(own["code"], "update-own-draft");
    let view = people
        .hanoi_approver
        .ok(&format!("/api/v1/tasks/{a}/updates/1/approve"), json!({}))
        .await;
    assert_eq!(view["result_state"]["code"], "in_progress_on_time");
    assert_eq!(view["percent"], 30);
    let evaluation = obligation(&view, "evaluation");
    assert_eq!(evaluation["due_at"], at("2026-03-13 17:00").to_string());
    assert_eq!(evaluation["responsible"]["code"], "VPTW");

    // The monitoring body evaluates the approved update.
    server.set_time("2026-03-11 14:00");
    let (status, not_monitor) = people
        .hanoi_approver
        .post(
            &format!("/api/v1/tasks/{a}/updates/1/evaluation"),
            json!({"rating": "good"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{not_monitor}");
    let view = people
        .monitor
        .ok(
            &format!("/api/v1/tasks/{a}/updates/1/evaluation"),
            json!({"rating": "satisfactory", "comment": "Cần nêu rõ tiến độ từng cơ quan"}),
        )
        .await;
    assert_eq!(view["updates"][0]["evaluation"]["rating"], "satisfactory");
    assert_eq!(obligation(&view, "evaluation")["status"]["code"], "met");

    // A stale version is refused with the current one, and nothing changes.
    let stale = people
        .monitor
        .request(Method::POST, &format!("/api/v1/tasks/{a}/urgings"))
        .header("If-Match", "\"2\"")
        .json(&json!({"channel": "phone", "reason": "Nhắc cập nhật tiến độ giữa kỳ"}))
        .send()
        .await
        .unwrap();
    let (status, conflict) = support::read(stale).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(conflict["code"], "version-conflict");
    assert_eq!(conflict["details"]["current_version"], view["version"]);
    people
        .monitor
        .ok(
            &format!("/api/v1/tasks/{a}/urgings"),
            json!({"channel": "phone", "reason": "Nhắc cập nhật tiến độ giữa kỳ"}),
        )
        .await;

    // Delegation: Hà Nội adds a unit and hands it part of the task; its progress rolls up.
    let unit = office
        .ok(
            "/api/v1/organisations",
            json!({"code": "HNI-BTG", "name_vi": "Ban Tuyên giáo Thành uỷ Hà Nội", "parent_id": server.org_id("TU-HNI")}),
        )
        .await;
    let unit_updater = server
        .user(
            "hni.btg.capnhat",
            "HNI-BTG",
            &[Role::Updater],
            Clearance::Normal,
        )
        .await;
    let unit_approver = server
        .user(
            "hni.btg.pheduyet",
            "HNI-BTG",
            &[Role::Approver],
            Clearance::Normal,
        )
        .await;
    let (status, too_late) = people
        .hanoi_approver
        .post(
            &format!("/api/v1/tasks/{a}/subtasks"),
            json!({"lead_body": unit["id"], "content": "Tập huấn", "deadline": "2026-05-30"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        too_late["details"]["fields"][0]["code"],
        "task-deadline-after-parent"
    );
    let sub = people
        .hanoi_approver
        .ok(
            &format!("/api/v1/tasks/{a}/subtasks"),
            json!({"lead_body": unit["id"], "content": "Tập huấn cán bộ cập nhật dữ liệu", "deadline": "2026-04-15"}),
        )
        .await;
    let sub_id = sub["id"].as_i64().unwrap();
    assert_eq!(sub["parent_id"], a);
    assert_eq!(sub["status"]["code"], "awaiting_receipt");
    unit_updater
        .ok(&format!("/api/v1/tasks/{sub_id}/receipt"), json!({}))
        .await;
    unit_updater
        .ok(
            &format!("/api/v1/tasks/{sub_id}/updates"),
            json!({"status": "in_progress", "percent": 50}),
        )
        .await;
    unit_approver
        .ok(
            &format!("/api/v1/tasks/{sub_id}/updates/1/approve"),
            json!({}),
        )
        .await;
    let parent = task(office, a).await;
    assert_eq!(parent["rollup_percent"], 50);
    assert_eq!(parent["subtasks"], json!([sub_id]));

    // 23/3: task B's deadline (20/3) has passed; the Central Office extends it to 10/4.
    server.set_time("2026-03-23 09:00");
    assert_eq!(
        task(office, b).await["result_state"]["code"],
        "not_started_overdue"
    );
    let view = office
        .ok(
            &format!("/api/v1/tasks/{b}/deadline-extension"),
            json!({"to": "2026-04-10", "reason": "Thành uỷ Huế mới nhận nhiệm vụ sau khi giao lại"}),
        )
        .await;
    assert_eq!(view["deadline"], "2026-04-10");
    assert_eq!(view["deadline_history"][0]["from"], "2026-03-20");
    assert_eq!(view["result_state"]["code"], "not_started_on_time");
    // The old deadline still judges the past: due on 20/3 is on time that day, overdue after.
    assert_eq!(
        result_on(office, b, "2026-03-20").await,
        "not_started_on_time"
    );
    assert_eq!(
        result_on(office, b, "2026-03-21").await,
        "not_started_overdue"
    );
    assert_eq!(
        result_on(office, b, "2026-03-23").await,
        "not_started_on_time"
    );

    // Huế completes on time; the final report obligation is met.
    server.set_time("2026-04-08 10:00");
    people
        .hue_updater
        .ok(
            &format!("/api/v1/tasks/{b}/updates"),
            json!({"status": "completed", "completion_date": "2026-04-08", "results": "Đã rà soát xong"}),
        )
        .await;
    let view = people
        .hue_approver
        .ok(&format!("/api/v1/tasks/{b}/updates/1/approve"), json!({}))
        .await;
    assert_eq!(view["status"]["code"], "completed");
    assert_eq!(view["result_state"]["code"], "completed_on_time");
    assert_eq!(obligation(&view, "final_report")["status"]["code"], "met");

    // 6/4 had passed the half-period checkpoint of task A without an update: breached.
    let view = task(office, a).await;
    let half = view["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["kind"]["code"] == "checkpoint" && o["detail"]["checkpoint"]["type"] == "half")
        .expect("half checkpoint");
    assert_eq!(half["status"]["code"], "breached");

    // Hà Nội finishes late, on 4/5, and reports it the next day.
    server.set_time("2026-05-05 09:00");
    people
        .hanoi_both
        .ok(
            &format!("/api/v1/tasks/{a}/updates"),
            json!({"status": "completed", "completion_date": "2026-05-04", "results": "Hoàn thành thí điểm"}),
        )
        .await;
    let view = people
        .hanoi_approver
        .ok(&format!("/api/v1/tasks/{a}/updates/2/approve"), json!({}))
        .await;
    assert_eq!(view["result_state"]["code"], "completed_late");
    server.advance(SignedDuration::from_hours(24 * 20));
    assert_eq!(
        task(office, a).await["result_state"]["code"],
        "completed_late",
        "never overdue again"
    );

    // Lists and counts agree with the task pages.
    let late = office
        .fetch("/api/v1/tasks?result_state=completed_late")
        .await;
    let ids: Vec<i64> = late["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [a]);
    let counts = office
        .fetch(&format!("/api/v1/tasks/counts?document={document_id}"))
        .await;
    assert_eq!(counts["total"], 3);
    let found = office.fetch("/api/v1/tasks?q=ha%20noi").await;
    assert_eq!(found["items"][0]["id"], a);
    let breached = office
        .fetch(&format!(
            "/api/v1/obligations?status=breached&body={}",
            server.org_id("TU-HPG")
        ))
        .await;
    assert_eq!(
        breached["items"][0]["obligation"]["kind"]["code"],
        "receipt"
    );
    let hue_view = people.hue_updater.fetch("/api/v1/tasks").await;
    let visible: Vec<i64> = hue_view["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    assert_eq!(visible, [b], "Huế sees only its own task");
}

on_both_backends!(whole_lifecycle);
