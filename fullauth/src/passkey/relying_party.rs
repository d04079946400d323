//! [`RelyingParty`]: the WebAuthn ceremonies of one configured relying party.

use serde_json::{Map, Value};
use url::Url;
use webauthn_rs_core::WebauthnCore;
use webauthn_rs_core::proto::{
    AuthenticationResult, AuthenticationState, Credential, CredentialID, ParsedAttestation,
    PublicKeyCredential, RegistrationState, UserVerificationPolicy,
};

use super::error::PasskeyError;
use super::wire::{assertion, flat_options, registration_credential, transports};
use crate::config::PasskeyConfig;

/// The relying party fullauth plays in WebAuthn ceremonies, as configured: its id and name, the origins it
/// accepts, and whether it requires user verification.
///
/// It stands on webauthn-rs's core ceremonies rather than its passkey API: that API always requires user
/// verification, binds users to UUID handles and asks authenticators not to keep a discoverable credential,
/// where fullauth lets the configuration decide the first, keeps the user handle the Python library sends (the
/// user id's text, for any id type) and prefers discoverable credentials, so that a passkey signs in without an
/// email. The checks are webauthn-rs's own: challenge, origin (scheme, host and port exactly), RP id hash,
/// user presence, user verification when required, signature and counter.
#[derive(Debug)]
pub struct RelyingParty {
    core: WebauthnCore,
    policy: UserVerificationPolicy,
}

/// A credential a registration created, with what the client said about reaching its authenticator.
#[derive(Debug)]
pub struct NewCredential {
    /// What later sign-ins verify against.
    pub credential: Credential,
    /// The transports the client reported, by their WebAuthn names, in its order.
    pub transports: Vec<&'static str>,
}

impl RelyingParty {
    /// The relying party of `config`, or `None` when passkeys are off. The configuration is validated already;
    /// an origin that still does not parse is left out.
    pub fn new(config: &PasskeyConfig) -> Option<Self> {
        let rp_id = config.rp_id.as_deref()?;
        let origins = config
            .origins
            .iter()
            .filter_map(|origin| Url::parse(origin.trim()).ok())
            .collect();
        let core = WebauthnCore::new_unsafe_experts_only(
            config.relying_party_name(),
            rp_id,
            origins,
            config.challenge_ttl(),
            Some(false),
            Some(false),
        );
        let policy = if config.require_user_verification {
            UserVerificationPolicy::Required
        } else {
            UserVerificationPolicy::Preferred
        };
        Some(Self { core, policy })
    }

    /// The options of a registration for the user with `user_handle`, named `name`, who has the credentials
    /// `existing` already (the authenticator is asked not to make a second one), and the state to complete it.
    pub fn begin_registration(
        &self,
        user_handle: &[u8],
        name: &str,
        existing: Vec<CredentialID>,
    ) -> Result<(Map<String, Value>, RegistrationState), PasskeyError> {
        let builder = self
            .core
            .new_challenge_register_builder(user_handle, name, name)?
            .user_verification_policy(self.policy)
            .exclude_credentials(Some(existing));
        let (options, state) = self.core.generate_challenge_register(builder)?;
        let mut options = flat_options(&options);
        // A discoverable credential where the authenticator can keep one: it signs in without an email.
        if let Some(Value::Object(selection)) = options.get_mut("authenticatorSelection") {
            selection.insert("residentKey".into(), "preferred".into());
            selection.insert("requireResidentKey".into(), false.into());
        }
        Ok((options, state))
    }

    /// Verifies a registration credential (WebAuthn JSON) against its ceremony's state.
    pub fn finish_registration(
        &self,
        credential: Value,
        state: &RegistrationState,
    ) -> Result<NewCredential, PasskeyError> {
        let transports = transports(&credential);
        let response = registration_credential(credential)?;
        let mut credential = self.core.register_credential(&response, state, None)?;
        // The options ask for no attestation; whatever certificates a client sent anyway are not kept.
        credential.attestation = ParsedAttestation::default();
        Ok(NewCredential {
            credential,
            transports,
        })
    }

    /// The options of a sign-in that accepts the credentials `allowed` (none: any discoverable credential),
    /// and the state to complete it.
    pub fn begin_authentication(
        &self,
        allowed: Vec<Credential>,
    ) -> Result<(Map<String, Value>, AuthenticationState), PasskeyError> {
        let builder = self
            .core
            .new_challenge_authenticate_builder(allowed, Some(self.policy))?
            .allow_backup_eligible_upgrade(true);
        let (options, mut state) = self.core.generate_challenge_authenticate(builder)?;
        // The credential an assertion names is read from the store when it comes back: the state keeps none.
        state.set_allowed_credentials(Vec::new());
        Ok((flat_options(&options), state))
    }

    /// Reads an assertion (WebAuthn JSON).
    pub fn read_assertion(&self, credential: Value) -> Result<PublicKeyCredential, PasskeyError> {
        assertion(credential)
    }

    /// Verifies an assertion against its ceremony's state and the stored credential it names.
    pub fn finish_authentication(
        &self,
        assertion: &PublicKeyCredential,
        state: &AuthenticationState,
        stored: &Credential,
    ) -> Result<AuthenticationResult, PasskeyError> {
        if self.policy == UserVerificationPolicy::Required {
            return Ok(self
                .core
                .authenticate_single_credential(assertion, state, stored)?);
        }
        // Verification not required means presence alone passes, also for a passkey that verified its user
        // when it was registered (webauthn-rs would hold it to that).
        let mut presence_only = stored.clone();
        presence_only.registration_policy = UserVerificationPolicy::Preferred;
        presence_only.user_verified = false;
        Ok(self
            .core
            .authenticate_single_credential(assertion, state, &presence_only)?)
    }
}
