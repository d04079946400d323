//! Access tokens signed with a private key: the signing key and the retired keys that still verify, each named by
//! the RFC 7638 thumbprint of its public key (the `kid`), and the key set (JWKS) that publishes them, so that other
//! services verify fullauth's tokens without its secret.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use super::Claims;
use super::issued::TokenError;
use crate::config::{ConfigError, PRIVATE_KEY, PRIVATE_KEY_FILE, RETIRED_KEY_FILES};
use crate::config::{JwtAlgorithm, TokenConfig};

/// The smallest RSA modulus accepted, in bytes (2048 bits).
const MIN_RSA_MODULUS_BYTES: usize = 256;
/// The largest RSA modulus accepted, in bytes (4096 bits): larger keys load, but their signatures are not
/// verified by the RSA implementation fullauth uses.
const MAX_RSA_MODULUS_BYTES: usize = 512;
/// What the start-up check signs with each private key.
const PROBE: &[u8] = b"fullauth key check";

/// The keys of asymmetrically signed access tokens.
#[derive(Clone)]
pub(crate) struct AccessKeys {
    header: Header,
    encoding: EncodingKey,
    verifying: HashMap<String, (Algorithm, DecodingKey)>,
    jwks: Value,
}

impl std::fmt::Debug for AccessKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessKeys")
            .field("algorithm", &self.header.alg)
            .field("kid", &self.header.kid)
            .field("verifying", &self.verifying.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// One public key: what verifies with it, and its entry in the key set.
struct PublicKey {
    algorithm: Algorithm,
    kid: String,
    entry: Value,
    decoding: DecodingKey,
}

impl AccessKeys {
    /// The keys `config` names, or `None` for an HMAC algorithm.
    pub(crate) fn load(config: &TokenConfig) -> Result<Option<Self>, ConfigError> {
        let algorithm = match config.algorithm {
            JwtAlgorithm::EdDSA => Algorithm::EdDSA,
            JwtAlgorithm::ES256 => Algorithm::ES256,
            JwtAlgorithm::RS256 => Algorithm::RS256,
            _ => return Ok(None),
        };
        let (pem, setting) = match (&config.private_key_file, &config.private_key) {
            (Some(path), _) => (read_pem(path, PRIVATE_KEY_FILE)?, PRIVATE_KEY_FILE),
            (None, Some(pem)) => (pem.0.clone(), PRIVATE_KEY),
            (None, None) => return Err(PRIVATE_KEY_FILE.invalid("is required")),
        };
        let encoding = private_key(&pem, algorithm).map_err(|reason| setting.invalid(&reason))?;
        let signing =
            public_of_private(&encoding, algorithm).map_err(|reason| setting.invalid(&reason))?;
        let mut header = Header::new(algorithm);
        header.kid = Some(signing.kid.clone());
        let mut keys = vec![signing];
        for path in &config.retired_key_files {
            let pem = read_pem(path, RETIRED_KEY_FILES)?;
            let retired = any_public_key(&pem).map_err(|reason| {
                RETIRED_KEY_FILES.invalid(&format!("has `{}`, which {reason}", path.display()))
            })?;
            if keys.iter().all(|key| key.kid != retired.kid) {
                keys.push(retired);
            }
        }
        let jwks = json!({ "keys": keys.iter().map(|key| key.entry.clone()).collect::<Vec<_>>() });
        let verifying = keys
            .into_iter()
            .map(|key| (key.kid, (key.algorithm, key.decoding)))
            .collect();
        Ok(Some(Self {
            header,
            encoding,
            verifying,
            jwks,
        }))
    }

    /// The header of a new access token: the algorithm and the signing key's `kid`.
    pub(crate) fn header(&self) -> &Header {
        &self.header
    }

    /// The signing key.
    pub(crate) fn encoding(&self) -> &EncodingKey {
        &self.encoding
    }

    /// An access token signed with a private key: the header names the key, which must be one of the set, with
    /// that key's algorithm.
    pub(super) fn decode(
        &self,
        token: &str,
        validations: &[(Algorithm, Validation)],
    ) -> Result<Claims, TokenError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Invalid)?;
        let (algorithm, key) = self.verifying_key(&header).ok_or(TokenError::Invalid)?;
        let validation = validations
            .iter()
            .find(|(candidate, _)| *candidate == algorithm)
            .map(|(_, validation)| validation)
            .ok_or(TokenError::Invalid)?;
        let data =
            jsonwebtoken::decode::<Claims>(token, key, validation).map_err(|error| match error
                .kind()
            {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })?;
        // RFC 7515: a `crit` member names extensions the verifier must understand, and fullauth understands
        // none; `b64` (RFC 7797) changes what the signature covers.
        if data.header.crit.is_some() || data.header.extras.inner().contains_key("b64") {
            return Err(TokenError::Invalid);
        }
        Ok(data.claims)
    }

    /// The key that verifies a token with `header`: its `kid` must name a key of the set, and its `alg` be that
    /// key's algorithm.
    pub(crate) fn verifying_key(&self, header: &Header) -> Option<(Algorithm, &DecodingKey)> {
        let (algorithm, key) = self.verifying.get(header.kid.as_deref()?)?;
        (header.alg == *algorithm).then_some((*algorithm, key))
    }

    /// The key set: `{"keys":[...]}`, the signing key first.
    pub(crate) fn jwks(&self) -> &Value {
        &self.jwks
    }
}

fn read_pem(path: &Path, setting: crate::config::Setting) -> Result<String, ConfigError> {
    // A key pasted where its path belongs must not be repeated in an error message, and so in a log.
    if path.to_string_lossy().contains("-----BEGIN") {
        return Err(setting.invalid(
            "holds PEM text, not a path: give the key's text in FULLAUTH_PRIVATE_KEY, or the path of its file",
        ));
    }
    std::fs::read_to_string(path).map_err(|error| {
        setting.invalid(&format!(
            "names `{}`, which cannot be read: {error}",
            path.display()
        ))
    })
}

/// The private key of `algorithm` in `pem` (PKCS#8).
fn private_key(pem: &str, algorithm: Algorithm) -> Result<EncodingKey, String> {
    let parsed = match algorithm {
        Algorithm::EdDSA => EncodingKey::from_ed_pem(pem.as_bytes()),
        Algorithm::ES256 => EncodingKey::from_ec_pem(pem.as_bytes()),
        _ => EncodingKey::from_rsa_pem(pem.as_bytes()),
    };
    parsed.map_err(|error| {
        format!(
            "is not a PKCS#8 PEM private key for {} ({error}); e.g. `openssl genpkey -algorithm {}`",
            algorithm_name(algorithm),
            match algorithm {
                Algorithm::EdDSA => "ed25519",
                Algorithm::ES256 => "EC -pkeyopt ec_paramgen_curve:P-256",
                _ => "RSA -pkeyopt rsa_keygen_bits:2048",
            }
        )
    })
}

/// The public half of a private key, checked by a signature the one makes and the other verifies.
fn public_of_private(key: &EncodingKey, algorithm: Algorithm) -> Result<PublicKey, String> {
    let unusable = |error: &dyn std::fmt::Display| {
        format!("holds no usable {} key: {error}", algorithm_name(algorithm))
    };
    let jwk = Jwk::from_encoding_key(key, algorithm).map_err(|error| unusable(&error))?;
    let public = public_key(&jwk, algorithm)?;
    let signature =
        jsonwebtoken::crypto::sign(PROBE, key, algorithm).map_err(|error| unusable(&error))?;
    match jsonwebtoken::crypto::verify(&signature, PROBE, &public.decoding, algorithm) {
        Ok(true) => Ok(public),
        Ok(false) => Err(unusable(&"its signature does not verify")),
        Err(error) => Err(unusable(&error)),
    }
}

/// A retired key, public or private, of any of the three algorithms.
fn any_public_key(pem: &str) -> Result<PublicKey, String> {
    for algorithm in [Algorithm::EdDSA, Algorithm::ES256, Algorithm::RS256] {
        if pem.contains("PRIVATE KEY") {
            if let Ok(key) = private_key(pem, algorithm) {
                return public_of_private(&key, algorithm);
            }
            continue;
        }
        let decoding = match algorithm {
            Algorithm::EdDSA => DecodingKey::from_ed_pem(pem.as_bytes()),
            Algorithm::ES256 => DecodingKey::from_ec_pem(pem.as_bytes()),
            _ => DecodingKey::from_rsa_pem(pem.as_bytes()),
        };
        if let Ok(jwk) = decoding.and_then(|key| Jwk::from_decoding_key(&key, Some(algorithm))) {
            return public_key(&jwk, algorithm);
        }
    }
    Err(
        "is no PEM key (public or PKCS#8 private) for EdDSA (Ed25519), ES256 (P-256) or RS256"
            .into(),
    )
}

/// The key set entry, `kid` and verifying key of a public JWK.
fn public_key(jwk: &Jwk, algorithm: Algorithm) -> Result<PublicKey, String> {
    let value = serde_json::to_value(jwk).map_err(|error| error.to_string())?;
    let text = |name: &str| {
        value
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    // RFC 7638: the required members in lexicographic order, no whitespace.
    let mut members: BTreeMap<&str, String> = BTreeMap::new();
    match algorithm {
        Algorithm::EdDSA => {
            members.insert("crv", text("crv"));
            members.insert("kty", "OKP".into());
            members.insert("x", text("x"));
        }
        Algorithm::ES256 => {
            if text("crv") != "P-256" {
                return Err("is not on the P-256 curve ES256 needs".into());
            }
            members.insert("crv", "P-256".into());
            members.insert("kty", "EC".into());
            members.insert("x", text("x"));
            members.insert("y", text("y"));
        }
        _ => {
            let modulus = URL_SAFE_NO_PAD.decode(text("n")).unwrap_or_default();
            let significant = modulus.iter().skip_while(|byte| **byte == 0).count();
            if !(MIN_RSA_MODULUS_BYTES..=MAX_RSA_MODULUS_BYTES).contains(&significant) {
                return Err("is not an RSA key of 2048 to 4096 bits".into());
            }
            members.insert("e", text("e"));
            members.insert("kty", "RSA".into());
            members.insert("n", text("n"));
        }
    }
    if members.values().any(String::is_empty) {
        return Err("has a public key fullauth cannot read".into());
    }
    let canonical = serde_json::to_string(&members).map_err(|error| error.to_string())?;
    let kid = URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()));
    let mut entry: serde_json::Map<String, Value> = members
        .into_iter()
        .map(|(name, value)| (name.to_owned(), Value::String(value)))
        .collect();
    entry.insert("kid".into(), Value::String(kid.clone()));
    entry.insert(
        "alg".into(),
        Value::String(algorithm_name(algorithm).into()),
    );
    entry.insert("use".into(), Value::String("sig".into()));
    let decoding = DecodingKey::from_jwk(jwk).map_err(|error| error.to_string())?;
    Ok(PublicKey {
        algorithm,
        kid,
        entry: Value::Object(entry),
        decoding,
    })
}

fn algorithm_name(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::EdDSA => "EdDSA",
        Algorithm::ES256 => "ES256",
        _ => "RS256",
    }
}
