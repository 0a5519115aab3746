//! One concrete request per operation of the matrix. Bodies are well-formed, so that the
//! request reaches the authorization check. They are also chosen so that an authorized request
//! changes nothing. Task commands go to cancelled tasks, and the other writes carry a value
//! that the handler rejects after checking the role.

use super::matrix::Operation;
use super::world::World;
use serde_json::{Value, json};

/// The body of a probe.
#[derive(Debug, Clone)]
pub enum Payload {
    Empty,
    Json(Value),
    /// URL-encoded form fields; the CSRF token is added when sent.
    Form(Vec<(&'static str, String)>),
    /// `multipart/form-data` text fields, as the progress-update forms expect.
    Multipart(Vec<(&'static str, String)>),
}

/// A request ready to send.
#[derive(Debug, Clone)]
pub struct Probe {
    pub path: String,
    pub payload: Payload,
}

/// Fills the path parameters of `operation`: `{id}` and `{task_id}` become `record` (a task,
/// document or attachment id) when the operation has a record, and fixed values otherwise.
fn path(operation: &Operation, record: Option<i64>, world: &World, catalogue_code: &str) -> String {
    let template = operation.path.as_str();
    let id = match (record, template) {
        (Some(id), _) => id.to_string(),
        (None, "/api/v1/organisations/{id}") => world.lead_body.to_string(),
        (None, "/api/v1/users/{id}") => world.other_user.to_string(),
        (None, other) => {
            assert!(
                !other.contains("{id}") && !other.contains("{task_id}"),
                "{operation}: no value for the id"
            );
            String::new()
        }
    };
    // A year before the calendar's range makes an authorized save fail without changing it.
    let year = if operation.method == "PUT" {
        "1800"
    } else {
        "2026"
    };
    if template == "/api/v1/calendar/due" {
        return format!("{template}?start=2026-03-02T09:00:00%2B07:00&working_hours=4");
    }
    template
        .replace("{id}", &id)
        .replace("{task_id}", &id)
        .replace("{no}", "1")
        .replace("{action}", "cancel")
        .replace("{year}", year)
        .replace("{date}", "2026-03-02")
        .replace("{axis}", "priority")
        .replace("{code}", catalogue_code)
        .replace("{view}", &super::world::MISSING_ID.to_string())
        .replace("{*path}", "css/app.css")
}

fn json_body(operation: &Operation, world: &World) -> Payload {
    let reason = "Kiểm tra phân quyền";
    let value = match (operation.method.as_str(), operation.path.as_str()) {
        ("POST", "/api/v1/auth/login" | "/api/v1/auth/tokens") => {
            json!({"username": "", "password": ""})
        }
        ("PATCH", "/api/v1/tasks/{id}") => json!({"content": "Nội dung sửa", "reason": reason}),
        ("POST", "/api/v1/tasks/{id}/return") => json!({"kind": "wrong_content", "reason": reason}),
        ("POST", "/api/v1/tasks/{id}/feedback-handling") => {
            json!({"decision": "reject", "reason": reason})
        }
        ("POST", "/api/v1/tasks/{id}/updates") | ("PUT", "/api/v1/tasks/{id}/updates/{no}") => {
            json!({"status": "in_progress", "percent": 10, "results": "Đang triển khai", "reason": reason})
        }
        ("POST", "/api/v1/tasks/{id}/updates/{no}/evaluation") => json!({"rating": "good"}),
        ("POST", "/api/v1/tasks/{id}/updates/{no}/return") => json!({"reason": reason}),
        ("POST", "/api/v1/tasks/{id}/extension-request") => {
            json!({"proposed": "2026-12-31", "reason": reason})
        }
        ("POST", "/api/v1/tasks/{id}/deadline-extension") => {
            json!({"to": "2026-12-31", "reason": reason})
        }
        ("POST", "/api/v1/tasks/{id}/update-request") => json!({"due": "2026-04-30"}),
        ("POST", "/api/v1/tasks/{id}/urgings") => json!({"channel": "phone", "reason": reason}),
        ("POST", "/api/v1/tasks/{id}/difficulties") => json!({"reason": reason}),
        ("POST", "/api/v1/tasks/{id}/subtasks") => {
            json!({"lead_body": world.child_body, "content": "Nội dung giao đơn vị"})
        }
        ("POST", "/api/v1/documents/{id}/tasks") => {
            json!({"lead_body": world.lead_body, "content": "Nhiệm vụ thêm", "deadline": "không phải ngày"})
        }
        ("PATCH", "/api/v1/documents/{id}") => json!({"title": "", "reason": reason}),
        ("POST", "/api/v1/documents/{id}/groups") => json!({"name": ""}),
        ("POST", "/api/v1/documents") => json!({}),
        ("POST", "/api/v1/organisations") => json!({}),
        ("POST", "/api/v1/users") => json!({}),
        ("PATCH", "/api/v1/users/{id}") => json!({"roles": ["khong-co-vai-tro-nay"]}),
        ("PUT", "/api/v1/calendar/years/{year}") => json!({"days": []}),
        ("PUT", "/api/v1/calendar/hours") => json!({"hours": "không phải giờ"}),
        ("POST", "/api/v1/catalogues/{axis}") => json!({"code": ""}),
        ("PATCH", "/api/v1/catalogues/{axis}/{code}") => json!({"name_vi": ""}),
        ("GET", _) => return Payload::Empty,
        ("POST", path) if path.starts_with("/api/v1/tasks/{id}/") => json!({"reason": reason}),
        _ => json!({}),
    };
    Payload::Json(value)
}

fn form_body(operation: &Operation, world: &World) -> Payload {
    let reason = || ("reason", "Kiểm tra phân quyền".to_owned());
    let fields = match operation.path.as_str() {
        "/login" => vec![("username", String::new()), ("password", String::new())],
        "/language" => vec![("language", "vi".to_owned())],
        "/tasks/{id}/actions/{action}" => vec![reason()],
        "/queues/feedback/{id}" => vec![("decision", "reject".to_owned()), reason()],
        "/queues/evaluation/urge/{task_id}" => vec![("channel", "phone".to_owned()), reason()],
        "/tasks/{id}/updates/new" | "/tasks/{id}/updates/{no}/edit" => {
            return Payload::Multipart(vec![
                ("status", "in_progress".to_owned()),
                ("percent", "10".to_owned()),
                ("results", "Đang triển khai".to_owned()),
            ]);
        }
        "/tasks/{id}/updates/{no}/return" => vec![reason()],
        "/tasks/{id}/updates/{no}/evaluate" => vec![("rating", "good".to_owned())],
        "/tasks/{id}/delegate" => vec![
            ("lead_body", world.child_body.to_string()),
            ("content", "Nội dung giao đơn vị".to_owned()),
        ],
        "/documents/{id}/tasks" => vec![
            ("lead_body", world.lead_body.to_string()),
            ("deadline", "không phải ngày".to_owned()),
        ],
        "/tasks/views" => vec![("name", "Danh sách kiểm tra".to_owned())],
        _ => Vec::new(),
    };
    Payload::Form(fields)
}

/// Builds the request that probes `operation` on `record`, or on no record.
pub fn probe(
    operation: &Operation,
    record: Option<i64>,
    world: &World,
    catalogue_code: &str,
) -> Probe {
    let payload = match operation.surface.as_str() {
        "api" => json_body(operation, world),
        "form" => form_body(operation, world),
        _ => Payload::Empty,
    };
    Probe {
        path: path(operation, record, world, catalogue_code),
        payload,
    }
}
