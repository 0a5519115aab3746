//! Working-time arithmetic on a [`WorkingCalendar`].
//!
//! Working time is the union of the working periods of all working days, each period half-open
//! (`[start, end)`). An amount of working time is added by walking forward through it, so a
//! timer that starts at night, at lunch or on a day off starts at the next working moment.
//! A result that lands exactly at the end of a period is that end (Monday 08:00 plus 4 hours is
//! Monday 12:00, not 13:00).
//!
//! Every search walks day by day. It skips a whole year at once when the amount is larger than
//! that year's working time, so the cost is at most 366 steps for each year it walks through
//! and one step for each year it skips. Searches end at the last representable date, 9999-12-31:
//! the `checked_` methods then return [`CalendarError::NoWorkingTime`] and the others saturate
//! to [`Timestamp::MAX`] or [`Date::MAX`]. That happens only for amounts of thousands of years
//! or overrides that remove every working day.

use crate::calendar::WorkingCalendar;
use crate::error::CalendarError;
use crate::zone::{at_local, local_date};
use jiff::civil::{Date, Time};
use jiff::{SignedDuration, Timestamp};

fn next_date(date: Date) -> Result<Date, CalendarError> {
    date.tomorrow().map_err(|_| CalendarError::NoWorkingTime)
}

fn first_of_next_year(date: Date) -> Result<Date, CalendarError> {
    date.last_of_year()
        .tomorrow()
        .map_err(|_| CalendarError::NoWorkingTime)
}

fn local_midnight(date: Date) -> Timestamp {
    at_local(date.to_datetime(Time::midnight()))
}

impl WorkingCalendar {
    /// Returns the instants at which the working periods of `date` start and end.
    fn period_bounds(&self, date: Date) -> impl Iterator<Item = (Timestamp, Timestamp)> + '_ {
        self.hours().periods().iter().map(move |period| {
            (
                at_local(date.to_datetime(period.start())),
                at_local(date.to_datetime(period.end())),
            )
        })
    }

    /// Returns the working time of a whole year.
    fn year_duration(&self, year: i16) -> SignedDuration {
        // At most 366 days of at most 24 hours, so neither fallback is ever taken.
        let days = i32::try_from(self.working_days_in_year(year)).unwrap_or(i32::MAX);
        self.hours()
            .daily_duration()
            .checked_mul(days)
            .unwrap_or(SignedDuration::MAX)
    }

    /// Returns whether an instant lies inside a working period of a working day.
    pub fn is_working_time(&self, at: Timestamp) -> bool {
        let date = local_date(at);
        self.is_working_day(date)
            && self
                .period_bounds(date)
                .any(|(start, end)| start <= at && at < end)
    }

    /// Returns whether an instant is working time or the exact end of a working period, the
    /// instants a due time may take.
    fn is_working_time_or_period_end(&self, at: Timestamp) -> bool {
        let date = local_date(at);
        self.is_working_day(date)
            && self
                .period_bounds(date)
                .any(|(start, end)| start <= at && at <= end)
    }

    /// Returns the first working moment at or after `at`, like
    /// [`WorkingCalendar::next_working_moment`].
    ///
    /// # Errors
    ///
    /// [`CalendarError::NoWorkingTime`] if there is none before the end of year 9999.
    pub fn checked_next_working_moment(&self, at: Timestamp) -> Result<Timestamp, CalendarError> {
        let mut date = local_date(at);
        loop {
            // Only an override can leave a year without working days.
            if self.working_days_in_year(date.year()) == 0 {
                date = first_of_next_year(date)?;
                continue;
            }
            if self.is_working_day(date) {
                for (start, end) in self.period_bounds(date) {
                    if at < end {
                        return Ok(start.max(at));
                    }
                }
            }
            date = next_date(date)?;
        }
    }

    /// Returns the first working moment at or after `at`: `at` itself inside working time,
    /// otherwise the start of the next working period. The end of a period is not working
    /// time, so 12:00 moves to 13:00 with the default hours.
    ///
    /// Saturates to [`Timestamp::MAX`] if no working time is left before the end of year 9999.
    pub fn next_working_moment(&self, at: Timestamp) -> Timestamp {
        self.checked_next_working_moment(at)
            .unwrap_or(Timestamp::MAX)
    }

    /// Adds an amount of working time to `start`, like
    /// [`WorkingCalendar::add_working_minutes`] but with any non-negative duration.
    ///
    /// A negative amount counts as zero.
    ///
    /// # Errors
    ///
    /// [`CalendarError::NoWorkingTime`] if the result would fall after year 9999.
    pub fn checked_add_working(
        &self,
        start: Timestamp,
        amount: SignedDuration,
    ) -> Result<Timestamp, CalendarError> {
        if amount <= SignedDuration::ZERO {
            return if self.is_working_time_or_period_end(start) {
                Ok(start)
            } else {
                self.checked_next_working_moment(start)
            };
        }

        let mut remaining = amount;
        let mut date = local_date(start);
        loop {
            let whole_year_ahead = date.day_of_year() == 1 && start <= local_midnight(date);
            if whole_year_ahead {
                let year_duration = self.year_duration(date.year());
                if remaining > year_duration {
                    remaining -= year_duration;
                    date = first_of_next_year(date)?;
                    continue;
                }
            }

            if self.is_working_day(date) {
                for (period_start, period_end) in self.period_bounds(date) {
                    let begin = period_start.max(start);
                    if begin >= period_end {
                        continue;
                    }
                    let available = period_end.duration_since(begin);
                    if remaining <= available {
                        return begin
                            .checked_add(remaining)
                            .map_err(|_| CalendarError::NoWorkingTime);
                    }
                    remaining -= available;
                }
            }
            date = next_date(date)?;
        }
    }

    /// Adds working minutes to `start`.
    ///
    /// The count starts at the next working moment if `start` is outside working time; lunch
    /// breaks, nights, weekends and days off do not count. With the default hours, Monday
    /// 16:30 plus 240 minutes is Tuesday 11:30, and Monday 08:00 plus 240 minutes is Monday
    /// 12:00. Adding 0 minutes returns `start` if it is working time or the end of a period,
    /// else the next working moment.
    ///
    /// Saturates to [`Timestamp::MAX`] if the result would fall after year 9999.
    pub fn add_working_minutes(&self, start: Timestamp, minutes: u32) -> Timestamp {
        self.checked_add_working(start, SignedDuration::from_mins(i64::from(minutes)))
            .unwrap_or(Timestamp::MAX)
    }

    /// Adds working hours to `start`, exactly as [`WorkingCalendar::add_working_minutes`]
    /// with `hours × 60` minutes.
    pub fn add_working_hours(&self, start: Timestamp, hours: u32) -> Timestamp {
        self.checked_add_working(start, SignedDuration::from_hours(i64::from(hours)))
            .unwrap_or(Timestamp::MAX)
    }

    /// Returns the `n`-th working day strictly after `date`, like
    /// [`WorkingCalendar::nth_working_day_after`].
    ///
    /// # Errors
    ///
    /// [`CalendarError::NoWorkingTime`] if that day would be after 9999-12-31.
    pub fn checked_nth_working_day_after(&self, date: Date, n: u32) -> Result<Date, CalendarError> {
        let mut current = date;
        if n == 0 {
            while !self.is_working_day(current) {
                current = next_date(current)?;
            }
            return Ok(current);
        }

        let mut remaining = n;
        loop {
            current = next_date(current)?;
            if current.day_of_year() == 1 {
                let year_days = self.working_days_in_year(current.year());
                if year_days < remaining {
                    remaining -= year_days;
                    current = current.last_of_year();
                    continue;
                }
            }
            if self.is_working_day(current) {
                remaining -= 1;
                if remaining == 0 {
                    return Ok(current);
                }
            }
        }
    }

    /// Returns the `n`-th working day strictly after `date` for `n ≥ 1`. For `n = 0` it returns
    /// `date` itself if that is a working day, else the next working day.
    ///
    /// Saturates to [`Date::MAX`] if that day would be after 9999-12-31.
    pub fn nth_working_day_after(&self, date: Date, n: u32) -> Date {
        self.checked_nth_working_day_after(date, n)
            .unwrap_or(Date::MAX)
    }

    /// Returns the end of the last working period of `date`, whether or not it is a working day.
    pub fn end_of_working_day(&self, date: Date) -> Timestamp {
        at_local(date.to_datetime(self.hours().day_end()))
    }

    /// Returns the end of the working hours of the `n`-th working day after `date`, the due time
    /// of "within n working days": 3 working days after Friday 13 February 2026 end at 17:00 on
    /// Wednesday 25 February 2026, because 16–20 February are Tết.
    pub fn add_working_days(&self, date: Date, n: u32) -> Timestamp {
        self.end_of_working_day(self.nth_working_day_after(date, n))
    }

    /// Returns the working time in `[from, to)`, negative when `to` is before `from`.
    pub fn working_duration_between(&self, from: Timestamp, to: Timestamp) -> SignedDuration {
        if to < from {
            return -self.working_duration_between(to, from);
        }

        let last = local_date(to);
        let mut total = SignedDuration::ZERO;
        let mut date = local_date(from);
        while date <= last {
            let whole_year_inside = date.day_of_year() == 1
                && date.year() < last.year()
                && from <= local_midnight(date);
            if whole_year_inside {
                total += self.year_duration(date.year());
                match first_of_next_year(date) {
                    Ok(next) => date = next,
                    Err(_) => break,
                }
                continue;
            }

            if self.is_working_day(date) {
                for (period_start, period_end) in self.period_bounds(date) {
                    let begin = period_start.max(from);
                    let end = period_end.min(to);
                    if begin < end {
                        total += end.duration_since(begin);
                    }
                }
            }
            match date.tomorrow() {
                Ok(next) => date = next,
                Err(_) => break,
            }
        }
        total
    }

    /// Returns the whole working minutes in `[from, to)`, negative when `to` is before `from`.
    /// Partial minutes are truncated toward zero.
    pub fn working_minutes_between(&self, from: Timestamp, to: Timestamp) -> i64 {
        self.working_duration_between(from, to).as_mins()
    }
}
