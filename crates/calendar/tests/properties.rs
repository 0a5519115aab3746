//! Properties of working-time arithmetic over random starts, amounts and calendars.

use jiff::civil::{Date, date};
use jiff::{SignedDuration, Timestamp, ToSpan};
use proptest::prelude::*;
use theodoi_calendar::hours::WorkingHours;
use theodoi_calendar::schedule::{SpecialDay, YearSchedule};
use theodoi_calendar::{CalendarVersion, WorkingCalendar, at_local};

/// Starts span 2023–2027: the official years, a rule year, and year boundaries.
fn first_day() -> Date {
    date(2023, 1, 1)
}

const DAYS: i64 = 5 * 365;

fn calendars() -> Vec<WorkingCalendar> {
    let custom = |text: &str| {
        WorkingCalendar::new(
            text.parse::<WorkingHours>().unwrap(),
            Vec::new(),
            CalendarVersion(text.to_owned()),
        )
    };
    // An administrator who moved Tết 2027 by hand and added a make-up Sunday.
    let override_2027 = YearSchedule {
        year: 2027,
        days: vec![
            SpecialDay::compensatory(date(2027, 2, 4)),
            SpecialDay::compensatory(date(2027, 2, 5)),
            SpecialDay::makeup_workday(date(2027, 2, 21)),
        ],
    };
    vec![
        WorkingCalendar::builtin(),
        custom("07:30-11:30,13:30-17:00"),
        custom("08:00-10:00,10:15-12:00,13:00-16:45"),
        custom("09:00-17:00"),
        WorkingCalendar::try_new(
            WorkingHours::default(),
            vec![override_2027],
            CalendarVersion("override".to_owned()),
        )
        .unwrap(),
    ]
}

/// Any instant in the span, to the second.
fn any_instant() -> impl Strategy<Value = Timestamp> {
    (0..DAYS * 86_400)
        .prop_map(|second| at_local(first_day().at(0, 0, 0, 0)) + SignedDuration::from_secs(second))
}

/// Instants on whole quarter hours, so that period starts and ends come up often.
fn aligned_instant() -> impl Strategy<Value = Timestamp> {
    (0..DAYS, 0..96_i8).prop_map(|(day, quarter)| {
        let day = first_day().saturating_add(day.days());
        at_local(day.at(quarter / 4, (quarter % 4) * 15, 0, 0))
    })
}

fn instant() -> impl Strategy<Value = Timestamp> {
    prop_oneof![any_instant(), aligned_instant()]
}

fn calendar_index() -> impl Strategy<Value = usize> {
    0..5_usize
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn add_is_monotonic_in_start(
        index in calendar_index(),
        a in instant(),
        b in instant(),
        minutes in 0..20_000_u32,
    ) {
        let calendar = &calendars()[index];
        let (early, late) = if a <= b { (a, b) } else { (b, a) };
        let from_early = calendar.add_working_minutes(early, minutes);
        let from_late = calendar.add_working_minutes(late, minutes);
        prop_assert!(from_early <= from_late);
    }

    #[test]
    fn add_is_monotonic_in_minutes(
        index in calendar_index(),
        start in instant(),
        a in 0..20_000_u32,
        b in 0..20_000_u32,
    ) {
        let calendar = &calendars()[index];
        let (small, large) = if a <= b { (a, b) } else { (b, a) };
        let fewer = calendar.add_working_minutes(start, small);
        let more = calendar.add_working_minutes(start, large);
        prop_assert!(fewer <= more);
    }

    #[test]
    fn add_then_add_equals_add_of_sum(
        index in calendar_index(),
        start in instant(),
        a in 0..10_000_u32,
        b in 0..10_000_u32,
    ) {
        let calendar = &calendars()[index];
        let in_two_steps = calendar.add_working_minutes(calendar.add_working_minutes(start, a), b);
        prop_assert_eq!(in_two_steps, calendar.add_working_minutes(start, a + b));
    }

    #[test]
    fn due_is_working_time_or_period_end(
        index in calendar_index(),
        start in instant(),
        minutes in 0..20_000_u32,
    ) {
        let calendar = &calendars()[index];
        let due = calendar.add_working_minutes(start, minutes);
        let inside = calendar.is_working_time(due);
        let at_period_end = calendar.is_working_time(due - SignedDuration::from_nanos(1));
        prop_assert!(inside || at_period_end, "due {} is outside working time", due);
    }

    #[test]
    fn minutes_between_start_and_due_are_the_amount(
        index in calendar_index(),
        start in instant(),
        minutes in 0..20_000_u32,
    ) {
        let calendar = &calendars()[index];
        let due = calendar.add_working_minutes(start, minutes);
        prop_assert_eq!(calendar.working_minutes_between(start, due), i64::from(minutes));
        prop_assert_eq!(calendar.working_minutes_between(due, start), -i64::from(minutes));
    }

    #[test]
    fn working_duration_is_additive(
        index in calendar_index(),
        a in instant(),
        b in instant(),
        c in instant(),
    ) {
        let calendar = &calendars()[index];
        let whole = calendar.working_duration_between(a, c);
        let first = calendar.working_duration_between(a, b);
        let second = calendar.working_duration_between(b, c);
        let parts = first + second;
        prop_assert_eq!(whole, parts);
    }

    #[test]
    fn next_working_moment_is_working_time(index in calendar_index(), at in instant()) {
        let calendar = &calendars()[index];
        let next = calendar.next_working_moment(at);
        prop_assert!(next >= at);
        prop_assert!(calendar.is_working_time(next));
        prop_assert_eq!(calendar.working_duration_between(at, next), SignedDuration::ZERO);
    }

    #[test]
    fn nth_working_day_counts_working_days(
        index in calendar_index(),
        day in 0..DAYS,
        n in 1..400_u32,
    ) {
        let calendar = &calendars()[index];
        let start = first_day().saturating_add(day.days());
        let nth = calendar.nth_working_day_after(start, n);
        prop_assert!(calendar.is_working_day(nth));
        let mut counted = 0;
        let mut current = start;
        while current < nth {
            current = current.saturating_add(1.day());
            if calendar.is_working_day(current) {
                counted += 1;
            }
        }
        prop_assert_eq!(counted, n);
    }
}
