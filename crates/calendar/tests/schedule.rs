//! Holidays by rule and the built-in official schedules.

use jiff::civil::{Date, Weekday, date};
use theodoi_calendar::holidays::{Holiday, rule_based_year, statutory_dates};
use theodoi_calendar::schedule::{DayKind, OFFICIAL_YEARS, YearSchedule, builtin_year};
use theodoi_calendar::{WorkingCalendar, cli};

fn kind_on(schedule: &YearSchedule, day: Date) -> Option<DayKind> {
    schedule.get(day).map(|entry| entry.kind)
}

fn dates_of_kind(schedule: &YearSchedule, kind: DayKind) -> Vec<Date> {
    schedule
        .days
        .iter()
        .filter(|entry| entry.kind == kind)
        .map(|entry| entry.date)
        .collect()
}

fn hung_kings_day(year: i16) -> Date {
    statutory_dates(year)
        .unwrap()
        .into_iter()
        .find(|&(_, holiday)| holiday == Holiday::HungKings)
        .map(|(day, _)| day)
        .unwrap()
}

#[test]
fn hung_kings_day_for_several_years() {
    let expected = [
        (2019, date(2019, 4, 14)),
        (2020, date(2020, 4, 2)),
        (2021, date(2021, 4, 21)),
        (2022, date(2022, 4, 10)),
        (2023, date(2023, 4, 29)),
        (2024, date(2024, 4, 18)),
        (2025, date(2025, 4, 7)),
        (2026, date(2026, 4, 26)),
    ];
    for (year, day) in expected {
        assert_eq!(hung_kings_day(year), day, "Hùng Kings' day {year}");
    }
}

#[test]
fn schedule_2026_swaps_and_makeup_saturdays() {
    let schedule = builtin_year(2026);
    let calendar = WorkingCalendar::builtin();

    assert_eq!(
        kind_on(&schedule, date(2026, 1, 10)),
        Some(DayKind::MakeupWorkday)
    );
    assert!(calendar.is_working_day(date(2026, 1, 10)));
    assert_eq!(kind_on(&schedule, date(2026, 1, 2)), Some(DayKind::Swapped));
    assert!(!calendar.is_working_day(date(2026, 1, 2)));

    for day in 16..=20 {
        let tet_day = date(2026, 2, day);
        assert_eq!(
            kind_on(&schedule, tet_day),
            Some(DayKind::Holiday),
            "{tet_day}"
        );
        assert!(!calendar.is_working_day(tet_day), "{tet_day}");
    }
    assert!(calendar.is_working_day(date(2026, 2, 13)));
    assert!(calendar.is_working_day(date(2026, 2, 23)));

    // Hùng Kings' day is Sunday 26 April, compensated on Monday 27 April.
    assert_eq!(kind_on(&schedule, date(2026, 4, 26)), None);
    assert_eq!(
        kind_on(&schedule, date(2026, 4, 27)),
        Some(DayKind::Compensatory)
    );
    assert_eq!(
        kind_on(&schedule, date(2026, 4, 30)),
        Some(DayKind::Holiday)
    );
    assert_eq!(kind_on(&schedule, date(2026, 5, 1)), Some(DayKind::Holiday));

    assert_eq!(
        kind_on(&schedule, date(2026, 8, 22)),
        Some(DayKind::MakeupWorkday)
    );
    assert_eq!(
        kind_on(&schedule, date(2026, 8, 31)),
        Some(DayKind::Swapped)
    );
    assert_eq!(kind_on(&schedule, date(2026, 9, 1)), Some(DayKind::Holiday));
    assert_eq!(kind_on(&schedule, date(2026, 9, 2)), Some(DayKind::Holiday));
}

#[test]
fn schedule_2024_swaps_monday_29_april() {
    let schedule = builtin_year(2024);
    assert_eq!(
        kind_on(&schedule, date(2024, 4, 29)),
        Some(DayKind::Swapped)
    );
    assert_eq!(
        kind_on(&schedule, date(2024, 5, 4)),
        Some(DayKind::MakeupWorkday)
    );
    assert_eq!(
        dates_of_kind(&schedule, DayKind::Compensatory),
        [date(2024, 2, 13), date(2024, 2, 14)]
    );
}

#[test]
fn schedule_2025_swaps_friday_2_may() {
    let schedule = builtin_year(2025);
    assert_eq!(kind_on(&schedule, date(2025, 5, 2)), Some(DayKind::Swapped));
    assert_eq!(
        kind_on(&schedule, date(2025, 4, 26)),
        Some(DayKind::MakeupWorkday)
    );
    assert_eq!(kind_on(&schedule, date(2025, 4, 7)), Some(DayKind::Holiday));
    assert_eq!(kind_on(&schedule, date(2025, 9, 1)), Some(DayKind::Holiday));
    assert_eq!(kind_on(&schedule, date(2025, 9, 2)), Some(DayKind::Holiday));
}

#[test]
fn schedule_2023_compensates_weekend_holidays() {
    let schedule = builtin_year(2023);
    assert_eq!(
        dates_of_kind(&schedule, DayKind::Compensatory),
        [
            date(2023, 1, 2),
            date(2023, 1, 25),
            date(2023, 1, 26),
            date(2023, 5, 2),
            date(2023, 5, 3),
            date(2023, 9, 4),
        ]
    );
    assert!(dates_of_kind(&schedule, DayKind::MakeupWorkday).is_empty());
}

#[test]
fn official_year_day_counts() {
    // (year, entries, weekdays off, make-up working days)
    let expected = [
        (2023, 11, 11, 0),
        (2024, 13, 12, 1),
        (2025, 13, 12, 1),
        (2026, 15, 13, 2),
    ];
    for (year, entries, days_off, makeup) in expected {
        let schedule = builtin_year(year);
        assert_eq!(schedule.days.len(), entries, "entries in {year}");
        assert_eq!(
            schedule.days_off().count(),
            days_off,
            "weekdays off in {year}"
        );
        assert_eq!(
            schedule.makeup_workdays().count(),
            makeup,
            "make-up days in {year}"
        );
    }
}

#[test]
fn official_years_balance_swaps_with_makeup_days() {
    for year in OFFICIAL_YEARS {
        let schedule = builtin_year(year);
        assert_eq!(schedule.validate(), Ok(()), "{year}");
        let swapped = dates_of_kind(&schedule, DayKind::Swapped).len();
        let makeup = dates_of_kind(&schedule, DayKind::MakeupWorkday).len();
        assert_eq!(swapped, makeup, "swapped and make-up days in {year}");
        // Each of the 11 statutory days off gives one weekday off, on the day or as
        // compensation; swaps add their own.
        assert_eq!(
            schedule.days_off().count(),
            11 + swapped,
            "weekdays off in {year}"
        );
    }
}

#[test]
fn official_2026_is_the_rule_plus_two_swaps() {
    let mut official = builtin_year(2026);
    official
        .days
        .retain(|entry| !matches!(entry.kind, DayKind::Swapped | DayKind::MakeupWorkday));
    assert_eq!(official, rule_based_year(2026).unwrap());
}

#[test]
fn official_2023_differs_from_rule_only_at_tet() {
    let outside_tet = |schedule: YearSchedule| -> Vec<(Date, DayKind)> {
        schedule
            .days
            .into_iter()
            .filter(|entry| entry.date.month() != 1 || entry.date.day() < 15)
            .map(|entry| (entry.date, entry.kind))
            .collect()
    };
    assert_eq!(
        outside_tet(builtin_year(2023)),
        outside_tet(rule_based_year(2023).unwrap())
    );
}

#[test]
fn weekend_holidays_are_not_listed() {
    for year in 1900..=2199 {
        for entry in &builtin_year(year).days {
            let weekend = matches!(entry.date.weekday(), Weekday::Saturday | Weekday::Sunday);
            assert_eq!(
                weekend,
                entry.kind == DayKind::MakeupWorkday,
                "{}",
                entry.date
            );
        }
    }
}

#[test]
fn names_are_vietnamese_and_english() {
    let schedule = builtin_year(2026);
    let names = |day: Date| {
        let entry = schedule.get(day).unwrap();
        (entry.name_vi.as_str(), entry.name_en.as_str())
    };
    assert_eq!(
        names(date(2026, 1, 1)),
        ("Tết Dương lịch", "New Year's Day")
    );
    assert_eq!(
        names(date(2026, 2, 17)),
        ("Tết Nguyên đán", "Lunar New Year")
    );
    assert_eq!(
        names(date(2026, 4, 27)),
        (
            "Nghỉ bù Giỗ Tổ Hùng Vương",
            "Compensatory day off for Hùng Kings' Commemoration Day"
        )
    );
    assert_eq!(
        names(date(2026, 4, 30)),
        ("Ngày Chiến thắng", "Reunification Day")
    );
    assert_eq!(
        names(date(2026, 5, 1)),
        ("Ngày Quốc tế lao động", "International Labour Day")
    );
    assert_eq!(
        names(date(2026, 1, 2)),
        ("Hoán đổi ngày làm việc", "Swapped day off")
    );
    assert_eq!(names(date(2026, 1, 10)), ("Làm bù", "Make-up working day"));
    assert_eq!(names(date(2026, 9, 2)), ("Quốc khánh", "National Day"));
    assert_eq!(
        Holiday::HungKings.name_vi(),
        "Gi\u{1ed7} T\u{1ed5} H\u{f9}ng V\u{1b0}\u{1a1}ng"
    );
}

#[test]
fn vietnamese_names_are_nfc() {
    // NFC keeps each accented letter as one precomposed code point, so no name may contain a
    // combining mark (U+0300..U+036F, U+0323 and the other Vietnamese tone marks among them).
    for year in [2023, 2024, 2025, 2026, 2027] {
        for entry in &builtin_year(year).days {
            assert!(
                !entry
                    .name_vi
                    .chars()
                    .any(|c| ('\u{300}'..='\u{36f}').contains(&c)),
                "{:?}",
                entry.name_vi
            );
        }
    }
}

#[test]
fn holidays_json_lists_2026() {
    let json = cli::holidays_json(2026).unwrap();
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 15);
    assert_eq!(
        rows[1],
        serde_json::json!({
            "date": "2026-01-02",
            "name": "Hoán đổi ngày làm việc",
            "kind": "swapped"
        })
    );
    assert_eq!(
        rows[2],
        serde_json::json!({"date": "2026-01-10", "name": "Làm bù", "kind": "makeup_workday"})
    );
    assert_eq!(rows[8]["kind"], "compensatory");
    assert_eq!(rows[3]["kind"], "holiday");
}

#[test]
fn rule_years_use_tet_default_split() {
    // 2027: Tết is Saturday 6 February, so the eve (Friday 5 February) is off and the two
    // weekend days of Tết are compensated after mùng 4 (Tuesday 9 February).
    let schedule = builtin_year(2027);
    assert_eq!(kind_on(&schedule, date(2027, 2, 5)), Some(DayKind::Holiday));
    assert_eq!(kind_on(&schedule, date(2027, 2, 8)), Some(DayKind::Holiday));
    assert_eq!(kind_on(&schedule, date(2027, 2, 9)), Some(DayKind::Holiday));
    assert_eq!(
        kind_on(&schedule, date(2027, 2, 10)),
        Some(DayKind::Compensatory)
    );
    assert_eq!(
        kind_on(&schedule, date(2027, 2, 11)),
        Some(DayKind::Compensatory)
    );
}

#[test]
fn year_schedule_serde_round_trip() {
    let schedule = builtin_year(2026);
    let json = serde_json::to_value(&schedule).unwrap();
    assert_eq!(json["year"], 2026);
    assert_eq!(json["days"][2]["date"], "2026-01-10");
    assert_eq!(json["days"][2]["name_vi"], "Làm bù");
    assert_eq!(json["days"][2]["kind"], "makeup_workday");
    let back: YearSchedule = serde_json::from_value(json).unwrap();
    assert_eq!(back, schedule);
}
