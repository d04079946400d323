//! OAuth `state` tokens, and the per-sign-in secrets (PKCE verifier, nonce) derived from them.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use time::OffsetDateTime;

use super::codec::hmac_sha256;
use super::{Claims, IssuedToken, TokenCodec, TokenError, TokenType};

/// What an OAuth flow was started for; a state of one never completes the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthPurpose<'a> {
    /// Signing in (or up).
    SignIn,
    /// Linking a provider to the signed-in user with this id.
    Link(&'a str),
}

/// A secret derived from an OAuth state, which only this server can compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateSecret {
    /// The PKCE code verifier (RFC 7636: 43 characters of the unreserved set).
    PkceVerifier,
    /// The OpenID Connect nonce.
    Nonce,
}

impl TokenCodec {
    /// Issues the `state` of an OAuth flow at `provider` coming back to `redirect_uri`, bound to `binding` (a
    /// random value only the starting client holds) and to `purpose`, living `lifetime`.
    pub fn issue_oauth_state(
        &self,
        provider: &str,
        redirect_uri: &str,
        binding: &str,
        purpose: OAuthPurpose<'_>,
        lifetime: Duration,
        now: OffsetDateTime,
    ) -> Result<IssuedToken, TokenError> {
        let mut claims = self.base_claims(
            TokenType::OAuthState,
            provider.to_owned(),
            now,
            lifetime,
            now.unix_timestamp(),
        );
        claims.fp = Some(self.oauth_binding(provider, redirect_uri, binding, purpose));
        claims.redirect_uri = Some(redirect_uri.to_owned());
        self.encode(claims)
    }

    /// Decodes an OAuth state, checking its signature, expiry, provider and binding to `binding` and
    /// `purpose`. Whether it was used before is the caller's to check, through its `jti`.
    pub fn decode_oauth_state(
        &self,
        state: &str,
        provider: &str,
        binding: &str,
        purpose: OAuthPurpose<'_>,
    ) -> Result<Claims, TokenError> {
        let claims = self.decode(state, TokenType::OAuthState)?;
        let redirect_uri = claims.redirect_uri.as_deref().ok_or(TokenError::Invalid)?;
        let expected = self.oauth_binding(provider, redirect_uri, binding, purpose);
        let bound = claims.fp.as_deref().is_some_and(|fp| {
            // Both are fixed-length keyed digests; a constant-time comparison costs nothing here.
            fp.len() == expected.len()
                && fp
                    .bytes()
                    .zip(expected.bytes())
                    .fold(0_u8, |difference, (a, b)| difference | (a ^ b))
                    == 0
        });
        if claims.sub != provider || !bound {
            return Err(TokenError::Invalid);
        }
        Ok(claims)
    }

    /// A secret of the flow whose state has `jti`: derived under a key of its own, so it never travels in the
    /// state and cannot be computed from it.
    pub fn oauth_state_secret(&self, jti: &str, secret: StateSecret) -> String {
        let label: &[u8] = match secret {
            StateSecret::PkceVerifier => b"pkce verifier",
            StateSecret::Nonce => b"nonce",
        };
        let mut message = label.to_vec();
        message.push(0);
        message.extend_from_slice(jti.as_bytes());
        URL_SAFE_NO_PAD.encode(hmac_sha256(&self.fingerprint_key, &message))
    }

    fn oauth_binding(
        &self,
        provider: &str,
        redirect_uri: &str,
        binding: &str,
        purpose: OAuthPurpose<'_>,
    ) -> String {
        let mut state = b"oauth state\0".to_vec();
        for part in [provider, redirect_uri, binding] {
            state.extend_from_slice(part.as_bytes());
            state.push(0);
        }
        match purpose {
            OAuthPurpose::SignIn => state.extend_from_slice(b"sign in"),
            OAuthPurpose::Link(user) => {
                state.extend_from_slice(b"link\0");
                state.extend_from_slice(user.as_bytes());
            }
        }
        URL_SAFE_NO_PAD.encode(&hmac_sha256(&self.fingerprint_key, &state)[..16])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{FullAuthConfig, SecretKey};

    fn codec() -> TokenCodec {
        let secret = SecretKey::new("0123456789abcdef0123456789abcdef").unwrap();
        TokenCodec::new(&FullAuthConfig::default(), &secret).unwrap()
    }

    #[test]
    fn a_state_completes_only_its_own_flow() {
        let codec = codec();
        let now = OffsetDateTime::now_utc();
        let lifetime = Duration::from_secs(300);
        let uri = "https://app.example/cb";
        let state = codec
            .issue_oauth_state(
                "google",
                uri,
                "binding-1",
                OAuthPurpose::SignIn,
                lifetime,
                now,
            )
            .unwrap();
        let claims = codec
            .decode_oauth_state(&state.token, "google", "binding-1", OAuthPurpose::SignIn)
            .unwrap();
        assert_eq!(claims.redirect_uri.as_deref(), Some(uri));
        for (provider, binding, purpose) in [
            ("github", "binding-1", OAuthPurpose::SignIn),
            ("google", "binding-2", OAuthPurpose::SignIn),
            ("google", "", OAuthPurpose::SignIn),
            ("google", "binding-1", OAuthPurpose::Link("7")),
        ] {
            assert_eq!(
                codec.decode_oauth_state(&state.token, provider, binding, purpose),
                Err(TokenError::Invalid),
                "{provider} {binding} {purpose:?}"
            );
        }
        let link = codec
            .issue_oauth_state("google", uri, "b", OAuthPurpose::Link("7"), lifetime, now)
            .unwrap();
        assert!(
            codec
                .decode_oauth_state(&link.token, "google", "b", OAuthPurpose::Link("8"))
                .is_err()
        );
        assert!(codec.decode(&state.token, TokenType::Access).is_err());
        let verifier = codec.oauth_state_secret(&claims.jti, StateSecret::PkceVerifier);
        assert_eq!(verifier.len(), 43);
        assert!(!state.token.contains(&verifier));
        assert_ne!(
            verifier,
            codec.oauth_state_secret(&claims.jti, StateSecret::Nonce)
        );
    }
}
