//! Checks of an entry form with the domain before anything is stored. The document fields and
//! every task row are judged as `new_task` would judge them. So one submission shows every
//! error, and a document is never saved with tasks that would then be rejected.

use super::errors::{FormErrors, LocalError, is_top_secret_refusal};
use super::fields::{EntryForm, TaskFields};
use super::preview::{Preview, task_preview};
use crate::state::{AppState, Reference};
use crate::web::page::PageUser;
use jiff::Timestamp;
use theodoi_calendar::local_date;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::{
    Document, DocumentContent, DocumentInput, DocumentKind, earliest_issue_date, entry_due,
};
use theodoi_domain::ids::DocumentId;
use theodoi_domain::symbol::DocumentSymbol;
use theodoi_domain::task::{Context, NewTaskInput, new_task};
use theodoi_domain::user::Actor;

/// Result of checking a form.
#[derive(Debug)]
pub struct Checked {
    pub document_input: DocumentInput,
    /// The document as it would be stored, when its fields are valid.
    pub document: Option<Document>,
    pub tasks: Vec<NewTaskInput>,
    pub errors: FormErrors,
    /// The form asked for a Tuyệt mật document, which the system refuses outright.
    pub top_secret: bool,
}

/// Builds the document that registering `content` now would store, before it has an id.
pub fn provisional(
    reference: &Reference,
    actor: &Actor,
    content: DocumentContent,
    now: Timestamp,
) -> Document {
    Document {
        id: DocumentId(0),
        entry_due: entry_due(&reference.calendar, content.issue_date),
        calendar_version: reference.calendar.version().0.clone(),
        registered_by: actor.user_id,
        registered_body: actor.org_id,
        registered_at: now,
        task_count: 0,
        version: 1,
        content,
    }
}

/// Stands in for a document whose own fields are invalid, so that its task rows are still
/// checked against what can be read of it (level and issue date) and every error shows at
/// once. It is never stored.
fn stand_in(
    reference: &Reference,
    actor: &Actor,
    input: &DocumentInput,
    now: Timestamp,
) -> Document {
    let issue_date = input
        .issue_date
        .as_deref()
        .and_then(|value| value.parse().ok())
        .unwrap_or_else(earliest_issue_date);
    let confidentiality = input
        .confidentiality
        .as_deref()
        .and_then(Confidentiality::parse)
        .filter(|level| *level != Confidentiality::TopSecret)
        .unwrap_or(Confidentiality::Normal);
    let content = DocumentContent {
        kind: DocumentKind::Resolution,
        symbol: DocumentSymbol::parse("symbol", "1-NQ/TW").expect("a well-formed symbol"),
        title: String::new(),
        issue_date,
        signer: String::new(),
        issuing_body: actor.org_id,
        assigning_authority: actor.org_id,
        monitoring_body: actor.org_id,
        confidentiality,
        summary: None,
    };
    provisional(reference, actor, content, now)
}

/// Checks task row `index` of `document`, which would get position `ordinal`, and adds its
/// errors to `errors` under `tasks[index]`.
#[expect(
    clippy::too_many_arguments,
    reason = "the reference data, the actor and the clock are separate inputs of the domain check"
)]
pub fn check_task(
    reference: &Reference,
    actor: &Actor,
    now: Timestamp,
    document: &Document,
    row: &TaskFields,
    index: usize,
    ordinal: u32,
    errors: &mut FormErrors,
    lang: theodoi_i18n::Lang,
) -> NewTaskInput {
    let mut local = Vec::new();
    let input = row.input(index, &mut local);
    let ctx = Context {
        actor,
        now,
        calendar: &reference.calendar,
        orgs: &reference.orgs,
        catalogues: &reference.catalogues,
        parent: None,
    };
    if let Err(error) = new_task(&input, document, ordinal, &ctx) {
        errors.add_domain(lang, &error.within(&format!("tasks[{index}]")));
    }
    errors.add_local(lang, &local);
    input
}

/// Checks a new-document form as `user` at the state's current time.
pub fn check_new(state: &AppState, user: &PageUser, form: &EntryForm) -> Checked {
    let reference = state.reference();
    let now = state.now();
    let lang = user.lang;
    let actor = user.current.actor();
    let mut errors = FormErrors::default();

    let mut local: Vec<LocalError> = Vec::new();
    let document_input = form.document.input(&mut local);
    let content = match document_input.validate(&reference.orgs, local_date(now)) {
        Err(error) if is_top_secret_refusal(&error) => {
            errors.add_domain(lang, &error);
            errors.summary = errors.messages.first().map(|item| item.message.clone());
            return Checked {
                document_input: DocumentInput::default(),
                document: None,
                tasks: Vec::new(),
                errors,
                top_secret: true,
            };
        }
        Err(error) => {
            errors.add_domain(lang, &error);
            None
        }
        Ok(content) => match actor.require_clearance(content.confidentiality) {
            Ok(()) => Some(content),
            Err(error) => {
                errors.add_domain(lang, &error);
                None
            }
        },
    };
    errors.add_local(lang, &local);

    let document = content.map(|content| provisional(&reference, &actor, content, now));
    let judged = document
        .clone()
        .unwrap_or_else(|| stand_in(&reference, &actor, &document_input, now));
    let tasks = form
        .tasks
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let ordinal = u32::try_from(index + 1).unwrap_or(u32::MAX);
            check_task(
                &reference,
                &actor,
                now,
                &judged,
                row,
                index,
                ordinal,
                &mut errors,
                lang,
            )
        })
        .collect();
    errors.summarize(lang);
    Checked {
        document_input,
        document,
        tasks,
        errors,
        top_secret: false,
    }
}

/// Previews every task of a checked form whose rows are valid, numbering them from
/// `first_ordinal`; rows with errors are listed as problems instead.
pub fn preview_of(
    state: &AppState,
    user: &PageUser,
    document: Option<&Document>,
    tasks: &[NewTaskInput],
    errors: &FormErrors,
    first_ordinal: u32,
) -> Preview {
    let reference = state.reference();
    let now = state.now();
    let actor = user.current.actor();
    let mut preview = Preview {
        computed_at: Some(now),
        problems: errors.messages.clone(),
        ..Default::default()
    };
    let Some(document) = document else {
        preview.document_invalid = true;
        return preview;
    };
    preview.entry_due = Some(document.entry_due);
    preview.entry_overdue = document.entry_due < now;
    for (index, input) in tasks.iter().enumerate() {
        if errors
            .messages
            .iter()
            .any(|message| message.field.starts_with(&format!("tasks[{index}].")))
        {
            continue;
        }
        let ordinal = first_ordinal.saturating_add(u32::try_from(index).unwrap_or(u32::MAX));
        match task_preview(&reference, &actor, now, document, input, ordinal, user.lang) {
            Ok(task) => preview.tasks.push(task),
            Err(error) => {
                let mut problems = FormErrors::default();
                problems.add_domain(user.lang, &error.within(&format!("tasks[{index}]")));
                preview.problems.extend(problems.messages);
            }
        }
    }
    preview
}
