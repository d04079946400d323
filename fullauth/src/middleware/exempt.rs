//! The paths a layer leaves alone.

use std::sync::Arc;

use axum::extract::OriginalUri;
use axum::http::Request;

/// Exact paths, compared with the path the client asked for: the full one, before any `nest` took its prefix off.
#[derive(Debug, Clone, Default)]
pub(crate) struct ExemptPaths(Arc<Vec<String>>);

impl ExemptPaths {
    /// Adds paths.
    pub(crate) fn extend<I, P>(&mut self, paths: I)
    where
        I: IntoIterator<Item = P>,
        P: Into<String>,
    {
        Arc::make_mut(&mut self.0).extend(paths.into_iter().map(Into::into));
    }

    /// Whether `request` asks for one of the paths.
    pub(crate) fn cover<B>(&self, request: &Request<B>) -> bool {
        let path = request
            .extensions()
            .get::<OriginalUri>()
            .map_or_else(|| request.uri().path(), |original| original.0.path());
        self.0.iter().any(|exempt| exempt == path)
    }
}
