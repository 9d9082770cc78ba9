//! Who a request comes from: the socket's peer, or, when the peer is one
//! of the operator's reverse proxies (`--trusted-proxy`), the address the
//! proxies recorded in the one header they write: `X-Forwarded-For`
//! (nginx, Caddy, most others) or `Forwarded` (RFC 7239), as the operator
//! says (`--forwarded-header`). The other header is never read: a proxy
//! that appends to one passes the other through as the client wrote it.
//!
//! The forwarded list is read from the right (the hop nearest to us): the
//! first address that is not a trusted proxy is the client. Whatever a
//! client writes into the header itself stands further left, so it is
//! never taken while a trusted proxy appended the real address after it.
//! From a peer that is not a trusted proxy the headers are ignored.

use axum::http::HeaderMap;
use ipnet::IpNet;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The operator's reverse proxies, and the header they record clients in.
#[derive(Clone, Debug, Default)]
pub struct Proxies {
    networks: Vec<IpNet>,
    header: ForwardedHeader,
}

/// The header the trusted proxies append the client's address to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1, …` (nginx's
    /// `$proxy_add_x_forwarded_for`, Caddy, most load balancers).
    #[default]
    #[value(name = "x-forwarded-for")]
    XForwardedFor,
    /// `Forwarded: for=client, for=proxy1` (RFC 7239).
    #[value(name = "forwarded")]
    Forwarded,
}

/// Why a `--trusted-proxy` value cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an address or network: write 127.0.0.1, 10.0.0.0/8 or fd00::/8")]
pub struct ProxyError(String);

impl Proxies {
    /// Reads the networks (`10.0.0.0/8`) or single addresses (`127.0.0.1`),
    /// which record clients in `X-Forwarded-For`.
    pub fn parse<S: AsRef<str>>(values: &[S]) -> Result<Proxies, ProxyError> {
        let networks = values
            .iter()
            .map(|v| {
                let v = v.as_ref().trim();
                v.parse::<IpNet>()
                    .or_else(|_| v.parse::<IpAddr>().map(IpNet::from))
                    .map(|net| net.trunc())
                    .map_err(|_| ProxyError(v.to_owned()))
            })
            .collect::<Result<_, _>>()?;
        Ok(Proxies {
            networks,
            header: ForwardedHeader::default(),
        })
    }

    /// The same proxies, recording clients in `header`.
    pub fn recording_in(self, header: ForwardedHeader) -> Proxies {
        Proxies { header, ..self }
    }

    /// Whether `ip` is one of the proxies.
    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.networks.iter().any(|net| net.contains(&ip))
    }

    /// Whether there are any.
    pub fn is_empty(&self) -> bool {
        self.networks.is_empty()
    }

    /// The networks and the header, for the start-up log.
    pub fn describe(&self) -> String {
        if self.networks.is_empty() {
            return String::new();
        }
        let networks: Vec<String> = self.networks.iter().map(ToString::to_string).collect();
        format!(
            "{} (clients read from {})",
            networks.join(" "),
            self.header.name()
        )
    }

    /// The client of a request whose socket peer is `peer`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let hops = self.header.hops(headers);
        if hops.is_empty() && headers.contains_key(self.header.other().name()) {
            static WARNED: std::sync::Once = std::sync::Once::new();
            WARNED.call_once(|| {
                tracing::warn!(
                    expected = self.header.name(),
                    sent = self.header.other().name(),
                    "a trusted proxy sends the other forwarded header: every client behind it counts as the proxy (set --forwarded-header to the one it writes)"
                )
            });
        }
        // The nearest hop we know is the peer; each address to its left was
        // written by the hop to its right.
        let mut client = peer;
        for hop in hops.iter().rev() {
            match hop {
                Some(ip) if self.trusts(*ip) => client = *ip,
                Some(ip) => return *ip,
                // A hop a trusted proxy could not name ("unknown"): the
                // last known hop is as near as we can get.
                None => return client,
            }
        }
        client
    }
}

impl ForwardedHeader {
    /// The header's name.
    fn name(self) -> &'static str {
        match self {
            ForwardedHeader::XForwardedFor => "X-Forwarded-For",
            ForwardedHeader::Forwarded => "Forwarded",
        }
    }

    /// The address one element of the list names (`198.51.100.7` in
    /// X-Forwarded-For, `for=198.51.100.7;proto=https` in Forwarded);
    /// `None` if it names none.
    fn hop(self, element: &str) -> Option<IpAddr> {
        match self {
            ForwardedHeader::XForwardedFor => node(element.trim()),
            ForwardedHeader::Forwarded => unquoted(element, ';')
                .into_iter()
                .filter_map(|pair| pair.split_once('='))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("for"))
                .and_then(|(_, value)| node(value.trim().trim_matches('"'))),
        }
    }

    /// The hops of every such header of a request, leftmost first. A line
    /// is read as bytes: an element that is not text (a client's own bytes
    /// a proxy passed on) is a hop that names no one, and the elements
    /// the proxies appended after it still count. In `Forwarded`, a comma
    /// or semicolon inside a quoted value separates nothing.
    fn hops(self, headers: &HeaderMap) -> Vec<Option<IpAddr>> {
        headers
            .get_all(self.name())
            .iter()
            .flat_map(|value| {
                let line = String::from_utf8_lossy(value.as_bytes());
                let elements = match self {
                    ForwardedHeader::XForwardedFor => line.split(',').collect(),
                    ForwardedHeader::Forwarded => unquoted(&line, ','),
                };
                elements
                    .into_iter()
                    .map(|element| self.hop(element))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// The other header, which a proxy writing this one passes through as
    /// the client sent it.
    fn other(self) -> ForwardedHeader {
        match self {
            ForwardedHeader::XForwardedFor => ForwardedHeader::Forwarded,
            ForwardedHeader::Forwarded => ForwardedHeader::XForwardedFor,
        }
    }
}

/// `text` cut at each `separator` outside double quotes (RFC 7239's quoted
/// strings, with backslash escapes).
fn unquoted(text: &str, separator: char) -> Vec<&str> {
    let (mut parts, mut start, mut quoted, mut escaped) = (Vec::new(), 0, false, false);
    for (at, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if c == separator && !quoted => {
                parts.push(&text[start..at]);
                start = at + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// An address as a proxy writes it: `192.0.2.1`, `192.0.2.1:4711`,
/// `[2001:db8::1]`, `[2001:db8::1]:4711` or `2001:db8::1`.
fn node(text: &str) -> Option<IpAddr> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Some(rest) = text.strip_prefix('[') {
        let (ip, _) = rest.split_once(']')?;
        return ip.parse::<Ipv6Addr>().ok().map(|ip| canonical(ip.into()));
    }
    let (ip, port) = text.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    ip.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
}

/// An IPv4 address written as IPv6 (`::ffff:192.0.2.1`) as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// What limits and logs count a client as: its IPv4 address, or its IPv6
/// /64 (one household or phone is given a whole /64, and can pick any
/// address in it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientKey(IpAddr);

impl ClientKey {
    /// The key of `ip`.
    pub fn of(ip: IpAddr) -> ClientKey {
        ClientKey(match canonical(ip) {
            IpAddr::V6(v6) => {
                let bits = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(Ipv6Addr::from(bits))
            }
            v4 => v4,
        })
    }

    /// The key as text, for the rate limits kept in the database (which
    /// hash it before they store it).
    pub fn text(self) -> String {
        self.0.to_string()
    }

    /// The client's network, cut short enough not to name a person:
    /// `203.0.113.0/24`, `2001:db8:1::/48`. The only form of an address
    /// that is logged.
    pub fn truncated(self) -> Truncated {
        Truncated(match self.0 {
            IpAddr::V4(v4) => IpAddr::V4((u32::from(v4) & !0xff).into()),
            IpAddr::V6(v6) => IpAddr::V6((u128::from(v6) & !((1u128 << 80) - 1)).into()),
        })
    }
}

/// A client's network, its address cut to its /24 or /48, for logs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Truncated(IpAddr);

impl fmt::Display for Truncated {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.0 {
            IpAddr::V4(v4) => write!(f, "{v4}/24"),
            IpAddr::V6(v6) => write!(f, "{v6}/48"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn only_the_header_the_proxies_write_is_read() {
        // nginx appends to X-Forwarded-For and passes a client's own
        // Forwarded through: that one must not count.
        let sent = headers(&[
            ("forwarded", "for=127.0.0.2"),
            ("x-forwarded-for", "198.51.100.9"),
        ]);
        let nginx = Proxies::parse(&["127.0.0.1"]).unwrap();
        assert_eq!(nginx.client(ip("127.0.0.1"), &sent), ip("198.51.100.9"));
        let standard = nginx.recording_in(ForwardedHeader::Forwarded);
        assert_eq!(standard.client(ip("127.0.0.1"), &sent), ip("127.0.0.2"));
    }

    #[test]
    fn bytes_that_are_not_text_stop_no_more_than_their_own_element() {
        let proxies = Proxies::parse(&["127.0.0.1"]).unwrap();
        // What nginx writes for a client that sent `1.2.3.4\xff` itself.
        let mut sent = HeaderMap::new();
        sent.insert(
            "x-forwarded-for",
            axum::http::HeaderValue::from_bytes(b"1.2.3.4\xff, 198.51.100.9").unwrap(),
        );
        assert_eq!(proxies.client(ip("127.0.0.1"), &sent), ip("198.51.100.9"));
        let standard = proxies.recording_in(ForwardedHeader::Forwarded);
        let mut sent = HeaderMap::new();
        sent.insert(
            "forwarded",
            axum::http::HeaderValue::from_bytes(b"for=\"x\xff\", for=198.51.100.10").unwrap(),
        );
        assert_eq!(standard.client(ip("127.0.0.1"), &sent), ip("198.51.100.10"));
    }

    #[test]
    fn a_comma_in_a_quoted_value_separates_nothing() {
        let proxies = Proxies::parse(&["127.0.0.1"])
            .unwrap()
            .recording_in(ForwardedHeader::Forwarded);
        // A proxy copied the client's Host into its own element.
        let sent = headers(&[("forwarded", r#"for=198.51.100.28;host="x,for=6.6.6.14""#)]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &sent), ip("198.51.100.28"));
        let sent = headers(&[(
            "forwarded",
            r#"for=6.6.6.1;host="a\",;for=6.6.6.2", for=198.51.100.29"#,
        )]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &sent), ip("198.51.100.29"));
        assert_eq!(unquoted(r#"a="1,2",b"#, ','), [r#"a="1,2""#, "b"]);
    }

    #[test]
    fn headers_from_an_untrusted_peer_change_nothing() {
        let proxies = Proxies::parse(&["127.0.0.1"]).unwrap();
        let spoofed = headers(&[("x-forwarded-for", "1.2.3.4"), ("forwarded", "for=5.6.7.8")]);
        assert_eq!(
            proxies.client(ip("203.0.113.9"), &spoofed),
            ip("203.0.113.9")
        );
        assert_eq!(
            Proxies::default().client(ip("127.0.0.1"), &spoofed),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client() {
        let proxies = Proxies::parse(&["127.0.0.1", "10.0.0.0/8"]).unwrap();
        // nginx appends the address it saw to whatever the client sent.
        let sent = headers(&[("x-forwarded-for", "6.6.6.6, 198.51.100.7, 10.1.2.3")]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &sent), ip("198.51.100.7"));
        let two_headers = headers(&[
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-for", "198.51.100.8"),
        ]);
        assert_eq!(
            proxies.client(ip("127.0.0.1"), &two_headers),
            ip("198.51.100.8")
        );
        // Only proxies: the leftmost is as far as we can see.
        let inside = headers(&[("x-forwarded-for", "10.9.9.9, 10.1.1.1")]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &inside), ip("10.9.9.9"));
        // No header: the proxy itself.
        assert_eq!(
            proxies.client(ip("10.0.0.5"), &HeaderMap::new()),
            ip("10.0.0.5")
        );
        // A hop the proxy could not name stops the walk at the last known.
        let unknown = headers(&[("x-forwarded-for", "198.51.100.7, unknown, 10.1.2.3")]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &unknown), ip("10.1.2.3"));
    }

    #[test]
    fn the_standard_header_is_read_with_ports_and_brackets() {
        let proxies = Proxies::parse(&["::1", "127.0.0.0/8"])
            .unwrap()
            .recording_in(ForwardedHeader::Forwarded);
        let sent = headers(&[(
            "forwarded",
            r#"for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https, for=127.0.0.2"#,
        )]);
        assert_eq!(proxies.client(ip("::1"), &sent), ip("2001:db8:cafe::17"));
        let v4 = headers(&[("forwarded", "for=198.51.100.7:5000;by=10.0.0.1")]);
        assert_eq!(
            proxies.client(ip("::ffff:127.0.0.1"), &v4),
            ip("198.51.100.7")
        );
        // Forwarded wins over X-Forwarded-For when both are there.
        let both = headers(&[
            ("forwarded", "for=198.51.100.1"),
            ("x-forwarded-for", "198.51.100.2"),
        ]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &both), ip("198.51.100.1"));
    }

    #[test]
    fn proxies_are_networks_or_addresses_and_nonsense_is_refused() {
        assert!(Proxies::parse(&["10.0.0.0/8", "fd00::/8", "127.0.0.1", "::1"]).is_ok());
        let error = Proxies::parse(&["10.0.0.0/33"]).unwrap_err().to_string();
        assert!(
            error.contains("10.0.0.0/33") && error.contains("10.0.0.0/8"),
            "{error}"
        );
        assert!(Proxies::parse(&["nginx"]).is_err());
        // A network written with host bits still means the network.
        assert!(Proxies::parse(&["10.1.2.3/8"])
            .unwrap()
            .trusts(ip("10.200.0.1")));
    }

    #[test]
    fn ipv6_clients_are_counted_per_64_and_logged_per_48() {
        let a = ClientKey::of(ip("2001:db8:1:2:aaaa::1"));
        let b = ClientKey::of(ip("2001:db8:1:2:ffff:1:2:3"));
        let c = ClientKey::of(ip("2001:db8:1:3::1"));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(
            ClientKey::of(ip("::ffff:192.0.2.1")),
            ClientKey::of(ip("192.0.2.1"))
        );
        assert_ne!(
            ClientKey::of(ip("192.0.2.1")),
            ClientKey::of(ip("192.0.2.2"))
        );
        assert_eq!(a.truncated().to_string(), "2001:db8:1::/48");
        assert_eq!(
            ClientKey::of(ip("203.0.113.77")).truncated().to_string(),
            "203.0.113.0/24"
        );
    }
}
