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
    pub limits: Arc<RateLimits>,
    pub mailer: Arc<Mailer>,
    /// Wakes the outbox worker after a commit that queued a message.
    pub outbox_wake: Arc<Notify>,
    /// Wakes the maintenance scheduler after a window was scheduled or moved.
    pub maintenance_wake: Arc<Notify>,
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
