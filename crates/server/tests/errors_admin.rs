//! Error responses of the reference-data endpoints over HTTP, on both backends: user accounts,
//! the organisation tree, classification catalogues and the working calendar.

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::check::{assert_english, assert_error, assert_invalid, field_error, field_names};
use support::{Client, PASSWORD, TestServer, at, read};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{Backend, on_both_backends};

async fn send_if_match(
    client: &Client,
    method: Method,
    path: &str,
    version: &str,
    body: Value,
) -> (StatusCode, Value) {
    let response = client
        .request(method, path)
        .header("If-Match", version)
        .json(&body)
        .send()
        .await
        .expect("request");
    read(response).await
}

async fn user_errors(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let admin = server
        .user("quantri", "VPTW", &[Role::Administrator], Clearance::Normal)
        .await;
    let office = server
        .user("vptw", "VPTW", &[Role::CentralOffice], Clearance::Secret)
        .await;
    let hanoi = server
        .user("hni.capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
        .await;
    let valid = json!({
        "username": "hni.pheduyet",
        "full_name": "Nguyễn Văn Phê Duyệt",
        "password": "mat-khau-du-dai",
        "org_id": server.org_id("TU-HNI"),
        "roles": ["approver"]
    });

    // Only administrators manage accounts.
    for client in [&office, &hanoi] {
        assert_error(
            &client.get("/api/v1/users").await,
            StatusCode::FORBIDDEN,
            "auth-role-required",
        );
        assert_error(
            &client.post("/api/v1/users", valid.clone()).await,
            StatusCode::FORBIDDEN,
            "auth-role-required",
        );
    }
    let vi = office.get("/api/v1/users").await;
    let en = office.english().get("/api/v1/users").await;
    assert_english(&vi.1, &en.1);

    // Every invalid field is reported at once.
    let answer = admin
        .post(
            "/api/v1/users",
            json!({"username": "A B", "password": "ngan", "org_id": 999_999, "roles": ["vua"], "clearance": "top_secret", "language": "fr"}),
        )
        .await;
    let body = assert_error(
        &answer,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
    );
    for (field, code) in [
        ("username", "username-invalid"),
        ("full_name", "field-required"),
        ("password", "password-too-short"),
        ("org_id", "org-not-found"),
        ("roles", "field-not-one-of"),
        ("clearance", "field-not-one-of"),
        ("language", "field-not-one-of"),
    ] {
        field_error(body, field, code);
    }
    assert_eq!(field_names(body).len(), 7, "{body}");
    let en = admin
        .english()
        .post(
            "/api/v1/users",
            json!({"username": "A B", "password": "ngan", "org_id": 999_999, "roles": ["vua"], "clearance": "top_secret", "language": "fr"}),
        )
        .await;
    assert_english(&answer.1, &en.1);
    let answer = admin
        .post(
            "/api/v1/users",
            json!({"username": "abc", "full_name": "A", "password": "mat-khau-du-dai"}),
        )
        .await;
    assert_invalid(&answer, "org_id", "field-required");
    assert_invalid(&answer, "roles", "field-required");

    let (status, created) = admin.post("/api/v1/users", valid.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let mut same_name = valid.clone();
    same_name["username"] = json!("HNI.PHEDUYET");
    let answer = admin.post("/api/v1/users", same_name).await;
    let entry = assert_invalid(&answer, "username", "username-taken");
    assert!(
        entry["message"]
            .as_str()
            .unwrap_or("")
            .contains("hni.pheduyet"),
        "{entry}"
    );

    // Changes.
    let path = format!("/api/v1/users/{}", created["id"]);
    let answer = hanoi
        .send(Method::PATCH, &path, Some(json!({"full_name": "Tên khác"})))
        .await;
    assert_error(&answer, StatusCode::FORBIDDEN, "auth-role-required");
    let own = format!("/api/v1/users/{}", hanoi.id);
    // Fields only an administrator sets are named in a field error, not silently dropped.
    for (field, change) in [
        ("roles", json!({"roles": ["administrator"]})),
        ("clearance", json!({"clearance": "secret"})),
        ("disabled", json!({"disabled": false})),
        ("org_id", json!({"org_id": server.org_id("VPTW")})),
    ] {
        let answer = hanoi.send(Method::PATCH, &own, Some(change.clone())).await;
        assert_invalid(&answer, field, "field-protected");
    }
    let answer = hanoi
        .send(Method::PATCH, &own, Some(json!({"password": "ngan"})))
        .await;
    assert_invalid(&answer, "password", "password-too-short");
    let answer = hanoi
        .send(
            Method::PATCH,
            &own,
            Some(json!({"language": "en", "full_name": "Cán bộ cập nhật"})),
        )
        .await;
    assert_eq!(answer.0, StatusCode::OK, "{}", answer.1);

    let answer = admin
        .send(
            Method::PATCH,
            "/api/v1/users/999999",
            Some(json!({"full_name": "Không có"})),
        )
        .await;
    assert_error(&answer, StatusCode::NOT_FOUND, "not-found");
    let answer = admin
        .send(
            Method::PATCH,
            &path,
            Some(json!({"roles": [], "org_id": 999_999, "full_name": " "})),
        )
        .await;
    assert_invalid(&answer, "roles", "field-required");
    assert_invalid(&answer, "org_id", "org-not-found");
    assert_invalid(&answer, "full_name", "field-required");

    let version = created["version"].as_i64().expect("version");
    let stale = (version + 1).to_string();
    let answer = send_if_match(
        &admin,
        Method::PATCH,
        &path,
        &stale,
        json!({"full_name": "Tên mới"}),
    )
    .await;
    let conflict = assert_error(&answer, StatusCode::CONFLICT, "version-conflict");
    assert_eq!(conflict["details"]["current_version"], version);
    let answer = send_if_match(
        &admin,
        Method::PATCH,
        &path,
        "hom-qua",
        json!({"full_name": "Tên mới"}),
    )
    .await;
    assert_error(&answer, StatusCode::BAD_REQUEST, "request-if-match-invalid");
    let listed = admin.fetch("/api/v1/users").await;
    let stored = listed
        .as_array()
        .expect("users")
        .iter()
        .find(|user| user["id"] == created["id"])
        .expect("user")
        .clone();
    assert_eq!(
        stored["full_name"], created["full_name"],
        "nothing was written"
    );
    assert_eq!(stored["version"], version);

    let answer = admin.get("/api/v1/users?org=ha-noi").await;
    assert_invalid(&answer, "org", "field-wrong-type");

    // The account can still log in after the failed changes.
    let login = server
        .anonymous()
        .post(
            "/api/v1/auth/login",
            json!({"username": "hni.capnhat", "password": PASSWORD}),
        )
        .await;
    assert_eq!(login.0, StatusCode::OK, "{}", login.1);
}

async fn organisation_errors(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let office = server
        .user("vptw", "VPTW", &[Role::CentralOffice], Clearance::Normal)
        .await;
    let hanoi_updater = server
        .user("hni.capnhat", "TU-HNI", &[Role::Updater], Clearance::Normal)
        .await;
    let hue_approver = server
        .user(
            "hue.pheduyet",
            "TU-HUE",
            &[Role::Approver],
            Clearance::Normal,
        )
        .await;
    let hanoi = server.org_id("TU-HNI");
    let unit =
        json!({"code": "HNI-BTG", "name_vi": "Ban Tuyên giáo Thành uỷ Hà Nội", "parent_id": hanoi});

    let missing = office.get("/api/v1/organisations/999999").await;
    assert_error(&missing, StatusCode::NOT_FOUND, "not-found");
    let answer = office.get("/api/v1/organisations?category=bo_nganh").await;
    assert_invalid(&answer, "category", "field-not-one-of");
    let en = office
        .english()
        .get("/api/v1/organisations?category=bo_nganh")
        .await;
    assert_english(&answer.1, &en.1);
    let answer = office.get("/api/v1/organisations?parent=ha-noi").await;
    assert_invalid(&answer, "parent", "field-wrong-type");

    // Only the body's own approver, the Central Office or an administrator adds units.
    let answer = hanoi_updater
        .post("/api/v1/organisations", unit.clone())
        .await;
    assert_error(&answer, StatusCode::FORBIDDEN, "auth-role-required");
    let answer = hue_approver
        .post("/api/v1/organisations", unit.clone())
        .await;
    assert_error(&answer, StatusCode::FORBIDDEN, "auth-not-your-body");
    let cases = [
        (
            json!({"code": "HNI-BTG", "name_vi": "Ban"}),
            "parent_id",
            "field-required",
        ),
        (
            json!({"code": "HNI-BTG", "name_vi": "Ban", "parent_id": 999_999}),
            "parent_id",
            "org-not-found",
        ),
        (
            json!({"code": "1-BAN", "name_vi": "Ban", "parent_id": hanoi}),
            "code",
            "org-code-invalid",
        ),
        (
            json!({"code": "HNI BTG", "name_vi": "Ban", "parent_id": hanoi}),
            "code",
            "org-code-invalid",
        ),
        (
            json!({"code": "HNI-BTG", "parent_id": hanoi}),
            "name_vi",
            "field-required",
        ),
        (
            json!({"code": "HNI-BTG", "name_vi": "x".repeat(301), "parent_id": hanoi}),
            "name_vi",
            "field-too-long",
        ),
    ];
    for (body, field, code) in cases {
        let answer = office.post("/api/v1/organisations", body.clone()).await;
        assert_invalid(&answer, field, code);
    }
    let vi = office
        .post(
            "/api/v1/organisations",
            json!({"code": "1-BAN", "name_vi": "Ban", "parent_id": hanoi}),
        )
        .await;
    let en = office
        .english()
        .post(
            "/api/v1/organisations",
            json!({"code": "1-BAN", "name_vi": "Ban", "parent_id": hanoi}),
        )
        .await;
    assert_english(&vi.1, &en.1);
    let (status, created) = office.post("/api/v1/organisations", unit.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    for code in ["HNI-BTG", "hni-btg", "TU-HNI"] {
        let answer = office
            .post(
                "/api/v1/organisations",
                json!({"code": code, "name_vi": "Ban khác", "parent_id": hanoi}),
            )
            .await;
        assert_invalid(&answer, "code", "org-code-duplicate");
    }
    let listed = office.fetch("/api/v1/organisations?q=HNI-BTG").await;
    assert_eq!(listed.as_array().expect("organisations").len(), 1);

    let provinces = office
        .fetch("/api/v1/organisations?category=provincial_committee")
        .await;
    let provinces = provinces.as_array().expect("organisations");
    let first = office
        .fetch("/api/v1/organisations?category=provincial_committee&limit=2")
        .await;
    assert!(provinces.len() > 2, "{provinces:?}");
    assert_eq!(first.as_array().expect("organisations"), &provinces[..2]);
    for limit in ["0", "501", "2147483648"] {
        let answer = office
            .get(&format!("/api/v1/organisations?limit={limit}"))
            .await;
        assert_invalid(&answer, "limit", "field-out-of-range");
    }
}

async fn catalogue_errors(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let office = server
        .user("vptw", "VPTW", &[Role::CentralOffice], Clearance::Normal)
        .await;
    let admin = server
        .user("quantri", "VPTW", &[Role::Administrator], Clearance::Normal)
        .await;
    let entry = json!({"code": "chuyen_de", "name_vi": "Chuyên đề", "name_en": "Thematic"});

    let answer = admin
        .post("/api/v1/catalogues/priority", entry.clone())
        .await;
    assert_error(&answer, StatusCode::FORBIDDEN, "auth-role-required");
    let answer = admin
        .send(
            Method::PATCH,
            "/api/v1/catalogues/priority/key",
            Some(json!({"active": false})),
        )
        .await;
    assert_error(&answer, StatusCode::FORBIDDEN, "auth-role-required");

    for (method, path) in [
        (Method::POST, "/api/v1/catalogues/mau_sac"),
        (Method::PATCH, "/api/v1/catalogues/mau_sac/key"),
    ] {
        let answer = office.send(method, path, Some(entry.clone())).await;
        let body = assert_error(&answer, StatusCode::NOT_FOUND, "catalogue-axis-unknown");
        assert!(
            body["message"].as_str().unwrap_or("").contains("mau_sac"),
            "{body}"
        );
    }
    let answer = office
        .send(
            Method::PATCH,
            "/api/v1/catalogues/priority/khong_co",
            Some(json!({"active": false})),
        )
        .await;
    let body = assert_error(&answer, StatusCode::NOT_FOUND, "catalogue-unknown-code");
    assert!(
        body["message"]
            .as_str()
            .unwrap_or("")
            .contains("mức độ ưu tiên"),
        "the catalogue is named in words: {body}"
    );
    let en = office
        .english()
        .send(
            Method::PATCH,
            "/api/v1/catalogues/priority/khong_co",
            Some(json!({"active": false})),
        )
        .await;
    assert_english(&answer.1, &en.1);

    let cases = [
        (
            json!({"code": "Chuyen De", "name_vi": "Chuyên đề", "name_en": "Thematic"}),
            "code",
            "catalogue-code-invalid",
        ),
        (
            json!({"name_vi": "Chuyên đề", "name_en": "Thematic"}),
            "code",
            "catalogue-code-invalid",
        ),
        (
            json!({"code": "chuyen_de", "name_en": "Thematic"}),
            "name_vi",
            "field-required",
        ),
        (
            json!({"code": "chuyen_de", "name_vi": "Chuyên đề"}),
            "name_en",
            "field-required",
        ),
    ];
    for (body, field, code) in cases {
        let answer = office.post("/api/v1/catalogues/priority", body).await;
        assert_invalid(&answer, field, code);
    }
    let answer = office
        .post(
            "/api/v1/catalogues/priority",
            json!({"code": "key", "name_vi": "Trọng tâm", "name_en": "Key"}),
        )
        .await;
    assert_invalid(&answer, "code", "catalogue-code-duplicate");
    let vi = office
        .post(
            "/api/v1/catalogues/priority",
            json!({"code": "key", "name_vi": "Trọng tâm", "name_en": "Key"}),
        )
        .await;
    let en = office
        .english()
        .post(
            "/api/v1/catalogues/priority",
            json!({"code": "key", "name_vi": "Trọng tâm", "name_en": "Key"}),
        )
        .await;
    assert_english(&vi.1, &en.1);

    let entries = office.fetch("/api/v1/catalogues").await;
    let key = entries
        .as_array()
        .expect("entries")
        .iter()
        .find(|entry| entry["axis"] == "priority" && entry["code"] == "key")
        .expect("key priority")
        .clone();
    let stale = (key["version"].as_i64().expect("version") + 3).to_string();
    let answer = send_if_match(
        &office,
        Method::PATCH,
        "/api/v1/catalogues/priority/key",
        &stale,
        json!({"name_vi": "Đổi tên"}),
    )
    .await;
    let conflict = assert_error(&answer, StatusCode::CONFLICT, "version-conflict");
    assert_eq!(conflict["details"]["current_version"], key["version"]);
    let answer = send_if_match(
        &office,
        Method::PATCH,
        "/api/v1/catalogues/priority/key",
        "x",
        json!({"name_vi": "Đổi tên"}),
    )
    .await;
    assert_error(&answer, StatusCode::BAD_REQUEST, "request-if-match-invalid");
    let answer = office
        .send(
            Method::PATCH,
            "/api/v1/catalogues/priority/key",
            Some(json!({"name_vi": ""})),
        )
        .await;
    assert_invalid(&answer, "name_vi", "field-required");
    assert_eq!(
        office.fetch("/api/v1/catalogues").await,
        entries,
        "nothing was written"
    );
}

async fn calendar_errors(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let admin = server
        .user("quantri", "VPTW", &[Role::Administrator], Clearance::Normal)
        .await;
    let office = server
        .user("vptw", "VPTW", &[Role::CentralOffice], Clearance::Normal)
        .await;
    let holiday = |date: &str| json!({"date": date, "name_vi": "Ngày nghỉ", "kind": "holiday"});

    for year in ["1899", "2200", "-5"] {
        let answer = office.get(&format!("/api/v1/calendar/years/{year}")).await;
        let entry = assert_invalid(&answer, "year", "calendar-year-invalid");
        assert!(
            entry["message"]
                .as_str()
                .unwrap_or("")
                .contains(year.trim_start_matches('-')),
            "{entry}"
        );
    }
    let answer = office.get("/api/v1/calendar/years/nam-nay").await;
    assert_error(&answer, StatusCode::NOT_FOUND, "not-found");
    let vi = office.get("/api/v1/calendar/years/1899").await;
    let en = office.english().get("/api/v1/calendar/years/1899").await;
    assert_english(&vi.1, &en.1);

    // Saving a year's schedule.
    let answer = office
        .send(
            Method::PUT,
            "/api/v1/calendar/years/2027",
            Some(json!({"days": [holiday("2027-01-01")]})),
        )
        .await;
    assert_error(&answer, StatusCode::FORBIDDEN, "auth-role-required");
    let answer = admin
        .send(
            Method::PUT,
            "/api/v1/calendar/years/1800",
            Some(json!({"days": []})),
        )
        .await;
    assert_invalid(&answer, "year", "calendar-year-invalid");
    let answer = admin
        .send(
            Method::PUT,
            "/api/v1/calendar/years/2027",
            Some(json!({"days": [{"date": "2027-13-01", "name_vi": "", "kind": "ngay_le"}]})),
        )
        .await;
    assert_invalid(&answer, "days[0].date", "field-date-invalid");
    assert_invalid(&answer, "days[0].kind", "field-not-one-of");
    assert_invalid(&answer, "days[0].name_vi", "field-required");
    let answer = admin
        .send(
            Method::PUT,
            "/api/v1/calendar/years/2027",
            Some(json!({"days": [holiday("2027-01-01"), holiday("2028-01-01")]})),
        )
        .await;
    let entry = assert_invalid(&answer, "days", "calendar-day-outside-year");
    assert!(
        entry["message"].as_str().unwrap_or("").contains("2027"),
        "{entry}"
    );
    let answer = admin
        .send(
            Method::PUT,
            "/api/v1/calendar/years/2027",
            Some(json!({"days": [holiday("2027-01-01"), holiday("2027-01-01")]})),
        )
        .await;
    assert_invalid(&answer, "days", "calendar-day-duplicate");
    let vi = admin
        .send(
            Method::PUT,
            "/api/v1/calendar/years/2027",
            Some(json!({"days": [holiday("2028-01-01")]})),
        )
        .await;
    let en = admin
        .english()
        .send(
            Method::PUT,
            "/api/v1/calendar/years/2027",
            Some(json!({"days": [holiday("2028-01-01")]})),
        )
        .await;
    assert_english(&vi.1, &en.1);
    let answer = admin
        .send(Method::PUT, "/api/v1/calendar/years/2027", Some(json!({})))
        .await;
    assert_invalid(&answer, "days", "field-required");
    assert_eq!(
        office.fetch("/api/v1/calendar/years/2027").await["source"],
        "builtin",
        "nothing was saved"
    );

    // Working hours.
    let answer = office
        .send(
            Method::PUT,
            "/api/v1/calendar/hours",
            Some(json!({"hours": "07:30-11:30"})),
        )
        .await;
    assert_error(&answer, StatusCode::FORBIDDEN, "auth-role-required");
    for hours in ["8h-12h", "12:00-08:00", ""] {
        let answer = admin
            .send(
                Method::PUT,
                "/api/v1/calendar/hours",
                Some(json!({"hours": hours})),
            )
            .await;
        assert_invalid(&answer, "hours", "calendar-hours-invalid");
    }
    assert_eq!(
        office.fetch("/api/v1/calendar/hours").await["hours"],
        "08:00-12:00,13:00-17:00"
    );

    // Due-time and lunar look-ups.
    let cases = [
        (
            "start=hom-nay&working_hours=4",
            "start",
            "field-instant-invalid",
        ),
        ("working_hours=4", "start", "field-required"),
        (
            "start=2026-03-02T09:00:00%2B07:00",
            "working_hours",
            "field-required",
        ),
        (
            "start=2026-03-02T09:00:00%2B07:00&working_hours=4&working_days=1",
            "working_days",
            "field-only-one-of",
        ),
        (
            "start=2026-03-02T09:00:00%2B07:00&working_hours=-4",
            "working_hours",
            "field-wrong-type",
        ),
    ];
    for (query, field, code) in cases {
        let answer = office.get(&format!("/api/v1/calendar/due?{query}")).await;
        assert_invalid(&answer, field, code);
    }
    let answer = office.get("/api/v1/calendar/lunar/02-03-2026").await;
    assert_invalid(&answer, "date", "field-date-invalid");
    let answer = office.get("/api/v1/calendar/lunar/1800-01-01").await;
    assert_invalid(&answer, "date", "calendar-year-invalid");
    let vi = office.get("/api/v1/calendar/lunar/1800-01-01").await;
    let en = office
        .english()
        .get("/api/v1/calendar/lunar/1800-01-01")
        .await;
    assert_english(&vi.1, &en.1);
}

on_both_backends!(
    user_errors,
    organisation_errors,
    catalogue_errors,
    calendar_errors
);
