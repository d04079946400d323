//! The statements that add and remove roles, permissions and links.

use std::marker::PhantomData;

use diesel::QueryResult;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use time::OffsetDateTime;

use super::dialect::RoleSql;
use super::fragments::{DeclaredDefaults, UserIdOf, ids_named, insert_unless_present};
use crate::model::{FullAuthPermission, FullAuthRole, FullAuthRolePermission, FullAuthUserRole};
use crate::schema::TableSchema;
use crate::sql_types::id_param::IdParam;

/// `INSERT INTO <roles or permissions> (id, name, created_at)`, doing nothing for a name that exists.
#[derive(Debug)]
pub struct InsertNamed<T> {
    pub id: uuid::Uuid,
    pub name: String,
    pub created_at: OffsetDateTime,
    /// The application's own columns, with their declared defaults.
    pub defaults: DeclaredDefaults,
    pub table: PhantomData<fn() -> T>,
}

/// The link tables are written with their own columns only.
static NO_DEFAULTS: DeclaredDefaults = Vec::new();

/// A table of named rows: roles or permissions.
pub trait NamedTable: 'static {
    /// The table name.
    const TABLE_NAME: &'static str;
    /// The table as the model declares it.
    fn table_schema() -> TableSchema;
}

/// The roles table of a role model.
#[derive(Debug)]
pub struct Roles<R>(PhantomData<fn() -> R>);
/// The permissions table of a permission model.
#[derive(Debug)]
pub struct Permissions<P>(PhantomData<fn() -> P>);

impl<R: FullAuthRole> NamedTable for Roles<R> {
    const TABLE_NAME: &'static str = R::TABLE_NAME;
    fn table_schema() -> TableSchema {
        R::table_schema()
    }
}

impl<P: FullAuthPermission> NamedTable for Permissions<P> {
    const TABLE_NAME: &'static str = P::TABLE_NAME;
    fn table_schema() -> TableSchema {
        P::table_schema()
    }
}

statement!(InsertNamed<T: NamedTable>);

impl<T: NamedTable, DB: RoleSql> QueryFragment<DB> for InsertNamed<T> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        insert_unless_present(
            &mut out,
            T::TABLE_NAME,
            ["id", "name"],
            &self.defaults,
            |out| {
                DB::push_uuid(out, &self.id)?;
                out.push_sql(", ");
                DB::push_text(out, &self.name)?;
                out.push_sql(", ");
                DB::push_time(out, &self.created_at)
            },
        )
    }
}

/// `SELECT id FROM <roles or permissions> WHERE name = ?`.
#[derive(Debug)]
pub struct IdByName<T> {
    pub name: String,
    pub table: PhantomData<fn() -> T>,
}

statement!(IdByName<T: NamedTable>, crate::sql_types::Uuid);

impl<T: NamedTable, DB: RoleSql> QueryFragment<DB> for IdByName<T> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        ids_named(&mut out, T::TABLE_NAME, &self.name)
    }
}

/// `INSERT INTO <user_roles> (user_id, role_id, created_at)`, doing nothing when the link exists.
#[derive(Debug)]
pub struct InsertUserRole<L: FullAuthUserRole> {
    pub user_id: UserIdOf<L>,
    pub role_id: uuid::Uuid,
    pub created_at: OffsetDateTime,
}

statement!(InsertUserRole<L: FullAuthUserRole>);

impl<L, DB> QueryFragment<DB> for InsertUserRole<L>
where
    L: FullAuthUserRole,
    DB: RoleSql,
    UserIdOf<L>: IdParam<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        insert_unless_present(
            &mut out,
            L::TABLE_NAME,
            ["user_id", "role_id"],
            &NO_DEFAULTS,
            |out| {
                self.user_id.push_param(out)?;
                out.push_sql(", ");
                DB::push_uuid(out, &self.role_id)?;
                out.push_sql(", ");
                DB::push_time(out, &self.created_at)
            },
        )
    }
}

/// `DELETE FROM <user_roles> WHERE user_id = ? AND role_id IN (SELECT id FROM <roles> WHERE name = ?)`.
#[derive(Debug)]
pub struct DeleteUserRole<L: FullAuthUserRole> {
    pub user_id: UserIdOf<L>,
    pub role: String,
}

statement!(DeleteUserRole<L: FullAuthUserRole>);

impl<L, DB> QueryFragment<DB> for DeleteUserRole<L>
where
    L: FullAuthUserRole,
    DB: RoleSql,
    UserIdOf<L>: IdParam<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("DELETE FROM ");
        out.push_identifier(L::TABLE_NAME)?;
        out.push_sql(" WHERE ");
        out.push_identifier("user_id")?;
        out.push_sql(" = ");
        self.user_id.push_param(&mut out)?;
        out.push_sql(" AND ");
        out.push_identifier("role_id")?;
        out.push_sql(" IN (");
        ids_named(&mut out, <L::Role as FullAuthRole>::TABLE_NAME, &self.role)?;
        out.push_sql(")");
        Ok(())
    }
}

/// `INSERT INTO <role_permissions> (role_id, permission_id, created_at)`, doing nothing when the link exists.
#[derive(Debug)]
pub struct InsertRolePermission<RP> {
    pub role_id: uuid::Uuid,
    pub permission_id: uuid::Uuid,
    pub created_at: OffsetDateTime,
    pub links: PhantomData<fn() -> RP>,
}

statement!(InsertRolePermission<RP: FullAuthRolePermission>);

impl<RP: FullAuthRolePermission, DB: RoleSql> QueryFragment<DB> for InsertRolePermission<RP> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        insert_unless_present(
            &mut out,
            RP::TABLE_NAME,
            ["role_id", "permission_id"],
            &NO_DEFAULTS,
            |out| {
                DB::push_uuid(out, &self.role_id)?;
                out.push_sql(", ");
                DB::push_uuid(out, &self.permission_id)?;
                out.push_sql(", ");
                DB::push_time(out, &self.created_at)
            },
        )
    }
}

/// Removes one permission from one role, both by name.
#[derive(Debug)]
pub struct DeleteRolePermission<RP> {
    pub role: String,
    pub permission: String,
    pub links: PhantomData<fn() -> RP>,
}

statement!(DeleteRolePermission<RP: FullAuthRolePermission>);

impl<RP: FullAuthRolePermission, DB: RoleSql> QueryFragment<DB> for DeleteRolePermission<RP> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("DELETE FROM ");
        out.push_identifier(RP::TABLE_NAME)?;
        out.push_sql(" WHERE ");
        out.push_identifier("role_id")?;
        out.push_sql(" IN (");
        ids_named(&mut out, <RP::Role as FullAuthRole>::TABLE_NAME, &self.role)?;
        out.push_sql(") AND ");
        out.push_identifier("permission_id")?;
        out.push_sql(" IN (");
        ids_named(
            &mut out,
            <RP::Permission as FullAuthPermission>::TABLE_NAME,
            &self.permission,
        )?;
        out.push_sql(")");
        Ok(())
    }
}
