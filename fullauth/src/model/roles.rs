//! Role and permission models: two named models (roles, permissions) and two link tables between them and the
//! users. Declaring all four is what turns roles on; see [`HasRoles`].

use std::fmt;

use time::OffsetDateTime;

use super::id::UserId;
use super::user::FullAuthUser;
use crate::schema::{Column, ColumnType, TableSchema};

/// Longest role or permission name, in characters.
pub const MAX_NAME_LENGTH: usize = 100;

/// Checks a role or permission name: 1 to [`MAX_NAME_LENGTH`] characters, no surrounding spaces, no control or
/// invisible characters (so that `admin` has no look-alike). Names are compared exactly (case-sensitively)
/// everywhere.
pub fn check_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        Err("must not be empty")
    } else if name.chars().count() > MAX_NAME_LENGTH {
        Err("must be at most 100 characters long")
    } else if name.trim() != name {
        Err("must not start or end with whitespace")
    } else if name.chars().any(|c| c.is_control() || is_invisible(c)) {
        Err("must not contain control or invisible characters")
    } else {
        Ok(())
    }
}

/// Characters that print as nothing: zero-width spaces and joiners, direction marks and overrides, the soft hyphen,
/// the byte-order mark.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
    )
}

fn named_columns() -> Vec<Column> {
    vec![
        Column::new("id", ColumnType::Uuid),
        Column::new(
            "name",
            ColumnType::Text {
                max_length: Some(MAX_NAME_LENGTH as u32),
            },
        ),
        Column::new("created_at", ColumnType::Timestamp),
    ]
}

/// The columns fullauth keeps for every role. Embed it in your role struct as `#[fullauth(mixin)]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleMixin {
    /// Primary key.
    pub id: uuid::Uuid,
    /// The role's unique name, e.g. `admin`.
    pub name: String,
    /// When the role was created (by its first assignment to a user or of a permission).
    pub created_at: OffsetDateTime,
}

/// The columns fullauth keeps for every permission. Embed it in your permission struct as `#[fullauth(mixin)]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionMixin {
    /// Primary key.
    pub id: uuid::Uuid,
    /// The permission's unique name, e.g. `posts:edit`.
    pub name: String,
    /// When the permission was created (by its first assignment to a role).
    pub created_at: OffsetDateTime,
}

impl RoleMixin {
    /// The mixin's columns, in table order.
    #[doc(hidden)]
    pub fn columns() -> Vec<Column> {
        named_columns()
    }
}

impl PermissionMixin {
    /// The mixin's columns, in table order.
    #[doc(hidden)]
    pub fn columns() -> Vec<Column> {
        named_columns()
    }
}

/// The columns of the link between a user and a role. Embed it as `#[fullauth(mixin)]`; the id type is the
/// user's, `UserRoleMixin<i64>` for a `UserMixin<i64>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRoleMixin<Id = uuid::Uuid> {
    /// The user.
    pub user_id: Id,
    /// The role.
    pub role_id: uuid::Uuid,
    /// When the role was assigned.
    pub created_at: OffsetDateTime,
}

impl<Id: UserId> UserRoleMixin<Id> {
    /// The mixin's columns, in table order.
    #[doc(hidden)]
    pub fn columns() -> Vec<Column> {
        vec![
            Column::new("user_id", Id::COLUMN_TYPE),
            Column::new("role_id", ColumnType::Uuid),
            Column::new("created_at", ColumnType::Timestamp),
        ]
    }

    /// Keys the table on (user, role), indexes the role side and deletes links with their user or role.
    #[doc(hidden)]
    pub fn constraints(
        table: TableSchema,
        users_table: &'static str,
        roles_table: &'static str,
    ) -> TableSchema {
        table
            .index(&["role_id"], false)
            .foreign_key_cascade("user_id", users_table, "id")
            .foreign_key_cascade("role_id", roles_table, "id")
    }
}

/// The columns of the link between a role and a permission. Embed it as `#[fullauth(mixin)]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolePermissionMixin {
    /// The role.
    pub role_id: uuid::Uuid,
    /// The permission.
    pub permission_id: uuid::Uuid,
    /// When the permission was given to the role.
    pub created_at: OffsetDateTime,
}

impl RolePermissionMixin {
    /// The mixin's columns, in table order.
    #[doc(hidden)]
    pub fn columns() -> Vec<Column> {
        vec![
            Column::new("role_id", ColumnType::Uuid),
            Column::new("permission_id", ColumnType::Uuid),
            Column::new("created_at", ColumnType::Timestamp),
        ]
    }

    /// Keys the table on (role, permission), indexes the permission side and deletes links with either end.
    #[doc(hidden)]
    pub fn constraints(
        table: TableSchema,
        roles_table: &'static str,
        permissions_table: &'static str,
    ) -> TableSchema {
        table
            .index(&["permission_id"], false)
            .foreign_key_cascade("role_id", roles_table, "id")
            .foreign_key_cascade("permission_id", permissions_table, "id")
    }
}

/// A role model: implemented by `#[derive(FullAuthRole)]`, never by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a fullauth role model",
    label = "expected a struct with `#[derive(FullAuthRole)]`",
    note = "add `#[derive(FullAuthRole)]` and a `#[fullauth(mixin)] role: RoleMixin` field to `{Self}`"
)]
pub trait FullAuthRole: fmt::Debug + Send + Sync + Sized + 'static {
    /// The table name.
    const TABLE_NAME: &'static str;
    /// The embedded mixin.
    fn role(&self) -> &RoleMixin;
    /// The table, as migrations create it.
    fn table_schema() -> TableSchema;
}

/// A permission model: implemented by `#[derive(FullAuthPermission)]`, never by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a fullauth permission model",
    label = "expected a struct with `#[derive(FullAuthPermission)]`",
    note = "add `#[derive(FullAuthPermission)]` and a `#[fullauth(mixin)] permission: PermissionMixin` field to `{Self}`"
)]
pub trait FullAuthPermission: fmt::Debug + Send + Sync + Sized + 'static {
    /// The table name.
    const TABLE_NAME: &'static str;
    /// The embedded mixin.
    fn permission(&self) -> &PermissionMixin;
    /// The table, as migrations create it.
    fn table_schema() -> TableSchema;
}

/// The link between users and roles: implemented by `#[derive(FullAuthUserRole)]`, never by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a fullauth user-role link model",
    label = "expected a struct with `#[derive(FullAuthUserRole)]`"
)]
pub trait FullAuthUserRole: fmt::Debug + Send + Sync + Sized + 'static {
    /// The user model.
    type User: FullAuthUser;
    /// The role model.
    type Role: FullAuthRole;
    /// The table name.
    const TABLE_NAME: &'static str;
    /// The embedded mixin.
    fn link(&self) -> &UserRoleMixin<<Self::User as FullAuthUser>::Id>;
    /// The table, as migrations create it.
    fn table_schema() -> TableSchema;
}

/// The link between roles and permissions: implemented by `#[derive(FullAuthRolePermission)]`, never by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a fullauth role-permission link model",
    label = "expected a struct with `#[derive(FullAuthRolePermission)]`"
)]
pub trait FullAuthRolePermission: fmt::Debug + Send + Sync + Sized + 'static {
    /// The role model.
    type Role: FullAuthRole;
    /// The permission model.
    type Permission: FullAuthPermission;
    /// The table name.
    const TABLE_NAME: &'static str;
    /// The embedded mixin.
    fn link(&self) -> &RolePermissionMixin;
    /// The table, as migrations create it.
    fn table_schema() -> TableSchema;
}

/// A user model with roles: implemented for the user by `#[derive(FullAuthUserRole)]`.
///
/// Role guards ([`crate::RequireRole`], [`crate::FullAuth::require_role`]) need it, so they do not compile for a
/// user without role models.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no role models",
    label = "roles are not declared for `{Self}`",
    note = "declare the four role models: `#[derive(FullAuthRole)] struct Role`, `#[derive(FullAuthPermission)] struct Permission`, \
            `#[derive(FullAuthUserRole)] #[fullauth(user = {Self}, role = Role)] struct UserRole` and \
            `#[derive(FullAuthRolePermission)] #[fullauth(role = Role, permission = Permission)] struct RolePermission`"
)]
pub trait HasRoles: FullAuthUser {
    /// The role model.
    type Role: FullAuthRole + HasPermissions;
    /// The link between this user model and its roles.
    type UserRole: FullAuthUserRole<User = Self, Role = Self::Role>;
}

/// A role model with permissions: implemented for the role by `#[derive(FullAuthRolePermission)]`.
#[diagnostic::on_unimplemented(
    message = "the role model `{Self}` has no permission model",
    label = "no `FullAuthRolePermission` names `{Self}` as its role",
    note = "declare `#[derive(FullAuthPermission)] struct Permission` and \
            `#[derive(FullAuthRolePermission)] #[fullauth(role = {Self}, permission = Permission)] struct RolePermission`"
)]
pub trait HasPermissions: FullAuthRole {
    /// The permission model.
    type Permission: FullAuthPermission;
    /// The link between this role model and its permissions.
    type RolePermission: FullAuthRolePermission<Role = Self, Permission = Self::Permission>;
}

/// The tables of a user's role models, in creation order: roles, permissions, user roles, role permissions.
pub fn role_tables<U: HasRoles>() -> [TableSchema; 4] {
    [
        <U::Role as FullAuthRole>::table_schema(),
        <<U::Role as HasPermissions>::Permission as FullAuthPermission>::table_schema(),
        <U::UserRole as FullAuthUserRole>::table_schema(),
        <<U::Role as HasPermissions>::RolePermission as FullAuthRolePermission>::table_schema(),
    ]
}

#[cfg(test)]
mod tests {
    use super::check_name;

    #[test]
    fn names_are_checked() {
        for good in [
            "admin",
            "posts:edit",
            "Content Editor",
            "é",
            &"x".repeat(100),
        ] {
            assert_eq!(check_name(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            " admin",
            "admin ",
            "ad\nmin",
            "a\u{0}",
            &"x".repeat(101),
        ] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }
}
