//! Origins as the CSRF layer compares them: `scheme://host[:port]`, lower case, default ports dropped.

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
    let plain = authority
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if authority.is_empty() || authority.starts_with(':') || !plain {
        return None;
    }
    Some(format!("{scheme}://{authority}"))
}

/// The origin of an absolute URL (a `Referer`), or `None`.
pub(crate) fn origin_of_url(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    normalized_origin(&format!("{scheme}://{}", &rest[..end]))
}

/// Whether a normalized origin names the host the request was sent to (its `Host` header), whatever the scheme:
/// behind a TLS-terminating proxy the server cannot know the scheme the browser used.
pub(crate) fn same_host(origin: &str, host: &str) -> bool {
    let Some((scheme, authority)) = origin.split_once("://") else {
        return false;
    };
    let host = host.trim().to_ascii_lowercase();
    let host = without_default_port(scheme, &host);
    // A request to `example.com` over HTTPS names `example.com` while its origin says `https://example.com`;
    // over plain HTTP behind a TLS proxy the Host may carry the other default port.
    let bare = |value: &str| {
        value
            .strip_suffix(":80")
            .or_else(|| value.strip_suffix(":443"))
            .map(str::to_owned)
            .unwrap_or_else(|| value.to_owned())
    };
    !host.is_empty() && bare(authority) == bare(&host)
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
        for bad in [
            "null",
            "app.example.com",
            "ftp://example.com",
            "https://example.com/path",
            "https://user@example.com",
            "https://",
            "https://:443",
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
        assert!(same_host("https://example.com", "example.com"));
        assert!(same_host("http://localhost:8000", "LOCALHOST:8000"));
        assert!(same_host("https://example.com", "example.com:443"));
        assert!(!same_host("https://evil.example", "example.com"));
        assert!(!same_host("http://localhost:8001", "localhost:8000"));
        assert!(!same_host("https://example.com", ""));
    }
}
