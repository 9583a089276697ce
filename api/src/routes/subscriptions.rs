//! `/api/v1/public/{org}/subscriptions...`: visitors subscribe to a status page (by email, or by
//! a webhook with a contact address), confirm from the mail, and manage or end it by the link
//! every notification carries. No credentials: a subscription's link token is its key. The
//! pages that do the same without JavaScript are `crate::public::subscribe`; both call
//! `crate::public::subscriptions`.

use crate::error::ApiError;
use crate::json::Json;
use crate::public::{org_of, subscriptions};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use upstate_shared::dto::{SubscribeRequest, UpdateSubscriptionRequest};
use upstate_shared::valid::SubscriberServices;

/// A subscription's link: the org and the token.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct SubscriptionPath {
    /// The organization's slug.
    pub org: String,
    /// The token of the subscription's links (in its confirmation mail and every notification).
    pub token: String,
}

/// `POST /api/v1/public/{org}/subscriptions`: asks to subscribe; a confirmation mail goes out.
#[utoipa::path(
    post,
    path = "/api/v1/public/{org}/subscriptions",
    tag = "public",
    operation_id = "public_subscribe",
    params(("org" = String, Path, description = "The organization's slug")),
    request_body = upstate_shared::dto::SubscribeRequest,
    responses(
        (status = 202, description = "A confirmation mail is on its way (the same answer whether or not the address was subscribed)", body = upstate_shared::dto::SubscribeAccepted),
    ),
)]
pub async fn subscribe(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
    body: Json<SubscribeRequest>,
) -> Result<HttpResponse, ApiError> {
    let org = org_of(&state, org.into_inner()).await?;
    let accepted = subscriptions::subscribe_to(&state, &req, &org, &body.into_inner()).await?;
    Ok(HttpResponse::Accepted().json(accepted))
}

/// `POST /api/v1/public/{org}/subscriptions/{token}/confirm`: the link of the confirmation mail.
#[utoipa::path(
    post,
    path = "/api/v1/public/{org}/subscriptions/{token}/confirm",
    tag = "public",
    operation_id = "public_confirm_subscription",
    params(SubscriptionPath),
    responses(
        (status = 200, description = "Confirmed (a webhook's signing secret is shown this once)", body = upstate_shared::dto::ConfirmedSubscription),
    ),
)]
pub async fn confirm(
    state: web::Data<AppState>,
    path: web::Path<SubscriptionPath>,
) -> Result<HttpResponse, ApiError> {
    let SubscriptionPath { org, token } = path.into_inner();
    let org = org_of(&state, org).await?;
    Ok(HttpResponse::Ok().json(subscriptions::confirm_by_link(&state, &org, &token).await?))
}

/// `GET /api/v1/public/{org}/subscriptions/{token}`: the subscription of a link.
#[utoipa::path(
    get,
    path = "/api/v1/public/{org}/subscriptions/{token}",
    tag = "public",
    operation_id = "public_get_subscription",
    params(SubscriptionPath),
    responses(
        (status = 200, description = "The subscription", body = upstate_shared::dto::PublicSubscription),
    ),
)]
pub async fn get(
    state: web::Data<AppState>,
    path: web::Path<SubscriptionPath>,
) -> Result<HttpResponse, ApiError> {
    let SubscriptionPath { org, token } = path.into_inner();
    let org = org_of(&state, org).await?;
    Ok(HttpResponse::Ok().json(subscriptions::by_link(&state, &org, &token).await?))
}

/// `PATCH /api/v1/public/{org}/subscriptions/{token}`: which services it hears about.
#[utoipa::path(
    patch,
    path = "/api/v1/public/{org}/subscriptions/{token}",
    tag = "public",
    operation_id = "public_update_subscription",
    params(SubscriptionPath),
    request_body = upstate_shared::dto::UpdateSubscriptionRequest,
    responses(
        (status = 200, description = "The subscription", body = upstate_shared::dto::PublicSubscription),
    ),
)]
pub async fn update(
    state: web::Data<AppState>,
    path: web::Path<SubscriptionPath>,
    body: Json<UpdateSubscriptionRequest>,
) -> Result<HttpResponse, ApiError> {
    let SubscriptionPath { org, token } = path.into_inner();
    let SubscriberServices(services) =
        SubscriberServices::try_from(&body.into_inner()).map_err(ApiError::validation)?;
    let org = org_of(&state, org).await?;
    Ok(HttpResponse::Ok()
        .json(subscriptions::choose_services(&state, &org, &token, services).await?))
}

/// `DELETE /api/v1/public/{org}/subscriptions/{token}`: unsubscribes.
#[utoipa::path(
    delete,
    path = "/api/v1/public/{org}/subscriptions/{token}",
    tag = "public",
    operation_id = "public_unsubscribe",
    params(SubscriptionPath),
    responses(
        (status = 204, description = "Unsubscribed: nothing more is sent"),
    ),
)]
pub async fn unsubscribe(
    state: web::Data<AppState>,
    path: web::Path<SubscriptionPath>,
) -> Result<HttpResponse, ApiError> {
    let SubscriptionPath { org, token } = path.into_inner();
    let org = org_of(&state, org).await?;
    subscriptions::end_by_link(&state, &org, &token).await?;
    Ok(HttpResponse::NoContent().finish())
}
