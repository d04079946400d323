//! Signing in with an email and a password.

use super::FullAuth;
use super::sessions::ClientInfo;
use super::sign_in_gate::{Passed, Proof, SignIn};
use crate::error::Error;
use crate::log_field::LogField;
use crate::model::FullAuthUser;
use crate::password::Verification;

impl<U: FullAuthUser> FullAuth<U> {
    /// Checks an email and password and opens a session, or, for a user with MFA on, hands out the `mfa_token`
    /// that [`Self::mfa_verify`] exchanges with a code for the session.
    ///
    /// Unknown email, wrong password, password-less account, inactive account and locked account all fail with
    /// the same [`Error::InvalidCredentials`] after the same work: an unknown or locked account is checked against a
    /// dummy hash. Wrong passwords count towards the account's lockout; a right one clears the count.
    pub async fn login(
        &self,
        email: &str,
        password: String,
        client: &ClientInfo,
    ) -> Result<(U, SignIn), Error> {
        let (user, passed) = self.sign_in(email, password, client).await?;
        Ok((user, passed.into()))
    }

    /// [`Self::login`], also returning what the access token grants, so that the answer can show the user's roles
    /// without reading them again.
    pub(crate) async fn sign_in(
        &self,
        email: &str,
        password: String,
        client: &ClientInfo,
    ) -> Result<(U, Passed), Error> {
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
        let proof = Proof::Password {
            verified_hash: stored.as_deref(),
        };
        let mut passed = self.pass_sign_in_gate(&user, client, proof).await?;
        if needs_rehash && let Some(current) = stored {
            passed = self.upgrade_hash(&user, current, password, passed).await?;
        }
        if let Passed::Session(..) = passed {
            tracing::info!(target: "fullauth::audit", user_id = %user.id(), "signed in");
        }
        Ok((user, passed))
    }

    /// Upgrades a hash made with older parameters: in the background once the session is open; at once when the
    /// sign-in waits for its second factor, whose `mfa_token` is bound to the hash and is then bound to the new
    /// one.
    async fn upgrade_hash(
        &self,
        user: &U,
        current: String,
        password: String,
        passed: Passed,
    ) -> Result<Passed, Error> {
        let Passed::MfaRequired(mfa_token) = passed else {
            self.rehash_in_background(user.id().clone(), current, password);
            return Ok(passed);
        };
        let new = self.inner.hasher.hash(password.clone()).await?;
        if self
            .inner
            .store
            .replace_password_hash(user.id(), &current, &new)
            .await?
        {
            tracing::info!(target: "fullauth::audit", user_id = %user.id(), "password hash upgraded");
            let mut upgraded = user.clone();
            upgraded.auth_mut().hashed_password = Some(new);
            return Ok(Passed::MfaRequired(self.issue_mfa_token(&upgraded)?));
        }
        // Another sign-in upgraded it first, or the password changed: the token follows the account only while
        // the password still opens it.
        let Some(now) = self.inner.store.user_by_id(user.id()).await? else {
            return Ok(Passed::MfaRequired(mfa_token));
        };
        let verification = self
            .inner
            .hasher
            .verify(password, now.auth().hashed_password.clone())
            .await?;
        if let Verification::Valid { .. } = verification {
            return Ok(Passed::MfaRequired(self.issue_mfa_token(&now)?));
        }
        Ok(Passed::MfaRequired(mfa_token))
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
