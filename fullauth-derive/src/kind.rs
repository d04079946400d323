//! [`Kind`]: which derive is running, and what each derive expects of its struct.

/// Which derive is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    User,
    RefreshToken,
    Role,
    Permission,
    UserRole,
    RolePermission,
    OAuthAccount,
    Passkey,
    Mfa,
}

impl Kind {
    /// The derive's name, for messages.
    pub fn derive_name(self) -> &'static str {
        match self {
            Kind::User => "FullAuthUser",
            Kind::RefreshToken => "FullAuthRefreshToken",
            Kind::Role => "FullAuthRole",
            Kind::Permission => "FullAuthPermission",
            Kind::UserRole => "FullAuthUserRole",
            Kind::RolePermission => "FullAuthRolePermission",
            Kind::OAuthAccount => "FullAuthOAuthAccount",
            Kind::Passkey => "FullAuthPasskey",
            Kind::Mfa => "FullAuthMfa",
        }
    }

    /// What the derived struct is, in prose.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::User => "a user model",
            Kind::RefreshToken => "a refresh-token model",
            Kind::Role => "a role model",
            Kind::Permission => "a permission model",
            Kind::UserRole => "a user-role link model",
            Kind::RolePermission => "a role-permission link model",
            Kind::OAuthAccount => "an OAuth-account model",
            Kind::Passkey => "a passkey model",
            Kind::Mfa => "an MFA model",
        }
    }

    /// The type the mixin field must have.
    pub fn mixin_type(self) -> &'static str {
        match self {
            Kind::User => "UserMixin",
            Kind::RefreshToken => "RefreshTokenMixin",
            Kind::Role => "RoleMixin",
            Kind::Permission => "PermissionMixin",
            Kind::UserRole => "UserRoleMixin",
            Kind::RolePermission => "RolePermissionMixin",
            Kind::OAuthAccount => "OAuthAccountMixin",
            Kind::Passkey => "PasskeyMixin",
            Kind::Mfa => "MfaMixin",
        }
    }

    /// How the mixin field is written.
    pub fn mixin_example(self) -> &'static str {
        match self {
            Kind::User => "#[fullauth(mixin)] pub auth: fullauth::UserMixin",
            Kind::RefreshToken => "#[fullauth(mixin)] pub token: fullauth::RefreshTokenMixin",
            Kind::Role => "#[fullauth(mixin)] pub role: fullauth::RoleMixin",
            Kind::Permission => "#[fullauth(mixin)] pub permission: fullauth::PermissionMixin",
            Kind::UserRole => "#[fullauth(mixin)] pub link: fullauth::UserRoleMixin",
            Kind::RolePermission => "#[fullauth(mixin)] pub link: fullauth::RolePermissionMixin",
            Kind::OAuthAccount => "#[fullauth(mixin)] pub account: fullauth::OAuthAccountMixin",
            Kind::Passkey => "#[fullauth(mixin)] pub passkey: fullauth::PasskeyMixin",
            Kind::Mfa => "#[fullauth(mixin)] pub mfa: fullauth::MfaMixin",
        }
    }

    /// The container attributes naming other models, with an example of each, that this derive requires.
    pub fn required_references(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Kind::User | Kind::Role | Kind::Permission => &[],
            Kind::RefreshToken | Kind::OAuthAccount | Kind::Passkey | Kind::Mfa => {
                &[("user", "user = User")]
            }
            Kind::UserRole => &[("user", "user = User"), ("role", "role = Role")],
            Kind::RolePermission => &[
                ("role", "role = Role"),
                ("permission", "permission = Permission"),
            ],
        }
    }

    /// Whether the mixin takes the user's id type as its argument.
    pub fn mixin_has_user_id(self) -> bool {
        matches!(
            self,
            Kind::User
                | Kind::RefreshToken
                | Kind::UserRole
                | Kind::OAuthAccount
                | Kind::Passkey
                | Kind::Mfa
        )
    }

    /// Columns the mixin already has.
    pub fn mixin_columns(self) -> &'static [&'static str] {
        match self {
            Kind::User => &[
                "id",
                "email",
                "hashed_password",
                "is_active",
                "is_verified",
                "is_superuser",
                "created_at",
            ],
            Kind::RefreshToken => &[
                "id",
                "user_id",
                "token_digest",
                "family_id",
                "expires_at",
                "created_at",
                "used_at",
                "revoked_at",
                "user_agent",
                "ip_address",
            ],
            Kind::Role | Kind::Permission => &["id", "name", "created_at"],
            Kind::UserRole => &["user_id", "role_id", "created_at"],
            Kind::RolePermission => &["role_id", "permission_id", "created_at"],
            Kind::OAuthAccount => &[
                "id",
                "user_id",
                "provider",
                "provider_user_id",
                "provider_email",
                "access_token",
                "refresh_token",
                "expires_at",
                "created_at",
                "updated_at",
            ],
            Kind::Passkey => &[
                "id",
                "user_id",
                "credential_id",
                "credential_digest",
                "credential",
                "sign_count",
                "device_name",
                "transports",
                "backed_up",
                "created_at",
                "last_used_at",
            ],
            Kind::Mfa => &[
                "id",
                "user_id",
                "secret",
                "confirmed_at",
                "last_counter",
                "recovery_codes",
                "created_at",
            ],
        }
    }

    /// The container attribute keys this derive accepts.
    pub fn container_keys(self) -> &'static [&'static str] {
        match self {
            Kind::User | Kind::Role | Kind::Permission => &["table", "crate"],
            Kind::RefreshToken | Kind::OAuthAccount | Kind::Passkey | Kind::Mfa => {
                &["table", "user", "crate"]
            }
            Kind::UserRole => &["table", "user", "role", "crate"],
            Kind::RolePermission => &["table", "role", "permission", "crate"],
        }
    }

    /// The field attribute keys this derive accepts.
    pub fn field_keys(self) -> &'static [&'static str] {
        match self {
            Kind::User => &[
                "mixin",
                "max_length",
                "default",
                "readonly",
                "hidden",
                "column",
            ],
            Kind::RefreshToken => &["mixin", "default", "column"],
            _ => &["mixin", "max_length", "default", "column"],
        }
    }
}
