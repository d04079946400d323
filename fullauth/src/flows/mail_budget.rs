//! The per-account budget of verification and reset mails: the per-client rate limits keep one client from
//! flooding an inbox, this keeps many clients together from doing it.

use std::time::Duration;

use super::FullAuth;
use crate::model::FullAuthUser;

/// The window of the budget.
const HOUR: Duration = Duration::from_secs(3600);

impl<U: FullAuthUser> FullAuth<U> {
    /// Counts one verification or reset mail to the account with this normalized email, and says whether it may
    /// be sent (`mail.per_account_per_hour` in the hour). The answer to the request is the same either way. Without
    /// the shared state the mail is sent, as the per-client rate limits let requests through then, and a warning
    /// is logged.
    pub(crate) async fn mail_budget_allows(&self, email: &str) -> bool {
        let account = self.inner.tokens.account_key(email);
        let key = format!("fullauth:mail:{account}");
        match self.inner.state.hit(&key, HOUR).await {
            Ok(counted) if counted.count <= self.inner.config.mail.per_account_per_hour => true,
            Ok(_) => {
                tracing::info!(
                    target: "fullauth::audit", %account,
                    "mail not sent: the account's hourly budget of mails is spent"
                );
                false
            }
            Err(error) => {
                tracing::warn!(%error, "mail budget not applied: shared state unavailable");
                true
            }
        }
    }
}
