//! The list of documents the user may see, newest issue date first, with search and filters
//! and keyset paging.

use super::errors::{FormErrors, LocalError};
use super::fields::form_date;
use super::pickers::Choice;
use crate::state::AppState;
use crate::web::error::page_error;
use crate::web::page::{Page, PageUser, Section};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;
use theodoi_domain::document::{Document, DocumentKind};
use theodoi_domain::user::Role;
use theodoi_i18n::{Lang, catalogue};
use theodoi_store::{Cursor, DocumentFilter, PageRequest, Visibility};

/// Documents a page of the list shows.
const PAGE_SIZE: u32 = 50;

/// The list's filters as typed, and the page to show.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub kind: String,
    /// `dd/mm/yyyy`.
    #[serde(default)]
    pub issued_from: String,
    /// `dd/mm/yyyy`.
    #[serde(default)]
    pub issued_to: String,
    #[serde(default)]
    pub awaiting_entry: String,
    #[serde(default)]
    pub cursor: String,
}

impl ListQuery {
    pub fn awaiting(&self) -> bool {
        !self.awaiting_entry.is_empty()
    }

    fn is_filtered(&self) -> bool {
        [&self.q, &self.kind, &self.issued_from, &self.issued_to]
            .iter()
            .any(|value| !value.trim().is_empty())
            || self.awaiting()
    }

    /// Returns the link to the first page of the list with the same filters.
    pub fn first_page(&self) -> String {
        self.page_after(None)
    }

    /// Returns the link to the page after `cursor`, with the same filters.
    fn next_page(&self, cursor: &str) -> String {
        self.page_after(Some(cursor))
    }

    fn page_after(&self, cursor: Option<&str>) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("q", &self.q),
            ("kind", &self.kind),
            ("issued_from", &self.issued_from),
            ("issued_to", &self.issued_to),
            ("awaiting_entry", &self.awaiting_entry),
        ] {
            if !value.is_empty() {
                query.append_pair(name, value);
            }
        }
        if let Some(cursor) = cursor {
            query.append_pair("cursor", cursor);
        }
        format!("/documents?{}", query.finish())
    }

    /// Builds the store filter. Unreadable values are reported in `errors` and left out.
    fn filter(&self, errors: &mut Vec<LocalError>) -> DocumentFilter {
        let date = |field: &str, value: &str, errors: &mut Vec<LocalError>| -> Option<Date> {
            let iso = form_date(value)?;
            let parsed = iso.parse().ok();
            if parsed.is_none() {
                errors.push(LocalError::new(field, "ui-documents-filter-date-invalid"));
            }
            parsed
        };
        let kind = match self.kind.trim() {
            "" => None,
            value => {
                let kind = DocumentKind::parse(value);
                if kind.is_none() {
                    errors.push(LocalError::invalid("kind"));
                }
                kind
            }
        };
        DocumentFilter {
            text: Some(self.q.trim().to_owned()).filter(|q| !q.is_empty()),
            kind,
            issued_from: date("issued_from", &self.issued_from, errors),
            issued_to: date("issued_to", &self.issued_to, errors),
            awaiting_entry: self.awaiting(),
        }
    }
}

/// One row of the list.
#[derive(Debug, Clone)]
pub struct DocumentLine {
    pub id: i64,
    pub symbol: String,
    pub kind: String,
    pub title: String,
    pub issue_date: Date,
    pub entry_due: Timestamp,
    pub task_count: u32,
    pub level_code: &'static str,
    pub level: String,
}

fn line(document: &Document, lang: Lang) -> DocumentLine {
    let content = &document.content;
    DocumentLine {
        id: document.id.0,
        symbol: content.symbol.to_string(),
        kind: catalogue().text(lang, &content.kind.message_id()),
        title: content.title.clone(),
        issue_date: content.issue_date,
        entry_due: document.entry_due,
        task_count: document.task_count,
        level_code: content.confidentiality.as_str(),
        level: catalogue().text(lang, content.confidentiality.message_id()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "documents/list.html")]
struct DocumentListPage {
    page: Page,
    kinds: Vec<Choice>,
    query: ListQuery,
    documents: Vec<DocumentLine>,
    next: Option<String>,
    errors: FormErrors,
    filtered: bool,
    is_office: bool,
}

/// `GET /documents`.
pub async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Query(query): Query<ListQuery>,
) -> Response {
    let lang = user.lang;
    let reference = state.reference();
    let scope = user.scope(&reference.orgs);

    let mut local = Vec::new();
    let filter = query.filter(&mut local);
    let mut errors = FormErrors::default();
    errors.add_local(lang, &local);

    let request = PageRequest {
        limit: Some(PAGE_SIZE),
        // A cursor from elsewhere starts the list from its first page.
        after: Cursor::decode(&query.cursor).filter(|cursor| cursor.sort == "issue_date"),
    };
    let mut found = match state.store.list_documents(&scope, &filter, &request).await {
        Ok(found) => found,
        Err(error) => return page_error(error.into(), lang),
    };

    // A body is shown how many of a document's tasks concern it, not how many it has.
    if scope.visibility != Visibility::Everything {
        let ids: Vec<_> = found.items.iter().map(|document| document.id).collect();
        match state.store.visible_task_counts(&scope, &ids).await {
            Ok(counts) => {
                for document in &mut found.items {
                    document.task_count = counts.get(&document.id).copied().unwrap_or(0);
                }
            }
            Err(error) => return page_error(error.into(), lang),
        }
    }

    DocumentListPage {
        page: Page::new(&state, &user, Section::Documents, "ui-nav-documents"),
        kinds: DocumentKind::ALL
            .into_iter()
            .map(|kind| Choice {
                value: kind.as_str().to_owned(),
                label: catalogue().text(lang, &kind.message_id()),
            })
            .collect(),
        documents: found
            .items
            .iter()
            .map(|document| line(document, lang))
            .collect(),
        next: found
            .next_cursor
            .as_deref()
            .map(|cursor| query.next_page(cursor)),
        errors,
        filtered: query.is_filtered(),
        query,
        is_office: user.has(Role::CentralOffice),
    }
    .into_response()
}
