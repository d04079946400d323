use fullauth::{FullAuthUser, FullAuthUserRole, UserMixin, UserRoleMixin};

#[derive(FullAuthUser, Clone, Debug)]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
}

#[derive(Debug)]
pub struct Group;

#[derive(FullAuthUserRole, Debug)]
#[fullauth(user = User, role = Group)]
pub struct UserGroup {
    #[fullauth(mixin)]
    pub link: UserRoleMixin,
}

fn main() {}
