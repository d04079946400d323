//! [`RoleSql`]: what the hand-written statements (of the role, OAuth-account and passkey models) need of each backend.

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::query_builder::AstPass;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use time::OffsetDateTime;

/// How a backend gathers the values of a subquery into a JSON array, read as text.
#[derive(Debug, Clone, Copy)]
pub enum JsonList {
    /// `(SELECT CAST(<aggregate>(<value>) AS <text>) FROM ...)`: `NULL` when there are no rows on some backends.
    Aggregate(&'static str),
    /// `CAST(array_to_json(ARRAY(SELECT <value> FROM ...)) AS TEXT)`, PostgreSQL's array constructor: no
    /// aggregate to set up for each row read. With `pgbench`, the statement behind `GET /me` ran about 15% more
    /// often per second this way than with `json_agg`.
    ArrayConstructor,
}

/// What the hand-written statements need of a backend: typed binds and the spelling of "insert unless present".
pub trait RoleSql: Backend + Sized {
    /// Whether duplicates are ignored with MySQL's `ON DUPLICATE KEY UPDATE` rather than `ON CONFLICT DO NOTHING`.
    const MYSQL_UPSERT: bool;
    /// The type a value is cast to for reading it as text: `CHAR` on MySQL, `TEXT` elsewhere.
    const TEXT_TYPE: &'static str;
    /// How a subquery's values become one JSON array.
    const JSON_LIST: JsonList;
    /// Binds a UUID.
    fn push_uuid<'b>(out: &mut AstPass<'_, 'b, Self>, value: &'b uuid::Uuid) -> QueryResult<()>;
    /// Binds text.
    fn push_text<'b>(out: &mut AstPass<'_, 'b, Self>, value: &'b str) -> QueryResult<()>;
    /// Binds a timestamp.
    fn push_time<'b>(out: &mut AstPass<'_, 'b, Self>, value: &'b OffsetDateTime)
    -> QueryResult<()>;
    /// Binds a 64-bit integer.
    fn push_i64<'b>(out: &mut AstPass<'_, 'b, Self>, value: &'b i64) -> QueryResult<()>;
    /// Binds a boolean.
    fn push_bool<'b>(out: &mut AstPass<'_, 'b, Self>, value: &'b bool) -> QueryResult<()>;
    /// Binds text or `NULL`.
    fn push_optional_text<'b>(
        out: &mut AstPass<'_, 'b, Self>,
        value: &'b Option<String>,
    ) -> QueryResult<()>;
    /// Binds a timestamp or `NULL`.
    fn push_optional_time<'b>(
        out: &mut AstPass<'_, 'b, Self>,
        value: &'b Option<OffsetDateTime>,
    ) -> QueryResult<()>;
}

macro_rules! role_sql {
    ($feature:literal, $backend:ty, $mysql:literal, $json_list:expr) => {
        #[cfg(feature = $feature)]
        impl RoleSql for $backend {
            const MYSQL_UPSERT: bool = $mysql;
            const TEXT_TYPE: &'static str = if $mysql { "CHAR" } else { "TEXT" };
            const JSON_LIST: JsonList = $json_list;
            fn push_uuid<'b>(
                out: &mut AstPass<'_, 'b, Self>,
                value: &'b uuid::Uuid,
            ) -> QueryResult<()> {
                out.push_bind_param::<crate::sql_types::Uuid, _>(value)
            }
            fn push_text<'b>(out: &mut AstPass<'_, 'b, Self>, value: &'b str) -> QueryResult<()> {
                out.push_bind_param::<Text, _>(value)
            }
            fn push_time<'b>(
                out: &mut AstPass<'_, 'b, Self>,
                value: &'b OffsetDateTime,
            ) -> QueryResult<()> {
                out.push_bind_param::<crate::sql_types::UtcTimestamp, _>(value)
            }
            fn push_i64<'b>(out: &mut AstPass<'_, 'b, Self>, value: &'b i64) -> QueryResult<()> {
                out.push_bind_param::<BigInt, _>(value)
            }
            fn push_bool<'b>(out: &mut AstPass<'_, 'b, Self>, value: &'b bool) -> QueryResult<()> {
                out.push_bind_param::<Bool, _>(value)
            }
            fn push_optional_text<'b>(
                out: &mut AstPass<'_, 'b, Self>,
                value: &'b Option<String>,
            ) -> QueryResult<()> {
                out.push_bind_param::<Nullable<Text>, _>(value)
            }
            fn push_optional_time<'b>(
                out: &mut AstPass<'_, 'b, Self>,
                value: &'b Option<OffsetDateTime>,
            ) -> QueryResult<()> {
                out.push_bind_param::<Nullable<crate::sql_types::UtcTimestamp>, _>(value)
            }
        }
    };
}

role_sql!(
    "sqlite",
    diesel::sqlite::Sqlite,
    false,
    JsonList::Aggregate("json_group_array")
);
role_sql!(
    "postgres",
    diesel::pg::Pg,
    false,
    JsonList::ArrayConstructor
);
role_sql!(
    "mysql",
    diesel::mysql::Mysql,
    true,
    JsonList::Aggregate("JSON_ARRAYAGG")
);
