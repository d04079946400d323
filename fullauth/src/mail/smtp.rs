use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{Mail, MailError, Mailer};
use crate::config::SmtpUrl;
use crate::error::Error;

/// Delivers mails over SMTP (feature `smtp`), one connection per mail; TLS through rustls.
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

impl SmtpMailer {
    /// A mailer for an SMTP URL (see [`crate::FullAuthConfig::smtp_url`]) sending as `from`.
    ///
    /// Credentials in the URL need TLS (`smtps://` or `?tls=required`) unless the server is on loopback:
    /// anything else would send them in clear text, and is refused.
    pub fn new(url: &SmtpUrl, from: &str) -> Result<Self, Error> {
        if sends_credentials_in_clear(&url.0) {
            return Err(Error::config(
                "FULLAUTH_SMTP_URL",
                "carries credentials without TLS to a server that is not on loopback: use smtps:// or \
                 add ?tls=required",
            ));
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url.0)
            .map_err(|error| {
                Error::config(
                    "FULLAUTH_SMTP_URL",
                    &format!("is not a usable SMTP URL: {error}"),
                )
            })?
            .build();
        let from = from.parse().map_err(|error| {
            Error::config(
                "FULLAUTH_MAIL_FROM",
                &format!("is not a mail address: {error}"),
            )
        })?;
        Ok(Self { transport, from })
    }
}

/// Whether an SMTP URL has a password but neither implicit TLS nor required STARTTLS, to a remote host.
fn sends_credentials_in_clear(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    let (authority, query) = match rest.split_once('?') {
        Some((before, query)) => (before.split('/').next().unwrap_or_default(), query),
        None => (rest.split('/').next().unwrap_or_default(), ""),
    };
    let Some((userinfo, host_and_port)) = authority.rsplit_once('@') else {
        return false;
    };
    if !userinfo.contains(':') {
        return false;
    }
    let tls =
        scheme.eq_ignore_ascii_case("smtps") || query.split('&').any(|pair| pair == "tls=required");
    let host = match host_and_port.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or_default(),
        None => host_and_port.split(':').next().unwrap_or_default(),
    };
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    !tls && !loopback
}

impl Mailer for SmtpMailer {
    async fn send(&self, mail: Mail) -> Result<(), MailError> {
        let to: Mailbox = mail
            .to
            .parse()
            .map_err(|error| MailError(format!("recipient {}: {error}", mail.to)))?;
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject);
        // A template that writes no HTML gets a plain-text mail, not an empty alternative.
        let message = if mail.html.is_empty() {
            builder.header(ContentType::TEXT_PLAIN).body(mail.text)
        } else {
            builder.multipart(MultiPart::alternative_plain_html(mail.text, mail.html))
        }
        .map_err(|error| MailError(error.to_string()))?;
        self.transport
            .send(message)
            .await
            .map(drop)
            .map_err(|error| MailError(error.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_travel_only_over_tls_or_loopback() {
        for refused in [
            "smtp://user:secret@mail.example.com:587",
            "smtp://user:secret@mail.example.com?tls=opportunistic",
            "smtp://user:secret@10.0.0.5:25/ehlo.example.com",
        ] {
            assert!(sends_credentials_in_clear(refused), "{refused}");
        }
        for accepted in [
            "smtps://user:secret@mail.example.com",
            "smtp://user:secret@mail.example.com:587?tls=required",
            "smtp://user:secret@127.0.0.1:2525",
            "smtp://user:secret@localhost:2525",
            "smtp://user:secret@[::1]:2525",
            "smtp://mail.example.com:25",
            "smtp://user@mail.example.com:25",
        ] {
            assert!(!sends_credentials_in_clear(accepted), "{accepted}");
        }
    }

    #[test]
    fn bad_urls_and_senders_are_configuration_errors() {
        let url = |text: &str| SmtpUrl(text.to_owned());
        assert!(
            SmtpMailer::new(
                &url("smtp://127.0.0.1:2525"),
                "Example <no-reply@example.com>"
            )
            .is_ok()
        );
        assert!(
            SmtpMailer::new(&url("smtps://u:p@mail.example.com"), "no-reply@example.com").is_ok()
        );
        assert!(SmtpMailer::new(&url("smtp://127.0.0.1:2525"), "not an address").is_err());
        assert!(SmtpMailer::new(&url("imap://mail.example.com"), "no-reply@example.com").is_err());
        assert!(
            SmtpMailer::new(&url("smtp://u:p@mail.example.com"), "no-reply@example.com").is_err()
        );
    }
}
