//! The database away for 30 s: a throwaway PostgreSQL cluster of the test's own (never the
//! machine's shared server), stopped with `pg_ctl` under a running server. Meanwhile `/readyz`
//! and API requests answer 503 with `Retry-After` and the error body within 2 s, the public
//! page keeps being served from memory, and open WebSockets stay open; within 5 s of the
//! database's return everything works again, with no restart, on this replica and on a second
//! one (whose sockets and cache hear of the first's writes through the listener again).

use futures::StreamExt;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};
use upstate_e2e::{Api, Server};
use upstate_store::testing::TestDb;

/// How long the database stays away: at least 30 s, and past a listener's attempt to connect
/// again 31.5 s after it lost the connection (when waits between attempts doubled up to
/// 30 s, its next one came 30 s later).
const OUTAGE: Duration = Duration::from_secs(33);

/// A PostgreSQL cluster in a temporary directory, on its own port, trusting local connections.
struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
}

impl Cluster {
    /// `initdb` and start a new cluster (as the `postgres` user when run as root, which
    /// PostgreSQL refuses to run as).
    fn start_new() -> Cluster {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .map(|version| version.path().join("bin"))
            .filter(|bin| bin.join("initdb").exists())
            .max()
            .expect(
                "the outage test needs PostgreSQL's server programs (Debian's postgresql, \
                 which `just test` installs when missing)",
            );
        let dir = tempfile::tempdir().unwrap();
        if is_root() {
            let chowned = Command::new("chown")
                .arg("postgres")
                .arg(dir.path())
                .status()
                .unwrap();
            assert!(
                chowned.success(),
                "chown the cluster's directory to postgres"
            );
        }
        let cluster = Cluster {
            bin,
            dir,
            port: upstate_e2e::free_port(),
        };
        cluster.run("initdb", &["-A", "trust", "-U", "postgres", "-D"], true);
        cluster.start();
        cluster
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    /// Runs one of the cluster's programs with `args` (the data directory last when `data`).
    fn run(&self, program: &str, args: &[&str], data: bool) {
        let path = self.bin.join(program);
        let mut command = if is_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(&path);
            command
        } else {
            Command::new(&path)
        };
        command.args(args);
        if data {
            command.arg(self.data());
        }
        let output = command.output().unwrap();
        assert!(
            output.status.success(),
            "{program} {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn start(&self) {
        let options = format!("-p {} -k {}", self.port, self.dir.path().display());
        let log = self.dir.path().join("log").display().to_string();
        self.run(
            "pg_ctl",
            &["-w", "-o", &options, "-l", &log, "start", "-D"],
            true,
        );
    }

    fn stop(&self) {
        self.run("pg_ctl", &["-w", "-m", "fast", "stop", "-D"], true);
    }

    fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join("pg_ctl"))
            .args(["-m", "immediate", "stop", "-D"])
            .arg(self.data())
            .output();
        let _ = Command::new(self.bin.join("pg_ctl"))
            .args(["-m", "immediate", "stop", "-D"])
            .arg(self.data())
            .output();
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A GET with an optional bearer token: status, headers, body, and how long it took.
async fn timed_get(
    client: &reqwest::Client,
    url: &str,
    bearer: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, String, Duration) {
    let started = Instant::now();
    let mut request = client.get(url);
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    let response = request
        .send()
        .await
        .expect("an answer, not a dropped connection");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.text().await.unwrap_or_default();
    (status, headers, body, started.elapsed())
}

#[tokio::test]
async fn with_the_database_away_answers_are_quick_and_honest_and_it_comes_back_alone() {
    let cluster = Cluster::start_new();
    let test = TestDb::postgres_at(&cluster.admin_url());
    let server = Server::start_on(&test.url, &[]).await;
    let owner = Api::register(&server, "owner@acme.test").await;
    owner
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;
    let service = owner
        .post("/api/v1/orgs/acme/services", json!({"name": "API"}))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let key = owner
        .post(
            "/api/v1/orgs/acme/api-keys",
            json!({"name": "ops", "role": "editor"}),
        )
        .await["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let summary_url = server.url("/api/v1/public/acme/summary");
    let (status, _, before, _) = timed_get(&client, &summary_url, None).await;
    assert_eq!(status, 200);
    let ws_url = server
        .url("/api/v1/public/acme/ws")
        .replacen("http://", "ws://", 1);
    let (mut socket, _) = tokio_tungstenite::connect_async(&ws_url).await.unwrap();
    // A second replica on the same database, with a visitor and a cached page of its own.
    let replica = Server::start_on(&test.url, &[]).await;
    let replica_summary_url = replica.url("/api/v1/public/acme/summary");
    let (status, _, replica_before, _) = timed_get(&client, &replica_summary_url, None).await;
    assert_eq!(status, 200);
    assert!(replica_before.contains("operational"), "{replica_before}");
    let (mut replica_socket, _) = tokio_tungstenite::connect_async(
        replica
            .url("/api/v1/public/acme/ws")
            .replacen("http://", "ws://", 1),
    )
    .await
    .unwrap();

    cluster.stop();
    let services_url = server.url("/api/v1/orgs/acme/services");
    let until = Instant::now() + OUTAGE;
    let mut rounds = 0;
    while Instant::now() < until {
        let (status, headers, body, took) = timed_get(&client, &server.url("/readyz"), None).await;
        assert_eq!(status, 503, "/readyz with the database away: {body}");
        assert!(took < Duration::from_secs(2), "/readyz took {took:?}");

        let (status, headers_api, body, took) = timed_get(&client, &services_url, Some(&key)).await;
        assert_eq!(status, 503, "an API read with the database away: {body}");
        assert!(took < Duration::from_secs(2), "the API read took {took:?}");
        assert!(headers_api.contains_key("retry-after"));
        let error: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(error["error"]["code"], "unavailable", "{body}");
        assert!(headers.contains_key("retry-after"));

        let (status, _, body, took) = timed_get(&client, &summary_url, None).await;
        assert_eq!(
            status, 200,
            "the public summary with the database away: {body}"
        );
        assert!(took < Duration::from_secs(2));
        assert_eq!(body, before, "the page as it was");
        rounds += 1;
    }
    assert!(rounds >= 5, "only {rounds} rounds in {OUTAGE:?}");

    // Back: within 5 s every request works again, with no restart.
    cluster.start();
    let back = Instant::now();
    loop {
        let (status, ..) = timed_get(&client, &services_url, Some(&key)).await;
        if status == 200 {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(5),
            "still {status} 5 s after the database came back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (status, ..) = timed_get(&client, &server.url("/readyz"), None).await;
    assert_eq!(status, 200);
    Api::at(&server.url(""), &key)
        .patch(
            &format!("/api/v1/orgs/acme/services/{service}"),
            json!({"status": "major_outage"}),
        )
        .await;
    // The sockets opened before the outage hear of the change, on both replicas, within 5 s
    // of the database's return.
    let within = |started: Instant| {
        Duration::from_secs(5)
            .checked_sub(started.elapsed())
            .unwrap_or_default()
    };
    assert_eq!(
        hears_outage(&mut socket, within(back)).await,
        Ok(true),
        "the open socket heard of the change"
    );
    assert_eq!(
        hears_outage(&mut replica_socket, within(back)).await,
        Ok(true),
        "the second replica's open socket heard of the change within 5 s of the database's return"
    );
    let (status, _, after, _) = timed_get(&client, &summary_url, None).await;
    assert_eq!(status, 200);
    assert!(after.contains("major_outage"), "{after}");
    let (status, _, replica_after, _) = timed_get(&client, &replica_summary_url, None).await;
    assert_eq!(status, 200);
    assert!(
        replica_after.contains("major_outage"),
        "the second replica's page, {:?} after the database's return: {replica_after}",
        back.elapsed()
    );
    drop(replica);
    drop(server);
    drop(test);
}

/// Whether `socket` gets an event with `major_outage` within `patience`.
async fn hears_outage<S>(
    socket: &mut tokio_tungstenite::WebSocketStream<S>,
    patience: Duration,
) -> Result<bool, tokio::time::error::Elapsed>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    tokio::time::timeout(patience, async {
        while let Some(message) = socket.next().await {
            if let Ok(tokio_tungstenite::tungstenite::Message::Text(text)) = message
                && text.contains("major_outage")
            {
                return true;
            }
        }
        false
    })
    .await
}
