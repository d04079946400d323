//! The role names of the user on the current row, as one more column of a query on the user table.

use std::marker::PhantomData;

use diesel::QueryResult;
use diesel::expression::{
    AppearsOnTable, Expression, SelectableExpression, ValidGrouping, is_aggregate,
};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::result::Error as DieselError;
use diesel::sql_types::{Nullable, Text};

use super::dialect::{JsonList, RoleSql};
use crate::model::{FullAuthRole, FullAuthUser, FullAuthUserRole};

/// A JSON array of the role names of the user whose row is being read, or `NULL` (on some backends) when they
/// have none: `(SELECT CAST(<json array aggregate>(<name>) AS TEXT) FROM <user_roles> WHERE <user_roles>.user_id =
/// <users>.id)`, or on PostgreSQL `CAST(array_to_json(ARRAY(SELECT <name> FROM ...)) AS TEXT)` (see
/// [`JsonList`]), where `<name>` is `(SELECT <roles>.name FROM <roles> WHERE <roles>.id = <user_roles>.role_id)`.
/// Selected beside the user's columns, it reads a user and their roles in one statement.
///
/// Each link row finds its role's name by primary key. The shapes that look simpler cost more on every request:
/// `id IN (SELECT role_id ...)` makes SQLite build a temporary table for the list, and a join lets PostgreSQL
/// pick a hash join that builds a hash table, both for a handful of rows.
#[derive(Debug)]
pub struct RoleNamesOfRow<L> {
    links: PhantomData<fn() -> L>,
}

impl<L> RoleNamesOfRow<L> {
    /// The column.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Self { links: PhantomData }
    }

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

impl<L> Expression for RoleNamesOfRow<L> {
    type SqlType = Nullable<Text>;
}

impl<L, QS> AppearsOnTable<QS> for RoleNamesOfRow<L> {}

impl<L, QS> SelectableExpression<QS> for RoleNamesOfRow<L> {}

impl<L, GB> ValidGrouping<GB> for RoleNamesOfRow<L> {
    type IsAggregate = is_aggregate::Never;
}

impl<L: 'static> QueryId for RoleNamesOfRow<L> {
    type QueryId = Self;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<L: FullAuthUserRole, DB: RoleSql> QueryFragment<DB> for RoleNamesOfRow<L> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        match DB::JSON_LIST {
            JsonList::Aggregate(aggregate) => {
                out.push_sql("(SELECT CAST(");
                out.push_sql(aggregate);
                out.push_sql("(");
                role_name_of_link::<L, DB>(&mut out)?;
                out.push_sql(") AS ");
                out.push_sql(DB::TEXT_TYPE);
                out.push_sql(")");
                links_of_row::<L, DB>(&mut out)?;
                out.push_sql(")");
            }
            JsonList::ArrayConstructor => {
                out.push_sql("CAST(array_to_json(ARRAY(SELECT ");
                role_name_of_link::<L, DB>(&mut out)?;
                links_of_row::<L, DB>(&mut out)?;
                out.push_sql(")) AS TEXT)");
            }
        }
        Ok(())
    }
}

/// `(SELECT <roles>.name FROM <roles> WHERE <roles>.id = <user_roles>.role_id)`.
fn role_name_of_link<L: FullAuthUserRole, DB: RoleSql>(
    out: &mut AstPass<'_, '_, DB>,
) -> QueryResult<()> {
    let roles = <L::Role as FullAuthRole>::TABLE_NAME;
    out.push_sql("(SELECT ");
    qualified(out, roles, "name")?;
    out.push_sql(" FROM ");
    out.push_identifier(roles)?;
    out.push_sql(" WHERE ");
    qualified(out, roles, "id")?;
    out.push_sql(" = ");
    qualified(out, L::TABLE_NAME, "role_id")?;
    out.push_sql(")");
    Ok(())
}

/// ` FROM <user_roles> WHERE <user_roles>.user_id = <users>.id`.
fn links_of_row<L: FullAuthUserRole, DB: RoleSql>(
    out: &mut AstPass<'_, '_, DB>,
) -> QueryResult<()> {
    out.push_sql(" FROM ");
    out.push_identifier(L::TABLE_NAME)?;
    out.push_sql(" WHERE ");
    qualified(out, L::TABLE_NAME, "user_id")?;
    out.push_sql(" = ");
    qualified(out, <L::User as FullAuthUser>::TABLE_NAME, "id")
}

/// `"table"."column"`.
fn qualified<DB: RoleSql>(
    out: &mut AstPass<'_, '_, DB>,
    table: &str,
    column: &str,
) -> QueryResult<()> {
    out.push_identifier(table)?;
    out.push_sql(".");
    out.push_identifier(column)
}
