//! Classification catalogues, edited by the Central Office.

use super::support::versioned;
use crate::auth::CurrentUser;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, IfMatch};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use theodoi_domain::catalogue::{Axis, CatalogueEntry};
use theodoi_domain::error::{Code, DomainError};
use theodoi_domain::user::Role;
use theodoi_store::StoredEntry;
use utoipa::ToSchema;

/// One catalogue entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryView {
    /// executing_unit, scope, priority or other.
    pub axis: String,
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub active: bool,
    pub position: i32,
    pub version: i64,
}

fn entry_view(stored: &StoredEntry) -> EntryView {
    EntryView {
        axis: stored.entry.axis.as_str().to_owned(),
        code: stored.entry.code.clone(),
        name_vi: stored.entry.name_vi.clone(),
        name_en: stored.entry.name_en.clone(),
        active: stored.entry.active,
        position: stored.entry.position,
        version: stored.version,
    }
}

fn parse_axis(value: &str) -> Result<Axis, DomainError> {
    Axis::parse(value).ok_or_else(|| {
        DomainError::not_found(Code::CatalogueAxisUnknown, vec![("value", value.into())])
    })
}

/// Lists every catalogue entry, by axis and position.
#[utoipa::path(get, path = "/api/v1/catalogues", tag = "catalogues",
    responses((status = 200, body = Vec<EntryView>), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> ApiResult<Json<Vec<EntryView>>> {
    let reference = state.reference();
    Ok(Json(
        reference.catalogue_entries.iter().map(entry_view).collect(),
    ))
}

/// A catalogue entry as typed.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryBody {
    /// 2–40 lower-case ASCII letters, digits or underscores; only when adding.
    pub code: Option<String>,
    pub name_vi: Option<String>,
    pub name_en: Option<String>,
    /// Inactive entries stay on old tasks but cannot be chosen for new ones (default true).
    pub active: Option<bool>,
    pub position: Option<i32>,
}

/// Adds an entry to a catalogue. Central Office only.
#[utoipa::path(post, path = "/api/v1/catalogues/{axis}", tag = "catalogues",
    params(("axis" = String, Path, description = "executing_unit, scope, priority or other")),
    request_body = EntryBody,
    responses((status = 201, body = EntryView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(axis): ApiPath<String>,
    ApiJson(body): ApiJson<EntryBody>,
) -> ApiResult<(StatusCode, Json<EntryView>)> {
    user.actor().require_any(&[Role::CentralOffice])?;
    let axis = parse_axis(&axis)?;
    let position = body.position.unwrap_or_else(|| {
        i32::try_from(state.reference().catalogue_entries.len()).unwrap_or(i32::MAX)
    });
    let entry = CatalogueEntry::validate(
        axis,
        body.code.as_deref().unwrap_or(""),
        body.name_vi.as_deref().unwrap_or(""),
        body.name_en.as_deref().unwrap_or(""),
        body.active.unwrap_or(true),
        position,
    )?;
    let stored = state.store.insert_catalogue_entry(&entry).await?;
    state.reload_reference().await?;
    Ok((StatusCode::CREATED, Json(entry_view(&stored))))
}

/// Renames, reorders, deactivates or reactivates an entry. Central Office only.
#[utoipa::path(patch, path = "/api/v1/catalogues/{axis}/{code}", tag = "catalogues",
    params(("axis" = String, Path, description = "Catalogue axis"), ("code" = String, Path, description = "Entry code"),
        ("If-Match" = Option<String>, Header, description = "Expected entry version")),
    request_body = EntryBody,
    responses((status = 200, body = EntryView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((axis, code)): ApiPath<(String, String)>,
    if_match: IfMatch,
    ApiJson(body): ApiJson<EntryBody>,
) -> ApiResult<Response> {
    user.actor().require_any(&[Role::CentralOffice])?;
    let axis = parse_axis(&axis)?;
    let reference = state.reference();
    let current = reference
        .catalogue_entries
        .iter()
        .find(|stored| stored.entry.axis == axis && stored.entry.code == code)
        .ok_or_else(|| {
            DomainError::not_found(
                Code::CatalogueUnknownCode,
                vec![
                    ("axis", axis.as_str().into()),
                    ("value", code.clone().into()),
                ],
            )
        })?;
    let entry = CatalogueEntry::validate(
        axis,
        &code,
        body.name_vi.as_deref().unwrap_or(&current.entry.name_vi),
        body.name_en.as_deref().unwrap_or(&current.entry.name_en),
        body.active.unwrap_or(current.entry.active),
        body.position.unwrap_or(current.entry.position),
    )?;
    let stored = state
        .store
        .update_catalogue_entry(&entry, if_match.0)
        .await?;
    state.reload_reference().await?;
    Ok(versioned(
        StatusCode::OK,
        stored.version,
        entry_view(&stored),
    ))
}
