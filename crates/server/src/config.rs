//! Server settings. Loading them has no side effects; the binary builds them from its command
//! line and environment.

use jiff::SignedDuration;
use theodoi_domain::user::Role;
use theodoi_store::SecureKey;

/// Settings of one server process.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// `sqlite://PATH` or `postgres://…`; shown only with the password redacted.
    pub database_url: String,
    /// A session ends after this long without a request.
    pub session_idle: SignedDuration,
    /// A session ends this long after login, whatever the activity.
    pub session_absolute: SignedDuration,
    /// Lifetime of API tokens issued without an explicit one.
    pub token_lifetime: SignedDuration,
    /// Set when users reach the server over HTTPS, directly or through a proxy that terminates
    /// TLS: cookies are marked `Secure` and responses carry `Strict-Transport-Security`.
    pub secure_cookies: bool,
    /// Holders of any of these roles must log in with a TOTP code as well as their password;
    /// other users may enrol a code generator of their own accord.
    pub totp_required_roles: Vec<Role>,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// How long a request may run before the server answers 503.
    pub request_timeout: std::time::Duration,
    /// The key that signs checkpoints of the audit log; without one none are written.
    pub audit_signer: Option<std::sync::Arc<theodoi_domain::audit::NoteSigner>>,
    /// Key of the secure zone; without it Mật and Tối mật records are refused. Its `Debug`
    /// output shows only the key id.
    pub secure_key: Option<SecureKey>,
    /// SMTP settings; without them the server sends no e-mail and writes no outbox rows.
    pub mail: Option<crate::mail::MailConfig>,
}

impl ServerConfig {
    pub fn new(database_url: impl Into<String>) -> Self {
        Self {
            database_url: database_url.into(),
            session_idle: SignedDuration::from_mins(15),
            session_absolute: SignedDuration::from_hours(12),
            token_lifetime: SignedDuration::from_hours(24 * 90),
            secure_cookies: false,
            totp_required_roles: vec![Role::Administrator, Role::CentralOffice],
            body_limit: 2 * 1024 * 1024,
            request_timeout: std::time::Duration::from_secs(30),
            audit_signer: None,
            secure_key: None,
            mail: None,
        }
    }
}
