//! The task list's query string: the same parameter names as `GET /api/v1/tasks`, checked all
//! at once so that each wrong value is shown next to its filter.

use serde::Deserialize;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::parse_date;
use theodoi_domain::error::{Code, DomainResult, Violations, not_one_of};
use theodoi_domain::ids::{DocumentId, GroupId, OrgId, TaskId};
use theodoi_domain::result::ResultState;
use theodoi_domain::task::TaskStatus;
use theodoi_store::{Cursor, PageRequest, TaskFilter, TaskSort};

/// The list's query string as typed or linked. Every value stays text until [`parse`] checks
/// it, so that a wrong value is shown next to its filter instead of failing the whole page.
/// Lists accept repeated keys (from the filter form) and comma-separated values (from links
/// and the JSON API).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(in crate::web) struct ListQuery {
    pub(super) result_state: Vec<String>,
    pub(super) status: Vec<String>,
    pub(super) lead_body: Option<String>,
    pub(super) include_subunits: Option<String>,
    pub(super) body: Option<String>,
    pub(super) monitoring_body: Option<String>,
    pub(super) priority: Option<String>,
    pub(super) scope: Option<String>,
    pub(super) executing_unit: Option<String>,
    pub(super) other: Option<String>,
    pub(super) confidentiality: Vec<String>,
    pub(super) document: Option<String>,
    pub(super) group: Option<String>,
    pub(super) parent: Option<String>,
    pub(super) subtasks: Option<String>,
    pub(super) has_deadline: Option<String>,
    pub(super) deadline_from: Option<String>,
    pub(super) deadline_to: Option<String>,
    pub(super) breached: Option<String>,
    pub(super) q: Option<String>,
    pub(super) sort: Option<String>,
    pub(super) limit: Option<String>,
    pub(super) cursor: Option<String>,
    pub(super) notice: Option<String>,
}

impl ListQuery {
    pub(in crate::web) fn from_query(raw: Option<&str>) -> ListQuery {
        // Each value is text, so only a malformed query string fails here, and it reads as no filter.
        serde_html_form::from_str(raw.unwrap_or_default()).unwrap_or_default()
    }
}

/// Returns the non-empty values of a list parameter, split at commas.
pub(super) fn values(list: &[String]) -> Vec<String> {
    list.iter()
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(str::to_owned)
        .collect()
}

pub(super) fn present(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

fn parse_flag(violations: &mut Violations, field: &str, value: &Option<String>) -> Option<bool> {
    match present(value)? {
        "true" | "1" | "on" => Some(true),
        "false" | "0" => Some(false),
        _ => {
            violations.record(not_one_of(field, ["true", "false"]));
            None
        }
    }
}

fn parse_id(violations: &mut Violations, field: &str, value: &Option<String>) -> Option<i64> {
    let value = present(value)?;
    match value.parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            violations.push(field, Code::InvalidValue, vec![]);
            None
        }
    }
}

/// Accepts `YYYY-MM-DD` (date inputs) and `dd/mm/yyyy` (typed by hand where a browser has no
/// date input).
pub(in crate::web) fn parse_any_date(field: &str, value: &str) -> DomainResult<jiff::civil::Date> {
    let value = value.trim();
    let parts: Vec<&str> = value.split('/').collect();
    if let [day, month, year] = parts.as_slice()
        && year.len() == 4
    {
        return parse_date(field, &format!("{year}-{month:0>2}-{day:0>2}"));
    }
    parse_date(field, value)
}

/// A checked list request.
pub(super) struct ListRequest {
    pub filter: TaskFilter,
    pub sort: TaskSort,
    pub limit: Option<u32>,
    /// The page to start after; `None` on the first page or when the cursor was unusable.
    pub after: Option<Cursor>,
    /// A cursor was given but belongs to no page of this list (another sort order, or damaged).
    pub cursor_rejected: bool,
}

impl ListRequest {
    pub fn page(&self) -> PageRequest {
        PageRequest {
            limit: self.limit,
            after: self.after.clone(),
        }
    }
}

/// Checks every filter and reports all wrong values at once.
pub(super) fn parse(query: &ListQuery) -> DomainResult<ListRequest> {
    let mut violations = Violations::new();
    let mut filter = TaskFilter::default();
    for value in values(&query.result_state) {
        if let Some(state) = ResultState::parse(&value) {
            filter.result_states.push(state);
        } else {
            violations.record(not_one_of(
                "result_state",
                ResultState::ALL.map(ResultState::as_str),
            ));
        }
    }
    for value in values(&query.status) {
        if let Some(status) = TaskStatus::parse(&value) {
            filter.statuses.push(status);
        } else {
            violations.record(not_one_of(
                "status",
                TaskStatus::ALL.map(TaskStatus::as_str),
            ));
        }
    }

    filter.lead_body = parse_id(&mut violations, "lead_body", &query.lead_body).map(OrgId);
    filter.include_subunits =
        parse_flag(&mut violations, "include_subunits", &query.include_subunits).unwrap_or(false);
    filter.body = parse_id(&mut violations, "body", &query.body).map(OrgId);
    filter.monitoring_body =
        parse_id(&mut violations, "monitoring_body", &query.monitoring_body).map(OrgId);
    filter.priority = present(&query.priority).map(str::to_owned);
    filter.scope = present(&query.scope).map(str::to_owned);
    filter.executing_unit = present(&query.executing_unit).map(str::to_owned);
    filter.other_class = present(&query.other).map(str::to_owned);

    for value in values(&query.confidentiality) {
        match Confidentiality::parse(&value).filter(|level| *level != Confidentiality::TopSecret) {
            Some(level) => filter.confidentiality.push(level),
            None => violations.record(not_one_of(
                "confidentiality",
                ["normal", "confidential", "secret"],
            )),
        }
    }
    filter.document_id = parse_id(&mut violations, "document", &query.document).map(DocumentId);
    filter.group_id = parse_id(&mut violations, "group", &query.group).map(GroupId);
    filter.parent_id = parse_id(&mut violations, "parent", &query.parent).map(TaskId);
    filter.subtasks = parse_flag(&mut violations, "subtasks", &query.subtasks);
    filter.has_deadline = parse_flag(&mut violations, "has_deadline", &query.has_deadline);

    filter.deadline_from = present(&query.deadline_from)
        .and_then(|value| violations.check(parse_any_date("deadline_from", value)));
    filter.deadline_to = present(&query.deadline_to)
        .and_then(|value| violations.check(parse_any_date("deadline_to", value)));
    if let (Some(from), Some(to)) = (filter.deadline_from, filter.deadline_to)
        && to < from
    {
        violations.push(
            "deadline_to",
            Code::DateBeforeMin,
            vec![("min", from.into())],
        );
    }
    filter.breached = parse_flag(&mut violations, "breached", &query.breached).unwrap_or(false);
    filter.text = present(&query.q).map(str::to_owned);

    let sort = match present(&query.sort) {
        None => TaskSort::Deadline,
        Some(value) => TaskSort::parse(value).unwrap_or_else(|| {
            violations.record(not_one_of("sort", ["deadline", "updated", "newest"]));
            TaskSort::Deadline
        }),
    };
    let limit = present(&query.limit).and_then(|value| match value.parse::<u32>() {
        Ok(limit) if (1..=theodoi_store::MAX_PAGE).contains(&limit) => Some(limit),
        _ => {
            violations.push(
                "limit",
                Code::OutOfRange,
                vec![
                    ("min", 1i64.into()),
                    ("max", i64::from(theodoi_store::MAX_PAGE).into()),
                ],
            );
            None
        }
    });
    violations.finish()?;

    let cursor = present(&query.cursor);
    let after = cursor
        .and_then(Cursor::decode)
        .filter(|cursor| cursor.sort == sort.name());
    Ok(ListRequest {
        filter,
        sort,
        limit,
        cursor_rejected: cursor.is_some() && after.is_none(),
        after,
    })
}

/// Builds the query string of the filters without the page cursor, for "next page" links,
/// saved views and the export. Lists are comma-separated, as the JSON API takes them.
pub(super) fn canonical_query(query: &ListQuery) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    let lists = [
        ("result_state", &query.result_state),
        ("status", &query.status),
        ("confidentiality", &query.confidentiality),
    ];
    for (name, list) in lists {
        let list = values(list);
        if !list.is_empty() {
            out.append_pair(name, &list.join(","));
        }
    }
    let single = [
        ("lead_body", &query.lead_body),
        ("include_subunits", &query.include_subunits),
        ("body", &query.body),
        ("monitoring_body", &query.monitoring_body),
        ("priority", &query.priority),
        ("scope", &query.scope),
        ("executing_unit", &query.executing_unit),
        ("other", &query.other),
        ("document", &query.document),
        ("group", &query.group),
        ("parent", &query.parent),
        ("subtasks", &query.subtasks),
        ("has_deadline", &query.has_deadline),
        ("deadline_from", &linked_date(&query.deadline_from)),
        ("deadline_to", &linked_date(&query.deadline_to)),
        ("breached", &query.breached),
        ("q", &query.q),
        ("sort", &query.sort),
        ("limit", &query.limit),
    ];
    for (name, value) in single {
        if let Some(value) = present(value) {
            out.append_pair(name, value);
        }
    }
    out.finish()
}

/// Formats a date filter for the user: `dd/mm/yyyy` when it is a date, else as typed.
pub(super) fn shown_date(value: &Option<String>) -> String {
    let Some(value) = present(value) else {
        return String::new();
    };
    parse_any_date("date", value)
        .map(theodoi_i18n::format_date)
        .unwrap_or_else(|_| value.to_owned())
}

/// Formats a date filter for links: `YYYY-MM-DD` when it is a date, else as typed so that the
/// list reports the mistake.
fn linked_date(value: &Option<String>) -> Option<String> {
    let value = present(value)?;
    Some(
        parse_any_date("date", value)
            .map(|date| date.to_string())
            .unwrap_or_else(|_| value.to_owned()),
    )
}
