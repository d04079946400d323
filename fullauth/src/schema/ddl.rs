//! SQL rendering of [`TableSchema`] for each database: every backend difference in DDL lives here.

use std::fmt::Write as _;

use super::table::{Column, ColumnType, DefaultValue, Index, TableSchema};

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
        // A one-column key is declared on its column; a composite key as a table constraint.
        let single_key = match table.primary_key.as_slice() {
            [key] => Some(key),
            _ => None,
        };
        let mut lines: Vec<String> = table
            .columns
            .iter()
            .map(|column| self.column_definition(Some(&column.name) == single_key, column))
            .collect();
        if single_key.is_none() && !table.primary_key.is_empty() {
            let columns: Vec<String> = table.primary_key.iter().map(|c| self.quote(c)).collect();
            lines.push(format!("PRIMARY KEY ({})", columns.join(", ")));
        }
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
            sql.push_str(&self.create_index(&table.name, index));
        }
        sql
    }

    /// `CREATE INDEX` (or `CREATE UNIQUE INDEX`) for one index of `table`.
    pub fn create_index(self, table: &str, index: &Index) -> String {
        let columns: Vec<String> = index.columns.iter().map(|c| self.quote(c)).collect();
        format!(
            "CREATE {}INDEX {} ON {} ({});\n",
            if index.unique { "UNIQUE " } else { "" },
            self.quote(&index.name),
            self.quote(table),
            columns.join(", ")
        )
    }

    /// `DROP INDEX`, the revert of [`Self::create_index`].
    pub fn drop_index(self, table: &str, index: &Index) -> String {
        match self {
            Dialect::Mysql => format!(
                "DROP INDEX {} ON {};\n",
                self.quote(&index.name),
                self.quote(table)
            ),
            Dialect::Sqlite | Dialect::Postgres => {
                format!("DROP INDEX {};\n", self.quote(&index.name))
            }
        }
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

    /// `ALTER TABLE ... ADD COLUMN`, for a column added to an existing table.
    pub fn add_column(self, table: &str, column: &Column) -> String {
        format!(
            "ALTER TABLE {} ADD COLUMN {};\n",
            self.quote(table),
            self.column_definition(false, column)
        )
    }

    /// `ALTER TABLE ... ADD COLUMN` for a `NOT NULL` timestamp the declaration gives no default, on a table with
    /// rows: they take the time the column was added (`at`, as `YYYYMMDDHHMMSS` in UTC, on SQLite and MySQL; the
    /// time the statement runs on PostgreSQL), which stays the column's default, so that software that writes
    /// the table without knowing the column keeps working (SQLite could not drop it anyway).
    pub fn add_timestamp_column_filled(self, table: &str, column: &Column, at: &str) -> String {
        let digit = |range: std::ops::Range<usize>| at.get(range).unwrap_or("00");
        let literal = format!(
            "{}-{}-{} {}:{}:{}.000000",
            digit(0..4),
            digit(4..6),
            digit(6..8),
            digit(8..10),
            digit(10..12),
            digit(12..14)
        );
        let default = match self {
            Dialect::Postgres => "now()".to_owned(),
            Dialect::Mysql => format!("'{literal}'"),
            Dialect::Sqlite => format!("'{literal}+00:00'"),
        };
        format!(
            "ALTER TABLE {} ADD COLUMN {} DEFAULT {default};\n",
            self.quote(table),
            self.column_definition(false, column)
        )
    }

    /// SQLite only: rewrites the UUIDs of `table.column` that are written as 32 hex digits (SQLAlchemy's form) in
    /// the hyphenated form fullauth writes and compares them in.
    pub fn hyphenate_uuids(self, table: &str, column: &str) -> String {
        let name = self.quote(column);
        format!(
            "UPDATE {} SET {name} = {} WHERE {};\n",
            self.quote(table),
            hyphenated(&name),
            uuid_in_hex(&name)
        )
    }

    /// SQLite only: [`Self::hyphenate_uuids`] for a column pointing at `target_table.target_column`, run before
    /// the target is rewritten: only the rows whose target exists change (a row whose target is gone, which a
    /// database without enforced foreign keys may hold, is left as it is).
    pub fn hyphenate_references(
        self,
        table: &str,
        column: &str,
        target_table: &str,
        target_column: &str,
    ) -> String {
        let (table, name) = (self.quote(table), self.quote(column));
        let (target_table, target) = (self.quote(target_table), self.quote(target_column));
        format!(
            "UPDATE {table} SET {name} = {} WHERE {} AND EXISTS (SELECT 1 FROM {target_table} WHERE \
             {target_table}.{target} = {table}.{name});\n",
            hyphenated(&name),
            uuid_in_hex(&name)
        )
    }

    /// SQLite only: gives the naive UTC timestamps of `table.column` (`YYYY-MM-DD HH:MM:SS.ffffff`, SQLAlchemy's
    /// form) the `+00:00` of fullauth's form, so that stored times keep one width and compare in time order.
    pub fn offset_naive_timestamps(self, table: &str, column: &str) -> String {
        let name = self.quote(column);
        format!(
            "UPDATE {} SET {name} = {name} || '+00:00' WHERE length({name}) = 26 AND substr({name}, 11, 1) = ' ';\n",
            self.quote(table)
        )
    }

    /// `ALTER TABLE ... DROP COLUMN`, the revert of [`Self::add_column`].
    pub fn drop_column(self, table: &str, column: &Column) -> String {
        format!(
            "ALTER TABLE {} DROP COLUMN {};\n",
            self.quote(table),
            self.quote(&column.name)
        )
    }

    fn column_definition(self, primary_key: bool, column: &Column) -> String {
        let name = self.quote(&column.name);
        if column.generated {
            // An identity primary key: each database spells it its own way.
            return match self {
                Dialect::Sqlite => format!("{name} INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT"),
                Dialect::Postgres => {
                    format!("{name} BIGINT GENERATED BY DEFAULT AS IDENTITY NOT NULL PRIMARY KEY")
                }
                Dialect::Mysql => format!("{name} BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"),
            };
        }
        let mut definition = format!("{name} {}", self.type_name(column.ty));
        if primary_key {
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

/// SQLite: the hyphenated form of the 32 hex digits in the quoted column `name`, lower case.
fn hyphenated(name: &str) -> String {
    format!(
        "lower(substr({name}, 1, 8) || '-' || substr({name}, 9, 4) || '-' || substr({name}, 13, 4) || '-' || \
         substr({name}, 17, 4) || '-' || substr({name}, 21, 12))"
    )
}

/// SQLite: whether the quoted column `name` holds exactly 32 hex digits.
fn uuid_in_hex(name: &str) -> String {
    format!("length({name}) = 32 AND {name} NOT GLOB '*[^0-9A-Fa-f]*'")
}
