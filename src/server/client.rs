//! Who is on the other end of a request: the address every per-client
//! limit counts by. Behind a proxy the TCP peer is the proxy itself, so the
//! client's address is taken from `X-Forwarded-For`, but only when the peer
//! is a proxy the configuration trusts (`KULISY_TRUSTED_PROXIES`): anyone
//! else could write any address there.
use axum::http::HeaderMap;
use std::net::IpAddr;

/// An address or a network of them: `127.0.0.1`, `10.0.0.0/8`, `::1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Network {
    base: IpAddr,
    prefix: u8,
}

impl Network {
    pub fn parse(text: &str) -> Option<Network> {
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix.parse::<u8>().ok()?)),
            None => (text, None),
        };
        let base: IpAddr = addr.parse().ok()?;
        let full = if base.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(full);
        (prefix <= full).then_some(Network { base, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        fn masked(bits: u128, prefix: u8, width: u8) -> u128 {
            if prefix == 0 { 0 } else { bits >> (width - prefix) }
        }
        match (self.base, ip) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                masked(u32::from(a).into(), self.prefix, 32) == masked(u32::from(b).into(), self.prefix, 32)
            }
            (IpAddr::V6(a), IpAddr::V6(b)) => masked(a.into(), self.prefix, 128) == masked(b.into(), self.prefix, 128),
            _ => false,
        }
    }
}

/// The client's address: the peer's, or, when the peer is a trusted proxy,
/// the last address in `X-Forwarded-For` that is not one of ours (the
/// ones before it were written by the client and prove nothing).
pub fn address(peer: IpAddr, headers: &HeaderMap, trusted: &[Network]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let forwarded = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    let mut client = peer;
    for hop in forwarded.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) if is_trusted(ip) => client = ip,
            Ok(ip) => return ip,
            // Garbage where an address should be: stop at the last good hop.
            Err(_) => return client,
        }
    }
    client
}

/// The calling client's address inside a server function.
pub async fn current() -> IpAddr {
    use axum::extract::ConnectInfo;
    let peer = leptos_axum::extract::<ConnectInfo<std::net::SocketAddr>>()
        .await
        .map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let headers = leptos::prelude::use_context::<http::request::Parts>().map(|p| p.headers).unwrap_or_default();
    let trusted = super::state().map(|s| s.config.trusted_proxies.clone()).unwrap_or_default();
    address(peer, &headers, &trusted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn forwarded(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", value.parse().unwrap());
        h
    }

    #[test]
    fn networks_hold_their_addresses() {
        let lan = Network::parse("10.0.0.0/8").unwrap();
        assert!(lan.contains(ip("10.200.3.4")));
        assert!(!lan.contains(ip("11.0.0.1")));
        assert!(Network::parse("127.0.0.1").unwrap().contains(ip("127.0.0.1")));
        assert!(!Network::parse("127.0.0.1").unwrap().contains(ip("127.0.0.2")));
        assert!(Network::parse("::1").unwrap().contains(ip("::1")));
        assert!(Network::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert!(Network::parse("10.0.0.0/33").is_none());
        assert!(Network::parse("nginx").is_none());
    }

    #[test]
    fn the_forwarded_address_counts_only_behind_a_trusted_proxy() {
        let proxies = [Network::parse("127.0.0.1").unwrap()];
        let h = forwarded("203.0.113.7");
        assert_eq!(address(ip("127.0.0.1"), &h, &proxies), ip("203.0.113.7"));
        // Anyone else sending the header is taken at their own address.
        assert_eq!(address(ip("198.51.100.9"), &h, &proxies), ip("198.51.100.9"));
        assert_eq!(address(ip("127.0.0.1"), &h, &[]), ip("127.0.0.1"));
    }

    #[test]
    fn addresses_the_client_wrote_itself_prove_nothing() {
        let proxies = [Network::parse("127.0.0.1").unwrap(), Network::parse("10.0.0.0/8").unwrap()];
        // The client claimed 1.1.1.1; nginx appended the real peer.
        let h = forwarded("1.1.1.1, 203.0.113.7, 10.0.0.5");
        assert_eq!(address(ip("127.0.0.1"), &h, &proxies), ip("203.0.113.7"));
        assert_eq!(address(ip("127.0.0.1"), &forwarded("junk, 203.0.113.7"), &proxies), ip("203.0.113.7"));
        assert_eq!(address(ip("127.0.0.1"), &forwarded("203.0.113.7, junk"), &proxies), ip("127.0.0.1"));
        assert_eq!(address(ip("127.0.0.1"), &HeaderMap::new(), &proxies), ip("127.0.0.1"));
    }
}
