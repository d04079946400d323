//! [`RoleSql`]: what the hand-written statements (of the role, OAuth-account and passkey models) need of each backend.

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::query_builder::AstPass;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use time::OffsetDateTime;

/// What the hand-written statements need of a backend: typed binds and the spelling of "insert unless present".
pub trait RoleSql: Backend + Sized {
    /// Whether duplicates are ignored with MySQL's `ON DUPLICATE KEY UPDATE` rather than `ON CONFLICT DO NOTHING`.
    const MYSQL_UPSERT: bool;
    /// The type a value is cast to for reading it as text: `CHAR` on MySQL, `TEXT` elsewhere.
    const TEXT_TYPE: &'static str;
    /// The aggregate that gathers values into a JSON array.
    const JSON_ARRAY_AGG: &'static str;
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
    ($feature:literal, $backend:ty, $mysql:literal, $json_array_agg:literal) => {
        #[cfg(feature = $feature)]
        impl RoleSql for $backend {
            const MYSQL_UPSERT: bool = $mysql;
            const TEXT_TYPE: &'static str = if $mysql { "CHAR" } else { "TEXT" };
            const JSON_ARRAY_AGG: &'static str = $json_array_agg;
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

role_sql!("sqlite", diesel::sqlite::Sqlite, false, "json_group_array");
role_sql!("postgres", diesel::pg::Pg, false, "json_agg");
role_sql!("mysql", diesel::mysql::Mysql, true, "JSON_ARRAYAGG");
