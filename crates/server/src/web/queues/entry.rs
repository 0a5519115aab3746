//! Documents awaiting entry: those whose tasks are missing or not all transferred, earliest
//! entry due time first, with a countdown to it.

use crate::state::AppState;
use crate::web::documents::office_refusal;
use crate::web::error::page_error;
use crate::web::page::{Page, PageUser, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;
use theodoi_i18n::{Lang, Value, catalogue};
use theodoi_store::queues::EntryQueueItem;
use theodoi_store::{Cursor, PageRequest};

/// Documents a page of the queue shows.
const PAGE_SIZE: u32 = 50;

/// One document of the queue.
#[derive(Debug, Clone)]
pub struct EntryLine {
    pub id: i64,
    pub symbol: String,
    pub kind: String,
    pub title: String,
    pub issue_date: Date,
    pub entry_due: Timestamp,
    /// pending or breached, as for any obligation.
    pub status_code: &'static str,
    pub status: String,
    /// How many of its tasks were entered and transferred.
    pub entered: String,
}

fn line(item: &EntryQueueItem, now: Timestamp, lang: Lang) -> EntryLine {
    let document = &item.document;
    let content = &document.content;
    let status_code = if document.entry_due < now {
        "breached"
    } else {
        "pending"
    };
    EntryLine {
        id: document.id.0,
        symbol: content.symbol.to_string(),
        kind: catalogue().text(lang, &content.kind.message_id()),
        title: content.title.clone(),
        issue_date: content.issue_date,
        entry_due: document.entry_due,
        status_code,
        status: catalogue().text(lang, &format!("obligation-status-{status_code}")),
        entered: if document.task_count == 0 {
            catalogue().text(lang, "ui-queues-no-tasks-yet")
        } else {
            catalogue().format(
                lang,
                "ui-queues-transferred-of",
                &[
                    (
                        "transferred",
                        Value::Number(i64::from(item.transferred_count)),
                    ),
                    ("total", Value::Number(i64::from(document.task_count))),
                ],
            )
        },
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "queues/entry.html")]
struct EntryQueuePage {
    page: Page,
    items: Vec<EntryLine>,
    next: Option<String>,
    paged: bool,
}

/// The page of the queue to show.
#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    cursor: String,
}

/// `GET /queues/entry`.
pub async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Query(query): Query<QueueQuery>,
) -> Response {
    if let Some(refused) = office_refusal(&user) {
        return refused;
    }
    let scope = user.scope(&state.reference().orgs);
    let request = PageRequest {
        limit: Some(PAGE_SIZE),
        after: Cursor::decode(&query.cursor),
    };
    let found = match state.store.entry_queue(&scope, &request).await {
        Ok(found) => found,
        Err(error) => return page_error(error.into(), user.lang),
    };
    let now = state.now();
    EntryQueuePage {
        page: Page::new(&state, &user, Section::EntryQueue, "ui-nav-entry-queue"),
        items: found
            .items
            .iter()
            .map(|item| line(item, now, user.lang))
            .collect(),
        next: found.next_cursor.map(|cursor| {
            format!(
                "/queues/entry?cursor={}",
                form_urlencoded::byte_serialize(cursor.as_bytes()).collect::<String>()
            )
        }),
        paged: !query.cursor.is_empty(),
    }
    .into_response()
}
