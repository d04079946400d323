//! Roles and permissions: [`RoleStore`] and the values of its operations.

use time::OffsetDateTime;

use super::future::StoreFuture;
use crate::model::FullAuthUser;

/// Persistence of roles, permissions and who holds them, for a user model that declares its role models.
///
/// Names are stored exactly as given (case and all); fullauth's operations refuse names that can never be
/// stored (empty, too long, surrounded by whitespace, with control or invisible characters) before they get here.
pub trait RoleStore<U: FullAuthUser>: Send + Sync + 'static {
    /// Gives a role to a user, creating the role when it does not exist yet; nothing changes when the user
    /// already has it. One transaction with the user's row locked. Returns `false` (and changes nothing) when the
    /// user does not exist.
    fn assign_role<'a>(
        &'a self,
        user_id: &'a U::Id,
        role: &'a str,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, bool>;

    /// Takes a role from a user (nothing changes when they do not have it). Returns `false` when the user does
    /// not exist.
    fn remove_role<'a>(&'a self, user_id: &'a U::Id, role: &'a str) -> StoreFuture<'a, bool>;

    /// Gives a permission to a role, creating either when missing; nothing changes when the role has it already.
    fn assign_permission<'a>(
        &'a self,
        role: &'a str,
        permission: &'a str,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, ()>;

    /// Takes a permission from a role (nothing changes when it does not have it).
    fn remove_permission<'a>(&'a self, role: &'a str, permission: &'a str) -> StoreFuture<'a, ()>;

    /// The permission names of a role, sorted; empty for an unknown role.
    fn role_permissions<'a>(&'a self, role: &'a str) -> StoreFuture<'a, Vec<String>>;

    /// Every role with its permissions, sorted by name.
    fn list_roles(&self) -> StoreFuture<'_, Vec<RoleSummary>>;

    /// The role names of a user, sorted.
    fn user_roles<'a>(&'a self, user_id: &'a U::Id) -> StoreFuture<'a, Vec<String>>;

    /// The role names of several users, as `(user, role)` pairs in no particular order, in one query.
    fn roles_of_users<'a>(&'a self, user_ids: &'a [U::Id]) -> StoreFuture<'a, RolesOfUsers<U::Id>>;

    /// The permission names a user holds through their roles, sorted and without repeats.
    fn user_permissions<'a>(&'a self, user_id: &'a U::Id) -> StoreFuture<'a, Vec<String>>;
}

/// A role and its permissions, as `GET /admin/roles` lists them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleSummary {
    /// The role's name.
    pub name: String,
    /// The names of its permissions, sorted.
    pub permissions: Vec<String>,
}

/// The roles of several users, as `(user id, role name)` pairs.
pub type RolesOfUsers<Id> = Vec<(Id, String)>;
