//! Delegation ("giao đơn vị trực thuộc"): the lead body's focal officers hand part of a task to
//! one of their units as a sub-task, which is transferred at once and followed by the body.

use super::common::{
    Choice, LoadedTask, Problems, TaskSummary, date_for_domain, form_problems, load_task,
    local_path, org_name, with_context, with_notice,
};
use crate::error::ApiError;
use crate::ops;
use crate::state::AppState;
use crate::web::error::page_error;
use crate::web::form::{CsrfForm, new_form_key};
use crate::web::page::{Page, PageUser, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use theodoi_domain::error::ErrorKind;
use theodoi_domain::ids::{OrgId, TaskId};
use theodoi_domain::task::{SubtaskInput, new_subtask};

/// The values typed into the form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DelegateForm {
    #[serde(default)]
    lead_body: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    expected_products: String,
    #[serde(default)]
    deadline: String,
    back: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "updates/delegate.html")]
struct DelegatePage {
    page: Page,
    task: TaskSummary,
    action: String,
    back: String,
    key: String,
    version: i64,
    units: Vec<Choice>,
    values: DelegateForm,
    /// The parent's deadline, the latest a sub-task may have.
    parent_deadline: Option<String>,
    classified: bool,
    problems: Problems,
}

#[derive(Debug, Deserialize)]
pub struct BackQuery {
    back: Option<String>,
}

/// Checks that `user` may delegate `loaded` now. Delegating with empty input fails on the
/// input when everything else is allowed.
fn check_may_delegate(
    state: &AppState,
    user: &PageUser,
    loaded: &LoadedTask,
) -> Result<(), theodoi_domain::DomainError> {
    with_context(state, user, |ctx| {
        match new_subtask(&SubtaskInput::default(), &loaded.task, 1, ctx) {
            Err(error) if error.kind != ErrorKind::Invalid => Err(error),
            _ => Ok(()),
        }
    })
}

/// Returns the units below the task's lead body as choices, by name.
fn unit_choices(state: &AppState, page: &Page, loaded: &LoadedTask, selected: &str) -> Vec<Choice> {
    let reference = state.reference();
    let lead = loaded.task.lead_body;
    let mut units: Vec<Choice> = reference
        .orgs
        .subtree(lead)
        .into_iter()
        .filter(|unit| *unit != lead)
        .map(|unit| Choice {
            value: unit.0.to_string(),
            label: org_name(&reference.orgs, unit, page.lang),
            selected: unit.0.to_string() == selected,
        })
        .collect();
    units.sort_by(|a, b| a.label.cmp(&b.label));
    units
}

struct Frame {
    page: Page,
    loaded: LoadedTask,
    back: String,
    key: String,
    version: i64,
}

impl Frame {
    fn render(
        self,
        state: &AppState,
        status: StatusCode,
        values: DelegateForm,
        problems: Problems,
    ) -> Response {
        let reference = state.reference();
        let page = DelegatePage {
            task: TaskSummary::new(&self.loaded.row, &self.page, &reference.orgs),
            units: unit_choices(state, &self.page, &self.loaded, &values.lead_body),
            action: format!("/tasks/{}/delegate", self.loaded.task.id.0),
            parent_deadline: self
                .loaded
                .task
                .deadline
                .map(|deadline| self.page.date(&deadline)),
            classified: !self.loaded.task.confidentiality.allows_task_content(),
            page: self.page,
            back: self.back,
            key: self.key,
            version: self.version,
            values,
            problems,
        };
        (status, page).into_response()
    }
}

/// `GET /tasks/{id}/delegate`.
pub async fn show(
    State(state): State<AppState>,
    user: PageUser,
    path: Result<Path<i64>, PathRejection>,
    Query(query): Query<BackQuery>,
) -> Response {
    let Ok(Path(id)) = path else {
        return page_error(ApiError::NotFound, user.lang);
    };
    let id = TaskId(id);
    let loaded = match load_task(&state, &user, id).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    if let Err(error) = check_may_delegate(&state, &user, &loaded) {
        return page_error(error.into(), user.lang);
    }
    let page = Page::new(&state, &user, Section::Tasks, "ui-updates-delegate-title");
    Frame {
        page,
        version: i64::from(loaded.task.version),
        loaded,
        back: local_path(query.back.as_deref()).unwrap_or_else(|| format!("/tasks/{}", id.0)),
        key: new_form_key(),
    }
    .render(
        &state,
        StatusCode::OK,
        DelegateForm::default(),
        Problems::default(),
    )
}

fn non_empty(value: &str) -> Option<String> {
    (!value.trim().is_empty()).then(|| value.to_owned())
}

/// `POST /tasks/{id}/delegate`: creates the sub-task and goes back to the task.
pub async fn submit(
    State(state): State<AppState>,
    user: PageUser,
    path: Result<Path<i64>, PathRejection>,
    form: CsrfForm<DelegateForm>,
) -> Response {
    let Ok(Path(id)) = path else {
        return page_error(ApiError::NotFound, user.lang);
    };
    let id = TaskId(id);
    let page = Page::new(&state, &user, Section::Tasks, "ui-updates-delegate-title");
    let values = form.body.clone();
    let back = local_path(values.back.as_deref()).unwrap_or_else(|| format!("/tasks/{}", id.0));
    let mut problems = Problems::default();
    let lead_body = match values.lead_body.trim() {
        "" => None,
        typed => match typed.parse::<i64>() {
            Ok(unit) => Some(OrgId(unit)),
            Err(_) => {
                problems.add("lead_body", page.t("ui-updates-unit-invalid"));
                None
            }
        },
    };
    let input = SubtaskInput {
        lead_body,
        content: non_empty(&values.content),
        expected_products: non_empty(&values.expected_products),
        deadline: date_for_domain(&values.deadline),
    };
    let key = form.key(user.current.user.id);
    let error = if problems.is_empty() {
        match ops::delegate(
            &state,
            &user.current,
            id,
            &input,
            form.task_version(),
            key.as_ref(),
        )
        .await
        {
            Ok(_) => return Redirect::to(&with_notice(&back, "delegated")).into_response(),
            Err(error) => Some(error),
        }
    } else {
        None
    };

    let loaded = match load_task(&state, &user, id).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let mut version = form
        .version
        .unwrap_or_else(|| i64::from(loaded.task.version));
    let status = match error {
        Some(error) => {
            if let ApiError::VersionConflict { current } = &error {
                version = *current;
            }
            match form_problems(error, &page) {
                Ok((status, mut found)) => {
                    // The domain names the field after the task's lead body, but the form
                    // offers a list of units.
                    if input.lead_body.is_none() {
                        found.replace("lead_body", page.t("ui-updates-unit-required"));
                    }
                    problems = found;
                    status
                }
                Err(response) => return *response,
            }
        }
        None => {
            problems.summarise(&page);
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    Frame {
        page,
        loaded,
        back,
        key: key.map(|key| key.key).unwrap_or_else(new_form_key),
        version,
    }
    .render(&state, status, values, problems)
}
