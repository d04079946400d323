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
pub(crate) use admin::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, UsersPage};
#[cfg(all(feature = "openapi", feature = "mfa"))]
pub(crate) use mfa::MAX_CODE_CHARACTERS;
#[cfg(all(feature = "openapi", feature = "oauth"))]
pub(crate) use oauth::AccountView;
#[cfg(all(feature = "openapi", feature = "passkey"))]
pub(crate) use passkeys::PasskeyView;
#[cfg(feature = "openapi")]
pub(crate) use sessions::SessionView;

#[cfg(feature = "openapi")]
pub(crate) use jwks::JWKS_PATH;
pub use routers::{Routers, not_found};
pub use signed_in::LoginResponse;
