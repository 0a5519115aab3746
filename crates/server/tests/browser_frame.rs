//! The page frame in headless Chromium. The login page and the dashboard load nothing from
//! another host, draw Vietnamese with the embedded font, fit 1280 px and 768 px wide windows
//! and show the keyboard focus. The dashboard counts follow changes live.
//!
//! Runs on both backends because the live update goes through the store's commit, which
//! differs between SQLite and PostgreSQL. With one Chromium per test, each test takes about
//! three seconds (measured on a 2-core machine with a debug build).

mod browser;
mod support;

use browser::{Browser, Driver};
use fantoccini::key::Key;
use jiff::Timestamp;
use serde_json::json;
use std::time::{Duration, SystemTime};
use support::fixture::{document, draft_task, hanoi_task, transfer};
use support::{Client, TestServer, at};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{Backend, on_both_backends};

/// Monday 2 March 2026, 09:00 in Hà Nội: a working morning.
fn monday_morning() -> Timestamp {
    at("2026-03-02 09:00")
}

async fn central_office(server: &TestServer) -> Client {
    server
        .user("vptw", "VPTW", &[Role::CentralOffice], Clearance::Secret)
        .await
}

/// Asserts that the page loaded every resource from the test server.
async fn assert_only_local_resources(browser: &Browser, page: &str) {
    let loaded = browser.resource_urls().await;
    assert!(
        loaded.iter().any(|url| url.contains("/assets/css/app.css")),
        "{page}: the resource list misses the page's own stylesheet: {loaded:?}"
    );
    let foreign = browser.foreign_resources().await;
    assert!(
        foreign.is_empty(),
        "{page} loads resources from another host than {}: {foreign:?}",
        browser.base
    );
}

/// Asserts that the page's Vietnamese text is drawn with the embedded Be Vietnam Pro font.
async fn assert_embedded_font(browser: &Browser, page: &str) {
    let text = browser
        .eval("return document.body.innerText;", vec![])
        .await;
    let text = text.as_str().unwrap_or_default();
    assert!(
        text.chars()
            .any(|c| ('\u{1EA0}'..='\u{1EF9}').contains(&c) || "ĐđƠơƯư".contains(c)),
        "{page}: no Vietnamese letter on the page to check the font with: {text}"
    );

    let faces = browser.font_faces().await;
    // The Vietnamese subset is the face whose range covers the letters with two diacritics
    // (U+1EA0–U+1EF9, e.g. "ệ").
    let vietnamese = faces.iter().find(|(family, _, range)| {
        family == "Be Vietnam Pro" && range.to_ascii_uppercase().contains("1EA0")
    });
    let Some((_, status, _)) = vietnamese else {
        panic!("{page}: no Be Vietnam Pro face for Vietnamese letters: {faces:?}");
    };
    assert_eq!(
        status, "loaded",
        "{page}: the Vietnamese face of Be Vietnam Pro did not load: {faces:?}"
    );

    let body_font = browser
        .eval("return getComputedStyle(document.body).fontFamily;", vec![])
        .await;
    let body_font = body_font
        .as_str()
        .unwrap_or_default()
        .replace(['"', '\''], "");
    assert!(
        body_font.starts_with("Be Vietnam Pro"),
        "{page}: the body is set in {body_font}, not Be Vietnam Pro first"
    );
    let fonts_loaded = browser.resource_urls().await;
    assert!(
        fonts_loaded
            .iter()
            .any(|url| url.contains("/assets/vendor/fonts/be-vietnam-pro-vietnamese-")),
        "{page}: the Vietnamese font file was not loaded from this server: {fonts_loaded:?}"
    );
}

/// Asserts that the page does not scroll sideways at 1280 px and at 768 px, both after the
/// window is resized and when the page is loaded at that size, and leaves the window at
/// 1280 px.
async fn assert_fits_widths(browser: &Browser, page: &str) {
    for width in [1280, 768] {
        let viewport = browser.set_width(width).await;
        let resized = browser.horizontal_overflow().await;
        assert!(
            resized.is_empty(),
            "{page} scrolls sideways after resizing to {width} px ({viewport} px viewport): {resized:?}"
        );
        browser.reload().await;
        let loaded = browser.horizontal_overflow().await;
        browser.screenshot(&format!("{page}-{width}")).await;
        assert!(
            loaded.is_empty(),
            "{page} scrolls sideways when loaded at {width} px ({viewport} px viewport): {loaded:?}"
        );
    }
    browser.set_width(1280).await;
}

async fn login_page(backend: Backend) {
    let server = TestServer::start(backend, monday_morning()).await;
    let driver = Driver::start().await;
    let browser = driver.browser(&server.base).await;

    let page = format!("login-{backend:?}").to_lowercase();
    browser.goto("/login").await;
    browser.wait_for("form[action='/login'] #username").await;
    assert_eq!(
        browser
            .eval("return document.documentElement.lang;", vec![])
            .await,
        "vi",
        "a browser set to Vietnamese gets the login page in Vietnamese"
    );
    assert_only_local_resources(&browser, &page).await;
    assert_embedded_font(&browser, &page).await;
    assert_fits_widths(&browser, &page).await;

    // The user name field has the focus on arrival, and Tab moves it to the password field,
    // which shows the focus outline.
    browser.goto("/login").await;
    let focused = browser.focused().await;
    assert_eq!(focused.id, "username", "focus on arrival: {focused:?}");
    browser.press(Key::Tab).await;
    let focused = browser.focused().await;
    assert_eq!(focused.id, "password", "focus after Tab: {focused:?}");
    assert!(focused.outline, "no visible focus on {focused:?}");

    browser.close().await;
}

async fn dashboard(backend: Backend) {
    let server = TestServer::start(backend, monday_morning()).await;
    let office = central_office(&server).await;
    let document = document(&server, &office, "12-KL/TW", "normal").await;
    let task = draft_task(
        &office,
        document,
        hanoi_task(
            &server,
            Some("Tổng kết việc thí điểm theo dõi nhiệm vụ"),
            json!("2026-06-30"),
        ),
    )
    .await;

    let driver = Driver::start().await;
    let browser = driver.browser(&server.base).await;
    browser.login_with_code(&server, "vptw").await;
    assert_eq!(browser.path().await, "/", "the dashboard follows the login");
    let not_started = ".count[data-state='not_started_on_time']";
    browser.wait_for(not_started).await;

    let page = format!("dashboard-{backend:?}").to_lowercase();
    assert_only_local_resources(&browser, &page).await;
    assert_embedded_font(&browser, &page).await;
    assert_fits_widths(&browser, &page).await;

    // The first Tab reaches the skip link, which then shows on screen with its focus outline.
    // Enter on it moves the focus to the main content.
    browser.goto("/").await;
    browser.press(Key::Tab).await;
    let focused = browser.focused().await;
    assert_eq!(
        (focused.tag.as_str(), focused.href.as_deref()),
        ("a", Some("#main")),
        "the first Tab should reach the skip link: {focused:?}"
    );
    assert!(
        focused.outline,
        "the skip link shows no focus outline: {focused:?}"
    );
    assert!(
        focused.on_screen,
        "the focused skip link stays off screen: {focused:?}"
    );
    browser.screenshot(&format!("{page}-skip-link")).await;
    browser.press(Key::Enter).await;
    let focused = browser.focused().await;
    assert_eq!(focused.id, "main", "Enter on the skip link: {focused:?}");

    // The count of tasks not started (on time) follows a transfer made elsewhere.
    browser.goto("/").await;
    browser.wait_for_live_stream().await;
    let before = browser.watch_text(not_started).await;
    assert_eq!(before, "0", "no task was transferred yet");
    let transferred_at = SystemTime::now();
    transfer(&office, task).await;
    let elapsed = browser
        .watched_value(not_started, "1", transferred_at, Duration::from_secs(10))
        .await;
    println!(
        "dashboard count ({backend:?}) changed {} ms after the transfer",
        elapsed.as_millis()
    );
    assert!(
        elapsed <= Duration::from_secs(2),
        "the dashboard took {} ms to show the transfer; the limit is 2000 ms",
        elapsed.as_millis()
    );
    browser.screenshot(&format!("{page}-after-transfer")).await;

    browser.close().await;
}

on_both_backends!(login_page, dashboard);
