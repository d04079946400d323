//! Taking over tables that exist already, created by another library (fastapi-fullauth, say) rather than by a
//! fullauth migration: their creating migration is recorded as applied without creating anything. On SQLite, the
//! first of these migrations also rewrites what fullauth would otherwise not find: UUIDs written as 32 hex digits
//! become hyphenated (in the tables taken over and in every column of the database pointing at them, under
//! deferred foreign keys), and naive UTC timestamps get their `+00:00`. Other databases store both natively. The
//! additive step that follows adds the columns and indexes the tables lack.

use std::collections::BTreeSet;

use super::{DeclaredTable, FullAuthMigrations, SchemaState, SqlMigration, UnsupportedChange};
use crate::schema::{ColumnType, Dialect};

/// `source` (the creating migrations of `declared`) with the migration of each table that `existing` has but
/// whose version is not among the `applied` ones replaced by one that takes the table over, under the same
/// version; a table fullauth created, or one that does not exist, keeps its migration. Refused on MySQL, where
/// SQLAlchemy's `CHAR(32)` ids cannot hold fullauth's.
pub fn adopt_existing_tables(
    source: FullAuthMigrations,
    dialect: Dialect,
    declared: &[DeclaredTable],
    existing: &SchemaState,
    applied: &[String],
) -> Result<FullAuthMigrations, UnsupportedChange> {
    let taken_over: Vec<&DeclaredTable> = declared
        .iter()
        .filter(|table| {
            existing.table(&table.schema.name).is_some()
                && !applied.iter().any(|version| version == table.version)
        })
        .collect();
    if let (Dialect::Mysql, Some(table)) = (dialect, taken_over.first()) {
        return Err(UnsupportedChange(format!(
            "the table `{}` exists without a fullauth migration behind it; taking tables over is supported on \
             SQLite and PostgreSQL only",
            table.schema.name
        )));
    }
    let mut rewrite = Some(rewrites(dialect, &taken_over, existing));
    let migrations = source
        .migrations()
        .iter()
        .map(|migration| {
            let Some(table) = taken_over
                .iter()
                .find(|table| table.version == migration.version())
            else {
                return migration.clone();
            };
            tracing::info!(
                table = %table.schema.name,
                "taking over a table that exists without a fullauth migration behind it"
            );
            // The rewrites run once, in the first (oldest) migration taking a table over.
            let up = rewrite
                .take()
                .filter(|sql| !sql.is_empty())
                .unwrap_or_else(|| "SELECT 1;\n".to_owned());
            SqlMigration::new(
                table.version,
                format!("fullauth_adopt_{}", table.schema.name),
                up,
                "SELECT 1;\n".to_owned(),
            )
        })
        .collect();
    Ok(FullAuthMigrations::new(migrations))
}

/// The SQL that makes the data of the tables taken over readable by fullauth: empty but on SQLite.
fn rewrites(dialect: Dialect, taken_over: &[&DeclaredTable], existing: &SchemaState) -> String {
    if !matches!(dialect, Dialect::Sqlite) {
        return String::new();
    }
    // Columns pointing at a rewritten id change first, while their targets still hold the old form; then the
    // ids themselves.
    let mut references: BTreeSet<(String, String, String, String)> = BTreeSet::new();
    let mut uuid_columns: BTreeSet<(String, String)> = BTreeSet::new();
    let mut timestamp_columns: BTreeSet<(String, String)> = BTreeSet::new();
    for table in taken_over {
        let name = table.schema.name.to_string();
        let present = existing.table(&name).unwrap_or_default();
        for column in &table.schema.columns {
            if !present.iter().any(|state| state.name == column.name) {
                continue;
            }
            let key = (name.clone(), column.name.to_string());
            match column.ty {
                ColumnType::Uuid => {
                    for reference in existing.references(&name) {
                        if reference.target_column == column.name {
                            references.insert((
                                reference.table.clone(),
                                reference.column.clone(),
                                name.clone(),
                                column.name.to_string(),
                            ));
                        }
                    }
                    uuid_columns.insert(key);
                }
                ColumnType::Timestamp => {
                    timestamp_columns.insert(key);
                }
                _ => {}
            }
        }
    }
    uuid_columns.retain(|(table, column)| {
        !references
            .iter()
            .any(|(from, from_column, _, _)| from == table && from_column == column)
    });
    if references.is_empty() && uuid_columns.is_empty() && timestamp_columns.is_empty() {
        return String::new();
    }
    // Parents and children change in one transaction: their foreign keys are checked at its end.
    let mut sql = "PRAGMA defer_foreign_keys = ON;\n".to_owned();
    for (table, column, target_table, target_column) in &references {
        sql.push_str(&dialect.hyphenate_references(table, column, target_table, target_column));
    }
    for (table, column) in &uuid_columns {
        sql.push_str(&dialect.hyphenate_uuids(table, column));
    }
    for (table, column) in &timestamp_columns {
        sql.push_str(&dialect.offset_naive_timestamps(table, column));
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::migrations::{ColumnReference, ColumnState};
    use crate::schema::{Column, TableSchema};

    fn table(
        name: &'static str,
        version: &'static str,
        columns: &[(&'static str, ColumnType)],
    ) -> DeclaredTable {
        let mut schema = TableSchema::new(name, "id");
        for (column, ty) in columns {
            schema.columns.push(Column::new(*column, *ty));
        }
        DeclaredTable { version, schema }
    }

    fn declared() -> [DeclaredTable; 2] {
        [
            table(
                "fullauth_users",
                DeclaredTable::USERS_VERSION,
                &[
                    ("id", ColumnType::Uuid),
                    ("created_at", ColumnType::Timestamp),
                ],
            ),
            table(
                "fullauth_roles",
                DeclaredTable::ROLE_VERSIONS[0],
                &[
                    ("id", ColumnType::Uuid),
                    ("name", ColumnType::Text { max_length: None }),
                ],
            ),
        ]
    }

    fn existing(names: &[&str]) -> SchemaState {
        let mut state = SchemaState::empty();
        for name in names {
            let columns = ["id", "created_at", "name"]
                .map(|column| ColumnState {
                    name: column.into(),
                    nullable: false,
                })
                .to_vec();
            state.insert((*name).into(), columns);
        }
        state.insert_references(
            "fullauth_users".into(),
            vec![ColumnReference {
                table: "fullauth_refresh_tokens".into(),
                column: "user_id".into(),
                target_column: "id".into(),
            }],
        );
        state
    }

    #[test]
    fn tables_another_library_created_are_taken_over_not_created() {
        let declared = declared();
        let source = FullAuthMigrations::create_tables(Dialect::Sqlite, &declared);
        let state = existing(&["fullauth_users", "fullauth_roles"]);
        let adopted =
            adopt_existing_tables(source, Dialect::Sqlite, &declared, &state, &[]).unwrap();
        let [users, roles] = adopted.migrations() else {
            panic!("two migrations")
        };
        assert_eq!(users.version(), DeclaredTable::USERS_VERSION);
        let up = users.up_sql();
        assert!(!up.contains("CREATE TABLE"), "{up}");
        assert!(up.starts_with("PRAGMA defer_foreign_keys = ON;"), "{up}");
        for rewritten in [
            "UPDATE \"fullauth_users\" SET \"id\"",
            "UPDATE \"fullauth_roles\" SET \"id\"",
            "UPDATE \"fullauth_refresh_tokens\" SET \"user_id\"",
            "EXISTS (SELECT 1 FROM \"fullauth_users\" WHERE \"fullauth_users\".\"id\" = \"fullauth_refresh_tokens\".\"user_id\")",
            "NOT GLOB '*[^0-9A-Fa-f]*'",
            "UPDATE \"fullauth_users\" SET \"created_at\" = \"created_at\" || '+00:00'",
        ] {
            assert!(up.contains(rewritten), "{rewritten} in {up}");
        }
        assert!(
            up.find("\"fullauth_refresh_tokens\"").unwrap()
                < up.find("UPDATE \"fullauth_users\" SET \"id\"").unwrap(),
            "references change before their targets: {up}"
        );
        assert_eq!(roles.up_sql(), "SELECT 1;\n", "the rewrites run once");
    }

    #[test]
    fn other_databases_store_uuids_and_times_natively() {
        let declared = declared();
        let state = existing(&["fullauth_users", "fullauth_roles"]);
        let adopted = adopt_existing_tables(
            FullAuthMigrations::create_tables(Dialect::Postgres, &declared),
            Dialect::Postgres,
            &declared,
            &state,
            &[],
        )
        .unwrap();
        for migration in adopted.migrations() {
            assert_eq!(migration.up_sql(), "SELECT 1;\n");
        }
    }

    #[test]
    fn tables_fullauth_created_or_that_are_missing_keep_their_migration() {
        let declared = declared();
        let source = FullAuthMigrations::create_tables(Dialect::Sqlite, &declared);
        let applied = [DeclaredTable::USERS_VERSION.to_owned()];
        let only_users = existing(&["fullauth_users"]);
        let kept = adopt_existing_tables(
            source.clone(),
            Dialect::Sqlite,
            &declared,
            &only_users,
            &applied,
        )
        .unwrap();
        assert_eq!(kept, source);
    }

    #[test]
    fn taking_tables_over_is_refused_on_mysql() {
        let declared = declared();
        let state = existing(&["fullauth_users"]);
        let source = FullAuthMigrations::create_tables(Dialect::Mysql, &declared);
        let refused = adopt_existing_tables(source.clone(), Dialect::Mysql, &declared, &state, &[])
            .unwrap_err();
        assert!(
            refused.to_string().contains("`fullauth_users`"),
            "{refused}"
        );
        let nothing_to_take = adopt_existing_tables(
            source.clone(),
            Dialect::Mysql,
            &declared,
            &SchemaState::empty(),
            &[],
        );
        assert_eq!(nothing_to_take.unwrap(), source);
    }
}
