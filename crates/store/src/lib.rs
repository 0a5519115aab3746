//! Persistence of theodoi behind one interface, on SQLite (embedded default) or PostgreSQL.
//!
//! Writes follow one pattern: open a write transaction, load what the domain needs, let the
//! domain decide, append the resulting events, rewrite the read model from them, commit. Lists
//! and counts read the read model and never replay events.

mod abandon;
mod attachments;
mod audit;
mod bulk;
mod calendar;
mod catalogue;
pub mod changes;
mod dashboard;
mod db;
mod documents;
mod error;
mod idempotency;
mod integrity;
mod jobs;
mod login;
mod notified;
mod obligation_list;
mod obligation_summary;
mod open_counts;
mod open_updates;
mod orgs;
mod outbox;
mod page;
pub mod queues;
mod read_model;
mod retry;
mod reuse;
mod row_sync;
mod saved_views;
mod scope;
mod secure;
mod sql;
mod startup;
mod table_state;
mod task_counts;
mod task_list;
mod task_viewers;
mod tasks;
#[cfg(feature = "testing")]
pub mod testing;
mod time;
pub mod transfer;
mod users;
mod wide_bodies;

pub use abandon::install_drivers;
pub use attachments::{Attachment, AttachmentId, NewAttachment};
pub use audit::{
    AuditProblem, AuditVerification, CheckpointFault, ExportedProblem, SecurityEvent,
    SecuritySubject, StoredCheckpoint,
};
pub use bulk::BulkWriter;
pub use calendar::CalendarOverrides;
pub use catalogue::StoredEntry;
pub use dashboard::{
    BodyCounts, MonthTrend, OpenObligationCounts, TallyCell, TallyTotals, TaskTally,
    UpcomingDeadlines,
};
pub use db::{Backend, OpenOptions, redact, sqlite_url};
pub use documents::{DocumentFilter, DocumentRegistration, TaskGroup};
pub use error::{StoreError, StoreResult};
pub use idempotency::{Created, IdempotencyKey};
pub use integrity::{Finding, IntegrityCheck, IntegrityReport};
pub use login::{LoginFailures, TotpRecord};
pub use notified::EventSummary;
pub use obligation_list::{ObligationFilter, ObligationQuery, ObligationRow};
pub use outbox::{MailItem, MailOutcome, MailSubject, MailTaskText};
pub use page::{Cursor, DEFAULT_PAGE, MAX_PAGE, Page, PageRequest};
pub use retry::{Contention, ErrorSource, classify, classify_code};
pub use reuse::Reuse;
pub use saved_views::SavedView;
pub use scope::{Scope, Visibility};
pub use secure::{KEY_LEN, RotationReport, SecureKey, SecureReads};
pub use startup::StartupLock;
pub use table_state::TableState;
pub use task_list::{StateCounts, TaskFilter, TaskRow, TaskSort};
pub use tasks::{Committed, StoredEvent, TaskHistory};
pub use users::{NewUser, SessionRecord, TokenRecord, UserChanges, UserRecord};

/// The database error type, for callers that classify failures.
pub use sqlx::Error as SqlxError;

use jiff::Timestamp;

/// The database of one installation.
#[derive(Debug, Clone)]
pub struct Store {
    db: db::Db,
}

impl Store {
    /// Connects to `url` (`sqlite://PATH` or `postgres://…`), creating an SQLite file and its
    /// folder when missing, and applies pending migrations.
    pub async fn open(url: &str) -> StoreResult<Store> {
        Store::open_with(url, OpenOptions::default()).await
    }

    /// Connects like [`Store::open`] with other connection settings.
    pub async fn open_with(url: &str, options: OpenOptions) -> StoreResult<Store> {
        let db = db::Db::connect(url, options).await?;
        db.migrate().await?;
        Ok(Store { db })
    }

    /// Sets the key of the secure zone, which classified documents and tasks need.
    pub fn with_secure_key(mut self, key: SecureKey) -> Store {
        self.db.secure = secure::Zone::with_key(key);
        self
    }

    /// Whether a secure-zone key is configured, so classified records can be written and read.
    pub fn secure_zone_open(&self) -> bool {
        self.db.secure.is_open()
    }

    pub fn backend(&self) -> Backend {
        self.db.backend
    }

    /// Returns the id this store sends with its change notices; see [`changes`].
    pub fn origin(&self) -> &str {
        &self.db.origin
    }

    /// Loads the shipped reference data into an empty database: the organisation tree and the
    /// default classification catalogues. Processes starting together take turns.
    pub async fn seed(&self, now: Timestamp) -> StoreResult<()> {
        let lock = self.lock_startup().await?;
        self.seed_organisations(now).await?;
        self.seed_catalogue().await?;
        lock.release().await
    }

    /// Connects to an existing database without applying migrations, for tools that only
    /// read. An SQLite file is still created when missing, so callers check for it first.
    pub async fn connect(url: &str) -> StoreResult<Store> {
        let db = db::Db::connect(url, OpenOptions::default()).await?;
        Ok(Store { db })
    }

    /// Makes task commands write e-mail notices to the outbox, for a server that sends e-mail.
    pub fn enable_mail_outbox(&mut self) {
        self.db.mail_outbox = true;
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.db.pool).await?;
        Ok(())
    }

    /// Closes every connection, waiting for those in use.
    pub async fn close(&self) {
        self.db.close().await;
    }
}
