//! Credentials built byte by byte. Registrations use the `none` attestation format (which carries no signature):
//! a credential id chosen by the test, flags that lie, a client data type or origin of the test's choosing, and
//! malformed CBOR where the test wants it. Their public key is the P-256 base point, whose private key is 1, so
//! assertions can be signed with any counter and flags. A real authenticator never sends most of these; a
//! hostile client can.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use super::ORIGIN;

/// The P-256 base point: a valid public key nobody needs the private key of.
const X: [u8; 32] = hex32("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296");
const Y: [u8; 32] = hex32("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");

/// User present.
pub const UP: u8 = 0x01;
/// User verified.
pub const UV: u8 = 0x04;
/// Attested credential data included.
pub const AT: u8 = 0x40;

const fn hex32(text: &str) -> [u8; 32] {
    let bytes = text.as_bytes();
    let mut out = [0_u8; 32];
    let mut index = 0;
    while index < 32 {
        out[index] = (nibble(bytes[2 * index]) << 4) | nibble(bytes[2 * index + 1]);
        index += 1;
    }
    out
}

const fn nibble(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        _ => digit - b'a' + 10,
    }
}

/// What a forged registration says.
pub struct Forged {
    /// The raw credential id.
    pub credential_id: Vec<u8>,
    /// The authenticator data's flags.
    pub flags: u8,
    /// The RP id whose hash the authenticator data carries.
    pub rp_id: String,
    /// The client data's `type`.
    pub kind: String,
    /// The client data's `origin`.
    pub origin: String,
}

impl Forged {
    /// An honest-looking registration for `localhost` at [`ORIGIN`] with a random credential id.
    pub fn new() -> Self {
        Self {
            credential_id: uuid::Uuid::new_v4().as_bytes().to_vec(),
            flags: UP | UV | AT,
            rp_id: "localhost".into(),
            kind: "webauthn.create".into(),
            origin: ORIGIN.into(),
        }
    }

    /// The registration credential answering the options of `begin`.
    pub fn credential(&self, options: &Value) -> Value {
        let client_data = json!({
            "type": self.kind,
            "challenge": options["challenge"],
            "origin": self.origin,
            "crossOrigin": false,
        });
        credential_json(
            &self.credential_id,
            client_data.to_string().as_bytes(),
            &self.attestation_object(),
        )
    }

    /// The authenticator data: RP id hash, flags, counter 0, and the attested credential.
    pub fn authenticator_data(&self) -> Vec<u8> {
        let mut data = Sha256::digest(self.rp_id.as_bytes()).to_vec();
        data.push(self.flags);
        data.extend_from_slice(&0_u32.to_be_bytes());
        data.extend_from_slice(&[0_u8; 16]);
        data.extend_from_slice(
            &u16::try_from(self.credential_id.len())
                .unwrap()
                .to_be_bytes(),
        );
        data.extend_from_slice(&self.credential_id);
        data.extend_from_slice(&cose_key());
        data
    }

    /// `{"fmt": "none", "attStmt": {}, "authData": <authenticator data>}` in CBOR.
    pub fn attestation_object(&self) -> Vec<u8> {
        let mut object = vec![0xa3];
        object.extend(text("fmt"));
        object.extend(text("none"));
        object.extend(text("attStmt"));
        object.push(0xa0);
        object.extend(text("authData"));
        object.extend(bytes(&self.authenticator_data()));
        object
    }
}

/// What a forged assertion says.
pub struct ForgedAssertion {
    /// The authenticator data's flags.
    pub flags: u8,
    /// The signature counter.
    pub counter: u32,
    /// The RP id whose hash the authenticator data carries.
    pub rp_id: String,
    /// The client data's `origin`.
    pub origin: String,
}

impl ForgedAssertion {
    /// A verified user's assertion for `localhost` at [`ORIGIN`] with the counter `counter`.
    pub fn counting(counter: u32) -> Self {
        Self {
            flags: UP | UV,
            counter,
            rp_id: "localhost".into(),
            origin: ORIGIN.into(),
        }
    }

    /// The assertion with the credential `registered` answering the options of `begin`, signed with the
    /// registration's key, carrying `user_handle` when given.
    pub fn credential(
        &self,
        registered: &Forged,
        options: &Value,
        user_handle: Option<&str>,
    ) -> Value {
        let mut authenticator_data = Sha256::digest(self.rp_id.as_bytes()).to_vec();
        authenticator_data.push(self.flags);
        authenticator_data.extend_from_slice(&self.counter.to_be_bytes());
        let client_data = json!({
            "type": "webauthn.get",
            "challenge": options["challenge"],
            "origin": self.origin,
            "crossOrigin": false,
        })
        .to_string();
        let mut signed = authenticator_data.clone();
        signed.extend_from_slice(&Sha256::digest(client_data.as_bytes()));
        let raw_id = &registered.credential_id;
        json!({
            "id": URL_SAFE_NO_PAD.encode(raw_id),
            "rawId": URL_SAFE_NO_PAD.encode(raw_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": URL_SAFE_NO_PAD.encode(client_data),
                "authenticatorData": URL_SAFE_NO_PAD.encode(&authenticator_data),
                "signature": URL_SAFE_NO_PAD.encode(sign(&signed)),
                "userHandle": user_handle.map(|handle| URL_SAFE_NO_PAD.encode(handle)),
            },
            "clientExtensionResults": {},
        })
    }
}

/// An ECDSA P-256 SHA-256 signature (DER) of `message` with the private key 1.
fn sign(message: &[u8]) -> Vec<u8> {
    use ring::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair as _};
    // PKCS#8 of the key 1 with its public key, the base point.
    let mut pkcs8 = vec![
        0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d,
        0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x04, 0x6d, 0x30,
        0x6b, 0x02, 0x01, 0x01, 0x04, 0x20,
    ];
    pkcs8.extend_from_slice(&[0; 31]);
    pkcs8.push(1);
    pkcs8.extend_from_slice(&[0xa1, 0x44, 0x03, 0x42, 0x00, 0x04]);
    pkcs8.extend_from_slice(&X);
    pkcs8.extend_from_slice(&Y);
    let random = ring::rand::SystemRandom::new();
    let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &pkcs8, &random).unwrap();
    assert_eq!(
        &pair.public_key().as_ref()[1..33],
        &X,
        "the key of the forged registrations"
    );
    pair.sign(&random, message).unwrap().as_ref().to_vec()
}

/// A registration credential as a browser's `toJSON()` writes it.
pub fn credential_json(raw_id: &[u8], client_data: &[u8], attestation_object: &[u8]) -> Value {
    json!({
        "id": URL_SAFE_NO_PAD.encode(raw_id),
        "rawId": URL_SAFE_NO_PAD.encode(raw_id),
        "type": "public-key",
        "response": {
            "clientDataJSON": URL_SAFE_NO_PAD.encode(client_data),
            "attestationObject": URL_SAFE_NO_PAD.encode(attestation_object),
            "transports": ["internal"],
        },
        "clientExtensionResults": {},
    })
}

/// The COSE key of the P-256 base point: `{1: 2, 3: -7, -1: 1, -2: x, -3: y}`.
fn cose_key() -> Vec<u8> {
    let mut key = vec![0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21];
    key.extend(bytes(&X));
    key.push(0x22);
    key.extend(bytes(&Y));
    key
}

/// A CBOR text string (shorter than 24 bytes).
fn text(value: &str) -> Vec<u8> {
    let mut encoded = vec![0x60 | u8::try_from(value.len()).unwrap()];
    encoded.extend_from_slice(value.as_bytes());
    encoded
}

/// A CBOR byte string.
fn bytes(value: &[u8]) -> Vec<u8> {
    let mut encoded = match value.len() {
        length @ 0..=23 => vec![0x40 | u8::try_from(length).unwrap()],
        length @ 24..=255 => vec![0x58, u8::try_from(length).unwrap()],
        length => {
            let mut header = vec![0x59];
            header.extend_from_slice(&u16::try_from(length).unwrap().to_be_bytes());
            header
        }
    };
    encoded.extend_from_slice(value);
    encoded
}
