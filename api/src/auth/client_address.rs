//! The client's address, for rate limits, the caps on open sockets and the audit log.
//!
//! Without a trusted proxy it is the TCP peer, and `X-Forwarded-For` is ignored: anyone can
//! write that header. Behind proxies (`UPSTATE_TRUST_PROXY`) it is the rightmost address of
//! `X-Forwarded-For` that the trusted proxies did not add: each proxy appends the address it
//! was reached from, so entries left of that one are the client's own words and never used.
//! An entry that is not an IP address ends the walk (the peer, or the last good entry, is
//! used). Rate limits count an IPv6 client by its /64, the block one subscriber gets.

use ipnet::IpNet;
use std::net::IpAddr;
use std::str::FromStr;

/// Which proxies in front of Upstate are trusted to name the client.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TrustProxy {
    /// None: the TCP peer is the client.
    #[default]
    Nobody,
    /// This many proxies, one behind the other (1 for a single reverse proxy).
    Hops(usize),
    /// Proxies at these addresses or networks.
    Networks(Vec<IpNet>),
}

impl FromStr for TrustProxy {
    type Err = String;

    /// `false`/`0` (none), `true` (one proxy), a number of proxies, or a comma-separated list
    /// of proxy addresses and networks (`10.0.0.0/8, 192.0.2.7`).
    fn from_str(text: &str) -> Result<TrustProxy, String> {
        let text = text.trim();
        match text.to_ascii_lowercase().as_str() {
            "" | "false" | "no" | "off" | "0" => return Ok(TrustProxy::Nobody),
            "true" | "yes" | "on" => return Ok(TrustProxy::Hops(1)),
            _ => {}
        }
        if let Ok(hops) = text.parse::<usize>() {
            return Ok(TrustProxy::Hops(hops));
        }
        let networks = text
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| {
                part.parse::<IpNet>()
                    .or_else(|_| part.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        format!(
                            "`{part}` is not a number of proxies, an IP address or a network (like 10.0.0.0/8)"
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TrustProxy::Networks(networks))
    }
}

impl TrustProxy {
    /// The client's address, from the TCP peer and the `X-Forwarded-For` values in order.
    pub fn client(&self, peer: Option<IpAddr>, forwarded_for: &[&str]) -> Option<IpAddr> {
        let peer = peer.map(unmap);
        let hops = match self {
            TrustProxy::Nobody | TrustProxy::Hops(0) => return peer,
            TrustProxy::Hops(hops) => Some(*hops),
            TrustProxy::Networks(networks) => {
                let trusted = |ip: &IpAddr| networks.iter().any(|net| net.contains(ip));
                if !peer.as_ref().is_some_and(trusted) {
                    return peer;
                }
                None
            }
        };
        // Right to left: the entry each proxy added, until the one a trusted proxy did not.
        let mut client = peer;
        let mut walked = 0;
        for entry in entries(forwarded_for).rev() {
            let Ok(ip) = entry.parse::<IpAddr>().map(unmap) else {
                break;
            };
            client = Some(ip);
            walked += 1;
            let done = match (hops, self) {
                (Some(hops), _) => walked >= hops,
                (None, TrustProxy::Networks(networks)) => {
                    !networks.iter().any(|net| net.contains(&ip))
                }
                (None, _) => true,
            };
            if done {
                break;
            }
        }
        client
    }
}

/// The entries of every `X-Forwarded-For` value, left to right.
fn entries<'a>(values: &'a [&'a str]) -> impl DoubleEndedIterator<Item = &'a str> + 'a {
    values
        .iter()
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
}

/// An IPv4 address written as IPv6 (`::ffff:192.0.2.1`) is the IPv4 address.
fn unmap(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The key a client is counted under: its IPv4 address, or its IPv6 /64.
pub fn limit_key(ip: IpAddr) -> String {
    match unmap(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn without_a_trusted_proxy_the_header_is_ignored() {
        let peer = Some(ip("203.0.113.5"));
        assert_eq!(
            TrustProxy::Nobody.client(peer, &["198.51.100.1"]),
            peer,
            "anyone can write X-Forwarded-For"
        );
    }

    #[test]
    fn one_proxy_names_the_client_and_what_the_client_wrote_is_ignored() {
        let proxy = Some(ip("10.0.0.2"));
        let one = TrustProxy::Hops(1);
        assert_eq!(
            one.client(proxy, &["198.51.100.7"]),
            Some(ip("198.51.100.7"))
        );
        assert_eq!(
            one.client(proxy, &["1.2.3.4, 5.6.7.8", "198.51.100.7"]),
            Some(ip("198.51.100.7")),
            "entries left of the proxy's are the client's own"
        );
        assert_eq!(one.client(proxy, &[]), proxy, "no header: the peer");
        assert_eq!(
            one.client(proxy, &["not-an-ip"]),
            proxy,
            "garbage is ignored"
        );
    }

    #[test]
    fn two_hops_take_the_second_entry_from_the_right() {
        let two = TrustProxy::Hops(2);
        assert_eq!(
            two.client(Some(ip("10.0.0.3")), &["6.6.6.6, 198.51.100.7, 10.0.0.2"]),
            Some(ip("198.51.100.7"))
        );
    }

    #[test]
    fn trusted_networks_are_skipped_from_the_right() {
        let trust: TrustProxy = "10.0.0.0/8, 192.0.2.7".parse().unwrap();
        assert_eq!(
            trust.client(
                Some(ip("10.1.1.1")),
                &["6.6.6.6, 198.51.100.7, 192.0.2.7, 10.0.0.9"]
            ),
            Some(ip("198.51.100.7"))
        );
        assert_eq!(
            trust.client(Some(ip("203.0.113.9")), &["198.51.100.7"]),
            Some(ip("203.0.113.9")),
            "a peer outside the trusted networks is the client"
        );
    }

    #[test]
    fn settings_read_as_people_write_them() {
        assert_eq!("false".parse::<TrustProxy>(), Ok(TrustProxy::Nobody));
        assert_eq!("true".parse::<TrustProxy>(), Ok(TrustProxy::Hops(1)));
        assert_eq!("2".parse::<TrustProxy>(), Ok(TrustProxy::Hops(2)));
        assert!("proxy.internal".parse::<TrustProxy>().is_err());
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        assert_eq!(
            limit_key(ip("2001:db8:1:2:aaaa::1")),
            limit_key(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            limit_key(ip("2001:db8:1:2::1")),
            limit_key(ip("2001:db8:1:3::1"))
        );
        assert_eq!(limit_key(ip("::ffff:192.0.2.1")), "192.0.2.1");
    }
}
