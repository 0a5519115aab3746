//! Login over real HTTP on both backends: lockout with backoff per account and client address,
//! and the TOTP second factor (codes, reuse, enrolment in the web interface, optional
//! enrolment, reset).

mod support;

use jiff::SignedDuration;
use reqwest::{StatusCode, header};
use serde_json::{Value, json};
use std::net::{IpAddr, Ipv4Addr};
use support::web::hidden_field;
use support::{PASSWORD, TestServer, at, totp_code};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{Backend, on_both_backends};

fn monday_morning() -> jiff::Timestamp {
    at("2026-03-02 09:00")
}

/// A client whose connections come from `address` on the loopback network, so that the server
/// sees a different client address.
fn client_from(address: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::from(address)))
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn login(
    server: &TestServer,
    http: &reqwest::Client,
    body: Value,
) -> (StatusCode, Option<String>, Value) {
    let response = http
        .post(format!("{}/api/v1/auth/login", server.base))
        .header(header::ACCEPT_LANGUAGE, "en")
        .json(&body)
        .send()
        .await
        .expect("login");
    let status = response.status();
    let retry = response
        .headers()
        .get(header::RETRY_AFTER)
        .map(|value| value.to_str().expect("retry-after").to_owned());
    (status, retry, response.json().await.expect("body"))
}

fn password_of(username: &str, password: &str) -> Value {
    json!({"username": username, "password": password})
}

async fn account_lockout_slows_only_the_failing_client(backend: Backend) {
    let server = TestServer::start(backend, monday_morning()).await;
    server
        .user("capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
        .await;
    let attacker = client_from([127, 0, 0, 2]);
    let owner = client_from([127, 0, 0, 3]);

    for attempt in 1..=5 {
        let (status, _, body) = login(
            &server,
            &attacker,
            password_of("capnhat", "doan-sai-mat-khau"),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}: {body}"
        );
        assert_eq!(body["code"], "auth-login-failed");
    }
    // The sixth failure locks the account for this client for one minute.
    let (status, _, _) = login(
        &server,
        &attacker,
        password_of("capnhat", "doan-sai-mat-khau"),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, retry, body) = login(&server, &attacker, password_of("capnhat", PASSWORD)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["code"], "auth-login-locked");
    assert_eq!(retry.as_deref(), Some("61"), "seconds until 09:01 plus one");
    let message = body["message"].as_str().expect("message");
    assert!(message.contains("09:01 on 02/03/2026"), "{message}");

    // The owner, from another address, still logs in.
    let (status, _, body) = login(&server, &owner, password_of("capnhat", PASSWORD)).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The lock grows: after it ends, one more failure locks for two minutes.
    server.advance(SignedDuration::from_mins(1));
    let (status, _, _) = login(
        &server,
        &attacker,
        password_of("capnhat", "doan-sai-mat-khau"),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, retry, _) = login(&server, &attacker, password_of("capnhat", PASSWORD)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry.as_deref(), Some("121"));

    // Once the lock ends, the right password works and clears the count.
    server.advance(SignedDuration::from_mins(2));
    let (status, _, body) = login(&server, &attacker, password_of("capnhat", PASSWORD)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _, _) = login(
        &server,
        &attacker,
        password_of("capnhat", "doan-sai-mat-khau"),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "counting starts again");
}

async fn client_lockout_over_many_accounts(backend: Backend) {
    let server = TestServer::start(backend, monday_morning()).await;
    server
        .user("capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
        .await;
    let guesser = client_from([127, 0, 0, 4]);
    for index in 0..20 {
        let (status, _, _) = login(
            &server,
            &guesser,
            password_of(&format!("khongco{index}"), "doan-sai-mat-khau"),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "guess {index}");
    }
    let (status, _, _) = login(
        &server,
        &guesser,
        password_of("khongco20", "doan-sai-mat-khau"),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, body) = login(&server, &guesser, password_of("capnhat", PASSWORD)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let other = client_from([127, 0, 0, 5]);
    let (status, _, body) = login(&server, &other, password_of("capnhat", PASSWORD)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn lockout_shared_between_processes(backend: Backend) {
    let server = TestServer::start(backend, monday_morning()).await;
    server
        .user("capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
        .await;
    let attacker = client_from([127, 0, 0, 6]);
    for _ in 0..6 {
        login(
            &server,
            &attacker,
            password_of("capnhat", "doan-sai-mat-khau"),
        )
        .await;
    }
    // A second server process on the same database sees the lock.
    let second = theodoi_server::AppState::new(
        theodoi_store::Store::open(&server.state.config.database_url)
            .await
            .expect("second store"),
        std::sync::Arc::new(server.clock.clone()),
        theodoi_server::ServerConfig::new(server.state.config.database_url.clone()),
    )
    .await
    .expect("second state");
    let client = theodoi_server::auth::throttle::ClientAddr("127.0.0.6".into());
    let checked = theodoi_server::auth::throttle::check(&second, "capnhat", &client).await;
    assert!(
        matches!(
            checked,
            Err(theodoi_server::error::ApiError::LoginLocked { .. })
        ),
        "{checked:?}"
    );
}

async fn api_login_needs_code_once(backend: Backend) {
    let server = TestServer::start(backend, monday_morning()).await;
    server
        .user("vptw", "VPTW", &[Role::CentralOffice], Clearance::Normal)
        .await;
    let http = client_from([127, 0, 0, 1]);

    let (status, _, body) = login(&server, &http, password_of("vptw", PASSWORD)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["code"], "auth-totp-required");
    assert_eq!(body["details"]["fields"][0]["field"], "totp");

    let now_step = monday_morning().as_second() / 30;
    let mut wrong = password_of("vptw", PASSWORD);
    wrong["totp"] = json!(totp_code(support::TOTP_SECRET, now_step + 2));
    let (status, _, body) = login(&server, &http, wrong).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "two steps ahead: {body}");
    assert_eq!(body["code"], "auth-totp-invalid");

    let code = server.code_for("vptw").await;
    let mut right = password_of("vptw", PASSWORD);
    right["totp"] = json!(code);
    let (status, _, body) = login(&server, &http, right.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _, body) = login(&server, &http, right).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "reused code: {body}");
    assert_eq!(body["code"], "auth-totp-invalid");

    // A wrong code counts towards the lockout like a wrong password.
    for _ in 0..6 {
        let mut wrong = password_of("vptw", PASSWORD);
        wrong["totp"] = json!("000000");
        login(&server, &http, wrong).await;
    }
    let mut right = password_of("vptw", PASSWORD);
    right["totp"] = json!(server.code_for("vptw").await);
    let (status, _, body) = login(&server, &http, right).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
}

/// Fetches the web login's second step for `username`.
async fn web_password_step(server: &TestServer, http: &reqwest::Client, username: &str) -> String {
    let response = http
        .post(format!("{}/login", server.base))
        .form(&[
            ("username", username),
            ("password", PASSWORD),
            ("next", "/tasks"),
        ])
        .send()
        .await
        .expect("login form");
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "code page for {username}"
    );
    response.text().await.expect("page")
}

/// The text of the element with id `id`.
fn text_of_id(html: &str, id: &str) -> Option<String> {
    let marker = format!("id=\"{id}\"");
    let start = html.find(&marker)?;
    let open_end = start + html[start..].find('>')? + 1;
    let close = open_end + html[open_end..].find('<')?;
    Some(
        html[open_end..close]
            .replace("&#x3d;", "=")
            .replace("&amp;", "&"),
    )
}

async fn web_enrolment_then_code(backend: Backend) {
    let server = TestServer::start(backend, monday_morning()).await;
    // Created directly, without the test secret: the first login must enrol one.
    let org = server
        .state
        .reference()
        .orgs
        .by_code("VPTW")
        .expect("VPTW")
        .id;
    server
        .state
        .store
        .insert_user(
            &theodoi_store::NewUser {
                username: "moi".into(),
                full_name: "Cán bộ mới".into(),
                org_id: org,
                roles: vec![Role::CentralOffice],
                clearance: Clearance::Normal,
                password_hash: theodoi_server::auth::password::hash(PASSWORD),
                email: None,
                language: "vi".into(),
            },
            monday_morning(),
        )
        .await
        .expect("insert user");

    let (status, _, body) = login(
        &server,
        &client_from([127, 0, 0, 1]),
        password_of("moi", PASSWORD),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["code"], "auth-totp-enrolment-required");

    let http = client_from([127, 0, 0, 1]);
    let page = web_password_step(&server, &http, "moi").await;
    let secret = text_of_id(&page, "totp-secret").expect("secret shown as text");
    let uri = text_of_id(&page, "totp-uri").expect("otpauth URI shown");
    assert!(uri.starts_with("otpauth://totp/theodoi:moi?"), "{uri}");
    assert!(uri.contains(&format!("secret={secret}")), "{uri}");
    assert!(
        page.contains("src=\"data:image/svg+xml;base64,"),
        "QR code as SVG"
    );
    let challenge = hidden_field(&page, "challenge").expect("challenge");

    // A wrong code shows the page again, with the same secret.
    let response = http
        .post(format!("{}/login/code", server.base))
        .form(&[
            ("challenge", challenge.as_str()),
            ("code", "000000"),
            ("next", "/tasks"),
        ])
        .send()
        .await
        .expect("wrong code");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let again = response.text().await.expect("page");
    assert_eq!(text_of_id(&again, "totp-secret"), Some(secret.clone()));

    let step = monday_morning().as_second() / 30;
    let code = totp_code(&secret, step);
    let response = http
        .post(format!("{}/login/code", server.base))
        .form(&[
            ("challenge", challenge.as_str()),
            ("code", code.as_str()),
            ("next", "/tasks"),
        ])
        .send()
        .await
        .expect("first code");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[header::LOCATION], "/tasks");
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .expect("cookie");
    assert!(cookie.starts_with("theodoi_session="), "{cookie}");
    let tasks = http
        .get(format!("{}/tasks", server.base))
        .send()
        .await
        .expect("tasks");
    assert_eq!(tasks.status(), StatusCode::OK);

    // The challenge served once.
    let reused = http
        .post(format!("{}/login/code", server.base))
        .form(&[
            ("challenge", challenge.as_str()),
            ("code", totp_code(&secret, step + 1).as_str()),
        ])
        .send()
        .await
        .expect("reused challenge");
    assert_eq!(reused.status(), StatusCode::UNAUTHORIZED);

    // From now on the code page shows no secret, and the API takes the code.
    let second = client_from([127, 0, 0, 1]);
    let page = web_password_step(&server, &second, "moi").await;
    assert_eq!(text_of_id(&page, "totp-secret"), None);
    let mut body = password_of("moi", PASSWORD);
    body["totp"] = json!(totp_code(&secret, step + 1));
    let (status, _, body) = login(&server, &second, body).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // A reset by an operator removes the secret: the next login enrols a new one.
    let user = server
        .state
        .store
        .user_by_username("moi")
        .await
        .expect("read")
        .expect("user");
    assert!(server.state.store.reset_totp(user.id).await.expect("reset"));
    let me = http
        .get(format!("{}/api/v1/me", server.base))
        .send()
        .await
        .expect("me");
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED, "reset ends sessions");
    let page = web_password_step(&server, &client_from([127, 0, 0, 1]), "moi").await;
    let new_secret = text_of_id(&page, "totp-secret").expect("new secret");
    assert_ne!(new_secret, secret);
}

async fn challenge_expires(backend: Backend) {
    let server = TestServer::start(backend, monday_morning()).await;
    server
        .user("vptw", "VPTW", &[Role::CentralOffice], Clearance::Normal)
        .await;
    let http = client_from([127, 0, 0, 1]);
    let page = web_password_step(&server, &http, "vptw").await;
    let challenge = hidden_field(&page, "challenge").expect("challenge");
    server.advance(SignedDuration::from_mins(6));
    let code = server.code_for("vptw").await;
    let response = http
        .post(format!("{}/login/code", server.base))
        .header(header::ACCEPT_LANGUAGE, "en")
        .form(&[("challenge", challenge.as_str()), ("code", code.as_str())])
        .send()
        .await
        .expect("late code");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let page = response.text().await.expect("page");
    assert!(page.contains("has expired"), "{page}");
}

async fn optional_enrolment_for_others(backend: Backend) {
    let server = TestServer::start(backend, monday_morning()).await;
    server
        .user("capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
        .await;
    let browser = server.browser("capnhat").await;
    let (status, page) = browser.get("/account/totp").await;
    assert_eq!(status, StatusCode::OK);
    let secret = text_of_id(&page, "totp-secret").expect("secret offered");
    let step = monday_morning().as_second() / 30;
    let (status, _, page) = browser
        .post(
            "/account/totp",
            &[("code", totp_code(&secret, step).as_str())],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(text_of_id(&page, "totp-secret"), None);

    let http = client_from([127, 0, 0, 1]);
    let (status, _, body) = login(&server, &http, password_of("capnhat", PASSWORD)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["code"], "auth-totp-required");
    let mut with_code = password_of("capnhat", PASSWORD);
    with_code["totp"] = json!(totp_code(&secret, step + 1));
    let (status, _, body) = login(&server, &http, with_code).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn required_roles_follow_configuration(backend: Backend) {
    let server = TestServer::start_with(backend, monday_morning(), |config| {
        config.totp_required_roles = vec![Role::Administrator];
    })
    .await;
    server
        .user("vptw", "VPTW", &[Role::CentralOffice], Clearance::Normal)
        .await;
    let (status, _, body) = login(
        &server,
        &client_from([127, 0, 0, 1]),
        password_of("vptw", PASSWORD),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "central office without codes: {body}"
    );
}

on_both_backends!(
    account_lockout_slows_only_the_failing_client,
    client_lockout_over_many_accounts,
    lockout_shared_between_processes,
    api_login_needs_code_once,
    web_enrolment_then_code,
    challenge_expires,
    optional_enrolment_for_others,
    required_roles_follow_configuration,
);
