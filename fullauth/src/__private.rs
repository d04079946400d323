//! What the derives' generated code reaches: re-exported crates, glue traits and helpers.

pub use diesel;
pub use diesel::QueryResult;
pub use diesel_async;
pub use serde;
pub use time;
pub use uuid;

#[cfg(feature = "mysql")]
pub use crate::adapter::backend::MysqlConnection;
#[cfg(feature = "postgres")]
pub use crate::adapter::backend::PgConnection;
pub use crate::adapter::backend::Pools;
#[cfg(feature = "sqlite")]
pub use crate::adapter::backend::SqliteConnection;
pub use crate::adapter::glue::DieselRefreshToken;
pub use crate::adapter::glue::{RefreshTokenQueries, UserQueries};
pub use crate::adapter::mfa::{DieselMfaStore, ProbeDieselMfa, ProbeNoDieselMfa, UserMfaQueries};
pub use crate::adapter::oauth_accounts::{
    DieselOAuthAccountStore, ProbeDieselOAuthAccounts, ProbeNoDieselOAuthAccounts,
    UserOAuthAccountQueries,
};
pub use crate::adapter::passkeys::{
    DieselPasskeyStore, ProbeDieselPasskeys, ProbeNoDieselPasskeys, UserPasskeyQueries,
};
pub use crate::adapter::role_sql::RoleNamesOfRow;
pub use crate::adapter::roles::{
    DieselRoleStore, ProbeDieselRoles, ProbeNoDieselRoles, UserRoleQueries,
};
pub use crate::adapter::session_query::{ProbeSessionWithRoles, ProbeSessionWithoutRoles};
pub use crate::adapter::session_statement::{NoRoles, SessionColumns, SessionStatement, WithRoles};
pub use crate::json::AsJson;
pub use crate::json::{FieldRules, FieldValue, Issue, Issues, JsonObject, Location};
pub use crate::model::{
    DeclaredModels, FullAuthMfa, FullAuthOAuthAccount, FullAuthPasskey, FullAuthPermission,
    FullAuthRefreshToken, FullAuthRole, FullAuthRolePermission, FullAuthUser, FullAuthUserRole,
    HasMfa, HasOAuthAccounts, HasPasskeys, HasPermissions, HasRoles, JsonField, MfaMixin,
    OAuthAccountMixin, PasskeyMixin, PermissionMixin, Probe, ProbeMfa, ProbeNoMfa,
    ProbeNoOAuthAccounts, ProbeNoPasskeys, ProbeNoRoles, ProbeOAuthAccounts, ProbePasskeys,
    ProbeRoles, RefreshTokenMixin, RoleMixin, RolePermissionMixin, UserId, UserMixin,
    UserRoleMixin,
};
pub use crate::schema::{Column, ColumnType, DefaultValue, TableSchema};
pub use crate::sql_types::Db;
pub use crate::store::{
    ExpectedHash, MfaStore, OAuthAccountStore, PasskeyStore, RoleStore, SessionUser, StoreFuture,
};

/// The id type a user mixin carries; also checks at compile time that the mixin field has a mixin type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a user mixin",
    label = "the `#[fullauth(mixin)]` field of a `FullAuthUser` must have type `UserMixin`",
    note = "declare it as `#[fullauth(mixin)] pub auth: fullauth::UserMixin`"
)]
pub trait UserMixinType {
    /// The id type.
    type Id: UserId;
}

impl<Id: UserId> UserMixinType for UserMixin<Id> {
    type Id = Id;
}

/// Compile-time check that `user = X` names a user model.
pub const fn assert_user_model<U: FullAuthUser>() {}

/// Compile-time check that `role = X` names a role model.
pub const fn assert_role_model<R: FullAuthRole>() {}

/// Compile-time check that `permission = X` names a permission model.
pub const fn assert_permission_model<P: FullAuthPermission>() {}

/// The id type a mixin pointing at the user (refresh token, user-role link, OAuth account, passkey, MFA) declares is the id type of its user.
#[diagnostic::on_unimplemented(
    message = "the mixin's user id type `{Self}` is not the user's id type `{UserIdType}`",
    label = "declare the mixin with the user's id type",
    note = "the user model has `UserMixin<{UserIdType}>`: write `RefreshTokenMixin<{UserIdType}>`, `UserRoleMixin<{UserIdType}>`, `OAuthAccountMixin<{UserIdType}>`, `PasskeyMixin<{UserIdType}>` or `MfaMixin<{UserIdType}>` to match"
)]
pub trait SameUserId<UserIdType> {}

impl<T> SameUserId<T> for T {}

/// Compile-time check that a mixin pointing at a user and the user model agree on the id type.
pub const fn assert_same_user_id<MixinId: SameUserId<UserIdType>, UserIdType>() {}

fn body_loc(name: &str) -> [Location; 2] {
    [
        Location::Key("body".to_owned()),
        Location::Key(name.to_owned()),
    ]
}

/// Reads a custom field of a register body: the JSON value if present (converted and checked), else the
/// default, else a `missing` issue.
pub fn create_field<T: FieldValue>(
    input: &JsonObject,
    name: &str,
    rules: FieldRules,
    default: Option<T>,
    issues: &mut Issues,
) -> Option<T> {
    let loc = body_loc(name);
    let Some(value) = input.get(name) else {
        if default.is_none() {
            issues.push(Issue::missing(
                loc.to_vec(),
                serde_json::Value::Object(input.clone()),
            ));
        }
        return default;
    };
    let parsed =
        T::from_json(value, &loc).and_then(|parsed| parsed.check(&rules, &loc).map(|()| parsed));
    parsed.map_err(|issue| issues.push(issue)).ok()
}

/// Reads a custom field of a `PATCH /me` body: `None` when absent, or when `null` for a field that cannot hold
/// it (reported later by [`check_patch_field`]); wrong types are issues at `["body", name]`.
pub fn patch_field<T: FieldValue>(
    input: &JsonObject,
    name: &str,
    issues: &mut Issues,
) -> Option<T> {
    let value = input.get(name)?;
    if value.is_null() && !T::NULLABLE {
        return None;
    }
    T::from_json(value, &body_loc(name))
        .map_err(|issue| issues.push(issue))
        .ok()
}

/// Checks a present `PATCH /me` field once merged: `null` where not allowed and declared constraints, as issues at
/// `[name]`.
pub fn check_patch_field<T: FieldValue>(
    input: &JsonObject,
    name: &str,
    rules: FieldRules,
    issues: &mut Issues,
) {
    let Some(value) = input.get(name) else { return };
    let loc = [Location::Key(name.to_owned())];
    if value.is_null() && !T::NULLABLE {
        if let Err(issue) = T::from_json(value, &loc) {
            issues.push(issue);
        }
        return;
    }
    if let Ok(parsed) = T::from_json(value, &loc)
        && let Err(issue) = parsed.check(&rules, &loc)
    {
        issues.push(issue);
    }
}

/// Expands `$callback!(ConnectionType, backend)` once per compiled backend, `backend` being one of `sqlite`,
/// `postgres` and `mysql`.
#[macro_export]
#[doc(hidden)]
macro_rules! __for_each_backend {
    ($callback:ident) => {
        $crate::__for_sqlite!($callback);
        $crate::__for_postgres!($callback);
        $crate::__for_mysql!($callback);
    };
}

#[cfg(feature = "sqlite")]
#[macro_export]
#[doc(hidden)]
macro_rules! __for_sqlite {
    ($callback:ident) => {
        $callback!($crate::__private::SqliteConnection, sqlite);
    };
}

#[cfg(not(feature = "sqlite"))]
#[macro_export]
#[doc(hidden)]
macro_rules! __for_sqlite {
    ($callback:ident) => {};
}

#[cfg(feature = "postgres")]
#[macro_export]
#[doc(hidden)]
macro_rules! __for_postgres {
    ($callback:ident) => {
        $callback!($crate::__private::PgConnection, postgres);
    };
}

#[cfg(not(feature = "postgres"))]
#[macro_export]
#[doc(hidden)]
macro_rules! __for_postgres {
    ($callback:ident) => {};
}

#[cfg(feature = "mysql")]
#[macro_export]
#[doc(hidden)]
macro_rules! __for_mysql {
    ($callback:ident) => {
        $callback!($crate::__private::MysqlConnection, mysql);
    };
}

#[cfg(not(feature = "mysql"))]
#[macro_export]
#[doc(hidden)]
macro_rules! __for_mysql {
    ($callback:ident) => {};
}

pub use crate::__for_each_backend as for_each_backend;
pub use crate::__read_optional_row as read_optional_row;
