//! Saved views of the task list: a user names the filters shown and reapplies them later.

use super::query::{ListQuery, canonical_query};
use super::{Extras, render_list};
use crate::state::AppState;
use crate::web::error::page_error;
use crate::web::form::CsrfForm;
use crate::web::page::PageUser;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use theodoi_domain::DomainError;
use theodoi_domain::error::Code;
use theodoi_domain::text;

/// Maximum length of a saved view's name, in characters.
const MAX_VIEW_NAME: usize = 100;
/// Maximum length of the query string a saved view keeps, in bytes.
const MAX_VIEW_QUERY: usize = 4_000;

#[derive(Debug, Deserialize)]
pub struct SaveViewForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    query: String,
}

/// `POST /tasks/views`: saves the filters shown under a name, replacing a view of that name.
pub async fn save_view(
    State(state): State<AppState>,
    user: PageUser,
    form: CsrfForm<SaveViewForm>,
) -> Response {
    // The query is rebuilt from its filters, so a view keeps only what the list understands.
    let query = ListQuery::from_query(Some(&form.body.query));
    let canonical = canonical_query(&query);
    let name = text::required_line("name", &form.body.name, MAX_VIEW_NAME)
        .map_err(|error| error.labelled("name", "ui-tasks-view-name"))
        .and_then(|name| {
            if canonical.len() > MAX_VIEW_QUERY {
                Err(DomainError::field(
                    "query",
                    Code::TooLong,
                    vec![
                        ("max", MAX_VIEW_QUERY.into()),
                        ("length", canonical.len().into()),
                    ],
                )
                .labelled("query", "ui-tasks-filters"))
            } else {
                Ok(name)
            }
        });
    let name = match name {
        Ok(name) => name,
        Err(error) => {
            let (summary, fields) = super::field_messages(user.lang, &error);
            let message = fields.into_values().next().unwrap_or(summary);
            let extras = Extras {
                view_name: form.body.name.clone(),
                view_error: Some(message),
            };
            return render_list(&state, &user, &query, extras).await;
        }
    };
    let saved = state
        .store
        .save_view(user.current.user.id, &name, &canonical, state.now())
        .await;
    match saved {
        Ok(view) => {
            tracing::info!(
                user.id = user.current.user.id.0,
                view.id = view.id,
                "task view saved"
            );
            Redirect::to(&with_notice(&canonical, "view-saved")).into_response()
        }
        Err(error) => page_error(error.into(), user.lang),
    }
}

fn with_notice(canonical: &str, notice: &str) -> String {
    if canonical.is_empty() {
        format!("/tasks?notice={notice}")
    } else {
        format!("/tasks?{canonical}&notice={notice}")
    }
}

#[derive(Debug, Deserialize)]
pub struct DeleteViewForm {
    /// The filters shown when the user deleted the view, to return to them.
    #[serde(default)]
    back: String,
}

#[derive(Debug, Deserialize)]
pub struct ViewPath {
    view: i64,
}

/// `POST /tasks/views/{view}/delete`: deletes one of the user's views. Deleting a view that is
/// already gone (a double click) changes nothing and shows the list as well.
pub async fn delete_view(
    State(state): State<AppState>,
    user: PageUser,
    Path(path): Path<ViewPath>,
    form: CsrfForm<DeleteViewForm>,
) -> Response {
    match state
        .store
        .delete_view(user.current.user.id, path.view)
        .await
    {
        Ok(deleted) => {
            if deleted {
                tracing::info!(
                    user.id = user.current.user.id.0,
                    view.id = path.view,
                    "task view deleted"
                );
            }
            let back = canonical_query(&ListQuery::from_query(Some(&form.body.back)));
            Redirect::to(&with_notice(&back, "view-deleted")).into_response()
        }
        Err(error) => page_error(error.into(), user.lang),
    }
}
