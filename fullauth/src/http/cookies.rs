//! Reading the `Cookie` header and writing `Set-Cookie` headers with the attributes of the configuration.

use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

use crate::config::{FullAuthConfig, SameSite};

/// Base name of the access-token cookie.
pub(crate) const ACCESS: &str = "fullauth_access";
/// Base name of the refresh-token cookie.
pub(crate) const REFRESH: &str = "fullauth_refresh";
/// Base name of the CSRF cookie.
pub(crate) const CSRF: &str = "fullauth_csrf";

/// The value of the first cookie called `name` in the request's `Cookie` headers.
///
/// Browsers send the most specific cookie first when several share a name.
pub(crate) fn read<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    read_all(headers, name).into_iter().next()
}

/// The values of every cookie called `name`, in the order the browser sent them. A cookie whose value is not
/// UTF-8 is skipped without hiding its neighbours.
pub(crate) fn read_all<'a>(headers: &'a HeaderMap, name: &str) -> Vec<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .flat_map(|line| line.as_bytes().split(|byte| *byte == b';'))
        .filter_map(move |pair| {
            let equals = pair.iter().position(|byte| *byte == b'=')?;
            let (key, value) = (pair[..equals].trim_ascii(), pair[equals + 1..].trim_ascii());
            (key == name.as_bytes()).then_some(value)
        })
        .filter_map(|value| std::str::from_utf8(value).ok())
        .map(unquoted)
        .collect()
}

/// A value without the one pair of double quotes RFC 6265 allows around it.
fn unquoted(value: &str) -> &str {
    value
        .strip_prefix('"')
        .and_then(|inner| inner.strip_suffix('"'))
        .unwrap_or(value)
}

/// How fullauth names and marks the cookies it sets, from the configuration.
#[derive(Debug, Clone)]
pub(crate) struct CookieSettings {
    host_prefix: bool,
    secure: bool,
    same_site: SameSite,
    domain: Option<String>,
}

impl CookieSettings {
    pub(crate) fn new(config: &FullAuthConfig) -> Self {
        Self {
            host_prefix: config.cookies.host_prefix,
            secure: config.cookies.secure,
            same_site: config.cookies.samesite,
            domain: config.cookies.domain.clone(),
        }
    }

    /// The full name of a cookie: `base`, or `__Host-` + `base`.
    pub(crate) fn name(&self, base: &str) -> String {
        if self.host_prefix {
            format!("__Host-{base}")
        } else {
            base.to_owned()
        }
    }

    /// The value of the cookie `base` in a request.
    pub(crate) fn read<'a>(&self, headers: &'a HeaderMap, base: &str) -> Option<&'a str> {
        read(headers, &self.name(base)).filter(|value| !value.is_empty())
    }

    /// The value of the cookie `base` that `response` sets: `Some("")` when it clears the cookie.
    pub(crate) fn set_by<'a>(&self, response: &'a Response, base: &str) -> Option<&'a str> {
        let prefix = format!("{}=", self.name(base));
        response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|line| line.to_str().ok())
            .filter_map(|line| line.strip_prefix(prefix.as_str()))
            .map(|rest| rest.split(';').next().unwrap_or_default())
            .next_back()
    }

    /// A `Set-Cookie` value storing `value` under `base` for `max_age` at `Path=/`; `http_only` hides it from
    /// scripts.
    pub(crate) fn set(
        &self,
        base: &str,
        value: &str,
        max_age: Duration,
        http_only: bool,
    ) -> Option<HeaderValue> {
        self.header(base, value, max_age.as_secs(), http_only, "/")
    }

    /// [`Self::set`] at `path`.
    pub(crate) fn set_at(
        &self,
        base: &str,
        value: &str,
        max_age: Duration,
        path: &str,
    ) -> Option<HeaderValue> {
        self.header(base, value, max_age.as_secs(), true, path)
    }

    /// A `Set-Cookie` value that makes the browser forget the cookie `base` at `Path=/`.
    pub(crate) fn clear(&self, base: &str, http_only: bool) -> Option<HeaderValue> {
        self.header(base, "", 0, http_only, "/")
    }

    /// [`Self::clear`] at `path`.
    pub(crate) fn clear_at(&self, base: &str, path: &str) -> Option<HeaderValue> {
        self.header(base, "", 0, true, path)
    }

    /// How many cookies called `base` (by its full name) the request carries.
    pub(crate) fn count(&self, headers: &HeaderMap, base: &str) -> usize {
        read_all(headers, &self.name(base)).len()
    }

    fn header(
        &self,
        base: &str,
        value: &str,
        max_age: u64,
        http_only: bool,
        path: &str,
    ) -> Option<HeaderValue> {
        let mut line = format!(
            "{}={value}; Path={path}; Max-Age={max_age}",
            self.name(base)
        );
        if max_age == 0 {
            line.push_str("; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
        }
        if let Some(domain) = &self.domain {
            line.push_str("; Domain=");
            line.push_str(domain);
        }
        if self.secure {
            line.push_str("; Secure");
        }
        if http_only {
            line.push_str("; HttpOnly");
        }
        line.push_str("; SameSite=");
        line.push_str(self.same_site.name());
        // Values are tokens of URL-safe characters; anything else is refused rather than sent broken.
        let plain = value
            .bytes()
            .all(|byte| byte.is_ascii_graphic() && !matches!(byte, b';' | b',' | b'"' | b'\\'));
        if !plain {
            return None;
        }
        HeaderValue::from_str(&line).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(lines: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for line in lines {
            headers.append(header::COOKIE, HeaderValue::from_str(line).unwrap());
        }
        headers
    }

    #[test]
    fn reads_a_cookie_from_any_line() {
        let headers = headers(&["a=1; fullauth_csrf=x.y", "b=2;fullauth_access=tok"]);
        assert_eq!(read(&headers, "fullauth_csrf"), Some("x.y"));
        assert_eq!(read(&headers, "fullauth_access"), Some("tok"));
        assert_eq!(read(&headers, "fullauth"), None);
        assert_eq!(read(&headers, "b"), Some("2"));
    }

    #[test]
    fn a_cookie_that_is_not_utf8_hides_nothing_else() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_bytes(b"theme=\xe9t\xe9; fullauth_csrf=\"x.y\"; q=\"half").unwrap(),
        );
        assert_eq!(read(&headers, "fullauth_csrf"), Some("x.y"));
        assert_eq!(read(&headers, "theme"), None);
        assert_eq!(read(&headers, "q"), Some("\"half"));
        let both = self::headers(&["fullauth_csrf=a.b; fullauth_csrf=c.d"]);
        assert_eq!(read_all(&both, "fullauth_csrf"), ["a.b", "c.d"]);
    }

    #[test]
    fn writes_the_configured_attributes() {
        let mut config = FullAuthConfig::default();
        let plain = CookieSettings::new(&config);
        let line = plain
            .set(ACCESS, "abc", Duration::from_secs(60), true)
            .unwrap();
        assert_eq!(
            line,
            "fullauth_access=abc; Path=/; Max-Age=60; Secure; HttpOnly; SameSite=Lax"
        );
        config.cookies.host_prefix = true;
        config.cookies.samesite = SameSite::Strict;
        let prefixed = CookieSettings::new(&config);
        assert_eq!(
            prefixed.clear(CSRF, false).unwrap(),
            "__Host-fullauth_csrf=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; \
             SameSite=Strict"
        );
        for unsafe_value in ["a;b", "a b", "a,b", "a\"b", "a\\b"] {
            assert!(
                plain
                    .set(ACCESS, unsafe_value, Duration::ZERO, true)
                    .is_none(),
                "{unsafe_value}"
            );
        }
    }
}
