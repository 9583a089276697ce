//! Spawns the real app on port 0 with a fresh database of either engine, and talks HTTP to it.

#![allow(dead_code)]

pub use upstate_e2e::smtp;

pub mod totp;

use std::collections::HashMap;
use std::sync::Arc;
use upstate_api::Settings;
use upstate_api::spa::{Asset, AssetSource};
use upstate_store::Engine;
use upstate_store::testing::TestDb;

pub struct TestApp {
    pub address: String,
    pub settings: Settings,
    pub client: reqwest::Client,
    pub db: TestDb,
    /// The running server's state (its caches and counters), for tests that look inside.
    pub state: upstate_api::state::AppState,
    /// The SMTP server the app sends its mail to.
    pub mailbox: smtp::Sink,
    _data_dir: tempfile::TempDir,
    handle: actix_web::dev::ServerHandle,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// A conditional GET: answered 304 while `etag` still names what `path` holds.
    pub async fn get_if_none_match(&self, path: &str, etag: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header("If-None-Match", etag)
            .send()
            .await
            .unwrap()
    }
}

/// A second server on the same database, as another replica behind a load balancer.
pub struct Replica {
    pub address: String,
    handle: actix_web::dev::ServerHandle,
}

impl Drop for Replica {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

impl TestApp {
    pub async fn replica(&self) -> Replica {
        let running =
            upstate_api::server::start(self.settings.clone(), Arc::new(MemoryAssets::default()))
                .await
                .expect("the replica starts");
        let address = format!("http://127.0.0.1:{}", running.port);
        let handle = running.handle.clone();
        tokio::spawn(running.server);
        Replica { address, handle }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop accepting and close connections; the runtime ends with the test anyway.
        let handle = self.handle.clone();
        drop(handle.stop(false));
    }
}

/// Files standing in for the built web app, for tests of how files are served.
#[derive(Default)]
pub struct MemoryAssets(pub HashMap<String, &'static [u8]>);

impl AssetSource for MemoryAssets {
    fn get(&self, path: &str) -> Option<Asset> {
        self.0.get(path).map(|bytes| Asset {
            bytes: (*bytes).into(),
            etag: format!("\"{}\"", bytes.len()),
        })
    }
}

pub async fn spawn_app(engine: Engine) -> TestApp {
    spawn_app_with_assets(engine, MemoryAssets::default()).await
}

pub async fn spawn_app_with_assets(engine: Engine, assets: MemoryAssets) -> TestApp {
    spawn_app_configured(engine, assets, |_| {}).await
}

/// An app whose settings `configure` adjusts before it starts.
pub async fn spawn_app_configured(
    engine: Engine,
    assets: MemoryAssets,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    let db = TestDb::new(engine);
    let data_dir = tempfile::tempdir().unwrap();
    let mailbox = smtp::Sink::start().await;
    let mut settings = Settings {
        bind: "127.0.0.1:0".into(),
        database_url: db.url.clone(),
        db_pool_size: 4,
        data_dir: data_dir.path().to_owned(),
        public_url: "http://127.0.0.1".into(),
        jwt_secret: "test-secret-test-secret-test-secret".into(),
        secrets_key: [7; 32],
        secrets_key_previous: None,
        smtp_url: Some(mailbox.url()),
        mail_from: "Upstate <upstate@localhost>".into(),
        trust_proxy: Default::default(),
        ws_caps: upstate_api::public::sockets::Caps {
            total: 1_000,
            per_address: 1_000,
        },
        retention: Default::default(),
        // The tests' receivers listen on loopback.
        egress: upstate_egress::Policy {
            allow_private: true,
        },
        webhook_disable_after: 20,
        delivery_retry: std::time::Duration::from_secs(30),
        delivery_lease: std::time::Duration::from_secs(120),
        mails_per_second: std::num::NonZeroU32::new(250).unwrap(),
        monitor_roots: Default::default(),
        metrics_bind: None,
        metrics_token: None,
    };
    configure(&mut settings);
    let running = upstate_api::server::start(settings.clone(), Arc::new(assets))
        .await
        .expect("the app starts");
    let address = format!("http://127.0.0.1:{}", running.port);
    let handle = running.handle.clone();
    let state = running.state.clone();
    tokio::spawn(running.server);
    TestApp {
        address,
        state,
        mailbox,
        settings,
        client: reqwest::Client::new(),
        db,
        _data_dir: data_dir,
        handle,
    }
}

/// Declares each listed async test once per engine: `sqlite::name` and `postgres::name`.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test] async fn $name() { super::$name(upstate_store::Engine::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test] async fn $name() { super::$name(upstate_store::Engine::Postgres).await })*
        }
    };
}

pub const PASSWORD: &str = "correct horse battery";

/// The subject of the address confirmation mailed at sign-up.
pub const VERIFY_SUBJECT: &str = "Confirm your email address";

/// A registered person: their access token and id.
#[derive(Debug, Clone)]
pub struct Account {
    pub token: String,
    pub user_id: String,
    pub email: String,
}

/// An answer: status and JSON body (`Null` when empty).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: serde_json::Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Answer {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    /// The answer to a request of `path`, whose body must be JSON (or empty).
    pub async fn read(response: reqwest::Response, path: &str) -> Answer {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap();
        let body = if bytes.is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|_| {
                panic!(
                    "{path} answered non-JSON: {}",
                    String::from_utf8_lossy(&bytes)
                )
            })
        };
        Answer {
            status,
            body,
            headers,
        }
    }
}

/// The app reached under another host name, as a browser whose DNS points that name at this
/// server reaches it (`Host: status.acme.test:<port>`): an org's custom domain.
pub struct AtHost {
    pub client: reqwest::Client,
    /// `http://<host>:<port>`.
    pub base: String,
}

impl TestApp {
    pub fn at_host(&self, host: &str) -> AtHost {
        let address: std::net::SocketAddr =
            self.address.trim_start_matches("http://").parse().unwrap();
        AtHost {
            client: reqwest::Client::builder()
                .resolve(host, address)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: format!("http://{host}:{}", address.port()),
        }
    }
}

impl AtHost {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    /// Calls with an optional bearer credential and JSON body; the answer must be JSON.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        bearer: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> Answer {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        Answer::read(request.send().await.unwrap(), path).await
    }
}

impl TestApp {
    /// Calls the API with an optional bearer credential and JSON body.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        bearer: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> Answer {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        Answer::read(request.send().await.unwrap(), path).await
    }

    pub async fn get_as(&self, path: &str, bearer: &str) -> Answer {
        self.call(reqwest::Method::GET, path, Some(bearer), None)
            .await
    }

    pub async fn post_as(&self, path: &str, bearer: &str, body: serde_json::Value) -> Answer {
        self.call(reqwest::Method::POST, path, Some(bearer), Some(body))
            .await
    }

    pub async fn patch_as(&self, path: &str, bearer: &str, body: serde_json::Value) -> Answer {
        self.call(reqwest::Method::PATCH, path, Some(bearer), Some(body))
            .await
    }

    pub async fn delete_as(&self, path: &str, bearer: &str) -> Answer {
        self.call(reqwest::Method::DELETE, path, Some(bearer), None)
            .await
    }

    /// Registers `email` (with [`PASSWORD`]), confirms the address with the link mailed to it,
    /// signs in and answers the account.
    pub async fn register(&self, email: &str) -> Account {
        let account = self.register_unverified(email).await;
        let token = self
            .verification_link(email)
            .await
            .rsplit('#')
            .next()
            .unwrap()
            .to_owned();
        let verified = self
            .call(
                reqwest::Method::POST,
                "/api/v1/auth/verify-email",
                None,
                Some(serde_json::json!({ "token": token })),
            )
            .await;
        assert_eq!(verified.status, 204, "verify {email}: {:?}", verified.body);
        account
    }

    /// Registers `email` and signs in, leaving the address unconfirmed.
    pub async fn register_unverified(&self, email: &str) -> Account {
        let name = email.split('@').next().unwrap_or("someone");
        let answer = self
            .call(
                reqwest::Method::POST,
                "/api/v1/auth/register",
                None,
                Some(serde_json::json!({"email": email, "password": PASSWORD, "name": name})),
            )
            .await;
        assert_eq!(answer.status, 202, "register {email}: {:?}", answer.body);
        let session = self.login(email, PASSWORD).await;
        assert_eq!(session.status, 200, "sign in {email}: {:?}", session.body);
        Account {
            token: session.body["access_token"].as_str().unwrap().to_owned(),
            user_id: session.body["user"]["id"].as_str().unwrap().to_owned(),
            email: email.to_owned(),
        }
    }

    /// Signs in with `email` and `password`; the answer as it came.
    pub async fn login(&self, email: &str, password: &str) -> Answer {
        self.call(
            reqwest::Method::POST,
            "/api/v1/auth/login",
            None,
            Some(serde_json::json!({"email": email, "password": password})),
        )
        .await
    }

    /// The address confirmation link last mailed to `email`.
    pub async fn verification_link(&self, email: &str) -> String {
        let text = self
            .all_emails()
            .await
            .into_iter()
            .rev()
            .find(|(to, subject, _)| to == email && subject.starts_with(VERIFY_SUBJECT))
            .map(|(_, _, text)| text)
            .unwrap_or_else(|| panic!("no confirmation mail to {email}"));
        link_in(&text)
    }

    /// Creates an org with `slug`, owned by `owner`.
    pub async fn create_org(&self, owner: &Account, slug: &str) -> serde_json::Value {
        let answer = self
            .post_as(
                "/api/v1/orgs",
                &owner.token,
                serde_json::json!({"name": format!("Org {slug}"), "slug": slug}),
            )
            .await;
        assert_eq!(answer.status, 201, "create org {slug}: {:?}", answer.body);
        answer.body
    }

    /// Invites `member` to the org as `role` and has them accept.
    pub async fn add_member(&self, admin: &Account, slug: &str, member: &Account, role: &str) {
        let invitation = self
            .post_as(
                &format!("/api/v1/orgs/{slug}/invitations"),
                &admin.token,
                serde_json::json!({"email": member.email, "role": role}),
            )
            .await;
        assert_eq!(invitation.status, 201, "{:?}", invitation.body);
        let url = invitation.body["accept_url"].as_str().unwrap();
        let token = url.rsplit('#').next().unwrap();
        let accepted = self
            .post_as(
                "/api/v1/invitations/accept",
                &member.token,
                serde_json::json!({ "token": token }),
            )
            .await;
        assert_eq!(accepted.status, 200, "{:?}", accepted.body);
    }

    /// The emails sent so far, oldest first: `(to, subject, text)`, except the address
    /// confirmations that [`TestApp::register`] followed.
    pub async fn emails(&self) -> Vec<(String, String, String)> {
        self.all_emails()
            .await
            .into_iter()
            .filter(|(_, subject, _)| !subject.starts_with(VERIFY_SUBJECT))
            .collect()
    }

    /// Every email sent so far, oldest first, once the outbox has delivered all it holds.
    pub async fn all_emails(&self) -> Vec<(String, String, String)> {
        self.outbox_delivered().await;
        self.mailbox
            .mails()
            .into_iter()
            .map(|mail| (mail.to, mail.subject, mail.text))
            .collect()
    }

    /// The subscription confirmation link mailed to `email`, at this server's own address.
    pub async fn confirmation_link(&self, email: &str) -> String {
        let (_, _, text) = self
            .emails()
            .await
            .into_iter()
            .rev()
            .find(|(to, subject, _)| {
                to == email && subject.starts_with("Confirm your subscription")
            })
            .unwrap_or_else(|| panic!("no confirmation mail to {email}"));
        let link = text
            .split_whitespace()
            .find(|word| word.ends_with("/confirm"))
            .unwrap_or_else(|| panic!("no confirmation link in {text}"));
        link.replacen(&self.settings.public_url, &self.address, 1)
    }

    /// Waits until the outbox holds no email still to deliver.
    pub async fn outbox_delivered(&self) {
        use diesel::prelude::*;
        use upstate_store::schema::outbox;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        loop {
            let waiting: i64 = {
                let mut conn = self.db.db.conn().unwrap();
                outbox::table
                    .filter(outbox::kind.eq("email"))
                    .filter(outbox::delivered_at.is_null())
                    .count()
                    .get_result(&mut *conn)
                    .unwrap()
            };
            if waiting == 0 {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{waiting} emails still in the outbox"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

/// The first link in a text.
pub fn link_in(text: &str) -> String {
    text.split_whitespace()
        .find(|word| word.starts_with("http://") || word.starts_with("https://"))
        .unwrap_or_else(|| panic!("no link in {text:?}"))
        .to_owned()
}

/// A WebSocket client of the tests.
pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The code of the close frame the server sends within `limit` (0 when the socket ends without
/// one); `None` when it sends nothing of the kind in time.
pub async fn close_code_within(socket: &mut Socket, limit: std::time::Duration) -> Option<u16> {
    use futures::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    tokio::time::timeout(limit, async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Close(Some(frame)))) => return u16::from(frame.code),
                Some(Ok(_)) => continue,
                _ => return 0,
            }
        }
    })
    .await
    .ok()
}

/// Fails unless `request` carries a valid Standard Webhooks signature made with `secret`
/// (`whsec_...`), as a receiver would check it.
pub fn assert_signed(request: &upstate_e2e::receiver::Request, secret: &str) {
    let header = |name: &str| {
        request
            .header(name)
            .unwrap_or_else(|| panic!("no {name} header"))
    };
    upstate_notify::verify(
        &upstate_notify::WebhookSecret::parse(secret).unwrap(),
        &upstate_notify::WebhookHeaders {
            id: header("webhook-id"),
            timestamp: header("webhook-timestamp"),
            signature: header("webhook-signature"),
        },
        &request.body,
        chrono::Utc::now(),
        chrono::TimeDelta::minutes(5),
    )
    .expect("a valid Standard Webhooks signature");
}
