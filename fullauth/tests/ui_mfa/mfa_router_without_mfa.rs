use fullauth::{FullAuth, FullAuthRefreshToken, FullAuthUser, RefreshTokenMixin, UserMixin};

#[derive(FullAuthUser, Clone, Debug)]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
}

#[derive(FullAuthRefreshToken, Clone, Debug)]
#[fullauth(user = User)]
pub struct RefreshToken {
    #[fullauth(mixin)]
    pub token: RefreshTokenMixin,
}

fn routes(fullauth: FullAuth<User>) -> axum::Router {
    fullauth.mfa_router()
}

fn main() {}
