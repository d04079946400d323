//! The lockout of the second factor: codes given at `POST /mfa/verify` counted per user, as passwords are counted
//! per account (`lockout.rs`), with the same limits and the same switch. Each code is counted *before* it is
//! checked, so that parallel guesses get no more checks than serial ones; while the user is locked, no code is
//! checked at all, recovery codes included.

use super::FullAuth;
use crate::events::AuthEvent;
use crate::model::FullAuthUser;

fn failures_key(user_id: &str) -> String {
    format!("fullauth:mfa-lockout:failures:{user_id}")
}

fn locked_key(user_id: &str) -> String {
    format!("fullauth:mfa-lockout:locked:{user_id}")
}

/// One code given for a user, counted before it is checked.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CodeAttempt {
    /// Whether the code may be checked: the user's second factor is not locked and the attempt is within the
    /// limit.
    pub allowed: bool,
    /// The attempt's number in the current window (0 with the lockout off).
    count: u64,
}

impl<U: FullAuthUser> FullAuth<U> {
    /// Counts a code given for `user_id`, before it is checked.
    pub(crate) async fn code_attempt(&self, user_id: &U::Id) -> CodeAttempt {
        let lockout = &self.inner.config.lockout;
        if !lockout.enabled {
            return CodeAttempt {
                allowed: true,
                count: 0,
            };
        }
        let id = user_id.to_string();
        let locked = self.counted_flag(&locked_key(&id)).await;
        let counted = self.count(&failures_key(&id), lockout.duration()).await;
        CodeAttempt {
            allowed: !locked && counted.count <= lockout.max_login_attempts,
            count: counted.count,
        }
    }

    /// Settles an attempt whose code was checked: a right one clears the count, a wrong one that reaches the
    /// limit locks the user's second factor, and says so.
    pub(crate) async fn settle_code_attempt(&self, user: &U, attempt: CodeAttempt, right: bool) {
        let lockout = &self.inner.config.lockout;
        if !lockout.enabled {
            return;
        }
        let id = user.id().to_string();
        if right {
            self.forget_count(&failures_key(&id)).await;
            return;
        }
        if attempt.count >= lockout.max_login_attempts {
            tracing::warn!(
                target: "fullauth::audit", user_id = %id, attempts = attempt.count,
                "second factor locked after repeated wrong codes"
            );
            self.set_counted_flag(&locked_key(&id), lockout.duration())
                .await;
            self.inner
                .events
                .emit(AuthEvent::MfaLocked { user: user.clone() });
        }
    }
}
