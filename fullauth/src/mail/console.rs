use super::mailer::{MailError, Mailer};
use super::message::Mail;

/// Prints every mail to standard output, link included: the development default.
#[derive(Debug, Clone, Copy, Default)]
pub struct ConsoleMailer;

impl Mailer for ConsoleMailer {
    async fn send(&self, mail: Mail) -> Result<(), MailError> {
        println!(
            "----- mail (console mailer: set FULLAUTH_SMTP_URL to deliver) -----\nTo: {}\nSubject: {}\n\n{}\n-----",
            mail.to, mail.subject, mail.text
        );
        Ok(())
    }
}
