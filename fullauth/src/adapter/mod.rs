//! The Diesel adapter: one [`AuthStore`](crate::store::AuthStore) over SQLite, PostgreSQL and MySQL, chosen at
//! run time from the database URL.

#[macro_use]
mod connection;
mod backend;
mod error;
pub(crate) mod glue;
pub(crate) mod id_param;
mod introspect;
pub(crate) mod live_session;
mod migrations;
mod role_sql;
pub(crate) mod roles;
mod store;

pub use backend::Backend;
pub use store::DieselAdapter;
