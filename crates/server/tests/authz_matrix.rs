//! The authorization matrix (`crates/server/authz/matrix.csv`) against a real server, on both
//! backends: every route of the router has rows, and every cell (operation × role × relation
//! of the user's body to the record's body × record level × clearance) gets the response its
//! row gives. A record the user may not see gets the same response as an id that does not exist.

mod authz;
mod support;

use authz::matrix::{Access, Cell, Matrix, Operation};
use authz::probes::{Probe, probe};
use authz::world::{MISSING_ID, Person, Record, World};
use authz::{Sender, ServerResponse, check_access, check_fields, excerpt, send};
use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use support::web::WebClient;
use support::{TestServer, at};
use theodoi_store::{Backend, on_both_backends};

/// Methods that a route either declares or rejects with 405.
const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// Lists every (method, path) the router serves, with the surfaces the matrix may file it
/// under.
fn router_operations() -> BTreeMap<(String, String), Vec<&'static str>> {
    let mut operations = BTreeMap::new();
    let document = serde_json::to_value(theodoi_server::api::openapi()).expect("OpenAPI JSON");
    let paths = document["paths"].as_object().expect("OpenAPI paths");
    for (path, item) in paths {
        for method in METHODS {
            if item.get(method.to_ascii_lowercase()).is_some() {
                operations.insert((method.to_owned(), path.clone()), vec!["api"]);
            }
        }
    }
    for route in theodoi_server::web::route_list() {
        let surfaces = if route.method == "GET" {
            vec!["page", "stream"]
        } else {
            vec!["form"]
        };
        operations.insert((route.method.to_owned(), route.path.to_owned()), surfaces);
    }
    operations
}

/// Fails on a route without rows and on rows without a route.
fn check_coverage(operations: &BTreeMap<Operation, String>) {
    let routes = router_operations();
    let mut problems = Vec::new();
    for ((method, path), surfaces) in &routes {
        let covered = surfaces.iter().any(|surface| {
            operations.contains_key(&Operation {
                surface: (*surface).to_owned(),
                method: method.clone(),
                path: path.clone(),
            })
        });
        if !covered {
            problems.push(format!("no row in matrix.csv for {method} {path}"));
        }
    }
    for operation in operations.keys() {
        let key = (operation.method.clone(), operation.path.clone());
        let known = routes
            .get(&key)
            .is_some_and(|surfaces| surfaces.contains(&operation.surface.as_str()));
        if !known {
            problems.push(format!(
                "matrix.csv names {operation}, which the router lacks"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Replaces every `{param}` of a route with a plausible value.
fn sample_path(template: &str) -> String {
    let mut path = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let end = start + rest[start..].find('}').expect("closing brace");
        path.push_str(&rest[..start]);
        path.push_str(if rest[start..end].starts_with("{*") {
            "css/app.css"
        } else {
            "1"
        });
        rest = &rest[end + 1..];
    }
    path.push_str(rest);
    path
}

/// Sends every undeclared method to every route: the status must be 405, so no route serves a
/// method the matrix does not list.
async fn check_undeclared_methods(server: &TestServer) -> Vec<String> {
    let mut by_path: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (method, path) in router_operations().into_keys() {
        by_path.entry(path).or_default().insert(method);
    }
    let http = reqwest::Client::new();
    let mut failures = Vec::new();
    for (path, declared) in by_path {
        for method in METHODS.iter().filter(|method| !declared.contains(**method)) {
            let method_value = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
            let url = format!("{}{}", server.base, sample_path(&path));
            let status = http
                .request(method_value, url)
                .send()
                .await
                .expect("request")
                .status();
            if status != StatusCode::METHOD_NOT_ALLOWED {
                failures.push(format!(
                    "{method} {path}: undeclared method returned {status}"
                ));
            }
        }
    }
    failures
}

/// The caller of a series of probes: one person of the grid, or nobody.
struct Caller<'a> {
    role: &'static str,
    relation: &'static str,
    person: Option<&'a Person>,
    sender: Sender<'a>,
}

impl Caller<'_> {
    async fn send(&self, operation: &Operation, probe: &Probe) -> ServerResponse {
        send(&self.sender, &operation.surface, &operation.method, probe).await
    }

    fn clearance_for(&self, level: &str) -> &'static str {
        self.person
            .map_or("uncleared", |person| person.clearance_for(level))
    }

    fn name(&self) -> String {
        match self.person {
            Some(person) => format!(
                "{}/{}/{}",
                self.role,
                self.relation,
                person.clearance.as_str()
            ),
            None => "anonymous".to_owned(),
        }
    }
}

/// Returns the id of the record of `kind`.
fn record_id(kind: &str, record: &Record) -> i64 {
    match kind {
        "task" => record.task,
        "document" => record.document,
        "attachment" => record.attachment,
        other => panic!("unknown record kind {other}"),
    }
}

/// Returns the read operation whose rule decides whether the caller sees a record of `kind`.
fn read_operation(kind: &str) -> Operation {
    let path = if kind == "document" {
        "/api/v1/documents/{id}"
    } else {
        "/api/v1/tasks/{id}"
    };
    Operation {
        surface: "api".into(),
        method: "GET".into(),
        path: path.into(),
    }
}

struct Checker<'a> {
    matrix: &'a Matrix,
    operations: &'a [(Operation, String)],
    world: &'a World,
    catalogue_code: &'a str,
}

impl Checker<'_> {
    fn cell(&self, caller: &Caller<'_>, record: Option<&Record>) -> Cell<'static> {
        match record {
            None => Cell {
                role: caller.role,
                relation: "-",
                level: "-",
                clearance: "-",
            },
            Some(record) => Cell {
                role: caller.role,
                relation: caller.relation,
                level: record.level,
                clearance: caller.clearance_for(record.level),
            },
        }
    }

    /// Returns whether the caller may see `record` at all, by the read rule of its kind.
    fn sees(&self, caller: &Caller<'_>, kind: &str, record: &Record) -> bool {
        let cell = self.cell(caller, Some(record));
        let read_kind = if kind == "document" {
            "document"
        } else {
            "task"
        };
        let rule = self.matrix.decide(&read_operation(kind), read_kind, &cell);
        rule.is_some_and(|rule| rule.access == Access::Allow)
    }

    async fn check_caller(&self, caller: &Caller<'_>) -> Vec<String> {
        let mut failures = Vec::new();
        for (operation, kind) in self.operations {
            let outcome = match kind.as_str() {
                "-" => self.check_plain(caller, operation).await,
                "list" => self.check_list(caller, operation).await,
                _ => self.check_records(caller, operation, kind).await,
            };
            failures.extend(
                outcome
                    .into_iter()
                    .map(|failure| format!("{operation} as {}: {failure}", caller.name())),
            );
        }
        failures
    }

    async fn check_plain(&self, caller: &Caller<'_>, operation: &Operation) -> Vec<String> {
        let cell = self.cell(caller, None);
        let Some(rule) = self.matrix.decide(operation, "-", &cell) else {
            return vec!["no rule for this cell".into()];
        };
        let probe = probe(operation, None, self.world, self.catalogue_code);
        let response = caller.send(operation, &probe).await;
        check_access(rule, &operation.surface, &operation.method, &response, None)
            .err()
            .into_iter()
            .collect()
    }

    async fn check_records(
        &self,
        caller: &Caller<'_>,
        operation: &Operation,
        kind: &str,
    ) -> Vec<String> {
        let mut failures = Vec::new();
        let missing_probe = probe(operation, Some(MISSING_ID), self.world, self.catalogue_code);
        let missing = caller.send(operation, &missing_probe).await;
        for record in &self.world.records {
            let cell = self.cell(caller, Some(record));
            let Some(rule) = self.matrix.decide(operation, kind, &cell) else {
                failures.push(format!("{}: no rule for this cell", record.level));
                continue;
            };
            let probe = probe(
                operation,
                Some(record_id(kind, record)),
                self.world,
                self.catalogue_code,
            );
            let response = caller.send(operation, &probe).await;
            let hidden = caller.person.is_some() && !self.sees(caller, kind, record);
            let compared = hidden.then_some(&missing);
            let mut result = check_access(
                rule,
                &operation.surface,
                &operation.method,
                &response,
                compared,
            );
            if result.is_ok()
                && rule.access == Access::Allow
                && operation.surface == "api"
                && operation.method == "GET"
                && operation.path.ends_with("{id}")
            {
                let content = (kind == "task").then(|| record.content.as_deref().unwrap_or(""));
                result = check_fields(
                    rule.fields,
                    &response.json(),
                    content.filter(|c| !c.is_empty()),
                );
            }
            if let Err(failure) = result {
                failures.push(format!("{} record: {failure}", record.level));
            }
        }
        failures
    }

    async fn check_list(&self, caller: &Caller<'_>, operation: &Operation) -> Vec<String> {
        let mut failures = Vec::new();
        let (path, kind) = match (operation.surface.as_str(), operation.path.as_str()) {
            ("api", "/api/v1/tasks") => ("/api/v1/tasks?status=cancelled&limit=500", "task"),
            ("api", "/api/v1/documents") => ("/api/v1/documents?limit=500", "document"),
            ("page", "/tasks") => ("/tasks?status=cancelled", "task"),
            ("page", "/documents") => ("/documents", "document"),
            _ => panic!("{operation}: no list probe"),
        };
        let probe = Probe {
            path: path.to_owned(),
            payload: authz::probes::Payload::Empty,
        };
        let response = caller.send(operation, &probe).await;
        for record in &self.world.records {
            let cell = self.cell(caller, Some(record));
            let Some(rule) = self.matrix.decide(operation, "list", &cell) else {
                failures.push(format!("{}: no rule for this cell", record.level));
                continue;
            };
            if let Err(failure) = check_list_item(rule, operation, &response, kind, record) {
                failures.push(format!("{} record: {failure}", record.level));
            }
        }
        failures
    }
}

fn check_list_item(
    rule: &authz::matrix::Rule,
    operation: &Operation,
    response: &ServerResponse,
    kind: &str,
    record: &Record,
) -> Result<(), String> {
    if rule.access == Access::Login {
        return check_access(rule, &operation.surface, "GET", response, None);
    }
    if response.status != StatusCode::OK {
        return Err(format!(
            "list returned {} {}",
            response.status,
            excerpt(&response.body)
        ));
    }
    let expected = match rule.access {
        Access::Allow | Access::Public => true,
        Access::Hide => false,
        other => {
            return Err(format!(
                "matrix gives {other:?} for a list (line {})",
                rule.line
            ));
        }
    };
    if operation.surface != "api" {
        let listed = response.body.contains(&record.symbol);
        return if listed == expected {
            Ok(())
        } else {
            Err(format!(
                "listed is {listed}, matrix.csv line {} says {expected}",
                rule.line
            ))
        };
    }
    let id = record_id(kind, record);
    let json = response.json();
    let item = json["items"]
        .as_array()
        .and_then(|items| items.iter().find(|item| item["id"] == id));
    match (item, expected) {
        (None, false) => Ok(()),
        (Some(_), false) => Err(format!("listed against matrix.csv line {}", rule.line)),
        (None, true) => Err(format!(
            "missing from the list (matrix.csv line {})",
            rule.line
        )),
        (Some(item), true) => {
            let content = (kind == "task")
                .then_some(record.content.as_deref())
                .flatten();
            check_fields(rule.fields, item, content)
        }
    }
}

/// Puts the operations that end the caller's session last.
fn ordered(operations: BTreeMap<Operation, String>) -> Vec<(Operation, String)> {
    let mut operations: Vec<(Operation, String)> = operations.into_iter().collect();
    // The API logout ends every session of the user, so the page logout goes before it.
    operations.sort_by_key(|(operation, _)| match operation.path.as_str() {
        "/logout" => 1,
        "/api/v1/auth/logout" => 2,
        _ => 0,
    });
    operations
}

async fn first_catalogue_code(world: &World) -> String {
    let entries: Value = world.people[0].api.fetch("/api/v1/catalogues").await;
    entries
        .as_array()
        .and_then(|entries| entries.iter().find(|entry| entry["axis"] == "priority"))
        .and_then(|entry| entry["code"].as_str())
        .expect("a priority in the catalogue")
        .to_owned()
}

async fn authorization_matrix(backend: Backend) {
    let matrix = Matrix::load();
    let operations = matrix.operations();
    check_coverage(&operations);
    let operations = ordered(operations);

    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let world = World::build(&server).await;
    let catalogue_code = first_catalogue_code(&world).await;
    let checker = Checker {
        matrix: &matrix,
        operations: &operations,
        world: &world,
        catalogue_code: &catalogue_code,
    };

    let mut failures = check_undeclared_methods(&server).await;
    let anonymous_web = WebClient {
        base: server.base.clone(),
        http: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        csrf: String::new(),
    };
    let anonymous = Caller {
        role: "anonymous",
        relation: "none",
        person: None,
        sender: Sender {
            token: None,
            web: &anonymous_web,
        },
    };
    failures.extend(checker.check_caller(&anonymous).await);

    let callers: Vec<Caller<'_>> = world
        .people
        .iter()
        .map(|person| Caller {
            role: person.role,
            relation: person.relation,
            person: Some(person),
            sender: Sender {
                token: person.api.token.as_deref(),
                web: &person.web,
            },
        })
        .collect();
    let per_caller: Vec<Vec<String>> = futures::stream::iter(&callers)
        .map(|caller| checker.check_caller(caller))
        .buffer_unordered(4)
        .collect()
        .await;
    failures.extend(per_caller.into_iter().flatten());

    for failure in &failures {
        eprintln!("{failure}");
    }
    let shown: Vec<&String> = failures.iter().take(80).collect();
    assert!(
        failures.is_empty(),
        "{} cells differ from matrix.csv:\n{}",
        failures.len(),
        shown
            .iter()
            .map(|failure| failure.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

on_both_backends!(authorization_matrix);
