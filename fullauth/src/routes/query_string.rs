//! Reading `?key=value&...` query strings, percent-decoded, with pydantic's issues at `["query", key]`.

use serde_json::Value;

use crate::json::{Issue, Issues, Location};

/// The decoded pairs of a query string; a key given twice keeps its last value, as FastAPI does for scalars.
#[derive(Debug, Default)]
pub(crate) struct QueryString {
    pairs: Vec<(String, String)>,
}

impl QueryString {
    /// Parses a raw query string (`None`: no `?` at all).
    pub(crate) fn parse(raw: Option<&str>) -> Self {
        let pairs = raw
            .unwrap_or("")
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(key), decode(value))
            })
            .collect();
        Self { pairs }
    }

    /// The last value given for `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.as_str())
    }

    /// An integer parameter within `min..=max`, `default` when absent; records `int_parsing`,
    /// `greater_than_equal` or `less_than_equal`.
    pub(crate) fn integer(
        &self,
        key: &str,
        default: u64,
        min: u64,
        max: u64,
        issues: &mut Issues,
    ) -> u64 {
        let Some(text) = self.get(key) else {
            return default;
        };
        let loc = || vec![Location::from("query"), Location::from(key)];
        let input = Value::String(text.to_owned());
        let trimmed = text.trim();
        let number = match trimmed.parse::<i128>() {
            Ok(number) => number,
            Err(_) => {
                let (negative, digits) = match trimmed.strip_prefix('-') {
                    Some(digits) => (true, digits),
                    None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
                };
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    issues.push(Issue::new(
                        "int_parsing",
                        loc(),
                        "Input should be a valid integer, unable to parse string as an integer",
                        input,
                    ));
                    return default;
                }
                // A whole number too long for any integer type is out of range, not malformed.
                if negative { i128::MIN } else { i128::MAX }
            }
        };
        if number < i128::from(min) {
            issues.push(
                Issue::new(
                    "greater_than_equal",
                    loc(),
                    format!("Input should be greater than or equal to {min}"),
                    input,
                )
                .with_ctx("ge", Value::from(min)),
            );
            return default;
        }
        if number > i128::from(max) {
            issues.push(
                Issue::new(
                    "less_than_equal",
                    loc(),
                    format!("Input should be less than or equal to {max}"),
                    input,
                )
                .with_ctx("le", Value::from(max)),
            );
            return default;
        }
        u64::try_from(number).unwrap_or(default)
    }
}

/// Percent-decoding as in `application/x-www-form-urlencoded`: `+` is a space; invalid escapes stay as they are,
/// invalid UTF-8 becomes U+FFFD.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'+' => decoded.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(index + 1..index + 3)
                    .filter(|pair| pair.iter().all(u8::is_ascii_hexdigit))
                    .and_then(|pair| std::str::from_utf8(pair).ok())
                    .and_then(|pair| u8::from_str_radix(pair, 16).ok());
                if let Some(byte) = hex {
                    decoded.push(byte);
                    index += 2;
                } else {
                    decoded.push(b'%');
                }
            }
            byte => decoded.push(byte),
        }
        index += 1;
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pairs() {
        let query = QueryString::parse(Some(
            "email=a%2Bb%40x.com&limit=5&empty&x=%zz&limit=7&s=a+b",
        ));
        assert_eq!(query.get("email"), Some("a+b@x.com"));
        assert_eq!(query.get("limit"), Some("7"));
        assert_eq!(query.get("empty"), Some(""));
        assert_eq!(query.get("x"), Some("%zz"));
        assert_eq!(query.get("s"), Some("a b"));
        assert_eq!(query.get("missing"), None);
        assert_eq!(QueryString::parse(Some("%FF")).get("\u{FFFD}"), Some(""));
    }

    #[test]
    fn integers_are_checked() {
        let query = QueryString::parse(Some("a=5&b=x&c=-1&d=1000&e=99999999999999999999999999"));
        let mut issues = Issues::new();
        assert_eq!(query.integer("a", 1, 0, 10, &mut issues), 5);
        assert_eq!(query.integer("missing", 3, 0, 10, &mut issues), 3);
        assert!(issues.is_empty());
        query.integer("b", 1, 0, 10, &mut issues);
        query.integer("c", 1, 0, 10, &mut issues);
        query.integer("d", 1, 0, 10, &mut issues);
        query.integer("e", 1, 0, 10, &mut issues);
        let kinds: Vec<&str> = issues.as_slice().iter().map(|issue| issue.kind).collect();
        assert_eq!(
            kinds,
            [
                "int_parsing",
                "greater_than_equal",
                "less_than_equal",
                "less_than_equal"
            ]
        );
    }
}
