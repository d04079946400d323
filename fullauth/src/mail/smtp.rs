use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::mailer::{MailError, Mailer};
use super::message::Mail;
use super::smtp_url::{SmtpEndpoint, TlsMode};
use crate::config::ConfigError;
use crate::config::SmtpUrl;

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
    /// A mailer for an SMTP URL (see [`crate::config::MailConfig::smtp_url`]) sending as `from`, trusting the
    /// public certificate authorities (webpki roots) for TLS.
    ///
    /// Credentials in the URL need TLS (`smtps://` or `?tls=required`) unless the server is on loopback:
    /// anything else would send them in clear text, and is refused.
    pub fn new(url: &SmtpUrl, from: &str) -> Result<Self, ConfigError> {
        Self::build(url, from, None)
    }

    /// Like [`Self::new`], also trusting the root certificates of a PEM file (an internal certificate
    /// authority, say) for the server's TLS certificate. The URL must ask for TLS.
    pub fn with_root_certificates(
        url: &SmtpUrl,
        from: &str,
        pem: &[u8],
    ) -> Result<Self, ConfigError> {
        Self::build(url, from, Some(pem))
    }

    fn build(url: &SmtpUrl, from: &str, extra_roots: Option<&[u8]>) -> Result<Self, ConfigError> {
        let invalid = |reason: String| ConfigError::invalid("FULLAUTH_SMTP_URL", &reason);
        let endpoint = SmtpEndpoint::parse(&url.0).ok_or_else(|| {
            invalid("must be smtp://host[:port], smtp://host?tls=required or smtps://host".into())
        })?;
        if endpoint.sends_credentials_in_clear() {
            return Err(invalid(
                "carries credentials without TLS to a server that is not on loopback: use smtps:// or \
                 add ?tls=required"
                    .into(),
            ));
        }
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url.0)
            .map_err(|error| invalid(format!("is not a usable SMTP URL: {error}")))?;
        if let Some(pem) = extra_roots {
            let roots_error =
                |reason: String| ConfigError::invalid("FULLAUTH_SMTP_CA_FILE", &reason);
            if !pem
                .windows(b"-----BEGIN CERTIFICATE-----".len())
                .any(|window| window == b"-----BEGIN CERTIFICATE-----")
            {
                return Err(roots_error("holds no PEM certificate".into()));
            }
            let certificate = Certificate::from_pem(pem).map_err(|error| {
                roots_error(format!("holds no usable PEM certificate: {error}"))
            })?;
            let parameters = TlsParameters::builder(endpoint.host.clone())
                .add_root_certificate(certificate)
                .build()
                .map_err(|error| roots_error(format!("cannot be used for TLS: {error}")))?;
            let tls = match endpoint.tls {
                TlsMode::Wrapper => Tls::Wrapper(parameters),
                TlsMode::Required => Tls::Required(parameters),
                TlsMode::Opportunistic => Tls::Opportunistic(parameters),
                TlsMode::None => {
                    return Err(roots_error(
                        "is set, but FULLAUTH_SMTP_URL asks for no TLS: use smtps:// or ?tls=required".into(),
                    ));
                }
            };
            builder = builder.tls(tls);
        }
        let from = from.parse().map_err(|error| {
            ConfigError::invalid(
                "FULLAUTH_MAIL_FROM",
                &format!("is not a mail address: {error}"),
            )
        })?;
        Ok(Self {
            transport: builder.build(),
            from,
        })
    }
}

impl Mailer for SmtpMailer {
    async fn send(&self, mail: Mail) -> Result<(), MailError> {
        // An internationalized domain travels in Punycode, so that only a non-ASCII local part needs SMTPUTF8.
        let to: Mailbox = crate::email_address::with_ascii_domain(&mail.to)
            .parse()
            .map_err(MailError::new)?;
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
        .map_err(MailError::new)?;
        self.transport
            .send(message)
            .await
            .map(drop)
            .map_err(MailError::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_urls_senders_and_roots_are_configuration_errors() {
        let url = |text: &str| SmtpUrl(text.to_owned());
        let from = "Example <no-reply@example.com>";
        assert!(SmtpMailer::new(&url("smtp://127.0.0.1:2525"), from).is_ok());
        assert!(
            SmtpMailer::new(&url("smtps://u:p@mail.example.com"), "no-reply@example.com").is_ok()
        );
        let option = |result: Result<SmtpMailer, ConfigError>| match result {
            Err(error) => error.option().to_owned(),
            other => panic!("expected a configuration error, got {other:?}"),
        };
        assert_eq!(
            option(SmtpMailer::new(
                &url("smtp://127.0.0.1:2525"),
                "not an address"
            )),
            "FULLAUTH_MAIL_FROM"
        );
        assert_eq!(
            option(SmtpMailer::new(&url("imap://mail.example.com"), from)),
            "FULLAUTH_SMTP_URL"
        );
        assert_eq!(
            option(SmtpMailer::new(&url("smtp://u:p@mail.example.com"), from)),
            "FULLAUTH_SMTP_URL"
        );
        let tls = url("smtp://mail.example.com?tls=required");
        assert_eq!(
            option(SmtpMailer::with_root_certificates(
                &tls,
                from,
                b"not a certificate"
            )),
            "FULLAUTH_SMTP_CA_FILE"
        );
    }
}
