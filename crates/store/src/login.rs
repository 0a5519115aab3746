//! Login state beyond the account: TOTP secrets, pending second-factor challenges and
//! failed-login counters. They live in the database so that every server process agrees.

use crate::error::StoreResult;
use crate::{Store, time};
use jiff::Timestamp;
use sqlx::Row;
use theodoi_domain::ids::UserId;

/// The TOTP secret of an account.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpRecord {
    /// Base32 (RFC 4648), as authenticator apps show it.
    pub secret: String,
    /// When the user proved with a code that their authenticator contains the secret. Until
    /// then the secret is only offered for enrolment.
    pub confirmed_at: Option<Timestamp>,
    /// The time step of the last accepted code.
    pub last_step: Option<i64>,
}

impl std::fmt::Debug for TotpRecord {
    // The secret stays out of logs and panic messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TotpRecord")
            .field("confirmed_at", &self.confirmed_at)
            .field("last_step", &self.last_step)
            .finish_non_exhaustive()
    }
}

/// Failed logins counted under one throttling key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginFailures {
    pub failures: i64,
    pub last_failure_at: Timestamp,
    /// Logins under this key are rejected before this instant.
    pub locked_until: Option<Timestamp>,
}

fn optional_time(value: Option<i64>) -> StoreResult<Option<Timestamp>> {
    value.map(time::from_ms).transpose()
}

impl Store {
    /// Reads the TOTP secret of `user`, confirmed or not.
    pub async fn totp(&self, user: UserId) -> StoreResult<Option<TotpRecord>> {
        let row =
            sqlx::query("SELECT secret, confirmed_at, last_step FROM user_totp WHERE user_id = $1")
                .bind(user.0)
                .fetch_optional(&self.db.pool)
                .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Some(TotpRecord {
            secret: row.try_get("secret")?,
            confirmed_at: optional_time(row.try_get("confirmed_at")?)?,
            last_step: row.try_get("last_step")?,
        }))
    }

    /// Stores a new unconfirmed secret for `user`, replacing an unconfirmed one. Returns false,
    /// and changes nothing, when the account already has a confirmed secret.
    pub async fn begin_totp_enrolment(
        &self,
        user: UserId,
        secret: &str,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let mut tx = self.db.begin_write().await?;
        let stored = sqlx::query(
            "INSERT INTO user_totp (user_id, secret, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, \
             created_at = excluded.created_at, last_step = NULL \
             WHERE user_totp.confirmed_at IS NULL",
        )
        .bind(user.0)
        .bind(secret)
        .bind(time::to_ms(now))
        .execute(&mut **tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(stored == 1)
    }

    /// Marks the secret of `user` confirmed by a code of `step`. Returns false when there is no
    /// unconfirmed secret, or a code of that step was already used.
    pub async fn confirm_totp(&self, user: UserId, step: i64, now: Timestamp) -> StoreResult<bool> {
        let mut tx = self.db.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE user_totp SET confirmed_at = $1, last_step = $2 \
             WHERE user_id = $3 AND confirmed_at IS NULL AND (last_step IS NULL OR last_step < $2)",
        )
        .bind(time::to_ms(now))
        .bind(step)
        .bind(user.0)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(changed == 1)
    }

    /// Records that a code of `step` was accepted for `user`. Returns false when a code of this
    /// step or a later one was accepted before, so that concurrent logins with one code, even
    /// on different processes, let only one through.
    pub async fn use_totp_step(&self, user: UserId, step: i64) -> StoreResult<bool> {
        let mut tx = self.db.begin_write().await?;
        let changed = sqlx::query(
            "UPDATE user_totp SET last_step = $1 \
             WHERE user_id = $2 AND confirmed_at IS NOT NULL AND (last_step IS NULL OR last_step < $1)",
        )
        .bind(step)
        .bind(user.0)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        tx.commit().await?;
        Ok(changed == 1)
    }

    /// Stores an already confirmed secret for `user`, replacing any other, for accounts whose
    /// secret is handed out by an operator (the demo) rather than enrolled by the user.
    pub async fn set_confirmed_totp(
        &self,
        user: UserId,
        secret: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.db.begin_write().await?;
        sqlx::query(
            "INSERT INTO user_totp (user_id, secret, created_at, confirmed_at) VALUES ($1, $2, $3, $3) \
             ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, \
             created_at = excluded.created_at, confirmed_at = excluded.confirmed_at, last_step = NULL",
        )
        .bind(user.0)
        .bind(secret)
        .bind(time::to_ms(now))
        .execute(&mut **tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes the secret of `user` and ends the account's sessions and pending logins, so that
    /// the next login enrols a new secret. Returns whether a secret existed.
    pub async fn reset_totp(&self, user: UserId) -> StoreResult<bool> {
        let mut tx = self.db.begin_write().await?;
        let removed = sqlx::query("DELETE FROM user_totp WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut **tx)
            .await?
            .rows_affected();
        for sql in [
            "DELETE FROM sessions WHERE user_id = $1",
            "DELETE FROM login_challenges WHERE user_id = $1",
        ] {
            sqlx::query(sql).bind(user.0).execute(&mut **tx).await?;
        }
        tx.commit().await?;
        Ok(removed == 1)
    }

    /// Stores a pending second-factor login of `user`.
    pub async fn insert_login_challenge(
        &self,
        id_hash: &str,
        user: UserId,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.db.begin_write().await?;
        // Expired challenges of every account go here, since nothing else reads them.
        sqlx::query("DELETE FROM login_challenges WHERE expires_at <= $1")
            .bind(time::to_ms(now))
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "INSERT INTO login_challenges (id_hash, user_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id_hash)
        .bind(user.0)
        .bind(time::to_ms(now))
        .bind(time::to_ms(expires_at))
        .execute(&mut **tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Returns the account of a pending login, if the challenge exists and has not expired at
    /// `now`.
    pub async fn login_challenge(
        &self,
        id_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<UserId>> {
        let row = sqlx::query(
            "SELECT user_id FROM login_challenges WHERE id_hash = $1 AND expires_at > $2",
        )
        .bind(id_hash)
        .bind(time::to_ms(now))
        .fetch_optional(&self.db.pool)
        .await?;
        Ok(row
            .map(|row| row.try_get("user_id").map(UserId))
            .transpose()?)
    }

    pub async fn delete_login_challenge(&self, id_hash: &str) -> StoreResult<()> {
        let mut tx = self.db.begin_write().await?;
        sqlx::query("DELETE FROM login_challenges WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&mut **tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reads the failed logins counted under `key`.
    pub async fn login_failures(&self, key: &str) -> StoreResult<Option<LoginFailures>> {
        let row = sqlx::query(
            "SELECT failures, last_failure_at, locked_until FROM login_failures WHERE throttle_key = $1",
        )
        .bind(key)
        .fetch_optional(&self.db.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let locked_until: i64 = row.try_get("locked_until")?;
        Ok(Some(LoginFailures {
            failures: row.try_get("failures")?,
            last_failure_at: time::from_ms(row.try_get("last_failure_at")?)?,
            locked_until: optional_time((locked_until > 0).then_some(locked_until))?,
        }))
    }

    /// Counts one more failed login under `key` at `now`. `next` receives the count so far
    /// (none when the key has no failures, or they are forgotten) and returns the new count
    /// and lock, so that the caller's rule decides while the row is locked against other
    /// processes.
    pub async fn record_login_failure(
        &self,
        key: &str,
        now: Timestamp,
        next: impl FnOnce(Option<LoginFailures>) -> LoginFailures,
    ) -> StoreResult<LoginFailures> {
        let mut tx = self.db.begin_write().await?;
        let lock = match self.db.backend {
            crate::Backend::Postgres => " FOR UPDATE",
            crate::Backend::Sqlite => "",
        };
        let sql = format!(
            "SELECT failures, last_failure_at, locked_until FROM login_failures WHERE throttle_key = $1{lock}"
        );
        let current = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(key)
            .fetch_optional(&mut **tx)
            .await?
            .map(|row| -> StoreResult<LoginFailures> {
                let locked_until: i64 = row.try_get("locked_until")?;
                Ok(LoginFailures {
                    failures: row.try_get("failures")?,
                    last_failure_at: time::from_ms(row.try_get("last_failure_at")?)?,
                    locked_until: optional_time((locked_until > 0).then_some(locked_until))?,
                })
            })
            .transpose()?;
        let updated = next(current);
        sqlx::query(
            "INSERT INTO login_failures (throttle_key, failures, last_failure_at, locked_until) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (throttle_key) DO UPDATE SET \
             failures = excluded.failures, last_failure_at = excluded.last_failure_at, \
             locked_until = excluded.locked_until",
        )
        .bind(key)
        .bind(updated.failures)
        .bind(time::to_ms(now))
        .bind(updated.locked_until.map_or(0, time::to_ms))
        .execute(&mut **tx)
        .await?;
        tx.commit().await?;
        Ok(updated)
    }

    /// Forgets the failed logins under `key`, after a successful login.
    pub async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        let mut tx = self.db.begin_write().await?;
        sqlx::query("DELETE FROM login_failures WHERE throttle_key = $1")
            .bind(key)
            .execute(&mut **tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
