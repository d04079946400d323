//! fullauth serving the models of `models.rs` on loopback, configured from the same `FULLAUTH_*` pairs the Python
//! side reads, with the two test-only routes `python/app.py` also has.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use fullauth::mail::{Mail, MailError, Mailer};
use fullauth::prelude::*;
use fullauth_tests::database::{Backend, TestDatabase};
use fullauth_tests::inspect::Connection;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::models::{RefreshToken, User};

/// The last token mailed to each (address, kind), kind being `verify` or `reset`.
#[derive(Clone, Default)]
struct Mailbox(Arc<Mutex<HashMap<(String, &'static str), String>>>);

impl Mailer for Mailbox {
    async fn send(&self, mail: Mail) -> Result<(), MailError> {
        let kind = if mail.subject.starts_with("Confirm your email") {
            "verify"
        } else {
            "reset"
        };
        let token = fullauth::testing::token_in(&mail).expect("every mail carries a token");
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert((mail.to, kind), token);
        Ok(())
    }
}

/// A running fullauth server and its database.
pub struct RustServer {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    _database: Arc<TestDatabase>,
}

#[derive(Clone)]
struct TestRoutes {
    mailbox: Mailbox,
    database: Arc<TestDatabase>,
}

impl RustServer {
    /// Starts fullauth on a fresh SQLite database with the configuration read from `vars`.
    pub async fn start(vars: &[(String, String)]) -> RustServer {
        let database = TestDatabase::create(Backend::Sqlite)
            .await
            .expect("SQLite is always available");
        RustServer::start_on(Arc::new(database), vars).await
    }

    /// Starts fullauth on `database` (migrating it first) with the configuration read from `vars`.
    pub async fn start_on(database: Arc<TestDatabase>, vars: &[(String, String)]) -> RustServer {
        let _ = tracing_subscriber::fmt()
            .with_env_filter("warn")
            .with_test_writer()
            .try_init();
        let config =
            FullAuthConfig::from_vars(vars.iter().cloned()).expect("a valid configuration");
        let mailbox = Mailbox::default();
        let adapter = DieselAdapter::connect(&database.url)
            .await
            .unwrap()
            .user::<User>()
            .refresh_tokens::<RefreshToken>()
            .take_over_existing_tables();
        let fullauth = FullAuth::builder()
            .config(config)
            .adapter(adapter)
            .mailer(mailbox.clone())
            .build()
            .unwrap();
        fullauth.migrate().await.unwrap();
        let test_routes = Router::new()
            .route("/_test/mail", get(last_mail))
            .route("/_test/superuser", post(make_superuser))
            .with_state(TestRoutes {
                mailbox,
                database: database.clone(),
            });
        let app = Router::new()
            .merge(fullauth::openapi::docs_router(&fullauth.openapi()))
            .merge(fullauth.router())
            .fallback(fullauth::not_found)
            .with_state(fullauth)
            .merge(test_routes);
        let base = fullauth_tests::app::serve_router(app).await;
        RustServer {
            base,
            _database: database,
        }
    }
}

async fn last_mail(
    State(routes): State<TestRoutes>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, StatusCode> {
    let query = query.unwrap_or_default();
    let pairs: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let email = pairs.get("email").cloned().unwrap_or_default();
    let kind = if pairs.get("kind").map(String::as_str) == Some("verify") {
        "verify"
    } else {
        "reset"
    };
    let mails = routes
        .mailbox
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let token = mails.get(&(email, kind)).ok_or(StatusCode::NOT_FOUND)?;
    Ok(Json(json!({ "token": token })))
}

#[derive(Deserialize)]
struct SuperuserRequest {
    email: String,
}

async fn make_superuser(
    State(routes): State<TestRoutes>,
    Json(request): Json<SuperuserRequest>,
) -> Json<Value> {
    let email = request.email.replace('\'', "''");
    let mut connection = Connection::open(&routes.database).await;
    connection
        .execute(&format!(
            "UPDATE fullauth_users SET is_superuser = TRUE WHERE email = '{email}'"
        ))
        .await;
    Json(json!({ "detail": "ok" }))
}
