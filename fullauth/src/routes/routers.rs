//! [`Routers`]: which routers [`FullAuth`] mounts, where, and what every one of them answers for unknown methods and
//! oversized bodies.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::IntoResponse;

use super::announced_size::RefuseAnnouncedOversize;
use super::mount::Mount;
use super::{admin, auth, profile, sessions, verify};
use crate::flows::FullAuth;
use crate::http::ApiError;
use crate::model::FullAuthUser;

/// The routers fullauth can mount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Routers {
    /// `POST /register`, `/login`, `/refresh`, `/logout`.
    Auth,
    /// `GET /me`, `GET /me/verified`, `PATCH /me`, `DELETE /me`, `POST /change-password`.
    Profile,
    /// `POST /verify-email/request`, `/verify-email/confirm`, `/password-reset/request`,
    /// `/password-reset/confirm`.
    Verify,
    /// `GET /sessions`, `DELETE /sessions/{family_id}`, `POST /sessions/revoke-others`.
    Sessions,
    /// `/admin/...`, for superusers: roles, permissions and user accounts. Mounted only when the user model
    /// declares its role models.
    Admin,
    /// `/oauth/...`: sign-in with OAuth providers and account linking. Mounted by [`FullAuth::router`] when
    /// providers are configured (which needs an OAuth-account model, checked when `FullAuth` is built).
    #[cfg(feature = "oauth")]
    OAuth,
    /// `/passkeys/...`: registering, listing and deleting passkeys, and signing in with them. Mounted by
    /// [`FullAuth::router`] when `passkey.rp_id` is set (which needs a passkey model, checked when `FullAuth` is
    /// built).
    #[cfg(feature = "passkey")]
    Passkey,
    /// `/mfa/...`: turning TOTP MFA on and off, and the second step of a sign-in. Mounted by [`FullAuth::router`]
    /// when MFA is on (`mfa.issuer` set, which needs an MFA model, checked when `FullAuth` is built).
    #[cfg(feature = "mfa")]
    Mfa,
}

impl Routers {
    /// Every router; [`FullAuth::router`] mounts those the declared models allow.
    pub const ALL: [Routers; 5] = [
        Routers::Auth,
        Routers::Profile,
        Routers::Verify,
        Routers::Sessions,
        Routers::Admin,
    ];
}

impl<U: FullAuthUser> FullAuth<U> {
    /// Every router the declared models allow, mounted under `routes.api_prefix` + `routes.auth_router_prefix` (default
    /// `/api/v1/auth`): the admin router only when the user model has role models.
    ///
    /// The returned router already holds this `FullAuth`, so it merges into a router of any state.
    pub fn router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        self.router_with(self.routers())
    }

    /// The routers [`FullAuth::router`] mounts: those the declared models and the configuration allow.
    pub fn routers(&self) -> Vec<Routers> {
        let roles = self.roles_enabled();
        let routers = Routers::ALL
            .into_iter()
            .filter(|router| roles || *router != Routers::Admin);
        #[cfg(feature = "oauth")]
        let routers = routers.chain(self.inner.oauth.is_some().then_some(Routers::OAuth));
        #[cfg(feature = "passkey")]
        let routers = routers.chain(self.inner.passkeys.is_some().then_some(Routers::Passkey));
        #[cfg(feature = "mfa")]
        let routers = routers.chain(self.inner.mfa.is_some().then_some(Routers::Mfa));
        routers.collect()
    }

    /// The chosen routers, mounted under the configured prefix.
    ///
    /// # Panics
    ///
    /// When asked for [`Routers::Admin`] while the user model declares no role models: a start-up error naming
    /// the missing models, rather than routes that could only fail.
    pub fn router_with<S: Clone + Send + Sync + 'static>(
        &self,
        routers: impl IntoIterator<Item = Routers>,
    ) -> Router<S> {
        let mount = Mount::under(&self.inner.config.routes.mount_path());
        let mut combined = Router::new();
        let mut mounted = Vec::new();
        for router in routers {
            if mounted.contains(&router) {
                continue;
            }
            mounted.push(router);
            combined = combined.merge(match router {
                Routers::Auth => auth::routes::<U>(&mount),
                Routers::Profile => profile::routes::<U>(&mount),
                Routers::Verify => verify::routes::<U>(&mount),
                Routers::Sessions => sessions::routes::<U>(&mount),
                Routers::Admin => {
                    self.assert_roles_enabled("the admin router");
                    admin::routes::<U>(&mount)
                }
                #[cfg(feature = "oauth")]
                Routers::OAuth => {
                    self.assert_oauth_enabled();
                    super::oauth::routes::<U>(&mount)
                }
                #[cfg(feature = "passkey")]
                Routers::Passkey => {
                    self.assert_passkeys_enabled();
                    super::passkeys::routes::<U>(&mount)
                }
                #[cfg(feature = "mfa")]
                Routers::Mfa => {
                    self.assert_mfa_enabled();
                    super::mfa::routes::<U>(&mount)
                }
            });
        }
        self.finish(combined)
    }

    /// The auth router alone, with paths relative to where you nest it (`/register`, ...).
    pub fn auth_router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        self.finish(auth::routes::<U>(&Mount::under("")))
    }

    /// The profile router alone, with paths relative to where you nest it (`/me`, ...).
    pub fn profile_router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        self.finish(profile::routes::<U>(&Mount::under("")))
    }

    /// The verify router alone (email verification and password reset), with relative paths.
    pub fn verify_router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        self.finish(verify::routes::<U>(&Mount::under("")))
    }

    /// The sessions router alone, with relative paths (`/sessions`, ...).
    pub fn sessions_router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        self.finish(sessions::routes::<U>(&Mount::under("")))
    }

    /// The admin router alone, with relative paths (`/admin/assign-role`, ...).
    ///
    /// # Panics
    ///
    /// When the user model declares no role models (see [`Self::router_with`]).
    pub fn admin_router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        self.assert_roles_enabled("the admin router");
        self.finish(admin::routes::<U>(&Mount::under("")))
    }

    /// The oauth router alone, with relative paths (`/oauth/providers`, ...). The user model must declare an
    /// OAuth-account model (a compile error says so otherwise).
    ///
    /// # Panics
    ///
    /// When no OAuth provider is configured.
    #[cfg(feature = "oauth")]
    pub fn oauth_router<S: Clone + Send + Sync + 'static>(&self) -> Router<S>
    where
        U: crate::model::HasOAuthAccounts,
    {
        self.assert_oauth_enabled();
        self.finish(super::oauth::routes::<U>(&Mount::under("")))
    }

    #[cfg(feature = "oauth")]
    fn assert_oauth_enabled(&self) {
        assert!(
            self.inner.oauth.is_some(),
            "the oauth router needs at least one OAuth provider: configure FULLAUTH_OAUTH_<NAME>_* or \
             config.oauth.providers"
        );
    }

    /// The passkey router alone, with relative paths (`/passkeys`, ...). The user model must declare a passkey
    /// model (a compile error says so otherwise).
    ///
    /// # Panics
    ///
    /// When passkeys are off (`passkey.rp_id` unset).
    #[cfg(feature = "passkey")]
    pub fn passkey_router<S: Clone + Send + Sync + 'static>(&self) -> Router<S>
    where
        U: crate::model::HasPasskeys,
    {
        self.assert_passkeys_enabled();
        self.finish(super::passkeys::routes::<U>(&Mount::under("")))
    }

    #[cfg(feature = "passkey")]
    fn assert_passkeys_enabled(&self) {
        assert!(
            self.inner.passkeys.is_some(),
            "the passkey router needs passkeys on: set FULLAUTH_PASSKEY_RP_ID and FULLAUTH_PASSKEY_ORIGINS, or \
             config.passkey"
        );
    }

    /// The mfa router alone, with relative paths (`/mfa`, ...). The user model must declare an MFA model (a
    /// compile error says so otherwise).
    ///
    /// # Panics
    ///
    /// When MFA is off (`mfa.issuer` unset, or `mfa.enabled` false).
    #[cfg(feature = "mfa")]
    pub fn mfa_router<S: Clone + Send + Sync + 'static>(&self) -> Router<S>
    where
        U: crate::model::HasMfa,
    {
        self.assert_mfa_enabled();
        self.finish(super::mfa::routes::<U>(&Mount::under("")))
    }

    #[cfg(feature = "mfa")]
    fn assert_mfa_enabled(&self) {
        assert!(
            self.inner.mfa.is_some(),
            "the mfa router needs MFA on: set FULLAUTH_MFA_ISSUER, or config.mfa.issuer"
        );
    }

    /// `GET /.well-known/jwks.json`, the key set that verifies access tokens, at the path it has, for the root of
    /// the application (`app.merge(fullauth.jwks_router())`): other services verify fullauth's tokens with it,
    /// without the secret key. [`FullAuth::router`] does not mount it, since it lives outside the auth prefix.
    ///
    /// # Panics
    ///
    /// When access tokens are signed with an HMAC algorithm: there is no public key to publish.
    pub fn jwks_router<S: Clone + Send + Sync + 'static>(&self) -> Router<S> {
        assert!(
            self.inner.tokens.jwks().is_some(),
            "the key set needs an asymmetric algorithm: set FULLAUTH_ALGORITHM to EdDSA, ES256 or RS256 and \
             FULLAUTH_PRIVATE_KEY_FILE, or config.tokens"
        );
        self.finish(super::jwks::routes::<U>())
    }

    /// What every router answers for unknown methods and oversized bodies, and its state.
    fn finish<S: Clone + Send + Sync + 'static>(&self, routes: Router<FullAuth<U>>) -> Router<S> {
        let limit = self.inner.config.routes.max_body_bytes;
        routes
            .method_not_allowed_fallback(method_not_allowed)
            .layer(DefaultBodyLimit::max(limit))
            .layer(RefuseAnnouncedOversize::new(limit))
            .with_state(self.clone())
    }
}

/// FastAPI's answer to an unknown path, `404 {"detail":"Not Found"}`: use it as your router's fallback.
///
/// ```no_run
/// # let app: axum::Router = axum::Router::new();
/// let app = app.fallback(fullauth::not_found);
/// ```
pub async fn not_found() -> impl IntoResponse {
    ApiError::detail(StatusCode::NOT_FOUND, "Not Found")
}

async fn method_not_allowed() -> impl IntoResponse {
    ApiError::detail(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed")
}
