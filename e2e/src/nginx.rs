//! nginx (Debian's `nginx-light`) run for a test or the bench: in front of replicas with the
//! deploy guide's configuration (`deploy/nginx.conf`), or serving a file as the bench's
//! reference.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running nginx; stopped (SIGTERM, workers included) when dropped.
pub struct Nginx {
    pub port: u16,
    child: Child,
    dir: tempfile::TempDir,
}

impl Nginx {
    /// Starts nginx listening where `http` (the inside of its `http` block: `server`s,
    /// `upstream`s, `map`s) says, on `port`, with its files in `dir` (which it keeps), 2
    /// workers and no access log; waits until it accepts connections on `port`.
    pub fn start(dir: tempfile::TempDir, port: u16, http: &str) -> Nginx {
        let temp = dir.path().join("temp");
        std::fs::create_dir_all(&temp).expect("nginx's temp folder");
        open_to_workers(dir.path());
        open_to_workers(&temp);
        let config = format!(
            "daemon off;
worker_processes 2;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {dir}/temp;
    proxy_temp_path {dir}/temp;
{http}
}}
",
            dir = dir.path().display(),
        );
        let config_path = dir.path().join("nginx.conf");
        std::fs::write(&config_path, config).expect("nginx's config");
        let child = Command::new(binary())
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(&config_path)
            .arg("-e")
            .arg(dir.path().join("error.log"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("nginx (Debian's nginx-light; `scripts/setup.sh test` installs it)");
        let mut nginx = Nginx { port, child, dir };
        nginx.wait_ready();
        nginx
    }

    /// The folder nginx keeps its files in.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The absolute URL of a path through nginx.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// What nginx wrote to its error log.
    pub fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }

    fn wait_ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("nginx's process") {
                panic!("nginx exited ({status}): {}", self.error_log());
            }
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "nginx did not listen within 10 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM: the master stops its workers (SIGKILL, Child::kill, would orphan them).
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// nginx's workers run as `nobody` when the master is root: they must read the files.
pub fn open_to_workers(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755));
}

fn binary() -> PathBuf {
    let debian = PathBuf::from("/usr/sbin/nginx");
    if debian.exists() {
        debian
    } else {
        PathBuf::from("nginx")
    }
}
