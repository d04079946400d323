//! The statements of the passkey model, written by hand from its table name and the mixin's columns (the derive
//! generates no queries for it).

use std::marker::PhantomData;

use diesel::QueryResult;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Bool, Nullable, Text};

use super::role_sql::dialect::RoleSql;
use crate::model::{FullAuthPasskey, FullAuthUser, PasskeyMixin};
use crate::sql_types::id_param::IdParam;
use crate::sql_types::{UtcTimestamp, Uuid};
use crate::store::PasskeyUse;

/// The user id type of a passkey model.
pub(super) type UserIdOf<P> = <<P as FullAuthPasskey>::User as FullAuthUser>::Id;

/// A row as [`SelectPasskeys`] reads it; the user id comes as text.
pub(super) type PasskeyRow = (
    uuid::Uuid,
    String,
    String,
    String,
    String,
    i64,
    String,
    String,
    bool,
    time::OffsetDateTime,
    Option<time::OffsetDateTime>,
);

/// The mixin's columns, in table order.
const COLUMNS: [&str; 11] = [
    "id",
    "user_id",
    "credential_id",
    "credential_digest",
    "credential",
    "sign_count",
    "device_name",
    "transports",
    "backed_up",
    "created_at",
    "last_used_at",
];

/// `INSERT INTO <passkeys> (<every mixin column>) VALUES (...)`.
#[derive(Debug)]
pub(super) struct InsertPasskey<'a, P: FullAuthPasskey> {
    pub passkey: &'a PasskeyMixin<UserIdOf<P>>,
    pub model: PhantomData<fn() -> P>,
}

impl<P: FullAuthPasskey> QueryId for InsertPasskey<'_, P> {
    type QueryId = InsertPasskey<'static, P>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<P, DB> QueryFragment<DB> for InsertPasskey<'_, P>
where
    P: FullAuthPasskey,
    DB: RoleSql,
    UserIdOf<P>: IdParam<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let passkey = self.passkey;
        out.push_sql("INSERT INTO ");
        out.push_identifier(P::TABLE_NAME)?;
        out.push_sql(" (");
        for (index, column) in COLUMNS.iter().enumerate() {
            if index > 0 {
                out.push_sql(", ");
            }
            out.push_identifier(column)?;
        }
        out.push_sql(") VALUES (");
        DB::push_uuid(&mut out, &passkey.id)?;
        out.push_sql(", ");
        passkey.user_id.push_param(&mut out)?;
        out.push_sql(", ");
        DB::push_text(&mut out, &passkey.credential_id)?;
        out.push_sql(", ");
        DB::push_text(&mut out, &passkey.credential_digest)?;
        out.push_sql(", ");
        DB::push_text(&mut out, &passkey.credential)?;
        out.push_sql(", ");
        DB::push_i64(&mut out, &passkey.sign_count)?;
        out.push_sql(", ");
        DB::push_text(&mut out, &passkey.device_name)?;
        out.push_sql(", ");
        DB::push_text(&mut out, &passkey.transports)?;
        out.push_sql(", ");
        DB::push_bool(&mut out, &passkey.backed_up)?;
        out.push_sql(", ");
        DB::push_time(&mut out, &passkey.created_at)?;
        out.push_sql(", ");
        DB::push_optional_time(&mut out, &passkey.last_used_at)?;
        out.push_sql(")");
        Ok(())
    }
}

/// Which rows [`SelectPasskeys`] reads.
#[derive(Debug)]
pub(super) enum Filter<'a, Id> {
    /// The one row of a credential, by its digest.
    Digest(&'a str),
    /// The rows of a user, oldest first.
    User(&'a Id),
}

/// `SELECT <every mixin column> FROM <passkeys> WHERE ...`, the user id cast to text.
#[derive(Debug)]
pub(super) struct SelectPasskeys<'a, P: FullAuthPasskey> {
    pub filter: Filter<'a, UserIdOf<P>>,
}

impl<P: FullAuthPasskey> QueryId for SelectPasskeys<'_, P> {
    // The two filters are two statements.
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<P: FullAuthPasskey> Query for SelectPasskeys<'_, P> {
    type SqlType = (
        Uuid,
        Text,
        Text,
        Text,
        Text,
        BigInt,
        Text,
        Text,
        Bool,
        UtcTimestamp,
        Nullable<UtcTimestamp>,
    );
}

impl<P, DB> QueryFragment<DB> for SelectPasskeys<'_, P>
where
    P: FullAuthPasskey,
    DB: RoleSql,
    UserIdOf<P>: IdParam<DB>,
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
        out.push_identifier(P::TABLE_NAME)?;
        out.push_sql(" WHERE ");
        match &self.filter {
            Filter::Digest(digest) => {
                out.push_identifier("credential_digest")?;
                out.push_sql(" = ");
                DB::push_text(&mut out, digest)?;
            }
            Filter::User(user_id) => {
                out.push_identifier("user_id")?;
                out.push_sql(" = ");
                user_id.push_param(&mut out)?;
                out.push_sql(" ORDER BY ");
                out.push_identifier("created_at")?;
                out.push_sql(", ");
                out.push_identifier("id")?;
            }
        }
        Ok(())
    }
}

/// `UPDATE <passkeys> SET <what a sign-in reported> WHERE id = ? AND <the counter advances>`.
#[derive(Debug)]
pub(super) struct RecordUse<'a, P: FullAuthPasskey> {
    pub used: &'a PasskeyUse<'a>,
    pub model: PhantomData<fn() -> P>,
}

impl<P: FullAuthPasskey> QueryId for RecordUse<'_, P> {
    // A counter of 0 and a counting one are two statements.
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<P: FullAuthPasskey, DB: RoleSql> QueryFragment<DB> for RecordUse<'_, P> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let used = self.used;
        out.push_sql("UPDATE ");
        out.push_identifier(P::TABLE_NAME)?;
        out.push_sql(" SET ");
        out.push_identifier("credential")?;
        out.push_sql(" = ");
        DB::push_text(&mut out, used.credential)?;
        out.push_sql(", ");
        out.push_identifier("sign_count")?;
        out.push_sql(" = ");
        DB::push_i64(&mut out, &used.sign_count)?;
        out.push_sql(", ");
        out.push_identifier("backed_up")?;
        out.push_sql(" = ");
        DB::push_bool(&mut out, &used.backed_up)?;
        out.push_sql(", ");
        out.push_identifier("last_used_at")?;
        out.push_sql(" = ");
        DB::push_time(&mut out, &used.used_at)?;
        out.push_sql(" WHERE ");
        out.push_identifier("id")?;
        out.push_sql(" = ");
        DB::push_uuid(&mut out, &used.id)?;
        out.push_sql(" AND ");
        out.push_identifier("sign_count")?;
        if used.sign_count == 0 {
            out.push_sql(" = 0");
        } else {
            out.push_sql(" < ");
            DB::push_i64(&mut out, &used.sign_count)?;
        }
        Ok(())
    }
}

/// `DELETE FROM <passkeys> WHERE user_id = ? [AND id = ?]`.
#[derive(Debug)]
pub(super) struct DeletePasskeys<'a, P: FullAuthPasskey> {
    pub user_id: &'a UserIdOf<P>,
    /// One passkey, or all of the user's.
    pub passkey_id: Option<&'a uuid::Uuid>,
}

impl<P: FullAuthPasskey> QueryId for DeletePasskeys<'_, P> {
    // One passkey and all of them are two statements.
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<P, DB> QueryFragment<DB> for DeletePasskeys<'_, P>
where
    P: FullAuthPasskey,
    DB: RoleSql,
    UserIdOf<P>: IdParam<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("DELETE FROM ");
        out.push_identifier(P::TABLE_NAME)?;
        out.push_sql(" WHERE ");
        out.push_identifier("user_id")?;
        out.push_sql(" = ");
        self.user_id.push_param(&mut out)?;
        if let Some(passkey_id) = self.passkey_id {
            out.push_sql(" AND ");
            out.push_identifier("id")?;
            out.push_sql(" = ");
            DB::push_uuid(&mut out, passkey_id)?;
        }
        Ok(())
    }
}
