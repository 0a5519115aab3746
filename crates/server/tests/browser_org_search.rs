//! The search box beside the task list's body selects, in headless Chromium. The selects list
//! only the bodies above the subordinate units. Typing part of a unit's name adds the units
//! that match, and the chosen one filters the list and stays selected after the reload.

mod browser;
mod support;

use browser::{Browser, Driver};
use serde_json::json;
use std::time::Duration;
use support::fixture::{document, draft_task, transfer};
use support::{TestServer, at};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{Backend, on_both_backends};

/// Waits until the search results in the select `id` contain `expected`.
async fn results(browser: &Browser, id: &str, expected: &str) {
    browser
        .wait_until(
            &format!("search results in #{id} with \"{expected}\""),
            Duration::from_secs(10),
            || async {
                let text = browser
                    .eval(
                        "const group = document.querySelector(
                           '#' + arguments[0] + ' optgroup[label=\"Kết quả tìm kiếm\"]');
                         return group ? group.textContent : '';",
                        vec![json!(id)],
                    )
                    .await;
                let text = text.as_str().unwrap_or_default().to_owned();
                text.contains(expected).then_some(())
            },
        )
        .await
}

async fn search_finds_a_unit(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let office = server
        .user("vptw", "VPTW", &[Role::CentralOffice], Clearance::Normal)
        .await;
    let unit = office
        .ok(
            "/api/v1/organisations",
            json!({"code": "HPG-BDV", "name_vi": "Ban Dân vận Thành uỷ Hải Phòng",
                   "name_en": "Hai Phong Mass Mobilisation Commission",
                   "parent_id": server.org_id("TU-HPG")}),
        )
        .await["id"]
        .as_i64()
        .expect("unit id")
        .to_string();
    let document = document(&server, &office, "30-KL/TW", "normal").await;
    let task = draft_task(
        &office,
        document,
        json!({"content": "Tập huấn công tác dân vận", "lead_body": unit.parse::<i64>().unwrap(),
               "deadline": "2026-06-30"}),
    )
    .await;
    transfer(&office, task).await;
    let other = draft_task(
        &office,
        document,
        json!({"content": "Sơ kết công tác dân vận", "lead_body": server.org_id("TU-HNI"),
               "deadline": "2026-06-30"}),
    )
    .await;
    transfer(&office, other).await;

    let driver = Driver::start().await;
    let browser = driver.browser(&server.base).await;
    browser.login_with_code(&server, "vptw").await;
    browser.goto("/tasks").await;
    let option = format!("#f-lead option[value='{unit}']");
    assert!(
        !browser.has(&option).await,
        "the unit is not listed before a search"
    );

    browser.fill("#f-lead-search", "dan van hai phong").await;
    results(
        &browser,
        "f-lead",
        "Ban Dân vận Thành uỷ Hải Phòng (HPG-BDV)",
    )
    .await;
    assert!(browser.has(&option).await, "the unit is offered once found");
    browser.select("#f-lead", &unit).await;
    browser
        .click_and_load(".filter-form button[type='submit']")
        .await;

    let path = browser.wait_for_path("/tasks?").await;
    assert!(path.contains(&format!("lead_body={unit}")), "{path}");
    browser.wait_for(&format!("a[href='/tasks/{task}']")).await;
    assert!(
        !browser.has(&format!("a[href='/tasks/{other}']")).await,
        "only the unit's task is listed"
    );
    let chosen = browser
        .eval("return document.getElementById('f-lead').value;", vec![])
        .await;
    assert_eq!(chosen, json!(unit), "the chosen unit stays selected");

    // A search that matches nothing shows a notice in the select.
    browser.click("details.more > summary").await;
    browser
        .fill("#f-monitoring-search", "khong co don vi nay")
        .await;
    results(
        &browser,
        "f-monitoring",
        "Không tìm thấy cơ quan, đơn vị nào",
    )
    .await;
    browser.close().await;
}

on_both_backends!(search_finds_a_unit);
