//! Password hashing (Argon2id off the async workers) and the password policy.

mod hasher;
mod policy;

pub use hasher::{PasswordHasher, Verification};
pub use policy::PasswordPolicy;
