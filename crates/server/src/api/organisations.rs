//! The organisation tree.

use super::tasks::check_page_limit;
use super::views::OrganisationView;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use theodoi_domain::error::not_one_of;
use theodoi_domain::error::{Code, DomainError};
use theodoi_domain::ids::OrgId;
use theodoi_domain::org::{NewOrganisation, OrgCategory, OrgDirectory};
use theodoi_domain::text::{query_words, search_words};
use theodoi_domain::user::Role;
use utoipa::{IntoParams, ToSchema};

/// Filters of the organisation list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrganisationQuery {
    /// One category, such as provincial_committee.
    pub category: Option<String>,
    /// Only the units directly under this body.
    pub parent: Option<i64>,
    /// Words in the code or names, with or without diacritics.
    pub q: Option<String>,
    /// At most this many organisations (1–500), the first in tree order; all when absent.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// Language of names and messages in the response: vi (default) or en.
    #[expect(
        dead_code,
        reason = "read from the query string by the localize middleware"
    )]
    pub lang: Option<String>,
}

/// Lists organisations, in tree order (parents before children).
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations", params(OrganisationQuery),
    responses((status = 200, body = Vec<OrganisationView>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiQuery(query): ApiQuery<OrganisationQuery>,
) -> ApiResult<Json<Vec<OrganisationView>>> {
    let category = match query.category.as_deref() {
        None | Some("") => None,
        Some(value) => Some(
            OrgCategory::parse(value)
                .ok_or_else(|| not_one_of("category", OrgCategory::ALL.map(OrgCategory::as_str)))?,
        ),
    };
    let words = query.q.as_deref().map(query_words).unwrap_or_default();
    let reference = state.reference();
    let mut organisations: Vec<_> = reference
        .orgs
        .iter()
        .filter(|org| category.is_none_or(|category| org.category == category))
        .filter(|org| {
            query
                .parent
                .is_none_or(|parent| org.parent_id == Some(OrgId(parent)))
        })
        .filter(|org| {
            let haystack = format!(
                "{}{}{}",
                search_words(&org.code),
                search_words(&org.name_vi),
                search_words(&org.name_en)
            );
            words
                .iter()
                .all(|word| haystack.contains(&format!(" {word}")))
        })
        .collect();
    organisations.sort_by_key(|org| org.id);
    check_page_limit(query.limit)?;
    let limit = query.limit.map_or(usize::MAX, |limit| limit as usize);
    Ok(Json(
        organisations
            .into_iter()
            .take(limit)
            .map(OrganisationView::from)
            .collect(),
    ))
}

/// Shows one organisation.
#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "organisations",
    params(("id" = i64, Path, description = "Organisation id")),
    responses((status = 200, body = OrganisationView), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<OrganisationView>> {
    let reference = state.reference();
    let org = reference
        .orgs
        .organisation(OrgId(id))
        .ok_or(ApiError::NotFound)?;
    Ok(Json(OrganisationView::from(org)))
}

/// A subordinate unit to add.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUnitBody {
    /// Unique code: 2–32 ASCII letters, digits and hyphens, such as HNI-BTG.
    pub code: Option<String>,
    pub name_vi: Option<String>,
    /// Defaults to the Vietnamese name.
    pub name_en: Option<String>,
    /// The body it belongs to.
    #[schema(required = true)]
    pub parent_id: Option<i64>,
}

/// Adds a subordinate unit under a body. Administrators and the Central Office may add one
/// anywhere; a body's focal approver may add one under their own body.
#[utoipa::path(post, path = "/api/v1/organisations", tag = "organisations", request_body = NewUnitBody,
    responses((status = 201, body = OrganisationView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<NewUnitBody>,
) -> ApiResult<(StatusCode, Json<OrganisationView>)> {
    let actor = user.actor();
    let anywhere = actor.has(Role::Administrator) || actor.has(Role::CentralOffice);
    // Users who may add units nowhere learn nothing about the parent they named.
    if !anywhere && !actor.has(Role::Approver) {
        actor.require_any(&[Role::Administrator, Role::CentralOffice])?;
    }
    let reference = state.reference();
    let parent_id = body
        .parent_id
        .ok_or_else(|| DomainError::field("parent_id", Code::Required, vec![]))?;
    let parent = reference.orgs.require("parent_id", OrgId(parent_id))?;
    if !anywhere && actor.org_id != parent.id {
        return Err(DomainError::forbidden(Code::NotYourBody, vec![]).into());
    }
    let new = NewOrganisation::subordinate(
        body.code.as_deref().unwrap_or(""),
        body.name_vi.as_deref().unwrap_or(""),
        body.name_en.as_deref(),
        parent,
    )?;
    let org = state.store.insert_organisation(&new, state.now()).await?;
    state.reload_reference().await?;
    tracing::info!(
        org.id = org.id.0,
        user.id = user.user.id.0,
        "organisation added"
    );
    Ok((StatusCode::CREATED, Json(OrganisationView::from(&org))))
}
