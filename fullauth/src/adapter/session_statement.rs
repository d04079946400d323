//! The statement behind every authenticated request, its SQL text written once per model and backend.
//!
//! `SELECT <user columns>[, <role names>] FROM <users> WHERE <users>.id = ? AND EXISTS (SELECT 1 FROM <refresh
//! tokens> WHERE family_id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?)`: the user, only
//! while the access token's session still has a live row, and (when asked) their role names, in one statement.
//!
//! Built with Diesel's query builder, this statement's text would be assembled again for every request: the
//! asynchronous connections render a query's SQL before they look its prepared statement up, and quoting each
//! of a dozen identifiers, with an allocation each, is a visible share of a request's time. The text depends
//! only on the models and the backend, so it is written once, kept (see [`statement_text`]), and each request
//! only places its three values between the pieces. The statement's query id is its type, unique per models,
//! so each connection prepares it once and finds it by type afterwards.

use std::any::TypeId;
use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::expression::AsExpression;
use diesel::internal::derives::as_expression::Bound;
use diesel::query_builder::{AstPass, Query, QueryBuilder, QueryFragment, QueryId};
use time::OffsetDateTime;

use super::role_sql::dialect::RoleSql;
use super::role_sql::write_role_names;
use crate::model::{FullAuthRefreshToken, FullAuthUser, FullAuthUserRole};
use crate::sql_types::{Db, UtcTimestamp, Uuid};

/// What a session read selects beside the user's columns: nothing ([`NoRoles`]) or the role names through a link
/// model ([`WithRoles`]).
pub trait SessionColumns<DB: Backend>: 'static {
    /// Writes `, <column>` for each extra column.
    fn write_extra(builder: &mut DB::QueryBuilder) -> QueryResult<()>;
}

/// The user's columns alone.
#[derive(Debug)]
pub enum NoRoles {}

impl<DB: Backend> SessionColumns<DB> for NoRoles {
    fn write_extra(_: &mut DB::QueryBuilder) -> QueryResult<()> {
        Ok(())
    }
}

/// The user's columns and their role names, as a JSON array in one text column (see [`write_role_names`]).
#[derive(Debug)]
pub struct WithRoles<L>(PhantomData<fn() -> L>);

impl<L: FullAuthUserRole, DB: RoleSql> SessionColumns<DB> for WithRoles<L> {
    fn write_extra(builder: &mut DB::QueryBuilder) -> QueryResult<()> {
        builder.push_sql(", ");
        write_role_names::<L, DB>(builder)
    }
}

/// The session read of user model `U`, refresh-token model `R` and extra columns `C`, selecting rows of SQL type
/// `Row` and matching the user id with `Id` (the id bound as its column's SQL type).
pub struct SessionStatement<U, R, C, Row, Id> {
    columns: &'static [&'static str],
    id: Id,
    family_id: Bound<Uuid, uuid::Uuid>,
    now: Bound<UtcTimestamp, OffsetDateTime>,
    models: PhantomData<Models<U, R, C, Row>>,
}

impl<U, R, C, Row, Id> SessionStatement<U, R, C, Row, Id> {
    /// The statement for one request: the user whose id `id` binds, if the session `family_id` is live at `now`.
    /// `columns` names the user table's columns in the order of the row read; the text is written from them the
    /// first time a backend asks for it.
    pub fn new(
        columns: &'static [&'static str],
        id: Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> Self {
        Self {
            columns,
            id,
            family_id: AsExpression::<Uuid>::as_expression(Db(family_id)),
            now: AsExpression::<UtcTimestamp>::as_expression(Db(now)),
            models: PhantomData,
        }
    }
}

impl<U, R, C, Row, Id> std::fmt::Debug for SessionStatement<U, R, C, Row, Id> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionStatement")
            .field("columns", &self.columns)
            .finish_non_exhaustive()
    }
}

impl<U, R, C, Row, Id> Query for SessionStatement<U, R, C, Row, Id> {
    type SqlType = Row;
}

impl<U: 'static, R: 'static, C: 'static, Row: 'static, Id> QueryId
    for SessionStatement<U, R, C, Row, Id>
{
    type QueryId = SessionStatement<U, R, C, Row, ()>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<U, R, C, Row, Id, DB> QueryFragment<DB> for SessionStatement<U, R, C, Row, Id>
where
    U: FullAuthUser + 'static,
    R: FullAuthRefreshToken + 'static,
    C: SessionColumns<DB>,
    DB: RoleSql + 'static,
    DB::QueryBuilder: Default,
    Id: QueryFragment<DB>,
    Bound<Uuid, uuid::Uuid>: QueryFragment<DB>,
    Bound<UtcTimestamp, OffsetDateTime>: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let text = statement_text::<(U, R, C), DB>(|| write_text::<U, R, C, DB>(self.columns))?;
        let [before_id, before_family, before_now, end] = &text.0;
        out.push_sql(before_id);
        self.id.walk_ast(out.reborrow())?;
        out.push_sql(before_family);
        self.family_id.walk_ast(out.reborrow())?;
        out.push_sql(before_now);
        self.now.walk_ast(out.reborrow())?;
        out.push_sql(end);
        Ok(())
    }
}

impl<U, R, C, Row, Id, Conn> diesel::RunQueryDsl<Conn> for SessionStatement<U, R, C, Row, Id> {}

/// The types a statement is written from, held by none of its values.
type Models<U, R, C, Row> = fn() -> (U, R, C, Row);

/// A statement's SQL text in four pieces, around its three values.
#[derive(Debug)]
struct StatementText([String; 4]);

/// The text of statement type `S` on backend `DB`, written by `write` the first time it is asked for. A few texts
/// per application (one per model and backend), read by every request: a read lock, and no copy.
fn statement_text<S: 'static, DB: 'static>(
    write: impl FnOnce() -> QueryResult<StatementText>,
) -> QueryResult<Arc<StatementText>> {
    static TEXTS: OnceLock<RwLock<HashMap<TypeId, Arc<StatementText>>>> = OnceLock::new();
    let texts = TEXTS.get_or_init(RwLock::default);
    let key = TypeId::of::<(S, DB)>();
    if let Some(text) = texts
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
    {
        return Ok(Arc::clone(text));
    }
    let text = Arc::new(write()?);
    let mut texts = texts.write().unwrap_or_else(PoisonError::into_inner);
    Ok(Arc::clone(texts.entry(key).or_insert(text)))
}

fn write_text<U, R, C, DB>(columns: &[&str]) -> QueryResult<StatementText>
where
    U: FullAuthUser,
    R: FullAuthRefreshToken,
    C: SessionColumns<DB>,
    DB: RoleSql,
    DB::QueryBuilder: Default,
{
    let users = U::TABLE_NAME;
    let mut select = DB::QueryBuilder::default();
    select.push_sql("SELECT ");
    for (position, column) in columns.iter().enumerate() {
        if position > 0 {
            select.push_sql(", ");
        }
        select.push_identifier(users)?;
        select.push_sql(".");
        select.push_identifier(column)?;
    }
    C::write_extra(&mut select)?;
    select.push_sql(" FROM ");
    select.push_identifier(users)?;
    select.push_sql(" WHERE ");
    select.push_identifier(users)?;
    select.push_sql(".");
    select.push_identifier("id")?;
    select.push_sql(" = ");

    let mut live = DB::QueryBuilder::default();
    live.push_sql(" AND EXISTS (SELECT 1 FROM ");
    live.push_identifier(R::TABLE_NAME)?;
    live.push_sql(" WHERE family_id = ");
    Ok(StatementText([
        select.finish(),
        live.finish(),
        " AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ".to_owned(),
        ")".to_owned(),
    ]))
}
