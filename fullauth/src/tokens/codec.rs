use std::collections::HashMap;
use std::time::Duration;

use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, EncodingKey, Header, Validation};
use sha2::Sha256;
use time::OffsetDateTime;

use super::access_keys::AccessKeys;
use super::hmac_jws::{self, HmacKey};
use super::issued::{AccessGrants, IssuedToken, TokenError};
use super::{Claims, TokenType};
use crate::config::{ConfigError, FullAuthConfig, JwtAlgorithm, SecretKey};

/// Longest token fullauth agrees to decode, in bytes; longer ones are refused unread.
const MAX_TOKEN_BYTES: usize = 8 * 1024;

/// Issues and decodes every JWT fullauth uses.
///
/// Access tokens are signed with the configured secret, so other services holding it can verify them, or, with an
/// asymmetric algorithm, with the private key, so that anyone with the published key set can. Every
/// other purpose is signed with a key derived from the secret for that purpose alone, so that no refresh, reset
/// or verification token can ever pass where an access token (or a token of another purpose) is expected,
/// whatever its claims say.
#[derive(Clone)]
pub struct TokenCodec {
    header: Header,
    keys: HashMap<TokenType, (EncodingKey, HmacKey)>,
    pub(super) fingerprint_key: Vec<u8>,
    account_key: Vec<u8>,
    validation: Validation,
    /// With an asymmetric algorithm: the keys of access tokens, and the validation of each of their algorithms.
    access_keys: Option<(AccessKeys, Vec<(Algorithm, Validation)>)>,
    issuer: Option<String>,
    audience: Option<String>,
    access_lifetime: Duration,
    refresh_lifetime: Duration,
    csrf_key: Vec<u8>,
}

impl std::fmt::Debug for TokenCodec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let access = self
            .access_keys
            .as_ref()
            .map_or(self.header.alg, |(keys, _)| keys.header().alg);
        f.debug_struct("TokenCodec")
            .field("algorithm", &access)
            .finish_non_exhaustive()
    }
}

impl TokenCodec {
    /// A codec for `config`, signing with `secret` (and, with an asymmetric algorithm, the configured private key,
    /// whose files are read here: a missing or malformed key is a [`ConfigError`] naming the option).
    pub fn new(config: &FullAuthConfig, secret: &SecretKey) -> Result<Self, ConfigError> {
        install_crypto_provider();
        // Tokens only fullauth reads (refresh, mail, OAuth state, MFA) stay HMAC under keys derived from the
        // secret whatever signs access tokens.
        let algorithm = match config.tokens.algorithm {
            JwtAlgorithm::HS384 => Algorithm::HS384,
            JwtAlgorithm::HS512 => Algorithm::HS512,
            _ => Algorithm::HS256,
        };
        let keys = TokenType::ALL
            .into_iter()
            .map(|purpose| {
                let key = purpose_key(secret, purpose);
                (
                    purpose,
                    (EncodingKey::from_secret(&key), HmacKey::new(&key)),
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
        if config.tokens.algorithm.is_asymmetric() {
            // Each purpose has a secret key of its own, so any HMAC algorithm is safe; a switch from HS384 or HS512
            // to a private key then leaves refresh tokens and mailed links of before working.
            validation.algorithms = vec![Algorithm::HS256, Algorithm::HS384, Algorithm::HS512];
        }
        let access_keys = AccessKeys::load(&config.tokens)?.map(|keys| {
            let validations = [Algorithm::EdDSA, Algorithm::ES256, Algorithm::RS256]
                .into_iter()
                .map(|algorithm| {
                    let mut checks = validation.clone();
                    checks.algorithms = vec![algorithm];
                    (algorithm, checks)
                })
                .collect();
            (keys, validations)
        });

        Ok(Self {
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
            access_keys,
        })
    }

    /// The key set that verifies access tokens (`{"keys":[...]}`, RFC 7517), with an asymmetric algorithm.
    pub fn jwks(&self) -> Option<&serde_json::Value> {
        self.access_keys.as_ref().map(|(keys, _)| keys.jwks())
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
        claims.family_id = Some(family_id.simple().to_string());
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
        claims.family_id = Some(family_id.simple().to_string());
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
        let claims = match (&self.access_keys, expected) {
            (Some((keys, validations)), TokenType::Access) => keys.decode(token, validations)?,
            _ => {
                let (_, key) = self.keys.get(&expected).ok_or(TokenError::Invalid)?;
                let payload = hmac_jws::verified_payload(token, key, &self.validation.algorithms)
                    .ok_or(TokenError::Invalid)?;
                let claims: Claims =
                    serde_json::from_slice(&payload).map_err(|_| TokenError::Invalid)?;
                self.check_registered_claims(&claims, OffsetDateTime::now_utc().unix_timestamp())?;
                claims
            }
        };
        if claims.token_type != expected || claims.sub.is_empty() || claims.jti.is_empty() {
            return Err(TokenError::Invalid);
        }
        Ok(claims)
    }

    /// The registered claims of a token whose signature verified, at `now` (seconds since the epoch): `exp`
    /// (required, not negative, not past beyond the leeway), `nbf` when present (not negative, not ahead beyond
    /// the leeway), and `iss` and `aud` when configured (required, equal).
    fn check_registered_claims(&self, claims: &Claims, now: i64) -> Result<(), TokenError> {
        let leeway = i64::try_from(self.validation.leeway).unwrap_or(i64::MAX);
        if claims.exp < 0 || claims.nbf.is_some_and(|nbf| nbf < 0) {
            return Err(TokenError::Invalid);
        }
        if claims.exp < now.saturating_sub(leeway) {
            return Err(TokenError::Expired);
        }
        if claims
            .nbf
            .is_some_and(|nbf| nbf > now.saturating_add(leeway))
        {
            return Err(TokenError::Invalid);
        }
        let party_matches = |configured: &Option<String>, claimed: &Option<String>| {
            configured.is_none() || configured == claimed
        };
        if !party_matches(&self.issuer, &claims.iss) || !party_matches(&self.audience, &claims.aud)
        {
            return Err(TokenError::Invalid);
        }
        Ok(())
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
            nbf: None,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            fp: None,
            redirect_uri: None,
        }
    }

    pub(super) fn encode(&self, claims: Claims) -> Result<IssuedToken, TokenError> {
        let (header, encoding) = match (&self.access_keys, claims.token_type) {
            (Some((keys, _)), TokenType::Access) => (keys.header(), keys.encoding()),
            _ => {
                let (encoding, _) = self
                    .keys
                    .get(&claims.token_type)
                    .ok_or(TokenError::Invalid)?;
                (&self.header, encoding)
            }
        };
        let token = jsonwebtoken::encode(header, &claims, encoding).map_err(TokenError::Signing)?;
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
