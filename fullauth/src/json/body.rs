use serde_json::Value;

use super::issues::{Issue, Issues, Location};
use super::object::JsonObject;

/// A request body read the way FastAPI reads a JSON body.
///
/// A body without `Content-Type` or with a JSON media type (`application/json`, `application/*+json`) is
/// parsed; invalid JSON is a `json_invalid` issue. Any other media type is kept as text, so that asking for an
/// object reports `model_attributes_type`. Bodies over the router's limit are refused with 413 before parsing.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonBody {
    /// No body at all.
    Empty,
    /// A parsed JSON document.
    Json(Value),
    /// A body sent with a non-JSON media type.
    Other(String),
    /// A body that is not valid JSON.
    Invalid(Issue),
}

impl JsonBody {
    /// Interprets raw bytes sent with `content_type`.
    pub fn parse(content_type: Option<&str>, bytes: &[u8]) -> Self {
        if bytes.is_empty() {
            return JsonBody::Empty;
        }
        if !content_type.is_none_or(is_json_media_type) {
            return JsonBody::Other(String::from_utf8_lossy(bytes).into_owned());
        }
        match serde_json::from_slice(bytes) {
            Ok(value) => JsonBody::Json(value),
            Err(error) => JsonBody::Invalid(json_error_issue(bytes, &error)),
        }
    }

    /// The body as an object, as a required body parameter.
    pub fn into_object(self) -> Result<JsonObject, Issues> {
        match self {
            JsonBody::Empty => Err(Issue::missing(vec!["body".into()], Value::Null).into()),
            JsonBody::Json(Value::Object(object)) => Ok(object),
            JsonBody::Json(other) => Err(not_an_object(other).into()),
            JsonBody::Other(text) => Err(not_an_object(Value::String(text)).into()),
            JsonBody::Invalid(issue) => Err(issue.into()),
        }
    }

    /// The body as an object where the body may be left out (an empty body is an empty object).
    pub fn into_optional_object(self) -> Result<JsonObject, Issues> {
        match self {
            JsonBody::Empty | JsonBody::Json(Value::Null) => Ok(JsonObject::new()),
            other => other.into_object(),
        }
    }
}

fn not_an_object(input: Value) -> Issue {
    Issue::new(
        "model_attributes_type",
        vec!["body".into()],
        "Input should be a valid dictionary or object to extract fields from",
        input,
    )
}

fn is_json_media_type(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.split_once('/') {
        Some(("application", subtype)) => subtype == "json" || subtype.ends_with("+json"),
        _ => false,
    }
}

/// `json_invalid` at `["body", <character offset>]`, like Python's `json` module reports it.
fn json_error_issue(bytes: &[u8], error: &serde_json::Error) -> Issue {
    let text = String::from_utf8_lossy(bytes);
    // Python's `json` reports a document that ends too soon at its end.
    let offset = if error.is_eof() {
        text.chars().count()
    } else {
        character_offset(&text, error.line(), error.column())
    };
    let message = error.to_string();
    let reason = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_owned();
    Issue::new(
        "json_invalid",
        vec!["body".into(), Location::Index(offset)],
        "JSON decode error",
        Value::Object(JsonObject::new()),
    )
    .with_ctx("error", Value::String(reason))
}

fn character_offset(text: &str, line: usize, column: usize) -> usize {
    if line == 0 {
        return 0;
    }
    let mut offset = 0;
    for (index, content) in text.split('\n').enumerate() {
        if index + 1 == line {
            return offset + column.saturating_sub(1).min(content.chars().count());
        }
        offset += content.chars().count() + 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_json_reports_the_character_offset() {
        let JsonBody::Invalid(issue) = JsonBody::parse(None, b"{\"email\": }") else {
            panic!("expected invalid")
        };
        assert_eq!(issue.loc, vec![Location::from("body"), Location::Index(10)]);
        assert_eq!(issue.kind, "json_invalid");
    }

    #[test]
    fn a_document_that_ends_too_soon_is_reported_at_its_end() {
        for (body, offset) in [
            (&b"{\"email\": "[..], 10),
            (b"{", 1),
            (b"[1, 2", 5),
            (b"\"caf\xc3\xa9", 5),
        ] {
            let JsonBody::Invalid(issue) = JsonBody::parse(None, body) else {
                panic!("expected invalid")
            };
            assert_eq!(
                issue.loc,
                vec![Location::from("body"), Location::Index(offset)],
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn non_json_media_types_are_not_parsed() {
        assert_eq!(
            JsonBody::parse(Some("text/plain"), b"{}"),
            JsonBody::Other("{}".into())
        );
        assert_eq!(
            JsonBody::parse(Some("application/merge-patch+json"), b"{}"),
            JsonBody::Json(serde_json::json!({}))
        );
        assert_eq!(
            JsonBody::parse(Some("Application/JSON; charset=utf-8"), b"[]"),
            JsonBody::Json(serde_json::json!([]))
        );
    }

    #[test]
    fn an_array_is_not_an_object() {
        let issues = JsonBody::parse(None, b"[1,2]").into_object().unwrap_err();
        assert_eq!(issues.as_slice()[0].kind, "model_attributes_type");
    }
}
