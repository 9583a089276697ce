//! `/api/v1/orgs/{org}/integrations`: where the team hears about the page's incidents and
//! maintenance (Slack, Discord, Microsoft Teams, Mattermost, signed webhooks), set up by an
//! admin, with a test message and a delivery log.

use super::paths::{IntegrationDeliveryPath, IntegrationPath};
use crate::activity::Activity;
use crate::auth::{Admin, OrgAccess};
use crate::error::ApiError;
use crate::json::Json;
use crate::state::AppState;
use crate::views;
use actix_web::{HttpResponse, web};
use serde_json::json;
use std::time::Instant;
use upstate_notify::{ChatKind, Destination, WebhookSecret, links};
use upstate_shared::Channel;
use upstate_shared::dto::{
    CreateIntegrationRequest, CreatedIntegration, DeliveryAttempt, Integration, Page, TestDelivery,
    UpdateIntegrationRequest,
};
use upstate_shared::valid::{IntegrationEdit, NewIntegration};
use upstate_store::notifications;
use upstate_store::subscriptions::{self, Audience, IntegrationChanges, NewSubscription};

/// How many attempts the delivery log shows.
const LOG_LENGTH: i64 = 50;

fn view(
    conn: &mut upstate_store::DbConnection,
    row: &subscriptions::Subscription,
) -> upstate_store::StoreResult<Integration> {
    let services = subscriptions::services_of(conn, &row.id)?;
    Ok(Integration {
        id: row.id.clone(),
        kind: row.channel(),
        name: row.name.clone().unwrap_or_default(),
        url: row.target.clone(),
        events: row.events(),
        service_ids: services,
        contact_email: row.contact_email.clone(),
        enabled: row.disabled_at.is_none(),
        disabled_reason: row.disabled_reason.clone(),
        failures: u32::try_from(row.failures).unwrap_or(0),
        created_at: views::utc(row.created_at),
    })
}

/// `GET /api/v1/orgs/{org}/integrations`
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/integrations",
    tag = "integrations",
    operation_id = "integrations_list",
    params(("org" = String, Path, description = "The organization's slug")),
    responses((status = 200, description = "The org's integrations, newest first", body = upstate_shared::dto::Page<upstate_shared::dto::Integration>)),
)]
pub async fn list(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let org = access.org_id();
    let items = state
        .read(move |conn| {
            subscriptions::list(conn, &org, Audience::Team, None, None, 1_000)?
                .iter()
                .map(|row| view(conn, row))
                .collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items,
        next_cursor: None,
    }))
}

/// `POST /api/v1/orgs/{org}/integrations`: a new integration (a webhook's signing secret is in
/// this answer only).
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org}/integrations",
    tag = "integrations",
    operation_id = "integrations_create",
    params(("org" = String, Path, description = "The organization's slug")),
    request_body = upstate_shared::dto::CreateIntegrationRequest,
    responses((status = 201, description = "The new integration", body = upstate_shared::dto::CreatedIntegration)),
)]
pub async fn create(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    body: Json<CreateIntegrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let NewIntegration {
        kind,
        name,
        url,
        events,
        service_ids,
        contact_email,
    } = NewIntegration::try_from(&body.into_inner()).map_err(ApiError::validation)?;
    upstate_egress::check_url(&url, &state.settings.egress)
        .await
        .map_err(|err| ApiError::field("url", err.to_string()))?;
    let secret = (kind == Channel::Webhook).then(|| WebhookSecret::generate().as_str().to_owned());
    let key = state.settings.jwt_secret.clone();
    let act = Activity::of(&access.caller, access.org_id());
    let answer_secret = secret.clone();
    let integration = state
        .write_as(act, move |conn, act| {
            let new = NewSubscription {
                audience: Audience::Team,
                channel: kind,
                target: &url,
                contact_email: contact_email.as_ref().map(|e| e.as_str()),
                name: Some(&name),
                secret: secret.as_deref(),
                events: events.as_deref(),
                services: &service_ids,
                // The team's mails (a disabled webhook's warning) speak the dashboard's English.
                locale: upstate_shared::Locale::En,
            };
            let hash = |id: &upstate_shared::SubscriptionId| links::token_hash(&key, id);
            let row = subscriptions::add_integration(conn, &act.org, &new, &hash)?;
            act.audit(
                conn,
                "integration.created",
                "integration",
                row.id.as_str(),
                json!({ "kind": kind, "name": name }),
            )?;
            view(conn, &row)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(CreatedIntegration {
            integration,
            secret: answer_secret,
        }))
}

/// `GET /api/v1/orgs/{org}/integrations/{integration_id}`
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/integrations/{integration_id}",
    tag = "integrations",
    operation_id = "integrations_get",
    params(IntegrationPath),
    responses((status = 200, description = "The integration", body = upstate_shared::dto::Integration)),
)]
pub async fn get(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    path: web::Path<IntegrationPath>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = (access.org_id(), path.into_inner().integration_id);
    let integration = state
        .read(move |conn| {
            let row = team_integration(conn, &org, &id)?;
            view(conn, &row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(integration))
}

/// The org's integration (a subscriber's id names no integration).
fn team_integration(
    conn: &mut upstate_store::DbConnection,
    org: &upstate_shared::OrgId,
    id: &upstate_shared::SubscriptionId,
) -> upstate_store::StoreResult<subscriptions::Subscription> {
    subscriptions::get_of(conn, org, Audience::Team, id)
}

/// `PATCH /api/v1/orgs/{org}/integrations/{integration_id}`: name, URL, events, contact,
/// enabled.
#[utoipa::path(
    patch,
    path = "/api/v1/orgs/{org}/integrations/{integration_id}",
    tag = "integrations",
    operation_id = "integrations_update",
    params(IntegrationPath),
    request_body = upstate_shared::dto::UpdateIntegrationRequest,
    responses((status = 200, description = "The changed integration", body = upstate_shared::dto::Integration)),
)]
pub async fn update(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    path: web::Path<IntegrationPath>,
    body: Json<UpdateIntegrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().integration_id;
    let body = body.into_inner();
    let IntegrationEdit {
        name,
        url,
        events,
        contact_email,
        enabled,
    } = IntegrationEdit::try_from(&body).map_err(ApiError::validation)?;
    if let Some(url) = &url {
        upstate_egress::check_url(url, &state.settings.egress)
            .await
            .map_err(|err| ApiError::field("url", err.to_string()))?;
    }
    let changes = IntegrationChanges {
        name,
        target: url,
        contact_email: contact_email.map(|c| c.map(|e| e.as_str().to_owned())),
        events,
        enabled,
    };
    let act = Activity::of(&access.caller, access.org_id());
    let integration = state
        .write_as(act, move |conn, act| {
            team_integration(conn, &act.org, &id)?;
            let row = subscriptions::update_integration(conn, &act.org, &id, changes)?;
            act.audit(
                conn,
                "integration.updated",
                "integration",
                id.as_str(),
                serde_json::to_value(&body).unwrap_or_default(),
            )?;
            view(conn, &row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(integration))
}

/// `DELETE /api/v1/orgs/{org}/integrations/{integration_id}`
#[utoipa::path(
    delete,
    path = "/api/v1/orgs/{org}/integrations/{integration_id}",
    tag = "integrations",
    operation_id = "integrations_delete",
    params(IntegrationPath),
    responses((status = 204, description = "The integration is gone, with its pending deliveries")),
)]
pub async fn delete(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    path: web::Path<IntegrationPath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().integration_id;
    let act = Activity::of(&access.caller, access.org_id());
    state
        .write_as(act, move |conn, act| {
            subscriptions::delete_of(conn, &act.org, Audience::Team, &id)?;
            act.audit(
                conn,
                "integration.deleted",
                "integration",
                id.as_str(),
                json!({}),
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /api/v1/orgs/{org}/integrations/{integration_id}/test`: sends a test message now and
/// says how it went.
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org}/integrations/{integration_id}/test",
    tag = "integrations",
    operation_id = "integrations_test",
    params(IntegrationPath),
    responses((status = 200, description = "How the test message went (sent even when the integration is disabled)", body = upstate_shared::dto::TestDelivery)),
)]
pub async fn test(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    path: web::Path<IntegrationPath>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = (access.org_id(), path.into_inner().integration_id);
    let (row, page) = state
        .read(move |conn| {
            let row = team_integration(conn, &org, &id)?;
            let page = upstate_store::organizations::get(conn, &org)?;
            Ok((row, page))
        })
        .await?;
    let destination = match row.channel() {
        Channel::Slack => Destination::Chat(ChatKind::Slack),
        Channel::Discord => Destination::Chat(ChatKind::Discord),
        Channel::Teams => Destination::Chat(ChatKind::Teams),
        Channel::Mattermost => Destination::Chat(ChatKind::Mattermost),
        Channel::Webhook | Channel::Email => Destination::Webhook,
    };
    let page_url = format!("{}/status/{}", state.settings.public_url, page.slug);
    let body = upstate_notify::test_message(destination, &page.name, &page_url, chrono::Utc::now());
    let body = serde_json::to_vec(&body).map_err(|err| ApiError::Internal(err.to_string()))?;
    let secret = row
        .secret
        .as_deref()
        .and_then(|s| WebhookSecret::parse(s).ok());
    let message_id = format!("test_{}", upstate_store::new_id());
    let client = upstate_egress::Client::new(state.settings.egress, "Upstate-Webhooks/1")
        .map_err(|err| ApiError::Internal(err.to_string()))?;
    let started = Instant::now();
    let outcome = upstate_notify::worker::post(
        &client,
        &row.target,
        body,
        secret.as_ref().map(|s| (s, message_id.as_str())),
    )
    .await;
    let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let (status_code, error) = match outcome {
        Ok(status) => (Some(status), None),
        Err((status, error)) => (status, Some(error)),
    };
    let answer = TestDelivery {
        ok: error.is_none(),
        status_code: status_code.and_then(|c| u16::try_from(c).ok()),
        latency_ms,
        error,
    };
    Ok(HttpResponse::Ok().json(answer))
}

/// `GET /api/v1/orgs/{org}/integrations/{integration_id}/deliveries`: the delivery log.
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/integrations/{integration_id}/deliveries",
    tag = "integrations",
    operation_id = "integrations_deliveries",
    params(IntegrationPath),
    responses((status = 200, description = "The last 50 attempts, newest first", body = upstate_shared::dto::Page<upstate_shared::dto::DeliveryAttempt>)),
)]
pub async fn deliveries(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    path: web::Path<IntegrationPath>,
) -> Result<HttpResponse, ApiError> {
    let (org, id) = (access.org_id(), path.into_inner().integration_id);
    let log = state
        .read(move |conn| {
            team_integration(conn, &org, &id)?;
            notifications::log(conn, &org, &id, LOG_LENGTH)
        })
        .await?;
    let items = log
        .into_iter()
        .map(|entry| DeliveryAttempt {
            delivery_id: entry.delivery_id,
            event: entry.event,
            at: views::utc(entry.at),
            status_code: entry.status_code.and_then(|c| u16::try_from(c).ok()),
            latency_ms: u64::try_from(entry.latency_ms).unwrap_or(0),
            error: entry.error,
            state: if entry.delivered_at.is_some() {
                "delivered"
            } else if entry.abandoned_at.is_some() {
                "abandoned"
            } else {
                "retrying"
            }
            .to_owned(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(Page {
        items,
        next_cursor: None,
    }))
}

/// `POST /api/v1/orgs/{org}/integrations/{integration_id}/deliveries/{delivery_id}/redeliver`:
/// sends a delivery again, now.
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org}/integrations/{integration_id}/deliveries/{delivery_id}/redeliver",
    tag = "integrations",
    operation_id = "integrations_redeliver",
    params(IntegrationDeliveryPath),
    responses((status = 202, description = "The delivery is sent again shortly")),
)]
pub async fn redeliver(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    path: web::Path<IntegrationDeliveryPath>,
) -> Result<HttpResponse, ApiError> {
    let IntegrationDeliveryPath {
        integration_id,
        delivery_id,
        ..
    } = path.into_inner();
    let act = Activity::of(&access.caller, access.org_id());
    state
        .write_as(act, move |conn, act| {
            team_integration(conn, &act.org, &integration_id)?;
            notifications::redeliver(conn, &act.org, &integration_id, &delivery_id)?;
            act.audit(
                conn,
                "integration.redelivered",
                "integration",
                integration_id.as_str(),
                json!({ "delivery_id": delivery_id }),
            )
        })
        .await?;
    state.notify_wake.notify_one();
    Ok(HttpResponse::Accepted().finish())
}
