//! Mail: what fullauth sends (verification and password-reset links), the templates it renders, and the
//! mailers that deliver it.
//!
//! The default mailer prints mails ([`ConsoleMailer`]); with the `smtp` feature and `FULLAUTH_SMTP_URL` set, an
//! [`SmtpMailer`] delivers them. Mails are sent after the response, and a failure is logged, never shown to the
//! client. Replace the mailer or the templates on [`crate::FullAuthBuilder`].

mod console;
mod mailer;
mod message;
#[cfg(feature = "smtp")]
mod smtp;
#[cfg(feature = "smtp")]
mod smtp_url;
mod templates;

pub use console::ConsoleMailer;
pub(crate) use mailer::DynMailer;
pub use mailer::{MailError, Mailer};
pub use message::Mail;
#[cfg(feature = "smtp")]
pub use smtp::SmtpMailer;
pub use templates::{DefaultTemplates, MailContext, MailTemplates, escape_html};
