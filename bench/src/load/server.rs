//! The server under test: a `theodoi serve` child process on 127.0.0.1, its start-up time and
//! its memory.

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `theodoi serve`.
#[derive(Debug)]
pub struct ServerProcess {
    child: Child,
    pub base: String,
    /// Time from spawning the process until `/healthz` first returned 200.
    pub startup: Duration,
}

/// Resident memory of a process, from `/proc/PID/status`, in KiB.
#[derive(Debug, Clone, Copy, Default)]
pub struct Memory {
    /// Resident set size now.
    pub rss_kib: u64,
    /// Peak resident set size since the process started.
    pub hwm_kib: u64,
}

impl ServerProcess {
    /// Starts `theodoi serve` on `port` with the database options in `database_args` and the
    /// extra `environment`, logging to `log`, and waits until `/healthz` returns 200
    /// (at most 60 s).
    pub async fn start(
        binary: &Path,
        database_args: &[String],
        environment: &[(String, String)],
        port: u16,
        log: &Path,
    ) -> Result<Self> {
        let log_file = std::fs::File::create(log)
            .with_context(|| format!("cannot create {}", log.display()))?;
        let base = format!("http://127.0.0.1:{port}");
        let probe = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()?;
        let started = Instant::now();
        let mut child = Command::new(binary)
            .arg("serve")
            .args(database_args)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .env("THEODOI_LOG", "warn")
            .envs(environment.iter().map(|(name, value)| (name, value)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .with_context(|| {
                format!(
                    "cannot start {}; build it with cargo build --release",
                    binary.display()
                )
            })?;
        loop {
            if let Ok(response) = probe.get(format!("{base}/healthz")).send().await
                && response.status().is_success()
            {
                break;
            }
            if let Some(status) = child.try_wait()? {
                bail!(
                    "theodoi serve exited with {status} before responding; see {}",
                    log.display()
                );
            }
            if started.elapsed() > Duration::from_secs(60) {
                let _ = child.kill();
                bail!(
                    "theodoi serve did not return 200 on /healthz within 60 s; see {}",
                    log.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        Ok(Self {
            startup: started.elapsed(),
            child,
            base,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn memory(&self) -> Result<Memory> {
        read_memory(self.pid())
    }

    /// Asks the server to stop (SIGTERM) and waits up to 15 s before killing it.
    pub fn stop(mut self) -> Result<()> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if self.child.try_wait()?.is_some() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        eprintln!("theodoi serve did not stop within 15 s of SIGTERM; killing it");
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

/// Reads VmRSS and VmHWM of process `pid`.
pub fn read_memory(pid: u32) -> Result<Memory> {
    let path = PathBuf::from(format!("/proc/{pid}/status"));
    let status = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|value| value.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Ok(Memory {
        rss_kib: field("VmRSS:"),
        hwm_kib: field("VmHWM:"),
    })
}
