//! User accounts, login sessions and API tokens. Secrets are stored only as hashes: the
//! password as an argon2id string made by the server, session ids and tokens as SHA-256.

use crate::db::WriteTx;
use crate::error::{StoreError, StoreResult};
use crate::sql::Sql;
use crate::{Store, time};
use jiff::Timestamp;
use sqlx::Row;
use std::collections::HashMap;
use theodoi_domain::error::{Code, DomainError};
use theodoi_domain::ids::{OrgId, UserId};
use theodoi_domain::user::{Actor, Clearance, Role};

/// Ids bound in one query of [`Store::user_full_names`].
const NAMES_PER_QUERY: usize = 500;

/// A stored user account.
#[derive(Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: UserId,
    pub username: String,
    pub full_name: String,
    pub org_id: OrgId,
    pub roles: Vec<Role>,
    pub clearance: Clearance,
    /// PHC string of the password hash.
    pub password_hash: String,
    pub language: String,
    /// Address for e-mail notifications; none means no e-mail.
    pub email: Option<String>,
    pub disabled: bool,
    pub created_at: Timestamp,
    pub version: i64,
}

impl std::fmt::Debug for UserRecord {
    // The hash stays out of logs and panic messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRecord")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("org_id", &self.org_id)
            .field("roles", &self.roles)
            .field("clearance", &self.clearance)
            .field("disabled", &self.disabled)
            .finish_non_exhaustive()
    }
}

impl UserRecord {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.id,
            org_id: self.org_id,
            roles: self.roles.clone(),
            clearance: self.clearance,
        }
    }
}

/// A new account.
#[derive(Clone)]
pub struct NewUser {
    pub username: String,
    pub full_name: String,
    pub org_id: OrgId,
    pub roles: Vec<Role>,
    pub clearance: Clearance,
    pub password_hash: String,
    pub language: String,
    /// Address for e-mail notifications; none means no e-mail.
    pub email: Option<String>,
}

impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .field("org_id", &self.org_id)
            .finish_non_exhaustive()
    }
}

/// Changes to an account; `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    pub full_name: Option<String>,
    pub org_id: Option<OrgId>,
    pub roles: Option<Vec<Role>>,
    pub clearance: Option<Clearance>,
    pub password_hash: Option<String>,
    pub language: Option<String>,
    /// `Some(None)` removes the address.
    pub email: Option<Option<String>>,
    pub disabled: Option<bool>,
}

/// A login session.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub id_hash: String,
    pub user_id: UserId,
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub expires_at: Timestamp,
}

/// A bearer token for API clients.
#[derive(Debug, Clone)]
pub struct TokenRecord {
    pub id: i64,
    pub user_id: UserId,
    pub name: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

const USER_COLUMNS: &str = "u.id, u.username, u.full_name, u.org_id, u.roles, u.clearance, u.password_hash, \
     u.language, u.email, u.disabled, u.created_at, u.version";

fn decode_user(row: &sqlx::any::AnyRow) -> StoreResult<UserRecord> {
    let roles: String = row.try_get("roles")?;
    let clearance: String = row.try_get("clearance")?;
    Ok(UserRecord {
        id: UserId(row.try_get("id")?),
        username: row.try_get("username")?,
        full_name: row.try_get("full_name")?,
        org_id: OrgId(row.try_get("org_id")?),
        roles: roles
            .split(',')
            .filter(|role| !role.is_empty())
            .map(|role| {
                Role::parse(role).ok_or_else(|| StoreError::corrupt(format!("role {role}")))
            })
            .collect::<StoreResult<_>>()?,
        clearance: Clearance::parse(&clearance)
            .ok_or_else(|| StoreError::corrupt(format!("clearance {clearance}")))?,
        password_hash: row.try_get("password_hash")?,
        language: row.try_get("language")?,
        email: row.try_get("email")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        created_at: time::from_ms(row.try_get("created_at")?)?,
        version: row.try_get("version")?,
    })
}

fn roles_text(roles: &[Role]) -> String {
    let mut names: Vec<&str> = roles.iter().map(|role| role.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    names.join(",")
}

/// Inserts an account in the caller's transaction. A taken username is reported on the
/// `username` field.
pub(crate) async fn insert(tx: &mut WriteTx, new: &NewUser, now: Timestamp) -> StoreResult<UserId> {
    let inserted = sqlx::query(
        "INSERT INTO users (username, full_name, org_id, roles, clearance, password_hash, language, \
         created_at, email) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(&new.username)
    .bind(&new.full_name)
    .bind(new.org_id.0)
    .bind(roles_text(&new.roles))
    .bind(new.clearance.as_str())
    .bind(&new.password_hash)
    .bind(&new.language)
    .bind(time::to_ms(now))
    .bind(new.email.clone())
    .fetch_one(&mut ***tx)
    .await;
    let id: i64 = match inserted.map_err(StoreError::from) {
        Ok(row) => row.try_get("id")?,
        Err(error) if error.is_unique_violation() => {
            return Err(DomainError::field(
                "username",
                Code::UsernameTaken,
                vec![("value", new.username.clone().into())],
            )
            .into());
        }
        Err(error) => return Err(error),
    };
    Ok(UserId(id))
}

impl Store {
    /// Creates an account. A taken username is reported on the `username` field.
    pub async fn insert_user(&self, new: &NewUser, now: Timestamp) -> StoreResult<UserRecord> {
        let mut tx = self.db.begin_write().await?;
        let id = insert(&mut tx, new, now).await?;
        tx.commit().await?;
        self.user(id)
            .await?
            .ok_or_else(|| StoreError::corrupt("user vanished after insert"))
    }

    pub async fn user(&self, id: UserId) -> StoreResult<Option<UserRecord>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_optional(&self.db.pool)
            .await?;
        row.as_ref().map(decode_user).transpose()
    }

    /// Full names of the accounts among `ids` that exist, in one query.
    pub async fn user_full_names(&self, ids: &[UserId]) -> StoreResult<HashMap<UserId, String>> {
        let mut ids: Vec<i64> = ids.iter().map(|id| id.0).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut names = HashMap::with_capacity(ids.len());
        // Bounded so that a long history stays under every backend's limit of bound values.
        for chunk in ids.chunks(NAMES_PER_QUERY) {
            let mut sql = Sql::new("SELECT id, full_name FROM users WHERE id IN ");
            sql.bind_list(chunk);
            for row in sql.query().fetch_all(&self.db.pool).await? {
                names.insert(UserId(row.try_get("id")?), row.try_get("full_name")?);
            }
        }
        Ok(names)
    }

    pub async fn user_by_username(&self, username: &str) -> StoreResult<Option<UserRecord>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.username = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(username)
            .fetch_optional(&self.db.pool)
            .await?;
        row.as_ref().map(decode_user).transpose()
    }

    /// Returns whether the database has at least one account. Reads one row, so it costs the
    /// same with fifty accounts or fifty thousand, unlike counting or loading them.
    pub async fn has_users(&self) -> StoreResult<bool> {
        let row = sqlx::query("SELECT 1 AS found FROM users LIMIT 1")
            .fetch_optional(&self.db.pool)
            .await?;
        Ok(row.is_some())
    }

    /// Accounts of `org` (every account when `None`), by username.
    pub async fn users(&self, org: Option<OrgId>) -> StoreResult<Vec<UserRecord>> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE ($1 = 0 OR u.org_id = $1) ORDER BY u.username"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(org.map(|id| id.0).unwrap_or(0))
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter().map(decode_user).collect()
    }

    /// Applies `changes` if the account is still at `expected_version`.
    pub async fn update_user(
        &self,
        id: UserId,
        expected_version: Option<i64>,
        changes: &UserChanges,
    ) -> StoreResult<UserRecord> {
        let mut tx = self.db.begin_write().await?;
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
        let current = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_optional(&mut **tx)
            .await?
            .as_ref()
            .map(decode_user)
            .transpose()?
            .ok_or_else(|| DomainError::not_found(Code::UserNotFound, vec![]))?;
        if let Some(expected) = expected_version
            && expected != current.version
        {
            return Err(StoreError::VersionConflict {
                current: current.version,
            });
        }
        sqlx::query(
            "UPDATE users SET full_name = $1, org_id = $2, roles = $3, clearance = $4, password_hash = $5, \
             language = $6, disabled = $7, email = $8, version = version + 1 WHERE id = $9",
        )
        .bind(changes.full_name.clone().unwrap_or(current.full_name))
        .bind(changes.org_id.unwrap_or(current.org_id).0)
        .bind(roles_text(changes.roles.as_deref().unwrap_or(&current.roles)))
        .bind(changes.clearance.unwrap_or(current.clearance).as_str())
        .bind(changes.password_hash.clone().unwrap_or(current.password_hash))
        .bind(changes.language.clone().unwrap_or(current.language))
        .bind(i64::from(changes.disabled.unwrap_or(current.disabled)))
        .bind(changes.email.clone().unwrap_or(current.email))
        .bind(id.0)
        .execute(&mut **tx)
        .await?;
        // A changed password, role, body or status ends every open session of the account.
        let security_change = changes.password_hash.is_some()
            || changes.roles.is_some()
            || changes.org_id.is_some()
            || changes.clearance.is_some()
            || changes.disabled == Some(true);
        if security_change {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id.0)
                .execute(&mut **tx)
                .await?;
            tx.announce_access();
        }
        tx.commit().await?;
        self.user(id)
            .await?
            .ok_or_else(|| StoreError::corrupt("user vanished after update"))
    }

    pub async fn insert_session(&self, session: &SessionRecord) -> StoreResult<()> {
        let mut tx = self.db.begin_write().await?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&session.id_hash)
        .bind(session.user_id.0)
        .bind(&session.csrf_token)
        .bind(time::to_ms(session.created_at))
        .bind(time::to_ms(session.last_seen_at))
        .bind(time::to_ms(session.expires_at))
        .execute(&mut **tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The session and its user, if the session exists and has not expired at `now`.
    pub async fn session(
        &self,
        id_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<(SessionRecord, UserRecord)>> {
        let sql = format!(
            "SELECT s.id_hash, s.user_id, s.csrf_token, s.created_at AS s_created, s.last_seen_at, s.expires_at, \
             {USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND s.expires_at > $2"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id_hash)
            .bind(time::to_ms(now))
            .fetch_optional(&self.db.pool)
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let session = SessionRecord {
            id_hash: row.try_get("id_hash")?,
            user_id: UserId(row.try_get("user_id")?),
            csrf_token: row.try_get("csrf_token")?,
            created_at: time::from_ms(row.try_get("s_created")?)?,
            last_seen_at: time::from_ms(row.try_get("last_seen_at")?)?,
            expires_at: time::from_ms(row.try_get("expires_at")?)?,
        };
        Ok(Some((session, decode_user(&row)?)))
    }

    /// Records activity on a session and moves its idle expiry.
    pub async fn touch_session(
        &self,
        id_hash: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.db.begin_write().await?;
        sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE id_hash = $3")
            .bind(time::to_ms(now))
            .bind(time::to_ms(expires_at))
            .bind(id_hash)
            .execute(&mut **tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        let mut tx = self.db.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&mut **tx)
            .await?;
        tx.announce_access();
        tx.commit().await?;
        Ok(())
    }

    pub async fn insert_token(
        &self,
        token_hash: &str,
        user_id: UserId,
        name: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> StoreResult<TokenRecord> {
        let mut tx = self.db.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(token_hash)
        .bind(user_id.0)
        .bind(name)
        .bind(time::to_ms(now))
        .bind(time::to_ms(expires_at))
        .fetch_one(&mut **tx)
        .await?
        .try_get("id")?;
        tx.commit().await?;
        Ok(TokenRecord {
            id,
            user_id,
            name: name.to_owned(),
            created_at: now,
            expires_at,
        })
    }

    /// The token and its user, if the token is valid at `now`.
    pub async fn token(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> StoreResult<Option<(TokenRecord, UserRecord)>> {
        let sql = format!(
            "SELECT t.id AS t_id, t.user_id, t.name, t.created_at AS t_created, t.expires_at, {USER_COLUMNS} \
             FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(token_hash)
            .bind(time::to_ms(now))
            .fetch_optional(&self.db.pool)
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let token = TokenRecord {
            id: row.try_get("t_id")?,
            user_id: UserId(row.try_get("user_id")?),
            name: row.try_get("name")?,
            created_at: time::from_ms(row.try_get("t_created")?)?,
            expires_at: time::from_ms(row.try_get("expires_at")?)?,
        };
        Ok(Some((token, decode_user(&row)?)))
    }
}
