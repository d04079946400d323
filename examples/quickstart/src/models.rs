//! The application's own models: fullauth's columns come from the mixins, the rest is ours.

use fullauth::{FullAuthRefreshToken, FullAuthUser, RefreshTokenMixin, UserMixin};

/// A user with a display name and a phone number.
#[derive(FullAuthUser, Clone, Debug)]
#[fullauth(table = "users")]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
    #[fullauth(max_length = 100, default = "")]
    pub display_name: String,
    #[fullauth(max_length = 20, default = "")]
    pub phone: String,
}

/// The users' refresh tokens.
#[derive(FullAuthRefreshToken, Clone, Debug)]
#[fullauth(table = "refresh_tokens", user = User)]
pub struct RefreshToken {
    #[fullauth(mixin)]
    pub token: RefreshTokenMixin,
}
