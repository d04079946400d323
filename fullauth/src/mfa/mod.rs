//! TOTP multi-factor authentication (feature `mfa`): the codes of RFC 6238, the secrets apps are given, the
//! `otpauth://` URI they scan, and recovery codes.
//!
//! What the mfa router stands on; public so that an application's tests can compute the code an authenticator
//! app would show:
//!
//! ```
//! use fullauth::mfa::{code, from_base32, step_at, DIGITS};
//!
//! let secret = from_base32("JBSWY3DPEHPK3PXP").unwrap();  // the `secret` POST /mfa/enroll answered
//! let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
//! let typed = code(&secret, step_at(now), DIGITS);
//! assert_eq!(typed.len(), 6);
//! ```

mod provisioning;
mod recovery;
mod secret;
mod totp;

pub use provisioning::provisioning_uri;
pub use recovery::{
    RECOVERY_CODES, looks_like_recovery_code, new_recovery_codes, recovery_code_digest,
};
pub use secret::{SECRET_BYTES, base32, from_base32, new_secret};
pub use totp::{DIGITS, SKEW_STEPS, STEP_SECONDS, code, matching_step, step_at};
