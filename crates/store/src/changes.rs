//! Change notices between processes that share one PostgreSQL database.
//!
//! A write transaction records what it changed ([`Announcements`]). On PostgreSQL it sends
//! them with `pg_notify` just before `COMMIT`, so PostgreSQL delivers them only if the
//! transaction commits and drops them if it rolls back. Every process listens on [`CHANNEL`]
//! with one connection ([`ChangeListener`]) and feeds what it hears into its own live fan-out.
//! SQLite serves one process, which publishes in-process, so nothing is sent there.
//!
//! A notice carries ids only: event ids, and flags for reference data and for accounts.
//! Whatever a receiver
//! shows, it reads from the database under its own users' rights, so no content and no
//! classified field ever travels in a notification.

use crate::error::{StoreError, StoreResult};
use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

/// The PostgreSQL channel every process of one installation listens on.
pub const CHANNEL: &str = "theodoi_changes";

/// Event ids per notice. PostgreSQL rejects payloads of 8000 bytes or more; 256 ids of at most
/// 20 characters plus separators and the envelope stay below 5,600 bytes.
pub(crate) const EVENTS_PER_NOTICE: usize = 256;

/// A change notice: the ids of what one committed transaction changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeNotice {
    /// The process that committed the change ([`Store::origin`](crate::Store::origin)), so
    /// that it can skip its own notices: it has published them already.
    pub origin: String,
    /// Ids of the task events appended, in `task_events`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<i64>,
    /// Organisations, catalogues or the calendar changed: cached reference data is stale.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reference: bool,
    /// An account's roles, body, clearance or status changed, or a session ended: open event
    /// streams check again what their users may see.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub access: bool,
}

impl ChangeNotice {
    /// Parses a payload; `None` for one this version does not understand.
    pub fn parse(payload: &str) -> Option<ChangeNotice> {
        serde_json::from_str(payload).ok()
    }
}

/// Changes a write transaction has made so far, to be announced when it commits.
#[derive(Debug, Default)]
pub(crate) struct Announcements {
    events: Vec<i64>,
    reference: bool,
    access: bool,
}

impl Announcements {
    pub fn events(&mut self, ids: impl IntoIterator<Item = i64>) {
        self.events.extend(ids);
    }

    pub fn reference(&mut self) {
        self.reference = true;
    }

    pub fn access(&mut self) {
        self.access = true;
    }

    /// Returns the payloads to send, each below PostgreSQL's size limit; empty when nothing changed.
    pub fn payloads(&self, origin: &str) -> Vec<String> {
        let mut notices: Vec<ChangeNotice> = self
            .events
            .chunks(EVENTS_PER_NOTICE)
            .map(|chunk| ChangeNotice {
                origin: origin.to_owned(),
                events: chunk.to_vec(),
                reference: false,
                access: false,
            })
            .collect();
        if self.reference || self.access {
            notices.push(ChangeNotice {
                origin: origin.to_owned(),
                events: Vec::new(),
                reference: self.reference,
                access: self.access,
            });
        }
        notices
            .iter()
            .map(|notice| serde_json::to_string(notice).expect("a notice serializes"))
            .collect()
    }
}

/// Why [`ChangeListener::next`] returned without a notice.
#[derive(Debug)]
pub enum ListenerError {
    /// The connection was lost; notices sent until a new listener runs are missed.
    Disconnected,
    /// The database reported an error; the listener should be replaced.
    Failed(StoreError),
}

/// One connection that listens on [`CHANNEL`].
pub struct ChangeListener {
    listener: PgListener,
    liveness: Liveness,
}

impl std::fmt::Debug for ChangeListener {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("ChangeListener")
            .field("liveness", &self.liveness)
            .finish_non_exhaustive()
    }
}

/// Timing of the check a quiet listener makes on its connection. A connection whose peer
/// vanished without closing it (a crashed host, a dropped network path) reports nothing until
/// the operating system gives up on it, which may take hours. So after `idle` without a notice
/// the listener sends `SELECT 1`, and no response within `timeout` counts as a lost connection.
#[derive(Debug, Clone, Copy)]
pub struct Liveness {
    pub idle: Duration,
    pub timeout: Duration,
}

impl Default for Liveness {
    fn default() -> Self {
        Liveness {
            idle: Duration::from_secs(60),
            timeout: Duration::from_secs(10),
        }
    }
}

/// `application_name` of listener connections, so that operators can tell them apart in
/// `pg_stat_activity`.
pub const LISTENER_APPLICATION_NAME: &str = "theodoi listener";

impl ChangeListener {
    /// Connects to the PostgreSQL database at `url` and starts listening.
    pub async fn connect(url: &str) -> StoreResult<ChangeListener> {
        Self::connect_with(url, Liveness::default()).await
    }

    /// Connects like [`ChangeListener::connect`], checking the connection as `liveness` sets.
    pub async fn connect_with(url: &str, liveness: Liveness) -> StoreResult<ChangeListener> {
        let options = PgConnectOptions::from_str(url)?.application_name(LISTENER_APPLICATION_NAME);
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .max_lifetime(None)
            .idle_timeout(None)
            .connect_with(options)
            .await?;
        let mut listener = PgListener::connect_with(&pool).await?;
        // Reconnecting is the caller's job, so that it backs off and learns that notices were missed.
        listener.eager_reconnect(false);
        listener.ignore_pool_close_event(true);
        listener.listen(CHANNEL).await?;
        Ok(ChangeListener { listener, liveness })
    }

    /// Waits for the next notice. A payload that does not parse is logged and skipped.
    pub async fn next(&mut self) -> Result<ChangeNotice, ListenerError> {
        loop {
            // Waiting is cancel-safe: sqlx consumes a message from its buffer only once the
            // whole message has arrived.
            let received =
                match tokio::time::timeout(self.liveness.idle, self.listener.try_recv()).await {
                    Ok(received) => received,
                    Err(_) => {
                        self.check_connection().await?;
                        continue;
                    }
                };
            match received {
                Ok(Some(notification)) => match ChangeNotice::parse(notification.payload()) {
                    Some(notice) => return Ok(notice),
                    None => tracing::warn!(
                        bytes = notification.payload().len(),
                        "change notice not understood; skipped"
                    ),
                },
                Ok(None) => return Err(ListenerError::Disconnected),
                Err(error) => return Err(ListenerError::Failed(error.into())),
            }
        }
    }

    /// Fails unless the connection responds to a query in time. Notices that arrive meanwhile
    /// are kept for [`ChangeListener::next`].
    async fn check_connection(&mut self) -> Result<(), ListenerError> {
        let query = sqlx::query("SELECT 1").execute(&mut self.listener);
        match tokio::time::timeout(self.liveness.timeout, query).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(error)) => Err(ListenerError::Failed(error.into())),
            Err(_) => Err(ListenerError::Disconnected),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_stay_below_postgres_limit() {
        let mut announcements = Announcements::default();
        announcements.events(std::iter::repeat_n(i64::MIN, EVENTS_PER_NOTICE * 2 + 1));
        announcements.reference();
        let origin = "f".repeat(32);
        let payloads = announcements.payloads(&origin);
        assert_eq!(
            payloads.len(),
            4,
            "three event chunks and one reference notice"
        );
        for payload in &payloads {
            assert!(payload.len() < 8000, "{} bytes", payload.len());
        }
    }

    #[test]
    fn payloads_round_trip() {
        let mut announcements = Announcements::default();
        announcements.events([7, 9]);
        let payloads = announcements.payloads("abc");
        assert_eq!(payloads, [r#"{"origin":"abc","events":[7,9]}"#]);
        let notice = ChangeNotice::parse(&payloads[0]).expect("parses");
        assert_eq!(notice.events, [7, 9]);
        assert!(!notice.reference);
    }

    #[test]
    fn nothing_changed_sends_nothing() {
        assert!(Announcements::default().payloads("abc").is_empty());
    }

    #[test]
    fn unknown_payload_is_none() {
        assert_eq!(ChangeNotice::parse("not json"), None);
    }
}
