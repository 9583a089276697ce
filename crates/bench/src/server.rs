//! The `upstate` binary under measurement: started on a free loopback port with its own data
//! directory and database, its memory read from `/proc`, stopped when dropped.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Upstate {
    pub port: u16,
    child: Child,
    _data_dir: tempfile::TempDir,
}

impl Upstate {
    /// Starts `binary serve` on `database_url`, or on a fresh SQLite file when `None`.
    pub fn start(binary: &Path, database_url: Option<&str>) -> Upstate {
        let data_dir = tempfile::tempdir().expect("a data directory");
        let port = upstate_e2e::free_port();
        let url = database_url.map(str::to_owned).unwrap_or_else(|| {
            format!("sqlite://{}", data_dir.path().join("upstate.db").display())
        });
        let child = Command::new(binary)
            .arg("serve")
            .env("UPSTATE_BIND", format!("127.0.0.1:{port}"))
            .env("UPSTATE_DATA_DIR", data_dir.path())
            .env("UPSTATE_DATABASE_URL", &url)
            // The default configuration is what is measured: info-level logs, text.
            .env("RUST_LOG", "info")
            .env("UPSTATE_LOG_FORMAT", "text")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|err| panic!("start {}: {err}", binary.display()));
        let mut server = Upstate {
            port,
            child,
            _data_dir: data_dir,
        };
        server.wait_ready();
        server
    }

    /// The SQLite database file of a server started without a database URL.
    pub fn sqlite_url(&self) -> String {
        format!(
            "sqlite://{}",
            self._data_dir.path().join("upstate.db").display()
        )
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn ws_url(&self, path: &str) -> String {
        format!("ws://127.0.0.1:{}{path}", self.port)
    }

    /// The server's resident memory, in MiB.
    pub fn rss_mib(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server's /proc status");
        let kib: f64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .expect("VmRSS in /proc status");
        kib / 1024.0
    }

    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("the server process") {
                panic!("upstate exited before it was ready: {status}");
            }
            if http_ok(self.port, "/readyz") {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "upstate was not ready within 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Upstate {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether `GET path` answers 200 (a plain HTTP/1.0 exchange; no client needed at start-up).
fn http_ok(port: u16, path: &str) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream
        .write_all(format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
        .is_err()
    {
        return false;
    }
    let mut answer = [0u8; 12];
    stream.read_exact(&mut answer).is_ok() && answer.ends_with(b"200")
}

/// The release binary `just build` makes, unless told otherwise.
pub fn default_binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("release/upstate")
}
