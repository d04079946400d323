//! [`OAuthError`]: why a provider's answer could not be used.

use std::fmt;

/// Why talking to a provider failed. Every such failure answers a callback with the same 400; the detail is for
/// logs.
#[derive(Debug)]
#[non_exhaustive]
pub enum OAuthError {
    /// The provider could not be reached, took too long, or answered with an error status.
    Unreachable(String),
    /// The provider answered something that cannot be used: malformed, too large, or a redirect (never
    /// followed).
    BadAnswer(String),
    /// The provider refused the authorization code.
    CodeRefused(String),
    /// What the provider vouched for does not hold up: the id_token's signature, issuer, audience, expiry or
    /// nonce, or a userinfo answer about another subject.
    Untrusted(String),
}

impl OAuthError {
    pub(crate) fn bad_answer(what: impl fmt::Display) -> Self {
        Self::BadAnswer(what.to_string())
    }

    pub(crate) fn untrusted(what: impl fmt::Display) -> Self {
        Self::Untrusted(what.to_string())
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unreachable(why) => write!(f, "provider unreachable: {why}"),
            Self::BadAnswer(why) => write!(f, "unusable provider answer: {why}"),
            Self::CodeRefused(why) => write!(f, "authorization code refused: {why}"),
            Self::Untrusted(why) => write!(f, "provider identity not trusted: {why}"),
        }
    }
}

impl std::error::Error for OAuthError {}
