//! Reading a token signed with an HMAC key (HS256, HS384, HS512): split it, check the header, verify the signature
//! and parse the claims, each once.
//!
//! Every authenticated request decodes an access token, so this is on the hottest path there is. A general JWT
//! library parses the header twice and the claims twice (once for the caller, once for its own checks) and keys a
//! new MAC for every token. Here the key is set up once (see [`HmacKey`]), the header is read into the three
//! members that matter, and the claims are parsed once, after the signature has been verified.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use jsonwebtoken::Algorithm;
use serde::Deserialize;
use serde::de::IgnoredAny;
use sha2::{Sha256, Sha384, Sha512};

/// The key of one token purpose, ready to verify: HS256's MAC is keyed once here and copied for each token (keying
/// HMAC hashes the key); HS384 and HS512, read only for tokens issued before a change of algorithm, are keyed
/// when needed.
#[derive(Clone)]
pub(super) struct HmacKey {
    key: Vec<u8>,
    hs256: Hmac<Sha256>,
}

impl HmacKey {
    pub(super) fn new(key: &[u8]) -> Self {
        #[allow(clippy::expect_used)]
        let hs256 = <Hmac<Sha256> as KeyInit>::new_from_slice(key)
            .expect("HMAC accepts keys of any length");
        Self {
            key: key.to_vec(),
            hs256,
        }
    }

    /// Whether `signature` is `algorithm`'s MAC of `input` under this key, compared in constant time.
    fn verifies(&self, algorithm: Algorithm, input: &[u8], signature: &[u8]) -> bool {
        match algorithm {
            Algorithm::HS256 => {
                let mut mac = self.hs256.clone();
                mac.update(input);
                mac.verify_slice(signature).is_ok()
            }
            Algorithm::HS384 => verify_with::<Hmac<Sha384>>(&self.key, input, signature),
            Algorithm::HS512 => verify_with::<Hmac<Sha512>>(&self.key, input, signature),
            _ => false,
        }
    }
}

fn verify_with<M: Mac + KeyInit>(key: &[u8], input: &[u8], signature: &[u8]) -> bool {
    match <M as KeyInit>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(input);
            mac.verify_slice(signature).is_ok()
        }
        Err(_) => false,
    }
}

/// The header members a verifier must look at. `crit` (RFC 7515) names extensions the verifier must understand,
/// and fullauth understands none; `b64` (RFC 7797) changes what the signature covers. Either refuses the token,
/// whatever its value. Members that point at other keys (`kid`, `jwk`, `jku`, `x5u`, ...) are ignored: the key is
/// always the purpose's own.
#[derive(Deserialize)]
struct Header {
    alg: Algorithm,
    crit: Option<IgnoredAny>,
    b64: Option<IgnoredAny>,
}

/// The payload of `token` (a compact JWS: `header.payload.signature`, each part base64url without padding),
/// decoded, if its header names one of `allowed` and carries no member the verifier does not understand, and its
/// signature verifies under `key`. `None` otherwise; nothing of the payload is parsed before the signature checks.
pub(super) fn verified_payload(
    token: &str,
    key: &HmacKey,
    allowed: &[Algorithm],
) -> Option<Vec<u8>> {
    let (signed, signature) = token.rsplit_once('.')?;
    let (header, payload) = signed.split_once('.')?;
    if payload.contains('.') {
        return None;
    }
    let header: Header = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    if header.crit.is_some() || header.b64.is_some() || !allowed.contains(&header.alg) {
        return None;
    }
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    if !key.verifies(header.alg, signed.as_bytes(), &signature) {
        return None;
    }
    URL_SAFE_NO_PAD.decode(payload).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    fn signed(header: &str, payload: &str, algorithm: Algorithm, key: &[u8]) -> String {
        let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
        let signature = match algorithm {
            Algorithm::HS256 => mac::<Hmac<Sha256>>(key, &input),
            Algorithm::HS384 => mac::<Hmac<Sha384>>(key, &input),
            _ => mac::<Hmac<Sha512>>(key, &input),
        };
        format!("{input}.{}", b64(&signature))
    }

    fn mac<M: Mac + KeyInit>(key: &[u8], input: &str) -> Vec<u8> {
        let mut mac = <M as KeyInit>::new_from_slice(key).unwrap();
        mac.update(input.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    const KEY: &[u8] = b"a key of thirty-two bytes or more";
    const PAYLOAD: &str = r#"{"sub":"1"}"#;

    #[test]
    fn a_token_signed_with_an_allowed_algorithm_yields_its_payload() {
        let key = HmacKey::new(KEY);
        for algorithm in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
            let header = format!(r#"{{"alg":"{algorithm:?}","typ":"JWT","kid":"k1"}}"#);
            let token = signed(&header, PAYLOAD, algorithm, KEY);
            let payload = verified_payload(&token, &key, &[algorithm]);
            assert_eq!(
                payload.as_deref(),
                Some(PAYLOAD.as_bytes()),
                "{algorithm:?}"
            );
        }
    }

    #[test]
    fn the_header_must_name_an_allowed_algorithm() {
        let key = HmacKey::new(KEY);
        let token = signed(r#"{"alg":"HS512"}"#, PAYLOAD, Algorithm::HS512, KEY);
        assert_eq!(verified_payload(&token, &key, &[Algorithm::HS256]), None);
        for header in [
            r#"{"alg":"none"}"#,
            r#"{"typ":"JWT"}"#,
            r#"{"alg":"RS256"}"#,
        ] {
            let token = signed(header, PAYLOAD, Algorithm::HS256, KEY);
            assert_eq!(
                verified_payload(&token, &key, &[Algorithm::HS256]),
                None,
                "{header}"
            );
        }
    }

    #[test]
    fn members_the_verifier_does_not_understand_refuse_the_token() {
        let key = HmacKey::new(KEY);
        for header in [
            r#"{"alg":"HS256","crit":[]}"#,
            r#"{"alg":"HS256","crit":["exp"]}"#,
            r#"{"alg":"HS256","b64":false}"#,
            r#"{"alg":"HS256","b64":true}"#,
            r#"{"alg":"HS256","alg":"HS256"}"#,
        ] {
            let token = signed(header, PAYLOAD, Algorithm::HS256, KEY);
            assert_eq!(
                verified_payload(&token, &key, &[Algorithm::HS256]),
                None,
                "{header}"
            );
        }
    }

    #[test]
    fn a_wrong_key_or_a_changed_part_fails() {
        let key = HmacKey::new(KEY);
        let token = signed(
            r#"{"alg":"HS256"}"#,
            PAYLOAD,
            Algorithm::HS256,
            b"another key",
        );
        assert_eq!(verified_payload(&token, &key, &[Algorithm::HS256]), None);

        let token = signed(r#"{"alg":"HS256"}"#, PAYLOAD, Algorithm::HS256, KEY);
        let (header, rest) = token.split_once('.').unwrap();
        let (_, signature) = rest.split_once('.').unwrap();
        let other_payload = b64(br#"{"sub":"2"}"#);
        let shapes = [
            format!("{header}.{other_payload}.{signature}"),
            format!("{token}."),
            format!("{token}.{signature}"),
            format!("{header}.{signature}"),
            format!("{token}="),
            token.replace('.', ""),
            String::new(),
        ];
        for shape in shapes {
            assert_eq!(
                verified_payload(&shape, &key, &[Algorithm::HS256]),
                None,
                "{shape}"
            );
        }
    }
}
