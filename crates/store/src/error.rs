//! Errors of the storage layer.

use theodoi_domain::DomainError;

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The domain rejected the command; nothing was written.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The record changed since the caller read it.
    #[error("version conflict: the record is at version {current}")]
    VersionConflict { current: i64 },
    /// The database is unreachable or failed; the caller may retry later.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The database URL or another setting is unusable.
    #[error("invalid database configuration: {0}")]
    Config(String),
    /// Migrations failed at start-up.
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// Stored data could not be decoded; a bug or a damaged database.
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    /// The idempotency key was used before with a different request.
    #[error("idempotency key reused with a different request")]
    IdempotencyKeyReused,
}

impl StoreError {
    pub(crate) fn corrupt(what: impl std::fmt::Display) -> Self {
        StoreError::Corrupt(what.to_string())
    }

    /// The contention behind the failure, when the database rolled the transaction back only
    /// because of concurrent transactions. Write operations of the store already retried such
    /// failures before returning them.
    pub fn contention(&self) -> Option<crate::retry::Contention> {
        crate::retry::contention_of(self)
    }

    /// Whether the failure is a violated unique constraint.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::Database(db)) if db.is_unique_violation())
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
