//! Security events: logins, login failures, logouts, access denials and reads of secure-zone
//! records, each appended with its audit entry.

use super::PendingEntry;
use crate::db::WriteTx;
use crate::error::{StoreError, StoreResult};
use crate::{Store, time};
use jiff::Timestamp;
use sqlx::Row;
use theodoi_domain::audit::{SecurityEventKind, Source, payload_digest};
use theodoi_domain::ids::{OrgId, UserId};

/// The record a security event concerns, by kind and id only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecuritySubject {
    /// What the id names, for example `task` or `document`.
    pub kind: &'static str,
    pub id: i64,
}

/// A security event to record. No field may hold a restricted value: `detail` is a short
/// code such as a route template or a reason code, never a title or a search term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityEvent {
    pub at: Timestamp,
    pub kind: SecurityEventKind,
    pub actor: Option<UserId>,
    pub body: Option<OrgId>,
    pub subject: Option<SecuritySubject>,
    pub detail: Option<String>,
}

impl Store {
    /// Appends a security event and its audit entry in one transaction; returns the event's id.
    pub async fn record_security_event(&self, event: &SecurityEvent) -> StoreResult<i64> {
        let ids = self
            .record_security_events(std::slice::from_ref(event))
            .await?;
        ids.first()
            .copied()
            .ok_or_else(|| StoreError::corrupt("no security event id after insert"))
    }

    /// Appends security events and their audit entries in one transaction and returns their
    /// ids in order. A request that reads several classified records then costs one commit.
    pub async fn record_security_events(&self, events: &[SecurityEvent]) -> StoreResult<Vec<i64>> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.db.begin_write().await?;
        let mut ids = Vec::with_capacity(events.len());
        for event in events {
            ids.push(insert(&mut tx, event).await?);
        }
        tx.commit().await?;
        Ok(ids)
    }
}

async fn insert(tx: &mut WriteTx, event: &SecurityEvent) -> StoreResult<i64> {
    let subject_kind = event.subject.as_ref().map(|subject| subject.kind);
    let subject_id = event.subject.as_ref().map(|subject| subject.id);
    let at_ms = time::to_ms(event.at);
    let id: i64 = sqlx::query(
        "INSERT INTO security_events (at, kind, actor, body, subject_kind, subject_id, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(at_ms)
    .bind(event.kind.name())
    .bind(event.actor.map(|user| user.0))
    .bind(event.body.map(|org| org.0))
    .bind(subject_kind)
    .bind(subject_id)
    .bind(event.detail.as_deref())
    .fetch_one(&mut ***tx)
    .await?
    .try_get("id")?;
    tx.audit(PendingEntry {
        source: Source::SecurityEvents,
        row_id: id,
        at_ms,
        kind: event.kind.name().to_owned(),
        actor: event.actor.map(|user| user.0),
        body: event.body.map(|org| org.0),
        subject: subject_id,
        subject_seq: None,
        payload_digest: security_digest(subject_kind, event.detail.as_deref()),
    });
    Ok(id)
}

/// The digest of a security event's text columns, shared with verification.
pub(super) fn security_digest(subject_kind: Option<&str>, detail: Option<&str>) -> [u8; 32] {
    payload_digest(&[subject_kind, detail])
}
