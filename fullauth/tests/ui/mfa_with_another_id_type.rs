use fullauth::{FullAuthMfa, FullAuthUser, MfaMixin, UserMixin};

#[derive(FullAuthUser, Clone, Debug)]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin<i64>,
}

#[derive(FullAuthMfa, Clone, Debug)]
#[fullauth(table = "mfa", user = User)]
pub struct Mfa {
    #[fullauth(mixin)]
    pub mfa: MfaMixin,
}

fn main() {}
