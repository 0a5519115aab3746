//! The document and task fields of the entry forms as the user typed them, read from the
//! posted name–value pairs and turned into domain inputs.
//!
//! Task fields are named `tasks[i].name`, the same paths the domain uses in its errors, so
//! each error finds its input. Everything is kept as text so that a form shown again after an
//! error contains exactly what was typed.

use super::errors::LocalError;
use jiff::civil::Date;
use std::collections::BTreeMap;
use theodoi_domain::catalogue::ClassificationInput;
use theodoi_domain::confidentiality::Confidentiality;
use theodoi_domain::document::DocumentInput;
use theodoi_domain::ids::OrgId;
use theodoi_domain::task::NewTaskInput;

/// Most task rows one form takes; rows beyond it are ignored.
pub const MAX_ROWS: usize = 200;

/// A posted form: name–value pairs in the order the browser sent them.
pub type Pairs = Vec<(String, String)>;

/// Reads a date typed as `dd/mm/yyyy` (or `d/m/yyyy`) and returns it as `YYYY-MM-DD`. An
/// ISO date passes unchanged, an empty value gives `None`, and anything else passes unchanged
/// so that the domain reports it on its field.
pub fn form_date(value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let parts: Vec<&str> = value.split('/').map(str::trim).collect();
    if let [day, month, year] = parts.as_slice()
        && let (Ok(day), Ok(month), Ok(year)) =
            (day.parse::<i8>(), month.parse::<i8>(), year.parse::<i16>())
        && year >= 1000
        && let Ok(date) = Date::new(year, month, day)
    {
        return Some(date.to_string());
    }
    Some(value.to_owned())
}

/// Reads an organisation id from a select; an empty value gives `None`, and a value that is
/// not a number is reported on `field`.
pub fn org_id(value: &str, field: &str, errors: &mut Vec<LocalError>) -> Option<OrgId> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match value.parse::<i64>() {
        Ok(id) => Some(OrgId(id)),
        Err(_) => {
            errors.push(LocalError::invalid(field));
            None
        }
    }
}

fn non_empty(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| value.to_owned())
}

/// The document fields as typed.
#[derive(Debug, Clone, Default)]
pub struct DocumentFields {
    pub kind: String,
    pub symbol: String,
    pub title: String,
    /// `dd/mm/yyyy` as typed.
    pub issue_date: String,
    pub signer: String,
    pub issuing_body: String,
    pub assigning_authority: String,
    pub monitoring_body: String,
    pub confidentiality: String,
    pub summary: String,
}

impl DocumentFields {
    fn set(&mut self, name: &str, value: String) {
        let slot = match name {
            "kind" => &mut self.kind,
            "symbol" => &mut self.symbol,
            "title" => &mut self.title,
            "issue_date" => &mut self.issue_date,
            "signer" => &mut self.signer,
            "issuing_body" => &mut self.issuing_body,
            "assigning_authority" => &mut self.assigning_authority,
            "monitoring_body" => &mut self.monitoring_body,
            "confidentiality" => &mut self.confidentiality,
            "summary" => &mut self.summary,
            _ => return,
        };
        *slot = value;
    }

    /// Returns the level chosen, when it is one the form offers.
    pub fn level(&self) -> Option<Confidentiality> {
        Confidentiality::parse(self.confidentiality.trim())
    }

    /// Returns true when the chosen level keeps no summary and no task content.
    pub fn is_classified(&self) -> bool {
        self.level().is_some_and(Confidentiality::is_classified)
    }

    /// Builds the domain input. Unreadable organisation ids are added to `errors`.
    pub fn input(&self, errors: &mut Vec<LocalError>) -> DocumentInput {
        DocumentInput {
            kind: non_empty(&self.kind),
            symbol: non_empty(&self.symbol),
            title: Some(self.title.clone()),
            issue_date: form_date(&self.issue_date),
            signer: Some(self.signer.clone()),
            issuing_body: org_id(&self.issuing_body, "issuing_body", errors),
            assigning_authority: org_id(&self.assigning_authority, "assigning_authority", errors),
            monitoring_body: org_id(&self.monitoring_body, "monitoring_body", errors),
            confidentiality: non_empty(&self.confidentiality),
            summary: non_empty(&self.summary),
        }
    }
}

/// One task row as typed.
#[derive(Debug, Clone, Default)]
pub struct TaskFields {
    pub content: String,
    pub expected_products: String,
    pub lead_body: String,
    pub coordinating_bodies: Vec<String>,
    /// Empty for the document's monitoring body.
    pub monitoring_body: String,
    /// `dd/mm/yyyy` as typed.
    pub deadline: String,
    pub no_deadline: bool,
    pub report_period: String,
    pub executing_unit: String,
    pub scope: String,
    pub scope_detail: String,
    pub priority: String,
    pub other: String,
}

impl TaskFields {
    fn set(&mut self, name: &str, value: String) {
        let slot = match name {
            "coordinating_bodies" => {
                if !value.trim().is_empty() {
                    self.coordinating_bodies.push(value);
                }
                return;
            }
            "no_deadline" => {
                self.no_deadline = !value.is_empty();
                return;
            }
            "content" => &mut self.content,
            "expected_products" => &mut self.expected_products,
            "lead_body" => &mut self.lead_body,
            "monitoring_body" => &mut self.monitoring_body,
            "deadline" => &mut self.deadline,
            "report_period" => &mut self.report_period,
            "classification.executing_unit" => &mut self.executing_unit,
            "classification.scope" => &mut self.scope,
            "classification.scope_detail" => &mut self.scope_detail,
            "classification.priority" => &mut self.priority,
            "classification.other" => &mut self.other,
            _ => return,
        };
        *slot = value;
    }

    /// Returns true when `id` is among the coordinating bodies chosen.
    pub fn coordinates(&self, id: &str) -> bool {
        self.coordinating_bodies.iter().any(|chosen| chosen == id)
    }

    /// Builds the domain input of row `index`. A row must give a deadline or tick "no
    /// deadline". A row that does neither, and unreadable ids, are added to `errors`.
    pub fn input(&self, index: usize, errors: &mut Vec<LocalError>) -> NewTaskInput {
        let field = |name: &str| format!("tasks[{index}].{name}");
        let deadline = if self.no_deadline {
            None
        } else {
            let deadline = form_date(&self.deadline);
            if deadline.is_none() {
                errors.push(LocalError::new(
                    field("deadline"),
                    "ui-documents-deadline-missing",
                ));
            }
            deadline
        };
        let coordinating_bodies = self
            .coordinating_bodies
            .iter()
            .enumerate()
            .filter_map(|(position, value)| {
                org_id(
                    value,
                    &field(&format!("coordinating_bodies[{position}]")),
                    errors,
                )
            })
            .collect();
        NewTaskInput {
            group_id: None,
            content: non_empty(&self.content),
            expected_products: non_empty(&self.expected_products),
            classification: ClassificationInput {
                executing_unit: non_empty(&self.executing_unit),
                scope: non_empty(&self.scope),
                scope_detail: non_empty(&self.scope_detail),
                priority: non_empty(&self.priority),
                other: non_empty(&self.other),
            },
            lead_body: org_id(&self.lead_body, &field("lead_body"), errors),
            coordinating_bodies,
            monitoring_body: org_id(&self.monitoring_body, &field("monitoring_body"), errors),
            deadline,
            report_period: non_empty(&self.report_period),
        }
    }
}

/// Everything an entry form posts: the document (for a new document), its task rows, the
/// button pressed and the hidden keys.
#[derive(Debug, Clone, Default)]
pub struct EntryForm {
    pub document: DocumentFields,
    pub tasks: Vec<TaskFields>,
    /// The `action` of the button pressed.
    pub action: String,
    /// The form's idempotency key, kept when the form is shown again.
    pub idem: String,
    /// The document a task is added to, on a document's page.
    pub document_id: Option<i64>,
}

impl EntryForm {
    /// Reads the posted pairs. Task rows are renumbered from 0 in the order of their indexes,
    /// so a removed row leaves no gap.
    pub fn parse(pairs: &[(String, String)]) -> EntryForm {
        let mut form = EntryForm::default();
        let mut rows: BTreeMap<usize, TaskFields> = BTreeMap::new();
        for (name, value) in pairs {
            if let Some((index, field)) = task_field(name) {
                if index < MAX_ROWS {
                    rows.entry(index).or_default().set(field, value.clone());
                }
                continue;
            }
            match name.as_str() {
                "action" => form.action = value.clone(),
                "_idem" => form.idem = value.clone(),
                "document_id" => form.document_id = value.trim().parse().ok(),
                other => form.document.set(other, value.clone()),
            }
        }
        form.tasks = rows.into_values().collect();
        form
    }

    /// Starts a form with one empty task row.
    pub fn blank(idem: String) -> EntryForm {
        EntryForm {
            tasks: vec![TaskFields::default()],
            idem,
            ..Default::default()
        }
    }
}

/// Splits `tasks[3].deadline` into `(3, "deadline")`.
fn task_field(name: &str) -> Option<(usize, &str)> {
    let rest = name.strip_prefix("tasks[")?;
    let (index, rest) = rest.split_once(']')?;
    let field = rest.strip_prefix('.')?;
    Some((index.parse().ok()?, field))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Pairs {
        items
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn typed_dates_become_iso() {
        assert_eq!(form_date("05/03/2026").as_deref(), Some("2026-03-05"));
        assert_eq!(form_date(" 5/3/2026 ").as_deref(), Some("2026-03-05"));
        assert_eq!(form_date("2026-03-05").as_deref(), Some("2026-03-05"));
        assert_eq!(form_date("31/02/2026").as_deref(), Some("31/02/2026"));
        assert_eq!(form_date("  "), None);
    }

    #[test]
    fn rows_are_read_in_index_order_without_gaps() {
        let form = EntryForm::parse(&pairs(&[
            ("symbol", "57-NQ/TW"),
            ("tasks[3].content", "Thứ hai"),
            ("tasks[0].content", "Thứ nhất"),
            ("tasks[0].coordinating_bodies", "7"),
            ("tasks[0].coordinating_bodies", "9"),
            ("tasks[3].no_deadline", "1"),
            ("tasks[0].classification.scope", "sector"),
            ("action", "save"),
        ]));
        assert_eq!(form.document.symbol, "57-NQ/TW");
        assert_eq!(form.tasks.len(), 2);
        assert_eq!(form.tasks[0].content, "Thứ nhất");
        assert_eq!(form.tasks[0].coordinating_bodies, ["7", "9"]);
        assert_eq!(form.tasks[0].scope, "sector");
        assert!(form.tasks[1].no_deadline);
        assert_eq!(form.action, "save");
    }

    #[test]
    fn missing_deadline_needs_the_no_deadline_box() {
        let row = TaskFields {
            content: "Nội dung".into(),
            lead_body: "12".into(),
            ..Default::default()
        };
        let mut errors = Vec::new();
        let input = row.input(2, &mut errors);
        assert_eq!(input.deadline, None);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "tasks[2].deadline");

        let open_ended = TaskFields {
            no_deadline: true,
            deadline: "01/01/2027".into(),
            ..row
        };
        let mut errors = Vec::new();
        assert_eq!(open_ended.input(0, &mut errors).deadline, None);
        assert!(errors.is_empty());
    }
}
