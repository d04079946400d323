//! `GET /me` costs exactly one database statement on every backend, which reads the user, checks the session and
//! reads the role names when the user model has role models (as the test user has), and a sign-in reads those
//! names once. Diesel's process-wide instrumentation counts every statement, which is why this check has a test
//! binary of its own.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use diesel::connection::{Instrumentation, InstrumentationEvent, set_default_instrumentation};
use fullauth_tests::{Backend, TestApp};

static STATEMENTS: AtomicUsize = AtomicUsize::new(0);
static PREPARED: Mutex<Vec<String>> = Mutex::new(Vec::new());
static LAST_STATEMENTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Counter;

impl Instrumentation for Counter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        match event {
            InstrumentationEvent::StartQuery { query, .. } => {
                STATEMENTS.fetch_add(1, Ordering::SeqCst);
                LAST_STATEMENTS.lock().unwrap().push(query.to_string());
            }
            InstrumentationEvent::CacheQuery { sql, .. } => {
                PREPARED.lock().unwrap().push(sql.to_owned());
            }
            InstrumentationEvent::BeginTransaction { .. } => {
                STATEMENTS.fetch_add(1, Ordering::SeqCst);
                LAST_STATEMENTS.lock().unwrap().push("BEGIN".into());
            }
            _ => {}
        }
    }
}

/// The statements of one `GET /me`, the statements prepared for the statement cache since the app started, and
/// those prepared during that request.
async fn statements_for_one_me_request(
    backend: Backend,
) -> Option<(usize, Vec<String>, Vec<String>, Vec<String>)> {
    PREPARED.lock().unwrap().clear();
    let app = TestApp::start(backend, |_| {}).await?;
    let (access, _) = app
        .signed_up("ada@example.com", "correct horse battery")
        .await;
    // Warm the pool, so that opening a connection is not counted.
    assert_eq!(app.get("/me", &access).await.status, 200);
    let prepared_before = std::mem::take(&mut *PREPARED.lock().unwrap());
    STATEMENTS.store(0, Ordering::SeqCst);
    LAST_STATEMENTS.lock().unwrap().clear();
    assert_eq!(app.get("/me", &access).await.status, 200);
    Some((
        STATEMENTS.load(Ordering::SeqCst),
        LAST_STATEMENTS.lock().unwrap().clone(),
        prepared_before,
        PREPARED.lock().unwrap().clone(),
    ))
}

/// The statements of one `POST /login` that read the user's roles.
async fn role_reads_in_one_login(backend: Backend) -> Option<Vec<String>> {
    let app = TestApp::start(backend, |_| {}).await?;
    app.signed_up("grace@example.com", "correct horse battery")
        .await;
    LAST_STATEMENTS.lock().unwrap().clear();
    app.login("grace@example.com", "correct horse battery")
        .await;
    let statements = LAST_STATEMENTS.lock().unwrap().clone();
    Some(
        statements
            .into_iter()
            .filter(|statement| statement.contains("user_roles"))
            .collect(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn me_costs_one_statement_with_its_roles_on_every_backend() {
    set_default_instrumentation(|| Some(Box::new(Counter))).unwrap();
    for backend in [Backend::Sqlite, Backend::Postgres, Backend::Mysql] {
        if let Some((count, statements, prepared_before, prepared_now)) =
            statements_for_one_me_request(backend).await
        {
            assert_eq!(count, 1, "{backend:?}: {statements:#?}");
            // The statement was prepared once for the connection's statement cache, and is taken from it now: a
            // statement Diesel cannot cache would be prepared again on every request.
            for statement in &statements {
                let sql = statement.split(" -- binds").next().unwrap();
                assert!(
                    prepared_before.iter().any(|prepared| prepared == sql),
                    "{backend:?}: not cached: {statement}\n{prepared_before:#?}"
                );
            }
            assert!(prepared_now.is_empty(), "{backend:?}: {prepared_now:#?}");
            let statement = &statements[0];
            for part in ["users", "refresh_tokens", "roles", "user_roles"] {
                assert!(
                    statement.contains(part),
                    "{backend:?}: no {part} in {statement}"
                );
            }
        }
        // A sign-in reads the roles once: for the token, and for the user in the answer.
        if let Some(role_reads) = role_reads_in_one_login(backend).await {
            assert_eq!(role_reads.len(), 1, "{backend:?}: {role_reads:#?}");
        }
    }
}
