//! The error type of the calendar crate.
//!
//! Messages are English text for developers and logs; the application shows users its own
//! localised message for each variant.

use crate::lunar::LunarDate;
use crate::schedule::DayKind;
use jiff::civil::{Date, Weekday};
use thiserror::Error;

/// Errors of lunar conversions, schedules, working hours and input parsing.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// A Gregorian or lunar year outside the range the calendar computes.
    #[error("year {year} is outside the supported range 1900..=2199")]
    YearOutOfRange {
        /// The rejected year.
        year: i32,
    },

    /// A lunar month number other than 1..=12.
    #[error("lunar month {month} is invalid; expected 1..=12")]
    InvalidLunarMonth {
        /// The rejected month number.
        month: u8,
    },

    /// A leap month that the lunar year does not have.
    #[error("lunar year {year} has no leap month {month}; {}", describe_leap_month(*.leap_month))]
    NoSuchLeapMonth {
        /// The lunar year.
        year: i16,
        /// The requested leap month number.
        month: u8,
        /// The leap month the year does have, if any.
        leap_month: Option<u8>,
    },

    /// A lunar day past the end of its month, or day 0.
    #[error(
        "lunar date {lunar} is invalid: that month has {days_in_month} days; \
         expected a day in 1..={days_in_month}"
    )]
    InvalidLunarDay {
        /// The rejected date.
        lunar: LunarDate,
        /// Length of the month, 29 or 30.
        days_in_month: u8,
    },

    /// A lunar date that converts to a day outside 1900-01-01..=2199-12-31.
    #[error("lunar date {lunar} is outside the supported range 1900-01-01..=2199-12-31")]
    LunarDateOutOfRange {
        /// The rejected date.
        lunar: LunarDate,
    },

    /// A working-hours specification with no periods.
    #[error("working hours are empty; expected periods like \"08:00-12:00,13:00-17:00\"")]
    EmptyWorkingHours,

    /// One period of a working-hours specification is malformed.
    #[error("working period \"{period}\" is invalid: {reason}")]
    InvalidWorkingPeriod {
        /// The period as written.
        period: String,
        /// Explanation of the problem and of the expected form.
        reason: String,
    },

    /// Two periods overlap or are not in time order.
    #[error(
        "working period {next} starts before the previous period {previous} ends; \
         list periods in time order without overlap, like \"08:00-12:00,13:00-17:00\""
    )]
    WorkingPeriodsOutOfOrder {
        /// The earlier period as written.
        previous: String,
        /// The period that starts too early.
        next: String,
    },

    /// A schedule entry dated in another year than its schedule.
    #[error("schedule for {year} lists {date}, which is not in {year}")]
    ScheduleDateOutsideYear {
        /// The schedule's year.
        year: i16,
        /// The misplaced date.
        date: Date,
    },

    /// Schedule entries out of date order or listed twice.
    #[error("schedule for {year} lists {date} out of order or twice; list each date once, sorted")]
    ScheduleNotSorted {
        /// The schedule's year.
        year: i16,
        /// The first date out of order.
        date: Date,
    },

    /// A day off on a weekend or a make-up working day on a weekday.
    #[error(
        "schedule for {year} marks {date} ({weekday:?}) as {kind}; \
         Monday to Friday take holiday, compensatory or swapped, \
         Saturday and Sunday take makeup_workday"
    )]
    ScheduleKindMismatch {
        /// The schedule's year.
        year: i16,
        /// The date of the entry.
        date: Date,
        /// Day of the week of `date`.
        weekday: Weekday,
        /// The kind that does not fit that day of the week.
        kind: DayKind,
    },

    /// Input that is not an RFC 3339 timestamp.
    #[error(
        "timestamp \"{input}\" is invalid: {reason}; \
         expected RFC 3339 like 2026-02-13T09:00:00+07:00"
    )]
    InvalidTimestamp {
        /// The input as given.
        input: String,
        /// The parser's explanation.
        reason: String,
    },

    /// Working-time arithmetic that would end after the year 9999, which happens only when
    /// schedule overrides leave no working days or the amount is enormous.
    #[error(
        "no working time is left before the end of year 9999; \
         check the schedule overrides and the amount"
    )]
    NoWorkingTime,
}

fn describe_leap_month(leap_month: Option<u8>) -> String {
    match leap_month {
        Some(month) => format!("its leap month is {month}"),
        None => "it has no leap month".to_owned(),
    }
}
