//! The statements of the MFA model, written by hand from its table name and the mixin's columns (the derive
//! generates no queries for it). Every write is one conditional statement: what it changes depends on the row
//! as it is when the statement runs.

use std::marker::PhantomData;

use diesel::QueryResult;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Nullable, Text};

use super::role_sql::dialect::RoleSql;
use crate::model::{FullAuthMfa, FullAuthUser, MfaMixin};
use crate::sql_types::id_param::IdParam;
use crate::sql_types::{UtcTimestamp, Uuid};

/// The user id type of an MFA model.
pub(super) type UserIdOf<M> = <<M as FullAuthMfa>::User as FullAuthUser>::Id;

/// A row as [`SelectMfa`] reads it; the user id comes as text.
pub(super) type MfaRow = (
    uuid::Uuid,
    String,
    String,
    Option<time::OffsetDateTime>,
    i64,
    String,
    time::OffsetDateTime,
);

/// The mixin's columns, in table order.
const COLUMNS: [&str; 7] = [
    "id",
    "user_id",
    "secret",
    "confirmed_at",
    "last_counter",
    "recovery_codes",
    "created_at",
];

/// What a write changes, and on which condition.
#[derive(Debug)]
pub(super) enum Change<'a> {
    /// Turns MFA on: `confirmed_at`, `last_counter` and `recovery_codes`, while unconfirmed with `secret` and
    /// behind `step`.
    Confirm {
        secret: &'a str,
        step: &'a i64,
        recovery_codes: &'a str,
        now: &'a time::OffsetDateTime,
    },
    /// Records an accepted step, while confirmed and behind it.
    Accept { step: &'a i64 },
    /// Replaces the recovery codes, while confirmed and still `expected`.
    RecoveryCodes { codes: &'a str, expected: &'a str },
}

/// `INSERT INTO <mfa> (<every mixin column>) VALUES (...)`.
#[derive(Debug)]
pub(super) struct InsertMfa<'a, M: FullAuthMfa> {
    pub mfa: &'a MfaMixin<UserIdOf<M>>,
    pub model: PhantomData<fn() -> M>,
}

impl<M: FullAuthMfa> QueryId for InsertMfa<'_, M> {
    type QueryId = InsertMfa<'static, M>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<M, DB> QueryFragment<DB> for InsertMfa<'_, M>
where
    M: FullAuthMfa,
    DB: RoleSql,
    UserIdOf<M>: IdParam<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let mfa = self.mfa;
        out.push_sql("INSERT INTO ");
        out.push_identifier(M::TABLE_NAME)?;
        out.push_sql(" (");
        for (index, column) in COLUMNS.iter().enumerate() {
            if index > 0 {
                out.push_sql(", ");
            }
            out.push_identifier(column)?;
        }
        out.push_sql(") VALUES (");
        DB::push_uuid(&mut out, &mfa.id)?;
        out.push_sql(", ");
        mfa.user_id.push_param(&mut out)?;
        out.push_sql(", ");
        DB::push_text(&mut out, &mfa.secret)?;
        out.push_sql(", ");
        DB::push_optional_time(&mut out, &mfa.confirmed_at)?;
        out.push_sql(", ");
        DB::push_i64(&mut out, &mfa.last_counter)?;
        out.push_sql(", ");
        DB::push_text(&mut out, &mfa.recovery_codes)?;
        out.push_sql(", ");
        DB::push_time(&mut out, &mfa.created_at)?;
        out.push_sql(")");
        Ok(())
    }
}

/// `SELECT <every mixin column> FROM <mfa> WHERE user_id = ?`, the user id cast to text.
#[derive(Debug)]
pub(super) struct SelectMfa<'a, M: FullAuthMfa> {
    pub user_id: &'a UserIdOf<M>,
}

impl<M: FullAuthMfa> QueryId for SelectMfa<'_, M> {
    type QueryId = SelectMfa<'static, M>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<M: FullAuthMfa> Query for SelectMfa<'_, M> {
    type SqlType = (
        Uuid,
        Text,
        Text,
        Nullable<UtcTimestamp>,
        BigInt,
        Text,
        UtcTimestamp,
    );
}

impl<M, DB> QueryFragment<DB> for SelectMfa<'_, M>
where
    M: FullAuthMfa,
    DB: RoleSql,
    UserIdOf<M>: IdParam<DB>,
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
        out.push_identifier(M::TABLE_NAME)?;
        out.push_sql(" WHERE ");
        out.push_identifier("user_id")?;
        out.push_sql(" = ");
        self.user_id.push_param(&mut out)
    }
}

/// `UPDATE <mfa> SET ... WHERE user_id = ? AND <the change's condition>`.
#[derive(Debug)]
pub(super) struct UpdateMfa<'a, M: FullAuthMfa> {
    pub user_id: &'a UserIdOf<M>,
    pub change: Change<'a>,
}

impl<M: FullAuthMfa> QueryId for UpdateMfa<'_, M> {
    // Each change is a statement of its own.
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<M, DB> QueryFragment<DB> for UpdateMfa<'_, M>
where
    M: FullAuthMfa,
    DB: RoleSql,
    UserIdOf<M>: IdParam<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("UPDATE ");
        out.push_identifier(M::TABLE_NAME)?;
        out.push_sql(" SET ");
        match &self.change {
            Change::Confirm {
                step,
                recovery_codes,
                now,
                ..
            } => {
                out.push_identifier("confirmed_at")?;
                out.push_sql(" = ");
                DB::push_time(&mut out, now)?;
                out.push_sql(", ");
                out.push_identifier("last_counter")?;
                out.push_sql(" = ");
                DB::push_i64(&mut out, step)?;
                out.push_sql(", ");
                out.push_identifier("recovery_codes")?;
                out.push_sql(" = ");
                DB::push_text(&mut out, recovery_codes)?;
            }
            Change::Accept { step } => {
                out.push_identifier("last_counter")?;
                out.push_sql(" = ");
                DB::push_i64(&mut out, step)?;
            }
            Change::RecoveryCodes { codes, .. } => {
                out.push_identifier("recovery_codes")?;
                out.push_sql(" = ");
                DB::push_text(&mut out, codes)?;
            }
        }
        out.push_sql(" WHERE ");
        out.push_identifier("user_id")?;
        out.push_sql(" = ");
        self.user_id.push_param(&mut out)?;
        out.push_sql(" AND ");
        out.push_identifier("confirmed_at")?;
        match &self.change {
            Change::Confirm { secret, step, .. } => {
                out.push_sql(" IS NULL AND ");
                out.push_identifier("secret")?;
                out.push_sql(" = ");
                DB::push_text(&mut out, secret)?;
                out.push_sql(" AND ");
                out.push_identifier("last_counter")?;
                out.push_sql(" < ");
                DB::push_i64(&mut out, step)
            }
            Change::Accept { step } => {
                out.push_sql(" IS NOT NULL AND ");
                out.push_identifier("last_counter")?;
                out.push_sql(" < ");
                DB::push_i64(&mut out, step)
            }
            Change::RecoveryCodes { expected, .. } => {
                out.push_sql(" IS NOT NULL AND ");
                out.push_identifier("recovery_codes")?;
                out.push_sql(" = ");
                DB::push_text(&mut out, expected)
            }
        }
    }
}

/// `DELETE FROM <mfa> WHERE user_id = ?`.
#[derive(Debug)]
pub(super) struct DeleteMfa<'a, M: FullAuthMfa> {
    pub user_id: &'a UserIdOf<M>,
}

impl<M: FullAuthMfa> QueryId for DeleteMfa<'_, M> {
    type QueryId = DeleteMfa<'static, M>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<M, DB> QueryFragment<DB> for DeleteMfa<'_, M>
where
    M: FullAuthMfa,
    DB: RoleSql,
    UserIdOf<M>: IdParam<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("DELETE FROM ");
        out.push_identifier(M::TABLE_NAME)?;
        out.push_sql(" WHERE ");
        out.push_identifier("user_id")?;
        out.push_sql(" = ");
        self.user_id.push_param(&mut out)
    }
}
