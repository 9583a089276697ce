//! Starting the server: connect and migrate the database, bind, and serve until SIGTERM/SIGINT
//! (actix-web's signal handling drains in-flight requests for up to 10 seconds).

use crate::config::{Settings, StartError};
use crate::error::ApiError;
use crate::spa::AssetSource;
use crate::state::AppState;
use actix_web::dev::{Server, ServerHandle};
use actix_web::{App, HttpServer, web};
use std::net::TcpListener;
use std::sync::Arc;
use upstate_store::{Db, PoolOptions};

/// A started server: await `server` to run it; `handle` stops it.
pub struct Running {
    pub server: Server,
    pub handle: ServerHandle,
    /// The port it listens on (useful when the bind address asked for port 0).
    pub port: u16,
    pub state: AppState,
}

/// Connects the database, applies pending migrations and binds the listener.
pub async fn start(
    settings: Settings,
    assets: Arc<dyn AssetSource>,
) -> Result<Running, StartError> {
    let db = Db::connect(
        &settings.database_url,
        PoolOptions {
            max_size: settings.db_pool_size,
            ..PoolOptions::default()
        },
    )?;
    let applied = db.migrate()?;
    tracing::info!(database = %db.describe(), migrations_applied = applied.len(), "database ready");

    let listener = TcpListener::bind(&settings.bind)
        .map_err(|err| StartError(format!("cannot listen on {}: {err}", settings.bind)))?;
    let address = listener
        .local_addr()
        .map_err(|err| StartError(format!("cannot read the listening address: {err}")))?;

    // The listener that serves only `/metrics` (its requests are told apart by their local
    // address: `crate::metrics::separate_listener`), bound now so a bad address stops the start.
    let metrics_listener = match &settings.metrics_bind {
        Some(bind) => Some(
            TcpListener::bind(bind)
                .map_err(|err| StartError(format!("cannot listen for metrics on {bind}: {err}")))?,
        ),
        None => None,
    };
    let metrics_address = metrics_listener
        .as_ref()
        .map(TcpListener::local_addr)
        .transpose()
        .map_err(|err| StartError(format!("cannot read the metrics address: {err}")))?;
    let public_cache = Arc::new(crate::public::cache::PublicCache::default());
    let metrics = Arc::new(crate::metrics::Metrics::new(&public_cache, metrics_address));
    let notify_wake = Arc::new(tokio::sync::Notify::new());
    let mailer = crate::mail::Mailer::new(settings.smtp_url.as_deref(), &settings.mail_from)?;
    let notifier = upstate_notify::worker::Worker::new(
        db.clone(),
        upstate_notify::worker::Settings {
            public_url: settings.public_url.clone(),
            link_key: settings.jwt_secret.clone(),
            smtp_url: settings.smtp_url.clone(),
            mail_from: settings.mail_from.clone(),
            egress: settings.egress,
            first_retry: settings.delivery_retry,
            lease: settings.delivery_lease,
            mails_per_second: settings.mails_per_second,
            disable_after: settings.webhook_disable_after,
        },
        notify_wake.clone(),
    )
    .map_err(|err| StartError(format!("notifications cannot be delivered: {err}")))?
    .with_failures(metrics.notification_failures());
    let csp = content_security_policy(&assets)?;
    let state = AppState {
        db,
        jwt: Arc::new(crate::auth::tokens::Jwt::new(
            &settings.jwt_secret,
            crate::auth::tokens::ISSUER,
        )),
        sealer: Arc::new(crate::auth::sealed::Sealer::new(
            &settings.secrets_key,
            settings.secrets_key_previous.as_ref(),
        )),
        settings: Arc::new(settings),
        assets,
        limits: Arc::new(crate::auth::rate_limit::RateLimits::default()),
        mailer: Arc::new(mailer),
        outbox_wake: Arc::new(tokio::sync::Notify::new()),
        notify_wake,
        maintenance_wake: Arc::new(tokio::sync::Notify::new()),
        monitor_wake: Arc::new(tokio::sync::Notify::new()),
        hub: Arc::default(),
        public: public_cache,
        directory: Arc::default(),
        sockets: Arc::default(),
        accounts_exist: Arc::default(),
        metrics,
        csp,
    };
    crate::public::listener::reload(&state.db, &state.directory);
    if state.settings.secrets_key_previous.is_some() {
        let sealer = state.sealer.clone();
        let resealed = state.db.write(|conn| {
            Ok(crate::auth::totp::reseal_stale(conn, &sealer)?
                + crate::routes::sso::reseal_stale(conn, &sealer)?)
        })?;
        tracing::info!(
            resealed,
            "sealed secrets again with the current secrets key"
        );
    }
    if state.db.engine() == upstate_store::Engine::Postgres {
        crate::public::listener::spawn(
            state.settings.database_url.clone(),
            state.db.clone(),
            state.hub.clone(),
            state.public.clone(),
            state.directory.clone(),
        );
    }
    let data = web::Data::new(state.clone());
    // Blocking work is database calls (each needs one of the pool's connections) and password
    // hashing (19 MiB each): more threads than connections would only wait, each with its stack
    // and allocator arena. actix's default is 512 per worker; a burst of 10,000 WebSocket
    // connections (each reads its org's `seq`) spawned hundreds of them (docs/performance.md).
    let blocking_threads = blocking_threads_per_worker(state.settings.db_pool_size);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .app_data(web::PayloadConfig::new(crate::json::BODY_LIMIT))
            .app_data(path_config())
            .app_data(query_config())
            // Innermost: who may see a private page, for the paths of the public page space
            // (after a custom domain's rewrite, so its paths are gated the same way).
            .wrap(actix_web::middleware::from_fn(crate::public::access::gate))
            // An org's custom domain is mapped to its page before routing, and
            // its 404s still get the headers and the log line of every answer.
            .wrap(actix_web::middleware::from_fn(
                crate::public::custom_domain::route,
            ))
            .wrap(actix_web::middleware::from_fn(crate::headers::add))
            .wrap(actix_web::middleware::from_fn(
                crate::telemetry::log_requests,
            ))
            // Outermost: the metrics listener's requests go no further.
            .wrap(actix_web::middleware::from_fn(
                crate::metrics::separate_listener,
            ))
            .configure(crate::routes::configure)
            .default_service(web::to(crate::spa::serve))
    })
    .worker_max_blocking_threads(blocking_threads)
    .listen(listener)
    .map_err(|err| StartError(format!("cannot serve on {address}: {err}")))?;
    // One server, two listeners: the metrics one stops with the main one.
    let server = match metrics_listener {
        Some(metrics_listener) => server.listen(metrics_listener).map_err(|err| {
            StartError(format!(
                "cannot serve the metrics on {metrics_address:?}: {err}"
            ))
        })?,
        None => server,
    }
    .shutdown_timeout(10)
    .run();
    if let Some(metrics_address) = metrics_address {
        tracing::info!("metrics on http://{metrics_address}/metrics");
    }
    tracing::info!(
        "listening on http://{address} (public URL {})",
        state.settings.public_url
    );
    spawn_background(&state, notifier);
    Ok(Running {
        handle: server.handle(),
        server,
        port: address.port(),
        state,
    })
}

/// The policy of the web app's pages, from its `index.html` (none built: no inline script).
fn content_security_policy(
    assets: &Arc<dyn AssetSource>,
) -> Result<actix_web::http::header::HeaderValue, StartError> {
    // Both templates' bootstrap scripts: the dashboard's and the public pages'.
    let mut pages = Vec::new();
    for template in ["index.html", crate::public::page::TEMPLATE] {
        if let Some(asset) = assets.get(template) {
            pages.extend_from_slice(&asset.bytes);
        }
    }
    actix_web::http::header::HeaderValue::from_str(&crate::headers::content_security_policy(&pages))
        .map_err(|err| {
            StartError(format!(
                "the Content-Security-Policy is not a header value: {err}"
            ))
        })
}

/// Blocking threads per worker: as many as the pool has connections, and at least 2.
fn blocking_threads_per_worker(pool_size: u32) -> usize {
    (pool_size as usize).max(2)
}

/// The work that runs beside the requests: the outbox, notifications, the maintenance scheduler, keeping the
/// rate limiters small, and (at start, then hourly) deleting records no longer kept.
fn spawn_background(state: &AppState, notifier: upstate_notify::worker::Worker) {
    tokio::spawn(crate::mail::run_outbox(state.clone()));
    tokio::spawn(crate::scheduler::run(state.clone()));
    tokio::spawn(notifier.run());
    match upstate_monitor::runner::Runner::new(
        state.db.clone(),
        upstate_monitor::runner::Settings {
            egress: state.settings.egress,
            roots: state.settings.monitor_roots.clone(),
            concurrency: upstate_monitor::runner::Settings::default().concurrency,
        },
        crate::monitors::ServerRecorder(state.clone()),
        state.monitor_wake.clone(),
    ) {
        Ok(runner) => {
            tokio::spawn(runner.run());
        }
        Err(err) => tracing::error!(%err, "monitors cannot run: their HTTP client failed"),
    }
    let state = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
        for minute in 0u64.. {
            every.tick().await;
            state.limits.forget_idle();
            state.hub.sweep();
            if minute % 60 == 0 {
                match prune_old_records(&state).await {
                    Ok(pruned) if pruned.total() > 0 => {
                        tracing::info!(?pruned, "deleted records past their retention");
                    }
                    Ok(_) => {}
                    Err(err) => tracing::warn!(%err, "deleting old records failed"),
                }
            }
        }
    });
}

/// Deletes the records the retention policy no longer keeps (see `upstate_store::retention`).
pub async fn prune_old_records(
    state: &AppState,
) -> Result<upstate_store::retention::Pruned, ApiError> {
    let policy = state.settings.retention;
    state
        .write(move |conn| upstate_store::retention::prune(conn, upstate_store::now(), policy))
        .await
}

fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|err, _req| {
        ApiError::BadRequest(format!("The path is not valid: {err}")).into()
    })
}

fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        ApiError::BadRequest(format!("The query string is not valid: {err}")).into()
    })
}
