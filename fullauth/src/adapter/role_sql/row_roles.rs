//! The role names of the user on the current row, as one more column of a query on the user table.

use std::marker::PhantomData;

use diesel::QueryResult;
use diesel::expression::{
    AppearsOnTable, Expression, SelectableExpression, ValidGrouping, is_aggregate,
};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::result::Error as DieselError;
use diesel::sql_types::{Nullable, Text};

use super::dialect::RoleSql;
use crate::model::{FullAuthRole, FullAuthUser, FullAuthUserRole};

/// `(SELECT CAST(<json array aggregate>((SELECT <roles>.name FROM <roles> WHERE <roles>.id = <user_roles>.role_id))
/// AS TEXT) FROM <user_roles> WHERE <user_roles>.user_id = <users>.id)`: a JSON array of the role names of the user
/// whose row is being read, or `NULL` (on some backends) when they have none. Selected beside the user's columns,
/// it reads a user and their roles in one statement.
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
        let roles = <L::Role as FullAuthRole>::TABLE_NAME;
        let links = L::TABLE_NAME;
        out.push_sql("(SELECT CAST(");
        out.push_sql(DB::JSON_ARRAY_AGG);
        out.push_sql("((SELECT ");
        qualified(&mut out, roles, "name")?;
        out.push_sql(" FROM ");
        out.push_identifier(roles)?;
        out.push_sql(" WHERE ");
        qualified(&mut out, roles, "id")?;
        out.push_sql(" = ");
        qualified(&mut out, links, "role_id")?;
        out.push_sql(")) AS ");
        out.push_sql(DB::TEXT_TYPE);
        out.push_sql(") FROM ");
        out.push_identifier(links)?;
        out.push_sql(" WHERE ");
        qualified(&mut out, links, "user_id")?;
        out.push_sql(" = ");
        qualified(&mut out, <L::User as FullAuthUser>::TABLE_NAME, "id")?;
        out.push_sql(")");
        Ok(())
    }
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
