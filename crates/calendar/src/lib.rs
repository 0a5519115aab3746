//! Vietnamese working calendar: the lunar calendar computed for UTC+7, statutory public holidays,
//! the government's yearly schedules, and working-time arithmetic in Asia/Ho_Chi_Minh.
//!
//! CONTRACT (the domain crate builds on these names; keep them, add freely):
//!
//! ```text
//! pub fn vietnam_tz() -> jiff::tz::TimeZone                      // fixed +07:00, no DST
//! pub fn local_datetime(ts: Timestamp) -> civil::DateTime
//! pub fn local_date(ts: Timestamp) -> civil::Date
//! pub fn at_local(dt: civil::DateTime) -> Timestamp
//! pub fn end_of_day(date: civil::Date) -> Timestamp               // 00:00 of the next day, +07:00
//!
//! pub mod lunar {
//!     pub struct LunarDate { pub day: u8, pub month: u8, pub year: i16, pub leap: bool }
//!     pub fn to_lunar(date: civil::Date) -> Result<LunarDate, CalendarError>   // 1900..=2199
//!     pub fn from_lunar(lunar: LunarDate) -> Result<civil::Date, CalendarError>
//! }
//! pub mod schedule {
//!     #[serde(rename_all = "snake_case")]
//!     pub enum DayKind { Holiday, Compensatory, Swapped, MakeupWorkday }
//!     pub struct SpecialDay { pub date: civil::Date, pub name_vi: String, pub name_en: String, pub kind: DayKind }
//!     /// Exactly the exceptions to the Monday–Friday rule in one year: every weekday off and
//!     /// every weekend day that is a working day, sorted by date.
//!     pub struct YearSchedule { pub year: i16, pub days: Vec<SpecialDay> }
//!     pub fn builtin_year(year: i16) -> YearSchedule   // official schedule 2023–2026, rules otherwise
//! }
//! pub mod hours {
//!     pub struct WorkingHours { .. }   // Default 08:00-12:00,13:00-17:00; FromStr/Display "08:00-12:00,13:30-17:00"
//! }
//! pub struct CalendarVersion(pub String);
//! pub struct WorkingCalendar { .. }
//! impl WorkingCalendar {
//!     pub fn builtin() -> Self
//!     pub fn new(hours: WorkingHours, overrides: Vec<YearSchedule>, version: CalendarVersion) -> Self
//!     pub fn version(&self) -> &CalendarVersion
//!     pub fn hours(&self) -> &WorkingHours
//!     pub fn year(&self, year: i16) -> YearSchedule          // override if present, else built in
//!     pub fn is_working_day(&self, date: civil::Date) -> bool
//!     pub fn next_working_moment(&self, at: Timestamp) -> Timestamp
//!     pub fn add_working_minutes(&self, start: Timestamp, minutes: u32) -> Timestamp
//!     pub fn add_working_hours(&self, start: Timestamp, hours: u32) -> Timestamp
//!     pub fn nth_working_day_after(&self, date: civil::Date, n: u32) -> civil::Date
//!     pub fn end_of_working_day(&self, date: civil::Date) -> Timestamp   // end of the day's last working period
//!     pub fn add_working_days(&self, date: civil::Date, n: u32) -> Timestamp // end_of_working_day(nth_working_day_after)
//!     pub fn working_minutes_between(&self, from: Timestamp, to: Timestamp) -> i64  // negative if to < from
//! }
//! ```
