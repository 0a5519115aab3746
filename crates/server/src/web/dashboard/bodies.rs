//! The per-body table: for each lead body, its tasks, completions on time and late, overdue
//! tasks and the on-time rate.
//!
//! Readers who see the whole country get one row per top-level body (a child of the root of
//! the organisation tree) with the tasks of its units added in. Readers limited to a body get
//! a row for the tasks the body leads itself, one per direct unit with that unit's subtree,
//! and one for tasks led outside the subtree that they see as coordinating, monitoring or
//! assigning body.

use super::super::page::Page;
use super::sections::{monitored_statuses, number, state_codes, task_list_href};
use std::cmp::Ordering;
use std::collections::BTreeMap;
use theodoi_domain::ids::OrgId;
use theodoi_domain::org::{OrgDirectory, OrgTree};
use theodoi_domain::result::ResultState;
use theodoi_i18n::Lang;
use theodoi_store::{BodyCounts, Scope, TallyTotals, Visibility};

/// Result states that count as overdue in the table.
const OVERDUE: [ResultState; 3] = [
    ResultState::InProgressOverdue,
    ResultState::NotStartedOverdue,
    ResultState::DoneNotCompleted,
];

/// Row orders of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BodySort {
    /// The order of the organisation tree: central bodies, committees, then provinces.
    #[default]
    Order,
    TotalDesc,
    TotalAsc,
    RateDesc,
    RateAsc,
}

impl BodySort {
    const ALL: [BodySort; 5] = [
        BodySort::Order,
        BodySort::TotalDesc,
        BodySort::TotalAsc,
        BodySort::RateDesc,
        BodySort::RateAsc,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BodySort::Order => "order",
            BodySort::TotalDesc => "total-desc",
            BodySort::TotalAsc => "total-asc",
            BodySort::RateDesc => "rate-desc",
            BodySort::RateAsc => "rate-asc",
        }
    }

    pub fn parse(value: &str) -> Option<BodySort> {
        Self::ALL.into_iter().find(|sort| sort.as_str() == value)
    }
}

/// The row a lead body's tasks are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    /// Tasks led by this body itself, without its units.
    Own(OrgId),
    /// Tasks led by this body or a unit below it.
    Subtree(OrgId),
    /// Tasks led outside the reader's subtree.
    Outside,
}

/// Finds the row of `lead` in the national table: the child of a root on the path from `lead`
/// up, or the root itself.
fn top_level(orgs: &OrgTree, lead: OrgId) -> Group {
    let mut current = lead;
    // Bounded like `is_within`, so that a cycle in damaged data cannot hang a request.
    for _ in 0..64 {
        let parent = orgs.organisation(current).and_then(|org| org.parent_id);
        match parent {
            None => return Group::Own(current),
            Some(parent)
                if orgs
                    .organisation(parent)
                    .and_then(|org| org.parent_id)
                    .is_none() =>
            {
                return Group::Subtree(current);
            }
            Some(parent) => current = parent,
        }
    }
    Group::Subtree(current)
}

/// Finds the row of `lead` in the table of `root`: the unit directly below `root` on the path
/// from `lead` up, `root` itself, or the row for bodies outside the subtree.
fn unit_of(orgs: &OrgTree, root: OrgId, lead: OrgId) -> Group {
    if lead == root {
        return Group::Own(root);
    }
    let mut current = lead;
    for _ in 0..64 {
        match orgs.organisation(current).and_then(|org| org.parent_id) {
            Some(parent) if parent == root => return Group::Subtree(current),
            Some(parent) => current = parent,
            None => return Group::Outside,
        }
    }
    Group::Outside
}

/// One count that links to the list of the tasks it counts.
#[derive(Debug)]
pub struct Cell {
    pub count: String,
    pub href: Option<String>,
}

/// One row of the table.
#[derive(Debug)]
pub struct BodyRow {
    pub name: String,
    pub href: Option<String>,
    pub total: Cell,
    pub on_time: Cell,
    pub late: Cell,
    pub overdue: Cell,
    /// The on-time rate as a whole percentage, or an em dash when nothing was judged yet.
    pub rate: String,
    /// Completed on time / judged, e.g. `3/4`, empty when nothing was judged yet.
    pub rate_detail: String,
    counts: BodyCounts,
    position: usize,
}

/// A column header that sorts the table.
#[derive(Debug)]
pub struct SortLink {
    pub href: String,
    /// `ascending`, `descending` or `none`, for `aria-sort`.
    pub aria: &'static str,
}

/// The table, sorted.
#[derive(Debug)]
pub struct Bodies {
    pub rows: Vec<BodyRow>,
    pub sum: BodyRow,
    pub by_order: SortLink,
    pub by_total: SortLink,
    pub by_rate: SortLink,
}

/// Links for the counts of a row whose tasks the task list selects with `lead`.
fn row_links(lead: &[(&str, &str)], statuses: &str) -> [Option<String>; 4] {
    let with = |extra: (&str, &str)| {
        let mut parameters = lead.to_vec();
        parameters.push(extra);
        Some(task_list_href(&parameters))
    };
    [
        with(("status", statuses)),
        with(("result_state", ResultState::CompletedOnTime.as_str())),
        with(("result_state", ResultState::CompletedLate.as_str())),
        with(("result_state", &state_codes(&OVERDUE))),
    ]
}

fn body_row(
    name: String,
    href: Option<String>,
    links: [Option<String>; 4],
    counts: BodyCounts,
    position: usize,
    lang: Lang,
) -> BodyRow {
    let [total, on_time, late, overdue] = links;
    let cell = |count: i64, href: Option<String>| Cell {
        count: number(count, lang),
        href: href.filter(|_| count > 0),
    };
    let (rate, rate_detail) = match counts.on_time_rate() {
        Some(rate) => (
            format!("{:.0}%", (rate * 100.0).round()),
            format!(
                "{}/{}",
                number(counts.completed_on_time, lang),
                number(counts.judged(), lang)
            ),
        ),
        None => ("—".to_owned(), String::new()),
    };
    BodyRow {
        name,
        href,
        total: cell(counts.total, total),
        on_time: cell(counts.completed_on_time, on_time),
        late: cell(counts.completed_late, late),
        overdue: cell(counts.overdue, overdue),
        rate,
        rate_detail,
        counts,
        position,
    }
}

/// Orders rows by `sort`. Rows without a rate go last in either direction of the rate sort,
/// and ties keep the tree order.
fn sort_rows(rows: &mut [BodyRow], sort: BodySort) {
    rows.sort_by(|a, b| {
        let primary = match sort {
            BodySort::Order => Ordering::Equal,
            BodySort::TotalDesc => b.counts.total.cmp(&a.counts.total),
            BodySort::TotalAsc => a.counts.total.cmp(&b.counts.total),
            BodySort::RateDesc | BodySort::RateAsc => {
                match (a.counts.on_time_rate(), b.counts.on_time_rate()) {
                    (Some(x), Some(y)) if sort == BodySort::RateDesc => y.total_cmp(&x),
                    (Some(x), Some(y)) => x.total_cmp(&y),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                }
            }
        };
        primary.then(a.position.cmp(&b.position))
    });
}

fn sort_link(current: BodySort, descending: BodySort, ascending: BodySort) -> SortLink {
    let (next, aria) = if current == descending {
        (ascending, "descending")
    } else if current == ascending {
        (descending, "ascending")
    } else {
        (descending, "none")
    };
    SortLink {
        href: format!("/?sort={}#bodies", next.as_str()),
        aria,
    }
}

impl Bodies {
    pub fn new(
        page: &Page,
        orgs: &OrgTree,
        scope: &Scope,
        totals: &TallyTotals,
        sort: BodySort,
    ) -> Bodies {
        let mut groups: BTreeMap<Group, BodyCounts> = BTreeMap::new();
        let mut sum = BodyCounts::default();
        for (&lead, counts) in &totals.by_lead_body {
            let group = match scope.visibility {
                Visibility::Everything => top_level(orgs, lead),
                Visibility::Within(root) => unit_of(orgs, root, lead),
            };
            groups.entry(group).or_default().merge(counts);
            sum.merge(counts);
        }

        let statuses = monitored_statuses();
        let name_of = |id: OrgId| {
            orgs.organisation(id)
                .map(|org| match page.lang {
                    Lang::Vi => org.name_vi.clone(),
                    Lang::En => org.name_en.clone(),
                })
                .unwrap_or_else(|| id.0.to_string())
        };
        let mut rows: Vec<BodyRow> = Vec::with_capacity(groups.len());
        for (position, (group, counts)) in groups.into_iter().enumerate() {
            let row = match group {
                Group::Own(id) => {
                    let name = page.t1("ui-dashboard-bodies-own", "body", &name_of(id));
                    let id = id.0.to_string();
                    let lead = [("lead_body", id.as_str())];
                    let href = task_list_href(&[("lead_body", &id), ("status", &statuses)]);
                    body_row(
                        name,
                        Some(href),
                        row_links(&lead, &statuses),
                        counts,
                        position,
                        page.lang,
                    )
                }
                Group::Subtree(id) => {
                    let name = name_of(id);
                    let id = id.0.to_string();
                    let lead = [("lead_body", id.as_str()), ("include_subunits", "true")];
                    let href = task_list_href(&[
                        ("lead_body", &id),
                        ("include_subunits", "true"),
                        ("status", &statuses),
                    ]);
                    body_row(
                        name,
                        Some(href),
                        row_links(&lead, &statuses),
                        counts,
                        position,
                        page.lang,
                    )
                }
                Group::Outside => body_row(
                    page.t("ui-dashboard-bodies-outside"),
                    None,
                    [None, None, None, None],
                    counts,
                    position,
                    page.lang,
                ),
            };
            rows.push(row);
        }
        sort_rows(&mut rows, sort);
        // The outside row is not a body: it stays last whatever the order.
        rows.sort_by_key(|row| row.href.is_none());

        Bodies {
            rows,
            sum: body_row(
                page.t("ui-dashboard-bodies-sum"),
                None,
                [None, None, None, None],
                sum,
                0,
                page.lang,
            ),
            by_order: SortLink {
                href: "/#bodies".to_owned(),
                aria: if sort == BodySort::Order {
                    "ascending"
                } else {
                    "none"
                },
            },
            by_total: sort_link(sort, BodySort::TotalDesc, BodySort::TotalAsc),
            by_rate: sort_link(sort, BodySort::RateDesc, BodySort::RateAsc),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use theodoi_domain::org::{OrgCategory, Organisation};

    fn org(id: i64, parent: Option<i64>) -> Organisation {
        Organisation {
            id: OrgId(id),
            code: format!("ORG{id}"),
            name_vi: format!("Cơ quan {id}"),
            name_en: format!("Body {id}"),
            category: OrgCategory::ProvincialCommittee,
            parent_id: parent.map(OrgId),
            province_code: None,
        }
    }

    /// 1 is the root; 2 and 3 are top-level bodies; 4 is a unit of 2 and 5 a unit of 4.
    fn tree() -> OrgTree {
        OrgTree::new([
            org(1, None),
            org(2, Some(1)),
            org(3, Some(1)),
            org(4, Some(2)),
            org(5, Some(4)),
        ])
    }

    #[test]
    fn national_rows_are_top_level_bodies() {
        let orgs = tree();
        assert_eq!(top_level(&orgs, OrgId(1)), Group::Own(OrgId(1)));
        assert_eq!(top_level(&orgs, OrgId(2)), Group::Subtree(OrgId(2)));
        assert_eq!(top_level(&orgs, OrgId(5)), Group::Subtree(OrgId(2)));
        assert_eq!(top_level(&orgs, OrgId(3)), Group::Subtree(OrgId(3)));
    }

    #[test]
    fn body_rows_are_its_units() {
        let orgs = tree();
        assert_eq!(unit_of(&orgs, OrgId(2), OrgId(2)), Group::Own(OrgId(2)));
        assert_eq!(unit_of(&orgs, OrgId(2), OrgId(4)), Group::Subtree(OrgId(4)));
        assert_eq!(unit_of(&orgs, OrgId(2), OrgId(5)), Group::Subtree(OrgId(4)));
        assert_eq!(unit_of(&orgs, OrgId(2), OrgId(3)), Group::Outside);
        assert_eq!(unit_of(&orgs, OrgId(2), OrgId(1)), Group::Outside);
    }

    fn row(position: usize, total: i64, on_time: i64, judged: i64) -> BodyRow {
        let counts = BodyCounts {
            total,
            completed_on_time: on_time,
            completed_late: judged - on_time,
            overdue: 0,
        };
        body_row(
            format!("{position}"),
            None,
            [None, None, None, None],
            counts,
            position,
            Lang::Vi,
        )
    }

    fn names(rows: &[BodyRow]) -> Vec<&str> {
        rows.iter().map(|row| row.name.as_str()).collect()
    }

    #[test]
    fn rows_sort_by_rate_with_unjudged_last() {
        let mut rows = vec![
            row(0, 5, 1, 4),
            row(1, 3, 0, 0),
            row(2, 9, 3, 3),
            row(3, 2, 1, 4),
        ];
        sort_rows(&mut rows, BodySort::RateDesc);
        assert_eq!(names(&rows), ["2", "0", "3", "1"]);
        sort_rows(&mut rows, BodySort::RateAsc);
        assert_eq!(
            names(&rows),
            ["0", "3", "2", "1"],
            "ties keep the tree order"
        );
        sort_rows(&mut rows, BodySort::TotalDesc);
        assert_eq!(names(&rows), ["2", "0", "1", "3"]);
        sort_rows(&mut rows, BodySort::Order);
        assert_eq!(names(&rows), ["0", "1", "2", "3"]);
    }

    #[test]
    fn rate_shows_percentage_and_fraction() {
        let shown = row(0, 10, 1, 3);
        assert_eq!(shown.rate, "33%");
        assert_eq!(shown.rate_detail, "1/3");
        let unjudged = row(0, 10, 0, 0);
        assert_eq!(unjudged.rate, "—");
        assert_eq!(unjudged.rate_detail, "");
    }

    #[test]
    fn sort_links_toggle_direction() {
        let link = sort_link(BodySort::Order, BodySort::RateDesc, BodySort::RateAsc);
        assert_eq!(link.href, "/?sort=rate-desc#bodies");
        assert_eq!(link.aria, "none");
        let link = sort_link(BodySort::RateDesc, BodySort::RateDesc, BodySort::RateAsc);
        assert_eq!(link.href, "/?sort=rate-asc#bodies");
        assert_eq!(link.aria, "descending");
        let link = sort_link(BodySort::RateAsc, BodySort::RateDesc, BodySort::RateAsc);
        assert_eq!(link.aria, "ascending");
    }
}
