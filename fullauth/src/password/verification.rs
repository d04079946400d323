/// The outcome of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// The password matches; `needs_rehash` when the hash uses other parameters than the configured ones.
    Valid {
        /// The stored hash should be replaced by one with the current parameters.
        needs_rehash: bool,
    },
    /// Wrong password, no stored hash, or a hash fullauth refuses to compute.
    Invalid,
}
