//! Account lockout: wrong passwords counted per account (its normalized email) in the shared state, atomically
//! across instances; at the limit the account is locked for a while, and every route that takes a password
//! answers as for a wrong one.
//!
//! Keys hold a digest of the email, never the address itself. The checks fail closed: without the shared state,
//! password checks answer 503 rather than let guesses through uncounted.

use std::time::Duration;

use crate::error::ApiError;
use crate::fullauth::FullAuth;
use crate::model::FullAuthUser;
use crate::tokens::token_digest;

fn failures_key(email: &str) -> String {
    format!("fullauth:lockout:failures:{}", token_digest(email))
}

fn locked_key(email: &str) -> String {
    format!("fullauth:lockout:locked:{}", token_digest(email))
}

impl<U: FullAuthUser> FullAuth<U> {
    fn lockout_duration(&self) -> Duration {
        Duration::from_secs(
            self.inner
                .config
                .lockout_duration_minutes
                .saturating_mul(60),
        )
    }

    /// Whether the account with this normalized email is locked.
    pub(crate) async fn is_locked(&self, email: &str) -> Result<bool, ApiError> {
        if !self.inner.config.lockout_enabled {
            return Ok(false);
        }
        Ok(self.inner.state.contains_any(&[locked_key(email)]).await?)
    }

    /// Counts a wrong password for the account; the one that reaches the limit locks it. Concurrent failures
    /// each get their own count, so many at once lock exactly as many in a row do.
    pub(crate) async fn record_failed_password(&self, email: &str) -> Result<(), ApiError> {
        if !self.inner.config.lockout_enabled {
            return Ok(());
        }
        let window = self.lockout_duration();
        let counted = self.inner.state.hit(&failures_key(email), window).await?;
        if counted.count >= self.inner.config.max_login_attempts {
            if counted.count == self.inner.config.max_login_attempts {
                tracing::warn!(
                    target: "fullauth::audit", account = %token_digest(email), failures = counted.count,
                    "account locked after repeated wrong passwords"
                );
            }
            self.inner.state.set(&locked_key(email), window).await?;
        }
        Ok(())
    }

    /// Forgets the wrong passwords of an account after a right one.
    pub(crate) async fn clear_failed_passwords(&self, email: &str) -> Result<(), ApiError> {
        if !self.inner.config.lockout_enabled {
            return Ok(());
        }
        Ok(self.inner.state.remove(&failures_key(email)).await?)
    }
}
