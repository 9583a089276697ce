//! What the deploy guide (docs/deploy.md) promises an operator: the static binary serves from a
//! root that holds nothing else (no libc, no /etc, no /dev); nginx with `deploy/nginx.conf`
//! passes pages, sign-ins and live updates to two replicas on PostgreSQL and keeps answering
//! when one stops; the systemd unit is valid and sandboxed.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

use futures::StreamExt;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use upstate_e2e::nginx::Nginx;
use upstate_e2e::{Api, Server, free_port};
use upstate_store::Engine;
use upstate_store::testing::TestDb;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The static binary `scripts/dist.sh dev` builds (`just test` does, before the tests).
fn static_binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"));
    let path = target.join("x86_64-unknown-linux-musl/debug/upstate");
    assert!(
        path.exists(),
        "the static binary is not at {}: run `scripts/dist.sh dev` (`just test` does)",
        path.display()
    );
    path
}

/// Whether the ELF file at `path` names a program interpreter (the dynamic loader, and with it a
/// libc): a static binary has no `PT_INTERP` program header.
fn names_an_interpreter(path: &Path) -> bool {
    let elf = std::fs::read(path).unwrap();
    assert_eq!(&elf[..4], b"\x7fELF", "not an ELF file");
    assert_eq!(elf[4], 2, "not a 64-bit ELF file");
    let u16_at = |at: usize| usize::from(u16::from_le_bytes([elf[at], elf[at + 1]]));
    let offset = u64::from_le_bytes(elf[0x20..0x28].try_into().unwrap());
    let offset = usize::try_from(offset).unwrap();
    let (size, count) = (u16_at(0x36), u16_at(0x38));
    (0..count).any(|n| {
        let at = offset + n * size;
        u32::from_le_bytes(elf[at..at + 4].try_into().unwrap()) == 3 // PT_INTERP
    })
}

fn is_root() -> bool {
    let uid = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&uid.stdout).trim() == "0"
}

/// `args` of the binary at `/upstate` run with `root` as the whole file system, as the image's
/// user (65532, no home and no writable temporary directory) when this test may choose.
fn in_root(root: &Path, args: &[&str]) -> Command {
    let mut command = if is_root() {
        let mut chroot = Command::new("chroot");
        chroot.arg("--userspec=65532:65532");
        chroot
    } else {
        let mut unshare = Command::new("unshare");
        unshare.args(["--user", "--map-root-user", "--root"]);
        unshare
    };
    command
        .arg(root)
        .arg("/upstate")
        .args(args)
        // Nothing of this machine's environment: only where `chroot` itself is found.
        .env_clear()
        .env("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
        .stdin(Stdio::null());
    command
}

#[tokio::test]
async fn the_static_binary_serves_from_a_root_that_holds_nothing_else() {
    let binary = static_binary();
    assert!(
        !names_an_interpreter(&binary),
        "{} is dynamically linked",
        binary.display()
    );
    let root = tempfile::tempdir().unwrap();
    std::fs::copy(&binary, root.path().join("upstate")).unwrap();
    let data = root.path().join("data");
    std::fs::create_dir(&data).unwrap();
    if is_root() {
        // As the image has it: the root readable by all, the data directory the user's alone.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(root.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::os::unix::fs::chown(&data, Some(65532), Some(65532)).unwrap();
    }
    let port = free_port();
    let bind = format!("127.0.0.1:{port}");
    let mut serve = in_root(root.path(), &["serve"])
        .env("UPSTATE_BIND", &bind)
        .env("UPSTATE_DATA_DIR", "/data")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://{bind}");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = serve.try_wait().unwrap() {
            let mut log = String::new();
            std::io::Read::read_to_string(&mut serve.stderr.take().unwrap(), &mut log).unwrap();
            panic!("the static binary exited ({status}) in an empty root:\n{log}");
        }
        if let Ok(ready) = client.get(format!("{base}/readyz")).send().await
            && ready.status() == 200
        {
            break;
        }
        assert!(Instant::now() < deadline, "not ready within 30 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The web app is inside: the start page and the files it loads.
    let page = client.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    let script = page
        .split('"')
        .find(|part| part.starts_with("/assets/") && part.ends_with(".js"))
        .unwrap_or_else(|| panic!("no script in the start page: {page}"))
        .to_owned();
    let script = client.get(format!("{base}{script}")).send().await.unwrap();
    assert_eq!(script.status(), 200, "{}", script.url());

    // An account, an org and its page: SQLite, Argon2 and the token key in the empty root.
    let owner = Api::register_at(&base, "owner@acme.test").await;
    owner
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;
    owner
        .post("/api/v1/orgs/acme/services", json!({"name": "Checkout"}))
        .await;
    let summary: serde_json::Value = client
        .get(format!("{base}/api/v1/public/acme/summary"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(summary.to_string().contains("Checkout"), "{summary}");
    let mut kept: Vec<String> = std::fs::read_dir(root.path().join("data"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    kept.sort();
    assert!(
        kept.contains(&"upstate.db".to_owned()) && kept.contains(&"jwt_secret".to_owned()),
        "{kept:?}"
    );

    // The image's health check, from inside the same root.
    let healthy = in_root(root.path(), &["healthcheck"])
        .env("UPSTATE_BIND", format!("0.0.0.0:{port}"))
        .output()
        .unwrap();
    assert!(healthy.status.success(), "{healthy:?}");

    // SIGTERM stops it cleanly; the health check then says so.
    let stopped = Command::new("kill")
        .args(["-TERM", &serve.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = serve.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "still running 15 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
    let unhealthy = in_root(root.path(), &["healthcheck"])
        .env("UPSTATE_BIND", &bind)
        .output()
        .unwrap();
    assert!(!unhealthy.status.success());
    let said = String::from_utf8_lossy(&unhealthy.stderr);
    assert!(said.contains("no server answers at"), "{said}");
}

/// `deploy/nginx.conf` with its replicas and its port replaced by the test's.
fn proxy_to(replicas: [&Server; 2]) -> Nginx {
    let shipped = std::fs::read_to_string(workspace().join("deploy/nginx.conf")).unwrap();
    let port = free_port();
    let mut config = shipped.clone();
    for (name, replica) in ["upstate-1:8080", "upstate-2:8080"].iter().zip(replicas) {
        config = config.replace(name, &format!("127.0.0.1:{}", replica.port));
    }
    config = config.replace("listen 8080;", &format!("listen 127.0.0.1:{port};"));
    assert_eq!(
        config.matches("127.0.0.1:").count(),
        3,
        "deploy/nginx.conf changed shape: two replicas and one listen expected"
    );
    Nginx::start(tempfile::tempdir().unwrap(), port, &config)
}

#[tokio::test]
async fn nginx_as_shipped_passes_pages_sign_ins_and_live_updates_to_two_replicas() {
    let test = TestDb::new(Engine::Postgres);
    let settings = [
        (
            "UPSTATE_JWT_SECRET",
            "a shared secret of the two replicas, 32+",
        ),
        (
            "UPSTATE_SECRETS_KEY",
            "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
        ),
        ("UPSTATE_TRUST_PROXY", "1"),
    ];
    let first = Server::start_on(&test.url, &settings).await;
    let mut second = Server::start_on(&test.url, &settings).await;
    let proxy = proxy_to([&first, &second]);
    let base = proxy.url("");

    // Sign-in and writes through the proxy, whichever replica answers each.
    let owner = Api::register_at(&base, "owner@acme.test").await;
    owner
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;
    let service = owner
        .post("/api/v1/orgs/acme/services", json!({"name": "Checkout"}))
        .await;
    let id = service["id"].as_str().unwrap();
    let client = reqwest::Client::new();
    let page = client.get(proxy.url("/status/acme")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Checkout"));

    // Two visitors' live updates through the proxy (a connection each: the replicas take
    // turns), and a change heard by both; once each replica has heard of the new page
    // (within moments: README, "Custom domains").
    for replica in [&first, &second] {
        let deadline = Instant::now() + Duration::from_secs(5);
        while client
            .get(replica.url("/api/v1/public/acme/summary"))
            .send()
            .await
            .unwrap()
            .status()
            != 200
        {
            assert!(
                Instant::now() < deadline,
                "a replica never heard of the page"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    let ws = proxy
        .url("/api/v1/public/acme/ws")
        .replacen("http://", "ws://", 1);
    let mut visitors = Vec::new();
    for _ in 0..2 {
        let (socket, answer) = tokio_tungstenite::connect_async(&ws).await.unwrap();
        assert_eq!(answer.status(), 101);
        visitors.push(socket);
    }
    for socket in &mut visitors {
        assert!(hears(socket, "hello").await, "no hello through the proxy");
    }
    owner
        .patch(
            &format!("/api/v1/orgs/acme/services/{id}"),
            json!({"status": "major_outage"}),
        )
        .await;
    for socket in &mut visitors {
        assert!(
            hears(socket, "major_outage").await,
            "a visitor did not hear the change through the proxy"
        );
    }

    // One replica stops (an upgrade, a crash): every request still gets its answer.
    second.kill();
    for _ in 0..10 {
        let summary = client
            .get(proxy.url("/api/v1/public/acme/summary"))
            .send()
            .await
            .unwrap();
        assert_eq!(summary.status(), 200, "{}", proxy.error_log());
        assert!(summary.text().await.unwrap().contains("major_outage"));
    }
    drop(first);
}

/// Whether `socket` gets a message containing `text` within 10 s.
async fn hears<S>(socket: &mut tokio_tungstenite::WebSocketStream<S>, text: &str) -> bool
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(message) = socket.next().await {
            if let Ok(tokio_tungstenite::tungstenite::Message::Text(message)) = message
                && message.contains(text)
            {
                return true;
            }
        }
        false
    })
    .await
    .unwrap_or(false)
}

#[test]
fn the_systemd_unit_is_valid_and_sandboxed() {
    // `verify` checks that the command exists: the unit's path with a binary that does.
    let unit = std::fs::read_to_string(workspace().join("deploy/upstate.service")).unwrap();
    assert!(unit.contains("ExecStart=/usr/local/bin/upstate serve"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("upstate.service");
    std::fs::write(
        &path,
        unit.replace(
            "/usr/local/bin/upstate",
            &static_binary().display().to_string(),
        ),
    )
    .unwrap();
    let verified = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .expect("systemd-analyze (Debian's systemd)");
    assert!(verified.status.success(), "{verified:?}");
    assert!(verified.stderr.is_empty(), "{verified:?}");
    // Exposure on systemd's scale of 0 (locked down) to 10 (none of it): at most 2.
    let rated = Command::new("systemd-analyze")
        .args(["security", "--offline=true", "--threshold=20", "--no-pager"])
        .arg(&path)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&rated.stdout);
    assert!(rated.status.success(), "{report}");
    assert!(report.contains("Overall exposure level"), "{report}");
}

/// The PostgreSQL restore drill of docs/operations.md: `pg_dump -Fc` while a server runs,
/// `pg_restore` into an empty database, and a server started on it shows the same page, the
/// same incident history, and signs the same people in.
#[tokio::test]
async fn the_postgres_restore_drill_brings_the_page_back_as_it_was() {
    let live = TestDb::new(Engine::Postgres);
    let server = Server::start_on(&live.url, &[]).await;
    let owner = Api::register(&server, "owner@acme.test").await;
    owner
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;
    let service = owner
        .post("/api/v1/orgs/acme/services", json!({"name": "Checkout"}))
        .await;
    let incident = owner
        .post(
            "/api/v1/orgs/acme/incidents",
            json!({"title": "Checkout is slow", "status": "investigating", "impact": "minor",
                   "message": "Looking into it.", "affected": [
                       {"service_id": service["id"], "status": "degraded_performance"}]}),
        )
        .await;
    owner
        .post(
            &format!(
                "/api/v1/orgs/acme/incidents/{}/updates",
                incident["id"].as_str().unwrap()
            ),
            json!({"status": "identified", "message": "A slow query."}),
        )
        .await;

    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("upstate.dump");
    let dumped = Command::new("pg_dump")
        .args(["-Fc", "--no-owner", "-d", &live.url, "-f"])
        .arg(&dump)
        .output()
        .expect("pg_dump (Debian's postgresql-client)");
    assert!(dumped.status.success(), "{dumped:?}");
    let restored = TestDb::postgres_empty();
    let put_back = Command::new("pg_restore")
        .args(["--no-owner", "--exit-on-error", "-d", &restored.url])
        .arg(&dump)
        .output()
        .unwrap();
    assert!(put_back.status.success(), "{put_back:?}");
    let again = Server::start_on(&restored.url, &[]).await;

    let client = reqwest::Client::new();
    for path in [
        "/api/v1/public/acme/summary",
        "/api/v1/public/acme/incidents",
    ] {
        let before: serde_json::Value = client
            .get(server.url(path))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let after: serde_json::Value = client
            .get(again.url(path))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(before, after, "{path} differs after the restore");
    }
    let signed_in = client
        .post(again.url("/api/v1/auth/login"))
        .json(&json!({"email": "owner@acme.test", "password": upstate_e2e::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200);
}
