//! `upstate healthcheck`: asks the server on this machine whether it is ready (`GET /readyz`), for
//! a container's health check, where there is no shell and no curl (the image is the binary
//! alone).

use crate::config::StartError;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

/// How long the whole check may take.
const TIMEOUT: Duration = Duration::from_secs(3);

/// Succeeds when the server listening on `bind` (the serve setting: `0.0.0.0:8080` is reached on
/// loopback) answers `/readyz` with 200, that is, when it and its database answer.
pub fn check(bind: &str) -> Result<(), StartError> {
    let address = reachable(bind)?;
    let mut stream = TcpStream::connect_timeout(&address, TIMEOUT)
        .map_err(|err| StartError(format!("no server answers at {address}: {err}")))?;
    let talk = |stream: &mut TcpStream| -> std::io::Result<String> {
        stream.set_read_timeout(Some(TIMEOUT))?;
        stream.set_write_timeout(Some(TIMEOUT))?;
        write!(
            stream,
            "GET /readyz HTTP/1.0\r\nHost: {address}\r\nUser-Agent: upstate-healthcheck\r\n\r\n"
        )?;
        let mut head = Vec::new();
        stream.take(512).read_to_end(&mut head)?;
        Ok(String::from_utf8_lossy(&head).into_owned())
    };
    let answer =
        talk(&mut stream).map_err(|err| StartError(format!("{address} did not answer: {err}")))?;
    let status = answer.lines().next().unwrap_or_default();
    if status.split_whitespace().nth(1) == Some("200") {
        Ok(())
    } else {
        Err(StartError(format!(
            "the server at {address} is not ready: `{status}`"
        )))
    }
}

/// The address to reach a server bound to `bind` from this machine.
fn reachable(bind: &str) -> Result<SocketAddr, StartError> {
    let mut address = bind
        .to_socket_addrs()
        .ok()
        .and_then(|mut all| all.next())
        .ok_or_else(|| StartError(format!("`{bind}` is not an address and port")))?;
    if address.ip().is_unspecified() {
        address.set_ip(match address.ip() {
            IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
        });
    }
    Ok(address)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_bound_to_every_address_is_reached_on_loopback() {
        assert_eq!(
            reachable("0.0.0.0:8080").unwrap(),
            "127.0.0.1:8080".parse().unwrap()
        );
        assert_eq!(
            reachable("[::]:9000").unwrap(),
            "[::1]:9000".parse().unwrap()
        );
        assert!(reachable("not an address").is_err());
    }
}
