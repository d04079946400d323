//! The HTTP routers, wire-compatible with fastapi-fullauth.

mod admin;
mod announced_size;
mod auth;
mod caller;
mod fields;
mod jwks;
#[cfg(feature = "mfa")]
mod mfa;
mod mount;
#[cfg(feature = "oauth")]
mod oauth;
#[cfg(feature = "passkey")]
mod passkeys;
mod profile;
mod query_string;
mod routers;
mod sessions;
mod signed_in;
mod verify;

#[cfg(feature = "openapi")]
pub(crate) use jwks::JWKS_PATH;
pub use routers::{Routers, not_found};
pub use signed_in::LoginResponse;
