use std::fmt;

use diesel::backend::Backend as DieselBackend;
use diesel::migration::{
    Migration, MigrationMetadata, MigrationName, MigrationSource, MigrationVersion,
};

use crate::schema::{Dialect, TableSchema};

/// One generated migration: SQL to apply and to revert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlMigration {
    version: String,
    name: String,
    up: String,
    down: String,
}

impl SqlMigration {
    /// A migration named `<version>_<name>`, as diesel-cli names migration folders.
    pub fn new(
        version: impl Into<String>,
        name: impl Into<String>,
        up: String,
        down: String,
    ) -> Self {
        Self {
            version: version.into(),
            name: name.into(),
            up,
            down,
        }
    }

    /// The version recorded in `__diesel_schema_migrations`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The SQL that applies it.
    pub fn up_sql(&self) -> &str {
        &self.up
    }

    /// Whether the migration creates or alters the table `name` (judged from its SQL).
    pub fn touches(&self, table: &str) -> bool {
        ["\"", "`"]
            .iter()
            .any(|quote| self.up.contains(&format!("TABLE {quote}{table}{quote}")))
    }

    /// The SQL that reverts it.
    pub fn down_sql(&self) -> &str {
        &self.down
    }
}

impl fmt::Display for SqlMigration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.version, self.name)
    }
}

impl MigrationName for SqlMigration {
    fn version(&self) -> MigrationVersion<'_> {
        MigrationVersion::from(self.version.as_str())
    }
}

impl MigrationMetadata for SqlMigration {}

impl<DB: DieselBackend> Migration<DB> for SqlMigration {
    fn run(
        &self,
        conn: &mut dyn diesel::connection::BoxableConnection<DB>,
    ) -> diesel::migration::Result<()> {
        conn.batch_execute(&self.up)?;
        Ok(())
    }

    fn revert(
        &self,
        conn: &mut dyn diesel::connection::BoxableConnection<DB>,
    ) -> diesel::migration::Result<()> {
        conn.batch_execute(&self.down)?;
        Ok(())
    }

    fn metadata(&self) -> &dyn MigrationMetadata {
        self
    }

    fn name(&self) -> &dyn MigrationName {
        self
    }
}

/// An ordered set of migrations, as a Diesel [`MigrationSource`]: run them with `diesel_migrations`'
/// `MigrationHarness` (what [`crate::FullAuth::migrate`] does), and they are recorded in Diesel's own
/// `__diesel_schema_migrations` table beside the application's migrations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FullAuthMigrations {
    migrations: Vec<SqlMigration>,
}

impl FullAuthMigrations {
    /// These migrations, sorted by version.
    pub fn new(mut migrations: Vec<SqlMigration>) -> Self {
        migrations.sort_by(|a, b| a.version.cmp(&b.version));
        Self { migrations }
    }

    /// One `CREATE TABLE` migration per declared table, with the table's fixed version.
    pub fn create_tables(dialect: Dialect, tables: &[DeclaredTable]) -> Self {
        Self::new(
            tables
                .iter()
                .map(|table| table.create_migration(dialect))
                .collect(),
        )
    }

    /// The migrations, oldest first.
    pub fn migrations(&self) -> &[SqlMigration] {
        &self.migrations
    }

    /// Whether there is nothing to run.
    pub fn is_empty(&self) -> bool {
        self.migrations.is_empty()
    }
}

impl<DB: DieselBackend> MigrationSource<DB> for FullAuthMigrations {
    fn migrations(&self) -> diesel::migration::Result<Vec<Box<dyn Migration<DB>>>> {
        Ok(self
            .migrations
            .iter()
            .cloned()
            .map(|migration| Box::new(migration) as Box<dyn Migration<DB>>)
            .collect())
    }
}

/// A table of a declared model, with the version of the migration that creates it.
///
/// The versions are fixed per kind of model (users first, then what points at them), so the same table gets the
/// same version whether `migrate()` creates it or a written migration folder does.
#[derive(Debug, Clone, PartialEq)]
pub struct DeclaredTable {
    /// Version of the creating migration, e.g. `00000000000100`.
    pub version: &'static str,
    /// The table as the structs describe it now.
    pub schema: TableSchema,
}

impl DeclaredTable {
    /// Version of the migration creating the user table.
    pub const USERS_VERSION: &'static str = "00000000000100";
    /// Version of the migration creating the refresh-token table.
    pub const REFRESH_TOKENS_VERSION: &'static str = "00000000000200";
    /// Versions of the migrations creating the role tables: roles, permissions, user roles, role permissions.
    pub const ROLE_VERSIONS: [&'static str; 4] = [
        "00000000000300",
        "00000000000400",
        "00000000000500",
        "00000000000600",
    ];
    /// Version of the migration creating the OAuth-account table.
    pub const OAUTH_ACCOUNTS_VERSION: &'static str = "00000000000700";
    /// Version of the migration creating the passkey table.
    pub const PASSKEYS_VERSION: &'static str = "00000000000800";
    /// Version of the migration creating the MFA table.
    pub const MFA_VERSION: &'static str = "00000000000900";

    /// The migration that creates this table.
    pub fn create_migration(&self, dialect: Dialect) -> SqlMigration {
        SqlMigration::new(
            self.version,
            format!("fullauth_create_{}", self.schema.name),
            dialect.create_table(&self.schema),
            dialect.drop_table(&self.schema),
        )
    }
}
