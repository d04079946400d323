use fullauth::{FullAuthUser, UserMixin};

#[derive(FullAuthUser, Clone, Debug)]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
    #[fullauth(default = "zero")]
    pub age: i32,
    #[fullauth(max_length = 5)]
    pub age_again: i64,
}

fn main() {}
