//! The twelve-month trend: the numbers for the table and, as JSON in a data attribute, for the
//! chart that `dashboard.js` draws from them.

use super::super::page::Page;
use super::sections::number;
use serde::Serialize;
use theodoi_store::MonthTrend;

/// One month of the table.
#[derive(Debug)]
pub struct TrendRow {
    /// `mm/yyyy`.
    pub label: String,
    pub on_time: String,
    pub late: String,
    pub overdue: String,
}

/// One line of the chart.
#[derive(Debug, Serialize)]
struct Series {
    /// `on_time`, `late` or `overdue`; the script picks the colour by it.
    key: &'static str,
    label: String,
    data: Vec<i64>,
}

#[derive(Debug, Serialize)]
struct Chart {
    labels: Vec<String>,
    series: Vec<Series>,
}

/// The trend as a table and as chart data.
#[derive(Debug)]
pub struct Trend {
    pub rows: Vec<TrendRow>,
    pub chart_json: String,
}

impl Trend {
    pub fn new(page: &Page, months: &[MonthTrend]) -> Trend {
        let label =
            |month: &MonthTrend| format!("{:02}/{}", month.month.month(), month.month.year());
        let rows = months
            .iter()
            .map(|month| TrendRow {
                label: label(month),
                on_time: number(month.completed_on_time, page.lang),
                late: number(month.completed_late, page.lang),
                overdue: number(month.became_overdue, page.lang),
            })
            .collect();
        let series = |key, id: &str, value: fn(&MonthTrend) -> i64| Series {
            key,
            label: page.t(id),
            data: months.iter().map(value).collect(),
        };
        let chart = Chart {
            labels: months.iter().map(label).collect(),
            series: vec![
                series("on_time", "ui-dashboard-trend-on-time", |month| {
                    month.completed_on_time
                }),
                series("late", "ui-dashboard-trend-late", |month| {
                    month.completed_late
                }),
                series("overdue", "ui-dashboard-trend-overdue", |month| {
                    month.became_overdue
                }),
            ],
        };
        Trend {
            rows,
            // serde_json fails only on maps with non-string keys and on failing `Serialize`
            // impls, and `Chart` holds neither.
            chart_json: serde_json::to_string(&chart).unwrap_or_default(),
        }
    }
}
