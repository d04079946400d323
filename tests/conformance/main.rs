//! The HTTP conformance suite: every route and error case of the auth and profile routers, driven over a real
//! socket, run unchanged against every database backend.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod admin_routes;
mod asymmetric_keys;
mod browser;
mod client_address;
mod committed_changes;
mod concurrency;
mod cookie_tossing;
mod cookie_transport;
mod cors;
mod csrf;
mod csrf_scheme;
mod custom_claims;
mod email_forms;
mod ended_sessions;
mod events;
mod evolution;
mod extractors;
mod global_rate_limit;
mod guards;
mod hostile_input;
mod id_types;
mod index_evolution;
mod last_superuser;
mod lockout;
mod log_injection;
mod mail_budget;
mod outage;
mod profile_routes;
mod rate_limits;
mod refresh_logout;
mod register_login;
mod restart;
mod routers;
mod security_headers;
mod session_max_age;
mod sessions_routes;
mod shared_state;
mod token_headers;
mod tokens_config;
mod verify_routes;

use std::future::Future;

use fullauth::FullAuthConfig;
use fullauth_tests::{Backend, TestApp};

/// Runs one test against a fresh app on `backend` with the default test configuration.
pub async fn run<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    run_with(backend, |_| {}, test).await;
}

/// Runs one test against a fresh app on `backend` whose configuration `configure` adjusts.
pub async fn run_with<F, Fut>(
    backend: Backend,
    configure: impl FnOnce(&mut FullAuthConfig),
    test: F,
) where
    F: FnOnce(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    if let Some(app) = TestApp::start(backend, configure).await {
        test(app).await;
    }
}

/// Runs one test against a fresh app on `backend` that mails through a real SMTP server of its own.
pub async fn run_with_mail<F, Fut>(
    backend: Backend,
    configure: impl FnOnce(&mut FullAuthConfig),
    test: F,
) where
    F: FnOnce(TestApp, fullauth_tests::SmtpSink) -> Fut,
    Fut: Future<Output = ()>,
{
    if let Some((app, sink)) = TestApp::start_with_mail(backend, configure).await {
        test(app, sink).await;
    }
}

pub(crate) use fullauth_tests::on_every_backend;
