//! The quickstart's models, shared by the server (`src/main.rs`) and the `migrations` command
//! (`src/bin/migrations.rs`).

pub mod models;
