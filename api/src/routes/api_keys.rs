//! `/api/v1/orgs/{org}/api-keys`: keys for integrators, shown once, stored hashed, acting only
//! in their org with their role.

use crate::activity::Trail;
use crate::auth::tokens::{API_KEY_PREFIX, hash_token, random_token};
use crate::auth::{Admin, OrgAccess};
use crate::error::ApiError;
use crate::json::Json;
use crate::state::AppState;
use crate::views;
use actix_web::{HttpResponse, web};
use serde_json::json;
use upstate_shared::Role;
use upstate_shared::dto::{CreateApiKeyRequest, CreatedApiKey, Page};
use upstate_shared::valid::NewApiKey;
use upstate_store::api_keys;

/// How much of a key is kept in clear, to tell keys apart: `upk_` and 8 characters.
const SHOWN_PREFIX: usize = API_KEY_PREFIX.len() + 8;

/// `GET /api/v1/orgs/{org}/api-keys`: active keys, never the keys themselves.
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/api-keys",
    tag = "api-keys",
    operation_id = "api_keys_list",
    params(
        ("org" = String, Path, description = "The organization's slug"),
    ),
    responses((status = 200, description = "Active keys (never the keys themselves)", body = upstate_shared::dto::Page<upstate_shared::dto::ApiKey>)),
)]
pub async fn list(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let org = access.org_id();
    let keys = state.read(move |conn| api_keys::active(conn, &org)).await?;
    Ok(HttpResponse::Ok().json(Page {
        items: keys.iter().map(views::api_key).collect(),
        next_cursor: None,
    }))
}

/// `POST /api/v1/orgs/{org}/api-keys`: a new key, shown in this answer only.
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org}/api-keys",
    tag = "api-keys",
    operation_id = "api_keys_create",
    params(
        ("org" = String, Path, description = "The organization's slug"),
    ),
    request_body = upstate_shared::dto::CreateApiKeyRequest,
    responses((status = 201, description = "The new key, shown only in this answer", body = upstate_shared::dto::CreatedApiKey)),
)]
pub async fn create(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    body: Json<CreateApiKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    let NewApiKey { name, role } =
        NewApiKey::try_from(&body.into_inner()).map_err(ApiError::validation)?;
    if role == Role::Owner && access.role != Role::Owner {
        return Err(ApiError::Forbidden(
            "Only an owner can create a key with the owner role.".into(),
        ));
    }
    let key = random_token(API_KEY_PREFIX);
    let prefix = key[..SHOWN_PREFIX].to_owned();
    let key_hash = hash_token(&key);
    let org = access.org_id();
    let caller = access.caller.clone();
    let stored = state
        .write(move |conn| {
            let stored = api_keys::create(
                conn,
                &org,
                api_keys::NewApiKey {
                    name: &name,
                    role,
                    prefix: &prefix,
                    key_hash: &key_hash,
                    created_by: caller.user().ok(),
                },
            )?;
            Trail::new(caller.actor(), caller.ip.as_deref()).record(
                conn,
                Some(&org),
                "api_key.created",
                "api_key",
                Some(stored.id.as_str()),
                json!({ "name": stored.name, "role": role, "prefix": stored.key_prefix }),
            )?;
            Ok(stored)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(CreatedApiKey {
            id: stored.id.clone(),
            name: stored.name.clone(),
            role: stored.role,
            prefix: stored.key_prefix.clone(),
            key,
            created_at: views::utc(stored.created_at),
        }))
}

/// `DELETE /api/v1/orgs/{org}/api-keys/{key_id}`: the key stops working at once.
#[utoipa::path(
    delete,
    path = "/api/v1/orgs/{org}/api-keys/{key_id}",
    tag = "api-keys",
    operation_id = "api_keys_revoke",
    params(
        super::paths::ApiKeyPath,
    ),
    responses((status = 204, description = "The key stops working at once")),
)]
pub async fn revoke(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::ApiKeyPath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().key_id;
    let org = access.org_id();
    let caller = access.caller.clone();
    state
        .write(move |conn| {
            let key = api_keys::revoke(conn, &org, &id)?;
            Trail::new(caller.actor(), caller.ip.as_deref()).record(
                conn,
                Some(&org),
                "api_key.revoked",
                "api_key",
                Some(key.id.as_str()),
                json!({ "name": key.name, "prefix": key.key_prefix }),
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
