//! `theodoi-bench`: generates benchmark data sets for theodoi and drives load against a
//! running server on this machine.

mod generate;
mod load;
mod raw;
mod rng;
mod secure_key;
mod summary;

use clap::{Parser, Subcommand};

/// Benchmark tools for theodoi.
#[derive(Debug, Parser)]
#[command(name = "theodoi-bench", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Fills an empty database with a deterministic data set of --tasks tasks and writes a
    /// manifest of its logins for the load driver.
    Generate(generate::GenerateArgs),
    /// Starts theodoi serve on a generated database (127.0.0.1 only) and measures start-up,
    /// memory and every load scenario.
    Load(load::LoadArgs),
    /// Measures the limits below the server on the same disk and data: SQLite's commit rate
    /// with the server's durability settings, an index-only aggregate, and each query of the
    /// dashboard summary and the task list through the store.
    Raw(raw::RawArgs),
    /// Logs in as one generated account on a running server (127.0.0.1 only) and times single
    /// requests of the pages given, one after the other.
    Probe(load::probe::ProbeArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Generate(args) => generate::run(args).await,
            Command::Load(args) => load::run(args).await,
            Command::Raw(args) => raw::run(args).await,
            Command::Probe(args) => load::probe::run(args).await,
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
