//! The live connection of a page: the org's WebSocket, reconnected with exponential backoff and
//! jitter, handing each frame to the page. The page compares `seq`s and resyncs on a gap.

/// The state of the connection, as the quiet indicator shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Live,
    Reconnecting,
}

impl Connection {
    /// The indicator's words.
    pub fn label(self, locale: upstate_shared::Locale) -> String {
        match self {
            Connection::Live => crate::i18n::text(locale, "live-live"),
            Connection::Connecting => crate::i18n::text(locale, "live-connecting"),
            Connection::Reconnecting => crate::i18n::text(locale, "live-reconnecting"),
        }
    }

    /// The indicator's `data-live` value (styles and tests read it).
    pub fn as_str(self) -> &'static str {
        match self {
            Connection::Live => "live",
            Connection::Connecting => "connecting",
            Connection::Reconnecting => "reconnecting",
        }
    }
}

#[cfg(feature = "browser")]
pub use browser::follow;

#[cfg(feature = "browser")]
mod browser {
    use super::Connection;
    use crate::time::sleep;
    use futures::StreamExt;
    use gloo_net::websocket::Message;
    use gloo_net::websocket::futures::WebSocket;
    use leptos::prelude::*;
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use upstate_shared::ServerFrame;

    fn socket_url(path: &str) -> String {
        let location = web_sys::window().map(|w| w.location());
        let host = location
            .as_ref()
            .and_then(|l| l.host().ok())
            .unwrap_or_default();
        let secure = location
            .and_then(|l| l.protocol().ok())
            .is_some_and(|p| p == "https:");
        format!("{}://{host}{path}", if secure { "wss" } else { "ws" })
    }

    /// What a channel does before it reconnects (the members' channel renews its session: the
    /// server closes it when the access token expires).
    pub type Renew = fn() -> Pin<Box<dyn Future<Output = ()>>>;

    /// Keeps a WebSocket to `path` open while the page lives (until `stop` is set).
    pub fn follow(
        path: String,
        status: RwSignal<Connection>,
        stop: Arc<AtomicBool>,
        renew: Option<Renew>,
        on_frame: impl Fn(ServerFrame) + 'static,
    ) {
        leptos::task::spawn_local(async move {
            let mut attempt: u32 = 0;
            while !stop.load(Ordering::Relaxed) {
                if let Ok(socket) = WebSocket::open(&socket_url(&path)) {
                    let (_write, mut read) = socket.split();
                    while let Some(message) = read.next().await {
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                        match message {
                            Ok(Message::Text(text)) => {
                                if let Ok(frame) = serde_json::from_str::<ServerFrame>(&text) {
                                    attempt = 0;
                                    status.set(Connection::Live);
                                    on_frame(frame);
                                }
                            }
                            Ok(Message::Bytes(_)) => {}
                            Err(_) => break,
                        }
                    }
                }
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                status.set(Connection::Reconnecting);
                // Whether or not a renewal worked, the reconnection below is tried: with no
                // session it is refused, and the status stays "reconnecting".
                if let Some(renew) = renew {
                    renew().await;
                }
                attempt = attempt.saturating_add(1);
                // 0.5 s, 1 s, 2 s, ... up to 30 s, each between half and all of it (jitter), so a
                // thousand visitors do not come back in the same instant.
                let ceiling = (500u32.saturating_mul(1 << attempt.min(6))).min(30_000);
                let delay = (f64::from(ceiling) * (0.5 + js_sys::Math::random() * 0.5)) as u32;
                sleep(delay).await;
            }
        });
    }
}
