//! Adding a passkey to a signed-in user: the creation options with their `challenge_key`, then the credential.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use super::FullAuth;
use crate::error::{Error, PasskeyFailure};
use crate::events::AuthEvent;
use crate::model::{FullAuthUser, PasskeyMixin, now};
use crate::passkey::{
    Ceremony, OpenRegistration, RelyingParty, credential_digest, credential_id_text,
    credential_json,
};
use crate::store::{AddPasskey, PasskeyOf, PasskeyStore};

/// The longest credential id WebAuthn allows, in bytes.
const MAX_CREDENTIAL_ID_BYTES: usize = 1023;

impl<U: FullAuthUser> FullAuth<U> {
    /// The relying party; refused when passkeys are off.
    pub(crate) fn relying_party(&self) -> Result<&RelyingParty, Error> {
        self.inner
            .passkeys
            .as_ref()
            .ok_or(Error::Passkey(PasskeyFailure::NotEnabled))
    }

    /// The passkey store; refused when the user model declares no passkey model.
    pub(crate) fn passkey_store(&self) -> Result<&dyn PasskeyStore<U>, Error> {
        self.inner
            .store
            .passkey_store()
            .ok_or(Error::Passkey(PasskeyFailure::NotEnabled))
    }

    /// Opens a registration for `user`: the creation options, as the flat WebAuthn JSON a browser's
    /// `PublicKeyCredential.parseCreationOptionsFromJSON` reads, with the `challenge_key` that completes it. The
    /// ceremony's state is kept in the shared state, bound to `user`, for `passkey.challenge_ttl_seconds`.
    pub async fn passkey_registration_options(
        &self,
        user: &U,
    ) -> Result<Map<String, Value>, Error> {
        let relying_party = self.relying_party()?;
        let existing: Vec<Vec<u8>> = self
            .passkey_store()?
            .passkeys_of(user.id())
            .await?
            .iter()
            .filter_map(|passkey| URL_SAFE_NO_PAD.decode(&passkey.credential_id).ok())
            .collect();
        let handle = user.id().to_string();
        let (mut options, state) = relying_party
            .begin_registration(handle.as_bytes(), user.email(), existing)
            .map_err(|error| Error::passkey_registration_failed(&error))?;
        let open = OpenRegistration {
            user: handle,
            state,
        };
        let challenge_key = self.open_ceremony(Ceremony::Registration, &open).await?;
        options.insert("challenge_key".into(), challenge_key.into());
        Ok(options)
    }

    /// Completes a registration `user` opened: verifies the `credential` (WebAuthn JSON) and stores the passkey.
    /// Refused with [`PasskeyFailure::ChallengeInvalid`] when `challenge_key` names no open registration of
    /// `user`, and with [`PasskeyFailure::RegistrationFailed`] when the credential fails a check or is
    /// registered already.
    pub async fn passkey_register(
        &self,
        user: &U,
        challenge_key: &str,
        credential: Value,
        device_name: String,
    ) -> Result<PasskeyOf<U>, Error> {
        let relying_party = self.relying_party()?;
        let store = self.passkey_store()?;
        let open: OpenRegistration = self
            .take_ceremony(Ceremony::Registration, challenge_key)
            .await?
            .ok_or(Error::Passkey(PasskeyFailure::ChallengeInvalid))?;
        if open.user != user.id().to_string() {
            return Err(Error::Passkey(PasskeyFailure::ChallengeInvalid));
        }
        let new = relying_party
            .finish_registration(credential, &open.state)
            .map_err(|error| Error::passkey_registration_failed(&error))?;
        let raw_id = &new.credential.cred_id;
        if raw_id.len() > MAX_CREDENTIAL_ID_BYTES {
            return Err(Error::passkey_registration_failed(
                &"the credential id is longer than WebAuthn allows",
            ));
        }
        let passkey = PasskeyMixin {
            id: uuid::Uuid::now_v7(),
            user_id: user.id().clone(),
            credential_id: credential_id_text(raw_id),
            credential_digest: credential_digest(raw_id),
            credential: credential_json(&new.credential),
            sign_count: i64::from(new.credential.counter),
            device_name,
            transports: new.transports.join(","),
            backed_up: new.credential.backup_state,
            created_at: now(),
            last_used_at: None,
        };
        let max_per_user = self.inner.config.passkey.max_per_user;
        match store.add_passkey(&passkey, max_per_user).await? {
            AddPasskey::Added => {}
            AddPasskey::CredentialTaken => {
                return Err(Error::passkey_registration_failed(
                    &"the credential is registered already",
                ));
            }
            AddPasskey::LimitReached => {
                return Err(Error::passkey_registration_failed(
                    &"the account has as many passkeys as allowed",
                ));
            }
            AddPasskey::UserNotFound => return Err(Error::InvalidCredentials),
        }
        tracing::info!(
            target: "fullauth::audit", user_id = %user.id(), passkey_id = %passkey.id,
            "passkey registered"
        );
        self.inner.events.emit(AuthEvent::AfterPasskeyRegistered {
            user: user.clone(),
            passkey_id: passkey.id,
        });
        Ok(passkey)
    }

    /// Keeps a ceremony's state in the shared state under a new `challenge_key`, which it returns.
    pub(super) async fn open_ceremony(
        &self,
        ceremony: Ceremony,
        open: &impl serde::Serialize,
    ) -> Result<String, Error> {
        let challenge_key = ceremony.new_key();
        let state_key = ceremony
            .state_key(&challenge_key)
            .ok_or(Error::Passkey(PasskeyFailure::ChallengeInvalid))?;
        let state = serde_json::to_string(open)
            .map_err(|error| Error::passkey_registration_failed(&error))?;
        self.inner
            .state
            .put(
                &state_key,
                &state,
                self.inner.config.passkey.challenge_ttl(),
            )
            .await?;
        Ok(challenge_key)
    }

    /// Takes the state of the open ceremony `challenge_key` names, once: `None` when it names none of this kind,
    /// or it expired, or it was taken already.
    pub(super) async fn take_ceremony<T: serde::de::DeserializeOwned>(
        &self,
        ceremony: Ceremony,
        challenge_key: &str,
    ) -> Result<Option<T>, Error> {
        let Some(state_key) = ceremony.state_key(challenge_key) else {
            return Ok(None);
        };
        let Some(state) = self.inner.state.take(&state_key).await? else {
            return Ok(None);
        };
        Ok(serde_json::from_str(&state).ok())
    }
}
