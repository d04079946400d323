//! The second step of a sign-in for a user with MFA on: the `mfa_token` the first step hands out, and
//! `POST /mfa/verify`, which exchanges it with a code for the session.

use std::time::Duration;

use super::FullAuth;
use super::mfa_factor::AcceptedCode;
use super::sessions::ClientInfo;
use super::sign_in_gate::{Passed, Proof, SignIn};
use crate::error::Error;
use crate::events::AuthEvent;
use crate::model::{FullAuthUser, UserId};
use crate::tokens::TokenType;

/// The mark of an `mfa_token` a request holds, or that opened its session: it opens no other.
fn claimed_token_key(jti: &str) -> String {
    format!("fullauth:mfa-pending:claimed:{jti}")
}

impl<U: FullAuthUser> FullAuth<U> {
    /// The `mfa_token` a sign-in waits with, when the user has MFA on here and `proof` is one factor.
    pub(super) async fn second_factor_pending(
        &self,
        user: &U,
        proof: &Proof<'_>,
    ) -> Result<Option<String>, Error> {
        let two_factors = match proof {
            Proof::BothFactors { .. } => true,
            Proof::Passkey { user_verified } => {
                *user_verified && self.inner.config.mfa.verified_passkey_is_two_factors
            }
            Proof::Password { .. } | Proof::Provider => false,
        };
        if two_factors || self.inner.mfa.is_none() {
            return Ok(None);
        }
        let Some(store) = self.inner.store.mfa_store() else {
            return Ok(None);
        };
        if !store
            .mfa_of(user.id())
            .await?
            .is_some_and(|mfa| mfa.is_enabled())
        {
            return Ok(None);
        }
        let mfa_token = self.issue_mfa_token(user)?;
        tracing::info!(
            target: "fullauth::audit", user_id = %user.id(),
            "identity proven; the sign-in waits for the second factor"
        );
        Ok(Some(mfa_token))
    }

    /// Completes a sign-in that waits for its second factor: `mfa_token` from the first step and a TOTP code (or
    /// a recovery code) open the session.
    ///
    /// Every refusal is [`Error::InvalidCredentials`]: a token that is invalid, expired, used or no longer fits
    /// the account (its password changed), an inactive account, a wrong or replayed code, a locked second factor.
    /// A wrong code leaves the token usable; wrong codes count towards the user's MFA lockout.
    pub async fn mfa_verify(
        &self,
        mfa_token: &str,
        code: &str,
        client: &ClientInfo,
    ) -> Result<(U, SignIn), Error> {
        let (user, passed) = self.mfa_verify_granting(mfa_token, code, client).await?;
        Ok((user, passed.into()))
    }

    pub(crate) async fn mfa_verify_granting(
        &self,
        mfa_token: &str,
        code: &str,
        client: &ClientInfo,
    ) -> Result<(U, Passed), Error> {
        self.mfa_store()?;
        let claims = self
            .inner
            .tokens
            .decode(mfa_token, TokenType::MfaPending)
            .map_err(|_| Error::InvalidCredentials)?;
        let id = U::Id::parse_subject(&claims.sub).ok_or(Error::InvalidCredentials)?;
        // The token is held while this request checks its code, and kept once it opened the session: a used
        // token, or one another request holds, is refused before any code is looked at (no recovery code is
        // spent, nothing counts towards the lockout). Every refusal lets it go, so a wrong code leaves it usable.
        let claim = claimed_token_key(&claims.jti);
        if self.count(&claim, self.claimed_token_ttl()).await.count != 1 {
            return Err(Error::InvalidCredentials);
        }
        let verified = self
            .second_step(&id, claims.fp.as_deref(), code, client)
            .await;
        if verified.is_err() {
            self.forget_count(&claim).await;
        }
        verified
    }

    /// The second step for the user `id` of a token carrying `fingerprint`, once this request holds the token.
    async fn second_step(
        &self,
        id: &U::Id,
        fingerprint: Option<&str>,
        code: &str,
        client: &ClientInfo,
    ) -> Result<(U, Passed), Error> {
        let user = match self.inner.store.user_by_id(id).await? {
            Some(user)
                if user.is_active()
                    && fingerprint
                        == Some(
                            self.state_fingerprint(&user, TokenType::MfaPending)
                                .as_str(),
                        ) =>
            {
                user
            }
            _ => return Err(Error::InvalidCredentials),
        };
        let attempt = self.code_attempt(id).await;
        if !attempt.allowed {
            tracing::info!(target: "fullauth::audit", user_id = %id, "second factor refused: locked");
            return Err(Error::InvalidCredentials);
        }
        let Some(mfa) = self.mfa_store()?.mfa_of(id).await? else {
            return Err(Error::InvalidCredentials);
        };
        let accepted = self.use_code(&mfa, code).await?;
        self.settle_code_attempt(&user, attempt, accepted.is_some())
            .await;
        let Some(accepted) = accepted else {
            tracing::info!(target: "fullauth::audit", user_id = %id, "second factor refused: wrong code");
            return Err(Error::InvalidCredentials);
        };
        if let AcceptedCode::Recovery { remaining } = accepted {
            self.inner.events.emit(AuthEvent::MfaRecoveryCodeUsed {
                user: user.clone(),
                remaining,
            });
        }
        let proof = Proof::BothFactors {
            verified_hash: user.auth().hashed_password.as_deref(),
        };
        let passed = self.pass_sign_in_gate(&user, client, proof).await?;
        tracing::info!(target: "fullauth::audit", user_id = %id, "signed in with the second factor");
        Ok((user, passed))
    }

    /// How long a held `mfa_token` must be remembered: as long as it could still be accepted.
    fn claimed_token_ttl(&self) -> Duration {
        self.inner
            .config
            .mfa
            .pending_lifetime()
            .saturating_add(Duration::from_secs(
                self.inner.config.tokens.jwt_leeway_seconds,
            ))
    }
}
