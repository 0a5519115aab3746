//! People and records shared by the task error tests: a Central Office officer, monitoring
//! officers, the focal officers of Hà Nội (the lead body), of the Central Organisation
//! Commission (a coordinating body) and of Hải Phòng (a body that sees nothing of Hà Nội's).

use super::{Client, TestServer};
use serde_json::{Value, json};
use theodoi_domain::user::{Clearance, Role};

pub struct Cast {
    pub office: Client,
    /// Monitoring officer of the Central Office, the default monitoring body.
    pub monitor: Client,
    /// Can read every task but has no role that acts on one.
    pub viewer: Client,
    pub hanoi_updater: Client,
    pub hanoi_approver: Client,
    /// Hà Nội officer with clearance for Mật and Tối mật tasks, updater and approver.
    pub hanoi_cleared: Client,
    /// Updater and approver of the Central Organisation Commission, a coordinating body.
    pub coordinator: Client,
    /// Monitoring officer of the Central Organisation Commission.
    pub coordinator_monitor: Client,
    /// Updater and approver of Hải Phòng.
    pub haiphong: Client,
}

impl Cast {
    pub async fn new(server: &TestServer) -> Cast {
        Cast {
            office: server
                .user("vptw", "VPTW", &[Role::CentralOffice], Clearance::Secret)
                .await,
            monitor: server
                .user(
                    "vptw.theodoi",
                    "VPTW",
                    &[Role::MonitoringOfficer],
                    Clearance::Secret,
                )
                .await,
            viewer: server
                .user(
                    "lanhdao",
                    "VPTW",
                    &[Role::LeaderViewer, Role::Inspector],
                    Clearance::Secret,
                )
                .await,
            hanoi_updater: server
                .user("hni.capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
                .await,
            hanoi_approver: server
                .user(
                    "hni.pheduyet",
                    "TU-HNI",
                    &[Role::Approver],
                    Clearance::Normal,
                )
                .await,
            hanoi_cleared: server
                .user(
                    "hni.mat",
                    "TU-HNI",
                    &[Role::Updater, Role::Approver],
                    Clearance::Secret,
                )
                .await,
            coordinator: server
                .user(
                    "btc.dau.moi",
                    "BTCTW",
                    &[Role::Updater, Role::Approver],
                    Clearance::Normal,
                )
                .await,
            coordinator_monitor: server
                .user(
                    "btc.theodoi",
                    "BTCTW",
                    &[Role::MonitoringOfficer],
                    Clearance::Normal,
                )
                .await,
            haiphong: server
                .user(
                    "hpg.dau.moi",
                    "TU-HPG",
                    &[Role::Updater, Role::Approver],
                    Clearance::Secret,
                )
                .await,
        }
    }
}

/// Registers a conclusion issued on 27/02/2026 at `level` and returns its id.
pub async fn document(server: &TestServer, office: &Client, symbol: &str, level: &str) -> i64 {
    let summary = if level == "normal" {
        json!("Giao các cơ quan triển khai")
    } else {
        Value::Null
    };
    let created = office
        .ok(
            "/api/v1/documents",
            json!({
                "kind": "conclusion",
                "symbol": symbol,
                "title": "Kết luận về thí điểm theo dõi nhiệm vụ",
                "issue_date": "2026-02-27",
                "signer": "Thường trực Ban Bí thư",
                "issuing_body": server.org_id("VPTW"),
                "assigning_authority": server.org_id("BBT"),
                "monitoring_body": server.org_id("VPTW"),
                "confidentiality": level,
                "summary": summary
            }),
        )
        .await;
    created["id"].as_i64().expect("document id")
}

/// A task for Hà Nội with the Central Organisation Commission coordinating; `deadline` may be
/// null for a task without one.
pub fn hanoi_task(server: &TestServer, content: Option<&str>, deadline: Value) -> Value {
    let mut body = json!({
        "lead_body": server.org_id("TU-HNI"),
        "coordinating_bodies": [server.org_id("BTCTW")],
        "deadline": deadline
    });
    if let Some(content) = content {
        body["content"] = json!(content);
    }
    body
}

/// Creates a draft task and returns its id.
pub async fn draft_task(office: &Client, document: i64, body: Value) -> i64 {
    let task = office
        .ok(&format!("/api/v1/documents/{document}/tasks"), body)
        .await;
    task["id"].as_i64().expect("task id")
}

/// Transfers a draft task to its lead body.
pub async fn transfer(office: &Client, task: i64) {
    office
        .ok(&format!("/api/v1/tasks/{task}/transfer"), json!({}))
        .await;
}

/// Transfers a draft task and confirms its receipt, leaving it in progress.
pub async fn start(office: &Client, lead: &Client, task: i64) {
    transfer(office, task).await;
    lead.ok(&format!("/api/v1/tasks/{task}/receipt"), json!({}))
        .await;
}

/// The task's version and the number of its events, to show that a refused command wrote
/// nothing.
pub async fn footprint(client: &Client, task: i64) -> (Value, usize) {
    let view = client.fetch(&format!("/api/v1/tasks/{task}")).await;
    let events = client.fetch(&format!("/api/v1/tasks/{task}/events")).await;
    (
        view["version"].clone(),
        events.as_array().expect("events").len(),
    )
}

/// A task of Hà Nội from a new normal document, transferred but not yet received, due on
/// `deadline` (`YYYY-MM-DD`); returns its id.
pub async fn hanoi_task_transferred(
    server: &TestServer,
    office: &Client,
    symbol: &str,
    content: &str,
    deadline: &str,
) -> i64 {
    let document = document(server, office, symbol, "normal").await;
    let task = draft_task(
        office,
        document,
        hanoi_task(server, Some(content), json!(deadline)),
    )
    .await;
    transfer(office, task).await;
    task
}

/// A task of Hà Nội from a new normal document, in progress (transferred and received by
/// `receiver`), due on `deadline` (`YYYY-MM-DD`); returns its id.
pub async fn hanoi_task_in_progress(
    server: &TestServer,
    office: &Client,
    receiver: &Client,
    symbol: &str,
    content: &str,
    deadline: &str,
) -> i64 {
    let task = hanoi_task_transferred(server, office, symbol, content, deadline).await;
    receiver
        .ok(&format!("/api/v1/tasks/{task}/receipt"), json!({}))
        .await;
    task
}

/// Fetches the task from the API.
pub async fn fetch_task(client: &Client, id: i64) -> Value {
    client.fetch(&format!("/api/v1/tasks/{id}")).await
}

/// Fetches the events of a task from the API.
pub async fn events(client: &Client, id: i64) -> Vec<Value> {
    client
        .fetch(&format!("/api/v1/tasks/{id}/events"))
        .await
        .as_array()
        .expect("events")
        .clone()
}

/// Counts the events of `kind` in the task's history.
pub async fn count_events(client: &Client, id: i64, kind: &str) -> usize {
    events(client, id)
        .await
        .iter()
        .filter(|event| event["type"] == kind)
        .count()
}

/// Adds a unit below Hà Nội through the API and returns its id.
pub async fn hanoi_unit(office: &Client, server: &TestServer, code: &str, name: &str) -> i64 {
    let unit = office
        .ok(
            "/api/v1/organisations",
            json!({"code": code, "name_vi": name, "parent_id": server.org_id("TU-HNI")}),
        )
        .await;
    unit["id"].as_i64().expect("unit id")
}

/// Bytes that start like a PDF file.
pub fn pdf(len: usize) -> Vec<u8> {
    let mut data = b"%PDF-1.7\n".to_vec();
    data.resize(len.max(data.len()), b'x');
    data
}
