//! One document taken through the life of its tasks in headless Chromium, through the pages
//! only, by the people who do each step. The Central Office enters a document with two tasks
//! and transfers them. The lead body's updater confirms receipt and drafts a progress update,
//! its approver approves it, and the monitoring body's officer evaluates it. A leader's
//! dashboard stays open in a second browser the whole time and must show the transfer and the
//! approval within two seconds, without a reload.

mod browser;
mod support;

use browser::{Browser, Driver};
use std::time::{Duration, SystemTime};
use support::{TestServer, at};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{Backend, on_both_backends};

/// The dashboard counts the test follows.
const NOT_STARTED: &str = ".count[data-state='not_started_on_time']";
const IN_PROGRESS: &str = ".count[data-state='in_progress_on_time']";

/// The maximum time a dashboard may take to show a change. The requirement is one second, and
/// the measured time also covers the request that makes the change.
const LIVE_LIMIT: Duration = Duration::from_secs(2);

/// Prints the step, so that a failure's captured output shows how far the scenario got.
fn step(text: &str) {
    println!("step: {text}");
}

/// Waits until the dashboard in `observer` shows `expected` in `count` and asserts that it took
/// at most `LIVE_LIMIT` after `since`.
async fn assert_live(
    observer: &Browser,
    count: &str,
    expected: &str,
    since: SystemTime,
    change: &str,
) {
    let elapsed = observer
        .watched_value(count, expected, since, Duration::from_secs(10))
        .await;
    println!(
        "dashboard showed {change} ({count} = {expected}) {} ms after the click",
        elapsed.as_millis()
    );
    assert!(
        elapsed <= LIVE_LIMIT,
        "the dashboard took {} ms to show {change}; the limit is {} ms",
        elapsed.as_millis(),
        LIVE_LIMIT.as_millis()
    );
}

/// Fills the new-document form with a normal conclusion and two tasks for Hà Nội, adding the
/// second task row with the form's own button.
async fn enter_document(actor: &Browser, server: &TestServer) {
    let hanoi = server.org_id("TU-HNI").to_string();
    actor.select("#kind", "conclusion").await;
    actor.fill("#symbol", "21-KL/TW").await;
    actor
        .fill(
            "#title",
            "Kết luận về chuyển đổi số trong công tác văn phòng",
        )
        .await;
    actor.fill("#issue_date", "27/02/2026").await;
    actor.fill("#signer", "Thường trực Ban Bí thư").await;
    actor
        .select("#issuing_body", &server.org_id("VPTW").to_string())
        .await;
    actor
        .select("#assigning_authority", &server.org_id("BBT").to_string())
        .await;
    actor
        .select("#monitoring_body", &server.org_id("VPTW").to_string())
        .await;
    actor.select("#confidentiality", "normal").await;
    actor
        .fill("#summary", "Giao các cơ quan triển khai chuyển đổi số")
        .await;

    actor
        .fill(
            "#tasks-0-content",
            "Xây dựng kho dữ liệu văn bản điện tử của Thành uỷ",
        )
        .await;
    actor.select("#tasks-0-lead_body", &hanoi).await;
    actor.fill("#tasks-0-deadline", "30/06/2026").await;

    actor
        .click_and_load("button[name='action'][value='add_row']")
        .await;
    actor
        .fill(
            "#tasks-1-content",
            "Đào tạo cán bộ sử dụng hệ thống theo dõi nhiệm vụ",
        )
        .await;
    actor.select("#tasks-1-lead_body", &hanoi).await;
    actor.fill("#tasks-1-deadline", "31/12/2026").await;
    assert_eq!(
        actor
            .eval(
                "return document.querySelector('#tasks-0-content').value;",
                vec![]
            )
            .await,
        "Xây dựng kho dữ liệu văn bản điện tử của Thành uỷ",
        "adding a row keeps the first task's content"
    );
}

/// Returns the task ids linked from the document page, in the order of its table.
async fn task_ids(actor: &Browser) -> Vec<i64> {
    let ids = actor
        .eval(
            "const ids = [];
             for (const link of document.querySelectorAll('td.number a[href^=\"/tasks/\"]')) {
                 ids.push(Number(link.getAttribute('href').split('/')[2]));
             }
             return ids;",
            vec![],
        )
        .await;
    serde_json::from_value(ids).expect("task ids")
}

async fn task_through_every_role(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let people: [(&str, &str, &[Role]); 5] = [
        ("vptw", "VPTW", &[Role::CentralOffice]),
        ("hni.capnhat", "TU-HNI", &[Role::Updater]),
        ("hni.pheduyet", "TU-HNI", &[Role::Approver]),
        ("vptw.theodoi", "VPTW", &[Role::MonitoringOfficer]),
        ("lanhdao", "VPTW", &[Role::LeaderViewer]),
    ];
    for (username, org, roles) in people {
        server.user(username, org, roles, Clearance::Normal).await;
    }
    let driver = Driver::start().await;

    step("a leader opens the dashboard in a second browser");
    let observer = driver.browser(&server.base).await;
    observer.login("lanhdao").await;
    observer.wait_for(NOT_STARTED).await;
    observer.wait_for_live_stream().await;
    assert_eq!(observer.watch_text(NOT_STARTED).await, "0");
    assert_eq!(observer.watch_text(IN_PROGRESS).await, "0");

    step("the Central Office enters a document with two tasks");
    let actor = driver.browser(&server.base).await;
    actor.login_with_code(&server, "vptw").await;
    actor.open_from_nav("/documents/new").await;
    enter_document(&actor, &server).await;
    actor
        .click_and_load("button[name='action'][value='save']")
        .await;
    actor.wait_for_path("/documents/").await;
    let tasks = task_ids(&actor).await;
    assert_eq!(tasks.len(), 2, "the document page lists both tasks");
    let (first, second) = (tasks[0], tasks[1]);

    step("the Central Office transfers both tasks");
    let transfer_button = "form[action$='/transfer'] button[type='submit']";
    actor.wait_for(transfer_button).await;
    let clicked = SystemTime::now();
    actor.click_and_load(transfer_button).await;
    assert_live(&observer, NOT_STARTED, "2", clicked, "the transfer").await;
    assert!(
        !actor.has(transfer_button).await,
        "nothing is left to transfer"
    );
    observer.screenshot("flow-dashboard-after-transfer").await;
    actor.logout().await;

    step("Hà Nội's updater confirms receipt of both tasks");
    actor.login("hni.capnhat").await;
    actor.open_from_nav("/inbox").await;
    for task in [first, second] {
        actor
            .click_and_load(&format!(
                "form[action='/inbox/receipt/{task}'] button[type='submit']"
            ))
            .await;
        actor.wait_for(".alert-ok").await;
        assert!(
            !actor
                .has(&format!("form[action='/inbox/receipt/{task}']"))
                .await,
            "task {task} still waits for receipt"
        );
    }

    step("the updater drafts a progress update from the task page");
    actor.open_from_nav("/tasks").await;
    actor
        .click_and_load(&format!("a[href='/tasks/{first}']"))
        .await;
    actor
        .click_and_load(&format!("a[href='/tasks/{first}/updates/new']"))
        .await;
    actor
        .click("input[name='status'][value='in_progress']")
        .await;
    actor.fill("#f-percent", "40").await;
    let results = "Đã hoàn thành khảo sát hiện trạng và lập danh mục văn bản cần số hoá";
    actor.fill("#f-results", results).await;
    actor
        .click_and_load("form.work-form button[type='submit']")
        .await;
    actor.wait_for_path(&format!("/tasks/{first}")).await;
    actor.wait_for_text("details.update", results).await;
    actor.logout().await;

    step("Hà Nội's approver approves the update from the inbox");
    actor.login("hni.pheduyet").await;
    actor.open_from_nav("/inbox").await;
    let approve = format!(
        "form[action^='/tasks/{first}/updates/'][action$='/approve'] button[type='submit']"
    );
    actor.wait_for(&approve).await;
    let clicked = SystemTime::now();
    actor.click_and_load(&approve).await;
    assert_live(&observer, IN_PROGRESS, "1", clicked, "the approval").await;
    assert_live(&observer, NOT_STARTED, "1", clicked, "the approval").await;
    observer.screenshot("flow-dashboard-after-approval").await;
    actor.wait_for(".alert-ok").await;
    actor.logout().await;

    step("the monitoring officer evaluates the approved update");
    actor.login("vptw.theodoi").await;
    actor.open_from_nav("/queues/evaluation").await;
    let evaluate = format!("a[href^='/tasks/{first}/updates/'][href$='/evaluate']");
    actor.click_and_load(&evaluate).await;
    actor.click("input[name='rating'][value='good']").await;
    let comment = "Báo cáo đầy đủ, đúng tiến độ";
    actor.fill("#f-comment", comment).await;
    actor
        .click_and_load("form.work-form button[type='submit']")
        .await;
    actor.wait_for(".alert-ok").await;
    assert!(
        !actor.has(&evaluate).await,
        "the evaluated update left the evaluation queue"
    );
    actor.goto(&format!("/tasks/{first}")).await;
    actor.wait_for_text("details.update", comment).await;
    actor.screenshot("flow-task-evaluated").await;

    actor.close().await;
    observer.close().await;
}

on_both_backends!(task_through_every_role);
