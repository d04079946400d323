//! Tower layers for your routers.

mod authorize;

pub use authorize::{Authorize, AuthorizeLayer};
