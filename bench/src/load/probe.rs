//! `theodoi-bench probe`: one request at a time against a server that is already running, to
//! see what a single page costs without concurrency. Prints each request's time and size.

use super::client::Server;
use anyhow::{Context, Result, bail};
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

/// Options of `probe`.
#[derive(Debug, Args, Clone)]
pub struct ProbeArgs {
    /// Address of the running server, on this machine.
    #[arg(long, value_name = "URL", default_value = "http://127.0.0.1:18080")]
    pub base: String,
    /// Folder of the generated data set, whose manifest contains the password.
    #[arg(
        long,
        env = "THEODOI_DATA_DIR",
        value_name = "DIR",
        default_value = "data"
    )]
    pub data_dir: PathBuf,
    /// The generated account to log in as.
    #[arg(long, value_name = "USERNAME")]
    pub user: String,
    /// A page to request, such as /inbox or "/tasks?breached=true"; may be repeated.
    #[arg(long = "path", value_name = "PATH", required = true)]
    pub paths: Vec<String>,
    /// Requests of each page, one after the other.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub repeat: usize,
}

pub async fn run(args: ProbeArgs) -> Result<()> {
    let base = args.base.trim_end_matches('/');
    let host = reqwest::Url::parse(base)
        .with_context(|| format!("--base {base} is not a URL"))?
        .host_str()
        .map(str::to_owned);
    if !matches!(host.as_deref(), Some("127.0.0.1" | "localhost" | "[::1]")) {
        bail!("--base must be a server on this machine (127.0.0.1 or localhost), not {base}");
    }
    let manifest = args.data_dir.join("bench-manifest.json");
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&manifest).with_context(|| format!("cannot read {}", manifest.display()))?,
    )?;
    let password = manifest["password"]
        .as_str()
        .context("the manifest has no password")?;

    let server = Server::new(base, 1)?;
    let login = server.login(&args.user, password).await?;
    for path in &args.paths {
        for round in 1..=args.repeat {
            let sent = Instant::now();
            let (status, bytes) = server.page_size(&login, path).await?;
            let ms = sent.elapsed().as_secs_f64() * 1000.0;
            println!(
                "{path}  #{round}  {status}  {ms:.1} ms  {:.0} KB",
                bytes as f64 / 1000.0
            );
        }
    }
    Ok(())
}
