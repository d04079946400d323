//! fullauth serving a database that fastapi-fullauth created and filled: the Python library signs users up
//! (one with its bcrypt option), verifies one, makes a superuser, gives roles and permissions; then fullauth,
//! with the models of `models.rs`, takes the database over and serves the same accounts.

use std::sync::Arc;

use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::{AsyncConnection, RunQueryDsl};
use fullauth_tests::database::{Backend, TestDatabase};
use fullauth_tests::example_server::TempDir;
use fullauth_tests::python::PythonServer;
use serde_json::{Value, json};

use crate::models::fullauth_users;
use crate::rust_side::RustServer;
use crate::scenario::{Side, get, post, post_empty};
use crate::servers::SECRET_KEY;

/// What fastapi-fullauth's own passwords are hashed with (argon2-cffi's defaults).
const PYTHON_ARGON2: &str = "$argon2id$v=19$m=65536,t=3,p=4$";
/// What fullauth hashes with by default.
const FULLAUTH_ARGON2: &str = "$argon2id$v=19$m=19456,t=2,p=1$";

fn settings(extra: &[(&str, &str)], database_url: &str) -> Vec<(String, String)> {
    [
        ("FULLAUTH_SECRET_KEY", SECRET_KEY),
        crate::servers::NO_RATE_LIMITS,
    ]
    .iter()
    .chain(extra)
    .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
    .chain(std::iter::once((
        "DIFF_DATABASE_URL".to_owned(),
        database_url.to_owned(),
    )))
    .collect()
}

async fn expect(side: &mut Side, step: crate::scenario::Step, status: u16) -> Value {
    let name = step.name.clone();
    let (observation, body) = side.send_reading(&step).await;
    assert_eq!(observation.status, status, "{name}: {observation:?}");
    body.unwrap_or(Value::Null)
}

fn sign_in(email: &str, password: &str, variable: &str) -> crate::scenario::Step {
    crate::scenario::sign_in("sign in", email, password, variable)
}

/// fastapi-fullauth fills the database: three accounts, one of them hashed with bcrypt, a verified address, a
/// superuser, a role with a permission, and an open session whose refresh token is returned.
async fn filled_by_python(python_url: &str) -> Option<String> {
    let server = PythonServer::start(&settings(&[], python_url), TempDir::new("python")).await?;
    let mut python = Side::new("fastapi-fullauth", &server.base);
    for (email, name) in [("ada@example.com", "Ada"), ("gus@example.com", "Gus")] {
        let body = json!({"email": email, "password": "correct horse 1", "display_name": name});
        expect(
            &mut python,
            post("register", "/api/v1/auth/register", body),
            202,
        )
        .await;
    }
    python.make_superuser("gus@example.com").await;
    expect(
        &mut python,
        sign_in("ada@example.com", "correct horse 1", "ada"),
        200,
    )
    .await;
    expect(
        &mut python,
        sign_in("gus@example.com", "correct horse 1", "gus"),
        200,
    )
    .await;
    expect(
        &mut python,
        get("ada's id", "/api/v1/auth/me")
            .bearer("ada")
            .save("ada_id", "/id"),
        200,
    )
    .await;
    let verify = post_empty("verification mail", "/api/v1/auth/verify-email/request").bearer("ada");
    expect(&mut python, verify, 202).await;
    python
        .take_mail("ada@example.com", "verify", "verify_token")
        .await;
    let confirm = json!({"token": "{verify_token}"});
    expect(
        &mut python,
        post("verify", "/api/v1/auth/verify-email/confirm", confirm),
        200,
    )
    .await;
    let role = json!({"user_id": "{ada_id}", "role": "editor"});
    expect(
        &mut python,
        post("role", "/api/v1/auth/admin/assign-role", role).bearer("gus"),
        200,
    )
    .await;
    let permission = json!({"role": "editor", "permission": "posts:edit"});
    let assign = post(
        "permission",
        "/api/v1/auth/admin/assign-permission",
        permission,
    )
    .bearer("gus");
    expect(&mut python, assign, 200).await;
    let session = expect(
        &mut python,
        sign_in("ada@example.com", "correct horse 1", "ada"),
        200,
    )
    .await;
    drop(server);

    // The bcrypt option, on the same database.
    let bcrypt = settings(
        &[("FULLAUTH_PASSWORD_HASH_ALGORITHM", "bcrypt")],
        python_url,
    );
    let server = PythonServer::start(&bcrypt, TempDir::new("python")).await?;
    let mut python = Side::new("fastapi-fullauth", &server.base);
    let body = json!({"email": "cy@example.com", "password": "correct horse 1"});
    expect(
        &mut python,
        post("register", "/api/v1/auth/register", body),
        202,
    )
    .await;
    Some(session["refresh_token"].as_str().unwrap().to_owned())
}

enum Direct {
    Sqlite(diesel_async::sync_connection_wrapper::SyncConnectionWrapper<diesel::SqliteConnection>),
    Postgres(Box<diesel_async::AsyncPgConnection>),
}

/// The stored password hash of `email`, read straight from the table.
async fn stored_hash(database: &TestDatabase, email: &str) -> String {
    let query = fullauth_users::table
        .select(fullauth_users::hashed_password)
        .filter(fullauth_users::email.eq(email.to_owned()));
    let mut connection = match database.backend {
        Backend::Sqlite => Direct::Sqlite(
            diesel_async::sync_connection_wrapper::SyncConnectionWrapper::establish(
                database.url.trim_start_matches("sqlite://"),
            )
            .await
            .unwrap(),
        ),
        _ => Direct::Postgres(Box::new(
            diesel_async::AsyncPgConnection::establish(&database.url)
                .await
                .unwrap(),
        )),
    };
    let hash: Option<String> = match &mut connection {
        Direct::Sqlite(conn) => query.first(conn).await.unwrap(),
        Direct::Postgres(conn) => query.first(&mut **conn).await.unwrap(),
    };
    hash.expect("a password hash")
}

/// Waits for the hash of `email` to start with `prefix` (a rehash is written after the sign-in answers).
async fn hash_becomes(database: &TestDatabase, email: &str, prefix: &str) {
    for _ in 0..100 {
        if stored_hash(database, email).await.starts_with(prefix) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "the hash of {email} is still {}, not {prefix}...",
        stored_hash(database, email).await
    );
}

/// Fills `database` with fastapi-fullauth (through `python_url`, the same database in SQLAlchemy's words), then
/// serves it with fullauth and checks that nothing a user had is lost.
pub async fn serves_what_python_wrote(database: TestDatabase, python_url: &str) {
    let Some(python_refresh_token) = filled_by_python(python_url).await else {
        return;
    };
    let database = Arc::new(database);
    assert!(
        stored_hash(&database, "ada@example.com")
            .await
            .starts_with(PYTHON_ARGON2)
    );
    assert!(
        stored_hash(&database, "cy@example.com")
            .await
            .starts_with("$2b$")
    );

    if database.backend == Backend::Sqlite {
        // fastapi-fullauth does not enforce foreign keys on SQLite: rows can point at users that are gone.
        let orphan = "PRAGMA foreign_keys = OFF; INSERT INTO fullauth_refresh_tokens (id, token, user_id, family_id, expires_at, revoked, \
                      created_at) VALUES ('0123456789abcdef0123456789abcdef', 'digest', \
                      'fedcba9876543210fedcba9876543210', 'family', '2030-01-01 00:00:00.000000', 0, \
                      '2026-01-01 00:00:00.000000')";
        let mut connection = fullauth_tests::inspect::Connection::open(&database).await;
        fullauth_tests::inspect::Connection::execute(&mut connection, orphan).await;
    }
    let vars = settings(&[], python_url);
    // Without being told to, fullauth does not take tables over: it stops, and changes nothing.
    let adapter = fullauth::DieselAdapter::connect(&database.url)
        .await
        .unwrap()
        .user::<crate::models::User>()
        .refresh_tokens::<crate::models::RefreshToken>();
    let config = fullauth::FullAuthConfig::from_vars(vars.iter().cloned()).unwrap();
    let refused = fullauth::FullAuth::new(adapter, config)
        .unwrap()
        .migrate()
        .await
        .unwrap_err()
        .to_string();
    assert!(refused.contains("already exists"), "{refused}");
    assert!(
        stored_hash(&database, "ada@example.com")
            .await
            .starts_with(PYTHON_ARGON2)
    );

    let server = RustServer::start_on(Arc::clone(&database), &vars).await;
    let mut rust = Side::new("fullauth", &server.base);

    // Existing passwords sign in; the account is as Python left it, roles included.
    let answer = expect(
        &mut rust,
        sign_in("ada@example.com", "correct horse 1", "ada"),
        200,
    )
    .await;
    let user = &answer["user"];
    assert_eq!(user["email"], "ada@example.com");
    assert_eq!(user["display_name"], "Ada");
    assert_eq!(user["is_verified"], true);
    assert_eq!(user["roles"], json!(["editor"]));
    hash_becomes(&database, "ada@example.com", FULLAUTH_ARGON2).await;
    let me = expect(&mut rust, get("me", "/api/v1/auth/me").bearer("ada"), 200).await;
    assert_eq!(me["id"], user["id"]);
    expect(
        &mut rust,
        get("verified", "/api/v1/auth/me/verified").bearer("ada"),
        200,
    )
    .await;
    let wrong = json!({"email": "ada@example.com", "password": "wrong horse 1"});
    expect(
        &mut rust,
        post("wrong password", "/api/v1/auth/login", wrong),
        401,
    )
    .await;

    // A bcrypt hash verifies and is replaced by an Argon2id one.
    expect(
        &mut rust,
        sign_in("cy@example.com", "correct horse 1", "cy"),
        200,
    )
    .await;
    hash_becomes(&database, "cy@example.com", FULLAUTH_ARGON2).await;
    expect(
        &mut rust,
        sign_in("cy@example.com", "correct horse 1", "cy"),
        200,
    )
    .await;

    // The superuser is one here too, and the role's permission carried over.
    expect(
        &mut rust,
        sign_in("gus@example.com", "correct horse 1", "gus"),
        200,
    )
    .await;
    let permissions =
        get("permissions", "/api/v1/auth/admin/role-permissions/editor").bearer("gus");
    assert_eq!(
        expect(&mut rust, permissions, 200).await,
        json!(["posts:edit"])
    );

    // New rows go into the same tables: a new role, a new permission, a new account.
    let ada_id = user["id"].as_str().unwrap();
    let role = json!({"user_id": ada_id, "role": "author"});
    expect(
        &mut rust,
        post("role", "/api/v1/auth/admin/assign-role", role).bearer("gus"),
        200,
    )
    .await;
    let permission = json!({"role": "author", "permission": "posts:write"});
    let assign = post(
        "permission",
        "/api/v1/auth/admin/assign-permission",
        permission,
    )
    .bearer("gus");
    expect(&mut rust, assign, 200).await;
    let me = expect(&mut rust, get("me", "/api/v1/auth/me").bearer("ada"), 200).await;
    assert_eq!(me["roles"], json!(["author", "editor"]));
    let body = json!({"email": "dee@example.com", "password": "correct horse 1"});
    expect(
        &mut rust,
        post("register", "/api/v1/auth/register", body),
        202,
    )
    .await;
    expect(
        &mut rust,
        sign_in("dee@example.com", "correct horse 1", "dee"),
        200,
    )
    .await;

    // Sessions opened by the Python library end: their users sign in again.
    let refresh = post(
        "refresh a Python session",
        "/api/v1/auth/refresh",
        json!({ "refresh_token": python_refresh_token }),
    );
    expect(&mut rust, refresh, 401).await;

    // Starting again changes nothing.
    drop(server);
    let server = RustServer::start_on(Arc::clone(&database), &vars).await;
    let mut rust = Side::new("fullauth", &server.base);
    expect(
        &mut rust,
        sign_in("ada@example.com", "correct horse 1", "ada"),
        200,
    )
    .await;
}
