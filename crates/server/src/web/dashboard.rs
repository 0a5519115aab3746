//! The dashboard: what the user may see (the whole country, or the user's body and its
//! units), counted by result state, classification and lead body, with obligations and
//! deadlines that need attention and a twelve-month trend.
//!
//! The page is built from fragments, each with a version (a hash of its HTML). Server-sent
//! events make the page request `/dashboard/summary` again with the versions it shows. The
//! response contains only the fragments that changed, which htmx swaps in place
//! (`hx-swap-oob`), so an unchanged table keeps its focus and scroll position.

mod bodies;
mod sections;
mod trend;

use super::error::page_error;
use super::page::{Page, PageUser, Section};
use crate::error::ApiError;
use crate::state::{AppState, Reference};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use bodies::{Bodies, BodySort};
use jiff::{SignedDuration, Timestamp};
use sections::{Classes, Deadlines, Obligations, States};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;
use theodoi_store::{
    MonthTrend, ObligationFilter, ObligationQuery, ObligationRow, OpenObligationCounts,
    PageRequest, Reuse, Scope, StoreResult, TallyTotals, TaskRow, TaskSort, UpcomingDeadlines,
    Visibility,
};
use trend::Trend;

/// How far ahead obligations count as due soon.
const DUE_SOON_HOURS: i64 = 72;
/// The short and the long window for upcoming deadlines, in days from today.
const NEAR_DAYS: i32 = 7;
const FAR_DAYS: i32 = 30;
/// Obligations and tasks listed by name in each short list.
const LISTED: u32 = 5;
/// Months in the trend chart, the current one included.
const TREND_MONTHS: u8 = 12;

/// Scopes whose dashboard numbers are kept at once. A reading holds the sums per lead body,
/// estimated at a few hundred kilobytes for a reader who sees all 5,000 bodies.
const KEPT_SCOPES: usize = 128;

/// Dashboard numbers by the reader's scope and day, reused until a task or document is
/// written, an obligation falls due or comes within the due-soon window, or the reference data
/// is reloaded. Readers who open the same dashboard at once wait for one reading.
#[derive(Debug)]
pub struct DashboardCache(Reuse<Arc<DashboardData>>);

impl Default for DashboardCache {
    fn default() -> DashboardCache {
        DashboardCache(Reuse::new(KEPT_SCOPES))
    }
}

/// Everything the dashboard counts, read in one go.
#[derive(Debug)]
pub struct DashboardData {
    /// The tally's sums; the cells themselves are dropped after the reading.
    totals: TallyTotals,
    obligations: OpenObligationCounts,
    overdue_obligations: Vec<ObligationRow>,
    due_soon_obligations: Vec<ObligationRow>,
    upcoming: UpcomingDeadlines,
    nearest: Vec<TaskRow>,
    trend: Vec<MonthTrend>,
}

/// Returns the dashboard's numbers for `scope` at `now`, read again only when something they
/// depend on changed (on SQLite; PostgreSQL reads them for each request).
async fn load_reused(
    state: &AppState,
    reference: &Reference,
    scope: &Scope,
    now: Timestamp,
) -> StoreResult<Arc<DashboardData>> {
    let window = SignedDuration::from_hours(DUE_SOON_HOURS);
    let Some(tables) = state.store.table_state(now, window).await? else {
        return load(state, scope, now).await.map(Arc::new);
    };
    let written = format!("{}|{}", tables.written, reference.generation);
    // The scope contains the clearance, so readers cleared differently never share numbers.
    let key = format!("{scope:?}|{}", theodoi_calendar::local_date(now));
    let read = || async {
        let data = load(state, scope, now).await?;
        Ok((Arc::new(data), tables.due_standing_until))
    };
    state
        .dashboards
        .0
        .get_or_read(&written, &key, now.as_millisecond(), read)
        .await
}

/// Reads the dashboard's numbers for `scope` at `now`. The queries are independent, so they
/// run at the same time on separate connections.
async fn load(state: &AppState, scope: &Scope, now: Timestamp) -> StoreResult<DashboardData> {
    let store = &state.store;
    let today = theodoi_calendar::local_date(now);

    // A body's officers see what their body and its units owe, as in the obligation API.
    let responsible = match scope.visibility {
        Visibility::Everything => ObligationFilter::default(),
        Visibility::Within(org) => ObligationFilter {
            responsible: Some(org),
            include_subunits: true,
            ..Default::default()
        },
    };
    let window = SignedDuration::from_hours(DUE_SOON_HOURS);

    let listed = PageRequest {
        limit: Some(LISTED),
        after: None,
    };
    // Still owed, earliest due first: those past their due time lead the list.
    let open = store.list_obligations(scope, ObligationQuery::Open, &responsible, &listed, now);
    let soon = store.list_obligations(
        scope,
        ObligationQuery::DueSoon { within: window },
        &responsible,
        &listed,
        now,
    );
    let upcoming_filter = sections::upcoming_filter(today, FAR_DAYS);
    let nearest = store.list_tasks(scope, &upcoming_filter, TaskSort::Deadline, &listed, now);

    let (tally, obligations, open, soon, upcoming, nearest, trend) = tokio::try_join!(
        store.task_tally(scope, now),
        store.count_open_obligations(scope, &responsible, window, now),
        open,
        soon,
        store.count_upcoming_deadlines(scope, today, NEAR_DAYS, FAR_DAYS),
        nearest,
        store.monthly_trend(scope, TREND_MONTHS, now),
    )?;
    Ok(DashboardData {
        totals: tally.totals(),
        obligations,
        overdue_obligations: open
            .items
            .into_iter()
            .filter(|row| row.obligation.due_at < now)
            .collect(),
        due_soon_obligations: soon.items,
        upcoming,
        nearest: nearest.items,
        trend,
    })
}

/// The query string of the page and of its live refreshes.
#[derive(Debug, Default)]
struct DashboardQuery {
    sort: BodySort,
    /// Version of each fragment the page shows, by fragment id.
    have: HashMap<String, String>,
}

impl DashboardQuery {
    /// Reads `sort=…` and repeated `have=ID:VERSION`. An unknown sort falls back to the
    /// default order: the value only arranges rows and comes from links this page wrote.
    fn parse(raw: Option<&str>) -> DashboardQuery {
        let mut query = DashboardQuery::default();
        for (name, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            match name.as_ref() {
                "sort" => query.sort = BodySort::parse(&value).unwrap_or_default(),
                "have" => {
                    if let Some((id, version)) = value.split_once(':') {
                        query.have.insert(id.to_owned(), version.to_owned());
                    }
                }
                _ => {}
            }
        }
        query
    }
}

/// One separately refreshed part of the page.
#[derive(Debug)]
pub struct Fragment {
    pub id: &'static str,
    pub version: String,
    pub html: String,
}

impl Fragment {
    fn new(id: &'static str, html: String) -> Fragment {
        let mut hasher = DefaultHasher::new();
        without_countdowns(&html).hash(&mut hasher);
        Fragment {
            id,
            version: format!("{:016x}", hasher.finish()),
            html,
        }
    }
}

/// `html` without the text of its countdowns, which changes every minute and is kept current
/// in the browser: a fragment whose only change is a countdown is not sent again.
fn without_countdowns(html: &str) -> String {
    const OPEN: &str = "<time data-countdown";
    const CLOSE: &str = "</time>";
    let mut kept = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        let Some(tag_end) = rest[start..].find('>').map(|end| start + end + 1) else {
            break;
        };
        kept.push_str(&rest[..tag_end]);
        rest = &rest[tag_end..];
        if let Some(close) = rest.find(CLOSE) {
            rest = &rest[close..];
        }
    }
    kept.push_str(rest);
    kept
}

#[derive(Template)]
#[template(path = "dashboard/states.html")]
struct StatesHtml<'a> {
    page: &'a Page,
    states: States,
}

#[derive(Template)]
#[template(path = "dashboard/classes.html")]
struct ClassesHtml<'a> {
    page: &'a Page,
    classes: Classes,
}

#[derive(Template)]
#[template(path = "dashboard/obligations.html")]
struct ObligationsHtml<'a> {
    page: &'a Page,
    obligations: Obligations,
}

#[derive(Template)]
#[template(path = "dashboard/deadlines.html")]
struct DeadlinesHtml<'a> {
    page: &'a Page,
    deadlines: Deadlines,
}

#[derive(Template)]
#[template(path = "dashboard/bodies.html")]
struct BodiesHtml<'a> {
    page: &'a Page,
    bodies: Bodies,
}

#[derive(Template)]
#[template(path = "dashboard/trend.html")]
struct TrendHtml<'a> {
    page: &'a Page,
    trend: Trend,
}

/// The fragments of the page, in the order they appear.
struct Fragments {
    states: Fragment,
    obligations: Fragment,
    deadlines: Fragment,
    classes: Fragment,
    bodies: Fragment,
    trend: Fragment,
}

impl Fragments {
    fn into_vec(self) -> Vec<Fragment> {
        vec![
            self.states,
            self.obligations,
            self.deadlines,
            self.classes,
            self.bodies,
            self.trend,
        ]
    }
}

fn render_fragments(
    page: &Page,
    reference: &Reference,
    scope: &Scope,
    sort: BodySort,
    data: &DashboardData,
    now: Timestamp,
) -> Result<Fragments, askama::Error> {
    let states = StatesHtml {
        page,
        states: States::new(page, &data.totals),
    };
    let obligations = ObligationsHtml {
        page,
        obligations: Obligations::new(
            page,
            reference,
            data.obligations,
            &data.overdue_obligations,
            &data.due_soon_obligations,
            now,
        ),
    };
    let deadlines = DeadlinesHtml {
        page,
        deadlines: Deadlines::new(page, reference, data.upcoming, &data.nearest, now),
    };
    let classes = ClassesHtml {
        page,
        classes: Classes::new(page, reference, &data.totals),
    };
    let bodies = BodiesHtml {
        page,
        bodies: Bodies::new(page, &reference.orgs, scope, &data.totals, sort),
    };
    let trend = TrendHtml {
        page,
        trend: Trend::new(page, &data.trend),
    };
    Ok(Fragments {
        states: Fragment::new("dash-states", states.render()?),
        obligations: Fragment::new("dash-obligations", obligations.render()?),
        deadlines: Fragment::new("dash-deadlines", deadlines.render()?),
        classes: Fragment::new("dash-classes", classes.render()?),
        bodies: Fragment::new("dash-bodies", bodies.render()?),
        trend: Fragment::new("dash-trend", trend.render()?),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    page: Page,
    scope_line: String,
    updated: String,
    sort: &'static str,
    states: Fragment,
    obligations: Fragment,
    deadlines: Fragment,
    classes: Fragment,
    bodies: Fragment,
    trend: Fragment,
}

/// The fragments that changed since the versions the page sent, swapped out of band.
#[derive(Template, WebTemplate)]
#[template(path = "partials/summary.html")]
struct Summary {
    updated: String,
    fragments: Vec<Fragment>,
}

/// Data shared by the page and its refreshes: the reader's scope, numbers and fragments.
struct Prepared {
    page: Page,
    reference: std::sync::Arc<Reference>,
    scope: Scope,
    updated: String,
    fragments: Fragments,
}

async fn prepare(state: &AppState, user: &PageUser, sort: BodySort) -> Result<Prepared, Response> {
    let page = Page::new(state, user, Section::Dashboard, "ui-nav-dashboard");
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);
    let now = state.now();
    let data = load_reused(state, &reference, &scope, now)
        .await
        .map_err(|error| page_error(error.into(), user.lang))?;
    let fragments = render_fragments(&page, &reference, &scope, sort, &data, now)
        .map_err(|error| page_error(ApiError::Internal(error.to_string()), user.lang))?;
    let updated = page.t1("ui-dashboard-updated", "time", &page.datetime(&now));
    Ok(Prepared {
        page,
        reference,
        scope,
        updated,
        fragments,
    })
}

/// `GET /`: the dashboard.
pub async fn show(
    State(state): State<AppState>,
    user: PageUser,
    RawQuery(raw): RawQuery,
) -> Response {
    let query = DashboardQuery::parse(raw.as_deref());
    let prepared = match prepare(&state, &user, query.sort).await {
        Ok(prepared) => prepared,
        Err(response) => return response,
    };
    let Prepared {
        page,
        reference,
        scope,
        updated,
        fragments,
    } = prepared;
    let scope_line = match scope.visibility {
        Visibility::Everything => page.t("ui-dashboard-scope-national"),
        Visibility::Within(org) => {
            let name = sections::org_name(&reference, org, page.lang);
            page.t1("ui-dashboard-scope-body", "body", &name)
        }
    };
    DashboardPage {
        page,
        scope_line,
        updated,
        sort: query.sort.as_str(),
        states: fragments.states,
        obligations: fragments.obligations,
        deadlines: fragments.deadlines,
        classes: fragments.classes,
        bodies: fragments.bodies,
        trend: fragments.trend,
    }
    .into_response()
}

/// `GET /dashboard/summary`: the fragments whose version differs from the `have` values sent,
/// all of them when none are sent, and nothing when nothing changed.
pub async fn fragment(
    State(state): State<AppState>,
    user: PageUser,
    RawQuery(raw): RawQuery,
) -> Response {
    let query = DashboardQuery::parse(raw.as_deref());
    let prepared = match prepare(&state, &user, query.sort).await {
        Ok(prepared) => prepared,
        Err(response) => return response,
    };
    let fragments: Vec<Fragment> = prepared
        .fragments
        .into_vec()
        .into_iter()
        .filter(|fragment| query.have.get(fragment.id) != Some(&fragment.version))
        .collect();
    Summary {
        updated: prepared.updated,
        fragments,
    }
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdown_text_leaves_version_alone() {
        let earlier = r#"<li><time data-countdown datetime="x">Còn 5 phút</time> · <time data-countdown datetime="y">Quá hạn 1 ngày</time></li>"#;
        let later = r#"<li><time data-countdown datetime="x">Còn 4 phút</time> · <time data-countdown datetime="y">Quá hạn 1 ngày 1 giờ</time></li>"#;
        assert_eq!(
            Fragment::new("a", earlier.to_owned()).version,
            Fragment::new("a", later.to_owned()).version
        );
        let moved = r#"<li><time data-countdown datetime="z">Còn 4 phút</time></li>"#;
        assert_ne!(
            Fragment::new("a", earlier.to_owned()).version,
            Fragment::new("a", moved.to_owned()).version
        );
        assert_eq!(
            without_countdowns(earlier),
            r#"<li><time data-countdown datetime="x"></time> · <time data-countdown datetime="y"></time></li>"#
        );
    }

    #[test]
    fn query_reads_sort_and_versions() {
        let query = DashboardQuery::parse(Some(
            "sort=rate-desc&have=dash-states%3Aabc&have=dash-trend:def&have=broken",
        ));
        assert_eq!(query.sort, BodySort::RateDesc);
        assert_eq!(
            query.have.get("dash-states").map(String::as_str),
            Some("abc")
        );
        assert_eq!(
            query.have.get("dash-trend").map(String::as_str),
            Some("def")
        );
        assert_eq!(query.have.len(), 2);
        assert_eq!(
            DashboardQuery::parse(Some("sort=nonsense")).sort,
            BodySort::Order
        );
        assert_eq!(DashboardQuery::parse(None).sort, BodySort::Order);
    }
}
