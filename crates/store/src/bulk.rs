//! Bulk loading of generated data sets: many organisations, users, documents and complete task
//! histories in one transaction. Each row goes through the same code as a single write, so the
//! read model equals a replay of the events; only the commits are fewer.

use crate::db::WriteTx;
use crate::documents::{self, DocumentRegistration};
use crate::error::StoreResult;
use crate::tasks::{self, Committed};
use crate::users::{self, NewUser};
use crate::{Store, orgs};
use jiff::Timestamp;
use theodoi_domain::document::Document;
use theodoi_domain::ids::{TaskId, UserId};
use theodoi_domain::org::{NewOrganisation, Organisation};
use theodoi_domain::task::event::TaskEvent;

/// An open write transaction for bulk loading. Nothing is visible to readers before
/// [`BulkWriter::commit`]; dropping the writer rolls everything back. On SQLite it holds the
/// process's write gate, so other writers of the same store wait until it ends.
pub struct BulkWriter {
    tx: WriteTx,
}

impl std::fmt::Debug for BulkWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkWriter").finish_non_exhaustive()
    }
}

impl Store {
    /// Opens a write transaction for bulk loading.
    pub async fn bulk_writer(&self) -> StoreResult<BulkWriter> {
        Ok(BulkWriter {
            tx: self.db.begin_write().await?,
        })
    }
}

impl BulkWriter {
    /// Adds an organisation under its parent, which must already exist in this transaction or
    /// before it.
    pub async fn insert_organisation(
        &mut self,
        new: &NewOrganisation,
        now: Timestamp,
    ) -> StoreResult<Organisation> {
        orgs::insert(&mut self.tx, new, now).await
    }

    /// Creates an account; returns its id.
    pub async fn insert_user(&mut self, new: &NewUser, now: Timestamp) -> StoreResult<UserId> {
        users::insert(&mut self.tx, new, now).await
    }

    /// Registers a validated document and returns it as stored.
    pub async fn register_document(
        &mut self,
        registration: &DocumentRegistration<'_>,
    ) -> StoreResult<Document> {
        let id = documents::insert(&mut self.tx, registration).await?;
        documents::load(&mut self.tx, id).await
    }

    /// Writes a task of `document` from its history, as the domain produced it: events, task
    /// row, coordinators, obligations, the parent's roll-up and the document's counts. The
    /// history must not contain a delegation; append that with [`BulkWriter::append_events`]
    /// once the sub-task is written.
    pub async fn insert_task(
        &mut self,
        document: &Document,
        history: &[TaskEvent],
    ) -> StoreResult<Committed> {
        tasks::insert_history(&mut self.tx, document, history).await
    }

    /// Appends `new` events to task `id` of `document`, whose stored events are `previous`, and
    /// rewrites its read model.
    pub async fn append_events(
        &mut self,
        document: &Document,
        id: TaskId,
        previous: &[TaskEvent],
        new: &[TaskEvent],
    ) -> StoreResult<Committed> {
        tasks::append_history(&mut self.tx, document, id, previous, new).await
    }

    /// Commits everything written through this writer.
    pub async fn commit(self) -> StoreResult<()> {
        self.tx.commit().await
    }
}
