//! Tower layers for your routers.

mod authorize;
mod global_rate_limit;
mod security_headers;

pub use authorize::{Authorize, AuthorizeLayer};
pub use global_rate_limit::{GlobalRateLimit, GlobalRateLimitLayer};
pub use security_headers::{Hsts, SecurityHeaders, SecurityHeadersLayer};
