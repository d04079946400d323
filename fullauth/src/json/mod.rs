//! Request bodies with FastAPI's validation semantics: the same 422 shapes, field by field.

mod body;
mod field;
mod issues;
mod object;
mod uuid_problem;

pub use body::JsonBody;
pub use field::{AsJson, FieldRules, FieldValue};
pub use issues::{Issue, Issues, Location};
pub use object::JsonObject;
