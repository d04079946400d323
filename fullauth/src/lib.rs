//! # fullauth
//!
//! Complete, secure-by-default authentication and authorization for [axum] applications, generated from your
//! own structs. Derive [`FullAuthUser`] on your user struct (with any extra fields you like) and
//! [`FullAuthRefreshToken`] on a token struct; fullauth generates the Diesel tables, the migrations, the JSON
//! shapes and the glue, and gives you routers and extractors that speak the HTTP API of fastapi-fullauth.
//!
//! ```no_run
//! use axum::{Json, Router, routing::get};
//! use fullauth::prelude::*;
//!
//! #[derive(FullAuthUser, Clone, Debug)]
//! #[fullauth(table = "users")]
//! pub struct User {
//!     #[fullauth(mixin)]
//!     pub auth: UserMixin,
//!     #[fullauth(max_length = 100, default = "")]
//!     pub display_name: String,
//! }
//!
//! #[derive(FullAuthRefreshToken, Clone, Debug)]
//! #[fullauth(table = "refresh_tokens", user = User)]
//! pub struct RefreshToken {
//!     #[fullauth(mixin)]
//!     pub token: RefreshTokenMixin,
//! }
//!
//! async fn profile(CurrentUser(user): CurrentUser<User>) -> Json<PublicUser<User>> {
//!     Json(PublicUser(user))
//! }
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let adapter = DieselAdapter::connect("sqlite://app.db").await?.user::<User>();
//! let fullauth = FullAuth::new(adapter.refresh_tokens::<RefreshToken>(), FullAuthConfig::from_env()?)?;
//! fullauth.migrate().await?;
//!
//! let app = Router::new()
//!     .route("/profile", get(profile))
//!     .merge(fullauth.router())          // /api/v1/auth/register, /login, /me, /sessions, ...
//!     .fallback(fullauth::not_found)
//!     .with_state(fullauth);
//! fullauth::serve("127.0.0.1:8000", app).await?;
//! # Ok(()) }
//! ```
//!
//! ## Feature flags
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `derive` | yes | the `#[derive(FullAuthUser)]` family, [`roles!`] and [`permissions!`] |
//! | `sqlite` | yes | SQLite, compiled in (no system library needed) |
//! | `postgres` | no | PostgreSQL, pure Rust (no libpq) |
//! | `mysql` | no | MySQL 8 and MariaDB 10.5+, pure Rust (no libmysqlclient) |
//! | `smtp` | no | `mail::SmtpMailer`: mail delivery over SMTP (`FULLAUTH_SMTP_URL`) |
//! | `oauth` | no | [`oauth`]: sign-in with Google, GitHub, Discord, GitLab and any OpenID Connect provider, account linking |
//! | `mfa` | no | TOTP multi-factor authentication with recovery codes, asked on every way of signing in: [`FullAuth::mfa_router`], the MFA model ([`FullAuthMfa`]), and [`mfa`] (RFC 6238 codes, secrets, provisioning URIs) |
//! | `passkey` | no | sign-in with passkeys (WebAuthn) on webauthn-rs: [`FullAuth::passkey_router`] |
//! | `redis` | no | `shared_state::RedisState`: revocations and counters shared by several instances (`FULLAUTH_REDIS_URL`) |
//! | `testing` | no | `testing`: fullauth in memory, signed-in users without the login route, captured mails |
//!
//! ## Where things are
//!
//! [`FullAuth`] is the handle: its operations (sign-in, sessions, account changes, mail links, roles,
//! administration), the routers of [`Routers`] that [`FullAuth::router`] mounts (auth, profile, verify,
//! sessions, and admin when the user model has role models: [`FullAuthRole`], [`FullAuthPermission`],
//! [`FullAuthUserRole`], [`FullAuthRolePermission`]) and the layers of [`middleware`]. Every operation returns
//! [`Error`]; [`ApiError`] is the HTTP answer to each. Role guards are the extractors [`RequireRole`] and
//! [`RequirePermission`], declared with [`roles!`] and [`permissions!`], and the layers of
//! [`FullAuth::require_role`] and [`FullAuth::require_permission`]; [`RoleCheck`] says where they read roles.
//! [`config`] has every option, grouped by concern; [`mail`] the mailers and templates of the verify router;
//! [`events`] the events applications subscribe to with [`FullAuthBuilder::on_event`]; [`store`] the storage
//! contract, one trait per capability, with its in-memory implementation; [`shared_state`] what several
//! instances share; [`migrations`] and [`cli`] the schema tooling. The repository's `ARCHITECTURE.md` maps the
//! layers.

#![warn(missing_docs)]

mod adapter;
pub mod cli;
pub mod config;
pub mod email_address;
mod error;
pub mod events;
mod extract;
mod flows;
mod http;
pub mod json;
mod log_field;
pub mod mail;
#[cfg(feature = "mfa")]
pub mod mfa;
pub mod middleware;
pub mod migrations;
mod model;
#[cfg(feature = "oauth")]
pub mod oauth;
#[cfg(feature = "openapi")]
pub mod openapi;
#[cfg(feature = "passkey")]
mod passkey;
pub mod password;
pub mod prelude;
mod random;
mod routes;
pub mod schema;
#[cfg(any(feature = "oauth", feature = "mfa"))]
mod sealing;
mod serve;
pub mod shared_state;
pub mod sql_types;
pub mod store;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tokens;

pub use adapter::{Backend, DieselAdapter, DieselRefreshToken, DieselUser};
pub use config::{
    ConfigError, FullAuthConfig, JwtAlgorithm, PasswordHashCost, RedisUrl, RoleCheck, SameSite,
    SecretKey, SmtpUrl,
};

/// The Diesel version fullauth is built with, for your own queries on the generated tables.
pub use ::diesel;
/// The diesel-async version fullauth is built with.
pub use ::diesel_async;
pub use error::{Error, MfaFailure, OAuthFailure, PasskeyFailure, ReauthFailure};
pub use extract::{
    AccessClaims, CurrentUser, CustomClaims, PermissionRequirement, RequirePermission, RequireRole,
    RoleRequirement, SuperUser, VerifiedUser,
};
#[cfg(feature = "oauth")]
pub use flows::OAuthStart;
pub use flows::{
    Bucket, ClaimsError, ClientAddress, ClientInfo, FullAuth, FullAuthBuilder,
    RESERVED_CLAIM_NAMES, Registration, Requirement, SignIn, SuperuserOutcome, TokenPair,
};
#[cfg(feature = "mfa")]
pub use flows::{MfaEnrolment, MfaStatus};
pub use http::ApiError;
pub use model::{
    FullAuthMfa, FullAuthOAuthAccount, FullAuthPasskey, FullAuthPermission, FullAuthRefreshToken,
    FullAuthRole, FullAuthRolePermission, FullAuthUser, FullAuthUserRole, HasMfa, HasOAuthAccounts,
    HasPasskeys, HasPermissions, HasRoles, JsonField, MfaMixin, OAuthAccountMixin, PasskeyMixin,
    PermissionMixin, PublicUser, RefreshTokenMixin, RoleMixin, RolePermissionMixin, UserId,
    UserJson, UserMixin, UserRoleMixin,
};
pub use routes::{LoginResponse, Routers, not_found};
pub use serve::serve;

#[cfg(feature = "derive")]
pub use fullauth_derive::{
    FullAuthMfa, FullAuthOAuthAccount, FullAuthPasskey, FullAuthPermission, FullAuthRefreshToken,
    FullAuthRole, FullAuthRolePermission, FullAuthUser, FullAuthUserRole, permissions, roles,
};

/// Re-exports and glue for the code the derives generate. Not a stable API.
#[doc(hidden)]
pub mod __private;
