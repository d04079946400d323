//! The Diesel adapter: one store over SQLite, PostgreSQL and MySQL, chosen at run time from the database URL.
//!
//! `diesel_adapter.rs` holds the adapter itself (pools, declared models, migrations); each capability of the
//! store has its file, as in [`crate::store`]: `users.rs`, `sessions.rs`, `roles.rs` (with the statements of
//! `role_sql/`), `oauth_accounts.rs` (with those of `oauth_sql.rs`), `passkeys.rs` (with those of
//! `passkey_sql.rs`) and `mfa.rs` (with those of `mfa_sql.rs`). `glue.rs` names what the derives generate for each backend.

#[macro_use]
mod connection;
#[macro_use]
mod sign_in_methods;
pub(crate) mod backend;
mod diesel_adapter;
mod error;
pub(crate) mod glue;
mod introspect;
pub(crate) mod mfa;
mod mfa_sql;
mod migrations;
pub(crate) mod oauth_accounts;
mod oauth_sql;
mod passkey_sql;
pub(crate) mod passkeys;
mod retrying;
pub(crate) mod role_sql;
pub(crate) mod roles;
mod row_read;
pub(crate) mod session_query;
pub(crate) mod session_statement;
mod sessions;
mod users;

pub use backend::Backend;
pub use diesel_adapter::{DieselAdapter, DieselUser};
pub use glue::DieselRefreshToken;
