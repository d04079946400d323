//! The HTTP side that every router, extractor and layer shares: the error answer ([`ApiError`]), and reading
//! requests (JSON bodies).

mod api_error;
mod json_body;

pub use api_error::ApiError;
