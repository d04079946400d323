//! Passwords: the policy new passwords must meet, and the cost of hashing them.

use super::env_reader::EnvReader;
use super::setting::{ConfigError, Setting};

const MIN_LENGTH: Setting = Setting::new("passwords.min_length", "PASSWORD_MIN_LENGTH");
const MAX_LENGTH: Setting = Setting::new("passwords.max_length", "PASSWORD_MAX_LENGTH");
const HASH_MEMORY_KIB: Setting =
    Setting::new("passwords.hash_cost.memory_kib", "PASSWORD_HASH_MEMORY_KIB");
const HASH_ITERATIONS: Setting =
    Setting::new("passwords.hash_cost.iterations", "PASSWORD_HASH_ITERATIONS");
const HASH_PARALLELISM: Setting = Setting::new(
    "passwords.hash_cost.parallelism",
    "PASSWORD_HASH_PARALLELISM",
);
/// The most hashing threads a configuration may ask for.
const MAX_HASH_CONCURRENCY: usize = 256;
/// fastapi-fullauth's choice of hash for new passwords; only `argon2id` is accepted here.
const HASH_ALGORITHM: Setting = Setting::new("passwords.hash_algorithm", "PASSWORD_HASH_ALGORITHM");
const HASH_CONCURRENCY: Setting =
    Setting::new("passwords.hash_concurrency", "PASSWORD_HASH_CONCURRENCY");

/// The password policy and the hashing of passwords.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PasswordConfig {
    /// Shortest password, in characters (`FULLAUTH_PASSWORD_MIN_LENGTH`).
    pub min_length: usize,
    /// Longest password, in characters, checked before hashing; 0 disables the check
    /// (`FULLAUTH_PASSWORD_MAX_LENGTH`).
    pub max_length: usize,
    /// Argon2id cost for new hashes; older hashes are upgraded at the next successful login
    /// (`FULLAUTH_PASSWORD_HASH_MEMORY_KIB`, `_ITERATIONS`, `_PARALLELISM`).
    pub hash_cost: PasswordHashCost,
    /// How many password hashes may run at once, each on a thread of its own that keeps its `memory_kib` of
    /// Argon2 memory between hashes (never on the async workers); at most 256.
    /// `None` = one less than the number of CPUs, at least one (`FULLAUTH_PASSWORD_HASH_CONCURRENCY`).
    pub hash_concurrency: Option<usize>,
}

impl Default for PasswordConfig {
    fn default() -> Self {
        Self {
            min_length: 8,
            max_length: 4096,
            hash_cost: PasswordHashCost::default(),
            hash_concurrency: None,
        }
    }
}

impl PasswordConfig {
    pub(super) fn read(&mut self, env: &EnvReader) -> Result<(), ConfigError> {
        env.parse(MIN_LENGTH, &mut self.min_length)?;
        env.parse(MAX_LENGTH, &mut self.max_length)?;
        env.parse(HASH_MEMORY_KIB, &mut self.hash_cost.memory_kib)?;
        env.parse(HASH_ITERATIONS, &mut self.hash_cost.iterations)?;
        env.parse(HASH_PARALLELISM, &mut self.hash_cost.parallelism)?;
        env.optional(HASH_CONCURRENCY, &mut self.hash_concurrency)?;
        read_hash_algorithm(env)
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if self.min_length == 0 {
            return Err(MIN_LENGTH.invalid("must be at least 1"));
        }
        if self.max_length != 0 && self.max_length < self.min_length {
            return Err(MAX_LENGTH.invalid("must not be below passwords.min_length"));
        }
        if self.hash_concurrency == Some(0) {
            return Err(HASH_CONCURRENCY.invalid("must be at least 1"));
        }
        if self
            .hash_concurrency
            .is_some_and(|threads| threads > MAX_HASH_CONCURRENCY)
        {
            return Err(HASH_CONCURRENCY.invalid(
                "must be at most 256: each hashing thread keeps memory_kib of memory, and more hashes at once \
                 than cores only makes each slower",
            ));
        }
        let cost = self.hash_cost;
        let floor = PasswordHashCost::default();
        if cost.parallelism < 1 {
            return Err(HASH_PARALLELISM.invalid("must be at least 1"));
        }
        if cost.iterations < floor.iterations {
            return Err(HASH_ITERATIONS.invalid("must not be weaker than m=19456 KiB, t=2, p=1"));
        }
        if cost.memory_kib < floor.memory_kib {
            return Err(HASH_MEMORY_KIB.invalid("must not be weaker than m=19456 KiB, t=2, p=1"));
        }
        // What is left for argon2 to refuse is a size beyond its limits: memory, or lanes beyond what it allows.
        if argon2::Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None).is_err() {
            return Err(HASH_MEMORY_KIB.invalid(
                "is not part of a valid Argon2 parameter set with these iterations and lanes",
            ));
        }
        Ok(())
    }
}

/// Reads `FULLAUTH_PASSWORD_HASH_ALGORITHM` as fastapi-fullauth names it: `argon2id` is what fullauth does
/// anyway; `bcrypt` is refused, since new hashes are always Argon2id (bcrypt reads only the first 72 bytes of a
/// password), while bcrypt hashes already stored keep verifying and are replaced at the next sign-in.
fn read_hash_algorithm(env: &EnvReader) -> Result<(), ConfigError> {
    match env.value(HASH_ALGORITHM).map(str::trim) {
        None => Ok(()),
        Some(algorithm) if algorithm.eq_ignore_ascii_case("argon2id") => Ok(()),
        Some(algorithm) if algorithm.eq_ignore_ascii_case("bcrypt") => Err(HASH_ALGORITHM
            .invalid(
                "is bcrypt, but fullauth hashes new passwords with Argon2id only; bcrypt hashes already stored \
                 still verify and are replaced by Argon2id ones at the next sign-in: set it to argon2id or remove it",
            )
            .in_environment()),
        Some(_) => Err(HASH_ALGORITHM.invalid("must be argon2id").in_environment()),
    }
}

/// Argon2id cost parameters for new hashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordHashCost {
    /// Memory in KiB (`m`).
    pub memory_kib: u32,
    /// Iterations (`t`).
    pub iterations: u32,
    /// Lanes (`p`).
    pub parallelism: u32,
}

impl Default for PasswordHashCost {
    /// OWASP's recommendation and the argon2 crate's default: m=19456 KiB, t=2, p=1.
    fn default() -> Self {
        Self {
            memory_kib: 19_456,
            iterations: 2,
            parallelism: 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(vars: &[(&str, &str)]) -> Result<PasswordConfig, ConfigError> {
        let env = EnvReader::new(
            vars.iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned())),
        );
        let mut config = PasswordConfig::default();
        config.read(&env)?;
        Ok(config)
    }

    #[test]
    fn reads_fastapi_fullauths_hash_algorithm() {
        assert!(read(&[("FULLAUTH_PASSWORD_HASH_ALGORITHM", "argon2id")]).is_ok());
        assert!(read(&[("FULLAUTH_PASSWORD_HASH_ALGORITHM", " Argon2id ")]).is_ok());
        let bcrypt = read(&[("FULLAUTH_PASSWORD_HASH_ALGORITHM", "bcrypt")])
            .unwrap_err()
            .to_string();
        assert!(
            bcrypt.contains("FULLAUTH_PASSWORD_HASH_ALGORITHM"),
            "{bcrypt}"
        );
        assert!(bcrypt.contains("still verify"), "{bcrypt}");
        let other = read(&[("FULLAUTH_PASSWORD_HASH_ALGORITHM", "md5")])
            .unwrap_err()
            .to_string();
        assert!(other.contains("must be argon2id"), "{other}");
    }
}
