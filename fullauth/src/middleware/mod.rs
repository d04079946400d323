//! Tower layers for your routers.

mod authorize;
mod security_headers;

pub use authorize::{Authorize, AuthorizeLayer};
pub use security_headers::{Hsts, SecurityHeaders, SecurityHeadersLayer};
