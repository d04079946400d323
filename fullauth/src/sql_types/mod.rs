//! Column types that keep one Rust type on every backend.
//!
//! Diesel's own `Uuid` and `Timestamptz` exist on PostgreSQL only, so a `table!` written with them could not be
//! used on SQLite or MySQL. The derives write these types instead; each backend stores them in its most natural
//! column type:
//!
//! | type | PostgreSQL | SQLite | MySQL |
//! |---|---|---|---|
//! | [`Uuid`] | `UUID` | `TEXT` (hyphenated) | `CHAR(36)` |
//! | [`UtcTimestamp`] | `TIMESTAMPTZ` | `TEXT` (UTC, fixed width, microseconds) | `DATETIME(6)` (UTC) |
//!
//! Rust values are [`uuid::Uuid`] and [`time::OffsetDateTime`]. Your own Diesel queries read these columns like any
//! other and bind values through [`Db`]: `users::table.filter(users::id.eq(Db(user_id)))`.

#[doc(hidden)]
pub mod id_param;

use diesel::deserialize::{self, FromSql};
use diesel::expression::AsExpression;
use diesel::internal::derives::as_expression::Bound;
use diesel::query_builder::QueryId;
use diesel::serialize::{self, ToSql};
use diesel::sql_types::SqlType;
use time::OffsetDateTime;

/// A UUID column: native `UUID` on PostgreSQL, hyphenated text elsewhere.
#[derive(Debug, Clone, Copy, Default, QueryId, SqlType)]
pub struct Uuid;

/// A UTC timestamp column with microsecond precision.
#[derive(Debug, Clone, Copy, Default, QueryId, SqlType)]
pub struct UtcTimestamp;

/// Stored timestamps compare in time order on every backend (SQLite's text is UTC and fixed width), so `MIN`
/// and `MAX` apply.
impl diesel::sql_types::SqlOrd for UtcTimestamp {}

/// Binds a Rust value to a parameter of any SQL type it can be written as.
///
/// Rust's coherence rules forbid fullauth from teaching Diesel that a [`uuid::Uuid`] or a
/// [`time::OffsetDateTime`] is an expression of [`Uuid`] or [`UtcTimestamp`] directly, so comparisons with these
/// columns wrap the value: `users::id.eq(Db(user_id))`, `refresh_tokens::expires_at.gt(Db(now))`. Other types
/// work either way; references and `Option`s (for nullable columns) wrap the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Db<T>(pub T);

impl<T, ST> AsExpression<ST> for Db<T>
where
    ST: SqlType + diesel::expression::TypedExpressionType,
{
    type Expression = Bound<ST, T>;

    fn as_expression(self) -> Self::Expression {
        Bound::new(self.0)
    }
}

#[cfg(any(feature = "sqlite", feature = "mysql"))]
fn parse_uuid(text: &str) -> deserialize::Result<uuid::Uuid> {
    uuid::Uuid::try_parse(text).map_err(|error| format!("invalid UUID in column: {error}").into())
}

#[cfg(feature = "postgres")]
mod postgres {
    use super::*;
    use diesel::pg::{Pg, PgTypeMetadata, PgValue};
    use diesel::sql_types::HasSqlType;

    impl HasSqlType<Uuid> for Pg {
        fn metadata(lookup: &mut Self::MetadataLookup) -> PgTypeMetadata {
            <Pg as HasSqlType<diesel::sql_types::Uuid>>::metadata(lookup)
        }
    }

    impl HasSqlType<UtcTimestamp> for Pg {
        fn metadata(lookup: &mut Self::MetadataLookup) -> PgTypeMetadata {
            <Pg as HasSqlType<diesel::sql_types::Timestamptz>>::metadata(lookup)
        }
    }

    impl ToSql<Uuid, Pg> for uuid::Uuid {
        fn to_sql<'b>(&'b self, out: &mut serialize::Output<'b, '_, Pg>) -> serialize::Result {
            <uuid::Uuid as ToSql<diesel::sql_types::Uuid, Pg>>::to_sql(self, out)
        }
    }

    impl FromSql<Uuid, Pg> for uuid::Uuid {
        fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
            <uuid::Uuid as FromSql<diesel::sql_types::Uuid, Pg>>::from_sql(value)
        }
    }

    impl ToSql<UtcTimestamp, Pg> for OffsetDateTime {
        fn to_sql<'b>(&'b self, out: &mut serialize::Output<'b, '_, Pg>) -> serialize::Result {
            <OffsetDateTime as ToSql<diesel::sql_types::Timestamptz, Pg>>::to_sql(self, out)
        }
    }

    impl FromSql<UtcTimestamp, Pg> for OffsetDateTime {
        fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
            <OffsetDateTime as FromSql<diesel::sql_types::Timestamptz, Pg>>::from_sql(value)
        }
    }
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use super::*;
    use diesel::sql_types::HasSqlType;
    use diesel::sqlite::{Sqlite, SqliteType, SqliteValue};
    use time::format_description::BorrowedFormatItem;
    use time::macros::format_description;

    /// Fixed width, so that comparing the text compares the instants.
    const STORED_FORMAT: &[BorrowedFormatItem<'_>] = format_description!(
        "[year]-[month]-[day] [hour]:[minute]:[second].[subsecond digits:6]+00:00"
    );

    impl HasSqlType<Uuid> for Sqlite {
        fn metadata(_: &mut ()) -> SqliteType {
            SqliteType::Text
        }
    }

    impl HasSqlType<UtcTimestamp> for Sqlite {
        fn metadata(_: &mut ()) -> SqliteType {
            SqliteType::Text
        }
    }

    impl ToSql<Uuid, Sqlite> for uuid::Uuid {
        fn to_sql<'b>(&'b self, out: &mut serialize::Output<'b, '_, Sqlite>) -> serialize::Result {
            out.set_value(self.hyphenated().to_string());
            Ok(serialize::IsNull::No)
        }
    }

    impl FromSql<Uuid, Sqlite> for uuid::Uuid {
        fn from_sql(value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
            let text = <String as FromSql<diesel::sql_types::Text, Sqlite>>::from_sql(value)?;
            parse_uuid(&text)
        }
    }

    impl ToSql<UtcTimestamp, Sqlite> for OffsetDateTime {
        fn to_sql<'b>(&'b self, out: &mut serialize::Output<'b, '_, Sqlite>) -> serialize::Result {
            let utc = self.to_offset(time::UtcOffset::UTC);
            out.set_value(utc.format(STORED_FORMAT)?);
            Ok(serialize::IsNull::No)
        }
    }

    impl FromSql<UtcTimestamp, Sqlite> for OffsetDateTime {
        fn from_sql(value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
            <OffsetDateTime as FromSql<diesel::sql_types::TimestamptzSqlite, Sqlite>>::from_sql(
                value,
            )
        }
    }
}

#[cfg(feature = "mysql")]
mod mysql {
    use super::*;
    use diesel::mysql::{Mysql, MysqlType, MysqlValue};
    use diesel::sql_types::HasSqlType;

    impl HasSqlType<Uuid> for Mysql {
        fn metadata(_: &mut ()) -> MysqlType {
            MysqlType::String
        }
    }

    impl HasSqlType<UtcTimestamp> for Mysql {
        fn metadata(lookup: &mut ()) -> MysqlType {
            <Mysql as HasSqlType<diesel::sql_types::Datetime>>::metadata(lookup)
        }
    }

    impl ToSql<Uuid, Mysql> for uuid::Uuid {
        fn to_sql<'b>(&'b self, out: &mut serialize::Output<'b, '_, Mysql>) -> serialize::Result {
            use std::io::Write as _;
            out.write_all(
                self.hyphenated()
                    .encode_lower(&mut uuid::Uuid::encode_buffer())
                    .as_bytes(),
            )?;
            Ok(serialize::IsNull::No)
        }
    }

    impl FromSql<Uuid, Mysql> for uuid::Uuid {
        fn from_sql(value: MysqlValue<'_>) -> deserialize::Result<Self> {
            let text = <String as FromSql<diesel::sql_types::Text, Mysql>>::from_sql(value)?;
            parse_uuid(&text)
        }
    }

    impl ToSql<UtcTimestamp, Mysql> for OffsetDateTime {
        fn to_sql<'b>(&'b self, out: &mut serialize::Output<'b, '_, Mysql>) -> serialize::Result {
            <OffsetDateTime as ToSql<diesel::sql_types::Datetime, Mysql>>::to_sql(self, out)
        }
    }

    impl FromSql<UtcTimestamp, Mysql> for OffsetDateTime {
        fn from_sql(value: MysqlValue<'_>) -> deserialize::Result<Self> {
            <OffsetDateTime as FromSql<diesel::sql_types::Datetime, Mysql>>::from_sql(value)
        }
    }
}
