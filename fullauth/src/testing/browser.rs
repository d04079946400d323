//! A browser signed in with cookie transport, for tests of routes behind the CSRF layer.

use crate::flows::FullAuth;
use crate::flows::TokenPair;
use crate::http::cookies::{ACCESS, CSRF, CookieSettings, REFRESH};
use crate::model::FullAuthUser;
use crate::tokens::TokenType;

/// What a browser signed in with `cookies.transport` sends: its `Cookie` header, with the token cookies and a CSRF
/// cookie for their session, and the `X-CSRF-Token` its scripts would repeat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserSession {
    /// The value of the `Cookie` header.
    pub cookie: String,
    /// The value of the `X-CSRF-Token` header.
    pub csrf_token: String,
}

/// The browser of a session opened with [`sign_in`](super::sign_in), as the CSRF layer and the cookie routes
/// see it (cookie names follow `cookies.host_prefix`).
///
/// ```
/// use axum::{Router, body::Body, http::Request, routing::post};
/// use fullauth::{CurrentUser, UserMixin, testing};
/// use tower::ServiceExt;
///
/// #[derive(Clone, Debug, fullauth::FullAuthUser)]
/// struct User {
///     #[fullauth(mixin)]
///     auth: UserMixin,
/// }
///
/// async fn publish(CurrentUser(_user): CurrentUser<User>) -> &'static str {
///     "published"
/// }
///
/// # tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap().block_on(async {
/// let mut config = testing::default_config();
/// config.cookies.transport = true;
/// let auth = testing::with_store::<User>(testing::MemoryStore::new(), config);
/// let user = testing::create_user(&auth, User { auth: UserMixin::new("ada@example.com") }, "password123").await;
/// let browser = testing::browser_session(&auth, &testing::sign_in(&auth, &user).await);
///
/// let app = Router::new()
///     .route("/publish", post(publish))
///     .with_state(auth.clone())
///     .layer(auth.csrf());
/// let request = Request::post("/publish")
///     .header("cookie", &browser.cookie)
///     .header("x-csrf-token", &browser.csrf_token)
///     .body(Body::empty())
///     .unwrap();
/// assert_eq!(app.clone().oneshot(request).await.unwrap().status(), 200);
///
/// let forged = Request::post("/publish").header("cookie", &browser.cookie).body(Body::empty()).unwrap();
/// assert_eq!(app.oneshot(forged).await.unwrap().status(), 403);
/// # });
/// ```
///
/// # Panics
/// When the tokens were not issued by `auth`.
pub fn browser_session<U: FullAuthUser>(auth: &FullAuth<U>, tokens: &TokenPair) -> BrowserSession {
    let inner = &auth.inner;
    let claims = inner
        .tokens
        .decode(&tokens.access_token, TokenType::Access)
        .unwrap_or_else(|error| {
            panic!("browser_session: not an access token of this FullAuth: {error:?}")
        });
    let session = claims.family_id.unwrap_or_default();
    let csrf_token = crate::middleware::new_csrf_token(inner.tokens.csrf_key(), &session);
    let names = CookieSettings::new(&inner.config);
    let mut cookie = format!(
        "{}={}; {}={csrf_token}",
        names.name(ACCESS),
        tokens.access_token,
        names.name(CSRF)
    );
    if let Some(refresh) = &tokens.refresh_token {
        cookie = format!("{cookie}; {}={refresh}", names.name(REFRESH));
    }
    BrowserSession { cookie, csrf_token }
}
