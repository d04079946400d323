//! The address a request comes from: the peer, or, behind proxies the configuration trusts, the address they
//! report. Headers of untrusted origin are never read, so a client cannot choose its own address.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::HeaderMap;
use axum::http::request::Parts;

/// Where a request comes from, for rate limiting.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientAddress(pub String);

/// Resolves the client's address from `trusted_headers` (in order; the first one present wins), taking the entry
/// `trusted_count` from the right of its comma-separated list, since each trusted proxy appends the address it saw.
/// Without such a header (or with a malformed one) the peer address counts; without a peer address (a server
/// started without `into_make_service_with_connect_info`) every request shares the address `unknown`.
pub(crate) fn resolve(
    headers: &HeaderMap,
    peer: Option<IpAddr>,
    trusted_headers: &[String],
    trusted_count: usize,
) -> ClientAddress {
    for name in trusted_headers {
        let Some(value) = headers
            .get(name.as_str())
            .and_then(|value| value.to_str().ok())
        else {
            continue;
        };
        let entries: Vec<&str> = value.split(',').map(str::trim).collect();
        let Some(index) = entries.len().checked_sub(trusted_count.max(1)) else {
            continue;
        };
        if let Some(address) = entries.get(index).and_then(|entry| parse_address(entry)) {
            return ClientAddress(address.to_string());
        }
    }
    ClientAddress(peer.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string()))
}

/// An address as proxies write it: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`, `[2001:db8::1]:5678`.
fn parse_address(entry: &str) -> Option<IpAddr> {
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|socket| socket.ip()))
}

/// The peer address of a request, when the server records it.
pub(crate) fn peer(parts: &Parts) -> Option<IpAddr> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    const PEER: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 9)));

    #[test]
    fn untrusted_headers_are_ignored() {
        let forwarded = headers(&[("x-forwarded-for", "203.0.113.5")]);
        assert_eq!(resolve(&forwarded, PEER, &[], 1).0, "10.0.0.9");
        assert_eq!(resolve(&forwarded, None, &[], 1).0, "unknown");
    }

    #[test]
    fn trusted_headers_are_read_from_the_right() {
        let trusted = vec!["x-forwarded-for".to_owned()];
        let chain = headers(&[("x-forwarded-for", "198.51.100.1, 203.0.113.5, 192.0.2.7")]);
        assert_eq!(resolve(&chain, PEER, &trusted, 1).0, "192.0.2.7");
        assert_eq!(resolve(&chain, PEER, &trusted, 2).0, "203.0.113.5");
        // More proxies configured than the chain has: the peer counts, not an address the client wrote.
        assert_eq!(resolve(&chain, PEER, &trusted, 4).0, "10.0.0.9");
        let garbage = headers(&[("x-forwarded-for", "not-an-address")]);
        assert_eq!(resolve(&garbage, PEER, &trusted, 1).0, "10.0.0.9");
        let with_ports = headers(&[("x-forwarded-for", "[2001:db8::1]:4711")]);
        assert_eq!(resolve(&with_ports, PEER, &trusted, 1).0, "2001:db8::1");
    }
}
