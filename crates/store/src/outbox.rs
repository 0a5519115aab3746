//! The outbox of e-mail notifications. Task commands write a row per message and recipient in
//! their own transaction; a background worker claims due rows, sends them and records the
//! outcome. Rows hold ids only, because the text is built at send time from what the
//! recipient may see then.

use crate::db::WriteTx;
use crate::error::{StoreError, StoreResult};
use crate::sql::Sql;
use crate::tasks::StoredEvent;
use crate::{Store, time};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use sqlx::Row;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::ids::{OrgId, TaskId, UserId};
use theodoi_domain::notice::audiences;
use theodoi_domain::task::Task;
use theodoi_domain::user::{Clearance, Role};

/// The message an outbox row sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailSubject {
    /// A notice of one task event.
    Event { event_id: i64 },
    /// The daily digest of a local day.
    Digest { day: Date },
}

/// A claimed outbox row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailItem {
    pub id: i64,
    pub recipient: UserId,
    pub subject: MailSubject,
    /// Attempts so far, this one included.
    pub attempts: i64,
}

/// The final outcome of a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailOutcome {
    Sent,
    /// Not sent, by rule: the recipient has no address, is disabled, or may not see the task.
    Dropped,
    /// Not sent: the attempts ran out.
    Failed,
}

impl MailOutcome {
    fn as_str(self) -> &'static str {
        match self {
            MailOutcome::Sent => "sent",
            MailOutcome::Dropped => "dropped",
            MailOutcome::Failed => "failed",
        }
    }
}

/// The fields of a normal task that a notice shows. Classified tasks have none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailTaskText {
    pub task_id: TaskId,
    pub document_symbol: String,
    pub document_title: String,
    pub content: Option<String>,
    pub deadline: Option<Date>,
    pub lead_body: OrgId,
}

/// Returns the clearances that cover `level`.
fn clearances_covering(level: Confidentiality) -> Vec<&'static str> {
    [
        Clearance::Normal,
        Clearance::Confidential,
        Clearance::Secret,
    ]
    .into_iter()
    .filter(|clearance| clearance.covers(level))
    .map(Clearance::as_str)
    .collect()
}

/// Appends ` AND (…)` keeping the users aliased `u` who hold one of `roles`. Roles are stored
/// as a comma-separated list.
fn push_has_role(sql: &mut Sql, roles: &[Role]) {
    sql.push(" AND (");
    for (index, role) in roles.iter().enumerate() {
        if index > 0 {
            sql.push(" OR ");
        }
        sql.push("(',' || u.roles || ',') LIKE ")
            .bind(format!("%,{},%", role.as_str()));
    }
    sql.push(")");
}

/// Writes the notices of `events` of `task` (as it is after them) to the outbox, in the
/// transaction that appends the events. Recipients are the active users with an address in
/// each audience who are cleared for the task's level, except the user who acted.
pub(crate) async fn enqueue(
    tx: &mut WriteTx,
    task: &Task,
    events: &[StoredEvent],
) -> StoreResult<()> {
    if !tx.mail_outbox {
        return Ok(());
    }
    let levels = clearances_covering(task.confidentiality);
    if levels.is_empty() {
        return Ok(());
    }
    for stored in events {
        let now = time::to_ms(stored.event.at);
        for audience in audiences(task, &stored.event) {
            let mut sql = Sql::new(
                "INSERT INTO mail_outbox (recipient, event_id, next_attempt_at, created_at) \
                 SELECT u.id, ",
            );
            sql.bind(stored.id)
                .push(", ")
                .bind(now)
                .push(", ")
                .bind(now)
                .push(
                    " FROM users u WHERE u.disabled = 0 AND u.email IS NOT NULL AND u.email <> ''",
                )
                .push(" AND u.org_id = ")
                .bind(audience.body.0)
                .push(" AND u.clearance IN ")
                .bind_list(&levels);
            push_has_role(&mut sql, audience.roles);
            if let Some(actor) = stored.event.actor {
                sql.push(" AND u.id <> ").bind(actor.0);
            }
            sql.push(" ON CONFLICT DO NOTHING");
            sql.query().execute(&mut ***tx).await?;
        }
    }
    Ok(())
}

fn decode_item(row: &sqlx::any::AnyRow) -> StoreResult<MailItem> {
    let event_id: Option<i64> = row.try_get("event_id")?;
    let digest_day: Option<String> = row.try_get("digest_day")?;
    let subject = match (event_id, digest_day) {
        (Some(event_id), None) => MailSubject::Event { event_id },
        (None, Some(day)) => MailSubject::Digest {
            day: time::parse_date(&day)?,
        },
        _ => return Err(StoreError::corrupt("outbox row names no event and no day")),
    };
    Ok(MailItem {
        id: row.try_get("id")?,
        recipient: UserId(row.try_get("recipient")?),
        subject,
        attempts: row.try_get("attempts")?,
    })
}

impl Store {
    /// Claims up to `limit` outbox rows that are due at `now` and not held by another
    /// process, until `now + lease`. A row whose claimant died is claimed again once its lease
    /// runs out, so a message may be sent twice but is never lost.
    pub async fn claim_mail(
        &self,
        now: Timestamp,
        lease: SignedDuration,
        limit: i64,
    ) -> StoreResult<Vec<MailItem>> {
        let now_ms = time::to_ms(now);
        let lease_until = time::to_ms(now.saturating_add(lease).unwrap_or(Timestamp::MAX));
        let mut tx = self.db.begin_write().await?;
        // The outer conditions repeat the inner ones: on PostgreSQL a second claimant that
        // waited for the row lock re-checks them against the first one's claim and skips it.
        let rows = sqlx::query(
            "UPDATE mail_outbox SET claimed_by = $1, lease_until = $2, attempts = attempts + 1 \
             WHERE status = 'pending' AND next_attempt_at <= $3 \
             AND (lease_until IS NULL OR lease_until <= $3) \
             AND id IN (SELECT id FROM mail_outbox WHERE status = 'pending' \
             AND next_attempt_at <= $3 AND (lease_until IS NULL OR lease_until <= $3) \
             ORDER BY id LIMIT $4) \
             RETURNING id, recipient, event_id, digest_day, attempts",
        )
        .bind(self.origin())
        .bind(lease_until)
        .bind(now_ms)
        .bind(limit)
        .fetch_all(&mut **tx)
        .await?;
        tx.commit().await?;
        let mut items = rows
            .iter()
            .map(decode_item)
            .collect::<StoreResult<Vec<_>>>()?;
        items.sort_by_key(|item| item.id);
        Ok(items)
    }

    /// Records the final outcome of a claimed row. Returns false when this process no longer
    /// owns the claim.
    pub async fn finish_mail(
        &self,
        id: i64,
        outcome: MailOutcome,
        error: Option<&str>,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let mut tx = self.db.begin_write().await?;
        let result = sqlx::query(
            "UPDATE mail_outbox SET status = $1, finished_at = $2, last_error = $3, \
             lease_until = NULL WHERE id = $4 AND claimed_by = $5 AND status = 'pending'",
        )
        .bind(outcome.as_str())
        .bind(time::to_ms(now))
        .bind(error.map(str::to_owned))
        .bind(id)
        .bind(self.origin())
        .execute(&mut **tx)
        .await?;
        tx.commit().await?;
        Ok(result.rows_affected() == 1)
    }

    /// Releases a claimed row after a failed attempt, to be tried again at `next_attempt_at`.
    pub async fn retry_mail(
        &self,
        id: i64,
        next_attempt_at: Timestamp,
        error: &str,
    ) -> StoreResult<bool> {
        let mut tx = self.db.begin_write().await?;
        let result = sqlx::query(
            "UPDATE mail_outbox SET next_attempt_at = $1, last_error = $2, claimed_by = NULL, \
             lease_until = NULL WHERE id = $3 AND claimed_by = $4 AND status = 'pending'",
        )
        .bind(time::to_ms(next_attempt_at))
        .bind(error)
        .bind(id)
        .bind(self.origin())
        .execute(&mut **tx)
        .await?;
        tx.commit().await?;
        Ok(result.rows_affected() == 1)
    }

    /// Writes a digest of `day` for each of `recipients`, once per recipient and day. Returns
    /// how many rows are new.
    pub async fn enqueue_digests(
        &self,
        day: Date,
        recipients: &[UserId],
        now: Timestamp,
    ) -> StoreResult<u64> {
        let mut tx = self.db.begin_write().await?;
        let mut added = 0;
        for recipient in recipients {
            let result = sqlx::query(
                "INSERT INTO mail_outbox (recipient, digest_day, next_attempt_at, created_at) \
                 VALUES ($1, $2, $3, $3) ON CONFLICT DO NOTHING",
            )
            .bind(recipient.0)
            .bind(day.to_string())
            .bind(time::to_ms(now))
            .execute(&mut **tx)
            .await?;
            added += result.rows_affected();
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Returns the active users with an address who hold one of `roles`, by id.
    pub async fn mail_recipients(&self, roles: &[Role]) -> StoreResult<Vec<UserId>> {
        let mut sql = Sql::new(
            "SELECT u.id FROM users u WHERE u.disabled = 0 AND u.email IS NOT NULL \
             AND u.email <> ''",
        );
        push_has_role(&mut sql, roles);
        sql.push(" ORDER BY u.id");
        let rows = sql.query().fetch_all(&self.db.pool).await?;
        rows.iter()
            .map(|row| Ok(UserId(row.try_get("id")?)))
            .collect()
    }

    /// Returns the time of event `event_id`, or `None` when it does not exist.
    pub async fn event_time(&self, event_id: i64) -> StoreResult<Option<Timestamp>> {
        let row = sqlx::query("SELECT at FROM task_events WHERE id = $1")
            .bind(event_id)
            .fetch_optional(&self.db.pool)
            .await?;
        row.map(|row| time::from_ms(row.try_get("at")?)).transpose()
    }

    /// Returns the fields a notice shows of task `id`, or `None` when it does not exist or is
    /// classified. This query never reads a Mật or Tối mật task.
    pub async fn mail_task_text(&self, id: TaskId) -> StoreResult<Option<MailTaskText>> {
        let row = sqlx::query(
            "SELECT t.id, t.content, t.deadline, t.lead_body, d.symbol, d.title \
             FROM tasks t JOIN documents d ON d.id = t.document_id \
             WHERE t.id = $1 AND t.confidentiality = $2",
        )
        .bind(id.0)
        .bind(Confidentiality::Normal.as_str())
        .fetch_optional(&self.db.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Some(MailTaskText {
            task_id: TaskId(row.try_get("id")?),
            document_symbol: row.try_get("symbol")?,
            document_title: row.try_get("title")?,
            content: row.try_get("content")?,
            deadline: time::opt_date(row.try_get("deadline")?)?,
            lead_body: OrgId(row.try_get("lead_body")?),
        }))
    }
}
