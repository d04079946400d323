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
pub mod oidc;
pub mod oidc_tamper;
pub mod redis;
pub mod smtp;
pub mod tokens;

pub use app::{TestApp, TestResponse};
pub use database::{Backend, TestDatabase};
pub use example_server::ExampleServer;
pub use smtp::{ReceivedMail, SmtpSink};

/// Stamps out each listed test once per backend: `sqlite::name`, `postgres::name`, `mysql::name`, and
/// `memory::name` on the in-memory store.
#[macro_export]
macro_rules! on_every_backend {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test(fullauth_tests::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test(fullauth_tests::Backend::Postgres).await;
                }
            )*
        }
        mod memory {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test(fullauth_tests::Backend::Memory).await;
                }
            )*
        }
        mod mysql {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test(fullauth_tests::Backend::Mysql).await;
                }
            )*
        }
    };
}
