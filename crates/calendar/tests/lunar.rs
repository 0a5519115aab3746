//! The lunar calendar against published dates, and round trips over the whole range.

use jiff::ToSpan;
use jiff::civil::date;
use theodoi_calendar::CalendarError;
use theodoi_calendar::lunar::{
    LunarDate, MAX_YEAR, MIN_YEAR, days_in_month, from_lunar, leap_month, new_year, to_lunar,
};

fn lunar(day: u8, month: u8, year: i16, leap: bool) -> LunarDate {
    LunarDate::new(day, month, year, leap)
}

/// Tết Nguyên đán 2000–2030. Published lists of Chinese New Year dates agree on these days
/// (the Wikipedia-derived table for 1996–2019, 4to40.com's list up to 2031). Vietnam differs
/// only in 2007 and 2030: Ho Ngoc Duc's "Computing the Vietnamese lunar calendar"
/// (informatik.uni-leipzig.de/~duc/amlich/calrules_en.html) lists them, with 2053, as the
/// 21st-century years in which Tết comes a day before the Chinese New Year.
const TET_2000_2030: [(i16, i8, i8); 31] = [
    (2000, 2, 5),
    (2001, 1, 24),
    (2002, 2, 12),
    (2003, 2, 1),
    (2004, 1, 22),
    (2005, 2, 9),
    (2006, 1, 29),
    (2007, 2, 17),
    (2008, 2, 7),
    (2009, 1, 26),
    (2010, 2, 14),
    (2011, 2, 3),
    (2012, 1, 23),
    (2013, 2, 10),
    (2014, 1, 31),
    (2015, 2, 19),
    (2016, 2, 8),
    (2017, 1, 28),
    (2018, 2, 16),
    (2019, 2, 5),
    (2020, 1, 25),
    (2021, 2, 12),
    (2022, 2, 1),
    (2023, 1, 22),
    (2024, 2, 10),
    (2025, 1, 29),
    (2026, 2, 17),
    (2027, 2, 6),
    (2028, 1, 26),
    (2029, 2, 13),
    (2030, 2, 2),
];

#[test]
fn tet_2000_to_2030_matches_table() {
    for (year, month, day) in TET_2000_2030 {
        let expected = date(year, month, day);
        assert_eq!(new_year(year).unwrap(), expected, "Tết {year}");
        assert_eq!(
            to_lunar(expected).unwrap(),
            lunar(1, 1, year, false),
            "Tết {year}"
        );
    }
}

#[test]
fn tet_differs_from_china_in_vietnam() {
    // 1985: a month earlier than China's 20 February, because the new moon of 21 January fell
    // before midnight in Hanoi and the solstice month shifted.
    assert_eq!(new_year(1985).unwrap(), date(1985, 1, 21));
    assert_eq!(new_year(2007).unwrap(), date(2007, 2, 17));
    assert_eq!(new_year(2030).unwrap(), date(2030, 2, 2));
    assert_eq!(new_year(2053).unwrap(), date(2053, 2, 18));
}

#[test]
fn leap_months_of_recent_years() {
    assert_eq!(leap_month(2020).unwrap(), Some(4));
    assert_eq!(leap_month(2023).unwrap(), Some(2));
    assert_eq!(leap_month(2025).unwrap(), Some(6));
    assert_eq!(leap_month(2024).unwrap(), None);
    assert_eq!(leap_month(2026).unwrap(), None);
}

#[test]
fn leap_month_4_of_2020() {
    // Leap month 4 runs 23 May – 20 June 2020 and month 5 starts 21 June.
    let before = to_lunar(date(2020, 5, 22)).unwrap();
    assert_eq!((before.month, before.leap), (4, false));
    assert_eq!(
        to_lunar(date(2020, 5, 23)).unwrap(),
        lunar(1, 4, 2020, true)
    );
    assert_eq!(
        to_lunar(date(2020, 6, 21)).unwrap(),
        lunar(1, 5, 2020, false)
    );
}

#[test]
fn leap_month_2_of_2023() {
    // Leap month 2 starts 22 March 2023 and month 3 starts 20 April.
    assert_eq!(
        to_lunar(date(2023, 3, 22)).unwrap(),
        lunar(1, 2, 2023, true)
    );
    assert_eq!(
        to_lunar(date(2023, 4, 20)).unwrap(),
        lunar(1, 3, 2023, false)
    );
}

#[test]
fn leap_month_6_of_2025() {
    // Leap month 6 starts 25 July 2025 and month 7 starts 23 August.
    assert_eq!(
        to_lunar(date(2025, 7, 25)).unwrap(),
        lunar(1, 6, 2025, true)
    );
    assert_eq!(
        to_lunar(date(2025, 8, 23)).unwrap(),
        lunar(1, 7, 2025, false)
    );
    assert_eq!(
        from_lunar(lunar(1, 6, 2025, true)).unwrap(),
        date(2025, 7, 25)
    );
}

#[test]
fn lunar_dates_in_official_announcements() {
    // The yearly holiday announcements give both calendars for the first and last days off.
    let cases = [
        (date(2023, 1, 20), lunar(29, 12, 2022, false)),
        (date(2023, 1, 26), lunar(5, 1, 2023, false)),
        (date(2024, 2, 8), lunar(29, 12, 2023, false)),
        (date(2024, 2, 14), lunar(5, 1, 2024, false)),
        (date(2025, 1, 25), lunar(26, 12, 2024, false)),
        (date(2025, 2, 2), lunar(5, 1, 2025, false)),
        (date(2026, 2, 14), lunar(27, 12, 2025, false)),
        (date(2026, 2, 16), lunar(29, 12, 2025, false)),
        (date(2026, 2, 20), lunar(4, 1, 2026, false)),
        (date(2026, 2, 22), lunar(6, 1, 2026, false)),
    ];
    for (gregorian, expected) in cases {
        assert_eq!(to_lunar(gregorian).unwrap(), expected, "{gregorian}");
    }
}

#[test]
fn tet_eve_is_29th_2025_to_2032() {
    // Tuổi Trẻ (25 January 2025): every Tết eve from 2025 to 2032 is the 29th of month 12,
    // after a 30th in 2024.
    assert_eq!(days_in_month(2023, 12, false).unwrap(), 30);
    for lunar_year in 2024..=2031 {
        assert_eq!(
            days_in_month(lunar_year, 12, false).unwrap(),
            29,
            "lunar year {lunar_year}"
        );
    }
}

#[test]
fn round_trip_every_day_1900_to_2199() {
    let mut day = date(MIN_YEAR, 1, 1);
    let last = date(MAX_YEAR, 12, 31);
    let mut previous: Option<LunarDate> = None;
    while day <= last {
        let converted = to_lunar(day).unwrap();
        assert_eq!(from_lunar(converted).unwrap(), day, "{day} -> {converted}");
        if let Some(previous) = previous {
            // Consecutive days advance by one lunar day or start a new month.
            let next_in_month = converted.day == previous.day + 1
                && converted.month == previous.month
                && converted.leap == previous.leap;
            assert!(
                next_in_month || converted.day == 1,
                "{day}: {previous} -> {converted}"
            );
        }
        previous = Some(converted);
        day = day.saturating_add(1.day());
    }
}

#[test]
fn conversion_rejects_years_out_of_range() {
    assert_eq!(
        to_lunar(date(1899, 12, 31)),
        Err(CalendarError::YearOutOfRange { year: 1899 })
    );
    assert_eq!(
        to_lunar(date(2200, 1, 1)),
        Err(CalendarError::YearOutOfRange { year: 2200 })
    );
    assert_eq!(
        new_year(2200),
        Err(CalendarError::YearOutOfRange { year: 2200 })
    );
    assert!(matches!(
        from_lunar(lunar(1, 1, 1850, false)),
        Err(CalendarError::LunarDateOutOfRange { .. })
    ));
    // Month 12 of lunar year 2199 ends in January 2200.
    let late = from_lunar(lunar(29, 12, 2199, false));
    assert!(
        matches!(late, Err(CalendarError::LunarDateOutOfRange { .. })),
        "{late:?}"
    );
}

#[test]
fn conversion_rejects_missing_leap_month() {
    let error = from_lunar(lunar(1, 4, 2024, true)).unwrap_err();
    assert_eq!(
        error,
        CalendarError::NoSuchLeapMonth {
            year: 2024,
            month: 4,
            leap_month: None
        }
    );
    assert_eq!(
        error.to_string(),
        "lunar year 2024 has no leap month 4; it has no leap month"
    );
    let error = from_lunar(lunar(1, 5, 2025, true)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "lunar year 2025 has no leap month 5; its leap month is 6"
    );
}

#[test]
fn conversion_rejects_day_past_month_end() {
    // Month 12 of lunar year 2025 has 29 days: Tết 2026 follows 29 Tháng Chạp.
    let error = from_lunar(lunar(30, 12, 2025, false)).unwrap_err();
    assert_eq!(
        error,
        CalendarError::InvalidLunarDay {
            lunar: lunar(30, 12, 2025, false),
            days_in_month: 29
        }
    );
    assert_eq!(
        error.to_string(),
        "lunar date 30/12/2025 is invalid: that month has 29 days; expected a day in 1..=29"
    );
    assert!(matches!(
        from_lunar(lunar(0, 1, 2025, false)),
        Err(CalendarError::InvalidLunarDay { .. })
    ));
}

#[test]
fn conversion_rejects_month_13() {
    assert_eq!(
        from_lunar(lunar(1, 13, 2025, false)),
        Err(CalendarError::InvalidLunarMonth { month: 13 })
    );
    assert_eq!(
        days_in_month(2025, 0, false),
        Err(CalendarError::InvalidLunarMonth { month: 0 })
    );
}

#[test]
fn lunar_date_serializes_as_fields() {
    let json = serde_json::to_value(lunar(10, 3, 2026, false)).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"day": 10, "month": 3, "year": 2026, "leap": false})
    );
}
