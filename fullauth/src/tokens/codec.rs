use std::collections::HashMap;
use std::time::Duration;

use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use sha2::Sha256;
use time::OffsetDateTime;

use super::{Claims, TokenType};
use crate::config::{FullAuthConfig, JwtAlgorithm, SecretKey};

/// Longest token fullauth agrees to decode, in bytes; longer ones are refused unread.
const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// Why a token was refused (every such refusal becomes the same 401; the detail is for logs), or could not be
/// issued.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenError {
    /// Not a well-formed, correctly signed token of the expected type.
    Invalid,
    /// Expired (beyond the leeway).
    Expired,
    /// Signing a new token failed.
    Signing(jsonwebtoken::errors::Error),
}

impl std::fmt::Display for TokenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenError::Invalid => f.write_str("invalid token"),
            TokenError::Expired => f.write_str("expired token"),
            TokenError::Signing(error) => write!(f, "signing a token failed: {error}"),
        }
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TokenError::Signing(error) => Some(error),
            TokenError::Invalid | TokenError::Expired => None,
        }
    }
}

/// What an access token says the user may do: the `roles` claim, and for guards that read the token rather than
/// the database, `permissions` and `is_superuser`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessGrants {
    /// The user's role names (empty without role models).
    pub roles: Vec<String>,
    /// The user's permission names, when the token must carry them.
    pub permissions: Option<Vec<String>>,
    /// Whether the user is a superuser, when the token must say so.
    pub is_superuser: Option<bool>,
}

/// A freshly issued token. `Debug` shows its length and claims, never the token.
#[derive(Clone)]
pub struct IssuedToken {
    /// The encoded JWT.
    pub token: String,
    /// Its claims.
    pub claims: Claims,
}

impl std::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedToken")
            .field("token", &Redacted(&self.token))
            .field("claims", &self.claims)
            .finish()
    }
}

/// A secret as `Debug` shows it: how long it is, not what it is.
#[derive(Clone, Copy)]
pub(crate) struct Redacted<'a>(pub &'a str);

impl std::fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<redacted, {} bytes>", self.0.len())
    }
}

/// Issues and decodes every JWT fullauth uses.
///
/// Access tokens are signed with the configured secret, so other services holding it can verify them. Every
/// other purpose is signed with a key derived from the secret for that purpose alone, so that no refresh, reset
/// or verification token can ever pass where an access token (or a token of another purpose) is expected,
/// whatever its claims say.
#[derive(Clone)]
pub struct TokenCodec {
    header: Header,
    keys: HashMap<TokenType, (EncodingKey, DecodingKey)>,
    pub(super) fingerprint_key: Vec<u8>,
    account_key: Vec<u8>,
    validation: Validation,
    issuer: Option<String>,
    audience: Option<String>,
    access_lifetime: Duration,
    refresh_lifetime: Duration,
    csrf_key: Vec<u8>,
}

impl std::fmt::Debug for TokenCodec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenCodec")
            .field("algorithm", &self.header.alg)
            .finish_non_exhaustive()
    }
}

impl TokenCodec {
    /// A codec for `config`, signing with `secret`.
    pub fn new(config: &FullAuthConfig, secret: &SecretKey) -> Self {
        install_crypto_provider();
        let algorithm = match config.tokens.algorithm {
            JwtAlgorithm::HS256 => Algorithm::HS256,
            JwtAlgorithm::HS384 => Algorithm::HS384,
            JwtAlgorithm::HS512 => Algorithm::HS512,
        };
        let keys = TokenType::ALL
            .into_iter()
            .map(|purpose| {
                let key = purpose_key(secret, purpose);
                (
                    purpose,
                    (
                        EncodingKey::from_secret(&key),
                        DecodingKey::from_secret(&key),
                    ),
                )
            })
            .collect();

        let mut validation = Validation::new(algorithm);
        validation.leeway = config.tokens.jwt_leeway_seconds;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        let mut required = vec!["exp", "sub"];
        if let Some(issuer) = &config.tokens.jwt_issuer {
            validation.set_issuer(&[issuer]);
            required.push("iss");
        }
        if let Some(audience) = &config.tokens.jwt_audience {
            validation.set_audience(&[audience]);
            required.push("aud");
        } else {
            validation.validate_aud = false;
        }
        validation.set_required_spec_claims(&required);

        Self {
            header: Header::new(algorithm),
            keys,
            fingerprint_key: hmac_sha256(secret.as_bytes(), b"fullauth password fingerprint"),
            account_key: hmac_sha256(secret.as_bytes(), b"fullauth account key"),
            csrf_key: hmac_sha256(secret.as_bytes(), b"fullauth csrf cookie"),
            validation,
            issuer: config.tokens.jwt_issuer.clone(),
            audience: config.tokens.jwt_audience.clone(),
            access_lifetime: config.tokens.access_token_lifetime(),
            refresh_lifetime: config.tokens.refresh_token_lifetime(),
        }
    }

    /// The name of an account (its normalized email) in the shared state's keys and in logs: an HMAC under a key
    /// derived from the secret, so that a dump of the shared state cannot be tested against a list of addresses.
    pub(crate) fn account_key(&self, email: &str) -> String {
        let mut mac = hmac_sha256_with(&self.account_key);
        mac.update(email.as_bytes());
        super::digest::lower_hex(&mac.finalize().into_bytes())
    }

    /// The key that signs CSRF cookies, derived from the secret.
    pub(crate) fn csrf_key(&self) -> &[u8] {
        &self.csrf_key
    }

    /// Access-token lifetime.
    pub fn access_lifetime(&self) -> Duration {
        self.access_lifetime
    }

    /// Refresh-token lifetime.
    pub fn refresh_lifetime(&self) -> Duration {
        self.refresh_lifetime
    }

    /// How long a revocation must be remembered to outlive every access token issued before it.
    pub fn access_revocation_ttl(&self) -> Duration {
        self.access_lifetime
            .saturating_add(Duration::from_secs(self.validation.leeway))
    }

    /// Issues an access token carrying `grants`.
    pub fn issue_access(
        &self,
        subject: String,
        family_id: uuid::Uuid,
        auth_time: i64,
        grants: AccessGrants,
        extra: serde_json::Map<String, serde_json::Value>,
        now: OffsetDateTime,
    ) -> Result<IssuedToken, TokenError> {
        let mut claims = self.base_claims(
            TokenType::Access,
            subject,
            now,
            self.access_lifetime,
            auth_time,
        );
        claims.roles = Some(grants.roles);
        claims.permissions = grants.permissions;
        claims.is_superuser = grants.is_superuser;
        claims.extra = Some(extra);
        claims.family_id = Some(family_id.to_string());
        self.encode(claims)
    }

    /// Issues a refresh token for `family_id`.
    pub fn issue_refresh(
        &self,
        subject: String,
        family_id: uuid::Uuid,
        auth_time: i64,
        now: OffsetDateTime,
    ) -> Result<IssuedToken, TokenError> {
        let mut claims = self.base_claims(
            TokenType::Refresh,
            subject,
            now,
            self.refresh_lifetime,
            auth_time,
        );
        claims.family_id = Some(family_id.to_string());
        self.encode(claims)
    }

    /// Issues a token bound to the account's state (a mailed email-verification or password-reset token, or the
    /// `mfa_token` of a sign-in that waits for its code) living `lifetime`, carrying `fingerprint` (see
    /// [`Self::account_fingerprint`]) as its `fp` claim.
    pub fn issue_mail_token(
        &self,
        purpose: TokenType,
        subject: String,
        lifetime: Duration,
        fingerprint: String,
        now: OffsetDateTime,
    ) -> Result<IssuedToken, TokenError> {
        let mut claims = self.base_claims(purpose, subject, now, lifetime, now.unix_timestamp());
        claims.fp = Some(fingerprint);
        self.encode(claims)
    }

    /// A short, one-way fingerprint, under a key of its own, of the account state a token of `purpose` is bound
    /// to: the address for a verification token; the address and the password hash (or its absence) for a reset
    /// token or an `mfa_token`, which therefore dies when either changes. It reveals nothing of the address or
    /// the hash.
    pub fn account_fingerprint(
        &self,
        purpose: TokenType,
        email: &str,
        hashed_password: Option<&str>,
    ) -> String {
        use base64::Engine as _;
        let mut state = Vec::with_capacity(96);
        state.extend_from_slice(purpose.as_str().as_bytes());
        state.push(0);
        state.extend_from_slice(email.as_bytes());
        if matches!(purpose, TokenType::PasswordReset | TokenType::MfaPending) {
            state.push(0);
            match hashed_password {
                Some(hash) => {
                    state.push(1);
                    state.extend_from_slice(hash.as_bytes());
                }
                None => state.push(0),
            }
        }
        let digest = hmac_sha256(&self.fingerprint_key, &state);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16])
    }

    /// Decodes and validates a token of the `expected` type: signature with the allow-listed algorithm,
    /// `exp` (numeric, with leeway), `nbf`, `iss` and `aud` when configured, and the `type` claim.
    pub fn decode(&self, token: &str, expected: TokenType) -> Result<Claims, TokenError> {
        if token.is_empty() || token.len() > MAX_TOKEN_BYTES {
            return Err(TokenError::Invalid);
        }
        let (_, decoding) = self.keys.get(&expected).ok_or(TokenError::Invalid)?;
        let data =
            jsonwebtoken::decode::<Claims>(token, decoding, &self.validation).map_err(|error| {
                match error.kind() {
                    jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                    _ => TokenError::Invalid,
                }
            })?;
        // RFC 7515: a `crit` member names extensions the verifier must understand, and fullauth understands
        // none; `b64` (RFC 7797) changes what the signature covers.
        let not_understood =
            data.header.crit.is_some() || data.header.extras.inner().contains_key("b64");
        if not_understood
            || data.claims.token_type != expected
            || data.claims.sub.is_empty()
            || data.claims.jti.is_empty()
        {
            return Err(TokenError::Invalid);
        }
        Ok(data.claims)
    }

    pub(super) fn base_claims(
        &self,
        token_type: TokenType,
        subject: String,
        now: OffsetDateTime,
        lifetime: Duration,
        auth_time: i64,
    ) -> Claims {
        let iat = now.unix_timestamp();
        let lifetime = i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX);
        Claims {
            sub: subject,
            exp: iat.saturating_add(lifetime),
            iat,
            jti: crate::random::hex(16),
            token_type,
            roles: None,
            permissions: None,
            is_superuser: None,
            extra: None,
            family_id: None,
            auth_time,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            fp: None,
            redirect_uri: None,
        }
    }

    pub(super) fn encode(&self, claims: Claims) -> Result<IssuedToken, TokenError> {
        let (encoding, _) = self
            .keys
            .get(&claims.token_type)
            .ok_or(TokenError::Invalid)?;
        let token =
            jsonwebtoken::encode(&self.header, &claims, encoding).map_err(TokenError::Signing)?;
        Ok(IssuedToken { token, claims })
    }
}

/// The signing key of one purpose: the secret itself for access tokens, HMAC(secret, label) for the others.
fn purpose_key(secret: &SecretKey, purpose: TokenType) -> Vec<u8> {
    if purpose == TokenType::Access {
        return secret.as_bytes().to_vec();
    }
    hmac_sha256(
        secret.as_bytes(),
        format!("fullauth token purpose: {}", purpose.as_str()).as_bytes(),
    )
}

/// An HMAC-SHA256 computation under `key`, to feed and finish or verify.
pub(crate) fn hmac_sha256_with(key: &[u8]) -> Hmac<Sha256> {
    #[allow(clippy::expect_used)]
    <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts keys of any length")
}

pub(super) fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = hmac_sha256_with(key);
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

/// jsonwebtoken needs exactly one process-wide crypto provider; fullauth uses RustCrypto. Installing twice is
/// harmless, and an application that installed its own keeps it.
fn install_crypto_provider() {
    let _ = jsonwebtoken::crypto::CryptoProvider::install_default(
        &jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER,
    );
}
