//! Conversions between civil dates and Julian Day Numbers, the day count of the astronomy code.

use jiff::Span;
use jiff::civil::Date;

/// Julian Day Number of 1970-01-01.
const UNIX_EPOCH_JDN: i32 = 2_440_588;

const UNIX_EPOCH_DATE: Date = Date::constant(1970, 1, 1);

/// Returns the Julian Day Number (the day count that starts at noon, 4713 BC) of a date.
pub(crate) fn julian_day_number(date: Date) -> i32 {
    let days = date.duration_since(UNIX_EPOCH_DATE).as_secs() / 86_400;
    // Any jiff date is within ±3.7 million days of 1970, far inside i32.
    UNIX_EPOCH_JDN + days as i32
}

/// Returns the date of a Julian Day Number, or `None` outside jiff's years -9999..=9999.
pub(crate) fn date_from_julian_day_number(jdn: i32) -> Option<Date> {
    let span = Span::new().try_days(i64::from(jdn - UNIX_EPOCH_JDN)).ok()?;
    UNIX_EPOCH_DATE.checked_add(span).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn julian_day_number_of_known_dates() {
        assert_eq!(julian_day_number(date(2000, 1, 1)), 2_451_545);
        assert_eq!(julian_day_number(date(1900, 1, 1)), 2_415_021);
        assert_eq!(
            date_from_julian_day_number(2_451_545),
            Some(date(2000, 1, 1))
        );
        assert_eq!(date_from_julian_day_number(i32::MAX), None);
    }
}
