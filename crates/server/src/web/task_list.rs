//! The task list: every task the user may see, filtered and sorted with the query parameters
//! of `GET /api/v1/tasks` so that other pages can link here, paged by keyset, with saved views
//! and an XLSX export of the whole filtered list.

#[path = "export.rs"]
mod export;
mod filters;
mod options;
mod query;
mod views;

pub(super) use options::{
    Choice, OptionGroup, catalogue_choices, catalogue_name, field_messages, org_groups, org_name,
};
pub(super) use query::parse_any_date;

use super::error::page_error;
use super::page::{Page, PageUser, Section};
use super::routes::Routes;
use crate::error::ApiError;
use crate::state::{AppState, Reference};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use filters::{FilterView, filter_view};
use query::{ListQuery, ListRequest, canonical_query, parse, present};
use std::collections::HashMap;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::result::ResultState;
use theodoi_store::{SavedView, TaskRow};

pub(super) fn routes(routes: Routes) -> Routes {
    routes
        .add("/tasks", &["GET"], get(show))
        .add("/tasks/export.xlsx", &["GET"], get(export::download))
        .add("/tasks/views", &["POST"], post(views::save_view))
        .add(
            "/tasks/views/{view}/delete",
            &["POST"],
            post(views::delete_view),
        )
}

/// One row of the table.
pub(super) struct ListRow {
    pub href: String,
    pub symbol: String,
    pub ordinal: i64,
    pub is_subtask: bool,
    /// `None` for classified tasks, whose content is never stored.
    pub content: Option<String>,
    pub lead: String,
    pub deadline: String,
    pub result_code: &'static str,
    pub result: String,
    pub status_code: String,
    pub status: String,
    pub percent: String,
    pub rollup: Option<String>,
}

fn list_row(row: &TaskRow, reference: &Reference, page: &Page) -> ListRow {
    let classified = row.confidentiality != Confidentiality::Normal.as_str();
    ListRow {
        href: format!("/tasks/{}", row.id.0),
        symbol: row.document_symbol.clone(),
        ordinal: row.ordinal,
        is_subtask: row.parent_id.is_some(),
        content: if classified {
            None
        } else {
            row.content.clone()
        },
        lead: org_name(reference, page.lang, row.lead_body),
        deadline: match row.deadline {
            Some(date) => page.date(&date),
            None => page.t("ui-tasks-no-deadline"),
        },
        result_code: row.result_state.map(ResultState::as_str).unwrap_or("none"),
        result: row
            .result_state
            .map(|state| page.t(&state.message_id()))
            .unwrap_or_else(|| "—".to_owned()),
        status_code: row.status.clone(),
        status: page.t(&format!("task-status-{}", row.status.replace('_', "-"))),
        percent: row
            .percent
            .map(|percent| format!("{percent}%"))
            .unwrap_or_else(|| "—".to_owned()),
        rollup: row
            .rollup_percent
            .filter(|_| row.subtask_count > 0)
            .map(|percent| page.t1("ui-tasks-rollup", "percent", &percent.to_string())),
    }
}

/// A saved view as listed.
pub(super) struct ViewLink {
    pub id: i64,
    pub name: String,
    pub href: String,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "tasks/list.html")]
struct ListPage {
    page: Page,
    filters: FilterView,
    rows: Vec<ListRow>,
    /// Tasks matching the filters, on every page.
    total: Option<i64>,
    query: String,
    export_href: String,
    next_href: Option<String>,
    first_href: Option<String>,
    notice: Option<String>,
    alert: Option<String>,
    views: Vec<ViewLink>,
    view_name: String,
    view_error: Option<String>,
}

/// The rejected save of a view, shown next to the list.
#[derive(Default)]
pub(super) struct Extras {
    view_name: String,
    view_error: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    user: PageUser,
    RawQuery(raw): RawQuery,
) -> Response {
    let query = ListQuery::from_query(raw.as_deref());
    render_list(&state, &user, &query, Extras::default()).await
}

/// Lists the user's saved views, marking the one whose filters are shown.
async fn view_links(
    state: &AppState,
    user: &PageUser,
    canonical: &str,
) -> Result<Vec<ViewLink>, ApiError> {
    let views = state.store.saved_views(user.current.user.id).await?;
    Ok(views
        .into_iter()
        .map(|view: SavedView| ViewLink {
            current: view.query == canonical,
            href: format!("/tasks?{}", view.query),
            id: view.id,
            name: view.name,
        })
        .collect())
}

/// One page of the list with the total and the link to the next page.
#[derive(Default)]
struct Results {
    rows: Vec<ListRow>,
    total: Option<i64>,
    next_href: Option<String>,
}

async fn results(
    state: &AppState,
    user: &PageUser,
    page: &Page,
    request: &ListRequest,
    canonical: &str,
) -> Result<Results, ApiError> {
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    let now = state.now();
    let listed = state
        .store
        .list_tasks(&scope, &request.filter, request.sort, &request.page(), now)
        .await?;
    let counted = state
        .store
        .count_by_state(&scope, &request.filter, now)
        .await?;
    let next_href = listed.next_cursor.map(|cursor| {
        let separator = if canonical.is_empty() { "" } else { "&" };
        let cursor: String = form_urlencoded::byte_serialize(cursor.as_bytes()).collect();
        format!("/tasks?{canonical}{separator}cursor={cursor}")
    });
    Ok(Results {
        rows: listed
            .items
            .iter()
            .map(|row| list_row(row, &reference, page))
            .collect(),
        total: Some(counted.total + counted.without_result_state),
        next_href,
    })
}

/// Renders the list for `query`, with the rejected save of a view in `extras` when there is
/// one.
pub(super) async fn render_list(
    state: &AppState,
    user: &PageUser,
    query: &ListQuery,
    extras: Extras,
) -> Response {
    let page = Page::new(state, user, Section::Tasks, "ui-nav-tasks");
    let canonical = canonical_query(query);
    let views = match view_links(state, user, &canonical).await {
        Ok(views) => views,
        Err(error) => return page_error(error, user.lang),
    };
    let notice = match present(&query.notice) {
        Some("view-saved") => Some(page.t("ui-tasks-view-saved")),
        Some("view-deleted") => Some(page.t("ui-tasks-view-deleted")),
        _ => None,
    };

    let mut status = if extras.view_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut alert = None;
    let mut errors = HashMap::new();
    let mut found = Results::default();
    match parse(query) {
        Ok(request) => {
            if request.cursor_rejected {
                alert = Some(page.t("request-cursor-invalid"));
            }
            found = match results(state, user, &page, &request, &canonical).await {
                Ok(found) => found,
                Err(error) => return page_error(error, user.lang),
            };
        }
        Err(error) => {
            status = StatusCode::UNPROCESSABLE_ENTITY;
            let (summary, fields) = field_messages(user.lang, &error);
            alert = Some(summary);
            errors = fields;
        }
    }

    let list = ListPage {
        export_href: format!("/tasks/export.xlsx?{canonical}"),
        first_href: present(&query.cursor).map(|_| format!("/tasks?{canonical}")),
        query: canonical,
        filters: filter_view(state, user, query, errors).await,
        page,
        rows: found.rows,
        total: found.total,
        next_href: found.next_href,
        notice,
        alert,
        views,
        view_name: extras.view_name,
        view_error: extras.view_error,
    };
    (status, list).into_response()
}
