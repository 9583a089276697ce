//! Subscribing to a status page and a subscription's own links, for the API's routes
//! (`crate::routes::subscriptions`) and the pages without JavaScript (`crate::public::subscribe`)
//! alike.

use crate::auth::caller::client_ip;
use crate::auth::rate_limit::Action;
use crate::error::ApiError;
use crate::mail::Email as Mail;
use crate::state::AppState;
use actix_web::HttpRequest;
use upstate_i18n as i18n;
use upstate_notify::links;
use upstate_shared::dto::{
    ConfirmedSubscription, PublicSubscription, SubscribeAccepted, SubscribeRequest,
};
use upstate_shared::valid::NewSubscriber;
use upstate_shared::{Channel, Locale, ServiceId};
use upstate_store::organizations::Organization;
use upstate_store::subscriptions::{self, Audience, NewSubscription, Subscribed, Subscription};

/// The language a subscription's mails speak: the one the request names (the subscribe form
/// sends the language its page was drawn in), else the visitor's (`Accept-Language`, or their
/// choice on a page), else the page's default.
pub fn language_of(req: &HttpRequest, org: &Organization, named: Option<Locale>) -> Locale {
    named
        .or_else(|| crate::public::language::asked(req))
        .unwrap_or_else(|| crate::views::language(org))
}

/// Subscribes to `org`'s page (the API's and the form's way alike). What the subscriber is
/// told does not say whether the address was subscribed already.
pub async fn subscribe_to(
    state: &AppState,
    req: &HttpRequest,
    org: &Organization,
    request: &SubscribeRequest,
) -> Result<SubscribeAccepted, ApiError> {
    let NewSubscriber {
        email,
        webhook_url,
        service_ids,
        language,
    } = NewSubscriber::try_from(request).map_err(ApiError::validation)?;
    let locale = language_of(req, org, language);
    let ip = client_ip(req, state);
    state
        .limits
        .check(Action::Subscribe, ip.as_deref(), email.as_str())?;
    state
        .limits
        .check(Action::SubscribeToOrg, ip.as_deref(), org.slug.as_str())?;
    if let Some(url) = &webhook_url {
        upstate_egress::check_url(url, &state.settings.egress)
            .await
            .map_err(|err| ApiError::field("webhook_url", err.to_string()))?;
    }
    let secret = webhook_url.as_ref().map(|_| {
        upstate_notify::WebhookSecret::generate()
            .as_str()
            .to_owned()
    });
    let (org_id, page, slug) = (org.id.clone(), org.name.clone(), org.slug.clone());
    let key = state.settings.jwt_secret.clone();
    let public_url = state.settings.public_url.clone();
    let queued = state
        .write(move |conn| {
            let (channel, target, contact) = match &webhook_url {
                Some(url) => (Channel::Webhook, url.as_str(), Some(email.as_str())),
                None => (Channel::Email, email.as_str(), None),
            };
            let new = NewSubscription {
                audience: Audience::Subscriber,
                channel,
                target,
                contact_email: contact,
                name: None,
                secret: secret.as_deref(),
                events: None,
                services: &service_ids,
                locale,
            };
            let hash = |id: &upstate_shared::SubscriptionId| links::token_hash(&key, id);
            let to_confirm = match subscriptions::subscribe(conn, &org_id, &new, &hash)? {
                Subscribed::New(subscription) => Some(subscription),
                Subscribed::Pending {
                    subscription,
                    resend: true,
                } => Some(subscription),
                Subscribed::Pending { resend: false, .. } | Subscribed::Confirmed(_) => None,
            };
            let Some(subscription) = to_confirm else {
                return Ok(false);
            };
            let names = upstate_store::services::names(conn, &org_id, &service_ids)?;
            let link = links::SubscriptionLinks::of(&public_url, &slug, &key, &subscription.id);
            confirmation(locale, &page, &subscription, &link.confirm, &names)
                .queue(conn, Some(&org_id))?;
            Ok(true)
        })
        .await?;
    if queued {
        state.outbox_wake.notify_one();
    }
    Ok(SubscribeAccepted {
        message: i18n::text(locale, "sub-accepted"),
    })
}

/// The mail that asks to confirm a subscription, in its language (the page's name and the
/// services' names as their org wrote them).
fn confirmation(
    locale: Locale,
    page: &str,
    subscription: &Subscription,
    confirm: &str,
    services: &[String],
) -> Mail {
    let what = if services.is_empty() {
        i18n::text(locale, "mail-confirm-all")
    } else {
        let services = services.join(", ");
        i18n::text_with(
            locale,
            "mail-confirm-some",
            &[("services", (&services).into())],
        )
    };
    let how = match subscription.channel() {
        Channel::Email => i18n::text(locale, "mail-confirm-by-email"),
        _ => i18n::text_with(
            locale,
            "mail-confirm-by-webhook",
            &[("url", (&subscription.target).into())],
        ),
    };
    let asked = i18n::text_with(
        locale,
        "mail-confirm-asked",
        &[
            ("what", (&what).into()),
            ("page", page.into()),
            ("how", (&how).into()),
        ],
    );
    Mail {
        to: subscription
            .contact_email
            .clone()
            .unwrap_or_else(|| subscription.target.clone()),
        subject: i18n::text_with(locale, "mail-confirm-subject", &[("page", page.into())]),
        text: format!(
            "{asked}\n\n{}\n\n{confirm}\n\n{}",
            i18n::text(locale, "mail-confirm-open"),
            i18n::text(locale, "mail-confirm-ignore"),
        ),
    }
}

/// What a subscriber sees of their subscription.
fn public_view(subscription: &Subscription, services: Vec<ServiceId>) -> PublicSubscription {
    PublicSubscription {
        channel: subscription.channel(),
        target: subscription.target.clone(),
        confirmed: subscription.confirmed_at.is_some(),
        service_ids: services,
    }
}

/// Confirms the subscription of `token` (the API's and the page's way alike).
pub async fn confirm_by_link(
    state: &AppState,
    org: &Organization,
    token: &str,
) -> Result<ConfirmedSubscription, ApiError> {
    let org_id = org.id.clone();
    let hash = links::hash(token);
    state
        .write(move |conn| {
            let (subscription, now) = subscriptions::confirm(conn, &org_id, &hash)?;
            let services = subscriptions::services_of(conn, &subscription.id)?;
            Ok(ConfirmedSubscription {
                secret: now.then(|| subscription.secret.clone()).flatten(),
                subscription: public_view(&subscription, services),
            })
        })
        .await
}

/// The subscription of `token`, as its subscriber sees it.
pub async fn by_link(
    state: &AppState,
    org: &Organization,
    token: &str,
) -> Result<PublicSubscription, ApiError> {
    let (org_id, hash) = (org.id.clone(), links::hash(token));
    state
        .read(move |conn| {
            let subscription = subscriptions::by_token(conn, &org_id, &hash)?;
            let services = subscriptions::services_of(conn, &subscription.id)?;
            Ok(public_view(&subscription, services))
        })
        .await
}

/// Limits the subscription of `token` to `services` (empty: all).
pub async fn choose_services(
    state: &AppState,
    org: &Organization,
    token: &str,
    services: Vec<ServiceId>,
) -> Result<PublicSubscription, ApiError> {
    let (org_id, hash) = (org.id.clone(), links::hash(token));
    state
        .write(move |conn| {
            let subscription = subscriptions::by_token(conn, &org_id, &hash)?;
            subscriptions::set_services(conn, &org_id, &subscription.id, &services)?;
            Ok(public_view(&subscription, services))
        })
        .await
}

/// Ends the subscription of `token`.
pub async fn end_by_link(
    state: &AppState,
    org: &Organization,
    token: &str,
) -> Result<(), ApiError> {
    let (org_id, hash) = (org.id.clone(), links::hash(token));
    state
        .write(move |conn| subscriptions::unsubscribe(conn, &org_id, &hash).map(drop))
        .await
}
