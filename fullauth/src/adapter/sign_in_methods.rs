//! The ways a user has to sign in besides a password: their rows in the OAuth-account and passkey tables, counted
//! before removing one so that nobody removes their last.

use std::borrow::Cow;

use diesel::QueryResult;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::BigInt;

use super::role_sql::dialect::RoleSql;
use crate::model::FullAuthUser;
use crate::sql_types::id_param::IdParam;

/// The tables, besides the user's password, that hold ways for a user of `U` to sign in: the OAuth-account and
/// passkey tables, those that are declared.
pub(super) fn sign_in_tables<U: FullAuthUser>() -> Vec<Cow<'static, str>> {
    let declared = U::declared_models();
    [declared.oauth_accounts, declared.passkeys]
        .into_iter()
        .flatten()
        .map(|table| table().name)
        .collect()
}

/// How many ways the user `$user_id` of the user model `$user` has to sign in, counted on `$conn` inside the
/// transaction that is about to remove one: a password, and their rows in `$tables` ([`sign_in_tables`]). Ends
/// the transaction's body with the query's error if one fails. A macro, so that each backend's connection gets
/// its own expansion.
macro_rules! count_sign_in_methods {
    ($user:ty, $conn:ident, $user_id:expr, $tables:expr) => {{
        use diesel_async::RunQueryDsl as _;
        let mut methods = i64::from(
            <$user>::find_by_id($conn, $user_id)
                .await?
                .is_some_and(|user| user.auth().hashed_password.is_some()),
        );
        for table in $tables {
            methods += super::sign_in_methods::CountOwnedRows {
                table,
                user_id: $user_id,
            }
            .get_result::<i64>($conn)
            .await?;
        }
        methods
    }};
}

/// `SELECT COUNT(*) FROM <table> WHERE user_id = ?`: a user's rows in a table they own.
#[derive(Debug)]
pub(super) struct CountOwnedRows<'a, Id> {
    pub table: &'a str,
    pub user_id: &'a Id,
}

impl<Id> QueryId for CountOwnedRows<'_, Id> {
    // The table is a value.
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Id> Query for CountOwnedRows<'_, Id> {
    type SqlType = BigInt;
}

impl<Id: IdParam<DB>, DB: RoleSql> QueryFragment<DB> for CountOwnedRows<'_, Id> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("SELECT COUNT(*) FROM ");
        out.push_identifier(self.table)?;
        out.push_sql(" WHERE ");
        out.push_identifier("user_id")?;
        out.push_sql(" = ");
        self.user_id.push_param(&mut out)
    }
}
