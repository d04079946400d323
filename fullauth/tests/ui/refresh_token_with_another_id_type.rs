use fullauth::{FullAuthRefreshToken, FullAuthUser, RefreshTokenMixin, UserMixin};

#[derive(FullAuthUser, Clone, Debug)]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin<i64>,
}

#[derive(FullAuthRefreshToken, Clone, Debug)]
#[fullauth(user = User)]
pub struct RefreshToken {
    #[fullauth(mixin)]
    pub token: RefreshTokenMixin,
}

fn main() {}
