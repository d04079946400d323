//! Looking at (and changing) the database behind a test app directly, with Diesel on the generated tables.

use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::{AsyncConnection, RunQueryDsl};
use fullauth::sql_types::Db;

use crate::database::{Backend, TestDatabase};
use crate::models::{refresh_tokens, users};

/// A direct connection to a test database.
pub enum Connection {
    Sqlite(diesel_async::sync_connection_wrapper::SyncConnectionWrapper<diesel::SqliteConnection>),
    Postgres(Box<diesel_async::AsyncPgConnection>),
    Mysql(Box<diesel_async::AsyncMysqlConnection>),
}

/// Runs `$body` with `$conn` bound to the connection, whatever its backend.
macro_rules! on_connection {
    ($connection:expr, |$conn:ident| $body:expr) => {
        match $connection {
            Connection::Sqlite($conn) => $body,
            Connection::Postgres(boxed) => {
                let $conn = &mut **boxed;
                $body
            }
            Connection::Mysql(boxed) => {
                let $conn = &mut **boxed;
                $body
            }
        }
    };
}

impl Connection {
    pub async fn open(db: &TestDatabase) -> Connection {
        match db.backend {
            Backend::Sqlite => {
                let path = db.url.trim_start_matches("sqlite://");
                Connection::Sqlite(
                    diesel_async::sync_connection_wrapper::SyncConnectionWrapper::establish(path)
                        .await
                        .unwrap(),
                )
            }
            Backend::Postgres => Connection::Postgres(Box::new(
                diesel_async::AsyncPgConnection::establish(&db.url)
                    .await
                    .unwrap(),
            )),
            Backend::Mysql => Connection::Mysql(Box::new(
                diesel_async::AsyncMysqlConnection::establish(&db.url)
                    .await
                    .unwrap(),
            )),
        }
    }

    pub async fn user_count(&mut self) -> i64 {
        on_connection!(self, |conn| users::table
            .count()
            .get_result(conn)
            .await
            .unwrap())
    }

    pub async fn refresh_token_count(&mut self) -> i64 {
        on_connection!(self, |conn| refresh_tokens::table
            .count()
            .get_result(conn)
            .await
            .unwrap())
    }

    pub async fn live_refresh_token_count(&mut self) -> i64 {
        on_connection!(self, |conn| refresh_tokens::table
            .filter(refresh_tokens::revoked_at.is_null())
            .filter(refresh_tokens::used_at.is_null())
            .count()
            .get_result(conn)
            .await
            .unwrap())
    }

    pub async fn emails(&mut self) -> Vec<String> {
        on_connection!(self, |conn| users::table
            .select(users::email)
            .order(users::email)
            .load(conn)
            .await
            .unwrap())
    }

    pub async fn password_hash(&mut self, email: &str) -> Option<String> {
        on_connection!(self, |conn| users::table
            .select(users::hashed_password)
            .filter(users::email.eq(email))
            .first(conn)
            .await
            .unwrap())
    }

    pub async fn token_digests(&mut self) -> Vec<String> {
        on_connection!(self, |conn| refresh_tokens::table
            .select(refresh_tokens::token_digest)
            .load(conn)
            .await
            .unwrap())
    }

    pub async fn user_agents(&mut self) -> Vec<Option<String>> {
        on_connection!(self, |conn| refresh_tokens::table
            .select(refresh_tokens::user_agent)
            .load(conn)
            .await
            .unwrap())
    }

    /// The emails of the users who hold refresh tokens, through a join in each direction.
    pub async fn emails_with_tokens(&mut self) -> (Vec<String>, Vec<String>) {
        on_connection!(self, |conn| {
            let from_tokens = refresh_tokens::table
                .inner_join(users::table)
                .select(users::email)
                .distinct()
                .load(conn)
                .await
                .unwrap();
            let from_users = users::table
                .inner_join(refresh_tokens::table)
                .select(users::email)
                .distinct()
                .load(conn)
                .await
                .unwrap();
            (from_tokens, from_users)
        })
    }

    pub async fn ip_addresses(&mut self) -> Vec<Option<String>> {
        on_connection!(self, |conn| refresh_tokens::table
            .select(refresh_tokens::ip_address)
            .load(conn)
            .await
            .unwrap())
    }

    pub async fn set_active(&mut self, email: &str, active: bool) {
        on_connection!(self, |conn| diesel::update(
            users::table.filter(users::email.eq(email))
        )
        .set(users::is_active.eq(active))
        .execute(conn)
        .await
        .unwrap());
    }

    pub async fn set_verified(&mut self, email: &str, verified: bool) {
        on_connection!(self, |conn| diesel::update(
            users::table.filter(users::email.eq(email))
        )
        .set(users::is_verified.eq(verified))
        .execute(conn)
        .await
        .unwrap());
    }

    pub async fn set_superuser(&mut self, email: &str, superuser: bool) {
        on_connection!(self, |conn| diesel::update(
            users::table.filter(users::email.eq(email))
        )
        .set(users::is_superuser.eq(superuser))
        .execute(conn)
        .await
        .unwrap());
    }

    pub async fn set_password_hash(&mut self, email: &str, hash: Option<&str>) {
        on_connection!(self, |conn| diesel::update(
            users::table.filter(users::email.eq(email))
        )
        .set(users::hashed_password.eq(hash))
        .execute(conn)
        .await
        .unwrap());
    }

    pub async fn user_created_at(&mut self, email: &str) -> time::OffsetDateTime {
        on_connection!(self, |conn| users::table
            .select(users::created_at)
            .filter(users::email.eq(Db(email)))
            .first(conn)
            .await
            .unwrap())
    }
}

diesel::table! {
    __diesel_schema_migrations (version) {
        version -> VarChar,
        run_on -> Timestamp,
    }
}

impl Connection {
    /// The versions recorded by Diesel's migration harness.
    pub async fn applied_migrations(&mut self) -> Vec<String> {
        on_connection!(self, |conn| __diesel_schema_migrations::table
            .select(__diesel_schema_migrations::version)
            .order(__diesel_schema_migrations::version)
            .load(conn)
            .await
            .unwrap())
    }
}
