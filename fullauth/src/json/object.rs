//! [`JsonObject`]: a JSON object, as parsed from a request body.

/// A JSON object, as parsed from a request body.
pub type JsonObject = serde_json::Map<String, serde_json::Value>;
