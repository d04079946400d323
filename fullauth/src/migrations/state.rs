use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::schema::TableSchema;

/// One column as it exists (in a database or in a migration folder): its name and whether it allows `NULL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnState {
    /// Column name.
    pub name: String,
    /// Whether `NULL` is allowed.
    pub nullable: bool,
}

/// The fullauth tables as they exist somewhere: in a database (read from its catalog) or at the end of a
/// migration folder (read from the snapshot fullauth writes into each migration it generates).
///
/// The names of a table's indexes are known for a database, and for a folder whose migrations create the table;
/// where they are unknown, indexes are not compared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaState {
    tables: BTreeMap<String, Vec<ColumnState>>,
    indexes: BTreeMap<String, BTreeSet<String>>,
    references: BTreeMap<String, Vec<ColumnReference>>,
}

/// A foreign key of some table of the database pointing at a column of a fullauth table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnReference {
    /// The table holding the foreign key (any table, not only fullauth's).
    pub table: String,
    /// Its column.
    pub column: String,
    /// The column of the fullauth table it points at.
    pub target_column: String,
}

/// The marker of a snapshot line in a generated `up.sql`.
const SNAPSHOT_MARKER: &str = "-- fullauth-table ";

impl SchemaState {
    /// No tables.
    pub fn empty() -> Self {
        Self::default()
    }

    /// The state the structs describe.
    pub fn of(tables: impl IntoIterator<Item = TableSchema>) -> Self {
        let mut state = Self::empty();
        for table in tables {
            let columns = table
                .columns
                .iter()
                .map(|column| ColumnState {
                    name: column.name.to_string(),
                    nullable: column.nullable,
                })
                .collect();
            state.insert(table.name.to_string(), columns);
        }
        state
    }

    /// Records a table and its columns.
    pub fn insert(&mut self, table: String, columns: Vec<ColumnState>) {
        self.tables.insert(table, columns);
    }

    /// Records the names of a table's indexes (every index, its primary key's included where the database
    /// names one).
    pub fn insert_indexes(&mut self, table: String, names: BTreeSet<String>) {
        self.indexes.insert(table, names);
    }

    /// Records the foreign keys pointing at `table` (read on SQLite, where taking a table over may rewrite the
    /// values they point at).
    pub fn insert_references(&mut self, table: String, references: Vec<ColumnReference>) {
        self.references.insert(table, references);
    }

    /// The foreign keys known to point at `table`.
    pub fn references(&self, table: &str) -> &[ColumnReference] {
        self.references.get(table).map_or(&[], Vec::as_slice)
    }

    /// The names of a table's indexes, when they are known.
    pub fn indexes(&self, table: &str) -> Option<&BTreeSet<String>> {
        self.indexes.get(table)
    }

    /// Takes over the tables of `other`, replacing those of the same name.
    pub fn merge(&mut self, other: SchemaState) {
        self.tables.extend(other.tables);
        self.indexes.extend(other.indexes);
        self.references.extend(other.references);
    }

    /// Follows the index statements of a migration's SQL: a `CREATE TABLE` makes the table's indexes known (none
    /// yet), a `CREATE INDEX ... ON` a known table adds one, a `DROP INDEX` removes one.
    pub(crate) fn follow_index_statements(&mut self, sql: &str) {
        for statement in sql.split(';') {
            let words: Vec<&str> = statement
                .lines()
                .filter(|line| !line.trim_start().starts_with("--"))
                .flat_map(str::split_whitespace)
                .collect();
            match words.as_slice() {
                ["CREATE", "TABLE", table, ..] => {
                    self.indexes.insert(unquote(table), BTreeSet::new());
                }
                ["CREATE", "INDEX", name, "ON", table, ..]
                | ["CREATE", "UNIQUE", "INDEX", name, "ON", table, ..] => {
                    let table = unquote(table.split('(').next().unwrap_or(table));
                    if let Some(names) = self.indexes.get_mut(&table) {
                        names.insert(unquote(name));
                    }
                }
                ["DROP", "INDEX", name, ..] => {
                    let name = unquote(name);
                    for names in self.indexes.values_mut() {
                        names.remove(&name);
                    }
                }
                _ => {}
            }
        }
    }

    /// The names of the tables.
    pub fn table_names(&self) -> impl Iterator<Item = &str> {
        self.tables.keys().map(String::as_str)
    }

    /// The columns of a table, if it exists.
    pub fn table(&self, name: &str) -> Option<&[ColumnState]> {
        self.tables.get(name).map(Vec::as_slice)
    }

    /// The state as SQL comments, one line per table (`-- fullauth-table users: id email nickname? ...`, `?`
    /// marking a nullable column), for the `up.sql` of a generated migration.
    pub fn snapshot_comment(&self) -> String {
        let mut comment = String::from(
            "-- The fullauth tables after this migration, read by `migrations write` and `check`:\n",
        );
        for (table, columns) in &self.tables {
            let columns: Vec<String> = columns
                .iter()
                .map(|column| {
                    if column.nullable {
                        format!("{}?", column.name)
                    } else {
                        column.name.clone()
                    }
                })
                .collect();
            let _ = writeln!(comment, "{SNAPSHOT_MARKER}{table}: {}", columns.join(" "));
        }
        comment
    }

    /// Reads the snapshot of an `up.sql`; `None` when it has none (a migration fullauth did not write).
    pub fn from_snapshot(sql: &str) -> Option<Self> {
        let mut state = Self::empty();
        let mut found = false;
        for line in sql.lines() {
            let Some(rest) = line.strip_prefix(SNAPSHOT_MARKER) else {
                continue;
            };
            let Some((table, columns)) = rest.split_once(':') else {
                continue;
            };
            found = true;
            let columns = columns
                .split_whitespace()
                .map(|column| match column.strip_suffix('?') {
                    Some(name) => ColumnState {
                        name: name.to_owned(),
                        nullable: true,
                    },
                    None => ColumnState {
                        name: column.to_owned(),
                        nullable: false,
                    },
                })
                .collect();
            state.insert(table.trim().to_owned(), columns);
        }
        found.then_some(state)
    }
}

/// An identifier as written in generated SQL, without its quotes (`"name"` or `` `name` ``).
fn unquote(identifier: &str) -> String {
    let quote = identifier.chars().next();
    match quote {
        Some(quote @ ('"' | '`')) => {
            let inner = identifier
                .strip_prefix(quote)
                .and_then(|rest| rest.strip_suffix(quote))
                .unwrap_or(identifier);
            inner.replace(&format!("{quote}{quote}"), &quote.to_string())
        }
        _ => identifier.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, ColumnType};

    #[test]
    fn snapshots_round_trip() {
        let table = TableSchema::new("users", "id")
            .column(Column::new("id", ColumnType::Uuid))
            .column(Column::new("nickname", ColumnType::Text { max_length: None }).nullable());
        let state = SchemaState::of([table]);
        let sql = format!("{}CREATE TABLE ...;\n", state.snapshot_comment());
        assert_eq!(SchemaState::from_snapshot(&sql), Some(state));
        assert_eq!(
            SchemaState::from_snapshot("CREATE TABLE posts (id INT);"),
            None
        );
    }

    #[test]
    fn index_statements_are_followed_for_tables_created_in_the_folder() {
        let mut state = SchemaState::empty();
        state.follow_index_statements(
            "-- fullauth-table tokens: id\nCREATE TABLE \"tokens\" (\n    \"id\" UUID NOT NULL PRIMARY KEY\n);\n\
             CREATE INDEX \"tokens_family_id_idx\" ON \"tokens\" (\"family_id\");\n\
             CREATE UNIQUE INDEX `tokens_digest_key` ON `tokens` (`digest`);\n\
             CREATE INDEX \"posts_title_idx\" ON \"posts\" (\"title\");\n",
        );
        let names = |state: &SchemaState| state.indexes("tokens").cloned().unwrap_or_default();
        assert_eq!(
            names(&state),
            BTreeSet::from([
                "tokens_family_id_idx".to_owned(),
                "tokens_digest_key".to_owned()
            ])
        );
        assert_eq!(state.indexes("posts"), None, "not created in the folder");
        state.follow_index_statements("DROP INDEX `tokens_digest_key` ON `tokens`;\n");
        assert_eq!(
            names(&state),
            BTreeSet::from(["tokens_family_id_idx".to_owned()])
        );
    }
}
