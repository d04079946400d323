//! OpenID Connect discovery: an issuer's endpoints, read from its `/.well-known/openid-configuration` and kept
//! for a while.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::error::OAuthError;
use super::http::OAuthHttp;
use crate::config::is_safe_endpoint;

/// How long a discovery document is trusted before it is read again.
const DISCOVERY_LIFETIME: Duration = Duration::from_secs(3600);

/// The parts of a discovery document fullauth uses.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ProviderMetadata {
    pub(crate) issuer: String,
    pub(crate) authorization_endpoint: String,
    pub(crate) token_endpoint: String,
    pub(crate) jwks_uri: String,
    #[serde(default)]
    pub(crate) userinfo_endpoint: Option<String>,
}

/// An issuer's discovery document, fetched on first use and again once it is an hour old (or after a failure).
#[derive(Debug)]
pub(crate) struct Discovery {
    issuer: String,
    cached: Mutex<Option<(Instant, Arc<ProviderMetadata>)>>,
}

impl Discovery {
    pub(crate) fn new(issuer: &str) -> Self {
        Self {
            issuer: issuer.to_owned(),
            cached: Mutex::new(None),
        }
    }

    /// The configured issuer, exactly as the id_token's `iss` must read.
    pub(crate) fn issuer(&self) -> &str {
        &self.issuer
    }

    pub(crate) async fn metadata(
        &self,
        http: &OAuthHttp,
    ) -> Result<Arc<ProviderMetadata>, OAuthError> {
        if let Some((fetched, metadata)) =
            &*self.cached.lock().unwrap_or_else(PoisonError::into_inner)
            && fetched.elapsed() < DISCOVERY_LIFETIME
        {
            return Ok(Arc::clone(metadata));
        }
        let url = format!(
            "{}/.well-known/openid-configuration",
            self.issuer.trim_end_matches('/')
        );
        let metadata: ProviderMetadata = http.get_json(&url, None).await?;
        // OpenID Connect Discovery 4.3: the document must name the very issuer it was read from.
        if metadata.issuer != self.issuer {
            return Err(OAuthError::untrusted(format!(
                "the discovery document of {} names the issuer {:?}",
                self.issuer, metadata.issuer
            )));
        }
        for endpoint in [
            Some(&metadata.authorization_endpoint),
            Some(&metadata.token_endpoint),
            Some(&metadata.jwks_uri),
            metadata.userinfo_endpoint.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            if !is_safe_endpoint(endpoint) {
                return Err(OAuthError::untrusted(format!(
                    "the discovery document of {} names the endpoint {endpoint:?}, which is not https://",
                    self.issuer
                )));
            }
        }
        let metadata = Arc::new(metadata);
        *self.cached.lock().unwrap_or_else(PoisonError::into_inner) =
            Some((Instant::now(), Arc::clone(&metadata)));
        Ok(metadata)
    }
}
