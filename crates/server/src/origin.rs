//! Web origins (`https://www.example.gov.cn`): the allow-list given with
//! `--allow-origin`, and the `Origin` header of a request.
//!
//! An origin is compared as its scheme, host and port, whatever way it was
//! written: `HTTPS://WWW.Example.gov.cn:443/` and `https://www.example.gov.cn`
//! are the same origin.

use std::fmt;

/// An http(s) origin, normalised: scheme and host in lower case, the port
/// always present.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Origin {
    /// `http` or `https`.
    pub scheme: &'static str,
    /// The host name, or an IP address (IPv6 in brackets).
    pub host: String,
    /// The port, the scheme's default if none was written.
    pub port: u16,
}

/// Why a text is not an origin, in words for the operator.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OriginError {
    /// Not `http://` or `https://`.
    #[error("{0:?} is not an origin: it should start with https:// or http://, like https://www.example.gov.cn")]
    Scheme(String),
    /// No host, or one with characters a host cannot have.
    #[error("{0:?} is not an origin: the host name is missing or has characters a host name cannot have (a Chinese domain name is written in its xn-- form, as browsers send it)")]
    Host(String),
    /// A port that is not a number from 1 to 65535.
    #[error("{0:?} is not an origin: the port should be a number from 1 to 65535")]
    Port(String),
    /// A path, query, fragment or user name after the host.
    #[error("{0:?} is not an origin: give only the scheme, host and port (https://www.example.gov.cn), no path, query or user name")]
    Extra(String),
}

impl Origin {
    /// Reads an origin as an operator writes it: a trailing slash and upper
    /// case are fine; a path, query, fragment or user name is refused.
    pub fn parse(text: &str) -> Result<Origin, OriginError> {
        let trimmed = text.trim();
        let lower = trimmed.to_ascii_lowercase();
        let (scheme, rest, default_port) = if let Some(rest) = lower.strip_prefix("https://") {
            ("https", rest, 443)
        } else if let Some(rest) = lower.strip_prefix("http://") {
            ("http", rest, 80)
        } else {
            return Err(OriginError::Scheme(text.to_owned()));
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains(['/', '?', '#', '@', '\\']) {
            return Err(OriginError::Extra(text.to_owned()));
        }
        let (host, port) = match authority.rfind(':') {
            // An IPv6 address has colons inside its brackets.
            Some(at) if !authority[at..].contains(']') => {
                let port = &authority[at + 1..];
                let port = port
                    .parse::<u16>()
                    .ok()
                    .filter(|p| *p != 0 && port.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(|| OriginError::Port(text.to_owned()))?;
                (&authority[..at], port)
            }
            _ => (authority, default_port),
        };
        let bracketed = host.starts_with('[') && host.ends_with(']');
        let host_ok = if bracketed {
            host[1..host.len() - 1]
                .parse::<std::net::Ipv6Addr>()
                .is_ok()
        } else {
            !host.is_empty()
                && host.len() <= 253
                && host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
                && !host.starts_with(['.', '-'])
        };
        if !host_ok {
            return Err(OriginError::Host(text.to_owned()));
        }
        Ok(Origin {
            scheme,
            host: host.to_owned(),
            port,
        })
    }

    /// Whether the host is an IP address or `localhost`: a name no other
    /// site can make a browser use for itself (a host name can be pointed
    /// at the receiver by its owner's DNS, "DNS rebinding").
    pub fn is_literal(&self) -> bool {
        self.host == "localhost"
            || self.host.parse::<std::net::Ipv4Addr>().is_ok()
            || self.host.starts_with('[')
    }

    /// Whether this origin names the host a request was sent to (its
    /// `Host` header: a host and an optional port).
    pub fn is_host(&self, host_header: &str) -> bool {
        let host_header = host_header.trim().to_ascii_lowercase();
        let (host, port) = match host_header.rfind(':') {
            Some(at) if !host_header[at..].contains(']') => (
                &host_header[..at],
                host_header[at + 1..].parse::<u16>().ok(),
            ),
            _ => (host_header.as_str(), None),
        };
        host == self.host && port.unwrap_or(self.default_port()) == self.port
    }

    fn default_port(&self) -> u16 {
        if self.scheme == "https" {
            443
        } else {
            80
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.port == self.default_port() {
            write!(f, "{}://{}", self.scheme, self.host)
        } else {
            write!(f, "{}://{}:{}", self.scheme, self.host, self.port)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_origin_written_differently_is_one_origin() {
        let plain = Origin::parse("https://www.gdx.gov.cn").unwrap();
        for same in [
            "https://www.gdx.gov.cn/",
            "HTTPS://WWW.GDX.GOV.CN",
            "https://www.gdx.gov.cn:443",
            " https://www.gdx.gov.cn:443/ ",
        ] {
            assert_eq!(Origin::parse(same).unwrap(), plain, "{same}");
        }
        assert_eq!(plain.to_string(), "https://www.gdx.gov.cn");
        assert_ne!(Origin::parse("http://www.gdx.gov.cn").unwrap(), plain);
        assert_ne!(Origin::parse("https://www.gdx.gov.cn:8443").unwrap(), plain);
        let local = Origin::parse("http://127.0.0.1:8091").unwrap();
        assert_eq!(local.to_string(), "http://127.0.0.1:8091");
        let v6 = Origin::parse("http://[::1]:8080").unwrap();
        assert_eq!((v6.host.as_str(), v6.port), ("[::1]", 8080));
    }

    #[test]
    fn nonsense_is_refused_with_what_to_write() {
        for (text, error) in [
            ("www.gdx.gov.cn", "should start with https://"),
            ("ftp://www.gdx.gov.cn", "should start with https://"),
            ("https://", "host name is missing"),
            ("https://www.gdx.gov.cn/xxgk/", "no path"),
            ("https://www.gdx.gov.cn?a=1", "no path"),
            ("https://admin@www.gdx.gov.cn", "no path"),
            ("https://www.gdx.gov.cn:http", "port should be"),
            ("https://www.gdx.gov.cn:0", "port should be"),
            ("https://www.gdx.gov.cn:70000", "port should be"),
            ("https://www gdx.gov.cn", "host name"),
            ("*", "should start with https://"),
            ("null", "should start with https://"),
        ] {
            let message = Origin::parse(text).unwrap_err().to_string();
            assert!(message.contains(error), "{text}: {message}");
        }
    }

    #[test]
    fn only_addresses_and_localhost_are_literal() {
        for (text, literal) in [
            ("http://127.0.0.1:8091", true),
            ("http://[::1]:8080", true),
            ("http://localhost:8080", true),
            ("https://www.gdx.gov.cn", false),
            ("http://127.0.0.1.evil.example", false),
        ] {
            assert_eq!(Origin::parse(text).unwrap().is_literal(), literal, "{text}");
        }
    }

    #[test]
    fn an_origin_names_the_host_header_it_was_sent_with() {
        let origin = Origin::parse("https://www.gdx.gov.cn").unwrap();
        assert!(origin.is_host("www.gdx.gov.cn"));
        assert!(origin.is_host("WWW.gdx.gov.cn:443"));
        assert!(!origin.is_host("www.gdx.gov.cn:8443"));
        assert!(!origin.is_host("evil.example"));
        let local = Origin::parse("http://127.0.0.1:8091").unwrap();
        assert!(local.is_host("127.0.0.1:8091"));
        assert!(!local.is_host("127.0.0.1"));
    }
}
