use fullauth::{FullAuthRefreshToken, RefreshTokenMixin};

#[derive(FullAuthRefreshToken, Clone, Debug)]
pub struct RefreshToken {
    #[fullauth(mixin)]
    pub token: RefreshTokenMixin,
}

fn main() {}
