//! The signed-in user's own account: updating the profile, changing the password, deleting the account.

use super::FullAuth;
use super::detached::spawn_detached;
use crate::error::{Error, ReauthFailure};
use crate::events::AuthEvent;
use crate::model::{FullAuthUser, now};
use crate::password::Verification;
use crate::store::{ExpectedHash, Removal};
use crate::tokens::Claims;

/// How a destructive action proves the user is present. `Debug` never shows the password.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Presence {
    /// The current password was given.
    Password(String),
    /// No password: the sign-in behind the token must be recent enough.
    RecentSignIn,
}

impl std::fmt::Debug for Presence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Presence::Password(password) => f
                .debug_tuple("Password")
                .field(&crate::tokens::Redacted(password))
                .finish(),
            Presence::RecentSignIn => f.write_str("RecentSignIn"),
        }
    }
}

impl<U: FullAuthUser> FullAuth<U> {
    /// Whether the sign-in behind `claims` is within `sign_in.reauth_max_age_seconds`.
    pub(crate) fn signed_in_recently(&self, claims: &Claims) -> bool {
        let max_age = self.inner.config.sign_in.reauth_max_age_seconds;
        let age = now().unix_timestamp().saturating_sub(claims.auth_time);
        max_age > 0 && u64::try_from(age).is_ok_and(|age| age <= max_age)
    }

    /// Checks the current password of a signed-in user. The attempt counts towards the account's lockout before
    /// the check; a locked account's password never matches (after the same work as a wrong one).
    async fn password_matches(&self, user: &U, password: String) -> Result<bool, Error> {
        let email = crate::email_address::normalize(user.email());
        let attempt = self.password_attempt(&email).await?;
        if !attempt.allowed || self.inner.policy.is_too_long(&password) {
            if attempt.allowed {
                self.settle_password_attempt(&email, attempt, false).await?;
            } else {
                self.inner.hasher.dummy_verify(password).await?;
            }
            return Ok(false);
        }
        let matches = matches!(
            self.inner
                .hasher
                .verify(password, user.auth().hashed_password.clone())
                .await?,
            Verification::Valid { .. }
        );
        self.settle_password_attempt(&email, attempt, matches)
            .await?;
        Ok(matches)
    }

    /// Checks the proof of presence a sensitive action came with: the current password, when given for an
    /// account that has one (a wrong one is refused even right after sign-in), or else a recent sign-in.
    pub(crate) async fn prove_presence(
        &self,
        user: &U,
        claims: &Claims,
        presence: Presence,
    ) -> Result<(), Error> {
        let proven = match presence {
            Presence::Password(password) if user.auth().hashed_password.is_some() => {
                if !self.password_matches(user, password).await? {
                    return Err(Error::Reauthentication(ReauthFailure::WrongPassword));
                }
                true
            }
            _ => self.signed_in_recently(claims),
        };
        if proven {
            Ok(())
        } else {
            Err(Error::Reauthentication(ReauthFailure::SignInTooOld))
        }
    }

    /// Applies a profile patch to `user`: the updated user, or [`Error::InvalidCredentials`] when the account is
    /// gone meanwhile.
    pub(crate) async fn update_profile(&self, user: &U, patch: &U::Patch) -> Result<U, Error> {
        let updated = self
            .inner
            .store
            .update_user(user.id(), patch)
            .await?
            .ok_or(Error::InvalidCredentials)?;
        tracing::info!(target: "fullauth::audit", user_id = %updated.id(), "profile updated");
        Ok(updated)
    }

    /// Deletes the account after proof of presence; ends every session at once.
    pub(crate) async fn delete_account(
        &self,
        user: U,
        claims: Claims,
        presence: Presence,
    ) -> Result<(), Error> {
        self.prove_presence(&user, &claims, presence).await?;
        let auth = self.clone();
        spawn_detached(async move {
            let id = user.id().clone();
            let families = match auth.inner.store.delete_user(&id, now()).await? {
                Removal::Done(families) => families,
                Removal::NotFound => Vec::new(),
                Removal::LastSuperuser => return Err(Error::LastSuperuser),
            };
            auth.revoke_families_in_state(&families).await;
            tracing::info!(target: "fullauth::audit", user_id = %id, "account deleted");
            Ok(())
        })
        .await
    }

    /// Changes the password after proof of presence; ends every session of the user, this one included.
    pub(crate) async fn change_password(
        &self,
        user: U,
        claims: Claims,
        current_password: Option<String>,
        new_password: String,
    ) -> Result<(), Error> {
        if user.auth().hashed_password.is_none() {
            if !self.signed_in_recently(&claims) {
                return Err(Error::Reauthentication(ReauthFailure::SignInTooOld));
            }
        } else {
            let matches = match current_password.filter(|password| !password.is_empty()) {
                Some(password) => self.password_matches(&user, password).await?,
                None => false,
            };
            if !matches {
                return Err(Error::WrongCurrentPassword);
            }
        }
        self.check_password_policy(&new_password)?;
        let hash = self.inner.hasher.hash(new_password).await?;
        let auth = self.clone();
        spawn_detached(async move {
            let id = user.id().clone();
            // Only over the hash the current password was checked against: a change racing this one wins.
            let verified = ExpectedHash::Exactly(user.auth().hashed_password.as_deref());
            let families = auth
                .inner
                .store
                .change_password(&id, verified, &hash, now())
                .await?
                .ok_or(Error::WrongCurrentPassword)?;
            auth.revoke_families_in_state(&families).await;
            tracing::info!(target: "fullauth::audit", user_id = %id, sessions = families.len(), "password changed");
            auth.inner.events.emit(AuthEvent::AfterPasswordChange { user });
            Ok(())
        })
        .await
    }
}
