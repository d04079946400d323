//! The models an application derives: the user, its refresh tokens, and optionally roles and permissions, OAuth
//! accounts, passkeys and MFA.
//!
//! A derive cannot add fields to a struct, so fullauth's columns come as a *mixin*: a plain struct the
//! application embeds as one field marked `#[fullauth(mixin)]`. The derive flattens it into the table next to the
//! application's own fields.

mod clock;
mod declared;
mod id;
mod json_field;
mod mfa;
mod oauth_account;
mod passkey;
mod probe;
mod public_json;
mod refresh_token;
mod roles;
mod user;

pub use clock::now;
pub use declared::DeclaredModels;
pub use id::UserId;
pub use json_field::JsonField;
pub use mfa::{FullAuthMfa, HasMfa, MfaMixin};
pub use oauth_account::{FullAuthOAuthAccount, HasOAuthAccounts, OAuthAccountMixin};
#[cfg(feature = "passkey")]
pub use passkey::MAX_DEVICE_NAME_LENGTH;
pub use passkey::{FullAuthPasskey, HasPasskeys, PasskeyMixin};
pub use probe::{
    Probe, ProbeMfa, ProbeNoMfa, ProbeNoOAuthAccounts, ProbeNoPasskeys, ProbeNoRoles,
    ProbeOAuthAccounts, ProbePasskeys, ProbeRoles,
};
pub use public_json::{PublicUser, UserJson};
pub use refresh_token::{FullAuthRefreshToken, RefreshTokenMixin};
pub use roles::{
    FullAuthPermission, FullAuthRole, FullAuthRolePermission, FullAuthUserRole, HasPermissions,
    HasRoles, MAX_NAME_LENGTH, PermissionMixin, RoleMixin, RolePermissionMixin, UserRoleMixin,
    check_name,
};
pub use user::{FullAuthUser, UserMixin};
