//! The application's own models: fullauth's columns come from the mixins, the rest is ours.

use fullauth::{
    FullAuthPermission, FullAuthRefreshToken, FullAuthRole, FullAuthRolePermission, FullAuthUser,
    FullAuthUserRole, PermissionMixin, RefreshTokenMixin, RoleMixin, RolePermissionMixin,
    UserMixin, UserRoleMixin,
};

/// A user with a display name and a phone number.
#[derive(FullAuthUser, Clone, Debug)]
#[fullauth(table = "users")]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
    #[fullauth(max_length = 100, default = "")]
    pub display_name: String,
    #[fullauth(max_length = 20, default = "")]
    pub phone: String,
}

/// The users' refresh tokens.
#[derive(FullAuthRefreshToken, Clone, Debug)]
#[fullauth(table = "refresh_tokens", user = User)]
pub struct RefreshToken {
    #[fullauth(mixin)]
    pub token: RefreshTokenMixin,
}

/// Roles, given to users by a superuser through the admin router.
#[derive(FullAuthRole, Clone, Debug)]
#[fullauth(table = "roles")]
pub struct Role {
    #[fullauth(mixin)]
    pub role: RoleMixin,
}

/// Permissions, given to roles.
#[derive(FullAuthPermission, Clone, Debug)]
#[fullauth(table = "permissions")]
pub struct Permission {
    #[fullauth(mixin)]
    pub permission: PermissionMixin,
}

/// Which user has which role.
#[derive(FullAuthUserRole, Clone, Debug)]
#[fullauth(table = "user_roles", user = User, role = Role)]
pub struct UserRole {
    #[fullauth(mixin)]
    pub link: UserRoleMixin,
}

/// Which role grants which permission.
#[derive(FullAuthRolePermission, Clone, Debug)]
#[fullauth(table = "role_permissions", role = Role, permission = Permission)]
pub struct RolePermission {
    #[fullauth(mixin)]
    pub link: RolePermissionMixin,
}

fullauth::roles! {
    for User;
    /// Staff: administrators and editors.
    pub Staff = "admin" | "editor";
}
