//! What each route does, independent of HTTP parsing: the routers call these, and so can applications.

pub(crate) mod account;
mod authenticate;
mod lockout;
mod login;
pub(crate) mod mail_tokens;
mod register;
mod roles;
mod session;
mod sessions;
mod superuser;

pub(crate) use account::Presence;
pub use login::ClientInfo;
pub(crate) use login::user_agent;
pub use register::Registration;
pub use roles::Requirement;
pub use session::{LoginResponse, TokenPair};
pub use superuser::SuperuserOutcome;
