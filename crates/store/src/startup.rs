//! A lock that serialises the first-start work of processes sharing one PostgreSQL database:
//! loading the reference data and creating the first administrator. Without it, processes
//! started together on an empty database would each find it empty and collide on inserting
//! the same rows.

use crate::error::StoreResult;
use crate::{Backend, Store};
use sqlx::Transaction;

/// Key of the PostgreSQL advisory lock; any constant that no other application on the same
/// database uses.
const STARTUP_LOCK_KEY: i64 = 0x7468_656f_646f_6931;

/// The held startup lock. On PostgreSQL it is a transaction-level advisory lock, released when
/// the guard is released or dropped (sqlx rolls the transaction back) and when the process
/// dies. On SQLite, which serves one process, it locks nothing.
#[derive(Debug)]
pub struct StartupLock {
    tx: Option<Transaction<'static, sqlx::Any>>,
}

impl StartupLock {
    /// Releases the lock.
    pub async fn release(mut self) -> StoreResult<()> {
        if let Some(tx) = self.tx.take() {
            tx.commit().await?;
        }
        Ok(())
    }
}

impl Store {
    /// Waits until no other process holds the startup lock, then takes it.
    pub async fn lock_startup(&self) -> StoreResult<StartupLock> {
        if self.db.backend != Backend::Postgres {
            return Ok(StartupLock { tx: None });
        }
        let mut tx = self.db.pool.begin().await?;
        // pg_advisory_xact_lock returns void, which the Any driver cannot decode.
        sqlx::query("SELECT 1 AS locked FROM pg_advisory_xact_lock($1)")
            .bind(STARTUP_LOCK_KEY)
            .execute(&mut *tx)
            .await?;
        Ok(StartupLock { tx: Some(tx) })
    }
}
