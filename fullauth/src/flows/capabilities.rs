//! The optional capabilities a configuration turns on (OAuth providers, passkeys, MFA), each refused at start when
//! the user model declares no model to keep it in.

#[cfg(feature = "oauth")]
use std::sync::Arc;

#[cfg(any(feature = "oauth", feature = "passkey", feature = "mfa"))]
use crate::config::FullAuthConfig;
#[cfg(any(feature = "oauth", feature = "mfa"))]
use crate::config::SecretKey;
#[cfg(any(feature = "oauth", feature = "passkey", feature = "mfa"))]
use crate::error::Error;
#[cfg(any(feature = "oauth", feature = "passkey", feature = "mfa"))]
use crate::model::FullAuthUser;
#[cfg(any(feature = "oauth", feature = "passkey", feature = "mfa"))]
use crate::store::AuthStore;

/// Puts the application's own providers into the configuration (replacing configured ones of the same name)
/// and returns their implementations by name.
#[cfg(feature = "oauth")]
pub(super) fn take_custom_providers(
    config: &mut FullAuthConfig,
    custom: Vec<(
        crate::config::OAuthProviderConfig,
        Arc<dyn crate::oauth::OAuthProvider>,
    )>,
) -> Vec<(String, Arc<dyn crate::oauth::OAuthProvider>)> {
    let mut implementations = Vec::with_capacity(custom.len());
    for (provider_config, implementation) in custom {
        let providers = &mut config.oauth.providers;
        match providers
            .iter_mut()
            .find(|existing| existing.name == provider_config.name)
        {
            Some(existing) => *existing = provider_config.clone(),
            None => providers.push(provider_config.clone()),
        }
        implementations.push((provider_config.name, implementation));
    }
    implementations
}

/// The OAuth providers of `config`, or `None` without any; refused when the user model cannot keep links.
#[cfg(feature = "oauth")]
pub(super) fn oauth_providers<U: FullAuthUser>(
    config: &FullAuthConfig,
    secret: &SecretKey,
    custom: Vec<(String, Arc<dyn crate::oauth::OAuthProvider>)>,
    store: &dyn AuthStore<U>,
) -> Result<Option<crate::oauth::OAuthProviders>, Error> {
    if config.oauth.providers.is_empty() {
        return Ok(None);
    }
    if store.oauth_account_store().is_none() {
        return Err(Error::config(
            "oauth.providers",
            "configures OAuth providers, but the user model declares no OAuth-account model (or the adapter \
             keeps none): add `#[derive(FullAuthOAuthAccount)] #[fullauth(user = User)] struct OAuthAccount { \
             #[fullauth(mixin)] account: fullauth::OAuthAccountMixin }` beside the user model",
        ));
    }
    crate::oauth::OAuthProviders::new(&config.oauth, secret, custom)
        .map(Some)
        .map_err(|error| Error::config("oauth.providers", &error.to_string()))
}

/// The relying party of the passkey ceremonies, when `passkey.rp_id` turns them on; the user model must declare
/// a passkey model.
#[cfg(feature = "passkey")]
pub(super) fn relying_party<U: FullAuthUser>(
    config: &FullAuthConfig,
    store: &dyn AuthStore<U>,
) -> Result<Option<crate::passkey::RelyingParty>, Error> {
    if !config.passkey.enabled() {
        return Ok(None);
    }
    if store.passkey_store().is_none() {
        return Err(Error::config(
            "passkey.rp_id",
            "turns passkeys on, but the user model declares no passkey model (or the adapter keeps none): add \
             `#[derive(FullAuthPasskey)] #[fullauth(user = User)] struct Passkey { #[fullauth(mixin)] passkey: \
             fullauth::PasskeyMixin }` beside the user model",
        ));
    }
    Ok(crate::passkey::RelyingParty::new(&config.passkey))
}

/// The keys of the second factors, when MFA is on; the user model must declare an MFA model.
#[cfg(feature = "mfa")]
pub(super) fn mfa_keys<U: FullAuthUser>(
    config: &FullAuthConfig,
    secret: &SecretKey,
    store: &dyn AuthStore<U>,
) -> Result<Option<super::mfa_keys::MfaKeys>, Error> {
    if !config.mfa.is_on() {
        if config.mfa.enabled == Some(false) && store.mfa_store().is_some() {
            tracing::warn!(
                "FULLAUTH_MFA_ENABLED=false: MFA is off, and users who turned it on sign in without their code \
                 until it is on again (their secrets are kept)"
            );
        }
        return Ok(None);
    }
    if store.mfa_store().is_none() {
        return Err(Error::config(
            "mfa.issuer",
            "turns MFA on, but the user model declares no MFA model (or the adapter keeps none): add \
             `#[derive(FullAuthMfa)] #[fullauth(user = User)] struct Mfa { #[fullauth(mixin)] mfa: \
             fullauth::MfaMixin }` beside the user model",
        ));
    }
    Ok(Some(super::mfa_keys::MfaKeys::new(secret)))
}
