//! Who sent a request: the client's address as the limits see it (server only).
//!
//! Behind a reverse proxy every connection comes from the proxy, so the
//! client's own address is in `X-Forwarded-For` or `Forwarded`. Those headers
//! are believed only when the connection comes from an address listed in
//! `BLI_TRUSTED_PROXIES`; then the client is the right-most entry that is not
//! itself a trusted proxy (entries further left were written by the client
//! and prove nothing). From any other peer the headers are ignored.
//!
//! A middleware in the server resolves this once per request and stores a
//! [`Client`] in the request's extensions; handlers and server functions read
//! it from there, never from the socket.

use std::net::{IpAddr, Ipv6Addr};

use axum::http::HeaderMap;

/// One address or network in `BLI_TRUSTED_PROXIES`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    addr: IpAddr,
    prefix: u8,
}

impl Network {
    /// `10.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`.
    pub fn parse(text: &str) -> Option<Network> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((addr, prefix)) => (
                addr.parse::<IpAddr>().ok()?,
                Some(prefix.parse::<u8>().ok()?),
            ),
            None => (text.parse::<IpAddr>().ok()?, None),
        };
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Network {
            addr: canonical(addr),
            prefix,
        })
    }

    pub fn contains(&self, addr: IpAddr) -> bool {
        match (self.addr, canonical(addr)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u32::MAX << (32 - self.prefix)
                };
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u128::MAX << (128 - self.prefix)
                };
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// The reverse proxies whose forwarding headers are believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Network>);

impl TrustedProxies {
    /// A comma- or space-separated list; an error names the entry that is not
    /// an address or network, so the server refuses to start with a typo.
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        list.split([',', ' '])
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                Network::parse(s).ok_or_else(|| {
                    format!("not an address or network: {s:?} (use e.g. 127.0.0.1 or 10.0.0.0/8)")
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    pub fn none() -> TrustedProxies {
        TrustedProxies::default()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn trusts(&self, addr: IpAddr) -> bool {
        self.0.iter().any(|n| n.contains(addr))
    }
}

/// The client of one request, as resolved from the peer and the trusted
/// proxies' headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client {
    pub addr: IpAddr,
    /// The request reached a trusted proxy over HTTPS (`X-Forwarded-Proto`).
    pub via_https: bool,
}

impl Client {
    /// Resolves the client of a request that arrived from `peer`.
    pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> Client {
        let peer = canonical(peer);
        if !trusted.trusts(peer) {
            return Client {
                addr: peer,
                via_https: false,
            };
        }
        let chain = forwarded_chain(headers);
        let mut addr = peer;
        // Right to left: the nearest hop first. Stop at the first address no
        // trusted proxy stands for; an entry that is not an address ends the
        // walk at the last trusted hop.
        for entry in chain.iter().rev() {
            match entry {
                Some(hop) => {
                    addr = canonical(*hop);
                    if !trusted.trusts(addr) {
                        break;
                    }
                }
                None => break,
            }
        }
        let via_https = headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
        Client { addr, via_https }
    }

    /// The key the limits count by: the address, or for IPv6 its /64 network
    /// (one subscriber's usual allocation, so changing the host part does not
    /// give a new budget).
    pub fn key(&self) -> String {
        match self.addr {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        }
    }

    /// The client the server's middleware stored in a request's extensions
    /// (a stand-in when there is none: a request driven without a socket).
    pub fn of(extensions: &axum::http::Extensions) -> Client {
        extensions
            .get::<Client>()
            .copied()
            .unwrap_or_else(Client::unknown)
    }

    /// A stand-in for tests and for requests that came without a socket.
    pub fn unknown() -> Client {
        Client {
            addr: IpAddr::V6(Ipv6Addr::UNSPECIFIED),
            via_https: false,
        }
    }
}

/// `::ffff:1.2.3.4` is `1.2.3.4`.
fn canonical(addr: IpAddr) -> IpAddr {
    match addr {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(addr),
        v4 => v4,
    }
}

/// The forwarding chain, left (the first client) to right (the nearest hop):
/// `X-Forwarded-For` when present, else the `for=` parameters of
/// `Forwarded`. Entries that are not addresses (`unknown`, obfuscated names)
/// are `None`. The proxy should send only one of the two headers; the
/// deployment files remove the other.
fn forwarded_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let values: Vec<_> = headers.get_all("x-forwarded-for").iter().collect();
    if values.is_empty() {
        return forwarded_param_chain(headers);
    }
    // Present but unreadable (bytes that are not visible ASCII): believe
    // nothing beyond the peer, and never fall back to `Forwarded`, which a
    // proxy that sets only X-Forwarded-For may pass on from the client
    // (review 3, I-1).
    let Some(readable) = values
        .iter()
        .map(|v| v.to_str().ok())
        .collect::<Option<Vec<&str>>>()
    else {
        return vec![None];
    };
    readable
        .iter()
        .flat_map(|v| v.split(','))
        .map(|e| parse_hop(e.trim()))
        .collect()
}

/// The `for=` parameters of `Forwarded`, read only when no
/// `X-Forwarded-For` came at all.
fn forwarded_param_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("forwarded")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|element| {
            element
                .split(';')
                .find_map(|pair| {
                    let (name, value) = pair.trim().split_once('=')?;
                    name.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| value.trim().trim_matches('"').to_string())
                })
                .and_then(|value| parse_hop(&value))
        })
        .collect()
}

/// `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`, `[2001:db8::1]:443`.
fn parse_hop(text: &str) -> Option<IpAddr> {
    if let Ok(addr) = text.parse::<IpAddr>() {
        return Some(addr);
    }
    if let Some(rest) = text.strip_prefix('[') {
        return rest.split_once(']').and_then(|(addr, _)| addr.parse().ok());
    }
    let (addr, port) = text.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    addr.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn networks_parse_and_match() {
        let net = Network::parse("10.0.0.0/8").unwrap();
        assert!(net.contains(ip("10.200.1.1")) && !net.contains(ip("11.0.0.1")));
        assert!(Network::parse("::1").unwrap().contains(ip("::1")));
        assert!(Network::parse("fd00::/8")
            .unwrap()
            .contains(ip("fd12:3456::1")));
        assert!(Network::parse("127.0.0.1")
            .unwrap()
            .contains(ip("::ffff:127.0.0.1")));
        assert_eq!(Network::parse("10.0.0.0/33"), None);
        assert_eq!(Network::parse("proxy.example"), None);
        assert!(TrustedProxies::parse("127.0.0.1, ::1 10.0.0.0/8").is_ok());
        assert!(TrustedProxies::parse("127.0.0.1,nope")
            .unwrap_err()
            .contains("nope"));
        assert!(TrustedProxies::parse("").unwrap().is_empty());
    }

    /// Review 3, I-1: an unreadable X-Forwarded-For was skipped, and the
    /// client was then read from `Forwarded`, which it may have written.
    #[test]
    fn an_unreadable_forwarded_for_stops_at_the_peer_and_forwarded_is_not_read() {
        let trusted = TrustedProxies::parse("127.0.0.1").unwrap();
        let mut h = headers(&[("forwarded", "for=203.0.113.66")]);
        h.append(
            "x-forwarded-for",
            axum::http::HeaderValue::from_bytes(b"198.51.100.7\xff").unwrap(),
        );
        assert_eq!(
            Client::resolve(ip("127.0.0.1"), &h, &trusted).addr,
            ip("127.0.0.1")
        );
        // A readable one next to it changes nothing: one bad value, no chain.
        h.append("x-forwarded-for", "198.51.100.8".parse().unwrap());
        assert_eq!(
            Client::resolve(ip("127.0.0.1"), &h, &trusted).addr,
            ip("127.0.0.1")
        );
        // Without X-Forwarded-For at all, `Forwarded` is still read.
        let only = headers(&[("forwarded", "for=203.0.113.66")]);
        assert_eq!(
            Client::resolve(ip("127.0.0.1"), &only, &trusted).addr,
            ip("203.0.113.66")
        );
    }

    #[test]
    fn forwarding_headers_from_an_untrusted_peer_are_ignored() {
        let trusted = TrustedProxies::parse("127.0.0.1").unwrap();
        let spoofed = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("x-forwarded-proto", "https"),
        ]);
        let client = Client::resolve(ip("198.51.100.7"), &spoofed, &trusted);
        assert_eq!(
            client,
            Client {
                addr: ip("198.51.100.7"),
                via_https: false
            }
        );
        // Nothing is trusted by default.
        assert_eq!(
            Client::resolve(ip("127.0.0.1"), &spoofed, &TrustedProxies::none()).addr,
            ip("127.0.0.1")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_entry_is_the_client() {
        let trusted = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").unwrap();
        // The client wrote "1.1.1.1" itself; the proxy appended what it saw.
        let h = headers(&[
            ("x-forwarded-for", "1.1.1.1, 198.51.100.7, 10.0.0.5"),
            ("x-forwarded-proto", "https"),
        ]);
        assert_eq!(
            Client::resolve(ip("127.0.0.1"), &h, &trusted),
            Client {
                addr: ip("198.51.100.7"),
                via_https: true
            }
        );
        let h = headers(&[(
            "forwarded",
            "for=1.1.1.1, for=\"[2001:db8:cafe::17]:4711\";proto=https",
        )]);
        assert_eq!(
            Client::resolve(ip("127.0.0.1"), &h, &trusted).addr,
            ip("2001:db8:cafe::17")
        );
        let h = headers(&[("x-forwarded-for", "198.51.100.7:5555")]);
        assert_eq!(
            Client::resolve(ip("127.0.0.1"), &h, &trusted).addr,
            ip("198.51.100.7")
        );
        // No header: the proxy itself is the client.
        assert_eq!(
            Client::resolve(ip("127.0.0.1"), &HeaderMap::new(), &trusted).addr,
            ip("127.0.0.1")
        );
        // Garbage stops the walk at the last trusted hop.
        let h = headers(&[("x-forwarded-for", "198.51.100.7, unknown")]);
        assert_eq!(
            Client::resolve(ip("127.0.0.1"), &h, &trusted).addr,
            ip("127.0.0.1")
        );
    }

    #[test]
    fn ipv6_clients_are_counted_per_64() {
        let a = Client {
            addr: ip("2001:db8:1:2:aaaa::1"),
            via_https: false,
        };
        let b = Client {
            addr: ip("2001:db8:1:2:bbbb::99"),
            via_https: false,
        };
        let c = Client {
            addr: ip("2001:db8:1:3::1"),
            via_https: false,
        };
        assert_eq!(a.key(), b.key());
        assert_ne!(a.key(), c.key());
        assert_eq!(
            Client {
                addr: ip("192.0.2.1"),
                via_https: false
            }
            .key(),
            "192.0.2.1"
        );
    }
}
