//! The Vietnamese lunar calendar ("âm lịch"), computed astronomically for UTC+07:00.
//!
//! Months start on the local day of a new moon, the winter solstice falls in month 11 and a
//! leap month is the first month after month 11 without a principal term. Vietnam computes
//! local days at UTC+07:00 and China at UTC+08:00, so the calendars differ when a new moon
//! falls between 23:00 and 24:00 Hanoi time. Tết was 21 January 1985 in Vietnam and
//! 20 February 1985 in China. It was 17 February 2007 (China 18 February) and will be
//! 2 February 2030 (China 3 February).
//!
//! Conversions cover Gregorian dates from 1900-01-01 to 2199-12-31.
//!
//! NOTE: North Vietnam switched its official lunar calendar from the Beijing meridian to
//! UTC+07:00 in August 1967 and the South followed in 1975. Dates before 1968 are computed for
//! UTC+07:00 too, so they can differ by a day from calendars printed at the time.

mod table;

use crate::days::{date_from_julian_day_number, julian_day_number};
use crate::error::CalendarError;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::OnceLock;
use table::LunarTable;

/// First Gregorian year that the conversions cover.
pub const MIN_YEAR: i16 = 1900;

/// Last Gregorian year that the conversions cover.
pub const MAX_YEAR: i16 = 2199;

/// A date of the Vietnamese lunar calendar.
///
/// `year` is the Gregorian year in which the lunar year begins, so the days before Tết belong
/// to the previous year: 16 February 2026 is day 29, month 12 of lunar year 2025.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LunarDate {
    /// Day of the month, 1..=30.
    pub day: u8,
    /// Month number, 1..=12; a leap month repeats the number of the month before it.
    pub month: u8,
    /// Lunar year, named by the Gregorian year in which it begins.
    pub year: i16,
    /// Whether the month is a leap ("nhuận") month.
    pub leap: bool,
}

impl LunarDate {
    /// Creates a lunar date without checking it; [`from_lunar`] checks it against the calendar.
    pub const fn new(day: u8, month: u8, year: i16, leap: bool) -> Self {
        Self {
            day,
            month,
            year,
            leap,
        }
    }
}

impl fmt::Display for LunarDate {
    /// Formats as day/month/year, the Vietnamese order, marking leap months:
    /// `15/4/2020 (leap month)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.day, self.month, self.year)?;
        if self.leap {
            f.write_str(" (leap month)")?;
        }
        Ok(())
    }
}

fn table() -> &'static LunarTable {
    static TABLE: OnceLock<LunarTable> = OnceLock::new();
    TABLE.get_or_init(|| LunarTable::build(MIN_YEAR, MAX_YEAR))
}

fn check_year(year: i16) -> Result<(), CalendarError> {
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(CalendarError::YearOutOfRange {
            year: i32::from(year),
        })
    }
}

/// Converts a Gregorian date to the Vietnamese lunar calendar.
///
/// # Errors
///
/// [`CalendarError::YearOutOfRange`] if the date is outside 1900..=2199.
pub fn to_lunar(date: Date) -> Result<LunarDate, CalendarError> {
    check_year(date.year())?;
    let jdn = julian_day_number(date);
    let (_, month) = table()
        .month_containing(jdn)
        .ok_or(CalendarError::YearOutOfRange {
            year: i32::from(date.year()),
        })?;
    Ok(LunarDate {
        // A day offset within a month is at most 29.
        day: (jdn - month.start + 1) as u8,
        month: month.number,
        year: month.year,
        leap: month.leap,
    })
}

/// Converts a Vietnamese lunar date to the Gregorian calendar.
///
/// # Errors
///
/// - [`CalendarError::InvalidLunarMonth`] if the month is not 1..=12;
/// - [`CalendarError::NoSuchLeapMonth`] if `leap` is set and that year has no such leap month;
/// - [`CalendarError::InvalidLunarDay`] if the day is 0 or past the end of the month
///   (29 or 30 days);
/// - [`CalendarError::LunarDateOutOfRange`] if the date is not within 1900-01-01..=2199-12-31.
pub fn from_lunar(lunar: LunarDate) -> Result<Date, CalendarError> {
    if !(1..=12).contains(&lunar.month) {
        return Err(CalendarError::InvalidLunarMonth { month: lunar.month });
    }
    let out_of_range = CalendarError::LunarDateOutOfRange { lunar };
    // Lunar year 1899 ends in early 1900 and lunar year 2200 has not begun by the end of 2199.
    if !(MIN_YEAR - 1..=MAX_YEAR).contains(&lunar.year) {
        return Err(out_of_range);
    }

    let table = table();
    let Some((index, month)) = table.find(lunar.year, lunar.month, lunar.leap) else {
        if lunar.leap && (MIN_YEAR..=MAX_YEAR).contains(&lunar.year) {
            return Err(CalendarError::NoSuchLeapMonth {
                year: lunar.year,
                month: lunar.month,
                leap_month: leap_month(lunar.year)?,
            });
        }
        return Err(out_of_range);
    };

    let days_in_month = table.length(index);
    if lunar.day == 0 || lunar.day > days_in_month {
        return Err(CalendarError::InvalidLunarDay {
            lunar,
            days_in_month,
        });
    }

    let date = date_from_julian_day_number(month.start + i32::from(lunar.day) - 1)
        .ok_or_else(|| out_of_range.clone())?;
    if (MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        Ok(date)
    } else {
        Err(out_of_range)
    }
}

/// Returns the Gregorian date of Tết Nguyên đán, day 1 of month 1 of the lunar year `year`.
///
/// # Errors
///
/// [`CalendarError::YearOutOfRange`] if `year` is outside 1900..=2199.
pub fn new_year(year: i16) -> Result<Date, CalendarError> {
    check_year(year)?;
    from_lunar(LunarDate::new(1, 1, year, false))
}

/// Returns the number of the leap month of the lunar year `year`, or `None` in a common year.
///
/// # Errors
///
/// [`CalendarError::YearOutOfRange`] if `year` is outside 1900..=2199.
pub fn leap_month(year: i16) -> Result<Option<u8>, CalendarError> {
    check_year(year)?;
    Ok(table()
        .year_months(year)
        .iter()
        .find(|month| month.leap)
        .map(|month| month.number))
}

/// Returns the number of days (29 or 30) of a month of the lunar year `year`.
///
/// # Errors
///
/// As [`from_lunar`] for an invalid month or leap month, and
/// [`CalendarError::YearOutOfRange`] if `year` is outside 1900..=2199.
pub fn days_in_month(year: i16, month: u8, leap: bool) -> Result<u8, CalendarError> {
    check_year(year)?;
    if !(1..=12).contains(&month) {
        return Err(CalendarError::InvalidLunarMonth { month });
    }
    let table = table();
    match table.find(year, month, leap) {
        Some((index, _)) => Ok(table.length(index)),
        None => Err(CalendarError::NoSuchLeapMonth {
            year,
            month,
            leap_month: leap_month(year)?,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn every_lunar_year_has_12_or_13_months() {
        for year in MIN_YEAR..=MAX_YEAR {
            let months = table().year_months(year);
            let leap = leap_month(year).unwrap();
            let expected = if leap.is_some() { 13 } else { 12 };
            assert_eq!(months.len(), expected, "lunar year {year}");
            let numbers: Vec<u8> = months
                .iter()
                .filter(|m| !m.leap)
                .map(|m| m.number)
                .collect();
            assert_eq!(numbers, (1..=12).collect::<Vec<u8>>(), "lunar year {year}");
        }
    }

    #[test]
    fn months_are_29_or_30_days() {
        for year in MIN_YEAR..=MAX_YEAR {
            for month in 1..=12 {
                let days = days_in_month(year, month, false).unwrap();
                assert!(days == 29 || days == 30, "{month}/{year} has {days} days");
            }
        }
    }

    #[test]
    fn table_covers_the_whole_range() {
        assert_eq!(to_lunar(date(1900, 1, 1)).unwrap().year, 1899);
        assert_eq!(to_lunar(date(2199, 12, 31)).unwrap().year, 2199);
    }
}
