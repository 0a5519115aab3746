//! Live fan-out: many open event streams, one change, and the time until every stream has it.

use super::client::{Login, Server};
use super::stats::Recorder;
use anyhow::{Context, Result, bail};
use futures::StreamExt;
use reqwest::header::COOKIE;
use serde_json::json;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// How long a stream waits for the change before it counts as an error.
const WAIT: Duration = Duration::from_secs(30);

/// Opens `streams` event streams with the `readers`' sessions, then has `monitor` urge
/// `task`, and records for each stream the time from sending the change until the stream
/// delivered it.
pub async fn fan_out(
    server: &Server,
    readers: &[Login],
    monitor: &Login,
    task: i64,
    streams: usize,
) -> Result<(Recorder, Duration)> {
    let trigger: Arc<OnceLock<Instant>> = Arc::new(OnceLock::new());
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<Result<()>>(streams);
    let expected = format!("data: {task}\n");
    let mut handles = Vec::with_capacity(streams);
    // Every stream needs a connection of its own; a separate client keeps them out of the pool
    // that the other scenarios share.
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()?;
    for index in 0..streams {
        let login = readers[index % readers.len()].clone();
        let url = server.url("/events");
        let http = http.clone();
        let trigger = trigger.clone();
        let ready = ready_tx.clone();
        let expected = expected.clone();
        handles.push(tokio::spawn(async move {
            let response = match http.get(&url).header(COOKIE, &login.cookie).send().await {
                Ok(response) if response.status().is_success() => response,
                Ok(response) => {
                    let _ = ready
                        .send(Err(anyhow::anyhow!(
                            "GET /events returned {}",
                            response.status()
                        )))
                        .await;
                    return None;
                }
                Err(error) => {
                    let _ = ready.send(Err(error.into())).await;
                    return None;
                }
            };
            let _ = ready.send(Ok(())).await;
            let mut body = response.bytes_stream();
            let mut buffer = String::new();
            let deadline = tokio::time::Instant::now() + WAIT + Duration::from_secs(60);
            loop {
                let chunk = match tokio::time::timeout_at(deadline, body.next()).await {
                    Ok(Some(Ok(chunk))) => chunk,
                    _ => return None,
                };
                buffer.push_str(&String::from_utf8_lossy(&chunk));
                if buffer.contains(&expected) {
                    let sent = *trigger.get()?;
                    return Some(sent.elapsed());
                }
                // Keep only the tail, which may hold the start of the expected line.
                if buffer.len() > 4_096 {
                    buffer = buffer.split_off(buffer.len() - 64);
                }
            }
        }));
        // Open streams in waves so the server's accept queue does not overflow.
        if index % 50 == 49 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    drop(ready_tx);
    let mut opened = 0;
    while let Some(result) = ready_rx.recv().await {
        result.context("open an event stream")?;
        opened += 1;
        if opened == streams {
            break;
        }
    }
    if opened < streams {
        bail!("only {opened} of {streams} event streams opened");
    }
    // Let the server register every subscriber before the change.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let started = Instant::now();
    let _ = trigger.set(started);
    let body = json!({"channel": "system", "reason": "Đề nghị cập nhật tiến độ (đo hiệu năng)"});
    let (status, answer) = server
        .post_json(monitor, &format!("/api/v1/tasks/{task}/urgings"), &body)
        .await?;
    if !status.is_success() {
        bail!("the change for the fan-out (urging task {task}) failed with {status}: {answer}");
    }
    let mut recorder = Recorder::new("fan-out delivery");
    let deadline = tokio::time::Instant::now() + WAIT;
    for mut handle in handles {
        match tokio::time::timeout_at(deadline, &mut handle).await {
            Ok(Ok(Some(elapsed))) => recorder.record(elapsed),
            Ok(_) => recorder.errors += 1,
            Err(_) => {
                handle.abort();
                recorder.errors += 1;
            }
        }
    }
    Ok((recorder, started.elapsed()))
}
