//! Instants of the demo history, all derived from the "now" the demo is seeded at.
//!
//! Most past steps happen on working days counted back from today, at office hours, so that
//! working-time clocks (4 working hours, 3 working days) end up met or breached the same way
//! whatever weekday or holiday season "now" falls in.

use jiff::civil::{Date, Time};
use jiff::{SignedDuration, Span, Timestamp};
use theodoi_calendar::{WorkingCalendar, at_local, local_date};

/// Maximum number of days the day-by-day searches walk, far more than any demo offset.
const MAX_DAYS_SEARCHED: usize = 3_660;

/// "Now" and today's date with the working calendar that places the demo's past steps.
#[derive(Debug, Clone)]
pub(super) struct Clock {
    pub now: Timestamp,
    pub today: Date,
    calendar: WorkingCalendar,
}

impl Clock {
    pub fn new(now: Timestamp, calendar: WorkingCalendar) -> Self {
        Self {
            now,
            today: local_date(now),
            calendar,
        }
    }

    /// Returns the `n`-th working day before today, for `n` ≥ 1.
    pub fn working_day_before(&self, n: u32) -> Date {
        self.working_days_before(self.today, n)
    }

    /// Returns the `n`-th working day before `date`, for `n` ≥ 1.
    pub fn working_days_before(&self, date: Date, n: u32) -> Date {
        let mut day = date;
        let mut left = n;
        for _ in 0..MAX_DAYS_SEARCHED {
            if left == 0 {
                break;
            }
            day = day.yesterday().unwrap_or(Date::MIN);
            if self.calendar.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Returns the `n`-th working day after `date`.
    pub fn working_days_after(&self, date: Date, n: u32) -> Date {
        self.calendar.nth_working_day_after(date, n)
    }

    /// Returns the `n`-th working day after today.
    pub fn working_day_after(&self, n: u32) -> Date {
        self.calendar.nth_working_day_after(self.today, n)
    }

    /// Returns today plus `days` calendar days (negative for the past).
    pub fn days_from_today(&self, days: i64) -> Date {
        self.today
            .checked_add(Span::new().days(days))
            .unwrap_or(self.today)
    }

    /// Returns the instant of a local date and time in Vietnam.
    pub fn at(&self, date: Date, hour: i8, minute: i8) -> Timestamp {
        at_local(date.to_datetime(Time::constant(hour, minute, 0, 0)))
    }

    /// Returns the instant `minutes` of working time before now, so that "a moment ago" falls
    /// in office hours even when now is a night, a weekend or a holiday.
    pub fn recent(&self, minutes: i64) -> Timestamp {
        let mut remaining = SignedDuration::from_mins(minutes);
        let mut day = self.today;
        for _ in 0..MAX_DAYS_SEARCHED {
            if self.calendar.is_working_day(day) {
                for period in self.calendar.hours().periods().iter().rev() {
                    let start = at_local(day.to_datetime(period.start()));
                    let end = at_local(day.to_datetime(period.end())).min(self.now);
                    if end <= start {
                        continue;
                    }
                    let available = end.duration_since(start);
                    if remaining <= available {
                        return end.checked_sub(remaining).unwrap_or(start);
                    }
                    remaining -= available;
                }
            }
            day = match day.yesterday() {
                Ok(previous) => previous,
                Err(_) => break,
            };
        }
        self.now
            .checked_sub(SignedDuration::from_mins(minutes))
            .unwrap_or(self.now)
    }
}
