//! The per-account budget of verification and reset mails: the per-client rate limits keep one client from
//! flooding an inbox, this keeps many clients together from doing it.

use std::time::Duration;

use super::FullAuth;
use crate::model::FullAuthUser;

/// The window of the budget.
const HOUR: Duration = Duration::from_secs(3600);

impl<U: FullAuthUser> FullAuth<U> {
    /// Counts one verification or reset mail to the account with this normalized email, and says whether it may
    /// be sent (`mail.per_account_per_hour` in the hour). The answer to the request is the same either way. While
    /// the shared state is unreachable, this instance counts on its own.
    pub(crate) async fn mail_budget_allows(&self, email: &str) -> bool {
        let account = self.inner.tokens.account_key(email);
        let key = format!("fullauth:mail:{account}");
        let counted = self.count(&key, HOUR).await;
        if counted.count <= self.inner.config.mail.per_account_per_hour {
            return true;
        }
        tracing::info!(
            target: "fullauth::audit", %account,
            "mail not sent: the account's hourly budget of mails is spent"
        );
        false
    }
}
