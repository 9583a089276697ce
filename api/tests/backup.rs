//! `upstate backup` and `upstate restore`, run as an operator runs them: the real binary
//! beside a real `upstate serve` on SQLite that keeps writing.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PASSWORD: &str = "correct horse battery";

fn upstate() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_upstate"));
    command
        .env_remove("UPSTATE_DATABASE_URL")
        .env_remove("UPSTATE_BIND")
        .env_remove("UPSTATE_DATA_DIR")
        .env_remove("UPSTATE_JWT_SECRET")
        .env_remove("UPSTATE_PUBLIC_URL")
        .env_remove("UPSTATE_SMTP_URL")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null());
    command
}

/// What a finished command did: exit success, standard output, the last line of standard error.
struct Ran {
    ok: bool,
    stdout: String,
    last_error: String,
}

fn run(command: &mut Command) -> Ran {
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    Ran {
        ok: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        last_error: stderr.trim_end().lines().last().unwrap_or("").to_owned(),
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running `upstate serve` with its files in a data directory; stopped by SIGTERM.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(data_dir: &Path) -> Server {
        let port = free_port();
        let child = upstate()
            .args([
                "serve",
                "--bind",
                &format!("127.0.0.1:{port}"),
                "--data-dir",
            ])
            .arg(data_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = reqwest::Client::new();
        loop {
            if let Ok(response) = client.get(format!("{}/readyz", server.base)).send().await
                && response.status() == 200
            {
                return server;
            }
            assert!(Instant::now() < deadline, "upstate serve did not get ready");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn stop(mut self) {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "upstate did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn sign_in(client: &reqwest::Client, base: &str, email: &str) -> String {
    let answer: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("sign-in failed: {answer}"))
        .to_owned()
}

/// The names of the services of `acme`, as the API lists them.
async fn service_names(client: &reqwest::Client, base: &str, token: &str) -> Vec<String> {
    let answer: Value = client
        .get(format!("{base}/api/v1/orgs/acme/services"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no services list: {answer}"))
        .iter()
        .map(|service| service["name"].as_str().unwrap().to_owned())
        .collect()
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

fn open(path: &Path) -> SqliteConnection {
    SqliteConnection::establish(path.to_str().unwrap()).unwrap()
}

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = diesel::sql_types::Text)]
    integrity_check: String,
}

fn integrity(path: &Path) -> Vec<String> {
    diesel::sql_query("PRAGMA integrity_check")
        .load::<Check>(&mut open(path))
        .unwrap()
        .into_iter()
        .map(|line| line.integrity_check)
        .collect()
}

/// A write the load made, and when the server acknowledged it.
struct Acked {
    name: String,
    at: Instant,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_write_load_holds_every_acknowledged_write_and_restores_elsewhere() {
    let here = tempfile::tempdir().unwrap();
    let live = here.path().join("live");
    let server = Server::start(&live).await;
    let client = reqwest::Client::new();
    let registered = client
        .post(format!("{}/api/v1/auth/register", server.base))
        .json(&json!({"email": "ada@example.com", "password": PASSWORD, "name": "Ada"}))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), 202);
    let token = sign_in(&client, &server.base, "ada@example.com").await;
    let org = client
        .post(format!("{}/api/v1/orgs", server.base))
        .bearer_auth(&token)
        .json(&json!({"name": "Acme", "slug": "acme"}))
        .send()
        .await
        .unwrap();
    assert_eq!(org.status(), 201);

    // The load: services created one after another, as fast as the server takes them, each
    // noted with the moment its 201 came back.
    let acked = Arc::new(Mutex::new(Vec::<Acked>::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writers: Vec<_> = (0..2)
        .map(|writer| {
            let (client, base, token) = (client.clone(), server.base.clone(), token.clone());
            let (acked, stop) = (acked.clone(), stop.clone());
            tokio::spawn(async move {
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    n += 1;
                    let name = format!("service {writer}-{n}");
                    let response = client
                        .post(format!("{base}/api/v1/orgs/acme/services"))
                        .bearer_auth(&token)
                        .json(&json!({ "name": name }))
                        .send()
                        .await
                        .unwrap();
                    if response.status().is_success() {
                        acked.lock().unwrap().push(Acked {
                            name,
                            at: Instant::now(),
                        });
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let backup = here.path().join("backups/upstate-backup.db");
    std::fs::create_dir_all(backup.parent().unwrap()).unwrap();
    let began = Instant::now();
    let ran = {
        let (live, backup) = (live.clone(), backup.clone());
        tokio::task::spawn_blocking(move || {
            run(upstate()
                .arg("backup")
                .arg(&backup)
                .arg("--data-dir")
                .arg(&live))
        })
        .await
        .unwrap()
    };
    let ended = Instant::now();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    assert!(ran.ok, "{}", ran.last_error);
    assert!(
        ran.stdout.starts_with("backed up ") && ran.stdout.contains("upstate-backup.db"),
        "{}",
        ran.stdout
    );

    let acked = std::mem::take(&mut *acked.lock().unwrap());
    let before: Vec<&Acked> = acked.iter().filter(|w| w.at < began).collect();
    let after = acked.iter().filter(|w| w.at > ended).count();
    assert!(before.len() >= 20, "the load wrote: {}", before.len());
    assert!(after > 0, "the server kept writing through the backup");
    // No temporary file is left beside the backup.
    let beside: Vec<_> = std::fs::read_dir(backup.parent().unwrap())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(beside, vec![std::ffi::OsString::from("upstate-backup.db")]);

    assert_eq!(integrity(&backup), vec!["ok".to_owned()]);
    let in_backup: Vec<String> = {
        use upstate_store::schema::services;
        services::table
            .select(services::name)
            .load(&mut open(&backup))
            .unwrap()
    };
    for write in &before {
        assert!(
            in_backup.contains(&write.name),
            "{} was acknowledged before the backup began but is not in it",
            write.name
        );
    }
    server.stop();

    // Restored into another data directory, a server there shows those writes.
    let elsewhere = here.path().join("elsewhere");
    let restored = run(upstate()
        .arg("restore")
        .arg(&backup)
        .arg("--data-dir")
        .arg(&elsewhere));
    assert!(restored.ok, "{}", restored.last_error);
    assert!(
        restored.stdout.starts_with("restored "),
        "{}",
        restored.stdout
    );
    let second = Server::start(&elsewhere).await;
    let token = sign_in(&client, &second.base, "ada@example.com").await;
    let listed = service_names(&client, &second.base, &token).await;
    for write in &before {
        assert!(listed.contains(&write.name), "{} is missing", write.name);
    }
    assert_eq!(listed.len(), in_backup.len());
    second.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_is_refused_while_a_server_uses_the_database_and_works_once_it_stops() {
    let here = tempfile::tempdir().unwrap();
    let data = here.path().join("data");
    let backup = here.path().join("backup.db");
    assert!(run(upstate().arg("migrate").arg("--data-dir").arg(&data)).ok);
    assert!(
        run(upstate()
            .arg("backup")
            .arg(&backup)
            .arg("--data-dir")
            .arg(&data))
        .ok
    );

    let server = Server::start(&data).await;
    let client = reqwest::Client::new();
    let registered = client
        .post(format!("{}/api/v1/auth/register", server.base))
        .json(&json!({"email": "ada@example.com", "password": PASSWORD, "name": "Ada"}))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), 202);
    // A server between requests holds no SQLite lock, yet the restore still sees it.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let refused = run(upstate()
        .arg("restore")
        .arg(&backup)
        .arg("--data-dir")
        .arg(&data));
    assert!(!refused.ok);
    assert_eq!(
        refused.last_error,
        format!(
            "upstate: the database {} is in use by a running upstate server or command; stop it, then restore",
            data.join("upstate.db").display()
        )
    );
    // Nothing changed under the server: the account made before is still there.
    assert!(
        !sign_in(&client, &server.base, "ada@example.com")
            .await
            .is_empty()
    );
    server.stop();

    let restored = run(upstate()
        .arg("restore")
        .arg(&backup)
        .arg("--data-dir")
        .arg(&data));
    assert!(restored.ok, "{}", restored.last_error);
    // The backup was taken before the account existed: the restored database has none.
    let server = Server::start(&data).await;
    let login = client
        .post(format!("{}/api/v1/auth/login", server.base))
        .json(&json!({"email": "ada@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 401);
    server.stop();
}

#[test]
fn restore_refuses_what_is_not_a_sound_upstate_backup_and_leaves_the_database_alone() {
    let here = tempfile::tempdir().unwrap();
    let data = here.path().join("data");
    assert!(run(upstate().arg("migrate").arg("--data-dir").arg(&data)).ok);
    let database = data.join("upstate.db");
    let original = std::fs::read(&database).unwrap();
    let restore = |file: &Path| {
        run(upstate()
            .arg("restore")
            .arg(file)
            .arg("--data-dir")
            .arg(&data))
    };

    let text = here.path().join("notes.txt");
    std::fs::write(&text, "not a database at all").unwrap();
    let refused = restore(&text);
    assert!(!refused.ok);
    assert_eq!(
        refused.last_error,
        format!("upstate: {} is not a SQLite database", text.display())
    );

    // A SQLite file whose index pages nothing points to any more.
    let damaged = here.path().join("damaged.db");
    open(&damaged)
        .batch_execute(
            "CREATE TABLE t (a TEXT);
             CREATE INDEX t_a ON t (a);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
             INSERT INTO t SELECT printf('row %d of a table', i) FROM n;
             PRAGMA writable_schema = ON;
             DELETE FROM sqlite_master WHERE name = 't_a';
             PRAGMA writable_schema = OFF;",
        )
        .unwrap();
    assert_ne!(integrity(&damaged), vec!["ok".to_owned()]);
    let refused = restore(&damaged);
    assert!(!refused.ok);
    assert!(
        refused.last_error.starts_with(&format!(
            "upstate: {} fails SQLite's integrity check (",
            damaged.display()
        )) && refused.last_error.ends_with("); it cannot be restored"),
        "{}",
        refused.last_error
    );

    // A sound SQLite database of something else.
    let other = here.path().join("other.db");
    open(&other)
        .batch_execute("CREATE TABLE t (a TEXT);")
        .unwrap();
    let refused = restore(&other);
    assert!(!refused.ok);
    assert_eq!(
        refused.last_error,
        format!(
            "upstate: {} is a SQLite database but not an Upstate one (it has no migrations table)",
            other.display()
        )
    );

    // A backup of a newer Upstate, with a migration this binary does not know.
    let newer = here.path().join("newer.db");
    assert!(
        run(upstate()
            .arg("backup")
            .arg(&newer)
            .arg("--data-dir")
            .arg(&data))
        .ok
    );
    open(&newer)
        .batch_execute(
            "INSERT INTO __diesel_schema_migrations (version) VALUES ('29991231000000');",
        )
        .unwrap();
    let refused = restore(&newer);
    assert!(!refused.ok);
    assert_eq!(
        refused.last_error,
        format!(
            "upstate: {} was made by a newer Upstate (migration 29991231000000 is unknown to this one); restore it with that version or a later one",
            newer.display()
        )
    );

    assert_eq!(std::fs::read(&database).unwrap(), original, "left alone");
    let leftovers: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn backup_refuses_an_existing_file_and_postgres() {
    let here = tempfile::tempdir().unwrap();
    let data = here.path().join("data");
    assert!(run(upstate().arg("migrate").arg("--data-dir").arg(&data)).ok);
    let target = here.path().join("keep.db");
    std::fs::write(&target, "precious").unwrap();
    let refused = run(upstate()
        .arg("backup")
        .arg(&target)
        .arg("--data-dir")
        .arg(&data));
    assert!(!refused.ok);
    assert_eq!(
        refused.last_error,
        format!(
            "upstate: {} already exists; give a new file name (a backup never overwrites a file)",
            target.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");

    let missing = run(upstate()
        .arg("backup")
        .arg(here.path().join("new.db"))
        .args([
            "--database-url",
            &sqlite_url(&here.path().join("nowhere.db")),
        ]));
    assert!(!missing.ok);
    assert_eq!(
        missing.last_error,
        format!(
            "upstate: there is no database at {}",
            here.path().join("nowhere.db").display()
        )
    );

    for command in ["backup", "restore"] {
        let refused = run(upstate().args([
            command,
            "x.db",
            "--database-url",
            "postgres://upstate@127.0.0.1:1/upstate",
        ]));
        assert!(!refused.ok);
        let tool = if command == "backup" {
            "pg_dump -Fc"
        } else {
            "pg_restore"
        };
        assert_eq!(
            refused.last_error,
            format!(
                "upstate: `upstate {command}` works on SQLite databases; on PostgreSQL use {tool} (see \"Backups and restore\" in the README)"
            )
        );
    }
}
