//! Checking an OpenID Connect id_token (OpenID Connect Core 3.1.3.7): signature with one of the provider's
//! public keys, `iss`, `aud` (and `azp`), `exp`, `nonce`.

use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

use super::error::OAuthError;

/// Clock skew allowed on `exp`, `nbf` and `iat`, in seconds.
const LEEWAY_SECONDS: u64 = 60;

/// Longest id_token read, in bytes.
const MAX_ID_TOKEN_BYTES: usize = 16 * 1024;

/// The claims fullauth reads from an id_token.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct IdTokenClaims {
    pub(crate) sub: String,
    #[serde(default)]
    pub(crate) nonce: Option<String>,
    #[serde(default)]
    pub(crate) email: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub(crate) email_verified: bool,
    #[serde(default)]
    pub(crate) azp: Option<String>,
    #[serde(default)]
    aud: Audience,
}

/// The `aud` claim: only whether it lists several audiences matters here (jsonwebtoken checks it contains
/// this client).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Audience {
    Many(Vec<String>),
    Other(serde::de::IgnoredAny),
}

impl Default for Audience {
    fn default() -> Self {
        Self::Other(serde::de::IgnoredAny)
    }
}

/// What an id_token must say to be believed.
pub(crate) struct Expected<'a> {
    pub(crate) issuer: &'a str,
    pub(crate) client_id: &'a str,
    pub(crate) nonce: &'a str,
}

/// The algorithm a token's header names, if it is an asymmetric signature algorithm.
pub(crate) fn asymmetric_algorithm(token: &str) -> Result<(Algorithm, Option<String>), OAuthError> {
    if token.len() > MAX_ID_TOKEN_BYTES {
        return Err(OAuthError::untrusted("the id_token is too long"));
    }
    let header = jsonwebtoken::decode_header(token)
        .map_err(|error| OAuthError::untrusted(format!("the id_token header: {error}")))?;
    if header.crit.is_some() {
        return Err(OAuthError::untrusted(
            "the id_token names critical extensions",
        ));
    }
    if matches!(
        header.alg,
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512
    ) {
        return Err(OAuthError::untrusted(format!(
            "the id_token is signed with {:?}, a shared-secret algorithm",
            header.alg
        )));
    }
    Ok((header.alg, header.kid))
}

/// Verifies `token` against `keys` (the provider's keys that match its `kid`) and the expectations.
pub(crate) fn verify(
    token: &str,
    algorithm: Algorithm,
    keys: &[Jwk],
    expected: &Expected<'_>,
) -> Result<IdTokenClaims, OAuthError> {
    let mut validation = Validation::new(algorithm);
    validation.leeway = LEEWAY_SECONDS;
    validation.validate_exp = true;
    validation.validate_nbf = true;
    validation.set_issuer(&[expected.issuer]);
    validation.set_audience(&[expected.client_id]);
    validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
    let mut last_error =
        OAuthError::untrusted("no key of the provider's key set signed the id_token");
    for key in keys {
        if let Some(declared) = key.common.key_algorithm
            && format!("{declared:?}") != format!("{algorithm:?}")
        {
            continue;
        }
        let Ok(decoding) = DecodingKey::from_jwk(key) else {
            continue;
        };
        match jsonwebtoken::decode::<IdTokenClaims>(token, &decoding, &validation) {
            Ok(data) => return check_claims(data.claims, expected),
            Err(error) => {
                last_error = OAuthError::untrusted(format!("the id_token: {error}"));
            }
        }
    }
    Err(last_error)
}

fn check_claims(
    claims: IdTokenClaims,
    expected: &Expected<'_>,
) -> Result<IdTokenClaims, OAuthError> {
    if claims.nonce.as_deref() != Some(expected.nonce) {
        return Err(OAuthError::untrusted(
            "the id_token's nonce is not the one sent",
        ));
    }
    // Core 3.1.3.7 (4, 5): with several audiences, the authorized party must be this client.
    let several = matches!(&claims.aud, Audience::Many(all) if all.len() > 1);
    if (several || claims.azp.is_some()) && claims.azp.as_deref() != Some(expected.client_id) {
        return Err(OAuthError::untrusted(
            "the id_token's azp is not this client",
        ));
    }
    if claims.sub.is_empty() {
        return Err(OAuthError::untrusted("the id_token has an empty sub"));
    }
    Ok(claims)
}

/// `true`, or the string `"true"` some providers send.
pub(crate) fn lenient_bool<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
        Other(serde::de::IgnoredAny),
    }
    Ok(match Flag::deserialize(deserializer)? {
        Flag::Bool(flag) => flag,
        Flag::Text(text) => text == "true",
        Flag::Other(_) => false,
    })
}
