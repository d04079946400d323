use fullauth::{FullAuthUser, UserMixin};

#[derive(FullAuthUser, Clone, Debug)]
pub struct User<T> {
    #[fullauth(mixin)]
    pub auth: UserMixin,
    pub extra: T,
}

fn main() {}
