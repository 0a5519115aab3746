//! The government's published schedules for civil servants, 2023–2026, as data.
//!
//! Each year lists exactly its exceptions to the Monday–Friday week. The sources are the
//! Government Office (Văn phòng Chính phủ, VPCP) letters that convey the Prime Minister's
//! decisions. The ministry then announces them: the Ministry of Labour, Invalids and Social
//! Affairs (Bộ LĐTBXH) until its merger in 2025, the Ministry of Home Affairs (Bộ Nội vụ)
//! after it. Holidays the decisions do not mention follow the Labour Code rule, so those
//! entries match [`crate::holidays::rule_based_year`].

use crate::holidays::Holiday;
use crate::schedule::{DayKind, SpecialDay, YearSchedule};
use jiff::civil::Date;

pub(crate) const FIRST_YEAR: i16 = 2023;
pub(crate) const LAST_YEAR: i16 = 2026;

#[derive(Debug, Clone, Copy)]
enum Entry {
    Holiday(Holiday),
    Compensatory,
    Swapped,
    MakeupWorkday,
}

use Entry::{Compensatory, MakeupWorkday, Swapped};
const NEW_YEAR: Entry = Entry::Holiday(Holiday::NewYear);
const TET: Entry = Entry::Holiday(Holiday::LunarNewYear);
const HUNG_KINGS: Entry = Entry::Holiday(Holiday::HungKings);
const REUNIFICATION: Entry = Entry::Holiday(Holiday::ReunificationDay);
const LABOUR_DAY: Entry = Entry::Holiday(Holiday::LabourDay);
const NATIONAL_DAY: Entry = Entry::Holiday(Holiday::NationalDay);

/// The 2023 schedule, from VPCP letter 8056/VPCP-KGVX of 1 December 2022 (Deputy Prime
/// Minister Vũ Đức Đam). Tết is 20–26 January (29 Tháng Chạp to mùng 5) and National Day
/// 1–4 September. The other holidays follow the Labour Code: New Year's Day falls on a Sunday,
/// Hùng Kings' day on Saturday 29 April and 30 April on a Sunday, each compensated on the next
/// free weekday.
const YEAR_2023: &[(i8, i8, Entry)] = &[
    (1, 2, Compensatory),
    (1, 20, TET),
    (1, 23, TET),
    (1, 24, TET),
    (1, 25, Compensatory),
    (1, 26, Compensatory),
    (5, 1, LABOUR_DAY),
    (5, 2, Compensatory),
    (5, 3, Compensatory),
    (9, 1, NATIONAL_DAY),
    (9, 4, Compensatory),
];

/// The 2024 schedule, from MoLISA announcement 5015/TB-LĐTBXH of 22 November 2023, which
/// follows VPCP letter 8662/VPCP-KGVX of 3 November 2023. Tết is 8–14 February (29 Tháng Chạp
/// to mùng 5, with two compensatory days) and National Day 31 August – 3 September. VPCP
/// letter 2450/VPCP-KGVX of 12 April 2024 swaps Monday 29 April for Saturday 4 May, for a
/// 27 April – 1 May break.
const YEAR_2024: &[(i8, i8, Entry)] = &[
    (1, 1, NEW_YEAR),
    (2, 8, TET),
    (2, 9, TET),
    (2, 12, TET),
    (2, 13, Compensatory),
    (2, 14, Compensatory),
    (4, 18, HUNG_KINGS),
    (4, 29, Swapped),
    (4, 30, REUNIFICATION),
    (5, 1, LABOUR_DAY),
    (5, 4, MakeupWorkday),
    (9, 2, NATIONAL_DAY),
    (9, 3, NATIONAL_DAY),
];

/// The 2025 schedule, from VPCP letter 8726/VPCP-KGVX of 26 November 2024 and the MoLISA
/// announcement signed 3 December 2024. Tết is 25 January – 2 February, with weekdays
/// 27–31 January off (28 Tháng Chạp to mùng 3). The 30 April – 4 May break swaps Friday 2 May
/// for Saturday 26 April. National Day is 30 August – 2 September.
const YEAR_2025: &[(i8, i8, Entry)] = &[
    (1, 1, NEW_YEAR),
    (1, 27, TET),
    (1, 28, TET),
    (1, 29, TET),
    (1, 30, TET),
    (1, 31, TET),
    (4, 7, HUNG_KINGS),
    (4, 26, MakeupWorkday),
    (4, 30, REUNIFICATION),
    (5, 1, LABOUR_DAY),
    (5, 2, Swapped),
    (9, 1, NATIONAL_DAY),
    (9, 2, NATIONAL_DAY),
];

/// The 2026 schedule. VPCP letter 12729/VPCP-KGVX of 25 December 2025 gives New Year
/// 1–4 January, swapping Friday 2 January for Saturday 10 January. Ministry of Home Affairs
/// announcement 9441/TB-BNV of 16 October 2025 gives Tết 14–22 February (weekdays
/// 16–20 February, 29 Tháng Chạp to mùng 4) and National Day 29 August – 2 September, swapping
/// Monday 31 August for Saturday 22 August. Hùng Kings' day falls on Sunday 26 April and is
/// compensated on Monday 27 April under the Labour Code.
const YEAR_2026: &[(i8, i8, Entry)] = &[
    (1, 1, NEW_YEAR),
    (1, 2, Swapped),
    (1, 10, MakeupWorkday),
    (2, 16, TET),
    (2, 17, TET),
    (2, 18, TET),
    (2, 19, TET),
    (2, 20, TET),
    (4, 27, Compensatory),
    (4, 30, REUNIFICATION),
    (5, 1, LABOUR_DAY),
    (8, 22, MakeupWorkday),
    (8, 31, Swapped),
    (9, 1, NATIONAL_DAY),
    (9, 2, NATIONAL_DAY),
];

/// Returns the official schedule of `year`, or `None` if the crate has none for it.
pub(crate) fn official_year(year: i16) -> Option<YearSchedule> {
    let entries = match year {
        2023 => YEAR_2023,
        2024 => YEAR_2024,
        2025 => YEAR_2025,
        2026 => YEAR_2026,
        _ => return None,
    };
    // The rules name each compensatory day after the holiday it replaces; the official
    // schedules move the same days, so their names are taken from there when the dates agree.
    let by_rule = crate::holidays::rule_based_year(year).ok();
    let days = entries
        .iter()
        .map(|&(month, day, entry)| {
            let date = Date::constant(year, month, day);
            match entry {
                Entry::Holiday(holiday) => SpecialDay::holiday(date, holiday),
                Entry::Compensatory => by_rule
                    .as_ref()
                    .and_then(|rule| rule.get(date))
                    .filter(|known| known.kind == DayKind::Compensatory)
                    .cloned()
                    .unwrap_or_else(|| SpecialDay::compensatory(date)),
                Entry::Swapped => SpecialDay::swapped(date),
                Entry::MakeupWorkday => SpecialDay::makeup_workday(date),
            }
        })
        .collect();
    Some(YearSchedule { year, days })
}
