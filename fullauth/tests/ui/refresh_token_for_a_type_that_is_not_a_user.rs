use fullauth::{FullAuthRefreshToken, RefreshTokenMixin};

pub struct Customer;

#[derive(FullAuthRefreshToken, Clone, Debug)]
#[fullauth(user = Customer)]
pub struct RefreshToken {
    #[fullauth(mixin)]
    pub token: RefreshTokenMixin,
}

fn main() {}
