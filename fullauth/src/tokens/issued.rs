//! What issuing a token gives and takes: the grants an access token carries, the issued token, and why a token
//! was refused.

use super::Claims;

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
