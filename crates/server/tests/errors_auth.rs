//! Error responses of authentication and of malformed requests, over HTTP on both backends:
//! missing or bad credentials, login failures, sessions and CSRF, bad JSON, wrong content
//! types, oversized bodies, unknown routes, and the language of messages.

mod support;

use jiff::SignedDuration;
use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_TYPE, COOKIE, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::check::{assert_english, assert_error, assert_invalid, assert_localized};
use support::{PASSWORD, TestServer, at, read};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{Backend, on_both_backends};

/// Operations of the OpenAPI document as (method, path with sample parameters, needs auth).
async fn documented_operations(server: &TestServer) -> Vec<(Method, String, bool)> {
    let document = server.anonymous().fetch("/api/v1/openapi.json").await;
    let global_security = document["security"]
        .as_array()
        .is_some_and(|list| !list.is_empty());
    let mut operations = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            let needs_auth = match operation["security"].as_array() {
                // An empty requirement (`{}`) in the list means anonymous access is allowed.
                Some(list) => {
                    !list.is_empty()
                        && list
                            .iter()
                            .all(|entry| entry.as_object().is_some_and(|o| !o.is_empty()))
                }
                None => global_security,
            };
            let sample = path
                .replace("{id}", "1")
                .replace("{no}", "1")
                .replace("{axis}", "priority")
                .replace("{code}", "key")
                .replace("{year}", "2026")
                .replace("{date}", "2026-03-02");
            operations.push((method, sample, needs_auth));
        }
    }
    operations
}

async fn credentials_required(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let operations = documented_operations(&server).await;
    assert!(
        operations.len() > 40,
        "{} operations documented",
        operations.len()
    );
    let anonymous = server.anonymous();
    let mut forged = server.anonymous();
    forged.token = Some("khong-phai-token-that".into());
    for (method, path, needs_auth) in operations {
        let query = if path.ends_with("/calendar/due") {
            "?start=2026-03-02T09:00:00%2B07:00&working_hours=4"
        } else {
            ""
        };
        for (client, label) in [(&anonymous, "no credentials"), (&forged, "unknown token")] {
            let response = client
                .request(method.clone(), &format!("{path}{query}"))
                .json(&json!({}))
                .send()
                .await
                .expect("request");
            let answer = read(response).await;
            if needs_auth {
                assert_error(&answer, StatusCode::UNAUTHORIZED, "auth-required");
            } else {
                assert_ne!(
                    answer.0,
                    StatusCode::UNAUTHORIZED,
                    "{method} {path} with {label}: {}",
                    answer.1
                );
            }
        }
    }

    // A bearer header with another scheme, or without a token, is no credential either.
    for header in ["Basic dnB0dzp4", "Bearer", "Bearer "] {
        let response = anonymous
            .request(Method::GET, "/api/v1/me")
            .header("Authorization", header)
            .send()
            .await
            .expect("request");
        assert_error(
            &read(response).await,
            StatusCode::UNAUTHORIZED,
            "auth-required",
        );
    }

    let vi = anonymous.get("/api/v1/me").await;
    let en = anonymous.english().get("/api/v1/me").await;
    assert_english(&vi.1, &en.1);
}

async fn token_expiry(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let user = server
        .user("hni.capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
        .await;
    let anonymous = server.anonymous();

    let short = anonymous
        .ok(
            "/api/v1/auth/tokens",
            json!({"username": "hni.capnhat", "password": PASSWORD, "name": "báo cáo", "days": 1}),
        )
        .await;
    let mut holder = anonymous.clone();
    holder.token = Some(short["token"].as_str().expect("token").to_owned());
    assert_eq!(holder.get("/api/v1/me").await.0, StatusCode::OK);
    server.advance(SignedDuration::from_hours(25));
    assert_error(
        &holder.get("/api/v1/me").await,
        StatusCode::UNAUTHORIZED,
        "auth-required",
    );
    assert_eq!(
        user.get("/api/v1/me").await.0,
        StatusCode::OK,
        "the 90-day token still works"
    );

    for days in [0, 366, -1] {
        let answer = anonymous
            .post(
                "/api/v1/auth/tokens",
                json!({"username": "hni.capnhat", "password": PASSWORD, "days": days}),
            )
            .await;
        assert_invalid(&answer, "days", "field-out-of-range");
    }
    let answer = anonymous
        .post(
            "/api/v1/auth/tokens",
            json!({"username": "hni.capnhat", "password": PASSWORD, "name": "x".repeat(201)}),
        )
        .await;
    assert_invalid(&answer, "name", "field-too-long");
    let answer = anonymous
        .post(
            "/api/v1/auth/tokens",
            json!({"username": "hni.capnhat", "password": "sai-mat-khau-roi"}),
        )
        .await;
    assert_error(&answer, StatusCode::UNAUTHORIZED, "auth-login-failed");
}

async fn login_failures(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let admin = server
        .user("quantri", "VPTW", &[Role::Administrator], Clearance::Normal)
        .await;
    let user = server
        .user("hni.capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
        .await;
    let anonymous = server.anonymous();

    // A wrong password and an unknown user get the same response, in both languages.
    let wrong = anonymous
        .post(
            "/api/v1/auth/login",
            json!({"username": "hni.capnhat", "password": "sai-mat-khau-roi"}),
        )
        .await;
    let unknown = anonymous
        .post(
            "/api/v1/auth/login",
            json!({"username": "khong.ton.tai", "password": "sai-mat-khau-roi"}),
        )
        .await;
    assert_error(&wrong, StatusCode::UNAUTHORIZED, "auth-login-failed");
    assert_eq!(wrong, unknown);
    let wrong_en = anonymous
        .english()
        .post(
            "/api/v1/auth/login",
            json!({"username": "hni.capnhat", "password": "sai-mat-khau-roi"}),
        )
        .await;
    let unknown_en = anonymous
        .english()
        .post(
            "/api/v1/auth/login",
            json!({"username": "khong.ton.tai", "password": "sai-mat-khau-roi"}),
        )
        .await;
    assert_english(&wrong.1, &wrong_en.1);
    assert_eq!(wrong_en, unknown_en);
    assert!(
        wrong.1["details"]
            .as_object()
            .is_some_and(|details| details.is_empty()),
        "{}",
        wrong.1
    );

    let answer = anonymous
        .post("/api/v1/auth/login", json!({"password": PASSWORD}))
        .await;
    assert_invalid(&answer, "username", "field-required");
    let answer = anonymous
        .post(
            "/api/v1/auth/login",
            json!({"username": "hni.capnhat", "password": ""}),
        )
        .await;
    assert_invalid(&answer, "password", "field-required");
    let answer = anonymous
        .post(
            "/api/v1/auth/login",
            json!({"username": "hni.capnhat", "password": PASSWORD, "remember": true}),
        )
        .await;
    assert_invalid(&answer, "remember", "field-unknown");

    // A disabled account can no longer log in nor use its token; a wrong password still gets
    // the ordinary response, so the state of the account is not revealed.
    let response = admin
        .request(Method::PATCH, &format!("/api/v1/users/{}", user.id))
        .json(&json!({"disabled": true}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let answer = anonymous
        .post(
            "/api/v1/auth/login",
            json!({"username": "hni.capnhat", "password": PASSWORD}),
        )
        .await;
    assert_error(&answer, StatusCode::FORBIDDEN, "auth-account-disabled");
    let answer_en = anonymous
        .english()
        .post(
            "/api/v1/auth/login",
            json!({"username": "hni.capnhat", "password": PASSWORD}),
        )
        .await;
    assert_english(&answer.1, &answer_en.1);
    let answer = anonymous
        .post(
            "/api/v1/auth/login",
            json!({"username": "hni.capnhat", "password": "sai-mat-khau-roi"}),
        )
        .await;
    assert_eq!(answer, wrong);
    assert_error(
        &user.get("/api/v1/me").await,
        StatusCode::FORBIDDEN,
        "auth-account-disabled",
    );
    let answer = anonymous
        .post(
            "/api/v1/auth/tokens",
            json!({"username": "hni.capnhat", "password": PASSWORD}),
        )
        .await;
    assert_error(&answer, StatusCode::FORBIDDEN, "auth-account-disabled");
}

/// The value of the session cookie set by a login response.
fn session_cookie(response: &reqwest::Response) -> String {
    let header = response
        .headers()
        .get(SET_COOKIE)
        .expect("Set-Cookie")
        .to_str()
        .expect("ASCII cookie");
    assert!(header.contains("HttpOnly"), "{header}");
    assert!(header.contains("SameSite=Strict"), "{header}");
    header
        .split(';')
        .next()
        .expect("cookie pair")
        .trim()
        .to_owned()
}

async fn session_csrf(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    server
        .user(
            "hni.pheduyet",
            "TU-HNI",
            &[Role::Approver],
            Clearance::Normal,
        )
        .await;
    let anonymous = server.anonymous();
    let response = anonymous
        .request(Method::POST, "/api/v1/auth/login")
        .json(&json!({"username": "hni.pheduyet", "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = session_cookie(&response);
    let (_, login) = read(response).await;
    let csrf = login["csrf_token"].as_str().expect("csrf token").to_owned();

    // Reading needs no CSRF token.
    let response = anonymous
        .request(Method::GET, "/api/v1/me")
        .header(COOKIE, &cookie)
        .send()
        .await
        .expect("me");
    let (status, me) = read(response).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["csrf_token"], csrf.as_str());

    // A state-changing request with the cookie needs the session's CSRF token.
    let unit = json!({"code": "HNI-BTG", "name_vi": "Ban Tuyên giáo Thành uỷ Hà Nội", "parent_id": server.org_id("TU-HNI")});
    for token in [None, Some("khong-dung"), Some("")] {
        let mut request = anonymous
            .request(Method::POST, "/api/v1/organisations")
            .header(COOKIE, &cookie)
            .json(&unit);
        if let Some(token) = token {
            request = request.header("X-CSRF-Token", token);
        }
        let answer = read(request.send().await.expect("request")).await;
        assert_error(&answer, StatusCode::FORBIDDEN, "auth-csrf-invalid");
    }
    let organisations = server.anonymous();
    let (_, listed) = read(
        organisations
            .request(Method::GET, "/api/v1/organisations?q=HNI-BTG")
            .header(COOKIE, &cookie)
            .send()
            .await
            .expect("list"),
    )
    .await;
    assert_eq!(
        listed,
        json!([]),
        "nothing was created without the CSRF token"
    );
    let response = anonymous
        .request(Method::POST, "/api/v1/organisations")
        .header(COOKIE, &cookie)
        .header("X-CSRF-Token", &csrf)
        .json(&unit)
        .send()
        .await
        .expect("request");
    let (status, created) = read(response).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");

    // Logging out needs the token too, ends the session and clears the cookie.
    let answer = read(
        anonymous
            .request(Method::POST, "/api/v1/auth/logout")
            .header(COOKIE, &cookie)
            .send()
            .await
            .expect("logout"),
    )
    .await;
    assert_error(&answer, StatusCode::FORBIDDEN, "auth-csrf-invalid");
    let response = anonymous
        .request(Method::POST, "/api/v1/auth/logout")
        .header(COOKIE, &cookie)
        .header("X-CSRF-Token", &csrf)
        .send()
        .await
        .expect("logout");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let cleared = response
        .headers()
        .get(SET_COOKIE)
        .expect("Set-Cookie")
        .to_str()
        .expect("ASCII");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let answer = read(
        anonymous
            .request(Method::GET, "/api/v1/me")
            .header(COOKIE, &cookie)
            .send()
            .await
            .expect("me"),
    )
    .await;
    assert_error(&answer, StatusCode::UNAUTHORIZED, "auth-required");
}

async fn session_idle_timeout(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    server
        .user(
            "hni.pheduyet",
            "TU-HNI",
            &[Role::Approver],
            Clearance::Normal,
        )
        .await;
    let anonymous = server.anonymous();
    let response = anonymous
        .request(Method::POST, "/api/v1/auth/login")
        .json(&json!({"username": "hni.pheduyet", "password": PASSWORD}))
        .send()
        .await
        .expect("login");
    let cookie = session_cookie(&response);
    let me = || {
        anonymous
            .request(Method::GET, "/api/v1/me")
            .header(COOKIE, &cookie)
            .send()
    };

    // Activity keeps the session alive; 15 minutes without a request end it.
    server.advance(SignedDuration::from_mins(10));
    assert_eq!(me().await.expect("me").status(), StatusCode::OK);
    server.advance(SignedDuration::from_mins(10));
    assert_eq!(me().await.expect("me").status(), StatusCode::OK);
    server.advance(SignedDuration::from_mins(16));
    assert_error(
        &read(me().await.expect("me")).await,
        StatusCode::UNAUTHORIZED,
        "auth-required",
    );
    let forged = anonymous
        .request(Method::GET, "/api/v1/me")
        .header(COOKIE, "theodoi_session=gia-mao")
        .send()
        .await
        .expect("me");
    assert_error(
        &read(forged).await,
        StatusCode::UNAUTHORIZED,
        "auth-required",
    );
}

/// Sends `body` as raw bytes with an optional content type.
async fn send_raw(
    client: &support::Client,
    method: Method,
    path: &str,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> (StatusCode, Value) {
    let mut request = client.request(method, path).body(body);
    if let Some(content_type) = content_type {
        request = request.header(CONTENT_TYPE, content_type);
    }
    read(request.send().await.expect("request")).await
}

async fn malformed_bodies(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let office = server
        .user(
            "vptw",
            "VPTW",
            &[Role::CentralOffice, Role::Administrator],
            Clearance::Normal,
        )
        .await;
    let json_type = Some("application/json");

    // One endpoint per way of reading a body: plain JSON, a creating request with an
    // idempotency key, and a body that may be left out.
    let endpoints = [
        (Method::POST, "/api/v1/organisations"),
        (Method::POST, "/api/v1/documents"),
        (Method::POST, "/api/v1/documents/1/transfer"),
    ];
    for (method, path) in &endpoints {
        let answer = send_raw(&office, method.clone(), path, json_type, "{\"name\": ").await;
        let body = assert_error(&answer, StatusCode::BAD_REQUEST, "request-invalid-json");
        assert_eq!(body["details"], json!({}), "{path}");

        let answer = send_raw(
            &office,
            method.clone(),
            path,
            json_type,
            r#"{"khong_co": 1}"#,
        )
        .await;
        let body = assert_invalid(&answer, "khong_co", "field-unknown");
        assert!(
            body["message"].as_str().unwrap_or("").contains("khong_co"),
            "{path}: {body}"
        );

        let answer = send_raw(&office, method.clone(), path, json_type, "[1, 2]").await;
        assert_invalid(&answer, "json", "field-wrong-type");

        for content_type in [
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            None,
        ] {
            let answer = send_raw(
                &office,
                method.clone(),
                path,
                content_type,
                r#"{"reason": "x"}"#,
            )
            .await;
            assert_error(
                &answer,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "request-unsupported-media",
            );
        }

        // One byte over the limit: the server then reads the whole body before it answers,
        // so it closes the connection cleanly instead of resetting it while the client writes.
        let limit = server.state.config.body_limit;
        let padding = limit + 1 - r#"{"reason": ""}"#.len();
        let large = format!(r#"{{"reason": "{}"}}"#, "a".repeat(padding));
        assert_eq!(large.len(), limit + 1);
        let answer = send_raw(&office, method.clone(), path, json_type, large).await;
        assert_error(&answer, StatusCode::PAYLOAD_TOO_LARGE, "request-too-large");
    }

    // A value of the wrong type names the field.
    let answer = office
        .post(
            "/api/v1/organisations",
            json!({"code": "HNI-BTG", "parent_id": "TU-HNI"}),
        )
        .await;
    assert_invalid(&answer, "parent_id", "field-wrong-type");

    // The English message reports the same error.
    let vi = send_raw(
        &office,
        Method::POST,
        "/api/v1/documents",
        Some("text/plain"),
        "{}",
    )
    .await;
    let en = send_raw(
        &office.english(),
        Method::POST,
        "/api/v1/documents",
        Some("text/plain"),
        "{}",
    )
    .await;
    assert_english(&vi.1, &en.1);
    let vi = send_raw(
        &office,
        Method::POST,
        "/api/v1/organisations",
        json_type,
        "{",
    )
    .await;
    let en = send_raw(
        &office.english(),
        Method::POST,
        "/api/v1/organisations",
        json_type,
        "{",
    )
    .await;
    assert_english(&vi.1, &en.1);
}

async fn unknown_routes(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let user = server
        .user("vptw", "VPTW", &[Role::CentralOffice], Clearance::Normal)
        .await;
    for path in [
        "/api/v1/khong-co",
        "/api/v2/tasks",
        "/khong-co",
        "/api/v1/tasks/1/khong-co",
    ] {
        for client in [&user, &server.anonymous()] {
            let answer = client.get(path).await;
            assert_error(&answer, StatusCode::NOT_FOUND, "not-found");
        }
    }
    let vi = user.get("/api/v1/khong-co").await;
    let en = user.english().get("/api/v1/khong-co").await;
    assert_english(&vi.1, &en.1);

    // A known path with a method it does not serve.
    for (method, path) in [
        (Method::DELETE, "/api/v1/documents"),
        (Method::PUT, "/api/v1/tasks/1/transfer"),
        (Method::POST, "/healthz"),
    ] {
        let answer = user.send(method.clone(), path, None).await;
        assert_error(
            &answer,
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
        );
    }

    // A path parameter that is not a number names no page.
    for path in [
        "/api/v1/tasks/abc",
        "/api/v1/documents/1.5",
        "/api/v1/tasks/1/updates/x/approve",
    ] {
        let method = if path.ends_with("approve") {
            Method::POST
        } else {
            Method::GET
        };
        let answer = user.send(method, path, Some(json!({}))).await;
        assert_error(&answer, StatusCode::NOT_FOUND, "not-found");
    }
    let answer = user.get("/api/v1/tasks/99999999999999999999").await;
    assert_error(&answer, StatusCode::NOT_FOUND, "not-found");
}

async fn health_checks(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    for path in ["/healthz", "/readyz"] {
        let (status, body) = server.anonymous().get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(body, "ok", "{path}");
    }
}

async fn message_language(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let anonymous = server.anonymous();
    let vietnamese = anonymous.get("/api/v1/me").await.1;
    assert_localized(&vietnamese["message"], "default language");
    let english = anonymous.english().get("/api/v1/me").await.1;
    assert_english(&vietnamese, &english);

    let by_query = anonymous.get("/api/v1/me?lang=en").await.1;
    assert_eq!(by_query, english);
    for header in ["en-GB", "fr, en;q=0.5", "EN"] {
        let response = anonymous
            .request(Method::GET, "/api/v1/me")
            .header(ACCEPT_LANGUAGE, header)
            .send()
            .await
            .expect("me");
        assert_eq!(read(response).await.1, english, "{header}");
    }
    for header in ["fr", "vi, en;q=0.9", "en;q=0, vi"] {
        let response = anonymous
            .request(Method::GET, "/api/v1/me")
            .header(ACCEPT_LANGUAGE, header)
            .send()
            .await
            .expect("me");
        assert_eq!(read(response).await.1, vietnamese, "{header}");
    }
    // The query parameter wins over the header.
    let response = anonymous
        .request(Method::GET, "/api/v1/me?lang=vi")
        .header(ACCEPT_LANGUAGE, "en")
        .send()
        .await
        .expect("me");
    assert_eq!(read(response).await.1, vietnamese);
}

on_both_backends!(
    credentials_required,
    token_expiry,
    login_failures,
    session_csrf,
    session_idle_timeout,
    malformed_bodies,
    unknown_routes,
    health_checks,
    message_language,
);
