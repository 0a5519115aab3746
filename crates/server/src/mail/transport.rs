//! Sending one message over SMTP with lettre (rustls with ring, system root certificates).

use super::config::{MailConfig, SmtpTls};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How long one SMTP exchange may take before it fails and is retried later.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// A failed send.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The settings or the address cannot make a message; retrying will not help.
    #[error("{0}")]
    Invalid(String),
    /// The server rejected the message for good (a 5xx reply).
    #[error("{0}")]
    Permanent(String),
    /// A 4xx reply, a network failure or a timeout: worth retrying later.
    #[error("{0}")]
    Transient(String),
}

/// Returns whether `from` is a valid sender, such as `theodoi@vptw.dcs.vn` or `Name <a@b.vn>`.
pub fn valid_sender(from: &str) -> bool {
    from.parse::<Mailbox>().is_ok()
}

/// An SMTP client built from the settings.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.email.to_string())
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// Builds the client; fails on an invalid sender address or TLS setting. Connects only
    /// when it sends.
    pub fn new(config: &MailConfig) -> Result<Mailer, SendError> {
        let from: Mailbox = config.from.parse().map_err(|error| {
            SendError::Invalid(format!("invalid sender address {:?}: {error}", config.from))
        })?;
        let builder = match config.tls {
            SmtpTls::Off => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host),
            SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&config.host)
                .map_err(|error| SendError::Invalid(format!("STARTTLS settings: {error}")))?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&config.host)
                .map_err(|error| SendError::Invalid(format!("TLS settings: {error}")))?,
        };
        let mut builder = builder.port(config.port).timeout(Some(SMTP_TIMEOUT));
        if let Some(username) = &config.username {
            builder = builder.credentials(Credentials::new(
                username.clone(),
                config.password.clone().unwrap_or_default(),
            ));
        }
        Ok(Mailer {
            transport: builder.build(),
            from,
        })
    }

    /// Sends a plain-text message. The body is base64-encoded so that Vietnamese text passes
    /// any relay unchanged.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), SendError> {
        let to: Mailbox = to
            .parse()
            .map_err(|error| SendError::Invalid(format!("invalid recipient address: {error}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .header(ContentTransferEncoding::Base64)
                    .body(body.to_owned()),
            )
            .map_err(|error| SendError::Invalid(format!("cannot build the message: {error}")))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(error) if error.is_permanent() => Err(SendError::Permanent(error.to_string())),
            Err(error) => Err(SendError::Transient(error.to_string())),
        }
    }
}
