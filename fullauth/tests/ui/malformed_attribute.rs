use fullauth::{FullAuthUser, UserMixin};

#[derive(FullAuthUser, Clone, Debug)]
#[fullauth(table)]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
    #[fullauth(max_length = "100")]
    pub display_name: String,
}

fn main() {}
