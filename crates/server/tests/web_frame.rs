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
    // The login page again, with the status of a failed login.
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
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

/// Returns the error id shown on an error page: the text of its `<code>` element.
fn error_id(html: &str) -> String {
    let start = html.find("<code>").expect("an error id") + "<code>".len();
    let end = start + html[start..].find("</code>").expect("end of the error id");
    html[start..end].to_owned()
}

async fn error_pages_give_an_id(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    server
        .user("hni", "TU-HNI", &[Role::Updater], Clearance::Normal)
        .await;
    let browser = server.browser("hni").await;

    let mut ids = Vec::new();
    for path in ["/khong-co-trang-nay", "/tasks/999999", "/queues/entry"] {
        let (status, html) = browser.get(path).await;
        assert!(status.is_client_error(), "{path} cannot be shown: {status}");
        assert!(html.contains("<html lang=\"vi\">"), "{path}: {html}");
        assert!(
            html.contains("Mã lỗi để báo quản trị viên"),
            "{path}: {html}"
        );
        let id = error_id(&html);
        assert_eq!(id.len(), 12, "{path}: {id}");
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()), "{path}: {id}");
        ids.push(id);
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 3, "each page has its own id");
}

on_both_backends!(login_and_frame);
on_both_backends!(error_pages_give_an_id);
