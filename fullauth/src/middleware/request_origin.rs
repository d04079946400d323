//! The origin check of the CSRF layer: a state-changing request must come from a page of the request's own
//! origin or of a trusted one.

use std::net::IpAddr;

use axum::http::{HeaderMap, Uri, header};

use crate::config::{self, FullAuthConfig};
use crate::http::client::forwarded_https;

/// The `Origin` header, else the origin of the `Referer`, must be the request's own origin or a trusted one.
/// A request with neither (not a browser, or one that withholds both) passes on to the token check; one whose
/// header is present but unreadable, malformed or `null` fails.
///
/// The request's own origin is its `Host` under `https` when the connection is TLS, a trusted proxy says the
/// client used TLS (`X-Forwarded-Proto: https`) or the cookies are `Secure` (a browser keeps them for
/// `https` pages only, and for loopback hosts such as `localhost`, which keep `http` as well); under `http`
/// otherwise. Another scheme or port is another origin.
pub(super) fn origin_allowed(
    headers: &HeaderMap,
    uri: &Uri,
    peer: Option<IpAddr>,
    trusted: &[String],
    options: &FullAuthConfig,
) -> bool {
    let origin = if let Some(value) = headers.get(header::ORIGIN) {
        value.to_str().ok().and_then(config::normalized_origin)
    } else if let Some(value) = headers.get(header::REFERER) {
        value.to_str().ok().and_then(config::origin_of_url)
    } else {
        return true;
    };
    let Some(origin) = origin else {
        return false;
    };
    if trusted.contains(&origin) {
        return true;
    }
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .or_else(|| uri.authority().map(|authority| authority.as_str()));
    let Some(host) = host else {
        return false;
    };
    let own = |scheme: &str| config::same_origin(&origin, scheme, host);
    if uri.scheme_str() == Some("https") || forwarded_https(headers, peer, &options.proxies) {
        own("https")
    } else if options.cookies.secure {
        // Browsers keep `Secure` cookies for `http://localhost` pages too: there, both schemes are the host's.
        own("https") || (config::is_loopback_host(host) && own("http"))
    } else {
        own("http")
    }
}
