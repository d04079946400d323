use fullauth::{
    FullAuthPermission, FullAuthRole, FullAuthRolePermission, FullAuthUser, FullAuthUserRole,
    PermissionMixin, RequireRole, RoleMixin, RolePermissionMixin, UserMixin, UserRoleMixin,
};

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

#[derive(FullAuthPermission, Debug)]
pub struct Permission {
    #[fullauth(mixin)]
    pub permission: PermissionMixin,
}

#[derive(FullAuthUserRole, Debug)]
#[fullauth(user = User, role = Role)]
pub struct UserRole {
    #[fullauth(mixin)]
    pub link: UserRoleMixin,
}

#[derive(FullAuthRolePermission, Debug)]
#[fullauth(role = Role, permission = Permission)]
pub struct RolePermission {
    #[fullauth(mixin)]
    pub link: RolePermissionMixin,
}

fullauth::permissions! {
    for User;
    pub EditPosts = "posts:edit";
}

async fn edit(_guard: RequireRole<EditPosts>) {}

fn main() {}
