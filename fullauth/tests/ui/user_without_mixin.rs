use fullauth::FullAuthUser;

#[derive(FullAuthUser, Clone, Debug)]
pub struct User {
    pub display_name: String,
}

fn main() {}
