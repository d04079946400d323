//! Shared pieces of fullauth's cross-crate tests: the models, a fresh database per test on every backend, the
//! application under test served on a real socket, and a client that refuses 5xx answers.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

pub mod app;
pub mod audit;
pub mod browser;
pub mod cookies;
pub mod database;
pub mod example_server;
pub mod inspect;
pub mod load;
pub mod models;
pub mod redis;
pub mod smtp;
pub mod tokens;

pub use app::{TestApp, TestResponse};
pub use database::{Backend, TestDatabase};
pub use example_server::ExampleServer;
pub use smtp::{ReceivedMail, SmtpSink};
