//! The HTTP side that every router, extractor and layer shares: the error answer ([`ApiError`]) and reading
//! requests: JSON bodies, cookies, where the tokens are, who the client is.

mod api_error;
pub(crate) mod client;
pub(crate) mod cookies;
mod json_body;
mod passkey_answer;
pub(crate) mod token_transport;

pub use api_error::ApiError;
pub(crate) use client::{Client, SignInClient};
