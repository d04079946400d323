//! [`FullAuth`]: configuration, storage, tokens and hashing in one cloneable handle.

use std::sync::Arc;

use crate::config::FullAuthConfig;
use crate::error::Error;
use crate::events::EventBus;
use crate::mail::MailTemplates;
use crate::model::FullAuthUser;
use crate::password::{PasswordHasher, PasswordPolicy};
use crate::shared_state::DynSharedState;
use crate::store::AuthStore;
use crate::tokens::TokenCodec;

/// The authentication system of one application: put it in your router state and mount its routers.
///
/// Cloning is cheap (one `Arc`). Extractors such as [`crate::CurrentUser`] find it through
/// [`axum::extract::FromRef`], so a router whose state is `FullAuth<User>` (or contains one) can use them.
///
/// ```no_run
/// # use fullauth::{DieselAdapter, FullAuth, FullAuthConfig};
/// # #[derive(Clone, Debug, fullauth::FullAuthUser)] struct User { #[fullauth(mixin)] auth: fullauth::UserMixin }
/// # #[derive(Clone, Debug, fullauth::FullAuthRefreshToken)] #[fullauth(user = User)]
/// # struct RefreshToken { #[fullauth(mixin)] token: fullauth::RefreshTokenMixin }
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let fullauth = FullAuth::builder()
///     .adapter(DieselAdapter::connect("sqlite://app.db").await?.user::<User>().refresh_tokens::<RefreshToken>())
///     .config(FullAuthConfig::from_env()?)
///     .build()?;
/// fullauth.migrate().await?;
/// let app: axum::Router = axum::Router::new().merge(fullauth.router()).with_state(fullauth);
/// # Ok(()) }
/// ```
pub struct FullAuth<U: FullAuthUser> {
    pub(crate) inner: Arc<Inner<U>>,
}

impl<U: FullAuthUser> Clone for FullAuth<U> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<U: FullAuthUser> std::fmt::Debug for FullAuth<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FullAuth")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

pub(crate) struct Inner<U: FullAuthUser> {
    pub(crate) config: FullAuthConfig,
    pub(crate) store: Box<dyn AuthStore<U>>,
    pub(crate) state: Box<dyn DynSharedState>,
    /// Rate limits and lockout counted here while the shared state is unreachable.
    pub(crate) counters: super::local_counters::LocalCounters,
    pub(crate) tokens: TokenCodec,
    pub(crate) hasher: PasswordHasher,
    pub(crate) policy: PasswordPolicy,
    pub(crate) events: EventBus<U>,
    pub(crate) templates: Box<dyn MailTemplates>,
    /// The application's claims for access tokens, when it gave a hook.
    pub(crate) claims_hook: Option<super::custom_claims::ClaimsHook<U>>,
    /// The OAuth providers, when any are configured.
    #[cfg(feature = "oauth")]
    pub(crate) oauth: Option<crate::oauth::OAuthProviders>,
    /// The relying party of the passkey ceremonies, when passkeys are on.
    #[cfg(feature = "passkey")]
    pub(crate) passkeys: Option<crate::passkey::RelyingParty>,
    /// The keys of the second factors, when MFA is on.
    #[cfg(feature = "mfa")]
    pub(crate) mfa: Option<super::mfa_keys::MfaKeys>,
}

impl<U: FullAuthUser> FullAuth<U> {
    /// The configuration in use.
    pub fn config(&self) -> &FullAuthConfig {
        &self.inner.config
    }

    /// Creates the tables of the declared models that do not exist yet, through Diesel's migration harness.
    pub async fn migrate(&self) -> Result<(), Error> {
        Ok(self.inner.store.migrate().await?)
    }

    /// The token codec, to issue or check tokens outside the routers.
    pub fn tokens(&self) -> &TokenCodec {
        &self.inner.tokens
    }

    /// The password hasher.
    pub fn password_hasher(&self) -> &PasswordHasher {
        &self.inner.hasher
    }
}
