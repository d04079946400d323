//! Binding a user id of any supported type as a statement parameter, on every compiled backend.
//!
//! The statements the Diesel adapter writes by hand (its role queries) are generic over the user model, so they bind
//! `U::Id` without knowing which of the three id types it is. [`crate::UserId`] requires [`IdParams`], which
//! gathers [`IdParam`] for each enabled backend.

use diesel::backend::Backend;
use diesel::query_builder::AstPass;
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, HasSqlType, Text};

/// Writes a user id as a bound parameter of its column's SQL type.
pub trait IdParam<DB: Backend> {
    /// Pushes the id as the next bind parameter.
    fn push_param<'b>(&'b self, out: &mut AstPass<'_, 'b, DB>) -> diesel::QueryResult<()>;
}

impl<DB> IdParam<DB> for uuid::Uuid
where
    DB: Backend + HasSqlType<crate::sql_types::Uuid>,
    uuid::Uuid: ToSql<crate::sql_types::Uuid, DB>,
{
    fn push_param<'b>(&'b self, out: &mut AstPass<'_, 'b, DB>) -> diesel::QueryResult<()> {
        out.push_bind_param::<crate::sql_types::Uuid, _>(self)
    }
}

impl<DB> IdParam<DB> for i64
where
    DB: Backend + HasSqlType<BigInt>,
    i64: ToSql<BigInt, DB>,
{
    fn push_param<'b>(&'b self, out: &mut AstPass<'_, 'b, DB>) -> diesel::QueryResult<()> {
        out.push_bind_param::<BigInt, _>(self)
    }
}

impl<DB> IdParam<DB> for String
where
    DB: Backend + HasSqlType<Text>,
    String: ToSql<Text, DB>,
{
    fn push_param<'b>(&'b self, out: &mut AstPass<'_, 'b, DB>) -> diesel::QueryResult<()> {
        out.push_bind_param::<Text, _>(self)
    }
}

macro_rules! backend_param {
    ($feature:literal, $name:ident, $backend:ty) => {
        /// [`IdParam`] for one backend, when its feature is enabled.
        #[cfg(feature = $feature)]
        pub trait $name: IdParam<$backend> {}
        #[cfg(feature = $feature)]
        impl<T: IdParam<$backend>> $name for T {}
        /// [`IdParam`] for one backend, when its feature is enabled.
        #[cfg(not(feature = $feature))]
        pub trait $name {}
        #[cfg(not(feature = $feature))]
        impl<T> $name for T {}
    };
}

backend_param!("sqlite", SqliteIdParam, diesel::sqlite::Sqlite);
backend_param!("postgres", PostgresIdParam, diesel::pg::Pg);
backend_param!("mysql", MysqlIdParam, diesel::mysql::Mysql);

/// [`IdParam`] on every compiled backend.
pub trait IdParams: SqliteIdParam + PostgresIdParam + MysqlIdParam {}

impl<T: SqliteIdParam + PostgresIdParam + MysqlIdParam> IdParams for T {}
