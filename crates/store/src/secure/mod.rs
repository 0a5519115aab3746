//! The secure zone: Mật and Tối mật data kept apart from normal data, in `secure_values`,
//! each field encrypted with AES-256-GCM under a key from a file or the environment.
//!
//! The normal tables keep only what scoping, counting and result-state queries need for a
//! classified record. Its title, symbol, issue date and signer, and the payloads and reasons
//! of its events, are sealed here. Nothing outside this module decrypts, and the read
//! functions below take the reader's [`Access`], so each read of secure-zone data passes
//! through one of them: [`open_documents`] and [`open_events`].

mod key;
mod rotate;
mod seal;

pub use key::{KEY_LEN, SecureKey};
pub use rotate::RotationReport;

use crate::error::{StoreError, StoreResult};
use seal::{Sealed, Slot};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use std::sync::Arc;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::DocumentContent;
use theodoi_domain::error::{Code, DomainError};
use theodoi_domain::user::Clearance;

/// Table names used as the owner of sealed values.
pub(crate) const DOCUMENTS: &str = "documents";
pub(crate) const DOCUMENT_EVENTS: &str = "document_events";
pub(crate) const TASK_EVENTS: &str = "task_events";

/// The `payload` of an event whose payload is sealed. It is not JSON, so it cannot be mistaken
/// for a clear payload.
pub(crate) const SEALED_PAYLOAD: &str = "";

/// The configured key, if any. Without one, classified records can be neither written nor read.
#[derive(Debug, Clone, Default)]
pub(crate) struct Zone {
    key: Option<Arc<SecureKey>>,
}

impl Zone {
    pub fn with_key(key: SecureKey) -> Self {
        Self {
            key: Some(Arc::new(key)),
        }
    }

    pub fn is_open(&self) -> bool {
        self.key.is_some()
    }

    /// Returns the key, or the localized "no secure-zone key" error on the confidentiality field.
    pub fn key(&self) -> StoreResult<&SecureKey> {
        self.key.as_deref().ok_or_else(unavailable)
    }
}

fn unavailable() -> StoreError {
    DomainError::field("confidentiality", Code::SecureZoneUnavailable, vec![]).into()
}

/// Reader of secure-zone data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    /// A user with this clearance; a level it does not cover reads as "not found".
    Reader(Clearance),
    /// The store's own command path, after the domain checked the actor's clearance, and
    /// operator tools (integrity check, key rotation).
    System,
}

impl Access {
    fn allows(self, level: Confidentiality) -> bool {
        match self {
            Access::Reader(clearance) => clearance.covers(level),
            Access::System => true,
        }
    }
}

/// The sealed fields of a classified document, in clear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DocumentFields {
    pub symbol: String,
    pub title: String,
    pub issue_date: String,
    pub signer: String,
}

const DOCUMENT_FIELDS: [&str; 4] = ["symbol", "title", "issue_date", "signer"];

/// Placeholder values of a classified document's row in its sealed columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DocumentPlaceholders {
    /// `#` and the blind index of the symbol and year, so that the table's unique constraint
    /// on (symbol, issue_year) still rejects a second document with the same symbol in a year.
    pub symbol: String,
    pub issue_year: i64,
}

/// Returns the placeholders of a classified document's row.
pub(crate) fn document_placeholders(
    key: &SecureKey,
    content: &DocumentContent,
) -> DocumentPlaceholders {
    DocumentPlaceholders {
        symbol: format!(
            "#{}",
            symbol_index(
                key,
                &content.symbol.to_string(),
                i64::from(content.issue_date.year())
            )
        ),
        issue_year: 0,
    }
}

/// Returns the blind index of a symbol in a year.
pub(crate) fn symbol_index(key: &SecureKey, symbol: &str, year: i64) -> String {
    key.blind_index(&format!("symbol\0{symbol}\0{year}"))
}

/// Seals a classified document's fields, replacing any sealed before.
pub(crate) async fn seal_document(
    conn: &mut AnyConnection,
    key: &SecureKey,
    id: i64,
    content: &DocumentContent,
) -> StoreResult<()> {
    let values = [
        content.symbol.to_string(),
        content.title.clone(),
        content.issue_date.to_string(),
        content.signer.clone(),
    ];
    for (field, value) in DOCUMENT_FIELDS.into_iter().zip(values) {
        let slot = Slot {
            owner: DOCUMENTS,
            owner_id: id,
            field,
        };
        store(conn, slot, &seal::seal(key, slot, &value)).await?;
    }
    Ok(())
}

/// Seals an event's payload and reason under the event's id.
pub(crate) async fn seal_event(
    conn: &mut AnyConnection,
    key: &SecureKey,
    owner: &'static str,
    event_id: i64,
    payload: &str,
    reason: Option<&str>,
) -> StoreResult<()> {
    let slot = Slot {
        owner,
        owner_id: event_id,
        field: "payload",
    };
    store(conn, slot, &seal::seal(key, slot, payload)).await?;
    if let Some(reason) = reason {
        let slot = Slot {
            field: "reason",
            ..slot
        };
        store(conn, slot, &seal::seal(key, slot, reason)).await?;
    }
    Ok(())
}

tokio::task_local! {
    static READS: SecureReads;
}

/// The classified documents a reader opened while a future ran, for the audit trail. The
/// server runs each request inside [`SecureReads::scope`] and records what it gathered; work
/// outside a scope (the scheduler, operator tools) notes nothing.
#[derive(Debug, Clone, Default)]
pub struct SecureReads(std::sync::Arc<std::sync::Mutex<Vec<(&'static str, i64)>>>);

impl SecureReads {
    /// Runs `future`, gathering the reads it makes into this journal.
    pub async fn scope<F: std::future::Future>(&self, future: F) -> F::Output {
        READS.scope(self.clone(), future).await
    }

    /// Notes that the current scope's reader opened record `id` of `kind`, once per record.
    pub fn note(kind: &'static str, id: i64) {
        let _ = READS.try_with(|reads| {
            let mut reads = reads
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if !reads.contains(&(kind, id)) {
                reads.push((kind, id));
            }
        });
    }

    /// The records gathered so far, leaving the journal empty.
    pub fn take(&self) -> Vec<(&'static str, i64)> {
        std::mem::take(
            &mut *self
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        )
    }
}

/// Opens the sealed fields of classified documents, given as (id, level) pairs. A document
/// the reader's clearance does not cover fails as "not found", like a missing one.
pub(crate) async fn open_documents(
    conn: &mut AnyConnection,
    zone: &Zone,
    access: Access,
    documents: &[(i64, Confidentiality)],
) -> StoreResult<HashMap<i64, DocumentFields>> {
    let Some(Loaded {
        key,
        ids,
        mut sealed,
    }) = load_for(
        conn,
        zone,
        access,
        DOCUMENTS,
        documents,
        Code::DocumentNotFound,
    )
    .await?
    else {
        return Ok(HashMap::new());
    };
    let mut opened = HashMap::with_capacity(ids.len());
    for id in ids {
        if matches!(access, Access::Reader(_)) {
            SecureReads::note("document", id);
        }
        let mut field = |name: &'static str| {
            let slot = Slot {
                owner: DOCUMENTS,
                owner_id: id,
                field: name,
            };
            let value = sealed.remove(&(id, name.to_owned())).ok_or_else(|| {
                StoreError::corrupt(format!("document {id} has no sealed {name}"))
            })?;
            open_one(key, slot, &value)
        };
        opened.insert(
            id,
            DocumentFields {
                symbol: field("symbol")?,
                title: field("title")?,
                issue_date: field("issue_date")?,
                signer: field("signer")?,
            },
        );
    }
    Ok(opened)
}

/// An event's payload and reason, in clear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EventFields {
    pub payload: String,
    pub reason: Option<String>,
}

/// Opens the sealed payloads and reasons of events of `owner` (`task_events` or
/// `document_events`), given as (event id, level of its record) pairs.
pub(crate) async fn open_events(
    conn: &mut AnyConnection,
    zone: &Zone,
    access: Access,
    owner: &'static str,
    events: &[(i64, Confidentiality)],
) -> StoreResult<HashMap<i64, EventFields>> {
    let Some(Loaded {
        key,
        ids,
        mut sealed,
    }) = load_for(conn, zone, access, owner, events, Code::TaskNotFound).await?
    else {
        return Ok(HashMap::new());
    };
    let mut opened = HashMap::with_capacity(ids.len());
    for id in ids {
        let slot = Slot {
            owner,
            owner_id: id,
            field: "payload",
        };
        let payload = sealed
            .remove(&(id, "payload".to_owned()))
            .ok_or_else(|| StoreError::corrupt(format!("{owner} {id} has no sealed payload")))?;
        let payload = open_one(key, slot, &payload)?;
        let reason = match sealed.remove(&(id, "reason".to_owned())) {
            Some(value) => Some(open_one(
                key,
                Slot {
                    field: "reason",
                    ..slot
                },
                &value,
            )?),
            None => None,
        };
        opened.insert(id, EventFields { payload, reason });
    }
    Ok(opened)
}

/// Sealed values loaded for a reader, with the key that opens them.
struct Loaded<'a> {
    key: &'a SecureKey,
    ids: Vec<i64>,
    sealed: HashMap<(i64, String), Sealed>,
}

/// Checks that `access` covers the level of every record, then loads the records' sealed
/// values. Returns `None` when there is nothing to open. A level the reader may not see fails
/// with `not_found`, the answer for a missing record.
async fn load_for<'a>(
    conn: &mut AnyConnection,
    zone: &'a Zone,
    access: Access,
    owner: &str,
    records: &[(i64, Confidentiality)],
    not_found: Code,
) -> StoreResult<Option<Loaded<'a>>> {
    if records.is_empty() {
        return Ok(None);
    }
    if records.iter().any(|(_, level)| !access.allows(*level)) {
        return Err(DomainError::not_found(not_found, vec![]).into());
    }
    let key = zone.key()?;
    let ids: Vec<i64> = records.iter().map(|(id, _)| *id).collect();
    let sealed = load(conn, owner, &ids).await?;
    Ok(Some(Loaded { key, ids, sealed }))
}

fn open_one(key: &SecureKey, slot: Slot<'_>, sealed: &Sealed) -> StoreResult<String> {
    seal::open(key, slot, sealed).map_err(|error| {
        StoreError::corrupt(format!(
            "secure value {} {} {}: {error}",
            slot.owner, slot.owner_id, slot.field
        ))
    })
}

async fn store(conn: &mut AnyConnection, slot: Slot<'_>, sealed: &Sealed) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO secure_values (owner, owner_id, field, key_id, nonce, ciphertext) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (owner, owner_id, field) DO UPDATE SET key_id = excluded.key_id, \
         nonce = excluded.nonce, ciphertext = excluded.ciphertext",
    )
    .bind(slot.owner)
    .bind(slot.owner_id)
    .bind(slot.field)
    .bind(&sealed.key_id)
    .bind(&sealed.nonce)
    .bind(&sealed.ciphertext)
    .execute(conn)
    .await?;
    Ok(())
}

/// Loads the sealed values of the rows `ids` of `owner`, keyed by (id, field).
async fn load(
    conn: &mut AnyConnection,
    owner: &str,
    ids: &[i64],
) -> StoreResult<HashMap<(i64, String), Sealed>> {
    let mut values = HashMap::new();
    // Bounded batches keep each statement far below the backends' parameter limits.
    for chunk in ids.chunks(500) {
        let mut sql = crate::sql::Sql::new(
            "SELECT owner_id, field, key_id, nonce, ciphertext FROM secure_values WHERE owner = ",
        );
        sql.bind(owner);
        sql.push(" AND owner_id IN ");
        sql.bind_list(chunk);
        for row in sql.query().fetch_all(&mut *conn).await? {
            values.insert(
                (row.try_get("owner_id")?, row.try_get("field")?),
                Sealed {
                    key_id: row.try_get("key_id")?,
                    nonce: row.try_get("nonce")?,
                    ciphertext: row.try_get("ciphertext")?,
                },
            );
        }
    }
    Ok(values)
}

/// Returns whether a stored symbol is the placeholder of a classified document, because
/// real symbols start with their number.
pub(crate) fn is_placeholder_symbol(symbol: &str) -> bool {
    symbol.starts_with('#')
}

/// Replaces the placeholder symbols among `symbols` (document id and symbol, as a list query
/// joined them) with the opened ones.
pub(crate) async fn reveal_symbols(
    conn: &mut AnyConnection,
    zone: &Zone,
    access: Access,
    symbols: &mut [(i64, &mut String)],
) -> StoreResult<()> {
    let mut ids: Vec<i64> = symbols
        .iter()
        .filter(|(_, symbol)| is_placeholder_symbol(symbol))
        .map(|(id, _)| *id)
        .collect();
    if ids.is_empty() {
        return Ok(());
    }
    ids.sort_unstable();
    ids.dedup();
    let mut sql = crate::sql::Sql::new("SELECT id, confidentiality FROM documents WHERE id IN ");
    sql.bind_list(&ids);
    let mut documents = Vec::with_capacity(ids.len());
    for row in sql.query().fetch_all(&mut *conn).await? {
        let level: String = row.try_get("confidentiality")?;
        let level = Confidentiality::parse(&level)
            .ok_or_else(|| StoreError::corrupt(format!("confidentiality {level}")))?;
        documents.push((row.try_get::<i64, _>("id")?, level));
    }
    let opened = open_documents(conn, zone, access, &documents).await?;
    for (id, symbol) in symbols.iter_mut() {
        if let Some(fields) = opened.get(id) {
            **symbol = fields.symbol.clone();
        }
    }
    Ok(())
}

impl crate::Store {
    /// Opens the placeholder symbols of list rows for a reader of `scope`.
    pub(crate) async fn reveal_symbols(
        &self,
        scope: &crate::Scope,
        symbols: &mut [(i64, &mut String)],
    ) -> StoreResult<()> {
        if !symbols
            .iter()
            .any(|(_, symbol)| is_placeholder_symbol(symbol))
        {
            return Ok(());
        }
        let mut conn = self.db.pool.acquire().await?;
        let access = Access::Reader(scope.clearance);
        reveal_symbols(&mut conn, &self.db.secure, access, symbols).await
    }
}
