//! Date and time formats shown to users: `dd/mm/yyyy` and `HH:MM` in Asia/Ho_Chi_Minh.

use jiff::{Timestamp, civil::Date};
use theodoi_calendar::local_datetime;

pub fn format_date(date: Date) -> String {
    format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year())
}

pub fn format_time(at: Timestamp) -> String {
    let local = local_datetime(at);
    format!("{:02}:{:02}", local.hour(), local.minute())
}

/// `dd/mm/yyyy HH:MM`.
pub fn format_datetime(at: Timestamp) -> String {
    let local = local_datetime(at);
    format!("{} {}", format_date(local.date()), format_time(at))
}
