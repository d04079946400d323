//! Signing in with an email and a password.

use super::FullAuth;
use super::sessions::ClientInfo;
use super::token_pair::TokenPair;
use crate::error::Error;
use crate::events::AuthEvent;
use crate::log_field::LogField;
use crate::model::FullAuthUser;
use crate::password::Verification;
use crate::tokens::AccessGrants;

impl<U: FullAuthUser> FullAuth<U> {
    /// Checks an email and password and opens a session.
    ///
    /// Unknown email, wrong password, password-less account, inactive account and locked account all fail with
    /// the same [`Error::InvalidCredentials`] after the same work: an unknown or locked account is checked against a
    /// dummy hash. Wrong passwords count towards the account's lockout; a right one clears the count.
    pub async fn login(
        &self,
        email: &str,
        password: String,
        client: &ClientInfo,
    ) -> Result<(U, TokenPair), Error> {
        let (user, pair, _) = self.sign_in(email, password, client).await?;
        Ok((user, pair))
    }

    /// [`Self::login`], also returning what the access token grants, so that the answer can show the user's roles
    /// without reading them again.
    pub(crate) async fn sign_in(
        &self,
        email: &str,
        password: String,
        client: &ClientInfo,
    ) -> Result<(U, TokenPair, AccessGrants), Error> {
        let email_typed = email;
        let email = crate::email_address::normalize(email_typed);
        // Counted before anything is checked: past the limit, or locked, the password is never looked at.
        let attempt = self.password_attempt(&email).await?;
        let found = self.user_by_email_in_any_form(email_typed, &email).await?;
        let too_long = self.inner.policy.is_too_long(&password);
        let user = match found {
            Some(user) if attempt.allowed && !too_long => user,
            found => {
                // The same work as a wrong password: a lock, an unknown account and an overlong password tell
                // nothing.
                if self.inner.config.sign_in.prevent_login_timing_attacks && !too_long {
                    self.inner.hasher.dummy_verify(password).await?;
                }
                let reason = if !attempt.allowed {
                    "account locked"
                } else if too_long {
                    "password too long"
                } else {
                    "unknown account"
                };
                tracing::info!(
                    target: "fullauth::audit", email = %LogField(&email), known = found.is_some(),
                    "sign-in failed: {reason}"
                );
                if attempt.allowed {
                    self.settle_password_attempt(&email, attempt, false).await?;
                }
                return Err(Error::InvalidCredentials);
            }
        };
        let stored = user.auth().hashed_password.clone();
        let verification = self
            .inner
            .hasher
            .verify(password.clone(), stored.clone())
            .await?;
        let Verification::Valid { needs_rehash } = verification else {
            tracing::info!(target: "fullauth::audit", user_id = %user.id(), "sign-in failed: wrong password");
            self.settle_password_attempt(&email, attempt, false).await?;
            return Err(Error::InvalidCredentials);
        };
        self.settle_password_attempt(&email, attempt, true).await?;
        if !user.is_active() {
            tracing::info!(target: "fullauth::audit", user_id = %user.id(), "sign-in failed: inactive account");
            return Err(Error::InvalidCredentials);
        }
        let (tokens, grants) = self
            .start_session_granting(&user, client, stored.as_deref())
            .await?;
        if needs_rehash && let Some(current) = stored {
            self.rehash_in_background(user.id().clone(), current, password);
        }
        tracing::info!(target: "fullauth::audit", user_id = %user.id(), "signed in");
        self.inner
            .events
            .emit(AuthEvent::AfterLogin { user: user.clone() });
        Ok((user, tokens, grants))
    }

    /// Upgrades a hash made with older parameters, without delaying the sign-in.
    fn rehash_in_background(&self, id: U::Id, current: String, password: String) {
        let auth = self.clone();
        tokio::spawn(async move {
            let upgraded = async {
                let new = auth.inner.hasher.hash(password).await?;
                auth.inner
                    .store
                    .replace_password_hash(&id, &current, &new)
                    .await
                    .map_err(Error::from)
            };
            match upgraded.await {
                Ok(true) => {
                    tracing::info!(target: "fullauth::audit", user_id = %id, "password hash upgraded")
                }
                Ok(false) => {}
                Err(error) => tracing::warn!(user_id = %id, %error, "password hash upgrade failed"),
            }
        });
    }
}
