//! Tower layers for your routers.

mod authorize;
mod cors;
mod csrf;
mod exempt;
mod global_rate_limit;
mod layered;
mod request_origin;
mod security_headers;

pub use authorize::{Authorize, AuthorizeLayer};
pub use cors::{Cors, CorsLayer};
#[cfg(feature = "testing")]
pub(crate) use csrf::new_token as new_csrf_token;
pub use csrf::{CSRF_HEADER, Csrf, CsrfLayer};
pub use global_rate_limit::{GlobalRateLimit, GlobalRateLimitLayer};
pub use layered::Layered;
pub use security_headers::{Hsts, SecurityHeaders, SecurityHeadersLayer};
