//! Command-line definitions.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

/// theodoi: monitoring, urging and inspecting the implementation of tasks assigned by Party
/// documents, on a Vietnamese working calendar.
#[derive(Debug, Parser)]
#[command(name = "theodoi", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs the server. With no options it creates and migrates ./data/theodoi.db and listens
    /// on 127.0.0.1:8080; on an empty database it creates an administrator and prints its login.
    Serve(ServeArgs),
    /// Runs the server on a fresh demo database filled with sample documents and tasks, and
    /// prints the address and one login per role. The demo database is DIR/demo.db, removed and
    /// created anew on each run; with --database-url the database must be empty.
    Demo(DemoArgs),
    /// Creates the database if needed, applies pending migrations and loads reference data,
    /// then exits.
    Migrate(DatabaseArgs),
    /// Writes a backup of the database to FILE while servers keep running: every table as it
    /// was at one moment, in an SQLite file with theodoi's schema that restores into SQLite or
    /// PostgreSQL.
    Backup(BackupArgs),
    /// Restores a backup FILE into the database, which must be empty unless --force. The
    /// database is created (SQLite) and migrated first; a backup of an older release is
    /// upgraded on a temporary copy. Stop the servers of the database first.
    Restore(RestoreArgs),
    /// Copies every row of one installation's database into another, such as from SQLite to
    /// PostgreSQL, then compares row counts and SHA-256 hashes table by table and exits with
    /// an error on any difference. Stop the servers of both databases first.
    MigrateData(MigrateDataArgs),
    /// Checks the integrity of the database and prints a report: SQLite's own check, references
    /// between tables, event numbering, versions, and every task replayed from its events and
    /// compared with the read tables. Only reads, so it may run next to a serving process.
    /// Exits with status 1 when it finds anything or cannot read the database.
    Check(CheckArgs),
    /// The tamper-evident audit log: verify it, export a signed checkpoint, print the public
    /// key.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Vietnamese working calendar: holidays, lunar dates, due times.
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Keys of the secure zone, where Mật and Tối mật documents and tasks are kept encrypted.
    #[command(subcommand)]
    SecureZone(SecureZoneCommand),
    /// Account administration that needs no login, for an operator of the server.
    #[command(subcommand)]
    User(UserCommand),
}

/// Where the secure-zone key comes from. The key can also be given in base64 in the
/// environment variable THEODOI_SECURE_KEY (never on the command line, where other users of
/// the machine could read it); the file wins when both are set.
#[derive(Debug, Args, Clone)]
pub struct SecureKeyArgs {
    /// File holding the 32-byte key of the secure zone, raw or in base64 (create one with
    /// `theodoi secure-zone generate-key`). Without a key, Mật and Tối mật documents and tasks
    /// are refused and the rest works.
    #[arg(long, env = "THEODOI_SECURE_KEY_FILE", value_name = "PATH")]
    pub secure_key_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum SecureZoneCommand {
    /// Writes a new random key, in base64, to a new file readable only by its owner.
    GenerateKey {
        /// The key file to create; an existing file is never overwritten.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Re-encrypts every secure-zone value from the old key to the new one and recomputes the
    /// blind indexes of document symbols, in one transaction. Stop the servers first and
    /// restart them with the new key.
    RotateKey(RotateKeyArgs),
}

/// Options of `secure-zone rotate-key`.
#[derive(Debug, Args, Clone)]
pub struct RotateKeyArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// File of the key the data is encrypted with now.
    #[arg(long, value_name = "FILE")]
    pub old_key_file: PathBuf,
    /// File of the key to encrypt it with from now on.
    #[arg(long, value_name = "FILE")]
    pub new_key_file: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Removes the TOTP secret of the account USERNAME, for a user who lost their
    /// authenticator, and ends the account's sessions. At the next login the user enrols a
    /// new secret (required roles) or logs in with the password alone.
    ResetTotp {
        #[command(flatten)]
        database: DatabaseArgs,
        /// Login name of the account.
        username: String,
    },
}

/// Options of `backup`.
#[derive(Debug, Args, Clone)]
pub struct BackupArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The backup file to write; it appears only once the backup is complete.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Options of `restore`.
#[derive(Debug, Args, Clone)]
pub struct RestoreArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// The backup file written by `theodoi backup`.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Delete every row the database contains before restoring, in the same transaction.
    #[arg(long)]
    pub force: bool,
}

/// Options of `migrate-data`.
#[derive(Debug, Args, Clone)]
pub struct MigrateDataArgs {
    /// Database to copy from: sqlite://PATH or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE.
    /// It must have this release's schema (run `theodoi migrate` on it first).
    #[arg(long, value_name = "URL")]
    pub from: String,
    /// Database to copy into, in the same forms; created (SQLite) and migrated first, and it
    /// must be empty unless --force.
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// Delete every row the target contains before copying, in the same transaction.
    #[arg(long)]
    pub force: bool,
}

/// Where the data lives.
#[derive(Debug, Args, Clone)]
pub struct DatabaseArgs {
    /// Folder for the embedded SQLite database (theodoi.db for serve, migrate and check,
    /// demo.db for demo) and other files; created if missing, except by check. Not used with
    /// --database-url.
    #[arg(
        long,
        env = "THEODOI_DATA_DIR",
        value_name = "DIR",
        default_value = "data"
    )]
    pub data_dir: PathBuf,
    /// Database URL: sqlite://PATH or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE.
    /// Default: the SQLite file in the data folder.
    #[arg(long, env = "THEODOI_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
}

/// Log output format.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line, for log collectors.
    Json,
}

/// Options of a serving process.
#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address and TCP port to listen on.
    #[arg(
        long,
        env = "THEODOI_LISTEN",
        value_name = "ADDR:PORT",
        default_value = "127.0.0.1:8080"
    )]
    pub listen: SocketAddr,
    /// Minutes without a request after which a login session ends.
    #[arg(long, env = "THEODOI_SESSION_IDLE_MINUTES", value_name = "MINUTES", default_value_t = 15,
          value_parser = clap::value_parser!(u32).range(1..=1440))]
    pub session_idle_minutes: u32,
    /// Hours after login at which a session ends whatever the activity.
    #[arg(long, env = "THEODOI_SESSION_MAX_HOURS", value_name = "HOURS", default_value_t = 12,
          value_parser = clap::value_parser!(u32).range(1..=168))]
    pub session_max_hours: u32,
    /// Set it when users reach the server over HTTPS, directly or through a proxy that
    /// terminates TLS: cookies are marked Secure and responses carry Strict-Transport-Security.
    #[arg(long, env = "THEODOI_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Roles whose holders must log in with a TOTP code from an authenticator app, comma
    /// separated; an empty value requires it of nobody. Anyone may still turn codes on.
    #[arg(long, env = "THEODOI_TOTP_REQUIRED_ROLES", value_name = "ROLES",
          default_value = "administrator,central_office", value_parser = parse_roles)]
    pub totp_required_roles: RoleList,
    /// Log format on standard error.
    #[arg(long, env = "THEODOI_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    #[command(flatten)]
    pub audit_key: AuditKeyArgs,
    #[command(flatten)]
    pub secure_key: SecureKeyArgs,
    #[command(flatten)]
    pub smtp: SmtpArgs,
}

/// Where the key that signs audit checkpoints lives.
#[derive(Debug, Args, Clone)]
pub struct AuditKeyArgs {
    /// File of the Ed25519 key that signs checkpoints of the audit log (default: audit.key in
    /// the data folder). serve and demo create it when missing; every process sharing one
    /// database needs the same file. Keep it out of the database and its backups.
    #[arg(long, env = "THEODOI_AUDIT_KEY_FILE", value_name = "FILE")]
    pub audit_key_file: Option<PathBuf>,
}

impl AuditKeyArgs {
    /// The key file: the explicit one, or audit.key in the data folder.
    pub fn key_file(&self, database: &DatabaseArgs) -> PathBuf {
        self.audit_key_file
            .clone()
            .unwrap_or_else(|| database.data_dir.join("audit.key"))
    }
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Rebuilds every audit entry from the task, document and security events, rebuilds the
    /// Merkle tree, checks every stored checkpoint's signature and root, and names the first
    /// entry that was edited, deleted, inserted or reordered. Only reads. Exits with status 1
    /// when it finds anything.
    Verify(AuditVerifyArgs),
    /// Signs a checkpoint of the log as it is now and writes it to --out or standard output,
    /// for safekeeping outside the system.
    Checkpoint(AuditCheckpointArgs),
    /// Prints the public key that checks checkpoint signatures, for verifying without the
    /// signing key.
    PublicKey(AuditPublicKeyArgs),
}

/// Options of `audit verify`.
#[derive(Debug, Args, Clone)]
pub struct AuditVerifyArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub key: AuditKeyArgs,
    /// File of the public key printed by `theodoi audit public-key`; used instead of the
    /// signing key file.
    #[arg(long, value_name = "FILE")]
    pub audit_public_key: Option<PathBuf>,
    /// A checkpoint exported earlier by `theodoi audit checkpoint`; verify also proves that
    /// the current log extends it.
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,
}

/// Options of `audit checkpoint`.
#[derive(Debug, Args, Clone)]
pub struct AuditCheckpointArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub key: AuditKeyArgs,
    /// File to write the signed checkpoint to, replacing it; standard output when absent.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Options of `audit public-key`.
#[derive(Debug, Args, Clone)]
pub struct AuditPublicKeyArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub key: AuditKeyArgs,
}

/// Security of the SMTP connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SmtpTlsArg {
    /// Plain SMTP (default port 25), only for a relay on this host or a trusted network.
    Off,
    /// STARTTLS, required (default port 587).
    Starttls,
    /// TLS from the start of the connection (default port 465).
    Tls,
}

/// E-mail notification settings. Without --smtp-host the server sends no e-mail.
#[derive(Debug, Args, Clone)]
pub struct SmtpArgs {
    /// Host name of the SMTP server that sends e-mail notifications. Without it no e-mail is
    /// sent. With TLS the name must match the server's certificate, which is checked against
    /// the system's root certificates.
    #[arg(long, env = "THEODOI_SMTP_HOST", value_name = "HOST")]
    pub smtp_host: Option<String>,
    /// TCP port of the SMTP server. Default: 25 with --smtp-tls off, 587 with starttls, 465
    /// with tls.
    #[arg(long, env = "THEODOI_SMTP_PORT", value_name = "PORT",
          value_parser = clap::value_parser!(u16).range(1..))]
    pub smtp_port: Option<u16>,
    /// Security of the SMTP connection.
    #[arg(long, env = "THEODOI_SMTP_TLS", value_enum, default_value_t = SmtpTlsArg::Starttls)]
    pub smtp_tls: SmtpTlsArg,
    /// Sender address of notifications, such as theodoi@vptw.dcs.vn or
    /// "Theo dõi nhiệm vụ <theodoi@vptw.dcs.vn>". Required with --smtp-host.
    #[arg(long, env = "THEODOI_SMTP_FROM", value_name = "ADDRESS")]
    pub smtp_from: Option<String>,
    /// SMTP login name; without it the server sends without authentication.
    #[arg(long, env = "THEODOI_SMTP_USERNAME", value_name = "NAME")]
    pub smtp_username: Option<String>,
    /// SMTP password. Prefer the environment variable: a command line is visible to other
    /// users of the host.
    #[arg(
        long,
        env = "THEODOI_SMTP_PASSWORD",
        value_name = "PASSWORD",
        hide_env_values = true
    )]
    pub smtp_password: Option<String>,
    /// Address users open theodoi at, such as https://theodoi.vptw.dcs.vn; links in e-mails
    /// start with it. Default: http:// and the --listen address.
    #[arg(long, env = "THEODOI_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
}

/// Language of a report.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportLang {
    /// Vietnamese.
    Vi,
    /// English.
    En,
}

/// Options of the integrity check.
#[derive(Debug, Args, Clone)]
pub struct CheckArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Language of the report.
    #[arg(long, env = "THEODOI_LANG", value_enum, default_value_t = ReportLang::Vi)]
    pub lang: ReportLang,
    /// Without a key, classified tasks are not replayed: only their numbering and version are
    /// checked, and the report counts them.
    #[command(flatten)]
    pub secure_key: SecureKeyArgs,
}

/// Options of the demo.
#[derive(Debug, Args, Clone)]
pub struct DemoArgs {
    #[command(flatten)]
    pub serve: ServeArgs,
    /// Password of every demo login, at least 10 characters; a random one is generated and
    /// printed when absent.
    #[arg(long, env = "THEODOI_DEMO_PASSWORD", value_name = "PASSWORD")]
    pub demo_password: Option<String>,
    /// TOTP secret (base32) of every demo login whose role needs a code; a random one is
    /// generated and printed when absent.
    #[arg(long, env = "THEODOI_DEMO_TOTP_SECRET", value_name = "BASE32")]
    pub demo_totp_secret: Option<String>,
}

/// Roles named on the command line.
#[derive(Debug, Clone)]
pub struct RoleList(pub Vec<theodoi_domain::user::Role>);

/// Parses a comma-separated list of role names; an empty text is an empty list.
fn parse_roles(value: &str) -> Result<RoleList, String> {
    use theodoi_domain::user::Role;
    let mut roles = Vec::new();
    for name in value
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
    {
        let role = Role::parse(name).ok_or_else(|| {
            let names: Vec<&str> = Role::ALL.iter().map(|role| role.as_str()).collect();
            format!(
                "unknown role {name:?}; expected some of {}",
                names.join(", ")
            )
        })?;
        roles.push(role);
    }
    Ok(RoleList(roles))
}

#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Prints the built-in days off and make-up working days of a year: every weekday off and
    /// every weekend working day.
    Holidays {
        /// Gregorian year, 1900–2199.
        year: i32,
        /// Print JSON: [{"date", "name", "kind"}], kind one of holiday, compensatory, swapped,
        /// makeup_workday.
        #[arg(long)]
        json: bool,
    },
    /// Converts a date to the Vietnamese lunar calendar (computed for UTC+7).
    Lunar {
        /// Date as YYYY-MM-DD, 1900–2199.
        date: String,
        /// Print JSON: {"day", "month", "year", "leap"}.
        #[arg(long)]
        json: bool,
    },
    /// Prints the due instant (RFC 3339 at +07:00) of a timer on the built-in calendar.
    #[command(group(clap::ArgGroup::new("amount").required(true).args(["working_hours", "working_days"])))]
    Due {
        /// Start instant, RFC 3339 with any offset, such as 2026-02-13T09:00:00+07:00.
        start: String,
        /// Working hours from the start (a start outside working time counts from the next
        /// working moment; lunch breaks do not count).
        #[arg(
            long,
            value_name = "N",
            conflicts_with = "working_days",
            required_unless_present = "working_days"
        )]
        working_hours: Option<u32>,
        /// Working days after the start's date; due at the end of the working hours of the
        /// N-th working day.
        #[arg(long, value_name = "N")]
        working_days: Option<u32>,
        /// Working periods of a day, such as "08:00-12:00,13:30-17:00" (default
        /// "08:00-12:00,13:00-17:00").
        #[arg(long, value_name = "PERIODS")]
        hours: Option<String>,
    },
}
