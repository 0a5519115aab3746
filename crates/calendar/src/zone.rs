//! The Asia/Ho_Chi_Minh time zone as the calendar uses it: a fixed UTC+07:00 offset.
//!
//! Vietnam has kept UTC+07:00 without daylight saving time since 1975. Earlier offsets of the
//! IANA zone (for example +08:00 in the South before 1975) are deliberately ignored, so every
//! instant maps to local time the same way.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};

/// The UTC offset of Vietnam, +07:00.
pub const VIETNAM_OFFSET: Offset = Offset::constant(7);

/// Returns the Vietnamese time zone as a fixed +07:00 offset with no daylight saving time.
pub fn vietnam_tz() -> TimeZone {
    TimeZone::fixed(VIETNAM_OFFSET)
}

/// Converts an instant to the local date and time in Vietnam.
pub fn local_datetime(ts: Timestamp) -> DateTime {
    VIETNAM_OFFSET.to_datetime(ts)
}

/// Returns the local date in Vietnam of an instant.
pub fn local_date(ts: Timestamp) -> Date {
    local_datetime(ts).date()
}

/// Converts a local date and time in Vietnam to an instant.
///
/// The only local times without an instant are the first seven hours of the year -9999;
/// they saturate to [`Timestamp::MIN`].
pub fn at_local(dt: DateTime) -> Timestamp {
    VIETNAM_OFFSET.to_timestamp(dt).unwrap_or(Timestamp::MIN)
}

/// Returns the instant a local date ends: 00:00 of the next day at +07:00.
///
/// A deadline given as a date means the end of that day in Vietnam. For the last
/// representable date, 9999-12-31, this saturates to [`Timestamp::MAX`].
pub fn end_of_day(date: Date) -> Timestamp {
    match date.tomorrow() {
        Ok(next) => at_local(next.to_datetime(Time::midnight())),
        Err(_) => Timestamp::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn local_datetime_adds_seven_hours() {
        let ts: Timestamp = "2026-02-13T02:00:00Z".parse().unwrap();
        assert_eq!(local_datetime(ts), date(2026, 2, 13).at(9, 0, 0, 0));
        assert_eq!(at_local(date(2026, 2, 13).at(9, 0, 0, 0)), ts);
    }

    #[test]
    fn end_of_day_is_next_local_midnight() {
        let end = end_of_day(date(2026, 12, 31));
        assert_eq!(end, "2026-12-31T17:00:00Z".parse::<Timestamp>().unwrap());
        assert_eq!(end_of_day(Date::MAX), Timestamp::MAX);
    }

    #[test]
    fn earliest_local_time_saturates() {
        assert_eq!(at_local(DateTime::MIN), Timestamp::MIN);
    }
}
