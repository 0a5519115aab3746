//! `theodoi user …`: account administration from the server's console.

use crate::cli::UserCommand;
use anyhow::{Context, Result, bail};
use theodoi_store::{Store, redact};

pub async fn run(command: UserCommand) -> Result<()> {
    match command {
        UserCommand::ResetTotp { database, username } => {
            let url = database.url();
            let store = Store::open(&url)
                .await
                .with_context(|| format!("cannot open database {}", redact(&url)))?;
            let username = username.trim().to_ascii_lowercase();
            let Some(user) = store.user_by_username(&username).await? else {
                store.close().await;
                bail!("no account has the username {username:?}");
            };
            let removed = store.reset_totp(user.id).await?;
            store.close().await;
            tracing::info!(
                user.id = user.id.0,
                removed,
                "TOTP secret reset by an operator"
            );
            if removed {
                println!("{username}: TOTP secret removed; the account's sessions have ended");
            } else {
                println!("{username}: the account had no TOTP secret; its sessions have ended");
            }
        }
    }
    Ok(())
}
