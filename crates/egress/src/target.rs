//! Checking a URL and the addresses behind its host, when a URL is saved and again when a
//! request is sent.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use url::{Host, Url};

use crate::address::Policy;
use crate::error::EgressError;

/// How long a name may take to resolve when a URL is checked.
const DNS_TIMEOUT: Duration = Duration::from_secs(5);

/// Ports of other protocols (mail, FTP, SSH, IRC, ...) that browsers refuse to send HTTP to
/// (the "bad ports" of the WHATWG Fetch standard), so a request cannot talk to them either.
const REFUSED_PORTS: &[u16] = &[
    0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101,
    102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427,
    465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990,
    993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667,
    6668, 6669, 6679, 6697, 10080,
];

/// Checks a URL before it is saved (a webhook, a monitor, an OpenID issuer): http or https, no
/// user name or password in it, a port that serves HTTP, and a host that is, or resolves only to,
/// addresses `policy` allows. A host with several addresses is refused if any one is refused.
///
/// Odd spellings of addresses (`http://2130706433/`, `http://0x7f.1/`) are read as browsers read
/// them, so they are checked as the address they are. The check is repeated when a request is
/// sent ([`Client`](crate::Client)), since a name can resolve differently later.
pub async fn check_url(url: &str, policy: &Policy) -> Result<Url, EgressError> {
    let url = parse_and_check_literal(url, policy)?;
    if let Some(Host::Domain(name)) = url.host() {
        let port = url.port_or_known_default().unwrap_or(0);
        resolve(name, port, policy).await?;
    }
    Ok(url)
}

/// The checks of [`check_url`] that need neither the operator's policy nor a lookup (http or
/// https, no credentials, a host, a port that serves HTTP), for a form that checks a URL as it
/// is typed; [`check_url`] still runs when it is saved.
pub fn check_url_form(url: &str) -> Result<Url, EgressError> {
    parse(url)
}

/// Resolves `host` and answers its addresses with `port`, refusing them all if any one is not
/// allowed by `policy`. The one name lookup of outbound connections (the HTTP client's resolver
/// calls it); a TCP probe connects to what it answers.
pub async fn resolve(
    host: &str,
    port: u16,
    policy: &Policy,
) -> Result<Vec<SocketAddr>, EgressError> {
    let dns_error = |reason: String| EgressError::Dns {
        host: host.to_owned(),
        reason,
    };
    let lookup = tokio::time::timeout(DNS_TIMEOUT, tokio::net::lookup_host((host, port)))
        .await
        .map_err(|_| dns_error(format!("no answer within {} s", DNS_TIMEOUT.as_secs())))?
        .map_err(|err| dns_error(err.to_string()))?;
    let addresses: Vec<SocketAddr> = lookup.collect();
    if addresses.is_empty() {
        return Err(dns_error("the name has no address".into()));
    }
    for address in &addresses {
        policy
            .check(address.ip())
            .map_err(|kind| EgressError::Forbidden {
                host: host.to_owned(),
                address: address.ip(),
                kind,
            })?;
    }
    Ok(addresses)
}

/// The checks that need no lookup: the URL parses, is http(s), carries no credentials, names a
/// host, and its port is not another protocol's; an address written as the host is allowed.
/// The HTTP client's resolver is never asked about such a host, so this is where it is checked.
pub(crate) fn parse_and_check_literal(url: &str, policy: &Policy) -> Result<Url, EgressError> {
    let url = parse(url)?;
    match url.host() {
        Some(Host::Ipv4(ip)) => check_literal(&url, IpAddr::V4(ip), policy)?,
        Some(Host::Ipv6(ip)) => check_literal(&url, IpAddr::V6(ip), policy)?,
        Some(Host::Domain(_)) => {}
        None => return Err(EgressError::BadUrl("the URL has no host".into())),
    }
    Ok(url)
}

fn parse(url: &str) -> Result<Url, EgressError> {
    let url = Url::parse(url.trim())
        .map_err(|err| EgressError::BadUrl(format!("{url:?} is not a URL ({err})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(EgressError::BadUrl(format!(
            "only http and https URLs are allowed, not {}:",
            url.scheme()
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(EgressError::BadUrl(
            "the URL carries a user name or password; send credentials in a header instead".into(),
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(EgressError::BadUrl("the URL has no host".into()));
    }
    let port = url.port_or_known_default().unwrap_or(0);
    if REFUSED_PORTS.contains(&port) {
        return Err(EgressError::BadUrl(format!(
            "port {port} belongs to another protocol (mail, SSH, ...) and is not allowed"
        )));
    }
    Ok(url)
}

fn check_literal(url: &Url, ip: IpAddr, policy: &Policy) -> Result<(), EgressError> {
    policy.check(ip).map_err(|kind| EgressError::Forbidden {
        host: url.host_str().unwrap_or_default().to_owned(),
        address: ip,
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::address::ForbiddenKind;

    async fn refused_as_bad_url(url: &str) -> String {
        match check_url(url, &Policy::ALLOW_PRIVATE).await {
            Err(EgressError::BadUrl(why)) => why,
            other => panic!("{url}: {other:?}"),
        }
    }

    async fn refused_kind(url: &str, policy: Policy) -> ForbiddenKind {
        match check_url(url, &policy).await {
            Err(EgressError::Forbidden { kind, .. }) => kind,
            other => panic!("{url}: {other:?}"),
        }
    }

    #[tokio::test]
    async fn only_http_and_https_are_allowed() {
        for url in [
            "ftp://example.com/",
            "file:///etc/passwd",
            "gopher://1.2.3.4/",
            "data:,x",
        ] {
            assert!(
                refused_as_bad_url(url)
                    .await
                    .contains("only http and https"),
                "{url}"
            );
        }
        assert!(
            refused_as_bad_url("not a url")
                .await
                .contains("is not a URL")
        );
    }

    #[tokio::test]
    async fn credentials_in_the_url_are_refused() {
        for url in [
            "http://user:secret@93.184.215.14/",
            "https://token@93.184.215.14/",
        ] {
            assert!(
                refused_as_bad_url(url)
                    .await
                    .contains("user name or password"),
                "{url}"
            );
        }
    }

    #[tokio::test]
    async fn ports_of_other_protocols_are_refused() {
        for url in [
            "http://93.184.215.14:25/",
            "https://93.184.215.14:22/",
            "http://1.1.1.1:0/",
        ] {
            assert!(
                refused_as_bad_url(url).await.contains("not allowed"),
                "{url}"
            );
        }
        for url in [
            "http://93.184.215.14:8080/",
            "https://93.184.215.14/",
            "http://1.1.1.1:3000/x",
        ] {
            assert!(check_url(url, &Policy::PUBLIC_ONLY).await.is_ok(), "{url}");
        }
    }

    #[tokio::test]
    async fn odd_spellings_of_loopback_are_read_as_loopback() {
        for url in [
            "http://2130706433/",
            "http://0x7f.1/",
            "http://0x7f000001/",
            "http://017700000001/",
            "http://0177.0.0.1/",
            "http://127.1/",
            "http://127.0.0.1./",
            "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:7f00:1]/",
            "http://[::127.0.0.1]/",
            "http://[64:ff9b::127.0.0.1]/",
        ] {
            assert_eq!(
                refused_kind(url, Policy::PUBLIC_ONLY).await,
                ForbiddenKind::Loopback,
                "{url}"
            );
            let allowed = check_url(url, &Policy::ALLOW_PRIVATE).await.unwrap();
            assert!(
                allowed
                    .host_str()
                    .is_some_and(|h| h.contains("127.0.0.1") || h.contains("7f00:1")),
                "{allowed}"
            );
        }
        let decimal = check_url("http://2130706433/", &Policy::ALLOW_PRIVATE)
            .await
            .unwrap();
        assert_eq!(decimal.host(), Some(Host::Ipv4([127, 0, 0, 1].into())));
    }

    #[tokio::test]
    async fn metadata_addresses_are_refused_even_when_private_ones_are_allowed() {
        for url in [
            "http://169.254.169.254/latest/meta-data/",
            "http://[fd00:ec2::254]/",
            "http://2852039166/",
        ] {
            assert_eq!(
                refused_kind(url, Policy::ALLOW_PRIVATE).await,
                ForbiddenKind::CloudMetadata,
                "{url}"
            );
        }
    }

    #[tokio::test]
    async fn a_name_resolving_to_loopback_is_refused() {
        let refused = check_url("http://localhost:8080/hook", &Policy::PUBLIC_ONLY).await;
        assert!(
            matches!(&refused, Err(EgressError::Forbidden { host, kind: ForbiddenKind::Loopback, .. }) if host == "localhost"),
            "{refused:?}"
        );
        assert!(
            check_url("http://localhost:8080/hook", &Policy::ALLOW_PRIVATE)
                .await
                .is_ok()
        );
    }

    #[tokio::test]
    async fn a_name_that_does_not_resolve_is_a_dns_failure() {
        let failed = check_url("https://no-such-host.invalid/", &Policy::PUBLIC_ONLY).await;
        assert!(matches!(failed, Err(EgressError::Dns { .. })), "{failed:?}");
    }
}
