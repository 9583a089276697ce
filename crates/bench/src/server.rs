//! The `upstate` binary under measurement: started by the browser tests' harness
//! ([`upstate_e2e::Server`]), its memory read from `/proc`.

use std::path::PathBuf;
use upstate_e2e::Server;

/// The server's resident memory, in MiB.
pub fn rss_mib(server: &Server) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid()))
        .expect("the server's /proc status");
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("VmRSS in /proc status");
    kib / 1024.0
}

/// The release binary `just build` makes, unless told otherwise.
pub fn default_binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("release/upstate")
}
