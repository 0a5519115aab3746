//! The task list as its users see it: every filter by its query parameter, sorting, keyset
//! paging, saved views, the XLSX export, scope and both languages.

mod support;

use reqwest::StatusCode;
use serde_json::json;
use support::fixture::{Cast, document, draft_task};
use support::html::escaped;
use support::web::WebClient;
use support::zip;
use support::{TestServer, at};
use theodoi_i18n::{Lang, catalogue};
use theodoi_store::{Backend, on_both_backends};

const HANOI_KEY: &str = "Thí điểm chuyển đổi số tại Hà Nội";
const ORGANISATION: &str = "Tổng kết công tác tổ chức cán bộ";
const HAIPHONG_REGULAR: &str = "Nhiệm vụ thường xuyên về đào tạo cán bộ";
const DRAFT: &str = "Bản nháp chưa chuyển giao";
const DELEGATED: &str = "Triển khai tại đơn vị trực thuộc";

/// Turns an `href` as written in HTML back into the path it names.
fn unescaped(href: &str) -> String {
    href.replace("&#38;", "&").replace("&amp;", "&")
}

/// The tasks of the example, by what each exercises.
struct Tasks {
    document: i64,
    classified_document: i64,
    hanoi: i64,
    organisation: i64,
    haiphong: i64,
    draft: i64,
    classified: i64,
    delegated: i64,
    /// A unit under Hà Nội, which leads the delegated sub-task.
    unit: i64,
}

/// Two documents with tasks that differ on every filter, entered on 02/03/2026, and the
/// clock moved to 02/04/2026 so that some are overdue.
async fn example(server: &TestServer, people: &Cast) -> Tasks {
    let office = &people.office;
    let document_id = document(server, office, "20-KL/TW", "normal").await;
    let classified_document = document(server, office, "21-KL/TW", "confidential").await;
    let hanoi = draft_task(
        office,
        document_id,
        json!({
            "content": HANOI_KEY,
            "lead_body": server.org_id("TU-HNI"),
            "coordinating_bodies": [server.org_id("BTCTW")],
            "deadline": "2026-03-31",
            "classification": {"priority": "key", "scope": "locality", "scope_detail": "Hà Nội", "other": "ad_hoc"}
        }),
    )
    .await;

    let organisation = draft_task(
        office,
        document_id,
        json!({
            "content": ORGANISATION,
            "lead_body": server.org_id("BTCTW"),
            "monitoring_body": server.org_id("UBKTTW"),
            "deadline": "2026-09-30"
        }),
    )
    .await;
    let haiphong = draft_task(
        office,
        document_id,
        json!({"content": HAIPHONG_REGULAR, "lead_body": server.org_id("TU-HPG"), "deadline": null}),
    )
    .await;
    let draft = draft_task(
        office,
        document_id,
        json!({"content": DRAFT, "lead_body": server.org_id("TU-HNI"), "deadline": "2026-12-31"}),
    )
    .await;
    let classified = draft_task(
        office,
        classified_document,
        json!({"lead_body": server.org_id("TU-HNI"), "deadline": "2026-05-31"}),
    )
    .await;

    for task in [hanoi, organisation, haiphong, classified] {
        office
            .ok(&format!("/api/v1/tasks/{task}/transfer"), json!({}))
            .await;
    }
    people
        .hanoi_updater
        .ok(&format!("/api/v1/tasks/{hanoi}/receipt"), json!({}))
        .await;

    let unit = office
        .ok(
            "/api/v1/organisations",
            json!({"code": "HNI-BTG", "name_vi": "Ban Tuyên giáo Thành uỷ Hà Nội",
                   "name_en": "Hanoi Propaganda Commission", "parent_id": server.org_id("TU-HNI")}),
        )
        .await["id"]
        .as_i64()
        .expect("unit id");
    let delegated = people
        .hanoi_updater
        .ok(
            &format!("/api/v1/tasks/{hanoi}/subtasks"),
            json!({"lead_body": unit, "content": DELEGATED, "deadline": "2026-03-31"}),
        )
        .await["id"]
        .as_i64()
        .expect("sub-task id");

    server.set_time("2026-04-02 09:00");
    Tasks {
        document: document_id,
        classified_document,
        hanoi,
        organisation,
        haiphong,
        draft,
        classified,
        delegated,
        unit,
    }
}

async fn list(browser: &WebClient, query: &str) -> String {
    let (status, html) = browser.get(&format!("/tasks?{query}")).await;
    assert_eq!(status, StatusCode::OK, "/tasks?{query}: {html}");
    html
}

fn row_links(html: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<a href=\"/tasks/") {
        let after = &rest[start + "<a href=\"/tasks/".len()..];
        let end = after.find('"').unwrap_or(0);
        if let Ok(id) = after[..end].parse::<i64>()
            && !ids.contains(&id)
        {
            ids.push(id);
        }
        rest = after;
    }
    ids
}

/// Asserts that the list at `query` shows exactly `expected`, in any order.
async fn shows(browser: &WebClient, query: &str, expected: &[i64]) {
    let html = list(browser, query).await;
    let mut found = row_links(&html);
    found.sort_unstable();
    let mut expected = expected.to_vec();
    expected.sort_unstable();
    assert_eq!(found, expected, "tasks listed for ?{query}");
}

async fn filters_by_parameter(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let t = example(&server, &people).await;
    let office = server.browser("vptw").await;
    let all = [
        t.hanoi,
        t.organisation,
        t.haiphong,
        t.draft,
        t.classified,
        t.delegated,
    ];

    let html = list(&office, "").await;
    assert!(html.contains("6 nhiệm vụ"), "the count of the whole list");
    assert!(html.contains(&escaped(HANOI_KEY)));
    assert!(
        html.contains("Nội dung mật"),
        "classified content is never shown"
    );
    assert!(html.contains("31/03/2026"), "deadlines as dd/mm/yyyy");
    assert!(html.contains("badge not_started_overdue"));
    assert!(html.contains(&format!("href=\"/tasks/{}\"", t.delegated)));
    assert!(html.contains(&catalogue().text(Lang::Vi, "ui-tasks-subtask")));
    shows(&office, "", &all).await;

    shows(
        &office,
        "result_state=not_started_overdue",
        &[t.hanoi, t.delegated],
    )
    .await;
    shows(
        &office,
        "result_state=not_started_on_time,not_started",
        &[t.organisation, t.classified, t.haiphong],
    )
    .await;
    shows(
        &office,
        "result_state=not_started_on_time&result_state=not_started",
        &[t.organisation, t.classified, t.haiphong],
    )
    .await;
    shows(&office, "status=draft", &[t.draft]).await;
    shows(
        &office,
        "status=awaiting_receipt,in_progress",
        &[
            t.hanoi,
            t.organisation,
            t.haiphong,
            t.classified,
            t.delegated,
        ],
    )
    .await;
    let hanoi = server.org_id("TU-HNI");
    shows(
        &office,
        &format!("lead_body={hanoi}"),
        &[t.hanoi, t.draft, t.classified],
    )
    .await;
    shows(
        &office,
        &format!("lead_body={hanoi}&include_subunits=true"),
        &[t.hanoi, t.draft, t.classified, t.delegated],
    )
    .await;
    shows(
        &office,
        &format!("body={}", server.org_id("BTCTW")),
        &[t.hanoi, t.organisation],
    )
    .await;
    shows(
        &office,
        &format!("monitoring_body={}", server.org_id("UBKTTW")),
        &[t.organisation],
    )
    .await;
    // A sub-task takes its parent's classification.
    shows(&office, "priority=key", &[t.hanoi, t.delegated]).await;
    shows(&office, "scope=locality", &[t.hanoi, t.delegated]).await;
    shows(
        &office,
        "executing_unit=central_party_body",
        &[t.organisation],
    )
    .await;
    shows(&office, "other=ad_hoc", &[t.hanoi, t.delegated]).await;
    shows(&office, "confidentiality=confidential", &[t.classified]).await;
    shows(
        &office,
        "confidentiality=normal",
        &[t.hanoi, t.organisation, t.haiphong, t.draft, t.delegated],
    )
    .await;
    let html = list(&office, &format!("document={}", t.document)).await;
    assert!(html.contains("Chỉ nhiệm vụ của văn bản 20-KL/TW"));
    shows(
        &office,
        &format!("document={}", t.document),
        &[t.hanoi, t.organisation, t.haiphong, t.draft, t.delegated],
    )
    .await;
    shows(
        &office,
        &format!("document={}", t.classified_document),
        &[t.classified],
    )
    .await;
    shows(&office, &format!("parent={}", t.hanoi), &[t.delegated]).await;
    shows(&office, "subtasks=true", &[t.delegated]).await;
    shows(&office, "has_deadline=false", &[t.haiphong]).await;
    shows(
        &office,
        "has_deadline=true",
        &[t.hanoi, t.organisation, t.draft, t.classified, t.delegated],
    )
    .await;
    shows(
        &office,
        "deadline_from=2026-04-01&deadline_to=2026-06-30",
        &[t.classified],
    )
    .await;
    shows(
        &office,
        "deadline_from=01%2F04%2F2026&deadline_to=30%2F06%2F2026",
        &[t.classified],
    )
    .await;
    let html = list(&office, "deadline_from=2026-04-01").await;
    assert!(
        html.contains("value=\"01/04/2026\""),
        "dates are shown as dd/mm/yyyy"
    );
    // Receipt was never confirmed on three of them; the draft missed its entry due time.
    shows(
        &office,
        "breached=true",
        &[
            t.organisation,
            t.haiphong,
            t.classified,
            t.draft,
            t.delegated,
        ],
    )
    .await;
    shows(&office, "q=chuyen+doi+so", &[t.hanoi]).await;
    shows(&office, "q=%C4%91%C3%A0o+t%E1%BA%A1o", &[t.haiphong]).await;
    shows(&office, "q=dao+tao", &[t.haiphong]).await;
    shows(
        &office,
        "q=20-KL",
        &[t.hanoi, t.organisation, t.haiphong, t.draft, t.delegated],
    )
    .await;

    let newest = list(&office, "sort=newest").await;
    let positions: Vec<usize> = [t.delegated, t.classified, t.hanoi]
        .iter()
        .map(|id| {
            newest
                .find(&format!("href=\"/tasks/{id}\""))
                .expect("row present")
        })
        .collect();
    assert!(
        positions.windows(2).all(|pair| pair[0] < pair[1]),
        "newest first"
    );
    let by_deadline = list(&office, "").await;
    let first = by_deadline
        .find(&format!("href=\"/tasks/{}\"", t.hanoi))
        .unwrap();
    let last = by_deadline
        .find(&format!("href=\"/tasks/{}\"", t.haiphong))
        .unwrap();
    assert!(
        first < last,
        "earliest deadline first, tasks without one last"
    );
}

async fn wrong_filters_and_paging(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let t = example(&server, &people).await;
    let office = server.browser("vptw").await;

    let (status, html) = office.get("/tasks?result_state=bogus&limit=0").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("role=\"alert\""));
    assert!(
        html.contains("field invalid"),
        "the wrong filters are marked"
    );
    assert!(
        html.contains("completed_on_time"),
        "the message lists the accepted values"
    );
    let (status, html) = office.get("/tasks?deadline_from=32%2F13%2F2026").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("ngày/tháng/năm"),
        "date advice in the pages' format"
    );
    assert!(
        html.contains("value=\"32/13/2026\""),
        "the value is kept as typed"
    );
    let (status, html) = office
        .get("/tasks?deadline_from=2026-06-30&deadline_to=2026-04-01")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("30/06/2026"), "{html}");

    let (status, html) = office.get("/tasks?cursor=khong-hop-le").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&escaped(
        &catalogue().text(Lang::Vi, "request-cursor-invalid")
    )));
    assert_eq!(row_links(&html).len(), 6, "the first page is shown");

    let mut seen = Vec::new();
    let mut path = "/tasks?limit=2&sort=newest".to_owned();
    let mut pages = 0;
    loop {
        let (status, html) = office.get(&path).await;
        assert_eq!(status, StatusCode::OK);
        let rows = row_links(&html);
        assert!(rows.len() <= 2, "page size {rows:?}");
        for row in &rows {
            assert!(!seen.contains(row), "task {row} on two pages");
            seen.push(*row);
        }
        pages += 1;
        if pages > 1 {
            assert!(
                html.contains("href=\"/tasks?sort=newest&#38;limit=2\""),
                "first page link"
            );
        }
        let marker = "rel=\"next\"";
        let Some(next) = html.find(marker) else {
            break;
        };
        let start = html[..next].rfind("href=\"").expect("next link") + "href=\"".len();
        let end = start + html[start..].find('"').unwrap();
        path = unescaped(&html[start..end]);
        assert!(path.contains("cursor="), "{path}");
        assert!(path.contains("limit=2"), "the next page keeps the filters");
    }
    assert_eq!(pages, 3);
    seen.sort_unstable();
    let mut all = vec![
        t.hanoi,
        t.organisation,
        t.haiphong,
        t.draft,
        t.classified,
        t.delegated,
    ];
    all.sort_unstable();
    assert_eq!(seen, all);
}

async fn list_scope_and_language(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let t = example(&server, &people).await;

    let haiphong = server.browser("hpg.dau.moi").await;
    shows(&haiphong, "", &[t.haiphong]).await;
    shows(&haiphong, "q=chuyen+doi", &[]).await;
    let html = list(&haiphong, &format!("lead_body={}", server.org_id("TU-HNI"))).await;
    assert!(
        !html.contains(&escaped(HANOI_KEY)),
        "another province sees nothing"
    );
    assert!(html.contains(&catalogue().text(Lang::Vi, "ui-tasks-empty")));

    // The body selects list a province's units only to the province itself, or once chosen.
    // Anyone else finds them with the search box beside each select.
    let unit_option = format!("<option value=\"{}\"", t.unit);
    let html = list(&haiphong, "").await;
    assert!(!html.contains(&unit_option), "Hà Nội's unit is not listed");
    assert_eq!(
        html.matches("data-org-search=").count(),
        3,
        "a search box per body select"
    );
    let html = list(&haiphong, &format!("monitoring_body={}", t.unit)).await;
    assert!(
        html.contains(&format!("{unit_option} selected>")),
        "a chosen unit stays listed"
    );

    let hanoi = server.browser("hni.capnhat").await;
    shows(&hanoi, "", &[t.hanoi, t.delegated]).await;
    let html = list(&hanoi, "").await;
    assert!(
        html.contains(&unit_option),
        "a province lists its own units"
    );
    assert!(!html.contains(DRAFT), "drafts stay with the assigning side");
    assert!(
        !html.contains("value=\"confidential\""),
        "no filter for levels the user may not read"
    );

    let office = server.browser("vptw").await;
    let (status, _, _) = office.post("/language", &[("language", "en")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let html = list(&office, "").await;
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("6 tasks"));
    assert!(html.contains("Filters"));
    assert!(html.contains("Classified content"));
    assert!(html.contains(&escaped(
        &catalogue().text(Lang::En, "result-not-started-overdue")
    )));
    let (status, html) = office.get("/tasks?limit=9999").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("500"),
        "the English message names the maximum"
    );
}

async fn saved_views(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let t = example(&server, &people).await;
    let office = server.browser("vptw").await;

    let html = list(&office, "").await;
    assert!(html.contains(&catalogue().text(Lang::Vi, "ui-tasks-views-empty")));
    let (status, _, html) = office
        .post(
            "/tasks/views",
            &[
                ("name", "  "),
                ("query", "result_state=not_started_overdue"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("id=\"view-name-error\""));
    assert!(html.contains("Tên bộ lọc"), "the field is named in words");
    shows_rows(&html, &[t.hanoi, t.delegated]);

    let query = "result_state=not_started_overdue&junk=1";
    let (status, location, _) = office
        .post("/tasks/views", &[("name", "Quá hạn"), ("query", query)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some("/tasks?result_state=not_started_overdue&notice=view-saved")
    );
    // A second click saves the same view again instead of a copy.
    let (status, _, _) = office
        .post("/tasks/views", &[("name", "Quá hạn"), ("query", query)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, location, _) = office
        .post(
            "/tasks/views",
            &[("name", "Trọng tâm"), ("query", "priority=key")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location:?}");

    let html = list(
        &office,
        "result_state=not_started_overdue&notice=view-saved",
    )
    .await;
    assert!(html.contains(&catalogue().text(Lang::Vi, "ui-tasks-view-saved")));
    assert_eq!(html.matches(">Quá hạn</a>").count(), 1, "one view per name");
    assert!(
        html.contains("href=\"/tasks?result_state=not_started_overdue\" aria-current=\"true\"")
    );
    assert!(html.contains("href=\"/tasks?priority=key\""));
    shows(&office, "priority=key", &[t.hanoi, t.delegated]).await;

    let hanoi = server.browser("hni.capnhat").await;
    let html = list(&hanoi, "").await;
    assert!(!html.contains("Quá hạn</a>"), "views belong to one user");
    let views = server
        .state
        .store
        .saved_views(theodoi_domain::ids::UserId(people.office.id))
        .await
        .unwrap();
    assert_eq!(views.len(), 2);
    let overdue = views.iter().find(|view| view.name == "Quá hạn").unwrap();
    let (status, _, _) = hanoi
        .post(
            &format!("/tasks/views/{}/delete", overdue.id),
            &[("back", "")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        server
            .state
            .store
            .saved_views(theodoi_domain::ids::UserId(people.office.id))
            .await
            .unwrap()
            .len(),
        2,
        "another user's view stays"
    );

    let (status, location, _) = office
        .post(
            &format!("/tasks/views/{}/delete", overdue.id),
            &[("back", "priority=key")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some("/tasks?priority=key&notice=view-deleted")
    );
    let (status, _, _) = office
        .post(
            &format!("/tasks/views/{}/delete", overdue.id),
            &[("back", "")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "deleting twice is harmless");
    let html = list(&office, "notice=view-deleted").await;
    assert!(html.contains(&catalogue().text(Lang::Vi, "ui-tasks-view-deleted")));
    assert!(!html.contains(">Quá hạn</a>"));
    assert!(html.contains(">Trọng tâm</a>"));
}

fn shows_rows(html: &str, expected: &[i64]) {
    let mut found = row_links(html);
    found.sort_unstable();
    let mut expected = expected.to_vec();
    expected.sort_unstable();
    assert_eq!(found, expected);
}

async fn export_xlsx(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let _ = example(&server, &people).await;
    let office = server.browser("vptw").await;

    let response = office
        .http
        .get(format!("{}/tasks/export.xlsx", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"nhiem-vu-20260402.xlsx\""
    );
    let bytes = response.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK", "a ZIP file");
    let parts = zip::entries(&bytes);
    let names: Vec<&str> = parts.iter().map(|(name, _)| name.as_str()).collect();
    assert!(names.contains(&"[Content_Types].xml"), "{names:?}");
    let part = |name: &str| {
        parts
            .iter()
            .find(|(part, _)| part == name)
            .map(|(_, data)| String::from_utf8(data.clone()).expect("UTF-8 XML"))
            .unwrap_or_else(|| panic!("no {name} in {names:?}"))
    };
    let strings = part("xl/sharedStrings.xml");
    let sheet = part("xl/worksheets/sheet1.xml");
    let styles = part("xl/styles.xml");
    let workbook = part("xl/workbook.xml");
    assert!(
        workbook.contains("name=\"Nhiệm vụ\""),
        "sheet named in Vietnamese"
    );
    assert!(
        strings.contains("Số, ký hiệu văn bản"),
        "Vietnamese headers"
    );
    assert!(strings.contains("Nội dung nhiệm vụ"));
    assert!(strings.contains(HANOI_KEY));
    assert!(strings.contains(DRAFT));
    assert!(strings.contains("Nội dung mật"), "classified rows say so");
    assert!(strings.contains("Không thời hạn"));
    assert!(
        styles.contains("formatCode=\"dd/mm/yyyy\""),
        "dates as dd/mm/yyyy"
    );
    assert!(sheet.contains("ySplit=\"1\""), "frozen header row");
    assert!(sheet.contains("<autoFilter"));
    assert!(sheet.contains("<col "), "column widths");
    assert_eq!(sheet.matches("<row ").count(), 7, "a header and six tasks");

    let (status, _) = office
        .get("/tasks/export.xlsx?priority=bogus-but-free")
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a catalogue code matches nothing, no error"
    );
    let filtered = office
        .http
        .get(format!("{}/tasks/export.xlsx?priority=key", server.base))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let parts = zip::entries(&filtered);
    let strings = parts
        .iter()
        .find(|(name, _)| name == "xl/sharedStrings.xml")
        .map(|(_, data)| String::from_utf8(data.clone()).unwrap())
        .unwrap();
    assert!(strings.contains(HANOI_KEY));
    assert!(
        !strings.contains(ORGANISATION),
        "the export follows the filters"
    );

    let haiphong = server.browser("hpg.dau.moi").await;
    let scoped = haiphong
        .http
        .get(format!("{}/tasks/export.xlsx", server.base))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let parts = zip::entries(&scoped);
    let strings = parts
        .iter()
        .find(|(name, _)| name == "xl/sharedStrings.xml")
        .map(|(_, data)| String::from_utf8(data.clone()).unwrap())
        .unwrap();
    assert!(strings.contains(HAIPHONG_REGULAR));
    assert!(!strings.contains(HANOI_KEY), "the export respects scope");

    let (status, html) = office.get("/tasks/export.xlsx?limit=0").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("<html"), "an error page, not a broken file");

    let (status, _, _) = office.post("/language", &[("language", "en")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let english = office
        .http
        .get(format!("{}/tasks/export.xlsx", server.base))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let parts = zip::entries(&english);
    let strings = parts
        .iter()
        .find(|(name, _)| name == "xl/sharedStrings.xml")
        .map(|(_, data)| String::from_utf8(data.clone()).unwrap())
        .unwrap();
    assert!(strings.contains("Document number"), "English headers");
}

on_both_backends!(
    filters_by_parameter,
    wrong_filters_and_paging,
    list_scope_and_language,
    saved_views,
    export_xlsx,
);
