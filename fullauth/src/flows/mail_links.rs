//! Email verification and password reset: mailed tokens, and their single use.
//!
//! The tokens are JWTs signed with keys of their own, and each carries a keyed fingerprint of the account state
//! it was issued for, which lives in the database: a verification token the address it was sent to (and it works
//! only while that address is not verified), a reset token the address and the current password hash. Using one
//! changes that state in a conditional update, so a token works once, across restarts and instances, and of
//! concurrent confirmations exactly one succeeds; a reset token also dies when the password or the address
//! changes any other way. The fingerprint keeps the address out of the link.

use super::FullAuth;
use super::detached::spawn_detached;
use crate::error::Error;
use crate::events::AuthEvent;
use crate::mail::{Mail, MailContext};
use crate::model::{FullAuthUser, UserId, now};
use crate::store::ExpectedHash;
use crate::tokens::{TokenError, TokenType};

/// How long a password-reset mail waits before it is issued and rendered.
const RESET_MAIL_DELAY: std::time::Duration = std::time::Duration::from_millis(50);

fn minutes(minutes: u64) -> std::time::Duration {
    std::time::Duration::from_secs(minutes.saturating_mul(60))
}

impl<U: FullAuthUser> FullAuth<U> {
    /// Mails `user` a link to confirm their address, unless it is verified already or the account's hourly
    /// budget of mails (`mail.per_account_per_hour`) is spent. The mail goes out after the response; a delivery
    /// failure is logged. Must be called within a Tokio runtime.
    pub fn request_email_verification(&self, user: &U) -> Result<(), Error> {
        if user.is_verified() {
            return Ok(());
        }
        let (token, mail) = self.mailed_token(user, TokenType::EmailVerification)?;
        let auth = self.clone();
        let user = user.clone();
        tokio::spawn(async move {
            if auth.mail_budget_allows(user.email()).await {
                auth.inner
                    .events
                    .emit(AuthEvent::SendVerificationEmail { user, token, mail });
            }
        });
        Ok(())
    }

    /// The fingerprint a mail token of `purpose` must carry to work for `user` as the account is now.
    pub(super) fn state_fingerprint(&self, user: &U, purpose: TokenType) -> String {
        self.inner.tokens.account_fingerprint(
            purpose,
            user.email(),
            user.auth().hashed_password.as_deref(),
        )
    }

    /// Issues a mail token of `purpose` for `user`, bound to the account's state, and renders its mail.
    fn mailed_token(&self, user: &U, purpose: TokenType) -> Result<(String, Mail), TokenError> {
        let config = &self.inner.config;
        let (expires_in_minutes, path) = match purpose {
            TokenType::PasswordReset => (
                config.mail.password_reset_expire_minutes,
                &config.mail.password_reset_path,
            ),
            _ => (
                config.mail.email_verify_expire_minutes,
                &config.mail.verify_email_path,
            ),
        };
        let issued = self.inner.tokens.issue_mail_token(
            purpose,
            user.id().to_string(),
            minutes(expires_in_minutes),
            self.state_fingerprint(user, purpose),
            now(),
        )?;
        let link = config.mail.link(path, &issued.token);
        let context = MailContext {
            to: user.email(),
            link: &link,
            token: &issued.token,
            expires_in_minutes,
        };
        let mail = match purpose {
            TokenType::PasswordReset => self.inner.templates.password_reset(&context),
            _ => self.inner.templates.verification(&context),
        };
        Ok((issued.token, mail))
    }

    /// Confirms an email address with a mailed token: it must be valid, unexpired, for an active user whose
    /// address is still the one it was sent to and not verified yet. Every failure is [`Error::InvalidCredentials`].
    pub async fn confirm_email_verification(&self, token: &str) -> Result<U, Error> {
        let user = self
            .mail_token_user(token, TokenType::EmailVerification)
            .await?;
        if user.is_verified()
            || !self
                .inner
                .store
                .mark_email_verified(user.id(), user.email())
                .await?
        {
            return Err(Error::InvalidCredentials);
        }
        let mut verified = user;
        verified.auth_mut().is_verified = true;
        tracing::info!(target: "fullauth::audit", user_id = %verified.id(), "email verified");
        self.inner.events.emit(AuthEvent::AfterEmailVerify {
            user: verified.clone(),
        });
        Ok(verified)
    }

    /// Mails a reset link to the account with this email (in any form that normalizes alike), if there is an
    /// active one.
    ///
    /// Known and unknown addresses take the same path until the answer: one lookup, then a task that, a moment
    /// after the response, issues and mails the link (or does nothing).
    pub async fn request_password_reset(&self, email: &str) -> Result<(), Error> {
        let normalized = crate::email_address::normalize(email);
        let found = self.user_by_email_in_any_form(email, &normalized).await?;
        let recipient = found.filter(|user| user.is_active());
        let auth = self.clone();
        tokio::spawn(async move {
            // Start once the answer is on its way, so that the work for a known address cannot compete with
            // (and show in the timing of) the answer itself.
            tokio::time::sleep(RESET_MAIL_DELAY).await;
            if let Some(user) = recipient
                && auth.mail_budget_allows(user.email()).await
            {
                auth.mail_reset_link(user);
            }
        });
        Ok(())
    }

    fn mail_reset_link(&self, user: U) {
        match self.mailed_token(&user, TokenType::PasswordReset) {
            Ok((token, mail)) => {
                tracing::info!(target: "fullauth::audit", user_id = %user.id(), "password reset requested");
                self.inner
                    .events
                    .emit(AuthEvent::SendPasswordResetEmail { user, token, mail });
            }
            Err(error) => {
                tracing::error!(user_id = %user.id(), ?error, "could not issue a password-reset token");
            }
        }
    }

    /// Sets a new password with a mailed token and ends every session of the user, in one transaction. An
    /// account whose address is not verified also loses its OAuth links: only the password, set by the
    /// mailbox's owner, opens it afterwards.
    ///
    /// The token must be valid, unexpired, for an active user whose address and password are unchanged since it
    /// was issued ([`Error::InvalidCredentials`] otherwise); a new password breaking the policy is
    /// [`Error::WeakPassword`] and leaves the token usable.
    pub async fn confirm_password_reset(
        &self,
        token: &str,
        new_password: String,
    ) -> Result<U, Error> {
        let user = self
            .mail_token_user(token, TokenType::PasswordReset)
            .await?;
        let current = user.auth().hashed_password.clone();
        self.check_password_policy(&new_password)?;
        let hash = self.inner.hasher.hash(new_password).await?;
        let auth = self.clone();
        spawn_detached(async move {
            let id = user.id().clone();
            let families = auth
                .inner
                .store
                .change_password(&id, ExpectedHash::Exactly(current.as_deref()), &hash, now())
                .await?
                .ok_or(Error::InvalidCredentials)?;
            auth.revoke_families_in_state(&families).await;
            if !user.is_verified() {
                auth.drop_unproven_sign_in_methods(&id).await?;
            }
            // The link proved control of the mailbox: a lock from guesses at the old password ends here. The
            // password is changed already, so a shared state that cannot be reached does not fail the request.
            if let Err(error) = auth.clear_lockout(user.email()).await {
                tracing::error!(%error, user_id = %id, "the lockout of a reset account could not be lifted");
            }
            tracing::info!(target: "fullauth::audit", user_id = %id, sessions = families.len(), "password reset");
            auth.inner.events.emit(AuthEvent::AfterPasswordReset { user: user.clone() });
            Ok(user)
        })
        .await
    }

    /// Removes the OAuth links and passkeys of an account whose address nobody had proven: whoever added them may
    /// not own the mailbox (a provider that does not verify addresses created the account, or someone signed
    /// up with another's address and registered a passkey), and the mailbox's owner, who just reset the
    /// password, must not share the account with them.
    async fn drop_unproven_sign_in_methods(&self, id: &U::Id) -> Result<(), Error> {
        if let Some(store) = self.inner.store.oauth_account_store() {
            for link in store.oauth_accounts_of(id).await? {
                store.unlink_oauth_account(id, &link.provider).await?;
                tracing::info!(
                    target: "fullauth::audit", user_id = %id, provider = %link.provider,
                    "OAuth identity unlinked by a password reset of an unverified account"
                );
            }
        }
        if let Some(store) = self.inner.store.passkey_store() {
            let removed = store.delete_passkeys_of(id).await?;
            if removed > 0 {
                tracing::info!(
                    target: "fullauth::audit", user_id = %id, passkeys = removed,
                    "passkeys removed by a password reset of an unverified account"
                );
            }
        }
        Ok(())
    }

    /// The active user a mail token of `purpose` names, if the account still has the state the token was
    /// issued for.
    async fn mail_token_user(&self, token: &str, purpose: TokenType) -> Result<U, Error> {
        let claims = self
            .inner
            .tokens
            .decode(token, purpose)
            .map_err(|_| Error::InvalidCredentials)?;
        let id = U::Id::parse_subject(&claims.sub).ok_or(Error::InvalidCredentials)?;
        match self.inner.store.user_by_id(&id).await? {
            Some(user)
                if user.is_active()
                    && claims.fp.as_deref()
                        == Some(self.state_fingerprint(&user, purpose).as_str()) =>
            {
                Ok(user)
            }
            _ => Err(Error::InvalidCredentials),
        }
    }
}
