//! Commands on a task: one endpoint per step of the lifecycle. Each takes an optional
//! `If-Match` with the task version and answers with the task as the command left it.

use super::inputs::{ReasonBody, SubtaskBody, TaskChangesBody, UpdateBody, parse_code};
use super::support::task_response;
use super::views::TaskView;
use crate::auth::CurrentUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, Creating, IfMatch, OptionalJson};
use crate::ops;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use theodoi_domain::DomainError;
use theodoi_domain::document::parse_date;
use theodoi_domain::error::not_one_of;
use theodoi_domain::error::{Code, DomainResult};
use theodoi_domain::ids::{OrgId, TaskId, UpdateNo};
use theodoi_domain::task::event::{FeedbackKind, UrgeChannel};
use theodoi_domain::task::update::Rating;
use theodoi_domain::task::{FeedbackDecision, TaskCommand};
use utoipa::ToSchema;

/// Runs one command given as a fixed value and answers with the task as the command left it.
async fn command(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    if_match: IfMatch,
    command: TaskCommand,
    reason: Option<String>,
) -> ApiResult<Response> {
    let committed = ops::run_command(
        state,
        user,
        TaskId(id),
        if_match.task_version(),
        None,
        command,
        reason,
    )
    .await?;
    let version = committed.value.task.version;
    task_response(state, user, TaskId(id), version, StatusCode::OK).await
}

fn date(field: &str, value: &Option<String>) -> DomainResult<jiff::civil::Date> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Err(DomainError::field(field, Code::Required, vec![])),
        Some(value) => parse_date(field, value),
    }
}

fn required<'a>(field: &str, value: &'a Option<String>) -> DomainResult<&'a str> {
    value
        .as_deref()
        .filter(|value| !value.trim().is_empty())
        .ok_or_else(|| DomainError::field(field, Code::Required, vec![]))
}

/// Changes a task's content, classification or bodies.
#[utoipa::path(patch, path = "/api/v1/tasks/{id}", tag = "tasks",
    params(("id" = i64, Path, description = "Task id"), ("If-Match" = Option<String>, Header, description = "Expected task version")),
    request_body = EditTaskBody,
    responses((status = 200, body = TaskView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<EditTaskBody>,
) -> ApiResult<Response> {
    command(
        &state,
        &user,
        id,
        if_match,
        TaskCommand::Edit(body.changes.into()),
        body.reason,
    )
    .await
}

/// Changes and the reason for them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditTaskBody {
    #[serde(flatten)]
    pub changes: TaskChangesBody,
    /// Required once the task has been transferred.
    pub reason: Option<String>,
}

/// Transfers a task to its lead body, starting the receipt clock and the update schedule.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/transfer", tag = "lifecycle",
    params(("id" = i64, Path, description = "Task id"), ("If-Match" = Option<String>, Header, description = "Expected task version, such as \"3\"; 409 when the task has changed")), request_body(content = Option<ReasonBody>),
    responses((status = 200, body = TaskView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn transfer(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    if_match: IfMatch,
    OptionalJson(body): OptionalJson<ReasonBody>,
) -> ApiResult<Response> {
    command(
        &state,
        &user,
        id,
        if_match,
        TaskCommand::Transfer,
        body.reason,
    )
    .await
}

/// Confirms receipt by the lead body ("xác nhận tiếp nhận").
#[utoipa::path(post, path = "/api/v1/tasks/{id}/receipt", tag = "lifecycle",
    params(("id" = i64, Path, description = "Task id"), ("If-Match" = Option<String>, Header, description = "Expected task version, such as \"3\"; 409 when the task has changed")), request_body(content = Option<ReasonBody>),
    responses((status = 200, body = TaskView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn confirm_receipt(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    if_match: IfMatch,
    OptionalJson(body): OptionalJson<ReasonBody>,
) -> ApiResult<Response> {
    command(
        &state,
        &user,
        id,
        if_match,
        TaskCommand::ConfirmReceipt,
        body.reason,
    )
    .await
}

/// Feedback returning a task.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnBody {
    /// wrong_content or outside_authority.
    #[schema(required = true)]
    pub kind: Option<String>,
    /// What is wrong; required.
    pub reason: Option<String>,
}

/// Returns a task with feedback ("phản hồi") when its content is wrong or outside the body's
/// authority.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/return", tag = "lifecycle",
    params(("id" = i64, Path, description = "Task id"), ("If-Match" = Option<String>, Header, description = "Expected task version, such as \"3\"; 409 when the task has changed")), request_body = ReturnBody,
    responses((status = 200, body = TaskView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn return_task(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<ReturnBody>,
) -> ApiResult<Response> {
    let kind = required("kind", &body.kind)
        .and_then(|value| {
            parse_code(
                "kind",
                value,
                &["wrong_content", "outside_authority"],
                |value| match value {
                    "wrong_content" => Some(FeedbackKind::WrongContent),
                    "outside_authority" => Some(FeedbackKind::OutsideAuthority),
                    _ => None,
                },
            )
        })
        .map_err(|error| error.labelled("kind", "field-feedback-kind"))?;
    command(
        &state,
        &user,
        id,
        if_match,
        TaskCommand::Return { kind },
        body.reason,
    )
    .await
}

/// How feedback is settled.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackHandlingBody {
    /// adjust, correct, reassign or reject.
    #[schema(required = true)]
    pub decision: Option<String>,
    /// For adjust and correct: what changes.
    pub changes: Option<TaskChangesBody>,
    /// For reassign: the new lead body.
    pub to: Option<i64>,
    /// Required for reject.
    pub reason: Option<String>,
}

/// Handles a body's feedback; the task then goes out again with a new receipt clock.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/feedback-handling", tag = "lifecycle",
    params(("id" = i64, Path, description = "Task id"), ("If-Match" = Option<String>, Header, description = "Expected task version, such as \"3\"; 409 when the task has changed")), request_body = FeedbackHandlingBody,
    responses((status = 200, body = TaskView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn handle_feedback(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<FeedbackHandlingBody>,
) -> ApiResult<Response> {
    let decision = match required("decision", &body.decision)?.trim() {
        "adjust" => FeedbackDecision::Adjust(body.changes.unwrap_or_default().into()),
        "correct" => FeedbackDecision::Correct(body.changes.unwrap_or_default().into()),
        "reassign" => FeedbackDecision::Reassign {
            to: OrgId(
                body.to
                    .ok_or_else(|| DomainError::field("to", Code::Required, vec![]))?,
            ),
        },
        "reject" => FeedbackDecision::Reject,
        _ => {
            return Err(not_one_of("decision", ["adjust", "correct", "reassign", "reject"]).into());
        }
    };
    command(
        &state,
        &user,
        id,
        if_match,
        TaskCommand::HandleFeedback(decision),
        body.reason,
    )
    .await
}

/// Drafts a progress update; it counts once an approver of the same body approves it.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/updates", tag = "updates",
    params(("id" = i64, Path, description = "Task id"), ("If-Match" = Option<String>, Header, description = "Expected task version, such as \"3\"; 409 when the task has changed"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request draft the update once; the retry answers with the task as it is")),
    request_body = UpdateBody,
    responses((status = 200, body = TaskView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn draft_update(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    if_match: IfMatch,
    creating: Creating<UpdateBody>,
) -> ApiResult<Response> {
    let key = creating.key(user.user.id);
    let committed = ops::run_command(
        &state,
        &user,
        TaskId(id),
        if_match.task_version(),
        key.as_ref(),
        TaskCommand::DraftUpdate(creating.body.input()),
        creating.body.reason.clone(),
    )
    .await?;
    let version = committed.value.task.version;
    task_response(&state, &user, TaskId(id), version, StatusCode::OK).await
}

/// Edits a progress update. Editing an approved update voids its approval and needs a reason.
#[utoipa::path(put, path = "/api/v1/tasks/{id}/updates/{no}", tag = "updates",
    params(("id" = i64, Path, description = "Task id"), ("If-Match" = Option<String>, Header, description = "Expected task version, such as \"3\"; 409 when the task has changed"), ("no" = u32, Path, description = "Update number")),
    request_body = UpdateBody,
    responses((status = 200, body = TaskView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn edit_update(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, no)): ApiPath<(i64, u32)>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<UpdateBody>,
) -> ApiResult<Response> {
    let command_value = TaskCommand::EditUpdate {
        update: UpdateNo(no),
        input: body.input(),
    };
    command(&state, &user, id, if_match, command_value, body.reason).await
}

/// Approves a drafted update. The approver may not be one of its authors.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/updates/{no}/approve", tag = "updates",
    params(("id" = i64, Path, description = "Task id"), ("If-Match" = Option<String>, Header, description = "Expected task version, such as \"3\"; 409 when the task has changed"), ("no" = u32, Path, description = "Update number")),
    request_body(content = Option<ReasonBody>),
    responses((status = 200, body = TaskView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn approve_update(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, no)): ApiPath<(i64, u32)>,
    if_match: IfMatch,
    OptionalJson(body): OptionalJson<ReasonBody>,
) -> ApiResult<Response> {
    command(
        &state,
        &user,
        id,
        if_match,
        TaskCommand::ApproveUpdate {
            update: UpdateNo(no),
        },
        body.reason,
    )
    .await
}

/// Returns a drafted update to its updater, with the reason.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/updates/{no}/return", tag = "updates",
    params(("id" = i64, Path, description = "Task id"), ("If-Match" = Option<String>, Header, description = "Expected task version, such as \"3\"; 409 when the task has changed"), ("no" = u32, Path, description = "Update number")),
    request_body = ReasonBody,
    responses((status = 200, body = TaskView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn return_update(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, no)): ApiPath<(i64, u32)>,
    if_match: IfMatch,
    OptionalJson(body): OptionalJson<ReasonBody>,
) -> ApiResult<Response> {
    command(
        &state,
        &user,
        id,
        if_match,
        TaskCommand::ReturnUpdate {
            update: UpdateNo(no),
        },
        body.reason,
    )
    .await
}

/// An evaluation of an approved update.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationBody {
    /// good, satisfactory or unsatisfactory.
    #[schema(required = true)]
    pub rating: Option<String>,
    pub comment: Option<String>,
}

/// Evaluates an approved update: by a monitoring officer of the task's monitoring body, or for a
/// sub-task also by a focal approver of the delegating body, which monitors its own units.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/updates/{no}/evaluation", tag = "updates",
    params(("id" = i64, Path, description = "Task id"), ("If-Match" = Option<String>, Header, description = "Expected task version, such as \"3\"; 409 when the task has changed"), ("no" = u32, Path, description = "Update number")),
    request_body = EvaluationBody,
    responses((status = 200, body = TaskView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn evaluate_update(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((id, no)): ApiPath<(i64, u32)>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<EvaluationBody>,
) -> ApiResult<Response> {
    let rating = parse_code(
        "rating",
        required("rating", &body.rating)?,
        &Rating::ALL.map(Rating::as_str),
        Rating::parse,
    )?;
    let command_value = TaskCommand::EvaluateUpdate {
        update: UpdateNo(no),
        rating,
        comment: body.comment,
    };
    command(&state, &user, id, if_match, command_value, None).await
}

/// A proposed new deadline.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionRequestBody {
    /// `YYYY-MM-DD`, after the current deadline.
    #[schema(required = true)]
    pub proposed: Option<String>,
    pub reason: Option<String>,
}

/// Asks the assigning side for a later deadline.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/extension-request", tag = "lifecycle",
    params(("id" = i64, Path, description = "Task id"), ("If-Match" = Option<String>, Header, description = "Expected task version, such as \"3\"; 409 when the task has changed")), request_body = ExtensionRequestBody,
    responses((status = 200, body = TaskView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn request_extension(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<ExtensionRequestBody>,
) -> ApiResult<Response> {
    let proposed = date("proposed", &body.proposed)?;
    command(
        &state,
        &user,
        id,
        if_match,
        TaskCommand::RequestExtension { proposed },
        body.reason,
    )
    .await
}

/// A new deadline.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendBody {
    /// `YYYY-MM-DD`, after the current deadline.
    #[schema(required = true)]
    pub to: Option<String>,
    pub reason: Option<String>,
}

/// Extends the deadline. The old deadline keeps judging the time before the extension.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/deadline-extension", tag = "lifecycle",
    params(("id" = i64, Path, description = "Task id"), ("If-Match" = Option<String>, Header, description = "Expected task version, such as \"3\"; 409 when the task has changed")), request_body = ExtendBody,
    responses((status = 200, body = TaskView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn extend_deadline(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<ExtendBody>,
) -> ApiResult<Response> {
    let to = date("to", &body.to)?;
    command(
        &state,
        &user,
        id,
        if_match,
        TaskCommand::ExtendDeadline { to },
        body.reason,
    )
    .await
}

/// A request for a progress report by a date.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateRequestBody {
    /// `YYYY-MM-DD`: the report is due at the end of that working day.
    #[schema(required = true)]
    pub due: Option<String>,
    pub reason: Option<String>,
}

/// Requests a progress report from the lead body.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/update-request", tag = "monitoring",
    params(("id" = i64, Path, description = "Task id"), ("If-Match" = Option<String>, Header, description = "Expected task version, such as \"3\"; 409 when the task has changed")), request_body = UpdateRequestBody,
    responses((status = 200, body = TaskView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn request_update(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<UpdateRequestBody>,
) -> ApiResult<Response> {
    let due = date("due", &body.due)?;
    command(
        &state,
        &user,
        id,
        if_match,
        TaskCommand::RequestUpdate { due },
        body.reason,
    )
    .await
}

/// An urging act.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UrgeBody {
    /// system, report, meeting, phone, online_meeting, email, fax or other.
    #[schema(required = true)]
    pub channel: Option<String>,
    /// What was asked of the body; required.
    pub reason: Option<String>,
}

/// Records an urging act ("đôn đốc") with its channel.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/urgings", tag = "monitoring",
    params(("id" = i64, Path, description = "Task id"), ("If-Match" = Option<String>, Header, description = "Expected task version, such as \"3\"; 409 when the task has changed")), request_body = UrgeBody,
    responses((status = 200, body = TaskView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn urge(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<UrgeBody>,
) -> ApiResult<Response> {
    let channel = parse_code(
        "channel",
        required("channel", &body.channel)?,
        &UrgeChannel::ALL.map(UrgeChannel::as_str),
        UrgeChannel::parse,
    )?;
    command(
        &state,
        &user,
        id,
        if_match,
        TaskCommand::Urge { channel },
        body.reason,
    )
    .await
}

/// Sends a written notice of difficulties and causes to the Central Office, copied to the
/// Central Inspection Commission.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/difficulties", tag = "lifecycle",
    params(("id" = i64, Path, description = "Task id"), ("If-Match" = Option<String>, Header, description = "Expected task version, such as \"3\"; 409 when the task has changed")), request_body = ReasonBody,
    responses((status = 200, body = TaskView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report_difficulty(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    if_match: IfMatch,
    OptionalJson(body): OptionalJson<ReasonBody>,
) -> ApiResult<Response> {
    let copied_to = state.reference().orgs.by_code("UBKTTW").map(|org| org.id);
    command(
        &state,
        &user,
        id,
        if_match,
        TaskCommand::ReportDifficulty { copied_to },
        body.reason,
    )
    .await
}

/// Takes a transferred task back into draft, for correction and a new transfer.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/withdraw", tag = "lifecycle",
    params(("id" = i64, Path, description = "Task id"), ("If-Match" = Option<String>, Header, description = "Expected task version, such as \"3\"; 409 when the task has changed")), request_body = ReasonBody,
    responses((status = 200, body = TaskView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    if_match: IfMatch,
    OptionalJson(body): OptionalJson<ReasonBody>,
) -> ApiResult<Response> {
    command(
        &state,
        &user,
        id,
        if_match,
        TaskCommand::Withdraw,
        body.reason,
    )
    .await
}

/// Cancels a task for good; its open obligations stop.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/cancel", tag = "lifecycle",
    params(("id" = i64, Path, description = "Task id"), ("If-Match" = Option<String>, Header, description = "Expected task version, such as \"3\"; 409 when the task has changed")), request_body = ReasonBody,
    responses((status = 200, body = TaskView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    if_match: IfMatch,
    OptionalJson(body): OptionalJson<ReasonBody>,
) -> ApiResult<Response> {
    command(
        &state,
        &user,
        id,
        if_match,
        TaskCommand::Cancel,
        body.reason,
    )
    .await
}

/// Delegates part of a task to a subordinate unit as a sub-task, transferred at once.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/subtasks", tag = "lifecycle",
    params(("id" = i64, Path, description = "Parent task id"), ("If-Match" = Option<String>, Header, description = "Expected task version, such as \"3\"; 409 when the task has changed"), ("Idempotency-Key" = Option<String>, Header, description = "Makes a retried request create the sub-task once")),
    request_body = SubtaskBody,
    responses((status = 201, body = TaskView, description = "The new sub-task"),
        (status = 200, body = TaskView, description = "The sub-task created earlier by a request with the same Idempotency-Key and body"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn delegate(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
    if_match: IfMatch,
    creating: Creating<SubtaskBody>,
) -> ApiResult<Response> {
    let input = creating.body.clone().into();
    let key = creating.key(user.user.id);
    let created = ops::delegate(
        &state,
        &user,
        TaskId(id),
        &input,
        if_match.task_version(),
        key.as_ref(),
    )
    .await?;
    let status = if created.replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let subtask = &created.value.0.task;
    task_response(&state, &user, subtask.id, subtask.version, status).await
}
