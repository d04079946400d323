use fullauth::{FullAuthPasskey, FullAuthUser, PasskeyMixin, UserMixin};

#[derive(FullAuthUser, Clone, Debug)]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin<i64>,
}

#[derive(FullAuthPasskey, Clone, Debug)]
#[fullauth(table = "passkeys", user = User)]
pub struct Passkey {
    #[fullauth(mixin)]
    pub passkey: PasskeyMixin,
}

fn main() {}
