//! Working-time arithmetic on the built-in calendar, as tables of cases.

use jiff::civil::{Date, date};
use jiff::{SignedDuration, Timestamp, ToSpan};
use theodoi_calendar::hours::WorkingHours;
use theodoi_calendar::schedule::{SpecialDay, YearSchedule};
use theodoi_calendar::{
    BUILTIN_VERSION, CalendarError, CalendarVersion, WorkingCalendar, at_local,
};

/// Local time in Vietnam: `local(2026, 3, 2, 8, 0)` is Monday 2 March 2026, 08:00 +07:00.
fn local(year: i16, month: i8, day: i8, hour: i8, minute: i8) -> Timestamp {
    at_local(date(year, month, day).at(hour, minute, 0, 0))
}

#[test]
fn add_minutes_default_hours() {
    let calendar = WorkingCalendar::builtin();
    // (case, start, minutes, expected)
    let cases = [
        (
            "morning fills to lunch",
            local(2026, 3, 2, 8, 0),
            240,
            local(2026, 3, 2, 12, 0),
        ),
        (
            "afternoon fills to evening",
            local(2026, 3, 2, 13, 0),
            240,
            local(2026, 3, 2, 17, 0),
        ),
        (
            "late afternoon into next day",
            local(2026, 3, 2, 16, 30),
            240,
            local(2026, 3, 3, 11, 30),
        ),
        (
            "before opening",
            local(2026, 3, 2, 7, 0),
            60,
            local(2026, 3, 2, 9, 0),
        ),
        (
            "during lunch",
            local(2026, 3, 2, 12, 30),
            60,
            local(2026, 3, 2, 14, 0),
        ),
        (
            "across lunch",
            local(2026, 3, 2, 11, 30),
            60,
            local(2026, 3, 2, 13, 30),
        ),
        (
            "at end of morning",
            local(2026, 3, 2, 12, 0),
            30,
            local(2026, 3, 2, 13, 30),
        ),
        (
            "at end of day",
            local(2026, 3, 2, 17, 0),
            30,
            local(2026, 3, 3, 8, 30),
        ),
        (
            "Friday evening",
            local(2026, 3, 6, 18, 0),
            60,
            local(2026, 3, 9, 9, 0),
        ),
        (
            "ordinary Saturday",
            local(2026, 3, 7, 10, 0),
            60,
            local(2026, 3, 9, 9, 0),
        ),
        (
            "Sunday night",
            local(2026, 3, 8, 23, 59),
            480,
            local(2026, 3, 9, 17, 0),
        ),
        (
            "make-up Saturday",
            local(2026, 1, 10, 9, 0),
            60,
            local(2026, 1, 10, 10, 0),
        ),
        (
            "Friday into make-up Saturday",
            local(2026, 1, 9, 16, 0),
            120,
            local(2026, 1, 10, 9, 0),
        ),
        (
            "over New Year and swapped Friday",
            local(2025, 12, 31, 16, 0),
            120,
            local(2026, 1, 5, 9, 0),
        ),
        (
            "over Tết 2026",
            local(2026, 2, 13, 16, 0),
            480,
            local(2026, 2, 23, 16, 0),
        ),
        (
            "over Hùng Kings' compensatory Monday",
            local(2026, 4, 24, 17, 0),
            60,
            local(2026, 4, 28, 9, 0),
        ),
        (
            "over 30 April – 1 May",
            local(2026, 4, 29, 16, 0),
            120,
            local(2026, 5, 4, 9, 0),
        ),
        (
            "make-up Saturday before National Day",
            local(2026, 8, 21, 17, 0),
            60,
            local(2026, 8, 22, 9, 0),
        ),
        (
            "over National Day 2026",
            local(2026, 8, 28, 16, 0),
            120,
            local(2026, 9, 3, 9, 0),
        ),
        (
            "over swapped Monday 2024",
            local(2024, 4, 26, 16, 0),
            120,
            local(2024, 5, 2, 9, 0),
        ),
        (
            "zero minutes inside hours",
            local(2026, 3, 2, 10, 15),
            0,
            local(2026, 3, 2, 10, 15),
        ),
        (
            "zero minutes at period end",
            local(2026, 3, 2, 12, 0),
            0,
            local(2026, 3, 2, 12, 0),
        ),
        (
            "zero minutes at lunch",
            local(2026, 3, 2, 12, 30),
            0,
            local(2026, 3, 2, 13, 0),
        ),
        (
            "zero minutes on Saturday",
            local(2026, 3, 7, 10, 0),
            0,
            local(2026, 3, 9, 8, 0),
        ),
        (
            "one working week",
            local(2026, 3, 2, 8, 0),
            5 * 480,
            local(2026, 3, 6, 17, 0),
        ),
    ];
    for (case, start, minutes, expected) in cases {
        assert_eq!(
            calendar.add_working_minutes(start, minutes),
            expected,
            "{case}"
        );
    }
}

#[test]
fn add_hours_matches_minutes() {
    let calendar = WorkingCalendar::builtin();
    let start = local(2026, 3, 2, 16, 30);
    assert_eq!(
        calendar.add_working_hours(start, 4),
        local(2026, 3, 3, 11, 30)
    );
    assert_eq!(
        calendar.add_working_hours(start, 8),
        calendar.add_working_minutes(start, 480)
    );
    // Confirm receipt within 4 working hours of a transfer on Monday 08:00.
    assert_eq!(
        calendar.add_working_hours(local(2026, 3, 2, 8, 0), 4),
        local(2026, 3, 2, 12, 0)
    );
}

#[test]
fn add_minutes_custom_hours() {
    let hours: WorkingHours = "07:30-11:30,13:30-17:00".parse().unwrap();
    let calendar = WorkingCalendar::new(hours, Vec::new(), CalendarVersion("custom".to_owned()));
    let cases = [
        (
            "before opening",
            local(2026, 3, 2, 7, 0),
            30,
            local(2026, 3, 2, 8, 0),
        ),
        (
            "across long lunch",
            local(2026, 3, 2, 11, 0),
            60,
            local(2026, 3, 2, 14, 0),
        ),
        (
            "full day",
            local(2026, 3, 2, 7, 30),
            450,
            local(2026, 3, 2, 17, 0),
        ),
        (
            "into next day",
            local(2026, 3, 2, 16, 30),
            60,
            local(2026, 3, 3, 8, 0),
        ),
    ];
    for (case, start, minutes, expected) in cases {
        assert_eq!(
            calendar.add_working_minutes(start, minutes),
            expected,
            "{case}"
        );
    }
}

#[test]
fn seconds_are_kept() {
    let calendar = WorkingCalendar::builtin();
    let start = local(2026, 3, 2, 8, 0) + SignedDuration::from_secs(30);
    assert_eq!(
        calendar.add_working_minutes(start, 1),
        local(2026, 3, 2, 8, 1) + SignedDuration::from_secs(30)
    );
}

#[test]
fn next_working_moment_cases() {
    let calendar = WorkingCalendar::builtin();
    let cases = [
        (
            "inside morning",
            local(2026, 3, 2, 10, 0),
            local(2026, 3, 2, 10, 0),
        ),
        (
            "at period end",
            local(2026, 3, 2, 12, 0),
            local(2026, 3, 2, 13, 0),
        ),
        ("night", local(2026, 3, 2, 22, 0), local(2026, 3, 3, 8, 0)),
        (
            "Saturday",
            local(2026, 3, 7, 10, 0),
            local(2026, 3, 9, 8, 0),
        ),
        ("Tết", local(2026, 2, 17, 9, 0), local(2026, 2, 23, 8, 0)),
        (
            "make-up Saturday",
            local(2026, 1, 10, 7, 0),
            local(2026, 1, 10, 8, 0),
        ),
    ];
    for (case, at, expected) in cases {
        assert_eq!(calendar.next_working_moment(at), expected, "{case}");
    }
}

#[test]
fn nth_working_day_after_cases() {
    let calendar = WorkingCalendar::builtin();
    // (case, date, n, expected)
    let cases = [
        (
            "three days over Tết",
            date(2026, 2, 13),
            3,
            date(2026, 2, 25),
        ),
        (
            "zero on a working day",
            date(2026, 3, 2),
            0,
            date(2026, 3, 2),
        ),
        ("zero on Saturday", date(2026, 3, 7), 0, date(2026, 3, 9)),
        ("zero on a holiday", date(2026, 9, 2), 0, date(2026, 9, 3)),
        ("one after Thursday", date(2026, 1, 8), 1, date(2026, 1, 9)),
        (
            "make-up Saturday counts",
            date(2026, 1, 8),
            2,
            date(2026, 1, 10),
        ),
        (
            "after the make-up Saturday",
            date(2026, 1, 8),
            3,
            date(2026, 1, 12),
        ),
        ("over New Year", date(2025, 12, 31), 1, date(2026, 1, 5)),
        ("from a holiday", date(2026, 1, 1), 1, date(2026, 1, 5)),
        (
            "make-up Saturday in August",
            date(2026, 8, 21),
            1,
            date(2026, 8, 22),
        ),
        ("over National Day", date(2026, 8, 28), 1, date(2026, 9, 3)),
        ("a whole year", date(2025, 12, 31), 250, date(2026, 12, 31)),
        ("one more", date(2025, 12, 31), 251, date(2027, 1, 4)),
    ];
    for (case, start, n, expected) in cases {
        assert_eq!(calendar.nth_working_day_after(start, n), expected, "{case}");
    }
}

#[test]
fn add_working_days_ends_at_close_of_business() {
    let calendar = WorkingCalendar::builtin();
    assert_eq!(
        calendar.add_working_days(date(2026, 2, 13), 3),
        local(2026, 2, 25, 17, 0)
    );
    assert_eq!(
        calendar.end_of_working_day(date(2026, 3, 7)),
        local(2026, 3, 7, 17, 0)
    );
    let custom = WorkingCalendar::new(
        "07:30-11:30,13:30-16:30".parse().unwrap(),
        Vec::new(),
        CalendarVersion::builtin(),
    );
    assert_eq!(
        custom.add_working_days(date(2026, 3, 2), 1),
        local(2026, 3, 3, 16, 30)
    );
}

#[test]
fn working_minutes_between_cases() {
    let calendar = WorkingCalendar::builtin();
    let cases = [
        (
            "whole day",
            local(2026, 3, 2, 8, 0),
            local(2026, 3, 2, 17, 0),
            480,
        ),
        (
            "reversed",
            local(2026, 3, 2, 17, 0),
            local(2026, 3, 2, 8, 0),
            -480,
        ),
        (
            "across lunch",
            local(2026, 3, 2, 11, 0),
            local(2026, 3, 2, 14, 0),
            120,
        ),
        ("empty", local(2026, 3, 2, 9, 0), local(2026, 3, 2, 9, 0), 0),
        (
            "night only",
            local(2026, 3, 2, 18, 0),
            local(2026, 3, 3, 7, 0),
            0,
        ),
        (
            "over Tết",
            local(2026, 2, 13, 8, 0),
            local(2026, 2, 23, 8, 0),
            480,
        ),
        (
            "make-up Saturday",
            local(2026, 1, 10, 0, 0),
            local(2026, 1, 11, 0, 0),
            480,
        ),
        (
            "year 2026",
            local(2026, 1, 1, 0, 0),
            local(2027, 1, 1, 0, 0),
            250 * 480,
        ),
    ];
    for (case, from, to, expected) in cases {
        assert_eq!(
            calendar.working_minutes_between(from, to),
            expected,
            "{case}"
        );
    }
}

#[test]
fn working_minutes_over_several_years_match_day_counts() {
    let calendar = WorkingCalendar::builtin();
    let from = local(2023, 1, 1, 0, 0);
    let to = local(2027, 1, 1, 0, 0);
    let days: u32 = (2023..=2026)
        .map(|year| calendar.working_days_in_year(year))
        .sum();
    assert_eq!(
        calendar.working_minutes_between(from, to),
        i64::from(days) * 480
    );
    // 2 January 2023 is a compensatory day, so starting at noon on 3 January loses only
    // that morning.
    let from = local(2023, 1, 3, 12, 0);
    assert_eq!(
        calendar.working_minutes_between(from, to),
        i64::from(days) * 480 - 240
    );
}

#[test]
fn working_days_in_official_years() {
    let calendar = WorkingCalendar::builtin();
    // Weekdays of the year, minus weekdays off, plus make-up days.
    assert_eq!(calendar.working_days_in_year(2023), 260 - 11);
    assert_eq!(calendar.working_days_in_year(2024), 262 - 12 + 1);
    assert_eq!(calendar.working_days_in_year(2025), 261 - 12 + 1);
    assert_eq!(calendar.working_days_in_year(2026), 261 - 13 + 2);
}

#[test]
fn version_of_builtin_and_custom() {
    assert_eq!(WorkingCalendar::builtin().version().0, BUILTIN_VERSION);
    assert_eq!(BUILTIN_VERSION, "builtin-1");
    let calendar = WorkingCalendar::new(
        WorkingHours::default(),
        Vec::new(),
        CalendarVersion("2026-admin-3".to_owned()),
    );
    assert_eq!(calendar.version().to_string(), "2026-admin-3");
}

/// Builds an override that takes every weekday of `year` off, leaving no working day.
fn year_without_work(year: i16) -> YearSchedule {
    let mut days = Vec::new();
    let mut day = date(year, 1, 1);
    while day.year() == year {
        if !matches!(
            day.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        ) {
            days.push(SpecialDay::swapped(day));
        }
        day = day.saturating_add(1.day());
    }
    YearSchedule { year, days }
}

#[test]
fn override_can_empty_a_year() {
    let calendar = WorkingCalendar::try_new(
        WorkingHours::default(),
        vec![year_without_work(2027)],
        CalendarVersion("empty-2027".to_owned()),
    )
    .unwrap();
    assert_eq!(calendar.working_days_in_year(2027), 0);
    // New Year's Day 2028 is a Saturday, compensated on Monday 3 January.
    let first_2028: Date = date(2028, 1, 4);
    assert_eq!(
        calendar.nth_working_day_after(date(2026, 12, 31), 1),
        first_2028
    );
    assert_eq!(
        calendar.add_working_minutes(local(2026, 12, 31, 17, 0), 60),
        local(2028, 1, 4, 9, 0)
    );
    assert_eq!(
        calendar.next_working_moment(local(2027, 6, 1, 9, 0)),
        local(2028, 1, 4, 8, 0)
    );
}

#[test]
fn huge_amounts_saturate() {
    let calendar = WorkingCalendar::builtin();
    let start = local(2026, 3, 2, 8, 0);
    assert_eq!(
        calendar.add_working_minutes(start, u32::MAX),
        Timestamp::MAX
    );
    assert_eq!(
        calendar.checked_add_working(start, SignedDuration::from_mins(i64::from(u32::MAX))),
        Err(CalendarError::NoWorkingTime)
    );
    assert_eq!(
        calendar.nth_working_day_after(date(2026, 3, 2), u32::MAX),
        Date::MAX
    );
    // A large amount that fits still lands inside working time.
    let far = calendar.add_working_hours(start, 1_000_000);
    assert!(far < Timestamp::MAX);
    assert!(calendar.is_working_time(far - SignedDuration::from_mins(1)));
}
