//! [`now`]: the current time, as the databases store it.

/// The current time, truncated to the microsecond precision every supported database stores.
pub fn now() -> time::OffsetDateTime {
    let now = time::OffsetDateTime::now_utc();
    let micros = now.microsecond();
    now.replace_microsecond(micros).unwrap_or(now)
}
