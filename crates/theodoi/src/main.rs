//! The `theodoi` command.

mod audit_cmd;
mod audit_key;
mod calendar_cmd;
mod check_cmd;
mod cli;
mod mail_args;
mod messages;
mod progress;
mod secure_cmd;
mod serve_cmd;
mod transfer_cmd;
mod user_cmd;

use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;

// Each password check fills a 19 MiB buffer. glibc's malloc raises its mmap threshold once such
// a block is freed, so later buffers came from the heap and stayed resident. With glibc the
// server held 516 MiB after the 104 logins of `theodoi-bench load` at 100,000 tasks. mimalloc
// gives freed memory back to the operating system, see docs/benchmarks.md for the figures.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Errors go out as one line with their causes; a backtrace helps developers, not users.
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check(args) => {
            // The report goes to standard output; log lines would interleave with it.
            let clean = runtime()?.block_on(check_cmd::check(args))?;
            return Ok(if clean {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            });
        }
        Command::Audit(command) => return run_audit(command),
        Command::Calendar(command) => calendar_cmd::run(command),
        Command::SecureZone(command) => runtime()?.block_on(secure_cmd::run(command)),
        Command::Serve(args) => {
            serve_cmd::init_logging(args.log_format);
            runtime()?.block_on(serve_cmd::serve(args))
        }
        Command::Demo(args) => {
            serve_cmd::init_logging(args.serve.log_format);
            runtime()?.block_on(serve_cmd::demo(args))
        }
        Command::Backup(args) => {
            serve_cmd::init_logging(cli::LogFormat::Text);
            runtime()?.block_on(transfer_cmd::backup(args))
        }
        Command::Restore(args) => {
            serve_cmd::init_logging(cli::LogFormat::Text);
            runtime()?.block_on(transfer_cmd::restore(args))
        }
        Command::MigrateData(args) => {
            serve_cmd::init_logging(cli::LogFormat::Text);
            runtime()?.block_on(transfer_cmd::migrate_data(args))
        }
        Command::User(command) => {
            serve_cmd::init_logging(cli::LogFormat::Text);
            runtime()?.block_on(user_cmd::run(command))
        }
        Command::Migrate(args) => {
            serve_cmd::init_logging(cli::LogFormat::Text);
            runtime()?.block_on(serve_cmd::migrate(args))
        }
    }?;
    Ok(ExitCode::SUCCESS)
}

fn run_audit(command: cli::AuditCommand) -> anyhow::Result<ExitCode> {
    match command {
        cli::AuditCommand::Verify(args) => {
            let intact = runtime()?.block_on(audit_cmd::verify(args))?;
            Ok(if intact {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        cli::AuditCommand::Checkpoint(args) => {
            runtime()?.block_on(audit_cmd::checkpoint(args))?;
            Ok(ExitCode::SUCCESS)
        }
        cli::AuditCommand::PublicKey(args) => {
            audit_cmd::public_key(args)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
}
