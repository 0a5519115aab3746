//! Entry of a new document with its tasks. The form adds and removes task rows, previews
//! obligations and schedules, and saves, optionally transferring the tasks at once.

use super::check::{Checked, check_new, preview_of};
use super::errors::FormErrors;
use super::fields::{EntryForm, MAX_ROWS, Pairs, TaskFields};
use super::pickers::Pickers;
use super::preview::Preview;
use crate::error::ApiError;
use crate::ops;
use crate::state::AppState;
use crate::web::error::page_error;
use crate::web::form::{CsrfForm, new_form_key};
use crate::web::page::{Page, PageUser, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;
use theodoi_domain::ids::{DocumentId, TaskId, UserId};
use theodoi_domain::task::TaskCommand;
use theodoi_domain::user::Role;
use theodoi_i18n::catalogue;
use theodoi_store::IdempotencyKey;

#[derive(Template, WebTemplate)]
#[template(path = "documents/new.html")]
struct NewDocumentPage {
    page: Page,
    pickers: Pickers,
    form: EntryForm,
    errors: FormErrors,
    preview: Option<Preview>,
}

/// The preview alone, swapped into the form by htmx.
#[derive(Template, WebTemplate)]
#[template(path = "documents/preview.html")]
pub(super) struct PreviewFragment {
    pub page: Page,
    pub preview: Preview,
}

/// Returns the error page for a user who is not a Central Office officer, or `None` for one
/// who is.
pub fn office_refusal(user: &PageUser) -> Option<Response> {
    user.current
        .actor()
        .require_any(&[Role::CentralOffice])
        .err()
        .map(|error| page_error(ApiError::Domain(error), user.lang))
}

fn render(
    state: &AppState,
    user: &PageUser,
    form: EntryForm,
    errors: FormErrors,
    preview: Option<Preview>,
) -> Response {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = NewDocumentPage {
        page: Page::new(state, user, Section::NewDocument, "ui-nav-new-document"),
        pickers: Pickers::new(&state.reference(), user.lang, user.current.user.clearance),
        form,
        errors,
        preview,
    };
    (status, page).into_response()
}

/// Shows `GET /documents/new`, an empty form with one task row.
pub async fn show(State(state): State<AppState>, user: PageUser) -> Response {
    if let Some(refused) = office_refusal(&user) {
        return refused;
    }
    render(
        &state,
        &user,
        EntryForm::blank(new_form_key()),
        FormErrors::default(),
        None,
    )
}

/// Handles `POST /documents/new`: adds or removes a task row, previews, or saves, by the
/// button pressed. Pressing Enter in a field previews, because the form's first button does.
pub async fn submit(
    State(state): State<AppState>,
    user: PageUser,
    posted: CsrfForm<Pairs>,
) -> Response {
    if let Some(refused) = office_refusal(&user) {
        return refused;
    }
    let mut form = EntryForm::parse(&posted.body);
    if form.idem.trim().is_empty() {
        form.idem = new_form_key();
    }
    let action = form.action.clone();
    if action == "add_row" {
        if form.tasks.len() < MAX_ROWS {
            form.tasks.push(TaskFields::default());
        }
        return render(&state, &user, form, FormErrors::default(), None);
    }
    if let Some(index) = action
        .strip_prefix("remove_row:")
        .and_then(|index| index.parse::<usize>().ok())
    {
        if index < form.tasks.len() {
            form.tasks.remove(index);
        }
        return render(&state, &user, form, FormErrors::default(), None);
    }

    let checked = check_new(&state, &user, &form);
    if checked.top_secret {
        // Nothing about a Tuyệt mật document is kept, not even in the form shown again.
        return render(
            &state,
            &user,
            EntryForm::blank(new_form_key()),
            checked.errors,
            None,
        );
    }
    let saving = matches!(action.as_str(), "save" | "save_transfer");
    if !saving || !checked.errors.is_empty() {
        let mut preview = preview_of(
            &state,
            &user,
            checked.document.as_ref(),
            &checked.tasks,
            &checked.errors,
            1,
        );
        // The whole page lists the errors above the form already.
        preview.problems.clear();
        return render(&state, &user, form, checked.errors, Some(preview));
    }
    save(&state, &user, form, checked, action == "save_transfer").await
}

/// Renders `POST /documents/preview`, the preview fragment of the form's current values, for
/// a new document or for a task added to the document named by `document_id`.
pub async fn preview(
    State(state): State<AppState>,
    user: PageUser,
    posted: CsrfForm<Pairs>,
) -> Response {
    if let Some(refused) = office_refusal(&user) {
        return refused;
    }
    let form = EntryForm::parse(&posted.body);
    let page = Page::new(&state, &user, Section::NewDocument, "ui-nav-new-document");
    let preview = match form.document_id {
        Some(id) => {
            match super::detail::added_task_preview(&state, &user, DocumentId(id), &form).await {
                Ok(preview) => preview,
                Err(error) => return page_error(error, user.lang),
            }
        }
        None => {
            let checked = check_new(&state, &user, &form);
            if checked.top_secret {
                let mut preview = Preview {
                    document_invalid: true,
                    ..Default::default()
                };
                preview.problems = checked.errors.messages;
                preview
            } else {
                preview_of(
                    &state,
                    &user,
                    checked.document.as_ref(),
                    &checked.tasks,
                    &checked.errors,
                    1,
                )
            }
        }
    };
    // Always 200: htmx swaps only successful responses, and the problems are part of it.
    PreviewFragment { page, preview }.into_response()
}

/// Builds the idempotency key of one part of a form submission from the form's key, the
/// part's name and a hash of the part's own values. Saving the same form again after a
/// partial failure finds the parts already stored and stores only the rest.
pub(super) fn part_key(
    user: UserId,
    form_key: &str,
    part: &str,
    value: &impl Serialize,
) -> Option<IdempotencyKey> {
    if form_key.trim().is_empty() {
        return None;
    }
    let body = serde_json::to_vec(value).unwrap_or_default();
    Some(IdempotencyKey::new(
        user,
        &format!("{form_key}/{part}"),
        "POST",
        "/documents/new",
        &body,
    ))
}

/// Registers the checked document, creates its tasks in order and, with `transfer`, sends
/// them to their lead bodies. Then it redirects to the document's page.
async fn save(
    state: &AppState,
    user: &PageUser,
    form: EntryForm,
    checked: Checked,
    transfer: bool,
) -> Response {
    let lang = user.lang;
    let user_id = user.current.user.id;
    let Some(document) = checked.document else {
        return render(state, user, form, checked.errors, None);
    };
    let key = part_key(user_id, &form.idem, "document", &checked.document_input);
    let registered =
        match ops::register_document(state, &user.current, &document.content, None, key.as_ref())
            .await
        {
            Ok(created) => created.value,
            Err(error) => {
                let mut errors = FormErrors::default();
                errors.add_api(lang, error);
                errors.summarize(lang);
                return render(state, user, form, errors, None);
            }
        };

    let mut created: Vec<TaskId> = Vec::with_capacity(checked.tasks.len());
    for (index, input) in checked.tasks.iter().enumerate() {
        let key = part_key(user_id, &form.idem, &format!("task/{index}"), input);
        match ops::create_task(state, &user.current, registered.id, input, key.as_ref()).await {
            Ok(task) => created.push(task.value.task.id),
            Err(error) => {
                // The document is stored, so saving the same form again adds the missing tasks.
                tracing::warn!(
                    document.id = registered.id.0,
                    user.id = user_id.0,
                    row = index,
                    error = %error,
                    "task of a new document not created"
                );
                let mut errors = FormErrors::default();
                errors.general(catalogue().text(lang, "ui-documents-saved-partly"));
                let error = match error {
                    ApiError::Domain(domain) => {
                        ApiError::Domain(domain.within(&format!("tasks[{index}]")))
                    }
                    other => other,
                };
                errors.add_api(lang, error);
                errors.summarize(lang);
                return render(state, user, form, errors, None);
            }
        }
    }

    let mut transferred = 0;
    if transfer {
        for (index, id) in created.iter().enumerate() {
            let key = part_key(user_id, &form.idem, &format!("transfer/{index}"), &id.0);
            let sent = ops::run_command(
                state,
                &user.current,
                *id,
                None,
                key.as_ref(),
                TaskCommand::Transfer,
                None,
            )
            .await;
            if let Err(error) = sent {
                tracing::warn!(
                    document.id = registered.id.0,
                    task.id = id.0,
                    user.id = user_id.0,
                    error = %error,
                    "task of a new document not transferred"
                );
                let alert = catalogue().format(
                    lang,
                    "ui-documents-transfer-failed",
                    &[(
                        "error",
                        theodoi_i18n::Value::Text(error.render_in(lang).1.message),
                    )],
                );
                return super::detail::render_with_alert(state, user, registered.id, alert).await;
            }
            transferred += 1;
        }
    }
    tracing::info!(
        document.id = registered.id.0,
        user.id = user_id.0,
        tasks = created.len(),
        transferred,
        "document entered"
    );
    Redirect::to(&format!(
        "/documents/{}?saved={}&transferred={}",
        registered.id.0,
        created.len(),
        transferred
    ))
    .into_response()
}
