use fullauth::{FullAuthUser, UserMixin};

#[derive(FullAuthUser, Clone, Debug)]
#[fullauth(tabel = "users")]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
    #[fullauth(max_len = 10)]
    pub display_name: String,
}

fn main() {}
