//! No lost update, on both backends: eight HTTP clients edit the same few draft tasks at once,
//! each with the version it last saw in `If-Match`. Every acknowledged edit must be in the
//! task's history at the version in the server's response, every rejected one must have
//! received 409 and be absent, and the read tables must equal a replay of the events.
//!
//! `THEODOI_LOST_UPDATE_CHANGES` sets the number of edits in total (default 10 000).

mod support;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use support::{Client, TestServer, at};
use theodoi_domain::user::{Clearance, Role};
use theodoi_store::{Backend, on_both_backends};

const CLIENTS: usize = 8;
const TASKS: usize = 3;

fn total_changes() -> usize {
    match std::env::var("THEODOI_LOST_UPDATE_CHANGES") {
        Ok(value) => value
            .parse()
            .unwrap_or_else(|_| panic!("THEODOI_LOST_UPDATE_CHANGES={value} is not a number")),
        Err(_) => 10_000,
    }
}

/// What one client saw: the edits the server acknowledged, with the version in the response,
/// and those it rejected.
#[derive(Default)]
struct Outcomes {
    acknowledged: Vec<(i64, String, i64)>,
    rejected: Vec<(i64, String)>,
}

/// Edits the tasks round-robin until the shared budget of edits runs out.
async fn edit_until_done(
    client: Client,
    number: usize,
    tasks: Vec<i64>,
    budget: Arc<AtomicUsize>,
) -> Outcomes {
    let mut known: Vec<i64> = vec![1; tasks.len()];
    let mut outcomes = Outcomes::default();
    let mut change = 0;
    while budget
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
            left.checked_sub(1)
        })
        .is_ok()
    {
        let slot = (number + change) % tasks.len();
        let task = tasks[slot];
        // Fixed width, so that no marker is a prefix of another.
        let marker = format!("client-{number}-change-{change:06}");
        change += 1;
        let response = client
            .request(Method::PATCH, &format!("/api/v1/tasks/{task}"))
            .header("If-Match", format!("\"{}\"", known[slot]))
            .json(&json!({"content": format!("Nội dung {marker}")}))
            .send()
            .await
            .expect("PATCH reaches the server");
        let (status, body) = support::read(response).await;
        match status {
            StatusCode::OK => {
                let version = body["version"].as_i64().expect("version in the answer");
                outcomes.acknowledged.push((task, marker, version));
                known[slot] = version;
            }
            StatusCode::CONFLICT => {
                let current = body["details"]["current_version"]
                    .as_i64()
                    .expect("current version in the conflict");
                outcomes.rejected.push((task, marker));
                known[slot] = current;
            }
            other => panic!("edit {marker} of task {task}: {other} {body}"),
        }
    }
    outcomes
}

/// Returns, for each edit marker in the task's history, the number of the event that contains it.
async fn markers_in_history(client: &Client, task: i64) -> (BTreeMap<String, i64>, usize) {
    let events = client.fetch(&format!("/api/v1/tasks/{task}/events")).await;
    let events = events.as_array().expect("events");
    let mut markers = BTreeMap::new();
    for (position, event) in events.iter().enumerate() {
        let seq = event["seq"].as_i64().expect("seq");
        assert_eq!(
            seq,
            i64::try_from(position).unwrap() + 1,
            "task {task}: events numbered without gaps"
        );
        let data = event["data"].to_string();
        let Some(start) = data.find("client-") else {
            continue;
        };
        let marker: String = data[start..]
            .chars()
            .take("client-0-change-000000".len())
            .collect();
        assert!(
            markers.insert(marker.clone(), seq).is_none(),
            "task {task}: {marker} stored twice"
        );
    }
    (markers, events.len())
}

async fn concurrent_edits_lose_nothing(backend: Backend) {
    let server = TestServer::start(backend, at("2026-03-02 09:00")).await;
    let mut clients = Vec::new();
    for number in 0..CLIENTS {
        let username = format!("vptw.nhap{number}");
        clients.push(
            server
                .user(&username, "VPTW", &[Role::CentralOffice], Clearance::Secret)
                .await,
        );
    }
    let office = clients[0].clone();
    let document = support::fixture::document(&server, &office, "73-KL/TW", "normal").await;
    let mut tasks = Vec::new();
    for index in 0..TASKS {
        let body = support::fixture::hanoi_task(
            &server,
            Some(&format!("Nhiệm vụ tranh chấp {index}")),
            Value::String("2026-06-30".into()),
        );
        tasks.push(support::fixture::draft_task(&office, document, body).await);
    }

    let total = total_changes();
    let budget = Arc::new(AtomicUsize::new(total));
    let workers: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(number, client)| {
            tokio::spawn(edit_until_done(
                client,
                number,
                tasks.clone(),
                budget.clone(),
            ))
        })
        .collect();
    let mut acknowledged = Vec::new();
    let mut rejected = Vec::new();
    for worker in workers {
        let outcomes = worker.await.expect("client task");
        acknowledged.extend(outcomes.acknowledged);
        rejected.extend(outcomes.rejected);
    }
    assert_eq!(
        acknowledged.len() + rejected.len(),
        total,
        "every edit got an answer"
    );
    assert!(!acknowledged.is_empty(), "some edits succeed");
    assert!(!rejected.is_empty(), "the clients really conflicted");

    for task in &tasks {
        let (history, events) = markers_in_history(&office, *task).await;
        let expected: BTreeMap<String, i64> = acknowledged
            .iter()
            .filter(|(edited, _, _)| edited == task)
            .map(|(_, marker, version)| (marker.clone(), *version))
            .collect();
        assert_eq!(
            events,
            expected.len() + 1,
            "task {task}: its creation and one event per acknowledged edit"
        );
        assert_eq!(
            history, expected,
            "task {task}: every acknowledged edit at the version it was answered with"
        );
        let rejected_here: BTreeSet<&String> = rejected
            .iter()
            .filter(|(edited, _)| edited == task)
            .map(|(_, marker)| marker)
            .collect();
        assert!(
            rejected_here
                .iter()
                .all(|marker| !history.contains_key(*marker)),
            "task {task}: no rejected edit is stored"
        );
    }

    let report = server
        .state
        .store
        .check_integrity()
        .await
        .expect("integrity check");
    assert_eq!(report.findings, [], "read tables equal the replay");
    assert_eq!(report.tasks, TASKS as u64);
    eprintln!(
        "{backend:?}: {} edits acknowledged, {} rejected with 409",
        acknowledged.len(),
        rejected.len()
    );
}

on_both_backends!(concurrent_edits_lose_nothing);
