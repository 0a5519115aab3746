//! Sessions over real HTTP on both backends: cookie attributes, renewal at login, logout and
//! disabling, idle and absolute timeouts on the server's clock, security headers on every kind
//! of response, and the CSRF check on every state-changing route.

mod support;

use jiff::SignedDuration;
use reqwest::{Method, StatusCode, header};
use serde_json::{Value, json};
use support::{PASSWORD, TestServer, at};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{Backend, on_both_backends};

fn monday_morning() -> jiff::Timestamp {
    at("2026-03-02 09:00")
}

/// A cookie-keeping client without redirects, as a browser script would be.
fn cookie_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Logs `username` in through the JSON API; returns the response's `Set-Cookie` value and the
/// CSRF token.
async fn api_login(
    server: &TestServer,
    http: &reqwest::Client,
    username: &str,
) -> (String, String) {
    let mut body = json!({"username": username, "password": PASSWORD});
    if server.needs_code(username).await {
        body["totp"] = json!(server.code_for(username).await);
    }
    let response = http
        .post(format!("{}/api/v1/auth/login", server.base))
        .json(&body)
        .send()
        .await
        .expect("login");
    assert_eq!(response.status(), StatusCode::OK, "login of {username}");
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .expect("cookie")
        .to_owned();
    let view: Value = response.json().await.expect("login view");
    (
        cookie,
        view["csrf_token"].as_str().expect("csrf").to_owned(),
    )
}

async fn me_status(server: &TestServer, http: &reqwest::Client) -> StatusCode {
    http.get(format!("{}/api/v1/me", server.base))
        .send()
        .await
        .expect("me")
        .status()
}

async fn session_cookie_attributes(backend: Backend) {
    let server = TestServer::start(backend, monday_morning()).await;
    server
        .user("capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
        .await;
    let (cookie, _) = api_login(&server, &cookie_client(), "capnhat").await;
    assert!(cookie.starts_with("theodoi_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP demo: {cookie}");

    let https = TestServer::start_with(backend, monday_morning(), |config| {
        config.secure_cookies = true;
    })
    .await;
    https
        .user("capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
        .await;
    let (cookie, _) = api_login(&https, &cookie_client(), "capnhat").await;
    assert!(cookie.contains("; Secure"), "{cookie}");
}

async fn login_renews_session_id(backend: Backend) {
    let server = TestServer::start(backend, monday_morning()).await;
    server
        .user("capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
        .await;
    let planted = "chosen-by-an-attacker";
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/login", server.base))
        .header(header::COOKIE, format!("theodoi_session={planted}"))
        .json(&json!({"username": "capnhat", "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .expect("cookie");
    assert!(!cookie.contains(planted), "{cookie}");
    let planted_me = reqwest::Client::new()
        .get(format!("{}/api/v1/me", server.base))
        .header(header::COOKIE, format!("theodoi_session={planted}"))
        .send()
        .await
        .expect("me");
    assert_eq!(planted_me.status(), StatusCode::UNAUTHORIZED);

    // Two logins of one account get two different sessions.
    let (first, _) = api_login(&server, &cookie_client(), "capnhat").await;
    let (second, _) = api_login(&server, &cookie_client(), "capnhat").await;
    assert_ne!(first, second);
}

async fn logout_ends_pages_api_and_stream(backend: Backend) {
    let server = TestServer::start(backend, monday_morning()).await;
    server
        .user("capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
        .await;
    let http = cookie_client();
    let (_, csrf) = api_login(&server, &http, "capnhat").await;
    assert_eq!(me_status(&server, &http).await, StatusCode::OK);
    let page = http
        .get(format!("{}/", server.base))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), StatusCode::OK);

    let mut stream = http
        .get(format!("{}/events", server.base))
        .send()
        .await
        .expect("event stream");
    assert_eq!(stream.status(), StatusCode::OK);

    let logout = http
        .post(format!("{}/api/v1/auth/logout", server.base))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .expect("logout");
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);

    // The open stream ends: reading runs to the end of the body instead of waiting for the
    // keep-alive. The timeout only bounds a failing test.
    let ended = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while stream.chunk().await.expect("stream chunk").is_some() {}
    })
    .await;
    assert!(ended.is_ok(), "the event stream stayed open after logout");

    assert_eq!(me_status(&server, &http).await, StatusCode::UNAUTHORIZED);
    let page = http
        .get(format!("{}/", server.base))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(page.headers()[header::LOCATION], "/login?next=%2F");
    let events = http
        .get(format!("{}/events", server.base))
        .send()
        .await
        .expect("events");
    assert_ne!(events.status(), StatusCode::OK);
}

async fn disabling_ends_sessions_and_tokens(backend: Backend) {
    let server = TestServer::start(backend, monday_morning()).await;
    let admin = server
        .user("quantri", "VPTW", &[Role::Administrator], Clearance::Normal)
        .await;
    let token_client = server
        .user("capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
        .await;
    let http = cookie_client();
    api_login(&server, &http, "capnhat").await;
    let mut stream = http
        .get(format!("{}/events", server.base))
        .send()
        .await
        .expect("event stream");
    assert_eq!(stream.status(), StatusCode::OK);

    let (status, body) = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/users/{}", token_client.id),
            Some(json!({"disabled": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let ended = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        while stream.chunk().await.expect("stream chunk").is_some() {}
    })
    .await;
    assert!(
        ended.is_ok(),
        "the event stream stayed open after disabling"
    );
    assert_eq!(me_status(&server, &http).await, StatusCode::UNAUTHORIZED);
    let (status, _) = token_client.get("/api/v1/me").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn role_change_ends_sessions(backend: Backend) {
    let server = TestServer::start(backend, monday_morning()).await;
    let admin = server
        .user("quantri", "VPTW", &[Role::Administrator], Clearance::Normal)
        .await;
    let user = server
        .user("capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
        .await;
    let http = cookie_client();
    api_login(&server, &http, "capnhat").await;
    let (status, body) = admin
        .send(
            Method::PATCH,
            &format!("/api/v1/users/{}", user.id),
            Some(json!({"roles": ["approver"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(me_status(&server, &http).await, StatusCode::UNAUTHORIZED);
}

async fn idle_and_absolute_timeouts(backend: Backend) {
    let server = TestServer::start(backend, monday_morning()).await;
    server
        .user("capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
        .await;

    let idle = cookie_client();
    api_login(&server, &idle, "capnhat").await;
    server.advance(SignedDuration::from_mins(14));
    assert_eq!(me_status(&server, &idle).await, StatusCode::OK);
    server.advance(SignedDuration::from_mins(14));
    assert_eq!(
        me_status(&server, &idle).await,
        StatusCode::OK,
        "activity moved the idle end"
    );
    server.advance(SignedDuration::from_mins(16));
    assert_eq!(me_status(&server, &idle).await, StatusCode::UNAUTHORIZED);

    let busy = cookie_client();
    api_login(&server, &busy, "capnhat").await;
    // Active every 10 minutes: only the absolute timeout of 12 hours ends it.
    for _ in 0..71 {
        server.advance(SignedDuration::from_mins(10));
        assert_eq!(me_status(&server, &busy).await, StatusCode::OK);
    }
    server.advance(SignedDuration::from_mins(10));
    assert_eq!(me_status(&server, &busy).await, StatusCode::UNAUTHORIZED);
}

async fn timeouts_follow_configuration(backend: Backend) {
    let server = TestServer::start_with(backend, monday_morning(), |config| {
        config.session_idle = SignedDuration::from_mins(5);
        config.session_absolute = SignedDuration::from_hours(1);
    })
    .await;
    server
        .user("capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
        .await;
    let http = cookie_client();
    api_login(&server, &http, "capnhat").await;
    server.advance(SignedDuration::from_mins(6));
    assert_eq!(me_status(&server, &http).await, StatusCode::UNAUTHORIZED);

    api_login(&server, &http, "capnhat").await;
    for _ in 0..14 {
        server.advance(SignedDuration::from_mins(4));
        assert_eq!(me_status(&server, &http).await, StatusCode::OK);
    }
    server.advance(SignedDuration::from_mins(4));
    assert_eq!(me_status(&server, &http).await, StatusCode::UNAUTHORIZED);
}

fn assert_security_headers(response: &reqwest::Response, what: &str, https: bool) {
    let headers = response.headers();
    let csp = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap_or_else(|| panic!("{what}: no Content-Security-Policy"))
        .to_str()
        .expect("csp");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(csp.contains("script-src 'self'"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-eval"), "{what}: {csp}");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{what}");
    assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY", "{what}");
    assert!(headers.contains_key(header::REFERRER_POLICY), "{what}");
    assert_eq!(
        headers.contains_key(header::STRICT_TRANSPORT_SECURITY),
        https,
        "{what}: HSTS only over HTTPS"
    );
}

async fn headers_on_every_response(backend: Backend) {
    for https in [false, true] {
        let server = TestServer::start_with(backend, monday_morning(), |config| {
            config.secure_cookies = https;
        })
        .await;
        server
            .user("capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
            .await;
        let http = cookie_client();
        let anonymous = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let cases = [
            (
                "login page",
                anonymous.get(format!("{}/login", server.base)),
            ),
            (
                "redirect to login",
                anonymous.get(format!("{}/", server.base)),
            ),
            (
                "asset",
                anonymous.get(format!("{}/assets/css/app.css", server.base)),
            ),
            (
                "API error",
                anonymous.get(format!("{}/api/v1/me", server.base)),
            ),
            (
                "not found page",
                anonymous
                    .get(format!("{}/no-such-page", server.base))
                    .header(header::ACCEPT, "text/html"),
            ),
            (
                "method not allowed",
                anonymous.delete(format!("{}/api/v1/me", server.base)),
            ),
            (
                "OpenAPI",
                anonymous.get(format!("{}/api/v1/openapi.json", server.base)),
            ),
        ];
        for (what, request) in cases {
            let response = request.send().await.expect(what);
            assert_security_headers(&response, what, https);
        }
        api_login(&server, &http, "capnhat").await;
        for path in ["/", "/tasks", "/api/v1/me"] {
            let response = http
                .get(format!("{}{path}", server.base))
                .send()
                .await
                .expect(path);
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert_security_headers(&response, path, https);
        }
    }
}

/// The `.route("PATH", …)` calls of the page router's source whose method router takes a
/// state-changing method, read from the source so that a new route is checked without a
/// change here.
fn web_state_changing_routes() -> Vec<(String, String)> {
    let mut routes: Vec<_> = theodoi_server::web::route_list()
        .into_iter()
        .filter(|route| matches!(route.method, "POST" | "PUT" | "PATCH" | "DELETE"))
        .map(|route| (route.method.to_owned(), route.path.to_owned()))
        .collect();
    routes.sort();
    routes.dedup();
    routes
}

/// Replaces every `{parameter}` of a route with 1.
fn concrete(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => inside = true,
            '}' => {
                inside = false;
                out.push('1');
            }
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// A `multipart/form-data` body of text `fields`, with its content type.
fn multipart(fields: &[(&str, &str)]) -> (String, String) {
    let boundary = "csrf-check-boundary";
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Routes that take no session, so there is no session token to check: the steps of a login,
/// and the token endpoint, which authenticates by password alone.
const WITHOUT_SESSION: [&str; 4] = [
    "POST /login",
    "POST /login/code",
    "POST /api/v1/auth/login",
    "POST /api/v1/auth/tokens",
];

async fn csrf_on_every_state_changing_route(backend: Backend) {
    let server = TestServer::start(backend, monday_morning()).await;
    server
        .user(
            "quantri",
            "VPTW",
            &[Role::Administrator, Role::CentralOffice],
            Clearance::Secret,
        )
        .await;
    let http = cookie_client();
    let (_, csrf) = api_login(&server, &http, "quantri").await;

    let spec: Value = http
        .get(format!("{}/api/v1/openapi.json", server.base))
        .send()
        .await
        .expect("openapi")
        .json()
        .await
        .expect("openapi json");
    let mut routes = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in ["post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                routes.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    let api_count = routes.len();
    routes.extend(web_state_changing_routes());
    assert!(api_count > 10, "API routes found: {routes:?}");
    assert!(
        routes.len() > api_count + 10,
        "page routes found: {routes:?}"
    );

    let mut checked = 0;
    for (method, path) in &routes {
        let name = format!("{method} {path}");
        if WITHOUT_SESSION.contains(&name.as_str()) {
            continue;
        }
        let url = format!("{}{}", server.base, concrete(path));
        let method: Method = method.parse().expect("method");
        if path.starts_with("/api/") {
            let response = http
                .request(method.clone(), &url)
                .json(&json!({}))
                .send()
                .await
                .expect(&name);
            assert_eq!(
                response.status(),
                StatusCode::FORBIDDEN,
                "{name} without the token"
            );
            let body: Value = response.json().await.expect("error body");
            assert_eq!(body["code"], "auth-csrf-invalid", "{name}: {body}");
            let response = http
                .request(method, &url)
                .header("x-csrf-token", "wrong")
                .json(&json!({}))
                .send()
                .await
                .expect(&name);
            assert_eq!(
                response.status(),
                StatusCode::FORBIDDEN,
                "{name} with a wrong token"
            );
        } else {
            // Pages post URL-encoded or multipart forms; each kind without the token, or with
            // a wrong one, is refused. A route that reads only multipart returns 400 to the
            // other kind before reading anything.
            for (what, fields) in [
                ("without the token", vec![("next", "/")]),
                ("with a wrong token", vec![("_csrf", "wrong")]),
            ] {
                let response = http
                    .request(method.clone(), &url)
                    .form(&fields)
                    .send()
                    .await
                    .expect(&name);
                assert!(
                    [StatusCode::FORBIDDEN, StatusCode::BAD_REQUEST].contains(&response.status()),
                    "{name} URL-encoded {what}: {}",
                    response.status()
                );
                let (content_type, body) = multipart(&fields);
                let response = http
                    .request(method.clone(), &url)
                    .header(header::CONTENT_TYPE, content_type)
                    .body(body)
                    .send()
                    .await
                    .expect(&name);
                assert_eq!(
                    response.status(),
                    StatusCode::FORBIDDEN,
                    "{name} multipart {what}"
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= routes.len() - WITHOUT_SESSION.len());

    // The session still works with the right token, so the refusals above were about the token.
    let logout = http
        .post(format!("{}/api/v1/auth/logout", server.base))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .expect("logout");
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
}

async fn protected_fields_rejected(backend: Backend) {
    let server = TestServer::start(backend, monday_morning()).await;
    let user = server
        .user("capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
        .await;
    let cases = [
        ("roles", json!({"roles": ["administrator"]})),
        ("clearance", json!({"clearance": "secret"})),
        ("org_id", json!({"org_id": 1})),
        ("disabled", json!({"disabled": false})),
    ];
    for (field, body) in cases {
        let (status, error) = user
            .send(
                Method::PATCH,
                &format!("/api/v1/users/{}", user.id),
                Some(body),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {error}");
        assert_eq!(error["details"]["fields"][0]["field"], field, "{error}");
        assert_eq!(
            error["details"]["fields"][0]["code"], "field-protected",
            "{error}"
        );
    }
    let (_, error) = user
        .english()
        .send(
            Method::PATCH,
            &format!("/api/v1/users/{}", user.id),
            Some(json!({"roles": ["administrator"]})),
        )
        .await;
    let message = error["message"].as_str().expect("message");
    assert!(message.contains("only an administrator"), "{message}");
    let me = user.fetch("/api/v1/me").await;
    assert_eq!(
        me["user"]["roles"].as_array().map(Vec::len),
        Some(1),
        "{me}"
    );

    // Fields that no input accepts, such as a version or a status, are unknown fields.
    let (status, error) = user
        .send(
            Method::PATCH,
            &format!("/api/v1/users/{}", user.id),
            Some(json!({"version": 7, "full_name": "Tên mới"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert_eq!(error["details"]["fields"][0]["field"], "version", "{error}");
    assert_eq!(
        error["details"]["fields"][0]["code"], "field-unknown",
        "{error}"
    );
}

on_both_backends!(
    session_cookie_attributes,
    login_renews_session_id,
    logout_ends_pages_api_and_stream,
    disabling_ends_sessions_and_tokens,
    role_change_ends_sessions,
    idle_and_absolute_timeouts,
    timeouts_follow_configuration,
    headers_on_every_response,
    csrf_on_every_state_changing_route,
    protected_fields_rejected,
);
