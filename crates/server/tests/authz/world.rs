//! The organisation tree, users and records the matrix is checked against, built once per
//! backend.
//!
//! The records' lead body is a unit under Hà Nội. Around it sit its parent (Thành uỷ Hà Nội),
//! a unit below it, a sibling unit under Hà Nội, and Thành uỷ Hải Phòng, which is unrelated.
//! Every role has a user of each clearance in each of these five bodies. Each confidentiality
//! level has one document with one task, transferred, received, with one approved progress
//! update, and then cancelled, so that every
//! command is refused for the task's state once authorization has passed and the probes
//! change nothing.

use super::super::support::web::WebClient;
use super::super::support::{Client, TestServer};
use serde_json::json;
use theodoi_domain::user::{Clearance, Role};

pub const LEVELS: [&str; 3] = ["normal", "confidential", "secret"];
const CLEARANCES: [Clearance; 3] = [
    Clearance::Normal,
    Clearance::Confidential,
    Clearance::Secret,
];

/// An id that no record has.
pub const MISSING_ID: i64 = 987_654_321;

/// One user of the grid, with an API client and a logged-in browser session.
pub struct Person {
    pub role: &'static str,
    pub relation: &'static str,
    pub clearance: Clearance,
    pub api: Client,
    pub web: WebClient,
}

impl Person {
    /// `cleared` or `uncleared` for a record of `level`.
    pub fn clearance_for(&self, level: &str) -> &'static str {
        let level = theodoi_domain::confidentiality::Confidentiality::parse(level)
            .expect("confidentiality level");
        if self.clearance.covers(level) {
            "cleared"
        } else {
            "uncleared"
        }
    }
}

/// A document, its task and the task's attachment at one level.
pub struct Record {
    pub level: &'static str,
    pub document: i64,
    pub symbol: String,
    pub task: i64,
    pub attachment: i64,
    /// The task's content; `None` for Mật and Tối mật, which keep none.
    pub content: Option<String>,
}

pub struct World {
    pub people: Vec<Person>,
    pub records: Vec<Record>,
    /// The lead body of every record.
    pub lead_body: i64,
    /// The body below the lead body, for sub-task probes.
    pub child_body: i64,
    /// Another user's id, for the account-change probe.
    pub other_user: i64,
}

fn role_name(role: Role) -> &'static str {
    role.as_str()
}

async fn add_unit(office: &Client, code: &str, name: &str, parent: i64) -> i64 {
    let unit = office
        .ok(
            "/api/v1/organisations",
            json!({"code": code, "name_vi": name, "parent_id": parent}),
        )
        .await;
    unit["id"].as_i64().expect("unit id")
}

impl World {
    pub async fn build(server: &TestServer) -> World {
        let office = server
            .user(
                "thiet.lap",
                "VPTW",
                &[Role::CentralOffice],
                Clearance::Secret,
            )
            .await;
        let hanoi = server.org_id("TU-HNI");
        let lead_body = add_unit(&office, "AZ-LEAD", "Ban Tuyên giáo Thành uỷ Hà Nội", hanoi).await;
        let child_body = add_unit(&office, "AZ-CHILD", "Phòng Lý luận chính trị", lead_body).await;
        add_unit(&office, "AZ-SIBLING", "Ban Dân vận Thành uỷ Hà Nội", hanoi).await;
        let bodies = [
            ("same", "AZ-LEAD"),
            ("parent", "TU-HNI"),
            ("child", "AZ-CHILD"),
            ("sibling", "AZ-SIBLING"),
            ("unrelated", "TU-HPG"),
        ];

        let mut people = Vec::new();
        for role in Role::ALL {
            for (relation, code) in bodies {
                for clearance in CLEARANCES {
                    let username = format!("{}.{relation}.{}", role_name(role), clearance.as_str());
                    let api = server.user(&username, code, &[role], clearance).await;
                    let web = server.browser(&username).await;
                    people.push(Person {
                        role: role_name(role),
                        relation,
                        clearance,
                        api,
                        web,
                    });
                }
            }
        }

        let focal = |role: &str| {
            &people
                .iter()
                .find(|person| {
                    person.role == role
                        && person.relation == "same"
                        && person.clearance == Clearance::Secret
                })
                .expect("cleared focal officer of the lead body")
                .api
        };
        let lead = (focal("updater"), focal("approver"));
        let mut records = Vec::new();
        for (index, level) in LEVELS.into_iter().enumerate() {
            records.push(record(server, &office, lead, index, level, lead_body).await);
        }
        World {
            people,
            records,
            lead_body,
            child_body,
            other_user: office.id,
        }
    }
}

async fn record(
    server: &TestServer,
    office: &Client,
    (updater, approver): (&Client, &Client),
    index: usize,
    level: &'static str,
    lead_body: i64,
) -> Record {
    let symbol = format!("{}-KL/TW", 900 + index);
    let document = super::super::support::fixture::document(server, office, &symbol, level).await;
    let content = (level == "normal").then(|| format!("Nội dung riêng của văn bản {symbol}"));
    let mut body = json!({"lead_body": lead_body, "deadline": "2026-06-30"});
    if let Some(content) = &content {
        body["content"] = json!(content);
    }
    let task = office
        .ok(&format!("/api/v1/documents/{document}/tasks"), body)
        .await["id"]
        .as_i64()
        .expect("task id");
    office
        .ok(&format!("/api/v1/tasks/{task}/transfer"), json!({}))
        .await;
    // An approved update 1 exists, so that the update pages reach their authorization check,
    // and no draft is open, which would send every visitor of the new-update form to it.
    updater
        .ok(&format!("/api/v1/tasks/{task}/receipt"), json!({}))
        .await;
    let update = if level == "normal" {
        json!({"status": "in_progress", "percent": 10, "results": "Đang triển khai"})
    } else {
        json!({"status": "done_not_completed", "completion_date": "2026-03-02"})
    };
    updater
        .ok(&format!("/api/v1/tasks/{task}/updates"), update)
        .await;
    approver
        .ok(
            &format!("/api/v1/tasks/{task}/updates/1/approve"),
            json!({}),
        )
        .await;
    let attachment = server
        .state
        .store
        .insert_attachment(&theodoi_store::NewAttachment {
            task_id: theodoi_domain::ids::TaskId(task),
            uploaded_by: theodoi_domain::ids::UserId(office.id),
            body: theodoi_domain::ids::OrgId(lead_body),
            file_name: "bao-cao.pdf",
            content_type: "application/pdf",
            data: b"%PDF-1.7\n",
            now: theodoi_server::Clock::now(&server.clock),
        })
        .await
        .expect("attachment")
        .value
        .id
        .0;
    office
        .ok(
            &format!("/api/v1/tasks/{task}/cancel"),
            json!({"reason": "Chỉ dùng để kiểm tra phân quyền"}),
        )
        .await;
    Record {
        level,
        document,
        symbol,
        task,
        attachment,
        content,
    }
}
