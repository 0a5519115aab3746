//! Conversions between instants and their stored form, milliseconds since the Unix epoch.

use crate::error::{StoreError, StoreResult};
use jiff::{Timestamp, civil::Date};

// NOTE: this drops everything below a millisecond, but due times inside event payloads keep
// full precision. A command run at a sub-millisecond `now` replays to slightly different
// instants than it returned, and its obligation rows differ from the fold of its events by
// under a millisecond, so callers should pass `now` truncated to milliseconds.
pub(crate) fn to_ms(at: Timestamp) -> i64 {
    at.as_millisecond()
}

pub(crate) fn from_ms(ms: i64) -> StoreResult<Timestamp> {
    Timestamp::from_millisecond(ms).map_err(StoreError::corrupt)
}

pub(crate) fn opt_from_ms(ms: Option<i64>) -> StoreResult<Option<Timestamp>> {
    ms.map(from_ms).transpose()
}

pub(crate) fn parse_date(value: &str) -> StoreResult<Date> {
    value.parse().map_err(StoreError::corrupt)
}

pub(crate) fn opt_date(value: Option<String>) -> StoreResult<Option<Date>> {
    value.as_deref().map(parse_date).transpose()
}
