//! E-mail notifications: the outbox worker that sends what task commands wrote to the outbox,
//! with retries, and the daily digest of obligations due soon or overdue.
//!
//! Task commands write outbox rows in their own transaction (see `theodoi_store`), so a
//! rolled-back command sends nothing and a committed one is sent even after a restart. Each
//! process claims rows before sending them, so processes sharing a database send each message
//! once, unless a claimant dies mid-send and its lease runs out.
//!
//! Logs name outbox, user and task ids only, never a title, number or content.

pub mod compose;
pub mod config;
pub mod digest;
pub mod transport;

pub use config::{MailConfig, SmtpTls};
pub use transport::{Mailer, SendError};

use crate::state::AppState;
use compose::Composed;
use jiff::{SignedDuration, Timestamp};
use std::time::Duration;
use theodoi_store::{MailItem, MailOutcome, MailSubject, StoreResult};
use tokio::task::JoinHandle;

/// How long a claim on an outbox row holds: far longer than one SMTP exchange may take.
const LEASE: SignedDuration = SignedDuration::from_mins(5);
/// Rows claimed per round.
const BATCH: i64 = 20;
/// Attempts before a message is given up as failed.
pub const MAX_ATTEMPTS: i64 = 8;
/// Wait after the first failed attempt; it doubles with each further failure.
pub const FIRST_RETRY: SignedDuration = SignedDuration::from_mins(1);
/// Maximum wait between two attempts.
const MAX_RETRY: SignedDuration = SignedDuration::from_hours(1);

/// Counts of what one delivery round did with each claimed row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivery {
    pub sent: usize,
    pub dropped: usize,
    pub retried: usize,
    pub failed: usize,
}

impl Delivery {
    pub fn is_empty(&self) -> bool {
        *self == Delivery::default()
    }
}

/// Returns the wait before attempt `attempts + 1`, after `attempts` failed ones.
pub fn retry_delay(attempts: i64) -> SignedDuration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
    let delay = FIRST_RETRY
        .checked_mul(1_i32 << doublings)
        .unwrap_or(MAX_RETRY);
    delay.min(MAX_RETRY)
}

/// Sends due outbox rows every `tick` and writes the daily digests, until aborted.
pub fn spawn(state: AppState, mailer: Mailer, tick: Duration) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(tick);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            if let Err(error) = digest::run_due(&state).await {
                tracing::error!(error = %error, "writing the e-mail digests failed");
            }
            // Rounds go on while they find work, so a backlog drains without waiting a tick.
            loop {
                match deliver_due(&state, &mailer).await {
                    Ok(delivery) if delivery.is_empty() => break,
                    Ok(delivery) => tracing::info!(
                        sent = delivery.sent,
                        dropped = delivery.dropped,
                        retried = delivery.retried,
                        failed = delivery.failed,
                        "e-mail round finished"
                    ),
                    Err(error) => {
                        tracing::error!(error = %error, "sending e-mail failed");
                        break;
                    }
                }
            }
        }
    })
}

/// Claims the outbox rows due now and sends each one. Returns what happened to them.
pub async fn deliver_due(state: &AppState, mailer: &Mailer) -> StoreResult<Delivery> {
    let Some(config) = state.config.mail.clone() else {
        return Ok(Delivery::default());
    };
    let items = state.store.claim_mail(state.now(), LEASE, BATCH).await?;
    let mut delivery = Delivery::default();
    for item in items {
        deliver(state, &config, mailer, &item, &mut delivery).await?;
    }
    Ok(delivery)
}

async fn deliver(
    state: &AppState,
    config: &MailConfig,
    mailer: &Mailer,
    item: &MailItem,
    delivery: &mut Delivery,
) -> StoreResult<()> {
    let Some((address, composed)) = compose(state, config, item).await? else {
        tracing::debug!(
            outbox.id = item.id,
            user.id = item.recipient.0,
            "e-mail dropped"
        );
        finish(state, item, MailOutcome::Dropped, None).await?;
        delivery.dropped += 1;
        return Ok(());
    };
    let result = mailer
        .send(&address, &composed.subject, &composed.body)
        .await;
    match result {
        Ok(()) => {
            finish(state, item, MailOutcome::Sent, None).await?;
            delivery.sent += 1;
        }
        Err(SendError::Transient(error)) if item.attempts < MAX_ATTEMPTS => {
            let next = state
                .now()
                .saturating_add(retry_delay(item.attempts))
                .unwrap_or(Timestamp::MAX);
            tracing::warn!(
                outbox.id = item.id,
                user.id = item.recipient.0,
                attempts = item.attempts,
                retry_at = %next,
                error = %error,
                "e-mail not sent; will retry"
            );
            state.store.retry_mail(item.id, next, &error).await?;
            delivery.retried += 1;
        }
        Err(error) => {
            tracing::error!(
                outbox.id = item.id,
                user.id = item.recipient.0,
                attempts = item.attempts,
                error = %error,
                "e-mail not sent; giving up"
            );
            finish(state, item, MailOutcome::Failed, Some(&error.to_string())).await?;
            delivery.failed += 1;
        }
    }
    Ok(())
}

async fn finish(
    state: &AppState,
    item: &MailItem,
    outcome: MailOutcome,
    error: Option<&str>,
) -> StoreResult<()> {
    if !state
        .store
        .finish_mail(item.id, outcome, error, state.now())
        .await?
    {
        tracing::warn!(
            outbox.id = item.id,
            "e-mail claim outlived its lease and was taken over by another process"
        );
    }
    Ok(())
}

/// The recipient's address and the message, or `None` when the row must not be sent.
async fn compose(
    state: &AppState,
    config: &MailConfig,
    item: &MailItem,
) -> StoreResult<Option<(String, Composed)>> {
    let Some(recipient) = state.store.user(item.recipient).await? else {
        return Ok(None);
    };
    let address = match &recipient.email {
        Some(address) if !recipient.disabled && !address.is_empty() => address.clone(),
        _ => return Ok(None),
    };
    let composed = match item.subject {
        MailSubject::Event { event_id } => {
            compose::event_notice(state, config, &recipient, event_id).await?
        }
        MailSubject::Digest { day } => {
            compose::digest(state, config, &recipient, day, state.now()).await?
        }
    };
    Ok(composed.map(|composed| (address, composed)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delay_doubles_up_to_an_hour() {
        assert_eq!(retry_delay(1), SignedDuration::from_mins(1));
        assert_eq!(retry_delay(2), SignedDuration::from_mins(2));
        assert_eq!(retry_delay(3), SignedDuration::from_mins(4));
        assert_eq!(retry_delay(7), SignedDuration::from_mins(60));
        assert_eq!(retry_delay(40), SignedDuration::from_mins(60));
    }
}
