//! The filter form of the task list as shown: the values given, the choices of each filter,
//! and the messages of wrong values.

use super::options::{Choice, OptionGroup, catalogue_choices, org_filter_groups};
use super::query::{ListQuery, present, shown_date, values};
use crate::state::AppState;
use crate::web::page::PageUser;
use std::collections::HashMap;
use theodoi_domain::catalogue::Axis;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::ids::DocumentId;
use theodoi_domain::result::ResultState;
use theodoi_domain::task::TaskStatus;
use theodoi_i18n::catalogue;

/// The filter form as shown: the values given, the choices, and the messages of wrong values.
pub(super) struct FilterView {
    pub q: String,
    pub result_states: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub lead_body: Vec<OptionGroup>,
    pub include_subunits: bool,
    pub body: Vec<OptionGroup>,
    pub monitoring_body: Vec<OptionGroup>,
    pub priority: Vec<Choice>,
    pub scope: Vec<Choice>,
    pub executing_unit: Vec<Choice>,
    pub other: Vec<Choice>,
    pub confidentiality: Vec<Choice>,
    /// The document filter, set by links from a document: its id and number.
    pub document: Option<(String, String)>,
    /// Filters that only links set, kept as hidden fields so that filtering keeps them.
    pub hidden: Vec<(&'static str, String)>,
    pub has_deadline: String,
    pub deadline_from: String,
    pub deadline_to: String,
    pub breached: bool,
    pub sort: Vec<Choice>,
    pub limit: String,
    pub errors: HashMap<String, String>,
    /// Whether the less used filters start unfolded, because one of them is set or wrong.
    pub more_open: bool,
}

impl FilterView {
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }
}

/// Returns whether the less used filters start unfolded, because one of them is set or a value
/// is wrong.
fn opens_more(query: &ListQuery, errors: &HashMap<String, String>) -> bool {
    let set = [
        &query.body,
        &query.monitoring_body,
        &query.scope,
        &query.executing_unit,
        &query.other,
        &query.has_deadline,
        &query.breached,
        &query.limit,
    ];
    set.iter().any(|value| present(value).is_some())
        || !values(&query.confidentiality).is_empty()
        || !values(&query.status).is_empty()
        || !errors.is_empty()
}

/// Returns the id and number of the document a link filters on. The number appears only when
/// the user may see the document.
async fn document_filter(
    state: &AppState,
    user: &PageUser,
    query: &ListQuery,
) -> Option<(String, String)> {
    let id = present(&query.document)?.parse::<i64>().ok()?;
    let scope = user.scope(&state.reference().orgs);
    let symbol = crate::ops::require_visible_document(state, &scope, DocumentId(id))
        .await
        .map(|document| document.content.symbol.to_string())
        .unwrap_or_else(|_| id.to_string());
    Some((id.to_string(), symbol))
}

fn is_on(value: &Option<String>) -> bool {
    matches!(present(value), Some("true" | "1" | "on"))
}

fn ids(value: &Option<String>) -> Vec<i64> {
    present(value)
        .and_then(|value| value.parse::<i64>().ok())
        .into_iter()
        .collect()
}

/// The result states, statuses and confidentiality levels to tick, and the sort orders.
struct Lists {
    result_states: Vec<Choice>,
    statuses: Vec<Choice>,
    confidentiality: Vec<Choice>,
    sort: Vec<Choice>,
}

fn lists(user: &PageUser, state: &AppState, query: &ListQuery) -> Lists {
    let text = |id: &str| catalogue().text(user.lang, id);
    let chosen_states = values(&query.result_state);
    let chosen_statuses = values(&query.status);
    let chosen_levels = values(&query.confidentiality);
    let clearance = user.scope(&state.reference().orgs).clearance;
    let sort = present(&query.sort).unwrap_or("deadline");
    Lists {
        result_states: ResultState::ALL
            .into_iter()
            .map(|state| Choice {
                value: state.as_str().to_owned(),
                label: text(&state.message_id()),
                selected: chosen_states.iter().any(|chosen| chosen == state.as_str()),
            })
            .collect(),
        statuses: TaskStatus::ALL
            .into_iter()
            .map(|status| Choice {
                value: status.as_str().to_owned(),
                label: text(&format!(
                    "task-status-{}",
                    status.as_str().replace('_', "-")
                )),
                selected: chosen_statuses
                    .iter()
                    .any(|chosen| chosen == status.as_str()),
            })
            .collect(),
        // Only the levels the user is cleared for, because the others could never match.
        confidentiality: Confidentiality::ALL
            .into_iter()
            .filter(|level| *level != Confidentiality::TopSecret && clearance.covers(*level))
            .map(|level| Choice {
                value: level.as_str().to_owned(),
                label: text(level.message_id()),
                selected: chosen_levels.iter().any(|chosen| chosen == level.as_str()),
            })
            .collect(),
        sort: [
            ("deadline", "ui-tasks-sort-deadline"),
            ("updated", "ui-tasks-sort-updated"),
            ("newest", "ui-tasks-sort-newest"),
        ]
        .into_iter()
        .map(|(value, id)| Choice {
            value: value.to_owned(),
            label: text(id),
            selected: value == sort,
        })
        .collect(),
    }
}

/// Builds the filter form for `query`, with `errors` next to the wrong values.
pub(super) async fn filter_view(
    state: &AppState,
    user: &PageUser,
    query: &ListQuery,
    errors: HashMap<String, String>,
) -> FilterView {
    let reference = state.reference();
    let lang = user.lang;
    let home = user.current.user.org_id;
    let lists = lists(user, state, query);
    let hidden = [
        ("group", &query.group),
        ("parent", &query.parent),
        ("subtasks", &query.subtasks),
    ]
    .into_iter()
    .filter_map(|(name, value)| present(value).map(|value| (name, value.to_owned())))
    .collect();
    let catalogue_axis = |axis: Axis, value: &Option<String>| {
        catalogue_choices(&reference, lang, axis, present(value))
    };

    FilterView {
        q: present(&query.q).unwrap_or_default().to_owned(),
        result_states: lists.result_states,
        statuses: lists.statuses,
        lead_body: org_filter_groups(&reference, lang, &ids(&query.lead_body), home),
        include_subunits: is_on(&query.include_subunits),
        body: org_filter_groups(&reference, lang, &ids(&query.body), home),
        monitoring_body: org_filter_groups(&reference, lang, &ids(&query.monitoring_body), home),
        priority: catalogue_axis(Axis::Priority, &query.priority),
        scope: catalogue_axis(Axis::Scope, &query.scope),
        executing_unit: catalogue_axis(Axis::ExecutingUnit, &query.executing_unit),
        other: catalogue_axis(Axis::Other, &query.other),
        confidentiality: lists.confidentiality,
        document: document_filter(state, user, query).await,
        hidden,
        has_deadline: present(&query.has_deadline).unwrap_or_default().to_owned(),
        deadline_from: shown_date(&query.deadline_from),
        deadline_to: shown_date(&query.deadline_to),
        breached: is_on(&query.breached),
        sort: lists.sort,
        limit: present(&query.limit).unwrap_or_default().to_owned(),
        more_open: opens_more(query, &errors),
        errors,
    }
}
