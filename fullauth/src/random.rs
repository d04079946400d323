//! Randomness from the operating system's CSPRNG.

/// Fills `bytes` from the operating system.
///
/// # Panics
/// When the operating system has no randomness to give: nothing secure can be done then.
pub fn fill(bytes: &mut [u8]) {
    #[allow(clippy::expect_used)]
    getrandom::fill(bytes).expect("the operating system's random number generator failed");
}

/// `len` random bytes as lower-case hex.
pub fn hex(len: usize) -> String {
    let mut bytes = vec![0_u8; len];
    fill(&mut bytes);
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
