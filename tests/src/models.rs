//! The application models the suites run against: the quickstart's user, with custom fields of every kind.

use fullauth::{FullAuthRefreshToken, FullAuthUser, RefreshTokenMixin, UserMixin};

/// A user with the quickstart's fields plus one of each supported kind.
#[derive(FullAuthUser, Clone, Debug, PartialEq)]
#[fullauth(table = "users")]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
    #[fullauth(max_length = 100, default = "")]
    pub display_name: String,
    #[fullauth(max_length = 20, default = "")]
    pub phone: String,
    #[fullauth(default = 0)]
    pub age: i32,
    pub nickname: Option<String>,
    #[fullauth(default = false)]
    pub newsletter: bool,
    #[fullauth(readonly, default = "free")]
    pub plan: String,
    #[fullauth(hidden, default = "")]
    pub internal_note: String,
    #[fullauth(column = "last_seen")]
    pub last_seen_at: Option<fullauth::__private::time::OffsetDateTime>,
}

/// Refresh tokens of [`User`].
#[derive(FullAuthRefreshToken, Clone, Debug)]
#[fullauth(table = "refresh_tokens", user = User)]
pub struct RefreshToken {
    #[fullauth(mixin)]
    pub token: RefreshTokenMixin,
}

// The generated tables are ordinary Diesel tables: declare the join like any other.
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(users, refresh_tokens);
