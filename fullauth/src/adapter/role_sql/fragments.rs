//! The pieces the role statements share: their query ids, and SQL fragments several of them write.

use diesel::QueryResult;
use diesel::query_builder::AstPass;

use super::dialect::RoleSql;
use crate::model::{FullAuthUser, FullAuthUserRole};
use crate::schema::{DefaultValue, TableSchema};
use crate::sql_types::id_param::IdParam;

/// The application's own columns of a table that an insert fills with their declared defaults, rather than
/// leaving them to the database: a table fullauth took over may have the column without a database default.
pub type DeclaredDefaults = Vec<(String, DefaultValue)>;

/// The declared defaults of `schema`'s columns, but for those in `written` (which the statement writes itself).
pub(crate) fn declared_defaults(schema: &TableSchema, written: &[&str]) -> DeclaredDefaults {
    schema
        .columns
        .iter()
        .filter(|column| !column.generated && !written.contains(&column.name.as_ref()))
        .filter_map(|column| Some((column.name.to_string(), column.default.clone()?)))
        .collect()
}

fn push_default<'b, DB: RoleSql>(
    out: &mut AstPass<'_, 'b, DB>,
    value: &'b DefaultValue,
) -> QueryResult<()> {
    match value {
        DefaultValue::Text(text) => DB::push_text(out, text),
        DefaultValue::Integer(number) => DB::push_i64(out, number),
        DefaultValue::Bool(flag) => DB::push_bool(out, flag),
        // A literal of the declaration, not of a request: nothing to escape in a number.
        DefaultValue::Float(number) => {
            out.push_sql(&format!("{number:?}"));
            Ok(())
        }
    }
}

/// The id type of the user a link model points at.
pub(super) type UserIdOf<L> = <<L as FullAuthUserRole>::User as FullAuthUser>::Id;

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

/// Writes `INSERT INTO <table> (<a>, <b>, created_at, <defaults>) VALUES (...)` that does nothing when the key
/// exists.
pub(super) fn insert_unless_present<'b, DB: RoleSql>(
    out: &mut AstPass<'_, 'b, DB>,
    table: &str,
    columns: [&str; 2],
    defaults: &'b DeclaredDefaults,
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
    for (column, _) in defaults {
        out.push_sql(", ");
        out.push_identifier(column)?;
    }
    out.push_sql(") VALUES (");
    binds(out)?;
    for (_, value) in defaults {
        out.push_sql(", ");
        push_default(out, value)?;
    }
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
pub(super) fn ids_named<'b, DB: RoleSql>(
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
pub(super) fn names_where_id_in<DB: RoleSql>(
    out: &mut AstPass<'_, '_, DB>,
    table: &str,
) -> QueryResult<()> {
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
pub(super) fn column_where_in<DB: RoleSql>(
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
pub(super) fn role_ids_of_user<'b, L, DB>(
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
