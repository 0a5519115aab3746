//! No leaks, on both backends: officers of province A (Hà Nội), with and without clearance, and
//! of a central body that is assigned nothing, never receive a record of province B (Hải
//! Phòng) or a classified record above their clearance.
//!
//! One scenario per backend writes a unique marker string into every text field of every
//! record. Then every response body, page, exported file, event stream and the server's log is
//! scanned for every marker that its reader must not see, rather than for a few chosen
//! values. Lists and counts must also contain exactly the tasks the reader may see. Hidden
//! records must get the same response as records that do not exist, and the reader's pages
//! must not change when province B or a classified record changes.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use support::fixture::pdf;
use support::html::hidden_fields;
use support::leaks::{EventStream, Leaks, Level, Markers, Owner, Province, Sight, capture_log};
use support::web::{Part, WebClient, post_multipart};
use support::{Client, TestServer, at, zip};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{Backend, on_both_backends};

/// The id used for records that do not exist.
const MISSING: i64 = 999_999;

/// A reader whose view is checked, through the API and through the pages.
struct Reader {
    name: &'static str,
    api: Client,
    web: WebClient,
    sight: Sight,
}

/// The people who create and work on the records.
struct Staff {
    office: Client,
    monitor: Client,
    admin: Client,
    /// Focal officers of each province: one without clearance, one cleared for Tối mật.
    focal: BTreeMap<(u8, bool), Client>,
    /// Focal approvers of each province, who approve what the focal officers draft.
    approvers: BTreeMap<(u8, bool), Client>,
}

impl Staff {
    /// Returns the focal officer of `province` who may act on a record of `level`.
    fn focal(&self, province: Province, level: Level) -> &Client {
        &self.focal[&(province as u8, level != Level::Normal)]
    }

    /// Returns the focal approver of `province` who may approve an update of `level`.
    fn approver(&self, province: Province, level: Level) -> &Client {
        &self.approvers[&(province as u8, level != Level::Normal)]
    }
}

/// A task of the scenario with the province and level whose readers may see it.
#[derive(Debug, Clone, Copy)]
struct Task {
    id: i64,
    document: i64,
    owner: Owner,
}

struct Scenario {
    markers: Markers,
    tasks: Vec<Task>,
    leaks: Leaks,
}

impl Scenario {
    fn owner_of(&self, task: i64) -> Owner {
        self.tasks
            .iter()
            .find(|known| known.id == task)
            .map(|known| known.owner)
            .unwrap_or_else(|| panic!("unknown task {task}"))
    }

    fn visible_tasks(&self, sight: Sight) -> BTreeSet<i64> {
        self.tasks
            .iter()
            .filter(|task| sight.sees(task.owner))
            .map(|task| task.id)
            .collect()
    }

    fn task(&self, province: Province, level: Level) -> Task {
        *self
            .tasks
            .iter()
            .find(|task| task.owner == Owner::Record(province, level))
            .expect("a task of that province and level")
    }
}

fn province_org(province: Province) -> &'static str {
    match province {
        Province::A => "TU-HNI",
        Province::B => "TU-HPG",
    }
}

async fn staff(server: &TestServer) -> Staff {
    let mut focal = BTreeMap::new();
    let mut approvers = BTreeMap::new();
    for (province, prefix) in [(Province::A, "hni"), (Province::B, "hpg")] {
        for (cleared, clearance) in [(false, Clearance::Normal), (true, Clearance::Secret)] {
            let name = format!("{prefix}.duyet{}", if cleared { "mat" } else { "" });
            let approver = server
                .user(&name, province_org(province), &[Role::Approver], clearance)
                .await;
            approvers.insert((province as u8, cleared), approver);
        }
        let org = province_org(province);
        let roles = [Role::Updater, Role::Approver];
        focal.insert(
            (province as u8, false),
            server
                .user(&format!("{prefix}.daumoi"), org, &roles, Clearance::Normal)
                .await,
        );
        focal.insert(
            (province as u8, true),
            server
                .user(&format!("{prefix}.toimat"), org, &roles, Clearance::Secret)
                .await,
        );
    }
    Staff {
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
        admin: server
            .user("quantri", "VPTW", &[Role::Administrator], Clearance::Normal)
            .await,
        focal,
        approvers,
    }
}

/// A reader to create: user name, body code, roles, clearance and province.
type Person = (
    &'static str,
    &'static str,
    &'static [Role],
    Clearance,
    Option<Province>,
);

/// Readers of province A of every role, at each clearance, and an officer of a central body
/// that is assigned nothing.
async fn readers(server: &TestServer, staff: &Staff) -> Vec<Reader> {
    let a = Some(Province::A);
    let people: [Person; 7] = [
        (
            "hni.capnhat",
            "TU-HNI",
            &[Role::Updater],
            Clearance::Normal,
            a,
        ),
        (
            "hni.pheduyet",
            "TU-HNI",
            &[Role::Approver],
            Clearance::Normal,
            a,
        ),
        (
            "hni.theodoi",
            "TU-HNI",
            &[Role::MonitoringOfficer],
            Clearance::Normal,
            a,
        ),
        (
            "hni.kiemtra",
            "TU-HNI",
            &[Role::Inspector],
            Clearance::Normal,
            a,
        ),
        (
            "hni.mat",
            "TU-HNI",
            &[Role::Updater, Role::Approver, Role::MonitoringOfficer],
            Clearance::Confidential,
            a,
        ),
        (
            "hni.lanhdao",
            "TU-HNI",
            &[Role::Updater, Role::Approver, Role::Inspector],
            Clearance::Secret,
            a,
        ),
        (
            "btc.daumoi",
            "BTCTW",
            &[Role::Updater, Role::Approver],
            Clearance::Secret,
            None,
        ),
    ];
    let mut readers = Vec::new();
    for (name, org, roles, clearance, province) in people {
        let api = server.user(name, org, roles, clearance).await;
        readers.push(Reader {
            name,
            api,
            web: server.browser(name).await,
            sight: Sight {
                province,
                level: Level::of(clearance),
            },
        });
    }
    // The focal officers of province A read as well.
    for (name, cleared) in [("hni.daumoi", false), ("hni.toimat", true)] {
        readers.push(Reader {
            name,
            api: staff.focal(Province::A, level_for(cleared)).clone(),
            web: server.browser(name).await,
            sight: Sight {
                province: Some(Province::A),
                level: level_for(cleared),
            },
        });
    }
    readers
}

fn level_for(cleared: bool) -> Level {
    if cleared {
        Level::Secret
    } else {
        Level::Normal
    }
}

/// Registers a document of `province` at `level` with a marker in every text field.
async fn new_document(
    server: &TestServer,
    staff: &Staff,
    markers: &mut Markers,
    owner: Owner,
    level: Level,
) -> i64 {
    let summary = (level == Level::Normal).then(|| markers.text(owner, "summary"));
    let symbol = markers.symbol(owner);
    let created = staff
        .office
        .ok(
            "/api/v1/documents",
            json!({
                "kind": "conclusion",
                "symbol": symbol,
                "title": format!("Kết luận {}", markers.text(owner, "title")),
                "issue_date": "2026-02-27",
                "signer": markers.text(owner, "signer"),
                "issuing_body": server.org_id("VPTW"),
                "assigning_authority": server.org_id("BBT"),
                "monitoring_body": server.org_id("VPTW"),
                "confidentiality": level.code(),
                "summary": summary
            }),
        )
        .await;
    created["id"].as_i64().expect("document id")
}

/// Creates and transfers a task of `province` in `document`; for a classified document, first
/// tries to store content, which must be rejected without echoing it.
async fn new_task(
    server: &TestServer,
    staff: &Staff,
    scenario: &mut Scenario,
    document: i64,
    province: Province,
    level: Level,
) -> i64 {
    let owner = Owner::Record(province, level);
    let path = format!("/api/v1/documents/{document}/tasks");
    let mut body = json!({
        "lead_body": server.org_id(province_org(province)),
        "deadline": "2026-06-30"
    });
    if level == Level::Normal {
        body["content"] = json!(format!(
            "Triển khai {}",
            scenario.markers.text(owner, "content")
        ));
        body["expected_products"] = json!(scenario.markers.text(owner, "expected_products"));
    } else {
        let mut refused = body.clone();
        refused["content"] = json!(scenario.markers.text(Owner::NeverStored, "content"));
        refused["expected_products"] = json!(
            scenario
                .markers
                .text(Owner::NeverStored, "expected_products")
        );
        let (status, answer) = staff.office.post(&path, refused).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        scenario.leaks.scan(
            &scenario.markers,
            "vptw",
            Sight {
                province: None,
                level: Level::Secret,
            },
            "the refusal of content for a classified task",
            &answer.to_string(),
        );
    }
    let task = staff.office.ok(&path, body).await["id"]
        .as_i64()
        .expect("task id");
    staff
        .office
        .ok(&format!("/api/v1/tasks/{task}/transfer"), json!({}))
        .await;
    scenario.tasks.push(Task {
        id: task,
        document,
        owner,
    });
    task
}

/// Takes a transferred task through receipt, urging, a requested report, an approved and
/// evaluated update, an extension request and a notice of difficulties, each with markers.
async fn work_on(
    server: &TestServer,
    staff: &Staff,
    scenario: &mut Scenario,
    task: i64,
    province: Province,
    level: Level,
) {
    let owner = Owner::Record(province, level);
    let focal = staff.focal(province, level);
    let path = |suffix: &str| format!("/api/v1/tasks/{task}{suffix}");
    focal.ok(&path("/receipt"), json!({})).await;
    let reason = scenario.markers.text(owner, "urging_reason");
    staff
        .monitor
        .ok(
            &path("/urgings"),
            json!({"channel": "phone", "reason": reason}),
        )
        .await;
    let reason = scenario.markers.text(owner, "request_reason");
    staff
        .monitor
        .ok(
            &path("/update-request"),
            json!({"due": "2026-03-10", "reason": reason}),
        )
        .await;
    if level == Level::Normal {
        draft_with_attachment(server, province, scenario, task).await;
    } else {
        let refused = json!({
            "status": "completed",
            "completion_date": "2026-03-02",
            "results": scenario.markers.text(Owner::NeverStored, "results"),
            "difficulties": scenario.markers.text(Owner::NeverStored, "difficulties"),
        });
        let (status, answer) = focal.post(&path("/updates"), refused).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        scenario.leaks.scan(
            &scenario.markers,
            "focal officer",
            Sight {
                province: Some(province),
                level: Level::Secret,
            },
            "the refusal of details in a classified update",
            &answer.to_string(),
        );
        focal
            .ok(
                &path("/updates"),
                json!({"status": "completed", "completion_date": "2026-03-02"}),
            )
            .await;
    }
    staff
        .approver(province, level)
        .ok(&path("/updates/1/approve"), json!({}))
        .await;
    let comment = scenario.markers.text(owner, "evaluation_comment");
    staff
        .monitor
        .ok(
            &path("/updates/1/evaluation"),
            json!({"rating": "good", "comment": comment}),
        )
        .await;
    if level == Level::Normal {
        let reason = scenario.markers.text(owner, "extension_reason");
        focal
            .ok(
                &path("/extension-request"),
                json!({"proposed": "2026-09-30", "reason": reason}),
            )
            .await;
        let reason = scenario.markers.text(owner, "difficulty_reason");
        focal
            .ok(&path("/difficulties"), json!({"reason": reason}))
            .await;
    }
}

/// Drafts a progress update through the form, with a product whose file name is a marker.
async fn draft_with_attachment(
    server: &TestServer,
    province: Province,
    scenario: &mut Scenario,
    task: i64,
) {
    let owner = Owner::Record(province, Level::Normal);
    let prefix = match province {
        Province::A => "hni",
        Province::B => "hpg",
    };
    let focal = server.browser(&format!("{prefix}.daumoi")).await;
    let action = format!("/tasks/{task}/updates/new");
    let (_, page) = focal.get(&action).await;
    let hidden = hidden_fields(&page, &action);
    let results = scenario.markers.text(owner, "results");
    let difficulties = scenario.markers.text(owner, "difficulties");
    let proposals = scenario.markers.text(owner, "proposals");
    let product = scenario.markers.text(owner, "product_name");
    let file_name = format!("{}.pdf", scenario.markers.text(owner, "attachment_name"));
    let file = pdf(2_000);
    let mut parts: Vec<Part> = ["_idem", "_version", "back"]
        .into_iter()
        .filter_map(|name| {
            hidden
                .get_key_value(name)
                .map(|(name, value)| Part::Text(name, value))
        })
        .collect();
    parts.extend([
        Part::Text("status", "in_progress"),
        Part::Text("percent", "40"),
        Part::Text("results", &results),
        Part::Text("difficulties", &difficulties),
        Part::Text("proposals", &proposals),
        Part::Text("products[0].name", &product),
        Part::File {
            name: "products[0].upload",
            file_name: &file_name,
            content_type: "application/pdf",
            data: &file,
        },
    ]);
    let (status, _, page) = post_multipart(&focal, &action, &parts).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "update drafted: {page}");
}

/// Builds one document and one worked-on task for every province and level, and for each
/// province a normal task returned with feedback and a saved view.
async fn build(server: &TestServer, staff: &Staff) -> Scenario {
    let mut scenario = Scenario {
        markers: Markers::default(),
        tasks: Vec::new(),
        leaks: Leaks::default(),
    };
    for province in [Province::A, Province::B] {
        for level in Level::ALL {
            let owner = Owner::Record(province, level);
            let document = new_document(server, staff, &mut scenario.markers, owner, level).await;
            let task = new_task(server, staff, &mut scenario, document, province, level).await;
            work_on(server, staff, &mut scenario, task, province, level).await;
        }
        let owner = Owner::Record(province, Level::Normal);
        let document = scenario.task(province, Level::Normal).document;
        let returned = new_task(
            server,
            staff,
            &mut scenario,
            document,
            province,
            Level::Normal,
        )
        .await;
        let reason = scenario.markers.text(owner, "return_reason");
        staff
            .focal(province, Level::Normal)
            .ok(
                &format!("/api/v1/tasks/{returned}/return"),
                json!({"kind": "wrong_content", "reason": reason}),
            )
            .await;
        let prefix = match province {
            Province::A => "hni",
            Province::B => "hpg",
        };
        let focal = server.browser(&format!("{prefix}.daumoi")).await;
        let name = scenario.markers.text(owner, "view_name");
        let (status, _, page) = focal
            .post(
                "/tasks/views",
                &[("name", &name), ("query", "sort=deadline")],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "view saved: {page}");
    }
    scenario
}

/// Fetches every page and API response a reader can request, each with its source.
async fn collect(reader: &Reader, scenario: &Scenario) -> Vec<(String, String)> {
    let mut seen = Vec::new();
    let api_paths = [
        "/api/v1/me",
        "/api/v1/tasks",
        "/api/v1/tasks?sort=deadline",
        "/api/v1/tasks?breached=true",
        "/api/v1/tasks?confidentiality=secret",
        "/api/v1/tasks/counts",
        "/api/v1/tasks/counts?confidentiality=confidential",
        "/api/v1/documents",
        "/api/v1/documents?awaiting_entry=true",
        "/api/v1/obligations",
        "/api/v1/organisations",
        "/api/v1/users",
    ];
    for path in api_paths {
        let (status, body) = reader.api.get(path).await;
        seen.push((format!("{status} {path}"), body.to_string()));
    }
    let web_paths = [
        "/",
        "/dashboard/summary",
        "/inbox",
        "/inbox/sections",
        "/tasks",
        "/tasks?sort=deadline",
        "/tasks?confidentiality=secret",
        "/documents",
        "/documents/new",
        "/queues/entry",
        "/queues/feedback",
        "/queues/evaluation",
    ];
    for path in web_paths {
        let (status, page) = reader.web.get(path).await;
        seen.push((format!("{status} {path}"), page));
    }
    let documents: BTreeSet<i64> = scenario
        .tasks
        .iter()
        .filter(|task| reader.sight.sees(task.owner))
        .map(|task| task.document)
        .collect();
    for document in documents {
        let path = format!("/api/v1/documents/{document}");
        let (status, body) = reader.api.get(&path).await;
        seen.push((format!("{status} {path}"), body.to_string()));
        let path = format!("/documents/{document}");
        let (status, page) = reader.web.get(&path).await;
        seen.push((format!("{status} {path}"), page));
    }
    for task in scenario.visible_tasks(reader.sight) {
        for path in [
            format!("/api/v1/tasks/{task}"),
            format!("/api/v1/tasks/{task}/events"),
            format!("/api/v1/tasks/{task}/obligations"),
            format!("/api/v1/tasks/{task}/result"),
        ] {
            let (status, body) = reader.api.get(&path).await;
            seen.push((format!("{status} {path}"), body.to_string()));
        }
        for path in [format!("/tasks/{task}"), format!("/tasks/{task}/live")] {
            let (status, page) = reader.web.get(&path).await;
            seen.push((format!("{status} {path}"), page));
        }
    }
    seen.push(("/tasks/export.xlsx".into(), export_text(&reader.web).await));
    seen
}

/// Downloads the reader's XLSX export of the task list and returns the text of every part.
async fn export_text(web: &WebClient) -> String {
    let response = web
        .http
        .get(format!("{}/tasks/export.xlsx", web.base))
        .send()
        .await
        .expect("export");
    assert_eq!(response.status(), StatusCode::OK, "export");
    let bytes = response.bytes().await.expect("export bytes");
    zip::entries(&bytes)
        .into_iter()
        .map(|(name, content)| format!("[{name}]\n{}\n", String::from_utf8_lossy(&content)))
        .collect()
}

/// Asserts that every marker the reader may see reached it somewhere. This shows that the
/// collected pages contain the fields whose hidden counterparts the scan checks.
fn assert_sees_own_records(reader: &Reader, scenario: &Scenario, collected: &[(String, String)]) {
    let everything: String = collected
        .iter()
        .map(|(_, text)| text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
        .to_lowercase();
    let hidden: BTreeSet<&str> = scenario
        .markers
        .hidden_from(reader.sight)
        .into_iter()
        .map(|(marker, _, _)| marker)
        .collect();
    // A saved view is its author's alone, and file names show only on the update review
    // pages of the monitoring body, so neither is expected here.
    let unseen: Vec<&str> = scenario
        .markers
        .all()
        .filter(|marker| !marker.ends_with("viewname") && !marker.ends_with("attachmentname"))
        .filter(|marker| !hidden.contains(marker))
        .filter(|marker| !everything.contains(&marker.to_lowercase()))
        .collect();
    assert!(
        unseen.is_empty(),
        "{} never received its own records' markers {unseen:?}",
        reader.name
    );
}

/// Follows the task list's cursors to the end; returns the ids listed and each cursor decoded.
async fn paged_task_ids(client: &Client, query: &str) -> (Vec<i64>, Vec<String>) {
    let mut ids = Vec::new();
    let mut cursors = Vec::new();
    let mut path = format!("/api/v1/tasks?limit=1{query}");
    loop {
        let page = client.fetch(&path).await;
        for item in page["items"].as_array().expect("items") {
            ids.push(item["id"].as_i64().expect("task id"));
        }
        let Some(cursor) = page["next_cursor"].as_str() else {
            return (ids, cursors);
        };
        use base64::Engine;
        let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(cursor)
            .expect("cursor is base64");
        cursors.push(String::from_utf8_lossy(&decoded).into_owned());
        path = format!("/api/v1/tasks?limit=1{query}&cursor={cursor}");
    }
}

/// Checks that the list through every page contains exactly the tasks the reader may see, and
/// that the counts agree with it.
async fn check_list_and_counts(reader: &Reader, scenario: &mut Scenario) {
    let expected = scenario.visible_tasks(reader.sight);
    let (ids, cursors) = paged_task_ids(&reader.api, "").await;
    let listed: BTreeSet<i64> = ids.iter().copied().collect();
    assert_eq!(
        listed.len(),
        ids.len(),
        "{}: a task listed twice",
        reader.name
    );
    for task in listed.difference(&expected) {
        scenario.leaks.push(format!(
            "{} listed task {task} of {:?}",
            reader.name,
            scenario.owner_of(*task)
        ));
    }
    assert!(
        expected.is_subset(&listed),
        "{} misses tasks it may see: listed {listed:?}, expected {expected:?}",
        reader.name
    );
    for cursor in cursors {
        let markers = &scenario.markers;
        scenario
            .leaks
            .scan(markers, reader.name, reader.sight, "a cursor", &cursor);
    }
    let counts = reader.api.fetch("/api/v1/tasks/counts").await;
    let total = counts["total"].as_i64().expect("total")
        + counts["without_result_state"].as_i64().expect("without");
    let by_state: i64 = counts["by_result_state"]
        .as_array()
        .expect("by_result_state")
        .iter()
        .map(|entry| entry["count"].as_i64().expect("count"))
        .sum();
    assert_eq!(
        total,
        i64::try_from(expected.len()).expect("count"),
        "{}: counts {counts}",
        reader.name
    );
    assert_eq!(
        by_state,
        counts["total"].as_i64().expect("total"),
        "{}: counts by state {counts}",
        reader.name
    );
}

/// Checks that searching for a hidden marker finds nothing and counts nothing.
async fn check_search(reader: &Reader, scenario: &mut Scenario) {
    let searchable = ["title", "content", "summary", "symbol", "signer"];
    let hidden: Vec<String> = scenario
        .markers
        .hidden_from(reader.sight)
        .into_iter()
        .filter(|(_, _, field)| searchable.contains(field))
        .map(|(marker, _, _)| marker.to_owned())
        .collect();
    for marker in hidden {
        let query: String = form_urlencoded::byte_serialize(marker.as_bytes()).collect();
        let tasks = reader.api.fetch(&format!("/api/v1/tasks?q={query}")).await;
        let documents = reader
            .api
            .fetch(&format!("/api/v1/documents?q={query}"))
            .await;
        let counts = reader
            .api
            .fetch(&format!("/api/v1/tasks/counts?q={query}"))
            .await;
        let (_, page) = reader.web.get(&format!("/tasks?q={query}")).await;
        // The search box shows what the reader typed.
        let page = page.replace(&marker, "");
        let found = !tasks["items"].as_array().expect("items").is_empty()
            || !documents["items"].as_array().expect("items").is_empty()
            || counts["total"] != 0
            || counts["without_result_state"] != 0;
        if found {
            scenario.leaks.push(format!(
                "{} found {marker} by search: {tasks} {documents} {counts}",
                reader.name
            ));
        }
        let markers = &scenario.markers;
        scenario.leaks.scan(
            markers,
            reader.name,
            reader.sight,
            "the task list searched",
            &page,
        );
    }
}

/// Checks that hidden records get the same response as records that do not exist, on reads and
/// on commands with valid and with invalid bodies.
async fn check_hidden_answers(reader: &Reader, scenario: &mut Scenario) {
    let hidden: Vec<Task> = scenario
        .tasks
        .iter()
        .filter(|task| !reader.sight.sees(task.owner))
        .copied()
        .collect();
    for task in hidden {
        let visible_document = scenario
            .tasks
            .iter()
            .any(|other| other.document == task.document && reader.sight.sees(other.owner));
        let mut probes: Vec<(Method, String, Option<Value>)> = vec![
            (Method::GET, "/api/v1/tasks/{}".into(), None),
            (Method::GET, "/api/v1/tasks/{}/events".into(), None),
            (Method::GET, "/api/v1/tasks/{}/obligations".into(), None),
            (Method::GET, "/api/v1/tasks/{}/result".into(), None),
            (
                Method::POST,
                "/api/v1/tasks/{}/urgings".into(),
                Some(json!({"channel": "phone", "reason": "Đề nghị báo cáo"})),
            ),
            (
                Method::POST,
                "/api/v1/tasks/{}/urgings".into(),
                Some(json!({"channel": "bogus", "reason": ""})),
            ),
            (Method::POST, "/api/v1/tasks/{}/receipt".into(), None),
            (
                Method::POST,
                "/api/v1/tasks/{}/updates".into(),
                Some(json!({"status": "in_progress", "percent": 150})),
            ),
            (
                Method::POST,
                "/api/v1/tasks/{}/updates/1/evaluation".into(),
                Some(json!({"rating": "bogus"})),
            ),
        ];
        if !visible_document {
            probes.push((Method::GET, "/api/v1/documents/{d}".into(), None));
        }
        for (method, template, body) in probes {
            let (real, missing) = if template.contains("{d}") {
                (task.document, MISSING)
            } else {
                (task.id, MISSING)
            };
            let path = |id: i64| {
                template
                    .replace("{}", &id.to_string())
                    .replace("{d}", &id.to_string())
            };
            let hidden_answer = reader
                .api
                .send(method.clone(), &path(real), body.clone())
                .await;
            let missing_answer = reader.api.send(method.clone(), &path(missing), body).await;
            if hidden_answer != missing_answer {
                scenario.leaks.push(format!(
                    "{} tells hidden from missing on {method} {template}: {:?} vs {:?}",
                    reader.name, hidden_answer, missing_answer
                ));
            }
        }
        let mut pages = vec![
            (task.id, "/tasks/{}"),
            (task.id, "/tasks/{}/live"),
            (task.id, "/tasks/{}/updates/new"),
        ];
        if !visible_document {
            pages.push((task.document, "/documents/{}"));
        }
        for (id, template) in pages {
            let path = |id: i64| template.replace("{}", &id.to_string());
            let hidden_page = reader.web.get(&path(id)).await;
            let missing_page = reader.web.get(&path(MISSING)).await;
            let hidden_page = (hidden_page.0, without_error_id(&hidden_page.1));
            let missing_page = (missing_page.0, without_error_id(&missing_page.1));
            if hidden_page != missing_page {
                scenario.leaks.push(format!(
                    "{} tells hidden from missing on page {template}: {} vs {}",
                    reader.name, hidden_page.0, missing_page.0
                ));
            }
        }
    }
}

/// Removes the error id that every error page gets anew, for the user to quote.
fn without_error_id(page: &str) -> String {
    let label = "<code>";
    match page.find(label) {
        Some(start) => {
            let value_start = start + label.len();
            let end = page[value_start..]
                .find("</code>")
                .map_or(page.len(), |end| value_start + end);
            format!("{}{}", &page[..value_start], &page[end..])
        }
        None => page.to_owned(),
    }
}

/// Fetches the pages and responses whose content depends only on what the reader may see,
/// without the values that change on every request.
async fn snapshot(reader: &Reader, document: i64) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    for path in [
        "/api/v1/tasks".to_owned(),
        "/api/v1/tasks/counts".to_owned(),
        "/api/v1/documents".to_owned(),
        "/api/v1/obligations".to_owned(),
        format!("/api/v1/documents/{document}"),
    ] {
        let (status, body) = reader.api.get(&path).await;
        pages.push((path, format!("{status} {body}")));
    }
    for path in [
        "/".to_owned(),
        "/dashboard/summary".to_owned(),
        "/inbox/sections".to_owned(),
        "/tasks".to_owned(),
        "/documents".to_owned(),
        "/queues/evaluation".to_owned(),
        format!("/documents/{document}"),
    ] {
        let (_, page) = reader.web.get(&path).await;
        pages.push((path, without_error_id(&without_form_keys(&page))));
    }
    pages
}

/// Removes the values of idempotency keys, which are new on every render.
fn without_form_keys(page: &str) -> String {
    let marker = "name=\"_idem\" value=\"";
    let mut out = String::new();
    let mut rest = page;
    while let Some(start) = rest.find(marker) {
        let value_start = start + marker.len();
        out.push_str(&rest[..value_start]);
        let end = rest[value_start..]
            .find('"')
            .map_or(rest.len(), |end| value_start + end);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

async fn no_leaks(backend: Backend) {
    let log = capture_log();
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let staff = staff(&server).await;
    let mut scenario = build(&server, &staff).await;
    let readers = readers(&server, &staff).await;

    // Lists, pages, exports, search and error responses.
    for reader in &readers {
        let collected = collect(reader, &scenario).await;
        for (source, text) in &collected {
            let markers = &scenario.markers;
            scenario
                .leaks
                .scan(markers, reader.name, reader.sight, source, text);
        }
        assert_sees_own_records(reader, &scenario, &collected);
        check_list_and_counts(reader, &mut scenario).await;
        check_search(reader, &mut scenario).await;
        check_hidden_answers(reader, &mut scenario).await;
    }
    scenario
        .leaks
        .assert_none("lists, pages, exports and answers");

    live_streams(&server, &staff, &readers, &mut scenario).await;
    scenario.leaks.assert_none("event streams");

    unchanged_by_hidden_changes(&server, &staff, &readers, &mut scenario).await;
    scenario.leaks.assert_none("counts and dashboards");

    // Everything again, now that tasks moved, documents were reclassified and shared, and
    // accounts were revoked.
    for reader in &readers {
        for (source, text) in collect(reader, &scenario).await {
            let markers = &scenario.markers;
            scenario
                .leaks
                .scan(markers, reader.name, reader.sight, &source, &text);
        }
        check_list_and_counts(reader, &mut scenario).await;
        check_hidden_answers(reader, &mut scenario).await;
    }
    scenario
        .leaks
        .assert_none("the final lists, pages and answers");

    // The server's log of the whole run, including the refused inputs.
    let mut leaks = Leaks::default();
    let text = log.text();
    for marker in scenario.markers.all() {
        if text.contains(marker) {
            leaks.push(format!("the log contains {marker}"));
        }
    }
    assert!(!text.is_empty(), "the log was captured");
    leaks.assert_none("the server log");
}

/// Checks that event streams deliver only what their user may see. Nothing of province B or
/// above the user's clearance arrives, nor anything of a task once it is reassigned to B. A
/// stream whose user's clearance, body or account is revoked while it is open ends at once.
async fn live_streams(
    server: &TestServer,
    staff: &Staff,
    readers: &[Reader],
    scenario: &mut Scenario,
) {
    // Each reader's stream runs in a session of its own, so that the streams of readers who
    // see nothing can be ended by logging that session out.
    let mut streams = Vec::new();
    for reader in readers {
        let web = server.browser(reader.name).await;
        let stream = EventStream::open(&web.http, &server.base).await;
        streams.push((web, stream));
    }
    let a_normal = scenario.task(Province::A, Level::Normal);

    // Three officers cleared for Tối mật whose access is revoked below.
    let mut revoked = Vec::new();
    for name in ["hni.thuhoi1", "hni.thuhoi2", "hni.thuhoi3"] {
        let client = server
            .user(name, "TU-HNI", &[Role::Updater], Clearance::Secret)
            .await;
        let web = server.browser(name).await;
        let stream = EventStream::open(&web.http, &server.base).await;
        revoked.push((client, stream));
    }

    // Changes in province B at every level and to A's tasks at every level.
    let mut a_secret = 0;
    for level in Level::ALL {
        change(server, staff, scenario, Province::B, level).await;
        a_secret = change(server, staff, scenario, Province::A, level).await;
    }

    // Raising a registered Thường document to Tối mật is refused, because its history already
    // holds its details in clear; it stays Thường and its task of A is seen as such.
    let owner = Owner::Record(Province::A, Level::Normal);
    let document = new_document(server, staff, &mut scenario.markers, owner, Level::Normal).await;
    let (status, answer) = staff
        .office
        .send(
            Method::PATCH,
            &format!("/api/v1/documents/{document}"),
            Some(json!({"confidentiality": "secret", "summary": "", "reason": "Phân loại lại độ mật"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(
        answer
            .to_string()
            .contains("document-classify-after-registration"),
        "{answer}"
    );
    new_task(
        server,
        staff,
        scenario,
        document,
        Province::A,
        Level::Normal,
    )
    .await;

    // A task of A returned as outside its authority and reassigned to B.
    let moved = new_task(
        server,
        staff,
        scenario,
        a_normal.document,
        Province::A,
        Level::Normal,
    )
    .await;
    let reason = scenario
        .markers
        .text(Owner::Record(Province::A, Level::Normal), "return_reason");
    staff
        .focal(Province::A, Level::Normal)
        .ok(
            &format!("/api/v1/tasks/{moved}/return"),
            json!({"kind": "outside_authority", "reason": reason}),
        )
        .await;
    staff
        .office
        .ok(
            &format!("/api/v1/tasks/{moved}/feedback-handling"),
            json!({"decision": "reassign", "to": server.org_id("TU-HPG")}),
        )
        .await;

    // Readers of A may have seen the moved task until here, and the first sentinel marks the
    // spot. Their streams carry A's normal task twice by then: its urging above, then this one.
    urge(staff, a_normal.id).await;
    let mut before_move = Vec::new();
    for (reader, (_, stream)) in readers.iter().zip(&mut streams) {
        let mut received = Vec::new();
        if reader.sight.province.is_some() {
            received.extend(stream.until_task(a_normal.id).await);
            received.extend(stream.until_task(a_normal.id).await);
        }
        before_move.push(received);
    }
    if let Some(task) = scenario.tasks.iter_mut().find(|task| task.id == moved) {
        task.owner = Owner::Record(Province::B, Level::Normal);
    }
    staff
        .focal(Province::B, Level::Normal)
        .ok(&format!("/api/v1/tasks/{moved}/receipt"), json!({}))
        .await;
    let reason = scenario
        .markers
        .text(Owner::Record(Province::B, Level::Normal), "urging_reason");
    staff
        .monitor
        .ok(
            &format!("/api/v1/tasks/{moved}/urgings"),
            json!({"channel": "phone", "reason": reason}),
        )
        .await;

    // The officers to be revoked saw A's Tối mật task and the first sentinel.
    for (_, stream) in &mut revoked {
        stream.until_task(a_secret).await;
        stream.until_task(a_normal.id).await;
    }
    let changes = [
        json!({"clearance": "normal"}),
        json!({"org_id": server.org_id("TU-HPG")}),
        json!({"disabled": true}),
    ];
    for ((user, _), change) in revoked.iter().zip(changes) {
        patch(&staff.admin, &format!("/api/v1/users/{}", user.id), change).await;
    }
    change(server, staff, scenario, Province::A, Level::Secret).await;
    change(server, staff, scenario, Province::B, Level::Secret).await;

    // The second sentinel: a change every reader of A may see, after all the others.
    urge(staff, a_normal.id).await;
    for ((reader, (web, stream)), before) in readers.iter().zip(&mut streams).zip(before_move) {
        let after = if reader.sight.province.is_some() {
            stream.until_task(a_normal.id).await
        } else {
            // A reader who sees nothing has no sentinel: its session ends, then its stream
            // must have carried no task event at all.
            let (status, _, _) = web.post("/logout", &[]).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "logout");
            stream.until_end().await
        };
        for task in before
            .into_iter()
            .filter(|task| *task != moved)
            .chain(after)
        {
            let owner = scenario.owner_of(task);
            if !reader.sight.sees(owner) {
                scenario.leaks.push(format!(
                    "{} received an event of task {task} of {owner:?}",
                    reader.name
                ));
            }
        }
        let markers = &scenario.markers;
        scenario.leaks.scan(
            markers,
            reader.name,
            reader.sight,
            "the event stream",
            &stream.raw,
        );
    }
    for (user, stream) in &mut revoked {
        let after = stream.until_end().await;
        if !after.is_empty() {
            scenario.leaks.push(format!(
                "user {} received events of tasks {after:?} after its access was revoked",
                user.id
            ));
        }
    }
}

/// Makes a change to a record of `province` at `level` and returns the task it concerns: an
/// urging of the normal task, or a new task of a classified document, since the classified
/// tasks are completed and take no urging.
async fn change(
    server: &TestServer,
    staff: &Staff,
    scenario: &mut Scenario,
    province: Province,
    level: Level,
) -> i64 {
    let task = scenario.task(province, level);
    if level == Level::Normal {
        urge(staff, task.id).await;
        return task.id;
    }
    new_task(server, staff, scenario, task.document, province, level).await
}

/// Records an urging of `task` by the Central Office's monitoring officer.
async fn urge(staff: &Staff, task: i64) {
    staff
        .monitor
        .ok(
            &format!("/api/v1/tasks/{task}/urgings"),
            json!({"channel": "meeting", "reason": "Đề nghị đẩy nhanh tiến độ"}),
        )
        .await;
}

async fn patch(client: &Client, path: &str, body: Value) -> Value {
    let (status, answer) = client.send(Method::PATCH, path, Some(body)).await;
    assert!(status.is_success(), "PATCH {path}: {status} {answer}");
    answer
}

/// Readers' lists, counts and dashboards do not change when province B's records or
/// classified records above their clearance change.
async fn unchanged_by_hidden_changes(
    server: &TestServer,
    staff: &Staff,
    readers: &[Reader],
    scenario: &mut Scenario,
) {
    let uncleared: Vec<&Reader> = readers
        .iter()
        .filter(|reader| {
            reader.sight.province.is_none() || reader.sight.level < Level::Confidential
        })
        .collect();
    // A's normal document, which also receives a task of B below.
    let shared = scenario.task(Province::A, Level::Normal).document;
    let mut before = Vec::new();
    for reader in &uncleared {
        before.push(snapshot(reader, shared).await);
    }
    let task = new_task(server, staff, scenario, shared, Province::B, Level::Normal).await;
    work_on(server, staff, scenario, task, Province::B, Level::Normal).await;
    for (province, level) in [
        (Province::B, Level::Normal),
        (Province::B, Level::Secret),
        (Province::A, Level::Confidential),
        (Province::A, Level::Secret),
    ] {
        let owner = Owner::Record(province, level);
        let document = new_document(server, staff, &mut scenario.markers, owner, level).await;
        let task = new_task(server, staff, scenario, document, province, level).await;
        work_on(server, staff, scenario, task, province, level).await;
    }
    for (reader, before) in uncleared.iter().zip(before) {
        let after = snapshot(reader, shared).await;
        for ((path, old), (_, new)) in before.iter().zip(&after) {
            if old != new {
                let (was, now) = old
                    .lines()
                    .zip(new.lines())
                    .find(|(was, now)| was != now)
                    .unwrap_or_default();
                scenario.leaks.push(format!(
                    "{}: {path} changed with records it may not see: {} became {}",
                    reader.name,
                    was.trim(),
                    now.trim()
                ));
            }
        }
        for (path, text) in &after {
            let markers = &scenario.markers;
            scenario
                .leaks
                .scan(markers, reader.name, reader.sight, path, text);
        }
    }
}

on_both_backends!(no_leaks);
