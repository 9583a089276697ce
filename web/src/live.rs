//! The dashboard's live channel (the org's members' WebSocket): the public pages' connection
//! ([`upstate_public_page::live`]), renewing the session before each reconnection (the server
//! closes the channel when the access token expires, with 4001).

use leptos::prelude::*;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
pub use upstate_public_page::live::Connection;
use upstate_shared::ServerFrame;

/// Keeps the members' WebSocket at `path` open while the page lives (until `stop` is set).
pub fn follow(
    path: String,
    status: RwSignal<Connection>,
    stop: Arc<AtomicBool>,
    on_frame: impl Fn(ServerFrame) + 'static,
) {
    upstate_public_page::live::follow(
        path,
        status,
        stop,
        Some(|| {
            Box::pin(async {
                crate::api::refresh().await.ok();
            })
        }),
        on_frame,
    );
}
