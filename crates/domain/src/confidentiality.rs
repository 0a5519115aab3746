//! Confidentiality levels ("độ mật") and which fields each level may hold.

use crate::error::{Code, DomainError, DomainResult};
use serde::{Deserialize, Serialize};

/// Confidentiality level of a document and of the tasks it assigns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidentiality {
    /// Thường.
    Normal,
    /// Mật.
    Confidential,
    /// Tối mật.
    Secret,
    /// Tuyệt mật: managed outside the system, so every input carrying it is rejected.
    TopSecret,
}

impl Confidentiality {
    pub const ALL: [Confidentiality; 4] = [
        Confidentiality::Normal,
        Confidentiality::Confidential,
        Confidentiality::Secret,
        Confidentiality::TopSecret,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Confidentiality::Normal => "normal",
            Confidentiality::Confidential => "confidential",
            Confidentiality::Secret => "secret",
            Confidentiality::TopSecret => "top_secret",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|level| level.as_str() == value)
    }

    /// Whether records of this level belong to the secure zone (Mật and Tối mật).
    pub fn is_classified(self) -> bool {
        matches!(
            self,
            Confidentiality::Confidential | Confidentiality::Secret
        )
    }

    /// Rejects Tuyệt mật. The error names no field value, so a refused request leaves no trace
    /// of its title or number in responses or logs.
    pub fn ensure_storable(self) -> DomainResult<Self> {
        if self == Confidentiality::TopSecret {
            return Err(DomainError::field(
                "confidentiality",
                Code::TopSecretRefused,
                vec![],
            ));
        }
        Ok(self)
    }

    /// Whether a summary ("trích yếu") may be stored.
    pub fn allows_summary(self) -> bool {
        self == Confidentiality::Normal
    }

    /// Whether each task's content may be stored; classified documents keep only the task count.
    pub fn allows_task_content(self) -> bool {
        self == Confidentiality::Normal
    }

    /// Whether progress percentages, result texts, products, difficulties and proposals may be
    /// stored; classified tasks keep only the coarse outcome.
    pub fn allows_detailed_results(self) -> bool {
        self == Confidentiality::Normal
    }

    /// Message id of the level's name.
    pub fn message_id(self) -> &'static str {
        match self {
            Confidentiality::Normal => "confidentiality-normal",
            Confidentiality::Confidential => "confidentiality-confidential",
            Confidentiality::Secret => "confidentiality-secret",
            Confidentiality::TopSecret => "confidentiality-top-secret",
        }
    }
}

/// Records a violation for a field that the level forbids.
pub(crate) fn forbidden_field(field: &str, level: Confidentiality) -> DomainError {
    DomainError::field(
        field,
        Code::FieldForbiddenForLevel,
        vec![(
            "level",
            crate::error::Arg::Message(level.message_id().to_owned()),
        )],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_secret_is_rejected() {
        let error = Confidentiality::TopSecret.ensure_storable().unwrap_err();
        assert_eq!(error.violations[0].code, Code::TopSecretRefused);
        assert!(error.violations[0].args.is_empty());
    }

    #[test]
    fn classified_levels_forbid_detail_fields() {
        for level in [Confidentiality::Confidential, Confidentiality::Secret] {
            assert!(level.is_classified());
            assert!(!level.allows_summary());
            assert!(!level.allows_task_content());
            assert!(!level.allows_detailed_results());
        }
        assert!(Confidentiality::Normal.allows_summary());
    }

    #[test]
    fn levels_round_trip_through_strings() {
        for level in Confidentiality::ALL {
            assert_eq!(Confidentiality::parse(level.as_str()), Some(level));
        }
    }
}
