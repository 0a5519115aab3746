//! `theodoi-bench load`: starts `theodoi serve` on a generated database, on 127.0.0.1 only, and
//! measures start-up, memory and each scenario: dashboard summary, filtered list and task page
//! alone, the mixed workload, live fan-out and bulk task creation.

mod client;
mod fanout;
pub mod probe;
mod scenarios;
mod server;
pub mod stats;

use crate::summary;
use anyhow::{Context, Result, bail};
use clap::Args;
use client::{Login, Server, login_all};
use scenarios::{BulkSetting, MixedClient, ReadKind, Results};
use serde::Deserialize;
use server::ServerProcess;
use std::path::PathBuf;
use std::time::Duration;
use summary::{Figure, RawLimits, Row};

/// Options of `load`.
#[derive(Debug, Args, Clone)]
pub struct LoadArgs {
    /// The theodoi binary to start.
    #[arg(long, value_name = "FILE", default_value = "target/release/theodoi")]
    pub theodoi: PathBuf,
    /// Folder of the generated SQLite database and manifest.
    #[arg(
        long,
        env = "THEODOI_DATA_DIR",
        value_name = "DIR",
        default_value = "data"
    )]
    pub data_dir: PathBuf,
    /// Database URL of the generated data set, when it is not the SQLite file in the data
    /// folder.
    #[arg(long, env = "THEODOI_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// Manifest written by `generate`. Default: DIR/bench-manifest.json.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// TCP port on 127.0.0.1 for the server under test.
    #[arg(long, default_value_t = 18080)]
    pub port: u16,
    /// Seconds each timed scenario runs.
    #[arg(long, value_name = "SECONDS", default_value_t = 20)]
    pub duration: u64,
    /// Concurrent clients of the mixed scenario.
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub clients: usize,
    /// Concurrent clients of the scenarios that request one kind of page.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub read_clients: usize,
    /// Open event streams of the fan-out scenario.
    #[arg(long, value_name = "N", default_value_t = 1_000)]
    pub streams: usize,
    /// Tasks created by the bulk creation scenario.
    #[arg(long, value_name = "N", default_value_t = 2_000)]
    pub bulk_tasks: usize,
    /// Environment variable for the server process, as NAME=VALUE, such as
    /// MALLOC_ARENA_MAX=2; may be repeated.
    #[arg(long, value_name = "NAME=VALUE")]
    pub server_env: Vec<String>,
    /// Check that every scenario works (some requests, no errors) instead of judging timings;
    /// exits with an error otherwise.
    #[arg(long)]
    pub smoke: bool,
}

#[derive(Debug, Deserialize)]
struct Manifest {
    password: String,
    office_body_id: i64,
    secretariat_id: i64,
    logins: Logins,
}

#[derive(Debug, Deserialize)]
struct Logins {
    central_office: Vec<String>,
    monitoring_officers: Vec<String>,
    leaders: Vec<String>,
    teams: Vec<Team>,
}

#[derive(Debug, Clone, Deserialize)]
struct Team {
    body_id: i64,
    top_level: bool,
    updaters: Vec<String>,
    approvers: Vec<String>,
}

/// Smoke-mode verdicts collected over the run.
#[derive(Debug, Default)]
struct Checks {
    failures: Vec<String>,
}

impl Checks {
    fn results(&mut self, scenario: &str, results: &Results) {
        for recorder in results.values() {
            self.recorder(scenario, recorder);
        }
        if results.is_empty() {
            self.failures
                .push(format!("{scenario}: no request was made"));
        }
    }

    fn recorder(&mut self, scenario: &str, recorder: &stats::Recorder) {
        if recorder.errors > 0 {
            self.failures.push(format!(
                "{scenario}: {} failed requests of {}",
                recorder.errors, recorder.name
            ));
        }
        if recorder.count() == 0 {
            self.failures.push(format!(
                "{scenario}: no successful request of {}",
                recorder.name
            ));
        }
    }
}

/// Whether a scenario's latencies can meet a target: some requests succeeded and none failed,
/// so that a run where every request timed out never reads as met.
fn clean(recorder: &stats::Recorder) -> bool {
    recorder.count() > 0 && recorder.errors == 0
}

fn heading(text: &str) {
    println!("\n== {text}");
}

fn report_all(results: &Results, wall: Duration) {
    for recorder in results.values() {
        recorder.report(wall, None);
    }
}

fn total(results: &Results) -> stats::Recorder {
    let mut all = stats::Recorder::new("all requests");
    for recorder in results.values() {
        all.merge(recorder);
    }
    all
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// Returns "N req/s, p50 … p95 … p99 … ms" with the failed requests, if any.
fn describe(recorder: &stats::Recorder, wall: Duration, unit: &str) -> String {
    let figure = Figure::of(recorder, wall);
    let errors = if recorder.errors > 0 {
        format!(", {} failed", recorder.errors)
    } else {
        String::new()
    };
    format!(
        "{:.1} {unit}/s, p50 {:.1} / p95 {:.1} / p99 {:.1} ms{errors}",
        figure.rate, figure.p50_ms, figure.p95_ms, figure.p99_ms
    )
}

fn memory_line(label: &str, memory: server::Memory) {
    let peak = mib(memory.hwm_kib);
    println!(
        "memory {label:<22} VmRSS {:>7.1} MiB  VmHWM {peak:>7.1} MiB  target peak ≤ 200 MiB: {}",
        mib(memory.rss_kib),
        if peak <= 200.0 { "met" } else { "MISSED" }
    );
}

pub async fn run(args: LoadArgs) -> Result<()> {
    let manifest_path = args
        .manifest
        .clone()
        .unwrap_or_else(|| args.data_dir.join("bench-manifest.json"));
    let manifest: Manifest =
        serde_json::from_slice(&std::fs::read(&manifest_path).with_context(|| {
            format!(
                "cannot read {}; run theodoi-bench generate first",
                manifest_path.display()
            )
        })?)
        .with_context(|| format!("invalid manifest {}", manifest_path.display()))?;
    let mut database_args = match &args.database_url {
        Some(url) => vec!["--database-url".to_owned(), url.clone()],
        None => vec!["--data-dir".to_owned(), args.data_dir.display().to_string()],
    };
    crate::secure_key::load_or_create(&args.data_dir)?;
    database_args.extend([
        "--secure-key-file".to_owned(),
        crate::secure_key::path(&args.data_dir)
            .display()
            .to_string(),
    ]);
    let log = args.data_dir.join("bench-server.log");
    let mut checks = Checks::default();
    let raw = RawLimits::load(&args.data_dir)?.unwrap_or_default();
    let mut rows = Vec::new();

    heading("start-up");
    let mut environment = Vec::new();
    for pair in &args.server_env {
        let Some((name, value)) = pair.split_once('=') else {
            bail!("--server-env {pair} is invalid; write NAME=VALUE");
        };
        environment.push((name.to_owned(), value.to_owned()));
    }
    let process =
        ServerProcess::start(&args.theodoi, &database_args, &environment, args.port, &log).await?;
    let startup_ms = process.startup.as_secs_f64() * 1_000.0;
    println!(
        "start-up until /healthz 200: {startup_ms:.0} ms  target ≤ 1000 ms: {}",
        if startup_ms <= 1_000.0 {
            "met"
        } else {
            "MISSED"
        }
    );
    rows.push(Row {
        measure: "start-up until /healthz 200".to_owned(),
        figure: format!("{startup_ms:.0} ms"),
        target: "≤ 1 s".to_owned(),
        raw: "-".to_owned(),
        met: Some(startup_ms <= 1_000.0),
    });
    tokio::time::sleep(Duration::from_secs(1)).await;
    memory_line("idle", process.memory()?);

    let outcome = measure(&args, &manifest, &process, &mut checks, &raw, &mut rows).await;
    let memory = process.memory()?;
    memory_line("at the end", memory);
    process.stop()?;
    outcome?;
    rows.push(Row {
        measure: "resident memory, peak (VmHWM)".to_owned(),
        figure: format!("{:.0} MiB", mib(memory.hwm_kib)),
        target: "≤ 200 MiB".to_owned(),
        raw: "-".to_owned(),
        met: Some(mib(memory.hwm_kib) <= 200.0),
    });
    summary::print(&rows);
    if args.smoke {
        if !checks.failures.is_empty() {
            for failure in &checks.failures {
                eprintln!("smoke check failed: {failure}");
            }
            bail!("{} smoke checks failed", checks.failures.len());
        }
        println!("\nsmoke: every scenario ran without errors");
    }
    Ok(())
}

async fn measure(
    args: &LoadArgs,
    manifest: &Manifest,
    process: &ServerProcess,
    checks: &mut Checks,
    raw: &RawLimits,
    rows: &mut Vec<Row>,
) -> Result<()> {
    let server = Server::new(&process.base, args.clients * 2)?;
    let duration = Duration::from_secs(args.duration);
    let password = &manifest.password;
    let logins = &manifest.logins;

    heading("logins");
    let leaders = login_all(&server, &logins.leaders, password).await?;
    let office = login_all(
        &server,
        &logins.central_office[..logins.central_office.len().min(10)],
        password,
    )
    .await?;
    let monitor = server
        .login(&logins.monitoring_officers[0], password)
        .await?;
    let clients = mixed_clients(&server, manifest, &leaders, args.clients).await?;
    println!(
        "{} leaders, {} office officers, {} mixed clients logged in",
        leaders.len(),
        office.len(),
        clients.len()
    );
    // Password hashing takes about 19 MiB per login in progress, so memory is shown apart here.
    memory_line("after logins", process.memory()?);
    let sample_tasks: Vec<i64> = clients
        .iter()
        .flat_map(|client| client.running.iter().copied())
        .collect();
    if sample_tasks.is_empty() {
        bail!("no running task found for the mixed clients; is the data set generated?");
    }

    for (kind, target_ms, label, limit) in [
        (
            ReadKind::Dashboard,
            50.0,
            "dashboard summary alone",
            raw.dashboard(),
        ),
        (
            ReadKind::FilteredList,
            30.0,
            "filtered list alone",
            raw.list(),
        ),
        (ReadKind::TaskPage, 20.0, "task page alone", raw.task_page()),
    ] {
        heading(&format!(
            "{label}, {} clients, {} s",
            args.read_clients, args.duration
        ));
        let (results, wall) = scenarios::read_only(
            &server,
            &leaders,
            &sample_tasks,
            kind,
            args.read_clients,
            duration,
        )
        .await?;
        for recorder in results.values() {
            let p95 = recorder.millis(0.95);
            let met = clean(recorder) && p95 <= target_ms;
            recorder.report(wall, Some((&format!("p95 ≤ {target_ms} ms"), met)));
            rows.push(Row {
                measure: format!("{label}, {} clients", args.read_clients),
                figure: describe(recorder, wall, "req"),
                target: format!("p95 ≤ {target_ms} ms"),
                raw: limit.clone(),
                met: Some(met),
            });
        }
        checks.results(label, &results);
    }
    memory_line("after pages alone", process.memory()?);

    heading(&format!(
        "mixed, {} clients, 80 % reads / 20 % writes, {} s",
        clients.len(),
        args.duration
    ));
    let (results, wall) = scenarios::mixed(&server, clients, duration).await?;
    report_all(&results, wall);
    let all = total(&results);
    let rate = all.count() as f64 / wall.as_secs_f64();
    let p99 = all.millis(0.99);
    let met = clean(&all) && rate >= 1_500.0 && p99 <= 200.0;
    all.report(wall, Some(("≥ 1500 req/s and p99 ≤ 200 ms", met)));
    rows.push(Row {
        measure: format!("mixed, {} clients, 20 % writes", args.clients),
        figure: describe(&all, wall, "req"),
        target: "≥ 1,500 req/s, p99 ≤ 200 ms".to_owned(),
        raw: raw.commits(),
        met: Some(met),
    });
    memory_line("after mixed", process.memory()?);
    checks.results("mixed", &results);

    heading(&format!(
        "live fan-out, {} streams, one change",
        args.streams
    ));
    let (recorder, wall) =
        fanout::fan_out(&server, &leaders, &monitor, sample_tasks[0], args.streams).await?;
    let p99 = recorder.millis(0.99);
    let met = clean(&recorder) && p99 <= 250.0;
    recorder.report(wall, Some(("p99 ≤ 250 ms", met)));
    rows.push(Row {
        measure: format!("live fan-out, {} streams", args.streams),
        figure: describe(&recorder, wall, "delivery"),
        target: "p99 ≤ 250 ms".to_owned(),
        raw: "-".to_owned(),
        met: Some(met),
    });
    checks.recorder("fan-out", &recorder);

    heading(&format!(
        "bulk creation of {} tasks, 10 clients",
        args.bulk_tasks
    ));
    let setting = BulkSetting {
        office,
        office_body: manifest.office_body_id,
        secretariat: manifest.secretariat_id,
        leads: logins
            .teams
            .iter()
            .filter(|team| team.top_level)
            .map(|team| team.body_id)
            .collect(),
    };
    let (results, wall) = scenarios::bulk_create(&server, &setting, args.bulk_tasks, 10).await?;
    report_all(&results, wall);
    rows.push(Row {
        measure: format!("bulk creation of {} tasks, 10 clients", args.bulk_tasks),
        figure: describe(&total(&results), wall, "task"),
        target: "-".to_owned(),
        raw: raw.commits(),
        met: None,
    });
    checks.results("bulk creation", &results);
    Ok(())
}

/// Logs in the focal officers of the top-level bodies, one pair per client, and finds the
/// tasks each client writes to. Every tenth client reads as a leader, whose scope is everything.
async fn mixed_clients(
    server: &Server,
    manifest: &Manifest,
    leaders: &[Login],
    count: usize,
) -> Result<Vec<MixedClient>> {
    let teams: Vec<&Team> = manifest
        .logins
        .teams
        .iter()
        .filter(|team| team.top_level)
        .collect();
    if teams.is_empty() {
        bail!("the manifest lists no top-level body");
    }
    let mut pairs = Vec::with_capacity(count);
    for index in 0..count {
        let team = teams[index % teams.len()];
        let round = index / teams.len();
        let updater = team.updaters[round % team.updaters.len()].clone();
        let approver = team.approvers[round % team.approvers.len()].clone();
        pairs.push((team.clone(), round, updater, approver));
    }
    let usernames: Vec<String> = pairs
        .iter()
        .flat_map(|(_, _, updater, approver)| [updater.clone(), approver.clone()])
        .collect();
    let logins = login_all(server, &usernames, &manifest.password).await?;
    let mut clients = Vec::with_capacity(count);
    for (index, ((team, round, _, _), pair)) in pairs.iter().zip(logins.chunks(2)).enumerate() {
        let sharing = count / teams.len() + usize::from(index % teams.len() < count % teams.len());
        let sharing = sharing.max(1);
        let pick = |ids: Vec<i64>| -> Vec<i64> {
            ids.into_iter()
                .enumerate()
                .filter(|(position, _)| position % sharing == round % sharing)
                .map(|(_, id)| id)
                .collect()
        };
        let base = format!(
            "lead_body={}&confidentiality=normal&subtasks=false",
            team.body_id
        );
        let running = server
            .task_ids(
                &pair[0],
                &format!("{base}&status=in_progress"),
                200 * sharing,
            )
            .await?;
        let awaiting = server
            .task_ids(
                &pair[0],
                &format!("{base}&status=awaiting_receipt"),
                50 * sharing,
            )
            .await?;
        let reader = if index % 10 == 0 && !leaders.is_empty() {
            leaders[index / 10 % leaders.len()].clone()
        } else {
            pair[0].clone()
        };
        clients.push(MixedClient {
            reader,
            updater: pair[0].clone(),
            approver: pair[1].clone(),
            running: pick(running),
            awaiting: pick(awaiting),
        });
    }
    Ok(clients)
}
