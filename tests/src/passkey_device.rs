//! A software authenticator (webauthn-rs's), driven as a browser at a given origin drives a passkey: it answers
//! the options a server's `begin` routes send with the credential or assertion `toJSON()` would write.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use webauthn_authenticator_rs::WebauthnAuthenticator as _;
use webauthn_authenticator_rs::prelude::{
    CreationChallengeResponse, RequestChallengeResponse, Url,
};
use webauthn_authenticator_rs::softpasskey::SoftPasskey;

/// The origin the tests' front end is served from.
pub const ORIGIN: &str = "http://localhost:8000";

/// A software authenticator, as a browser at `origin` would drive it.
pub struct Device {
    authenticator: SoftPasskey,
    origin: Url,
}

impl Device {
    /// An authenticator that verifies its user when asked to, at [`ORIGIN`].
    pub fn verifying() -> Self {
        Self::new(true, ORIGIN)
    }

    /// An authenticator that can only test for presence, at [`ORIGIN`].
    pub fn presence_only() -> Self {
        Self::new(false, ORIGIN)
    }

    /// An authenticator driven by a page at `origin`.
    pub fn new(verifies_users: bool, origin: &str) -> Self {
        Self {
            authenticator: SoftPasskey::new(verifies_users),
            origin: Url::parse(origin).unwrap(),
        }
    }

    /// Another page drives this authenticator from now on.
    pub fn moved_to(&mut self, origin: &str) {
        self.origin = Url::parse(origin).unwrap();
    }

    /// The registration credential for the options `begin` answered, as a browser's `toJSON()` writes it.
    pub fn create(&mut self, options: &Value) -> Value {
        let options: CreationChallengeResponse = serde_json::from_value(wrapped(options)).unwrap();
        let credential = self
            .authenticator
            .do_registration(self.origin.clone(), options)
            .unwrap();
        serde_json::to_value(credential).unwrap()
    }

    /// The assertion for the options `begin` answered. The software authenticator keeps no discoverable
    /// credentials: for options that list none, the browser side is told which one to use (`credential_id`),
    /// and the answer carries the user handle a discoverable credential would.
    pub fn get(&mut self, options: &Value, discoverable: Option<(&str, &str)>) -> Value {
        let mut options = wrapped(options);
        if let Some((credential_id, _)) = discoverable {
            options["publicKey"]["allowCredentials"] =
                json!([{ "type": "public-key", "id": credential_id }]);
        }
        let options: RequestChallengeResponse = serde_json::from_value(options).unwrap();
        let assertion = self
            .authenticator
            .do_authentication(self.origin.clone(), options)
            .unwrap();
        let mut assertion = serde_json::to_value(assertion).unwrap();
        if let Some((_, user_handle)) = discoverable {
            assertion["response"]["userHandle"] = URL_SAFE_NO_PAD.encode(user_handle).into();
        }
        assertion
    }
}

/// Flat options as webauthn-rs reads them: the members under `publicKey`, without the `challenge_key`.
pub fn wrapped(options: &Value) -> Value {
    let mut members = options.as_object().unwrap().clone();
    members.remove("challenge_key");
    json!({ "publicKey": members })
}
