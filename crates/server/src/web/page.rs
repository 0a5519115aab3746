//! The signed-in user of a page and what every page template needs: language, names, the CSRF
//! token for its forms, the navigation for the user's roles, and date formats.

use crate::auth::{Credential, CurrentUser, session_user};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::{Timestamp, civil::Date};
use theodoi_domain::org::OrgDirectory;
use theodoi_domain::user::Role;
use theodoi_i18n::{Lang, Value, catalogue, format_date, format_datetime};
use theodoi_store::Scope;

/// The user of a page request, signed in with the session cookie. An anonymous request is sent
/// to the login page, and comes back afterwards.
#[derive(Debug, Clone)]
pub struct PageUser {
    pub current: CurrentUser,
    pub csrf: String,
    pub lang: Lang,
}

/// The session's CSRF token, left in the request for the form extractor.
#[derive(Debug, Clone)]
pub struct SessionCsrf(pub String);

fn to_login(parts: &Parts) -> Response {
    let next = parts
        .uri
        .path_and_query()
        .map(|path| path.as_str().to_owned())
        .unwrap_or_else(|| "/".to_owned());
    let target = format!(
        "/login?next={}",
        form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
    );
    // An htmx request would swap the login page into a fragment; ask for a full navigation.
    if parts.headers.contains_key("hx-request") {
        let mut response = StatusCode::UNAUTHORIZED.into_response();
        if let Ok(value) = HeaderValue::from_str(&target) {
            response.headers_mut().insert("hx-redirect", value);
        }
        return response;
    }
    Redirect::to(&target).into_response()
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (user, id_hash, csrf) = match session_user(parts, state).await {
            Ok(found) => found,
            Err(ApiError::Unauthenticated | ApiError::AccountDisabled) => {
                return Err(to_login(parts));
            }
            Err(other) => return Err(super::error::page_error(other, Lang::Vi)),
        };
        let lang = Lang::parse(&user.language).unwrap_or_default();
        parts.extensions.insert(SessionCsrf(csrf.clone()));
        if let Some(slot) = parts.extensions.get::<crate::audit::RequestUser>() {
            slot.set(user.id, user.org_id);
        }
        Ok(PageUser {
            current: CurrentUser {
                user,
                credential: Credential::Session {
                    id_hash,
                    csrf_token: csrf.clone(),
                },
                secure_zone_open: state.store.secure_zone_open(),
            },
            csrf,
            lang,
        })
    }
}

impl PageUser {
    pub fn scope(&self, orgs: &dyn OrgDirectory) -> Scope {
        self.current.scope(orgs)
    }

    pub fn has(&self, role: Role) -> bool {
        self.current.user.roles.contains(&role)
    }
}

/// One entry of the navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub icon: &'static str,
    pub active: bool,
}

/// What every page template receives.
#[derive(Debug, Clone)]
pub struct Page {
    pub lang: Lang,
    pub csrf: String,
    pub user_name: String,
    pub org_name: String,
    pub roles: Vec<String>,
    pub nav: Vec<NavItem>,
    pub title: String,
    /// The server's current time; countdowns count from it, not from the browser's clock,
    /// which may be wrong on an office PC and is not the simulated time of a demo.
    pub now: String,
}

/// The sections of the interface, for the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Dashboard,
    Inbox,
    Tasks,
    Documents,
    NewDocument,
    EntryQueue,
    FeedbackQueue,
    EvaluationQueue,
    Other,
}

impl Page {
    /// Builds the page context for `user`, with `title_id` as the message id of the page title.
    pub fn new(state: &AppState, user: &PageUser, section: Section, title_id: &str) -> Page {
        let reference = state.reference();
        let record = &user.current.user;
        let lang = user.lang;
        let org_name = reference
            .orgs
            .organisation(record.org_id)
            .map(|org| match lang {
                Lang::Vi => org.name_vi.clone(),
                Lang::En => org.name_en.clone(),
            })
            .unwrap_or_default();
        let text = |id: &str| catalogue().text(lang, id);
        let has = |role: Role| record.roles.contains(&role);
        let mut nav = vec![(
            Section::Dashboard,
            "/",
            "layout-dashboard",
            "ui-nav-dashboard",
        )];
        if has(Role::Updater) || has(Role::Approver) {
            nav.push((Section::Inbox, "/inbox", "inbox", "ui-nav-inbox"));
        }
        if has(Role::MonitoringOfficer) {
            nav.push((
                Section::EvaluationQueue,
                "/queues/evaluation",
                "star",
                "ui-nav-evaluation",
            ));
        }
        nav.push((Section::Tasks, "/tasks", "list-checks", "ui-nav-tasks"));
        nav.push((
            Section::Documents,
            "/documents",
            "file-text",
            "ui-nav-documents",
        ));
        if has(Role::CentralOffice) {
            nav.push((
                Section::NewDocument,
                "/documents/new",
                "file-plus",
                "ui-nav-new-document",
            ));
            nav.push((
                Section::EntryQueue,
                "/queues/entry",
                "hourglass",
                "ui-nav-entry-queue",
            ));
            nav.push((
                Section::FeedbackQueue,
                "/queues/feedback",
                "message-square-warning",
                "ui-nav-feedback-queue",
            ));
        }
        Page {
            lang,
            csrf: user.csrf.clone(),
            user_name: record.full_name.clone(),
            org_name,
            roles: record
                .roles
                .iter()
                .map(|role| text(&role.message_id()))
                .collect(),
            nav: nav
                .into_iter()
                .map(|(item, href, icon, label)| NavItem {
                    href,
                    label: text(label),
                    icon,
                    active: item == section,
                })
                .collect(),
            title: text(title_id),
            now: state.now().to_string(),
        }
    }

    /// The message `id` in the page's language.
    pub fn t(&self, id: &str) -> String {
        catalogue().text(self.lang, id)
    }

    /// The message `id` with one argument.
    pub fn t1(&self, id: &str, name: &str, value: &str) -> String {
        catalogue().format(self.lang, id, &[(name, Value::Text(value.to_owned()))])
    }

    /// The message `id` with two text arguments.
    pub fn t2(&self, id: &str, first: (&str, &str), second: (&str, &str)) -> String {
        catalogue().format(
            self.lang,
            id,
            &[
                (first.0, Value::Text(first.1.to_owned())),
                (second.0, Value::Text(second.1.to_owned())),
            ],
        )
    }

    /// The message `id` with one number argument.
    pub fn tn(&self, id: &str, name: &str, value: &i64) -> String {
        catalogue().format(self.lang, id, &[(name, Value::Number(*value))])
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// `dd/mm/yyyy`.
    pub fn date(&self, date: &Date) -> String {
        format_date(*date)
    }

    /// `dd/mm/yyyy`, or an em dash when absent.
    pub fn date_or_dash(&self, date: &Option<Date>) -> String {
        date.map(format_date).unwrap_or_else(|| "—".to_owned())
    }

    /// `dd/mm/yyyy HH:MM` in Asia/Ho_Chi_Minh.
    pub fn datetime(&self, at: &Timestamp) -> String {
        format_datetime(*at)
    }

    /// The instant as RFC 3339, for scripts that count down to it.
    pub fn iso(&self, at: &Timestamp) -> String {
        at.to_string()
    }
}
