use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use super::{HashError, Verification};
use crate::random;

/// Bytes of salt in every new hash (the PHC recommendation).
const SALT_LEN: usize = 16;

/// The Argon2 memory blocks one hashing thread keeps between hashes.
///
/// Argon2id needs `memory_kib` KiB per hash. Allocating it for every hash on whichever thread runs it leaves that
/// much behind in each thread's allocator arena; a hashing thread that keeps its own blocks allocates once.
#[derive(Default)]
pub(super) struct HashMemory {
    blocks: Vec<Block>,
}

impl HashMemory {
    /// Bytes this memory holds now.
    pub(super) fn bytes(&self) -> usize {
        self.blocks.len() * Block::SIZE
    }

    /// Runs `work` on `count` blocks: the kept ones (grown once, to `kept`, on first use) when `count` fits in
    /// `kept`, otherwise blocks allocated for this call alone (a stored hash with larger parameters than the
    /// configured ones, which is rare and bounded by the verification limits).
    fn with_blocks<T>(
        &mut self,
        count: usize,
        kept: usize,
        work: impl FnOnce(&mut [Block]) -> T,
    ) -> T {
        if count > kept {
            let mut temporary = vec![Block::default(); count];
            return work(&mut temporary);
        }
        if self.blocks.len() < kept {
            self.blocks = vec![Block::default(); kept];
        }
        let (used, _) = self.blocks.split_at_mut(count);
        work(used)
    }
}

/// Argon2id with the configured cost, computing into caller-provided memory.
pub(super) struct Argon2id {
    params: Params,
    limits: Limits,
}

/// The most expensive stored hash fullauth agrees to verify. A hash with larger parameters (planted in the
/// database, or from a misconfiguration) is refused at once instead of allocating gigabytes.
#[derive(Debug, Clone, Copy)]
struct Limits {
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
}

impl Limits {
    fn allow(&self, params: &Params) -> bool {
        params.m_cost() <= self.memory_kib
            && params.t_cost() <= self.iterations
            && params.p_cost() <= self.parallelism
    }
}

impl Argon2id {
    pub(super) fn new(params: Params) -> Self {
        let limits = Limits {
            memory_kib: params.m_cost().max(256 * 1024),
            iterations: params.t_cost().max(16),
            parallelism: params.p_cost().max(8),
        };
        Self { params, limits }
    }

    /// Blocks a hash with the configured cost needs: what each hashing thread keeps.
    fn kept_blocks(&self) -> usize {
        self.params.block_count()
    }

    /// Hashes `password` with a fresh salt into a PHC string.
    pub(super) fn hash(
        &self,
        password: &str,
        memory: &mut HashMemory,
    ) -> Result<String, HashError> {
        let mut salt = [0_u8; SALT_LEN];
        random::fill(&mut salt);
        let hasher = Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone());
        let mut digest = [0_u8; Params::DEFAULT_OUTPUT_LEN];
        memory
            .with_blocks(self.params.block_count(), self.kept_blocks(), |blocks| {
                hasher.hash_password_into_with_memory(
                    password.as_bytes(),
                    &salt,
                    &mut digest,
                    blocks,
                )
            })
            .map_err(|error| HashError::Hashing(error.into()))?;
        let encoded = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&self.params).map_err(HashError::Hashing)?,
            salt: Some(Salt::new(&salt).map_err(|error| HashError::Hashing(error.into()))?),
            hash: Some(Output::new(&digest).map_err(|error| HashError::Hashing(error.into()))?),
        };
        Ok(encoded.to_string())
    }

    /// Checks `password` against the PHC string `stored`.
    pub(super) fn verify(
        &self,
        password: &str,
        stored: &str,
        memory: &mut HashMemory,
    ) -> Verification {
        let Ok(hash) = PasswordHash::new(stored) else {
            tracing::warn!("stored password hash is not a PHC string; refusing it");
            return Verification::Invalid;
        };
        let Ok(params) = Params::try_from(&hash) else {
            tracing::warn!("stored password hash has unreadable parameters; refusing it");
            return Verification::Invalid;
        };
        let Ok(algorithm) = Algorithm::try_from(hash.algorithm.as_str()) else {
            tracing::warn!(algorithm = %hash.algorithm, "stored password hash is not Argon2; refusing it");
            return Verification::Invalid;
        };
        if !self.limits.allow(&params) {
            tracing::warn!(
                m = params.m_cost(),
                t = params.t_cost(),
                p = params.p_cost(),
                "stored password hash exceeds the verification limits; refusing it"
            );
            return Verification::Invalid;
        }
        let (Some(salt), Some(expected)) = (&hash.salt, &hash.hash) else {
            tracing::warn!("stored password hash lacks its salt or digest; refusing it");
            return Verification::Invalid;
        };
        let version = hash
            .version
            .and_then(|v| Version::try_from(v).ok())
            .unwrap_or_default();
        let verifier = Argon2::new(algorithm, version, params.clone());
        let mut digest = [0_u8; Output::MAX_LENGTH];
        let Some(digest) = digest.get_mut(..expected.len()) else {
            return Verification::Invalid;
        };
        let computed = memory.with_blocks(params.block_count(), self.kept_blocks(), |blocks| {
            verifier.hash_password_into_with_memory(password.as_bytes(), salt, digest, blocks)
        });
        // `Output`'s equality is constant-time.
        let matches =
            computed.is_ok() && Output::new(digest).is_ok_and(|digest| &digest == expected);
        if !matches {
            return Verification::Invalid;
        }
        let needs_rehash = algorithm != Algorithm::Argon2id
            || version != Version::V0x13
            || params.m_cost() != self.params.m_cost()
            || params.t_cost() != self.params.t_cost()
            || params.p_cost() != self.params.p_cost();
        Verification::Valid { needs_rehash }
    }

    /// Whether a stored hash with `params` would be computed; the limits refuse absurd ones before any work.
    #[cfg(test)]
    pub(super) fn allows(&self, params: &Params) -> bool {
        self.limits.allow(params)
    }
}
