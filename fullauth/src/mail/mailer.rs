//! [`Mailer`]: what delivers mails, and why it may fail.

use std::fmt;
use std::future::Future;

use super::message::Mail;
use crate::shared_state::BoxFuture;

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
