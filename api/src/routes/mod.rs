//! The whole URL space in one place: [`api_v1`] is the table of every API route (method, path,
//! handler), mounted under `/api/v1`; tests read the same table to walk every route. Paths that
//! match nothing fall to the web app (see [`crate::spa::serve`]), except under `/api`, where
//! they are a JSON 404.
//!
//! Custom domains: a request whose `Host` is an org's custom domain never sees this table as
//! it is. `crate::public::custom_domain` rewrites it first to that org's public page space:
//! `/` is `/status/{slug}`, `/history`, `/sitemap.xml`, `/history.rss`, `/history.atom`,
//! `/badge.svg`, `/incidents/{id}`, `/subscribe`, `/access`, `/subscriptions/...` and
//! `/api/v2/...` are the same below `/status/{slug}`;
//! `/status/{slug}/...`, `/api/v1/public/{slug}/...`, `/assets/...`, `/favicon.svg` and
//! `/robots.txt` pass as they are. Everything else there is a JSON 404, and no answer there
//! sets a cookie.

use crate::error::ApiError;
use crate::public::subscribe;
use actix_web::http::Method;
use actix_web::{FromRequest, Handler, HttpResponse, Responder, Route, web};
use serde::Deserialize;

pub mod account;
pub mod api_keys;
pub mod audit_log;
pub mod auth;
pub mod branding;
pub mod custom_domains;
pub mod export;
pub mod health;
pub mod imports;
pub mod incident_templates;
pub mod incidents;
pub mod integrations;
pub mod invitations;
pub mod maintenances;
pub mod markdown;
pub mod members;
pub mod meta;
pub mod metrics;
pub mod monitors;
pub mod orgs;
pub mod page_access;
pub mod passkeys;
pub mod paths;
pub mod public;
pub mod security;
pub mod service_groups;
pub mod services;
pub mod sso;
pub mod subscribers;
pub mod subscriptions;
pub mod two_factor;
pub mod ws;

/// One route of the API.
pub struct Endpoint {
    pub method: Method,
    /// Relative to `/api/v1`; `{org}` is an organization's slug.
    pub path: &'static str,
    route: Route,
}

fn endpoint<F, Args>(method: Method, path: &'static str, handler: F) -> Endpoint
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    Endpoint {
        route: web::method(method.clone()).to(handler),
        method,
        path,
    }
}

/// Every route of `/api/v1`.
pub fn api_v1() -> Vec<Endpoint> {
    use Method as M;
    vec![
        endpoint(M::GET, "/meta", meta::get),
        // For proxies that issue certificates on demand: is this host an org's custom domain?
        endpoint(M::GET, "/custom-domains/check", custom_domains::check),
        // Authentication
        endpoint(M::POST, "/auth/register", auth::register),
        endpoint(M::POST, "/auth/verify-email", auth::verify_email),
        endpoint(M::POST, "/auth/login", auth::login),
        endpoint(M::POST, "/auth/refresh", auth::refresh),
        endpoint(M::POST, "/auth/logout", auth::logout),
        endpoint(M::GET, "/auth/me", auth::me),
        endpoint(
            M::POST,
            "/auth/password-reset",
            auth::request_password_reset,
        ),
        endpoint(
            M::POST,
            "/auth/password-reset/confirm",
            auth::confirm_password_reset,
        ),
        // Single sign-on with OpenID Connect (issue 22): the browser's way in and back.
        endpoint(M::GET, "/auth/sso/start", sso::start),
        endpoint(M::GET, "/auth/sso/callback", sso::callback),
        // A person's own account
        endpoint(M::PATCH, "/account", account::update),
        endpoint(M::DELETE, "/account", account::delete),
        endpoint(M::GET, "/account/export", account::export),
        endpoint(M::POST, "/account/email", account::change_email),
        endpoint(M::POST, "/account/email/confirm", account::confirm_email),
        endpoint(M::POST, "/account/password", account::change_password),
        endpoint(M::GET, "/account/sessions", account::sessions),
        endpoint(M::DELETE, "/account/sessions", account::end_other_sessions),
        endpoint(
            M::DELETE,
            "/account/sessions/{session}",
            account::end_session,
        ),
        // Two-factor sign-in (issue 22): the second step, and a person's own enrolment.
        endpoint(M::POST, "/auth/login/two-factor", two_factor::login),
        endpoint(M::GET, "/account/two-factor", two_factor::status),
        endpoint(M::POST, "/account/two-factor/totp", two_factor::enrol),
        endpoint(
            M::POST,
            "/account/two-factor/totp/confirm",
            two_factor::confirm,
        ),
        endpoint(
            M::POST,
            "/account/two-factor/totp/disable",
            two_factor::disable,
        ),
        endpoint(
            M::POST,
            "/account/two-factor/recovery-codes",
            two_factor::regenerate_recovery_codes,
        ),
        // Passkeys (issue 22): signing in with one alone or as the second step, and a person's
        // own passkeys.
        endpoint(M::POST, "/auth/passkey/options", passkeys::sign_in_options),
        endpoint(M::POST, "/auth/passkey", passkeys::sign_in),
        endpoint(
            M::POST,
            "/auth/login/two-factor/passkey-options",
            passkeys::second_factor_options,
        ),
        endpoint(M::GET, "/account/passkeys", passkeys::list),
        endpoint(
            M::POST,
            "/account/passkey-registration",
            passkeys::start_registration,
        ),
        endpoint(M::POST, "/account/passkeys", passkeys::create),
        endpoint(M::PATCH, "/account/passkeys/{passkey}", passkeys::rename),
        endpoint(M::DELETE, "/account/passkeys/{passkey}", passkeys::delete),
        // Organizations
        endpoint(M::GET, "/orgs", orgs::list),
        endpoint(M::POST, "/orgs", orgs::create),
        endpoint(M::GET, "/orgs/{org}", orgs::get),
        endpoint(M::PATCH, "/orgs/{org}", orgs::update),
        endpoint(M::DELETE, "/orgs/{org}", orgs::delete),
        endpoint(M::GET, "/orgs/{org}/branding", branding::get),
        endpoint(M::PUT, "/orgs/{org}/branding", branding::update),
        endpoint(M::POST, "/orgs/{org}/branding/preview", branding::preview),
        endpoint(M::GET, "/orgs/{org}/security", security::get),
        endpoint(M::PUT, "/orgs/{org}/security", security::put),
        // The org's single sign-on (owners)
        endpoint(M::GET, "/orgs/{org}/sso", sso::get),
        endpoint(M::PUT, "/orgs/{org}/sso", sso::put),
        endpoint(M::DELETE, "/orgs/{org}/sso", sso::delete),
        // Everything of the org as one document (data portability)
        endpoint(M::GET, "/orgs/{org}/export", export::export),
        // Team
        endpoint(M::GET, "/orgs/{org}/members", members::list),
        endpoint(M::PATCH, "/orgs/{org}/members/{user_id}", members::update),
        endpoint(M::DELETE, "/orgs/{org}/members/{user_id}", members::remove),
        endpoint(M::GET, "/orgs/{org}/invitations", invitations::list),
        endpoint(M::POST, "/orgs/{org}/invitations", invitations::create),
        endpoint(
            M::DELETE,
            "/orgs/{org}/invitations/{invitation_id}",
            invitations::revoke,
        ),
        endpoint(M::POST, "/invitations/accept", invitations::accept),
        endpoint(M::GET, "/orgs/{org}/api-keys", api_keys::list),
        endpoint(M::POST, "/orgs/{org}/api-keys", api_keys::create),
        endpoint(M::DELETE, "/orgs/{org}/api-keys/{key_id}", api_keys::revoke),
        endpoint(M::GET, "/orgs/{org}/audit-log", audit_log::list),
        // Who may see the status page (public, members, a password, address ranges)
        endpoint(M::GET, "/orgs/{org}/page-access", page_access::get),
        endpoint(M::PUT, "/orgs/{org}/page-access", page_access::put),
        // Services and groups
        endpoint(M::GET, "/orgs/{org}/services", services::list),
        endpoint(M::POST, "/orgs/{org}/services", services::create),
        endpoint(M::GET, "/orgs/{org}/services/{service_id}", services::get),
        endpoint(
            M::PATCH,
            "/orgs/{org}/services/{service_id}",
            services::update,
        ),
        endpoint(
            M::DELETE,
            "/orgs/{org}/services/{service_id}",
            services::delete,
        ),
        endpoint(
            M::POST,
            "/orgs/{org}/services/{service_id}/move",
            services::move_to,
        ),
        endpoint(
            M::GET,
            "/orgs/{org}/services/{service_id}/history",
            services::history,
        ),
        endpoint(M::GET, "/orgs/{org}/service-groups", service_groups::list),
        endpoint(
            M::POST,
            "/orgs/{org}/service-groups",
            service_groups::create,
        ),
        endpoint(
            M::GET,
            "/orgs/{org}/service-groups/{group_id}",
            service_groups::get,
        ),
        endpoint(
            M::PATCH,
            "/orgs/{org}/service-groups/{group_id}",
            service_groups::update,
        ),
        endpoint(
            M::DELETE,
            "/orgs/{org}/service-groups/{group_id}",
            service_groups::delete,
        ),
        endpoint(
            M::POST,
            "/orgs/{org}/service-groups/{group_id}/move",
            service_groups::move_to,
        ),
        // Incidents
        endpoint(M::GET, "/orgs/{org}/incidents", incidents::list),
        endpoint(M::POST, "/orgs/{org}/incidents", incidents::create),
        endpoint(
            M::GET,
            "/orgs/{org}/incidents/{incident_id}",
            incidents::get,
        ),
        endpoint(
            M::PATCH,
            "/orgs/{org}/incidents/{incident_id}",
            incidents::update,
        ),
        endpoint(
            M::DELETE,
            "/orgs/{org}/incidents/{incident_id}",
            incidents::delete,
        ),
        endpoint(
            M::POST,
            "/orgs/{org}/incidents/{incident_id}/updates",
            incidents::add_update,
        ),
        // Incident templates: the incidents a team declares again and again
        endpoint(
            M::GET,
            "/orgs/{org}/incident-templates",
            incident_templates::list,
        ),
        endpoint(
            M::POST,
            "/orgs/{org}/incident-templates",
            incident_templates::create,
        ),
        endpoint(
            M::GET,
            "/orgs/{org}/incident-templates/{template_id}",
            incident_templates::get,
        ),
        endpoint(
            M::PATCH,
            "/orgs/{org}/incident-templates/{template_id}",
            incident_templates::update,
        ),
        endpoint(
            M::DELETE,
            "/orgs/{org}/incident-templates/{template_id}",
            incident_templates::delete,
        ),
        endpoint(M::POST, "/orgs/{org}/markdown", markdown::preview),
        // Maintenance
        endpoint(M::GET, "/orgs/{org}/maintenances", maintenances::list),
        endpoint(M::POST, "/orgs/{org}/maintenances", maintenances::create),
        endpoint(
            M::GET,
            "/orgs/{org}/maintenances/{maintenance_id}",
            maintenances::get,
        ),
        endpoint(
            M::PATCH,
            "/orgs/{org}/maintenances/{maintenance_id}",
            maintenances::update,
        ),
        endpoint(
            M::DELETE,
            "/orgs/{org}/maintenances/{maintenance_id}",
            maintenances::delete,
        ),
        endpoint(
            M::POST,
            "/orgs/{org}/maintenances/{maintenance_id}/updates",
            maintenances::add_update,
        ),
        // Subscribers of the status page, as admins see them
        endpoint(M::GET, "/orgs/{org}/subscribers", subscribers::list),
        endpoint(M::GET, "/orgs/{org}/subscriber-counts", subscribers::counts),
        endpoint(M::GET, "/orgs/{org}/subscribers.csv", subscribers::export),
        endpoint(M::POST, "/orgs/{org}/subscribers.csv", subscribers::import),
        // Bringing a page over from another product
        endpoint(
            M::POST,
            "/orgs/{org}/imports/statuspage",
            imports::statuspage,
        ),
        endpoint(
            M::DELETE,
            "/orgs/{org}/subscribers/{subscriber_id}",
            subscribers::delete,
        ),
        // Team integrations (Slack, Discord, Teams, Mattermost, webhooks)
        endpoint(M::GET, "/orgs/{org}/integrations", integrations::list),
        endpoint(M::POST, "/orgs/{org}/integrations", integrations::create),
        endpoint(
            M::GET,
            "/orgs/{org}/integrations/{integration_id}",
            integrations::get,
        ),
        endpoint(
            M::PATCH,
            "/orgs/{org}/integrations/{integration_id}",
            integrations::update,
        ),
        endpoint(
            M::DELETE,
            "/orgs/{org}/integrations/{integration_id}",
            integrations::delete,
        ),
        endpoint(
            M::POST,
            "/orgs/{org}/integrations/{integration_id}/test",
            integrations::test,
        ),
        endpoint(
            M::GET,
            "/orgs/{org}/integrations/{integration_id}/deliveries",
            integrations::deliveries,
        ),
        endpoint(
            M::POST,
            "/orgs/{org}/integrations/{integration_id}/deliveries/{delivery_id}/redeliver",
            integrations::redeliver,
        ),
        // Monitors: automated checks that drive a service's status
        endpoint(M::GET, "/orgs/{org}/monitors", monitors::list),
        endpoint(M::POST, "/orgs/{org}/monitors", monitors::create),
        endpoint(M::GET, "/orgs/{org}/monitors/{monitor_id}", monitors::get),
        endpoint(
            M::PATCH,
            "/orgs/{org}/monitors/{monitor_id}",
            monitors::update,
        ),
        endpoint(
            M::DELETE,
            "/orgs/{org}/monitors/{monitor_id}",
            monitors::delete,
        ),
        endpoint(
            M::GET,
            "/orgs/{org}/monitors/{monitor_id}/results",
            monitors::results,
        ),
        endpoint(
            M::GET,
            "/orgs/{org}/monitors/{monitor_id}/chart",
            monitors::chart,
        ),
        endpoint(
            M::POST,
            "/orgs/{org}/monitors/{monitor_id}/test",
            monitors::test,
        ),
        // A heartbeat monitor's job says it ran (no credentials: the token is the secret)
        endpoint(M::GET, "/heartbeats/{token}", monitors::heartbeat_get),
        endpoint(M::HEAD, "/heartbeats/{token}", monitors::heartbeat_head),
        endpoint(M::POST, "/heartbeats/{token}", monitors::heartbeat_post),
        // Live events of the dashboard (WebSocket)
        endpoint(M::GET, "/orgs/{org}/ws", ws::members_ws),
        // Public: the status page's read path and live events, no credentials
        endpoint(M::GET, "/public/{org}/summary", public::summary),
        endpoint(M::GET, "/public/{org}/incidents", public::incidents),
        endpoint(
            M::GET,
            "/public/{org}/incidents/{incident_id}",
            public::incident,
        ),
        endpoint(M::GET, "/public/{org}/history", public::history),
        endpoint(M::GET, "/public/{org}/uptime", public::uptime),
        endpoint(M::GET, "/public/{org}/ws", ws::public_ws),
        // Public: subscribing, and a subscription's own link (its token is the key)
        endpoint(
            M::POST,
            "/public/{org}/subscriptions",
            subscriptions::subscribe,
        ),
        endpoint(
            M::GET,
            "/public/{org}/subscriptions/{token}",
            subscriptions::get,
        ),
        endpoint(
            M::PATCH,
            "/public/{org}/subscriptions/{token}",
            subscriptions::update,
        ),
        endpoint(
            M::DELETE,
            "/public/{org}/subscriptions/{token}",
            subscriptions::unsubscribe,
        ),
        endpoint(
            M::POST,
            "/public/{org}/subscriptions/{token}/confirm",
            subscriptions::confirm,
        ),
    ]
}

/// The method and path of every API route, as integrators call them (`/api/v1/...`).
pub fn api_routes() -> Vec<(Method, String)> {
    api_v1()
        .into_iter()
        .map(|e| (e.method, format!("/api/v1{}", e.path)))
        .chain(
            statuspage_v2()
                .into_iter()
                .map(|e| (e.method, format!("{STATUSPAGE_V2}{}", e.path))),
        )
        .collect()
}

/// Where a status page answers in Atlassian Statuspage's public v2 JSON.
const STATUSPAGE_V2: &str = "/status/{org}/api/v2";

/// Every route under [`STATUSPAGE_V2`]: the page in the format tools written for Statuspage
/// read (`crate::public::statuspage`).
pub fn statuspage_v2() -> Vec<Endpoint> {
    use crate::public::statuspage as sp;
    use Method as M;
    vec![
        endpoint(M::GET, "/summary.json", sp::summary),
        endpoint(M::GET, "/status.json", sp::status),
        endpoint(M::GET, "/components.json", sp::components),
        endpoint(M::GET, "/incidents.json", sp::incidents),
        endpoint(
            M::GET,
            "/incidents/unresolved.json",
            sp::unresolved_incidents,
        ),
        endpoint(M::GET, "/scheduled-maintenances.json", sp::maintenances),
        endpoint(
            M::GET,
            "/scheduled-maintenances/upcoming.json",
            sp::upcoming_maintenances,
        ),
        endpoint(
            M::GET,
            "/scheduled-maintenances/active.json",
            sp::active_maintenances,
        ),
    ]
}

/// Mounts every route of the server.
pub fn configure(cfg: &mut web::ServiceConfig) {
    // Routes of one path share a resource, so a wrong method is a 405, not a 404.
    let mut resources: Vec<(&'static str, Vec<Method>, Vec<Route>)> = Vec::new();
    for endpoint in api_v1() {
        match resources
            .iter_mut()
            .find(|(path, _, _)| *path == endpoint.path)
        {
            Some((_, methods, routes)) => {
                methods.push(endpoint.method);
                routes.push(endpoint.route);
            }
            None => resources.push((endpoint.path, vec![endpoint.method], vec![endpoint.route])),
        }
    }
    // actix tries resources in the order they are added: the public read path, which takes
    // nearly all the traffic in an outage, goes first (no two paths overlap, so the order does
    // not change which route answers).
    resources.sort_by_key(|(path, _, _)| !path.starts_with("/public/"));
    let mut v1 = web::scope("/v1").default_service(web::to(api_not_found));
    for (path, methods, routes) in resources {
        let mut resource = web::resource(path).default_service(method_not_allowed(&methods));
        for route in routes {
            resource = resource.route(route);
        }
        v1 = v1.service(resource);
    }
    cfg.service(web::resource("/healthz").route(web::get().to(health::healthz)))
        .service(web::resource("/robots.txt").route(web::get().to(meta::robots_txt)))
        .service(web::resource("/readyz").route(web::get().to(health::readyz)))
        // Prometheus metrics: behind `UPSTATE_METRICS_TOKEN`, else a 404 (the listener of
        // `UPSTATE_METRICS_BIND` answers them before routing: `crate::metrics`).
        .service(
            web::resource("/metrics")
                .route(web::get().to(metrics::scrape))
                .default_service(method_not_allowed(&[Method::GET])),
        )
        // The OpenAPI document at /api/openapi.json and Swagger UI (embedded) at /api/docs/.
        .service(utoipa_swagger_ui::SwaggerUi::new("/api/docs/{_:.*}").url(
            "/api/openapi.json",
            <crate::openapi::ApiDoc as utoipa::OpenApi>::openapi(),
        ))
        .service(web::resource("/api/docs").route(web::get().to(docs_redirect)))
        .service(
            web::scope("/api")
                .service(v1)
                .default_service(web::to(api_not_found)),
        )
        // The page in Statuspage's v2 JSON (see `statuspage_v2`).
        .service({
            let mut v2 = web::scope(STATUSPAGE_V2).default_service(web::to(api_not_found));
            for endpoint in statuspage_v2() {
                v2 = v2.service(
                    web::resource(endpoint.path)
                        .route(endpoint.route)
                        .default_service(method_not_allowed(&[Method::GET])),
                );
            }
            v2
        })
        // The public pages, drawn by the server (their own bundle takes over in the browser).
        .service(
            web::resource("/status/{org}")
                .route(web::get().to(crate::public::page::status_page))
                .default_service(method_not_allowed(&[Method::GET])),
        )
        // The page's state (or a service's) as a badge for READMEs.
        .service(
            web::resource("/status/{org}/badge.svg")
                .route(web::get().to(crate::public::badge::badge))
                .default_service(method_not_allowed(&[Method::GET])),
        )
        // What a customer puts on their own site: the banner script and the compact view for
        // an iframe (the only answers other sites may frame, `crate::public::embed`).
        .service(
            web::resource("/status/{org}/embed.js")
                .route(web::get().to(crate::public::embed::script))
                .default_service(method_not_allowed(&[Method::GET])),
        )
        .service(
            web::resource("/status/{org}/embed")
                .route(web::get().to(crate::public::embed::view))
                .default_service(method_not_allowed(&[Method::GET])),
        )
        // The page's history for feed readers.
        .service(
            web::resource("/status/{org}/history.rss")
                .route(web::get().to(crate::public::feed::rss))
                .default_service(method_not_allowed(&[Method::GET])),
        )
        .service(
            web::resource("/status/{org}/history.atom")
                .route(web::get().to(crate::public::feed::atom))
                .default_service(method_not_allowed(&[Method::GET])),
        )
        .service(
            web::resource("/status/{org}/incidents/{incident_id}")
                .route(web::get().to(crate::public::page::incident_page))
                .default_service(method_not_allowed(&[Method::GET])),
        )
        // Past months of incidents and maintenance, and the pages for search engines.
        .service(
            web::resource("/status/{org}/history")
                .route(web::get().to(crate::public::page::history_page))
                .default_service(method_not_allowed(&[Method::GET])),
        )
        .service(
            web::resource("/status/{org}/sitemap.xml")
                .route(web::get().to(crate::public::sitemap::sitemap))
                .default_service(method_not_allowed(&[Method::GET])),
        )
        // A private page's password (a plain form: `crate::public::access`).
        .service(
            web::resource("/status/{org}/access")
                .route(web::post().to(crate::public::access::password_post))
                .default_service(method_not_allowed(&[Method::POST])),
        )
        // Subscribing, and a subscription's own links (plain forms: no JavaScript needed).
        .service(
            web::resource("/status/{org}/subscribe")
                .route(web::get().to(subscribe::subscribe_page))
                .route(web::post().to(subscribe::subscribe_form_post))
                .default_service(method_not_allowed(&[Method::GET, Method::POST])),
        )
        .service(
            web::resource("/status/{org}/subscriptions/{token}")
                .route(web::get().to(subscribe::manage_page))
                .route(web::post().to(subscribe::manage_post))
                .default_service(method_not_allowed(&[Method::GET, Method::POST])),
        )
        .service(
            web::resource("/status/{org}/subscriptions/{token}/confirm")
                .route(web::get().to(subscribe::confirm_page))
                .route(web::post().to(subscribe::confirm_post))
                .default_service(method_not_allowed(&[Method::GET, Method::POST])),
        )
        .service(
            web::resource("/status/{org}/subscriptions/{token}/unsubscribe")
                .route(web::get().to(subscribe::unsubscribe_page))
                .route(web::post().to(subscribe::unsubscribe_post))
                .default_service(method_not_allowed(&[Method::GET, Method::POST])),
        );
}

async fn docs_redirect() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header(("Location", "/api/docs/"))
        .finish()
}

async fn api_not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound(
        "There is no API route at this path.".into(),
    ))
}

/// The answer to a method a path does not take: 405 naming those it does.
fn method_not_allowed(methods: &[Method]) -> Route {
    let allow = methods
        .iter()
        .map(Method::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    web::to(move |req: actix_web::HttpRequest| {
        let error = ApiError::MethodNotAllowed {
            method: req.method().to_string(),
            allow: allow.clone(),
        };
        async move { Err::<HttpResponse, _>(error) }
    })
}

/// `?limit=` (1 to 100, default 25) and `?cursor=` of a list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// Page size, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(
        pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
    )]
    pub cursor: Option<String>,
}

/// A page's size when the request does not say.
pub const DEFAULT_LIMIT: i64 = 25;

impl Paging {
    /// The page size, or a 400 when out of range.
    pub fn limit(&self) -> Result<i64, ApiError> {
        match self.limit {
            None => Ok(DEFAULT_LIMIT),
            Some(limit @ 1..=100) => Ok(i64::from(limit)),
            Some(_) => Err(ApiError::BadRequest(
                "`limit` must be between 1 and 100.".into(),
            )),
        }
    }

    /// The cursor, which is the id of the last item of the previous page (typed as the list's
    /// ids), or a 400.
    pub fn cursor<Id: From<String>>(&self) -> Result<Option<Id>, ApiError> {
        match &self.cursor {
            None => Ok(None),
            Some(cursor) if is_id(cursor) => Ok(Some(Id::from(cursor.clone()))),
            Some(_) => Err(ApiError::BadRequest(
                "`cursor` is not one this list gave out.".into(),
            )),
        }
    }
}

/// Whether `text` has the shape of an id (a UUID).
fn is_id(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

pub use crate::views::page_of;

/// `?state=` of the incident list (its paging is a [`Paging`] read from the same query).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IncidentsFilter {
    /// Open or resolved ones; all when absent.
    pub state: Option<IncidentsState>,
}

/// Which incidents a list shows.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IncidentsState {
    Open,
    Resolved,
}

/// `?state=` of the maintenance list (its paging is a [`Paging`] read from the same query).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MaintenancesFilter {
    /// Upcoming, active or past windows; all when absent.
    pub state: Option<MaintenancesState>,
}

/// Which maintenance windows a list shows.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MaintenancesState {
    Upcoming,
    Active,
    Past,
}

#[cfg(test)]
mod tests {
    use super::api_v1;

    /// Whether one request path could match both patterns (`{name}` matches any one segment).
    fn overlap(a: &str, b: &str) -> bool {
        let (a, b): (Vec<&str>, Vec<&str>) = (a.split('/').collect(), b.split('/').collect());
        a.len() == b.len()
            && a.iter()
                .zip(&b)
                .all(|(x, y)| x == y || x.starts_with('{') || y.starts_with('{'))
    }

    /// `configure` puts the public routes first; that is safe only while no two paths overlap.
    #[test]
    fn no_two_route_paths_overlap() {
        let mut paths: Vec<&str> = api_v1().iter().map(|e| e.path).collect();
        paths.sort();
        paths.dedup();
        for (i, a) in paths.iter().enumerate() {
            for b in &paths[i + 1..] {
                assert!(!overlap(a, b), "{a} and {b} could answer the same request");
            }
        }
        assert!(overlap("/orgs/{org}/ws", "/orgs/acme/ws"));
        assert!(!overlap("/orgs/{org}/ws", "/public/{org}/ws"));
    }
}
