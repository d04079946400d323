use fullauth::{FullAuthUser, UserMixin};

#[derive(FullAuthUser, Clone, Debug)]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
    pub tags: Vec<String>,
}

fn main() {}
