//! Mail: what fullauth sends (verification and password-reset links), the templates it renders, and the
//! mailers that deliver it.
//!
//! The default mailer prints mails ([`ConsoleMailer`]); with the `smtp` feature and `FULLAUTH_SMTP_URL` set, an
//! [`SmtpMailer`] delivers them. Mails are sent after the response, and a failure is logged, never shown to the
//! client. Replace the mailer or the templates on [`crate::FullAuthBuilder`].

mod console;
#[cfg(feature = "smtp")]
mod smtp;
#[cfg(feature = "smtp")]
mod smtp_url;
mod templates;

pub use console::ConsoleMailer;
#[cfg(feature = "smtp")]
pub use smtp::SmtpMailer;
pub use templates::{DefaultTemplates, MailContext, MailTemplates, escape_html};

use std::fmt;
use std::future::Future;

use crate::shared_state::BoxFuture;

/// One mail: a plain-text and an HTML version of the same message.
///
/// Its `Debug` output shows the recipient and the subject, and only the sizes of the bodies, which hold links.
#[derive(Clone, PartialEq, Eq)]
pub struct Mail {
    /// Recipient address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body; empty for a plain-text mail.
    pub html: String,
}

impl fmt::Debug for Mail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mail")
            .field("to", &self.to)
            .field("subject", &self.subject)
            .field("text", &format_args!("<{} bytes>", self.text.len()))
            .field("html", &format_args!("<{} bytes>", self.html.len()))
            .finish()
    }
}

/// Why a mail was not sent, with the mailer's own error (an SMTP error, say) as its source.
#[derive(Debug)]
pub struct MailError(Box<dyn std::error::Error + Send + Sync + 'static>);

impl MailError {
    /// The failure of a mailer.
    pub fn new(source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>) -> Self {
        Self(source.into())
    }
}

impl fmt::Display for MailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "mail not sent: {}", self.0)
    }
}

impl std::error::Error for MailError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.0.as_ref())
    }
}

/// Delivers mails.
pub trait Mailer: Send + Sync + 'static {
    /// Sends one mail.
    fn send(&self, mail: Mail) -> impl Future<Output = Result<(), MailError>> + Send;
}

/// Object-safe form of [`Mailer`].
pub(crate) trait DynMailer: Send + Sync + 'static {
    fn send(&self, mail: Mail) -> BoxFuture<'_, Result<(), MailError>>;
}

impl<M: Mailer> DynMailer for M {
    fn send(&self, mail: Mail) -> BoxFuture<'_, Result<(), MailError>> {
        Box::pin(Mailer::send(self, mail))
    }
}
