//! Shared pieces of fullauth's cross-crate tests: the models, a fresh database per test on every backend, the
//! application under test served on a real socket, and a client that refuses 5xx answers.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

pub mod app;
pub mod audit;
pub mod browser;
pub mod cookies;
pub mod database;
pub mod docs_renderer;
pub mod example_server;
pub mod inspect;
pub mod load;
pub mod mfa;
pub mod models;
pub mod oidc;
pub mod oidc_tamper;
pub mod passkey_device;
pub mod python;
pub mod redis;
pub mod smtp;
pub mod tokens;

pub use app::{TestApp, TestResponse};
pub use database::{Backend, TestDatabase};
pub use example_server::ExampleServer;
pub use smtp::{ReceivedMail, SmtpSink};

/// Stamps out each listed test once per listed backend, in a module of the given name:
/// `on_backends!([sqlite: Sqlite, postgres: Postgres], [a_test, another_test])`.
#[macro_export]
macro_rules! on_backends {
    ([$($module:ident: $backend:ident),* $(,)?], $tests:tt) => {
        $( $crate::on_backends!(@module $module $backend $tests); )*
    };
    (@module $module:ident $backend:ident [$($test:ident),* $(,)?]) => {
        mod $module {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::$test($crate::Backend::$backend).await;
                }
            )*
        }
    };
}

/// Stamps out each listed test once per backend: `sqlite::name`, `postgres::name`, `mysql::name`, and
/// `memory::name` on the in-memory store.
#[macro_export]
macro_rules! on_every_backend {
    ($($test:ident),* $(,)?) => {
        $crate::on_backends!(
            [sqlite: Sqlite, postgres: Postgres, memory: Memory, mysql: Mysql],
            [$($test),*]
        );
    };
}
