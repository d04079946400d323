//! The layers of [`FullAuth::require_role`] and [`FullAuth::require_permission`].

use std::sync::Arc;

use axum::http::Request;
use axum::response::IntoResponse;
use tower_layer::Layer;

use super::layered::{Answer, Around, Inner, Layered, Next};
use crate::error::Error;
use crate::flows::FullAuth;
use crate::flows::Requirement;
use crate::model::{FullAuthUser, HasRoles};

impl<U: FullAuthUser> FullAuth<U> {
    /// A layer admitting callers with any of these roles, and superusers: 401 without a valid token, 403
    /// otherwise. Use it with `route_layer`, so unknown paths still answer 404:
    ///
    /// ```no_run
    /// # async fn doc<U: fullauth::HasRoles>(fullauth: fullauth::FullAuth<U>) {
    /// # async fn dashboard() {}
    /// use axum::{Router, routing::get};
    ///
    /// let admin: Router = Router::new()
    ///     .route("/admin/dashboard", get(dashboard))
    ///     .route_layer(fullauth.require_role(["admin", "staff"]));
    /// # }
    /// ```
    ///
    /// The verified [`Claims`](crate::tokens::Claims) are added to the request's extensions.
    ///
    /// # Panics
    ///
    /// At start-up, when the list is empty or a name could never be assigned (empty, longer than 100
    /// characters, surrounded by whitespace, with control or invisible characters): such a guard would refuse
    /// everyone.
    pub fn require_role<I, N>(&self, roles: I) -> AuthorizeLayer<U>
    where
        U: HasRoles,
        I: IntoIterator<Item = N>,
        N: Into<String>,
    {
        self.authorize_layer(Requirement::AnyRole(
            roles.into_iter().map(Into::into).collect(),
        ))
    }

    /// A layer admitting callers holding any of these permissions through their roles, and superusers. See
    /// [`Self::require_role`].
    ///
    /// # Panics
    ///
    /// As [`Self::require_role`].
    pub fn require_permission<I, N>(&self, permissions: I) -> AuthorizeLayer<U>
    where
        U: HasRoles,
        I: IntoIterator<Item = N>,
        N: Into<String>,
    {
        self.authorize_layer(Requirement::AnyPermission(
            permissions.into_iter().map(Into::into).collect(),
        ))
    }

    fn authorize_layer(&self, requirement: Requirement) -> AuthorizeLayer<U> {
        let requirement = match requirement.checked() {
            Ok(requirement) => requirement,
            Err(problem) => panic!("invalid guard: {problem}"),
        };
        self.assert_roles_enabled("a role or permission guard");
        AuthorizeLayer {
            auth: self.clone(),
            requirement: Arc::new(requirement),
        }
    }
}

/// A layer that lets a request through only when its access token meets a [`Requirement`]; made by
/// [`FullAuth::require_role`] and [`FullAuth::require_permission`].
pub struct AuthorizeLayer<U: FullAuthUser> {
    auth: FullAuth<U>,
    requirement: Arc<Requirement>,
}

impl<U: FullAuthUser> Clone for AuthorizeLayer<U> {
    fn clone(&self) -> Self {
        Self {
            auth: self.auth.clone(),
            requirement: Arc::clone(&self.requirement),
        }
    }
}

impl<U: FullAuthUser> std::fmt::Debug for AuthorizeLayer<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthorizeLayer")
            .field("requirement", &self.requirement)
            .finish_non_exhaustive()
    }
}

impl<S, U: FullAuthUser> Layer<S> for AuthorizeLayer<U> {
    type Service = Authorize<S, U>;

    fn layer(&self, inner: S) -> Self::Service {
        Layered::new(inner, self.clone())
    }
}

/// The service of an [`AuthorizeLayer`].
pub type Authorize<S, U> = Layered<S, AuthorizeLayer<U>>;

impl<U: FullAuthUser> Around for AuthorizeLayer<U> {
    fn around<S: Inner<B>, B: Send + 'static>(
        &self,
        mut request: Request<B>,
        next: Next<S>,
    ) -> Answer {
        let layer = self.clone();
        Box::pin(async move {
            let outcome = match layer.auth.access_token_of(request.headers()) {
                Ok(Some(token)) => layer.auth.authorize(&token, &layer.requirement).await,
                Ok(None) => Err(Error::InvalidCredentials),
                Err(refusal) => return refusal.into_response(),
            };
            match outcome {
                Ok(claims) => {
                    request.extensions_mut().insert(claims);
                    next.run(request).await
                }
                Err(error) => error.into_response(),
            }
        })
    }
}
