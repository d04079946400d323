//! TOTP MFA end to end over HTTP: enrolment and its confirmation, the `202` of a sign-in that waits for its
//! code and `POST /mfa/verify`, recovery codes, every bad input, the lockout and the rate limit, and codes sent
//! twice at once, on each database.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::future::Future;

/// Stamps out each listed test on SQLite and PostgreSQL.
macro_rules! on_sqlite_and_postgres {
    ($($test:ident),* $(,)?) => {
        fullauth_tests::on_backends!([sqlite: Sqlite, postgres: Postgres], [$($test),*]);
    };
}

/// Stamps out each listed test on SQLite, PostgreSQL and MySQL.
macro_rules! on_databases {
    ($($test:ident),* $(,)?) => {
        fullauth_tests::on_backends!(
            [sqlite: Sqlite, postgres: Postgres, mysql: Mysql],
            [$($test),*]
        );
    };
}

mod bad_input;
mod enrolment;
mod events;
mod limits;
mod parallel;
mod pending_token;
mod sign_in;

use fullauth::FullAuthConfig;
use fullauth::mfa::{DIGITS, STEP_SECONDS, code, step_at};
use fullauth_tests::{Backend, TestApp};

pub use fullauth_tests::mfa::*;

/// Runs `test` against an app on `backend` with MFA on (then `configure`); skipped when the backend cannot run
/// here (and it is not required).
pub async fn with_mfa<F, Fut>(
    backend: Backend,
    configure: impl FnOnce(&mut FullAuthConfig),
    test: F,
) where
    F: FnOnce(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    let app = TestApp::start(backend, |config| {
        mfa_on(config);
        configure(config);
    })
    .await;
    if let Some(app) = app {
        test(app).await;
    }
}

/// The RFC 6238 vectors hold for the implementation the tests compute their codes with.
#[test]
fn the_tests_codes_follow_rfc_6238() {
    let secret = b"12345678901234567890";
    for (time, expected) in [
        (59_u64, "94287082"),
        (1_111_111_109, "07081804"),
        (1_234_567_890, "89005924"),
        (20_000_000_000, "65353130"),
    ] {
        assert_eq!(code(secret, step_at(time), 8), expected);
    }
    assert_eq!(STEP_SECONDS, 30);
    assert_eq!(DIGITS, 6);
}
