//! The condition "this access token's session is still live", as a Diesel expression.
//!
//! Written by hand rather than with `diesel::dsl::sql`, because a raw SQL fragment has no static query id:
//! Diesel would then prepare the statement on every request, which costs PostgreSQL a round trip per
//! `GET /me`. This type's query id is unique per refresh-token model, so the statement is prepared once per
//! connection and cached.

use std::marker::PhantomData;

use diesel::backend::Backend;
use diesel::expression::{
    AppearsOnTable, Expression, SelectableExpression, ValidGrouping, is_aggregate,
};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{Bool, HasSqlType};
use time::OffsetDateTime;

use crate::model::FullAuthRefreshToken;
use crate::sql_types::{UtcTimestamp, Uuid};

/// `EXISTS (SELECT 1 FROM <R's table> WHERE family_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND
/// expires_at > $2)`.
#[derive(Debug, Clone, Copy)]
pub struct LiveSession<R> {
    family_id: uuid::Uuid,
    now: OffsetDateTime,
    tokens: PhantomData<fn() -> R>,
}

impl<R: FullAuthRefreshToken> LiveSession<R> {
    /// The condition for one session at one instant.
    pub fn new(family_id: uuid::Uuid, now: OffsetDateTime) -> Self {
        Self {
            family_id,
            now,
            tokens: PhantomData,
        }
    }
}

impl<R> Expression for LiveSession<R> {
    type SqlType = Bool;
}

impl<R, QS> AppearsOnTable<QS> for LiveSession<R> {}

impl<R, QS> SelectableExpression<QS> for LiveSession<R> {}

impl<R, GB> ValidGrouping<GB> for LiveSession<R> {
    type IsAggregate = is_aggregate::Never;
}

impl<R: 'static> QueryId for LiveSession<R> {
    type QueryId = Self;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<R, DB> QueryFragment<DB> for LiveSession<R>
where
    R: FullAuthRefreshToken,
    DB: Backend + HasSqlType<Uuid> + HasSqlType<UtcTimestamp>,
    uuid::Uuid: ToSql<Uuid, DB>,
    OffsetDateTime: ToSql<UtcTimestamp, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> diesel::QueryResult<()> {
        out.push_sql("EXISTS (SELECT 1 FROM ");
        out.push_identifier(R::TABLE_NAME)?;
        out.push_sql(" WHERE family_id = ");
        out.push_bind_param::<Uuid, _>(&self.family_id)?;
        out.push_sql(" AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ");
        out.push_bind_param::<UtcTimestamp, _>(&self.now)?;
        out.push_sql(")");
        Ok(())
    }
}
