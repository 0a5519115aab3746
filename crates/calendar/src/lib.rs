//! Vietnamese working calendar for task monitoring: the lunar calendar computed for UTC+07:00,
//! statutory public holidays, the government's yearly schedules, and working-time arithmetic
//! in Asia/Ho_Chi_Minh.
//!
//! - [`lunar`] converts between Gregorian and Vietnamese lunar dates for 1900–2199.
//! - [`holidays`] derives a year's days off from the Labour Code 2019.
//! - [`schedule`] defines yearly schedules and builds them, from the official decisions for
//!   [`schedule::OFFICIAL_YEARS`] and from the rule for other years.
//! - [`hours`] parses and prints daily working hours such as `08:00-12:00,13:00-17:00`.
//! - [`WorkingCalendar`] answers which days are working days and adds working minutes, hours
//!   and days to instants.
//! - [`cli`] formats results for the command line.
//!
//! The crate does no I/O and never reads the clock: every function takes the dates and
//! instants it works on.
//!
//! ```
//! use jiff::civil::date;
//! use theodoi_calendar::{WorkingCalendar, at_local};
//!
//! let calendar = WorkingCalendar::builtin();
//! // Tết 2026 takes 16–20 February off, so 3 working days after Friday 13 February end on
//! // Wednesday 25 February at 17:00.
//! let due = calendar.add_working_days(date(2026, 2, 13), 3);
//! assert_eq!(due, at_local(date(2026, 2, 25).at(17, 0, 0, 0)));
//! ```

mod astro;
mod calendar;
pub mod cli;
mod days;
mod error;
pub mod holidays;
pub mod hours;
pub mod lunar;
mod official;
pub mod schedule;
mod working;
mod zone;

pub use calendar::{BUILTIN_VERSION, CalendarVersion, WorkingCalendar};
pub use error::CalendarError;
pub use zone::{VIETNAM_OFFSET, at_local, end_of_day, local_date, local_datetime, vietnam_tz};
