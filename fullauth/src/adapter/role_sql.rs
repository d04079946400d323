//! The statements of the role models, written by hand because they span tables whose Diesel modules the derives
//! cannot name from one another (each only knows the other models' types and table names).
//!
//! Each statement's SQL depends only on its type parameters (the models, whose table names are constants), so its
//! query id is its type: Diesel prepares it once per connection and caches it, as for its own DSL.

use std::marker::PhantomData;

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Nullable, Text};
use time::OffsetDateTime;

use crate::model::{
    FullAuthPermission, FullAuthRole, FullAuthRolePermission, FullAuthUser, FullAuthUserRole,
};
use crate::sql_types::id_param::IdParam;

/// What the role statements need of a backend: typed binds and the spelling of "insert unless present".
pub trait RoleSql: Backend + Sized {
    /// Whether duplicates are ignored with MySQL's `ON DUPLICATE KEY UPDATE` rather than `ON CONFLICT DO NOTHING`.
    const MYSQL_UPSERT: bool;
    /// The type a value is cast to for reading it as text: `CHAR` on MySQL, `TEXT` elsewhere.
    const TEXT_TYPE: &'static str;
    /// Binds a UUID.
    fn push_uuid<'b>(out: &mut AstPass<'_, 'b, Self>, value: &'b uuid::Uuid) -> QueryResult<()>;
    /// Binds text.
    fn push_text<'b>(out: &mut AstPass<'_, 'b, Self>, value: &'b str) -> QueryResult<()>;
    /// Binds a timestamp.
    fn push_time<'b>(out: &mut AstPass<'_, 'b, Self>, value: &'b OffsetDateTime)
    -> QueryResult<()>;
}

macro_rules! role_sql {
    ($feature:literal, $backend:ty, $mysql:literal) => {
        #[cfg(feature = $feature)]
        impl RoleSql for $backend {
            const MYSQL_UPSERT: bool = $mysql;
            const TEXT_TYPE: &'static str = if $mysql { "CHAR" } else { "TEXT" };
            fn push_uuid<'b>(
                out: &mut AstPass<'_, 'b, Self>,
                value: &'b uuid::Uuid,
            ) -> QueryResult<()> {
                out.push_bind_param::<crate::sql_types::Uuid, _>(value)
            }
            fn push_text<'b>(out: &mut AstPass<'_, 'b, Self>, value: &'b str) -> QueryResult<()> {
                out.push_bind_param::<Text, _>(value)
            }
            fn push_time<'b>(
                out: &mut AstPass<'_, 'b, Self>,
                value: &'b OffsetDateTime,
            ) -> QueryResult<()> {
                out.push_bind_param::<crate::sql_types::UtcTimestamp, _>(value)
            }
        }
    };
}

role_sql!("sqlite", diesel::sqlite::Sqlite, false);
role_sql!("postgres", diesel::pg::Pg, false);
role_sql!("mysql", diesel::mysql::Mysql, true);

type UserIdOf<L> = <<L as FullAuthUserRole>::User as FullAuthUser>::Id;

/// The pieces every statement shares: a static query id (its own type) and the row type of its result.
macro_rules! statement {
    ($name:ident < $($param:ident : $bound:path),* >, $sql_type:ty) => {
        impl<$($param: $bound),*> QueryId for $name<$($param),*> {
            type QueryId = Self;
            const HAS_STATIC_QUERY_ID: bool = true;
        }

        impl<$($param: $bound),*> Query for $name<$($param),*> {
            type SqlType = $sql_type;
        }
    };
    ($name:ident < $($param:ident : $bound:path),* >) => {
        impl<$($param: $bound),*> QueryId for $name<$($param),*> {
            type QueryId = Self;
            const HAS_STATIC_QUERY_ID: bool = true;
        }
    };
}

/// Writes `INSERT INTO <table> (<a>, <b>, created_at) VALUES (...)` that does nothing when the key exists.
fn insert_unless_present<'b, DB: RoleSql>(
    out: &mut AstPass<'_, 'b, DB>,
    table: &str,
    columns: [&str; 2],
    binds: impl FnOnce(&mut AstPass<'_, 'b, DB>) -> QueryResult<()>,
) -> QueryResult<()> {
    out.push_sql("INSERT INTO ");
    out.push_identifier(table)?;
    out.push_sql(" (");
    out.push_identifier(columns[0])?;
    out.push_sql(", ");
    out.push_identifier(columns[1])?;
    out.push_sql(", ");
    out.push_identifier("created_at")?;
    out.push_sql(") VALUES (");
    binds(out)?;
    out.push_sql(")");
    if DB::MYSQL_UPSERT {
        // Unlike INSERT IGNORE, this turns only duplicate keys into no-ops, never other errors.
        out.push_sql(" ON DUPLICATE KEY UPDATE ");
        out.push_identifier(columns[1])?;
        out.push_sql(" = ");
        out.push_identifier(columns[1])?;
    } else {
        out.push_sql(" ON CONFLICT DO NOTHING");
    }
    Ok(())
}

/// `SELECT id FROM <table> WHERE name = ?`, written into a larger statement.
fn ids_named<'b, DB: RoleSql>(
    out: &mut AstPass<'_, 'b, DB>,
    table: &str,
    name: &'b str,
) -> QueryResult<()> {
    out.push_sql("SELECT ");
    out.push_identifier("id")?;
    out.push_sql(" FROM ");
    out.push_identifier(table)?;
    out.push_sql(" WHERE ");
    out.push_identifier("name")?;
    out.push_sql(" = ");
    DB::push_text(out, name)
}

/// `SELECT name FROM <table> WHERE id IN (`, closed by the caller.
fn names_where_id_in<DB: RoleSql>(out: &mut AstPass<'_, '_, DB>, table: &str) -> QueryResult<()> {
    out.push_sql("SELECT ");
    out.push_identifier("name")?;
    out.push_sql(" FROM ");
    out.push_identifier(table)?;
    out.push_sql(" WHERE ");
    out.push_identifier("id")?;
    out.push_sql(" IN (");
    Ok(())
}

/// `SELECT <column> FROM <table> WHERE <filter> IN (`, closed by the caller.
fn column_where_in<DB: RoleSql>(
    out: &mut AstPass<'_, '_, DB>,
    column: &str,
    table: &str,
    filter: &str,
) -> QueryResult<()> {
    out.push_sql("SELECT ");
    out.push_identifier(column)?;
    out.push_sql(" FROM ");
    out.push_identifier(table)?;
    out.push_sql(" WHERE ");
    out.push_identifier(filter)?;
    out.push_sql(" IN (");
    Ok(())
}

/// `SELECT role_id FROM <user_roles> WHERE user_id = ?`.
fn role_ids_of_user<'b, L, DB>(
    out: &mut AstPass<'_, 'b, DB>,
    user: &'b UserIdOf<L>,
) -> QueryResult<()>
where
    L: FullAuthUserRole,
    DB: RoleSql,
    UserIdOf<L>: IdParam<DB>,
{
    out.push_sql("SELECT ");
    out.push_identifier("role_id")?;
    out.push_sql(" FROM ");
    out.push_identifier(L::TABLE_NAME)?;
    out.push_sql(" WHERE ");
    out.push_identifier("user_id")?;
    out.push_sql(" = ");
    user.push_param(out)
}

/// `INSERT INTO <roles or permissions> (id, name, created_at)`, doing nothing for a name that exists.
#[derive(Debug)]
pub struct InsertNamed<T> {
    pub id: uuid::Uuid,
    pub name: String,
    pub created_at: OffsetDateTime,
    pub table: PhantomData<fn() -> T>,
}

/// A table of named rows: roles or permissions.
pub trait NamedTable: 'static {
    /// The table name.
    const TABLE_NAME: &'static str;
}

/// The roles table of a role model.
#[derive(Debug)]
pub struct Roles<R>(PhantomData<fn() -> R>);
/// The permissions table of a permission model.
#[derive(Debug)]
pub struct Permissions<P>(PhantomData<fn() -> P>);

impl<R: FullAuthRole> NamedTable for Roles<R> {
    const TABLE_NAME: &'static str = R::TABLE_NAME;
}

impl<P: FullAuthPermission> NamedTable for Permissions<P> {
    const TABLE_NAME: &'static str = P::TABLE_NAME;
}

statement!(InsertNamed<T: NamedTable>);

impl<T: NamedTable, DB: RoleSql> QueryFragment<DB> for InsertNamed<T> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        insert_unless_present(&mut out, T::TABLE_NAME, ["id", "name"], |out| {
            DB::push_uuid(out, &self.id)?;
            out.push_sql(", ");
            DB::push_text(out, &self.name)?;
            out.push_sql(", ");
            DB::push_time(out, &self.created_at)
        })
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
        insert_unless_present(&mut out, L::TABLE_NAME, ["user_id", "role_id"], |out| {
            self.user_id.push_param(out)?;
            out.push_sql(", ");
            DB::push_uuid(out, &self.role_id)?;
            out.push_sql(", ");
            DB::push_time(out, &self.created_at)
        })
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
