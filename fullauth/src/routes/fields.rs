//! Reading the fields of fullauth's own request bodies, with pydantic's issues.

use serde_json::Value;

use crate::http::ApiError;
use crate::json::{Issue, Issues, JsonBody, JsonObject, Location};

fn body_loc(field: &str) -> Vec<Location> {
    vec!["body".into(), field.into()]
}

/// A required string field; records `missing` or `string_type`.
pub(crate) fn required_string(
    body: &JsonObject,
    field: &str,
    issues: &mut Issues,
) -> Option<String> {
    match body.get(field) {
        None => {
            issues.push(Issue::missing(body_loc(field), Value::Object(body.clone())));
            None
        }
        Some(Value::String(text)) => Some(text.clone()),
        Some(other) => {
            issues.push(Issue::new(
                "string_type",
                body_loc(field),
                "Input should be a valid string",
                other.clone(),
            ));
            None
        }
    }
}

/// An optional string field (`null` and absent are both `None`); records `string_type`.
pub(crate) fn optional_string(
    body: &JsonObject,
    field: &str,
    issues: &mut Issues,
) -> Option<String> {
    match body.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text.clone()),
        Some(other) => {
            issues.push(Issue::new(
                "string_type",
                body_loc(field),
                "Input should be a valid string",
                other.clone(),
            ));
            None
        }
    }
}

/// A required email field, syntax-checked like pydantic's `EmailStr`.
pub(crate) fn required_email(
    body: &JsonObject,
    field: &str,
    issues: &mut Issues,
) -> Option<String> {
    let text = required_string(body, field, issues)?;
    match crate::email_address::validate(&text) {
        Ok(()) => Some(text.trim().to_owned()),
        Err(reason) => {
            issues.push(
                Issue::new(
                    "value_error",
                    body_loc(field),
                    format!("value is not a valid email address: {reason}"),
                    Value::String(text),
                )
                .with_ctx("reason", Value::String(reason.to_owned())),
            );
            None
        }
    }
}

/// The one optional string field of a body that may itself be left out, e.g. `{"refresh_token": ...}`.
pub(crate) fn optional_body_field(body: JsonBody, field: &str) -> Result<Option<String>, ApiError> {
    let body = body.into_optional_object()?;
    let mut issues = Issues::new();
    let value = optional_string(&body, field, &mut issues);
    issues.into_result(value).map_err(ApiError::from)
}

/// A required string of 1 to `max` characters; records `missing`, `string_type`, or pydantic's
/// `string_too_short` / `string_too_long`.
pub(crate) fn required_bounded_string(
    body: &JsonObject,
    field: &str,
    max: usize,
    issues: &mut Issues,
) -> Option<String> {
    let text = required_string(body, field, issues)?;
    let length = text.chars().count();
    let issue = if length == 0 {
        Issue::new(
            "string_too_short",
            body_loc(field),
            "String should have at least 1 character",
            Value::String(text),
        )
        .with_ctx("min_length", Value::from(1))
    } else if length > max {
        Issue::new(
            "string_too_long",
            body_loc(field),
            format!("String should have at most {max} characters"),
            Value::String(text),
        )
        .with_ctx("max_length", Value::from(max))
    } else {
        return Some(text);
    };
    issues.push(issue);
    None
}

/// A required role or permission name: a string of 1 to 100 characters without surrounding whitespace or
/// control characters; records pydantic's `string_too_short` / `string_too_long` / `value_error`.
pub(crate) fn required_name(body: &JsonObject, field: &str, issues: &mut Issues) -> Option<String> {
    let text = required_bounded_string(body, field, crate::model::MAX_NAME_LENGTH, issues)?;
    let issue = if let Err(reason) = crate::model::check_name(&text) {
        Issue::new(
            "value_error",
            body_loc(field),
            format!("Value error, a {field} name {reason}"),
            Value::String(text),
        )
    } else {
        return Some(text);
    };
    issues.push(issue);
    None
}

/// A required user id, read as the user model's id type (a UUID string, an integer, or a string).
pub(crate) fn required_user_id<Id: crate::model::UserId>(
    body: &JsonObject,
    field: &str,
    issues: &mut Issues,
) -> Option<Id> {
    let Some(value) = body.get(field) else {
        issues.push(Issue::missing(body_loc(field), Value::Object(body.clone())));
        return None;
    };
    Id::from_json(value, &body_loc(field))
        .map_err(|issue| issues.push(issue))
        .ok()
}
