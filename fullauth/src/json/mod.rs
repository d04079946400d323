//! Request bodies with FastAPI's validation semantics: the same 422 shapes, field by field.

mod body;
mod field;
mod issues;

pub use body::JsonBody;
pub use field::{AsJson, FieldRules, FieldValue};
pub use issues::{Issue, Issues, Location};

/// A JSON object, as parsed from a request body.
pub type JsonObject = serde_json::Map<String, serde_json::Value>;
