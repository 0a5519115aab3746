//! Result classification of a task ("phân loại kết quả"): derived from its history and a date,
//! never typed in.

use crate::ids::TaskId;
use crate::task::event::TaskEvent;
use crate::task::update::ProgressStatus;
use crate::task::{Task, TaskStatus};
use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};
use theodoi_calendar::local_date;

/// The result state of a task at some moment. The first seven apply to tasks with a deadline;
/// tasks without one are only completed, in progress or not started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultState {
    /// Đã hoàn thành – đúng hạn.
    CompletedOnTime,
    /// Đã hoàn thành – quá hạn.
    CompletedLate,
    /// Đang thực hiện – trong hạn.
    InProgressOnTime,
    /// Đang thực hiện – quá hạn.
    InProgressOverdue,
    /// Đã thực hiện nhưng chưa hoàn thành (quá hạn).
    DoneNotCompleted,
    /// Chưa thực hiện – trong hạn.
    NotStartedOnTime,
    /// Chưa thực hiện – quá hạn (không thực hiện).
    NotStartedOverdue,
    /// Đã hoàn thành, for a task without a deadline.
    Completed,
    /// Đang thực hiện, for a task without a deadline.
    InProgress,
    /// Chưa thực hiện, for a task without a deadline.
    NotStarted,
}

impl ResultState {
    pub const ALL: [ResultState; 10] = [
        ResultState::CompletedOnTime,
        ResultState::CompletedLate,
        ResultState::InProgressOnTime,
        ResultState::InProgressOverdue,
        ResultState::DoneNotCompleted,
        ResultState::NotStartedOnTime,
        ResultState::NotStartedOverdue,
        ResultState::Completed,
        ResultState::InProgress,
        ResultState::NotStarted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResultState::CompletedOnTime => "completed_on_time",
            ResultState::CompletedLate => "completed_late",
            ResultState::InProgressOnTime => "in_progress_on_time",
            ResultState::InProgressOverdue => "in_progress_overdue",
            ResultState::DoneNotCompleted => "done_not_completed",
            ResultState::NotStartedOnTime => "not_started_on_time",
            ResultState::NotStartedOverdue => "not_started_overdue",
            ResultState::Completed => "completed",
            ResultState::InProgress => "in_progress",
            ResultState::NotStarted => "not_started",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == value)
    }

    /// Message id of the state's Vietnamese or English name.
    pub fn message_id(self) -> String {
        format!("result-{}", self.as_str().replace('_', "-"))
    }
}

/// The facts of a task that do not change with the date, from which the result state at any
/// date after them follows. The store keeps these in columns so lists filter by result state
/// without replaying events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultFacts {
    pub base: ResultBase,
    pub deadline: Option<Date>,
}

/// The date-independent part of a result state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultBase {
    /// Draft or cancelled: the task has no result state.
    None,
    NotStarted,
    InProgress,
    DoneNotCompleted,
    CompletedOnTime,
    CompletedLate,
    /// Completed, for a task without a deadline.
    Completed,
}

impl ResultBase {
    pub fn as_str(self) -> &'static str {
        match self {
            ResultBase::None => "none",
            ResultBase::NotStarted => "not_started",
            ResultBase::InProgress => "in_progress",
            ResultBase::DoneNotCompleted => "done_not_completed",
            ResultBase::CompletedOnTime => "completed_on_time",
            ResultBase::CompletedLate => "completed_late",
            ResultBase::Completed => "completed",
        }
    }
}

impl ResultFacts {
    /// The result state on `today`. A deadline is the end of its day in Asia/Ho_Chi_Minh, so
    /// a task due today is not overdue today.
    pub fn state_on(self, today: Date) -> Option<ResultState> {
        let overdue = self.deadline.map(|deadline| today > deadline);
        Some(match (self.base, overdue) {
            (ResultBase::None, _) => return None,
            (ResultBase::CompletedOnTime, _) => ResultState::CompletedOnTime,
            (ResultBase::CompletedLate, _) => ResultState::CompletedLate,
            (ResultBase::Completed, _) => ResultState::Completed,
            (ResultBase::DoneNotCompleted, _) => ResultState::DoneNotCompleted,
            (ResultBase::InProgress, None) => ResultState::InProgress,
            (ResultBase::InProgress, Some(false)) => ResultState::InProgressOnTime,
            (ResultBase::InProgress, Some(true)) => ResultState::InProgressOverdue,
            (ResultBase::NotStarted, None) => ResultState::NotStarted,
            (ResultBase::NotStarted, Some(false)) => ResultState::NotStartedOnTime,
            (ResultBase::NotStarted, Some(true)) => ResultState::NotStartedOverdue,
        })
    }
}

impl Task {
    /// The date-independent result facts of the task as it stands.
    pub fn result_facts(&self) -> ResultFacts {
        let base = match self.status {
            TaskStatus::Draft | TaskStatus::Cancelled => ResultBase::None,
            TaskStatus::Completed => self.completion_base(),
            TaskStatus::DoneNotCompleted => ResultBase::DoneNotCompleted,
            _ if self.is_started() => ResultBase::InProgress,
            _ => ResultBase::NotStarted,
        };
        ResultFacts {
            base,
            deadline: self.deadline,
        }
    }

    /// On time when the reported completion date is no later than the deadline that was in
    /// force on that date; an extension granted afterwards does not make a late task on time.
    fn completion_base(&self) -> ResultBase {
        let completed_on = self
            .latest_approved()
            .filter(|update| update.content.status == ProgressStatus::Completed)
            .and_then(|update| update.content.completion_date);
        let Some(completed_on) = completed_on else {
            return ResultBase::Completed;
        };
        match self.deadline_on(completed_on) {
            None => ResultBase::Completed,
            Some(deadline) if completed_on <= deadline => ResultBase::CompletedOnTime,
            Some(_) => ResultBase::CompletedLate,
        }
    }
}

/// The result state of the task with history `events` at instant `at`, replaying only what had
/// happened by then. `None` when the task did not exist, was not transferred, or was cancelled.
pub fn result_state_at(id: TaskId, events: &[TaskEvent], at: Timestamp) -> Option<ResultState> {
    let task = Task::replay_until(id, events, at)?;
    task.result_facts().state_on(local_date(at))
}
