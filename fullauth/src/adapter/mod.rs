//! The Diesel adapter: one [`AuthStore`](crate::store::AuthStore) over SQLite, PostgreSQL and MySQL, chosen at
//! run time from the database URL.

mod backend;
mod error;
pub(crate) mod glue;
mod introspect;
pub(crate) mod live_session;
mod migrations;
mod store;

pub use backend::Backend;
pub use store::DieselAdapter;
