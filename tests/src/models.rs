//! The application models the suites run against: the quickstart's user, with custom fields of every kind.

use fullauth::{
    FullAuthMfa, FullAuthOAuthAccount, FullAuthPasskey, FullAuthPermission, FullAuthRefreshToken,
    FullAuthRole, FullAuthRolePermission, FullAuthUser, FullAuthUserRole, MfaMixin,
    OAuthAccountMixin, PasskeyMixin, PermissionMixin, RefreshTokenMixin, RoleMixin,
    RolePermissionMixin, UserMixin, UserRoleMixin,
};

/// A user with the quickstart's fields plus one of each supported kind.
#[derive(FullAuthUser, Clone, Debug, PartialEq)]
#[fullauth(table = "users")]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
    #[fullauth(max_length = 100, default = "")]
    pub display_name: String,
    #[fullauth(max_length = 20, default = "")]
    pub phone: String,
    #[fullauth(default = 0)]
    pub age: i32,
    pub nickname: Option<String>,
    #[fullauth(default = false)]
    pub newsletter: bool,
    #[fullauth(readonly, default = "free")]
    pub plan: String,
    #[fullauth(hidden, default = "")]
    pub internal_note: String,
    #[fullauth(column = "last_seen")]
    pub last_seen_at: Option<time::OffsetDateTime>,
    #[fullauth(default = 0)]
    pub points: i64,
    pub rating: Option<f64>,
    pub referrer: Option<uuid::Uuid>,
}

/// The keys of [`User`]'s public JSON with roles on, in order: the mixin's fields, the custom fields in
/// declaration order without the hidden one, the role names last.
pub const PUBLIC_USER_KEYS: [&str; 16] = [
    "id",
    "email",
    "is_active",
    "is_verified",
    "is_superuser",
    "display_name",
    "phone",
    "age",
    "nickname",
    "newsletter",
    "plan",
    "last_seen_at",
    "points",
    "rating",
    "referrer",
    "roles",
];

/// Refresh tokens of [`User`].
#[derive(FullAuthRefreshToken, Clone, Debug)]
#[fullauth(table = "refresh_tokens", user = User)]
pub struct RefreshToken {
    #[fullauth(mixin)]
    pub token: RefreshTokenMixin,
}

/// Roles of [`User`], with a description of the application's own.
#[derive(FullAuthRole, Clone, Debug)]
#[fullauth(table = "roles")]
pub struct Role {
    #[fullauth(mixin)]
    pub role: RoleMixin,
    #[fullauth(max_length = 200, default = "")]
    pub description: String,
}

/// Permissions the roles grant.
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
    pub granted_by: Option<String>,
}

#[derive(FullAuthOAuthAccount, Clone, Debug)]
#[fullauth(table = "oauth_accounts", user = User)]
pub struct OAuthAccount {
    #[fullauth(mixin)]
    pub account: OAuthAccountMixin,
    #[fullauth(max_length = 500)]
    pub avatar_url: Option<String>,
}

#[derive(FullAuthPasskey, Clone, Debug)]
#[fullauth(table = "passkeys", user = User)]
pub struct Passkey {
    #[fullauth(mixin)]
    pub passkey: PasskeyMixin,
    #[fullauth(max_length = 36)]
    pub aaguid: Option<String>,
}

#[derive(FullAuthMfa, Clone, Debug)]
#[fullauth(table = "mfa", user = User)]
pub struct Mfa {
    #[fullauth(mixin)]
    pub mfa: MfaMixin,
    pub enrolled_from: Option<String>,
}

// The generated tables are ordinary Diesel tables: declare the joins like any others.
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(user_roles -> roles (role_id));
diesel::joinable!(oauth_accounts -> users (user_id));
diesel::joinable!(passkeys -> users (user_id));
diesel::joinable!(mfa -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(
    users,
    refresh_tokens,
    user_roles,
    roles,
    oauth_accounts,
    passkeys,
    mfa
);

/// A user model keyed by database-assigned integers.
pub mod integer_ids {
    use fullauth::{FullAuthRefreshToken, FullAuthUser, RefreshTokenMixin, UserMixin};

    /// A member, with an `i64` id.
    #[derive(FullAuthUser, Clone, Debug)]
    #[fullauth(table = "members")]
    pub struct Member {
        #[fullauth(mixin)]
        pub auth: UserMixin<i64>,
        #[fullauth(default = "")]
        pub nickname: String,
    }

    /// Refresh tokens of [`Member`].
    #[derive(FullAuthRefreshToken, Clone, Debug)]
    #[fullauth(table = "member_tokens", user = Member)]
    pub struct MemberToken {
        #[fullauth(mixin)]
        pub token: RefreshTokenMixin<i64>,
    }

    /// Roles of members.
    #[derive(fullauth::FullAuthRole, Clone, Debug)]
    #[fullauth(table = "member_roles")]
    pub struct MemberRole {
        #[fullauth(mixin)]
        pub role: fullauth::RoleMixin,
    }

    /// Permissions of member roles.
    #[derive(fullauth::FullAuthPermission, Clone, Debug)]
    #[fullauth(table = "member_permissions")]
    pub struct MemberPermission {
        #[fullauth(mixin)]
        pub permission: fullauth::PermissionMixin,
    }

    /// Which member has which role.
    #[derive(fullauth::FullAuthUserRole, Clone, Debug)]
    #[fullauth(table = "member_role_links", user = Member, role = MemberRole)]
    pub struct MemberRoleLink {
        #[fullauth(mixin)]
        pub link: fullauth::UserRoleMixin<i64>,
    }

    /// Which member role grants which permission.
    #[derive(fullauth::FullAuthRolePermission, Clone, Debug)]
    #[fullauth(table = "member_role_permissions", role = MemberRole, permission = MemberPermission)]
    pub struct MemberRolePermission {
        #[fullauth(mixin)]
        pub link: fullauth::RolePermissionMixin,
    }

    #[derive(fullauth::FullAuthOAuthAccount, Clone, Debug)]
    #[fullauth(table = "member_oauth_accounts", user = Member)]
    pub struct MemberOAuthAccount {
        #[fullauth(mixin)]
        pub account: fullauth::OAuthAccountMixin<i64>,
    }

    #[derive(fullauth::FullAuthPasskey, Clone, Debug)]
    #[fullauth(table = "member_passkeys", user = Member)]
    pub struct MemberPasskey {
        #[fullauth(mixin)]
        pub passkey: fullauth::PasskeyMixin<i64>,
    }

    #[derive(fullauth::FullAuthMfa, Clone, Debug)]
    #[fullauth(table = "member_mfa", user = Member)]
    pub struct MemberMfa {
        #[fullauth(mixin)]
        pub mfa: fullauth::MfaMixin<i64>,
    }
}

/// A user model keyed by strings.
pub mod string_ids {
    use fullauth::{FullAuthRefreshToken, FullAuthUser, RefreshTokenMixin, UserMixin};

    /// An account, with a `String` id.
    #[derive(FullAuthUser, Clone, Debug)]
    #[fullauth(table = "accounts")]
    pub struct Account {
        #[fullauth(mixin)]
        pub auth: UserMixin<String>,
    }

    /// Refresh tokens of [`Account`].
    #[derive(FullAuthRefreshToken, Clone, Debug)]
    #[fullauth(table = "account_tokens", user = Account)]
    pub struct AccountToken {
        #[fullauth(mixin)]
        pub token: RefreshTokenMixin<String>,
    }
}

/// One model at two points of its life: the application deployed `v1`, then added fields in `v2`.
pub mod evolution {
    /// The first deployed version.
    pub mod v1 {
        use fullauth::{FullAuthRefreshToken, FullAuthUser, RefreshTokenMixin, UserMixin};

        /// A person, as first deployed.
        #[derive(FullAuthUser, Clone, Debug)]
        #[fullauth(table = "people")]
        pub struct Person {
            #[fullauth(mixin)]
            pub auth: UserMixin,
            #[fullauth(max_length = 50, default = "")]
            pub display_name: String,
        }

        /// Their refresh tokens.
        #[derive(FullAuthRefreshToken, Clone, Debug)]
        #[fullauth(table = "people_sessions", user = Person)]
        pub struct PersonSession {
            #[fullauth(mixin)]
            pub token: RefreshTokenMixin,
        }
    }

    /// The same model with two new fields.
    pub mod v2 {
        use fullauth::{FullAuthRefreshToken, FullAuthUser, RefreshTokenMixin, UserMixin};

        /// A person, with a biography and a score.
        #[derive(FullAuthUser, Clone, Debug)]
        #[fullauth(table = "people")]
        pub struct Person {
            #[fullauth(mixin)]
            pub auth: UserMixin,
            #[fullauth(max_length = 50, default = "")]
            pub display_name: String,
            #[fullauth(default = "none yet")]
            pub bio: String,
            pub score: Option<i32>,
        }

        /// Their refresh tokens.
        #[derive(FullAuthRefreshToken, Clone, Debug)]
        #[fullauth(table = "people_sessions", user = Person)]
        pub struct PersonSession {
            #[fullauth(mixin)]
            pub token: RefreshTokenMixin,
        }
    }
}
