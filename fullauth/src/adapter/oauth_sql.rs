//! The statements of the OAuth-account model, written by hand from its table name and the mixin's columns (the
//! derive generates no queries for it). As for the role statements, each one's SQL depends only on its type
//! parameter, so its query id is its type and Diesel prepares it once per connection.

use std::marker::PhantomData;

use diesel::QueryResult;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Nullable, Text};

use super::role_sql::dialect::RoleSql;
use crate::model::{FullAuthOAuthAccount, FullAuthUser, OAuthAccountMixin};
use crate::sql_types::id_param::IdParam;
use crate::sql_types::{UtcTimestamp, Uuid};

/// The user id type of an OAuth-account model.
pub(super) type UserIdOf<A> = <<A as FullAuthOAuthAccount>::User as FullAuthUser>::Id;

/// A row as [`SelectAccounts`] reads it; the user id comes as text.
pub(super) type AccountRow = (
    uuid::Uuid,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<time::OffsetDateTime>,
    time::OffsetDateTime,
    time::OffsetDateTime,
);

/// The mixin's columns, in table order.
const COLUMNS: [&str; 10] = [
    "id",
    "user_id",
    "provider",
    "provider_user_id",
    "provider_email",
    "access_token",
    "refresh_token",
    "expires_at",
    "created_at",
    "updated_at",
];

macro_rules! statement {
    ($name:ident $(, $sql_type:ty)?) => {
        impl<A: FullAuthOAuthAccount> QueryId for $name<'_, A> {
            type QueryId = $name<'static, A>;
            const HAS_STATIC_QUERY_ID: bool = true;
        }
        $(
            impl<A: FullAuthOAuthAccount> Query for $name<'_, A> {
                type SqlType = $sql_type;
            }
        )?
    };
}

/// `INSERT INTO <oauth accounts> (<every mixin column>) VALUES (...)`.
#[derive(Debug)]
pub(super) struct InsertAccount<'a, A: FullAuthOAuthAccount> {
    pub account: &'a OAuthAccountMixin<UserIdOf<A>>,
    pub model: PhantomData<fn() -> A>,
}

statement!(InsertAccount);

impl<A, DB> QueryFragment<DB> for InsertAccount<'_, A>
where
    A: FullAuthOAuthAccount,
    DB: RoleSql,
    UserIdOf<A>: IdParam<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let account = self.account;
        out.push_sql("INSERT INTO ");
        out.push_identifier(A::TABLE_NAME)?;
        out.push_sql(" (");
        for (index, column) in COLUMNS.iter().enumerate() {
            if index > 0 {
                out.push_sql(", ");
            }
            out.push_identifier(column)?;
        }
        out.push_sql(") VALUES (");
        DB::push_uuid(&mut out, &account.id)?;
        out.push_sql(", ");
        account.user_id.push_param(&mut out)?;
        out.push_sql(", ");
        DB::push_text(&mut out, &account.provider)?;
        out.push_sql(", ");
        DB::push_text(&mut out, &account.provider_user_id)?;
        out.push_sql(", ");
        DB::push_optional_text(&mut out, &account.provider_email)?;
        out.push_sql(", ");
        DB::push_optional_text(&mut out, &account.access_token)?;
        out.push_sql(", ");
        DB::push_optional_text(&mut out, &account.refresh_token)?;
        out.push_sql(", ");
        DB::push_optional_time(&mut out, &account.expires_at)?;
        out.push_sql(", ");
        DB::push_time(&mut out, &account.created_at)?;
        out.push_sql(", ");
        DB::push_time(&mut out, &account.updated_at)?;
        out.push_sql(")");
        Ok(())
    }
}

/// Which rows [`SelectAccounts`] reads.
#[derive(Debug)]
pub(super) enum Filter<'a, Id> {
    /// The one row of an identity.
    Identity {
        provider: &'a str,
        provider_user_id: &'a str,
    },
    /// The rows of a user, by provider.
    User(&'a Id),
}

impl<Id> Clone for Filter<'_, Id> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<Id> Copy for Filter<'_, Id> {}

/// `SELECT <every mixin column> FROM <oauth accounts> WHERE ...`, the user id cast to text.
#[derive(Debug)]
pub(super) struct SelectAccounts<'a, A: FullAuthOAuthAccount> {
    pub filter: Filter<'a, UserIdOf<A>>,
}

impl<A: FullAuthOAuthAccount> QueryId for SelectAccounts<'_, A> {
    // The two filters are two statements.
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<A: FullAuthOAuthAccount> Query for SelectAccounts<'_, A> {
    type SqlType = (
        Uuid,
        Text,
        Text,
        Text,
        Nullable<Text>,
        Nullable<Text>,
        Nullable<Text>,
        Nullable<UtcTimestamp>,
        UtcTimestamp,
        UtcTimestamp,
    );
}

impl<A, DB> QueryFragment<DB> for SelectAccounts<'_, A>
where
    A: FullAuthOAuthAccount,
    DB: RoleSql,
    UserIdOf<A>: IdParam<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("SELECT ");
        for (index, column) in COLUMNS.iter().enumerate() {
            if index > 0 {
                out.push_sql(", ");
            }
            if *column == "user_id" {
                out.push_sql("CAST(");
                out.push_identifier(column)?;
                out.push_sql(" AS ");
                out.push_sql(DB::TEXT_TYPE);
                out.push_sql(")");
            } else {
                out.push_identifier(column)?;
            }
        }
        out.push_sql(" FROM ");
        out.push_identifier(A::TABLE_NAME)?;
        out.push_sql(" WHERE ");
        match &self.filter {
            Filter::Identity {
                provider,
                provider_user_id,
            } => {
                out.push_identifier("provider")?;
                out.push_sql(" = ");
                DB::push_text(&mut out, provider)?;
                out.push_sql(" AND ");
                out.push_identifier("provider_user_id")?;
                out.push_sql(" = ");
                DB::push_text(&mut out, provider_user_id)?;
            }
            Filter::User(user_id) => {
                out.push_identifier("user_id")?;
                out.push_sql(" = ");
                user_id.push_param(&mut out)?;
                out.push_sql(" ORDER BY ");
                out.push_identifier("provider")?;
            }
        }
        Ok(())
    }
}

/// `UPDATE <oauth accounts> SET <what the provider reported> WHERE provider = ? AND provider_user_id = ?`.
#[derive(Debug)]
pub(super) struct UpdateAccount<'a, A: FullAuthOAuthAccount> {
    pub account: &'a OAuthAccountMixin<UserIdOf<A>>,
    pub model: PhantomData<fn() -> A>,
}

statement!(UpdateAccount);

impl<A: FullAuthOAuthAccount, DB: RoleSql> QueryFragment<DB> for UpdateAccount<'_, A> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let account = self.account;
        out.push_sql("UPDATE ");
        out.push_identifier(A::TABLE_NAME)?;
        out.push_sql(" SET ");
        out.push_identifier("provider_email")?;
        out.push_sql(" = ");
        DB::push_optional_text(&mut out, &account.provider_email)?;
        out.push_sql(", ");
        out.push_identifier("access_token")?;
        out.push_sql(" = ");
        DB::push_optional_text(&mut out, &account.access_token)?;
        out.push_sql(", ");
        out.push_identifier("refresh_token")?;
        out.push_sql(" = ");
        DB::push_optional_text(&mut out, &account.refresh_token)?;
        out.push_sql(", ");
        out.push_identifier("expires_at")?;
        out.push_sql(" = ");
        DB::push_optional_time(&mut out, &account.expires_at)?;
        out.push_sql(", ");
        out.push_identifier("updated_at")?;
        out.push_sql(" = ");
        DB::push_time(&mut out, &account.updated_at)?;
        out.push_sql(" WHERE ");
        out.push_identifier("provider")?;
        out.push_sql(" = ");
        DB::push_text(&mut out, &account.provider)?;
        out.push_sql(" AND ");
        out.push_identifier("provider_user_id")?;
        out.push_sql(" = ");
        DB::push_text(&mut out, &account.provider_user_id)
    }
}

/// `DELETE FROM <oauth accounts> WHERE user_id = ? AND provider = ?`.
#[derive(Debug)]
pub(super) struct DeleteAccount<'a, A: FullAuthOAuthAccount> {
    pub user_id: &'a UserIdOf<A>,
    pub provider: &'a str,
}

statement!(DeleteAccount);

impl<A, DB> QueryFragment<DB> for DeleteAccount<'_, A>
where
    A: FullAuthOAuthAccount,
    DB: RoleSql,
    UserIdOf<A>: IdParam<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("DELETE FROM ");
        out.push_identifier(A::TABLE_NAME)?;
        out.push_sql(" WHERE ");
        out.push_identifier("user_id")?;
        out.push_sql(" = ");
        self.user_id.push_param(&mut out)?;
        out.push_sql(" AND ");
        out.push_identifier("provider")?;
        out.push_sql(" = ");
        DB::push_text(&mut out, self.provider)
    }
}
