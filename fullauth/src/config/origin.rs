//! Origins, as the configuration lists them and the CSRF and CORS layers compare them: `scheme://host[:port]`, lower case, default ports dropped.

/// `text` as a normalized origin, or `None` when it is not an `http`/`https` origin (a path, credentials, a
/// query or `null` all disqualify it; one trailing `/` is tolerated).
pub(crate) fn normalized_origin(text: &str) -> Option<String> {
    let text = text.trim();
    let text = text.strip_suffix('/').unwrap_or(text);
    let (scheme, authority) = text.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = without_default_port(&scheme, &authority.to_ascii_lowercase());
    if !valid_authority(&authority) {
        return None;
    }
    Some(format!("{scheme}://{authority}"))
}

/// `host[:port]`: a name or IPv4 address, or an IPv6 literal in brackets; a port of digits.
fn valid_authority(authority: &str) -> bool {
    let (host_ok, port) = match authority.strip_prefix('[') {
        Some(literal) => {
            let Some((address, rest)) = literal.split_once(']') else {
                return false;
            };
            let port = match rest {
                "" => None,
                rest => match rest.strip_prefix(':') {
                    Some(port) => Some(port),
                    None => return false,
                },
            };
            (address.parse::<std::net::Ipv6Addr>().is_ok(), port)
        }
        None => {
            let (host, port) = match authority.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            };
            let name = !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
            (name, port)
        }
    };
    let port_ok = port.is_none_or(|port| {
        port.len() <= 5
            && port.bytes().all(|byte| byte.is_ascii_digit())
            && port.parse::<u16>().is_ok_and(|port| port > 0)
    });
    host_ok && port_ok
}

/// `text` as a normalized origin, for origins given in code.
///
/// # Panics
///
/// When `text` is not an origin: a start-up error, with the form expected.
pub(crate) fn origin_or_panic(text: &str) -> String {
    normalized_origin(text).unwrap_or_else(|| {
        panic!("`{text}` is not an origin: write `https://app.example.com`, without a path")
    })
}

/// The origin of an absolute URL (a `Referer`), or `None`.
pub(crate) fn origin_of_url(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    normalized_origin(&format!("{scheme}://{}", &rest[..end]))
}

/// Whether a normalized origin is the request's own: `scheme` (the one the client used, as far as the server can
/// tell) and the host the request was sent to (its `Host` header), the port included.
pub(crate) fn same_origin(origin: &str, scheme: &str, host: &str) -> bool {
    let Some((origin_scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    let host = without_default_port(scheme, &host.trim().to_ascii_lowercase());
    !host.is_empty() && origin_scheme == scheme && authority == host
}

/// Whether a `Host` names this machine: `localhost` (or a name under it), `127.0.0.0/8` or `[::1]`, with or
/// without a port.
pub(crate) fn is_loopback_host(host: &str) -> bool {
    let host = host.trim().to_ascii_lowercase();
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or_default()
    } else {
        host.rsplit_once(':')
            .map_or(host.as_str(), |(name, _)| name)
    };
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

fn without_default_port(scheme: &str, authority: &str) -> String {
    let default = if scheme == "https" { ":443" } else { ":80" };
    authority
        .strip_suffix(default)
        .unwrap_or(authority)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_origins() {
        assert_eq!(
            normalized_origin("HTTPS://App.Example.com:443/").as_deref(),
            Some("https://app.example.com")
        );
        assert_eq!(
            normalized_origin("http://localhost:8000").as_deref(),
            Some("http://localhost:8000")
        );
        assert_eq!(
            normalized_origin("https://[::1]:8443").as_deref(),
            Some("https://[::1]:8443")
        );
        assert_eq!(
            normalized_origin("https://[::1]").as_deref(),
            Some("https://[::1]")
        );
        for bad in [
            "null",
            "app.example.com",
            "ftp://example.com",
            "https://example.com/path",
            "https://user@example.com",
            "https://",
            "https://:443",
            "https://example.com:",
            "https://[",
            "https://a:b:c",
            "https://[::1",
            "https://[nothost]:80",
            "https://example.com:99999",
        ] {
            assert_eq!(normalized_origin(bad), None, "{bad}");
        }
    }

    #[test]
    fn takes_the_origin_of_a_referer() {
        assert_eq!(
            origin_of_url("https://example.com/page?x=1").as_deref(),
            Some("https://example.com")
        );
        assert_eq!(origin_of_url("/relative"), None);
    }

    #[test]
    fn compares_with_the_host_header() {
        assert!(same_origin("https://example.com", "https", "example.com"));
        assert!(same_origin(
            "http://localhost:8000",
            "http",
            "LOCALHOST:8000"
        ));
        assert!(same_origin(
            "https://example.com",
            "https",
            "example.com:443"
        ));
        assert!(same_origin("http://[::1]:8000", "http", "[::1]:8000"));
        assert!(!same_origin(
            "https://example.com",
            "https",
            "example.com:80"
        ));
        assert!(!same_origin("https://evil.example", "https", "example.com"));
        assert!(!same_origin(
            "http://localhost:8001",
            "http",
            "localhost:8000"
        ));
        assert!(!same_origin("https://example.com", "https", ""));
        // Another scheme on the same host is another origin.
        assert!(!same_origin("http://example.com", "https", "example.com"));
        assert!(!same_origin("https://example.com", "http", "example.com"));
        assert!(!same_origin(
            "http://example.com:443",
            "https",
            "example.com"
        ));
        for loopback in [
            "localhost:8000",
            "LOCALHOST",
            "app.localhost:3000",
            "127.0.0.1:8000",
            "127.1.2.3",
            "[::1]:8000",
        ] {
            assert!(is_loopback_host(loopback), "{loopback}");
        }
        for other in [
            "example.com",
            "localhost.example.com:8000",
            "10.0.0.1:8000",
            "[2001:db8::1]:443",
            "",
        ] {
            assert!(!is_loopback_host(other), "{other}");
        }
    }
}
