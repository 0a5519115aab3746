//! Keyset pagination: a page ends with an opaque cursor holding the sort key of its last row,
//! and the next page starts strictly after it, so pages stay stable while rows are added.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

/// Largest page a client may ask for.
pub const MAX_PAGE: u32 = 500;
/// Page size when the client names none.
pub const DEFAULT_PAGE: u32 = 50;

/// The position after the last row of a page: its sort key and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// Sort key of the last row; `None` sorts after every value (rows without a deadline).
    pub key: Option<String>,
    pub id: i64,
    /// Sort order the cursor belongs to, so that a cursor is not reused with another sort.
    pub sort: String,
}

impl Cursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).expect("a cursor always serializes"))
    }

    /// Decodes a cursor given by a client; `None` when it is not one of ours.
    pub fn decode(value: &str) -> Option<Cursor> {
        let bytes = URL_SAFE_NO_PAD.decode(value.trim()).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

/// Which page to read.
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    pub limit: Option<u32>,
    pub after: Option<Cursor>,
}

impl PageRequest {
    pub fn limit(&self) -> u32 {
        self.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE)
    }
}

/// One page of rows and the cursor of the next page, if there is one.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from `limit + 1` fetched rows: the extra row only tells that more exist.
    pub fn from_rows(mut rows: Vec<T>, limit: u32, cursor_of: impl Fn(&T) -> Cursor) -> Page<T> {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next_cursor = if more {
            rows.last().map(|row| cursor_of(row).encode())
        } else {
            None
        };
        Page {
            items: rows,
            next_cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        let cursor = Cursor {
            key: Some("2026-03-01".into()),
            id: 42,
            sort: "deadline".into(),
        };
        assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        assert_eq!(Cursor::decode("not-a-cursor"), None);
    }

    #[test]
    fn page_keeps_limit_and_signals_more() {
        let page = Page::from_rows(vec![1, 2, 3], 2, |n| Cursor {
            key: None,
            id: *n,
            sort: "id".into(),
        });
        assert_eq!(page.items, [1, 2]);
        let next = Cursor::decode(page.next_cursor.as_deref().unwrap()).unwrap();
        assert_eq!(next.id, 2);
        let last = Page::from_rows(vec![1], 2, |n| Cursor {
            key: None,
            id: *n,
            sort: "id".into(),
        });
        assert_eq!(last.next_cursor, None);
    }
}
