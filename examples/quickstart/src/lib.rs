//! The getting-started application of fastapi-fullauth, in Rust: its models and its own routes.

use axum::response::Html;
use axum::{Json, Router, routing::get};
use fullauth::openapi::utoipa::openapi::OpenApiBuilder;
use fullauth::openapi::utoipa::openapi::path::{HttpMethod, PathItem, PathsBuilder};
use fullauth::openapi::utoipa::openapi::schema::{ObjectBuilder, Ref, Type};
use fullauth::openapi::{Guard, OpenApi, json_answer};
use fullauth::prelude::*;
use serde_json::{Value, json};

/// A user with a display name and a phone number; fullauth's columns come from the mixin.
#[derive(FullAuthUser, Clone, Debug)]
#[fullauth(table = "users")]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
    #[fullauth(max_length = 100, default = "")]
    pub display_name: String,
    #[fullauth(max_length = 20, default = "")]
    pub phone: String,
}

/// The users' refresh tokens.
#[derive(FullAuthRefreshToken, Clone, Debug)]
#[fullauth(table = "refresh_tokens", user = User)]
pub struct RefreshToken {
    #[fullauth(mixin)]
    pub token: RefreshTokenMixin,
}

/// The users' links to OAuth providers: with `FULLAUTH_OAUTH_<NAME>_*` set, `fullauth.router()` mounts the oauth
/// router and users sign in with those providers.
#[derive(FullAuthOAuthAccount, Clone, Debug)]
#[fullauth(table = "oauth_accounts", user = User)]
pub struct OAuthAccount {
    #[fullauth(mixin)]
    pub account: OAuthAccountMixin,
}

/// The users' passkeys: with `FULLAUTH_PASSKEY_RP_ID` and `FULLAUTH_PASSKEY_ORIGINS` set, `fullauth.router()`
/// mounts the passkey router.
#[derive(FullAuthPasskey, Clone, Debug)]
#[fullauth(table = "passkeys", user = User)]
pub struct Passkey {
    #[fullauth(mixin)]
    pub passkey: PasskeyMixin,
}

/// The users' second factors: with `FULLAUTH_MFA_ISSUER` set, `fullauth.router()` mounts the mfa router and
/// every sign-in of a user who turned MFA on asks for a code from their authenticator app.
#[derive(FullAuthMfa, Clone, Debug)]
#[fullauth(table = "mfa", user = User)]
pub struct Mfa {
    #[fullauth(mixin)]
    pub mfa: MfaMixin,
}

/// A page to try the routes in a browser: sign up, sign in, add and delete passkeys, sign in with one.
const PASSKEYS_PAGE: &str = include_str!("passkeys.html");

/// fullauth's routers under `/api/v1/auth`; `/profile` for any signed-in user, `/dashboard` for verified ones;
/// at `/`, a page to try passkeys with; the OpenAPI document of all of them at `/openapi.json`, rendered at
/// `/docs`; with an asymmetric `FULLAUTH_ALGORITHM`, the key set at `/.well-known/jwks.json`.
pub fn app(fullauth: FullAuth<User>) -> Router {
    let mut document = fullauth.openapi();
    document.merge(own_routes(&fullauth));
    if let Some(key_set) = fullauth.jwks_openapi() {
        document.merge(key_set);
    }
    document.info.title = "fullauth quickstart".to_owned();
    Router::new()
        .route("/", get(|| async { Html(PASSKEYS_PAGE) }))
        .route("/profile", get(profile))
        .route("/dashboard", get(dashboard))
        .merge(fullauth.router())
        .merge(fullauth::openapi::docs_router(&document))
        .merge(if fullauth.tokens().jwks().is_some() {
            fullauth.jwks_router()
        } else {
            Router::new()
        })
        .fallback(fullauth::not_found)
        .with_state(fullauth)
}

async fn profile(CurrentUser(user): CurrentUser<User>) -> Json<PublicUser<User>> {
    Json(PublicUser(user))
}

async fn dashboard(VerifiedUser(user): VerifiedUser<User>) -> Json<Value> {
    Json(json!({ "email": user.auth.email }))
}

/// The OpenAPI description of this application's own routes, merged into fullauth's document by [`app`]: each
/// starts from fullauth's description of its guard (security schemes, 401, 403, ...) and names fullauth's
/// `PublicUser` component.
fn own_routes(fullauth: &FullAuth<User>) -> OpenApi {
    let email_only = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("email", ObjectBuilder::new().schema_type(Type::String))
        .required("email");
    let profile = fullauth
        .guarded_operation(Guard::SignedIn, "The signed-in user's profile")
        .response(
            "200",
            json_answer("The signed-in user.", Ref::from_schema_name("PublicUser")),
        );
    let dashboard = fullauth
        .guarded_operation(Guard::Restricted, "The dashboard of a verified user")
        .response("200", json_answer("The user's address.", email_only));
    let paths = PathsBuilder::new()
        .path("/profile", PathItem::new(HttpMethod::Get, profile))
        .path("/dashboard", PathItem::new(HttpMethod::Get, dashboard));
    OpenApiBuilder::new().paths(paths).build()
}
