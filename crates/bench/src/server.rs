//! The `upstate` binary under measurement: started by the browser tests' harness
//! ([`upstate_e2e::Server`]), its memory and CPU time read from `/proc`.

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

/// The CPU time the server has used so far (user and system, all its threads), in seconds.
pub fn cpu_secs(server: &Server) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", server.pid()))
        .expect("the server's /proc stat");
    // After the command name (in parentheses, which may hold spaces): fields 3 on; utime and
    // stime are fields 14 and 15, in clock ticks.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .expect("a command name in /proc stat")
        .1
        .split_whitespace()
        .collect();
    let ticks: u64 = fields[11..13]
        .iter()
        .map(|field| field.parse::<u64>().expect("utime and stime"))
        .sum();
    // SAFETY: sysconf only reads a configuration value.
    let per_sec = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    ticks as f64 / per_sec.max(1) as f64
}

/// The release binary `just build` makes, unless told otherwise.
pub fn default_binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("release/upstate")
}
