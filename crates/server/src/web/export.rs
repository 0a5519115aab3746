//! The task list as an Excel workbook: every page of the filtered list in the list's order,
//! with headers in the user's language, real Excel dates and a frozen header row. Classified
//! tasks never carry their content into the file.

use super::{ListQuery, catalogue_name, org_name, parse};
use crate::error::ApiError;
use crate::state::{AppState, Reference};
use crate::web::error::{page_error, render};
use crate::web::page::PageUser;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};
use std::sync::Arc;
use theodoi_domain::catalogue::Axis;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_i18n::{Lang, Value, catalogue};
use theodoi_store::{Cursor, MAX_PAGE, PageRequest, TaskRow};

/// Maximum number of rows in one export. A larger list must be narrowed by filters first, so
/// that one request cannot hold the whole database in memory.
pub const MAX_EXPORT_ROWS: i64 = 100_000;

/// The columns: header message id and width in characters.
const COLUMNS: [(&str, f64); 16] = [
    ("ui-tasks-col-number", 6.0),
    ("ui-tasks-col-symbol", 16.0),
    ("ui-tasks-col-ordinal", 9.0),
    ("field-content", 60.0),
    ("field-lead-body", 30.0),
    ("field-monitoring-body", 30.0),
    ("field-priority", 18.0),
    ("field-scope", 18.0),
    ("field-executing-unit", 24.0),
    ("field-other", 18.0),
    ("field-confidentiality", 10.0),
    ("field-deadline", 12.0),
    ("field-status", 22.0),
    ("field-result-state", 30.0),
    ("field-percent", 10.0),
    ("ui-tasks-col-updated", 17.0),
];

/// `GET /tasks/export.xlsx?…`: the list with the same filters and sort as `/tasks`.
pub async fn download(
    State(state): State<AppState>,
    user: PageUser,
    RawQuery(raw): RawQuery,
) -> Response {
    let query = ListQuery::from_query(raw.as_deref());
    let request = match parse(&query) {
        Ok(request) => request,
        Err(error) => return page_error(error.into(), user.lang),
    };
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    let now = state.now();
    let counted = match state
        .store
        .count_by_state(&scope, &request.filter, now)
        .await
    {
        Ok(counted) => counted.total + counted.without_result_state,
        Err(error) => return page_error(error.into(), user.lang),
    };
    if counted > MAX_EXPORT_ROWS {
        let message = catalogue().format(
            user.lang,
            "ui-tasks-export-too-many",
            &[
                ("count", Value::Number(counted)),
                ("max", Value::Number(MAX_EXPORT_ROWS)),
            ],
        );
        return render(StatusCode::UNPROCESSABLE_ENTITY, user.lang, message, None);
    }

    let mut rows: Vec<TaskRow> = Vec::new();
    let mut page = PageRequest {
        limit: Some(MAX_PAGE),
        after: None,
    };
    loop {
        let listed = match state
            .store
            .list_tasks(&scope, &request.filter, request.sort, &page, now)
            .await
        {
            Ok(listed) => listed,
            Err(error) => return page_error(error.into(), user.lang),
        };
        rows.extend(listed.items);
        // Rows added while paging could push past the limit checked above.
        let full = i64::try_from(rows.len()).unwrap_or(i64::MAX) >= MAX_EXPORT_ROWS;
        match listed.next_cursor.as_deref().and_then(Cursor::decode) {
            Some(cursor) if !full => page.after = Some(cursor),
            _ => break,
        }
    }

    let lang = user.lang;
    let built = tokio::task::spawn_blocking(move || workbook(&rows, &reference, lang)).await;
    let bytes = match built {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(error)) => {
            return page_error(ApiError::Internal(format!("XLSX export: {error}")), lang);
        }
        Err(error) => {
            return page_error(ApiError::Internal(format!("XLSX export: {error}")), lang);
        }
    };
    tracing::info!(
        user.id = user.current.user.id.0,
        rows = counted,
        "task list exported"
    );
    let file_name = format!(
        "nhiem-vu-{}.xlsx",
        theodoi_calendar::local_date(now).strftime("%Y%m%d")
    );
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Writes the rows into a one-sheet workbook.
fn workbook(
    rows: &[TaskRow],
    reference: &Arc<Reference>,
    lang: Lang,
) -> Result<Vec<u8>, XlsxError> {
    let text = |id: &str| catalogue().text(lang, id);
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(text("ui-tasks-sheet-name"))?;

    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color("#E9ECEF");
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let top = Format::new().set_align(FormatAlign::Top);
    let date = Format::new()
        .set_num_format("dd/mm/yyyy")
        .set_align(FormatAlign::Top);
    let datetime = Format::new()
        .set_num_format("dd/mm/yyyy hh:mm")
        .set_align(FormatAlign::Top);
    let percent = Format::new()
        .set_num_format("0%")
        .set_align(FormatAlign::Top);

    for (column, (id, width)) in COLUMNS.iter().enumerate() {
        let column = u16::try_from(column).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, column, text(id), &header)?;
        sheet.set_column_width(column, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;

    for (index, task) in rows.iter().enumerate() {
        let row = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let cells = cells(task, reference, lang);
        sheet.write_number_with_format(row, 0, (index + 1) as f64, &top)?;
        sheet.write_string_with_format(row, 1, &task.document_symbol, &top)?;
        sheet.write_number_with_format(row, 2, task.ordinal as f64, &top)?;
        let texts = [
            &cells.content,
            &cells.lead,
            &cells.monitoring,
            &cells.priority,
            &cells.scope,
            &cells.executing_unit,
            &cells.other,
            &cells.confidentiality,
        ];
        for (offset, value) in texts.into_iter().enumerate() {
            let column = 3 + u16::try_from(offset).unwrap_or_default();
            sheet.write_string_with_format(row, column, value, &wrap)?;
        }
        match task.deadline {
            Some(deadline) => {
                sheet.write_date_with_format(row, 11, deadline, &date)?;
            }
            None => {
                sheet.write_string_with_format(row, 11, text("ui-tasks-no-deadline"), &wrap)?;
            }
        }
        sheet.write_string_with_format(row, 12, &cells.status, &wrap)?;
        sheet.write_string_with_format(row, 13, &cells.result, &wrap)?;
        if let Some(done) = task.percent {
            sheet.write_number_with_format(row, 14, done as f64 / 100.0, &percent)?;
        }
        let updated = theodoi_calendar::local_datetime(task.updated_at);
        sheet.write_datetime_with_format(row, 15, updated, &datetime)?;
    }
    if !rows.is_empty() {
        let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        let last_column = u16::try_from(COLUMNS.len() - 1).unwrap_or(u16::MAX);
        sheet.autofilter(0, 0, last_row, last_column)?;
    }
    workbook.save_to_buffer()
}

/// The text cells of one row in `lang`.
struct Cells {
    content: String,
    lead: String,
    monitoring: String,
    priority: String,
    scope: String,
    executing_unit: String,
    other: String,
    confidentiality: String,
    status: String,
    result: String,
}

fn cells(task: &TaskRow, reference: &Reference, lang: Lang) -> Cells {
    let text = |id: &str| catalogue().text(lang, id);
    let level = Confidentiality::parse(&task.confidentiality).unwrap_or(Confidentiality::Secret);
    // The store keeps no content for classified tasks; the check here keeps it out of the file
    // even if a row ever carried some.
    let content = match &task.content {
        Some(content) if level == Confidentiality::Normal => content.clone(),
        _ => text("ui-tasks-classified-content"),
    };
    Cells {
        content,
        lead: org_name(reference, lang, task.lead_body),
        monitoring: org_name(reference, lang, task.monitoring_body),
        priority: catalogue_name(reference, lang, Axis::Priority, &task.priority),
        scope: catalogue_name(reference, lang, Axis::Scope, &task.scope),
        executing_unit: catalogue_name(reference, lang, Axis::ExecutingUnit, &task.executing_unit),
        other: task
            .other_class
            .as_deref()
            .map(|code| catalogue_name(reference, lang, Axis::Other, code))
            .unwrap_or_default(),
        confidentiality: text(level.message_id()),
        status: text(&format!("task-status-{}", task.status.replace('_', "-"))),
        result: task
            .result_state
            .map(|state| text(&state.message_id()))
            .unwrap_or_default(),
    }
}
