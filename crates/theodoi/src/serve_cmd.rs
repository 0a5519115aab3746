//! `theodoi serve`, `theodoi demo` and `theodoi migrate`.

use crate::cli::{DatabaseArgs, DemoArgs, LogFormat, ServeArgs};
use anyhow::{Context, Result};
use jiff::SignedDuration;
use std::sync::Arc;
use theodoi_server::{ServerConfig, SystemClock};
use theodoi_store::{SecureKey, Store, redact, sqlite_url};
use tokio::net::TcpListener;

pub fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("THEODOI_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    use std::io::IsTerminal;
    // Colour codes only for a person at a terminal, never in a log file.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

impl DatabaseArgs {
    /// The database URL: the explicit one, or the SQLite file in the data folder.
    pub fn url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| sqlite_url(&self.data_dir))
    }
}

fn config(args: &ServeArgs, url: String) -> Result<ServerConfig> {
    let mut config = ServerConfig::new(url);
    let key_file = args.audit_key.key_file(&args.database);
    config.audit_signer = Some(Arc::new(crate::audit_key::load_or_create_signer(
        &key_file,
    )?));
    config.secure_key = args.secure_key.load()?;
    config.mail = args.smtp.mail_config(args.listen)?;
    config.session_idle = SignedDuration::from_mins(i64::from(args.session_idle_minutes));
    config.session_absolute = SignedDuration::from_hours(i64::from(args.session_max_hours));
    config.secure_cookies = args.secure_cookies;
    config.totp_required_roles = args.totp_required_roles.0.clone();
    Ok(config)
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                .expect("install SIGTERM handler");
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
    tracing::info!("shutting down");
}

async fn bind(address: std::net::SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(address)
        .await
        .with_context(|| format!("cannot listen on {address}; is another server using that port?"))
}

pub async fn serve(args: ServeArgs) -> Result<()> {
    let url = args.database.url();
    let settings = config(&args, url.clone())?;
    // Take the port first: a server that cannot listen must not create a database or an
    // administrator on its way out.
    let listener = bind(args.listen).await?;
    let address = listener.local_addr()?;
    tracing::info!(database = %redact(&url), "opening database");
    if let Some(mail) = &settings.mail {
        tracing::info!(smtp.host = %mail.host, smtp.port = mail.port, smtp.tls = mail.tls.as_str(), "e-mail notifications on");
    }
    let state = theodoi_server::state(settings, Arc::new(SystemClock))
        .await
        .with_context(|| format!("cannot open database {}", redact(&url)))?;
    if let Some(admin) = theodoi_server::bootstrap::ensure_admin(&state).await? {
        println!(
            "Tài khoản quản trị đầu tiên / first administrator: {} / {}",
            admin.username, admin.password
        );
        if let Some(secret) = &admin.totp_secret {
            print_totp_secret(secret);
        }
        println!("Hãy đổi mật khẩu sau khi đăng nhập. Change the password after logging in.");
    }
    tracing::info!(%address, "listening");
    println!("theodoi: http://{address}/");
    theodoi_server::serve(listener, state, shutdown_signal()).await?;
    Ok(())
}

/// Prints a TOTP secret and how to get a code from it without an authenticator app.
fn print_totp_secret(secret: &str) {
    println!("Khóa mã xác thực (TOTP) / TOTP secret: {secret}");
    println!(
        "  Mã đăng nhập / login code: ứng dụng xác thực, hoặc / an authenticator app, or: oathtool --totp -b {secret}"
    );
}

/// Removes a previous demo database file and its WAL companions.
fn remove_sqlite_files(path: &std::path::Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        if file.exists() {
            std::fs::remove_file(&file)
                .with_context(|| format!("cannot remove {}", file.display()))?;
        }
    }
    Ok(())
}

/// Returns the demo's secure-zone key, from DIR/demo-secure.key, creating the file when
/// missing, because the demo data contains Mật and Tối mật documents, which need a key.
fn demo_key(data_dir: &std::path::Path) -> Result<SecureKey> {
    let path = data_dir.join("demo-secure.key");
    let key = if path.exists() {
        SecureKey::read_file(&path)?
    } else {
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create {}", data_dir.display()))?;
        let key = SecureKey::generate();
        key.write_new_file(&path)?;
        key
    };
    println!("Khoá vùng bảo mật / secure-zone key: {}", path.display());
    Ok(key)
}

pub async fn demo(args: DemoArgs) -> Result<()> {
    // Check everything that can fail cheaply before the previous demo database is removed.
    let password = args.demo_password.clone().unwrap_or_else(|| {
        theodoi_server::auth::new_secret()
            .chars()
            .take(12)
            .collect()
    });
    if let Some(secret) = &args.demo_totp_secret
        && theodoi_server::auth::totp::code_at(secret, jiff::Timestamp::now()).is_none()
    {
        anyhow::bail!(
            "--demo-totp-secret must be base32 (letters A-Z and digits 2-7) of at least 16 bytes"
        );
    }
    let minimum = theodoi_domain::user::MIN_PASSWORD_CHARS;
    if password.chars().count() < minimum {
        anyhow::bail!("--demo-password must have at least {minimum} characters");
    }
    let listener = bind(args.serve.listen).await?;
    let address = listener.local_addr()?;
    // Checked before the previous demo database is removed.
    let settings = config(&args.serve, String::new())?;

    let url = match &args.serve.database.database_url {
        Some(url) => url.clone(),
        None => {
            let path = args.serve.database.data_dir.join("demo.db");
            remove_sqlite_files(&path)?;
            format!("sqlite://{}", path.display())
        }
    };
    let mut settings = ServerConfig {
        database_url: url.clone(),
        ..settings
    };
    if settings.secure_key.is_none() {
        settings.secure_key = Some(demo_key(&args.serve.database.data_dir)?);
    }
    let clock = Arc::new(SystemClock);
    let state = theodoi_server::state(settings, clock.clone())
        .await
        .with_context(|| format!("cannot open database {}", redact(&url)))?;
    if state.store.has_users().await? {
        anyhow::bail!(
            "the database {} already holds data; the demo needs an empty database",
            redact(&url)
        );
    }
    let hash = |secret: &str| theodoi_server::auth::password::hash(secret);
    let data = theodoi_server::demo::seed_demo(&state.store, state.now(), &hash, &password)
        .await
        .context("cannot fill the demo database")?;
    state.reload_reference().await?;
    let totp_secret = args
        .demo_totp_secret
        .clone()
        .unwrap_or_else(theodoi_server::auth::totp::new_secret);
    let enrolled = theodoi_server::demo::enrol_totp(&state, &totp_secret)
        .await
        .context("cannot enrol the demo logins' TOTP secret")?;

    println!("theodoi demo: http://{address}/");
    println!("Mật khẩu của mọi tài khoản / password of every login: {password}");
    for login in &data.logins {
        let marker = if enrolled.contains(&login.username) {
            "*"
        } else {
            " "
        };
        println!(
            "{marker} {:<20} {:<22} {} ({})",
            login.role.as_str(),
            login.username,
            login.full_name,
            login.org_code
        );
    }
    if !enrolled.is_empty() {
        println!("* cần mã xác thực khi đăng nhập / needs a code at login");
        print_totp_secret(&totp_secret);
    }
    theodoi_server::serve(listener, state, shutdown_signal()).await?;
    Ok(())
}

pub async fn migrate(args: DatabaseArgs) -> Result<()> {
    let url = args.url();
    let store = Store::open(&url)
        .await
        .with_context(|| format!("cannot open database {}", redact(&url)))?;
    store.seed(jiff::Timestamp::now()).await?;
    store.close().await;
    println!("{}: migrations applied", redact(&url));
    Ok(())
}
