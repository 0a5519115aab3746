//! Screenshots of the main screens for the user guides and the READMEs, taken in headless
//! Chromium at 1280×800 from the demo data on a temporary SQLite database.
//!
//! Ignored by default because it rewrites the PNG files in `docs/screenshots/`. Run it after a
//! change to the pages with
//! `cargo test -p theodoi-server --test screenshots -- --ignored`.
//!
//! The server clock is fixed (see `NOW`), and the demo data are seeded relative to it, so
//! that two runs show the same dates and counts. Some pixels still differ between runs because
//! the page's countdowns tick with the browser's clock.

mod browser;
mod support;

use browser::{Browser, Driver};
use std::path::{Path, PathBuf};
use support::{PASSWORD, TestServer, at};
use theodoi_store::Backend;

/// The server's "now": a Thursday morning, inside working hours, so that the working-time
/// clocks of the demo data are running.
const NOW: &str = "2026-12-03 10:00";

/// Size limit of one PNG, so that the documentation stays light to clone and to read.
const MAX_PNG_BYTES: u64 = 300 * 1024;

/// Returns `docs/screenshots/` of the repository.
fn output_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots")
}

/// Height of every screenshot, in CSS pixels.
const HEIGHT: u32 = 800;

/// Resizes the window so that the page's viewport is `width`×`HEIGHT`. The window size that
/// WebDriver sets includes the browser's own frame, which headless Chromium also counts.
async fn set_viewport(page: &Browser, width: u32) {
    page.set_width(width).await;
    let frame = page
        .eval(
            "return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];",
            vec![],
        )
        .await;
    let frame: (u32, u32) = serde_json::from_value(frame).expect("window frame size");
    page.client
        .set_window_size(width + frame.0, HEIGHT + frame.1)
        .await
        .expect("resize window");
    page.settle().await;
}

/// Saves the visible part of `page` as `docs/screenshots/<name>.png` and checks its size in
/// pixels and in bytes.
async fn save(page: &Browser, name: &str, width: u32) {
    page.settle().await;
    let png = page.client.screenshot().await.expect("screenshot");
    let path = output_dir().join(format!("{name}.png"));
    std::fs::write(&path, &png).unwrap_or_else(|error| panic!("write {}: {error}", path.display()));

    // A PNG starts with its IHDR chunk: width and height are big-endian u32 at bytes 16 and 20.
    let shown_width = u32::from_be_bytes(png[16..20].try_into().expect("PNG header"));
    let shown_height = u32::from_be_bytes(png[20..24].try_into().expect("PNG header"));
    assert_eq!(shown_width, width, "{name}.png has the wrong width");
    assert_eq!(shown_height, HEIGHT, "{name}.png has the wrong height");
    let bytes = png.len() as u64;
    assert!(
        bytes < MAX_PNG_BYTES,
        "{name}.png has {bytes} bytes, over the limit of {MAX_PNG_BYTES}; show a smaller part of the page"
    );
    println!("{name}.png: {bytes} bytes");
}

/// Scrolls the page so that the element matching `css` is at the top of the window.
async fn scroll_to(page: &Browser, css: &str) {
    page.wait_for(css).await;
    page.eval(
        "document.querySelector(arguments[0]).scrollIntoView({ block: 'start' });",
        vec![serde_json::json!(css)],
    )
    .await;
}

/// Returns the `href` (or `action`) attribute of the first element matching `css`.
async fn attribute(page: &Browser, css: &str, name: &str) -> String {
    let element = page.wait_for(css).await;
    element
        .attr(name)
        .await
        .expect("attribute")
        .unwrap_or_else(|| panic!("`{css}` has no {name}"))
}

/// Returns the task id in a path such as `/tasks/12/updates/2/approve`.
fn task_id(path: &str) -> &str {
    path.trim_start_matches("/tasks/")
        .split('/')
        .next()
        .expect("a task id")
}

/// Fills the new-document form with a directive and two tasks, one of 2 months and one of
/// 7 months, so that the preview shows two update cadences.
async fn fill_new_document(page: &Browser, server: &TestServer) {
    page.select("#kind", "directive").await;
    page.fill("#symbol", "52-CT/TW").await;
    page.fill(
        "#title",
        "Chỉ thị về tăng cường số hoá hồ sơ nhiệm vụ tại các cơ quan đảng",
    )
    .await;
    page.fill("#issue_date", "02/12/2026").await;
    page.fill("#signer", "Thường trực Ban Bí thư").await;
    page.select("#issuing_body", &server.org_id("VPTW").to_string())
        .await;
    page.select("#assigning_authority", &server.org_id("BBT").to_string())
        .await;
    page.select("#monitoring_body", &server.org_id("VPTW").to_string())
        .await;
    page.select("#confidentiality", "normal").await;
    page.fill(
        "#summary",
        "Giao các tỉnh uỷ, thành uỷ số hoá hồ sơ nhiệm vụ và cập nhật lên Hệ thống",
    )
    .await;

    page.fill(
        "#tasks-0-content",
        "Số hoá hồ sơ nhiệm vụ năm 2026 của Thành uỷ và cập nhật lên Hệ thống",
    )
    .await;
    page.select("#tasks-0-lead_body", &server.org_id("TU-HNI").to_string())
        .await;
    page.fill("#tasks-0-deadline", "05/02/2027").await;
    page.click_and_load("button[name='action'][value='add_row']")
        .await;
    page.fill(
        "#tasks-1-content",
        "Bồi dưỡng kỹ năng số cho đầu mối cập nhật, đầu mối phê duyệt của Tỉnh uỷ",
    )
    .await;
    page.select("#tasks-1-lead_body", &server.org_id("TU-THA").to_string())
        .await;
    page.fill("#tasks-1-deadline", "30/06/2027").await;
}

/// The login page and the Central Office's screens.
async fn central_office(page: &Browser, server: &TestServer) {
    page.goto("/login").await;
    page.fill("#username", "vptw.nhaplieu").await;
    save(page, "login", 1280).await;

    page.login_with_code(server, "vptw.nhaplieu").await;
    page.wait_for(".count[data-state='in_progress_on_time']")
        .await;
    save(page, "dashboard", 1280).await;

    page.open_from_nav("/documents").await;
    save(page, "documents", 1280).await;

    page.open_from_nav("/documents/new").await;
    fill_new_document(page, server).await;
    scroll_to(page, "#tasks-heading").await;
    save(page, "document-new", 1280).await;
    page.click("button[name='action'][value='preview'].button")
        .await;
    page.wait_for("#preview .task-preview").await;
    scroll_to(page, "#preview-heading").await;
    save(page, "document-preview", 1280).await;

    page.open_from_nav("/queues/entry").await;
    save(page, "entry-queue", 1280).await;

    page.open_from_nav("/queues/feedback").await;
    save(page, "feedback-queue", 1280).await;

    let hanoi = server.org_id("TU-HNI");
    page.goto(&format!(
        "/tasks?lead_body={hanoi}&include_subunits=true&result_state=in_progress_on_time%2Cin_progress_overdue"
    ))
    .await;
    page.wait_for("details.more").await;
    save(page, "tasks", 1280).await;

    page.logout().await;
}

/// Hà Nội's updater and approver, and Thanh Hoá's updater with a task to confirm. Returns the
/// id of the task whose draft Hà Nội's approver sees in the inbox.
async fn assigned_body(page: &Browser) -> String {
    page.login("tha.capnhat").await;
    page.open_from_nav("/inbox").await;
    page.wait_for("form[action^='/inbox/receipt/']").await;
    save(page, "inbox", 1280).await;

    let write = attribute(page, "#reports a.button.primary", "href").await;
    page.goto(&write).await;
    page.wait_for("form.work-form").await;
    save(page, "update-form", 1280).await;
    page.logout().await;

    page.login("hni.pheduyet").await;
    page.open_from_nav("/inbox").await;
    let approve = attribute(
        page,
        "form[action^='/tasks/'][action$='/approve']",
        "action",
    )
    .await;
    let task = task_id(&approve).to_owned();
    scroll_to(page, "#approvals").await;
    save(page, "approval-inbox", 1280).await;

    page.goto(&format!("/tasks/{task}")).await;
    page.wait_for(".task-layout").await;
    save(page, "task-page", 1280).await;
    scroll_to(page, "#updates-title").await;
    save(page, "approval-task", 1280).await;
    scroll_to(page, "#timeline-title").await;
    save(page, "task-timeline", 1280).await;
    page.logout().await;
    task
}

/// The monitoring officer's evaluation queue and form.
async fn monitoring_body(page: &Browser) {
    page.login("vptw.theodoi").await;
    page.open_from_nav("/queues/evaluation").await;
    save(page, "evaluation-queue", 1280).await;

    let evaluate = attribute(page, "a[href$='/evaluate']", "href").await;
    page.goto(&evaluate).await;
    page.wait_for("input[name='rating']").await;
    save(page, "evaluation-form", 1280).await;
    page.logout().await;
}

/// The leader's dashboard on a tablet-wide window.
async fn leader(page: &Browser) {
    page.login("vptw.lanhdao").await;
    set_viewport(page, 768).await;
    page.reload().await;
    page.wait_for(".count[data-state='in_progress_on_time']")
        .await;
    save(page, "dashboard-768", 768).await;
    set_viewport(page, 1280).await;
    page.logout().await;
}

#[tokio::test]
#[ignore = "rewrites docs/screenshots; run it after changing the pages"]
async fn screenshots_of_main_screens() {
    let now = at(NOW);
    let server = TestServer::start(Backend::Sqlite, now).await;
    let hash = |secret: &str| theodoi_server::auth::password::hash(secret);
    theodoi_server::demo::seed_demo(&server.state.store, now, &hash, PASSWORD)
        .await
        .expect("demo data");
    theodoi_server::demo::enrol_totp(&server.state, support::TOTP_SECRET)
        .await
        .expect("enrol the central office");
    server
        .state
        .reload_reference()
        .await
        .expect("reload the organisations");
    std::fs::create_dir_all(output_dir()).expect("docs/screenshots");

    let driver = Driver::start().await;
    let page = driver.browser(&server.base).await;
    set_viewport(&page, 1280).await;
    central_office(&page, &server).await;
    let task = assigned_body(&page).await;
    println!("task page: /tasks/{task}");
    monitoring_body(&page).await;
    leader(&page).await;
    page.close().await;
}
