//! Account lockout: password attempts counted per account (its normalized email) in the shared state, atomically
//! across instances. Each attempt is counted *before* its password is checked, so parallel guesses get no more
//! checks than serial ones: past the limit (or while the account is locked) the password is not even looked at,
//! and every route that takes a password answers as for a wrong one, after the same work.
//!
//! The counts live in the shared state; while it cannot be reached, in this instance's memory (see `counters.rs`),
//! so that sign-in keeps working, and keeps being limited, through an outage.
//!
//! Keys hold an HMAC of the email under a key derived from the secret key, never the address itself nor a plain
//! digest of it, which anyone holding a dump of the shared state could test against a list of addresses.

use super::FullAuth;
use crate::error::Error;
use crate::model::FullAuthUser;

fn failures_key(account: &str) -> String {
    format!("fullauth:lockout:failures:{account}")
}

fn locked_key(account: &str) -> String {
    format!("fullauth:lockout:locked:{account}")
}

/// One password attempt on an account, counted before the password is checked.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attempt {
    /// Whether the password may be checked: the account is not locked and the attempt is within the limit.
    pub allowed: bool,
    /// The attempt's number in the current window (0 with the lockout off).
    count: u64,
}

impl<U: FullAuthUser> FullAuth<U> {
    /// Counts a password attempt on the account with this normalized email, before its password is checked.
    pub(crate) async fn password_attempt(&self, email: &str) -> Result<Attempt, Error> {
        let config = &self.inner.config;
        if !config.lockout.enabled {
            return Ok(Attempt {
                allowed: true,
                count: 0,
            });
        }
        let account = self.inner.tokens.account_key(email);
        let locked = self.counted_flag(&locked_key(&account)).await;
        let counted = self
            .count(
                &failures_key(&account),
                self.inner.config.lockout.duration(),
            )
            .await;
        Ok(Attempt {
            allowed: !locked && counted.count <= config.lockout.max_login_attempts,
            count: counted.count,
        })
    }

    /// Settles an attempt whose password was checked: a right one clears the count, a wrong one that reaches the
    /// limit locks the account.
    pub(crate) async fn settle_password_attempt(
        &self,
        email: &str,
        attempt: Attempt,
        right: bool,
    ) -> Result<(), Error> {
        let config = &self.inner.config;
        if !config.lockout.enabled {
            return Ok(());
        }
        let account = self.inner.tokens.account_key(email);
        if right {
            self.forget_count(&failures_key(&account)).await;
            return Ok(());
        }
        if attempt.count >= config.lockout.max_login_attempts {
            tracing::warn!(
                target: "fullauth::audit", %account, attempts = attempt.count,
                "account locked after repeated wrong passwords"
            );
            self.set_counted_flag(&locked_key(&account), self.inner.config.lockout.duration())
                .await;
        }
        Ok(())
    }

    /// Lifts a lock and forgets the attempts: after the password was set through a reset link, which proves
    /// control of the mailbox.
    pub(crate) async fn clear_lockout(&self, email: &str) -> Result<(), Error> {
        if !self.inner.config.lockout.enabled {
            return Ok(());
        }
        let account = self.inner.tokens.account_key(email);
        self.forget_count(&locked_key(&account)).await;
        self.forget_count(&failures_key(&account)).await;
        Ok(())
    }
}
