//! The stored form of a credential: webauthn-rs's `Credential` as JSON, and its update after a sign-in.

use webauthn_rs_core::proto::{AuthenticationResult, Credential};

use super::error::PasskeyError;

/// The JSON a passkey row keeps in its `credential` column.
pub fn credential_json(credential: &Credential) -> String {
    // A `Credential` is plain data (bytes as base64url, numbers, flags): serializing it cannot fail.
    serde_json::to_string(credential).unwrap_or_default()
}

/// The credential a passkey row keeps.
pub fn stored_credential(json: &str) -> Result<Credential, PasskeyError> {
    serde_json::from_str(json).map_err(PasskeyError::StoredCredential)
}

/// `stored` after the sign-in `result`: the new counter and backup state; backup eligibility only ever turns on.
pub fn after_sign_in(mut stored: Credential, result: &AuthenticationResult) -> Credential {
    stored.counter = result.counter();
    stored.backup_state = result.backup_state();
    stored.backup_eligible |= result.backup_eligible();
    stored
}
