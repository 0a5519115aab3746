//! Obligations due soon or breached, per responsible body.

use super::inputs::parse_code;
use super::tasks::page_request;
use super::views::{ObligationView, obligation_view};
use crate::auth::CurrentUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use jiff::SignedDuration;
use serde::{Deserialize, Serialize};
use theodoi_domain::error::not_one_of;
use theodoi_domain::error::{Code, Violations};
use theodoi_domain::ids::OrgId;
use theodoi_domain::obligation::ObligationKind;
use theodoi_store::{ObligationFilter, ObligationQuery};
use utoipa::{IntoParams, ToSchema};

/// Which obligations to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ObligationListQuery {
    /// due_soon (default): not yet met and due within the window; breached: overdue and still
    /// owed, met late, or closed after its due time; open: still owed, due or overdue.
    pub status: Option<String>,
    /// For due_soon: the window ahead, in hours (default 72, at most 8784).
    pub within_hours: Option<i64>,
    /// The responsible body; the user's own body when absent for users who see only their body.
    pub body: Option<i64>,
    /// With `body`: include units below it.
    pub include_subunits: Option<bool>,
    /// Comma-separated kinds: entry, receipt, feedback, feedback_handling, checkpoint,
    /// final_report, requested_update, evaluation.
    pub kind: Option<String>,
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

/// An obligation and its task.
#[derive(Debug, Serialize, ToSchema)]
pub struct ObligationListItem {
    pub task_id: i64,
    pub document_id: i64,
    pub document_symbol: String,
    /// Absent for classified tasks.
    pub task_content: Option<String>,
    pub obligation: ObligationView,
}

/// A page of obligations, earliest due first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ObligationPage {
    pub items: Vec<ObligationListItem>,
    pub next_cursor: Option<String>,
}

/// Longest look-ahead for obligations due soon: one leap year, in hours.
const MAX_WINDOW_HOURS: i64 = 8_784;

/// Lists obligations due soon, breached or open, of tasks the user may see.
#[utoipa::path(get, path = "/api/v1/obligations", tag = "obligations", params(ObligationListQuery),
    responses((status = 200, body = ObligationPage), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<ObligationListQuery>,
) -> ApiResult<Json<ObligationPage>> {
    let mut violations = Violations::new();
    let hours = query.within_hours.unwrap_or(72);
    if !(1..=MAX_WINDOW_HOURS).contains(&hours) {
        violations.push(
            "within_hours",
            Code::OutOfRange,
            vec![("min", 1i64.into()), ("max", MAX_WINDOW_HOURS.into())],
        );
    }
    let kind = match query.status.as_deref().unwrap_or("due_soon") {
        // Clamped because an out-of-range value, already recorded above, would overflow
        // `from_hours` and panic before the violations are returned.
        "due_soon" => Some(ObligationQuery::DueSoon {
            within: SignedDuration::from_hours(hours.clamp(1, MAX_WINDOW_HOURS)),
        }),
        "breached" => Some(ObligationQuery::Breached),
        "open" => Some(ObligationQuery::Open),
        _ => {
            violations.record(not_one_of("status", ["due_soon", "breached", "open"]));
            None
        }
    };
    let mut kinds = Vec::new();
    for value in query
        .kind
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        let known = parse_code("kind", value, &ObligationKind::NAMES, |value| {
            ObligationKind::NAMES
                .iter()
                .find(|name| **name == value)
                .map(|name| (*name).to_owned())
        })
        .map_err(|error| error.labelled("kind", "field-obligation-kind"));
        if let Some(name) = violations.check(known) {
            kinds.push(name);
        }
    }
    violations.finish()?;
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    // A body's officers see what their own body and its units owe unless they name a body.
    let (responsible, include_subunits) = match (query.body, scope.visibility) {
        (Some(body), _) => (Some(OrgId(body)), query.include_subunits.unwrap_or(false)),
        (None, theodoi_store::Visibility::Within(org)) => (Some(org), true),
        (None, theodoi_store::Visibility::Everything) => (None, false),
    };
    let filter = ObligationFilter {
        responsible,
        include_subunits,
        kinds,
        task_id: None,
    };
    let page = page_request(query.limit, &query.cursor, "due")?;
    let now = state.now();
    let result = state
        .store
        .list_obligations(&scope, kind.expect("checked above"), &filter, &page, now)
        .await?;
    Ok(Json(ObligationPage {
        items: result
            .items
            .iter()
            .map(|row| ObligationListItem {
                task_id: row.task_id.0,
                document_id: row.document_id.0,
                document_symbol: row.document_symbol.clone(),
                task_content: row.task_content.clone(),
                obligation: obligation_view(
                    &row.obligation,
                    now,
                    &reference.orgs,
                    &reference.calendar,
                ),
            })
            .collect(),
        next_cursor: result.next_cursor,
    }))
}
