//! Turning the SMTP options of `serve` and `demo` into the server's e-mail settings.

use crate::cli::{SmtpArgs, SmtpTlsArg};
use crate::messages::{arg, text};
use std::net::SocketAddr;
use theodoi_server::mail::transport::valid_sender;
use theodoi_server::mail::{MailConfig, Mailer, SmtpTls};

impl SmtpArgs {
    /// Builds the e-mail settings, `None` without --smtp-host. Fails with a message naming the option
    /// and the fix when the options do not fit together.
    pub fn mail_config(&self, listen: SocketAddr) -> anyhow::Result<Option<MailConfig>> {
        let Some(host) = self.smtp_host.as_deref().map(str::trim) else {
            let stray: Vec<&str> = [
                ("--smtp-from", self.smtp_from.is_some()),
                ("--smtp-port", self.smtp_port.is_some()),
                ("--smtp-username", self.smtp_username.is_some()),
                ("--smtp-password", self.smtp_password.is_some()),
            ]
            .into_iter()
            .filter_map(|(name, given)| given.then_some(name))
            .collect();
            if !stray.is_empty() {
                anyhow::bail!(text(
                    "cli-smtp-host-missing",
                    &[("options", arg(stray.join(", ")))]
                ));
            }
            return Ok(None);
        };
        if host.is_empty() {
            anyhow::bail!(text(
                "cli-smtp-host-missing",
                &[("options", arg("--smtp-host"))]
            ));
        }
        let Some(from) = self.smtp_from.clone() else {
            anyhow::bail!(text("cli-smtp-from-missing", &[]));
        };
        if self.smtp_password.is_some() && self.smtp_username.is_none() {
            anyhow::bail!(text("cli-smtp-username-missing", &[]));
        }
        let tls = match self.smtp_tls {
            SmtpTlsArg::Off => SmtpTls::Off,
            SmtpTlsArg::Starttls => SmtpTls::StartTls,
            SmtpTlsArg::Tls => SmtpTls::Tls,
        };
        let port = self.smtp_port.unwrap_or(match tls {
            SmtpTls::Off => 25,
            SmtpTls::StartTls => 587,
            SmtpTls::Tls => 465,
        });
        let public_url = match &self.public_url {
            Some(url) if url.starts_with("http://") || url.starts_with("https://") => url.clone(),
            Some(url) => anyhow::bail!(text("cli-public-url-invalid", &[("value", arg(url))])),
            None => format!("http://{listen}"),
        };
        let config = MailConfig {
            host: host.to_owned(),
            port,
            tls,
            from: from.clone(),
            username: self.smtp_username.clone(),
            password: self.smtp_password.clone(),
            public_url,
        };
        if !valid_sender(&from) {
            anyhow::bail!(text("cli-smtp-from-invalid", &[("value", arg(from))]));
        }
        // Building the client checks the TLS settings now rather than at the first message.
        if let Err(error) = Mailer::new(&config) {
            anyhow::bail!(text(
                "cli-smtp-host-invalid",
                &[("value", arg(host)), ("error", arg(error))]
            ));
        }
        Ok(Some(config))
    }
}
