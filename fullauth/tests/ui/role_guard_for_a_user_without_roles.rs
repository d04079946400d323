use fullauth::{FullAuthUser, UserMixin};

#[derive(FullAuthUser, Clone, Debug)]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
}

fullauth::roles! {
    for User;
    pub Admin = "admin";
}

fn main() {}
