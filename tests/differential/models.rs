//! The Rust side's models: the same application as `python/app.py`, a user with a display name and a phone
//! number, roles and permissions, in tables named as the Python library names them, a second factor, passkeys and
//! links to OAuth providers.

use fullauth::{
    FullAuthMfa, FullAuthOAuthAccount, FullAuthPasskey, FullAuthPermission, FullAuthRefreshToken,
    FullAuthRole, FullAuthRolePermission, FullAuthUser, FullAuthUserRole, MfaMixin,
    OAuthAccountMixin, PasskeyMixin, PermissionMixin, RefreshTokenMixin, RoleMixin,
    RolePermissionMixin, UserMixin, UserRoleMixin,
};

/// The user, with the getting-started page's two custom fields.
#[derive(FullAuthUser, Clone, Debug)]
#[fullauth(table = "fullauth_users")]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
    #[fullauth(max_length = 100, default = "")]
    pub display_name: String,
    #[fullauth(max_length = 20, default = "")]
    pub phone: String,
}

/// The users' sessions.
#[derive(FullAuthRefreshToken, Clone, Debug)]
#[fullauth(table = "refresh_tokens", user = User)]
pub struct RefreshToken {
    #[fullauth(mixin)]
    pub token: RefreshTokenMixin,
}

/// Roles.
#[derive(FullAuthRole, Clone, Debug)]
#[fullauth(table = "fullauth_roles")]
pub struct Role {
    #[fullauth(mixin)]
    pub role: RoleMixin,
}

/// Permissions, with the Python library's description column.
#[derive(FullAuthPermission, Clone, Debug)]
#[fullauth(table = "fullauth_permissions")]
pub struct Permission {
    #[fullauth(mixin)]
    pub permission: PermissionMixin,
    /// Written with its default, never read by the scenarios.
    #[allow(dead_code)]
    #[fullauth(max_length = 500, default = "")]
    pub description: String,
}

/// Which user has which role.
#[derive(FullAuthUserRole, Clone, Debug)]
#[fullauth(table = "fullauth_user_roles", user = User, role = Role)]
pub struct UserRole {
    #[fullauth(mixin)]
    pub link: UserRoleMixin,
}

/// Which role grants which permission.
#[derive(FullAuthRolePermission, Clone, Debug)]
#[fullauth(table = "fullauth_role_permissions", role = Role, permission = Permission)]
pub struct RolePermission {
    #[fullauth(mixin)]
    pub link: RolePermissionMixin,
}

/// The users' second factors, in a table of fullauth's own (fastapi-fullauth's secrets are not sealed).
#[derive(FullAuthMfa, Clone, Debug)]
#[fullauth(table = "mfa", user = User)]
pub struct Mfa {
    #[fullauth(mixin)]
    pub mfa: MfaMixin,
}

/// The users' passkeys, in a table of fullauth's own (fastapi-fullauth keeps its credentials in another form).
#[derive(FullAuthPasskey, Clone, Debug)]
#[fullauth(table = "passkeys", user = User)]
pub struct Passkey {
    #[fullauth(mixin)]
    pub passkey: PasskeyMixin,
}

/// The users' links to OAuth providers, in a table of fullauth's own.
#[derive(FullAuthOAuthAccount, Clone, Debug)]
#[fullauth(table = "oauth_accounts", user = User)]
pub struct OAuthAccount {
    #[fullauth(mixin)]
    pub account: OAuthAccountMixin,
}
