//! The server's foundation: health, readiness, errors as JSON, the web app's files, and the
//! `upstate` binary's start-up and failures.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{MemoryAssets, spawn_app, spawn_app_with_assets};
use serde_json::Value;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use upstate_store::Engine;

on_both_engines!(
    health_and_readiness_answer_ok,
    meta_names_the_version_and_engine,
    robots_txt_is_a_robots_file_not_the_web_app,
    unknown_api_routes_are_json_404s,
);

async fn health_and_readiness_answer_ok(engine: Engine) {
    let app = spawn_app(engine).await;
    for path in ["/healthz", "/readyz"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], "ok");
    }
}

async fn meta_names_the_version_and_engine(engine: Engine) {
    let app = spawn_app(engine).await;
    let body: Value = app.get("/api/v1/meta").await.json().await.unwrap();
    assert_eq!(body["name"], "Upstate");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(body["database"], engine.as_str());
    // A fresh server invites its first person; once someone has an account, it does not.
    assert_eq!(body["first_run"], true);
    app.register("ada@example.com").await;
    let body: Value = app.get("/api/v1/meta").await.json().await.unwrap();
    assert_eq!(body["first_run"], false);
}

async fn robots_txt_is_a_robots_file_not_the_web_app(engine: Engine) {
    let app = spawn_app(engine).await;
    let response = app.get("/robots.txt").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain"),
        "{:?}",
        response.headers()
    );
    let text = response.text().await.unwrap();
    assert!(text.starts_with("User-agent: *\n"), "{text}");
    assert!(text.contains("Allow: /status/\n"), "{text}");
    assert!(text.contains("Disallow: /api/\n"), "{text}");
    assert!(!text.contains("<html"), "{text}");
}

async fn unknown_api_routes_are_json_404s(engine: Engine) {
    let app = spawn_app(engine).await;
    for path in ["/api/v1/nope", "/api/v2/meta", "/api"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "not_found", "{path}");
        assert!(body["error"]["message"].as_str().unwrap().len() > 5);
    }
}

#[tokio::test]
async fn readiness_is_503_with_the_error_body_when_the_database_is_gone() {
    let app = spawn_app(Engine::Postgres).await;
    assert_eq!(app.get("/readyz").await.status(), 200);
    app.db.kill_postgres();
    let started = Instant::now();
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "5");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unavailable");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "answered promptly"
    );
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "the process is still up"
    );
}

fn web_app() -> MemoryAssets {
    let mut files = MemoryAssets::default();
    files.0.insert(
        "index.html".into(),
        b"<!doctype html><title>Upstate</title>",
    );
    files.0.insert(
        "public.html".into(),
        b"<!doctype html><title>Upstate</title><!--upstate:head--><div id=\"app\"><!--upstate:body--></div>",
    );
    files
        .0
        .insert("assets/app-1a2b3c.js".into(), b"console.log('plain')");
    files.0.insert("assets/app-1a2b3c.js.br".into(), b"BROTLI");
    files.0.insert("assets/app-1a2b3c.js.gz".into(), b"GZIP");
    files.0.insert("assets/app-1a2b3c_bg.wasm".into(), b"\0asm");
    files.0.insert("favicon.svg".into(), b"<svg/>");
    files
}

#[tokio::test]
async fn every_app_path_opens_the_web_app() {
    let app = spawn_app_with_assets(Engine::Sqlite, web_app()).await;
    for path in ["/", "/login", "/dashboard/acme/incidents", "/index.html"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "text/html; charset=utf-8",
            "{path}"
        );
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        assert_eq!(
            response.text().await.unwrap(),
            "<!doctype html><title>Upstate</title>"
        );
    }
}

#[tokio::test]
async fn hashed_assets_are_cached_for_a_year_and_sent_compressed() {
    let app = spawn_app_with_assets(Engine::Sqlite, web_app()).await;
    let get = |encoding: &'static str| {
        app.client
            .get(app.url("/assets/app-1a2b3c.js"))
            .header("Accept-Encoding", encoding)
            .send()
    };
    let response = get("gzip, deflate, br").await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(
        response.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.headers()["vary"], "Accept-Encoding");
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"BROTLI");

    let response = get("gzip").await.unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let response = get("identity").await.unwrap();
    assert!(response.headers().get("content-encoding").is_none());
    assert_eq!(
        response.bytes().await.unwrap().as_ref(),
        b"console.log('plain')"
    );

    let wasm = app.get("/assets/app-1a2b3c_bg.wasm").await;
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
}

#[tokio::test]
async fn a_known_etag_gets_304_and_a_missing_asset_a_404() {
    let app = spawn_app_with_assets(Engine::Sqlite, web_app()).await;
    let first = app.get("/favicon.svg").await;
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let again = app.get_if_none_match("/favicon.svg", &etag).await;
    assert_eq!(again.status(), 304);

    let missing = app.get("/assets/app-0000.js").await;
    assert_eq!(missing.status(), 404);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");

    let post = app
        .client
        .post(app.url("/dashboard/acme"))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 404);
    let post = app
        .client
        .post(app.url("/status/acme"))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 405);
    assert_eq!(post.headers()["allow"], "GET");
    let body: Value = post.json().await.unwrap();
    assert_eq!(body["error"]["code"], "method_not_allowed");

    // A status page of no org: the public pages' template saying so, answered 404 for robots.
    let unknown = app.get("/status/acme").await;
    assert_eq!(unknown.status(), 404);
    let text = unknown.text().await.unwrap();
    assert!(text.contains("<h1>No status page here</h1>"), "{text}");
}

#[tokio::test]
async fn a_server_built_without_the_web_app_says_so() {
    let app = spawn_app(Engine::Sqlite).await;
    let response = app.get("/status/acme").await;
    assert_eq!(response.status(), 503);
    assert!(response.text().await.unwrap().contains("not built"));
}

// ---- the binary ----

fn upstate() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_upstate"));
    command
        .env_remove("UPSTATE_DATABASE_URL")
        .env_remove("UPSTATE_BIND")
        .env_remove("UPSTATE_DATA_DIR")
        .env_remove("UPSTATE_JWT_SECRET")
        .env_remove("UPSTATE_PUBLIC_URL")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null());
    command
}

/// Runs `upstate` to its end; returns its exit success and its standard error.
fn run_to_end(command: &mut Command) -> (bool, String) {
    let output = command.output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn last_line(stderr: &str) -> &str {
    stderr.trim_end().lines().last().unwrap_or("")
}

#[test]
fn serve_refuses_an_unknown_database_scheme_in_one_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, stderr) = run_to_end(
        upstate()
            .args(["serve", "--bind", "127.0.0.1:0"])
            .arg("--data-dir")
            .arg(dir.path())
            .env("UPSTATE_DATABASE_URL", "mysql://root@localhost/upstate"),
    );
    assert!(!ok);
    assert_eq!(
        last_line(&stderr),
        "upstate: the database URL scheme `mysql` is not supported; use sqlite://PATH or postgres://USER@HOST/DB"
    );
    assert!(!stderr.contains("panicked"));
}

#[test]
fn serve_refuses_an_unwritable_data_directory_in_one_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let (ok, stderr) = run_to_end(
        upstate()
            .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
            .arg(file.join("data")),
    );
    assert!(!ok);
    let line = last_line(&stderr);
    assert!(
        line.starts_with("upstate: the data directory ")
            && line.ends_with("cannot be written: Not a directory"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
}

#[test]
fn serve_reports_an_unreachable_postgres_in_one_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, stderr) = run_to_end(
        upstate()
            .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path())
            .args([
                "--database-url",
                "postgres://upstate:secret@127.0.0.1:1/upstate",
            ]),
    );
    assert!(!ok);
    let line = last_line(&stderr);
    assert!(
        line.starts_with(
            "upstate: could not open the database at postgres://upstate:***@127.0.0.1:1/upstate:"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("secret"));
    assert!(!stderr.contains("panicked"));
}

#[test]
fn migrate_applies_the_schema_and_then_has_nothing_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db/upstate.db").display());
    let (ok, stderr) = run_to_end(
        upstate()
            .args(["migrate", "--database-url", &url])
            .env("RUST_LOG", "info"),
    );
    assert!(ok, "{stderr}");
    assert!(stderr.contains("migrations applied"), "{stderr}");
    let (ok, stderr) = run_to_end(
        upstate()
            .args(["migrate", "--database-url", &url])
            .env("RUST_LOG", "info"),
    );
    assert!(ok, "{stderr}");
    assert!(stderr.contains("up to date"), "{stderr}");
}

/// `upstate serve` on 127.0.0.1:`port` with its files in `data_dir`.
fn serve(port: u16, data_dir: &std::path::Path) -> Command {
    let mut command = upstate();
    command
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(data_dir);
    command
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_ready(port: u16) -> u16 {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let status = std::net::TcpStream::connect(("127.0.0.1", port))
            .ok()
            .and_then(|mut stream| {
                use std::io::{Read, Write};
                stream
                    .write_all(b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .ok()?;
                let mut reply = String::new();
                stream.read_to_string(&mut reply).ok()?;
                reply.split_whitespace().nth(1)?.parse::<u16>().ok()
            });
        if let Some(status) = status {
            return status;
        }
        assert!(Instant::now() < deadline, "upstate did not start listening");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn serve_on_postgres_migrates_answers_ready_and_stops_cleanly_on_sigterm() {
    let db = upstate_store::testing::TestDb::postgres_empty();
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = serve(port, dir.path())
        .env("UPSTATE_DATABASE_URL", &db.url)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    assert_eq!(wait_ready(port), 200);
    assert!(
        db.db.migrate().unwrap().is_empty(),
        "serve applied the migrations"
    );
    assert!(
        dir.path().join("jwt_secret").exists(),
        "a JWT secret was generated"
    );

    let status = stop_with_sigterm(&mut child);
    assert!(status.success(), "a graceful stop exits 0, got {status}");
}

/// Sends SIGTERM and waits (20 s at most) for the process to end.
fn stop_with_sigterm(child: &mut std::process::Child) -> std::process::ExitStatus {
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "upstate did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `upstate serve` on PostgreSQL, stopped by SIGTERM while clients keep it querying, exits 0
/// every time: it links the same libpq and OpenSSL that crashed test processes at exit
/// (issue 21). `UPSTATE_SIGTERM_TRIES` sets how many times (`just stress-exit` runs 100).
#[test]
fn serve_on_postgres_exits_0_on_sigterm_under_load_every_time() {
    let tries: usize = std::env::var("UPSTATE_SIGTERM_TRIES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let db = upstate_store::testing::TestDb::postgres();
    let dir = tempfile::tempdir().unwrap();
    let mut outcomes = Vec::new();
    for attempt in 0..tries {
        let port = free_port();
        let mut child = serve(port, dir.path())
            .args(["--db-pool-size", "4"])
            .env("UPSTATE_DATABASE_URL", &db.url)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        assert_eq!(wait_ready(port), 200);
        let busy = Load::start(port, 6);
        // Somewhere in the middle of the clients' work.
        std::thread::sleep(Duration::from_millis(100 + 37 * (attempt as u64 % 8)));
        let status = stop_with_sigterm(&mut child);
        let answered = busy.stop();
        let stderr = {
            use std::io::Read;
            let mut text = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        };
        assert!(answered > 0, "the clients were answered before the stop");
        if !status.success() {
            outcomes.push(format!("try {attempt}: {status}; stderr: {stderr}"));
        }
    }
    assert!(
        outcomes.is_empty(),
        "{} of {tries} stops did not exit 0:\n{}",
        outcomes.len(),
        outcomes.join("\n")
    );
}

/// Clients that keep a server's database busy: each request a new connection (so a stopping
/// server is not held by keep-alive), alternating a readiness check (a query) and the summary of
/// an unknown page (a lookup).
struct Load {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    threads: Vec<std::thread::JoinHandle<usize>>,
}

impl Load {
    fn start(port: u16, clients: usize) -> Load {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let threads = (0..clients)
            .map(|client| {
                let stop = stop.clone();
                std::thread::spawn(move || {
                    use std::io::{Read, Write};
                    let mut answered = 0;
                    // Bounded: the server stops within a second or two.
                    for n in 0..20_000 {
                        if stop.load(std::sync::atomic::Ordering::Relaxed) {
                            break;
                        }
                        let path = if (n + client) % 2 == 0 {
                            "/readyz".to_owned()
                        } else {
                            format!("/api/v1/public/nobody-{n}/summary")
                        };
                        let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port))
                        else {
                            std::thread::sleep(Duration::from_millis(5));
                            continue;
                        };
                        let request =
                            format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                        let mut reply = Vec::new();
                        if stream.write_all(request.as_bytes()).is_ok()
                            && stream.read_to_end(&mut reply).is_ok()
                            && !reply.is_empty()
                        {
                            answered += 1;
                        }
                    }
                    answered
                })
            })
            .collect();
        Load { stop, threads }
    }

    /// Stops the clients; how many answers they had.
    fn stop(self) -> usize {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.threads.into_iter().map(|t| t.join().unwrap()).sum()
    }
}

/// Without SMTP the mails, with their secret links, go to the log: the server says so once at
/// start, and says nothing of it when SMTP is set.
#[test]
fn serve_warns_at_start_when_mail_goes_to_the_log() {
    let start = |smtp: Option<&str>| {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut command = serve(port, dir.path());
        command.stderr(Stdio::piped());
        if let Some(url) = smtp {
            command.env("UPSTATE_SMTP_URL", url);
        }
        let mut child = command.spawn().unwrap();
        assert_eq!(wait_ready(port), 200);
        let status = stop_with_sigterm(&mut child);
        assert!(status.success());
        let mut stderr = String::new();
        use std::io::Read;
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        stderr
    };
    let without = start(None);
    assert_eq!(
        without.matches("no UPSTATE_SMTP_URL").count(),
        1,
        "{without}"
    );
    assert!(without.contains("WARN"), "{without}");
    let with = start(Some("smtp://127.0.0.1:2525"));
    assert!(!with.contains("no UPSTATE_SMTP_URL"), "{with}");
}

/// RFC 9110 15.5.6: a 405 carries `Allow`, listing the methods the path takes.
#[tokio::test]
async fn every_405_names_the_methods_its_path_takes() {
    use std::collections::{BTreeMap, BTreeSet};
    let app = spawn_app(Engine::Sqlite).await;
    let mut paths: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (method, path) in upstate_api::routes::api_routes() {
        paths.entry(path).or_default().insert(method.to_string());
    }
    for (path, methods) in &paths {
        let concrete = path.replace(['{', '}'], "");
        let wrong = ["GET", "POST", "PUT", "PATCH", "DELETE"]
            .into_iter()
            .find(|method| !methods.contains(*method))
            .expect("a method the path does not take");
        let answer = app
            .client
            .request(wrong.parse().unwrap(), app.url(&concrete))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 405, "{wrong} {path}");
        let allow: BTreeSet<String> = answer
            .headers()
            .get("allow")
            .unwrap_or_else(|| panic!("no Allow on {wrong} {path}"))
            .to_str()
            .unwrap()
            .split(',')
            .map(|method| method.trim().to_owned())
            .collect();
        assert_eq!(&allow, methods, "Allow of {path}");
        let body: Value = answer.json().await.unwrap();
        assert_eq!(body["error"]["code"], "method_not_allowed", "{path}");
    }
}

/// `upstate.toml` beside the flags and environment: `config check` shows where each setting
/// came from and hides secrets, and `serve` runs with the file's settings.
#[test]
fn a_settings_file_is_read_and_flags_and_the_environment_win_over_it() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let file = dir.path().join("upstate.toml");
    std::fs::write(
        &file,
        format!(
            "bind = \"127.0.0.1:{port}\"\ndata_dir = \"{data}\"\nmail_from = \"File <file@acme.test>\"\n\
             jwt_secret = \"a file's secret that is long enough to sign\"\nmails_per_second = 40\n",
            data = dir.path().join("data").display()
        ),
    )
    .unwrap();
    let output = upstate()
        .args(["config", "check", "--mails-per-second", "7", "--config"])
        .arg(&file)
        .env("UPSTATE_MAIL_FROM", "Env <env@acme.test>")
        .env(
            "UPSTATE_DATABASE_URL",
            "postgres://upstate:hunter2@db.internal/upstate",
        )
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    for line in [
        format!("UPSTATE_BIND = 127.0.0.1:{port}  # settings file"),
        "UPSTATE_MAIL_FROM = Env <env@acme.test>  # environment".to_owned(),
        "UPSTATE_MAILS_PER_SECOND = 7  # flag".to_owned(),
        "UPSTATE_JWT_SECRET = (set, hidden)  # settings file".to_owned(),
        "UPSTATE_DATABASE_URL = postgres://upstate:***@db.internal/upstate  # environment"
            .to_owned(),
        "UPSTATE_WEBHOOK_DISABLE_AFTER = 20  # default".to_owned(),
        "# the settings are valid".to_owned(),
    ] {
        assert!(
            shown.lines().any(|shown| shown == line),
            "no `{line}` in:\n{shown}"
        );
    }
    assert!(
        !shown.contains("hunter2") && !shown.contains("a file's secret"),
        "{shown}"
    );

    // `serve` takes its address and data directory from the file.
    let mut server = upstate()
        .args(["serve", "--config"])
        .arg(&file)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    assert_eq!(wait_ready(port), 200);
    assert!(stop_with_sigterm(&mut server).success());
    assert!(dir.path().join("data/upstate.db").exists());
}

/// Every problem of a settings file, and of the settings, is one sentence, all told at once;
/// nothing starts.
#[test]
fn every_problem_of_the_settings_is_told_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("upstate.toml");
    std::fs::write(
        &file,
        "mails_per_second = 0\nno_such_setting = 1\nbind = \"127.0.0.1:0\"\n",
    )
    .unwrap();
    let (ok, stderr) = run_to_end(upstate().args(["serve", "--config"]).arg(&file));
    assert!(!ok);
    let path = file.display();
    assert_eq!(
        stderr.trim_end().lines().collect::<Vec<_>>(),
        [
            format!("upstate: {path}: `mails_per_second = 0` is refused: 0 is not in 1..=100000"),
            format!(
                "upstate: {path}: `no_such_setting` is not a setting (the settings are the \
                 README's table, named without UPSTATE_ and in lowercase)"
            ),
        ]
    );

    std::fs::write(
        &file,
        "public_url = \"ftp://status.acme.test\"\njwt_secret = \"short\"\n",
    )
    .unwrap();
    let output = upstate()
        .args(["config", "check", "--config"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("UPSTATE_JWT_SECRET must be at least 32 characters long")
            && stderr.contains(
                "UPSTATE_PUBLIC_URL must start with http:// or https://, not `ftp://status.acme.test`"
            ),
        "{stderr}"
    );
    let (ok, stderr) = run_to_end(upstate().args(["serve", "--config"]).arg(&file));
    assert!(!ok);
    assert!(
        stderr.contains("UPSTATE_JWT_SECRET must be at least 32"),
        "{stderr}"
    );
    assert!(
        stderr.contains("UPSTATE_PUBLIC_URL must start with"),
        "{stderr}"
    );
}
