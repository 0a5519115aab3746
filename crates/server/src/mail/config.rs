//! SMTP settings of a server that sends e-mail notifications.

/// Security of the connection to the SMTP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain SMTP, for a relay on the same host or a trusted network only.
    Off,
    /// Plain connection upgraded with STARTTLS, which the server must offer (usually port 587).
    StartTls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

impl SmtpTls {
    pub const ALL: [SmtpTls; 3] = [SmtpTls::Off, SmtpTls::StartTls, SmtpTls::Tls];

    pub fn as_str(self) -> &'static str {
        match self {
            SmtpTls::Off => "off",
            SmtpTls::StartTls => "starttls",
            SmtpTls::Tls => "tls",
        }
    }

    pub fn parse(value: &str) -> Option<SmtpTls> {
        Self::ALL.into_iter().find(|tls| tls.as_str() == value)
    }
}

/// SMTP server, sender and link address of e-mail notifications. A server without them
/// sends no e-mail.
#[derive(Clone)]
pub struct MailConfig {
    /// Host name of the SMTP server; with TLS it must match the server's certificate.
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    /// Sender address, such as `theodoi@vptw.dcs.vn` or `Theo dõi <theodoi@vptw.dcs.vn>`.
    pub from: String,
    /// SMTP login; none sends without authentication.
    pub username: Option<String>,
    pub password: Option<String>,
    /// Address users open theodoi at, such as `https://theodoi.example.vn`; links in e-mails
    /// start with it.
    pub public_url: String,
}

impl std::fmt::Debug for MailConfig {
    // The password stays out of logs and panic messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("from", &self.from)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .field("public_url", &self.public_url)
            .finish()
    }
}

impl MailConfig {
    /// Returns the address of `path` (starting with `/`) for links in e-mails.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url.trim_end_matches('/'))
    }
}
