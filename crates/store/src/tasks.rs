//! The write path of tasks: load the history, let the domain decide, append the events and
//! rewrite the read model (task row, coordinators, obligations, parent roll-up, document
//! counts) in one transaction.

use crate::audit::{self, PendingEntry};
use crate::db::{Locked, WriteTx};
use crate::documents;
use crate::error::{StoreError, StoreResult};
use crate::idempotency::{self, Created, IdempotencyKey};
use crate::obligation_summary;
use crate::read_model::{self, ObligationRecord, TaskRecord};
use crate::retry::{self, RetryPolicy};
use crate::row_sync::{self, Previous};
use crate::secure::{self, Access, EventFields, Zone};
use crate::sql::{MAX_PARAMETERS, Sql, values_placeholders};
use crate::task_counts::{self, CountedRow};
use crate::task_viewers;
use crate::{Store, time};
use serde::Serialize;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use theodoi_domain::DomainError;
use theodoi_domain::audit::Source;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::Document;
use theodoi_domain::error::Code;
use theodoi_domain::ids::{DocumentId, OrgId, TaskId, UserId};
use theodoi_domain::task::event::{TaskChange, TaskEvent};
use theodoi_domain::task::{Task, TaskStatus};

/// An event as stored, with its position in the global event order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredEvent {
    /// Global, increasing id: the order in which events were committed.
    pub id: i64,
    pub task_id: TaskId,
    #[serde(flatten)]
    pub event: TaskEvent,
}

/// A task with its full history.
#[derive(Debug, Clone)]
pub struct TaskHistory {
    pub task: Task,
    pub events: Vec<StoredEvent>,
}

impl TaskHistory {
    pub fn domain_events(&self) -> Vec<TaskEvent> {
        self.events
            .iter()
            .map(|stored| stored.event.clone())
            .collect()
    }
}

/// What a committed command wrote, for the response and for live subscribers.
#[derive(Debug, Clone)]
pub struct Committed {
    pub task: Task,
    /// The events appended by this command, to this task and to others it touched (the parent
    /// of a new sub-task).
    pub events: Vec<StoredEvent>,
}

/// How many times a command without a client-side version is run again after another command
/// changed the task first.
const RETRIES: usize = 3;

/// Columns of `task_events` that [`decode_events`] reads, for a query aliasing it `e` and
/// joining `tasks t`.
pub(crate) const EVENT_COLUMNS: &str =
    "e.id, e.task_id, e.seq, e.at, e.actor, e.body, e.reason, e.payload, t.confidentiality";

/// Loads a task's events through any connection, opening sealed payloads for `access`.
pub(crate) async fn load_events_with(
    conn: &mut AnyConnection,
    zone: &Zone,
    access: Access,
    id: TaskId,
) -> StoreResult<Vec<StoredEvent>> {
    let sql = format!(
        "SELECT {EVENT_COLUMNS} FROM task_events e JOIN tasks t ON t.id = e.task_id \
         WHERE e.task_id = $1 ORDER BY e.seq"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.0)
        .fetch_all(&mut *conn)
        .await?;
    decode_events(conn, zone, access, &rows).await
}

/// Loads the events of task `id` through any connection and replays them. Returns `None` when
/// the task does not exist.
async fn replay_stored(
    conn: &mut AnyConnection,
    zone: &Zone,
    id: TaskId,
) -> StoreResult<Option<TaskHistory>> {
    let events = load_events_with(conn, zone, Access::System, id).await?;
    Ok(history_of(id, events))
}

/// Replays the stored events of task `id` into its history, or returns `None` without events.
fn history_of(id: TaskId, events: Vec<StoredEvent>) -> Option<TaskHistory> {
    let domain: Vec<TaskEvent> = events.iter().map(|stored| stored.event.clone()).collect();
    Task::replay(id, &domain).map(|task| TaskHistory { task, events })
}

/// Decodes event rows selected with [`EVENT_COLUMNS`], opening the sealed payloads and reasons
/// of classified tasks' events.
pub(crate) async fn decode_events(
    conn: &mut AnyConnection,
    zone: &Zone,
    access: Access,
    rows: &[sqlx::any::AnyRow],
) -> StoreResult<Vec<StoredEvent>> {
    let mut sealed = Vec::new();
    for row in rows {
        let payload: String = row.try_get("payload")?;
        if payload == secure::SEALED_PAYLOAD {
            let level: String = row.try_get("confidentiality")?;
            let level = Confidentiality::parse(&level)
                .ok_or_else(|| StoreError::corrupt(format!("confidentiality {level}")))?;
            sealed.push((row.try_get::<i64, _>("id")?, level));
        }
    }
    let mut opened = secure::open_events(conn, zone, access, secure::TASK_EVENTS, &sealed).await?;
    rows.iter()
        .map(|row| {
            let id: i64 = row.try_get("id")?;
            decode_event(row, opened.remove(&id))
        })
        .collect()
}

/// Decodes one event row; `sealed` holds the opened payload and reason of a sealed one.
fn decode_event(row: &sqlx::any::AnyRow, sealed: Option<EventFields>) -> StoreResult<StoredEvent> {
    let (payload, reason) = match sealed {
        Some(fields) => (fields.payload, fields.reason),
        None => (row.try_get("payload")?, row.try_get("reason")?),
    };
    let change: TaskChange = serde_json::from_str(&payload).map_err(StoreError::corrupt)?;
    Ok(StoredEvent {
        id: row.try_get("id")?,
        task_id: TaskId(row.try_get("task_id")?),
        event: TaskEvent {
            seq: u32::try_from(row.try_get::<i64, _>("seq")?).map_err(StoreError::corrupt)?,
            at: time::from_ms(row.try_get("at")?)?,
            actor: row.try_get::<Option<i64>, _>("actor")?.map(UserId),
            body: row.try_get::<Option<i64>, _>("body")?.map(OrgId),
            reason,
            change,
        },
    })
}

async fn load_history(tx: &mut WriteTx, id: TaskId) -> StoreResult<TaskHistory> {
    let zone = tx.zone.clone();
    replay_stored(tx, &zone, id)
        .await?
        .ok_or_else(|| StoreError::from(DomainError::not_found(Code::TaskNotFound, vec![])))
}

/// Appends `events` to `task` (its state after them) and writes the e-mail notices they cause
/// to the outbox.
async fn append(
    tx: &mut WriteTx,
    task: &Task,
    events: &[TaskEvent],
) -> StoreResult<Vec<StoredEvent>> {
    let id = task.id;
    let mut stored = Vec::with_capacity(events.len());
    // The read model is written first, so the task's row gives its level.
    let level: String = sqlx::query("SELECT confidentiality FROM tasks WHERE id = $1")
        .bind(id.0)
        .fetch_one(&mut ***tx)
        .await?
        .try_get("confidentiality")?;
    let sealing = match Confidentiality::parse(&level) {
        Some(level) if level.is_classified() => Some(tx.zone.key()?.clone()),
        Some(_) => None,
        None => return Err(StoreError::corrupt(format!("confidentiality {level}"))),
    };
    let mut rows = Vec::with_capacity(events.len());
    for event in events {
        let payload = serde_json::to_string(&event.change).map_err(StoreError::corrupt)?;
        // A classified task's event keeps its kind in clear, for the queries that look for
        // drafts and approvals, and its payload and reason sealed.
        let (clear_payload, clear_reason) = match sealing {
            Some(_) => (secure::SEALED_PAYLOAD.to_owned(), None),
            None => (payload.clone(), event.reason.clone()),
        };
        rows.push(EventRow {
            event,
            payload,
            clear_payload,
            clear_reason,
        });
    }
    let ids = insert_events(tx, id, &rows).await?;
    for (row, event_id) in rows.iter().zip(ids) {
        let event = row.event;
        // The entry hashes the row as stored, so `audit verify` needs no secure-zone key.
        tx.audit(PendingEntry {
            source: Source::TaskEvents,
            row_id: event_id,
            at_ms: time::to_ms(event.at),
            kind: event.change.name().to_owned(),
            actor: event.actor.map(|user| user.0),
            body: event.body.map(|org| org.0),
            subject: Some(id.0),
            subject_seq: Some(i64::from(event.seq)),
            payload_digest: audit::event_digest(row.clear_reason.as_deref(), &row.clear_payload),
        });
        if let Some(key) = &sealing {
            secure::seal_event(
                tx,
                key,
                secure::TASK_EVENTS,
                event_id,
                &row.payload,
                event.reason.as_deref(),
            )
            .await?;
        }
        stored.push(StoredEvent {
            id: event_id,
            task_id: id,
            event: event.clone(),
        });
    }
    tx.announce_events(stored.iter().map(|event| event.id));
    crate::outbox::enqueue(tx, task, &stored).await?;
    Ok(stored)
}

/// An event about to be inserted: its JSON payload, and the payload and reason written in clear
/// (placeholders when the task is classified).
struct EventRow<'a> {
    event: &'a TaskEvent,
    payload: String,
    clear_payload: String,
    clear_reason: Option<String>,
}

/// Inserts the events of task `id` with one statement per chunk of rows and returns their ids
/// in the order of `rows`.
async fn insert_events(
    tx: &mut WriteTx,
    id: TaskId,
    rows: &[EventRow<'_>],
) -> StoreResult<Vec<i64>> {
    const COLUMNS: usize = 8;
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(MAX_PARAMETERS / COLUMNS) {
        // Neither backend promises the order of the rows that RETURNING yields, so each id is
        // matched to its event by the sequence number.
        let sql = format!(
            "INSERT INTO task_events (task_id, seq, at, actor, body, reason, kind, payload) \
             VALUES {} RETURNING id, seq",
            values_placeholders(chunk.len(), COLUMNS)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            let event = row.event;
            query = query
                .bind(id.0)
                .bind(i64::from(event.seq))
                .bind(time::to_ms(event.at))
                .bind(event.actor.map(|user| user.0))
                .bind(event.body.map(|org| org.0))
                .bind(row.clear_reason.as_deref())
                .bind(event.change.name())
                .bind(&row.clear_payload);
        }
        let inserted = query.fetch_all(&mut ***tx).await.map_err(StoreError::from);
        let returned = match inserted {
            // Another writer appended one of these sequence numbers first.
            Err(error) if error.is_unique_violation() => {
                return Err(StoreError::VersionConflict {
                    current: i64::from(chunk[0].event.seq),
                });
            }
            other => other?,
        };
        let mut by_seq = std::collections::HashMap::with_capacity(returned.len());
        for row in &returned {
            by_seq.insert(row.try_get::<i64, _>("seq")?, row.try_get::<i64, _>("id")?);
        }
        for row in chunk {
            let event_id = by_seq.get(&i64::from(row.event.seq)).ok_or_else(|| {
                StoreError::corrupt(format!("no id returned for event {}", row.event.seq))
            })?;
            ids.push(*event_id);
        }
    }
    Ok(ids)
}

/// Rewrites every read-model row of `task` from its state and history. A new task (no
/// `previous_version`) gets its id from the database, written into `task`.
async fn write_read_model(
    tx: &mut WriteTx,
    task: &mut Task,
    history: &[TaskEvent],
    document: &Document,
    previous_version: Option<u32>,
) -> StoreResult<()> {
    if let Some(group) = task.group_id {
        let found =
            sqlx::query("SELECT 1 AS found FROM task_groups WHERE id = $1 AND document_id = $2")
                .bind(group.0)
                .bind(document.id.0)
                .fetch_optional(&mut ***tx)
                .await?;
        if found.is_none() {
            return Err(DomainError::field("group_id", Code::GroupNotFound, vec![]).into());
        }
    }
    // The task's share of the obligation counts, read before its rows change.
    let counted_before = match previous_version {
        Some(_) => obligation_summary::task_counts(tx, task.id).await?,
        None => obligation_summary::Counts::new(),
    };
    let record = TaskRecord::new(task, document);
    // The task's place in the dashboard's task counts, read before its row changes.
    let tally_before = match previous_version {
        None => None,
        Some(_) => CountedRow::load(tx, task.id.0).await?,
    };
    let (previous, counts_changed) = match previous_version {
        None => {
            let id = insert_task_row(tx, &record).await?;
            task.id = id;
            (Previous::NewTask, true)
        }
        Some(previous) => {
            let counted = counted_state(tx, task.id).await?;
            update_task_row(tx, task.id, &record, previous).await?;
            let now_counted = (
                record.first_transferred_at.is_some(),
                record.status == TaskStatus::Cancelled.as_str(),
            );
            (Previous::StoredTask, counted != Some(now_counted))
        }
    };
    let task: &Task = task;
    let viewers = task_viewers::sync(tx, task, previous).await?;
    let today = theodoi_calendar::local_date(task.updated_at);
    task_counts::record_change(
        tx,
        tally_before.as_ref().map(|row| (row, &viewers.before)),
        (&CountedRow::of(&record), &viewers.after),
        today,
    )
    .await?;
    let obligations = ObligationRecord::from_history(history)?;
    match previous {
        // A new task has no stored rows, so its rows go in with one statement per chunk.
        Previous::NewTask => {
            insert_coordinators(tx, task).await?;
            insert_obligations(tx, task.id, &obligations).await?;
        }
        Previous::StoredTask => {
            row_sync::coordinators(tx, task.id, &task.coordinating_bodies, previous).await?;
            row_sync::obligations(tx, task.id, &obligations, previous).await?;
        }
    }
    obligation_summary::refresh(tx, task.id, &counted_before).await?;

    if let Some(parent) = task.parent_id {
        refresh_rollup(tx, parent).await?;
    }
    // The document counts a task once it exists and once it is first transferred, and drops it
    // when cancelled. Most commands change none of these, so they skip the recount.
    if counts_changed {
        refresh_document_counts(tx, task.document_id).await?;
    }
    Ok(())
}

/// Reads what [`read_model::document_counts`] counts of a stored task row: whether it was ever
/// transferred and whether it is cancelled.
async fn counted_state(tx: &mut WriteTx, id: TaskId) -> StoreResult<Option<(bool, bool)>> {
    let row = sqlx::query("SELECT first_transferred_at, status FROM tasks WHERE id = $1")
        .bind(id.0)
        .fetch_optional(&mut ***tx)
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let transferred: Option<i64> = row.try_get("first_transferred_at")?;
    let status: String = row.try_get("status")?;
    Ok(Some((
        transferred.is_some(),
        status == TaskStatus::Cancelled.as_str(),
    )))
}

async fn insert_coordinators(tx: &mut WriteTx, task: &Task) -> StoreResult<()> {
    for chunk in task.coordinating_bodies.chunks(MAX_PARAMETERS / 2) {
        let sql = format!(
            "INSERT INTO task_coordinators (task_id, org_id) VALUES {}",
            values_placeholders(chunk.len(), 2)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for body in chunk {
            query = query.bind(task.id.0).bind(body.0);
        }
        query.execute(&mut ***tx).await?;
    }
    Ok(())
}

/// Inserts the obligation rows of task `id` with one statement per chunk of rows.
async fn insert_obligations(
    tx: &mut WriteTx,
    id: TaskId,
    obligations: &[ObligationRecord],
) -> StoreResult<()> {
    const COLUMNS: usize = 12;
    for chunk in obligations.chunks(MAX_PARAMETERS / COLUMNS) {
        let sql = format!(
            "INSERT INTO obligations (task_id, position, kind, detail, responsible, opened_at, \
             due_at, met_at, closed_at, optional, open, calendar_version) VALUES {}",
            values_placeholders(chunk.len(), COLUMNS)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for obligation in chunk {
            query = query
                .bind(id.0)
                .bind(obligation.position)
                .bind(&obligation.kind)
                .bind(&obligation.detail)
                .bind(obligation.responsible)
                .bind(obligation.opened_at)
                .bind(obligation.due_at)
                .bind(obligation.met_at)
                .bind(obligation.closed_at)
                .bind(obligation.optional)
                .bind(obligation.open)
                .bind(&obligation.calendar_version);
        }
        query.execute(&mut ***tx).await?;
    }
    Ok(())
}

async fn insert_task_row(tx: &mut WriteTx, record: &TaskRecord) -> StoreResult<TaskId> {
    let row = sqlx::query(
        "INSERT INTO tasks (document_id, group_id, parent_id, ordinal, content, lead_body, \
         monitoring_body, assigning_body, executing_unit, scope, priority, other_class, confidentiality, \
         deadline, status, result_base, percent, subtask_count, first_transferred_at, completed_on, \
         open_update, search, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
         $20, $21, $22, $23, $24, $25) RETURNING id",
    )
    .bind(record.document_id)
    .bind(record.group_id)
    .bind(record.parent_id)
    .bind(record.ordinal)
    .bind(record.content.clone())
    .bind(record.lead_body)
    .bind(record.monitoring_body)
    .bind(record.assigning_body)
    .bind(&record.executing_unit)
    .bind(&record.scope)
    .bind(&record.priority)
    .bind(record.other_class.clone())
    .bind(&record.confidentiality)
    .bind(record.deadline.clone())
    .bind(&record.status)
    .bind(&record.result_base)
    .bind(record.percent)
    .bind(record.subtask_count)
    .bind(record.first_transferred_at)
    .bind(record.completed_on.clone())
    .bind(record.open_update)
    .bind(&record.search)
    .bind(record.version)
    .bind(record.created_at)
    .bind(record.updated_at)
    .fetch_one(&mut ***tx)
    .await?;
    Ok(TaskId(row.try_get("id")?))
}

/// Writes a new task from its history in the caller's transaction: the read model first (which
/// assigns the id), then the events. The history must start with the creation and must not
/// delegate, because a delegation names a sub-task id that does not exist yet: append it with
/// [`append_history`] once the sub-task is written.
pub(crate) async fn insert_history(
    tx: &mut WriteTx,
    document: &Document,
    history: &[TaskEvent],
) -> StoreResult<Committed> {
    let mut task = Task::replay(TaskId(0), history)
        .ok_or_else(|| StoreError::corrupt("a new task must start with its creation"))?;
    write_read_model(tx, &mut task, history, document, None).await?;
    let events = append(tx, &task, history).await?;
    Ok(Committed { task, events })
}

/// Appends `new` events to the task `id`, whose stored events are `previous`, and rewrites its
/// read model, in the caller's transaction.
pub(crate) async fn append_history(
    tx: &mut WriteTx,
    document: &Document,
    id: TaskId,
    previous: &[TaskEvent],
    new: &[TaskEvent],
) -> StoreResult<Committed> {
    let previous_version = Task::replay(id, previous)
        .ok_or_else(|| StoreError::corrupt("a task's history must start with its creation"))?
        .version;
    let all: Vec<TaskEvent> = previous.iter().chain(new).cloned().collect();
    let mut task = Task::replay(id, &all)
        .ok_or_else(|| StoreError::corrupt("a task's history must start with its creation"))?;
    write_read_model(tx, &mut task, &all, document, Some(previous_version)).await?;
    let events = append(tx, &task, new).await?;
    Ok(Committed { task, events })
}

/// Rewrites the columns that commands change, unless another writer moved the row past
/// `previous_version`.
async fn update_task_row(
    tx: &mut WriteTx,
    id: TaskId,
    record: &TaskRecord,
    previous_version: u32,
) -> StoreResult<()> {
    let result = sqlx::query(
        "UPDATE tasks SET group_id = $1, content = $2, lead_body = $3, monitoring_body = $4, \
         executing_unit = $5, scope = $6, priority = $7, other_class = $8, deadline = $9, status = $10, \
         result_base = $11, percent = $12, subtask_count = $13, first_transferred_at = $14, \
         completed_on = $15, open_update = $16, search = $17, version = $18, updated_at = $19 \
         WHERE id = $20 AND version = $21",
    )
    .bind(record.group_id)
    .bind(record.content.clone())
    .bind(record.lead_body)
    .bind(record.monitoring_body)
    .bind(&record.executing_unit)
    .bind(&record.scope)
    .bind(&record.priority)
    .bind(record.other_class.clone())
    .bind(record.deadline.clone())
    .bind(&record.status)
    .bind(&record.result_base)
    .bind(record.percent)
    .bind(record.subtask_count)
    .bind(record.first_transferred_at)
    .bind(record.completed_on.clone())
    .bind(record.open_update)
    .bind(&record.search)
    .bind(record.version)
    .bind(record.updated_at)
    .bind(id.0)
    .bind(i64::from(previous_version))
    .execute(&mut ***tx)
    .await?;
    if result.rows_affected() != 1 {
        return Err(StoreError::VersionConflict {
            current: i64::from(previous_version) + 1,
        });
    }
    Ok(())
}

/// Recomputes the rolled-up progress of `parent` from its sub-tasks' rows.
async fn refresh_rollup(tx: &mut WriteTx, parent: TaskId) -> StoreResult<()> {
    // Writers of sibling sub-tasks take turns here, so each reads the others' committed rows.
    tx.lock(Locked::Task, parent.0).await?;
    let percent = read_model::rollup_percent(&mut ***tx, parent).await?;
    sqlx::query("UPDATE tasks SET rollup_percent = $1 WHERE id = $2")
        .bind(percent)
        .bind(parent.0)
        .execute(&mut ***tx)
        .await?;
    Ok(())
}

/// Counts a document's own tasks (not sub-tasks) and how many of them were transferred.
async fn refresh_document_counts(tx: &mut WriteTx, document: DocumentId) -> StoreResult<()> {
    // Writers of tasks of one document take turns here, so each count includes the others'
    // committed rows.
    tx.lock(Locked::Document, document.0).await?;
    let counts = read_model::document_counts(&mut ***tx, document).await?;
    sqlx::query("UPDATE documents SET task_count = $1, transferred_count = $2 WHERE id = $3")
        .bind(counts.task_count)
        .bind(counts.transferred_count)
        .bind(document.0)
        .execute(&mut ***tx)
        .await?;
    Ok(())
}

impl Store {
    /// A task with its full history; `None` when it does not exist.
    ///
    /// Callers check the reader's scope first (every handler does, with `visible_task`), or act
    /// for the system.
    pub async fn task(&self, id: TaskId) -> StoreResult<Option<TaskHistory>> {
        let mut conn = self.db.pool.acquire().await?;
        replay_stored(&mut conn, &self.db.secure, id).await
    }

    /// Loads the histories of `ids`, for pages that list many tasks, leaving out ids of tasks
    /// that do not exist. One statement reads the events of many tasks, instead of a round trip
    /// to the database per task.
    pub async fn tasks(&self, ids: &[TaskId]) -> StoreResult<HashMap<TaskId, TaskHistory>> {
        let mut histories = HashMap::with_capacity(ids.len());
        if ids.is_empty() {
            return Ok(histories);
        }
        let mut conn = self.db.pool.acquire().await?;
        for chunk in ids.chunks(MAX_PARAMETERS) {
            let keys: Vec<i64> = chunk.iter().map(|id| id.0).collect();
            let mut sql = Sql::new(&format!(
                "SELECT {EVENT_COLUMNS} FROM task_events e JOIN tasks t ON t.id = e.task_id \
                 WHERE e.task_id IN "
            ));
            sql.bind_list(&keys).push(" ORDER BY e.task_id, e.seq");
            let rows = sql.query().fetch_all(&mut *conn).await?;
            let events = decode_events(&mut conn, &self.db.secure, Access::System, &rows).await?;

            // Rows come ordered by task, so each task's events follow one another.
            let mut runs: Vec<(TaskId, Vec<StoredEvent>)> = Vec::new();
            for event in events {
                match runs.last_mut() {
                    Some((id, run)) if *id == event.task_id => run.push(event),
                    _ => runs.push((event.task_id, vec![event])),
                }
            }
            for (id, events) in runs {
                if let Some(history) = history_of(id, events) {
                    histories.insert(id, history);
                }
            }
        }
        Ok(histories)
    }

    /// Creates a task of `document`. `decide` validates the input against the document and the
    /// ordinal the task will get, and returns its creation event.
    pub async fn create_task(
        &self,
        document_id: DocumentId,
        key: Option<&IdempotencyKey>,
        decide: impl Fn(&Document, u32) -> Result<TaskEvent, DomainError>,
    ) -> StoreResult<Created<Committed>> {
        retry::run(RetryPolicy::WRITES, "create task", || {
            self.create_task_once(document_id, key, &decide)
        })
        .await
    }

    async fn create_task_once(
        &self,
        document_id: DocumentId,
        key: Option<&IdempotencyKey>,
        decide: &impl Fn(&Document, u32) -> Result<TaskEvent, DomainError>,
    ) -> StoreResult<Created<Committed>> {
        let mut tx = self.db.begin_write().await?;
        if let Some(key) = key
            && let Some(id) = idempotency::find(&mut tx, key, "task").await?
        {
            let history = load_history(&mut tx, TaskId(id)).await?;
            return Ok(Created {
                value: Committed {
                    task: history.task,
                    events: history.events,
                },
                replayed: true,
            });
        }
        // Held until commit, so that tasks entered at the same time get distinct ordinals.
        tx.lock(Locked::Document, document_id.0).await?;
        let document = documents::load(&mut tx, document_id).await?;
        let ordinal: i64 = sqlx::query(
            "SELECT COALESCE(MAX(ordinal), 0) + 1 AS ordinal FROM tasks WHERE document_id = $1 AND parent_id IS NULL",
        )
        .bind(document_id.0)
        .fetch_one(&mut **tx)
        .await?
        .try_get("ordinal")?;
        let event = decide(&document, u32::try_from(ordinal).unwrap_or(u32::MAX))?;
        let history = [event];
        let mut task = Task::replay(TaskId(0), &history)
            .ok_or_else(|| StoreError::corrupt("a new task must start with its creation"))?;
        write_read_model(&mut tx, &mut task, &history, &document, None).await?;
        let id = task.id;
        let events = append(&mut tx, &task, &history).await?;
        if let Some(key) = key {
            idempotency::remember(&mut tx, key, "task", id.0, task.created_at).await?;
        }
        tx.commit().await?;
        Ok(Created {
            value: Committed { task, events },
            replayed: false,
        })
    }

    /// Runs a command on a task. `decide` sees the task and, for a sub-task, its parent, and
    /// returns the events to append. With `expected_version` the command fails with a conflict
    /// when the task has moved on; without it, a lost race is retried on the fresh state.
    pub async fn execute<F>(
        &self,
        id: TaskId,
        expected_version: Option<u32>,
        decide: F,
    ) -> StoreResult<Committed>
    where
        F: Fn(&Task, Option<&Task>) -> Result<Vec<TaskEvent>, DomainError>,
    {
        self.execute_keyed(id, expected_version, None, decide)
            .await
            .map(|created| created.value)
    }

    /// Runs a command like [`Store::execute`], at most once per idempotency key: a request
    /// that repeats the key gets the task as it is now, marked `replayed`, and changes nothing.
    pub async fn execute_keyed<F>(
        &self,
        id: TaskId,
        expected_version: Option<u32>,
        key: Option<&IdempotencyKey>,
        decide: F,
    ) -> StoreResult<Created<Committed>>
    where
        F: Fn(&Task, Option<&Task>) -> Result<Vec<TaskEvent>, DomainError>,
    {
        let mut attempt = 0;
        loop {
            attempt += 1;
            // Contention is retried whether or not the caller sent a version, because each
            // attempt checks the version again. A version conflict is retried only for a
            // caller that sent none.
            let result = retry::run(RetryPolicy::WRITES, "task command", || {
                self.execute_once(id, expected_version, key, &decide)
            })
            .await;
            match result {
                Err(StoreError::VersionConflict { .. })
                    if expected_version.is_none() && attempt < RETRIES => {}
                other => return other,
            }
        }
    }

    async fn execute_once<F>(
        &self,
        id: TaskId,
        expected_version: Option<u32>,
        key: Option<&IdempotencyKey>,
        decide: &F,
    ) -> StoreResult<Created<Committed>>
    where
        F: Fn(&Task, Option<&Task>) -> Result<Vec<TaskEvent>, DomainError>,
    {
        let mut tx = self.db.begin_write().await?;
        // Concurrent commands on one task queue here instead of failing on the version check.
        tx.lock(Locked::Task, id.0).await?;
        if let Some(key) = key
            && idempotency::find(&mut tx, key, "task_command")
                .await?
                .is_some()
        {
            let history = load_history(&mut tx, id).await?;
            return Ok(Created {
                value: Committed {
                    task: history.task,
                    events: Vec::new(),
                },
                replayed: true,
            });
        }
        if let Some(expected) = expected_version {
            // The row's version is the number of events (the integrity check verifies it), so
            // a stale caller is turned away without replaying the whole history.
            let current: Option<i64> = sqlx::query("SELECT version FROM tasks WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&mut **tx)
                .await?
                .map(|row| row.try_get("version"))
                .transpose()?;
            if let Some(current) = current
                && current != i64::from(expected)
            {
                return Err(StoreError::VersionConflict { current });
            }
        }
        let history = load_history(&mut tx, id).await?;
        let mut task = history.task;
        if expected_version.is_some_and(|expected| expected != task.version) {
            return Err(StoreError::VersionConflict {
                current: i64::from(task.version),
            });
        }
        let parent = match task.parent_id {
            Some(parent) => Some(load_history(&mut tx, parent).await?.task),
            None => None,
        };
        let new_events = decide(&task, parent.as_ref())?;
        if new_events.is_empty() {
            return Ok(Created {
                value: Committed {
                    task,
                    events: Vec::new(),
                },
                replayed: false,
            });
        }
        let previous_version = task.version;
        for event in &new_events {
            task.apply(event);
        }
        let mut all: Vec<TaskEvent> = history
            .events
            .into_iter()
            .map(|stored| stored.event)
            .collect();
        all.extend(new_events.iter().cloned());
        let document = documents::load(&mut tx, task.document_id).await?;
        write_read_model(&mut tx, &mut task, &all, &document, Some(previous_version)).await?;
        let events = append(&mut tx, &task, &new_events).await?;
        if let Some(key) = key {
            idempotency::remember(&mut tx, key, "task_command", id.0, task.updated_at).await?;
        }
        tx.commit().await?;
        Ok(Created {
            value: Committed { task, events },
            replayed: false,
        })
    }

    /// Delegates part of a task to a subordinate unit: creates the sub-task from the events
    /// `decide` returns and records the delegation on the parent, in one transaction.
    /// Returns the sub-task and the parent.
    pub async fn delegate<F, R>(
        &self,
        parent_id: TaskId,
        expected_version: Option<u32>,
        key: Option<&IdempotencyKey>,
        decide: F,
        record: R,
    ) -> StoreResult<Created<(Committed, Committed)>>
    where
        F: Fn(&Task, u32) -> Result<Vec<TaskEvent>, DomainError>,
        R: Fn(&Task, TaskId, OrgId) -> TaskEvent,
    {
        retry::run(RetryPolicy::WRITES, "delegate task", || {
            self.delegate_once(parent_id, expected_version, key, &decide, &record)
        })
        .await
    }

    async fn delegate_once<F, R>(
        &self,
        parent_id: TaskId,
        expected_version: Option<u32>,
        key: Option<&IdempotencyKey>,
        decide: &F,
        record: &R,
    ) -> StoreResult<Created<(Committed, Committed)>>
    where
        F: Fn(&Task, u32) -> Result<Vec<TaskEvent>, DomainError>,
        R: Fn(&Task, TaskId, OrgId) -> TaskEvent,
    {
        let mut tx = self.db.begin_write().await?;
        if let Some(key) = key
            && let Some(id) = idempotency::find(&mut tx, key, "subtask").await?
        {
            let sub = load_history(&mut tx, TaskId(id)).await?;
            let parent = load_history(&mut tx, parent_id).await?;
            return Ok(Created {
                value: (
                    Committed {
                        task: sub.task,
                        events: sub.events,
                    },
                    Committed {
                        task: parent.task,
                        events: Vec::new(),
                    },
                ),
                replayed: true,
            });
        }
        tx.lock(Locked::Task, parent_id.0).await?;
        let history = load_history(&mut tx, parent_id).await?;
        let mut parent = history.task;
        if expected_version.is_some_and(|expected| expected != parent.version) {
            return Err(StoreError::VersionConflict {
                current: i64::from(parent.version),
            });
        }
        let ordinal = u32::try_from(parent.subtasks.len() + 1).unwrap_or(u32::MAX);
        let sub_events = decide(&parent, ordinal)?;
        let mut sub = Task::replay(TaskId(0), &sub_events)
            .ok_or_else(|| StoreError::corrupt("a new sub-task must start with its creation"))?;
        let document = documents::load(&mut tx, parent.document_id).await?;
        write_read_model(&mut tx, &mut sub, &sub_events, &document, None).await?;
        let sub_id = sub.id;
        let stored_sub = append(&mut tx, &sub, &sub_events).await?;

        let delegated = record(&parent, sub_id, sub.lead_body);
        let previous_version = parent.version;
        parent.apply(&delegated);
        let mut all: Vec<TaskEvent> = history
            .events
            .into_iter()
            .map(|stored| stored.event)
            .collect();
        all.push(delegated.clone());
        write_read_model(
            &mut tx,
            &mut parent,
            &all,
            &document,
            Some(previous_version),
        )
        .await?;
        let stored_parent = append(&mut tx, &parent, &[delegated]).await?;
        if let Some(key) = key {
            idempotency::remember(&mut tx, key, "subtask", sub_id.0, sub.created_at).await?;
        }
        tx.commit().await?;
        Ok(Created {
            value: (
                Committed {
                    task: sub,
                    events: stored_sub,
                },
                Committed {
                    task: parent,
                    events: stored_parent,
                },
            ),
            replayed: false,
        })
    }

    /// Tasks without a deadline, still running, whose scheduled checkpoints all fall due before
    /// `threshold`: those whose periodic schedule needs extending.
    pub async fn open_ended_task_ids(
        &self,
        threshold: jiff::Timestamp,
    ) -> StoreResult<Vec<TaskId>> {
        let rows = sqlx::query(
            "SELECT t.id FROM tasks t WHERE t.deadline IS NULL \
             AND t.status IN ('awaiting_receipt', 'in_progress', 'done_not_completed') \
             AND NOT EXISTS (SELECT 1 FROM obligations o WHERE o.task_id = t.id \
                 AND o.kind = 'checkpoint' AND o.due_at > $1) ORDER BY t.id",
        )
        .bind(time::to_ms(threshold))
        .fetch_all(&self.db.pool)
        .await?;
        rows.iter()
            .map(|row| Ok(TaskId(row.try_get("id")?)))
            .collect()
    }

    /// Ids of the sub-tasks of `parent`, in order.
    pub async fn subtask_ids(&self, parent: TaskId) -> StoreResult<Vec<TaskId>> {
        let rows = sqlx::query("SELECT id FROM tasks WHERE parent_id = $1 ORDER BY ordinal, id")
            .bind(parent.0)
            .fetch_all(&self.db.pool)
            .await?;
        rows.iter()
            .map(|row| Ok(TaskId(row.try_get("id")?)))
            .collect()
    }

    /// Events committed after `after_id`, in commit order, at most `limit`: the feed for live
    /// subscribers that reconnect.
    pub async fn events_after(&self, after_id: i64, limit: i64) -> StoreResult<Vec<StoredEvent>> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM task_events e JOIN tasks t ON t.id = e.task_id \
             WHERE e.id > $1 ORDER BY e.id LIMIT $2"
        );
        let mut conn = self.db.pool.acquire().await?;
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(after_id)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?;
        // Live subscribers receive only what their scope allows; the relay filters each event
        // by its task's level and bodies before sending it.
        decode_events(&mut conn, &self.db.secure, Access::System, &rows).await
    }
}
