//! The models an application derives: the user and its refresh tokens.
//!
//! A derive cannot add fields to a struct, so fullauth's columns come as a *mixin*: a plain struct the
//! application embeds as one field marked `#[fullauth(mixin)]`. The derive flattens it into the table next to the
//! application's own fields.

mod id;
mod refresh_token;
mod user;

pub use id::UserId;
pub use refresh_token::{FullAuthRefreshToken, RefreshTokenMixin};
pub use user::{FullAuthUser, UserMixin};

/// The current time, truncated to the microsecond precision every supported database stores.
pub fn now() -> time::OffsetDateTime {
    let now = time::OffsetDateTime::now_utc();
    let micros = now.microsecond();
    now.replace_microsecond(micros).unwrap_or(now)
}
