use fullauth::{FullAuthUser, UserMixin};

#[derive(FullAuthUser, Clone, Debug)]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
    #[fullauth(default = "zero")]
    pub age: i32,
    #[fullauth(max_length = 5)]
    pub age_again: i64,
    #[fullauth(default = 1e39)]
    pub ratio: f32,
    #[fullauth(default = -1e999)]
    pub score: f64,
    #[fullauth(default = 3.4e38)]
    pub largest: f32,
}

fn main() {}
