//! JWTs: typed claims, issuing and strict decoding.

mod access_keys;
mod claims;
mod codec;
mod digest;
mod hmac_jws;
mod issued;
mod oauth_state;

pub use claims::{Claims, TokenType};
pub use codec::TokenCodec;
pub(crate) use codec::hmac_sha256_with;
pub use digest::token_digest;
pub(crate) use issued::Redacted;
pub use issued::{AccessGrants, IssuedToken, TokenError};
pub use oauth_state::{OAuthPurpose, StateSecret};
