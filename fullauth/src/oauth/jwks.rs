//! A provider's signing keys (its JWKS), cached for an hour and read again sooner when a token names a key not
//! seen yet.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, JwkSet, PublicKeyUse};

use super::error::OAuthError;
use super::http::OAuthHttp;

/// How long a key set is trusted before it is read again, so that keys the provider retired stop working.
const MAX_AGE: Duration = Duration::from_secs(3600);

/// Shortest time between two reads of the key set for an unknown key, so that tokens naming unknown keys cannot
/// make fullauth hammer the provider.
const MIN_REFRESH_INTERVAL: Duration = Duration::from_secs(2);

struct Cached {
    uri: String,
    fetched: Instant,
    set: Arc<JwkSet>,
}

/// The key set of one provider.
#[derive(Default)]
pub(crate) struct KeySet {
    cached: Mutex<Option<Cached>>,
    /// Held while the set is read, so that concurrent sign-ins wait for one read instead of each making one.
    reading: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for KeySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySet").finish_non_exhaustive()
    }
}

impl KeySet {
    /// The signature keys that may have signed a token naming `kid` (every one when the token names none),
    /// reading the set from `jwks_uri` when it is not cached, is an hour old, or does not hold `kid`.
    pub(crate) async fn candidates(
        &self,
        http: &OAuthHttp,
        jwks_uri: &str,
        kid: Option<&str>,
    ) -> Result<Vec<Jwk>, OAuthError> {
        if let Some(found) = self.cached_candidates(jwks_uri, kid) {
            return Ok(found);
        }
        let _reading = self.reading.lock().await;
        // Another sign-in may have read the set while this one waited.
        if let Some(found) = self.cached_candidates(jwks_uri, kid) {
            return Ok(found);
        }
        let set: JwkSet = http.get_json(jwks_uri, None).await?;
        let set = Arc::new(set);
        let found = matching(&set, kid);
        *self.cached.lock().unwrap_or_else(PoisonError::into_inner) = Some(Cached {
            uri: jwks_uri.to_owned(),
            fetched: Instant::now(),
            set,
        });
        Ok(found)
    }

    /// The candidates from the cached set, when it may answer: read from `jwks_uri` less than an hour ago, and
    /// holding `kid` or read too recently to be read again.
    fn cached_candidates(&self, jwks_uri: &str, kid: Option<&str>) -> Option<Vec<Jwk>> {
        let cached = self.cached.lock().unwrap_or_else(PoisonError::into_inner);
        let cached = cached.as_ref().filter(|cached| cached.uri == jwks_uri)?;
        let age = cached.fetched.elapsed();
        if age >= MAX_AGE {
            return None;
        }
        let found = matching(&cached.set, kid);
        (!found.is_empty() || age < MIN_REFRESH_INTERVAL).then_some(found)
    }
}

/// The keys of `set` named `kid`, never a symmetric one nor one published for encryption: a provider's
/// id_tokens are checked with its public signature keys only, so a token signed with a shared secret (the
/// client secret, say) never passes.
fn matching(set: &JwkSet, kid: Option<&str>) -> Vec<Jwk> {
    set.keys
        .iter()
        .filter(|key| !matches!(key.algorithm, AlgorithmParameters::OctetKey(_)))
        .filter(|key| !matches!(key.common.public_key_use, Some(PublicKeyUse::Encryption)))
        .filter(|key| match kid {
            Some(kid) => key.common.key_id.as_deref() == Some(kid),
            None => true,
        })
        .cloned()
        .collect()
}
