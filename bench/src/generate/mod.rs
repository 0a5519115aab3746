//! `theodoi-bench generate`: a realistic, deterministic data set of any size, written through
//! the store's event and read-model code in large transactions.
//!
//! Every count scales with `--tasks`: at 1,000,000 tasks there are about 5,000 bodies (the real
//! tree of the seed data plus generated units), 50,000 accounts and 100,000 documents. Task
//! histories are made by the domain's own commands at instants spread over the past up to
//! "now", so the result states and obligations are those the server derives.

mod bodies;
mod documents;
mod histories;
pub(crate) mod people;
mod summary;

use crate::rng::Rng;
use anyhow::{Context as _, Result, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use std::path::PathBuf;
use theodoi_calendar::WorkingCalendar;
use theodoi_domain::catalogue::Catalogues;
use theodoi_domain::ids::OrgId;
use theodoi_domain::org::{OrgCategory, OrgTree};
use theodoi_store::{Store, redact, sqlite_url};

/// Options of `generate`.
#[derive(Debug, Args, Clone)]
pub struct GenerateArgs {
    /// Folder for the embedded SQLite database (theodoi.db) and the manifest; created if
    /// missing. The database URL is ignored here when --database-url is given.
    #[arg(
        long,
        env = "THEODOI_DATA_DIR",
        value_name = "DIR",
        default_value = "data"
    )]
    pub data_dir: PathBuf,
    /// Database URL: sqlite://PATH or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE. The
    /// database must hold no accounts yet. Default: the SQLite file in the data folder.
    #[arg(long, env = "THEODOI_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// Number of tasks; every other count scales with it.
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    pub tasks: u64,
    /// Seed of the random choices: the same seed and size give the same data set.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,
    /// Password of every generated account (at least 10 characters).
    #[arg(long, value_name = "PASSWORD", default_value = "bench-password")]
    pub password: String,
    /// Tasks per transaction.
    #[arg(long, value_name = "N", default_value_t = 5_000)]
    pub batch: u64,
    /// File for the list of generated logins that the load driver reads. Default:
    /// DIR/bench-manifest.json.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
}

/// How many of each thing a data set of `tasks` tasks has.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Scale {
    pub tasks: u64,
    pub documents: u64,
    pub bodies: u64,
    pub users: u64,
}

impl Scale {
    pub fn for_tasks(tasks: u64) -> Self {
        Self {
            tasks,
            documents: (tasks / 10).max(1),
            bodies: (tasks / 200).max(100),
            users: (tasks / 20).max(300),
        }
    }
}

/// Logins and ids of a generated data set, for the load driver.
#[derive(Debug, Serialize)]
pub struct Manifest {
    pub seed: u64,
    pub scale: Scale,
    pub generated_at: Timestamp,
    pub password: String,
    pub first_document_id: i64,
    pub last_document_id: i64,
    /// Id of the Central Party Office (VPTW), which monitors every generated document.
    pub office_body_id: i64,
    /// Id of the Secretariat (BBT), an assigning authority.
    pub secretariat_id: i64,
    pub logins: people::Logins,
}

impl GenerateArgs {
    pub fn url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| sqlite_url(&self.data_dir))
    }

    fn manifest_path(&self) -> PathBuf {
        self.manifest
            .clone()
            .unwrap_or_else(|| self.data_dir.join("bench-manifest.json"))
    }
}

fn org_id(tree: &OrgTree, code: &str) -> Result<i64> {
    tree.by_code(code)
        .map(|org| org.id.0)
        .with_context(|| format!("the seed data has no {code}"))
}

fn progress_bar(length: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(length);
    let template = format!(
        "{what:<10} [{{elapsed_precise}}] {{bar:40}} {{human_pos}}/{{human_len}} ({{per_sec}}, {{eta}} left)"
    );
    bar.set_style(
        ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

pub async fn run(args: GenerateArgs) -> Result<()> {
    theodoi_domain::user::check_password("password", &args.password)
        .map_err(|error| anyhow::anyhow!("--password: {error}"))?;
    if args.tasks == 0 || args.batch == 0 {
        bail!("--tasks and --batch must be at least 1");
    }
    let url = args.url();
    let started = std::time::Instant::now();
    let store = Store::open(&url)
        .await
        .with_context(|| format!("cannot open database {}", redact(&url)))?
        .with_secure_key(crate::secure_key::load_or_create(&args.data_dir)?);
    let now = Timestamp::now();
    store.seed(now).await?;
    if !store.users(None).await?.is_empty() {
        bail!(
            "the database {} already contains accounts; generate needs an empty database (remove the file or create a new database)",
            redact(&url)
        );
    }
    let scale = Scale::for_tasks(args.tasks);
    let calendar = store.calendar_overrides().await?.calendar();
    let catalogues = Catalogues::new(
        store
            .catalogue_entries()
            .await?
            .into_iter()
            .map(|stored| stored.entry),
    );
    let mut tree = OrgTree::new(store.organisations().await?);
    // Bodies and accounts exist before the oldest document.
    let founded = now - SignedDuration::from_hours(24 * (documents::HISTORY_DAYS + 30));

    let units = bodies::add_units(&store, &mut tree, scale.bodies as usize, founded).await?;
    eprintln!("bodies: {} ({} generated units)", tree.len(), units.len());
    let password_hash = theodoi_server::auth::password::hash(&args.password);
    let people =
        people::add_users(&store, &tree, scale.users as usize, &password_hash, founded).await?;
    eprintln!(
        "accounts: {}",
        scale.users.max(people.logins.teams.len() as u64)
    );
    let enrolled = people::enrol_totp(&store, &people.logins, founded).await?;
    eprintln!("accounts with a TOTP secret: {enrolled}");

    let leads: Vec<OrgId> = tree
        .iter()
        .filter(|org| {
            people::takes_tasks(org)
                && org.category != OrgCategory::SubordinateUnit
                && org.code != "VPTW"
        })
        .map(|org| org.id)
        .collect();
    let setting = histories::Setting {
        calendar: &calendar,
        orgs: &tree,
        catalogues: &catalogues,
        now,
    };
    let bar = progress_bar(scale.tasks, "tasks");
    let range = documents::write_all(
        &store,
        &setting,
        &people,
        &leads,
        scale,
        args.batch,
        &mut Rng::new(args.seed),
        args.seed,
        &bar,
    )
    .await?;
    bar.finish();
    // The tasks were written over many simulated months, each judged on the first command's
    // day. A server re-judges them on its first scheduler tick, and until then every reader
    // corrects them all, so the data set starts judged on its own day, as a running
    // installation's would be.
    let today = theodoi_calendar::local_date(now);
    store.advance_task_counts_pivot(today).await?;
    // The server extends the schedules of open-ended tasks every hour. Histories end at `now`
    // without that, so the first server start would extend tens of thousands of schedules
    // while it is measured.
    let extended = extend_schedules(&store, &calendar, now).await?;
    eprintln!("open-ended schedules extended: {extended}");

    let manifest = Manifest {
        seed: args.seed,
        scale,
        generated_at: now,
        password: args.password.clone(),
        first_document_id: range.0,
        last_document_id: range.1,
        office_body_id: org_id(&tree, "VPTW")?,
        secretariat_id: org_id(&tree, "BBT")?,
        logins: people.logins,
    };
    let path = args.manifest_path();
    if let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest)?)
        .with_context(|| format!("cannot write {}", path.display()))?;
    store.close().await;
    eprintln!("manifest: {}", path.display());
    summary::print(&url, now).await?;
    eprintln!("generated in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Extends the schedule of every open-ended task that the server's hourly job would extend at
/// `now`, as that job does. Returns how many changed.
async fn extend_schedules(
    store: &Store,
    calendar: &WorkingCalendar,
    now: Timestamp,
) -> Result<usize> {
    let threshold = theodoi_domain::schedule::refill_threshold(now);
    let mut changed = 0;
    for id in store.open_ended_task_ids(threshold).await? {
        let committed = store
            .execute(id, None, |task, _| {
                Ok(task.extend_schedule(calendar, now).into_iter().collect())
            })
            .await?;
        if !committed.events.is_empty() {
            changed += 1;
        }
    }
    Ok(changed)
}
