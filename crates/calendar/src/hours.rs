//! Daily working hours: an ordered list of non-overlapping periods within one day.

use crate::error::CalendarError;
use jiff::SignedDuration;
use jiff::civil::Time;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// One working period of a day, from `start` (inclusive) to `end` (exclusive), in whole
/// minutes. A period ends at 23:59 at the latest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorkingPeriod {
    start: Time,
    end: Time,
}

impl WorkingPeriod {
    /// Creates a period from whole-minute times.
    ///
    /// # Errors
    ///
    /// [`CalendarError::InvalidWorkingPeriod`] if a time has seconds or if `end` is not after
    /// `start`.
    pub fn new(start: Time, end: Time) -> Result<Self, CalendarError> {
        let invalid = |reason: String| CalendarError::InvalidWorkingPeriod {
            period: format!("{}-{}", format_time(start), format_time(end)),
            reason,
        };
        for time in [start, end] {
            if time.second() != 0 || time.subsec_nanosecond() != 0 {
                return Err(invalid(format!(
                    "{time} has seconds; periods use whole minutes"
                )));
            }
        }
        if end <= start {
            return Err(invalid(format!(
                "end {} is not after start {}",
                format_time(end),
                format_time(start)
            )));
        }
        Ok(Self { start, end })
    }

    /// Returns the first minute of the period.
    pub fn start(&self) -> Time {
        self.start
    }

    /// Returns the end of the period, the first minute after it.
    pub fn end(&self) -> Time {
        self.end
    }

    /// Returns the period's length.
    pub fn duration(&self) -> SignedDuration {
        self.end.duration_since(self.start)
    }
}

impl fmt::Display for WorkingPeriod {
    /// Formats as `HH:MM-HH:MM`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", format_time(self.start), format_time(self.end))
    }
}

fn format_time(time: Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// Parses `H:MM` or `HH:MM`, 00:00 to 23:59.
fn parse_time(text: &str, period: &str) -> Result<Time, CalendarError> {
    let invalid = || CalendarError::InvalidWorkingPeriod {
        period: period.to_owned(),
        reason: format!("\"{text}\" is not a time of day; expected HH:MM from 00:00 to 23:59"),
    };
    let (hour, minute) = text.split_once(':').ok_or_else(invalid)?;
    let digits = |part: &str, max_len: usize| {
        !part.is_empty() && part.len() <= max_len && part.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(hour, 2) || !digits(minute, 2) || minute.len() != 2 {
        return Err(invalid());
    }
    let hour: i8 = hour.parse().map_err(|_| invalid())?;
    let minute: i8 = minute.parse().map_err(|_| invalid())?;
    Time::new(hour, minute, 0, 0).map_err(|_| invalid())
}

fn parse_period(text: &str) -> Result<WorkingPeriod, CalendarError> {
    let (start, end) = text
        .split_once('-')
        .ok_or_else(|| CalendarError::InvalidWorkingPeriod {
            period: text.to_owned(),
            reason: "expected HH:MM-HH:MM".to_owned(),
        })?;
    let start = parse_time(start.trim(), text)?;
    let end = parse_time(end.trim(), text)?;
    WorkingPeriod::new(start, end).map_err(|error| match error {
        CalendarError::InvalidWorkingPeriod { reason, .. } => CalendarError::InvalidWorkingPeriod {
            period: text.to_owned(),
            reason,
        },
        other => other,
    })
}

/// The working periods of every working day, in time order and without overlap.
///
/// The default is 08:00–12:00 and 13:00–17:00. The text form, used by [`FromStr`],
/// [`fmt::Display`] and serde, is a comma-separated list such as `"08:00-12:00,13:30-17:00"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WorkingHours {
    periods: Vec<WorkingPeriod>,
}

impl WorkingHours {
    /// Creates working hours from periods.
    ///
    /// # Errors
    ///
    /// [`CalendarError::EmptyWorkingHours`] for no periods, and
    /// [`CalendarError::WorkingPeriodsOutOfOrder`] if a period starts before the previous
    /// one ends.
    pub fn new(periods: Vec<WorkingPeriod>) -> Result<Self, CalendarError> {
        if periods.is_empty() {
            return Err(CalendarError::EmptyWorkingHours);
        }
        for pair in periods.windows(2) {
            if pair[1].start < pair[0].end {
                return Err(CalendarError::WorkingPeriodsOutOfOrder {
                    previous: pair[0].to_string(),
                    next: pair[1].to_string(),
                });
            }
        }
        Ok(Self { periods })
    }

    /// Returns the periods in time order.
    pub fn periods(&self) -> &[WorkingPeriod] {
        &self.periods
    }

    /// Returns the total working time of one working day.
    pub fn daily_duration(&self) -> SignedDuration {
        self.periods.iter().map(WorkingPeriod::duration).sum()
    }

    /// Returns the end of the last period of the day.
    pub fn day_end(&self) -> Time {
        // `new` rejects an empty list.
        self.periods[self.periods.len() - 1].end
    }
}

impl Default for WorkingHours {
    /// 08:00–12:00 and 13:00–17:00, the usual hours of Vietnamese state offices.
    fn default() -> Self {
        let period = |start: i8, end: i8| WorkingPeriod {
            start: Time::constant(start, 0, 0, 0),
            end: Time::constant(end, 0, 0, 0),
        };
        Self {
            periods: vec![period(8, 12), period(13, 17)],
        }
    }
}

impl FromStr for WorkingHours {
    type Err = CalendarError;

    /// Parses `"08:00-12:00,13:30-17:00"`; spaces around times and commas are allowed.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.trim().is_empty() {
            return Err(CalendarError::EmptyWorkingHours);
        }
        let periods = text
            .split(',')
            .map(|period| parse_period(period.trim()))
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(periods)
    }
}

impl fmt::Display for WorkingHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, period) in self.periods.iter().enumerate() {
            if index > 0 {
                f.write_str(",")?;
            }
            write!(f, "{period}")?;
        }
        Ok(())
    }
}

impl TryFrom<String> for WorkingHours {
    type Error = CalendarError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<WorkingHours> for String {
    fn from(hours: WorkingHours) -> Self {
        hours.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_displays_as_office_hours() {
        assert_eq!(
            WorkingHours::default().to_string(),
            "08:00-12:00,13:00-17:00"
        );
        assert_eq!(
            WorkingHours::default().daily_duration(),
            SignedDuration::from_hours(8)
        );
    }

    #[test]
    fn parse_and_display_round_trip() {
        let hours: WorkingHours = "08:00-12:00,13:30-17:00".parse().unwrap();
        assert_eq!(hours.to_string(), "08:00-12:00,13:30-17:00");
        let spaced: WorkingHours = " 7:30 - 11:30 , 13:00-16:30 ".parse().unwrap();
        assert_eq!(spaced.to_string(), "07:30-11:30,13:00-16:30");
    }

    #[test]
    fn parse_rejects_empty() {
        assert_eq!(
            "".parse::<WorkingHours>(),
            Err(CalendarError::EmptyWorkingHours)
        );
        assert_eq!(
            "  ".parse::<WorkingHours>(),
            Err(CalendarError::EmptyWorkingHours)
        );
    }

    #[test]
    fn parse_rejects_bad_format() {
        for text in [
            "08:00",
            "8-12",
            "08:00-12:00;13:00-17:00",
            "08:00-24:00",
            "08:0-12:00",
            "08:00-12:00,",
        ] {
            let error = text.parse::<WorkingHours>().unwrap_err();
            assert!(
                matches!(error, CalendarError::InvalidWorkingPeriod { .. }),
                "{text}: {error}"
            );
        }
    }

    #[test]
    fn parse_rejects_end_not_after_start() {
        let error = "12:00-08:00".parse::<WorkingHours>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "working period \"12:00-08:00\" is invalid: end 08:00 is not after start 12:00"
        );
        assert!("08:00-08:00".parse::<WorkingHours>().is_err());
    }

    #[test]
    fn parse_rejects_overlap_and_disorder() {
        for text in ["08:00-12:00,11:00-17:00", "13:00-17:00,08:00-12:00"] {
            let error = text.parse::<WorkingHours>().unwrap_err();
            assert!(
                matches!(error, CalendarError::WorkingPeriodsOutOfOrder { .. }),
                "{text}: {error}"
            );
        }
        assert!("08:00-12:00,12:00-17:00".parse::<WorkingHours>().is_ok());
    }

    #[test]
    fn serde_uses_text_form() {
        let hours: WorkingHours = serde_json::from_str("\"08:00-11:30,13:00-17:00\"").unwrap();
        assert_eq!(
            serde_json::to_string(&hours).unwrap(),
            "\"08:00-11:30,13:00-17:00\""
        );
        assert!(serde_json::from_str::<WorkingHours>("\"17:00-08:00\"").is_err());
    }
}
