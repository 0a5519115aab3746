//! The unified progress-update form ("biểu mẫu cập nhật tiến độ"): drafting a new update and
//! editing one, with product files uploaded in the same submission.

use super::common::{
    Choice, FileLink, LoadedTask, Problems, TaskSummary, attachment_ref, date_for_domain,
    date_for_form, form_problems, load_task, local_path, probe, return_reason, status_label,
    update_state, with_notice,
};
use super::upload::{self, FilePart, Submission};
use crate::error::ApiError;
use crate::ops;
use crate::state::AppState;
use crate::web::error::page_error;
use crate::web::form::new_form_key;
use crate::web::page::{Page, PageUser, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::rejection::PathRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::BTreeMap;
use theodoi_calendar::local_date;
use theodoi_domain::ids::{TaskId, UpdateNo};
use theodoi_domain::task::TaskCommand;
use theodoi_domain::task::update::{ProductInput, ProgressStatus, UpdateInput, UpdateRules};
use theodoi_store::{AttachmentId, IdempotencyKey, NewAttachment};

/// Blank product rows offered below the filled ones; the script adds more on request.
const BLANK_ROWS: usize = 2;

/// The values typed into the form, kept to show them again after an error.
#[derive(Debug, Clone, Default)]
pub struct Values {
    pub status: String,
    pub percent: String,
    pub completion_date: String,
    pub results: String,
    pub difficulties: String,
    pub proposals: String,
    pub reason: String,
}

/// One product row of the form.
#[derive(Debug, Clone)]
pub struct ProductRow {
    pub index: usize,
    /// The index as written in field names and ids; `__index__` in the row template that the
    /// script copies.
    pub slot: String,
    pub name: String,
    /// The file already stored for this product.
    pub file: Option<FileLink>,
    pub name_error: Option<String>,
    pub file_error: Option<String>,
}

/// The facts the form shows about the update being edited.
#[derive(Debug, Clone)]
pub struct EditInfo {
    pub no: i64,
    pub state_code: &'static str,
    pub state: String,
    pub return_reason: Option<String>,
    /// Editing an approved update voids the approval, and the reason is required.
    pub approved: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "updates/form.html")]
struct FormPage {
    page: Page,
    task: TaskSummary,
    action: String,
    back: String,
    key: String,
    version: i64,
    edit: Option<EditInfo>,
    classified: bool,
    statuses: Vec<Choice>,
    values: Values,
    products: Vec<ProductRow>,
    /// An empty row for the script to copy when the user adds a product.
    template_row: ProductRow,
    problems: Problems,
    notice: Option<String>,
    /// The latest approved update, as a reminder of what was last reported.
    previous: Option<String>,
    max_file: String,
    accept: &'static str,
}

#[derive(Debug, Deserialize)]
pub struct FormQuery {
    back: Option<String>,
    notice: Option<String>,
}

fn task_page(id: TaskId) -> String {
    format!("/tasks/{}", id.0)
}

/// Returns the statuses the task may report. Classified tasks report only the final outcomes,
/// and tasks without a deadline never report "done but not completed".
fn status_choices(page: &Page, loaded: &LoadedTask, selected: &str) -> Vec<Choice> {
    let classified = !loaded.task.confidentiality.allows_detailed_results();
    ProgressStatus::ALL
        .into_iter()
        .filter(|status| !classified || status.is_final())
        .filter(|status| {
            *status != ProgressStatus::DoneNotCompleted || loaded.task.deadline.is_some()
        })
        .map(|status| Choice {
            value: status.as_str().to_owned(),
            label: status_label(page, status),
            selected: status.as_str() == selected,
        })
        .collect()
}

fn blank_rows(products: &mut Vec<ProductRow>) {
    let start = products.len();
    products.extend((start..start + BLANK_ROWS).map(|index| ProductRow {
        index,
        slot: index.to_string(),
        name: String::new(),
        file: None,
        name_error: None,
        file_error: None,
    }));
}

/// Everything needed to render the form besides the values.
struct FormFrame {
    page: Page,
    loaded: LoadedTask,
    update: Option<UpdateNo>,
    back: String,
    key: String,
    version: i64,
}

impl FormFrame {
    fn render(
        self,
        state: &AppState,
        status: StatusCode,
        values: Values,
        mut products: Vec<ProductRow>,
        problems: Problems,
        notice: Option<String>,
    ) -> Response {
        let page = self.page;
        let reference = state.reference();
        let classified = !self.loaded.task.confidentiality.allows_detailed_results();
        let edit = self
            .update
            .and_then(|no| self.loaded.task.update(no))
            .map(|update| {
                let (state_code, state) = update_state(&page, update);
                EditInfo {
                    no: i64::from(update.no.0),
                    state_code,
                    state,
                    return_reason: return_reason(&self.loaded.events, update.no),
                    approved: update.approved_at().is_some(),
                }
            });
        let previous = self.loaded.task.latest_approved().map(|update| {
            let mut text = format!(
                "{} ({})",
                status_label(&page, update.content.status),
                update
                    .approved_at()
                    .map(|at| page.datetime(&at))
                    .unwrap_or_default()
            );
            if let Some(percent) = update.content.percent {
                text = format!("{percent}% · {text}");
            }
            text
        });
        if !classified {
            blank_rows(&mut products);
        } else {
            products.clear();
        }
        let action = match self.update {
            Some(no) => format!("/tasks/{}/updates/{}/edit", self.loaded.row.id.0, no.0),
            None => format!("/tasks/{}/updates/new", self.loaded.row.id.0),
        };
        let form = FormPage {
            task: TaskSummary::new(&self.loaded.row, &page, &reference.orgs),
            statuses: status_choices(&page, &self.loaded, &values.status),
            page,
            action,
            back: self.back,
            key: self.key,
            version: self.version,
            edit,
            classified,
            values,
            products,
            template_row: ProductRow {
                index: 0,
                slot: "__index__".to_owned(),
                name: String::new(),
                file: None,
                name_error: None,
                file_error: None,
            },
            problems,
            notice,
            previous,
            max_file: format!("{} MB", upload::MAX_FILE_BYTES / (1024 * 1024)),
            accept: upload::ACCEPT,
        };
        (status, form).into_response()
    }
}

fn title_id(update: Option<UpdateNo>) -> &'static str {
    match update {
        Some(_) => "ui-updates-edit-title",
        None => "ui-updates-new-title",
    }
}

/// `GET /tasks/{id}/updates/new`: an empty form, or the open update when there is one.
pub async fn new(
    State(state): State<AppState>,
    user: PageUser,
    path: Result<Path<i64>, PathRejection>,
    Query(query): Query<FormQuery>,
) -> Response {
    let Ok(Path(id)) = path else {
        return page_error(ApiError::NotFound, user.lang);
    };
    let id = TaskId(id);
    let loaded = match load_task(&state, &user, id).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let back = local_path(query.back.as_deref()).unwrap_or_else(|| task_page(id));

    // One update at a time: a second draft would be refused, so the open one is shown instead.
    if let Some(open) = loaded.task.open_draft() {
        let target = format!(
            "/tasks/{}/updates/{}/edit?back={}",
            id.0,
            open.no.0,
            form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>()
        );
        return Redirect::to(&with_notice(&target, "draft-open")).into_response();
    }
    let probed = probe(
        &state,
        &user,
        &loaded.task,
        TaskCommand::DraftUpdate(UpdateInput::default()),
        None,
    );
    if let Err(error) = probed {
        return page_error(error.into(), user.lang);
    }

    let page = Page::new(&state, &user, Section::Tasks, title_id(None));
    let mut values = Values::default();
    if let Some(latest) = loaded.task.latest_approved()
        && !latest.content.status.is_final()
    {
        values.status = latest.content.status.as_str().to_owned();
        values.percent = latest
            .content
            .percent
            .map(|percent| percent.to_string())
            .unwrap_or_default();
    }
    let notice = super::common::notice_text(&page, query.notice.as_deref());
    FormFrame {
        page,
        version: i64::from(loaded.task.version),
        loaded,
        update: None,
        back,
        key: new_form_key(),
    }
    .render(
        &state,
        StatusCode::OK,
        values,
        Vec::new(),
        Problems::default(),
        notice,
    )
}

/// `GET /tasks/{id}/updates/{no}/edit`: the form filled with the update's content.
pub async fn edit(
    State(state): State<AppState>,
    user: PageUser,
    path: Result<Path<(i64, u32)>, PathRejection>,
    Query(query): Query<FormQuery>,
) -> Response {
    let Ok(Path((id, no))) = path else {
        return page_error(ApiError::NotFound, user.lang);
    };
    let (id, no) = (TaskId(id), UpdateNo(no));
    let loaded = match load_task(&state, &user, id).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let Some(update) = loaded.task.update(no).cloned() else {
        return page_error(ApiError::NotFound, user.lang);
    };
    let probed = probe(
        &state,
        &user,
        &loaded.task,
        TaskCommand::EditUpdate {
            update: no,
            input: UpdateInput::default(),
        },
        // A placeholder, so that the probe reaches the checks behind the reason.
        Some("-"),
    );
    if let Err(error) = probed {
        return page_error(error.into(), user.lang);
    }

    let page = Page::new(&state, &user, Section::Tasks, title_id(Some(no)));
    let content = &update.content;
    let values = Values {
        status: content.status.as_str().to_owned(),
        percent: content
            .percent
            .map(|percent| percent.to_string())
            .unwrap_or_default(),
        completion_date: date_for_form(content.completion_date),
        results: content.results.clone().unwrap_or_default(),
        difficulties: content.difficulties.clone().unwrap_or_default(),
        proposals: content.proposals.clone().unwrap_or_default(),
        reason: String::new(),
    };

    let refs: Vec<AttachmentId> = content
        .products
        .iter()
        .filter_map(|product| attachment_ref(product.file.as_deref()))
        .collect();
    let files = match state.store.attachments(&refs).await {
        Ok(files) => files,
        Err(error) => return page_error(error.into(), user.lang),
    };
    let products = content
        .products
        .iter()
        .enumerate()
        .map(|(index, product)| ProductRow {
            index,
            slot: index.to_string(),
            name: product.name.clone(),
            file: attachment_ref(product.file.as_deref()).and_then(|id| {
                files
                    .iter()
                    .find(|file| file.id == id && file.task_id == loaded.task.id)
                    .map(|file| FileLink::new(file, &page))
            }),
            name_error: None,
            file_error: None,
        })
        .collect();
    let notice = super::common::notice_text(&page, query.notice.as_deref());
    FormFrame {
        page,
        version: i64::from(loaded.task.version),
        loaded,
        update: Some(no),
        back: local_path(query.back.as_deref()).unwrap_or_else(|| task_page(id)),
        key: new_form_key(),
    }
    .render(
        &state,
        StatusCode::OK,
        values,
        products,
        Problems::default(),
        notice,
    )
}

/// `POST /tasks/{id}/updates/new`: drafts an update.
pub async fn create(
    State(state): State<AppState>,
    user: PageUser,
    path: Result<Path<i64>, PathRejection>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Ok(Path(id)) = path else {
        return page_error(ApiError::NotFound, user.lang);
    };
    submit(state, user, TaskId(id), None, headers, multipart).await
}

/// `POST /tasks/{id}/updates/{no}/edit`: saves changes to an update.
pub async fn save(
    State(state): State<AppState>,
    user: PageUser,
    path: Result<Path<(i64, u32)>, PathRejection>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let Ok(Path((id, no))) = path else {
        return page_error(ApiError::NotFound, user.lang);
    };
    submit(
        state,
        user,
        TaskId(id),
        Some(UpdateNo(no)),
        headers,
        multipart,
    )
    .await
}

/// A product row as submitted, before files are stored.
#[derive(Debug, Default)]
struct RawRow {
    name: String,
    file: Option<String>,
    remove: bool,
    upload: Option<FilePart>,
}

/// Groups the `products[i].…` fields into rows in the order of their index.
fn raw_rows(submission: &mut Submission) -> Vec<RawRow> {
    let mut rows: BTreeMap<usize, RawRow> = BTreeMap::new();
    for (name, value) in &submission.fields {
        let Some((index, part)) = product_field(name) else {
            continue;
        };
        let row = rows.entry(index).or_default();
        match part {
            "name" => row.name = value.clone(),
            "file" if !value.trim().is_empty() => row.file = Some(value.clone()),
            "remove" => row.remove = true,
            _ => {}
        }
    }
    for part in std::mem::take(&mut submission.files) {
        if let Some((index, "upload")) = product_field(&part.field) {
            rows.entry(index).or_default().upload = Some(part);
        }
    }
    rows.into_values()
        .filter(|row| {
            !row.remove
                && (!row.name.trim().is_empty() || row.file.is_some() || row.upload.is_some())
        })
        .collect()
}

/// Splits `products[3].name` into `(3, "name")`.
fn product_field(name: &str) -> Option<(usize, &str)> {
    let rest = name.strip_prefix("products[")?;
    let (index, part) = rest.split_once("].")?;
    Some((index.parse().ok()?, part))
}

fn non_empty(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| value.to_owned())
}

/// Checks, stores and attaches the files of the kept rows. Rows are renumbered from zero in
/// their order, which is the order the domain numbers products in its messages.
async fn attach_files(
    state: &AppState,
    user: &PageUser,
    page: &Page,
    loaded: &LoadedTask,
    rows: Vec<RawRow>,
) -> Result<(Vec<ProductRow>, Problems), ApiError> {
    let mut problems = Problems::default();
    let refs: Vec<AttachmentId> = rows
        .iter()
        .filter_map(|row| attachment_ref(row.file.as_deref()))
        .collect();
    let known = state.store.attachments(&refs).await?;
    let may_attach = loaded.task.confidentiality.allows_detailed_results();
    let mut products = Vec::with_capacity(rows.len());
    for (index, row) in rows.into_iter().enumerate() {
        let mut product = ProductRow {
            index,
            slot: index.to_string(),
            name: row.name,
            file: None,
            name_error: None,
            file_error: None,
        };
        if let Some(reference) = row.file {
            // Only files of this task may be named; anything else was not offered by the form.
            match attachment_ref(Some(&reference))
                .and_then(|id| known.iter().find(|file| file.id == id))
                .filter(|file| file.task_id == loaded.task.id)
            {
                Some(file) => product.file = Some(FileLink::new(file, page)),
                None => product.file_error = Some(page.t("ui-updates-attachment-unknown")),
            }
        }
        match row.upload.map(|part| part.result) {
            Some(Ok(upload)) if may_attach => {
                // NOTE: a file stored here stays when the form is never sent successfully, and
                // nothing removes unreferenced attachments yet.
                let stored = state
                    .store
                    .insert_attachment(&NewAttachment {
                        task_id: loaded.task.id,
                        uploaded_by: user.current.user.id,
                        body: user.current.user.org_id,
                        file_name: &upload.file_name,
                        content_type: upload.content_type,
                        data: &upload.data,
                        now: state.now(),
                    })
                    .await?;
                if !stored.replayed {
                    tracing::info!(
                        task.id = loaded.task.id.0,
                        user.id = user.current.user.id.0,
                        attachment.id = stored.value.id.0,
                        size = stored.value.size,
                        "attachment stored"
                    );
                }
                product.file = Some(FileLink::new(&stored.value, page));
                product.file_error = None;
            }
            // Classified tasks keep no products; the domain reports the field, and the file
            // is never stored.
            Some(Ok(_)) => {}
            Some(Err(message)) => product.file_error = Some(message),
            None => {}
        }
        if let Some(message) = &product.file_error {
            problems.add(format!("products[{index}].file"), message.clone());
        }
        products.push(product);
    }
    Ok((products, problems))
}

fn values_of(submission: &Submission) -> Values {
    Values {
        status: submission.field("status"),
        percent: submission.field("percent"),
        completion_date: submission.field("completion_date"),
        results: submission.field("results"),
        difficulties: submission.field("difficulties"),
        proposals: submission.field("proposals"),
        reason: submission.field("reason"),
    }
}

/// Builds the domain input from the form. The flag is set when the percentage typed is not a
/// number.
fn input_of(values: &Values, products: &[ProductRow]) -> (UpdateInput, bool) {
    let percent_text = values.percent.trim();
    let percent = percent_text.parse::<i64>().ok();
    let percent_invalid = !percent_text.is_empty() && percent.is_none();
    let input = UpdateInput {
        status: non_empty(&values.status),
        percent,
        completion_date: date_for_domain(&values.completion_date),
        results: non_empty(&values.results),
        products: products
            .iter()
            .map(|product| ProductInput {
                name: non_empty(&product.name),
                file: product.file.as_ref().map(|file| file.id.to_string()),
            })
            .collect(),
        difficulties: non_empty(&values.difficulties),
        proposals: non_empty(&values.proposals),
    };
    (input, percent_invalid)
}

/// Validates the input the way the domain will, to show its messages next to problems found
/// before the command could run.
fn validation_rules(state: &AppState, loaded: &LoadedTask) -> UpdateRules {
    let today = local_date(state.now());
    UpdateRules {
        confidentiality: loaded.task.confidentiality,
        transferred_on: loaded
            .task
            .first_transferred_at
            .map(local_date)
            .unwrap_or(today),
        today,
        has_deadline: loaded.task.deadline.is_some(),
    }
}

/// Copies the product messages of `problems` into their rows.
fn place_product_errors(products: &mut [ProductRow], problems: &Problems) {
    for product in products.iter_mut() {
        if product.name_error.is_none() {
            product.name_error = problems
                .field(&format!("products[{}].name", product.index))
                .map(str::to_owned);
        }
        if product.file_error.is_none() {
            product.file_error = problems
                .field(&format!("products[{}].file", product.index))
                .map(str::to_owned);
        }
    }
}

async fn submit(
    state: AppState,
    user: PageUser,
    id: TaskId,
    update: Option<UpdateNo>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let page = Page::new(&state, &user, Section::Tasks, title_id(update));
    let Ok(multipart) = multipart else {
        return crate::web::error::render(
            StatusCode::BAD_REQUEST,
            user.lang,
            page.t("ui-updates-form-unreadable"),
            None,
        );
    };
    let mut submission = match upload::read(multipart, &headers, &user, &page).await {
        Ok(submission) => submission,
        Err(response) => return response,
    };
    let loaded = match load_task(&state, &user, id).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    if let Some(no) = update
        && loaded.task.update(no).is_none()
    {
        return page_error(ApiError::NotFound, user.lang);
    }
    // Nothing is stored for someone who may not report on this task.
    let probe_command = match update {
        Some(no) => TaskCommand::EditUpdate {
            update: no,
            input: UpdateInput::default(),
        },
        None => TaskCommand::DraftUpdate(UpdateInput::default()),
    };
    if let Err(error) = probe(&state, &user, &loaded.task, probe_command, Some("-"))
        && error.kind != theodoi_domain::error::ErrorKind::Conflict
    {
        return page_error(error.into(), user.lang);
    }

    let values = values_of(&submission);
    let back = local_path(Some(&submission.field("back"))).unwrap_or_else(|| task_page(id));
    let key = submission.key.clone().unwrap_or_else(new_form_key);
    let version = submission
        .version
        .unwrap_or_else(|| i64::from(loaded.task.version));
    let rows = raw_rows(&mut submission);
    let (mut products, mut problems) = match attach_files(&state, &user, &page, &loaded, rows).await
    {
        Ok(attached) => attached,
        Err(error) => return page_error(error, user.lang),
    };
    let (input, percent_invalid) = input_of(&values, &products);
    if percent_invalid {
        problems.add("percent", page.t("ui-updates-percent-invalid"));
    }
    if submission.too_large {
        let max = format!("{} MB", upload::MAX_FORM_BYTES / (1024 * 1024));
        problems.summary = Some(page.t1("ui-updates-form-too-large", "max", &max));
    }

    let frame = FormFrame {
        page,
        loaded,
        update,
        back,
        key,
        version,
    };
    if !problems.is_empty() {
        // The command cannot run yet; the domain's own findings are shown alongside.
        if let Err(error) = input.validate(validation_rules(&state, &frame.loaded)) {
            let mut domain = Problems::default();
            domain.add_domain(&error, &frame.page);
            for (field, message) in domain.fields {
                if problems.field(&field).is_none() {
                    problems.add(field, message);
                }
            }
        }
        problems.summarise(&frame.page);
        place_product_errors(&mut products, &problems);
        return frame.render(
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            values,
            products,
            problems,
            None,
        );
    }

    let reason = non_empty(&values.reason);
    let command = match update {
        Some(no) => TaskCommand::EditUpdate {
            update: no,
            input: input.clone(),
        },
        None => TaskCommand::DraftUpdate(input.clone()),
    };
    // The multipart boundary differs between two clicks, so the key is tied to what was
    // submitted rather than to the raw body.
    let canonical = serde_json::to_vec(&(&input, &reason, version)).unwrap_or_default();
    let idempotency = submission.key.as_ref().map(|key| {
        let path = match update {
            Some(no) => format!("/tasks/{}/updates/{}/edit", id.0, no.0),
            None => format!("/tasks/{}/updates/new", id.0),
        };
        IdempotencyKey::new(user.current.user.id, key, "POST", &path, &canonical)
    });
    let result = ops::run_command(
        &state,
        &user.current,
        id,
        u32::try_from(version).ok(),
        idempotency.as_ref(),
        command,
        reason,
    )
    .await;
    match result {
        Ok(_) => {
            let notice = if update.is_some() {
                "update-saved"
            } else {
                "update-drafted"
            };
            Redirect::to(&with_notice(&frame.back, notice)).into_response()
        }
        Err(error) => {
            let mut frame = frame;
            if let ApiError::VersionConflict { current } = &error {
                frame.version = *current;
            }
            match form_problems(error, &frame.page) {
                Ok((status, problems)) => {
                    place_product_errors(&mut products, &problems);
                    frame.render(&state, status, values, products, problems, None)
                }
                Err(response) => *response,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_fields_split_into_index_and_part() {
        assert_eq!(product_field("products[3].name"), Some((3, "name")));
        assert_eq!(product_field("products[0].upload"), Some((0, "upload")));
        assert_eq!(product_field("products[x].name"), None);
        assert_eq!(product_field("results"), None);
    }

    #[test]
    fn blank_and_removed_rows_are_dropped() {
        let mut submission = Submission {
            fields: vec![
                ("products[0].name".into(), "Báo cáo".into()),
                ("products[1].name".into(), " ".into()),
                ("products[2].name".into(), "Dự thảo".into()),
                ("products[2].remove".into(), "1".into()),
                ("products[5].name".into(), "Kế hoạch".into()),
                ("products[5].file".into(), "7".into()),
            ],
            ..Default::default()
        };
        let rows = raw_rows(&mut submission);
        let names: Vec<&str> = rows.iter().map(|row| row.name.as_str()).collect();
        assert_eq!(names, ["Báo cáo", "Kế hoạch"]);
        assert_eq!(rows[1].file.as_deref(), Some("7"));
    }
}
