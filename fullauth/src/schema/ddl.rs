//! SQL rendering of [`TableSchema`] for each database: every backend difference in DDL lives here.

use std::fmt::Write as _;

use super::{Column, ColumnType, DefaultValue, TableSchema};

/// The SQL dialect of one database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Dialect {
    /// SQLite 3.35 or later.
    Sqlite,
    /// PostgreSQL 12 or later.
    Postgres,
    /// MySQL 8 or MariaDB 10.5 or later.
    Mysql,
}

impl Dialect {
    /// `CREATE TABLE` followed by `CREATE INDEX` statements, each ending in `;` on its own line.
    pub fn create_table(self, table: &TableSchema) -> String {
        let mut sql = format!("CREATE TABLE {} (\n", self.quote(&table.name));
        let mut lines: Vec<String> = table
            .columns
            .iter()
            .map(|column| self.column_definition(table, column))
            .collect();
        for key in &table.foreign_keys {
            lines.push(format!(
                "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({}) ON DELETE CASCADE",
                self.quote(&key.name),
                self.quote(&key.column),
                self.quote(&key.references_table),
                self.quote(&key.references_column)
            ));
        }
        sql.push_str("    ");
        sql.push_str(&lines.join(",\n    "));
        sql.push_str("\n)");
        if self == Dialect::Mysql {
            sql.push_str(" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
        }
        sql.push_str(";\n");
        for index in &table.indexes {
            let columns: Vec<String> = index.columns.iter().map(|c| self.quote(c)).collect();
            let _ = writeln!(
                sql,
                "CREATE {}INDEX {} ON {} ({});",
                if index.unique { "UNIQUE " } else { "" },
                self.quote(&index.name),
                self.quote(&table.name),
                columns.join(", ")
            );
        }
        sql
    }

    /// `DROP TABLE` for the revert direction.
    pub fn drop_table(self, table: &TableSchema) -> String {
        format!("DROP TABLE {};\n", self.quote(&table.name))
    }

    /// Quotes an identifier.
    pub fn quote(self, identifier: &str) -> String {
        match self {
            Dialect::Mysql => format!("`{}`", identifier.replace('`', "``")),
            Dialect::Sqlite | Dialect::Postgres => {
                format!("\"{}\"", identifier.replace('"', "\"\""))
            }
        }
    }

    fn column_definition(self, table: &TableSchema, column: &Column) -> String {
        let mut definition = format!("{} {}", self.quote(&column.name), self.type_name(column.ty));
        if column.name == table.primary_key {
            definition.push_str(" NOT NULL PRIMARY KEY");
        } else if !column.nullable {
            definition.push_str(" NOT NULL");
        }
        if let Some(default) = &column.default {
            let _ = write!(definition, " DEFAULT {}", self.literal(default, column.ty));
        }
        definition
    }

    fn type_name(self, ty: ColumnType) -> String {
        let name = match (self, ty) {
            (Dialect::Postgres, ColumnType::Uuid) => "UUID",
            (Dialect::Mysql, ColumnType::Uuid) => "CHAR(36)",
            (Dialect::Sqlite, ColumnType::Uuid) => "TEXT",
            (Dialect::Sqlite, ColumnType::Text { .. }) => "TEXT",
            (
                _,
                ColumnType::Text {
                    max_length: Some(length),
                },
            ) => return format!("VARCHAR({length})"),
            (_, ColumnType::Text { max_length: None }) => "TEXT",
            (_, ColumnType::Bool) => "BOOLEAN",
            (_, ColumnType::SmallInt) => "SMALLINT",
            (Dialect::Mysql, ColumnType::Integer) => "INT",
            (_, ColumnType::Integer) => "INTEGER",
            (_, ColumnType::BigInt) => "BIGINT",
            (Dialect::Postgres, ColumnType::Float) => "REAL",
            (_, ColumnType::Float) => "FLOAT",
            (Dialect::Postgres, ColumnType::Double) => "DOUBLE PRECISION",
            (_, ColumnType::Double) => "DOUBLE",
            (Dialect::Postgres, ColumnType::Timestamp) => "TIMESTAMPTZ",
            (Dialect::Mysql, ColumnType::Timestamp) => "DATETIME(6)",
            (Dialect::Sqlite, ColumnType::Timestamp) => "TEXT",
        };
        name.to_owned()
    }

    fn literal(self, value: &DefaultValue, ty: ColumnType) -> String {
        match value {
            DefaultValue::Text(text) => {
                let quoted = format!("'{}'", text.replace('\'', "''"));
                // MySQL only accepts a default on TEXT columns as an expression.
                if self == Dialect::Mysql && matches!(ty, ColumnType::Text { max_length: None }) {
                    format!("({quoted})")
                } else {
                    quoted
                }
            }
            DefaultValue::Integer(number) => number.to_string(),
            DefaultValue::Float(number) => format!("{number:?}"),
            DefaultValue::Bool(flag) => match (self, flag) {
                (Dialect::Postgres, true) => "TRUE".to_owned(),
                (Dialect::Postgres, false) => "FALSE".to_owned(),
                (_, true) => "1".to_owned(),
                (_, false) => "0".to_owned(),
            },
        }
    }
}
