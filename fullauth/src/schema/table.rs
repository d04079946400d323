//! [`TableSchema`]: a table, its columns, keys and indexes, described once for every database.

use std::borrow::Cow;

/// One table: its columns, primary key, indexes and foreign keys.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSchema {
    /// Table name.
    pub name: Cow<'static, str>,
    /// Columns in declaration order.
    pub columns: Vec<Column>,
    /// The primary-key columns: one, or several for a link table.
    pub primary_key: Vec<Cow<'static, str>>,
    /// Secondary indexes.
    pub indexes: Vec<Index>,
    /// Foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
}

impl TableSchema {
    /// A table with no columns yet, keyed on `primary_key`.
    pub fn new(
        name: impl Into<Cow<'static, str>>,
        primary_key: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            name: name.into(),
            columns: Vec::new(),
            primary_key: vec![primary_key.into()],
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
        }
    }

    /// A table with no columns yet, keyed on several columns together (a link table).
    pub fn with_composite_key(
        name: impl Into<Cow<'static, str>>,
        primary_key: &[&'static str],
    ) -> Self {
        Self {
            name: name.into(),
            columns: Vec::new(),
            primary_key: primary_key
                .iter()
                .map(|column| Cow::Borrowed(*column))
                .collect(),
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
        }
    }

    /// Adds columns, in order.
    #[must_use]
    pub fn with_columns(mut self, columns: impl IntoIterator<Item = Column>) -> Self {
        self.columns.extend(columns);
        self
    }

    /// Adds a column.
    #[must_use]
    pub fn column(mut self, column: Column) -> Self {
        self.columns.push(column);
        self
    }

    /// Adds an index on `columns`, named `<table>_<columns>_key` when unique and `<table>_<columns>_idx` otherwise.
    #[must_use]
    pub fn index(mut self, columns: &[&'static str], unique: bool) -> Self {
        let suffix = if unique { "key" } else { "idx" };
        let name = format!("{}_{}_{}", self.name, columns.join("_"), suffix);
        self.indexes.push(Index {
            name: name.into(),
            columns: columns.iter().map(|c| Cow::Borrowed(*c)).collect(),
            unique,
        });
        self
    }

    /// Adds an index on `columns` named `<table>_<suffix>`, for an index whose columns would make a name too
    /// long for the databases (63 characters on PostgreSQL).
    #[must_use]
    pub fn named_index(mut self, suffix: &str, columns: &[&'static str], unique: bool) -> Self {
        self.indexes.push(Index {
            name: format!("{}_{suffix}", self.name).into(),
            columns: columns.iter().map(|c| Cow::Borrowed(*c)).collect(),
            unique,
        });
        self
    }

    /// Adds a foreign key from `column` to `references_table(references_column)`, deleting rows with their parent.
    #[must_use]
    pub fn foreign_key_cascade(
        mut self,
        column: &'static str,
        references_table: impl Into<Cow<'static, str>>,
        references_column: impl Into<Cow<'static, str>>,
    ) -> Self {
        let references_table = references_table.into();
        let name = format!("{}_{}_fkey", self.name, column);
        self.foreign_keys.push(ForeignKey {
            name: name.into(),
            column: column.into(),
            references_table,
            references_column: references_column.into(),
        });
        self
    }

    /// The column called `name`, if any.
    pub fn find_column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|column| column.name == name)
    }
}

/// One column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Column name in the database.
    pub name: Cow<'static, str>,
    /// Logical type.
    pub ty: ColumnType,
    /// Whether `NULL` is allowed.
    pub nullable: bool,
    /// The `DEFAULT` clause, if any.
    pub default: Option<DefaultValue>,
    /// Whether the database assigns the value on insert (an identity primary key).
    pub generated: bool,
}

impl Column {
    /// A `NOT NULL` column without default.
    pub fn new(name: impl Into<Cow<'static, str>>, ty: ColumnType) -> Self {
        Self {
            name: name.into(),
            ty,
            nullable: false,
            default: None,
            generated: false,
        }
    }

    /// Allows `NULL`.
    #[must_use]
    pub fn nullable(mut self) -> Self {
        self.nullable = true;
        self
    }

    /// Marks the column as assigned by the database on insert (only for an integer primary key).
    #[must_use]
    pub fn generated(mut self, generated: bool) -> Self {
        self.generated = generated;
        self
    }

    /// Sets the `DEFAULT` clause.
    #[must_use]
    pub fn default(mut self, value: DefaultValue) -> Self {
        self.default = Some(value);
        self
    }
}

/// The logical type of a column; [`super::Dialect`] maps it to each database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ColumnType {
    /// [`crate::sql_types::Uuid`].
    Uuid,
    /// Text, with an optional maximum length in characters.
    Text {
        /// Maximum length in characters.
        max_length: Option<u32>,
    },
    /// Boolean.
    Bool,
    /// 16-bit integer.
    SmallInt,
    /// 32-bit integer.
    Integer,
    /// 64-bit integer.
    BigInt,
    /// 32-bit float.
    Float,
    /// 64-bit float.
    Double,
    /// [`crate::sql_types::UtcTimestamp`].
    Timestamp,
}

/// A literal `DEFAULT` value.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum DefaultValue {
    /// A string literal.
    Text(Cow<'static, str>),
    /// An integer literal.
    Integer(i64),
    /// A float literal.
    Float(f64),
    /// A boolean literal.
    Bool(bool),
}

/// A secondary index.
#[derive(Debug, Clone, PartialEq)]
pub struct Index {
    /// Index name.
    pub name: Cow<'static, str>,
    /// Indexed columns, in order.
    pub columns: Vec<Cow<'static, str>>,
    /// Whether the index is unique.
    pub unique: bool,
}

/// A foreign key that deletes the row with its parent (`ON DELETE CASCADE`).
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKey {
    /// Constraint name.
    pub name: Cow<'static, str>,
    /// Referencing column.
    pub column: Cow<'static, str>,
    /// Referenced table.
    pub references_table: Cow<'static, str>,
    /// Referenced column.
    pub references_column: Cow<'static, str>,
}
