use std::collections::BTreeMap;
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaState {
    tables: BTreeMap<String, Vec<ColumnState>>,
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

    /// Takes over the tables of `other`, replacing those of the same name.
    pub fn merge(&mut self, other: SchemaState) {
        self.tables.extend(other.tables);
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
}
