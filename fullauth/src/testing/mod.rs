//! A test kit for applications (feature `testing`): fullauth without a database, signed-in users without the
//! login route.
//!
//! Enable it for tests only:
//!
//! ```toml
//! [dev-dependencies]
//! fullauth = { version = "0.1", features = ["testing"] }
//! ```
//!
//! A test of an application route that needs a signed-in user:
//!
//! ```
//! use axum::{Json, Router, body::Body, http::Request, routing::get};
//! use fullauth::{CurrentUser, PublicUser, UserMixin, testing};
//! use tower::ServiceExt;
//!
//! #[derive(Clone, Debug, fullauth::FullAuthUser)]
//! struct User {
//!     #[fullauth(mixin)]
//!     auth: UserMixin,
//!     #[fullauth(default = "")]
//!     display_name: String,
//! }
//!
//! async fn profile(CurrentUser(user): CurrentUser<User>) -> Json<PublicUser<User>> {
//!     Json(PublicUser(user))
//! }
//!
//! # tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap().block_on(async {
//! let auth = testing::fullauth::<User>();
//! let user = testing::create_user(&auth, User { auth: UserMixin::new("ada@example.com"), display_name: "Ada".into() }, "password123").await;
//! let tokens = testing::sign_in(&auth, &user).await;
//!
//! let app = Router::new().route("/profile", get(profile)).with_state(auth);
//! let request = Request::get("/profile")
//!     .header("authorization", format!("Bearer {}", tokens.access_token))
//!     .body(Body::empty())
//!     .unwrap();
//! let response = app.oneshot(request).await.unwrap();
//! assert_eq!(response.status(), 200);
//! # });
//! ```

mod browser;
mod mails;

pub use browser::{BrowserSession, browser_session};
pub use mails::{CapturedMails, token_in};

use crate::config::{FullAuthConfig, PasswordHashCost};
use crate::flows::{ClientInfo, Registration, TokenPair};
use crate::flows::{FullAuth, FullAuthBuilder};
use crate::model::FullAuthUser;
pub use crate::store::MemoryStore;

/// The secret of [`fullauth`] and [`builder`]: a fixed key, so tokens minted in one test stay valid in another
/// process of the same test run.
pub const TEST_SECRET: &str = "fullauth test secret, never use it in production";

/// The cheapest Argon2 parameters: tests hash in microseconds. Only the test kit can use them.
const TEST_HASH_COST: PasswordHashCost = PasswordHashCost {
    memory_kib: 8,
    iterations: 1,
    parallelism: 1,
};

/// `app` as [`crate::serve`] serves it, for tests that call it directly (`tower::ServiceExt::oneshot`): every
/// request comes from `127.0.0.1`. Rate-limited routes (sign-in, registration, mail requests) need a client
/// address and answer 500 without one.
pub fn with_client_address(app: axum::Router) -> axum::Router {
    app.layer(axum::extract::connect_info::MockConnectInfo(
        std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
    ))
}

/// A [`FullAuth`] for tests, in one line: an empty [`MemoryStore`], the default configuration with
/// [`TEST_SECRET`], and the cheapest password hashing.
///
/// # Panics
/// Never with the defaults; the builder's errors are configuration errors.
pub fn fullauth<U: FullAuthUser>() -> FullAuth<U> {
    with_store(MemoryStore::new(), default_config())
}

/// Like [`fullauth`], with your store (e.g. a clone kept to inspect) and configuration.
///
/// # Panics
/// When the configuration is invalid.
pub fn with_store<U: FullAuthUser>(store: MemoryStore<U>, config: FullAuthConfig) -> FullAuth<U> {
    builder(store, config)
        .build()
        .unwrap_or_else(|error| panic!("invalid test configuration: {error}"))
}

/// A builder with your store and configuration and the cheapest password hashing, to add a mailer (such as
/// [`CapturedMails`]), event handlers or shared state before `build`. Works with any store, e.g. a
/// [`crate::DieselAdapter`] on a test database.
pub fn builder<U: FullAuthUser>(
    store: impl crate::store::AuthStore<U>,
    config: FullAuthConfig,
) -> FullAuthBuilder<U> {
    let mut builder = FullAuth::builder().adapter(store).config(config);
    builder.test_hash_cost = Some(TEST_HASH_COST);
    builder
}

/// Like [`fullauth`], delivering mails to the returned [`CapturedMails`] instead of the console.
///
/// # Panics
/// Never with the defaults.
pub fn with_captured_mails<U: FullAuthUser>() -> (FullAuth<U>, CapturedMails) {
    let mails = CapturedMails::new();
    let auth = builder(MemoryStore::new(), default_config())
        .mailer(mails.clone())
        .build()
        .unwrap_or_else(|error| panic!("invalid test configuration: {error}"));
    (auth, mails)
}

/// The test kit's configuration: the defaults with [`TEST_SECRET`].
pub fn default_config() -> FullAuthConfig {
    FullAuthConfig {
        secret_key: crate::config::SecretKey::new(TEST_SECRET).ok(),
        ..FullAuthConfig::default()
    }
}

/// Stores `user` with `password` through the register flow (email normalized, password hashed), and returns
/// it with its id.
///
/// # Panics
/// When the email is taken or the password breaks the policy: a test that did not mean it should fail.
pub async fn create_user<U: FullAuthUser>(auth: &FullAuth<U>, user: U, password: &str) -> U {
    let email = user.email().to_owned();
    match auth.register(user, password.to_owned()).await {
        Ok(Registration::Created(user)) => user,
        Ok(Registration::EmailTaken) => panic!("create_user: {email} is already registered"),
        Err(error) => panic!("create_user: {email} was refused: {error:?}"),
    }
}

/// Opens a session for `user` without the login route, as a successful sign-in would: the tokens work with
/// every extractor and route, and die with the session.
///
/// # Panics
/// When the user does not exist in the store or is inactive.
pub async fn sign_in<U: FullAuthUser>(auth: &FullAuth<U>, user: &U) -> TokenPair {
    auth.start_session(user, &ClientInfo::default(), None)
        .await
        .unwrap_or_else(|error| panic!("sign_in: no session for {}: {error:?}", user.email()))
}
