//! Documents that assign tasks.

use super::inputs::{ClassificationBody, parse_code};
use super::support::versioned;
use super::tasks::page_request;
use super::views::{DocumentView, GroupView, document_view};
use crate::auth::CurrentUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Creating, IfMatch, OptionalJson};
use crate::ops;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use theodoi_domain::catalogue::ClassificationInput;
use theodoi_domain::document::{Document, DocumentInput, DocumentKind, entry_due, parse_date};
use theodoi_domain::error::{Code, DomainError, Violations};
use theodoi_domain::ids::{DocumentId, OrgId};
use theodoi_domain::text;
use theodoi_domain::user::Role;
use theodoi_store::{DocumentFilter, Scope};
use utoipa::{IntoParams, ToSchema};

/// Replaces each document's task count by the number of its tasks the reader may see, for
/// readers who see only their own body's records: the full count would reveal other bodies' work.
async fn scope_task_counts(
    state: &AppState,
    scope: &Scope,
    documents: &mut [Document],
) -> ApiResult<()> {
    if scope.visibility == theodoi_store::Visibility::Everything {
        return Ok(());
    }
    let ids: Vec<DocumentId> = documents.iter().map(|document| document.id).collect();
    let counts = state.store.visible_task_counts(scope, &ids).await?;
    for document in documents {
        document.task_count = counts.get(&document.id).copied().unwrap_or(0);
    }
    Ok(())
}

pub use crate::ops::require_visible_document;

/// A document as entered by the Central Office.
// TODO: registering requires kind, symbol, title, issue_date, signer and the three bodies, but
// corrections share this type with every field optional, so the schema marks none required.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentBody {
    /// resolution, directive, conclusion, notice, meeting_conclusion_notice, programme, plan,
    /// scheme, decision, regulation, rules, guidance, official_letter or direction.
    pub kind: Option<String>,
    /// Number and symbol ("số, ký hiệu") such as `57-NQ/TW`; `QD` is read as `QĐ`.
    pub symbol: Option<String>,
    pub title: Option<String>,
    /// `YYYY-MM-DD`.
    pub issue_date: Option<String>,
    pub signer: Option<String>,
    /// Id of the advising and issuing body.
    pub issuing_body: Option<i64>,
    /// Id of the assigning authority (Central Committee, Politburo, Secretariat, …).
    pub assigning_authority: Option<i64>,
    /// Id of the default monitoring body of its tasks.
    pub monitoring_body: Option<i64>,
    /// normal (default), confidential or secret. top_secret is rejected and nothing is stored.
    pub confidentiality: Option<String>,
    /// Summary ("trích yếu"); must be absent for classified documents.
    pub summary: Option<String>,
    /// Reason, when correcting a document.
    pub reason: Option<String>,
}

impl DocumentBody {
    fn input(&self) -> DocumentInput {
        DocumentInput {
            kind: self.kind.clone(),
            symbol: self.symbol.clone(),
            title: self.title.clone(),
            issue_date: self.issue_date.clone(),
            signer: self.signer.clone(),
            issuing_body: self.issuing_body.map(OrgId),
            assigning_authority: self.assigning_authority.map(OrgId),
            monitoring_body: self.monitoring_body.map(OrgId),
            confidentiality: self.confidentiality.clone(),
            summary: self.summary.clone(),
        }
    }
}

/// Registers a document. Needs the Central Office role.
#[utoipa::path(post, path = "/api/v1/documents", tag = "documents",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request register the document once")),
    request_body = DocumentBody,
    responses((status = 201, body = DocumentView, description = "Registered"),
        (status = 200, body = DocumentView, description = "Registered earlier by a request with the same Idempotency-Key and body"),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    creating: Creating<DocumentBody>,
) -> ApiResult<Response> {
    let actor = user.actor();
    actor.require_any(&[Role::CentralOffice])?;
    let reference = state.reference();
    let now = state.now();
    let content = creating
        .body
        .input()
        .validate(&reference.orgs, theodoi_calendar::local_date(now))?;
    actor.require_clearance(content.confidentiality)?;
    let reason = text::optional_text("reason", creating.body.reason.as_deref(), 5_000)?;
    let key = creating.key(user.user.id);
    let created =
        ops::register_document(&state, &user, &content, reason.as_deref(), key.as_ref()).await?;
    let view = document_view(&created.value, &reference.orgs);
    let status = if created.replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok(versioned(status, view.version, view))
}

/// Filters and page of the document list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DocumentListQuery {
    /// Words to find in symbol, title or summary, with or without diacritics.
    pub q: Option<String>,
    pub kind: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub issued_from: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub issued_to: Option<String>,
    /// Only documents whose tasks are not all transferred.
    pub awaiting_entry: Option<bool>,
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
    /// Language of names and messages in the response: vi (default) or en.
    #[expect(
        dead_code,
        reason = "read from the query string by the localize middleware"
    )]
    pub lang: Option<String>,
}

/// A page of documents.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentPage {
    pub items: Vec<DocumentView>,
    pub next_cursor: Option<String>,
}

/// Lists the documents the user may see, newest issue date first.
#[utoipa::path(get, path = "/api/v1/documents", tag = "documents", params(DocumentListQuery),
    responses((status = 200, body = DocumentPage), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<DocumentListQuery>,
) -> ApiResult<Json<DocumentPage>> {
    let mut violations = Violations::new();
    let kind = query.kind.as_deref().and_then(|value| {
        violations.check(parse_code(
            "kind",
            value,
            &DocumentKind::ALL.map(DocumentKind::as_str),
            DocumentKind::parse,
        ))
    });
    let issued_from = query
        .issued_from
        .as_deref()
        .and_then(|value| violations.check(parse_date("issued_from", value)));
    let issued_to = query
        .issued_to
        .as_deref()
        .and_then(|value| violations.check(parse_date("issued_to", value)));
    violations.finish()?;
    let filter = DocumentFilter {
        text: query.q.clone(),
        kind,
        issued_from,
        issued_to,
        awaiting_entry: query.awaiting_entry.unwrap_or(false),
    };
    let page = page_request(query.limit, &query.cursor, "issue_date")?;
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    let mut result = state.store.list_documents(&scope, &filter, &page).await?;
    scope_task_counts(&state, &scope, &mut result.items).await?;
    Ok(Json(DocumentPage {
        items: result
            .items
            .iter()
            .map(|document| document_view(document, &reference.orgs))
            .collect(),
        next_cursor: result.next_cursor,
    }))
}

/// A document with its groups.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentDetail {
    #[serde(flatten)]
    pub document: DocumentView,
    pub groups: Vec<GroupView>,
}

/// Shows a document and its task groups.
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "documents",
    params(("id" = i64, Path, description = "Document id")),
    responses((status = 200, body = DocumentDetail), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Response> {
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    let mut document = require_visible_document(&state, &scope, DocumentId(id)).await?;
    scope_task_counts(&state, &scope, std::slice::from_mut(&mut document)).await?;
    let groups = state.store.groups(DocumentId(id)).await?;
    let detail = DocumentDetail {
        document: document_view(&document, &reference.orgs),
        groups: groups.iter().map(GroupView::from).collect(),
    };
    Ok(versioned(StatusCode::OK, document.version, detail))
}

/// Corrects a document. Kind, symbol, issue date and confidentiality change only while it has
/// no tasks. Needs the Central Office role.
#[utoipa::path(patch, path = "/api/v1/documents/{id}", tag = "documents",
    params(("id" = i64, Path, description = "Document id"), ("If-Match" = Option<String>, Header, description = "Expected document version")),
    request_body = DocumentBody,
    responses((status = 200, body = DocumentView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn correct(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<DocumentBody>,
) -> ApiResult<Response> {
    let actor = user.actor();
    actor.require_any(&[Role::CentralOffice])?;
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    require_visible_document(&state, &scope, DocumentId(id)).await?;
    let now = state.now();
    let reason = text::optional_text("reason", body.reason.as_deref(), 5_000)?;
    let document = state
        .store
        .correct_document(
            DocumentId(id),
            if_match.0,
            |current| {
                let content = &current.content;
                let merged = DocumentInput {
                    kind: Some(
                        body.kind
                            .clone()
                            .unwrap_or_else(|| content.kind.as_str().to_owned()),
                    ),
                    symbol: Some(
                        body.symbol
                            .clone()
                            .unwrap_or_else(|| content.symbol.to_string()),
                    ),
                    title: Some(body.title.clone().unwrap_or_else(|| content.title.clone())),
                    issue_date: Some(
                        body.issue_date
                            .clone()
                            .unwrap_or_else(|| content.issue_date.to_string()),
                    ),
                    signer: Some(
                        body.signer
                            .clone()
                            .unwrap_or_else(|| content.signer.clone()),
                    ),
                    issuing_body: Some(
                        body.issuing_body.map(OrgId).unwrap_or(content.issuing_body),
                    ),
                    assigning_authority: Some(
                        body.assigning_authority
                            .map(OrgId)
                            .unwrap_or(content.assigning_authority),
                    ),
                    monitoring_body: Some(
                        body.monitoring_body
                            .map(OrgId)
                            .unwrap_or(content.monitoring_body),
                    ),
                    confidentiality: Some(
                        body.confidentiality
                            .clone()
                            .unwrap_or_else(|| content.confidentiality.as_str().to_owned()),
                    ),
                    summary: body.summary.clone().or_else(|| content.summary.clone()),
                };
                let updated =
                    merged.validate(&reference.orgs, theodoi_calendar::local_date(now))?;
                let fixed_changed = updated.kind != content.kind
                    || updated.symbol != content.symbol
                    || updated.issue_date != content.issue_date
                    || updated.confidentiality != content.confidentiality;
                if fixed_changed && current.task_count > 0 {
                    return Err(DomainError::conflict(Code::DocumentHasTasks, vec![]));
                }
                if updated == *content {
                    return Err(DomainError::conflict(Code::TaskNothingChanged, vec![]));
                }
                let (due, version) = if updated.issue_date == content.issue_date {
                    (current.entry_due, current.calendar_version.clone())
                } else {
                    (
                        entry_due(&reference.calendar, updated.issue_date),
                        reference.calendar.version().0.clone(),
                    )
                };
                Ok((updated, due, version))
            },
            &actor,
            now,
            reason.as_deref(),
        )
        .await?;
    let view = document_view(&document, &reference.orgs);
    Ok(versioned(StatusCode::OK, view.version, view))
}

/// A new task group.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupBody {
    #[schema(required = true)]
    pub name: Option<String>,
    #[serde(default)]
    pub classification: ClassificationBody,
}

/// Adds a task group to a document. Needs the Central Office role.
#[utoipa::path(post, path = "/api/v1/documents/{id}/groups", tag = "documents",
    params(("id" = i64, Path, description = "Document id"), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request add the group once")),
    request_body = GroupBody,
    responses((status = 201, body = GroupView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_group(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    creating: Creating<GroupBody>,
) -> ApiResult<(StatusCode, Json<GroupView>)> {
    let key = creating.key(user.user.id);
    let body = creating.body;
    let actor = user.actor();
    actor.require_any(&[Role::CentralOffice])?;
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    require_visible_document(&state, &scope, DocumentId(id)).await?;
    let mut violations = Violations::new();
    let name = violations.check(text::required_line(
        "name",
        body.name.as_deref().unwrap_or(""),
        500,
    ));
    let classification = violations.check(ClassificationInput::from(body.classification).validate(
        &reference.catalogues,
        theodoi_domain::catalogue::ExecutingUnit::Other,
    ));
    violations.finish()?;
    let created = state
        .store
        .add_group_once(
            DocumentId(id),
            &name.unwrap_or_default(),
            &classification.expect("checked above"),
            &actor,
            state.now(),
            key.as_ref(),
        )
        .await?;
    let status = if created.replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(GroupView::from(&created.value))))
}

/// What a bulk transfer did.
#[derive(Debug, Serialize, ToSchema)]
pub struct TransferSummary {
    /// Ids of the tasks transferred now.
    pub transferred: Vec<i64>,
}

/// Transfers every draft task of a document to its lead body. Needs the Central Office role.
#[utoipa::path(post, path = "/api/v1/documents/{id}/transfer", tag = "documents",
    params(("id" = i64, Path, description = "Document id")),
    responses((status = 200, body = TransferSummary), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn transfer_all(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    OptionalJson(_body): OptionalJson<super::inputs::ReasonBody>,
) -> ApiResult<Json<TransferSummary>> {
    let transferred = ops::transfer_all(&state, &user, DocumentId(id))
        .await?
        .into_iter()
        .map(|id| id.0)
        .collect();
    Ok(Json(TransferSummary { transferred }))
}
