//! The live channels (WebSockets): a status page's visitors' (`GET /api/v1/public/{org}/ws`,
//! events in their public form) and the dashboard's members' (`GET /api/v1/orgs/{org}/ws`,
//! events in their member form, closed when the credential ends). Both are served by
//! `crate::public::ws` from the org's channel in `crate::public::hub`.

use crate::auth::{OrgAccess, Viewer};
use crate::error::ApiError;
use crate::public::directory::Known;
use crate::public::hub::Audience;
use crate::public::org_of;
use crate::public::sockets::Full;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use upstate_shared::OrgId;
use upstate_store::{Missing, StoreError};

#[utoipa::path(
    get,
    path = "/api/v1/public/{org}/ws",
    tag = "public",
    operation_id = "public_ws",
    params(("org" = String, Path, description = "The organization's slug")),
    responses((status = 101, description = "A WebSocket of the page's events: first `{\"type\": \"hello\", \"seq\": n}`, then each event in its public form")),
)]
/// The page's live events (WebSocket).
pub async fn public_ws(
    req: HttpRequest,
    body: web::Payload,
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    // From memory when the directory is in sync: a visitor's live channel needs no database
    // read once its org has subscribers here.
    let org = match state.directory.lookup(&org) {
        Known::Exists(id) => id,
        Known::Missing => return Err(StoreError::NotFound(Missing::StatusPage).into()),
        Known::Unsure => org_of(&state, org.into_inner()).await?.id,
    };
    upgrade(&req, body, &state, org, Audience::Public, None).await
}

#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/ws",
    tag = "organizations",
    operation_id = "orgs_ws",
    params(("org" = String, Path, description = "The organization's slug")),
    responses((status = 101, description = "A WebSocket of the org's events in their member form. Closed with 4001 when the access token expires (reconnect with a fresh one) and with 4003 within a second of the access ending (logout, password reset, removal, a role change, the API key's revocation)")),
)]
/// The dashboard's live events (WebSocket), for members; closed when the credential ends.
pub async fn members_ws(
    access: OrgAccess<Viewer>,
    req: HttpRequest,
    body: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    // A browser sends cookies to a WebSocket of any page's making: only ours may use them.
    if let Some(origin) = req.headers().get("Origin").and_then(|o| o.to_str().ok()) {
        let host = req.connection_info().host().to_owned();
        let same = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            == Some(host.as_str())
            || origin == state.settings.public_url;
        if !same {
            return Err(ApiError::Forbidden(
                "This WebSocket is for the dashboard's own pages.".into(),
            ));
        }
    }
    let ended = crate::auth::lifetime::ended(
        state.get_ref().clone(),
        access.caller.clone(),
        access.org_id(),
        access.role,
    );
    upgrade(
        &req,
        body,
        &state,
        access.org_id(),
        Audience::Members,
        Some(ended),
    )
    .await
}

async fn upgrade(
    req: &HttpRequest,
    body: web::Payload,
    state: &AppState,
    org: OrgId,
    audience: Audience,
    ended: Option<crate::public::ws::Ended>,
) -> Result<HttpResponse, ApiError> {
    let mut handshake = actix_http::ws::handshake(req.head())
        .map_err(|err| ApiError::BadRequest(format!("Not a WebSocket upgrade: {err}")))?;
    let address = crate::auth::caller::client_addr(req, state).map_or_else(
        || "unknown".to_owned(),
        crate::auth::client_address::limit_key,
    );
    let slot = state
        .sockets
        .take(&address, state.settings.ws_caps)
        .map_err(|full| {
            ApiError::Busy(match full {
                Full::Server => {
                    "This server has as many live connections as it takes; try again shortly."
                        .into()
                }
                Full::Address => {
                    "Too many live connections from your address; close some and try again.".into()
                }
            })
        })?;
    // The hello's seq comes from the hub; only an org's first subscriber reads it, after
    // subscribing, so no event can fall between the two.
    let (events, known) = state.hub.subscribe(&org, audience);
    let seq = match known {
        Some(seq) => seq,
        None => {
            let id = org.clone();
            let seq = state
                .read(move |conn| upstate_store::events::current_seq(conn, &id))
                .await?
                .max(0) as u64;
            state.hub.observe(&org, seq);
            seq
        }
    };
    let frames = crate::public::ws::frames(body, events, seq, slot, ended);
    let response = handshake
        .message_body(actix_web::body::MessageBody::boxed(
            actix_web::body::BodyStream::new(frames),
        ))
        .map_err(|err| ApiError::Internal(format!("the WebSocket answer: {err}")))?;
    Ok(response.into())
}
