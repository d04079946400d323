//! Password hashing (Argon2id on threads of its own, reusing their memory; bcrypt hashes verify and are
//! upgraded) and the password policy.

mod argon2id;
mod bcrypt_hash;
mod error;
mod hash_workers;
mod hasher;
mod policy;
mod verification;

pub use error::HashError;
pub use hasher::PasswordHasher;
pub use policy::PasswordPolicy;
pub use verification::Verification;
