//! One OAuth provider: the application registered at it, and where it answers.

use std::fmt;

use super::origin::{is_loopback_host, origin_of_url};
use super::setting::{ConfigError, ENV_PREFIX};

/// Longest provider name, in characters (the width of the OAuth-account table's `provider` column).
pub const MAX_PROVIDER_NAME_LENGTH: usize = 50;

/// What kind of provider, which decides how fullauth learns who signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProviderKind {
    /// Google, through OpenID Connect (issuer `https://accounts.google.com`).
    Google,
    /// GitHub: its user API, and the primary verified address of its emails API.
    GitHub,
    /// Discord: its user API and its `verified` flag.
    Discord,
    /// GitLab, through OpenID Connect (issuer `https://gitlab.com`, or a self-hosted instance).
    GitLab,
    /// Any OpenID Connect provider, configured from its issuer's discovery document.
    OpenIdConnect,
    /// A provider the application implements itself (`OAuthProvider`, given to the builder with
    /// `oauth_provider`).
    Custom,
}

impl ProviderKind {
    /// The kind a built-in provider name stands for.
    pub(super) fn built_in(name: &str) -> Option<Self> {
        match name {
            "google" => Some(Self::Google),
            "github" => Some(Self::GitHub),
            "discord" => Some(Self::Discord),
            "gitlab" => Some(Self::GitLab),
            _ => None,
        }
    }

    /// Whether the provider speaks OpenID Connect.
    pub fn is_openid(self) -> bool {
        matches!(self, Self::Google | Self::GitLab | Self::OpenIdConnect)
    }

    /// The issuer a built-in OpenID provider has unless configured otherwise.
    pub fn default_issuer(self) -> Option<&'static str> {
        match self {
            Self::Google => Some("https://accounts.google.com"),
            Self::GitLab => Some("https://gitlab.com"),
            _ => None,
        }
    }

    /// The scopes asked for unless configured otherwise.
    pub fn default_scopes(self) -> &'static [&'static str] {
        match self {
            Self::GitHub => &["read:user", "user:email"],
            Self::Discord => &["identify", "email"],
            _ => &["openid", "email", "profile"],
        }
    }
}

/// A client secret; `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(String);

impl ClientSecret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret(<redacted>)")
    }
}

/// One provider: the application registered at it, and where it answers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct OAuthProviderConfig {
    /// The name in the routes (`/oauth/{name}/authorize`), lower case.
    pub name: String,
    /// How fullauth talks to it.
    pub kind: ProviderKind,
    /// The application's client id at the provider (`FULLAUTH_OAUTH_<NAME>_CLIENT_ID`).
    pub client_id: String,
    /// The application's client secret (`FULLAUTH_OAUTH_<NAME>_CLIENT_SECRET`).
    pub client_secret: ClientSecret,
    /// The redirect URIs a sign-in may come back to, compared exactly (`FULLAUTH_OAUTH_<NAME>_REDIRECT_URIS`,
    /// comma-separated).
    pub redirect_uris: Vec<String>,
    /// The scopes asked for (`FULLAUTH_OAUTH_<NAME>_SCOPES`, space- or comma-separated).
    pub scopes: Vec<String>,
    /// The OpenID issuer: required for a generic provider, a self-hosted GitLab's address otherwise
    /// (`FULLAUTH_OAUTH_<NAME>_ISSUER`).
    pub issuer: Option<String>,
    /// The authorization endpoint, for GitHub Enterprise or a test server (`FULLAUTH_OAUTH_<NAME>_AUTHORIZE_URL`).
    pub authorize_url: Option<String>,
    /// The token endpoint (`FULLAUTH_OAUTH_<NAME>_TOKEN_URL`).
    pub token_url: Option<String>,
    /// The base of the provider's user API, e.g. `https://api.github.com` (`FULLAUTH_OAUTH_<NAME>_API_URL`).
    pub api_url: Option<String>,
}

impl OAuthProviderConfig {
    /// A provider of `kind` named `name`, with its default scopes and endpoints.
    pub fn new(
        name: impl Into<String>,
        kind: ProviderKind,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        redirect_uris: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Self {
            name: name.into(),
            kind,
            client_id: client_id.into(),
            client_secret: ClientSecret::new(client_secret),
            redirect_uris: redirect_uris.into_iter().map(Into::into).collect(),
            scopes: kind
                .default_scopes()
                .iter()
                .map(|scope| (*scope).to_owned())
                .collect(),
            issuer: kind.default_issuer().map(str::to_owned),
            authorize_url: None,
            token_url: None,
            api_url: None,
        }
    }

    /// A generic OpenID Connect provider configured from `issuer`'s discovery document.
    pub fn openid(
        name: impl Into<String>,
        issuer: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        redirect_uris: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        let mut provider = Self::new(
            name,
            ProviderKind::OpenIdConnect,
            client_id,
            client_secret,
            redirect_uris,
        );
        provider.issuer = Some(issuer.into());
        provider
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        let option = |suffix: &str| {
            format!(
                "{ENV_PREFIX}OAUTH_{}_{suffix}",
                self.name.to_ascii_uppercase()
            )
        };
        let valid_name = !self.name.is_empty()
            && self.name.len() <= MAX_PROVIDER_NAME_LENGTH
            && self
                .name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
            // `/oauth/accounts/...` is a route of its own.
            && self.name != "accounts";
        if !valid_name {
            return Err(ConfigError::invalid(
                &format!("oauth provider {:?}", self.name),
                "is not a valid provider name: use 1 to 50 lower-case letters, digits, `_` or `-` (and not `accounts`)",
            ));
        }
        if self.client_id.trim().is_empty() {
            return Err(ConfigError::invalid(&option("CLIENT_ID"), "is required"));
        }
        if self.client_secret.expose().is_empty() {
            return Err(ConfigError::invalid(
                &option("CLIENT_SECRET"),
                "is required",
            ));
        }
        if self.redirect_uris.is_empty() {
            return Err(ConfigError::invalid(
                &option("REDIRECT_URIS"),
                "is required: the redirect URIs registered at the provider, comma-separated",
            ));
        }
        for uri in &self.redirect_uris {
            if origin_of_url(uri).is_none() || uri.contains('#') {
                return Err(ConfigError::invalid(
                    &option("REDIRECT_URIS"),
                    &format!(
                        "contains {uri:?}, which is not an absolute http(s) URL without a fragment"
                    ),
                ));
            }
        }
        if self.kind.is_openid() && self.issuer.is_none() {
            return Err(ConfigError::invalid(
                &option("ISSUER"),
                "is required for an OpenID Connect provider",
            ));
        }
        for (suffix, url) in [
            ("ISSUER", &self.issuer),
            ("AUTHORIZE_URL", &self.authorize_url),
            ("TOKEN_URL", &self.token_url),
            ("API_URL", &self.api_url),
        ] {
            if let Some(url) = url
                && !is_safe_endpoint(url)
            {
                return Err(ConfigError::invalid(
                    &option(suffix),
                    &format!(
                        "= {url:?}: must be an https:// URL (http:// only on a loopback address)"
                    ),
                ));
            }
        }
        if self
            .scopes
            .iter()
            .any(|scope| scope.is_empty() || scope.contains(char::is_whitespace))
        {
            return Err(ConfigError::invalid(
                &option("SCOPES"),
                "contains an empty or blank scope",
            ));
        }
        Ok(())
    }
}

/// Whether an endpoint may be called: `https://`, or `http://` on a loopback address.
pub fn is_safe_endpoint(url: &str) -> bool {
    let Some(origin) = origin_of_url(url) else {
        return false;
    };
    match origin.split_once("://") {
        Some(("https", _)) => true,
        Some(("http", authority)) => {
            let host = match authority.rsplit_once(':') {
                Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
                _ => authority,
            };
            is_loopback_host(host)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_endpoints_only_on_loopback() {
        assert!(is_safe_endpoint("https://accounts.google.com"));
        assert!(is_safe_endpoint("http://127.0.0.1:9000/issuer"));
        assert!(is_safe_endpoint("http://localhost:9000"));
        assert!(is_safe_endpoint("http://[::1]:9000"));
        assert!(!is_safe_endpoint("http://idp.example.com"));
        assert!(!is_safe_endpoint("http://127.0.0.1.example.com"));
        assert!(!is_safe_endpoint("ftp://127.0.0.1"));
        assert!(!is_safe_endpoint("accounts.google.com"));
    }
}
