//! Reading which fullauth tables and columns a database has, from its catalog.

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};

use crate::migrations::{ColumnState, SchemaState};
use crate::schema::Dialect;

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    not_null: i64,
}

/// The catalog query listing a table's columns, its one parameter the table name.
fn columns_query(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => {
            r#"SELECT name, CAST("notnull" AS BIGINT) AS not_null FROM pragma_table_info(?) ORDER BY cid"#
        }
        Dialect::Postgres => {
            "SELECT CAST(column_name AS TEXT) AS name, \
             CAST(CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END AS BIGINT) AS not_null \
             FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 \
             ORDER BY ordinal_position"
        }
        Dialect::Mysql => {
            "SELECT CAST(column_name AS CHAR) AS name, \
             CAST(CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END AS SIGNED) AS not_null \
             FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? \
             ORDER BY ordinal_position"
        }
    }
}

/// Reads the columns of `tables` on a synchronous connection; a table without columns does not exist.
macro_rules! read_state_on {
    ($name:ident, $connection:ty, $dialect:expr) => {
        pub(crate) fn $name(
            connection: &mut $connection,
            tables: &[String],
        ) -> diesel::QueryResult<SchemaState> {
            use diesel::RunQueryDsl as _;
            let mut state = SchemaState::empty();
            for table in tables {
                let rows: Vec<ColumnRow> = diesel::sql_query(columns_query($dialect))
                    .bind::<Text, _>(table)
                    .load(connection)?;
                if !rows.is_empty() {
                    let columns = rows
                        .into_iter()
                        .map(|row| ColumnState {
                            name: row.name,
                            nullable: row.not_null == 0,
                        })
                        .collect();
                    state.insert(table.clone(), columns);
                }
            }
            Ok(state)
        }
    };
}

#[cfg(feature = "sqlite")]
read_state_on!(read_sqlite, diesel::SqliteConnection, Dialect::Sqlite);
#[cfg(feature = "postgres")]
read_state_on!(
    read_postgres,
    diesel_async::async_connection_wrapper::AsyncConnectionWrapper<super::backend::PgConnection>,
    Dialect::Postgres
);
#[cfg(feature = "mysql")]
read_state_on!(
    read_mysql,
    diesel_async::async_connection_wrapper::AsyncConnectionWrapper<super::backend::MysqlConnection>,
    Dialect::Mysql
);
