//! A provider's signing keys (its JWKS), cached and read again when a token names a key not seen yet.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, JwkSet};

use super::error::OAuthError;
use super::http::OAuthHttp;

/// Shortest time between two reads of the key set, so that tokens naming unknown keys cannot make fullauth
/// hammer the provider.
const MIN_REFRESH_INTERVAL: Duration = Duration::from_secs(2);

/// The key set of one provider.
#[derive(Debug, Default)]
pub(crate) struct KeySet {
    cached: Mutex<Option<(Instant, Arc<JwkSet>)>>,
}

impl KeySet {
    /// The asymmetric keys that may have signed a token naming `kid` (every asymmetric key when the token names
    /// none), reading the set from `jwks_uri` when it is not cached or does not hold `kid`.
    pub(crate) async fn candidates(
        &self,
        http: &OAuthHttp,
        jwks_uri: &str,
        kid: Option<&str>,
    ) -> Result<Vec<Jwk>, OAuthError> {
        let cached = self
            .cached
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some((fetched, set)) = &cached {
            let found = matching(set, kid);
            if !found.is_empty() || fetched.elapsed() < MIN_REFRESH_INTERVAL {
                return Ok(found);
            }
        }
        let set: JwkSet = http.get_json(jwks_uri, None).await?;
        let set = Arc::new(set);
        *self.cached.lock().unwrap_or_else(PoisonError::into_inner) =
            Some((Instant::now(), Arc::clone(&set)));
        Ok(matching(&set, kid))
    }
}

/// The keys of `set` named `kid`, never a symmetric one: a provider's id_tokens are checked with its public
/// keys only, so a token signed with a shared secret (the client secret, say) never passes.
fn matching(set: &JwkSet, kid: Option<&str>) -> Vec<Jwk> {
    set.keys
        .iter()
        .filter(|key| !matches!(key.algorithm, AlgorithmParameters::OctetKey(_)))
        .filter(|key| match kid {
            Some(kid) => key.common.key_id.as_deref() == Some(kid),
            None => true,
        })
        .cloned()
        .collect()
}
