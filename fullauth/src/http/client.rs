//! The address a request comes from: the peer, or, behind proxies the configuration trusts, the address they
//! report. Headers of untrusted origin are never read, so a client cannot choose its own address.

use std::net::{IpAddr, SocketAddr};

use axum::extract::connect_info::MockConnectInfo;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::config::ProxyConfig;
use crate::flows::{ClientAddress, ClientInfo, FullAuth};
use crate::model::FullAuthUser;

/// Resolves the client's address, as a rate-limit key: [`client_ip`], or `unknown` without a peer address (a
/// server started without `into_make_service_with_connect_info`).
///
/// IPv6 addresses count by their /64 network: one client commonly holds a whole /64 and could otherwise take a
/// fresh address per request.
pub(crate) fn resolve(
    headers: &HeaderMap,
    peer: Option<IpAddr>,
    proxies: &ProxyConfig,
) -> ClientAddress {
    ClientAddress(
        client_ip(headers, peer, proxies)
            .map_or_else(|| ClientAddress::UNKNOWN.to_owned(), bucket_of),
    )
}

/// The client's own address (an IPv6 address not cut to its /64).
///
/// Without trusted headers, the peer. With them, the first of the trusted headers present (all of its lines, in
/// order, as one comma-separated list, to which each proxy appends the address it saw):
/// - with a list of trusted proxies, read only when the peer is one of them; walking from the right, the first
///   address that is not itself a trusted proxy (the left-most one when all of them are);
/// - without one, the entry `trusted_count` from the right, whoever the peer is.
///
/// A header whose deciding entry is not an address is passed over; with no header left, the peer counts.
pub(crate) fn client_ip(
    headers: &HeaderMap,
    peer: Option<IpAddr>,
    proxies: &ProxyConfig,
) -> Option<IpAddr> {
    let trusted = |address: IpAddr| {
        proxies
            .trusted_proxies
            .iter()
            .any(|network| network.contains(address))
    };
    let listed = !proxies.trusted_proxies.is_empty();
    if listed && !peer.is_some_and(trusted) {
        return peer;
    }
    for name in &proxies.trusted_headers {
        let lines: Vec<String> = headers
            .get_all(name.as_str())
            .iter()
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
            .collect();
        if lines.is_empty() {
            continue;
        }
        let joined = lines.join(",");
        let entries: Vec<&str> = joined.split(',').map(str::trim).collect();
        let found = if listed {
            first_untrusted(&entries, trusted)
        } else {
            entries
                .len()
                .checked_sub(proxies.trusted_count.max(1))
                .and_then(|index| entries.get(index))
                .and_then(|entry| parse_address(entry))
        };
        if found.is_some() {
            return found;
        }
    }
    peer
}

/// Whether a request's forwarded headers come from a proxy the configuration trusts: trusted headers are set and
/// the peer is one of the listed proxies (or, without a list, whoever it is).
pub(crate) fn from_trusted_proxy(peer: Option<IpAddr>, proxies: &ProxyConfig) -> bool {
    if proxies.trusted_headers.is_empty() {
        return false;
    }
    proxies.trusted_proxies.is_empty()
        || peer.is_some_and(|peer| {
            proxies
                .trusted_proxies
                .iter()
                .any(|network| network.contains(peer))
        })
}

/// Whether the client reached the proxies over TLS: the last `X-Forwarded-Proto` entry (the one the nearest
/// proxy wrote) is `https`, and the proxy is trusted.
pub(crate) fn forwarded_https(
    headers: &HeaderMap,
    peer: Option<IpAddr>,
    proxies: &ProxyConfig,
) -> bool {
    from_trusted_proxy(peer, proxies)
        && headers
            .get_all("x-forwarded-proto")
            .iter()
            .next_back()
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.rsplit(',').next())
            .is_some_and(|scheme| scheme.trim().eq_ignore_ascii_case("https"))
}

/// Walking `entries` from the right: the first address that is not a trusted proxy, or the left-most one when all
/// of them are; `None` when an entry on the way is not an address.
fn first_untrusted(entries: &[&str], trusted: impl Fn(IpAddr) -> bool) -> Option<IpAddr> {
    let mut nearest = None;
    for entry in entries.iter().rev() {
        let address = parse_address(entry)?;
        if !trusted(address) {
            return Some(address);
        }
        nearest = Some(address);
    }
    nearest
}

/// The address as a rate-limit key: IPv4 as it is, IPv6 by its /64 network (an IPv4-mapped one as IPv4).
fn bucket_of(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let [a, b, c, d, ..] = v6.segments();
                format!("{}/64", std::net::Ipv6Addr::new(a, b, c, d, 0, 0, 0, 0))
            }
        },
    }
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
    peer_in(&parts.extensions)
}

/// The peer address recorded in a request's extensions: the connection's (`into_make_service_with_connect_info`),
/// or the one a test gave with axum's `MockConnectInfo`.
pub(crate) fn peer_in(extensions: &axum::http::Extensions) -> Option<IpAddr> {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
        .or_else(|| {
            extensions
                .get::<MockConnectInfo<SocketAddr>>()
                .map(|info| info.0.ip())
        })
}

/// The `User-Agent` header, cut to the column's length.
fn user_agent(headers: &HeaderMap) -> Option<String> {
    let max = crate::model::RefreshTokenMixin::<uuid::Uuid>::USER_AGENT_MAX_LENGTH;
    headers.get(axum::http::header::USER_AGENT).map(|value| {
        String::from_utf8_lossy(value.as_bytes())
            .chars()
            .take(max)
            .collect()
    })
}

impl<S: Send + Sync> FromRequestParts<S> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientInfo {
            user_agent: user_agent(&parts.headers),
            ip_address: peer(parts).map(|address| address.to_string()),
        })
    }
}

impl<U: FullAuthUser> FullAuth<U> {
    /// The address of a request's client, read from the headers the configuration trusts.
    pub fn client_address(
        &self,
        headers: &axum::http::HeaderMap,
        peer: Option<std::net::IpAddr>,
    ) -> ClientAddress {
        let config = &self.inner.config;
        resolve(headers, peer, &config.proxies)
    }

    /// What a new session records about the client: its `User-Agent` and its address, read from the headers the
    /// configuration trusts (the [`ClientInfo`](crate::ClientInfo) extractor alone knows only the peer).
    pub fn client_info(
        &self,
        headers: &axum::http::HeaderMap,
        peer: Option<std::net::IpAddr>,
    ) -> ClientInfo {
        let config = &self.inner.config;
        let address = client_ip(headers, peer, &config.proxies);
        ClientInfo {
            user_agent: user_agent(headers),
            ip_address: address.map(|address| address.to_string()),
        }
    }
}

/// The client of a sign-in to fullauth's routes: [`FullAuth::client_info`] for the request.
#[derive(Debug, Clone)]
pub(crate) struct SignInClient(pub ClientInfo);

impl<U: FullAuthUser> axum::extract::FromRequestParts<FullAuth<U>> for SignInClient {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        auth: &FullAuth<U>,
    ) -> Result<Self, Self::Rejection> {
        Ok(SignInClient(auth.client_info(&parts.headers, peer(parts))))
    }
}

/// The client address of a request to fullauth's routes, resolved with the configuration of the `FullAuth` in
/// the router state.
#[derive(Debug, Clone)]
pub(crate) struct Client(pub ClientAddress);

impl<U: FullAuthUser> axum::extract::FromRequestParts<FullAuth<U>> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        auth: &FullAuth<U>,
    ) -> Result<Self, Self::Rejection> {
        Ok(Client(auth.client_address(&parts.headers, peer(parts))))
    }
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

    /// `X-Forwarded-For` trusted, with `count` proxies or the proxies of `networks`.
    fn forwarded(count: usize, networks: &[&str]) -> ProxyConfig {
        ProxyConfig {
            trusted_headers: vec!["x-forwarded-for".to_owned()],
            trusted_count: count,
            trusted_proxies: networks.iter().map(|text| text.parse().unwrap()).collect(),
        }
    }

    #[test]
    fn untrusted_headers_are_ignored() {
        let forwarded = headers(&[("x-forwarded-for", "203.0.113.5")]);
        assert_eq!(
            resolve(&forwarded, PEER, &ProxyConfig::default()).0,
            "10.0.0.9"
        );
        assert_eq!(
            resolve(&forwarded, None, &ProxyConfig::default()).0,
            "unknown"
        );
    }

    #[test]
    fn trusted_headers_are_read_from_the_right() {
        let chain = headers(&[("x-forwarded-for", "198.51.100.1, 203.0.113.5, 192.0.2.7")]);
        assert_eq!(resolve(&chain, PEER, &forwarded(1, &[])).0, "192.0.2.7");
        assert_eq!(resolve(&chain, PEER, &forwarded(2, &[])).0, "203.0.113.5");
        // More proxies configured than the chain has: the peer counts, not an address the client wrote.
        assert_eq!(resolve(&chain, PEER, &forwarded(4, &[])).0, "10.0.0.9");
        let garbage = headers(&[("x-forwarded-for", "not-an-address")]);
        assert_eq!(resolve(&garbage, PEER, &forwarded(1, &[])).0, "10.0.0.9");
        let with_ports = headers(&[("x-forwarded-for", "[2001:db8::1]:4711")]);
        assert_eq!(
            resolve(&with_ports, PEER, &forwarded(1, &[])).0,
            "2001:db8::/64"
        );
    }

    #[test]
    fn every_line_of_a_header_counts() {
        // A proxy adding a line of its own below the client's: the proxy's entry is the last one.
        let mut lines = HeaderMap::new();
        lines.append("x-forwarded-for", "198.51.100.1".parse().unwrap());
        lines.append("x-forwarded-for", "192.0.2.7".parse().unwrap());
        assert_eq!(resolve(&lines, PEER, &forwarded(1, &[])).0, "192.0.2.7");
        // Bytes a client wrote in its own part do not hide the proxy's entry.
        let mut odd = HeaderMap::new();
        odd.append(
            "x-forwarded-for",
            axum::http::HeaderValue::from_bytes(b"\xff\xfe, 192.0.2.8").unwrap(),
        );
        assert_eq!(resolve(&odd, PEER, &forwarded(1, &[])).0, "192.0.2.8");
    }

    #[test]
    fn ipv6_counts_by_network() {
        let one = "2001:db8:1:2:aaaa::1".parse().ok();
        let other = "2001:db8:1:2:bbbb::9".parse().ok();
        assert_eq!(
            resolve(&HeaderMap::new(), one, &ProxyConfig::default()),
            resolve(&HeaderMap::new(), other, &ProxyConfig::default())
        );
        let mapped = "::ffff:203.0.113.5".parse().ok();
        assert_eq!(
            resolve(&HeaderMap::new(), mapped, &ProxyConfig::default()).0,
            "203.0.113.5"
        );
    }

    #[test]
    fn listed_proxies_alone_are_believed() {
        let proxies = forwarded(1, &["10.0.0.0/8", "192.0.2.0/24"]);
        let spoofed = headers(&[("x-forwarded-for", "203.0.113.5")]);
        // A client reaching the server directly writes what it likes: its own address counts.
        let direct = "198.51.100.20".parse().ok();
        assert_eq!(resolve(&spoofed, direct, &proxies).0, "198.51.100.20");
        assert_eq!(resolve(&spoofed, None, &proxies).0, "unknown");
        // Through a listed proxy, the header is read.
        assert_eq!(resolve(&spoofed, PEER, &proxies).0, "203.0.113.5");
        let mapped_peer = "::ffff:10.0.0.9".parse().ok();
        assert_eq!(resolve(&spoofed, mapped_peer, &proxies).0, "203.0.113.5");
    }

    #[test]
    fn the_walk_skips_listed_proxies() {
        let proxies = forwarded(1, &["10.0.0.0/8", "192.0.2.0/24"]);
        // What the client prepended stays left of its own address, which the first proxy wrote.
        let chain = headers(&[(
            "x-forwarded-for",
            "1.1.1.1, 203.0.113.5, 192.0.2.7, 10.1.1.1",
        )]);
        assert_eq!(resolve(&chain, PEER, &proxies).0, "203.0.113.5");
        // Every entry a proxy: the left-most one.
        let inside = headers(&[("x-forwarded-for", "10.3.3.3, 192.0.2.7")]);
        assert_eq!(resolve(&inside, PEER, &proxies).0, "10.3.3.3");
        // An entry that is not an address on the way: the header is passed over, the peer counts.
        let garbage = headers(&[("x-forwarded-for", "203.0.113.5, junk, 10.1.1.1")]);
        assert_eq!(resolve(&garbage, PEER, &proxies).0, "10.0.0.9");
        // The count is not used with a list.
        let counted = forwarded(3, &["10.0.0.0/8"]);
        let short = headers(&[("x-forwarded-for", "203.0.113.5")]);
        assert_eq!(resolve(&short, PEER, &counted).0, "203.0.113.5");
    }
}
