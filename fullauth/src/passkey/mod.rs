//! Passkeys (WebAuthn) on webauthn-rs (feature `passkey`): the relying party's ceremonies, the wire JSON of the
//! passkey routes, and the state kept between a ceremony's two routes.
//!
//! The routes are [`crate::FullAuth::passkey_router`]'s; this module is what they stand on:
//! [`RelyingParty`] runs the ceremonies as `FULLAUTH_PASSKEY_*` configures them, and the ceremony state lives in
//! the shared state under the `challenge_key` the client carries from begin to complete.

mod ceremony;
mod credential;
mod error;
mod relying_party;
mod wire;

pub use ceremony::{Ceremony, OpenRegistration, OpenSignIn};
pub use credential::{after_sign_in, credential_json, stored_credential};
pub use error::PasskeyError;
pub use relying_party::RelyingParty;
pub use webauthn_rs_core::proto::Credential;
pub use wire::{credential_digest, credential_id_text};
