use fullauth::{FullAuthUserRole, UserRoleMixin};

#[derive(FullAuthUserRole, Debug)]
#[fullauth(user = User)]
pub struct UserRole {
    #[fullauth(mixin)]
    pub link: UserRoleMixin,
}

fn main() {}
