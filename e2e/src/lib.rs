//! The harness of the tests that run the real binary: [`Server`] starts the built `upstate` binary on a free port with a
//! fresh SQLite database; [`Browser`] drives Debian's Chromium through chromedriver (a fresh
//! profile each, so two browsers are two visitors). A test reads like a person's visit:
//!
//! ```no_run
//! # async fn visit() {
//! let server = upstate_e2e::Server::start().await;
//! let browser = upstate_e2e::Browser::open().await;
//! browser.goto(&server.url("/")).await;
//! browser.wait_for_text("h1", "Upstate").await;
//! browser.close().await;
//! # }
//! ```

pub mod nginx;
pub mod receiver;
pub mod smtp;

use fantoccini::{Client, ClientBuilder, Locator};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long to wait for what a person would wait for.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// A free port on loopback.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port on 127.0.0.1")
}

/// The `upstate` binary under test: `UPSTATE_BIN`, else the workspace's debug build.
pub fn upstate_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("UPSTATE_BIN") {
        return PathBuf::from(path);
    }
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target"));
    let path = target.join("debug/upstate");
    assert!(
        path.exists(),
        "the browser tests need the upstate binary at {}: run `just test` (or \
         `cargo build -p upstate-api` and `just build-web`), or set UPSTATE_BIN",
        path.display()
    );
    path
}

/// A running `upstate serve` with its own data directory (and SQLite database, unless told to
/// use another database).
pub struct Server {
    pub port: u16,
    child: Child,
    binary: PathBuf,
    database_url: String,
    /// Settings beyond the database, bind address and data directory.
    env: Vec<(String, String)>,
    data_dir: tempfile::TempDir,
}

impl Server {
    /// Starts the server under test on a port of its choosing, with a fresh SQLite database,
    /// and waits until it serves the web app.
    pub async fn start() -> Server {
        Server::start_with(&upstate_binary(), None).await
    }

    /// Starts the server under test on `database_url` (a test database of either engine), with
    /// more settings in `env` (`UPSTATE_SMTP_URL`, ...).
    pub async fn start_on(database_url: &str, env: &[(&str, &str)]) -> Server {
        Server::start_configured(&upstate_binary(), Some(database_url), env).await
    }

    /// Starts `binary` on `database_url`, or on a fresh SQLite database when `None`.
    pub async fn start_with(binary: &std::path::Path, database_url: Option<&str>) -> Server {
        Server::start_configured(binary, database_url, &[]).await
    }

    /// Starts `binary` on `database_url` (a fresh SQLite database when `None`), with more
    /// settings in `env`.
    pub async fn start_configured(
        binary: &std::path::Path,
        database_url: Option<&str>,
        env: &[(&str, &str)],
    ) -> Server {
        Server::start_configured_on(binary, database_url, env, 0).await
    }

    /// Starts the server under test on `port` (known beforehand, so that its settings can name
    /// it: `UPSTATE_PUBLIC_URL`), with a fresh SQLite database and more settings in `env`.
    pub async fn start_on_port(port: u16, env: &[(&str, &str)]) -> Server {
        Server::start_configured_on(&upstate_binary(), None, env, port).await
    }

    async fn start_configured_on(
        binary: &std::path::Path,
        database_url: Option<&str>,
        env: &[(&str, &str)],
        port: u16,
    ) -> Server {
        let data_dir = tempfile::tempdir().expect("a data directory");
        let database_url = database_url.map(str::to_owned).unwrap_or_else(|| {
            format!("sqlite://{}", data_dir.path().join("upstate.db").display())
        });
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect();
        let (child, port) = spawn_upstate(binary, &database_url, data_dir.path(), port, &env);
        let mut server = Server {
            port,
            child,
            binary: binary.to_owned(),
            database_url,
            env,
            data_dir,
        };
        server.wait_ready().await;
        server
    }

    /// Stops the server (SIGKILL: as abrupt as a crash) and starts it again on the same port
    /// and database.
    pub async fn restart(&mut self) {
        self.kill();
        self.start_again().await;
    }

    /// Kills the server with SIGKILL, as abruptly as a crash.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the killed server again, on the same port, database and settings.
    pub async fn start_again(&mut self) {
        let (child, _) = spawn_upstate(
            &self.binary,
            &self.database_url,
            self.data_dir.path(),
            self.port,
            &self.env,
        );
        self.child = child;
        self.wait_ready().await;
    }

    /// The database the server uses.
    pub fn database_url(&self) -> &str {
        &self.database_url
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The absolute URL of a path on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{}", self.port, path)
    }

    async fn wait_ready(&mut self) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("the server process") {
                panic!("upstate exited before it was ready: {status}");
            }
            if let Ok(response) = client.get(self.url("/readyz")).send().await
                && response.status().is_success()
            {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "upstate was not ready within {PATIENCE:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let index = client.get(self.url("/")).send().await.expect("GET /");
        assert_ne!(
            index.status().as_u16(),
            503,
            "the web app is not built: run `just build-web` (or `just test`)"
        );
    }
}

/// Starts `upstate serve`; answers the process and the port it listens on, read from its log.
fn spawn_upstate(
    binary: &std::path::Path,
    database_url: &str,
    data_dir: &std::path::Path,
    port: u16,
    env: &[(String, String)],
) -> (Child, u16) {
    let mut child = Command::new(binary)
        .arg("serve")
        .envs(env.iter().map(|(name, value)| (name, value)))
        .env("UPSTATE_BIND", format!("127.0.0.1:{port}"))
        .env("UPSTATE_DATA_DIR", data_dir)
        .env("UPSTATE_DATABASE_URL", database_url)
        .env("RUST_LOG", "info")
        .env("UPSTATE_LOG_FORMAT", "text")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("start {}: {err}", binary.display()));
    let stderr = child.stderr.take().expect("piped stderr");
    let (found, port_rx) = std::sync::mpsc::channel();
    // Keep reading the log for the server's life, so it never blocks on a full pipe.
    std::thread::spawn(move || {
        use std::io::BufRead;
        let mut found = Some(found);
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if let Some(rest) = line.split("listening on http://127.0.0.1:").nth(1) {
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                if let (Some(sender), Ok(port)) = (found.take(), digits.parse::<u16>()) {
                    let _ = sender.send(port);
                }
            }
            if line.contains("ERROR") || line.contains("WARN") || line.starts_with("upstate:") {
                eprintln!("[upstate] {line}");
            }
        }
    });
    let port = port_rx
        .recv_timeout(PATIENCE)
        .unwrap_or_else(|_| panic!("upstate did not start listening within {PATIENCE:?}"));
    (child, port)
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The password of every account [`Api::register`] makes.
pub const PASSWORD: &str = "correct horse battery";

/// An API client acting as one signed-in person (set up what a test's visitors will see).
pub struct Api {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl Api {
    /// Registers a new account on `server` and signs in as it.
    pub async fn register(server: &Server, email: &str) -> Api {
        Api::register_at(&server.url(""), email).await
    }

    /// An API client for the server at `base` (`http://127.0.0.1:{port}`) acting with `token`
    /// (an access token or an API key).
    pub fn at(base: &str, token: &str) -> Api {
        Api {
            client: reqwest::Client::new(),
            base: base.to_owned(),
            token: token.to_owned(),
        }
    }

    /// Registers a new account on the server at `base` and signs in as it (its address stays
    /// unconfirmed: the server sends no invitation mail for it, and the tests take the links
    /// from the answers).
    pub async fn register_at(base: &str, email: &str) -> Api {
        let client = reqwest::Client::new();
        let base = base.to_owned();
        let registered = client
            .post(format!("{base}/api/v1/auth/register"))
            .json(&serde_json::json!({"email": email, "password": PASSWORD, "name": "E2E"}))
            .send()
            .await
            .expect("register");
        assert_eq!(registered.status(), 202, "register {email}");
        let answer: serde_json::Value = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&serde_json::json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .expect("sign in")
            .json()
            .await
            .expect("a session");
        let token = answer["access_token"]
            .as_str()
            .expect("an access token")
            .to_owned();
        Api {
            client,
            base,
            token,
        }
    }

    /// Sends `body` with `method` to an API path; answers the JSON (or null), failing the test
    /// on an error status.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: serde_json::Value,
    ) -> serde_json::Value {
        let response = self
            .client
            .request(method.clone(), format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .expect("the API answers");
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        assert!(
            status.is_success(),
            "{method} {path} answered {status}: {text}"
        );
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
    }

    /// Sends `body` as `content_type` (a CSV import, ...) with a POST to an API path; answers
    /// the JSON, failing the test on an error status.
    pub async fn post_text(&self, path: &str, content_type: &str, body: &str) -> serde_json::Value {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header("Content-Type", content_type)
            .body(body.to_owned())
            .send()
            .await
            .expect("the API answers");
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        assert!(status.is_success(), "POST {path} answered {status}: {text}");
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
    }

    pub async fn post(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        self.send(reqwest::Method::POST, path, body).await
    }

    pub async fn patch(&self, path: &str, body: serde_json::Value) -> serde_json::Value {
        self.send(reqwest::Method::PATCH, path, body).await
    }
}

/// One visitor: a headless Chromium with a fresh profile, driven through its own chromedriver.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

/// The axe-core version that `scripts/setup.sh test` installs.
pub const AXE_VERSION: &str = "4.14.1";

/// A chromedriver command beyond WebDriver proper: a POST of `body` to `session/{id}/{path}`
/// (the page's console log, a Chrome DevTools Protocol command).
#[derive(Debug)]
struct Chromedriver {
    path: &'static str,
    body: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Chromedriver {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// Where artifacts of the browser tests (screenshots) are written: `e2e/artifacts`.
pub fn artifacts_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("artifacts");
    std::fs::create_dir_all(&dir).expect("the artifacts folder");
    dir
}

impl Browser {
    /// A visitor whose system prefers a light theme.
    pub async fn open() -> Browser {
        Browser::open_with(false, None).await
    }

    /// A visitor whose system prefers a dark theme.
    pub async fn open_dark() -> Browser {
        Browser::open_with(true, None).await
    }

    /// A visitor whose browser asks for the languages `accept` (an `Accept-Language` list such
    /// as `de-DE,de`), as its settings would.
    pub async fn open_speaking(accept: &str) -> Browser {
        Browser::open_with(false, Some(accept)).await
    }

    async fn open_with(dark: bool, accept: Option<&str>) -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian's chromium-driver; `just test` installs it)");
        let profile = tempfile::tempdir().expect("a browser profile folder");
        let mut args = vec![
            "--headless".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        if dark {
            args.push("--force-dark-mode".into());
            args.push("--blink-settings=preferredColorScheme=0".into());
        }
        let mut options = serde_json::json!({ "binary": "/usr/bin/chromium", "args": args });
        if let Some(accept) = accept {
            options["prefs"] = serde_json::json!({ "intl.accept_languages": accept });
            if let Some(args) = options["args"].as_array_mut() {
                let first = accept.split(',').next().unwrap_or(accept);
                args.push(format!("--lang={first}").into());
            }
        }
        let capabilities = serde_json::json!({
            "goog:chromeOptions": options,
            "goog:loggingPrefs": { "browser": "ALL" }
        });
        let capabilities = match capabilities {
            serde_json::Value::Object(map) => map,
            _ => unreachable!("a JSON object literal"),
        };
        let deadline = Instant::now() + PATIENCE;
        let client = loop {
            match ClientBuilder::native()
                .capabilities(capabilities.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(_) if Instant::now() < deadline => {
                    // chromedriver is still starting.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(err) => panic!("chromedriver did not start Chromium: {err}"),
            }
        };
        Browser {
            client,
            driver,
            _profile: profile,
        }
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
    }

    /// The current path of the page (without origin).
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("the current URL");
        url.path().to_owned()
    }

    /// Waits until an element matching `css` shows `text` (a substring); returns its text.
    pub async fn wait_for_text(&self, css: &str, text: &str) -> String {
        self.wait_for_text_within(css, text, PATIENCE).await
    }

    /// The same, with a deadline of one's own.
    pub async fn wait_for_text_within(&self, css: &str, text: &str, patience: Duration) -> String {
        let deadline = Instant::now() + patience;
        let mut seen = Vec::new();
        loop {
            seen.clear();
            if let Ok(elements) = self.client.find_all(Locator::Css(css)).await {
                for element in elements {
                    if let Ok(shown) = element.text().await {
                        if shown.contains(text) {
                            return shown;
                        }
                        seen.push(shown);
                    }
                }
            }
            assert!(
                Instant::now() < deadline,
                "no `{css}` showed “{text}” within {patience:?}; saw {seen:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks the link whose text is `text`.
    pub async fn click_link(&self, text: &str) {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::LinkText(text))
            .await
            .unwrap_or_else(|err| panic!("no link “{text}”: {err}"))
            .click()
            .await
            .expect("click");
    }

    /// The first element matching `css`, waiting for it.
    pub async fn element(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|err| panic!("no element `{css}`: {err}"))
    }

    /// Sets the value of the input `css` and tells the app, as typing would (for inputs
    /// WebDriver cannot type into in every locale, such as `datetime-local`).
    pub async fn set_value(&self, css: &str, value: &str) {
        self.element(css).await;
        let script = format!(
            "const el = document.querySelector('{css}'); el.value = '{value}'; \
             el.dispatchEvent(new Event('input', {{ bubbles: true }}));"
        );
        self.client
            .execute(&script, vec![])
            .await
            .expect("set a value");
    }

    /// The browser's local time `seconds` from now, as a `datetime-local` input takes it.
    pub async fn local_time_in(&self, seconds: u32) -> String {
        let script = format!(
            "const d = new Date(Date.now() + {seconds} * 1000); const p = n => String(n).padStart(2, '0');
             return `${{d.getFullYear()}}-${{p(d.getMonth() + 1)}}-${{p(d.getDate())}}T${{p(d.getHours())}}:${{p(d.getMinutes())}}:${{p(d.getSeconds())}}`;"
        );
        let value = self
            .client
            .execute(&script, vec![])
            .await
            .expect("the time");
        value.as_str().expect("a string").to_owned()
    }

    /// Signs in on `server`'s sign-in page as `email` (with the password [`Api::register`]
    /// gives) and waits for the dashboard.
    pub async fn sign_in(&self, server: &Server, email: &str) {
        self.goto(&server.url("/login")).await;
        self.fill("#field-email", email).await;
        self.fill("#field-password", PASSWORD).await;
        self.click_button("Sign in").await;
        self.wait_for_path("/dashboard").await;
    }

    /// Types `text` into the field `css` (after clearing it).
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.element(css).await;
        field.clear().await.expect("clear the field");
        field.send_keys(text).await.expect("type");
    }

    /// Clicks the button whose text is `text`.
    pub async fn click_button(&self, text: &str) {
        let xpath = format!("//button[normalize-space()='{text}']");
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|err| panic!("no button “{text}”: {err}"))
            .click()
            .await
            .expect("click");
    }

    /// Chooses the option labelled `label` in the select `css`.
    pub async fn choose(&self, css: &str, label: &str) {
        self.element(css)
            .await
            .select_by_label(label)
            .await
            .unwrap_or_else(|err| panic!("no option “{label}” in `{css}`: {err}"));
    }

    /// Ticks the checkbox of the label that reads `text`.
    pub async fn tick(&self, text: &str) {
        let xpath = format!("//label[normalize-space()='{text}']/input[@type='checkbox']");
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|err| panic!("no checkbox “{text}”: {err}"))
            .click()
            .await
            .expect("tick");
    }

    /// Waits until the page's path starts with `prefix`; answers the path.
    pub async fn wait_for_path_prefix(&self, prefix: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let current = self.path().await;
            if current.starts_with(prefix) {
                return current;
            }
            assert!(
                Instant::now() < deadline,
                "the page stayed at {current}, not under {prefix}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the page's path is `path`.
    pub async fn wait_for_path(&self, path: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let current = self.path().await;
            if current == path {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the page stayed at {current}, not {path}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until no element matches `css` (a toast that went, a dialog that closed).
    pub async fn wait_until_gone(&self, css: &str) {
        self.wait_until_none(Locator::Css(css), PATIENCE).await;
    }

    /// Waits until nothing matches `what`, for at most `patience`.
    pub async fn wait_until_none(&self, what: Locator<'_>, patience: Duration) {
        let deadline = Instant::now() + patience;
        loop {
            let left = self
                .client
                .find_all(what)
                .await
                .map_or(0, |found| found.len());
            if left == 0 {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{left} `{what:?}` still there after {patience:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Presses a key (`fantoccini::key::Key::Escape`, ...) where the focus is.
    pub async fn press(&self, key: fantoccini::key::Key) {
        self.client
            .active_element()
            .await
            .expect("the focused element")
            .send_keys(&key.to_string())
            .await
            .expect("press a key");
    }

    /// The page's console errors (and uncaught exceptions) since the last call.
    pub async fn console_errors(&self) -> Vec<String> {
        let entries = self
            .client
            .issue_cmd(Chromedriver {
                path: "se/log",
                body: serde_json::json!({"type": "browser"}),
            })
            .await
            .expect("the browser's log");
        entries
            .as_array()
            .map(|list| {
                list.iter()
                    .filter(|entry| entry["level"] == "SEVERE")
                    .map(|entry| entry["message"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Saves a screenshot of the viewport as `e2e/artifacts/{name}.png`; answers its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("a screenshot");
        let path = artifacts_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write the screenshot");
        path
    }

    /// Runs axe-core on the page; answers the serious and critical violations as
    /// `id: description (n nodes)`.
    pub async fn accessibility_violations(&self) -> Vec<String> {
        let tools = std::env::var_os("UPSTATE_TOOLS_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                let cache = std::env::var_os("XDG_CACHE_HOME")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| {
                        PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache")
                    });
                cache.join("upstate/tools")
            });
        let path = tools.join(format!(
            "axe-core-{AXE_VERSION}/node_modules/axe-core/axe.min.js"
        ));
        let axe = std::fs::read_to_string(&path).unwrap_or_else(|_| {
            panic!(
                "axe-core is missing at {}: run `scripts/setup.sh test` (or `just test`)",
                path.display()
            )
        });
        self.client
            .execute(&axe, vec![])
            .await
            .expect("inject axe-core");
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                    .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                        .map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ' nodes: ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ') + ')')))
                    .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .expect("run axe-core");
        result
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Runs `script` (a function body; `return` answers) in the page.
    pub async fn execute(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|err| panic!("the script failed: {err}"))
    }

    /// Runs a Chrome DevTools Protocol command (e.g. `Emulation.setScriptExecutionDisabled`).
    pub async fn devtools(&self, command: &str, params: serde_json::Value) -> serde_json::Value {
        self.client
            .issue_cmd(Chromedriver {
                path: "goog/cdp/execute",
                body: serde_json::json!({ "cmd": command, "params": params }),
            })
            .await
            .unwrap_or_else(|err| panic!("the DevTools command {command} failed: {err}"))
    }

    /// Ends the session and its browser.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // A failed test never reaches `close`: do not leave chromedriver behind.
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
