use fullauth::{FullAuthRole, FullAuthUser, FullAuthUserRole, RoleMixin, UserMixin, UserRoleMixin};

#[derive(FullAuthUser, Clone, Debug)]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
}

#[derive(FullAuthRole, Debug)]
pub struct Role {
    #[fullauth(mixin)]
    pub role: RoleMixin,
}

#[derive(FullAuthUserRole, Debug)]
#[fullauth(user = User, role = Role)]
pub struct UserRole {
    #[fullauth(mixin)]
    pub link: UserRoleMixin,
}

fn main() {}
