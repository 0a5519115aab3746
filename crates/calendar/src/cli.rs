//! Text output for the `theodoi calendar …` commands, so the binary only parses arguments and
//! prints.

use crate::CalendarVersion;
use crate::calendar::WorkingCalendar;
use crate::error::CalendarError;
use crate::hours::WorkingHours;
use crate::lunar;
use crate::schedule::{self, DayKind};
use crate::zone::{VIETNAM_OFFSET, local_date};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

/// Serialises plain data to pretty JSON.
fn to_json<T: Serialize>(value: &T) -> String {
    // Dates, strings, numbers and enums always serialise; only maps with non-string keys or
    // failing custom serialisers can make serde_json fail, and these types have neither.
    serde_json::to_string_pretty(value).expect("plain data serialises to JSON")
}

#[derive(Serialize)]
struct HolidayRow<'a> {
    date: Date,
    name: &'a str,
    kind: DayKind,
}

/// Returns the built-in schedule of `year` as a JSON array of
/// `{"date": "YYYY-MM-DD", "name": "<Vietnamese name>", "kind": "holiday" | "compensatory" |
/// "swapped" | "makeup_workday"}`, sorted by date.
///
/// # Errors
///
/// [`CalendarError::YearOutOfRange`] if `year` is outside 1900..=2199.
pub fn holidays_json(year: i32) -> Result<String, CalendarError> {
    let year = i16::try_from(year).map_err(|_| CalendarError::YearOutOfRange { year })?;
    let schedule = schedule::try_builtin_year(year)?;
    let rows: Vec<HolidayRow<'_>> = schedule
        .days
        .iter()
        .map(|day| HolidayRow {
            date: day.date,
            name: &day.name_vi,
            kind: day.kind,
        })
        .collect();
    Ok(to_json(&rows))
}

/// Returns the lunar date of `date` as JSON: `{"day": d, "month": m, "year": y, "leap": bool}`.
///
/// # Errors
///
/// [`CalendarError::YearOutOfRange`] if `date` is outside 1900..=2199.
pub fn lunar_json(date: Date) -> Result<String, CalendarError> {
    Ok(to_json(&lunar::to_lunar(date)?))
}

/// How far a due time lies from its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueAmount {
    /// Working hours from the start instant.
    WorkingHours(u32),
    /// Working days after the start's local date; due at the end of the working hours of the
    /// last one.
    WorkingDays(u32),
}

/// Parses an RFC 3339 timestamp with any UTC offset, such as `2026-02-13T09:00:00+07:00` or
/// `2026-02-13T02:00:00Z`.
///
/// # Errors
///
/// [`CalendarError::InvalidTimestamp`] with the parser's reason.
pub fn parse_timestamp(input: &str) -> Result<Timestamp, CalendarError> {
    input
        .trim()
        .parse()
        .map_err(|error: jiff::Error| CalendarError::InvalidTimestamp {
            input: input.to_owned(),
            reason: error.to_string(),
        })
}

/// Formats an instant as RFC 3339 in Vietnamese local time, such as
/// `2026-02-25T17:00:00+07:00`.
pub fn format_local(ts: Timestamp) -> String {
    ts.display_with_offset(VIETNAM_OFFSET).to_string()
}

/// Computes a due instant from `start` on `calendar`.
///
/// # Errors
///
/// [`CalendarError::NoWorkingTime`] if the due time would fall after year 9999.
pub fn compute_due(
    calendar: &WorkingCalendar,
    start: Timestamp,
    amount: DueAmount,
) -> Result<Timestamp, CalendarError> {
    match amount {
        DueAmount::WorkingHours(hours) => {
            calendar.checked_add_working(start, jiff::SignedDuration::from_hours(i64::from(hours)))
        }
        DueAmount::WorkingDays(days) => {
            let date = calendar.checked_nth_working_day_after(local_date(start), days)?;
            Ok(calendar.end_of_working_day(date))
        }
    }
}

/// Computes a due instant on the built-in calendar from command-line text: an RFC 3339 start,
/// an amount, and optional working hours such as `"08:00-12:00,13:30-17:00"`. Returns the due
/// instant as RFC 3339 at +07:00.
///
/// # Errors
///
/// [`CalendarError::InvalidTimestamp`] for a malformed start, the errors of
/// [`WorkingHours`]'s parser for malformed hours, and [`CalendarError::NoWorkingTime`] as in
/// [`compute_due`].
pub fn due_rfc3339(
    start: &str,
    amount: DueAmount,
    hours: Option<&str>,
) -> Result<String, CalendarError> {
    let start = parse_timestamp(start)?;
    let calendar = match hours {
        Some(hours) => WorkingCalendar::new(
            hours.parse::<WorkingHours>()?,
            Vec::new(),
            CalendarVersion::builtin(),
        ),
        None => WorkingCalendar::builtin(),
    };
    compute_due(&calendar, start, amount).map(format_local)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn due_in_working_days_over_tet() {
        let due = due_rfc3339("2026-02-13T09:00:00+07:00", DueAmount::WorkingDays(3), None);
        assert_eq!(due.unwrap(), "2026-02-25T17:00:00+07:00");
    }

    #[test]
    fn due_accepts_any_offset() {
        let due = due_rfc3339("2026-03-02T01:00:00Z", DueAmount::WorkingHours(4), None);
        assert_eq!(due.unwrap(), "2026-03-02T12:00:00+07:00");
    }

    #[test]
    fn due_with_custom_hours() {
        let due = due_rfc3339(
            "2026-03-02T08:00:00+07:00",
            DueAmount::WorkingHours(8),
            Some("08:00-12:00,13:30-17:00"),
        );
        assert_eq!(due.unwrap(), "2026-03-03T08:30:00+07:00");
    }

    #[test]
    fn due_rejects_bad_input() {
        let error = due_rfc3339("13/02/2026", DueAmount::WorkingDays(1), None).unwrap_err();
        assert!(
            matches!(error, CalendarError::InvalidTimestamp { .. }),
            "{error}"
        );
        let error = due_rfc3339(
            "2026-03-02T08:00:00+07:00",
            DueAmount::WorkingDays(1),
            Some("8-12"),
        )
        .unwrap_err();
        assert!(
            matches!(error, CalendarError::InvalidWorkingPeriod { .. }),
            "{error}"
        );
    }

    #[test]
    fn lunar_json_shape() {
        let json = lunar_json(date(2020, 5, 23)).unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"day": 1, "month": 4, "year": 2020, "leap": true})
        );
    }

    #[test]
    fn holidays_json_rejects_out_of_range() {
        assert_eq!(
            holidays_json(2200),
            Err(CalendarError::YearOutOfRange { year: 2200 })
        );
        assert_eq!(
            holidays_json(100_000),
            Err(CalendarError::YearOutOfRange { year: 100_000 })
        );
    }
}
