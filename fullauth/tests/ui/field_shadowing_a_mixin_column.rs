use fullauth::{FullAuthUser, UserMixin};

#[derive(FullAuthUser, Clone, Debug)]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
    pub email: String,
}

fn main() {}
