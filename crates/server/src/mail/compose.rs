//! The text of each e-mail, built at send time from what the recipient may see then, in the
//! recipient's language.
//!
//! A notice of a Mật or Tối mật task states only that a task needs attention and links to the
//! login page: no title, number, content or body name, because e-mail leaves the system.

use super::config::MailConfig;
use crate::auth::user_scope;
use crate::state::AppState;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use std::collections::BTreeSet;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::notice::NoticeKind;
use theodoi_domain::org::OrgDirectory;
use theodoi_i18n::{Lang, Value, catalogue, format_date, format_datetime};
use theodoi_store::{
    MAX_PAGE, ObligationFilter, ObligationQuery, ObligationRow, PageRequest, Scope, StoreResult,
    UserRecord, Visibility,
};

/// How far ahead the daily digest looks for obligations coming due.
pub const DIGEST_HORIZON: SignedDuration = SignedDuration::from_hours(48);
/// Maximum length of the task content quoted in a digest line, in characters.
const DIGEST_CONTENT_CHARS: usize = 120;

/// A message ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    pub subject: String,
    pub body: String,
}

fn lang_of(user: &UserRecord) -> Lang {
    Lang::parse(&user.language).unwrap_or_default()
}

fn org_name(orgs: &dyn OrgDirectory, id: theodoi_domain::ids::OrgId, lang: Lang) -> String {
    orgs.organisation(id)
        .map(|org| match lang {
            Lang::Vi => org.name_vi.clone(),
            Lang::En => org.name_en.clone(),
        })
        .unwrap_or_default()
}

fn text(value: impl Into<String>) -> Value {
    Value::Text(value.into())
}

/// Returns the bodies of the recipient's subtree, for [`Scope::allows`].
fn subtree_of(state: &AppState, scope: &Scope) -> Vec<theodoi_domain::ids::OrgId> {
    match scope.visibility {
        Visibility::Everything => Vec::new(),
        Visibility::Within(root) => state.reference().orgs.subtree(root),
    }
}

/// Builds the message that only requests the recipient to log in.
fn attention(lang: Lang, config: &MailConfig) -> Composed {
    let messages = catalogue();
    Composed {
        subject: messages.text(lang, "mail-attention-subject"),
        body: messages.format(
            lang,
            "mail-attention-body",
            &[("link", text(config.link("/login")))],
        ),
    }
}

/// Composes the notice of event `event_id` for `recipient`, or `None` when they must not get
/// it: the event is gone or sends no notice, or the recipient may not see its task now.
pub async fn event_notice(
    state: &AppState,
    config: &MailConfig,
    recipient: &UserRecord,
    event_id: i64,
) -> StoreResult<Option<Composed>> {
    let Some(summary) = state.store.event_summaries(&[event_id]).await?.pop() else {
        return Ok(None);
    };
    let Some(kind) = NoticeKind::from_event_name(&summary.kind) else {
        return Ok(None);
    };
    let reference = state.reference();
    let scope = user_scope(recipient, &reference.orgs);
    let subtree = subtree_of(state, &scope);
    if !scope.allows(summary.confidentiality, &summary.bodies, &subtree) {
        return Ok(None);
    }
    let lang = lang_of(recipient);
    if summary.confidentiality != Confidentiality::Normal {
        return Ok(Some(attention(lang, config)));
    }
    // A task reclassified since the event has no text to show, so it gets the bare notice.
    let Some(task) = state.store.mail_task_text(summary.task_id).await? else {
        return Ok(Some(attention(lang, config)));
    };
    let at = state
        .store
        .event_time(event_id)
        .await?
        .unwrap_or_else(|| state.now());
    let messages = catalogue();
    let id = match kind {
        NoticeKind::Transferred => "mail-transferred",
        NoticeKind::Urged => "mail-urged",
        NoticeKind::UpdateReturned => "mail-update-returned",
        NoticeKind::UpdateApproved => "mail-update-approved",
    };
    let body_name = org_name(&reference.orgs, task.lead_body, lang);
    let subject = messages.format(
        lang,
        &format!("{id}-subject"),
        &[("symbol", text(&task.document_symbol))],
    );
    let intro = messages.format(
        lang,
        &format!("{id}-intro"),
        &[("body", text(body_name)), ("at", text(format_datetime(at)))],
    );
    let details = messages.format(
        lang,
        "mail-task-details",
        &[
            ("symbol", text(&task.document_symbol)),
            ("title", text(&task.document_title)),
            ("content", text(task.content.clone().unwrap_or_default())),
            ("deadline", text(deadline_text(lang, task.deadline))),
            (
                "link",
                text(config.link(&format!("/tasks/{}", task.task_id.0))),
            ),
        ],
    );
    let footer = messages.text(lang, "mail-footer");
    Ok(Some(Composed {
        subject,
        body: format!("{intro}\n\n{details}\n\n{footer}\n"),
    }))
}

fn deadline_text(lang: Lang, deadline: Option<Date>) -> String {
    match deadline {
        Some(date) => format_date(date),
        None => catalogue().text(lang, "mail-no-deadline"),
    }
}

/// Obligations of the recipient's body that are overdue or due within [`DIGEST_HORIZON`] of
/// `now`, as `scope` lets the recipient see them, earliest due first.
async fn digest_rows(
    state: &AppState,
    recipient: &UserRecord,
    scope: &Scope,
    now: Timestamp,
) -> StoreResult<Vec<ObligationRow>> {
    let horizon = now.saturating_add(DIGEST_HORIZON).unwrap_or(Timestamp::MAX);
    let filter = ObligationFilter {
        responsible: Some(recipient.org_id),
        ..ObligationFilter::default()
    };
    let page = PageRequest {
        limit: Some(MAX_PAGE),
        after: None,
    };
    // TODO: a body owing more than one page of obligations gets only the earliest page.
    let rows = state
        .store
        .list_obligations(scope, ObligationQuery::Open, &filter, &page, now)
        .await?;
    Ok(rows
        .items
        .into_iter()
        .filter(|row| row.obligation.due_at <= horizon)
        .collect())
}

/// Returns whether `recipient` has anything for the digest at `now`.
pub async fn digest_has_items(
    state: &AppState,
    recipient: &UserRecord,
    now: Timestamp,
) -> StoreResult<bool> {
    let scope = user_scope(recipient, &state.reference().orgs);
    Ok(!digest_rows(state, recipient, &scope, now).await?.is_empty())
}

/// Composes the daily digest of `day` for `recipient`, or `None` when nothing is due. Normal
/// tasks are listed; classified ones are only counted.
pub async fn digest(
    state: &AppState,
    config: &MailConfig,
    recipient: &UserRecord,
    day: Date,
    now: Timestamp,
) -> StoreResult<Option<Composed>> {
    let scope = user_scope(recipient, &state.reference().orgs);
    let all = digest_rows(state, recipient, &scope, now).await?;
    if all.is_empty() {
        return Ok(None);
    }
    // The same query capped at Thường returns exactly the rows that may be named.
    let normal_scope = Scope {
        clearance: theodoi_domain::user::Clearance::Normal,
        ..scope
    };
    let normal = digest_rows(state, recipient, &normal_scope, now).await?;
    let named_tasks: BTreeSet<i64> = normal.iter().map(|row| row.task_id.0).collect();
    let hidden_tasks: BTreeSet<i64> = all
        .iter()
        .map(|row| row.task_id.0)
        .filter(|id| !named_tasks.contains(id))
        .collect();

    let lang = lang_of(recipient);
    let messages = catalogue();
    let reference = state.reference();
    let mut body = messages.format(
        lang,
        "mail-digest-intro",
        &[
            (
                "body",
                text(org_name(&reference.orgs, recipient.org_id, lang)),
            ),
            ("at", text(format_datetime(now))),
        ],
    );
    let (overdue, due_soon): (Vec<&ObligationRow>, Vec<&ObligationRow>) =
        normal.iter().partition(|row| row.obligation.due_at < now);
    for (heading, rows) in [
        ("mail-digest-overdue", overdue),
        ("mail-digest-due-soon", due_soon),
    ] {
        if rows.is_empty() {
            continue;
        }
        body.push_str("\n\n");
        body.push_str(&messages.text(lang, heading));
        for row in rows {
            body.push('\n');
            body.push_str(&digest_line(lang, config, row));
        }
    }
    if !hidden_tasks.is_empty() {
        body.push_str("\n\n");
        body.push_str(&messages.format(
            lang,
            "mail-digest-hidden",
            &[(
                "count",
                Value::Number(i64::try_from(hidden_tasks.len()).unwrap_or(i64::MAX)),
            )],
        ));
    }
    body.push_str("\n\n");
    body.push_str(&messages.format(
        lang,
        "mail-digest-link",
        &[("link", text(config.link("/inbox")))],
    ));
    body.push_str("\n\n");
    body.push_str(&messages.text(lang, "mail-footer"));
    body.push('\n');
    Ok(Some(Composed {
        subject: messages.format(
            lang,
            "mail-digest-subject",
            &[("day", text(format_date(day)))],
        ),
        body,
    }))
}

fn digest_line(lang: Lang, config: &MailConfig, row: &ObligationRow) -> String {
    let content: String = row
        .task_content
        .as_deref()
        .unwrap_or_default()
        .chars()
        .take(DIGEST_CONTENT_CHARS)
        .collect();
    catalogue().format(
        lang,
        "mail-digest-line",
        &[
            ("symbol", text(&row.document_symbol)),
            ("content", text(content)),
            ("kind", Value::Message(row.obligation.kind.message_id())),
            ("due", text(format_datetime(row.obligation.due_at))),
            (
                "link",
                text(config.link(&format!("/tasks/{}", row.task_id.0))),
            ),
        ],
    )
}
