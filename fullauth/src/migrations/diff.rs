use std::fmt;

use super::{DeclaredTable, SchemaState, SqlMigration};
use crate::schema::{Column, ColumnType, Dialect, Index, TableSchema};

/// A way in which a database or a migration folder differs from the structs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SchemaDifference {
    /// A declared model has no table.
    MissingTable {
        /// Table name.
        table: String,
    },
    /// A field has no column.
    MissingColumn {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
    },
    /// A column has no field (fullauth never drops columns: remove it yourself if it is no longer needed).
    UnexpectedColumn {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
    },
    /// A column allows `NULL` where the field is not an `Option`, or the other way round.
    Nullability {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
        /// Whether the struct's field is an `Option`.
        nullable_in_struct: bool,
    },
    /// An index fullauth declares for a table is missing (indexes it does not declare are left alone).
    MissingIndex {
        /// Table name.
        table: String,
        /// Index name.
        index: String,
    },
}

impl fmt::Display for SchemaDifference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemaDifference::MissingTable { table } => write!(f, "table `{table}` is missing"),
            SchemaDifference::MissingColumn { table, column } => {
                write!(
                    f,
                    "column `{table}.{column}` is missing (the struct has the field)"
                )
            }
            SchemaDifference::UnexpectedColumn { table, column } => {
                write!(f, "column `{table}.{column}` has no field in the struct")
            }
            SchemaDifference::MissingIndex { table, index } => {
                write!(f, "index `{index}` on `{table}` is missing")
            }
            SchemaDifference::Nullability {
                table,
                column,
                nullable_in_struct: true,
            } => {
                write!(
                    f,
                    "column `{table}.{column}` is NOT NULL, but the field is an Option"
                )
            }
            SchemaDifference::Nullability {
                table,
                column,
                nullable_in_struct: false,
            } => {
                write!(
                    f,
                    "column `{table}.{column}` allows NULL, but the field is not an Option"
                )
            }
        }
    }
}

/// Every difference between the declared tables and an existing state.
pub fn compare(declared: &[DeclaredTable], existing: &SchemaState) -> Vec<SchemaDifference> {
    let mut differences = Vec::new();
    for DeclaredTable { schema, .. } in declared {
        let table = schema.name.to_string();
        let Some(columns) = existing.table(&table) else {
            differences.push(SchemaDifference::MissingTable { table });
            continue;
        };
        for column in &schema.columns {
            match columns.iter().find(|existing| existing.name == column.name) {
                None => differences.push(SchemaDifference::MissingColumn {
                    table: table.clone(),
                    column: column.name.to_string(),
                }),
                Some(existing) if existing.nullable != column.nullable => {
                    differences.push(SchemaDifference::Nullability {
                        table: table.clone(),
                        column: column.name.to_string(),
                        nullable_in_struct: column.nullable,
                    });
                }
                Some(_) => {}
            }
        }
        for existing in columns {
            if schema.find_column(&existing.name).is_none() {
                differences.push(SchemaDifference::UnexpectedColumn {
                    table: table.clone(),
                    column: existing.name.clone(),
                });
            }
        }
        for index in missing_indexes(schema, existing) {
            differences.push(SchemaDifference::MissingIndex {
                table: table.clone(),
                index: index.name.to_string(),
            });
        }
    }
    differences
}

/// The declared indexes of an existing table that `existing` knows it lacks (none when its indexes are unknown).
fn missing_indexes<'a>(schema: &'a TableSchema, existing: &SchemaState) -> Vec<&'a Index> {
    let Some(names) = existing.indexes(&schema.name) else {
        return Vec::new();
    };
    schema
        .indexes
        .iter()
        .filter(|index| !names.contains(index.name.as_ref()))
        .collect()
}

/// Why the structs cannot be reached by adding to the existing schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedChange(pub String);

impl fmt::Display for UnsupportedChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UnsupportedChange {}

/// The migrations that bring `existing` up to the declared tables by adding only: a `CREATE TABLE` (with the
/// table's fixed version) per missing table, and one migration with version `version` adding every missing
/// column and then every missing index. Never drops or alters anything; a new `NOT NULL` column needs a default,
/// since existing rows have no value for it, except a timestamp (a `created_at`), which existing rows get as the
/// time the column was added.
pub fn additive_migrations(
    dialect: Dialect,
    declared: &[DeclaredTable],
    existing: &SchemaState,
    version: &str,
) -> Result<Vec<SqlMigration>, UnsupportedChange> {
    let mut migrations = Vec::new();
    let mut added: Vec<(&str, &Column)> = Vec::new();
    let mut indexed: Vec<(&str, &Index)> = Vec::new();
    for table in declared {
        let Some(columns) = existing.table(&table.schema.name) else {
            migrations.push(table.create_migration(dialect));
            continue;
        };
        for index in missing_indexes(&table.schema, existing) {
            indexed.push((&table.schema.name, index));
        }
        for column in &table.schema.columns {
            if columns.iter().any(|existing| existing.name == column.name) {
                continue;
            }
            if !column.nullable && column.default.is_none() && !is_creation_time(column) {
                return Err(UnsupportedChange(format!(
                    "the new column `{}.{}` is NOT NULL without a default, and existing rows have no value for \
                     it: give the field `#[fullauth(default = ...)]` or make it an `Option`",
                    table.schema.name, column.name
                )));
            }
            added.push((&table.schema.name, column));
        }
    }
    if !added.is_empty() || !indexed.is_empty() {
        let names: Vec<String> = added
            .iter()
            .map(|(table, column)| format!("{table}_{}", column.name))
            .chain(indexed.iter().map(|(_, index)| index.name.to_string()))
            .collect();
        let up: String = added
            .iter()
            .map(|(table, column)| {
                if !column.nullable && column.default.is_none() {
                    dialect.add_timestamp_column_filled(table, column, &version_time(version))
                } else {
                    dialect.add_column(table, column)
                }
            })
            .chain(
                indexed
                    .iter()
                    .map(|(table, index)| dialect.create_index(table, index)),
            )
            .collect();
        let down: String = indexed
            .iter()
            .rev()
            .map(|(table, index)| dialect.drop_index(table, index))
            .chain(
                added
                    .iter()
                    .rev()
                    .map(|(table, column)| dialect.drop_column(table, column)),
            )
            .collect();
        migrations.push(SqlMigration::new(
            version,
            format!("fullauth_add_{}", names.join("_")),
            up,
            down,
        ));
    }
    Ok(migrations)
}

/// Whether `column` is a row's creation time (`created_at`), which rows that exist already may take as the time
/// the column was added; any other timestamp has a meaning no migration can guess.
fn is_creation_time(column: &Column) -> bool {
    column.ty == ColumnType::Timestamp && column.name == "created_at"
}

/// The time of a migration version (`YYYYMMDDHHMMSS`), as `YYYYMMDDHHMMSS` digits of a valid time: a version
/// moved on by a few seconds to keep it unique may read as second 60, which is taken as 59.
fn version_time(version: &str) -> String {
    let digits: Vec<u32> = version.chars().filter_map(|c| c.to_digit(10)).collect();
    let number = |from: usize, width: usize| -> u32 {
        digits
            .iter()
            .skip(from)
            .take(width)
            .fold(0, |value, digit| value * 10 + digit)
    };
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        number(0, 4),
        number(4, 2).clamp(1, 12),
        number(6, 2).clamp(1, 31),
        number(8, 2).min(23),
        number(10, 2).min(59),
        number(12, 2).min(59)
    )
}

/// A migration version for now: `YYYYMMDDHHMMSS` in UTC, as diesel-cli writes them.
pub fn timestamp_version(now: time::OffsetDateTime) -> String {
    let now = now.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrations::ColumnState;

    fn roles() -> DeclaredTable {
        let mut schema = TableSchema::new("roles", "id");
        schema.columns.push(Column::new("id", ColumnType::Uuid));
        schema
            .columns
            .push(Column::new("created_at", ColumnType::Timestamp));
        DeclaredTable {
            version: DeclaredTable::ROLE_VERSIONS[0],
            schema,
        }
    }

    fn without_created_at() -> SchemaState {
        let mut state = SchemaState::empty();
        let id = ColumnState {
            name: "id".into(),
            nullable: false,
        };
        state.insert("roles".into(), vec![id]);
        state
    }

    #[test]
    fn a_missing_timestamp_is_added_with_the_time_it_was_added() {
        let expected = [
            (
                Dialect::Postgres,
                "ALTER TABLE \"roles\" ADD COLUMN \"created_at\" TIMESTAMPTZ NOT NULL DEFAULT now();\n",
            ),
            (
                Dialect::Mysql,
                "ALTER TABLE `roles` ADD COLUMN `created_at` DATETIME(6) NOT NULL DEFAULT '2026-12-06 05:30:07.000000';\n",
            ),
            (
                Dialect::Sqlite,
                "ALTER TABLE \"roles\" ADD COLUMN \"created_at\" TEXT NOT NULL DEFAULT '2026-12-06 05:30:07.000000+00:00';\n",
            ),
        ];
        for (dialect, sql) in expected {
            let steps =
                additive_migrations(dialect, &[roles()], &without_created_at(), "20261206053007")
                    .unwrap();
            let [step] = steps.as_slice() else {
                panic!("one migration")
            };
            assert_eq!(step.up_sql(), sql, "{dialect:?}");
        }
    }

    #[test]
    fn a_version_moved_past_second_59_still_makes_a_time() {
        assert_eq!(version_time("20261206053060"), "20261206053059");
        assert_eq!(version_time("20261206053007"), "20261206053007");
    }

    #[test]
    fn other_missing_columns_without_a_default_are_still_refused() {
        let mut table = roles();
        table
            .schema
            .columns
            .push(Column::new("level", ColumnType::Integer));
        table
            .schema
            .columns
            .push(Column::new("expires_at", ColumnType::Timestamp));
        let error = additive_migrations(
            Dialect::Sqlite,
            &[table],
            &without_created_at(),
            "20261206053007",
        )
        .unwrap_err();
        assert!(error.to_string().contains("`roles.level`"), "{error}");
        let mut only_expiry = roles();
        only_expiry
            .schema
            .columns
            .push(Column::new("expires_at", ColumnType::Timestamp));
        let error = additive_migrations(
            Dialect::Sqlite,
            &[only_expiry],
            &without_created_at(),
            "20261206053007",
        )
        .unwrap_err();
        assert!(error.to_string().contains("`roles.expires_at`"), "{error}");
    }
}
