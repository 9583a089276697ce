//! Which addresses Upstate may reach: the operator's [`Policy`] and the classes of addresses that
//! are not on the public internet ([`ForbiddenKind`]).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{Ipv4Net, Ipv6Net};

/// The operator's rule for outbound requests.
///
/// By default only public addresses are reached. A self-hoster who monitors their own network
/// (or a test that runs a receiver on loopback) sets `allow_private`; cloud metadata endpoints
/// stay refused even then.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// Reach loopback, private, link-local and other non-public addresses too.
    pub allow_private: bool,
}

impl Policy {
    /// Only public addresses: the default.
    pub const PUBLIC_ONLY: Policy = Policy {
        allow_private: false,
    };

    /// Every address except cloud metadata endpoints.
    pub const ALLOW_PRIVATE: Policy = Policy {
        allow_private: true,
    };

    /// Whether this policy lets Upstate connect to `ip`; the error says what kind of address
    /// was refused.
    pub fn check(&self, ip: IpAddr) -> Result<(), ForbiddenKind> {
        match forbidden_kind(ip) {
            None => Ok(()),
            Some(kind) if self.allow_private && kind.operator_may_allow() => Ok(()),
            Some(kind) => Err(kind),
        }
    }
}

/// Why an address is not on the public internet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ForbiddenKind {
    /// 0.0.0.0 or `::`: on Linux, connecting there reaches the machine itself.
    Unspecified,
    /// 0.0.0.0/8, "this network".
    ThisNetwork,
    /// 127.0.0.0/8 or `::1`: the machine itself.
    Loopback,
    /// RFC 1918: 10/8, 172.16/12, 192.168/16.
    Private,
    /// Carrier-grade NAT, 100.64.0.0/10 (RFC 6598).
    SharedCgnat,
    /// 169.254.0.0/16 or fe80::/10.
    LinkLocal,
    /// The instance metadata service of cloud providers (169.254.169.254, fd00:ec2::254), which
    /// hands out credentials. Refused even when private addresses are allowed.
    CloudMetadata,
    /// IPv6 unique-local addresses, fc00::/7 (the IPv6 counterpart of RFC 1918).
    UniqueLocal,
    /// Multicast, 224.0.0.0/4 or ff00::/8.
    Multicast,
    /// 255.255.255.255.
    Broadcast,
    /// Ranges kept for examples in documentation (192.0.2/24, 198.51.100/24, 203.0.113/24,
    /// 2001:db8::/32, 3fff::/20).
    Documentation,
    /// Ranges kept for network benchmarks (198.18/15, 2001:2::/48).
    Benchmarking,
    /// Teredo tunnels, 2001::/32: the IPv4 address behind one cannot be checked.
    Teredo,
    /// Any other reserved or special-purpose range (240/4, 192.0.0/24, IPv6 outside the global
    /// unicast 2000::/3, site-local, discard-only, ...).
    Reserved,
}

impl ForbiddenKind {
    /// Whether `allow_private` lifts the refusal.
    fn operator_may_allow(self) -> bool {
        self != ForbiddenKind::CloudMetadata
    }
}

impl fmt::Display for ForbiddenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ForbiddenKind::Unspecified => "unspecified address",
            ForbiddenKind::ThisNetwork => "\"this network\" address (0.0.0.0/8)",
            ForbiddenKind::Loopback => "loopback address (this machine)",
            ForbiddenKind::Private => "private network address (RFC 1918)",
            ForbiddenKind::SharedCgnat => "carrier-grade NAT address (100.64.0.0/10)",
            ForbiddenKind::LinkLocal => "link-local address",
            ForbiddenKind::CloudMetadata => "cloud metadata address",
            ForbiddenKind::UniqueLocal => "private IPv6 address (unique-local, fc00::/7)",
            ForbiddenKind::Multicast => "multicast address",
            ForbiddenKind::Broadcast => "broadcast address",
            ForbiddenKind::Documentation => "documentation-only address",
            ForbiddenKind::Benchmarking => "benchmarking-only address",
            ForbiddenKind::Teredo => "Teredo tunnel address",
            ForbiddenKind::Reserved => "reserved address",
        })
    }
}

/// What kind of non-public address `ip` is, or `None` for a public address.
///
/// IPv6 addresses that carry an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible
/// `::a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`, 6to4 `2002:aabb:ccdd::`) are judged by the IPv4
/// address they lead to.
pub fn forbidden_kind(ip: IpAddr) -> Option<ForbiddenKind> {
    match ip {
        IpAddr::V4(ip) => v4_kind(ip),
        IpAddr::V6(ip) => v6_kind(ip),
    }
}

const fn v4(a: u8, b: u8, c: u8, d: u8, prefix: u8) -> Ipv4Net {
    Ipv4Net::new_assert(Ipv4Addr::new(a, b, c, d), prefix)
}

#[expect(
    clippy::too_many_arguments,
    reason = "the eight groups of an IPv6 address"
)]
const fn v6(a: u16, b: u16, c: u16, d: u16, e: u16, f: u16, g: u16, h: u16, prefix: u8) -> Ipv6Net {
    Ipv6Net::new_assert(Ipv6Addr::new(a, b, c, d, e, f, g, h), prefix)
}

/// IPv4's special-purpose ranges (IANA's registry), the narrower first.
const V4_RANGES: &[(Ipv4Net, ForbiddenKind)] = &[
    (v4(0, 0, 0, 0, 32), ForbiddenKind::Unspecified),
    (v4(0, 0, 0, 0, 8), ForbiddenKind::ThisNetwork),
    (v4(10, 0, 0, 0, 8), ForbiddenKind::Private),
    (v4(100, 64, 0, 0, 10), ForbiddenKind::SharedCgnat),
    (v4(127, 0, 0, 0, 8), ForbiddenKind::Loopback),
    (v4(169, 254, 169, 254, 32), ForbiddenKind::CloudMetadata),
    (v4(169, 254, 0, 0, 16), ForbiddenKind::LinkLocal),
    (v4(172, 16, 0, 0, 12), ForbiddenKind::Private),
    (v4(192, 0, 0, 0, 24), ForbiddenKind::Reserved),
    (v4(192, 0, 2, 0, 24), ForbiddenKind::Documentation),
    // The 6to4 relay anycast range, deprecated (RFC 7526).
    (v4(192, 88, 99, 0, 24), ForbiddenKind::Reserved),
    (v4(192, 168, 0, 0, 16), ForbiddenKind::Private),
    (v4(198, 18, 0, 0, 15), ForbiddenKind::Benchmarking),
    (v4(198, 51, 100, 0, 24), ForbiddenKind::Documentation),
    (v4(203, 0, 113, 0, 24), ForbiddenKind::Documentation),
    (v4(224, 0, 0, 0, 4), ForbiddenKind::Multicast),
    (v4(255, 255, 255, 255, 32), ForbiddenKind::Broadcast),
    (v4(240, 0, 0, 0, 4), ForbiddenKind::Reserved),
];

/// IPv6's special-purpose ranges, the narrower first. Whatever lies outside [`GLOBAL_UNICAST`]
/// and is not listed here is [`ForbiddenKind::Reserved`].
const V6_RANGES: &[(Ipv6Net, ForbiddenKind)] = &[
    (v6(0, 0, 0, 0, 0, 0, 0, 0, 128), ForbiddenKind::Unspecified),
    (v6(0, 0, 0, 0, 0, 0, 0, 1, 128), ForbiddenKind::Loopback),
    (v6(0x2001, 0, 0, 0, 0, 0, 0, 0, 32), ForbiddenKind::Teredo),
    (
        v6(0x2001, 2, 0, 0, 0, 0, 0, 0, 48),
        ForbiddenKind::Benchmarking,
    ),
    // IETF protocol assignments (ORCHID, AS112, ...): nothing a webhook lives on.
    (v6(0x2001, 0, 0, 0, 0, 0, 0, 0, 23), ForbiddenKind::Reserved),
    (
        v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0, 32),
        ForbiddenKind::Documentation,
    ),
    (
        v6(0x3fff, 0, 0, 0, 0, 0, 0, 0, 20),
        ForbiddenKind::Documentation,
    ),
    (
        v6(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254, 128),
        ForbiddenKind::CloudMetadata,
    ),
    (
        v6(0xfc00, 0, 0, 0, 0, 0, 0, 0, 7),
        ForbiddenKind::UniqueLocal,
    ),
    (
        v6(0xfe80, 0, 0, 0, 0, 0, 0, 0, 10),
        ForbiddenKind::LinkLocal,
    ),
    (v6(0xff00, 0, 0, 0, 0, 0, 0, 0, 8), ForbiddenKind::Multicast),
];

/// The only IPv6 range handed out for public unicast.
const GLOBAL_UNICAST: Ipv6Net = v6(0x2000, 0, 0, 0, 0, 0, 0, 0, 3);
/// NAT64's well-known prefix: the last 32 bits are the IPv4 address reached.
const NAT64: Ipv6Net = v6(0x64, 0xff9b, 0, 0, 0, 0, 0, 0, 96);
/// 6to4: bits 16 to 48 are the IPv4 address of the tunnel's end.
const SIX_TO_FOUR: Ipv6Net = v6(0x2002, 0, 0, 0, 0, 0, 0, 0, 16);
/// Deprecated IPv4-compatible addresses, `::a.b.c.d`.
const IPV4_COMPATIBLE: Ipv6Net = v6(0, 0, 0, 0, 0, 0, 0, 0, 96);

fn v4_kind(ip: Ipv4Addr) -> Option<ForbiddenKind> {
    V4_RANGES
        .iter()
        .find(|(net, _)| net.contains(&ip))
        .map(|&(_, kind)| kind)
}

fn v6_kind(ip: Ipv6Addr) -> Option<ForbiddenKind> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return v4_kind(v4);
    }
    let bits = ip.to_bits();
    if NAT64.contains(&ip) {
        return v4_kind(Ipv4Addr::from_bits(bits as u32));
    }
    if SIX_TO_FOUR.contains(&ip) {
        return v4_kind(Ipv4Addr::from_bits((bits >> 80) as u32));
    }
    if let Some(&(_, kind)) = V6_RANGES.iter().find(|(net, _)| net.contains(&ip)) {
        return Some(kind);
    }
    if IPV4_COMPATIBLE.contains(&ip) {
        return Some(v4_kind(Ipv4Addr::from_bits(bits as u32)).unwrap_or(ForbiddenKind::Reserved));
    }
    if !GLOBAL_UNICAST.contains(&ip) {
        return Some(ForbiddenKind::Reserved);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(ip: &str) -> Option<ForbiddenKind> {
        forbidden_kind(ip.parse().unwrap())
    }

    fn all_are(kind_expected: ForbiddenKind, ips: &[&str]) {
        for ip in ips {
            assert_eq!(kind(ip), Some(kind_expected), "{ip}");
        }
    }

    #[test]
    fn public_addresses_are_reachable() {
        for ip in [
            "8.8.8.8",
            "1.1.1.1",
            "93.184.215.14",
            "172.15.255.255",
            "172.32.0.0",
            "100.63.255.255",
            "100.128.0.0",
            "169.253.255.255",
            "223.255.255.255",
            "2606:4700:4700::1111",
            "2a00:1450:4001:80b::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            assert_eq!(kind(ip), None, "{ip}");
            assert_eq!(Policy::PUBLIC_ONLY.check(ip.parse().unwrap()), Ok(()));
        }
    }

    #[test]
    fn loopback_is_forbidden() {
        all_are(
            ForbiddenKind::Loopback,
            &["127.0.0.1", "127.255.255.254", "::1"],
        );
    }

    #[test]
    fn rfc1918_private_ranges_are_forbidden() {
        all_are(
            ForbiddenKind::Private,
            &[
                "10.0.0.1",
                "10.255.255.255",
                "172.16.0.1",
                "172.31.255.255",
                "192.168.1.1",
            ],
        );
    }

    #[test]
    fn unique_local_ipv6_is_forbidden() {
        all_are(
            ForbiddenKind::UniqueLocal,
            &["fc00::1", "fd12:3456:789a::1", "fdff:ffff::1"],
        );
    }

    #[test]
    fn link_local_is_forbidden() {
        all_are(
            ForbiddenKind::LinkLocal,
            &["169.254.0.1", "169.254.255.255", "fe80::1", "febf::1"],
        );
    }

    #[test]
    fn cloud_metadata_is_forbidden_even_when_private_addresses_are_allowed() {
        all_are(
            ForbiddenKind::CloudMetadata,
            &["169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254"],
        );
        for ip in ["169.254.169.254", "fd00:ec2::254"] {
            assert_eq!(
                Policy::ALLOW_PRIVATE.check(ip.parse().unwrap()),
                Err(ForbiddenKind::CloudMetadata)
            );
        }
    }

    #[test]
    fn unspecified_and_this_network_are_forbidden() {
        all_are(ForbiddenKind::Unspecified, &["0.0.0.0", "::"]);
        all_are(ForbiddenKind::ThisNetwork, &["0.0.0.1", "0.255.255.255"]);
    }

    #[test]
    fn broadcast_and_multicast_are_forbidden() {
        all_are(ForbiddenKind::Broadcast, &["255.255.255.255"]);
        all_are(
            ForbiddenKind::Multicast,
            &["224.0.0.1", "239.255.255.250", "ff02::1", "ff0e::1"],
        );
    }

    #[test]
    fn carrier_grade_nat_is_forbidden() {
        all_are(
            ForbiddenKind::SharedCgnat,
            &["100.64.0.1", "100.100.100.200", "100.127.255.255"],
        );
    }

    #[test]
    fn documentation_and_benchmarking_ranges_are_forbidden() {
        all_are(
            ForbiddenKind::Documentation,
            &[
                "192.0.2.1",
                "198.51.100.7",
                "203.0.113.9",
                "2001:db8::1",
                "3fff::1",
            ],
        );
        all_are(
            ForbiddenKind::Benchmarking,
            &["198.18.0.1", "198.19.255.255", "2001:2::1"],
        );
    }

    #[test]
    fn reserved_ranges_are_forbidden() {
        all_are(
            ForbiddenKind::Reserved,
            &[
                "240.0.0.1",
                "255.255.255.254",
                "192.0.0.8",
                "192.88.99.1",
                "100::1",
                "2001:10::1",
                "fec0::1",
                "64:ff9b:1::1",
                "5f00::1",
                "4000::1",
                "::2.3.4.5",
            ],
        );
    }

    #[test]
    fn ipv4_mapped_and_compatible_forms_are_judged_by_their_ipv4_address() {
        all_are(
            ForbiddenKind::Loopback,
            &["::ffff:127.0.0.1", "::127.0.0.1"],
        );
        all_are(
            ForbiddenKind::Private,
            &["::ffff:10.0.0.1", "::ffff:192.168.0.1", "::10.1.2.3"],
        );
        all_are(ForbiddenKind::Unspecified, &["::ffff:0.0.0.0"]);
    }

    #[test]
    fn nat64_carrying_a_forbidden_ipv4_address_is_forbidden() {
        all_are(
            ForbiddenKind::Loopback,
            &["64:ff9b::7f00:1", "64:ff9b::127.0.0.1"],
        );
        all_are(ForbiddenKind::CloudMetadata, &["64:ff9b::169.254.169.254"]);
        all_are(ForbiddenKind::Private, &["64:ff9b::10.0.0.1"]);
    }

    #[test]
    fn six_to_four_carrying_a_forbidden_ipv4_address_is_forbidden() {
        all_are(
            ForbiddenKind::Loopback,
            &["2002:7f00:1::", "2002:7f00:1:1::1"],
        );
        all_are(ForbiddenKind::CloudMetadata, &["2002:a9fe:a9fe::1"]);
        all_are(ForbiddenKind::Private, &["2002:c0a8:101::1"]);
    }

    #[test]
    fn teredo_is_forbidden() {
        all_are(
            ForbiddenKind::Teredo,
            &["2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001::1"],
        );
    }

    #[test]
    fn allowing_private_addresses_lifts_every_refusal_but_metadata() {
        for ip in [
            "127.0.0.1",
            "::1",
            "10.0.0.1",
            "fd12::1",
            "169.254.1.1",
            "::ffff:127.0.0.1",
        ] {
            let ip = ip.parse().unwrap();
            assert!(Policy::PUBLIC_ONLY.check(ip).is_err(), "{ip}");
            assert_eq!(Policy::ALLOW_PRIVATE.check(ip), Ok(()), "{ip}");
        }
        assert_eq!(Policy::default(), Policy::PUBLIC_ONLY);
    }
}
