use fullauth::FullAuthUser;

#[derive(FullAuthUser, Clone, Debug)]
pub struct User {
    #[fullauth(mixin)]
    pub auth: String,
}

fn main() {}
