//! Yearly schedules of days off and make-up working days.
//!
//! A [`YearSchedule`] lists exactly the exceptions to the Monday–Friday working week: every
//! weekday that is a day off and every Saturday or Sunday that is a working day. A holiday that
//! falls on a weekend is not listed itself; its compensatory weekday is.

use crate::error::CalendarError;
use crate::holidays::{self, Holiday, is_weekend};
use crate::official;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Reason a day is an exception to the Monday–Friday week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A statutory public holiday on a weekday.
    Holiday,
    /// A weekday off in place of a holiday that fell on a Saturday or Sunday ("nghỉ bù").
    Compensatory,
    /// A weekday off that the government swapped with a Saturday
    /// ("hoán đổi ngày làm việc").
    Swapped,
    /// A Saturday or Sunday worked in return for a swapped day ("làm bù").
    MakeupWorkday,
}

impl DayKind {
    /// Returns whether the day is a day off; only [`DayKind::MakeupWorkday`] is a working day.
    pub const fn is_day_off(self) -> bool {
        !matches!(self, Self::MakeupWorkday)
    }

    /// Returns the snake_case name used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Holiday => "holiday",
            Self::Compensatory => "compensatory",
            Self::Swapped => "swapped",
            Self::MakeupWorkday => "makeup_workday",
        }
    }
}

impl fmt::Display for DayKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One exception to the Monday–Friday week, with its name in Vietnamese and English.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SpecialDay {
    /// The local date in Vietnam.
    pub date: Date,
    /// Vietnamese name, in Unicode NFC.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// Whether the day is a holiday, a compensatory or swapped day off, or a make-up working day.
    pub kind: DayKind,
}

impl SpecialDay {
    /// Creates a statutory holiday entry named after the holiday.
    pub fn holiday(date: Date, holiday: Holiday) -> Self {
        Self::named(date, holiday.name_vi(), holiday.name_en(), DayKind::Holiday)
    }

    /// Creates a compensatory day off ("Nghỉ bù").
    pub fn compensatory(date: Date) -> Self {
        Self::named(
            date,
            "Nghỉ bù",
            "Compensatory day off",
            DayKind::Compensatory,
        )
    }

    /// Creates a compensatory day off for `holiday`, which fell on a weekend
    /// ("Nghỉ bù Giỗ Tổ Hùng Vương").
    pub fn compensatory_for(date: Date, holiday: Holiday) -> Self {
        Self {
            date,
            name_vi: format!("Nghỉ bù {}", holiday.name_vi()),
            name_en: format!("Compensatory day off for {}", holiday.name_en()),
            kind: DayKind::Compensatory,
        }
    }

    /// Creates a weekday off swapped with a make-up working day ("Hoán đổi ngày làm việc").
    pub fn swapped(date: Date) -> Self {
        Self::named(
            date,
            "Hoán đổi ngày làm việc",
            "Swapped day off",
            DayKind::Swapped,
        )
    }

    /// Creates a make-up working day on a weekend ("Làm bù").
    pub fn makeup_workday(date: Date) -> Self {
        Self::named(
            date,
            "Làm bù",
            "Make-up working day",
            DayKind::MakeupWorkday,
        )
    }

    fn named(date: Date, name_vi: &str, name_en: &str, kind: DayKind) -> Self {
        Self {
            date,
            name_vi: name_vi.to_owned(),
            name_en: name_en.to_owned(),
            kind,
        }
    }
}

/// The exceptions to the Monday–Friday week in one year, sorted by date.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct YearSchedule {
    /// The Gregorian year.
    pub year: i16,
    /// Every weekday off and every weekend working day of the year, sorted by date.
    pub days: Vec<SpecialDay>,
}

impl YearSchedule {
    /// Checks an administrator's schedule: every date in `year`, sorted, listed once, days off
    /// only on Monday–Friday and make-up working days only on Saturday or Sunday.
    ///
    /// # Errors
    ///
    /// [`CalendarError::ScheduleDateOutsideYear`], [`CalendarError::ScheduleNotSorted`] or
    /// [`CalendarError::ScheduleKindMismatch`] for the first entry that breaks a rule.
    pub fn validate(&self) -> Result<(), CalendarError> {
        let mut previous: Option<Date> = None;
        for day in &self.days {
            if day.date.year() != self.year {
                return Err(CalendarError::ScheduleDateOutsideYear {
                    year: self.year,
                    date: day.date,
                });
            }
            if previous.is_some_and(|previous| previous >= day.date) {
                return Err(CalendarError::ScheduleNotSorted {
                    year: self.year,
                    date: day.date,
                });
            }
            if is_weekend(day.date) == day.kind.is_day_off() {
                return Err(CalendarError::ScheduleKindMismatch {
                    year: self.year,
                    date: day.date,
                    weekday: day.date.weekday(),
                    kind: day.kind,
                });
            }
            previous = Some(day.date);
        }
        Ok(())
    }

    /// Returns the entry for a date, if the date is an exception.
    pub fn get(&self, date: Date) -> Option<&SpecialDay> {
        self.days
            .binary_search_by(|day| day.date.cmp(&date))
            .ok()
            .map(|index| &self.days[index])
    }

    /// Returns the weekdays off (holidays, compensatory and swapped days).
    pub fn days_off(&self) -> impl Iterator<Item = &SpecialDay> {
        self.days.iter().filter(|day| day.kind.is_day_off())
    }

    /// Returns the make-up working days.
    pub fn makeup_workdays(&self) -> impl Iterator<Item = &SpecialDay> {
        self.days.iter().filter(|day| !day.kind.is_day_off())
    }
}

/// Years for which the crate carries the government's official schedule.
pub const OFFICIAL_YEARS: std::ops::RangeInclusive<i16> =
    official::FIRST_YEAR..=official::LAST_YEAR;

/// Returns the built-in schedule of a year: the government's official schedule for the years in
/// [`OFFICIAL_YEARS`], the Labour Code rule ([`holidays::rule_based_year`]) for the other years
/// of 1900..=2199, and an empty schedule (a plain Monday–Friday week) outside that range.
pub fn builtin_year(year: i16) -> YearSchedule {
    try_builtin_year(year).unwrap_or(YearSchedule {
        year,
        days: Vec::new(),
    })
}

/// Returns the built-in schedule of a year like [`builtin_year`], but fails outside 1900..=2199
/// instead of returning an empty schedule.
///
/// # Errors
///
/// [`CalendarError::YearOutOfRange`] if `year` is outside 1900..=2199.
pub fn try_builtin_year(year: i16) -> Result<YearSchedule, CalendarError> {
    match official::official_year(year) {
        Some(schedule) => Ok(schedule),
        None => holidays::rule_based_year(year),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn validate_rejects_weekend_day_off() {
        let schedule = YearSchedule {
            year: 2026,
            days: vec![SpecialDay::compensatory(date(2026, 1, 3))],
        };
        assert!(matches!(
            schedule.validate(),
            Err(CalendarError::ScheduleKindMismatch { .. })
        ));
    }

    #[test]
    fn validate_rejects_weekday_makeup() {
        let schedule = YearSchedule {
            year: 2026,
            days: vec![SpecialDay::makeup_workday(date(2026, 1, 5))],
        };
        assert!(matches!(
            schedule.validate(),
            Err(CalendarError::ScheduleKindMismatch { .. })
        ));
    }

    #[test]
    fn validate_rejects_unsorted_and_duplicates() {
        let unsorted = YearSchedule {
            year: 2026,
            days: vec![
                SpecialDay::swapped(date(2026, 1, 6)),
                SpecialDay::swapped(date(2026, 1, 5)),
            ],
        };
        assert!(matches!(
            unsorted.validate(),
            Err(CalendarError::ScheduleNotSorted { .. })
        ));
        let duplicate = YearSchedule {
            year: 2026,
            days: vec![
                SpecialDay::swapped(date(2026, 1, 5)),
                SpecialDay::swapped(date(2026, 1, 5)),
            ],
        };
        assert!(matches!(
            duplicate.validate(),
            Err(CalendarError::ScheduleNotSorted { .. })
        ));
    }

    #[test]
    fn validate_rejects_other_year() {
        let schedule = YearSchedule {
            year: 2026,
            days: vec![SpecialDay::swapped(date(2027, 1, 5))],
        };
        assert!(matches!(
            schedule.validate(),
            Err(CalendarError::ScheduleDateOutsideYear { .. })
        ));
    }

    #[test]
    fn builtin_outside_range_is_empty() {
        assert!(builtin_year(1899).days.is_empty());
        assert!(try_builtin_year(2200).is_err());
    }

    #[test]
    fn every_builtin_year_validates() {
        for year in 1900..=2199 {
            let schedule = try_builtin_year(year).unwrap();
            assert_eq!(schedule.validate(), Ok(()), "year {year}");
        }
    }
}
