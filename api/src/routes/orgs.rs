//! `/api/v1/orgs` and `/api/v1/orgs/{org}`: organizations.

use crate::activity::Trail;
use crate::auth::{Admin, Caller, OrgAccess, Owner, Principal, Viewer};
use crate::error::ApiError;
use crate::json::Json;
use crate::state::AppState;
use crate::views;
use actix_web::{HttpResponse, web};
use serde_json::json;
use upstate_shared::dto::{CreateOrgRequest, UpdateOrgRequest};
use upstate_shared::input::Slug;
use upstate_shared::valid::{NewOrg, OrgEdit, host_of_url};
use upstate_shared::{EventKind, Role};
use upstate_store::{StoreError, audit, memberships, organizations};

/// `GET /api/v1/orgs`: the caller's organizations (an API key's own).
#[utoipa::path(
    get,
    path = "/api/v1/orgs",
    tag = "organizations",
    operation_id = "orgs_list",
    responses((status = 200, description = "The caller's organizations", body = upstate_shared::dto::Page<upstate_shared::dto::Org>)),
)]
pub async fn list(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let principal = caller.principal.clone();
    let orgs = state
        .read(move |conn| match &principal {
            Principal::User(user) => Ok(memberships::orgs_of_user(conn, user)?
                .into_iter()
                .map(|(org, _)| org)
                .collect::<Vec<_>>()),
            Principal::ApiKey { org, .. } => Ok(vec![organizations::get(conn, org)?]),
        })
        .await?;
    Ok(HttpResponse::Ok().json(upstate_shared::dto::Page {
        items: orgs.iter().map(views::org).collect(),
        next_cursor: None,
    }))
}

/// `POST /api/v1/orgs`: the caller becomes its owner.
#[utoipa::path(
    post,
    path = "/api/v1/orgs",
    tag = "organizations",
    operation_id = "orgs_create",
    request_body = upstate_shared::dto::CreateOrgRequest,
    responses((status = 201, description = "The new organization; the caller is its owner", body = upstate_shared::dto::Org)),
)]
pub async fn create(
    caller: Caller,
    state: web::Data<AppState>,
    body: Json<CreateOrgRequest>,
) -> Result<HttpResponse, ApiError> {
    let user = caller.user()?.clone();
    let NewOrg { name, slug: chosen } = NewOrg::try_from(&*body).map_err(ApiError::validation)?;
    let ip = caller.ip.clone();
    let org = state
        .write(move |conn| {
            let slug = match chosen {
                Some(slug) => slug.as_str().to_owned(),
                None => free_slug(conn, &Slug::from_name(&name))?,
            };
            let org = organizations::create(
                conn,
                organizations::NewOrganization {
                    name: &name,
                    slug: &slug,
                },
            )?;
            memberships::add(conn, &org.id, &user, Role::Owner)?;
            Trail::new(audit::Actor::User(user.clone()), ip.as_deref()).record(
                conn,
                Some(&org.id),
                "org.created",
                "org",
                Some(org.id.as_str()),
                json!({ "name": org.name, "slug": org.slug }),
            )?;
            Ok(org)
        })
        .await
        .map_err(slug_taken)?;
    state.directory.insert(&org.slug, org.id.clone(), None);
    Ok(HttpResponse::Created().json(views::org(&org)))
}

/// The slug made from the name, or the same with a number when taken.
fn free_slug(conn: &mut upstate_store::DbConnection, base: &Slug) -> Result<String, StoreError> {
    if organizations::find_by_slug(conn, base.as_str())?.is_none() {
        return Ok(base.as_str().to_owned());
    }
    for n in 2..100 {
        let stem: String = base.as_str().chars().take(Slug::MAX - 3).collect();
        let candidate = format!("{}-{n}", stem.trim_end_matches('-'));
        if organizations::find_by_slug(conn, &candidate)?.is_none() {
            return Ok(candidate);
        }
    }
    Err(StoreError::Conflict("no free slug".into()))
}

fn slug_taken(err: ApiError) -> ApiError {
    match err {
        ApiError::Conflict(_) => ApiError::Conflict("This slug is taken; choose another.".into()),
        other => other,
    }
}

/// `GET /api/v1/orgs/{org}`
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}",
    tag = "organizations",
    operation_id = "orgs_get",
    params(
        ("org" = String, Path, description = "The organization's slug"),
    ),
    responses((status = 200, description = "The organization", body = upstate_shared::dto::Org)),
)]
pub async fn get(access: OrgAccess<Viewer>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(views::org(&access.org)))
}

/// The answer to a unique value another org holds, naming what the request asked for.
fn taken(err: ApiError, slug: bool, custom_domain: bool) -> ApiError {
    let message = match (slug, custom_domain) {
        (false, true) => "Another organization has this custom domain.",
        (true, true) => "This slug or custom domain is taken by another organization.",
        _ => "This slug is taken; choose another.",
    };
    match err {
        ApiError::Conflict(_) => ApiError::Conflict(message.into()),
        other => other,
    }
}

/// `PATCH /api/v1/orgs/{org}`: name, slug, branding, custom domain (admins).
#[utoipa::path(
    patch,
    path = "/api/v1/orgs/{org}",
    tag = "organizations",
    operation_id = "orgs_update",
    params(
        ("org" = String, Path, description = "The organization's slug"),
    ),
    request_body = upstate_shared::dto::UpdateOrgRequest,
    responses((status = 200, description = "The updated organization", body = upstate_shared::dto::Org)),
)]
pub async fn update(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    body: Json<UpdateOrgRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let OrgEdit {
        name,
        slug,
        accent_color,
        logo_url,
        support_url,
        reminder_minutes,
        custom_domain,
        default_language,
    } = OrgEdit::try_from(&body).map_err(ApiError::validation)?;
    if let Some(Some(domain)) = &custom_domain
        && *domain == host_of_url(&state.settings.public_url)
    {
        return Err(ApiError::field(
            "custom_domain",
            "is this server's own address; choose a name of the organization's own",
        ));
    }
    let names = (body.slug.is_some(), matches!(custom_domain, Some(Some(_))));
    let changes = organizations::OrgChanges {
        name,
        slug: slug.map(|slug| slug.as_str().to_owned()),
        accent_color,
        logo_url,
        support_url,
        reminder_minutes: reminder_minutes.and_then(|m| i32::try_from(m).ok()),
        custom_domain,
        default_language: default_language.map(|locale| locale.tag().to_owned()),
    };
    let act = crate::activity::Activity::of(&access.caller, access.org_id());
    let org = state
        .write_as(act, move |conn, act| {
            let org = organizations::update(conn, &act.org, changes)?;
            let page = views::org(&org);
            let public = json!({ "name": page.name, "slug": page.slug, "branding": page.branding });
            act.event(conn, EventKind::PageUpdated, &public, &page)?;
            act.audit(
                conn,
                "org.updated",
                "org",
                org.id.as_str(),
                serde_json::to_value(&body).unwrap_or_default(),
            )?;
            Ok(org)
        })
        .await
        .map_err(|err| taken(err, names.0, names.1))?;
    if org.slug != access.org.slug || org.custom_domain != access.org.custom_domain {
        let before = &access.org;
        state
            .directory
            .remove(&before.slug, before.custom_domain.as_deref());
        state
            .directory
            .insert(&org.slug, org.id.clone(), org.custom_domain.as_deref());
    }
    Ok(HttpResponse::Ok().json(views::org(&org)))
}

/// `DELETE /api/v1/orgs/{org}`: removes the org and everything it owns (owners only).
#[utoipa::path(
    delete,
    path = "/api/v1/orgs/{org}",
    tag = "organizations",
    operation_id = "orgs_delete",
    params(
        ("org" = String, Path, description = "The organization's slug"),
    ),
    responses((status = 204, description = "The organization and everything it owns are gone")),
)]
pub async fn delete(
    access: OrgAccess<Owner>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let org = access.org.clone();
    let trail = Trail::of(&access.caller);
    state
        .write(move |conn| {
            organizations::delete(conn, &org.id)?;
            // Kept beyond the org (its own log goes with it).
            trail.record(
                conn,
                None,
                "org.deleted",
                "org",
                Some(org.id.as_str()),
                json!({ "name": org.name, "slug": org.slug }),
            )
        })
        .await?;
    state.public.forget(&access.org_id());
    state
        .directory
        .remove(&access.org.slug, access.org.custom_domain.as_deref());
    tracing::info!(org = %access.org.slug, "organization deleted");
    Ok(HttpResponse::NoContent().finish())
}
