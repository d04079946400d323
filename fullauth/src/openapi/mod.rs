//! The OpenAPI 3.1 document of fullauth's routes (feature `openapi`), and a page that renders it.
//!
//! [`FullAuth::openapi`] describes exactly the routes [`FullAuth::router`] mounts, at their configured paths: the
//! user JSON with the application's own fields, the answers fullauth's routes give (the refusals, pydantic's
//! 422 list, 413, 429 with its headers, 503; the layers an application adds, such as CSRF or a global rate
//! limit, answer for themselves), and the bearer (and, when cookies carry the tokens, cookie) security schemes.
//! Its components include `User` (what fullauth's routes answer, with `roles` when the model has role models)
//! and `PublicUser` (what [`crate::PublicUser`] serializes), for the application's own routes to name. Merge it
//! into the application's own document and serve both with [`docs_router`]:
//!
//! ```no_run
//! # async fn run(fullauth: fullauth::FullAuth<impl fullauth::FullAuthUser>) {
//! let mut document = fullauth.openapi();
//! document.info.title = "My application".to_owned();
//! let app: axum::Router = axum::Router::new()
//!     .merge(fullauth.router())
//!     .merge(fullauth::openapi::docs_router(&document));
//! # }
//! ```

mod admin;
mod auth;
mod context;
mod docs_page;
mod document;
mod guarded;
mod jwks;
#[cfg(feature = "mfa")]
mod mfa;
#[cfg(feature = "oauth")]
mod oauth;
mod operation;
#[cfg(feature = "passkey")]
mod passkeys;
mod profile;
mod schema_kit;
mod schemas;
mod sessions;
mod verify;

pub use docs_page::{
    DOCS_PATH, OPENAPI_PATH, RENDERER_CDN_URL, RENDERER_VERSION, docs_page,
    docs_page_with_renderer, docs_router, docs_router_with_renderer,
};
pub use guarded::{Guard, json_answer};
/// The utoipa crate the document is built with, for describing the application's own routes in the same types.
pub use utoipa;
pub use utoipa::openapi::OpenApi;

use context::Context;

use crate::flows::FullAuth;
use crate::model::FullAuthUser;
use crate::routes::Routers;

impl<U: FullAuthUser> FullAuth<U> {
    /// The OpenAPI 3.1 document of the routes [`FullAuth::router`] mounts.
    pub fn openapi(&self) -> OpenApi {
        self.openapi_with(self.routers())
    }

    /// The OpenAPI 3.1 document of the chosen routers, as [`FullAuth::router_with`] mounts them. A router this
    /// configuration cannot mount is left out.
    pub fn openapi_with(&self, routers: impl IntoIterator<Item = Routers>) -> OpenApi {
        let context = self.openapi_context();
        let mountable = self.routers();
        let mut operations = Vec::new();
        let mut described = Vec::new();
        for router in routers {
            if described.contains(&router) || !mountable.contains(&router) {
                continue;
            }
            described.push(router);
            operations.extend(match router {
                Routers::Auth => auth::operations(&context),
                Routers::Profile => profile::operations(&context),
                Routers::Verify => verify::operations(&context),
                Routers::Sessions => sessions::operations(&context),
                Routers::Admin => admin::operations::<U>(&context),
                #[cfg(feature = "oauth")]
                Routers::OAuth => oauth::operations(&context),
                #[cfg(feature = "passkey")]
                Routers::Passkey => passkeys::operations(&context),
                #[cfg(feature = "mfa")]
                Routers::Mfa => mfa::operations(&context),
            });
        }
        document::document(
            context.describe(operations),
            schemas::components::<U>(self.roles_enabled(), context.new_password()),
            context.access_cookie.clone(),
        )
    }

    /// The OpenAPI 3.1 document of `GET /.well-known/jwks.json`, which [`FullAuth::jwks_router`] serves: merge it
    /// beside [`FullAuth::openapi`] when you mount that router. `None` when access tokens are signed with an HMAC
    /// algorithm, which has no key set to publish.
    pub fn jwks_openapi(&self) -> Option<OpenApi> {
        self.tokens().jwks()?;
        let context = self.openapi_context();
        Some(document::document(
            context.describe(jwks::operations()),
            schemas::shared_components(),
            None,
        ))
    }

    fn openapi_context(&self) -> Context {
        #[cfg(feature = "mfa")]
        let second_factor = self.inner.mfa.is_some();
        #[cfg(not(feature = "mfa"))]
        let second_factor = false;
        Context::new(self.config(), second_factor)
    }
}
