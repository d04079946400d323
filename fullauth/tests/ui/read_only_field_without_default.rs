use fullauth::{FullAuthUser, UserMixin};

#[derive(FullAuthUser, Clone, Debug)]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
    #[fullauth(readonly)]
    pub plan: String,
}

fn main() {}
