//! OpenID Connect discovery: an issuer's endpoints, read from its `/.well-known/openid-configuration` and kept
//! for an hour.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::error::OAuthError;
use super::http::OAuthHttp;
use crate::config::is_safe_endpoint;

/// How long a discovery document is trusted before it is read again.
const DISCOVERY_LIFETIME: Duration = Duration::from_secs(3600);

/// After a failed read, how long the previous document (or the failure) stands before the issuer is asked again,
/// so that an issuer that is down is not asked once per request.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(10);

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

#[derive(Default)]
struct Cache {
    document: Option<(Instant, Arc<ProviderMetadata>)>,
    failed_at: Option<Instant>,
}

/// An issuer's discovery document, read on first use and again once it is an hour old.
pub(crate) struct Discovery {
    issuer: String,
    cache: Mutex<Cache>,
    /// Held while the document is read, so that concurrent requests wait for one read.
    reading: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for Discovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Discovery")
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

/// What the cache can answer without asking the issuer.
enum Cached {
    Fresh(Arc<ProviderMetadata>),
    /// The last read failed a moment ago: the previous document if there is one.
    RecentlyFailed(Option<Arc<ProviderMetadata>>),
    Stale,
}

impl Discovery {
    pub(crate) fn new(issuer: &str) -> Self {
        Self {
            issuer: issuer.to_owned(),
            cache: Mutex::new(Cache::default()),
            reading: tokio::sync::Mutex::new(()),
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
        if let Some(answer) = self.cached_answer()? {
            return Ok(answer);
        }
        let _reading = self.reading.lock().await;
        if let Some(answer) = self.cached_answer()? {
            return Ok(answer);
        }
        match self.read(http).await {
            Ok(metadata) => {
                let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
                cache.document = Some((Instant::now(), Arc::clone(&metadata)));
                cache.failed_at = None;
                Ok(metadata)
            }
            Err(error) => {
                let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
                cache.failed_at = Some(Instant::now());
                match &cache.document {
                    Some((_, previous)) => {
                        tracing::warn!(issuer = %self.issuer, %error, "discovery failed; the previous document stays in use");
                        Ok(Arc::clone(previous))
                    }
                    None => Err(error),
                }
            }
        }
    }

    /// The cached answer, if the issuer need not be asked: `Ok(None)` when it must be.
    fn cached_answer(&self) -> Result<Option<Arc<ProviderMetadata>>, OAuthError> {
        let cached = {
            let cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
            match (&cache.document, cache.failed_at) {
                (Some((fetched, document)), _) if fetched.elapsed() < DISCOVERY_LIFETIME => {
                    Cached::Fresh(Arc::clone(document))
                }
                (document, Some(failed)) if failed.elapsed() < RETRY_AFTER_FAILURE => {
                    Cached::RecentlyFailed(
                        document.as_ref().map(|(_, document)| Arc::clone(document)),
                    )
                }
                _ => Cached::Stale,
            }
        };
        match cached {
            Cached::Fresh(document) | Cached::RecentlyFailed(Some(document)) => Ok(Some(document)),
            Cached::RecentlyFailed(None) => Err(OAuthError::Unreachable(format!(
                "the discovery document of {} could not be read a moment ago",
                self.issuer
            ))),
            Cached::Stale => Ok(None),
        }
    }

    async fn read(&self, http: &OAuthHttp) -> Result<Arc<ProviderMetadata>, OAuthError> {
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
        // An https issuer's endpoints are https too: a document cannot point the server at plain-http services
        // (its own loopback among them). Plain http is for an issuer on loopback, as in development.
        let https_issuer = self.issuer.starts_with("https://");
        for endpoint in [
            Some(&metadata.authorization_endpoint),
            Some(&metadata.token_endpoint),
            Some(&metadata.jwks_uri),
            metadata.userinfo_endpoint.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            if !is_safe_endpoint(endpoint) || (https_issuer && !endpoint.starts_with("https://")) {
                return Err(OAuthError::untrusted(format!(
                    "the discovery document of {} names the endpoint {endpoint:?}, which is not https://",
                    self.issuer
                )));
            }
        }
        Ok(Arc::new(metadata))
    }
}
