//! What fullauth does, independent of HTTP: the [`FullAuth`] handle and its operations, one file per
//! capability. The routers call these, and so can applications.
//!
//! Every operation returns [`crate::Error`]; none knows a status code.

mod account;
mod account_lookup;
mod administration;
mod authenticate;
mod authorization;
mod builder;
mod capabilities;
mod counters;
mod custom_claims;
mod detached;
mod handle;
mod local_counters;
mod lockout;
mod mail_budget;
mod mail_links;
#[cfg(feature = "mfa")]
mod mfa_enrolment;
#[cfg(feature = "mfa")]
mod mfa_factor;
#[cfg(feature = "mfa")]
mod mfa_keys;
#[cfg(feature = "mfa")]
mod mfa_lockout;
#[cfg(feature = "mfa")]
mod mfa_sign_in;
#[cfg(feature = "oauth")]
mod oauth_links;
#[cfg(feature = "oauth")]
mod oauth_sign_in;
#[cfg(feature = "oauth")]
mod oauth_state;
#[cfg(feature = "passkey")]
mod passkey_list;
#[cfg(feature = "passkey")]
mod passkey_registration;
#[cfg(feature = "passkey")]
mod passkey_sign_in;
mod rate_limits;
mod refresh;
mod registration;
mod roles;
mod sessions;
mod sign_in;
mod sign_in_gate;
mod sign_out;
mod superuser;
mod token_pair;

pub(crate) use account::Presence;
pub use authorization::Requirement;
pub use builder::FullAuthBuilder;
pub use custom_claims::{ClaimsError, RESERVED_CLAIM_NAMES};
pub use handle::FullAuth;
#[cfg(feature = "mfa")]
pub use mfa_enrolment::{MfaEnrolment, MfaStatus};
#[cfg(feature = "oauth")]
pub use oauth_state::OAuthStart;
pub use rate_limits::{Bucket, ClientAddress};
pub use registration::Registration;
pub use sessions::ClientInfo;
pub(crate) use sign_in_gate::Passed;
pub use sign_in_gate::SignIn;
pub use superuser::SuperuserOutcome;
pub use token_pair::TokenPair;
#[cfg(feature = "openapi")]
pub(crate) use token_pair::bearer;
