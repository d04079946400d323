//! [`IpNetwork`]: an address range in CIDR notation, for the proxies the configuration trusts.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// An IPv4 or IPv6 network in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`), or one address (`127.0.0.1`, the
/// same as `127.0.0.1/32`).
///
/// An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, as a dual-stack listener reports IPv4 peers) is matched as the
/// IPv4 address it maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpNetwork {
    address: IpAddr,
    prefix: u8,
}

impl IpNetwork {
    /// The network of `address` with `prefix` leading bits, or `None` when the prefix is longer than the
    /// address (32 bits for IPv4, 128 for IPv6). Bits past the prefix are ignored.
    pub fn new(address: IpAddr, prefix: u8) -> Option<Self> {
        let address = canonical(address);
        (prefix <= bit_length(address)).then_some(Self { address, prefix })
    }

    /// Whether `address` lies in this network.
    pub fn contains(&self, address: IpAddr) -> bool {
        match (self.address, canonical(address)) {
            (IpAddr::V4(network), IpAddr::V4(address)) => same_prefix(
                network.to_bits().into(),
                address.to_bits().into(),
                32,
                self.prefix,
            ),
            (IpAddr::V6(network), IpAddr::V6(address)) => {
                same_prefix(network.to_bits(), address.to_bits(), 128, self.prefix)
            }
            _ => false,
        }
    }
}

impl fmt::Display for IpNetwork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

/// Why a network could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidNetwork(String);

impl fmt::Display for InvalidNetwork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not an address or a network in CIDR notation (such as 10.0.0.0/8)",
            self.0
        )
    }
}

impl std::error::Error for InvalidNetwork {}

impl FromStr for IpNetwork {
    type Err = InvalidNetwork;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidNetwork(text.to_owned());
        let trimmed = text.trim();
        let (address, prefix) = match trimmed.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (trimmed, None),
        };
        let address: IpAddr = address.parse().map_err(|_| invalid())?;
        let prefix = match prefix {
            None => bit_length(canonical(address)),
            Some(prefix) if prefix.bytes().all(|byte| byte.is_ascii_digit()) => {
                let bits: u8 = prefix.parse().map_err(|_| invalid())?;
                // `::ffff:10.0.0.0/104` names the same addresses as `10.0.0.0/8`.
                match (address, canonical(address)) {
                    (IpAddr::V6(_), IpAddr::V4(_)) => bits.checked_sub(96).ok_or_else(invalid)?,
                    _ => bits,
                }
            }
            Some(_) => return Err(invalid()),
        };
        IpNetwork::new(address, prefix).ok_or_else(invalid)
    }
}

fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

fn bit_length(address: IpAddr) -> u8 {
    match address {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

fn same_prefix(network: u128, address: u128, width: u8, prefix: u8) -> bool {
    let ignored = u32::from(width - prefix);
    let mask =
        u128::MAX.checked_shl(ignored).unwrap_or(0) & (u128::MAX >> (128 - u32::from(width)));
    network & mask == address & mask
}

#[cfg(test)]
mod tests {
    use super::*;

    fn network(text: &str) -> IpNetwork {
        text.parse().unwrap()
    }

    fn address(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn networks_hold_their_addresses_only() {
        let private = network("10.0.0.0/8");
        assert!(private.contains(address("10.200.3.4")));
        assert!(!private.contains(address("11.0.0.1")));
        assert!(private.contains(address("::ffff:10.1.2.3")));
        assert!(!private.contains(address("2001:db8::1")));
        let one = network("127.0.0.1");
        assert!(one.contains(address("127.0.0.1")));
        assert!(!one.contains(address("127.0.0.2")));
        let v6 = network("2001:db8::/32");
        assert!(v6.contains(address("2001:db8:ffff::1")));
        assert!(!v6.contains(address("2001:db9::1")));
        assert!(network("0.0.0.0/0").contains(address("203.0.113.7")));
        assert!(network("::/0").contains(address("2001:db8::1")));
        assert!(network("::ffff:10.0.0.0/104").contains(address("10.9.9.9")));
        assert!(network("::1").contains(address("::1")));
    }

    #[test]
    fn malformed_networks_are_refused() {
        for text in [
            "",
            "10.0.0.0/33",
            "10.0.0.0/",
            "10.0.0.0/-1",
            "10.0.0.0/+8",
            "10.0.0/8",
            "2001:db8::/129",
            "example.com",
            "10.0.0.0/8/8",
            "::ffff:10.0.0.0/95",
        ] {
            assert!(text.parse::<IpNetwork>().is_err(), "{text:?}");
        }
    }

    #[test]
    fn networks_print_in_cidr_notation() {
        assert_eq!(network("127.0.0.1").to_string(), "127.0.0.1/32");
        assert_eq!(network("2001:db8::/32").to_string(), "2001:db8::/32");
    }
}
