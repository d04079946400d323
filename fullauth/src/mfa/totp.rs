//! Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1, 6 digits, 30-second steps.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds per time step.
pub const STEP_SECONDS: u64 = 30;
/// Digits per code.
pub const DIGITS: usize = 6;
/// Steps of clock skew accepted either way.
pub const SKEW_STEPS: i64 = 1;

/// The time step of a Unix time.
pub fn step_at(unix_seconds: u64) -> i64 {
    i64::try_from(unix_seconds / STEP_SECONDS).unwrap_or(i64::MAX)
}

/// The code of `secret` for time step `step`, `digits` long (RFC 4226's dynamic truncation).
pub fn code(secret: &[u8], step: i64, digits: usize) -> String {
    #[allow(clippy::expect_used)]
    let mut mac =
        <Hmac<Sha1> as Mac>::new_from_slice(secret).expect("HMAC accepts keys of any length");
    mac.update(&step.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[hash.len() - 1] & 0x0f);
    let binary = (u32::from(hash[offset]) & 0x7f) << 24
        | u32::from(hash[offset + 1]) << 16
        | u32::from(hash[offset + 2]) << 8
        | u32::from(hash[offset + 3]);
    let modulus = 10_u64.pow(u32::try_from(digits).unwrap_or(8));
    format!("{:0digits$}", u64::from(binary) % modulus)
}

/// The time step whose code `typed` is, among the steps around `now_step` (one step of skew either way), or
/// `None`. Compares in constant time per candidate; a `typed` that is not six digits matches nothing.
pub fn matching_step(secret: &[u8], typed: &str, now_step: i64) -> Option<i64> {
    if typed.len() != DIGITS || !typed.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let mut found = None;
    for step in (now_step - SKEW_STEPS)..=(now_step + SKEW_STEPS) {
        if constant_time_eq(code(secret, step, DIGITS).as_bytes(), typed.as_bytes()) {
            found = found.or(Some(step));
        }
    }
    found
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 rows, with the RFC's 20-byte ASCII secret and 8 digits.
    #[test]
    fn rfc_6238_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, expected) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(code(secret, step_at(time), 8), expected, "T = {time}");
        }
    }

    /// RFC 4226, appendix D: HOTP of the same secret, counters 0 to 9, 6 digits.
    #[test]
    fn rfc_4226_test_vectors() {
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583",
            "399871", "520489",
        ];
        for (counter, expected) in expected.iter().enumerate() {
            let step = i64::try_from(counter).unwrap();
            assert_eq!(code(b"12345678901234567890", step, 6), *expected);
        }
    }

    #[test]
    fn one_step_of_skew_either_way() {
        let secret = b"12345678901234567890";
        let now = 1_000;
        for step in [now - 1, now, now + 1] {
            assert_eq!(
                matching_step(secret, &code(secret, step, 6), now),
                Some(step)
            );
        }
        for step in [now - 2, now + 2] {
            assert_eq!(matching_step(secret, &code(secret, step, 6), now), None);
        }
        for typed in ["", "12345", "1234567", "12a456", " 123456", "１２３４５６"] {
            assert_eq!(matching_step(secret, typed, now), None, "{typed:?}");
        }
    }
}
