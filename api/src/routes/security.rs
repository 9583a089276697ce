//! `/api/v1/orgs/{org}/security`: the org's sign-in rules. Owners may require two-factor
//! sign-in of every member: from then on a member without it is answered 403
//! `two_factor_required` on every route of the org (checked where the org is resolved,
//! `auth::caller`), until they turn it on for their account.

use crate::activity::Trail;
use crate::auth::{OrgAccess, Owner, Viewer};
use crate::error::ApiError;
use crate::json::Json;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use serde_json::json;
use upstate_shared::dto::OrgSecurity;
use upstate_store::{memberships, organizations, two_factor};

/// The org's rules and how many members do not meet them yet.
fn answer(
    conn: &mut upstate_store::DbConnection,
    org: &upstate_shared::OrgId,
) -> upstate_store::StoreResult<OrgSecurity> {
    let org_row = organizations::get(conn, org)?;
    let members: Vec<_> = memberships::members(conn, org)?
        .into_iter()
        .map(|(membership, _)| membership.user_id)
        .collect();
    let with = two_factor::of_users_with_second_factor(conn, &members)?;
    Ok(OrgSecurity {
        require_two_factor: org_row.require_two_factor,
        members_without_two_factor: u32::try_from(members.len() - with.len()).unwrap_or(u32::MAX),
    })
}

/// `GET /api/v1/orgs/{org}/security`
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/security",
    tag = "organizations",
    operation_id = "security_get",
    params(("org" = String, Path, description = "The organization's slug")),
    responses((status = 200, description = "The org's sign-in rules", body = OrgSecurity)),
)]
pub async fn get(
    access: OrgAccess<Viewer>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let org = access.org_id();
    let security = state.read(move |conn| answer(conn, &org)).await?;
    Ok(HttpResponse::Ok().json(security))
}

/// `PUT /api/v1/orgs/{org}/security`: owners set the org's sign-in rules. Requiring two-factor
/// needs the owner to have it on first, so that nobody locks themselves out.
#[utoipa::path(
    put,
    path = "/api/v1/orgs/{org}/security",
    tag = "organizations",
    operation_id = "security_put",
    params(("org" = String, Path, description = "The organization's slug")),
    request_body = OrgSecurity,
    responses(
        (status = 200, description = "The rules as they are now", body = OrgSecurity),
        (status = 422, description = "Two-factor is required while the owner asking has it off (field `require_two_factor`)", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn put(
    access: OrgAccess<Owner>,
    state: web::Data<AppState>,
    body: Json<OrgSecurity>,
) -> Result<HttpResponse, ApiError> {
    let required = body.into_inner().require_two_factor;
    let owner = access.caller.user()?.clone();
    let org = access.org_id();
    let was = access.org.require_two_factor;
    let trail = Trail::of(&access.caller);
    let saved = state
        .write(move |conn| {
            if required && !two_factor::has_second_factor(conn, &owner)? {
                return Ok(None);
            }
            if required != was {
                organizations::set_require_two_factor(conn, &org, required)?;
                trail.record(
                    conn,
                    Some(&org),
                    "org.security_updated",
                    "organization",
                    Some(org.as_str()),
                    json!({ "require_two_factor": { "from": was, "to": required } }),
                )?;
            }
            Ok(Some(answer(conn, &org)?))
        })
        .await?;
    let Some(security) = saved else {
        return Err(ApiError::field(
            "require_two_factor",
            "turn on two-factor sign-in for your own account first",
        ));
    };
    Ok(HttpResponse::Ok().json(security))
}
