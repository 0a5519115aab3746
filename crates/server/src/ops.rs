//! Operations shared by the JSON API and the web pages: each checks what the user may see, runs
//! the domain through the store, and publishes what was committed. Callers turn the result into
//! JSON or HTML.

use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::live::publish;
use crate::state::{AppState, Reference};
use std::sync::Arc;
use theodoi_domain::DomainError;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::{Document, DocumentContent, entry_due};
use theodoi_domain::error::{Arg, Code};
use theodoi_domain::ids::OrgId;
use theodoi_domain::ids::{DocumentId, TaskId};
use theodoi_domain::org::OrgDirectory;
use theodoi_domain::task::event::TaskEvent;
use theodoi_domain::task::{
    Context, FeedbackDecision, NewTaskInput, SubtaskInput, Task, TaskCommand, TaskStatus,
    new_subtask, new_task,
};
use theodoi_domain::user::Role;
use theodoi_store::{
    Committed, Created, DocumentRegistration, IdempotencyKey, PageRequest, Scope, TaskFilter,
    TaskRow, TaskSort,
};

/// Fails with 404 unless the user may see the task, so that a task one may not see looks the
/// same as one that does not exist.
pub async fn require_visible(state: &AppState, scope: &Scope, id: TaskId) -> ApiResult<TaskRow> {
    let row = state
        .store
        .task_row(scope, id, state.now())
        .await?
        .ok_or(ApiError::NotFound)?;
    if Confidentiality::parse(&row.confidentiality).is_some_and(Confidentiality::is_classified) {
        // Task histories are opened with the store's own access, so the read is noted here.
        theodoi_store::SecureReads::note("task", id.0);
    }
    Ok(row)
}

/// Fails with 404 unless the user may see the document.
pub async fn require_visible_document(
    state: &AppState,
    scope: &Scope,
    id: DocumentId,
) -> ApiResult<Document> {
    // A classified document is noted for the audit trail by the store, which opens it with
    // the reader's clearance.
    state
        .store
        .visible_document(scope, id)
        .await?
        .ok_or(ApiError::NotFound)
}

/// Runs a decision on a task the user may see, at most once per idempotency key, and publishes
/// the events.
pub async fn run_on_task<F>(
    state: &AppState,
    user: &CurrentUser,
    id: TaskId,
    expected_version: Option<u32>,
    key: Option<&IdempotencyKey>,
    decide: F,
) -> ApiResult<Created<Committed>>
where
    F: Fn(&Task, &Context<'_>) -> Result<Vec<TaskEvent>, DomainError>,
{
    let reference: Arc<Reference> = state.reference();
    let scope = user.scope(&reference.orgs);
    require_visible(state, &scope, id).await?;
    let actor = user.actor();
    let now = state.now();
    let created = state
        .store
        .execute_keyed(id, expected_version, key, |task, parent| {
            let ctx = Context {
                actor: &actor,
                now,
                calendar: &reference.calendar,
                orgs: &reference.orgs,
                catalogues: &reference.catalogues,
                parent,
            };
            decide(task, &ctx)
        })
        .await?;
    publish(state, &created.value);
    tracing::info!(
        task.id = id.0,
        user.id = user.user.id.0,
        events = created.value.events.len(),
        "task changed"
    );
    Ok(created)
}

/// Runs a decision on the current state of a task without committing it, to check whether it
/// would be rejected.
async fn dry_run<F, T>(state: &AppState, user: &CurrentUser, id: TaskId, decide: F) -> ApiResult<T>
where
    F: FnOnce(&Task, &Context<'_>) -> Result<T, DomainError>,
{
    let history = state.store.task(id).await?.ok_or(ApiError::NotFound)?;
    let parent = match history.task.parent_id {
        Some(parent_id) => state.store.task(parent_id).await?.map(|parent| parent.task),
        None => None,
    };
    let reference = state.reference();
    let actor = user.actor();
    let ctx = Context {
        actor: &actor,
        now: state.now(),
        calendar: &reference.calendar,
        orgs: &reference.orgs,
        catalogues: &reference.catalogues,
        parent: parent.as_ref(),
    };
    Ok(decide(&history.task, &ctx)?)
}

/// Fails unless a focal officer of `org` may read `level`, so that a classified task never goes
/// to a body where no one could receive it.
pub async fn ensure_cleared_recipient(
    state: &AppState,
    org: OrgId,
    level: Confidentiality,
) -> ApiResult<()> {
    if !level.is_classified() {
        return Ok(());
    }
    let users = state.store.users(Some(org)).await?;
    let cleared = users.iter().any(|user| {
        !user.disabled
            && user.clearance.covers(level)
            && (user.roles.contains(&Role::Updater) || user.roles.contains(&Role::Approver))
    });
    if cleared {
        return Ok(());
    }
    let reference = state.reference();
    let name = reference
        .orgs
        .organisation(org)
        .map(|org| match crate::error::current_lang() {
            theodoi_i18n::Lang::Vi => org.name_vi.clone(),
            theodoi_i18n::Lang::En => org.name_en.clone(),
        })
        .unwrap_or_default();
    Err(DomainError::conflict(
        Code::NoClearedRecipient,
        vec![
            ("body", Arg::Text(name)),
            ("level", Arg::Message(level.message_id().to_owned())),
        ],
    )
    .into())
}

/// Runs one command with an optional reason on a task the user may see.
pub async fn run_command(
    state: &AppState,
    user: &CurrentUser,
    id: TaskId,
    expected_version: Option<u32>,
    key: Option<&IdempotencyKey>,
    command: TaskCommand,
    reason: Option<String>,
) -> ApiResult<Created<Committed>> {
    // A transfer or a reassignment hands the task to a body; a classified one needs someone
    // there who may read it. The decision runs once without committing first, so that a
    // refusal of the user or of the input comes before anything about the receiving body.
    let handed_to = match &command {
        TaskCommand::Transfer => Some(None),
        TaskCommand::HandleFeedback(FeedbackDecision::Reassign { to }) => Some(Some(*to)),
        _ => None,
    };
    if let Some(explicit) = handed_to {
        let scope = user.scope(&state.reference().orgs);
        let row = require_visible(state, &scope, id).await?;
        if let Some(level) = Confidentiality::parse(&row.confidentiality)
            && level.is_classified()
        {
            dry_run(state, user, id, |task, ctx| {
                task.handle(command.clone(), reason.as_deref(), ctx)
            })
            .await?;
            ensure_cleared_recipient(state, explicit.unwrap_or(row.lead_body), level).await?;
        }
    }
    run_on_task(state, user, id, expected_version, key, move |task, ctx| {
        task.handle(command.clone(), reason.as_deref(), ctx)
    })
    .await
}

/// Registers a validated document as the Central Office.
pub async fn register_document(
    state: &AppState,
    user: &CurrentUser,
    content: &DocumentContent,
    reason: Option<&str>,
    key: Option<&IdempotencyKey>,
) -> ApiResult<Created<Document>> {
    let actor = user.actor();
    actor.require_any(&[Role::CentralOffice])?;
    actor.require_clearance(content.confidentiality)?;
    let reference = state.reference();
    let created = state
        .store
        .register_document(
            &DocumentRegistration {
                content,
                entry_due: entry_due(&reference.calendar, content.issue_date),
                calendar_version: &reference.calendar.version().0,
                actor: &actor,
                now: state.now(),
                reason,
            },
            key,
        )
        .await?;
    if !created.replayed {
        tracing::info!(
            document.id = created.value.id.0,
            user.id = user.user.id.0,
            "document registered"
        );
    }
    Ok(created)
}

/// Adds a task to a document the user may see.
pub async fn create_task(
    state: &AppState,
    user: &CurrentUser,
    document_id: DocumentId,
    input: &NewTaskInput,
    key: Option<&IdempotencyKey>,
) -> ApiResult<Created<Committed>> {
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    require_visible_document(state, &scope, document_id).await?;
    let actor = user.actor();
    let now = state.now();
    let created = state
        .store
        .create_task(document_id, key, |document, ordinal| {
            let ctx = Context {
                actor: &actor,
                now,
                calendar: &reference.calendar,
                orgs: &reference.orgs,
                catalogues: &reference.catalogues,
                parent: None,
            };
            new_task(input, document, ordinal, &ctx)
        })
        .await?;
    if !created.replayed {
        publish(state, &created.value);
        tracing::info!(
            task.id = created.value.task.id.0,
            document.id = document_id.0,
            user.id = user.user.id.0,
            "task created"
        );
    }
    Ok(created)
}

/// Delegates part of a task the user may see to a subordinate unit. Returns the sub-task and
/// the parent.
pub async fn delegate(
    state: &AppState,
    user: &CurrentUser,
    parent_id: TaskId,
    input: &SubtaskInput,
    expected_version: Option<u32>,
    key: Option<&IdempotencyKey>,
) -> ApiResult<Created<(Committed, Committed)>> {
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    let parent = require_visible(state, &scope, parent_id).await?;
    if let (Some(unit), Some(level)) = (
        input.lead_body,
        Confidentiality::parse(&parent.confidentiality),
    ) && level.is_classified()
    {
        dry_run(state, user, parent_id, |parent, ctx| {
            let ordinal = u32::try_from(parent.subtasks.len() + 1).unwrap_or(u32::MAX);
            new_subtask(input, parent, ordinal, ctx)
        })
        .await?;
        ensure_cleared_recipient(state, unit, level).await?;
    }
    let actor = user.actor();
    let now = state.now();
    let created = state
        .store
        .delegate(
            parent_id,
            expected_version,
            key,
            |parent, ordinal| {
                let ctx = Context {
                    actor: &actor,
                    now,
                    calendar: &reference.calendar,
                    orgs: &reference.orgs,
                    catalogues: &reference.catalogues,
                    parent: None,
                };
                new_subtask(input, parent, ordinal, &ctx)
            },
            |parent, subtask, to| {
                let ctx = Context {
                    actor: &actor,
                    now,
                    calendar: &reference.calendar,
                    orgs: &reference.orgs,
                    catalogues: &reference.catalogues,
                    parent: None,
                };
                parent.delegated(subtask, to, &ctx)
            },
        )
        .await?;
    let (sub, parent) = &created.value;
    if !created.replayed {
        publish(state, sub);
        publish(state, parent);
        tracing::info!(
            task.id = sub.task.id.0,
            parent.id = parent_id.0,
            user.id = user.user.id.0,
            "task delegated"
        );
    }
    Ok(created)
}

/// Transfers every draft task of a document the user may see; returns their ids.
pub async fn transfer_all(
    state: &AppState,
    user: &CurrentUser,
    document_id: DocumentId,
) -> ApiResult<Vec<TaskId>> {
    user.actor().require_any(&[Role::CentralOffice])?;
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    require_visible_document(state, &scope, document_id).await?;
    let filter = TaskFilter {
        document_id: Some(document_id),
        statuses: vec![TaskStatus::Draft],
        subtasks: Some(false),
        ..Default::default()
    };
    let mut transferred = Vec::new();
    let mut page = PageRequest {
        limit: Some(theodoi_store::MAX_PAGE),
        after: None,
    };
    loop {
        let drafts = state
            .store
            .list_tasks(&scope, &filter, TaskSort::Newest, &page, state.now())
            .await?;
        for row in &drafts.items {
            run_command(state, user, row.id, None, None, TaskCommand::Transfer, None).await?;
            transferred.push(row.id);
        }
        match drafts
            .next_cursor
            .as_deref()
            .and_then(theodoi_store::Cursor::decode)
        {
            Some(cursor) => page.after = Some(cursor),
            None => break,
        }
    }
    transferred.sort_unstable();
    Ok(transferred)
}
