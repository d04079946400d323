//! What an application writes with: `use fullauth::prelude::*;` brings the derives and their mixins, the handle,
//! its configuration and adapter, the extractors and the user JSON.

pub use crate::{
    AccessClaims, ApiError, CurrentUser, CustomClaims, DieselAdapter, FullAuth, FullAuthConfig,
    FullAuthMfa, FullAuthOAuthAccount, FullAuthPasskey, FullAuthPermission, FullAuthRefreshToken,
    FullAuthRole, FullAuthRolePermission, FullAuthUser, FullAuthUserRole, MfaMixin,
    OAuthAccountMixin, PasskeyMixin, PermissionMixin, PublicUser, RefreshTokenMixin,
    RequirePermission, RequireRole, RoleMixin, RolePermissionMixin, SuperUser, UserJson, UserMixin,
    UserRoleMixin, VerifiedUser,
};
#[cfg(feature = "derive")]
pub use crate::{permissions, roles};
