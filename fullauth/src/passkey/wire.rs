//! The JSON of the passkey routes: the options as flat WebAuthn JSON (the members of `publicKey` at the top level,
//! as fastapi-fullauth sends them), and the credentials clients send back.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest as _, Sha256};
use webauthn_rs_core::proto::{PublicKeyCredential, RegisterPublicKeyCredential};

use super::error::PasskeyError;

/// The members of the options' `publicKey` object, without the wrapper webauthn-rs serializes.
pub(super) fn flat_options(options: &impl Serialize) -> Map<String, Value> {
    match serde_json::to_value(options) {
        Ok(Value::Object(mut wrapper)) => match wrapper.remove("publicKey") {
            Some(Value::Object(members)) => members,
            _ => wrapper,
        },
        _ => Map::new(),
    }
}

/// A registration credential as a browser's `PublicKeyCredential.toJSON()` writes it.
pub(super) fn registration_credential(
    credential: Value,
) -> Result<RegisterPublicKeyCredential, PasskeyError> {
    serde_json::from_value(credential).map_err(PasskeyError::Malformed)
}

/// An assertion as a browser's `PublicKeyCredential.toJSON()` writes it.
pub(super) fn assertion(credential: Value) -> Result<PublicKeyCredential, PasskeyError> {
    serde_json::from_value(credential).map_err(PasskeyError::Malformed)
}

/// A credential id as the routes and the table write it: base64url without padding.
pub fn credential_id_text(raw: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(raw)
}

/// The unique key of a credential id: lower-case hex SHA-256 of its raw bytes.
pub fn credential_digest(raw: &[u8]) -> String {
    Sha256::digest(raw)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The transports WebAuthn defines.
const TRANSPORTS: [&str; 6] = ["usb", "nfc", "ble", "smart-card", "hybrid", "internal"];

/// The transports a registration credential reports (`response.transports`), in its order, each once; names
/// WebAuthn does not define are left out.
pub(super) fn transports(credential: &Value) -> Vec<&'static str> {
    let mut known = Vec::new();
    let reported = credential["response"]["transports"].as_array();
    for name in reported.into_iter().flatten().filter_map(Value::as_str) {
        if let Some(transport) = TRANSPORTS.iter().find(|transport| **transport == name)
            && !known.contains(transport)
        {
            known.push(*transport);
        }
    }
    known
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_hex_sha256() {
        assert_eq!(
            credential_digest(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(credential_id_text(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn transports_keep_the_clients_order_once_each() {
        let credential = serde_json::json!({"response": {"transports": [
            "hybrid", "internal", "smart-card", "hybrid", "carrier-pigeon", 7
        ]}});
        assert_eq!(
            transports(&credential),
            ["hybrid", "internal", "smart-card"]
        );
        assert!(transports(&serde_json::json!({})).is_empty());
    }

    #[test]
    fn options_lose_their_wrapper() {
        let flat =
            flat_options(&serde_json::json!({"publicKey": {"challenge": "AA", "rpId": "x"}}));
        assert_eq!(
            Value::Object(flat),
            serde_json::json!({"challenge": "AA", "rpId": "x"})
        );
    }
}
