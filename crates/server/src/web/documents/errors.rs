//! Errors of a form, localized and attached to the inputs they concern. The page shows each
//! message next to its field and also lists them all, with links, in a summary above the form.

use crate::error::ApiError;
use axum::http::StatusCode;
use theodoi_domain::DomainError;
use theodoi_domain::error::{Arg, Code, ErrorKind};
use theodoi_i18n::{Lang, Value, catalogue};

/// An error the page finds itself, before the domain checks the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalError {
    /// Path of the field, such as `tasks[1].deadline`.
    pub field: String,
    /// Message id; the message receives the field's name as `field`.
    pub message_id: &'static str,
    /// Message id of the field's name, when the path alone does not name it well.
    pub label: Option<&'static str>,
}

impl LocalError {
    pub fn new(field: impl Into<String>, message_id: &'static str) -> Self {
        Self {
            field: field.into(),
            message_id,
            label: None,
        }
    }

    /// Names the field with the message `label`.
    pub fn labelled(mut self, label: &'static str) -> Self {
        self.label = Some(label);
        self
    }

    /// Reports a value the page cannot read, such as an organisation id that is not a number.
    pub fn invalid(field: &str) -> Self {
        Self::new(field, "field-invalid")
    }

    /// Reports a field left empty.
    pub fn required(field: &str) -> Self {
        Self::new(field, "field-required")
    }
}

/// One message of a form error.
#[derive(Debug, Clone)]
pub struct FieldMessage {
    /// Path of the field, empty for an error of the whole form.
    pub field: String,
    /// Id of the input to link to.
    pub anchor: String,
    pub message: String,
}

/// The errors of one form.
#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    /// Prefix of the form's input ids, for pages with several forms.
    id_prefix: String,
    /// One-sentence account of the errors, shown above the list.
    pub summary: Option<String>,
    pub messages: Vec<FieldMessage>,
}

/// Returns the label of `field` in `lang`, such as "Thời hạn" for `tasks[2].deadline`.
fn field_label(lang: Lang, field: &str, label: Option<&str>) -> String {
    match label {
        Some(label) if catalogue().has(lang, label) => catalogue().text(lang, label),
        _ => catalogue().field_label(lang, field),
    }
}

/// Drops a trailing list index (`coordinating_bodies[2]` names the select of
/// `coordinating_bodies`) and turns the path into an element id.
fn anchor(prefix: &str, field: &str) -> String {
    let mut path = field;
    while path.ends_with(']') {
        match path.rfind('[') {
            Some(open) => path = &path[..open],
            None => break,
        }
    }
    let id: String = path
        .chars()
        .filter(|c| *c != ']')
        .map(|c| if c == '[' || c == '.' { '-' } else { c })
        .collect();
    format!("{prefix}{id}")
}

impl FormErrors {
    /// Starts an empty error list for a form whose input ids start with `id_prefix`.
    pub fn with_prefix(id_prefix: &str) -> Self {
        Self {
            id_prefix: id_prefix.to_owned(),
            ..Default::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.summary.is_none() && self.messages.is_empty()
    }

    /// Adds a message about the whole form.
    pub fn general(&mut self, message: String) {
        self.push(String::new(), message);
    }

    fn push(&mut self, field: String, message: String) {
        // Rows judged against the same document can repeat a message about the whole form.
        if self
            .messages
            .iter()
            .any(|item| item.field == field && item.message == message)
        {
            return;
        }
        let anchor = if field.is_empty() {
            String::new()
        } else {
            anchor(&self.id_prefix, &field)
        };
        self.messages.push(FieldMessage {
            field,
            anchor,
            message,
        });
    }

    /// Adds the errors found by the page itself.
    pub fn add_local(&mut self, lang: Lang, errors: &[LocalError]) {
        for error in errors {
            let label = field_label(lang, &error.field, error.label);
            let message =
                catalogue().format(lang, error.message_id, &[("field", Value::Text(label))]);
            self.push(error.field.clone(), message);
        }
    }

    /// Adds a domain error: one message per invalid field, or its summary when it concerns
    /// no field (a missing role, a task in the wrong state).
    pub fn add_domain(&mut self, lang: Lang, error: &DomainError) {
        if error.violations.is_empty() {
            let localized = catalogue().error(lang, error);
            self.general(localized.message);
            return;
        }
        let localized = catalogue().error(lang, error);
        for (violation, field) in error.violations.iter().zip(localized.fields) {
            // The domain's message requests YYYY-MM-DD, but the forms take dd/mm/yyyy.
            let message = if violation.code == Code::DateInvalid {
                let value = violation
                    .args
                    .iter()
                    .find(|(name, _)| *name == "value")
                    .map(|(_, value)| match value {
                        Arg::Text(text) => text.clone(),
                        _ => String::new(),
                    })
                    .unwrap_or_default();
                catalogue().format(
                    lang,
                    "ui-documents-date-invalid",
                    &[
                        (
                            "field",
                            Value::Text(field_label(lang, &violation.field, violation.label)),
                        ),
                        ("value", Value::Text(value)),
                    ],
                )
            } else {
                field.message
            };
            self.push(violation.field.clone(), message);
        }
    }

    /// Adds an error of an operation: field errors next to their fields, anything else
    /// (a conflict, a missing role, a database failure) as a message about the whole form.
    /// Returns the HTTP status of the page that shows it.
    pub fn add_api(&mut self, lang: Lang, error: ApiError) -> StatusCode {
        match error {
            ApiError::Domain(domain) => {
                self.add_domain(lang, &domain);
                match domain.kind {
                    ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorKind::NotFound => StatusCode::NOT_FOUND,
                    ErrorKind::Forbidden => StatusCode::FORBIDDEN,
                    ErrorKind::Conflict => StatusCode::CONFLICT,
                }
            }
            other => {
                let (status, body) = other.render_in(lang);
                self.general(body.message);
                status
            }
        }
    }

    /// Sets the summary from the number of messages, when there is no summary yet.
    pub fn summarize(&mut self, lang: Lang) {
        if self.summary.is_some() || self.messages.is_empty() {
            return;
        }
        let count = i64::try_from(self.messages.len()).unwrap_or(i64::MAX);
        self.summary = Some(if count == 1 {
            catalogue().text(lang, "ui-documents-errors-one")
        } else {
            catalogue().format(
                lang,
                "validation-failed",
                &[("count", Value::Number(count))],
            )
        });
    }

    /// Returns the messages to list in the summary, leaving out one that repeats the summary.
    pub fn listed(&self) -> Vec<&FieldMessage> {
        self.messages
            .iter()
            .filter(|item| self.summary.as_deref() != Some(item.message.as_str()))
            .collect()
    }

    /// Joins the messages of `field` and of the items of its list, or returns `None` when
    /// there are none.
    pub fn get(&self, field: &str) -> Option<String> {
        let found: Vec<&str> = self
            .messages
            .iter()
            .filter(|message| {
                message.field == field
                    || message
                        .field
                        .strip_prefix(field)
                        .is_some_and(|rest| rest.starts_with('['))
            })
            .map(|message| message.message.as_str())
            .collect();
        (!found.is_empty()).then(|| found.join(" "))
    }

    /// Joins the messages of `field` of task row `index`.
    pub fn task(&self, index: &usize, field: &str) -> Option<String> {
        self.get(&format!("tasks[{index}].{field}"))
    }

    /// Returns true when `field` has a message, for marking its input invalid.
    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    /// Returns true when `field` of task row `index` has a message.
    pub fn has_task(&self, index: &usize, field: &str) -> bool {
        self.task(index, field).is_some()
    }
}

/// Returns true when `error` is the rejection of a Tuyệt mật document.
pub fn is_top_secret_refusal(error: &DomainError) -> bool {
    error
        .violations
        .iter()
        .any(|violation| violation.code == Code::TopSecretRefused)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_name_the_input_of_a_list() {
        assert_eq!(anchor("", "symbol"), "symbol");
        assert_eq!(anchor("", "tasks[2].deadline"), "tasks-2-deadline");
        assert_eq!(
            anchor("", "tasks[0].coordinating_bodies[3]"),
            "tasks-0-coordinating_bodies"
        );
        assert_eq!(
            anchor("t7-", "classification.scope"),
            "t7-classification-scope"
        );
    }

    #[test]
    fn messages_are_found_by_field_and_list_items() {
        let mut errors = FormErrors::default();
        errors.add_local(
            Lang::Vi,
            &[
                LocalError::invalid("tasks[0].coordinating_bodies[1]"),
                LocalError::required("tasks[0].content"),
            ],
        );
        assert!(errors.task(&0, "coordinating_bodies").is_some());
        assert!(errors.task(&0, "content").is_some());
        assert!(errors.task(&1, "content").is_none());
        assert!(errors.get("tasks[0].coordinating").is_none());
        errors.summarize(Lang::Vi);
        assert!(errors.summary.is_some());
    }
}
