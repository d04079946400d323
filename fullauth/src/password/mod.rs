//! Password hashing (Argon2id on threads of its own, reusing their memory) and the password policy.

mod argon2id;
mod error;
mod hash_workers;
mod hasher;
mod policy;
mod verification;

pub use error::HashError;
pub use hasher::PasswordHasher;
pub use policy::PasswordPolicy;
pub use verification::Verification;
