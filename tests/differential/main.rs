//! Differential tests: fastapi-fullauth 0.18 and fullauth, configured alike, get the same requests; their status
//! codes, JSON shapes (ids, tokens and times by kind) and the headers clients read must match, but for the
//! deliberate differences listed in COMPATIBILITY.md, which the steps that show them name.
//!
//! The Python library runs from a virtual environment (see `fullauth_tests::python`); without one these tests
//! say they were skipped, unless `FULLAUTH_REQUIRE_SERVICES=1`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod account_changes;
mod accounts;
mod documents;
mod drop_in;
mod limits;
mod models;
mod observation;
mod passkeys;
mod providers;
mod runner;
mod rust_side;
mod scenario;
mod second_factor;
mod servers;
mod sessions_and_roles;
mod settings;

use fullauth_tests::database::{Backend, TestDatabase};
use runner::Action;
use servers::{NO_RATE_LIMITS, Pair};

async fn compare_without_rate_limits(actions: Vec<Action>) {
    let Some(pair) = Pair::start(&[NO_RATE_LIMITS], &[], &[]).await else {
        return;
    };
    runner::compare(&pair, actions).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_up_and_in_answers_as_fastapi_fullauth() {
    compare_without_rate_limits(accounts::sign_up_and_in()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_and_password_changes_answer_as_fastapi_fullauth() {
    compare_without_rate_limits(account_changes::profile_and_password()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verification_and_reset_answer_as_fastapi_fullauth() {
    compare_without_rate_limits(account_changes::verification_and_reset()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_answer_as_fastapi_fullauth() {
    compare_without_rate_limits(sessions_and_roles::sessions()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_and_permissions_answer_as_fastapi_fullauth() {
    compare_without_rate_limits(sessions_and_roles::roles_and_permissions()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lockout_answers_as_fastapi_fullauth() {
    compare_without_rate_limits(limits::lockout()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_second_factor_answers_as_fastapi_fullauth() {
    let mfa = [
        NO_RATE_LIMITS,
        ("FULLAUTH_MFA_ENABLED", "true"),
        ("FULLAUTH_MFA_ISSUER", "Differential"),
    ];
    let Some(pair) = Pair::start(&mfa, &[], &[]).await else {
        return;
    };
    runner::compare(&pair, second_factor::enrol_sign_in_and_remove()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessed_codes_answer_as_fastapi_fullauth() {
    let mfa = [
        ("FULLAUTH_MFA_ENABLED", "true"),
        ("FULLAUTH_MFA_ISSUER", "Differential"),
    ];
    let Some(pair) = Pair::start(&mfa, &[], &[]).await else {
        return;
    };
    runner::compare(&pair, second_factor::guessing_codes()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passkeys_answer_as_fastapi_fullauth() {
    let passkeys = [
        NO_RATE_LIMITS,
        ("FULLAUTH_PASSKEY_ENABLED", "true"),
        ("FULLAUTH_PASSKEY_RP_ID", "localhost"),
        ("FULLAUTH_PASSKEY_RP_NAME", "Differential"),
        (
            "FULLAUTH_PASSKEY_ORIGINS",
            fullauth_tests::passkey_device::ORIGIN,
        ),
    ];
    let Some(pair) = Pair::start(&passkeys, &[], &[]).await else {
        return;
    };
    runner::compare(&pair, passkeys::register_list_and_remove()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oauth_answers_as_fastapi_fullauth() {
    let Some(pair) = Pair::start_with_provider(&[NO_RATE_LIMITS]).await else {
        return;
    };
    runner::compare(&pair, providers::sign_in_with_a_provider()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_answer_as_fastapi_fullauth() {
    let enumeration_off = ("FULLAUTH_PREVENT_REGISTRATION_ENUMERATION", "false");
    let Some(pair) = Pair::start(&[enumeration_off], &[], &[]).await else {
        return;
    };
    runner::compare(&pair, limits::rate_limits()).await;
}

#[test]
fn every_documented_difference_has_an_id() {
    let documented = runner::documented_differences();
    let rows = include_str!("../../COMPATIBILITY.md")
        .lines()
        .filter(|line| line.starts_with("| `"))
        .count();
    assert_eq!(
        documented.len(),
        rows,
        "each row of the table starts with a unique `id`"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_in_cookies_answer_as_fastapi_fullauth() {
    let Some(pair) = Pair::start(
        &[NO_RATE_LIMITS],
        &[("DIFF_COOKIES", "1")],
        &[
            ("FULLAUTH_COOKIE_TRANSPORT", "true"),
            ("FULLAUTH_COOKIE_SECURE", "false"),
        ],
    )
    .await
    else {
        return;
    };
    runner::compare(&pair, accounts::in_cookies()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sqlite_database_fastapi_fullauth_wrote_serves_its_users() {
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let python_url = format!(
        "sqlite+aiosqlite:///{}",
        database.url.trim_start_matches("sqlite://")
    );
    drop_in::serves_what_python_wrote(database, &python_url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_database_fastapi_fullauth_wrote_serves_its_users() {
    let Some(database) = TestDatabase::create_postgres_database().await else {
        return;
    };
    let python_url = database
        .url
        .replacen("postgres://", "postgresql+asyncpg://", 1);
    drop_in::serves_what_python_wrote(database, &python_url).await;
}

#[test]
fn every_setting_of_fastapi_fullauth_is_read() {
    settings::every_setting_is_read();
}
