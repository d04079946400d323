//! Capturing the mails fullauth sends, to read links and tokens in tests.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::Notify;

use crate::mail::{Mail, MailError, Mailer};

/// How long [`CapturedMails::next_to`] waits before failing the test.
const ARRIVAL_TIMEOUT: Duration = Duration::from_secs(10);

/// A [`Mailer`] that keeps every mail in memory for the test to read. Clones share the same mailbox.
///
/// Mails are sent after the response, so a test waits for them:
///
/// ```
/// # #[derive(Clone, Debug, fullauth::FullAuthUser)] struct User { #[fullauth(mixin)] auth: fullauth::UserMixin }
/// use fullauth::{UserMixin, testing};
///
/// # tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap().block_on(async {
/// let (auth, mails) = testing::with_captured_mails::<User>();
/// testing::create_user(&auth, User { auth: UserMixin::new("ada@example.com") }, "password123").await;
///
/// auth.request_password_reset("ada@example.com").await.unwrap();
/// let mail = mails.next_to("ada@example.com").await;
/// let token = testing::token_in(&mail).expect("the mail carries a link with a token");
/// auth.confirm_password_reset(&token, "a new password".into()).await.unwrap();
/// # });
/// ```
#[derive(Clone, Default)]
pub struct CapturedMails {
    shared: Arc<Mailbox>,
}

#[derive(Default)]
struct Mailbox {
    mails: Mutex<Vec<Mail>>,
    arrived: Notify,
}

impl std::fmt::Debug for CapturedMails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CapturedMails")
            .field("waiting", &self.len())
            .finish()
    }
}

impl CapturedMails {
    /// An empty mailbox.
    pub fn new() -> Self {
        Self::default()
    }

    /// The mails not taken yet, oldest first.
    pub fn all(&self) -> Vec<Mail> {
        self.lock().clone()
    }

    /// How many mails have not been taken yet.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether every mail has been taken.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Takes every mail, oldest first.
    pub fn take_all(&self) -> Vec<Mail> {
        std::mem::take(&mut *self.lock())
    }

    /// Takes the oldest mail to `address` (compared case-insensitively), waiting for it to be sent.
    ///
    /// # Panics
    /// When no such mail arrives within ten seconds.
    pub async fn next_to(&self, address: &str) -> Mail {
        let deadline = tokio::time::Instant::now() + ARRIVAL_TIMEOUT;
        loop {
            let arrived = self.shared.arrived.notified();
            tokio::pin!(arrived);
            arrived.as_mut().enable();
            if let Some(mail) = self.take_first(address) {
                return mail;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                panic!("no mail to {address} arrived within {ARRIVAL_TIMEOUT:?}");
            }
        }
    }

    /// Checks that no mail to `address` arrives within `wait` (mails are sent after the response, so a test
    /// of "nothing was sent" has to give them a moment).
    ///
    /// # Panics
    /// When one does.
    pub async fn expect_none_to(&self, address: &str, wait: Duration) {
        tokio::time::sleep(wait).await;
        if let Some(mail) = self.take_first(address) {
            panic!("expected no mail to {address}, got one: {:?}", mail.subject);
        }
    }

    fn take_first(&self, address: &str) -> Option<Mail> {
        let mut mails = self.lock();
        let index = mails
            .iter()
            .position(|mail| mail.to.eq_ignore_ascii_case(address))?;
        Some(mails.remove(index))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Mail>> {
        // A push cannot leave the vector half-changed, so a poisoned lock is safe to reuse.
        self.shared
            .mails
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Mailer for CapturedMails {
    async fn send(&self, mail: Mail) -> Result<(), MailError> {
        self.lock().push(mail);
        self.shared.arrived.notify_waiters();
        Ok(())
    }
}

/// The token of the first link in a mail's text (`...?token=<token>`), as the default templates write it.
pub fn token_in(mail: &Mail) -> Option<String> {
    let start = mail.text.find("token=")? + "token=".len();
    let token: String = mail.text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '%'))
        .collect();
    (!token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(to: &str, text: &str) -> Mail {
        Mail {
            to: to.into(),
            subject: "s".into(),
            text: text.into(),
            html: String::new(),
        }
    }

    #[test]
    fn finds_the_token_of_a_link() {
        let found = token_in(&mail(
            "a@example.com",
            "Open:\nhttps://app.example.com/reset?token=aa.bb-cc_dd\n\nbye",
        ));
        assert_eq!(found.as_deref(), Some("aa.bb-cc_dd"));
        assert_eq!(token_in(&mail("a@example.com", "no link")), None);
        assert_eq!(token_in(&mail("a@example.com", "?token=\n")), None);
    }

    #[tokio::test]
    async fn waits_for_a_mail_and_takes_the_oldest_first() {
        let mails = CapturedMails::new();
        let sender = mails.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            let _ = Mailer::send(&sender, mail("b@example.com", "first")).await;
            let _ = Mailer::send(&sender, mail("A@example.com", "second")).await;
            let _ = Mailer::send(&sender, mail("a@example.com", "third")).await;
        });
        assert_eq!(mails.next_to("a@example.com").await.text, "second");
        assert_eq!(mails.next_to("a@example.com").await.text, "third");
        assert_eq!(mails.len(), 1);
        mails
            .expect_none_to("a@example.com", Duration::from_millis(5))
            .await;
        assert_eq!(mails.take_all().len(), 1);
        assert!(mails.is_empty());
    }
}
