//! The statements that read role and permission names.

use std::marker::PhantomData;

use diesel::QueryResult;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Nullable, Text};

use super::dialect::RoleSql;
use super::fragments::{UserIdOf, column_where_in, ids_named, names_where_id_in, role_ids_of_user};
use crate::model::{FullAuthPermission, FullAuthRole, FullAuthRolePermission, FullAuthUserRole};
use crate::sql_types::id_param::IdParam;

/// `SELECT name FROM <roles> WHERE id IN (<the user's role ids>)`: the role names of one user.
#[derive(Debug)]
pub struct RoleNamesOfUser<L: FullAuthUserRole> {
    pub user_id: UserIdOf<L>,
}

statement!(RoleNamesOfUser<L: FullAuthUserRole>, Text);

impl<L, DB> QueryFragment<DB> for RoleNamesOfUser<L>
where
    L: FullAuthUserRole,
    DB: RoleSql,
    UserIdOf<L>: IdParam<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        names_where_id_in(&mut out, <L::Role as FullAuthRole>::TABLE_NAME)?;
        role_ids_of_user::<L, DB>(&mut out, &self.user_id)?;
        out.push_sql(")");
        Ok(())
    }
}

/// The permission names one user holds through their roles.
#[derive(Debug)]
pub struct PermissionNamesOfUser<L: FullAuthUserRole, RP> {
    pub user_id: UserIdOf<L>,
    pub links: PhantomData<fn() -> RP>,
}

statement!(PermissionNamesOfUser<L: FullAuthUserRole, RP: FullAuthRolePermission>, Text);

impl<L, RP, DB> QueryFragment<DB> for PermissionNamesOfUser<L, RP>
where
    L: FullAuthUserRole,
    RP: FullAuthRolePermission,
    DB: RoleSql,
    UserIdOf<L>: IdParam<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        names_where_id_in(&mut out, <RP::Permission as FullAuthPermission>::TABLE_NAME)?;
        column_where_in(&mut out, "permission_id", RP::TABLE_NAME, "role_id")?;
        role_ids_of_user::<L, DB>(&mut out, &self.user_id)?;
        out.push_sql("))");
        Ok(())
    }
}

/// The permission names of one role, by its name.
#[derive(Debug)]
pub struct PermissionNamesOfRole<RP> {
    pub role: String,
    pub links: PhantomData<fn() -> RP>,
}

statement!(PermissionNamesOfRole<RP: FullAuthRolePermission>, Text);

impl<RP: FullAuthRolePermission, DB: RoleSql> QueryFragment<DB> for PermissionNamesOfRole<RP> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        names_where_id_in(&mut out, <RP::Permission as FullAuthPermission>::TABLE_NAME)?;
        column_where_in(&mut out, "permission_id", RP::TABLE_NAME, "role_id")?;
        ids_named(&mut out, <RP::Role as FullAuthRole>::TABLE_NAME, &self.role)?;
        out.push_sql("))");
        Ok(())
    }
}

/// Every role with each of its permissions (one row per pair; `NULL` for a role without any).
#[derive(Debug)]
pub struct RolesWithPermissions<RP>(pub PhantomData<fn() -> RP>);

statement!(RolesWithPermissions<RP: FullAuthRolePermission>, (Text, Nullable<Text>));

impl<RP: FullAuthRolePermission, DB: RoleSql> QueryFragment<DB> for RolesWithPermissions<RP> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let roles = <RP::Role as FullAuthRole>::TABLE_NAME;
        let permissions = <RP::Permission as FullAuthPermission>::TABLE_NAME;
        out.push_sql("SELECT r.");
        out.push_identifier("name")?;
        out.push_sql(", p.");
        out.push_identifier("name")?;
        out.push_sql(" FROM ");
        out.push_identifier(roles)?;
        out.push_sql(" r LEFT JOIN ");
        out.push_identifier(RP::TABLE_NAME)?;
        out.push_sql(" l ON l.");
        out.push_identifier("role_id")?;
        out.push_sql(" = r.");
        out.push_identifier("id")?;
        out.push_sql(" LEFT JOIN ");
        out.push_identifier(permissions)?;
        out.push_sql(" p ON p.");
        out.push_identifier("id")?;
        out.push_sql(" = l.");
        out.push_identifier("permission_id")?;
        Ok(())
    }
}

/// The role names of several users: `(user id as text, role name)` rows. The list of ids varies in length, so the
/// statement is never cached.
#[derive(Debug)]
pub struct RoleNamesOfUsers<L: FullAuthUserRole> {
    pub user_ids: Vec<UserIdOf<L>>,
}

impl<L: FullAuthUserRole> QueryId for RoleNamesOfUsers<L> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<L: FullAuthUserRole> Query for RoleNamesOfUsers<L> {
    type SqlType = (Text, Text);
}

impl<L, DB> QueryFragment<DB> for RoleNamesOfUsers<L>
where
    L: FullAuthUserRole,
    DB: RoleSql,
    UserIdOf<L>: IdParam<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.unsafe_to_cache_prepared();
        out.push_sql("SELECT CAST(l.");
        out.push_identifier("user_id")?;
        out.push_sql(" AS ");
        out.push_sql(DB::TEXT_TYPE);
        out.push_sql("), r.");
        out.push_identifier("name")?;
        out.push_sql(" FROM ");
        out.push_identifier(L::TABLE_NAME)?;
        out.push_sql(" l INNER JOIN ");
        out.push_identifier(<L::Role as FullAuthRole>::TABLE_NAME)?;
        out.push_sql(" r ON r.");
        out.push_identifier("id")?;
        out.push_sql(" = l.");
        out.push_identifier("role_id")?;
        out.push_sql(" WHERE l.");
        out.push_identifier("user_id")?;
        out.push_sql(" IN (");
        for (index, id) in self.user_ids.iter().enumerate() {
            if index > 0 {
                out.push_sql(", ");
            }
            id.push_param(&mut out)?;
        }
        out.push_sql(")");
        Ok(())
    }
}
