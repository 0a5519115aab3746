//! Events of a task's history. Events are appended and never edited: the task's state, its
//! result state at any date and its obligations are folds over this list.

use crate::catalogue::Classification;
use crate::confidentiality::Confidentiality;
use crate::ids::{DocumentId, GroupId, OrgId, TaskId, UpdateNo, UserId};
use crate::schedule::{Checkpoint, Period, UpdateSchedule};
use crate::task::update::{Evaluation, UpdateContent};
use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};

/// One event with who, where, when and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskEvent {
    /// Position in the task's history, from 1; also the task's version after this event.
    pub seq: u32,
    pub at: Timestamp,
    /// `None` for events the system appends on its own (scheduled work).
    pub actor: Option<UserId>,
    /// The body the actor acted for.
    pub body: Option<OrgId>,
    pub reason: Option<String>,
    pub change: TaskChange,
}

/// Why a body returns a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackKind {
    /// The content is wrong.
    WrongContent,
    /// The task is outside the body's authority.
    OutsideAuthority,
}

/// How the assigning side settled a body's feedback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FeedbackOutcome {
    /// The task was adjusted (content, scope, bodies) and goes back to the same body.
    Adjusted,
    /// Wrong data was corrected and the task goes back to the same body.
    Corrected,
    /// The task goes to another lead body.
    Reassigned { from: OrgId, to: OrgId },
    /// The feedback was not accepted; the body keeps the task as it was.
    Rejected,
}

/// Channel of an urging act ("đôn đốc").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrgeChannel {
    System,
    Report,
    Meeting,
    Phone,
    OnlineMeeting,
    Email,
    Fax,
    Other,
}

impl UrgeChannel {
    pub const ALL: [UrgeChannel; 8] = [
        UrgeChannel::System,
        UrgeChannel::Report,
        UrgeChannel::Meeting,
        UrgeChannel::Phone,
        UrgeChannel::OnlineMeeting,
        UrgeChannel::Email,
        UrgeChannel::Fax,
        UrgeChannel::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UrgeChannel::System => "system",
            UrgeChannel::Report => "report",
            UrgeChannel::Meeting => "meeting",
            UrgeChannel::Phone => "phone",
            UrgeChannel::OnlineMeeting => "online_meeting",
            UrgeChannel::Email => "email",
            UrgeChannel::Fax => "fax",
            UrgeChannel::Other => "other",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|channel| channel.as_str() == value)
    }
}

/// A due time with the calendar version that computed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueTime {
    pub at: Timestamp,
    pub calendar_version: String,
}

/// Fields changed by an edit; `None` leaves a field as it was.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskEdits {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub expected_products: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<Classification>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_body: Option<OrgId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinating_bodies: Option<Vec<OrgId>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitoring_body: Option<OrgId>,
    /// Only before the first transfer; afterwards a deadline changes by extension.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub deadline: Option<Option<Date>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_period: Option<Period>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub group_id: Option<Option<GroupId>>,
}

impl TaskEdits {
    pub fn is_empty(&self) -> bool {
        *self == TaskEdits::default()
    }
}

/// Reads a field that is present as `Some`, so that `null` (a removed value) stays
/// `Some(None)`. Serde's default reading of `Option<Option<T>>` turns `null` into `None`,
/// which a replay would take for "unchanged".
fn present<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// The facts of a new task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskCreated {
    pub document_id: DocumentId,
    pub group_id: Option<GroupId>,
    pub parent_id: Option<TaskId>,
    /// Position of the task within its document (or within its parent for sub-tasks).
    pub ordinal: u32,
    /// `None` for tasks of classified documents.
    pub content: Option<String>,
    pub expected_products: Option<String>,
    pub classification: Classification,
    pub confidentiality: Confidentiality,
    pub lead_body: OrgId,
    pub coordinating_bodies: Vec<OrgId>,
    pub monitoring_body: OrgId,
    pub deadline: Option<Date>,
    pub report_period: Period,
    /// The body that assigns the task: the Central Office, or the delegating body of a sub-task.
    pub assigning_body: OrgId,
    /// Entry obligation of the document; `None` for sub-tasks.
    pub entry_due: Option<DueTime>,
}

/// A change in a task's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TaskChange {
    Created(Box<TaskCreated>),
    Edited(Box<TaskEdits>),
    Transferred {
        to: OrgId,
        receipt_due: Timestamp,
        schedule: UpdateSchedule,
    },
    ReceiptConfirmed {
        feedback_due: Timestamp,
        calendar_version: String,
    },
    Returned {
        kind: FeedbackKind,
        handling_due: Timestamp,
        calendar_version: String,
    },
    FeedbackHandled {
        outcome: FeedbackOutcome,
        edits: Box<TaskEdits>,
    },
    UpdateDrafted {
        update: UpdateNo,
        content: Box<UpdateContent>,
    },
    UpdateEdited {
        update: UpdateNo,
        content: Box<UpdateContent>,
        /// Whether this edit voided an approval given earlier.
        voided_approval: bool,
    },
    UpdateApproved {
        update: UpdateNo,
        evaluation_due: Timestamp,
        /// Set when the update reports completion (or execution finished without completion)
        /// on a task with a deadline: the final report was due this many working days after
        /// the reported date.
        final_report_due: Option<Timestamp>,
        calendar_version: String,
    },
    UpdateReturned {
        update: UpdateNo,
    },
    UpdateEvaluated {
        update: UpdateNo,
        evaluation: Evaluation,
    },
    ExtensionRequested {
        proposed: Date,
    },
    DeadlineExtended {
        from: Date,
        to: Date,
        schedule: UpdateSchedule,
    },
    UpdateRequested {
        due_at: Timestamp,
        calendar_version: String,
    },
    Urged {
        channel: UrgeChannel,
    },
    DifficultyReported {
        /// Sent to the Central Office and copied to the Central Inspection Commission.
        copied_to: Option<OrgId>,
    },
    Delegated {
        subtask: TaskId,
        to: OrgId,
    },
    /// More periodic checkpoints for a task without a deadline, appended by the scheduler.
    ScheduleExtended {
        checkpoints: Vec<Checkpoint>,
        calendar_version: String,
    },
    Withdrawn,
    Cancelled,
}

impl TaskChange {
    /// Stable name of the event type, as stored and shown in the API.
    pub fn name(&self) -> &'static str {
        match self {
            TaskChange::Created(_) => "created",
            TaskChange::Edited(_) => "edited",
            TaskChange::Transferred { .. } => "transferred",
            TaskChange::ReceiptConfirmed { .. } => "receipt_confirmed",
            TaskChange::Returned { .. } => "returned",
            TaskChange::FeedbackHandled { .. } => "feedback_handled",
            TaskChange::UpdateDrafted { .. } => "update_drafted",
            TaskChange::UpdateEdited { .. } => "update_edited",
            TaskChange::UpdateApproved { .. } => "update_approved",
            TaskChange::UpdateReturned { .. } => "update_returned",
            TaskChange::UpdateEvaluated { .. } => "update_evaluated",
            TaskChange::ExtensionRequested { .. } => "extension_requested",
            TaskChange::DeadlineExtended { .. } => "deadline_extended",
            TaskChange::UpdateRequested { .. } => "update_requested",
            TaskChange::Urged { .. } => "urged",
            TaskChange::DifficultyReported { .. } => "difficulty_reported",
            TaskChange::Delegated { .. } => "delegated",
            TaskChange::ScheduleExtended { .. } => "schedule_extended",
            TaskChange::Withdrawn => "withdrawn",
            TaskChange::Cancelled => "cancelled",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removed_values_survive_a_round_trip() {
        let edits = TaskEdits {
            expected_products: Some(None),
            deadline: Some(None),
            group_id: Some(None),
            ..TaskEdits::default()
        };
        let json = serde_json::to_string(&edits).expect("serialise");
        let read: TaskEdits = serde_json::from_str(&json).expect("deserialise");
        assert_eq!(read, edits, "{json}");
    }

    #[test]
    fn absent_and_set_values_read_as_before() {
        let read: TaskEdits = serde_json::from_str(r#"{"deadline":"2026-05-29"}"#).expect("read");
        assert_eq!(
            read,
            TaskEdits {
                deadline: Some(Some(jiff::civil::date(2026, 5, 29))),
                ..TaskEdits::default()
            }
        );
        assert_eq!(read.group_id, None);
        assert_eq!(read.expected_products, None);
    }
}
