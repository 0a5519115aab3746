//! The precomputed list of lunar months for 1900–2199.
//!
//! The rules are those of the Vietnamese lunisolar calendar as described by Ho Ngoc Duc
//! ("Computing the Vietnamese lunar calendar"), after the Explanatory Supplement to the
//! Astronomical Almanac:
//!
//! 1. a month starts on the local day of a new moon;
//! 2. the winter solstice falls in month 11;
//! 3. when 13 months lie between one month 11 and the next, the first of them without a
//!    principal term (a multiple of 30° of solar longitude) is a leap month, and it takes the
//!    number of the month before it;
//! 4. days are local days at UTC+07:00.
//!
//! Rule 4 is what separates the Vietnamese calendar from the Chinese one, which uses UTC+08:00.
//! Computing all months once costs a few thousand new-moon evaluations; every conversion after
//! that is a binary search.

use crate::astro;
use crate::days::julian_day_number;
use jiff::civil::Date;

/// The UTC offset of the calendar's meridian (105° E) as a fraction of a day.
const LOCAL_OFFSET_DAYS: f64 = 7.0 / 24.0;

/// Principal-term sector that contains the winter solstice: longitudes 270°..300°.
const SOLSTICE_SECTOR: u8 = 9;

/// One lunar month: its first local day, its lunar year, number and leap flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct LunarMonth {
    /// Julian Day Number of day 1 of the month.
    pub start: i32,
    pub year: i16,
    pub number: u8,
    pub leap: bool,
}

impl LunarMonth {
    /// Key that orders months within and across lunar years, a leap month right after the
    /// regular month of the same number.
    pub fn key(&self) -> (i16, u8, bool) {
        (self.year, self.number, self.leap)
    }
}

/// Every lunar month whose days overlap the Gregorian years `first_year..=last_year`.
#[derive(Debug)]
pub(super) struct LunarTable {
    months: Vec<LunarMonth>,
    /// Julian Day Number of the day after the last month.
    end: i32,
}

impl LunarTable {
    /// Computes the months from the month 11 before `first_year` to the month 11 that follows
    /// the winter solstice of `last_year`.
    pub fn build(first_year: i16, last_year: i16) -> Self {
        // New moons from two months before the first window to three months after the last.
        let first_k = lunation_before(first_year - 1, 11);
        let last_k = lunation_before(last_year + 2, 3);
        let starts: Vec<i32> = (first_k..=last_k).map(new_moon_day).collect();

        let mut months = Vec::with_capacity(starts.len());
        let mut window_start = month_11_index(&starts, first_year - 1);
        for window_year in first_year..=last_year + 1 {
            let window_end = month_11_index(&starts, window_year);
            append_window(&starts, window_start, window_end, window_year, &mut months);
            window_start = window_end;
        }
        Self {
            months,
            end: starts[window_start],
        }
    }

    /// Returns the month that contains the given Julian Day Number, if the table covers it.
    pub fn month_containing(&self, jdn: i32) -> Option<(usize, &LunarMonth)> {
        if jdn >= self.end {
            return None;
        }
        let index = self
            .months
            .partition_point(|month| month.start <= jdn)
            .checked_sub(1)?;
        Some((index, &self.months[index]))
    }

    /// Returns the month with the given lunar year, number and leap flag.
    pub fn find(&self, year: i16, number: u8, leap: bool) -> Option<(usize, &LunarMonth)> {
        let key = (year, number, leap);
        let index = self
            .months
            .binary_search_by(|month| month.key().cmp(&key))
            .ok()?;
        Some((index, &self.months[index]))
    }

    /// Returns the number of days (29 or 30) of the month at `index`.
    pub fn length(&self, index: usize) -> u8 {
        let next = self
            .months
            .get(index + 1)
            .map_or(self.end, |month| month.start);
        // A lunar month is 29 or 30 days long, so the difference always fits.
        (next - self.months[index].start) as u8
    }

    /// Returns the months of one lunar year in order.
    pub fn year_months(&self, year: i16) -> &[LunarMonth] {
        let first = self.months.partition_point(|month| month.year < year);
        let last = self.months.partition_point(|month| month.year <= year);
        &self.months[first..last]
    }
}

/// Returns the local (UTC+07:00) Julian Day Number of the new moon with lunation number `k`.
fn new_moon_day(k: i64) -> i32 {
    (astro::new_moon_ut(k) + 0.5 + LOCAL_OFFSET_DAYS).floor() as i32
}

/// Returns the 30° sector (0 = 0°..30°, 9 = 270°..300°) of the Sun's longitude at local
/// midnight at the start of the day `jdn`. A month contains a principal term exactly when the
/// sector at its first day differs from the sector at the first day of the next month.
fn solar_sector(jdn: i32) -> u8 {
    let midnight_ut = f64::from(jdn) - 0.5 - LOCAL_OFFSET_DAYS;
    let sector = (astro::sun_apparent_longitude(midnight_ut) / 30.0).floor() as u8;
    sector.min(11)
}

/// Returns the lunation number of a new moon shortly before the 1st of a Gregorian month.
fn lunation_before(year: i16, month: i8) -> i64 {
    let jdn = julian_day_number(Date::constant(year, month, 1));
    astro::lunation_near(f64::from(jdn)) - 1
}

/// Returns the index in `starts` of month 11 for the winter solstice of `year`.
///
/// Month 11 is normally the last month that starts on or before 31 December. If the Sun is
/// already past 270° when that month starts, the solstice fell in the month before it.
fn month_11_index(starts: &[i32], year: i16) -> usize {
    let december_31 = julian_day_number(Date::constant(year, 12, 31));
    let last_start = starts.partition_point(|&start| start <= december_31) - 1;
    if solar_sector(starts[last_start]) >= SOLSTICE_SECTOR {
        last_start - 1
    } else {
        last_start
    }
}

/// Numbers the months from one month 11 (`start`) up to the next (`end`, exclusive) and
/// appends them. Months 11 and 12 (and a leap 11 or 12) belong to the lunar year before
/// `window_year`; months 1 to 10 belong to `window_year`.
fn append_window(
    starts: &[i32],
    start: usize,
    end: usize,
    window_year: i16,
    months: &mut Vec<LunarMonth>,
) {
    let count = end - start;
    // In a 13-month window the 12 principal terms cannot fill every month. Month 11 itself
    // contains the solstice, so the search starts at the month after it.
    let leap_position = (count == 13)
        .then(|| {
            (1..count).find(|&position| {
                solar_sector(starts[start + position]) == solar_sector(starts[start + position + 1])
            })
        })
        .flatten();
    debug_assert!(
        count == 12 || leap_position.is_some(),
        "window {window_year} has {count} months and no leap month"
    );

    let mut number = 10_u8;
    for position in 0..count {
        let leap = leap_position == Some(position);
        if !leap {
            number = number % 12 + 1;
        }
        let year = if number >= 11 {
            window_year - 1
        } else {
            window_year
        };
        months.push(LunarMonth {
            start: starts[start + position],
            year,
            number,
            leap,
        });
    }
}
