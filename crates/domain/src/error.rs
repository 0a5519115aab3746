//! The one error type of the domain. Each error carries a stable code that doubles as the id of
//! its message in the message catalogue, so the text shown to users lives in one place and in
//! both languages.

use jiff::{Timestamp, civil::Date};
use serde::Serialize;
use std::fmt;

/// What kind of failure an error is; the server maps each kind to one HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input breaks a rule; `violations` names each field.
    Invalid,
    /// The record does not exist, or the actor may not know that it exists.
    NotFound,
    /// The actor may see the record but may not do this.
    Forbidden,
    /// The request is valid but the record's current state does not allow it.
    Conflict,
}

macro_rules! codes {
    ($($variant:ident => $id:literal,)+) => {
        /// Stable error code. Its string form is the message id in the catalogue and the
        /// `code` field of API errors, so renaming one is a breaking change.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($variant,)+
        }

        impl Code {
            /// Every code, for checks that each one has a message in every language.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)+];

            /// The stable string id.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $id,)+
                }
            }
        }
    };
}

codes! {
    ValidationFailed => "validation-failed",
    Required => "field-required",
    FieldUnknown => "field-unknown",
    FieldProtected => "field-protected",
    TooLong => "field-too-long",
    TooMany => "field-too-many",
    OutOfRange => "field-out-of-range",
    InvalidValue => "field-invalid",
    NotOneOf => "field-not-one-of",
    WrongType => "field-wrong-type",
    OnlyOneOf => "field-only-one-of",
    InstantInvalid => "field-instant-invalid",
    DateInvalid => "field-date-invalid",
    DateOutOfRange => "date-out-of-range",
    DateBeforeMin => "date-before-min",
    ReasonRequired => "reason-required",
    SymbolInvalid => "symbol-invalid",
    SymbolKindMismatch => "symbol-kind-mismatch",
    SymbolDuplicate => "symbol-duplicate",
    TopSecretRefused => "document-top-secret-refused",
    SecureZoneUnavailable => "secure-zone-unavailable",
    ClassifyAfterRegistration => "document-classify-after-registration",
    FieldForbiddenForLevel => "field-forbidden-for-level",
    ClassifiedStatusOnly => "update-classified-status-only",
    DocumentNotFound => "document-not-found",
    DocumentHasTasks => "document-has-tasks",
    GroupNotFound => "group-not-found",
    OrgNotFound => "org-not-found",
    OrgWrongCategory => "org-wrong-category",
    OrgCodeInvalid => "org-code-invalid",
    OrgCodeDuplicate => "org-code-duplicate",
    OrgNotSubordinate => "org-not-subordinate",
    OrgLeadAlsoCoordinating => "org-lead-also-coordinating",
    UserNotFound => "user-not-found",
    UsernameInvalid => "username-invalid",
    UsernameTaken => "username-taken",
    EmailInvalid => "email-invalid",
    PasswordTooShort => "password-too-short",
    CatalogueUnknownCode => "catalogue-unknown-code",
    CatalogueCodeInvalid => "catalogue-code-invalid",
    CatalogueCodeDuplicate => "catalogue-code-duplicate",
    CatalogueAxisUnknown => "catalogue-axis-unknown",
    TaskNotFound => "task-not-found",
    TaskWrongState => "task-wrong-state",
    TaskDeadlineBeforeIssue => "task-deadline-before-issue",
    TaskDeadlineAfterParent => "task-deadline-after-parent",
    TaskNoDeadline => "task-no-deadline",
    TaskExtensionNotLater => "task-extension-not-later",
    TaskNotLeadBody => "task-not-lead-body",
    TaskNothingChanged => "task-nothing-changed",
    TaskDeadlineByExtension => "task-deadline-by-extension",
    TaskLeadByFeedback => "task-lead-by-feedback",
    NoClearedRecipient => "task-no-cleared-recipient",
    TaskSubtaskOfSubtask => "task-subtask-depth",
    UpdateNotFound => "update-not-found",
    UpdateOwnDraft => "update-own-draft",
    UpdateNotAwaitingApproval => "update-not-awaiting-approval",
    UpdateDraftOpen => "update-draft-open",
    UpdateNotApproved => "update-not-approved",
    UpdateAlreadyEvaluated => "update-already-evaluated",
    UpdateStatusPercentMismatch => "update-status-percent-mismatch",
    UpdateCompletionDateRequired => "update-completion-date-required",
    UpdateCompletionDateInFuture => "update-completion-date-in-future",
    UpdateCompletionDateBeforeTransfer => "update-completion-date-before-transfer",
    UpdateCompletionDateForbidden => "update-completion-date-forbidden",
    FeedbackNotPending => "feedback-not-pending",
    RoleRequired => "auth-role-required",
    NotYourBody => "auth-not-your-body",
    ClearanceTooLow => "auth-clearance-too-low",
    VersionConflict => "version-conflict",
    CalendarYearInvalid => "calendar-year-invalid",
    CalendarHoursInvalid => "calendar-hours-invalid",
    CalendarDayOutsideYear => "calendar-day-outside-year",
    CalendarDayDuplicate => "calendar-day-duplicate",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A value placed into a message. Dates and instants stay typed so that the catalogue formats
/// them as `dd/mm/yyyy` and `HH:MM` in Asia/Ho_Chi_Minh whatever the language.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Number(i64),
    Date(Date),
    Instant(Timestamp),
    /// Another message id, translated in place (for example the name of a state or a role).
    Message(String),
    /// Several message ids, translated and joined with commas.
    Messages(Vec<String>),
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg::Text(value.to_owned())
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Text(value)
    }
}

impl From<i64> for Arg {
    fn from(value: i64) -> Self {
        Arg::Number(value)
    }
}

impl From<usize> for Arg {
    fn from(value: usize) -> Self {
        Arg::Number(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

impl From<Date> for Arg {
    fn from(value: Date) -> Self {
        Arg::Date(value)
    }
}

impl From<Timestamp> for Arg {
    fn from(value: Timestamp) -> Self {
        Arg::Instant(value)
    }
}

/// Named message arguments.
pub type Args = Vec<(&'static str, Arg)>;

/// One broken rule on one input field.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Path of the field in the request, such as `symbol` or `tasks[1].deadline`.
    pub field: String,
    pub code: Code,
    pub args: Args,
    /// Message id of the field's name when the path alone is ambiguous, such as `kind`,
    /// which names a document kind in one request and a feedback kind in another.
    pub label: Option<&'static str>,
}

/// Error returned by every domain operation.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct DomainError {
    pub kind: ErrorKind,
    pub code: Code,
    pub args: Args,
    /// Field-level details; non-empty for [`ErrorKind::Invalid`].
    pub violations: Vec<Violation>,
}

impl fmt::Display for DomainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        for violation in &self.violations {
            write!(f, "; {}: {}", violation.field, violation.code)?;
        }
        Ok(())
    }
}

impl DomainError {
    fn new(kind: ErrorKind, code: Code, args: Args) -> Self {
        Self {
            kind,
            code,
            args,
            violations: Vec::new(),
        }
    }

    /// Input that breaks the rules listed in `violations`.
    pub fn invalid(violations: Vec<Violation>) -> Self {
        Self {
            kind: ErrorKind::Invalid,
            code: Code::ValidationFailed,
            args: Vec::new(),
            violations,
        }
    }

    /// One invalid field.
    pub fn field(field: impl Into<String>, code: Code, args: Args) -> Self {
        Self::invalid(vec![Violation {
            field: field.into(),
            code,
            args,
            label: None,
        }])
    }

    pub fn not_found(code: Code, args: Args) -> Self {
        Self::new(ErrorKind::NotFound, code, args)
    }

    pub fn forbidden(code: Code, args: Args) -> Self {
        Self::new(ErrorKind::Forbidden, code, args)
    }

    pub fn conflict(code: Code, args: Args) -> Self {
        Self::new(ErrorKind::Conflict, code, args)
    }

    /// Names the field `field` with the message `label` in messages.
    pub fn labelled(mut self, field: &str, label: &'static str) -> Self {
        for violation in &mut self.violations {
            if violation.field == field {
                violation.label = Some(label);
            }
        }
        self
    }

    /// Prefixes every violation's field path, for errors of an item inside a list.
    pub fn within(mut self, prefix: &str) -> Self {
        for violation in &mut self.violations {
            violation.field = format!("{prefix}.{}", violation.field);
        }
        self
    }
}

/// An error for a coded value outside `allowed`, listing the accepted codes.
pub fn not_one_of<'a>(field: &str, allowed: impl IntoIterator<Item = &'a str>) -> DomainError {
    let allowed: Vec<&str> = allowed.into_iter().collect();
    DomainError::field(
        field,
        Code::NotOneOf,
        vec![("allowed", allowed.join(", ").into())],
    )
}

/// Collects violations so that one request reports every invalid field at once.
#[derive(Debug, Default)]
pub struct Violations(Vec<Violation>);

impl Violations {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, field: impl Into<String>, code: Code, args: Args) {
        self.0.push(Violation {
            field: field.into(),
            code,
            args,
            label: None,
        });
    }

    /// Records the violations of a nested validation under `prefix`.
    pub fn absorb(&mut self, prefix: &str, error: DomainError) {
        for violation in error.within(prefix).violations {
            self.0.push(violation);
        }
    }

    /// Records every violation of `error`.
    pub fn record(&mut self, error: DomainError) {
        let _ = self.check::<()>(Err(error));
    }

    /// Keeps the value when it is valid, or records its violation and returns `None`.
    pub fn check<T>(&mut self, result: Result<T, DomainError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) if error.violations.is_empty() => {
                self.0.push(Violation {
                    field: String::new(),
                    code: error.code,
                    args: error.args,
                    label: None,
                });
                None
            }
            Err(error) => {
                self.0.extend(error.violations);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when nothing was recorded, else the error listing every violation.
    pub fn finish(self) -> Result<(), DomainError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(DomainError::invalid(self.0))
        }
    }
}

pub type DomainResult<T> = Result<T, DomainError>;
