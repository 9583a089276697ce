//! The OpenAPI 3.1 document of the API, generated from the handlers' `#[utoipa::path]`
//! annotations and the `shared` types. Served at `/api/openapi.json` with Swagger UI (its
//! assets in the binary, so it works offline) at `/api/docs/`; committed as
//! `openapi/openapi.json` (`just openapi`), and a test fails when the two differ.

use crate::routes;
use std::collections::BTreeMap;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Upstate API",
        description = "Status pages: services, incidents, maintenance and the team behind them. \
            Every error answers `{\"error\": {\"code\", \"message\", \"fields\"?}}`. Lists answer \
            `{\"items\": [...], \"next_cursor\": ...}`; pass `next_cursor` back as `?cursor=`. \
            Integrators authenticate with an API key as a bearer token; the web app with HttpOnly \
            cookies, sending `X-Requested-With: upstate` on every write."
    ),
    paths(
        routes::meta::get,
        routes::auth::register,
        routes::auth::verify_email,
        routes::auth::login,
        routes::auth::refresh,
        routes::auth::logout,
        routes::auth::me,
        routes::auth::request_password_reset,
        routes::auth::confirm_password_reset,
        routes::account::update,
        routes::account::delete,
        routes::account::export,
        routes::account::change_email,
        routes::account::confirm_email,
        routes::account::change_password,
        routes::account::sessions,
        routes::account::end_other_sessions,
        routes::account::end_session,
        // Two-factor sign-in (issue 22).
        routes::two_factor::login,
        routes::two_factor::status,
        routes::two_factor::enrol,
        routes::two_factor::confirm,
        routes::two_factor::disable,
        routes::two_factor::regenerate_recovery_codes,
        // Single sign-on with OpenID Connect (issue 22).
        routes::sso::start,
        routes::sso::callback,
        routes::sso::get,
        routes::sso::put,
        routes::sso::delete,
        // Passkeys (issue 22).
        routes::passkeys::sign_in_options,
        routes::passkeys::sign_in,
        routes::passkeys::second_factor_options,
        routes::passkeys::list,
        routes::passkeys::start_registration,
        routes::passkeys::create,
        routes::passkeys::rename,
        routes::passkeys::delete,
        routes::orgs::list,
        routes::orgs::create,
        routes::orgs::get,
        routes::orgs::update,
        routes::orgs::delete,
        routes::branding::get,
        routes::branding::update,
        routes::branding::preview,
        routes::security::get,
        routes::security::put,
        routes::export::export,
        routes::members::list,
        routes::members::update,
        routes::members::remove,
        routes::invitations::list,
        routes::invitations::create,
        routes::invitations::revoke,
        routes::invitations::accept,
        routes::api_keys::list,
        routes::api_keys::create,
        routes::api_keys::revoke,
        routes::audit_log::list,
        routes::page_access::get,
        routes::page_access::put,
        routes::services::list,
        routes::services::create,
        routes::services::get,
        routes::services::update,
        routes::services::delete,
        routes::services::move_to,
        routes::services::history,
        routes::service_groups::list,
        routes::service_groups::create,
        routes::service_groups::get,
        routes::service_groups::update,
        routes::service_groups::delete,
        routes::service_groups::move_to,
        routes::incidents::list,
        routes::incidents::create,
        routes::incidents::get,
        routes::incidents::update,
        routes::incidents::delete,
        routes::incidents::add_update,
        routes::markdown::preview,
        routes::maintenances::list,
        routes::maintenances::create,
        routes::maintenances::get,
        routes::maintenances::update,
        routes::maintenances::delete,
        routes::maintenances::add_update,
        routes::subscribers::list,
        routes::subscribers::counts,
        routes::subscribers::export,
        routes::subscribers::import,
        routes::subscribers::delete,
        routes::integrations::list,
        routes::integrations::create,
        routes::integrations::get,
        routes::integrations::update,
        routes::integrations::delete,
        routes::integrations::test,
        routes::integrations::deliveries,
        routes::integrations::redeliver,
        routes::incident_templates::list,
        routes::incident_templates::create,
        routes::incident_templates::get,
        routes::incident_templates::update,
        routes::incident_templates::delete,
        routes::monitors::list,
        routes::monitors::create,
        routes::monitors::get,
        routes::monitors::update,
        routes::monitors::delete,
        routes::monitors::results,
        routes::monitors::chart,
        routes::monitors::test,
        routes::monitors::heartbeat_get,
        routes::monitors::heartbeat_head,
        routes::monitors::heartbeat_post,
        routes::ws::members_ws,
        routes::public::summary,
        routes::public::incidents,
        routes::public::incident,
        routes::public::uptime,
        routes::public::history,
        routes::ws::public_ws,
        routes::subscriptions::subscribe,
        routes::subscriptions::confirm,
        routes::subscriptions::get,
        routes::subscriptions::update,
        routes::subscriptions::unsubscribe,
        crate::public::statuspage::summary,
        crate::public::statuspage::status,
        crate::public::statuspage::components,
        crate::public::statuspage::incidents,
        crate::public::statuspage::unresolved_incidents,
        crate::public::statuspage::maintenances,
        crate::public::statuspage::upcoming_maintenances,
        crate::public::statuspage::active_maintenances,
        routes::custom_domains::check,
        routes::imports::statuspage,
    ),
    components(schemas(
        upstate_shared::ErrorBody,
        upstate_shared::ErrorDetail,
        upstate_shared::ErrorCode,
        crate::routes::IncidentsState,
        crate::routes::MaintenancesState,
    )),
    modifiers(&Conventions, &Links),
    tags(
        (name = "auth", description = "Registration, sign-in, sessions and password reset"),
        (name = "account", description = "A person's own account: profile, address, password, sessions, two-factor sign-in"),
        (name = "organizations", description = "Organizations (tenants)"),
        (name = "team", description = "Members, roles and invitations"),
        (name = "api-keys", description = "Keys for integrators, scoped to one organization and role"),
        (name = "audit-log", description = "Who did what"),
        (name = "services", description = "The services of the status page and their status history"),
        (name = "service-groups", description = "Groups of services"),
        (name = "incidents", description = "Incidents and their timeline of updates"),
        (name = "incident-templates", description = "Named incidents to declare again and again: admins keep them, editors declare from them"),
        (name = "maintenance", description = "Scheduled maintenance windows"),
        (name = "subscribers", description = "Who subscribed to the status page (by email or webhook): search, remove, export and import"),
        (name = "integrations", description = "Where the team hears about incidents and maintenance: Slack, Discord, Microsoft Teams, Mattermost and signed webhooks"),
        (name = "monitors", description = "Automated checks (HTTP, TCP, DNS, heartbeat) that drive a service's status, open and resolve incidents and alert the team"),
        (name = "statuspage", description = "A status page in Atlassian Statuspage's public v2 JSON, for tools written for it: no credentials, readable from any site (CORS *)"),
        (name = "public", description = "A status page's public read path and live events: no credentials"),
        (name = "meta", description = "About this server"),
    )
)]
pub struct ApiDoc;

/// The document, pretty-printed as committed in `openapi/openapi.json`.
pub fn pretty_json() -> String {
    let mut text = ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|err| format!("{{\"error\": \"{err}\"}}"));
    text.push('\n');
    text
}

/// Operations that need no credentials.
const PUBLIC: &[&str] = &[
    "meta_get",
    "statuspage_summary",
    "statuspage_status",
    "statuspage_components",
    "statuspage_incidents",
    "statuspage_unresolved_incidents",
    "statuspage_maintenances",
    "statuspage_upcoming_maintenances",
    "statuspage_active_maintenances",
    "custom_domains_check",
    "heartbeats_get",
    "heartbeats_head",
    "heartbeats_post",
    "public_summary",
    "public_incidents",
    "public_incident",
    "public_uptime",
    "public_history",
    "public_ws",
    "public_subscribe",
    "public_confirm_subscription",
    "public_get_subscription",
    "public_update_subscription",
    "public_unsubscribe",
    "auth_register",
    "auth_verify_email",
    "auth_login",
    "auth_refresh",
    "auth_logout",
    "auth_request_password_reset",
    "auth_confirm_password_reset",
    "auth_login_two_factor",
    "auth_sso_start",
    "auth_sso_callback",
    "auth_passkey_options",
    "auth_passkey",
    "auth_login_two_factor_passkey_options",
    "account_confirm_email",
];

/// Operations that are rate limited.
const RATE_LIMITED: &[&str] = &[
    "public_subscribe",
    "auth_register",
    "auth_verify_email",
    "auth_login",
    "auth_request_password_reset",
    "auth_confirm_password_reset",
    "auth_login_two_factor",
    "auth_sso_start",
    "auth_sso_callback",
    "two_factor_totp_confirm",
    "two_factor_totp_disable",
    "two_factor_recovery_codes_regenerate",
    "auth_passkey_options",
    "auth_passkey",
    "auth_login_two_factor_passkey_options",
    "account_delete",
    "passkeys_registration_start",
    "account_change_email",
    "account_confirm_email",
    "account_change_password",
    "invitations_create",
];

/// Answers particular to one operation (beyond those every operation of its kind has).
const PARTICULAR: &[(&str, &str, &str)] = &[
    ("auth_login", "401", "The email or password is not correct"),
    (
        "auth_verify_email",
        "401",
        "The link is not valid, used or expired",
    ),
    (
        "auth_confirm_password_reset",
        "401",
        "The link is not valid, used or expired",
    ),
    ("auth_refresh", "401", "No valid refresh cookie"),
    (
        "auth_refresh",
        "403",
        "The request lacks `X-Requested-With: upstate`",
    ),
    (
        "auth_logout",
        "403",
        "A cookie request lacks `X-Requested-With: upstate`",
    ),
];

/// Links (OpenAPI Link Objects) from an answer to the operations that take an id it carries,
/// so a client, and the fuzzer's stateful phase, can go from a created resource to what acts on
/// it: `(operation, status, the id as a runtime expression, [(linked operation, the path
/// parameter that takes the id)])`. A linked operation under an `{org}` gets it from the
/// request's own `{org}`. Each link is named after the operation it leads to. A name that is
/// no operation or parameter of the document panics (any test building the document fails).
const LINKS: &[LinksFrom] = &[
    (
        "incident_templates_create",
        "201",
        "$response.body#/id",
        &[
            ("incident_templates_get", "template_id"),
            ("incident_templates_update", "template_id"),
            ("incident_templates_delete", "template_id"),
        ],
    ),
    (
        "orgs_create",
        "201",
        "$response.body#/slug",
        &[
            ("orgs_get", "org"),
            ("orgs_update", "org"),
            ("orgs_delete", "org"),
        ],
    ),
    (
        "passkeys_create",
        "201",
        "$response.body#/id",
        &[
            ("passkeys_rename", "passkey"),
            ("passkeys_delete", "passkey"),
        ],
    ),
    (
        "api_keys_create",
        "201",
        "$response.body#/id",
        &[("api_keys_revoke", "key_id")],
    ),
    (
        "invitations_create",
        "201",
        "$response.body#/id",
        &[("invitations_revoke", "invitation_id")],
    ),
    (
        "monitors_create",
        "201",
        "$response.body#/id",
        &[
            ("monitors_get", "monitor_id"),
            ("monitors_update", "monitor_id"),
            ("monitors_delete", "monitor_id"),
            ("monitors_results", "monitor_id"),
            ("monitors_chart", "monitor_id"),
            ("monitors_test", "monitor_id"),
        ],
    ),
    (
        "integrations_create",
        "201",
        "$response.body#/integration/id",
        &[
            ("integrations_get", "integration_id"),
            ("integrations_update", "integration_id"),
            ("integrations_delete", "integration_id"),
            ("integrations_test", "integration_id"),
            ("integrations_deliveries", "integration_id"),
            ("integrations_redeliver", "integration_id"),
        ],
    ),
    // A delivery is made by the worker, not by a request: the log's newest attempt names one.
    (
        "integrations_deliveries",
        "200",
        "$response.body#/items/0/delivery_id",
        &[("integrations_redeliver", "delivery_id")],
    ),
    // A subscriber subscribes from the public page (whose answer names no id, on purpose): the
    // list's newest names one.
    (
        "subscribers_list",
        "200",
        "$response.body#/items/0/id",
        &[("subscribers_delete", "subscriber_id")],
    ),
    // No operation creates a member (accepting an invitation answers the org joined, not the
    // member): the link takes the list's first member (the list is ordered by name).
    (
        "members_list",
        "200",
        "$response.body#/items/0/user/id",
        &[("members_update", "user_id"), ("members_remove", "user_id")],
    ),
    (
        "services_create",
        "201",
        "$response.body#/id",
        &[
            ("services_get", "service_id"),
            ("services_update", "service_id"),
            ("services_delete", "service_id"),
            ("services_history", "service_id"),
            ("services_move_to", "service_id"),
        ],
    ),
    (
        "services_create_group",
        "201",
        "$response.body#/id",
        &[
            ("services_get_group", "group_id"),
            ("services_update_group", "group_id"),
            ("services_delete_group", "group_id"),
            ("services_move_group", "group_id"),
        ],
    ),
    (
        "incidents_create",
        "201",
        "$response.body#/id",
        &[
            ("incidents_get", "incident_id"),
            ("incidents_update", "incident_id"),
            ("incidents_delete", "incident_id"),
            ("incidents_add_update", "incident_id"),
            ("public_incident", "incident_id"),
        ],
    ),
    // An update has no operation of its own: it links to its incident.
    (
        "incidents_add_update",
        "201",
        "$request.path.incident_id",
        &[
            ("incidents_get", "incident_id"),
            ("incidents_update", "incident_id"),
            ("incidents_add_update", "incident_id"),
            ("public_incident", "incident_id"),
        ],
    ),
    (
        "maintenances_create",
        "201",
        "$response.body#/id",
        &[
            ("maintenances_get", "maintenance_id"),
            ("maintenances_update", "maintenance_id"),
            ("maintenances_delete", "maintenance_id"),
            ("maintenances_add_update", "maintenance_id"),
        ],
    ),
    (
        "maintenances_add_update",
        "201",
        "$request.path.maintenance_id",
        &[
            ("maintenances_get", "maintenance_id"),
            ("maintenances_update", "maintenance_id"),
            ("maintenances_add_update", "maintenance_id"),
        ],
    ),
];

/// What every operation shares: the security schemes, and the error answers with their body.
struct Conventions;

impl Modify for Conventions {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("An access token from sign-in (15 minutes)."))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("upk_...")
                    .description(Some(
                        "An organization's API key, acting with its role in its organization only.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::cookies::ACCESS_COOKIE,
                "The web app's session cookie; writes must also send `X-Requested-With: upstate`.",
            ))),
        );
        for (path, item) in openapi.paths.paths.iter_mut() {
            let has_params = path.contains('{');
            let deletes = item.delete.is_some();
            for operation in [
                &mut item.get,
                &mut item.head,
                &mut item.post,
                &mut item.patch,
                &mut item.put,
            ]
            .into_iter()
            .flatten()
            {
                conventions(operation, has_params, false);
            }
            if let Some(operation) = item.delete.as_mut() {
                conventions(operation, has_params, deletes);
            }
        }
    }
}

/// `(operation, status, id expression, [(linked operation, path parameter)])`: see [`LINKS`].
type LinksFrom = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// Adds [`LINKS`] to the answers they start from.
struct Links;

impl Modify for Links {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        // Each operation's path parameters, by operation id.
        let mut path_params: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for item in openapi.paths.paths.values() {
            for operation in operations(item) {
                let names = operation
                    .parameters
                    .iter()
                    .flatten()
                    .filter_map(|parameter| match parameter {
                        RefOr::T(p) if p.parameter_in == ParameterIn::Path => Some(p.name.clone()),
                        _ => None,
                    })
                    .collect();
                path_params.insert(operation.operation_id.clone().unwrap_or_default(), names);
            }
        }
        let params_of = |id: &str| {
            path_params
                .get(id)
                .unwrap_or_else(|| panic!("openapi LINKS: no operation `{id}`"))
        };
        for (source, status, value, targets) in LINKS {
            let in_org = params_of(source).iter().any(|name| name == "org");
            let mut links = Vec::new();
            for (target, param) in *targets {
                let params = params_of(target);
                assert!(
                    params.iter().any(|name| name == param),
                    "openapi LINKS: `{target}` has no path parameter `{param}` (from `{source}`)"
                );
                let mut link = LinkBuilder::new()
                    .operation_id(*target)
                    .parameter(*param, *value);
                if in_org && *param != "org" && params.iter().any(|name| name == "org") {
                    link = link.parameter("org", "$request.path.org");
                }
                links.push((*target, link.build()));
            }
            let operation = openapi
                .paths
                .paths
                .values_mut()
                .flat_map(operations_mut)
                .find(|operation| operation.operation_id.as_deref() == Some(*source))
                .unwrap_or_else(|| panic!("openapi LINKS: no operation `{source}`"));
            let Some(RefOr::T(response)) = operation.responses.responses.get_mut(*status) else {
                panic!("openapi LINKS: `{source}` documents no {status} answer of its own");
            };
            for (name, link) in links {
                response.links.insert(name.to_owned(), RefOr::T(link));
            }
        }
    }
}

fn operations(item: &PathItem) -> impl Iterator<Item = &Operation> {
    [
        &item.get,
        &item.head,
        &item.post,
        &item.patch,
        &item.put,
        &item.delete,
    ]
    .into_iter()
    .flatten()
}

fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.head,
        &mut item.post,
        &mut item.patch,
        &mut item.put,
        &mut item.delete,
    ]
    .into_iter()
    .flatten()
}

fn conventions(operation: &mut Operation, has_params: bool, deletes: bool) {
    let id = operation.operation_id.clone().unwrap_or_default();
    let public = PUBLIC.contains(&id.as_str());
    if !public {
        operation.security = Some(vec![
            SecurityRequirement::new("bearer", Vec::<String>::new()),
            SecurityRequirement::new("api_key", Vec::<String>::new()),
            SecurityRequirement::new("cookie", Vec::<String>::new()),
        ]);
    }
    let writes = operation.request_body.is_some();
    let mut errors = vec![
        ("400", "Malformed JSON, or a bad query or path"),
        ("500", "A fault of the server (no internals in the message)"),
        ("503", "The database does not answer; see Retry-After"),
    ];
    if !public {
        errors.push(("401", "No valid credentials"));
        errors.push((
            "403",
            "The role is too low, or a cookie write lacks X-Requested-With",
        ));
    }
    if has_params {
        errors.push((
            "404",
            "No such resource (another organization's is not found either)",
        ));
    }
    if writes {
        errors.push(("409", "Taken, or the state changed meanwhile"));
        errors.push(("413", "The body is over 64 KiB"));
        errors.push(("422", "Invalid fields; see `fields`"));
    }
    if deletes {
        errors.push(("409", "Deleted meanwhile, or the state does not allow it"));
    }
    if RATE_LIMITED.contains(&id.as_str()) {
        errors.push(("429", "Too many attempts; see Retry-After"));
    }
    for (operation_id, status, description) in PARTICULAR {
        if *operation_id == id {
            errors.push((status, description));
        }
    }
    for (status, description) in errors {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| {
                RefOr::T(
                    ResponseBuilder::new()
                        .description(description)
                        .content(
                            "application/json",
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name("ErrorBody")))
                                .build(),
                        )
                        .build(),
                )
            });
    }
}
