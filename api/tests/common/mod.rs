//! Spawns the real app on port 0 with a fresh database of either engine, and talks HTTP to it.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::Arc;
use upstate_api::Settings;
use upstate_api::spa::{Asset, AssetSource};
use upstate_store::Engine;
use upstate_store::testing::TestDb;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: TestDb,
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
    let db = TestDb::new(engine);
    let data_dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        bind: "127.0.0.1:0".into(),
        database_url: db.url.clone(),
        db_pool_size: 4,
        data_dir: data_dir.path().to_owned(),
        public_url: "http://127.0.0.1".into(),
        jwt_secret: "test-secret-test-secret-test-secret".into(),
        smtp_url: None,
        mail_from: "Upstate <upstate@localhost>".into(),
        trust_proxy: false,
    };
    let running = upstate_api::server::start(settings, Arc::new(assets))
        .await
        .expect("the app starts");
    let address = format!("http://127.0.0.1:{}", running.port);
    let handle = running.handle.clone();
    tokio::spawn(running.server);
    TestApp {
        address,
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
