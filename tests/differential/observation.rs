//! What one server answered to one step, in the form the two sides are compared in: the status, the body with
//! ids, tokens and times replaced by their kind, and the headers clients read.

use std::collections::BTreeMap;

use serde_json::Value;

/// Headers a client reads and the comparison therefore looks at; `set-cookie` is compared attribute by attribute.
const COMPARED_HEADERS: [&str; 7] = [
    "content-type",
    "www-authenticate",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "retry-after",
    "location",
];

/// Headers whose value is a count of seconds that may differ by the time between the two requests.
const SECONDS_HEADERS: [&str; 2] = ["x-ratelimit-reset", "retry-after"];

/// Fields whose values are tokens: only whether a token is there, and of which kind, is compared.
const TOKEN_FIELDS: [&str; 10] = [
    "challenge",
    "state",
    "access_token",
    "refresh_token",
    "mfa_token",
    "token",
    "challenge_key",
    "binding",
    "secret",
    "recovery_codes",
];

/// A normalized answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    pub status: u16,
    pub body: Value,
    pub headers: BTreeMap<String, String>,
    pub cookies: Vec<String>,
}

impl Observation {
    /// Reads `response`; also returns its JSON body as sent, for the values a scenario keeps.
    pub async fn read(response: reqwest::Response) -> (Observation, Option<Value>) {
        let status = response.status().as_u16();
        let mut headers = BTreeMap::new();
        for name in COMPARED_HEADERS {
            if let Some(value) = response.headers().get(name) {
                let value = value.to_str().unwrap_or("<not text>").to_owned();
                let value = if SECONDS_HEADERS.contains(&name) {
                    seconds_kind(&value)
                } else {
                    value
                };
                headers.insert(name.to_owned(), value);
            }
        }
        let mut cookies: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|value| cookie_shape(value.to_str().unwrap_or("<not text>")))
            .collect();
        cookies.sort();
        let text = response.text().await.unwrap_or_default();
        let raw: Option<Value> = serde_json::from_str(&text).ok();
        let body = match &raw {
            Some(value) => normalize(value, None),
            None if text.is_empty() => Value::Null,
            None => Value::String(format!("<text> {}", normalize_text(&text))),
        };
        (
            Observation {
                status,
                body,
                headers,
                cookies,
            },
            raw,
        )
    }
}

impl Observation {
    /// The observation with the body's values at `pointers` taken out (set to null).
    pub fn without(&self, pointers: &[&str]) -> Observation {
        let mut rest = self.clone();
        for pointer in pointers {
            if let Some(value) = rest.body.pointer_mut(pointer) {
                *value = Value::Null;
            }
        }
        rest
    }
}

fn seconds_kind(value: &str) -> String {
    match value.parse::<u64>() {
        Ok(0) => "0".to_owned(),
        Ok(_) => "<seconds>".to_owned(),
        Err(_) => format!("<not seconds: {value}>"),
    }
}

/// A `Set-Cookie` value as compared: the name, whether the value is empty, and the attributes, sorted, with
/// dates replaced.
fn cookie_shape(header: &str) -> String {
    let mut parts = header.split(';').map(str::trim);
    let (name, value) = parts
        .next()
        .and_then(|pair| pair.split_once('='))
        .unwrap_or(("<malformed>", ""));
    let value = if value.is_empty() || value == "\"\"" {
        "<empty>"
    } else {
        "<value>"
    };
    let mut attributes: Vec<String> = parts
        .filter(|part| !part.is_empty())
        .map(|part| match part.split_once('=') {
            Some((key, _)) if key.eq_ignore_ascii_case("expires") => "expires=<date>".to_owned(),
            Some((key, value)) => format!(
                "{}={}",
                key.to_ascii_lowercase(),
                value.to_ascii_lowercase()
            ),
            None => part.to_ascii_lowercase(),
        })
        .collect();
    attributes.sort();
    format!("{name}={value}; {}", attributes.join("; "))
}

/// `value` with every id, token and time replaced by its kind.
fn normalize(value: &Value, key: Option<&str>) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(key, value)| (key.clone(), normalize(value, Some(key))))
                .collect(),
        ),
        Value::Array(items) => {
            Value::Array(items.iter().map(|item| normalize(item, key)).collect())
        }
        Value::String(text) if key.is_some_and(|key| TOKEN_FIELDS.contains(&key)) => {
            Value::String(token_kind(text).to_owned())
        }
        Value::String(text) if key == Some("provisioning_uri") => {
            Value::String(without_secret(text))
        }
        Value::String(text) if key == Some("authorization_url") => {
            Value::String(authorization_shape(text))
        }
        // An id that is not a UUID (a WebAuthn user handle or credential id) is random bytes.
        Value::String(text) if key == Some("id") && normalize_text(text) == *text => {
            Value::String("<opaque id>".to_owned())
        }
        Value::String(text) => {
            Value::String(time_kind(text).map_or_else(|| normalize_text(text), str::to_owned))
        }
        other => other.clone(),
    }
}

/// An `otpauth://` URI with the value of its `secret` parameter replaced.
fn without_secret(uri: &str) -> String {
    let Some((before, after)) = uri.split_once("secret=") else {
        return uri.to_owned();
    };
    let rest = after.find('&').map_or("", |end| &after[end..]);
    format!("{before}secret=<secret>{rest}")
}

/// An authorization URL as compared: where it leads, and its parameters by name, with the values that are the
/// same for every request kept (the rest, such as the client id, the state and the PKCE challenge, by kind).
fn authorization_shape(url: &str) -> String {
    const KEPT: [&str; 3] = ["response_type", "code_challenge_method", "scope"];
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut parameters: Vec<String> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(name, value)| {
            if KEPT.contains(&name.as_ref()) {
                format!("{name}={value}")
            } else {
                format!("{name}=<value>")
            }
        })
        .collect();
    parameters.sort();
    format!("{} ? {}", normalize_origin(base), parameters.join(" & "))
}

/// `http://127.0.0.1:<port>` (a loopback server of the tests) as `<loopback>`.
fn normalize_origin(url: &str) -> String {
    match url.strip_prefix("http://127.0.0.1:") {
        Some(rest) => {
            let path = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            format!("<loopback>{path}")
        }
        None => url.to_owned(),
    }
}

fn token_kind(text: &str) -> &'static str {
    if text.split('.').count() == 3 && text.len() > 40 {
        "<jwt>"
    } else if text.is_empty() {
        "<empty token>"
    } else {
        "<opaque token>"
    }
}

/// `<time>` for an RFC 3339 time with an offset, `<naive time>` for one without.
fn time_kind(text: &str) -> Option<&'static str> {
    let bytes = text.as_bytes();
    let looks_like_a_date = bytes.len() >= 19
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && (bytes[10] == b'T' || bytes[10] == b' ')
        && bytes[13] == b':';
    if !looks_like_a_date {
        return None;
    }
    let with_offset = text.ends_with('Z') || text[19..].contains('+') || text[19..].contains('-');
    Some(if with_offset {
        "<time>"
    } else {
        "<naive time>"
    })
}

/// `text` with every UUID replaced by `<uuid>` and every run of 32 hex digits by `<hex32>`.
pub fn normalize_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once('\u{0}')) {
        if c.is_ascii_hexdigit() || c == '-' {
            run.push(c);
            continue;
        }
        out.push_str(&id_kind(&run).map_or_else(|| run.clone(), str::to_owned));
        run.clear();
        if c != '\u{0}' {
            out.push(c);
        }
    }
    out
}

fn id_kind(run: &str) -> Option<&'static str> {
    let groups: Vec<usize> = run.split('-').map(str::len).collect();
    if groups == [8, 4, 4, 4, 12] {
        Some("<uuid>")
    } else if groups == [32] {
        Some("<hex32>")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_text_are_replaced_by_their_kind() {
        assert_eq!(
            normalize_text("Role 'a' assigned to user 0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b."),
            "Role 'a' assigned to user <uuid>."
        );
        assert_eq!(
            normalize_text("family 0193a1b2c3d47e5f8a9b0c1d2e3f4a5b"),
            "family <hex32>"
        );
        assert_eq!(normalize_text("2026-12-06"), "2026-12-06");
    }

    #[test]
    fn the_secret_of_a_provisioning_uri_is_replaced() {
        assert_eq!(
            without_secret("otpauth://totp/App:a%40b.c?secret=JBSWY3DP&issuer=App"),
            "otpauth://totp/App:a%40b.c?secret=<secret>&issuer=App"
        );
        assert_eq!(
            without_secret("otpauth://totp/x?secret=AB"),
            "otpauth://totp/x?secret=<secret>"
        );
    }

    #[test]
    fn times_are_told_apart_by_their_offset() {
        assert_eq!(time_kind("2026-12-06T04:59:50.202304Z"), Some("<time>"));
        assert_eq!(time_kind("2026-12-06T04:59:50+00:00"), Some("<time>"));
        assert_eq!(
            time_kind("2026-12-06T04:59:50.202304"),
            Some("<naive time>")
        );
        assert_eq!(time_kind("not a time"), None);
    }

    #[test]
    fn cookies_keep_their_attributes_but_not_their_values() {
        assert_eq!(
            cookie_shape("fullauth_access=abc; HttpOnly; Max-Age=1800; Path=/; SameSite=lax"),
            "fullauth_access=<value>; httponly; max-age=1800; path=/; samesite=lax"
        );
        assert_eq!(
            cookie_shape("a=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0"),
            "a=<empty>; expires=<date>; max-age=0"
        );
    }
}
