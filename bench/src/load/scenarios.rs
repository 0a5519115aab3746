//! Closed-loop scenarios: each client sends its next request when the previous response arrived,
//! for a fixed duration.

use super::client::{Login, Server};
use super::stats::Recorder;
use crate::rng::Rng;
use anyhow::Result;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Filters of the task list, as a user picks them.
const LIST_FILTERS: [&str; 6] = [
    "result_state=in_progress_overdue",
    "result_state=not_started_overdue&priority=key",
    "breached=true",
    "result_state=completed_on_time,completed_late&sort=updated",
    "status=awaiting_receipt",
    "q=chuyen+doi+so",
];

/// Recorders by operation name, merged over clients.
pub type Results = BTreeMap<&'static str, Recorder>;

/// Failures printed so far; the first few show what went wrong without flooding the output.
static FAILURES_SHOWN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn record(results: &mut Results, name: &'static str, started: Instant, ok: bool) {
    let recorder = results.entry(name).or_insert_with(|| Recorder::new(name));
    if ok {
        recorder.record(started.elapsed());
    } else {
        recorder.errors += 1;
    }
}

/// Records the outcome of a request, and prints a failure when it is among the first five.
fn record_answer<T>(
    results: &mut Results,
    name: &'static str,
    path: &str,
    started: Instant,
    answer: &Result<(reqwest::StatusCode, T)>,
) where
    T: std::fmt::Debug,
{
    let ok = matches!(answer, Ok((status, _)) if status.is_success());
    if !ok && FAILURES_SHOWN.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < 5 {
        match answer {
            Ok((status, body)) => eprintln!("{name}: {path} returned {status}: {body:?}"),
            Err(error) => eprintln!("{name}: {path} failed: {error:#}"),
        }
    }
    record(results, name, started, ok);
}

pub fn merge(into: &mut Results, from: Results) {
    for (name, recorder) in from {
        match into.get_mut(name) {
            Some(existing) => existing.merge(&recorder),
            None => {
                into.insert(name, recorder);
            }
        }
    }
}

/// Page paths that the read-only scenarios request.
#[derive(Debug, Clone, Copy)]
pub enum ReadKind {
    Dashboard,
    FilteredList,
    TaskPage,
}

/// Requests one kind of page as `readers` in turn, with `concurrency` clients for `duration`.
pub async fn read_only(
    server: &Server,
    readers: &[Login],
    task_ids: &[i64],
    kind: ReadKind,
    concurrency: usize,
    duration: Duration,
) -> Result<(Results, Duration)> {
    let started = Instant::now();
    let mut handles = Vec::new();
    for client in 0..concurrency {
        let server = server.clone();
        let login = readers[client % readers.len()].clone();
        let task_ids = task_ids.to_vec();
        handles.push(tokio::spawn(async move {
            let mut results = Results::new();
            let mut rng = Rng::new(client as u64 + 1);
            while started.elapsed() < duration {
                let (name, path) = match kind {
                    ReadKind::Dashboard => ("dashboard summary", "/dashboard/summary".to_owned()),
                    ReadKind::FilteredList => (
                        "filtered list",
                        format!("/tasks?{}", rng.pick(&LIST_FILTERS)),
                    ),
                    ReadKind::TaskPage => ("task page", format!("/tasks/{}", rng.pick(&task_ids))),
                };
                let sent = Instant::now();
                let answer = server.page(&login, &path).await.map(|status| (status, ()));
                record_answer(&mut results, name, &path, sent, &answer);
            }
            results
        }));
    }
    let mut results = Results::new();
    for handle in handles {
        merge(&mut results, handle.await?);
    }
    Ok((results, started.elapsed()))
}

/// One client of the mixed scenario: a body's focal updater and approver, reading as the
/// updater (or as a leader) and writing through the API.
#[derive(Debug, Clone)]
pub struct MixedClient {
    pub reader: Login,
    pub updater: Login,
    pub approver: Login,
    /// Running tasks of the body that this client drafts updates on.
    pub running: Vec<i64>,
    /// Tasks of the body awaiting receipt, confirmed one by one.
    pub awaiting: Vec<i64>,
}

/// Latest update awaiting approval in a task returned by the API.
fn awaiting_update(task: &Value) -> Option<u64> {
    task.get("updates")?
        .as_array()?
        .iter()
        .rev()
        .find(|update| update.get("state").and_then(Value::as_str) == Some("awaiting_approval"))?
        .get("no")?
        .as_u64()
}

impl MixedClient {
    async fn write(
        &mut self,
        server: &Server,
        rng: &mut Rng,
        pending: &mut Vec<(i64, u64)>,
        results: &mut Results,
    ) {
        if !pending.is_empty() && rng.chance(50) {
            let (task, no) = pending.swap_remove(0);
            let sent = Instant::now();
            let path = format!("/api/v1/tasks/{task}/updates/{no}/approve");
            let answer = server.post_json(&self.approver, &path, &json!({})).await;
            record_answer(results, "write: approve update", &path, sent, &answer);
            return;
        }
        if !self.awaiting.is_empty() && rng.chance(30) {
            let task = self.awaiting.swap_remove(0);
            let sent = Instant::now();
            let path = format!("/api/v1/tasks/{task}/receipt");
            let answer = server.post_json(&self.updater, &path, &json!({})).await;
            record_answer(results, "write: confirm receipt", &path, sent, &answer);
            return;
        }
        if self.running.is_empty() {
            return;
        }
        let index = rng.range(0, self.running.len() as u64) as usize;
        let task = self.running[index];
        if pending.iter().any(|(waiting, _)| *waiting == task) {
            return;
        }
        let body = json!({
            "status": "in_progress",
            "percent": rng.range(10, 95),
            "results": "Đang triển khai các nội dung theo kế hoạch; chưa phát sinh vướng mắc.",
        });
        let sent = Instant::now();
        let path = format!("/api/v1/tasks/{task}/updates");
        let answer = server.post_json(&self.updater, &path, &body).await;
        if let Ok((status, task_view)) = &answer
            && status.is_success()
            && let Some(no) = awaiting_update(task_view)
        {
            pending.push((task, no));
        }
        // A generated draft may already wait on the task: the approver approves that one next.
        if let Ok((reqwest::StatusCode::CONFLICT, error)) = &answer
            && error.get("code").and_then(Value::as_str) == Some("update-draft-open")
        {
            results
                .entry("write: draft update")
                .or_insert_with(|| Recorder::new("write: draft update"))
                .rejected += 1;
            let found = server
                .get_json(&self.updater, &format!("/api/v1/tasks/{task}"))
                .await;
            if let Ok((status, task_view)) = found
                && status.is_success()
                && let Some(no) = awaiting_update(&task_view)
            {
                pending.push((task, no));
            }
            return;
        }
        record_answer(results, "write: draft update", &path, sent, &answer);
    }

    async fn read(&self, server: &Server, rng: &mut Rng, results: &mut Results) {
        // Only focal officers have an inbox, so it is always read as the updater.
        let mut reader = &self.reader;
        let (name, path) = match rng.range(0, 4) {
            0 => {
                reader = &self.updater;
                ("read: inbox", "/inbox".to_owned())
            }
            1 if !self.running.is_empty() => (
                "read: task page",
                format!("/tasks/{}", rng.pick(&self.running)),
            ),
            1 | 2 => (
                "read: filtered list",
                format!("/tasks?{}", rng.pick(&LIST_FILTERS)),
            ),
            _ => ("read: dashboard summary", "/dashboard/summary".to_owned()),
        };
        let sent = Instant::now();
        let answer = server.page(reader, &path).await.map(|status| (status, ()));
        record_answer(results, name, &path, sent, &answer);
    }
}

/// Runs every client for `duration`: 80 % reads, 20 % writes. Returns the recorders and the
/// wall time.
pub async fn mixed(
    server: &Server,
    clients: Vec<MixedClient>,
    duration: Duration,
) -> Result<(Results, Duration)> {
    let started = Instant::now();
    let mut handles = Vec::new();
    for (index, mut client) in clients.into_iter().enumerate() {
        let server = server.clone();
        handles.push(tokio::spawn(async move {
            let mut results = Results::new();
            let mut rng = Rng::new(index as u64 + 101);
            let mut pending = Vec::new();
            while started.elapsed() < duration {
                if rng.chance(20) {
                    client
                        .write(&server, &mut rng, &mut pending, &mut results)
                        .await;
                } else {
                    client.read(&server, &mut rng, &mut results).await;
                }
            }
            results
        }));
    }
    let mut results = Results::new();
    for handle in handles {
        merge(&mut results, handle.await?);
    }
    Ok((results, started.elapsed()))
}

/// Central Office logins and body ids used by bulk creation.
#[derive(Debug, Clone)]
pub struct BulkSetting {
    pub office: Vec<Login>,
    pub office_body: i64,
    pub secretariat: i64,
    pub leads: Vec<i64>,
}

/// Creates `total` tasks through the API with `concurrency` clients, each in a document of its
/// own registered first.
pub async fn bulk_create(
    server: &Server,
    setting: &BulkSetting,
    total: usize,
    concurrency: usize,
) -> Result<(Results, Duration)> {
    let today = jiff::Zoned::now().date();
    let deadline = today.checked_add(jiff::Span::new().days(120))?;
    // Symbols unique to this run: the generator never issues guidance (HD) documents, and a
    // symbol number has at most six digits.
    // NOTE: two runs in one year whose start times differ by a multiple of 9,000 s collide.
    let run = jiff::Timestamp::now().as_second() % 9_000;
    let mut handles = Vec::new();
    let started = Instant::now();
    for client in 0..concurrency {
        let server = server.clone();
        let setting = setting.clone();
        let share = total / concurrency + usize::from(client < total % concurrency);
        handles.push(tokio::spawn(async move {
            let mut results = Results::new();
            let login = &setting.office[client % setting.office.len()];
            let document = json!({
                "kind": "guidance",
                "symbol": format!("{}-HD/VPTW", run * 100 + client as i64 + 1),
                "title": "Hướng dẫn thực hiện nhiệm vụ (dữ liệu đo hiệu năng)",
                "issue_date": today.to_string(),
                "signer": "Chánh Văn phòng Trung ương Đảng",
                "issuing_body": setting.office_body,
                "assigning_authority": setting.secretariat,
                "monitoring_body": setting.office_body,
                "confidentiality": "normal",
                "summary": "Văn bản tạo khi đo hiệu năng tạo nhiệm vụ hàng loạt.",
            });
            let sent = Instant::now();
            let path = "/api/v1/documents";
            let answer = server.post_json(login, path, &document).await;
            record_answer(&mut results, "create document", path, sent, &answer);
            let document_id = match answer {
                Ok((status, body)) if status.is_success() => body.get("id").and_then(Value::as_i64),
                _ => None,
            };
            let Some(document_id) = document_id else {
                return results;
            };
            for index in 0..share {
                let task = json!({
                    "content": format!("Triển khai nội dung số {} của hướng dẫn", index + 1),
                    "lead_body": setting.leads[(client + index) % setting.leads.len()],
                    "deadline": deadline.to_string(),
                });
                let sent = Instant::now();
                let path = format!("/api/v1/documents/{document_id}/tasks");
                let answer = server.post_json(login, &path, &task).await;
                record_answer(&mut results, "create task", &path, sent, &answer);
            }
            results
        }));
    }
    let mut results = Results::new();
    for handle in handles {
        merge(&mut results, handle.await?);
    }
    Ok((results, started.elapsed()))
}
