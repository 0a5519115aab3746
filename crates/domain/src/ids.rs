//! Typed identifiers, so that a task id can never be passed where an organisation id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// Identifier of an organisation (a Party body or one of its units).
    OrgId
);
id_type!(
    /// Identifier of a user account.
    UserId
);
id_type!(
    /// Identifier of a document that assigns tasks.
    DocumentId
);
id_type!(
    /// Identifier of a task or sub-task.
    TaskId
);
id_type!(
    /// Identifier of a task group inside a document.
    GroupId
);

/// Number of a progress update within its task, starting at 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UpdateNo(pub u32);

impl fmt::Display for UpdateNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
