//! A backend-neutral description of the tables fullauth manages.
//!
//! The derives describe each model as a [`TableSchema`]; [`Dialect`] renders it as the `CREATE TABLE` of one
//! database. The same description feeds the migrations, so the SQL can never drift from the structs.

mod ddl;
mod table;

pub use ddl::Dialect;
pub use table::{Column, ColumnType, DefaultValue, ForeignKey, Index, TableSchema};
