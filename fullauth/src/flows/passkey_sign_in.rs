//! Signing in with a passkey: the request options with their `challenge_key`, then the assertion, through the
//! same gate as a password sign-in.

use serde_json::{Map, Value};

use super::FullAuth;
use super::sessions::ClientInfo;
use super::sign_in_gate::{Passed, Proof, SignIn};
use crate::error::Error;
use crate::events::AuthEvent;
use crate::model::{FullAuthUser, UserId, now};
use crate::passkey::{
    Ceremony, Credential, OpenSignIn, PasskeyError, after_sign_in, credential_digest,
    credential_json, stored_credential,
};
use crate::store::{PasskeyOf, PasskeyUse};

impl<U: FullAuthUser> FullAuth<U> {
    /// Opens a sign-in: the request options, as the flat WebAuthn JSON a browser's
    /// `PublicKeyCredential.parseRequestOptionsFromJSON` reads, with the `challenge_key` that completes it.
    ///
    /// With an `email`, `allowCredentials` lists that account's passkeys, and only they can complete the sign-in;
    /// it is empty (any discoverable passkey) for an email no account has or an account without passkeys, which
    /// costs the same queries, so the answer tells nothing about the email.
    pub async fn passkey_sign_in_options(
        &self,
        email: Option<&str>,
    ) -> Result<Map<String, Value>, Error> {
        let relying_party = self.relying_party()?;
        let mut owner = None;
        let mut allowed: Vec<Credential> = Vec::new();
        if let Some(typed) = email {
            let normalized = crate::email_address::normalize(typed);
            let user = self.user_by_email_in_any_form(typed, &normalized).await?;
            let id = user.map_or_else(U::Id::generate, |user| user.id().clone());
            let passkeys = self.passkey_store()?.passkeys_of(&id).await?;
            allowed = passkeys
                .iter()
                .filter_map(|passkey| stored_credential(&passkey.credential).ok())
                .collect();
            owner = (!allowed.is_empty()).then(|| id.to_string());
        }
        let (mut options, state) = relying_party
            .begin_authentication(allowed)
            .map_err(|error| Error::passkey_sign_in_failed(&error))?;
        let open = OpenSignIn { user: owner, state };
        let challenge_key = self.open_ceremony(Ceremony::SignIn, &open).await?;
        options.insert("challenge_key".into(), challenge_key.into());
        Ok(options)
    }

    /// Completes a sign-in: verifies the assertion `credential` (WebAuthn JSON) against the ceremony
    /// `challenge_key` names and the passkey it was made with, records the use, and opens a session for the
    /// passkey's owner (or, when the owner has MFA on and the passkey does not count as both factors, hands out
    /// the `mfa_token` that [`Self::mfa_verify`] exchanges with a code for the session). Every refusal is
    /// [`crate::PasskeyFailure::SignInFailed`].
    ///
    /// A signature counter that does not move forward refuses the sign-in: the authenticator may have been
    /// cloned. It is logged as a warning and emitted as [`AuthEvent::PasskeyCounterRegressed`].
    pub async fn passkey_sign_in(
        &self,
        challenge_key: &str,
        credential: Value,
        client: &ClientInfo,
    ) -> Result<(U, SignIn), Error> {
        let (user, passed) = self
            .passkey_sign_in_granting(challenge_key, credential, client)
            .await?;
        Ok((user, passed.into()))
    }

    pub(crate) async fn passkey_sign_in_granting(
        &self,
        challenge_key: &str,
        credential: Value,
        client: &ClientInfo,
    ) -> Result<(U, Passed), Error> {
        let (passkey, user_verified) = self.verified_passkey(challenge_key, credential).await?;
        let user = match self.inner.store.user_by_id(&passkey.user_id).await? {
            Some(user) if user.is_active() => user,
            _ => return Err(Error::passkey_sign_in_failed(&"no active owner")),
        };
        let passed = self
            .pass_sign_in_gate(&user, client, Proof::Passkey { user_verified })
            .await
            .map_err(|error| match error {
                Error::InvalidCredentials => {
                    Error::passkey_sign_in_failed(&"the account changed during sign-in")
                }
                other => other,
            })?;
        tracing::info!(
            target: "fullauth::audit", user_id = %user.id(), passkey_id = %passkey.id,
            user_verified, "identity proven with a passkey"
        );
        Ok((user, passed))
    }

    /// The passkey an assertion proves, after every WebAuthn check, with its use recorded, and whether the
    /// authenticator verified the user.
    async fn verified_passkey(
        &self,
        challenge_key: &str,
        credential: Value,
    ) -> Result<(PasskeyOf<U>, bool), Error> {
        let relying_party = self.relying_party()?;
        let store = self.passkey_store()?;
        let open: OpenSignIn = self
            .take_ceremony(Ceremony::SignIn, challenge_key)
            .await?
            .ok_or_else(|| {
                Error::passkey_sign_in_failed(&"no open sign-in for this challenge key")
            })?;
        let assertion = relying_party
            .read_assertion(credential)
            .map_err(|error| Error::passkey_sign_in_failed(&error))?;
        let passkey = store
            .passkey_by_digest(&credential_digest(&assertion.raw_id))
            .await?
            .ok_or_else(|| Error::passkey_sign_in_failed(&"unknown credential"))?;
        let owner = passkey.user_id.to_string();
        if open.user.as_ref().is_some_and(|named| *named != owner) {
            return Err(Error::passkey_sign_in_failed(
                &"the passkey is not one the email's options allowed",
            ));
        }
        // Without an email, only the user handle names the user: it must be there, and be the owner's.
        match &assertion.response.user_handle {
            Some(handle) if handle.as_slice() != owner.as_bytes() => {
                return Err(Error::passkey_sign_in_failed(
                    &"the user handle is not the passkey owner's",
                ));
            }
            None if open.user.is_none() => {
                return Err(Error::passkey_sign_in_failed(
                    &"a sign-in without an email carries no user handle",
                ));
            }
            _ => {}
        }
        let stored = stored_credential(&passkey.credential)
            .map_err(|error| Error::passkey_sign_in_failed(&error))?;
        let result = match relying_party.finish_authentication(&assertion, &open.state, &stored) {
            Ok(result) => result,
            Err(PasskeyError::CounterRegressed) => {
                self.counter_regressed(&passkey, stored.counter).await;
                return Err(Error::passkey_sign_in_failed(
                    &PasskeyError::CounterRegressed,
                ));
            }
            Err(error) => return Err(Error::passkey_sign_in_failed(&error)),
        };
        let updated = credential_json(&after_sign_in(stored, &result));
        let used = PasskeyUse {
            id: passkey.id,
            credential: &updated,
            sign_count: i64::from(result.counter()),
            backed_up: result.backup_state(),
            used_at: now(),
        };
        if !store.record_passkey_use(&used).await? {
            // Another sign-in recorded a counter at least as high in the meantime (two copies of one
            // authenticator signing at once), or the passkey was deleted.
            if used.sign_count > 0 {
                self.counter_regressed(&passkey, result.counter()).await;
            }
            return Err(Error::passkey_sign_in_failed(
                &"the passkey changed during sign-in",
            ));
        }
        Ok((passkey, result.user_verified()))
    }

    /// Logs and announces a signature counter that went backwards.
    async fn counter_regressed(&self, passkey: &PasskeyOf<U>, stored_counter: u32) {
        tracing::warn!(
            target: "fullauth::audit", user_id = %passkey.user_id, passkey_id = %passkey.id,
            stored_counter, "passkey sign-in refused: the signature counter went backwards (a cloned authenticator?)"
        );
        match self.inner.store.user_by_id(&passkey.user_id).await {
            Ok(Some(user)) => self.inner.events.emit(AuthEvent::PasskeyCounterRegressed {
                user,
                passkey_id: passkey.id,
            }),
            Ok(None) => {}
            Err(error) => {
                tracing::error!(%error, "the owner of a passkey with a regressed counter could not be read");
            }
        }
    }
}
