//! The working calendar: which days are working days, with administrator overrides.

use crate::error::CalendarError;
use crate::holidays::is_weekend;
use crate::hours::WorkingHours;
use crate::lunar;
use crate::schedule::{self, YearSchedule};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

/// Version of the built-in calendar data. Change it whenever the built-in schedules or rules
/// change, so that stored due times record which calendar produced them.
pub const BUILTIN_VERSION: &str = "builtin-1";

/// Identifies the calendar data (hours and schedules) that computed a due time.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CalendarVersion(pub String);

impl CalendarVersion {
    /// Returns the version of the built-in calendar, [`BUILTIN_VERSION`].
    pub fn builtin() -> Self {
        Self(BUILTIN_VERSION.to_owned())
    }
}

impl fmt::Display for CalendarVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Working-day flags of one year, one bit per day of the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YearMask {
    working: [u64; 6],
    working_days: u32,
}

impl YearMask {
    /// Applies a schedule to the Monday–Friday week of its year. Entries that contradict their
    /// day of the week (a weekend "day off", a weekday "make-up day") change nothing, and
    /// entries of another year are ignored; [`YearSchedule::validate`] reports both.
    fn from_schedule(schedule: &YearSchedule) -> Self {
        let mut mask = Self {
            working: [0; 6],
            working_days: 0,
        };
        // A year outside jiff's -9999..=9999 has no dates, so its mask stays empty.
        let Ok(mut date) = Date::new(schedule.year, 1, 1) else {
            return mask;
        };
        while date.year() == schedule.year {
            if !is_weekend(date) {
                mask.set(date, true);
            }
            match date.tomorrow() {
                Ok(next) => date = next,
                Err(_) => break,
            }
        }
        for day in schedule
            .days
            .iter()
            .filter(|day| day.date.year() == schedule.year)
        {
            mask.set(day.date, !day.kind.is_day_off());
        }
        mask
    }

    fn bit(date: Date) -> (usize, u64) {
        let index = (date.day_of_year() - 1) as usize;
        (index / 64, 1 << (index % 64))
    }

    fn set(&mut self, date: Date, working: bool) {
        let (word, bit) = Self::bit(date);
        let was_working = self.working[word] & bit != 0;
        if working && !was_working {
            self.working[word] |= bit;
            self.working_days += 1;
        } else if !working && was_working {
            self.working[word] &= !bit;
            self.working_days -= 1;
        }
    }

    pub(crate) fn is_working(&self, date: Date) -> bool {
        let (word, bit) = Self::bit(date);
        self.working[word] & bit != 0
    }

    pub(crate) fn working_days(&self) -> u32 {
        self.working_days
    }
}

/// Counts Monday–Friday days in a year: 52 full weeks give 260, plus the one or two days
/// after them at the end of the year.
fn plain_weekdays_in_year(year: i16) -> u32 {
    let Ok(first) = Date::new(year, 1, 1) else {
        return 0;
    };
    let extra_days = first.days_in_year() - 364;
    let last = first.last_of_year();
    let extra_weekdays = (0..extra_days)
        .filter_map(|offset| last.checked_sub(jiff::Span::new().days(offset)).ok())
        .filter(|&date| !is_weekend(date))
        .count();
    260 + extra_weekdays as u32
}

/// Returns the mask of a built-in year, computed once per year and shared by all calendars.
fn builtin_mask(year: i16) -> Option<&'static YearMask> {
    const COUNT: usize = (lunar::MAX_YEAR - lunar::MIN_YEAR + 1) as usize;
    static MASKS: [OnceLock<YearMask>; COUNT] = [const { OnceLock::new() }; COUNT];

    let index = usize::try_from(year - lunar::MIN_YEAR).ok()?;
    let cell = MASKS.get(index)?;
    Some(cell.get_or_init(|| YearMask::from_schedule(&schedule::builtin_year(year))))
}

#[derive(Debug, Clone)]
struct Override {
    schedule: YearSchedule,
    mask: YearMask,
}

/// The calendar that working-time arithmetic runs on: working hours, the built-in schedules
/// and an administrator's replacement schedules for some years, with a version.
///
/// Working days are Monday to Friday, minus the weekdays off of the year's schedule, plus its
/// make-up working days. An override schedule replaces the built-in one for its year entirely.
/// Years outside 1900..=2199 without an override are plain Monday–Friday weeks.
#[derive(Debug, Clone)]
pub struct WorkingCalendar {
    hours: WorkingHours,
    overrides: BTreeMap<i16, Override>,
    version: CalendarVersion,
}

impl WorkingCalendar {
    /// Returns the built-in calendar: default hours, no overrides, version [`BUILTIN_VERSION`].
    pub fn builtin() -> Self {
        Self::new(
            WorkingHours::default(),
            Vec::new(),
            CalendarVersion::builtin(),
        )
    }

    /// Creates a calendar with custom hours and override schedules.
    ///
    /// The overrides are not validated, so entries that contradict their day of the week are
    /// ignored ([`WorkingCalendar::try_new`] rejects them instead). A later schedule for the
    /// same year replaces an earlier one.
    pub fn new(
        hours: WorkingHours,
        overrides: Vec<YearSchedule>,
        version: CalendarVersion,
    ) -> Self {
        let overrides = overrides
            .into_iter()
            .map(|schedule| {
                let mask = YearMask::from_schedule(&schedule);
                (schedule.year, Override { schedule, mask })
            })
            .collect();
        Self {
            hours,
            overrides,
            version,
        }
    }

    /// Creates a calendar like [`WorkingCalendar::new`] after validating every override.
    ///
    /// # Errors
    ///
    /// The first error of [`YearSchedule::validate`].
    pub fn try_new(
        hours: WorkingHours,
        overrides: Vec<YearSchedule>,
        version: CalendarVersion,
    ) -> Result<Self, CalendarError> {
        for schedule in &overrides {
            schedule.validate()?;
        }
        Ok(Self::new(hours, overrides, version))
    }

    /// Returns the version given at construction.
    pub fn version(&self) -> &CalendarVersion {
        &self.version
    }

    /// Returns the working hours.
    pub fn hours(&self) -> &WorkingHours {
        &self.hours
    }

    /// Returns the schedule in force for a year: the override if there is one, else the
    /// built-in schedule ([`schedule::builtin_year`]).
    pub fn year(&self, year: i16) -> YearSchedule {
        match self.overrides.get(&year) {
            Some(entry) => entry.schedule.clone(),
            None => schedule::builtin_year(year),
        }
    }

    /// Returns whether a local date is a working day.
    pub fn is_working_day(&self, date: Date) -> bool {
        match self.mask(date.year()) {
            Some(mask) => mask.is_working(date),
            None => !is_weekend(date),
        }
    }

    /// Returns the number of working days in a year.
    pub fn working_days_in_year(&self, year: i16) -> u32 {
        match self.mask(year) {
            Some(mask) => mask.working_days(),
            None => plain_weekdays_in_year(year),
        }
    }

    fn mask(&self, year: i16) -> Option<&YearMask> {
        match self.overrides.get(&year) {
            Some(entry) => Some(&entry.mask),
            None => builtin_mask(year),
        }
    }
}

impl Default for WorkingCalendar {
    fn default() -> Self {
        Self::builtin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::SpecialDay;
    use jiff::civil::date;

    #[test]
    fn builtin_2026_working_days() {
        let calendar = WorkingCalendar::builtin();
        assert!(calendar.is_working_day(date(2026, 1, 10)));
        assert!(!calendar.is_working_day(date(2026, 1, 2)));
        assert!(!calendar.is_working_day(date(2026, 1, 3)));
        assert!(calendar.is_working_day(date(2026, 1, 5)));
    }

    #[test]
    fn working_days_in_2026() {
        // 261 weekdays, 13 weekdays off, 2 make-up Saturdays.
        assert_eq!(WorkingCalendar::builtin().working_days_in_year(2026), 250);
    }

    #[test]
    fn override_replaces_builtin_year() {
        let schedule = YearSchedule {
            year: 2026,
            days: vec![SpecialDay::compensatory(date(2026, 3, 2))],
        };
        let calendar = WorkingCalendar::new(
            WorkingHours::default(),
            vec![schedule.clone()],
            CalendarVersion("admin-7".to_owned()),
        );
        assert_eq!(calendar.version().0, "admin-7");
        assert_eq!(calendar.year(2026), schedule);
        assert!(!calendar.is_working_day(date(2026, 3, 2)));
        // Tết is no longer off: the override is the whole year.
        assert!(calendar.is_working_day(date(2026, 2, 17)));
        assert!(!calendar.is_working_day(date(2026, 1, 10)));
        assert!(!calendar.is_working_day(date(2027, 1, 1)));
    }

    #[test]
    fn try_new_rejects_invalid_override() {
        let schedule = YearSchedule {
            year: 2026,
            days: vec![SpecialDay::makeup_workday(date(2026, 3, 2))],
        };
        let result = WorkingCalendar::try_new(
            WorkingHours::default(),
            vec![schedule],
            CalendarVersion::builtin(),
        );
        assert!(result.is_err());
    }

    #[test]
    fn override_for_unrepresentable_year_is_ignored() {
        let schedule = YearSchedule {
            year: i16::MAX,
            days: Vec::new(),
        };
        let calendar = WorkingCalendar::new(
            WorkingHours::default(),
            vec![schedule],
            CalendarVersion::builtin(),
        );
        assert_eq!(calendar.working_days_in_year(i16::MAX), 0);
        assert!(calendar.is_working_day(date(2026, 3, 2)));
    }

    #[test]
    fn years_outside_range_are_plain_weeks() {
        let calendar = WorkingCalendar::builtin();
        assert!(calendar.is_working_day(date(2200, 1, 1)));
        assert!(!calendar.is_working_day(date(2200, 1, 4)));
        assert_eq!(calendar.working_days_in_year(2200), 261);
    }
}
