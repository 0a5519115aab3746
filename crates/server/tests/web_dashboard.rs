//! The dashboard page and its live summary. The tests cover counts and links for each role
//! and scope, the per-body table and its order, the trend, obligations with countdowns,
//! classified tasks, both languages, and a change made through the API that shows in the
//! next refresh.
//!
//! On 02/03/2026 the Central Office registers a conclusion issued on 27/02 and a Mật one, and
//! enters five tasks. The pages are read on 25/03/2026, when:
//! - A (Hà Nội, key, due 20/03) was completed on 10/03: completed on time;
//! - B (Hà Nội, due 31/03) was received: not started, on time, due within seven days;
//! - C (Hải Phòng, due 05/03) was never received: not started, overdue since 06/03;
//! - D (Hà Nội, Mật, due 30/04) was transferred: not started, on time;
//! - E (Hà Nội) is still a draft.

mod support;

use reqwest::StatusCode;
use serde_json::json;
use support::fixture::{Cast, document, draft_task, hanoi_task, start, transfer};
use support::html::{text, text_of, unescape};
use support::web::WebClient;
use support::{TestServer, at};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{Backend, on_both_backends};

/// The ids of the scenario's tasks.
struct Tasks {
    a: i64,
    b: i64,
    c: i64,
    d: i64,
}

/// Symbol of the Mật document, which only cleared readers may see.
const CLASSIFIED_SYMBOL: &str = "11-KL/TW";

async fn scenario(server: &TestServer, people: &Cast) -> Tasks {
    let office = &people.office;
    let normal = document(server, office, "10-KL/TW", "normal").await;
    let classified = document(server, office, CLASSIFIED_SYMBOL, "confidential").await;

    let mut body = hanoi_task(
        server,
        Some("Thí điểm cập nhật tiến độ tại Hà Nội"),
        json!("2026-03-20"),
    );
    body["classification"] = json!({"priority": "key"});
    let a = draft_task(office, normal, body).await;
    start(office, &people.hanoi_updater, a).await;

    let body = hanoi_task(
        server,
        Some("Rà soát dữ liệu đảng viên của Hà Nội"),
        json!("2026-03-31"),
    );
    let b = draft_task(office, normal, body).await;
    start(office, &people.hanoi_updater, b).await;

    let body = json!({
        "content": "Kiểm tra công tác đảng ở Hải Phòng",
        "lead_body": server.org_id("TU-HPG"),
        "deadline": "2026-03-05"
    });
    let c = draft_task(office, normal, body).await;
    transfer(office, c).await;

    let d = draft_task(
        office,
        classified,
        hanoi_task(server, None, json!("2026-04-30")),
    )
    .await;
    transfer(office, d).await;

    draft_task(
        office,
        normal,
        hanoi_task(server, Some("Tổng kết thí điểm"), json!("2026-06-30")),
    )
    .await;

    server.set_time("2026-03-10 09:00");
    people
        .hanoi_updater
        .ok(
            &format!("/api/v1/tasks/{a}/updates"),
            json!({"status": "completed", "completion_date": "2026-03-10", "results": "Đã hoàn thành thí điểm"}),
        )
        .await;
    people
        .hanoi_approver
        .ok(&format!("/api/v1/tasks/{a}/updates/1/approve"), json!({}))
        .await;

    server.set_time("2026-03-25 10:00");
    Tasks { a, b, c, d }
}

/// Returns the count shown for result state `code`.
fn state_count(html: &str, code: &str) -> String {
    let marker = format!("data-state=\"{code}\">");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no count for {code}"))
        + marker.len();
    let end = start + html[start..].find('<').expect("end of count");
    html[start..end].trim().to_owned()
}

/// Returns the HTML of the fragment with `id`, up to the next fragment.
fn fragment<'a>(html: &'a str, id: &str) -> &'a str {
    let marker = format!("<div id=\"{id}\" class=\"dash-fragment\"");
    let Some(start) = html.find(&marker) else {
        return "";
    };
    let rest = &html[start + marker.len()..];
    let end = rest.find("class=\"dash-fragment\"").unwrap_or(rest.len());
    &rest[..end]
}

/// Returns the cells after the row header `name` in the per-body table, as text.
fn body_row(html: &str, name: &str) -> Vec<String> {
    let table = fragment(html, "dash-bodies");
    let start = table
        .find(&format!(">{name}<"))
        .unwrap_or_else(|| panic!("no row {name} in {}", text(table)));
    let row = &table[start..];
    let row = &row[..row.find("</tr>").expect("end of row")];
    row.split("<td")
        .skip(1)
        .map(|cell| text(&format!("<td{cell}")))
        .collect()
}

/// Returns the names of the rows of the per-body table, in order.
fn body_names(html: &str) -> Vec<String> {
    let table = fragment(html, "dash-bodies");
    let body = &table[table.find("<tbody>").expect("tbody")..table.find("</tbody>").expect("end")];
    body.split("<th scope=\"row\">")
        .skip(1)
        .map(|row| text(&row[..row.find("</th>").expect("end of header")]))
        .collect()
}

/// `href="PATH"` as the templates write it, with `&` escaped.
fn href(path: &str) -> String {
    format!("href=\"{}\"", path.replace('&', "&#38;"))
}

/// Returns the `have` values of a page or summary: `fragment-id:version`.
fn versions(html: &str) -> Vec<String> {
    let marker = "name=\"have\" value=\"";
    html.match_indices(marker)
        .map(|(index, _)| {
            let start = index + marker.len();
            let end = start + html[start..].find('"').expect("end of value");
            html[start..end].to_owned()
        })
        .collect()
}

async fn page(browser: &WebClient, path: &str) -> String {
    let (status, html) = browser.get(path).await;
    assert_eq!(status, StatusCode::OK, "{path}: {html}");
    html
}

async fn dashboard_national_view(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let tasks = scenario(&server, &people).await;
    let html = page(&server.browser("vptw").await, "/").await;

    assert!(html.contains("Phạm vi số liệu: toàn quốc"));
    assert!(html.contains("số liệu tính đến 25/03/2026 10:00"));
    assert!(
        html.contains("Tổng số nhiệm vụ đang theo dõi: 4"),
        "the draft is not monitored yet"
    );
    let expected = [
        ("completed_on_time", "1"),
        ("completed_late", "0"),
        ("in_progress_on_time", "0"),
        ("in_progress_overdue", "0"),
        ("done_not_completed", "0"),
        ("not_started_on_time", "2"),
        ("not_started_overdue", "1"),
        ("completed", "0"),
        ("in_progress", "0"),
        ("not_started", "0"),
    ];
    for (code, count) in expected {
        assert_eq!(state_count(&html, code), count, "{code}");
        assert!(
            html.contains(&href(&format!("/tasks?result_state={code}"))),
            "{code} links to its list"
        );
    }

    let monitored =
        "status=awaiting_receipt%2Cin_progress%2Creturned%2Ccompleted%2Cdone_not_completed";
    let classes = fragment(&html, "dash-classes");
    assert!(
        classes.contains(&format!(
            "{}>4</a>",
            href(&format!(
                "/tasks?executing_unit=provincial_committee&{monitored}"
            ))
        )),
        "{}",
        text(classes)
    );
    assert!(classes.contains(&format!(
        "{}>1</a>",
        href(&format!("/tasks?priority=key&{monitored}"))
    )));
    assert!(classes.contains(&format!(
        "{}>3</a>",
        href(&format!("/tasks?priority=regular&{monitored}"))
    )));
    assert!(text(classes).contains("Tỉnh uỷ, thành uỷ 4 100%"));

    let hanoi = server.org_id("TU-HNI");
    assert_eq!(
        body_row(&html, "Thành uỷ Hà Nội"),
        ["3", "1", "0", "0", "100% (1/1)"]
    );
    assert_eq!(
        body_row(&html, "Thành uỷ Hải Phòng"),
        ["1", "0", "0", "1", "0% (0/1)"]
    );
    assert!(html.contains(&format!(
        "{}>1</a>",
        href(&format!(
            "/tasks?lead_body={hanoi}&include_subunits=true&result_state=completed_on_time"
        ))
    )));
    assert!(html.contains(&format!(
        "{}>3</a>",
        href(&format!(
            "/tasks?lead_body={hanoi}&include_subunits=true&{monitored}"
        ))
    )));
    let sum = text(fragment(&html, "dash-bodies"));
    assert!(sum.contains("Tổng cộng 4 1 0 1 50% (1/2)"), "{sum}");

    let trend = text(fragment(&html, "dash-trend"));
    assert!(
        trend.contains("03/2026 1 0 1"),
        "A completed, C overdue: {trend}"
    );
    assert!(
        trend.contains("04/2025 0 0 0"),
        "twelve months back: {trend}"
    );
    assert!(!trend.contains("04/2026"));
    assert!(
        fragment(&html, "dash-trend")
            .contains(r#"data-chart="{&#34;labels&#34;:[&#34;04/2025&#34;,&#34;05/2025&#34;"#),
        "the chart's data, escaped in the attribute"
    );
    assert!(html.contains("/assets/vendor/chartjs/chart.umd.min.js"));

    let deadlines = fragment(&html, "dash-deadlines");
    assert!(deadlines.contains(&href(
        "/tasks?deadline_from=2026-03-25&deadline_to=2026-04-01&result_state=in_progress_on_time%2Cnot_started_on_time"
    )));
    assert!(text(deadlines).contains("1 Nhiệm vụ chưa hoàn thành, đến hạn trong 7 ngày tới"));
    assert!(
        text(deadlines).contains("1 Nhiệm vụ chưa hoàn thành, đến hạn trong 30 ngày tới"),
        "D is due on 30/04, after 24/04"
    );
    assert!(deadlines.contains(&href(&format!("/tasks/{}", tasks.b))));

    let obligations = fragment(&html, "dash-obligations");
    assert!(
        obligations.contains(&href(&format!("/tasks/{}", tasks.c))),
        "Hải Phòng's missed receipt: {}",
        text(obligations)
    );
    assert!(obligations.contains("<time data-countdown datetime=\""));
    assert!(obligations.contains("data-over=\"Quá hạn {t}\""));
    assert!(text(obligations).contains("Xác nhận tiếp nhận"));
    // Transferred on 02/03 at 09:00, so receipt was due at 14:00 that day.
    assert!(
        text(obligations).contains("Hạn 02/03/2026 14:00 · Quá hạn 22 ngày 20 giờ"),
        "{}",
        text(obligations)
    );

    assert!(html.contains("sse-connect=\"/events\""));
    assert!(html.contains("hx-get=\"/dashboard/summary\""));
    assert!(html.contains("hx-trigger=\"sse:task, sse:resync"));
    assert!(!html.contains("<script>"), "no inline script");
    assert!(!html.contains(" onclick="), "no inline handler");
}

/// Returns each link to the task list on the dashboard whose text starts with a count, as the
/// path and the count.
fn counted_links(html: &str) -> Vec<(String, i64)> {
    let main = &html[html.find("<main").expect("main")..];
    let mut links = Vec::new();
    for (index, _) in main.match_indices("<a href=\"/tasks?") {
        let href_start = index + "<a href=\"".len();
        let href_end = href_start + main[href_start..].find('"').expect("end of href");
        let content_start = href_end + main[href_end..].find('>').expect("end of tag") + 1;
        let content_end = content_start + main[content_start..].find("</a>").expect("end of link");
        let shown = text(&main[content_start..content_end]);
        let Some(count) = shown.split(' ').next().and_then(|word| word.parse().ok()) else {
            continue;
        };
        links.push((unescape(&main[href_start..href_end]), count));
    }
    links
}

/// Returns the total in the heading of the task list.
fn list_total(html: &str) -> i64 {
    let heading = text_of(html, "results-title").expect("heading of the results");
    heading
        .split(' ')
        .next()
        .and_then(|word| word.parse().ok())
        .unwrap_or_else(|| panic!("no total in {heading}"))
}

async fn dashboard_counts_match_lists(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    scenario(&server, &people).await;

    // Every count links to the list it counts, within the reader's scope: by result state, by
    // class and priority, by body and column, and by upcoming deadline.
    for username in ["vptw", "hpg.dau.moi", "hni.capnhat", "btc.dau.moi"] {
        let browser = server.browser(username).await;
        let html = page(&browser, "/").await;
        let links = counted_links(&html);
        for code in [
            "completed_on_time",
            "completed_late",
            "in_progress_on_time",
            "in_progress_overdue",
            "done_not_completed",
            "not_started_on_time",
            "not_started_overdue",
            "completed",
            "in_progress",
            "not_started",
        ] {
            assert!(
                links
                    .iter()
                    .any(|(path, _)| path == &format!("/tasks?result_state={code}")),
                "{username}: the count of {code} is a link"
            );
        }
        assert!(
            links.iter().any(|(path, _)| path.contains("priority=")),
            "{username}: counts by priority are links"
        );
        assert!(
            links
                .iter()
                .any(|(path, _)| path.contains("executing_unit=")),
            "{username}: counts by class are links"
        );
        assert!(
            links.iter().any(|(path, _)| path.contains("deadline_to=")),
            "{username}: counts of upcoming deadlines are links"
        );
        for (path, count) in links {
            let list = page(&browser, &path).await;
            assert_eq!(list_total(&list), count, "{username}: {path}");
        }
    }
}

async fn dashboard_province_scope(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let tasks = scenario(&server, &people).await;

    let html = page(&server.browser("hpg.dau.moi").await, "/").await;
    assert!(html.contains("Phạm vi số liệu: Thành uỷ Hải Phòng và các đơn vị trực thuộc"));
    assert!(html.contains("Tổng số nhiệm vụ đang theo dõi: 1"));
    assert_eq!(state_count(&html, "not_started_overdue"), "1");
    assert_eq!(state_count(&html, "completed_on_time"), "0");
    assert_eq!(state_count(&html, "not_started_on_time"), "0");
    assert_eq!(
        body_names(&html),
        ["Thành uỷ Hải Phòng (trực tiếp chủ trì)"]
    );
    assert!(
        !html.contains("Hà Nội"),
        "nothing of Hà Nội reaches Hải Phòng"
    );
    assert!(!html.contains(&format!("/tasks/{}\"", tasks.a)));
    assert!(!html.contains(CLASSIFIED_SYMBOL));
    assert!(html.contains(&href(&format!("/tasks/{}", tasks.c))));

    let html = page(&server.browser("hni.capnhat").await, "/").await;
    assert!(html.contains("Phạm vi số liệu: Thành uỷ Hà Nội và các đơn vị trực thuộc"));
    assert!(html.contains("Tổng số nhiệm vụ đang theo dõi: 2"));
    assert_eq!(state_count(&html, "completed_on_time"), "1");
    assert_eq!(state_count(&html, "not_started_on_time"), "1");
    assert_eq!(state_count(&html, "not_started_overdue"), "0");
    assert!(!html.contains("Hải Phòng"));
    assert!(!html.contains(&format!("/tasks/{}\"", tasks.c)));
    assert_eq!(
        body_row(&html, "Thành uỷ Hà Nội (trực tiếp chủ trì)"),
        ["2", "1", "0", "0", "100% (1/1)"]
    );

    // The Central Organisation Commission coordinates A and B but leads none of them.
    let html = page(&server.browser("btc.dau.moi").await, "/").await;
    assert!(html.contains("Tổng số nhiệm vụ đang theo dõi: 2"));
    assert_eq!(
        body_names(&html),
        ["Cơ quan khác (đơn vị mình phối hợp, theo dõi hoặc giao)"]
    );
    assert_eq!(
        body_row(
            &html,
            "Cơ quan khác (đơn vị mình phối hợp, theo dõi hoặc giao)"
        ),
        ["2", "1", "0", "0", "100% (1/1)"]
    );
}

async fn dashboard_classified_for_cleared(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let tasks = scenario(&server, &people).await;

    let uncleared = page(&server.browser("hni.capnhat").await, "/").await;
    let cleared = page(&server.browser("hni.mat").await, "/").await;
    assert!(uncleared.contains("Tổng số nhiệm vụ đang theo dõi: 2"));
    assert!(cleared.contains("Tổng số nhiệm vụ đang theo dõi: 3"));
    assert_eq!(state_count(&uncleared, "not_started_on_time"), "1");
    assert_eq!(state_count(&cleared, "not_started_on_time"), "2");
    assert!(!uncleared.contains(CLASSIFIED_SYMBOL));
    assert!(!uncleared.contains(&format!("/tasks/{}\"", tasks.d)));

    // D's receipt is overdue, and the cleared officer gets it listed without its content.
    let obligations = fragment(&cleared, "dash-obligations");
    assert!(obligations.contains(&href(&format!("/tasks/{}", tasks.d))));
    assert!(obligations.contains(CLASSIFIED_SYMBOL));
    assert!(text(obligations).contains("Nhiệm vụ mật (không hiển thị nội dung)"));

    let national = page(&server.browser("vptw").await, "/").await;
    assert_eq!(body_row(&national, "Thành uỷ Hà Nội")[0], "3");
    server
        .user(
            "lanhdao.thuong",
            "VPTW",
            &[Role::LeaderViewer],
            Clearance::Normal,
        )
        .await;
    let national = page(&server.browser("lanhdao.thuong").await, "/").await;
    assert!(national.contains("Tổng số nhiệm vụ đang theo dõi: 3"));
    assert_eq!(body_row(&national, "Thành uỷ Hà Nội")[0], "2");
}

async fn dashboard_every_role_reads(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    scenario(&server, &people).await;
    server
        .user("ubkttw", "UBKTTW", &[Role::Inspector], Clearance::Secret)
        .await;

    let national = [("vptw", 4), ("lanhdao", 4), ("ubkttw", 4)];
    for (username, total) in national {
        let html = page(&server.browser(username).await, "/").await;
        assert!(html.contains("Phạm vi số liệu: toàn quốc"), "{username}");
        assert!(
            html.contains(&format!("Tổng số nhiệm vụ đang theo dõi: {total}")),
            "{username}"
        );
    }
    let bodies = [
        ("vptw.theodoi", "Văn phòng Trung ương Đảng"),
        ("hni.pheduyet", "Thành uỷ Hà Nội"),
        ("btc.theodoi", "Ban Tổ chức Trung ương"),
    ];
    for (username, body) in bodies {
        let html = page(&server.browser(username).await, "/").await;
        assert!(
            html.contains(&format!("Phạm vi số liệu: {body} và các đơn vị trực thuộc")),
            "{username}"
        );
    }

    // Leaders and inspectors only read: the page has no form besides language and log-out.
    for username in ["lanhdao", "ubkttw"] {
        let html = page(&server.browser(username).await, "/").await;
        assert_eq!(html.matches("<form").count(), 2, "{username}");
        assert!(html.contains("action=\"/language\""));
        assert!(html.contains("action=\"/logout\""));
    }
}

async fn dashboard_bodies_sorted(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    scenario(&server, &people).await;
    let browser = server.browser("vptw").await;

    let html = page(&browser, "/").await;
    assert_eq!(
        body_names(&html),
        ["Thành uỷ Hà Nội", "Thành uỷ Hải Phòng"],
        "the order of the organisation tree"
    );
    assert!(html.contains("<a href=\"/?sort=rate-desc#bodies\">Tỷ lệ đúng hạn</a>"));

    let html = page(&browser, "/?sort=rate-asc").await;
    assert_eq!(body_names(&html), ["Thành uỷ Hải Phòng", "Thành uỷ Hà Nội"]);
    assert!(html.contains("aria-sort=\"ascending\"><a href=\"/?sort=rate-desc#bodies\""));
    assert!(
        html.contains("name=\"sort\" value=\"rate-asc\""),
        "live refreshes keep the order"
    );

    let html = page(&browser, "/?sort=rate-desc").await;
    assert_eq!(body_names(&html), ["Thành uỷ Hà Nội", "Thành uỷ Hải Phòng"]);
    assert!(html.contains("aria-sort=\"descending\"><a href=\"/?sort=rate-asc#bodies\""));

    let html = page(&browser, "/?sort=total-asc").await;
    assert_eq!(body_names(&html), ["Thành uỷ Hải Phòng", "Thành uỷ Hà Nội"]);

    let (status, summary) = browser.get("/dashboard/summary?sort=rate-asc").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body_names(&summary),
        ["Thành uỷ Hải Phòng", "Thành uỷ Hà Nội"]
    );

    let html = page(&browser, "/?sort=khong-co").await;
    assert_eq!(
        body_names(&html),
        ["Thành uỷ Hà Nội", "Thành uỷ Hải Phòng"],
        "an unknown order falls back to the default"
    );
}

async fn dashboard_summary_after_change(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    let tasks = scenario(&server, &people).await;
    let browser = server.browser("hni.capnhat").await;

    let (status, before) = browser.get("/dashboard/summary").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state_count(&before, "not_started_on_time"), "1");
    assert_eq!(state_count(&before, "in_progress_on_time"), "0");
    assert!(before.contains("hx-swap-oob=\"true\""));
    assert!(before.contains("id=\"dash-updated\" hx-swap-oob=\"innerHTML\""));
    let have = versions(&before);
    assert_eq!(have.len(), 6, "{have:?}");
    let query: String = have
        .iter()
        .map(|version| format!("have={}", version.replace(':', "%3A")))
        .collect::<Vec<_>>()
        .join("&");

    let (status, unchanged) = browser.get(&format!("/dashboard/summary?{query}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(unchanged.trim(), "", "nothing changed, nothing sent");

    // B gets under way: its state changes, the per-body counts and the trend do not.
    people
        .hanoi_updater
        .ok(
            &format!("/api/v1/tasks/{}/updates", tasks.b),
            json!({"status": "in_progress", "percent": 20, "results": "Đã bắt đầu rà soát"}),
        )
        .await;
    people
        .hanoi_approver
        .ok(
            &format!("/api/v1/tasks/{}/updates/1/approve", tasks.b),
            json!({}),
        )
        .await;

    let (status, after) = browser.get(&format!("/dashboard/summary?{query}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state_count(&after, "not_started_on_time"), "0");
    assert_eq!(state_count(&after, "in_progress_on_time"), "1");
    assert!(after.contains("<div id=\"dash-states\""));
    assert!(
        after.contains("<div id=\"dash-deadlines\""),
        "B's state badge changed"
    );
    assert!(
        !after.contains("<div id=\"dash-bodies\""),
        "the per-body counts did not change"
    );
    assert!(
        !after.contains("<div id=\"dash-trend\""),
        "the trend did not change"
    );
    assert!(after.contains("số liệu tính đến 25/03/2026 10:00"));

    let (status, full) = browser.get("/dashboard/summary").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(versions(&full).len(), 6, "without versions, every fragment");
}

/// Reads the counts of open obligations overdue and due within 72 hours from the dashboard.
fn obligation_counts(html: &str) -> (i64, i64) {
    let counts: Vec<i64> = fragment(html, "dash-obligations")
        .split("<span class=\"count\">")
        .skip(1)
        .map(|rest| {
            let end = rest.find('<').expect("end of count");
            rest[..end].trim().parse().expect("a count")
        })
        .collect();
    (counts[0], counts[1])
}

/// Counts the obligation API's items at `now` as the dashboard should: still owed, not
/// optional, and due before `now` or within 72 hours of it.
fn expected_counts(open: &serde_json::Value, now: jiff::Timestamp) -> (i64, i64) {
    let window = jiff::SignedDuration::from_hours(72);
    let mut counts = (0, 0);
    for item in open["items"].as_array().expect("items") {
        let obligation = &item["obligation"];
        if obligation["optional"].as_bool() == Some(true) {
            continue;
        }
        let due: jiff::Timestamp = obligation["due_at"]
            .as_str()
            .expect("due_at")
            .parse()
            .expect("a timestamp");
        if due < now {
            counts.0 += 1;
        } else if due <= now + window {
            counts.1 += 1;
        }
    }
    counts
}

/// Numbers read once are reused, but every page shows the standing at its own time: the same
/// day's dashboard read again after an obligation falls due, or comes within the due-soon
/// window, counts it where it now belongs.
async fn dashboard_follows_the_clock(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    scenario(&server, &people).await;
    let open = people
        .office
        .fetch("/api/v1/obligations?status=open&limit=200")
        .await;

    // Every instant ahead at which an obligation changes standing, away from midnight so that
    // both sides of it fall on one day. Logins need the clock to go forward.
    let start = at("2026-03-25 10:05");
    let window = jiff::SignedDuration::from_hours(72);
    let mut boundaries: Vec<jiff::Timestamp> = open["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|item| item["obligation"]["optional"].as_bool() == Some(false))
        .flat_map(|item| {
            let due: jiff::Timestamp = item["obligation"]["due_at"]
                .as_str()
                .expect("due_at")
                .parse()
                .expect("a timestamp");
            [due, due - window]
        })
        .filter(|boundary| {
            let before =
                theodoi_calendar::local_date(*boundary - jiff::SignedDuration::from_mins(1));
            let after =
                theodoi_calendar::local_date(*boundary + jiff::SignedDuration::from_mins(1));
            *boundary > start && before == after
        })
        .collect();
    boundaries.sort();
    // Each reading logs in anew, once per minute at most.
    boundaries.dedup_by(|later, earlier| {
        later.duration_since(*earlier) < jiff::SignedDuration::from_mins(3)
    });
    assert!(
        boundaries.len() >= 2,
        "the scenario has obligations to cross: {open}"
    );

    for boundary in boundaries {
        for step in [-1, 1] {
            let now = boundary + jiff::SignedDuration::from_mins(step);
            server.clock.set(now);
            // Weeks may pass between two boundaries, longer than a session lasts.
            let html = page(&server.browser("vptw").await, "/").await;
            assert_eq!(
                obligation_counts(&html),
                expected_counts(&open, now),
                "at {now}, one minute {} a change of standing",
                if step < 0 { "before" } else { "after" }
            );
        }
    }
}

async fn dashboard_in_english(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people = Cast::new(&server).await;
    scenario(&server, &people).await;
    let browser = server.browser("vptw").await;
    let (status, _, _) = browser.post("/language", &[("language", "en")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let html = page(&browser, "/").await;
    assert!(html.contains("<html lang=\"en\">"));
    for phrase in [
        "Figures for: the whole country",
        "figures as of 25/03/2026 10:00",
        "Tasks being monitored: 4",
        "Tasks with a deadline",
        "Tasks without a deadline",
        "Completed on time",
        "Obligations that need attention",
        "Unfinished tasks due in the next 7 days",
        "Provincial and city Party committees",
        "Hanoi City Party Committee",
        "On-time rate",
        "The last 12 months",
        "data-over=\"Overdue by {t}\"",
    ] {
        assert!(html.contains(phrase), "{phrase}");
    }
    assert!(
        !html.contains("Tổng số nhiệm vụ"),
        "no Vietnamese left in the page body"
    );

    let (status, summary) = browser.get("/dashboard/summary").await;
    assert_eq!(status, StatusCode::OK);
    assert!(summary.contains("Tasks being monitored: 4"));
}

async fn dashboard_needs_login(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let anonymous = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    let response = anonymous
        .get(format!("{}/dashboard/summary", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        "/login?next=%2Fdashboard%2Fsummary"
    );

    // A live refresh after the session ended sends the whole page to the login form.
    let response = anonymous
        .get(format!("{}/dashboard/summary", server.base))
        .header("HX-Request", "true")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response.headers().contains_key("hx-redirect"));

    // An empty database shows zeros and the empty messages, not an error.
    server
        .user("vptw", "VPTW", &[Role::CentralOffice], Clearance::Secret)
        .await;
    let html = page(&server.browser("vptw").await, "/").await;
    assert!(html.contains("Tổng số nhiệm vụ đang theo dõi: 0"));
    assert!(html.contains("Chưa có nhiệm vụ nào được chuyển giao."));
    assert!(html.contains("Không có nghĩa vụ nào quá hạn hoặc sắp đến hạn."));
    assert!(text(fragment(&html, "dash-bodies")).contains("Tổng cộng 0 0 0 0 —"));
}

on_both_backends!(
    dashboard_national_view,
    dashboard_province_scope,
    dashboard_classified_for_cleared,
    dashboard_every_role_reads,
    dashboard_bodies_sorted,
    dashboard_summary_after_change,
    dashboard_follows_the_clock,
    dashboard_in_english,
    dashboard_needs_login,
    dashboard_counts_match_lists,
);
