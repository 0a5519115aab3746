//! The pages in headless Chromium under the server's Content-Security-Policy. The login with
//! its TOTP step and the main pages of the central office and of an assigned body load with
//! no CSP violation, so no page relies on inline scripts, event-handler attributes or inline
//! styles.

mod browser;
mod support;

use browser::Driver;
use jiff::Timestamp;
use serde_json::json;
use support::fixture::{document, draft_task, hanoi_task, transfer};
use support::{TestServer, at};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{Backend, on_both_backends};

fn monday_morning() -> Timestamp {
    at("2026-03-02 09:00")
}

async fn pages_without_csp_violations(backend: Backend) {
    let server = TestServer::start(backend, monday_morning()).await;
    let office = server
        .user("vptw", "VPTW", &[Role::CentralOffice], Clearance::Secret)
        .await;
    server
        .user("hni.capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
        .await;
    let document = document(&server, &office, "12-KL/TW", "normal").await;
    let task = draft_task(
        &office,
        document,
        hanoi_task(&server, Some("Tổng kết việc thí điểm"), json!("2026-06-30")),
    )
    .await;
    transfer(&office, task).await;

    let driver = Driver::start().await;
    let browser = driver.browser(&server.base).await;

    // The check can fail: an inline script added to the login page is reported.
    browser.goto("/login").await;
    browser.wait_for("#username").await;
    browser
        .eval(
            "const script = document.createElement('script');
             script.textContent = 'window.inlineRan = true;';
             document.head.appendChild(script);
             return window.inlineRan === true;",
            vec![],
        )
        .await;
    let violations = browser.csp_violations().await;
    assert!(
        violations.iter().any(|line| line.starts_with("script-src")),
        "an inline script went unreported: {violations:?}"
    );

    browser.goto("/login").await;
    browser.wait_for("#username").await;
    assert_eq!(
        browser.csp_violations().await,
        Vec::<String>::new(),
        "/login"
    );

    browser.login_with_code(&server, "vptw").await;
    let office_pages = [
        "/".to_owned(),
        "/tasks".to_owned(),
        format!("/tasks/{task}"),
        "/documents".to_owned(),
        format!("/documents/{document}"),
        "/documents/new".to_owned(),
        "/queues/entry".to_owned(),
        "/queues/feedback".to_owned(),
        "/account/totp".to_owned(),
    ];
    for path in &office_pages {
        browser.goto(path).await;
        browser.wait_for("header.topbar, .login-card").await;
        assert_eq!(
            browser.csp_violations().await,
            Vec::<String>::new(),
            "{path}"
        );
    }
    // The account page stands alone, like the login page; the logout button is in the frame.
    browser.goto("/").await;
    browser.logout().await;

    browser.login("hni.capnhat").await;
    for path in [
        "/".to_owned(),
        "/inbox".to_owned(),
        format!("/tasks/{task}"),
    ] {
        browser.goto(&path).await;
        browser.wait_for("header.topbar").await;
        assert_eq!(
            browser.csp_violations().await,
            Vec::<String>::new(),
            "{path}"
        );
    }
    browser.close().await;
}

on_both_backends!(pages_without_csp_violations);
