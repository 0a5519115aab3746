//! Users, their roles and clearance, and the actor on whose behalf a command runs.

use crate::confidentiality::Confidentiality;
use crate::error::{Code, DomainError, DomainResult};
use crate::ids::{OrgId, UserId};
use serde::{Deserialize, Serialize};

/// What a user may do. A user may hold several roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Văn phòng Trung ương Đảng: enters, transfers, handles feedback, extends, cancels.
    CentralOffice,
    /// Đầu mối cập nhật of a body: confirms receipt, returns, drafts progress updates.
    Updater,
    /// Đầu mối phê duyệt of a body: approves or returns drafts.
    Approver,
    /// Officer of a monitoring body: evaluates updates, urges.
    MonitoringOfficer,
    /// Member of an inspection commission: reads within its remit.
    Inspector,
    /// Leader: reads dashboards and lists.
    LeaderViewer,
    /// Manages users, organisations and the calendar.
    Administrator,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::CentralOffice,
        Role::Updater,
        Role::Approver,
        Role::MonitoringOfficer,
        Role::Inspector,
        Role::LeaderViewer,
        Role::Administrator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::CentralOffice => "central_office",
            Role::Updater => "updater",
            Role::Approver => "approver",
            Role::MonitoringOfficer => "monitoring_officer",
            Role::Inspector => "inspector",
            Role::LeaderViewer => "leader_viewer",
            Role::Administrator => "administrator",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.as_str() == value)
    }

    /// Message id of the role's name.
    pub fn message_id(self) -> String {
        format!("role-{}", self.as_str().replace('_', "-"))
    }
}

/// The highest confidentiality level a user may read. Tuyệt mật is never a clearance because
/// such data is never in the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Clearance {
    Normal,
    Confidential,
    Secret,
}

impl Clearance {
    pub fn as_str(self) -> &'static str {
        match self {
            Clearance::Normal => "normal",
            Clearance::Confidential => "confidential",
            Clearance::Secret => "secret",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        [
            Clearance::Normal,
            Clearance::Confidential,
            Clearance::Secret,
        ]
        .into_iter()
        .find(|c| c.as_str() == value)
    }

    /// Whether a holder may read records of `level`.
    pub fn covers(self, level: Confidentiality) -> bool {
        match level {
            Confidentiality::Normal => true,
            Confidentiality::Confidential => self >= Clearance::Confidential,
            Confidentiality::Secret => self >= Clearance::Secret,
            Confidentiality::TopSecret => false,
        }
    }
}

/// The user on whose behalf a command runs, as the domain sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub org_id: OrgId,
    pub roles: Vec<Role>,
    pub clearance: Clearance,
}

impl Actor {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Fails unless the actor holds one of `roles`.
    pub fn require_any(&self, roles: &[Role]) -> DomainResult<()> {
        if roles.iter().any(|role| self.has(*role)) {
            return Ok(());
        }
        let names = roles.iter().map(|role| role.message_id()).collect();
        Err(DomainError::forbidden(
            Code::RoleRequired,
            vec![("roles", crate::error::Arg::Messages(names))],
        ))
    }

    /// Fails unless the actor may read records of `level`.
    pub fn require_clearance(&self, level: Confidentiality) -> DomainResult<()> {
        if self.clearance.covers(level) {
            Ok(())
        } else {
            Err(DomainError::forbidden(Code::ClearanceTooLow, vec![]))
        }
    }
}

/// Minimum password length, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Checks a login name: 3 to 64 lower-case ASCII letters, digits, dots, hyphens or underscores.
pub fn parse_username(field: &str, value: &str) -> DomainResult<String> {
    let name = value.trim().to_ascii_lowercase();
    let valid = (3..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    if valid {
        Ok(name)
    } else {
        Err(DomainError::field(field, Code::UsernameInvalid, vec![]))
    }
}

/// Longest e-mail address accepted, in bytes (the limit of an SMTP forward path).
pub const MAX_EMAIL_BYTES: usize = 254;

/// Checks an e-mail address for notifications: `local@domain` with a dot in the domain, no
/// spaces or angle brackets, at most [`MAX_EMAIL_BYTES`]. Returns it trimmed, with the domain
/// in lower case. The mail server checks the rest when it receives the message.
pub fn parse_email(field: &str, value: &str) -> DomainResult<String> {
    let invalid = || DomainError::field(field, Code::EmailInvalid, vec![]);
    let address = value.trim();
    let (local, domain) = address.rsplit_once('@').ok_or_else(invalid)?;
    let forbidden = |c: char| c.is_whitespace() || c.is_control() || "<>,;\"@".contains(c);
    let valid = address.len() <= MAX_EMAIL_BYTES
        && !local.is_empty()
        && !local.chars().any(forbidden)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !domain.chars().any(forbidden);
    if !valid {
        return Err(invalid());
    }
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

/// Checks a new password's length; the hash is made elsewhere.
pub fn check_password(field: &str, value: &str) -> DomainResult<()> {
    if value.chars().count() < MIN_PASSWORD_CHARS {
        return Err(DomainError::field(
            field,
            Code::PasswordTooShort,
            vec![("min", MIN_PASSWORD_CHARS.into())],
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_accepts_ordinary_addresses() {
        assert_eq!(
            parse_email("email", " Nguyen.Van.A@VPTW.dcs.vn ").unwrap(),
            "Nguyen.Van.A@vptw.dcs.vn"
        );
    }

    #[test]
    fn email_rejects_malformed_addresses() {
        for value in [
            "",
            "no-at-sign",
            "@vptw.dcs.vn",
            "a@localhost",
            "a@.vn",
            "a@vptw..vn",
            "a b@vptw.vn",
            "a@b@vptw.vn",
            "<a@vptw.vn>",
            "a@vptw.vn\r\nBcc: x@y.vn",
        ] {
            let error = parse_email("email", value).unwrap_err();
            assert_eq!(error.violations[0].code, Code::EmailInvalid, "{value:?}");
        }
        let long = format!("{}@vptw.dcs.vn", "a".repeat(MAX_EMAIL_BYTES));
        assert!(parse_email("email", &long).is_err());
    }

    #[test]
    fn clearance_covers_levels_up_to_its_own() {
        assert!(Clearance::Normal.covers(Confidentiality::Normal));
        assert!(!Clearance::Normal.covers(Confidentiality::Confidential));
        assert!(Clearance::Confidential.covers(Confidentiality::Confidential));
        assert!(!Clearance::Confidential.covers(Confidentiality::Secret));
        assert!(Clearance::Secret.covers(Confidentiality::Secret));
        assert!(!Clearance::Secret.covers(Confidentiality::TopSecret));
    }

    #[test]
    fn username_is_normalised_and_checked() {
        assert_eq!(
            parse_username("username", " VPTW.Nhap ").unwrap(),
            "vptw.nhap"
        );
        assert!(parse_username("username", "ab").is_err());
        assert!(parse_username("username", "nguyễn").is_err());
    }
}
