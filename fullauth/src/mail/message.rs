//! [`Mail`]: one message, in text and in HTML.

use std::fmt;

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
