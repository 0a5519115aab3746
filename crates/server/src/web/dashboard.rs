//! The dashboard: counts by result state for what the user may see, kept current by
//! server-sent events.

use super::page::{Page, PageUser, Section};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use theodoi_domain::result::ResultState;
use theodoi_store::TaskFilter;

/// One count of the summary.
#[derive(Debug)]
pub struct StateCount {
    pub code: &'static str,
    pub label: String,
    pub count: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    page: Page,
    summary_html: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "partials/summary.html")]
struct Summary {
    page: Page,
    total: i64,
    states: Vec<StateCount>,
}

async fn summary(state: &AppState, user: &PageUser, page: Page) -> Result<Summary, Response> {
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    let counts = state
        .store
        .count_by_state(&scope, &TaskFilter::default(), state.now())
        .await
        .map_err(|error| super::error::page_error(error.into(), user.lang))?;
    let states = ResultState::ALL
        .into_iter()
        .map(|result| StateCount {
            code: result.as_str(),
            label: page.t(&result.message_id()),
            count: counts
                .counts
                .iter()
                .find(|(state, _)| *state == result)
                .map(|(_, n)| *n)
                .unwrap_or(0),
        })
        .collect();
    Ok(Summary {
        page,
        total: counts.total,
        states,
    })
}

pub async fn show(State(state): State<AppState>, user: PageUser) -> Response {
    let page = Page::new(&state, &user, Section::Dashboard, "ui-nav-dashboard");
    match summary(&state, &user, page.clone()).await {
        Ok(summary) => match summary.render() {
            Ok(summary_html) => DashboardPage { page, summary_html }.into_response(),
            Err(error) => super::error::page_error(
                crate::error::ApiError::Internal(error.to_string()),
                user.lang,
            ),
        },
        Err(response) => response,
    }
}

/// The summary alone, for live refreshes.
pub async fn fragment(State(state): State<AppState>, user: PageUser) -> Response {
    let page = Page::new(&state, &user, Section::Dashboard, "ui-nav-dashboard");
    match summary(&state, &user, page).await {
        Ok(summary) => summary.into_response(),
        Err(response) => response,
    }
}
