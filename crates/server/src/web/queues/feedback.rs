//! Tasks returned with feedback, earliest handling due time first, because the Central Office
//! has one working day to handle each. Every task shows the body's feedback and a form to
//! adjust or correct the task, reassign it to another lead body, or reject the feedback.

use crate::error::ApiError;
use crate::ops;
use crate::state::{AppState, Reference};
use crate::web::documents::errors::{FormErrors, LocalError};
use crate::web::documents::fields::{Pairs, org_id};
use crate::web::documents::office_refusal;
use crate::web::documents::pickers::{Pickers, org_label};
use crate::web::error::page_error;
use crate::web::form::{CsrfForm, new_form_key};
use crate::web::page::{Page, PageUser, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use serde::Deserialize;
use theodoi_domain::catalogue::ClassificationInput;
use theodoi_domain::ids::TaskId;
use theodoi_domain::obligation::{ObligationKind, obligations};
use theodoi_domain::task::event::FeedbackKind;
use theodoi_domain::task::{FeedbackDecision, TaskCommand, TaskEditInput};
use theodoi_i18n::{Lang, Value, catalogue};
use theodoi_store::{Cursor, PageRequest, Scope, TaskHistory};

/// Returned tasks a page of the queue shows; each carries a full handling form.
const PAGE_SIZE: u32 = 20;

/// The handling form as typed.
#[derive(Debug, Clone, Default)]
pub struct HandlingFields {
    /// adjust, correct, reassign or reject.
    pub decision: String,
    pub reason: String,
    /// The new lead body, for reassign.
    pub to: String,
    /// Absent when the form had no content field: classified tasks keep no content.
    pub content: Option<String>,
    pub expected_products: Option<String>,
    pub coordinating_bodies: Vec<String>,
    pub monitoring_body: String,
    pub executing_unit: String,
    pub scope: String,
    pub scope_detail: String,
    pub priority: String,
    pub other: String,
}

fn non_empty(value: &str) -> Option<String> {
    (!value.trim().is_empty()).then(|| value.to_owned())
}

impl HandlingFields {
    fn parse(pairs: &[(String, String)]) -> Self {
        let mut fields = HandlingFields::default();
        for (name, value) in pairs {
            let value = value.clone();
            match name.as_str() {
                "decision" => fields.decision = value,
                "reason" => fields.reason = value,
                "to" => fields.to = value,
                "content" => fields.content = Some(value),
                "expected_products" => fields.expected_products = Some(value),
                "coordinating_bodies" if !value.trim().is_empty() => {
                    fields.coordinating_bodies.push(value);
                }
                "monitoring_body" => fields.monitoring_body = value,
                "classification.executing_unit" => fields.executing_unit = value,
                "classification.scope" => fields.scope = value,
                "classification.scope_detail" => fields.scope_detail = value,
                "classification.priority" => fields.priority = value,
                "classification.other" => fields.other = value,
                _ => {}
            }
        }
        fields
    }

    /// Fills the form with the task as it is, so that only what the user changes is changed.
    fn from_task(task: &theodoi_domain::task::Task) -> Self {
        let classification = &task.classification;
        let open = task.confidentiality.allows_task_content();
        HandlingFields {
            content: open.then(|| task.content.clone().unwrap_or_default()),
            expected_products: open.then(|| task.expected_products.clone().unwrap_or_default()),
            coordinating_bodies: task
                .coordinating_bodies
                .iter()
                .map(|id| id.0.to_string())
                .collect(),
            monitoring_body: task.monitoring_body.0.to_string(),
            executing_unit: classification.executing_unit.clone(),
            scope: classification.scope.clone(),
            scope_detail: classification.scope_detail.clone().unwrap_or_default(),
            priority: classification.priority.clone(),
            other: classification.other.clone().unwrap_or_default(),
            ..Default::default()
        }
    }

    /// Returns true when `id` is among the coordinating bodies chosen.
    pub fn coordinates(&self, id: &str) -> bool {
        self.coordinating_bodies.iter().any(|chosen| chosen == id)
    }

    /// Builds the changes of an adjustment or correction. The domain compares every value
    /// with the task and leaves out those unchanged.
    fn changes(&self, errors: &mut Vec<LocalError>) -> TaskEditInput {
        let coordinating = self
            .coordinating_bodies
            .iter()
            .enumerate()
            .filter_map(|(position, value)| {
                org_id(value, &format!("coordinating_bodies[{position}]"), errors)
            })
            .collect();
        TaskEditInput {
            content: self.content.clone(),
            expected_products: self.expected_products.clone(),
            classification: Some(ClassificationInput {
                executing_unit: non_empty(&self.executing_unit),
                scope: non_empty(&self.scope),
                scope_detail: non_empty(&self.scope_detail),
                priority: non_empty(&self.priority),
                other: non_empty(&self.other),
            }),
            coordinating_bodies: Some(coordinating),
            monitoring_body: org_id(&self.monitoring_body, "monitoring_body", errors),
            ..Default::default()
        }
    }

    /// Reads the decision the form requests, or returns `None` and fills `errors` when it
    /// cannot be read.
    fn decision(&self, errors: &mut Vec<LocalError>) -> Option<FeedbackDecision> {
        match self.decision.trim() {
            "adjust" => Some(FeedbackDecision::Adjust(self.changes(errors))),
            "correct" => Some(FeedbackDecision::Correct(self.changes(errors))),
            "reassign" => match org_id(&self.to, "to", errors) {
                Some(to) => Some(FeedbackDecision::Reassign { to }),
                None => {
                    errors.push(LocalError::required("to").labelled("field-reassign-to"));
                    None
                }
            },
            "reject" => Some(FeedbackDecision::Reject),
            "" => {
                errors.push(LocalError::new("decision", "ui-queues-decision-missing"));
                None
            }
            _ => {
                errors.push(LocalError::invalid("decision"));
                None
            }
        }
    }
}

/// The feedback a body sent.
#[derive(Debug, Clone)]
pub struct FeedbackInfo {
    pub kind: String,
    pub reason: Option<String>,
    /// The body that returned the task.
    pub body: String,
    pub at: Timestamp,
}

/// One returned task with its handling form.
#[derive(Debug, Clone)]
pub struct FeedbackCard {
    pub id: i64,
    /// The task version the form was rendered from.
    pub version: u32,
    pub document_id: i64,
    pub document_symbol: String,
    pub ordinal: u32,
    /// Absent for classified tasks, which keep no content.
    pub content: Option<String>,
    pub classified: bool,
    pub lead_body: String,
    pub status: String,
    /// Absent once the feedback was handled.
    pub feedback: Option<FeedbackInfo>,
    pub handling_due: Option<Timestamp>,
    pub overdue: bool,
    pub form: HandlingFields,
    pub errors: FormErrors,
    pub idem: String,
}

fn kind_message(kind: FeedbackKind) -> &'static str {
    match kind {
        FeedbackKind::WrongContent => "ui-queues-kind-wrong-content",
        FeedbackKind::OutsideAuthority => "ui-queues-kind-outside-authority",
    }
}

fn card(
    reference: &Reference,
    history: &TaskHistory,
    document_symbol: &str,
    now: Timestamp,
    lang: Lang,
) -> FeedbackCard {
    let task = &history.task;
    // The due time stored with the feedback, as the obligation fold reads it.
    let handling_due = obligations(&history.domain_events())
        .into_iter()
        .rev()
        .find(|obligation| {
            obligation.kind == ObligationKind::FeedbackHandling
                && obligation.met_at.is_none()
                && obligation.closed_at.is_none()
        })
        .map(|obligation| obligation.due_at);
    FeedbackCard {
        id: task.id.0,
        version: task.version,
        document_id: task.document_id.0,
        document_symbol: document_symbol.to_owned(),
        ordinal: task.ordinal,
        content: task.content.clone(),
        classified: !task.confidentiality.allows_task_content(),
        lead_body: org_label(reference, task.lead_body, lang),
        status: catalogue().text(
            lang,
            &format!("task-status-{}", task.status.as_str().replace('_', "-")),
        ),
        feedback: task.pending_feedback.as_ref().map(|feedback| FeedbackInfo {
            kind: catalogue().text(lang, kind_message(feedback.kind)),
            reason: feedback.reason.clone(),
            body: feedback
                .body
                .map(|body| org_label(reference, body, lang))
                .unwrap_or_default(),
            at: feedback.at,
        }),
        handling_due,
        overdue: handling_due.is_some_and(|due| due < now),
        form: HandlingFields::from_task(task),
        errors: FormErrors::with_prefix(&format!("t{}-", task.id.0)),
        idem: new_form_key(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "queues/feedback.html")]
struct FeedbackQueuePage {
    page: Page,
    cards: Vec<FeedbackCard>,
    pickers: Pickers,
    notice: Option<String>,
    next: Option<String>,
    paged: bool,
}

/// The page of the queue to show, and what the previous request did.
#[derive(Debug, Default, Deserialize)]
pub struct FeedbackQuery {
    #[serde(default)]
    cursor: String,
    /// The task whose feedback was handled, as text, so that an edited address still shows
    /// the queue.
    handled: Option<String>,
}

/// Loads the cards of one page of the queue.
async fn cards(
    state: &AppState,
    scope: &Scope,
    lang: Lang,
    cursor: &str,
) -> Result<(Vec<FeedbackCard>, Option<String>), ApiError> {
    let reference = state.reference();
    let request = PageRequest {
        limit: Some(PAGE_SIZE),
        after: Cursor::decode(cursor),
    };
    let found = state.store.feedback_queue(scope, &request).await?;
    let now = state.now();
    let mut cards = Vec::with_capacity(found.items.len());
    for item in &found.items {
        if let Some(history) = state.store.task(item.task_id).await? {
            cards.push(card(&reference, &history, &item.document_symbol, now, lang));
        }
    }
    let next = found.next_cursor.map(|cursor| {
        format!(
            "/queues/feedback?cursor={}",
            form_urlencoded::byte_serialize(cursor.as_bytes()).collect::<String>()
        )
    });
    Ok((cards, next))
}

fn page(
    state: &AppState,
    user: &PageUser,
    cards: Vec<FeedbackCard>,
    notice: Option<String>,
    next: Option<String>,
    paged: bool,
) -> FeedbackQueuePage {
    FeedbackQueuePage {
        page: Page::new(state, user, Section::FeedbackQueue, "ui-nav-feedback-queue"),
        cards,
        pickers: Pickers::new(&state.reference(), user.lang, user.current.user.clearance),
        notice,
        next,
        paged,
    }
}

/// Builds the confirmation that the feedback on task `id` was handled.
async fn handled_notice(state: &AppState, scope: &Scope, id: i64, lang: Lang) -> Option<String> {
    let row = ops::require_visible(state, scope, TaskId(id)).await.ok()?;
    Some(catalogue().format(
        lang,
        "ui-queues-handled",
        &[
            ("number", Value::Number(row.ordinal)),
            ("symbol", Value::Text(row.document_symbol)),
        ],
    ))
}

/// `GET /queues/feedback`.
pub async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Query(query): Query<FeedbackQuery>,
) -> Response {
    if let Some(refused) = office_refusal(&user) {
        return refused;
    }
    let scope = user.scope(&state.reference().orgs);
    let (cards, next) = match cards(&state, &scope, user.lang, &query.cursor).await {
        Ok(found) => found,
        Err(error) => return page_error(error, user.lang),
    };
    let notice = match query.handled.as_deref().and_then(|id| id.parse().ok()) {
        Some(id) => handled_notice(&state, &scope, id, user.lang).await,
        None => None,
    };
    page(&state, &user, cards, notice, next, !query.cursor.is_empty()).into_response()
}

/// Handles `POST /queues/feedback/{id}`: settles the feedback on task `id` as decided in its
/// form, against the version the form was rendered from.
pub async fn handle(
    State(state): State<AppState>,
    user: PageUser,
    Path(raw): Path<String>,
    posted: CsrfForm<Pairs>,
) -> Response {
    if let Some(refused) = office_refusal(&user) {
        return refused;
    }
    let Ok(id) = raw.parse::<i64>() else {
        return page_error(ApiError::NotFound, user.lang);
    };
    let lang = user.lang;
    let fields = HandlingFields::parse(&posted.body);
    let idem = posted
        .body
        .iter()
        .find(|(name, _)| name == "_idem")
        .map(|(_, value)| value.clone())
        .unwrap_or_default();
    let mut errors = FormErrors::with_prefix(&format!("t{id}-"));
    let mut local = Vec::new();
    let decision = fields.decision(&mut local);
    let status = match decision {
        None => {
            errors.add_local(lang, &local);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Some(_) if !local.is_empty() => {
            errors.add_local(lang, &local);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Some(decision) => {
            let key = posted.key(user.current.user.id);
            let result = ops::run_command(
                &state,
                &user.current,
                TaskId(id),
                posted.task_version(),
                key.as_ref(),
                TaskCommand::HandleFeedback(decision),
                non_empty(&fields.reason),
            )
            .await;
            match result {
                Ok(_) => {
                    return Redirect::to(&format!("/queues/feedback?handled={id}")).into_response();
                }
                Err(ApiError::NotFound) => return page_error(ApiError::NotFound, lang),
                Err(error) => errors.add_api(lang, error),
            }
        }
    };
    errors.summarize(lang);
    shown_again(&state, &user, id, fields, errors, idem, status).await
}

/// Renders the queue with the form of task `id` as the user filled it, its errors, and the
/// task as it is now. The form carries the current version, so sending it again applies to
/// the data now shown.
async fn shown_again(
    state: &AppState,
    user: &PageUser,
    id: i64,
    fields: HandlingFields,
    errors: FormErrors,
    idem: String,
    status: StatusCode,
) -> Response {
    let lang = user.lang;
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    let (mut cards, next) = match cards(state, &scope, lang, "").await {
        Ok(found) => found,
        Err(error) => return page_error(error, lang),
    };
    if !cards.iter().any(|card| card.id == id) {
        let row = match ops::require_visible(state, &scope, TaskId(id)).await {
            Ok(row) => row,
            Err(error) => return page_error(error, lang),
        };
        match state.store.task(TaskId(id)).await {
            Ok(Some(history)) => cards.insert(
                0,
                card(
                    &reference,
                    &history,
                    &row.document_symbol,
                    state.now(),
                    lang,
                ),
            ),
            Ok(None) => return page_error(ApiError::NotFound, lang),
            Err(error) => return page_error(error.into(), lang),
        }
    }
    if let Some(card) = cards.iter_mut().find(|card| card.id == id) {
        card.form = fields;
        card.errors = errors;
        if !idem.trim().is_empty() {
            card.idem = idem;
        }
    }
    (status, page(state, user, cards, None, next, false)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Pairs {
        items
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn reassign_needs_a_body() {
        let fields = HandlingFields::parse(&pairs(&[("decision", "reassign"), ("to", "")]));
        let mut errors = Vec::new();
        assert!(fields.decision(&mut errors).is_none());
        assert_eq!(errors[0].field, "to");
    }

    #[test]
    fn adjustment_carries_the_changes() {
        let fields = HandlingFields::parse(&pairs(&[
            ("decision", "adjust"),
            ("content", "Nội dung mới"),
            ("coordinating_bodies", "7"),
            ("coordinating_bodies", "9"),
            ("classification.scope", "sector"),
        ]));
        let mut errors = Vec::new();
        let Some(FeedbackDecision::Adjust(changes)) = fields.decision(&mut errors) else {
            panic!("an adjustment");
        };
        assert!(errors.is_empty());
        assert_eq!(changes.content.as_deref(), Some("Nội dung mới"));
        assert_eq!(
            changes.coordinating_bodies.map(|bodies| bodies.len()),
            Some(2)
        );
        assert_eq!(changes.expected_products, None, "not posted, not changed");
    }

    #[test]
    fn missing_decision_is_reported() {
        let fields = HandlingFields::parse(&pairs(&[("reason", "Lý do")]));
        let mut errors = Vec::new();
        assert!(fields.decision(&mut errors).is_none());
        assert_eq!(errors[0].field, "decision");
    }
}
