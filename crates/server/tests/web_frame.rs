//! The page frame: login, the dashboard counts, language switch, logout, error pages.

mod support;

use reqwest::StatusCode;
use support::{TestServer, at};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{Backend, on_both_backends};

async fn login_and_frame(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    server
        .user("vptw", "VPTW", &[Role::CentralOffice], Clearance::Secret)
        .await;

    let anonymous = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = anonymous
        .get(format!("{}/", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/login?next=%2F");

    let wrong = anonymous
        .post(format!("{}/login", server.base))
        .form(&[
            ("username", "vptw"),
            ("password", "sai-mat-khau"),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::OK);
    let page = wrong.text().await.unwrap();
    assert!(
        page.contains("Tên đăng nhập hoặc mật khẩu không đúng"),
        "{page}"
    );

    let browser = server.browser("vptw").await;
    let (status, home) = browser.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("<html lang=\"vi\">"));
    assert!(home.contains("Bảng điều khiển"));
    assert!(home.contains("href=\"/tasks?result_state=in_progress_overdue\""));

    let (status, location, _) = browser.post("/language", &[("language", "en")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location:?}");
    let (_, home) = browser.get("/").await;
    assert!(home.contains("<html lang=\"en\">"));
    assert!(home.contains("Dashboard"));

    let forged = browser
        .http
        .post(format!("{}/language", server.base))
        .form(&[("language", "vi"), ("_csrf", "sai")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);

    let (status, missing) = browser.get("/khong-co-trang-nay").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        missing.contains("<html"),
        "an HTML page, not JSON: {missing}"
    );

    let (status, location, _) = browser.post("/logout", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/login"));
    let (status, _) = browser.get("/").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the session ended");
}

on_both_backends!(login_and_frame);
