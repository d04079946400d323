use serde_json::Value;
use time::OffsetDateTime;

use super::{Issue, Location};

/// Constraints declared on a field with `#[fullauth(...)]`.
#[derive(Debug, Clone, Copy, Default)]
pub struct FieldRules {
    /// `max_length`, in characters.
    pub max_length: Option<usize>,
}

/// A Rust type a custom model field may have, read from JSON with pydantic's (lax) rules and written back.
///
/// Implemented for `String`, `bool`, `i16`, `i32`, `i64`, `f32`, `f64`, [`uuid::Uuid`],
/// [`time::OffsetDateTime`] (RFC 3339) and `Option` of each.
pub trait FieldValue: Clone + Send + Sync + Sized + 'static {
    /// Converts a JSON value; `loc` names the field for the issue.
    fn from_json(value: &Value, loc: &[Location]) -> Result<Self, Issue>;

    /// Checks the declared constraints.
    fn check(&self, _rules: &FieldRules, _loc: &[Location]) -> Result<(), Issue> {
        Ok(())
    }

    /// Whether JSON `null` is a valid value.
    const NULLABLE: bool = false;

    /// Serializes the value as it appears in the public JSON.
    fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

/// Lets the derive serialize any [`FieldValue`] with `SerializeMap::serialize_entry`.
#[doc(hidden)]
pub struct AsJson<'a, T>(pub &'a T);

impl<T: FieldValue> serde::Serialize for AsJson<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_json(serializer)
    }
}

fn issue(kind: &'static str, loc: &[Location], msg: &str, value: &Value) -> Issue {
    Issue::new(kind, loc.to_vec(), msg, value.clone())
}

impl FieldValue for String {
    fn from_json(value: &Value, loc: &[Location]) -> Result<Self, Issue> {
        match value {
            // Databases refuse NUL in text (PostgreSQL errors, SQLite truncates in places): refuse it here.
            Value::String(text) if text.contains('\0') => Err(issue(
                "string_nul",
                loc,
                "String should not contain NUL characters",
                value,
            )),
            Value::String(text) => Ok(text.clone()),
            _ => Err(issue(
                "string_type",
                loc,
                "Input should be a valid string",
                value,
            )),
        }
    }

    fn check(&self, rules: &FieldRules, loc: &[Location]) -> Result<(), Issue> {
        if let Some(max) = rules.max_length
            && self.chars().count() > max
        {
            let unit = if max == 1 { "character" } else { "characters" };
            return Err(Issue::new(
                "string_too_long",
                loc.to_vec(),
                format!("String should have at most {max} {unit}"),
                Value::String(self.clone()),
            )
            .with_ctx("max_length", Value::from(max)));
        }
        Ok(())
    }

    fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

impl FieldValue for bool {
    fn from_json(value: &Value, loc: &[Location]) -> Result<Self, Issue> {
        const INVALID: &str = "Input should be a valid boolean, unable to interpret input";
        match value {
            Value::Bool(flag) => Ok(*flag),
            Value::Number(number) => match number.as_f64() {
                Some(0.0) => Ok(false),
                Some(1.0) => Ok(true),
                _ => Err(issue("bool_parsing", loc, INVALID, value)),
            },
            Value::String(text) => match text.to_ascii_lowercase().as_str() {
                "0" | "off" | "f" | "false" | "n" | "no" => Ok(false),
                "1" | "on" | "t" | "true" | "y" | "yes" => Ok(true),
                _ => Err(issue("bool_parsing", loc, INVALID, value)),
            },
            _ => Err(issue(
                "bool_type",
                loc,
                "Input should be a valid boolean",
                value,
            )),
        }
    }

    fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bool(*self)
    }
}

/// Reads an integer the way pydantic does in lax mode: whole floats and numeric strings are accepted.
fn integer_from_json(value: &Value, loc: &[Location]) -> Result<i128, Issue> {
    match value {
        Value::Number(number) => {
            if let Some(n) = number.as_i64() {
                Ok(i128::from(n))
            } else if let Some(n) = number.as_u64() {
                Ok(i128::from(n))
            } else {
                let float = number.as_f64().unwrap_or(f64::NAN);
                if float.fract() == 0.0 && float.abs() < 1e30 {
                    // The bound above keeps the conversion exact enough and in range.
                    Ok(float as i128)
                } else {
                    Err(issue(
                        "int_from_float",
                        loc,
                        "Input should be a valid integer, got a number with a fractional part",
                        value,
                    ))
                }
            }
        }
        Value::String(text) => text.trim().parse::<i128>().map_err(|_| {
            issue(
                "int_parsing",
                loc,
                "Input should be a valid integer, unable to parse string as an integer",
                value,
            )
        }),
        _ => Err(issue(
            "int_type",
            loc,
            "Input should be a valid integer",
            value,
        )),
    }
}

macro_rules! integer_field {
    ($($ty:ty),*) => {$(
        impl FieldValue for $ty {
            fn from_json(value: &Value, loc: &[Location]) -> Result<Self, Issue> {
                let wide = integer_from_json(value, loc)?;
                <$ty>::try_from(wide).map_err(|_| {
                    let (kind, msg) = if wide < 0 {
                        ("greater_than_equal", format!("Input should be greater than or equal to {}", <$ty>::MIN))
                    } else {
                        ("less_than_equal", format!("Input should be less than or equal to {}", <$ty>::MAX))
                    };
                    Issue::new(kind, loc.to_vec(), msg, value.clone())
                })
            }

            fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(self, serializer)
            }
        }
    )*};
}

integer_field!(i16, i32, i64);

fn float_from_json(value: &Value, loc: &[Location]) -> Result<f64, Issue> {
    match value {
        Value::Number(number) => number
            .as_f64()
            .ok_or_else(|| issue("float_type", loc, "Input should be a valid number", value)),
        Value::String(text) => text
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .ok_or_else(|| {
                issue(
                    "float_parsing",
                    loc,
                    "Input should be a valid number, unable to parse string as a number",
                    value,
                )
            }),
        _ => Err(issue(
            "float_type",
            loc,
            "Input should be a valid number",
            value,
        )),
    }
}

impl FieldValue for f64 {
    fn from_json(value: &Value, loc: &[Location]) -> Result<Self, Issue> {
        float_from_json(value, loc)
    }

    fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(*self)
    }
}

impl FieldValue for f32 {
    fn from_json(value: &Value, loc: &[Location]) -> Result<Self, Issue> {
        let wide = float_from_json(value, loc)?;
        let narrow = wide as f32;
        if narrow.is_finite() {
            Ok(narrow)
        } else {
            Err(issue(
                "finite_number",
                loc,
                "Input should be a finite number",
                value,
            ))
        }
    }

    fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f32(*self)
    }
}

impl FieldValue for uuid::Uuid {
    fn from_json(value: &Value, loc: &[Location]) -> Result<Self, Issue> {
        match value {
            // pydantic's message and context name the problem as the uuid crate describes it.
            Value::String(text) => uuid::Uuid::try_parse(text).map_err(|_| {
                let reason = super::uuid_problem::uuid_problem(text);
                issue(
                    "uuid_parsing",
                    loc,
                    &format!("Input should be a valid UUID, {reason}"),
                    value,
                )
                .with_ctx("error", Value::String(reason))
            }),
            _ => Err(issue(
                "uuid_type",
                loc,
                "UUID input should be a string, bytes or UUID object",
                value,
            )),
        }
    }

    fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.hyphenated())
    }
}

impl FieldValue for OffsetDateTime {
    fn from_json(value: &Value, loc: &[Location]) -> Result<Self, Issue> {
        let rfc3339 = &time::format_description::well_known::Rfc3339;
        match value {
            Value::String(text) => OffsetDateTime::parse(text, rfc3339).map_err(|_| {
                issue(
                    "datetime_from_date_parsing",
                    loc,
                    "Input should be a valid datetime in RFC 3339 format",
                    value,
                )
            }),
            _ => Err(issue(
                "datetime_type",
                loc,
                "Input should be a valid datetime",
                value,
            )),
        }
    }

    fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        time::serde::rfc3339::serialize(self, serializer)
    }
}

impl<T: FieldValue> FieldValue for Option<T> {
    const NULLABLE: bool = true;

    fn from_json(value: &Value, loc: &[Location]) -> Result<Self, Issue> {
        match value {
            Value::Null => Ok(None),
            other => T::from_json(other, loc).map(Some),
        }
    }

    fn check(&self, rules: &FieldRules, loc: &[Location]) -> Result<(), Issue> {
        match self {
            Some(inner) => inner.check(rules, loc),
            None => Ok(()),
        }
    }

    fn serialize_json<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(inner) => inner.serialize_json(serializer),
            None => serializer.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uuid_problem_is_in_the_message_and_the_context() {
        let issue = uuid::Uuid::from_json(&Value::from("hal"), &[]).unwrap_err();
        assert_eq!(issue.kind, "uuid_parsing");
        assert_eq!(
            issue.msg,
            "Input should be a valid UUID, invalid character: found `h` at 0"
        );
        assert_eq!(
            issue.ctx.as_deref().and_then(|ctx| ctx.get("error")),
            Some(&Value::from("invalid character: found `h` at 0"))
        );
        for accepted in [
            "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
            "{0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b}",
            "urn:uuid:0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
            "0193a1b2c3d47e5f8a9b0c1d2e3f4a5b",
        ] {
            assert!(
                uuid::Uuid::from_json(&Value::from(accepted), &[]).is_ok(),
                "{accepted}"
            );
        }
    }
}
