//! The user's second factor: where it is kept, its TOTP secret sealed at rest, and the check of one code (a TOTP
//! code accepted once per time step, or a recovery code used once).

use super::FullAuth;
use super::mfa_keys::MfaKeys;
use crate::error::{Error, MfaFailure};
use crate::mfa::{from_base32, matching_step, recovery_code_digest, step_at};
use crate::model::FullAuthUser;
use crate::sealing::Sealer;
use crate::store::{MfaOf, MfaStore};

/// A code the user's second factor accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AcceptedCode {
    /// A TOTP code, now used for its time step.
    Totp,
    /// A recovery code, now used; this many are left.
    Recovery { remaining: usize },
}

/// What a sealed TOTP secret is bound to: its user, so that a secret copied to another user's row does not open.
fn sealing_context(user_id: &str) -> Vec<u8> {
    let mut context = b"fullauth totp secret of user ".to_vec();
    context.extend_from_slice(user_id.as_bytes());
    context
}

impl<U: FullAuthUser> FullAuth<U> {
    /// The MFA store; refused while MFA is off or when the user model declares no MFA model.
    pub(crate) fn mfa_store(&self) -> Result<&dyn MfaStore<U>, Error> {
        match (&self.inner.mfa, self.inner.store.mfa_store()) {
            (Some(_), Some(store)) => Ok(store),
            _ => Err(Error::Mfa(MfaFailure::NotEnabled)),
        }
    }

    pub(crate) fn mfa_keys(&self) -> Result<&MfaKeys, Error> {
        self.inner
            .mfa
            .as_ref()
            .ok_or(Error::Mfa(MfaFailure::NotEnabled))
    }

    fn mfa_sealer(&self) -> Result<&Sealer, Error> {
        Ok(&self.mfa_keys()?.sealer)
    }

    /// The base32 TOTP secret `secret`, sealed for `user_id`'s row.
    pub(crate) fn seal_totp_secret(&self, user_id: &U::Id, secret: &str) -> Result<String, Error> {
        let context = sealing_context(&user_id.to_string());
        Ok(self.mfa_sealer()?.seal(secret, &context))
    }

    /// The TOTP secret of `mfa`, or `None` (logged) when it does not open: the secret key changed, or the row
    /// was written by hand or moved from another user.
    fn open_totp_secret(&self, mfa: &MfaOf<U>) -> Option<Vec<u8>> {
        let context = sealing_context(&mfa.user_id.to_string());
        let opened = self
            .mfa_sealer()
            .ok()
            .and_then(|sealer| sealer.open(&mfa.secret, &context))
            .and_then(|secret| from_base32(&secret));
        if opened.is_none() {
            tracing::error!(
                user_id = %mfa.user_id,
                "the TOTP secret of this user does not open under the secret key: was FULLAUTH_SECRET_KEY \
                 changed? The user can sign in with a recovery code and enrol again"
            );
        }
        opened
    }

    /// The time step of the current TOTP code `typed` for `mfa`, one step of skew either way; `None` when it is
    /// not one.
    pub(crate) fn totp_step(&self, mfa: &MfaOf<U>, typed: &str) -> Option<i64> {
        let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
        let now = u64::try_from(crate::model::now().unix_timestamp()).unwrap_or(0);
        let secret = self.open_totp_secret(mfa)?;
        matching_step(&secret, &typed, step_at(now))
    }

    /// Checks a code for a user with MFA on, and uses it: a TOTP code is accepted once for its time step, a
    /// recovery code once, each by one conditional write (of two requests with one code, one is accepted).
    pub(crate) async fn use_code(
        &self,
        mfa: &MfaOf<U>,
        typed: &str,
    ) -> Result<Option<AcceptedCode>, Error> {
        let store = self.mfa_store()?;
        if !mfa.is_enabled() {
            return Ok(None);
        }
        if let Some(step) = self.totp_step(mfa, typed) {
            let accepted = store.accept_mfa_step(&mfa.user_id, step).await?;
            if !accepted {
                tracing::warn!(target: "fullauth::audit", user_id = %mfa.user_id, "TOTP code replayed");
            }
            return Ok(accepted.then_some(AcceptedCode::Totp));
        }
        let key = self.mfa_keys()?.recovery_key(&mfa.user_id.to_string());
        let digest = recovery_code_digest(&key, typed);
        if mfa.recovery_codes_without(&digest).is_none()
            || !store.use_recovery_code(&mfa.user_id, &digest).await?
        {
            return Ok(None);
        }
        let remaining = mfa.recovery_codes_remaining().saturating_sub(1);
        tracing::warn!(
            target: "fullauth::audit", user_id = %mfa.user_id, remaining,
            "recovery code used"
        );
        Ok(Some(AcceptedCode::Recovery { remaining }))
    }
}
