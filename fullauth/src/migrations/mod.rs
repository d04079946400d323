//! Migrations generated from the structs: run by Diesel's harness, written as diesel-cli folders, checked
//! against a database or a folder.
//!
//! The structs are the one source of truth. [`crate::FullAuth::migrate`] creates the tables of the declared
//! models and adds the columns of fields added since (an additive migration, never a reset), recording each step
//! in Diesel's `__diesel_schema_migrations`. For reviewed deployments, the [`crate::cli`] entry point writes the
//! same steps as migration folders (`migrations write`) and reports drift (`migrations check`).

mod adoption;
mod diff;
mod error;
mod folders;
mod sql_migration;
mod state;

pub use adoption::adopt_existing_tables;
pub use diff::{
    SchemaDifference, UnsupportedChange, additive_migrations, compare, timestamp_version,
};
pub use error::MigrationError;
pub use folders::{MigrationFolder, read_folder, write_folder};
pub use sql_migration::{DeclaredTable, FullAuthMigrations, SqlMigration};
pub use state::{ColumnReference, ColumnState, SchemaState};
