//! The role names of the user on the current row, as one more column of a query on the user table.

use std::marker::PhantomData;

use diesel::QueryResult;
use diesel::query_builder::QueryBuilder;
use diesel::result::Error as DieselError;

use super::dialect::{JsonList, RoleSql};
use crate::model::{FullAuthRole, FullAuthUser, FullAuthUserRole};

/// The column of role names of link model `L`, read beside a user's columns (see [`write_role_names`]).
#[derive(Debug)]
pub struct RoleNamesOfRow<L> {
    links: PhantomData<fn() -> L>,
}

impl<L> RoleNamesOfRow<L> {
    /// The role names the column holds, sorted, without repeats.
    pub fn decode(column: Option<String>) -> QueryResult<Vec<String>> {
        let Some(json) = column else {
            return Ok(Vec::new());
        };
        let mut names: Vec<String> = serde_json::from_str(&json)
            .map_err(|error| DieselError::DeserializationError(Box::new(error)))?;
        names.sort_unstable();
        names.dedup();
        Ok(names)
    }
}

/// Writes a column holding a JSON array of the role names of the user whose row is being read, or `NULL` (on some
/// backends) when they have none: `(SELECT CAST(<json array aggregate>(<name>) AS TEXT) FROM <user_roles> WHERE
/// <user_roles>.user_id = <users>.id)`, or on PostgreSQL `CAST(array_to_json(ARRAY(SELECT <name> FROM ...)) AS
/// TEXT)` (see [`JsonList`]), where `<name>` is `(SELECT <roles>.name FROM <roles> WHERE <roles>.id =
/// <user_roles>.role_id)`. Selected beside the user's columns, it reads a user and their roles in one statement.
///
/// Each link row finds its role's name by primary key. The shapes that look simpler cost more on every request:
/// `id IN (SELECT role_id ...)` makes SQLite build a temporary table for the list, and a join lets PostgreSQL
/// pick a hash join that builds a hash table, both for a handful of rows.
pub fn write_role_names<L: FullAuthUserRole, DB: RoleSql>(
    out: &mut DB::QueryBuilder,
) -> QueryResult<()> {
    match DB::JSON_LIST {
        JsonList::Aggregate(aggregate) => {
            out.push_sql("(SELECT CAST(");
            out.push_sql(aggregate);
            out.push_sql("(");
            role_name_of_link::<L, DB>(out)?;
            out.push_sql(") AS ");
            out.push_sql(DB::TEXT_TYPE);
            out.push_sql(")");
            links_of_row::<L, DB>(out)?;
            out.push_sql(")");
        }
        JsonList::ArrayConstructor => {
            out.push_sql("CAST(array_to_json(ARRAY(SELECT ");
            role_name_of_link::<L, DB>(out)?;
            links_of_row::<L, DB>(out)?;
            out.push_sql(")) AS TEXT)");
        }
    }
    Ok(())
}

/// `(SELECT <roles>.name FROM <roles> WHERE <roles>.id = <user_roles>.role_id)`.
fn role_name_of_link<L: FullAuthUserRole, DB: RoleSql>(
    out: &mut DB::QueryBuilder,
) -> QueryResult<()> {
    let roles = <L::Role as FullAuthRole>::TABLE_NAME;
    out.push_sql("(SELECT ");
    qualified::<DB>(out, roles, "name")?;
    out.push_sql(" FROM ");
    out.push_identifier(roles)?;
    out.push_sql(" WHERE ");
    qualified::<DB>(out, roles, "id")?;
    out.push_sql(" = ");
    qualified::<DB>(out, L::TABLE_NAME, "role_id")?;
    out.push_sql(")");
    Ok(())
}

/// ` FROM <user_roles> WHERE <user_roles>.user_id = <users>.id`.
fn links_of_row<L: FullAuthUserRole, DB: RoleSql>(out: &mut DB::QueryBuilder) -> QueryResult<()> {
    out.push_sql(" FROM ");
    out.push_identifier(L::TABLE_NAME)?;
    out.push_sql(" WHERE ");
    qualified::<DB>(out, L::TABLE_NAME, "user_id")?;
    out.push_sql(" = ");
    qualified::<DB>(out, <L::User as FullAuthUser>::TABLE_NAME, "id")
}

/// `"table"."column"`.
fn qualified<DB: RoleSql>(
    out: &mut DB::QueryBuilder,
    table: &str,
    column: &str,
) -> QueryResult<()> {
    out.push_identifier(table)?;
    out.push_sql(".");
    out.push_identifier(column)
}
