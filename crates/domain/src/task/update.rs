//! Progress updates: drafted by a body's updater on the unified form, approved by its approver
//! before they count, then evaluated by the monitoring body.

use crate::confidentiality::{Confidentiality, forbidden_field};
use crate::document::parse_date;
use crate::error::{Code, DomainResult, Violations};
use crate::ids::{UpdateNo, UserId};
use crate::text;
use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};

/// Implementation status reported by a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgressStatus {
    NotStarted,
    InProgress,
    /// The task is fully achieved.
    Completed,
    /// Execution finished without the task being fully achieved.
    DoneNotCompleted,
}

impl ProgressStatus {
    pub const ALL: [ProgressStatus; 4] = [
        ProgressStatus::NotStarted,
        ProgressStatus::InProgress,
        ProgressStatus::Completed,
        ProgressStatus::DoneNotCompleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProgressStatus::NotStarted => "not_started",
            ProgressStatus::InProgress => "in_progress",
            ProgressStatus::Completed => "completed",
            ProgressStatus::DoneNotCompleted => "done_not_completed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    /// Whether the update closes execution, which starts the final-report clock.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ProgressStatus::Completed | ProgressStatus::DoneNotCompleted
        )
    }
}

/// A product delivered by the task, such as a report or a draft regulation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub name: String,
    /// Reference to an attached file, when one was uploaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// The validated content of a progress update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateContent {
    pub status: ProgressStatus,
    /// Percentage done; `None` for classified tasks.
    pub percent: Option<u8>,
    /// The date execution finished, for final statuses.
    pub completion_date: Option<Date>,
    pub results: Option<String>,
    pub products: Vec<Product>,
    pub difficulties: Option<String>,
    pub proposals: Option<String>,
}

/// A progress update as typed by the updater.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateInput {
    pub status: Option<String>,
    pub percent: Option<i64>,
    pub completion_date: Option<String>,
    pub results: Option<String>,
    #[serde(default)]
    pub products: Vec<ProductInput>,
    pub difficulties: Option<String>,
    pub proposals: Option<String>,
}

/// A product as typed by the updater.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductInput {
    pub name: Option<String>,
    pub file: Option<String>,
}

/// Most products on one update.
pub const MAX_PRODUCTS: usize = 50;

/// What validation of an update needs to know about its task.
#[derive(Debug, Clone, Copy)]
pub struct UpdateRules {
    pub confidentiality: Confidentiality,
    /// Local date of the first transfer; a completion cannot precede it.
    pub transferred_on: Date,
    pub today: Date,
    /// Reporting "done but not completed" needs a deadline to have failed against.
    pub has_deadline: bool,
}

impl UpdateInput {
    pub fn validate(&self, rules: UpdateRules) -> DomainResult<UpdateContent> {
        let mut violations = Violations::new();
        let classified = !rules.confidentiality.allows_detailed_results();

        let status = match self.status.as_deref() {
            None | Some("") => {
                violations.push("status", Code::Required, vec![]);
                None
            }
            Some(value) => {
                let status = ProgressStatus::parse(value);
                if status.is_none() {
                    violations.record(crate::error::not_one_of(
                        "status",
                        ProgressStatus::ALL.into_iter().map(ProgressStatus::as_str),
                    ));
                }
                status
            }
        };
        if classified && status.is_some_and(|status| !status.is_final()) {
            violations.push("status", Code::ClassifiedStatusOnly, vec![]);
        }
        if !rules.has_deadline && status == Some(ProgressStatus::DoneNotCompleted) {
            violations.push("status", Code::TaskNoDeadline, vec![]);
        }

        let percent = self.validate_percent(&mut violations, status, rules.confidentiality);
        let completion_date = self.validate_completion_date(&mut violations, status, rules);

        let mut detail = |field: &str, value: &Option<String>| -> Option<String> {
            let value = violations
                .check(text::optional_text(field, value.as_deref(), text::MAX_TEXT))
                .flatten();
            if classified && value.is_some() {
                violations.record(forbidden_field(field, rules.confidentiality));
            }
            value
        };
        let results = detail("results", &self.results);
        let difficulties = detail("difficulties", &self.difficulties);
        let proposals = detail("proposals", &self.proposals);

        let products = self.validate_products(&mut violations, rules.confidentiality);
        violations.finish()?;

        let status = status.expect("checked above");
        Ok(UpdateContent {
            status,
            percent: match (classified, status) {
                (true, _) => None,
                (false, ProgressStatus::Completed) => Some(100),
                (false, _) => Some(percent.unwrap_or(0)),
            },
            completion_date,
            results,
            products,
            difficulties,
            proposals,
        })
    }

    fn validate_percent(
        &self,
        violations: &mut Violations,
        status: Option<ProgressStatus>,
        confidentiality: Confidentiality,
    ) -> Option<u8> {
        let percent = self.percent?;
        if !confidentiality.allows_detailed_results() {
            violations.record(forbidden_field("percent", confidentiality));
            return None;
        }
        if !(0..=100).contains(&percent) {
            violations.push(
                "percent",
                Code::OutOfRange,
                vec![("min", 0i64.into()), ("max", 100i64.into())],
            );
            return None;
        }
        let percent = u8::try_from(percent).expect("range checked");
        let consistent = match status {
            Some(ProgressStatus::NotStarted) => percent == 0,
            Some(ProgressStatus::InProgress) => percent < 100,
            Some(ProgressStatus::Completed) => percent == 100,
            Some(ProgressStatus::DoneNotCompleted) | None => true,
        };
        if !consistent {
            violations.push("percent", Code::UpdateStatusPercentMismatch, vec![]);
        }
        Some(percent)
    }

    fn validate_completion_date(
        &self,
        violations: &mut Violations,
        status: Option<ProgressStatus>,
        rules: UpdateRules,
    ) -> Option<Date> {
        let is_final = status.is_some_and(ProgressStatus::is_final);
        let date = match self.completion_date.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(value) => violations.check(parse_date("completion_date", value)),
        };
        match (is_final, date) {
            (true, None)
                if self
                    .completion_date
                    .as_deref()
                    .is_none_or(|v| v.trim().is_empty()) =>
            {
                violations.push(
                    "completion_date",
                    Code::UpdateCompletionDateRequired,
                    vec![],
                );
                None
            }
            (true, Some(date)) if date > rules.today => {
                violations.push(
                    "completion_date",
                    Code::UpdateCompletionDateInFuture,
                    vec![("max", rules.today.into())],
                );
                None
            }
            (true, Some(date)) if date < rules.transferred_on => {
                violations.push(
                    "completion_date",
                    Code::UpdateCompletionDateBeforeTransfer,
                    vec![("min", rules.transferred_on.into())],
                );
                None
            }
            (false, Some(_)) => {
                violations.push(
                    "completion_date",
                    Code::UpdateCompletionDateForbidden,
                    vec![],
                );
                None
            }
            (_, date) => date,
        }
    }

    fn validate_products(
        &self,
        violations: &mut Violations,
        confidentiality: Confidentiality,
    ) -> Vec<Product> {
        if self.products.is_empty() {
            return Vec::new();
        }
        if !confidentiality.allows_detailed_results() {
            violations.record(forbidden_field("products", confidentiality));
            return Vec::new();
        }
        if self.products.len() > MAX_PRODUCTS {
            violations.push(
                "products",
                Code::TooMany,
                vec![("max", MAX_PRODUCTS.into())],
            );
            return Vec::new();
        }
        let mut products = Vec::new();
        for (index, product) in self.products.iter().enumerate() {
            let field = format!("products[{index}].name");
            let name = violations.check(text::required_line(
                &field,
                product.name.as_deref().unwrap_or(""),
                text::MAX_LINE,
            ));
            let file = violations
                .check(text::optional_line(
                    &format!("products[{index}].file"),
                    product.file.as_deref(),
                    200,
                ))
                .flatten();
            if let Some(name) = name {
                products.push(Product { name, file });
            }
        }
        products
    }
}

/// Rating given by the monitoring body to an approved update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// Tốt.
    Good,
    /// Đạt yêu cầu.
    Satisfactory,
    /// Chưa đạt: the body must correct or complete the report.
    Unsatisfactory,
}

impl Rating {
    pub const ALL: [Rating; 3] = [Rating::Good, Rating::Satisfactory, Rating::Unsatisfactory];

    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Good => "good",
            Rating::Satisfactory => "satisfactory",
            Rating::Unsatisfactory => "unsatisfactory",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }
}

/// An evaluation of one approved update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub rating: Rating,
    pub comment: Option<String>,
}

/// Where a progress update stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum UpdateState {
    /// Waiting for the approver.
    AwaitingApproval,
    Approved {
        by: UserId,
        at: Timestamp,
    },
    /// Sent back to the updater by the approver.
    Returned {
        by: UserId,
        at: Timestamp,
    },
}

/// A progress update and its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressUpdate {
    pub no: UpdateNo,
    pub content: UpdateContent,
    pub drafted_by: UserId,
    pub drafted_at: Timestamp,
    /// Everyone who wrote any version of it; none of them may approve it.
    pub authors: Vec<UserId>,
    pub state: UpdateState,
    pub evaluation: Option<Evaluation>,
    /// Approvals given and later voided by an edit.
    pub voided_approvals: u32,
}

impl ProgressUpdate {
    pub fn approved_at(&self) -> Option<Timestamp> {
        match self.state {
            UpdateState::Approved { at, .. } => Some(at),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DomainError;
    use jiff::civil::date;

    fn rules(confidentiality: Confidentiality) -> UpdateRules {
        UpdateRules {
            confidentiality,
            transferred_on: date(2026, 3, 2),
            today: date(2026, 5, 10),
            has_deadline: true,
        }
    }

    fn fields(error: &DomainError) -> Vec<(&str, Code)> {
        error
            .violations
            .iter()
            .map(|v| (v.field.as_str(), v.code))
            .collect()
    }

    #[test]
    fn in_progress_update_is_accepted() {
        let input = UpdateInput {
            status: Some("in_progress".into()),
            percent: Some(40),
            results: Some("Đã xây dựng dự thảo".into()),
            products: vec![ProductInput {
                name: Some("Dự thảo đề án".into()),
                file: None,
            }],
            ..Default::default()
        };
        let content = input.validate(rules(Confidentiality::Normal)).unwrap();
        assert_eq!(content.percent, Some(40));
        assert_eq!(content.products.len(), 1);
    }

    #[test]
    fn completion_sets_full_percent_and_needs_a_date() {
        let input = UpdateInput {
            status: Some("completed".into()),
            ..Default::default()
        };
        let error = input.validate(rules(Confidentiality::Normal)).unwrap_err();
        assert_eq!(
            fields(&error),
            [("completion_date", Code::UpdateCompletionDateRequired)]
        );
        let input = UpdateInput {
            completion_date: Some("2026-05-09".into()),
            ..input
        };
        assert_eq!(
            input
                .validate(rules(Confidentiality::Normal))
                .unwrap()
                .percent,
            Some(100)
        );
    }

    #[test]
    fn inconsistent_values_are_rejected_per_field() {
        let input = UpdateInput {
            status: Some("not_started".into()),
            percent: Some(30),
            completion_date: Some("2026-05-01".into()),
            ..Default::default()
        };
        assert_eq!(
            fields(&input.validate(rules(Confidentiality::Normal)).unwrap_err()),
            [
                ("percent", Code::UpdateStatusPercentMismatch),
                ("completion_date", Code::UpdateCompletionDateForbidden)
            ]
        );
        let input = UpdateInput {
            status: Some("completed".into()),
            percent: Some(101),
            completion_date: Some("2026-06-01".into()),
            ..Default::default()
        };
        assert_eq!(
            fields(&input.validate(rules(Confidentiality::Normal)).unwrap_err()),
            [
                ("percent", Code::OutOfRange),
                ("completion_date", Code::UpdateCompletionDateInFuture)
            ]
        );
    }

    #[test]
    fn classified_update_keeps_only_the_outcome() {
        let input = UpdateInput {
            status: Some("in_progress".into()),
            percent: Some(50),
            results: Some("chi tiết".into()),
            ..Default::default()
        };
        let error = input.validate(rules(Confidentiality::Secret)).unwrap_err();
        assert_eq!(
            fields(&error),
            [
                ("status", Code::ClassifiedStatusOnly),
                ("percent", Code::FieldForbiddenForLevel),
                ("results", Code::FieldForbiddenForLevel)
            ]
        );
        let input = UpdateInput {
            status: Some("completed".into()),
            completion_date: Some("2026-05-01".into()),
            ..Default::default()
        };
        let content = input.validate(rules(Confidentiality::Secret)).unwrap();
        assert_eq!(content.percent, None);
    }

    #[test]
    fn done_not_completed_needs_a_deadline() {
        let input = UpdateInput {
            status: Some("done_not_completed".into()),
            completion_date: Some("2026-05-01".into()),
            ..Default::default()
        };
        let mut rules = rules(Confidentiality::Normal);
        rules.has_deadline = false;
        assert_eq!(
            fields(&input.validate(rules).unwrap_err()),
            [("status", Code::TaskNoDeadline)]
        );
    }
}
