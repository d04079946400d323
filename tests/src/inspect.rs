//! Looking at (and changing) the data behind a test app directly: with Diesel on the generated tables, or
//! through the in-memory store's own handle.

use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::{AsyncConnection, RunQueryDsl};
use fullauth::sql_types::Db;
use fullauth::store::MemoryStore;

use crate::database::{Backend, TestDatabase};
use crate::models::{
    User, mfa, oauth_accounts, passkeys, refresh_tokens, roles, user_roles, users,
};

/// A direct connection to a test database, or the shared handle of an in-memory store.
pub enum Connection {
    Sqlite(diesel_async::sync_connection_wrapper::SyncConnectionWrapper<diesel::SqliteConnection>),
    Postgres(Box<diesel_async::AsyncPgConnection>),
    Mysql(Box<diesel_async::AsyncMysqlConnection>),
    Memory(MemoryStore<User>),
}

/// Runs `$sql` with `$conn` bound to a database connection, or `$memory` with `$store` bound to the in-memory
/// store.
macro_rules! inspect {
    ($connection:expr, |$conn:ident| $sql:expr, |$store:ident| $memory:expr) => {
        match $connection {
            Connection::Sqlite($conn) => $sql,
            Connection::Postgres(boxed) => {
                let $conn = &mut **boxed;
                $sql
            }
            Connection::Mysql(boxed) => {
                let $conn = &mut **boxed;
                $sql
            }
            Connection::Memory($store) => $memory,
        }
    };
}

diesel::table! {
    __diesel_schema_migrations (version) {
        version -> VarChar,
        run_on -> Timestamp,
    }
}

fn sorted<T: Ord>(mut values: Vec<T>) -> Vec<T> {
    values.sort();
    values
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
            Backend::Memory => Connection::Memory(db.memory_store().clone()),
        }
    }

    pub async fn user_count(&mut self) -> i64 {
        inspect!(
            self,
            |conn| users::table.count().get_result(conn).await.unwrap(),
            |store| store.users().len() as i64
        )
    }

    pub async fn refresh_token_count(&mut self) -> i64 {
        inspect!(
            self,
            |conn| refresh_tokens::table
                .count()
                .get_result(conn)
                .await
                .unwrap(),
            |store| store.refresh_tokens().len() as i64
        )
    }

    /// Tokens neither used nor revoked (expiry aside).
    pub async fn live_refresh_token_count(&mut self) -> i64 {
        inspect!(
            self,
            |conn| refresh_tokens::table
                .filter(refresh_tokens::revoked_at.is_null())
                .filter(refresh_tokens::used_at.is_null())
                .count()
                .get_result(conn)
                .await
                .unwrap(),
            |store| store
                .refresh_tokens()
                .iter()
                .filter(|t| t.used_at.is_none() && t.revoked_at.is_none())
                .count() as i64
        )
    }

    pub async fn emails(&mut self) -> Vec<String> {
        inspect!(
            self,
            |conn| users::table
                .select(users::email)
                .order(users::email)
                .load(conn)
                .await
                .unwrap(),
            |store| sorted(
                store
                    .users()
                    .into_iter()
                    .map(|user| user.auth.email)
                    .collect()
            )
        )
    }

    pub async fn password_hash(&mut self, email: &str) -> Option<String> {
        inspect!(
            self,
            |conn| users::table
                .select(users::hashed_password)
                .filter(users::email.eq(email))
                .first(conn)
                .await
                .unwrap(),
            |store| store
                .users()
                .into_iter()
                .find(|user| user.auth.email == email)
                .and_then(|user| user.auth.hashed_password)
        )
    }

    pub async fn token_digests(&mut self) -> Vec<String> {
        inspect!(
            self,
            |conn| refresh_tokens::table
                .select(refresh_tokens::token_digest)
                .load(conn)
                .await
                .unwrap(),
            |store| store
                .refresh_tokens()
                .into_iter()
                .map(|token| token.token_digest)
                .collect()
        )
    }

    pub async fn user_agents(&mut self) -> Vec<Option<String>> {
        inspect!(
            self,
            |conn| refresh_tokens::table
                .select(refresh_tokens::user_agent)
                .load(conn)
                .await
                .unwrap(),
            |store| store
                .refresh_tokens()
                .into_iter()
                .map(|token| token.user_agent)
                .collect()
        )
    }

    pub async fn ip_addresses(&mut self) -> Vec<Option<String>> {
        inspect!(
            self,
            |conn| refresh_tokens::table
                .select(refresh_tokens::ip_address)
                .load(conn)
                .await
                .unwrap(),
            |store| store
                .refresh_tokens()
                .into_iter()
                .map(|token| token.ip_address)
                .collect()
        )
    }

    /// The emails of the users who hold refresh tokens, through a join in each direction.
    pub async fn emails_with_tokens(&mut self) -> (Vec<String>, Vec<String>) {
        inspect!(
            self,
            |conn| {
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
            },
            |store| {
                let tokens = store.refresh_tokens();
                let mut emails: Vec<String> = store
                    .users()
                    .into_iter()
                    .filter(|user| tokens.iter().any(|token| token.user_id == user.auth.id))
                    .map(|user| user.auth.email)
                    .collect();
                emails.sort();
                (emails.clone(), emails)
            }
        )
    }

    pub async fn set_active(&mut self, email: &str, active: bool) {
        inspect!(
            self,
            |conn| diesel::update(users::table.filter(users::email.eq(email)))
                .set(users::is_active.eq(active))
                .execute(conn)
                .await
                .map(drop)
                .unwrap(),
            |store| assert!(store.modify_user(email, |user| user.auth.is_active = active))
        )
    }

    pub async fn set_verified(&mut self, email: &str, verified: bool) {
        inspect!(
            self,
            |conn| diesel::update(users::table.filter(users::email.eq(email)))
                .set(users::is_verified.eq(verified))
                .execute(conn)
                .await
                .map(drop)
                .unwrap(),
            |store| assert!(store.modify_user(email, |user| user.auth.is_verified = verified))
        )
    }

    pub async fn set_superuser(&mut self, email: &str, superuser: bool) {
        inspect!(
            self,
            |conn| diesel::update(users::table.filter(users::email.eq(email)))
                .set(users::is_superuser.eq(superuser))
                .execute(conn)
                .await
                .map(drop)
                .unwrap(),
            |store| assert!(store.modify_user(email, |user| user.auth.is_superuser = superuser))
        )
    }

    pub async fn set_email(&mut self, email: &str, new_email: &str) {
        inspect!(
            self,
            |conn| diesel::update(users::table.filter(users::email.eq(email)))
                .set(users::email.eq(new_email))
                .execute(conn)
                .await
                .map(drop)
                .unwrap(),
            |store| assert!(
                store.modify_user(email, |user| user.auth.email = new_email.to_owned())
            )
        )
    }

    pub async fn set_password_hash(&mut self, email: &str, hash: Option<&str>) {
        inspect!(
            self,
            |conn| diesel::update(users::table.filter(users::email.eq(email)))
                .set(users::hashed_password.eq(hash))
                .execute(conn)
                .await
                .map(drop)
                .unwrap(),
            |store| assert!(store.modify_user(email, |user| user.auth.hashed_password =
                hash.map(str::to_owned)))
        )
    }

    /// Sets the expiry of every refresh token of the user with this email.
    pub async fn set_refresh_expiry(&mut self, email: &str, expires_at: time::OffsetDateTime) {
        inspect!(
            self,
            |conn| diesel::update(
                refresh_tokens::table.filter(
                    refresh_tokens::user_id.eq_any(
                        users::table
                            .select(users::id)
                            .filter(users::email.eq(email))
                    )
                )
            )
            .set(refresh_tokens::expires_at.eq(Db(expires_at)))
            .execute(conn)
            .await
            .map(drop)
            .unwrap(),
            |store| {
                let id = store
                    .users()
                    .into_iter()
                    .find(|user| user.auth.email == email)
                    .map(|user| user.auth.id);
                store.modify_refresh_tokens(|token| {
                    if Some(token.user_id) == id {
                        token.expires_at = expires_at;
                    }
                });
            }
        )
    }

    pub async fn user_created_at(&mut self, email: &str) -> time::OffsetDateTime {
        inspect!(
            self,
            |conn| users::table
                .select(users::created_at)
                .filter(users::email.eq(Db(email)))
                .first(conn)
                .await
                .unwrap(),
            |store| store
                .users()
                .into_iter()
                .find(|user| user.auth.email == email)
                .unwrap()
                .auth
                .created_at
        )
    }

    /// Runs SQL statements as they are (nothing on the in-memory store).
    pub async fn execute(&mut self, sql: &str) {
        use diesel_async::SimpleAsyncConnection as _;
        inspect!(
            self,
            |conn| conn.batch_execute(sql).await.unwrap(),
            |_store| ()
        )
    }

    /// The versions recorded by Diesel's migration harness (none for the in-memory store, which has no schema).
    pub async fn applied_migrations(&mut self) -> Vec<String> {
        inspect!(
            self,
            |conn| __diesel_schema_migrations::table
                .select(__diesel_schema_migrations::version)
                .order(__diesel_schema_migrations::version)
                .load(conn)
                .await
                .unwrap(),
            |_store| Vec::new()
        )
    }

    /// The role name of each link row of a user, one entry per row (a duplicate link would show twice).
    pub async fn role_links(&mut self, email: &str) -> Vec<String> {
        let names: Vec<String> = inspect!(
            self,
            |conn| user_roles::table
                .inner_join(roles::table)
                .inner_join(users::table)
                .filter(users::email.eq(email))
                .select(roles::name)
                .load(conn)
                .await
                .unwrap(),
            |store| {
                let Some(user) = store
                    .users()
                    .into_iter()
                    .find(|user| user.auth.email == email)
                else {
                    return Vec::new();
                };
                fullauth::store::AuthStore::role_store(store)
                    .expect("the test user declares role models")
                    .user_roles(&user.auth.id)
                    .await
                    .unwrap()
            }
        );
        sorted(names)
    }

    /// How many roles have this name (at most one, by the unique index).
    pub async fn roles_named(&mut self, name: &str) -> i64 {
        inspect!(
            self,
            |conn| roles::table
                .filter(roles::name.eq(name))
                .count()
                .get_result(conn)
                .await
                .unwrap(),
            |store| fullauth::store::AuthStore::role_store(store)
                .expect("the test user declares role models")
                .list_roles()
                .await
                .unwrap()
                .iter()
                .filter(|role| role.name == name)
                .count() as i64
        )
    }

    /// The number of roles.
    pub async fn role_count(&mut self) -> i64 {
        inspect!(
            self,
            |conn| roles::table.count().get_result(conn).await.unwrap(),
            |store| fullauth::store::AuthStore::role_store(store)
                .expect("the test user declares role models")
                .list_roles()
                .await
                .unwrap()
                .len() as i64
        )
    }

    /// Every OAuth link as (the user's email, provider, provider user id), sorted.
    pub async fn oauth_links(&mut self) -> Vec<(String, String, String)> {
        let links: Vec<(String, String, String)> = inspect!(
            self,
            |conn| oauth_accounts::table
                .inner_join(users::table)
                .select((
                    users::email,
                    oauth_accounts::provider,
                    oauth_accounts::provider_user_id
                ))
                .load(conn)
                .await
                .unwrap(),
            |store| {
                let accounts = fullauth::store::AuthStore::oauth_account_store(store)
                    .expect("the test user declares an OAuth-account model");
                let mut links = Vec::new();
                for user in store.users() {
                    for account in accounts.oauth_accounts_of(&user.auth.id).await.unwrap() {
                        links.push((
                            user.auth.email.clone(),
                            account.provider,
                            account.provider_user_id,
                        ));
                    }
                }
                links
            }
        );
        sorted(links)
    }

    /// The MFA row of the user with this email, as the database holds it: `(secret, confirmed,
    /// last_counter, recovery_codes)`.
    pub async fn mfa_row(&mut self, email: &str) -> Option<(String, bool, i64, String)> {
        inspect!(
            self,
            |conn| {
                mfa::table
                    .inner_join(users::table)
                    .filter(users::email.eq(email))
                    .select((
                        mfa::secret,
                        mfa::confirmed_at.is_not_null(),
                        mfa::last_counter,
                        mfa::recovery_codes,
                    ))
                    .first::<(String, bool, i64, String)>(conn)
                    .await
                    .ok()
            },
            |store| {
                let user = store
                    .users()
                    .into_iter()
                    .find(|user| user.auth.email == email)?;
                let mfa = fullauth::store::AuthStore::mfa_store(store)
                    .expect("the test user declares an MFA model")
                    .mfa_of(&user.auth.id)
                    .await
                    .unwrap()?;
                let confirmed = mfa.is_enabled();
                Some((mfa.secret, confirmed, mfa.last_counter, mfa.recovery_codes))
            }
        )
    }

    /// Sets the signature counter the passkeys of the user with this email remember, in their rows and in their
    /// stored credentials, as if their authenticators had signed `counter` times.
    pub async fn set_passkey_counters(&mut self, email: &str, counter: u32) {
        let with_counter = |credential: &str| {
            let mut credential: serde_json::Value = serde_json::from_str(credential).unwrap();
            credential["counter"] = counter.into();
            credential.to_string()
        };
        inspect!(
            self,
            |conn| {
                let rows: Vec<(String, String)> = passkeys::table
                    .inner_join(users::table)
                    .filter(users::email.eq(email))
                    .select((passkeys::credential_digest, passkeys::credential))
                    .load(conn)
                    .await
                    .unwrap();
                for (digest, credential) in rows {
                    diesel::update(passkeys::table.filter(passkeys::credential_digest.eq(digest)))
                        .set((
                            passkeys::credential.eq(with_counter(&credential)),
                            passkeys::sign_count.eq(i64::from(counter)),
                        ))
                        .execute(conn)
                        .await
                        .unwrap();
                }
            },
            |store| {
                let passkeys = fullauth::store::AuthStore::passkey_store(store)
                    .expect("the test user declares a passkey model");
                let user = store
                    .users()
                    .into_iter()
                    .find(|user| user.auth.email == email)
                    .unwrap();
                for passkey in passkeys.passkeys_of(&user.auth.id).await.unwrap() {
                    let credential = with_counter(&passkey.credential);
                    let used = fullauth::store::PasskeyUse {
                        id: passkey.id,
                        credential: &credential,
                        sign_count: i64::from(counter),
                        backed_up: passkey.backed_up,
                        used_at: time::OffsetDateTime::now_utc(),
                    };
                    assert!(passkeys.record_passkey_use(&used).await.unwrap());
                }
            }
        )
    }
}
