//! Structured logs with tracing: readable text by default, JSON for log collectors.
//! The level comes from `RUST_LOG` (default `info`). Requests are logged by [`log_requests`],
//! which also counts them in the server's metrics ([`crate::metrics`]).

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use std::io::IsTerminal;
use std::time::Instant;
use tracing_subscriber::EnvFilter;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Installs the global subscriber; a second call (tests) leaves the first in place.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colours only for a person at a terminal, never in files or log collectors.
        .with_ansi(std::io::stderr().is_terminal());
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// The request log: one line per failed request (a 5xx, with its cause), and one per request at
/// debug level on the `upstate::access` target (`RUST_LOG=info,upstate::access=debug`).
/// Nothing else happens per request (no span, no request id), so the public read path, which
/// carries an outage's traffic, pays nothing for logging. Each request is counted in the
/// metrics by its route's template and status class (atomic counters, no label allocated).
pub async fn log_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let metrics = req
        .app_data::<actix_web::web::Data<crate::state::AppState>>()
        .map(|state| state.metrics.clone());
    let method = crate::metrics::method_of(&req);
    let result = next.call(req).await;
    let elapsed = started.elapsed();
    if let Some(metrics) = &metrics {
        match &result {
            Ok(response) => {
                metrics.observe_request(response.request(), response.status().as_u16(), elapsed)
            }
            Err(_) => metrics.observe_failure(method, elapsed),
        }
    }
    let elapsed_ms = elapsed.as_secs_f64() * 1000.0;
    match &result {
        Ok(response) if response.status().is_server_error() => {
            let (method, path) = (response.request().method(), response.request().path());
            let status = response.status().as_u16();
            let cause = response
                .response()
                .error()
                .map(ToString::to_string)
                .unwrap_or_default();
            let busy = response
                .response()
                .error()
                .and_then(|err| err.as_error::<crate::error::ApiError>())
                .is_some_and(|err| matches!(err, crate::error::ApiError::Busy(_)));
            if busy {
                tracing::debug!(%method, path, status, elapsed_ms, cause, "refused at a cap");
            } else if status == 503 {
                tracing::warn!(%method, path, status, elapsed_ms, cause, "request failed");
            } else {
                tracing::error!(%method, path, status, elapsed_ms, cause, "request failed");
            }
        }
        Ok(response) => {
            let (method, path) = (response.request().method(), response.request().path());
            tracing::debug!(target: "upstate::access", %method, path, status = response.status().as_u16(), elapsed_ms);
        }
        Err(err) => {
            tracing::error!(elapsed_ms, cause = %err, "request failed");
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::log_requests;
    use crate::error::ApiError;
    use actix_web::middleware::from_fn;
    use actix_web::{App, HttpResponse, test, web};
    use std::sync::{Arc, Mutex};

    #[actix_web::test]
    async fn a_failed_request_is_logged_once_with_its_cause_and_a_good_one_not_at_all() {
        let lines = Arc::new(Mutex::new(Vec::<u8>::new()));
        let sink = lines.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter("info")
            .with_ansi(false)
            .with_writer(move || Writer(sink.clone()))
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let app = test::init_service(
            App::new()
                .wrap(from_fn(log_requests))
                .route(
                    "/boom",
                    web::get().to(|| async {
                        Err::<HttpResponse, _>(ApiError::Internal("the disk is on fire".into()))
                    }),
                )
                .route("/fine", web::get().to(HttpResponse::Ok)),
        )
        .await;
        let boom =
            test::call_service(&app, test::TestRequest::get().uri("/boom").to_request()).await;
        assert_eq!(boom.status(), 500);
        let fine =
            test::call_service(&app, test::TestRequest::get().uri("/fine").to_request()).await;
        assert_eq!(fine.status(), 200);
        let text = String::from_utf8(lines.lock().unwrap().clone()).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
        for part in [
            "ERROR",
            "request failed",
            "GET",
            "/boom",
            "500",
            "the disk is on fire",
        ] {
            assert!(text.contains(part), "no {part:?} in {text}");
        }
    }

    struct Writer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Writer {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
}
