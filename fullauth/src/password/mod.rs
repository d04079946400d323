//! Password hashing (Argon2id off the async workers) and the password policy.

mod error;
mod hasher;
mod policy;

pub use error::HashError;
pub use hasher::{PasswordHasher, Verification};
pub use policy::PasswordPolicy;
