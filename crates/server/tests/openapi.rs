//! The OpenAPI document at `/api/v1/openapi.json`: it is served as OpenAPI 3.1, it lists exactly
//! the routes the server serves, each operation is described with its responses and error
//! bodies, and every reference in it resolves.

mod support;

use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::collections::BTreeSet;
use support::check::assert_error;
use support::{TestServer, at, read};
use theodoi_store::{Backend, on_both_backends};

/// Every operation the server routes, as `METHOD path`. A route added or removed must be
/// added or removed here too.
const ROUTES: &[&str] = &[
    "GET /healthz",
    "GET /readyz",
    "GET /api/v1/openapi.json",
    "POST /api/v1/auth/login",
    "POST /api/v1/auth/logout",
    "POST /api/v1/auth/tokens",
    "GET /api/v1/me",
    "GET /api/v1/organisations",
    "POST /api/v1/organisations",
    "GET /api/v1/organisations/{id}",
    "GET /api/v1/users",
    "POST /api/v1/users",
    "PATCH /api/v1/users/{id}",
    "GET /api/v1/catalogues",
    "POST /api/v1/catalogues/{axis}",
    "PATCH /api/v1/catalogues/{axis}/{code}",
    "GET /api/v1/calendar/years/{year}",
    "PUT /api/v1/calendar/years/{year}",
    "GET /api/v1/calendar/hours",
    "PUT /api/v1/calendar/hours",
    "GET /api/v1/calendar/due",
    "GET /api/v1/calendar/lunar/{date}",
    "GET /api/v1/documents",
    "POST /api/v1/documents",
    "GET /api/v1/documents/{id}",
    "PATCH /api/v1/documents/{id}",
    "POST /api/v1/documents/{id}/groups",
    "POST /api/v1/documents/{id}/transfer",
    "POST /api/v1/documents/{id}/tasks",
    "GET /api/v1/tasks",
    "GET /api/v1/tasks/counts",
    "GET /api/v1/tasks/{id}",
    "PATCH /api/v1/tasks/{id}",
    "GET /api/v1/tasks/{id}/events",
    "GET /api/v1/tasks/{id}/obligations",
    "GET /api/v1/tasks/{id}/result",
    "POST /api/v1/tasks/{id}/transfer",
    "POST /api/v1/tasks/{id}/receipt",
    "POST /api/v1/tasks/{id}/return",
    "POST /api/v1/tasks/{id}/feedback-handling",
    "POST /api/v1/tasks/{id}/updates",
    "PUT /api/v1/tasks/{id}/updates/{no}",
    "POST /api/v1/tasks/{id}/updates/{no}/approve",
    "POST /api/v1/tasks/{id}/updates/{no}/return",
    "POST /api/v1/tasks/{id}/updates/{no}/evaluation",
    "POST /api/v1/tasks/{id}/extension-request",
    "POST /api/v1/tasks/{id}/deadline-extension",
    "POST /api/v1/tasks/{id}/update-request",
    "POST /api/v1/tasks/{id}/urgings",
    "POST /api/v1/tasks/{id}/difficulties",
    "POST /api/v1/tasks/{id}/withdraw",
    "POST /api/v1/tasks/{id}/cancel",
    "POST /api/v1/tasks/{id}/subtasks",
    "GET /api/v1/obligations",
];

const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

/// One documented operation.
struct Operation<'a> {
    method: &'a str,
    path: &'a str,
    body: &'a Value,
}

fn operations(document: &Value) -> Vec<Operation<'_>> {
    let mut found = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, body) in item.as_object().expect("path item") {
            assert!(
                METHODS.contains(&method.as_str()),
                "{path}: unexpected key {method}"
            );
            found.push(Operation { method, path, body });
        }
    }
    found
}

/// The path with sample values in place of its parameters.
fn sample_path(path: &str) -> String {
    path.replace("{id}", "1")
        .replace("{no}", "1")
        .replace("{axis}", "priority")
        .replace("{code}", "key")
        .replace("{year}", "2026")
        .replace("{date}", "2026-03-02")
}

fn is_public(operation: &Value, document: &Value) -> bool {
    let security = operation.get("security").unwrap_or(&document["security"]);
    security.as_array().is_none_or(|list| {
        list.is_empty()
            || list
                .iter()
                .any(|entry| entry.as_object().is_some_and(|o| o.is_empty()))
    })
}

async fn fetch_document(server: &TestServer) -> Value {
    let response = server
        .anonymous()
        .request(Method::GET, "/api/v1/openapi.json")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .expect("content type")
        .to_str()
        .expect("ASCII")
        .to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let text = response.text().await.expect("body");
    serde_json::from_str(&text).expect("the document is JSON")
}

async fn document_served(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let document = fetch_document(&server).await;
    let version = document["openapi"].as_str().expect("openapi version");
    assert!(version.starts_with("3.1"), "{version}");
    assert!(
        document["info"]["title"]
            .as_str()
            .is_some_and(|title| !title.is_empty())
    );
    assert!(
        document["info"]["version"]
            .as_str()
            .is_some_and(|version| !version.is_empty())
    );
    let library = serde_json::to_value(theodoi_server::api::openapi()).expect("serializable");
    assert_eq!(
        document, library,
        "the served document is the one the library builds"
    );

    let schemes = &document["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["session"]["name"], "theodoi_session");
}

async fn operations_described(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let document = fetch_document(&server).await;
    let tags: BTreeSet<&str> = document["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .map(|tag| tag["name"].as_str().expect("tag name"))
        .collect();
    let mut ids = BTreeSet::new();

    for Operation { method, path, body } in operations(&document) {
        let name = format!("{} {path}", method.to_uppercase());
        let text = |key: &str| body[key].as_str().unwrap_or("").trim().to_owned();
        assert!(
            !text("summary").is_empty() || !text("description").is_empty(),
            "{name}: no summary or description"
        );
        let id = body["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: no operationId"));
        assert!(
            ids.insert(id.to_owned()),
            "{name}: operationId {id} is used twice"
        );
        let operation_tags = body["tags"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: no tags"));
        for tag in operation_tags {
            assert!(
                tags.contains(tag.as_str().unwrap_or("")),
                "{name}: tag {tag} is not declared"
            );
        }

        // Every parameter of the path template is declared as a required path parameter.
        let parameters = body["parameters"].as_array().cloned().unwrap_or_default();
        for segment in path.split('/').filter(|segment| segment.starts_with('{')) {
            let parameter = segment.trim_matches(['{', '}']);
            let declared = parameters
                .iter()
                .any(|p| p["name"] == parameter && p["in"] == "path" && p["required"] == true);
            assert!(
                declared,
                "{name}: path parameter {parameter} is not declared"
            );
        }

        let responses = body["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{name}: no responses"));
        assert!(
            responses.keys().any(|status| status.starts_with('2')),
            "{name}: no 2xx response"
        );
        for (status, response) in responses {
            let description = response["description"].as_str().unwrap_or("");
            assert!(
                !description.trim().is_empty(),
                "{name} {status}: no description"
            );
        }

        // The health checks respond in plain text for load balancers; the document itself has
        // no error of its own. Every other operation documents its errors as ErrorBody.
        let plain = operation_tags
            .iter()
            .any(|tag| tag == "health" || tag == "meta");
        if plain {
            continue;
        }
        let errors: Vec<&String> = responses
            .keys()
            .filter(|status| status.starts_with('4') || status.starts_with('5'))
            .collect();
        assert!(
            errors.iter().any(|status| status.starts_with('4')),
            "{name}: no 4xx response"
        );
        for status in &errors {
            let schema =
                &responses[status.as_str()]["content"]["application/json"]["schema"]["$ref"];
            assert_eq!(schema, "#/components/schemas/ErrorBody", "{name} {status}");
        }
        let has = |status: &str| responses.contains_key(status);
        assert!(has("500"), "{name}: 500 not documented");
        assert!(has("503"), "{name}: 503 not documented");
        if !is_public(body, &document) {
            assert!(has("401"), "{name}: 401 not documented");
            assert!(has("403"), "{name}: 403 not documented");
        }
        if body.get("requestBody").is_some() {
            for status in ["400", "413", "415", "422"] {
                assert!(has(status), "{name}: {status} not documented for its body");
            }
        }
        if path.contains('{') || !parameters.is_empty() {
            assert!(has("400"), "{name}: 400 not documented for its parameters");
        }
        if path.contains('{') {
            assert!(has("404"), "{name}: 404 not documented for its path");
        }
        let has_query = parameters
            .iter()
            .any(|p| p["in"] == "query" && p["name"] != "lang");
        if has_query {
            assert!(has("422"), "{name}: 422 not documented for its query");
        }
    }
    assert_eq!(ids.len(), ROUTES.len());
}

/// Resolves a local JSON pointer such as `#/components/schemas/ErrorBody`.
fn resolve<'a>(document: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    document.pointer(pointer)
}

fn collect_refs<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if key == "$ref" {
                    found.push(inner.as_str().expect("$ref is a string"));
                } else {
                    collect_refs(inner, found);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, found)),
        _ => {}
    }
}

async fn references_resolve(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let document = fetch_document(&server).await;
    let mut references = Vec::new();
    collect_refs(&document, &mut references);
    assert!(references.len() > 50, "{} references", references.len());
    for reference in &references {
        assert!(
            reference.starts_with("#/components/"),
            "external reference {reference}"
        );
        assert!(
            resolve(&document, reference).is_some(),
            "{reference} does not resolve"
        );
    }
    let error_body = resolve(&document, "#/components/schemas/ErrorBody").expect("ErrorBody");
    let required: Vec<&str> = error_body["required"]
        .as_array()
        .expect("required")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for field in ["code", "message", "details"] {
        assert!(
            required.contains(&field),
            "ErrorBody.{field} is not required"
        );
    }
}

async fn routes_documented(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let document = fetch_document(&server).await;
    let documented: BTreeSet<String> = operations(&document)
        .iter()
        .map(|operation| format!("{} {}", operation.method.to_uppercase(), operation.path))
        .collect();
    let expected: BTreeSet<String> = ROUTES.iter().map(|route| (*route).to_owned()).collect();
    assert_eq!(
        documented.difference(&expected).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "documented but not in the route list"
    );
    assert_eq!(
        expected.difference(&documented).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "routed but not documented"
    );

    // Each documented operation is routed: anonymous requests reach it, and those that need
    // credentials respond 401 rather than 404 or 405.
    let anonymous = server.anonymous();
    for Operation { method, path, body } in operations(&document) {
        let method: Method = method.to_uppercase().parse().expect("method");
        let response = anonymous
            .request(method.clone(), &sample_path(path))
            .json(&serde_json::json!({}))
            .send()
            .await
            .expect("request");
        let answer = read(response).await;
        assert_ne!(
            answer.0,
            StatusCode::NOT_FOUND,
            "{method} {path} is not routed: {}",
            answer.1
        );
        assert_ne!(
            answer.0,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path} is not routed"
        );
        if !is_public(body, &document) {
            assert_error(&answer, StatusCode::UNAUTHORIZED, "auth-required");
        }
    }

    // No documented path serves a method that is not documented for it.
    let paths: BTreeSet<&str> = operations(&document)
        .iter()
        .map(|operation| operation.path)
        .collect();
    for path in paths {
        for method in METHODS {
            if documented.contains(&format!("{} {path}", method.to_uppercase())) {
                continue;
            }
            let method: Method = method.to_uppercase().parse().expect("method");
            let answer = read(
                anonymous
                    .request(method.clone(), &sample_path(path))
                    .send()
                    .await
                    .expect("request"),
            )
            .await;
            assert_error(
                &answer,
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
            );
        }
    }
}

on_both_backends!(
    document_served,
    operations_described,
    references_resolve,
    routes_documented
);
