//! Documents that assign tasks, their groups and their history.

use crate::audit::{self, PendingEntry};
use crate::db::{Locked, WriteTx};
use crate::error::{StoreError, StoreResult};
use crate::idempotency::{self, Created, IdempotencyKey};
use crate::page::{Cursor, Page, PageRequest};
use crate::read_model::task_search;
use crate::retry::{self, RetryPolicy};
use crate::scope::Scope;
use crate::secure::{self, Access, DocumentFields, SecureKey, Zone};
use crate::sql::Sql;
use crate::{Store, time};
use jiff::{Timestamp, civil::Date};
use serde::Serialize;
use sqlx::{AnyConnection, Row};
use theodoi_domain::audit::Source;
use theodoi_domain::catalogue::Classification;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::{Document, DocumentContent, DocumentKind};
use theodoi_domain::error::{Code, DomainError};
use theodoi_domain::ids::{DocumentId, GroupId, OrgId, UserId};
use theodoi_domain::symbol::DocumentSymbol;
use theodoi_domain::text::{query_words, search_words};
use theodoi_domain::user::Actor;

/// A group of tasks inside a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskGroup {
    pub id: GroupId,
    pub document_id: DocumentId,
    pub name: String,
    pub classification: Classification,
    pub position: i64,
}

/// Filters of the document list.
#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    pub text: Option<String>,
    pub kind: Option<DocumentKind>,
    pub issued_from: Option<Date>,
    pub issued_to: Option<Date>,
    /// Only documents whose tasks are not all transferred yet.
    pub awaiting_entry: bool,
}

/// Everything stored about a new document besides its content.
#[derive(Debug, Clone)]
pub struct DocumentRegistration<'a> {
    pub content: &'a DocumentContent,
    pub entry_due: Timestamp,
    pub calendar_version: &'a str,
    pub actor: &'a Actor,
    pub now: Timestamp,
    pub reason: Option<&'a str>,
}

const COLUMNS: &str = "d.id, d.kind, d.symbol, d.title, d.issue_date, d.signer, d.issuing_body, \
    d.assigning_authority, d.monitoring_body, d.confidentiality, d.summary, d.entry_due, \
    d.calendar_version, d.registered_by, d.registered_body, d.registered_at, d.task_count, d.version";

fn row_level(row: &sqlx::any::AnyRow) -> StoreResult<Confidentiality> {
    let confidentiality: String = row.try_get("confidentiality")?;
    Confidentiality::parse(&confidentiality)
        .ok_or_else(|| StoreError::corrupt(format!("confidentiality {confidentiality}")))
}

/// Decodes document rows, opening the sealed fields of classified ones for `access`.
async fn decode_rows(
    conn: &mut AnyConnection,
    zone: &Zone,
    access: Access,
    rows: &[sqlx::any::AnyRow],
) -> StoreResult<Vec<Document>> {
    let mut classified = Vec::new();
    for row in rows {
        let level = row_level(row)?;
        if level.is_classified() {
            classified.push((row.try_get::<i64, _>("id")?, level));
        }
    }
    let mut opened = secure::open_documents(conn, zone, access, &classified).await?;
    rows.iter()
        .map(|row| {
            let id: i64 = row.try_get("id")?;
            decode(row, opened.remove(&id))
        })
        .collect()
}

/// Decodes one row. `sealed` contains the opened fields of a classified document.
fn decode(row: &sqlx::any::AnyRow, sealed: Option<DocumentFields>) -> StoreResult<Document> {
    let kind: String = row.try_get("kind")?;
    let level = row_level(row)?;
    let fields = match sealed {
        Some(fields) => fields,
        None if level.is_classified() => {
            return Err(StoreError::corrupt(
                "a classified document was read unopened",
            ));
        }
        None => DocumentFields {
            symbol: row.try_get("symbol")?,
            title: row.try_get("title")?,
            issue_date: row.try_get("issue_date")?,
            signer: row.try_get("signer")?,
        },
    };
    Ok(Document {
        id: DocumentId(row.try_get("id")?),
        content: DocumentContent {
            kind: DocumentKind::parse(&kind)
                .ok_or_else(|| StoreError::corrupt(format!("kind {kind}")))?,
            symbol: DocumentSymbol::parse("symbol", &fields.symbol).map_err(StoreError::corrupt)?,
            title: fields.title,
            issue_date: time::parse_date(&fields.issue_date)?,
            signer: fields.signer,
            issuing_body: OrgId(row.try_get("issuing_body")?),
            assigning_authority: OrgId(row.try_get("assigning_authority")?),
            monitoring_body: OrgId(row.try_get("monitoring_body")?),
            confidentiality: level,
            summary: row.try_get("summary")?,
        },
        entry_due: time::from_ms(row.try_get("entry_due")?)?,
        calendar_version: row.try_get("calendar_version")?,
        registered_by: UserId(row.try_get("registered_by")?),
        registered_body: OrgId(row.try_get("registered_body")?),
        registered_at: time::from_ms(row.try_get("registered_at")?)?,
        task_count: u32::try_from(row.try_get::<i64, _>("task_count")?).unwrap_or(u32::MAX),
        version: row.try_get("version")?,
    })
}

/// Returns the folded search words of a document; none for a classified one, whose words
/// would reveal its sealed title and symbol.
fn search_text(content: &DocumentContent) -> String {
    if content.confidentiality.is_classified() {
        return String::new();
    }
    format!(
        "{}{}{}",
        search_words(&content.symbol.to_string()),
        search_words(&content.title),
        content
            .summary
            .as_deref()
            .map(search_words)
            .unwrap_or_default()
    )
}

/// Appends a document event in the caller's transaction.
pub(crate) async fn append_event(
    tx: &mut WriteTx,
    document_id: DocumentId,
    actor: &Actor,
    at: Timestamp,
    reason: Option<&str>,
    kind: &str,
    payload: &serde_json::Value,
) -> StoreResult<()> {
    let row = sqlx::query(
        "SELECT (SELECT COALESCE(MAX(seq), 0) + 1 FROM document_events WHERE document_id = $1) AS seq, \
         confidentiality FROM documents WHERE id = $1",
    )
    .bind(document_id.0)
    .fetch_one(&mut ***tx)
    .await?;
    let seq: i64 = row.try_get("seq")?;
    // A classified document's event keeps its kind in clear and its payload and reason sealed.
    let sealing = if row_level(&row)?.is_classified() {
        Some(tx.zone.key()?.clone())
    } else {
        None
    };
    let payload = payload.to_string();
    let (clear_payload, clear_reason) = match sealing {
        Some(_) => (secure::SEALED_PAYLOAD, None),
        None => (payload.as_str(), reason),
    };
    let event_id: i64 = sqlx::query(
        "INSERT INTO document_events (document_id, seq, at, actor, body, reason, kind, payload) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(document_id.0)
    .bind(seq)
    .bind(time::to_ms(at))
    .bind(actor.user_id.0)
    .bind(actor.org_id.0)
    .bind(clear_reason)
    .bind(kind)
    .bind(clear_payload)
    .fetch_one(&mut ***tx)
    .await?
    .try_get("id")?;
    // The entry hashes the row as stored, so `audit verify` needs no secure-zone key.
    tx.audit(PendingEntry {
        source: Source::DocumentEvents,
        row_id: event_id,
        at_ms: time::to_ms(at),
        kind: kind.to_owned(),
        actor: Some(actor.user_id.0),
        body: Some(actor.org_id.0),
        subject: Some(document_id.0),
        subject_seq: Some(seq),
        payload_digest: audit::event_digest(clear_reason, clear_payload),
    });
    if let Some(key) = sealing {
        secure::seal_event(
            tx,
            &key,
            secure::DOCUMENT_EVENTS,
            event_id,
            &payload,
            reason,
        )
        .await?;
    }
    Ok(())
}

/// Rewrites the search words of the document's tasks, which contain its symbol and title.
async fn refresh_task_search(
    tx: &mut WriteTx,
    id: DocumentId,
    content: &DocumentContent,
) -> StoreResult<()> {
    let rows = sqlx::query("SELECT id, content FROM tasks WHERE document_id = $1")
        .bind(id.0)
        .fetch_all(&mut ***tx)
        .await?;
    for row in rows {
        let task: i64 = row.try_get("id")?;
        let task_content: Option<String> = row.try_get("content")?;
        sqlx::query("UPDATE tasks SET search = $1 WHERE id = $2")
            .bind(task_search(task_content.as_deref(), content))
            .bind(task)
            .execute(&mut ***tx)
            .await?;
    }
    Ok(())
}

/// Loads a document for the write path, whose commands the domain checks against the actor.
pub(crate) async fn load(tx: &mut WriteTx, id: DocumentId) -> StoreResult<Document> {
    let zone = tx.zone.clone();
    load_with(tx, &zone, Access::System, id).await
}

/// Loads a document through any connection or transaction.
pub(crate) async fn load_with(
    conn: &mut AnyConnection,
    zone: &Zone,
    access: Access,
    id: DocumentId,
) -> StoreResult<Document> {
    let sql = format!("SELECT {COLUMNS} FROM documents d WHERE d.id = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| DomainError::not_found(Code::DocumentNotFound, vec![]))?;
    let mut documents = decode_rows(conn, zone, access, std::slice::from_ref(&row)).await?;
    documents
        .pop()
        .ok_or_else(|| StoreError::corrupt("a decoded row vanished"))
}

/// The values written into a document's row: its own, or placeholders for a classified one.
struct RowValues {
    symbol: String,
    issue_year: i64,
    title: String,
    issue_date: String,
    signer: String,
    sealing: Option<SecureKey>,
}

impl RowValues {
    fn of(tx: &WriteTx, content: &DocumentContent, registered_at: Timestamp) -> StoreResult<Self> {
        if !content.confidentiality.is_classified() {
            return Ok(Self {
                symbol: content.symbol.to_string(),
                issue_year: i64::from(content.issue_date.year()),
                title: content.title.clone(),
                issue_date: content.issue_date.to_string(),
                signer: content.signer.clone(),
                sealing: None,
            });
        }
        let key = tx.zone.key()?.clone();
        let placeholders = secure::document_placeholders(&key, content);
        // The registration date stands in for the sealed issue date, so that lists sorted by
        // date keep classified documents near their real place: documents are entered within
        // days of their issue.
        let registered_on = registered_at
            .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(7)))
            .date();
        Ok(Self {
            symbol: placeholders.symbol,
            issue_year: placeholders.issue_year,
            title: String::new(),
            issue_date: registered_on.to_string(),
            signer: String::new(),
            sealing: Some(key),
        })
    }
}

/// Whether a document of the other kind of storage (clear or sealed) already uses the symbol
/// in the year; the unique constraint catches a second document of the same kind.
async fn symbol_taken_elsewhere(
    tx: &mut WriteTx,
    content: &DocumentContent,
    except: Option<DocumentId>,
) -> StoreResult<bool> {
    let symbol = content.symbol.to_string();
    let year = i64::from(content.issue_date.year());
    let (stored_symbol, stored_year) = if content.confidentiality.is_classified() {
        (symbol, year)
    } else {
        // Without a key no classified document can exist in this installation's writes, but
        // one written with a key cannot be matched either.
        // TODO: a Thường document registered while the server has no key is not checked against classified symbols.
        let Ok(key) = tx.zone.key() else {
            return Ok(false);
        };
        (format!("#{}", secure::symbol_index(key, &symbol, year)), 0)
    };
    let found = sqlx::query("SELECT id FROM documents WHERE symbol = $1 AND issue_year = $2")
        .bind(stored_symbol)
        .bind(stored_year)
        .fetch_optional(&mut ***tx)
        .await?;
    Ok(match found {
        Some(row) => Some(DocumentId(row.try_get("id")?)) != except,
        None => false,
    })
}

/// Inserts a validated document and its `registered` event in the caller's transaction.
pub(crate) async fn insert(
    tx: &mut WriteTx,
    registration: &DocumentRegistration<'_>,
) -> StoreResult<DocumentId> {
    let content = registration.content;
    // The domain rejects Tuyệt mật before any input reaches the store. This check covers
    // callers that build content themselves, such as the bulk writer.
    content.confidentiality.ensure_storable()?;
    if symbol_taken_elsewhere(tx, content, None).await? {
        return Err(duplicate_symbol(content));
    }
    let values = RowValues::of(tx, content, registration.now)?;
    let inserted = sqlx::query(
        "INSERT INTO documents (kind, symbol, issue_year, title, issue_date, signer, issuing_body, \
         assigning_authority, monitoring_body, confidentiality, summary, entry_due, calendar_version, \
         registered_by, registered_body, registered_at, search) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
    )
    .bind(content.kind.as_str())
    .bind(&values.symbol)
    .bind(values.issue_year)
    .bind(&values.title)
    .bind(&values.issue_date)
    .bind(&values.signer)
    .bind(content.issuing_body.0)
    .bind(content.assigning_authority.0)
    .bind(content.monitoring_body.0)
    .bind(content.confidentiality.as_str())
    .bind(content.summary.clone())
    .bind(time::to_ms(registration.entry_due))
    .bind(registration.calendar_version)
    .bind(registration.actor.user_id.0)
    .bind(registration.actor.org_id.0)
    .bind(time::to_ms(registration.now))
    .bind(search_text(content))
    .fetch_one(&mut ***tx)
    .await
    .map_err(StoreError::from);
    let id = match inserted {
        Ok(row) => DocumentId(row.try_get("id")?),
        Err(error) if error.is_unique_violation() => return Err(duplicate_symbol(content)),
        Err(error) => return Err(error),
    };
    if let Some(key) = &values.sealing {
        secure::seal_document(tx, key, id.0, content).await?;
    }
    let payload = serde_json::to_value(content).map_err(StoreError::corrupt)?;
    append_event(
        tx,
        id,
        registration.actor,
        registration.now,
        registration.reason,
        "registered",
        &payload,
    )
    .await?;
    Ok(id)
}

fn duplicate_symbol(content: &DocumentContent) -> StoreError {
    DomainError::field(
        "symbol",
        Code::SymbolDuplicate,
        vec![
            ("symbol", content.symbol.to_string().into()),
            ("year", i64::from(content.issue_date.year()).into()),
        ],
    )
    .into()
}

impl Store {
    /// Registers a validated document. A symbol already used in the same year is reported on
    /// the `symbol` field.
    pub async fn register_document(
        &self,
        registration: &DocumentRegistration<'_>,
        key: Option<&IdempotencyKey>,
    ) -> StoreResult<Created<Document>> {
        retry::run(RetryPolicy::WRITES, "register document", || {
            self.register_document_once(registration, key)
        })
        .await
    }

    async fn register_document_once(
        &self,
        registration: &DocumentRegistration<'_>,
        key: Option<&IdempotencyKey>,
    ) -> StoreResult<Created<Document>> {
        let mut tx = self.db.begin_write().await?;
        if let Some(key) = key
            && let Some(id) = idempotency::find(&mut tx, key, "document").await?
        {
            let value = load(&mut tx, DocumentId(id)).await?;
            return Ok(Created {
                value,
                replayed: true,
            });
        }
        let id = insert(&mut tx, registration).await?;
        if let Some(key) = key {
            idempotency::remember(&mut tx, key, "document", id.0, registration.now).await?;
        }
        let value = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(Created {
            value,
            replayed: false,
        })
    }

    /// The document, for callers that checked the reader's scope themselves or act for the
    /// system.
    pub async fn document(&self, id: DocumentId) -> StoreResult<Option<Document>> {
        let sql = format!("SELECT {COLUMNS} FROM documents d WHERE d.id = $1");
        let mut conn = self.db.pool.acquire().await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?;
        let rows: Vec<_> = row.into_iter().collect();
        let documents = decode_rows(&mut conn, &self.db.secure, Access::System, &rows).await?;
        Ok(documents.into_iter().next())
    }

    /// How many of each document's tasks and sub-tasks (not cancelled) the reader may see.
    pub async fn visible_task_counts(
        &self,
        scope: &Scope,
        ids: &[DocumentId],
    ) -> StoreResult<std::collections::HashMap<DocumentId, u32>> {
        let mut counts = std::collections::HashMap::new();
        if ids.is_empty() {
            return Ok(counts);
        }
        let raw: Vec<i64> = ids.iter().map(|id| id.0).collect();
        let mut sql = Sql::new(
            "SELECT t.document_id, COUNT(*) AS n FROM tasks t \
             WHERE t.status <> 'cancelled' AND t.document_id IN ",
        );
        sql.bind_list(&raw);
        scope.restrict_tasks(&mut sql);
        sql.push(" GROUP BY t.document_id");
        for row in sql.query().fetch_all(&self.db.pool).await? {
            let n: i64 = row.try_get("n")?;
            counts.insert(
                DocumentId(row.try_get("document_id")?),
                u32::try_from(n).unwrap_or(u32::MAX),
            );
        }
        Ok(counts)
    }

    /// The document, if the reader may see it.
    pub async fn visible_document(
        &self,
        scope: &Scope,
        id: DocumentId,
    ) -> StoreResult<Option<Document>> {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM documents d WHERE d.id = "));
        sql.bind(id.0);
        scope.restrict_documents(&mut sql);
        let mut conn = self.db.pool.acquire().await?;
        let rows: Vec<_> = sql
            .query()
            .fetch_optional(&mut *conn)
            .await?
            .into_iter()
            .collect();
        let access = Access::Reader(scope.clearance);
        let documents = decode_rows(&mut conn, &self.db.secure, access, &rows).await?;
        Ok(documents.into_iter().next())
    }

    /// Replaces a document's content at `expected_version`, recording the correction.
    pub async fn correct_document(
        &self,
        id: DocumentId,
        expected_version: Option<i64>,
        decide: impl Fn(&Document) -> Result<(DocumentContent, Timestamp, String), DomainError>,
        actor: &Actor,
        now: Timestamp,
        reason: Option<&str>,
    ) -> StoreResult<Document> {
        retry::run(RetryPolicy::WRITES, "correct document", || {
            self.correct_document_once(id, expected_version, &decide, actor, now, reason)
        })
        .await
    }

    async fn correct_document_once(
        &self,
        id: DocumentId,
        expected_version: Option<i64>,
        decide: &impl Fn(&Document) -> Result<(DocumentContent, Timestamp, String), DomainError>,
        actor: &Actor,
        now: Timestamp,
        reason: Option<&str>,
    ) -> StoreResult<Document> {
        let mut tx = self.db.begin_write().await?;
        tx.lock_tasks_of(id.0).await?;
        let current = load(&mut tx, id).await?;
        if expected_version.is_some_and(|expected| expected != current.version) {
            return Err(StoreError::VersionConflict {
                current: current.version,
            });
        }
        let (content, entry_due, calendar_version) = decide(&current)?;
        content.confidentiality.ensure_storable()?;
        if !current.content.confidentiality.is_classified()
            && content.confidentiality.is_classified()
        {
            // The document's history already contains its details in clear text and cannot be rewritten.
            return Err(DomainError::field(
                "confidentiality",
                Code::ClassifyAfterRegistration,
                vec![],
            )
            .into());
        }
        if symbol_taken_elsewhere(&mut tx, &content, Some(id)).await? {
            return Err(duplicate_symbol(&content));
        }
        let values = RowValues::of(&tx, &content, current.registered_at)?;
        let updated = sqlx::query(
            "UPDATE documents SET kind = $1, symbol = $2, issue_year = $3, title = $4, issue_date = $5, \
             signer = $6, issuing_body = $7, assigning_authority = $8, monitoring_body = $9, summary = $10, \
             entry_due = $11, calendar_version = $12, search = $13, confidentiality = $16, \
             version = version + 1 WHERE id = $14 AND version = $15",
        )
        .bind(content.kind.as_str())
        .bind(&values.symbol)
        .bind(values.issue_year)
        .bind(&values.title)
        .bind(&values.issue_date)
        .bind(&values.signer)
        .bind(content.issuing_body.0)
        .bind(content.assigning_authority.0)
        .bind(content.monitoring_body.0)
        .bind(content.summary.clone())
        .bind(time::to_ms(entry_due))
        .bind(&calendar_version)
        .bind(search_text(&content))
        .bind(id.0)
        .bind(current.version)
        .bind(content.confidentiality.as_str())
        .execute(&mut **tx)
        .await
        .map_err(StoreError::from);
        match updated {
            Err(error) if error.is_unique_violation() => return Err(duplicate_symbol(&content)),
            Err(error) => return Err(error),
            Ok(result) if result.rows_affected() != 1 => {
                return Err(StoreError::VersionConflict {
                    current: current.version + 1,
                });
            }
            Ok(_) => {}
        }
        match &values.sealing {
            Some(key) => secure::seal_document(&mut tx, key, id.0, &content).await?,
            None => {
                sqlx::query("DELETE FROM secure_values WHERE owner = $1 AND owner_id = $2")
                    .bind(secure::DOCUMENTS)
                    .bind(id.0)
                    .execute(&mut **tx)
                    .await?;
            }
        }
        refresh_task_search(&mut tx, id, &content).await?;
        let payload = serde_json::to_value(&content).map_err(StoreError::corrupt)?;
        append_event(&mut tx, id, actor, now, reason, "corrected", &payload).await?;
        let value = load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(value)
    }

    /// Documents the reader may see, newest issue date first.
    pub async fn list_documents(
        &self,
        scope: &Scope,
        filter: &DocumentFilter,
        page: &PageRequest,
    ) -> StoreResult<Page<Document>> {
        let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM documents d WHERE 1 = 1"));
        scope.restrict_documents(&mut sql);
        for word in filter.text.as_deref().map(query_words).unwrap_or_default() {
            // Each word matches the beginning of a word: "ha" finds "Hà", not "Thanh".
            sql.push(" AND d.search LIKE ")
                .bind(format!("% {}%", escape_like(&word)))
                .push(" ESCAPE '\\'");
        }
        if let Some(kind) = filter.kind {
            sql.push(" AND d.kind = ").bind(kind.as_str());
        }
        if let Some(from) = filter.issued_from {
            sql.push(" AND d.issue_date >= ").bind(from.to_string());
        }
        if let Some(to) = filter.issued_to {
            sql.push(" AND d.issue_date <= ").bind(to.to_string());
        }
        if filter.awaiting_entry {
            sql.push(" AND (d.task_count = 0 OR d.transferred_count < d.task_count)");
        }
        if let Some(after) = page
            .after
            .as_ref()
            .filter(|cursor| cursor.sort == "issue_date")
        {
            let key = after.key.clone().unwrap_or_default();
            sql.push(" AND (d.issue_date < ")
                .bind(key.clone())
                .push(" OR (d.issue_date = ")
                .bind(key)
                .push(" AND d.id < ")
                .bind(after.id)
                .push("))");
        }
        let limit = page.limit();
        sql.push(" ORDER BY d.issue_date DESC, d.id DESC")
            .limit(i64::from(limit) + 1);
        let mut conn = self.db.pool.acquire().await?;
        let rows = sql.query().fetch_all(&mut *conn).await?;
        let access = Access::Reader(scope.clearance);
        let documents = decode_rows(&mut conn, &self.db.secure, access, &rows).await?;
        Ok(Page::from_rows(documents, limit, |document| Cursor {
            key: Some(document.content.issue_date.to_string()),
            id: document.id.0,
            sort: "issue_date".into(),
        }))
    }

    /// Adds a task group at the end of a document's groups.
    pub async fn add_group(
        &self,
        document_id: DocumentId,
        name: &str,
        classification: &Classification,
        actor: &Actor,
        now: Timestamp,
    ) -> StoreResult<TaskGroup> {
        self.add_group_once(document_id, name, classification, actor, now, None)
            .await
            .map(|created| created.value)
    }

    /// Adds a task group unless a request with the same idempotency key already did.
    pub async fn add_group_once(
        &self,
        document_id: DocumentId,
        name: &str,
        classification: &Classification,
        actor: &Actor,
        now: Timestamp,
        key: Option<&IdempotencyKey>,
    ) -> StoreResult<Created<TaskGroup>> {
        retry::run(RetryPolicy::WRITES, "add task group", || {
            self.add_group_attempt(document_id, name, classification, actor, now, key)
        })
        .await
    }

    async fn add_group_attempt(
        &self,
        document_id: DocumentId,
        name: &str,
        classification: &Classification,
        actor: &Actor,
        now: Timestamp,
        key: Option<&IdempotencyKey>,
    ) -> StoreResult<Created<TaskGroup>> {
        let mut tx = self.db.begin_write().await?;
        // Groups added at the same time get distinct positions and event numbers.
        tx.lock(Locked::Document, document_id.0).await?;
        if let Some(key) = key
            && let Some(id) = idempotency::find(&mut tx, key, "group").await?
        {
            let row = sqlx::query(
                "SELECT id, document_id, name, classification, position FROM task_groups WHERE id = $1",
            )
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
            return Ok(Created {
                value: decode_group(&row)?,
                replayed: true,
            });
        }
        load(&mut tx, document_id).await?;
        let position: i64 = sqlx::query(
            "SELECT COALESCE(MAX(position), 0) + 1 AS position FROM task_groups WHERE document_id = $1",
        )
        .bind(document_id.0)
        .fetch_one(&mut **tx)
        .await?
        .try_get("position")?;
        let classification_json =
            serde_json::to_string(classification).map_err(StoreError::corrupt)?;
        let id: i64 = sqlx::query(
            "INSERT INTO task_groups (document_id, name, classification, position, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(document_id.0)
        .bind(name)
        .bind(&classification_json)
        .bind(position)
        .bind(time::to_ms(now))
        .fetch_one(&mut **tx)
        .await?
        .try_get("id")?;
        let payload =
            serde_json::json!({"group_id": id, "name": name, "classification": classification});
        append_event(
            &mut tx,
            document_id,
            actor,
            now,
            None,
            "group_added",
            &payload,
        )
        .await?;
        if let Some(key) = key {
            idempotency::remember(&mut tx, key, "group", id, now).await?;
        }
        tx.commit().await?;
        Ok(Created {
            value: TaskGroup {
                id: GroupId(id),
                document_id,
                name: name.to_owned(),
                classification: classification.clone(),
                position,
            },
            replayed: false,
        })
    }

    pub async fn groups(&self, document_id: DocumentId) -> StoreResult<Vec<TaskGroup>> {
        let rows = sqlx::query(
            "SELECT id, document_id, name, classification, position FROM task_groups \
             WHERE document_id = $1 ORDER BY position",
        )
        .bind(document_id.0)
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter().map(decode_group).collect()
    }
}

fn decode_group(row: &sqlx::any::AnyRow) -> StoreResult<TaskGroup> {
    let classification: String = row.try_get("classification")?;
    Ok(TaskGroup {
        id: GroupId(row.try_get("id")?),
        document_id: DocumentId(row.try_get("document_id")?),
        name: row.try_get("name")?,
        classification: serde_json::from_str(&classification).map_err(StoreError::corrupt)?,
        position: row.try_get("position")?,
    })
}

/// Escapes the LIKE wildcards in a user's search word.
pub(crate) fn escape_like(word: &str) -> String {
    word.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
