use fullauth::{FullAuth, FullAuthUser, UserMixin};

#[derive(FullAuthUser, Clone, Debug)]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
}

fn admin_layer(fullauth: &FullAuth<User>) {
    let _ = fullauth.require_role(["admin"]);
}

fn main() {}
