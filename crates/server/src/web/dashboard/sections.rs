//! The counting parts of the dashboard in the reader's language: result states, obligations
//! that need attention, upcoming deadlines and counts per classification. Every count links
//! to the task list filtered to exactly the tasks it counts.

use super::super::countdown::CountdownTexts;
use super::super::page::Page;
use crate::state::Reference;
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use std::collections::BTreeMap;
use theodoi_domain::catalogue::Axis;
use theodoi_domain::ids::OrgId;
use theodoi_domain::org::OrgDirectory;
use theodoi_domain::result::ResultState;
use theodoi_domain::task::TaskStatus;
use theodoi_i18n::Lang;
use theodoi_store::{
    ObligationRow, OpenObligationCounts, TallyTotals, TaskFilter, TaskRow, UpcomingDeadlines,
};

/// Characters of a task's content shown in the short lists.
const CONTENT_CHARS: usize = 140;

/// The result states of tasks still open and within their deadline.
const OPEN_ON_TIME: [ResultState; 2] =
    [ResultState::InProgressOnTime, ResultState::NotStartedOnTime];

/// Returns the statuses of tasks with a result state: transferred and not cancelled. The
/// dashboard counts these, so links to lists by classification or body carry them as a filter.
pub fn monitored_statuses() -> String {
    TaskStatus::ALL
        .into_iter()
        .filter(|status| !matches!(status, TaskStatus::Draft | TaskStatus::Cancelled))
        .map(TaskStatus::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

/// `/tasks?…` with the given query parameters, encoded.
pub fn task_list_href(parameters: &[(&str, &str)]) -> String {
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(parameters)
        .finish();
    format!("/tasks?{query}")
}

/// Codes of `states`, comma-separated as the task list reads them.
pub fn state_codes(states: &[ResultState]) -> String {
    states
        .iter()
        .map(|state| state.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// `n` with digits grouped in threes: `1.234.567` in Vietnamese, `1,234,567` in English.
pub fn number(n: i64, lang: Lang) -> String {
    let separator = match lang {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let digits = n.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        grouped.push('-');
    }
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(digit);
    }
    grouped
}

/// Returns the name of organisation `id` in `lang`, or its id when it is unknown.
pub fn org_name(reference: &Reference, id: OrgId, lang: Lang) -> String {
    reference
        .orgs
        .organisation(id)
        .map(|org| match lang {
            Lang::Vi => org.name_vi.clone(),
            Lang::En => org.name_en.clone(),
        })
        .unwrap_or_else(|| id.0.to_string())
}

/// Cuts a task's content to a readable length; returns `None` for a classified task.
fn short_content(content: Option<&str>) -> Option<String> {
    let content = content?;
    if content.chars().count() <= CONTENT_CHARS {
        return Some(content.to_owned());
    }
    let cut: String = content.chars().take(CONTENT_CHARS).collect();
    Some(format!("{}…", cut.trim_end()))
}

/// One result state with its count.
#[derive(Debug)]
pub struct StateCard {
    pub code: &'static str,
    pub label: String,
    pub count: String,
    pub href: String,
}

/// Counts by result state: seven for tasks with a deadline, three for tasks without.
#[derive(Debug)]
pub struct States {
    pub total: String,
    pub with_deadline: Vec<StateCard>,
    pub without_deadline: Vec<StateCard>,
}

impl States {
    pub fn new(page: &Page, totals: &TallyTotals) -> States {
        let counts = &totals.states;
        let card = |state: ResultState| StateCard {
            code: state.as_str(),
            label: page.t(&state.message_id()),
            count: number(
                counts
                    .counts
                    .iter()
                    .find(|(counted, _)| *counted == state)
                    .map(|(_, n)| *n)
                    .unwrap_or(0),
                page.lang,
            ),
            href: task_list_href(&[("result_state", state.as_str())]),
        };
        let (with_deadline, without_deadline): (Vec<ResultState>, Vec<ResultState>) =
            ResultState::ALL.into_iter().partition(|state| {
                !matches!(
                    state,
                    ResultState::Completed | ResultState::InProgress | ResultState::NotStarted
                )
            });
        States {
            total: number(counts.total, page.lang),
            with_deadline: with_deadline.into_iter().map(card).collect(),
            without_deadline: without_deadline.into_iter().map(card).collect(),
        }
    }
}

/// One catalogue entry with the number of tasks classified under it.
#[derive(Debug)]
pub struct ClassRow {
    pub label: String,
    pub count: String,
    /// Share of all counted tasks, as a whole percentage.
    pub share: String,
    pub href: String,
}

/// Counts by executing unit (the category of the body that carries the task out) and by
/// priority, in the order of the Central Office's catalogues.
#[derive(Debug)]
pub struct Classes {
    pub executing_units: Vec<ClassRow>,
    pub priorities: Vec<ClassRow>,
}

impl Classes {
    pub fn new(page: &Page, reference: &Reference, totals: &TallyTotals) -> Classes {
        let total = totals.states.total;
        Classes {
            executing_units: class_rows(
                page,
                reference,
                Axis::ExecutingUnit,
                &totals.by_executing_unit,
                total,
            ),
            priorities: class_rows(page, reference, Axis::Priority, &totals.by_priority, total),
        }
    }
}

fn class_rows(
    page: &Page,
    reference: &Reference,
    axis: Axis,
    counts: &BTreeMap<String, i64>,
    total: i64,
) -> Vec<ClassRow> {
    let statuses = monitored_statuses();
    let row = |code: &str, label: String| {
        let count = counts.get(code).copied().unwrap_or(0);
        ClassRow {
            label,
            count: number(count, page.lang),
            share: percent(count, total),
            href: task_list_href(&[(axis.as_str(), code), ("status", &statuses)]),
        }
    };
    let entries: Vec<_> = reference
        .catalogue_entries
        .iter()
        .map(|stored| &stored.entry)
        .filter(|entry| entry.axis == axis)
        .collect();
    // Inactive entries appear only while tasks still carry them.
    let mut rows: Vec<ClassRow> = entries
        .iter()
        .filter(|entry| entry.active || counts.contains_key(&entry.code))
        .map(|entry| {
            let label = match page.lang {
                Lang::Vi => entry.name_vi.clone(),
                Lang::En => entry.name_en.clone(),
            };
            row(&entry.code, label)
        })
        .collect();
    for code in counts.keys() {
        if !entries.iter().any(|entry| &entry.code == code) {
            rows.push(row(code, code.clone()));
        }
    }
    rows
}

/// `part` of `whole` as a whole percentage, `0%` when `whole` is zero.
fn percent(part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "0%".to_owned();
    }
    let rounded = (part as f64 * 100.0 / whole as f64).round();
    format!("{rounded:.0}%")
}

/// One obligation with its task, for the short lists.
#[derive(Debug)]
pub struct ObligationItem {
    pub kind: String,
    pub task_href: String,
    pub document_symbol: String,
    /// `None` for a classified task, whose content is never shown.
    pub content: Option<String>,
    pub responsible: String,
    pub due: String,
    pub due_iso: String,
    /// The countdown as it reads at rendering; `app.js` keeps it current.
    pub countdown: String,
}

/// Obligations that are overdue and still owed, and those due soon.
#[derive(Debug)]
pub struct Obligations {
    pub overdue: String,
    pub overdue_count: i64,
    pub due_soon: String,
    pub due_soon_count: i64,
    /// How far ahead obligations count as due soon.
    pub window_hours: i64,
    pub overdue_items: Vec<ObligationItem>,
    pub due_soon_items: Vec<ObligationItem>,
    pub breached_href: String,
}

impl Obligations {
    pub fn new(
        page: &Page,
        reference: &Reference,
        counts: OpenObligationCounts,
        overdue: &[ObligationRow],
        due_soon: &[ObligationRow],
        now: Timestamp,
    ) -> Obligations {
        let countdown = CountdownTexts::new(page);
        let item = |row: &ObligationRow| ObligationItem {
            kind: page.t(&row.obligation.kind.message_id()),
            task_href: format!("/tasks/{}", row.task_id.0),
            document_symbol: row.document_symbol.clone(),
            content: short_content(row.task_content.as_deref()),
            responsible: org_name(reference, row.obligation.responsible, page.lang),
            due: page.datetime(&row.obligation.due_at),
            due_iso: page.iso(&row.obligation.due_at),
            countdown: countdown.describe(row.obligation.due_at, now),
        };
        Obligations {
            overdue: number(counts.overdue, page.lang),
            overdue_count: counts.overdue,
            due_soon: number(counts.due_soon, page.lang),
            due_soon_count: counts.due_soon,
            window_hours: super::DUE_SOON_HOURS,
            overdue_items: overdue.iter().map(item).collect(),
            due_soon_items: due_soon.iter().map(item).collect(),
            breached_href: task_list_href(&[("breached", "true")]),
        }
    }
}

/// Returns the task list filter for tasks still open and due from `today` to `today + days`.
pub fn upcoming_filter(today: Date, days: i32) -> TaskFilter {
    TaskFilter {
        result_states: OPEN_ON_TIME.to_vec(),
        deadline_from: Some(today),
        deadline_to: Some(today.saturating_add(days.days())),
        ..Default::default()
    }
}

fn upcoming_href(today: Date, days: i32) -> String {
    let to = today.saturating_add(days.days()).to_string();
    task_list_href(&[
        ("deadline_from", &today.to_string()),
        ("deadline_to", &to),
        ("result_state", &state_codes(&OPEN_ON_TIME)),
    ])
}

/// One task with a deadline coming up.
#[derive(Debug)]
pub struct DeadlineItem {
    pub href: String,
    pub document_symbol: String,
    pub content: Option<String>,
    pub lead: String,
    pub deadline: String,
    pub state_code: &'static str,
    pub state_label: String,
}

/// Open tasks due within the near and the far window, and the first few of them.
#[derive(Debug)]
pub struct Deadlines {
    pub near_days: i64,
    pub far_days: i64,
    pub near: String,
    pub far: String,
    pub near_href: String,
    pub far_href: String,
    pub items: Vec<DeadlineItem>,
}

impl Deadlines {
    pub fn new(
        page: &Page,
        reference: &Reference,
        counts: UpcomingDeadlines,
        nearest: &[TaskRow],
        now: Timestamp,
    ) -> Deadlines {
        let today = theodoi_calendar::local_date(now);
        let items = nearest
            .iter()
            .map(|row| {
                let state = row.result_state.unwrap_or(ResultState::NotStartedOnTime);
                DeadlineItem {
                    href: format!("/tasks/{}", row.id.0),
                    document_symbol: row.document_symbol.clone(),
                    content: short_content(row.content.as_deref()),
                    lead: org_name(reference, row.lead_body, page.lang),
                    deadline: page.date_or_dash(&row.deadline),
                    state_code: state.as_str(),
                    state_label: page.t(&state.message_id()),
                }
            })
            .collect();
        Deadlines {
            near_days: i64::from(super::NEAR_DAYS),
            far_days: i64::from(super::FAR_DAYS),
            near: number(counts.near, page.lang),
            far: number(counts.far, page.lang),
            near_href: upcoming_href(today, super::NEAR_DAYS),
            far_href: upcoming_href(today, super::FAR_DAYS),
            items,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_groups_thousands() {
        assert_eq!(number(0, Lang::Vi), "0");
        assert_eq!(number(999, Lang::Vi), "999");
        assert_eq!(number(1_000, Lang::Vi), "1.000");
        assert_eq!(number(1_234_567, Lang::Vi), "1.234.567");
        assert_eq!(number(1_234_567, Lang::En), "1,234,567");
        assert_eq!(number(-12_345, Lang::En), "-12,345");
    }

    #[test]
    fn percent_rounds_to_whole() {
        assert_eq!(percent(1, 3), "33%");
        assert_eq!(percent(2, 3), "67%");
        assert_eq!(percent(0, 0), "0%");
    }

    #[test]
    fn monitored_statuses_leave_out_drafts() {
        assert_eq!(
            monitored_statuses(),
            "awaiting_receipt,in_progress,returned,completed,done_not_completed"
        );
    }

    #[test]
    fn content_is_cut_at_a_readable_length() {
        let long = "Nội dung ".repeat(40);
        let cut = short_content(Some(&long)).unwrap();
        assert!(cut.ends_with('…'));
        assert!(cut.chars().count() <= CONTENT_CHARS + 1);
        assert_eq!(short_content(None), None);
    }
}
