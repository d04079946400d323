//! [`FullAuthBuilder`]: assembling a [`FullAuth`] from an adapter, a configuration and optional parts.

use std::future::Future;
use std::sync::Arc;

use super::custom_claims::{ClaimsError, ClaimsHook, claims_hook};
use super::handle::{FullAuth, Inner};
use crate::config::{FullAuthConfig, PasswordHashCost, SecretKey};
use crate::error::Error;
use crate::events::{AuthEvent, EventBus, Handler};
use crate::mail::{ConsoleMailer, DefaultTemplates, DynMailer, MailTemplates, Mailer};
use crate::model::FullAuthUser;
use crate::password::{PasswordHasher, PasswordPolicy};
use crate::shared_state::{DynSharedState, MemoryState, SharedState};
use crate::store::AuthStore;
use crate::tokens::TokenCodec;

impl<U: FullAuthUser> FullAuth<U> {
    /// fullauth on `adapter` with `config`, and everything else at its default: the shortcut for
    /// `FullAuth::builder().adapter(adapter).config(config).build()`.
    ///
    /// ```no_run
    /// # use fullauth::prelude::*;
    /// # #[derive(Clone, Debug, FullAuthUser)] struct User { #[fullauth(mixin)] auth: UserMixin }
    /// # #[derive(Clone, Debug, FullAuthRefreshToken)] #[fullauth(user = User)]
    /// # struct RefreshToken { #[fullauth(mixin)] token: RefreshTokenMixin }
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let adapter = DieselAdapter::connect("sqlite://app.db").await?.user::<User>();
    /// let fullauth = FullAuth::new(adapter.refresh_tokens::<RefreshToken>(), FullAuthConfig::from_env()?)?;
    /// # Ok(()) }
    /// ```
    pub fn new<A: AuthStore<U>>(adapter: A, config: FullAuthConfig) -> Result<Self, Error> {
        Self::builder().adapter(adapter).config(config).build()
    }

    /// Starts building: set the adapter, optionally the configuration and shared state, then `build`.
    pub fn builder() -> FullAuthBuilder<U> {
        FullAuthBuilder {
            store: None,
            config: None,
            state: None,
            test_hash_cost: None,
            handlers: Vec::new(),
            mailer: None,
            templates: None,
            claims_hook: None,
            #[cfg(feature = "oauth")]
            oauth_providers: Vec::new(),
        }
    }
}

/// Builder of [`FullAuth`]; see [`FullAuth::builder`].
#[must_use]
pub struct FullAuthBuilder<U: FullAuthUser> {
    store: Option<Box<dyn AuthStore<U>>>,
    config: Option<FullAuthConfig>,
    state: Option<Box<dyn DynSharedState>>,
    /// Hashing cost below the production floor, set only by the test kit.
    pub(crate) test_hash_cost: Option<PasswordHashCost>,
    handlers: Vec<Handler<U>>,
    mailer: Option<Arc<dyn DynMailer>>,
    templates: Option<Box<dyn MailTemplates>>,
    claims_hook: Option<ClaimsHook<U>>,
    #[cfg(feature = "oauth")]
    oauth_providers: Vec<(
        crate::config::OAuthProviderConfig,
        Arc<dyn crate::oauth::OAuthProvider>,
    )>,
}

impl<U: FullAuthUser> FullAuthBuilder<U> {
    /// Where users and refresh tokens live, e.g. a [`crate::DieselAdapter`].
    pub fn adapter<A: AuthStore<U>>(mut self, adapter: A) -> Self {
        self.store = Some(Box::new(adapter));
        self
    }

    /// The configuration; [`FullAuthConfig::default`] when not set.
    pub fn config(mut self, config: FullAuthConfig) -> Self {
        self.config = Some(config);
        self
    }

    /// Ephemeral state shared between instances; when not set, a `RedisState` (see [`crate::shared_state`]) for
    /// `FULLAUTH_REDIS_URL` (feature `redis`), or a [`MemoryState`] (one process).
    pub fn shared_state<S: SharedState>(mut self, state: S) -> Self {
        self.state = Some(Box::new(state));
        self
    }

    /// Runs `handler` after every [`AuthEvent`], in the order handlers were added; a handler that fails is
    /// logged and changes nothing for the request.
    pub fn on_event<F, Fut, E>(mut self, handler: F) -> Self
    where
        F: Fn(AuthEvent<U>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: std::fmt::Display,
    {
        self.handlers.push(crate::events::handler(handler));
        self
    }

    /// Delivers mails with `mailer`; by default an [`SmtpMailer`](crate::mail) when `mail.smtp_url` is set (feature
    /// `smtp`), a [`ConsoleMailer`] otherwise.
    pub fn mailer<M: Mailer>(mut self, mailer: M) -> Self {
        self.mailer = Some(Arc::new(mailer));
        self
    }

    /// Renders mails with `templates`; [`DefaultTemplates`] by default.
    pub fn mail_templates<T: MailTemplates>(mut self, templates: T) -> Self {
        self.templates = Some(Box::new(templates));
        self
    }

    /// Puts the application's own claims into every access token: `hook` receives the user (your own struct,
    /// custom fields included) whenever an access token is issued (any sign-in, a refresh), and what it returns
    /// lands under the token's `extra` claim, which [`crate::CustomClaims`] reads back in a handler without a
    /// database query.
    ///
    /// The value must serialize to a JSON object whose names are not among
    /// [`RESERVED_CLAIM_NAMES`](crate::RESERVED_CLAIM_NAMES); otherwise, or when the hook fails
    /// ([`ClaimsError::Failed`], or `?` on any error), the sign-in or refresh fails with 500 and nothing is
    /// issued. [`ClaimsError::Refused`] refuses it as wrong credentials do (401).
    ///
    /// ```
    /// # use fullauth::prelude::*;
    /// # #[derive(Clone, Debug, FullAuthUser)] struct User { #[fullauth(mixin)] auth: UserMixin,
    /// #     #[fullauth(max_length = 50, default = "")] tenant: String }
    /// #[derive(serde::Serialize, serde::Deserialize)]
    /// struct TenantClaims {
    ///     tenant: String,
    /// }
    ///
    /// let builder = FullAuth::<User>::builder().custom_claims(|user: User| async move {
    ///     Ok(TenantClaims { tenant: user.tenant })
    /// });
    /// ```
    pub fn custom_claims<F, Fut, C>(mut self, hook: F) -> Self
    where
        F: Fn(U) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<C, ClaimsError>> + Send + 'static,
        C: serde::Serialize,
    {
        self.claims_hook = Some(claims_hook(hook));
        self
    }

    /// Adds an OAuth provider the application implements itself (kind [`crate::config::ProviderKind::Custom`]),
    /// or replaces the implementation of a configured one by its name. `config` holds the client id, secret
    /// and redirect URIs fullauth runs the flow with.
    #[cfg(feature = "oauth")]
    pub fn oauth_provider<P: crate::oauth::OAuthProvider>(
        mut self,
        config: crate::config::OAuthProviderConfig,
        provider: P,
    ) -> Self {
        self.oauth_providers.push((config, Arc::new(provider)));
        self
    }

    /// Checks the configuration and assembles the handle.
    ///
    /// Without a secret key, a random one is generated and a warning logged: tokens then stop working when the
    /// process restarts, and several instances cannot share sessions.
    pub fn build(self) -> Result<FullAuth<U>, Error> {
        let store = self.store.ok_or_else(|| {
            Error::config("adapter", "is missing: call .adapter(...) before .build()")
        })?;
        if U::declared_models().roles.is_some() && store.role_store().is_none() {
            return Err(Error::config(
                "adapter",
                "keeps no roles, but the user model declares role models: use a store that supports them \
                 (DieselAdapter, MemoryStore)",
            ));
        }
        #[allow(unused_mut)]
        let mut config = self.config.unwrap_or_default();
        #[cfg(feature = "oauth")]
        let custom_providers =
            super::capabilities::take_custom_providers(&mut config, self.oauth_providers);
        config.validate()?;
        if config.proxies.believes_anyone() {
            tracing::warn!(
                headers = ?config.proxies.trusted_headers,
                "FULLAUTH_TRUSTED_PROXY_HEADERS is set without FULLAUTH_TRUSTED_PROXIES: the headers are believed \
                 from every peer, so a client that reaches this server directly chooses its own address and \
                 escapes its rate limits; list your proxies' addresses in FULLAUTH_TRUSTED_PROXIES"
            );
        }
        let secret = match &config.secret_key {
            Some(secret) => secret.clone(),
            None => {
                tracing::warn!(
                    "FULLAUTH_SECRET_KEY is not set: using a random key; tokens will not survive a restart \
                     and cannot be shared between instances"
                );
                SecretKey::generate()
            }
        };
        let tokens = TokenCodec::new(&config, &secret)?;
        #[cfg(feature = "oauth")]
        let oauth = super::capabilities::oauth_providers(
            &config,
            &secret,
            custom_providers,
            store.as_ref(),
        )?;
        #[cfg(not(feature = "oauth"))]
        if !config.oauth.providers.is_empty() {
            return Err(Error::config(
                "FULLAUTH_OAUTH_*",
                "configures OAuth providers, but fullauth was built without its `oauth` feature: enable it in \
                 Cargo.toml",
            ));
        }
        #[cfg(feature = "passkey")]
        let passkeys = super::capabilities::relying_party(&config, store.as_ref())?;
        #[cfg(not(feature = "passkey"))]
        if config.passkey.enabled() {
            return Err(Error::config(
                "FULLAUTH_PASSKEY_RP_ID",
                "turns passkeys on, but fullauth was built without its `passkey` feature: enable it in \
                 Cargo.toml",
            ));
        }
        #[cfg(feature = "mfa")]
        let mfa = super::capabilities::mfa_keys(&config, &secret, store.as_ref())?;
        #[cfg(not(feature = "mfa"))]
        if config.mfa.is_on() {
            return Err(Error::config(
                "FULLAUTH_MFA_ISSUER",
                "turns MFA on, but fullauth was built without its `mfa` feature: enable it in Cargo.toml",
            ));
        }
        let concurrency = config
            .passwords
            .hash_concurrency
            .unwrap_or_else(PasswordHasher::default_concurrency);
        let cost = self.test_hash_cost.unwrap_or(config.passwords.hash_cost);
        let hasher = PasswordHasher::new(cost, concurrency)?;
        let policy = PasswordPolicy {
            min_length: config.passwords.min_length,
            max_length: config.passwords.max_length,
        };
        let state = match self.state {
            Some(state) => state,
            None => default_state(&config)?,
        };
        let mailer = match self.mailer {
            Some(mailer) => mailer,
            None => default_mailer(&config)?,
        };
        let events = EventBus {
            handlers: self.handlers,
            mailer,
        };
        let templates = self
            .templates
            .unwrap_or_else(|| Box::new(DefaultTemplates::default()));
        Ok(FullAuth {
            inner: Arc::new(Inner {
                config,
                store,
                state,
                counters: super::local_counters::LocalCounters::default(),
                tokens,
                hasher,
                policy,
                events,
                templates,
                claims_hook: self.claims_hook,
                #[cfg(feature = "oauth")]
                oauth,
                #[cfg(feature = "passkey")]
                passkeys,
                #[cfg(feature = "mfa")]
                mfa,
            }),
        })
    }
}

/// The shared state the configuration asks for: Redis when `shared_state.redis_url` is set, this process's memory otherwise.
fn default_state(config: &FullAuthConfig) -> Result<Box<dyn DynSharedState>, Error> {
    match &config.shared_state.redis_url {
        #[cfg(feature = "redis")]
        Some(url) => Ok(Box::new(crate::shared_state::RedisState::new(&url.0)?)),
        #[cfg(not(feature = "redis"))]
        Some(_) => Err(Error::config(
            "FULLAUTH_REDIS_URL",
            "is set, but fullauth was built without its `redis` feature: enable it in Cargo.toml",
        )),
        None => Ok(Box::new(MemoryState::new())),
    }
}

/// The mailer the configuration asks for: SMTP when `mail.smtp_url` is set, the console otherwise.
fn default_mailer(config: &FullAuthConfig) -> Result<Arc<dyn DynMailer>, Error> {
    match &config.mail.smtp_url {
        #[cfg(feature = "smtp")]
        Some(url) => {
            if config.mail.from == FullAuthConfig::default().mail.from {
                tracing::warn!(
                    mail_from = %config.mail.from,
                    "FULLAUTH_MAIL_FROM is not set: mails go out from a local address most servers refuse"
                );
            }
            let mailer = match &config.mail.smtp_ca_file {
                Some(path) => {
                    let pem = std::fs::read(path).map_err(|error| {
                        Error::config(
                            "FULLAUTH_SMTP_CA_FILE",
                            &format!("cannot be read ({}): {error}", path.display()),
                        )
                    })?;
                    crate::mail::SmtpMailer::with_root_certificates(url, &config.mail.from, &pem)?
                }
                None => crate::mail::SmtpMailer::new(url, &config.mail.from)?,
            };
            Ok(Arc::new(mailer))
        }
        #[cfg(not(feature = "smtp"))]
        Some(_) => Err(Error::config(
            "FULLAUTH_SMTP_URL",
            "is set, but fullauth was built without its `smtp` feature: enable it in Cargo.toml",
        )),
        None => {
            tracing::warn!(
                "no mailer configured: verification and password-reset mails, links included, are printed on \
                 standard output; set FULLAUTH_SMTP_URL (feature `smtp`) or a mailer before going to production"
            );
            Ok(Arc::new(ConsoleMailer))
        }
    }
}
