//! The daily digest: once a day, from [`DIGEST_HOUR`] local time, every focal or monitoring
//! officer whose body owes an obligation that is overdue or comes due within two days gets one
//! e-mail listing them. A process claims the day's run in `job_runs`, so processes sharing a
//! database write the digests once. A second run of the same day adds nothing, because the
//! outbox keeps one digest per recipient and day.

use super::compose::digest_has_items;
use crate::state::AppState;
use jiff::SignedDuration;
use theodoi_domain::user::Role;
use theodoi_store::StoreResult;

/// The job name in `job_runs`.
pub const DIGEST_JOB: &str = "mail_digest";
/// Local hour (Asia/Ho_Chi_Minh) from which the day's digest is written.
pub const DIGEST_HOUR: i8 = 7;
/// How long a claim on the day's run holds.
const LEASE: SignedDuration = SignedDuration::from_mins(15);
/// Roles whose holders get the digest of their body's obligations.
const DIGEST_ROLES: &[Role] = &[Role::Updater, Role::Approver, Role::MonitoringOfficer];

/// Writes today's digests to the outbox unless it is before [`DIGEST_HOUR`], e-mail is off,
/// or this or another process has written them. Returns how many were written, or `None` when
/// the run was not this process's.
pub async fn run_due(state: &AppState) -> StoreResult<Option<u64>> {
    if state.config.mail.is_none() {
        return Ok(None);
    }
    let now = state.now();
    let local = theodoi_calendar::local_datetime(now);
    if local.hour() < DIGEST_HOUR {
        return Ok(None);
    }
    let day = local.date();
    let period = day.to_string();
    if !state
        .store
        .claim_job_run(DIGEST_JOB, &period, now, LEASE)
        .await?
    {
        return Ok(None);
    }
    let mut recipients = Vec::new();
    for id in state.store.mail_recipients(DIGEST_ROLES).await? {
        let Some(user) = state.store.user(id).await? else {
            continue;
        };
        if digest_has_items(state, &user, now).await? {
            recipients.push(id);
        }
    }
    let written = state.store.enqueue_digests(day, &recipients, now).await?;
    if !state
        .store
        .finish_job_run(DIGEST_JOB, &period, state.now())
        .await?
    {
        tracing::warn!(
            job = DIGEST_JOB,
            period = %period,
            "job run outlived its lease and was taken over by another process"
        );
    }
    tracing::info!(digests = written, day = %period, "e-mail digests written");
    Ok(Some(written))
}
