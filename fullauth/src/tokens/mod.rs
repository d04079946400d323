//! JWTs: typed claims, issuing and strict decoding.

mod claims;
mod codec;
mod digest;
mod oauth_state;

pub use claims::{Claims, TokenType};
pub(crate) use codec::Redacted;
pub(crate) use codec::hmac_sha256_with;
pub use codec::{AccessGrants, IssuedToken, TokenCodec, TokenError};
pub use digest::token_digest;
pub use oauth_state::{OAuthPurpose, StateSecret};
