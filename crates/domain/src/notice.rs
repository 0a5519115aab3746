//! Recipients of e-mail about a task event: the focal officers of the body that must act next.
//! Whether each of them may see the task is decided later, from their clearance and body.

use crate::ids::OrgId;
use crate::task::Task;
use crate::task::event::{TaskChange, TaskEvent};
use crate::user::Role;

/// The kinds of e-mail notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    /// The task was transferred to the body.
    Transferred,
    /// The monitoring side urged the body ("đôn đốc").
    Urged,
    /// An approver returned a draft progress update to its updater.
    UpdateReturned,
    /// An approver approved a progress update.
    UpdateApproved,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 4] = [
        NoticeKind::Transferred,
        NoticeKind::Urged,
        NoticeKind::UpdateReturned,
        NoticeKind::UpdateApproved,
    ];

    /// Returns the event name (as stored in `task_events.kind`) that causes this notice.
    pub fn event_name(self) -> &'static str {
        match self {
            NoticeKind::Transferred => "transferred",
            NoticeKind::Urged => "urged",
            NoticeKind::UpdateReturned => "update_returned",
            NoticeKind::UpdateApproved => "update_approved",
        }
    }

    pub fn from_event_name(name: &str) -> Option<NoticeKind> {
        Self::ALL.into_iter().find(|kind| kind.event_name() == name)
    }
}

/// The holders of `roles` in `body`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audience {
    pub body: OrgId,
    pub roles: &'static [Role],
}

const FOCAL_OFFICERS: &[Role] = &[Role::Updater, Role::Approver];

/// Returns who must hear of `event` of `task` (the task as it is after the event), or nothing
/// for events that send no e-mail.
pub fn audiences(task: &Task, event: &TaskEvent) -> Vec<Audience> {
    match &event.change {
        TaskChange::Transferred { to, .. } => vec![Audience {
            body: *to,
            roles: FOCAL_OFFICERS,
        }],
        TaskChange::Urged { .. } => vec![Audience {
            body: task.lead_body,
            roles: FOCAL_OFFICERS,
        }],
        // The lead body's updaters write its progress updates, so they fix a returned draft.
        TaskChange::UpdateReturned { .. } => vec![Audience {
            body: task.lead_body,
            roles: &[Role::Updater],
        }],
        // The monitoring body evaluates an approved update within 3 working days.
        TaskChange::UpdateApproved { .. } => vec![
            Audience {
                body: task.lead_body,
                roles: &[Role::Updater],
            },
            Audience {
                body: task.monitoring_body,
                roles: &[Role::MonitoringOfficer],
            },
        ],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notice_kind_round_trips_event_names() {
        for kind in NoticeKind::ALL {
            assert_eq!(NoticeKind::from_event_name(kind.event_name()), Some(kind));
        }
        assert_eq!(NoticeKind::from_event_name("created"), None);
    }
}
