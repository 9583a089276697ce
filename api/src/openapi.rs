//! The OpenAPI 3.1 document of the API, generated from the handlers' `#[utoipa::path]`
//! annotations and the `shared` types. Served at `/api/openapi.json` with Swagger UI (its
//! assets in the binary, so it works offline) at `/api/docs/`; committed as
//! `openapi/openapi.json` (`just openapi`), and a test fails when the two differ.

use crate::routes;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::Operation;
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
        routes::orgs::list,
        routes::orgs::create,
        routes::orgs::get,
        routes::orgs::update,
        routes::orgs::delete,
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
        routes::services::list,
        routes::services::create,
        routes::services::get,
        routes::services::update,
        routes::services::delete,
        routes::services::move_to,
        routes::services::history,
        routes::services::list_groups,
        routes::services::create_group,
        routes::services::get_group,
        routes::services::update_group,
        routes::services::delete_group,
        routes::services::move_group,
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
        routes::public::members_ws,
        routes::public::summary,
        routes::public::incidents,
        routes::public::incident,
        routes::public::uptime,
        routes::public::public_ws,
    ),
    components(schemas(
        upstate_shared::ErrorBody,
        upstate_shared::ErrorDetail,
        upstate_shared::ErrorCode,
        crate::routes::IncidentsState,
        crate::routes::MaintenancesState,
    )),
    modifiers(&Conventions),
    tags(
        (name = "auth", description = "Registration, sign-in, sessions and password reset"),
        (name = "organizations", description = "Organizations (tenants)"),
        (name = "team", description = "Members, roles and invitations"),
        (name = "api-keys", description = "Keys for integrators, scoped to one organization and role"),
        (name = "audit-log", description = "Who did what"),
        (name = "services", description = "The services of the status page and their status history"),
        (name = "service-groups", description = "Groups of services"),
        (name = "incidents", description = "Incidents and their timeline of updates"),
        (name = "maintenance", description = "Scheduled maintenance windows"),
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
    "public_summary",
    "public_incidents",
    "public_incident",
    "public_uptime",
    "public_ws",
    "auth_register",
    "auth_verify_email",
    "auth_login",
    "auth_refresh",
    "auth_logout",
    "auth_request_password_reset",
    "auth_confirm_password_reset",
];

/// Operations that are rate limited.
const RATE_LIMITED: &[&str] = &[
    "auth_register",
    "auth_verify_email",
    "auth_login",
    "auth_request_password_reset",
    "auth_confirm_password_reset",
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
