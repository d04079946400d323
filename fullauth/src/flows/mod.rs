//! What each route does, independent of HTTP parsing: the routers call these, and so can applications.

pub(crate) mod account;
mod authenticate;
mod login;
pub(crate) mod mail_tokens;
mod register;
mod session;
mod sessions;

pub(crate) use account::Presence;
pub use login::ClientInfo;
pub use register::Registration;
pub use session::{LoginResponse, TokenPair};
