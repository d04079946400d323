//! Reading which fullauth tables, columns and indexes a database has, from its catalog.

use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};

use crate::migrations::{ColumnReference, ColumnState, SchemaState};
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

#[derive(QueryableByName)]
struct IndexRow {
    #[diesel(sql_type = Text)]
    name: String,
}

/// The catalog query listing the names of a table's indexes, its one parameter the table name.
fn indexes_query(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "SELECT name FROM pragma_index_list(?)",
        Dialect::Postgres => {
            "SELECT CAST(indexname AS TEXT) AS name FROM pg_indexes \
             WHERE schemaname = current_schema() AND tablename = $1"
        }
        Dialect::Mysql => {
            "SELECT DISTINCT CAST(index_name AS CHAR) AS name FROM information_schema.statistics \
             WHERE table_schema = DATABASE() AND table_name = ?"
        }
    }
}

#[derive(QueryableByName)]
struct ReferenceRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    target_column: String,
}

/// The catalog query listing the foreign keys of every table that point at a table, its one parameter the table
/// pointed at; read on SQLite only, where taking a table over may rewrite the values they point at.
fn references_query(dialect: Dialect) -> Option<&'static str> {
    match dialect {
        Dialect::Sqlite => Some(
            // A key declared without a column points at the target's primary key.
            r#"SELECT m.name AS table_name, p."from" AS column_name,
                      COALESCE(p."to", (SELECT k.name FROM pragma_table_info(p."table") AS k WHERE k.pk = 1))
                        AS target_column
               FROM sqlite_master AS m JOIN pragma_foreign_key_list(m.name) AS p
               WHERE m.type = 'table' AND p."table" = ? COLLATE NOCASE"#,
        ),
        Dialect::Postgres | Dialect::Mysql => None,
    }
}

/// Reads the columns and index names of `tables` on a synchronous connection; a table without columns does not exist.
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
                    let indexes: Vec<IndexRow> = diesel::sql_query(indexes_query($dialect))
                        .bind::<Text, _>(table)
                        .load(connection)?;
                    state.insert_indexes(
                        table.clone(),
                        indexes.into_iter().map(|row| row.name).collect(),
                    );
                    if let Some(query) = references_query($dialect) {
                        let references: Vec<ReferenceRow> = diesel::sql_query(query)
                            .bind::<Text, _>(table)
                            .load(connection)?;
                        state.insert_references(
                            table.clone(),
                            references
                                .into_iter()
                                .map(|row| ColumnReference {
                                    table: row.table_name,
                                    column: row.column_name,
                                    target_column: row.target_column,
                                })
                                .collect(),
                        );
                    }
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
