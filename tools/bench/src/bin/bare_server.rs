//! The baseline of the server comparison: `GET /api/v1/auth/me` written by hand, with no auth framework.
//!
//! What a careful developer writes in an afternoon on the same stack: axum, an HS256 check of the bearer token
//! (signature, expiry, token type), and one read of the user's row by primary key through a pool of ten
//! connections (diesel-async and deadpool, SQLite in WAL mode or PostgreSQL), answered as JSON. Each database
//! is read the fastest way the stack offers, so that the baseline stands for what the machine can do. It reads the
//! `users` table fullauth's example created, with tokens fullauth issued: `FULLAUTH_SECRET_KEY` must match.
//!
//! `DATABASE_URL` (`sqlite://...` or `postgres://...`), `BIND_ADDR`, `FULLAUTH_SECRET_KEY`.

use std::error::Error;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::get;
use axum::{Json, Router};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use fullauth::sql_types::{Db, UtcTimestamp, Uuid};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

diesel::table! {
    use super::{Uuid, UtcTimestamp};
    use diesel::sql_types::*;

    users (id) {
        id -> Uuid,
        email -> Text,
        is_active -> Bool,
        is_verified -> Bool,
        is_superuser -> Bool,
        created_at -> UtcTimestamp,
    }
}

type SqlitePool = Pool<SyncConnectionWrapper<diesel::SqliteConnection>>;
type PostgresPool = Pool<diesel_async::AsyncPgConnection>;

#[derive(Clone)]
enum Database {
    Sqlite(SqlitePool),
    Postgres(PostgresPool),
}

#[derive(Clone)]
struct App {
    database: Database,
    key: DecodingKey,
    validation: Validation,
}

#[derive(Deserialize)]
struct Claims {
    sub: uuid::Uuid,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Queryable, Serialize)]
struct User {
    id: uuid::Uuid,
    email: String,
    is_active: bool,
    is_verified: bool,
    is_superuser: bool,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let url = std::env::var("DATABASE_URL")?;
    let secret = std::env::var("FULLAUTH_SECRET_KEY")?;
    let address = std::env::var("BIND_ADDR").unwrap_or("127.0.0.1:8001".into());
    // Connections are recycled without a test query: a broken one is noticed by the query that uses it.
    let mut sqlite = ManagerConfig::default();
    sqlite.recycling_method = RecyclingMethod::Fast;
    let mut postgres = ManagerConfig::default();
    postgres.recycling_method = RecyclingMethod::Fast;
    let database = if let Some(path) = url.strip_prefix("sqlite://") {
        let manager = AsyncDieselConnectionManager::new_with_config(path, sqlite);
        Database::Sqlite(Pool::builder(manager).max_size(10).build()?)
    } else {
        let manager = AsyncDieselConnectionManager::new_with_config(url, postgres);
        Database::Postgres(Pool::builder(manager).max_size(10).build()?)
    };
    let mut validation = Validation::new(Algorithm::HS256);
    validation.validate_aud = false;
    let app = App {
        database,
        key: DecodingKey::from_secret(secret.as_bytes()),
        validation,
    };
    let router = Router::new()
        .route("/api/v1/auth/me", get(me))
        .with_state(app);
    let listener = tokio::net::TcpListener::bind(&address).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router).await?;
    Ok(())
}

async fn me(State(app): State<App>, headers: HeaderMap) -> Result<Json<User>, StatusCode> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or(StatusCode::UNAUTHORIZED)?;
    let claims = jsonwebtoken::decode::<Claims>(token, &app.key, &app.validation)
        .map_err(|_| StatusCode::UNAUTHORIZED)?
        .claims;
    if claims.kind != "access" {
        return Err(StatusCode::UNAUTHORIZED);
    }
    let query = users::table.filter(users::id.eq(Db(claims.sub))).select((
        users::id,
        users::email,
        users::is_active,
        users::is_verified,
        users::is_superuser,
        users::created_at,
    ));
    let user: Option<User> = match &app.database {
        Database::Sqlite(pool) => {
            let mut connection = pool
                .get()
                .await
                .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
            // The query owns its values, so it moves whole to the blocking thread and runs on the synchronous
            // connection, which finds the prepared statement by the query's type. Run through diesel-async's
            // wrapper instead, it would render the SQL and look the statement up by that text on every call:
            // about a quarter slower. fullauth reads its hot queries this way too.
            connection
                .spawn_blocking(move |conn| {
                    diesel::RunQueryDsl::get_result::<User>(query, conn).optional()
                })
                .await
        }
        Database::Postgres(pool) => {
            let mut connection = pool
                .get()
                .await
                .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)?;
            query.get_result(&mut connection).await.optional()
        }
    }
    .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
    match user {
        Some(user) if user.is_active => Ok(Json(user)),
        _ => Err(StatusCode::UNAUTHORIZED),
    }
}
