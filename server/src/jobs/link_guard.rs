//! What the link checker may connect to (security review 3, N1).
//!
//! The checker requests addresses that editors and other sites chose: a
//! link in the content, and every redirect after it. Without a rule it was a
//! way into the network the server sits in (`http://10.0.0.5:8080/admin`,
//! the cloud metadata address, a redirect to `127.0.0.1`). So on every hop:
//!
//! - the port must be 80 or 443;
//! - an IP literal must be a public address;
//! - a name is resolved by the checker's own resolver ([`Guard`]), which
//!   refuses the name if *any* of its addresses is not public, and hands
//!   the client exactly the addresses it checked: the connection goes to
//!   what was checked, and DNS rebinding cannot swap it afterwards.
//!
//! An operator can allow named hosts (`BLI_LINK_CHECK_ALLOW`: `host` or
//! `host:port`, comma-separated), e.g. an intranet the guidance links to.
//! Editors see a refused link as «intern adresse, ikke sjekket».

use std::{
    net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr},
    sync::Arc,
};

use reqwest::{
    dns::{Addrs, Name, Resolve, Resolving},
    Url,
};

/// What editors see for an address the checker will not request.
pub const INTERNAL: &str = "intern adresse, ikke sjekket";

/// What editors see for a port the checker will not request.
pub const OTHER_PORT: &str = "annen port enn 80 og 443, ikke sjekket";

/// Whether `host` (a name or an IP literal, without brackets) with `port`
/// is on the operator's allow-list: `host` allows every port, `host:port`
/// that one.
pub fn allowed(allow: &[String], host: &str, port: Option<u16>) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    allow.iter().any(|entry| {
        let entry = entry.trim().to_ascii_lowercase();
        if entry == host.to_ascii_lowercase() {
            return true;
        }
        let Some(port) = port else { return false };
        let with_port = match host.parse::<IpAddr>() {
            Ok(IpAddr::V6(_)) => format!("[{host}]:{port}"),
            _ => format!("{host}:{port}"),
        };
        entry == with_port.to_ascii_lowercase()
    })
}

/// Why this hop may not be requested, in the editors' words; `None`: go on.
/// The name's addresses are checked when the client resolves it ([`Guard`]).
pub fn refusal(url: &Url, allow: &[String]) -> Option<&'static str> {
    let host = url.host_str()?;
    let port = url.port_or_known_default();
    if allowed(allow, host, port) {
        return None;
    }
    // An IP literal (the URL parser has normalised `0x7f000001` and the
    // like to dotted form; IPv6 comes in brackets).
    let literal = host.trim_start_matches('[').trim_end_matches(']');
    if literal.parse::<IpAddr>().is_ok_and(|ip| !is_public(ip)) {
        return Some(INTERNAL);
    }
    (!matches!(port, Some(80 | 443))).then_some(OTHER_PORT)
}

/// A permanently moved link's new address as it may go into the content
/// ("Bruk ny adresse", review 3, N8), or `None`. The target is another
/// site's `Location`, so it must be a plain http(s) address (no user name
/// or password, a host with a dot) that passes [`refusal`], and its
/// serialised form may hold none of `()[]<>!` or whitespace, which could
/// end a Markdown link and start another. Refused rather than
/// percent-encoded: encoding would quietly change someone else's address;
/// the editor can still change the link by hand.
pub fn new_address(target: &str, allow: &[String]) -> Option<String> {
    if target.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let url = Url::parse(target).ok()?;
    let plain = matches!(url.scheme(), "http" | "https")
        && url.username().is_empty()
        && url.password().is_none()
        && refusal(&url, allow).is_none();
    let serialised = url.as_str();
    let harmless = !serialised
        .chars()
        .any(|c| matches!(c, '(' | ')' | '[' | ']' | '<' | '>' | '!') || c.is_whitespace());
    (plain && harmless && app::domain::form::is_valid_url(serialised))
        .then(|| serialised.to_string())
}

/// Whether an address is one the public internet routes to a host: not
/// loopback, unspecified, private (RFC 1918), shared (CGNAT), link-local,
/// unique-local, multicast, broadcast, documentation, benchmarking or
/// reserved; an IPv4 address wrapped in IPv6 (mapped, compatible, 6to4,
/// NAT64) counts as the address inside, and Teredo is refused.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(a == 0                                    // "this network", 0.0.0.0/8
        || a == 10                              // private
        || a == 127                             // loopback
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 169 && b == 254)               // link-local (cloud metadata)
        || (a == 172 && (16..32).contains(&b))  // private
        || (a == 192 && b == 0 && c == 0)       // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2)       // documentation
        || (a == 192 && b == 88 && c == 99)     // 6to4 relay anycast
        || (a == 192 && b == 168)               // private
        || (a == 198 && (18..20).contains(&b))  // benchmarking
        || (a == 198 && b == 51 && c == 100)    // documentation
        || (a == 203 && b == 0 && c == 113)     // documentation
        || a >= 224) // multicast, reserved, broadcast
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    let inner =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    if s[..5] == [0; 5] && (s[5] == 0xffff || s[5] == 0) {
        // IPv4-mapped ::ffff:a.b.c.d and IPv4-compatible ::a.b.c.d (with
        // :: and ::1 in the latter: both refused as 0.0.0.x).
        return is_public_v4(inner(s[6], s[7]));
    }
    if s[0] == 0x64 && s[1] == 0xff9b {
        // NAT64: 64:ff9b::/96 carries an IPv4 address; 64:ff9b:1::/48 is local use.
        return s[2..6] == [0; 4] && is_public_v4(inner(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        // 6to4: 2002:AABB:CCDD::/48 is a.b.c.d's network.
        return is_public_v4(inner(s[1], s[2]));
    }
    !(s[0] & 0xfe00 == 0xfc00            // unique local fc00::/7
        || s[0] & 0xffc0 == 0xfe80       // link-local fe80::/10
        || s[0] & 0xffc0 == 0xfec0       // site-local (deprecated) fec0::/10
        || s[0] & 0xff00 == 0xff00       // multicast
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || s[0] & 0xfff0 == 0x3ff0       // documentation 3fff::/20
        || (s[0] == 0x2001 && s[1] == 0) // Teredo: an IPv4 address, obscured
        || (s[0] == 0x0100 && s[1..4] == [0; 3]) // discard-only 100::/64
        || s[0] & 0xe000 != 0x2000) // outside global unicast 2000::/3
}

/// The checker's resolver: the system's answer for a name, refused whole if
/// any address in it is not public (unless the operator allowed the name).
#[derive(Clone, Debug, Default)]
pub struct Guard {
    pub allow: Arc<Vec<String>>,
}

/// A name that resolved to an address the checker will not request.
#[derive(Debug)]
pub struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(INTERNAL)
    }
}

impl std::error::Error for Refused {}

impl Resolve for Guard {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.allow.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if !allowed(&allow, &host, None) && addrs.iter().any(|a| !is_public(a.ip())) {
                return Err(Box::new(Refused) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_address_must_be_plain_public_and_unable_to_end_a_link() {
        let ok = |t: &str| new_address(t, &[]);
        assert_eq!(
            ok("https://Ny.Example/sti?a=1#del").as_deref(),
            Some("https://ny.example/sti?a=1#del")
        );
        // What the URL parser itself encodes is harmless.
        assert_eq!(
            ok("https://new.example/<b>").as_deref(),
            Some("https://new.example/%3Cb%3E")
        );
        for refused in [
            "https://new.example/x)[Logg inn](https://phish.example/)",
            "https://new.example/x)[a](https://phish.example/)",
            "https://new.example/a b",
            "https://new.example/!x",
            "https://user:pw@new.example/",
            "http://127.0.0.1/admin",
            "http://169.254.169.254/latest",
            "https://new.example:8443/",
            "http://intranett/",
            "ftp://new.example/",
            "javascript:alert(1)",
        ] {
            assert_eq!(ok(refused), None, "{refused}");
        }
    }

    #[test]
    fn only_public_addresses_are_public() {
        for internal in [
            "0.0.0.0",
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "100.64.0.1",
            "100.127.255.255",
            "169.254.169.254",
            "192.0.2.1",
            "198.51.100.7",
            "203.0.113.9",
            "198.18.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::10.0.0.1",
            "2002:7f00:1::",
            "2002:a9fe:a9fe::1",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "2001:db8::1",
            "2001:0:4136:e378::1",
        ] {
            assert!(!is_public(internal.parse().unwrap()), "{internal}");
        }
        for public in [
            "93.184.215.14",
            "1.1.1.1",
            "172.32.0.1",
            "100.128.0.1",
            "2a00:1450:4001:82a::200e",
            "::ffff:1.1.1.1",
            "64:ff9b::101:101",
            "2002:101:101::",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[test]
    fn each_hop_needs_a_public_literal_and_a_web_port_unless_allowed() {
        let hop = |u: &str, allow: &[&str]| {
            let allow: Vec<String> = allow.iter().map(|s| s.to_string()).collect();
            refusal(&Url::parse(u).unwrap(), &allow)
        };
        assert_eq!(hop("http://127.0.0.1/", &[]), Some(INTERNAL));
        assert_eq!(hop("http://0x7f000001/", &[]), Some(INTERNAL));
        assert_eq!(hop("http://[::ffff:7f00:1]/", &[]), Some(INTERNAL));
        assert_eq!(hop("http://169.254.169.254/latest/", &[]), Some(INTERNAL));
        assert_eq!(hop("https://example.org:8443/", &[]), Some(OTHER_PORT));
        assert_eq!(hop("http://127.0.0.1:22/", &[]), Some(INTERNAL));
        assert_eq!(hop("http://1.1.1.1:22/", &[]), Some(OTHER_PORT));
        assert_eq!(hop("https://example.org/", &[]), None);
        assert_eq!(hop("http://1.1.1.1/", &[]), None);
        assert_eq!(hop("http://127.0.0.1:8765/", &["127.0.0.1:8765"]), None);
        assert_eq!(
            hop("http://127.0.0.1:8766/", &["127.0.0.1:8765"]),
            Some(INTERNAL)
        );
        assert_eq!(
            hop("http://intranett.local:8080/", &["intranett.local"]),
            None
        );
    }
}
