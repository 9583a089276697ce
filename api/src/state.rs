//! What every handler can reach: the database, the settings, the SPA's files.

use crate::auth::rate_limit::RateLimits;
use crate::auth::tokens::Jwt;
use crate::config::Settings;
use crate::error::ApiError;
use crate::mail::Mailer;
use crate::spa::AssetSource;
use actix_web::web;
use std::sync::Arc;
use tokio::sync::Notify;
use upstate_store::{Db, DbConnection, StoreError};

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub assets: Arc<dyn AssetSource>,
    pub jwt: Arc<Jwt>,
    /// Seals and opens secrets kept at rest (TOTP secrets).
    pub sealer: Arc<crate::auth::sealed::Sealer>,
    pub limits: Arc<RateLimits>,
    pub mailer: Arc<Mailer>,
    /// Wakes the outbox worker after a commit that queued a message.
    pub outbox_wake: Arc<Notify>,
    /// Wakes the notification worker after a commit that queued a notification.
    pub notify_wake: Arc<Notify>,
    /// Wakes the maintenance scheduler after a window was scheduled or moved.
    pub maintenance_wake: Arc<Notify>,
    /// Wakes the monitor runner after a monitor was created or changed.
    pub monitor_wake: Arc<Notify>,
    /// Fans committed events out to WebSocket clients.
    pub hub: Arc<crate::public::hub::Hub>,
    /// Public answers, computed once per change.
    pub public: Arc<crate::public::cache::PublicCache>,
    /// Which status pages exist: an unknown slug is answered without the database.
    pub directory: Arc<crate::public::directory::Directory>,
    /// Open WebSockets, in total and per client address.
    pub sockets: Arc<crate::public::sockets::Sockets>,
    /// Set once the server is known to have an account (`GET /api/v1/meta`'s `first_run`):
    /// from then on, no query.
    pub accounts_exist: Arc<std::sync::atomic::AtomicBool>,
    /// What the server counts, shown at `/metrics` ([`crate::metrics`]).
    pub metrics: Arc<crate::metrics::Metrics>,
    /// The Content-Security-Policy of HTML answers (see [`crate::headers`]).
    pub csp: actix_web::http::header::HeaderValue,
}

impl AppState {
    /// Runs reads on a pooled connection on the blocking pool, never on an async worker.
    pub async fn read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, StoreError> + Send + 'static,
    {
        let db = self.db.clone();
        Ok(web::block(move || db.read(f)).await??)
    }

    /// Whether the database answers (`/readyz`).
    pub async fn ping(&self) -> Result<(), ApiError> {
        let db = self.db.clone();
        Ok(web::block(move || db.ping()).await??)
    }

    /// Runs `f` as one transaction of `act`'s org; after it commits, the events it appended go
    /// to the org's live clients and the org's cached public answers are dropped.
    pub async fn write_as<T, F>(&self, act: crate::activity::Activity, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection, &crate::activity::Activity) -> Result<T, StoreError>
            + Send
            + 'static,
    {
        let db = self.db.clone();
        let (result, act) = web::block(move || {
            let result = db.write(|conn| f(conn, &act));
            (result, act)
        })
        .await?;
        let value = result?;
        if act.notified() {
            self.notify_wake.notify_one();
        }
        let events = act.take_events();
        if !events.is_empty() {
            self.public.invalidate(&act.org);
            self.hub.publish(&act.org, &events);
        }
        Ok(value)
    }

    /// Runs `f` as one transaction on the blocking pool: all its writes land, or none.
    pub async fn write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, StoreError> + Send + 'static,
    {
        let db = self.db.clone();
        Ok(web::block(move || db.write(f)).await??)
    }
}
