//! Public holidays by rule, as the Labour Code 2019 (Bộ luật Lao động số 45/2019/QH14) sets
//! them in force since 2021.
//!
//! Article 112(1) gives 11 paid days: 1 January; 5 days of Tết Nguyên đán; 30 April; 1 May;
//! 2 September and one day next to it; the 10th day of the 3rd lunar month. Article 111(3)
//! moves a weekly rest day that coincides with a holiday to the next working day, which for
//! offices on a Monday–Friday week means the next weekday that is not a holiday ("nghỉ bù").
//!
//! Each year the government fixes the exact days of Tết and of the day next to National Day,
//! and often swaps a weekday off with a Saturday. [`crate::schedule::builtin_year`]
//! uses those decisions where the crate has them and this rule for every other year.
//!
//! NOTE: the rule is applied to every year from 1900 on. Before 2021 the law had fewer holidays
//! (one day for National Day, Hùng Kings' day only since 2007), so earlier years are not
//! historical schedules.
//!
//! TODO: Politburo Resolution 80-NQ/TW (January 2026) made 24 November, "Ngày Văn hóa Việt Nam",
//! a paid day off in principle, and Government Resolution 30/NQ-CP (February 2026) tasked an
//! amendment of Article 112(1). No amendment in force was found in reports up to February 2026,
//! so the rule leaves 24 November out. Add it from the year an amendment takes effect.

use crate::error::CalendarError;
use crate::lunar::{self, LunarDate};
use crate::schedule::{SpecialDay, YearSchedule};
use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A statutory public holiday of Article 112(1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Holiday {
    /// 1 January.
    NewYear,
    /// Five days around the first day of the lunar year.
    LunarNewYear,
    /// 10th day of the 3rd lunar month.
    HungKings,
    /// 30 April.
    ReunificationDay,
    /// 1 May.
    LabourDay,
    /// 2 September and one day next to it.
    NationalDay,
}

impl Holiday {
    /// Returns the holiday's Vietnamese name as the Labour Code writes it.
    pub const fn name_vi(self) -> &'static str {
        match self {
            Self::NewYear => "Tết Dương lịch",
            Self::LunarNewYear => "Tết Nguyên đán",
            Self::HungKings => "Giỗ Tổ Hùng Vương",
            Self::ReunificationDay => "Ngày Chiến thắng",
            Self::LabourDay => "Ngày Quốc tế lao động",
            Self::NationalDay => "Quốc khánh",
        }
    }

    /// Returns the holiday's usual English name.
    pub const fn name_en(self) -> &'static str {
        match self {
            Self::NewYear => "New Year's Day",
            Self::LunarNewYear => "Lunar New Year",
            Self::HungKings => "Hùng Kings' Commemoration Day",
            Self::ReunificationDay => "Reunification Day",
            Self::LabourDay => "International Labour Day",
            Self::NationalDay => "National Day",
        }
    }
}

pub(crate) fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// Returns the day the rule adds to 2 September.
///
/// The law allows the day before or after. The government picked 1 September in 2022, 2023,
/// 2025 and 2026, and 3 September in 2021 (2 September a Thursday) and 2024 (a Monday), each
/// time so the break joins a weekend. The rule follows that: 3 September when 2 September is a
/// Monday or Thursday, 1 September otherwise.
fn national_day_adjacent(year: i16) -> Date {
    let national_day = Date::constant(year, 9, 2);
    match national_day.weekday() {
        Weekday::Monday | Weekday::Thursday => Date::constant(year, 9, 3),
        _ => Date::constant(year, 9, 1),
    }
}

/// Lists the 11 statutory holiday dates of a year by rule, sorted by date.
///
/// Tết is the last day of the old lunar year and the first four days of the new one. The law
/// does not fix the split, so the rule takes the one the government announces most often.
///
/// # Errors
///
/// [`CalendarError::YearOutOfRange`] if `year` is outside 1900..=2199, where the lunar
/// calendar is not computed.
pub fn statutory_dates(year: i16) -> Result<Vec<(Date, Holiday)>, CalendarError> {
    let tet = lunar::new_year(year)?;
    let hung_kings = lunar::from_lunar(LunarDate::new(10, 3, year, false))?;

    let mut dates = vec![(Date::constant(year, 1, 1), Holiday::NewYear)];
    dates.extend((-1..=3).map(|offset| (tet.saturating_add(offset.days()), Holiday::LunarNewYear)));
    dates.extend([
        (hung_kings, Holiday::HungKings),
        (Date::constant(year, 4, 30), Holiday::ReunificationDay),
        (Date::constant(year, 5, 1), Holiday::LabourDay),
        (Date::constant(year, 9, 2), Holiday::NationalDay),
        (national_day_adjacent(year), Holiday::NationalDay),
    ]);
    dates.sort();
    Ok(dates)
}

/// Builds a year's schedule from the statutory holidays alone: every holiday on a weekday,
/// and one compensatory weekday for each holiday that falls on a Saturday or Sunday.
///
/// NOTE: when Hùng Kings' day falls on 30 April or 1 May the two holidays share one day off,
/// because the Labour Code has no rule for coinciding holidays.
///
/// # Errors
///
/// [`CalendarError::YearOutOfRange`] if `year` is outside 1900..=2199.
pub fn rule_based_year(year: i16) -> Result<YearSchedule, CalendarError> {
    let holidays = statutory_dates(year)?;
    let holiday_dates: BTreeSet<Date> = holidays.iter().map(|&(date, _)| date).collect();

    let mut days: BTreeMap<Date, SpecialDay> = BTreeMap::new();
    for &(date, holiday) in &holidays {
        if !is_weekend(date) {
            days.entry(date)
                .or_insert_with(|| SpecialDay::holiday(date, holiday));
        }
    }

    // Compensatory days go in date order, so a run of holidays over a weekend (Tết, or
    // 30 April – 1 May) pushes each one to the next free weekday.
    for &(date, holiday) in holidays.iter().filter(|&&(date, _)| is_weekend(date)) {
        let mut candidate = date.saturating_add(1.day());
        while is_weekend(candidate)
            || holiday_dates.contains(&candidate)
            || days.contains_key(&candidate)
        {
            candidate = candidate.saturating_add(1.day());
        }
        days.insert(candidate, SpecialDay::compensatory_for(candidate, holiday));
    }

    Ok(YearSchedule {
        year,
        days: days.into_values().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::DayKind;
    use jiff::civil::date;

    fn dates_of_kind(schedule: &YearSchedule, kind: DayKind) -> Vec<Date> {
        schedule
            .days
            .iter()
            .filter(|day| day.kind == kind)
            .map(|day| day.date)
            .collect()
    }

    #[test]
    fn national_day_adjacent_follows_recent_decisions() {
        assert_eq!(national_day_adjacent(2021), date(2021, 9, 3));
        assert_eq!(national_day_adjacent(2022), date(2022, 9, 1));
        assert_eq!(national_day_adjacent(2023), date(2023, 9, 1));
        assert_eq!(national_day_adjacent(2024), date(2024, 9, 3));
        assert_eq!(national_day_adjacent(2025), date(2025, 9, 1));
        assert_eq!(national_day_adjacent(2026), date(2026, 9, 1));
    }

    #[test]
    fn weekend_holidays_get_next_free_weekday() {
        // 2023: Hùng Kings' day on Saturday 29 April and 30 April on a Sunday, 1 May a Monday.
        let schedule = rule_based_year(2023).unwrap();
        let compensatory = dates_of_kind(&schedule, DayKind::Compensatory);
        assert!(compensatory.contains(&date(2023, 5, 2)));
        assert!(compensatory.contains(&date(2023, 5, 3)));
        assert!(compensatory.contains(&date(2023, 1, 2)));
    }

    #[test]
    fn every_rule_year_has_eleven_weekdays_off() {
        for year in 1900..=2199 {
            let schedule = rule_based_year(year).unwrap();
            let weekdays_off = schedule
                .days
                .iter()
                .filter(|day| day.kind.is_day_off())
                .count();
            let statutory: BTreeSet<Date> = statutory_dates(year)
                .unwrap()
                .into_iter()
                .map(|(d, _)| d)
                .collect();
            // One weekday off per distinct holiday date.
            assert_eq!(weekdays_off, statutory.len(), "year {year}");
            assert!(weekdays_off == 11 || weekdays_off == 10, "year {year}");
        }
    }
}
