//! The subscription pages, drawn by the server and working without JavaScript (plain forms):
//! `/status/{org}/subscribe` (subscribe by email or webhook), and a subscription's own links,
//! `/status/{org}/subscriptions/{token}` (choose services, unsubscribe), `.../confirm` and
//! `.../unsubscribe`. A link's page asks with a button before it changes anything (mail
//! scanners follow links; they do not press buttons); the unsubscribe link also takes the
//! one-click `POST` of mail clients (RFC 8058).

use crate::error::ApiError;
use crate::public::page::{Look, fill, html, template};
use crate::public::subscriptions as api;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use upstate_public_page::escape;
use upstate_shared::dto::{PublicSubscription, SubscribeRequest};
use upstate_shared::{Channel, ServiceId};
use upstate_store::organizations::Organization;
use upstate_store::services;

/// A page of the subscription flow, in the public pages' template (or a bare document when the
/// web app is not built into this binary).
pub(crate) fn page(
    state: &AppState,
    org: Option<&Organization>,
    status: StatusCode,
    title: &str,
    body: &str,
) -> HttpResponse {
    let body = format!("<div class=\"page narrow\"><main>{body}</main></div>");
    let document = match template(state) {
        // In the org's look: its theme, icon and custom CSS.
        Some(template) => match org {
            Some(org) => {
                let branding = crate::views::org(org).branding;
                Look::of(&branding, org.custom_css.as_deref()).apply(fill(
                    &template,
                    upstate_shared::Locale::En,
                    title,
                    None,
                    &body,
                ))
            }
            None => fill(&template, upstate_shared::Locale::En, title, None, &body),
        },
        None => format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
             <meta name=\"robots\" content=\"noindex\"><title>{}</title></head><body>{body}</body></html>",
            escape(title)
        ),
    };
    html(status, document)
}

/// The answer to an error on a page: its words, on a page, with the status.
fn problem(state: &AppState, org: Option<&Organization>, err: ApiError) -> HttpResponse {
    let status = actix_web::ResponseError::status_code(&err);
    let (title, text) = match &err {
        ApiError::NotFound(_) => (
            "This link is no longer valid",
            "The subscription it was for has ended, or the link is not complete.".to_owned(),
        ),
        ApiError::RateLimited { .. } => (
            "Too many requests",
            "Please wait a while before you try again.".to_owned(),
        ),
        // The words of the API's own answer: an internal error's cause is logged, not shown.
        other => ("Something went wrong", other.body().error.message),
    };
    if status.is_server_error() {
        tracing::error!(error = %err, "a subscription page failed");
    }
    let back = org.map_or_else(String::new, |org| {
        format!(
            "<p><a href=\"/status/{}\">Back to {}'s status page</a></p>",
            escape(&org.slug),
            escape(&org.name)
        )
    });
    page(
        state,
        org,
        status,
        title,
        &format!("<h1>{title}</h1><p>{}</p>{back}", escape(&text)),
    )
}

/// A subscription's link: the org and the token.
#[derive(Debug, Deserialize)]
pub struct SubscriptionPath {
    pub org: String,
    pub token: String,
}

async fn org_of(state: &AppState, slug: String) -> Result<Organization, HttpResponse> {
    crate::public::org_of(state, slug)
        .await
        .map_err(|err| problem(state, None, err))
}

/// The org's services the public sees (not the hidden ones) as (id, name), in the page's order.
async fn services_of(state: &AppState, org: &Organization) -> Vec<(ServiceId, String)> {
    let id = org.id.clone();
    state
        .read(move |conn| services::list(conn, &id))
        .await
        .map(|list| {
            list.into_iter()
                .filter(|s| s.display != upstate_shared::ServiceDisplay::Hidden)
                .map(|s| (s.id, s.name))
                .collect()
        })
        .unwrap_or_default()
}

/// Checkboxes of the services, those in `chosen` ticked.
fn service_boxes(services: &[(ServiceId, String)], chosen: &[ServiceId]) -> String {
    if services.is_empty() {
        return String::new();
    }
    let boxes: String = services
        .iter()
        .map(|(id, name)| {
            format!(
                "<label class=\"inline\"><input type=\"checkbox\" name=\"service_ids\" value=\"{}\"{}> {}</label>",
                escape(id.as_str()),
                if chosen.contains(id) { " checked" } else { "" },
                escape(name)
            )
        })
        .collect();
    format!(
        "<fieldset class=\"field\"><legend>Only these services (none ticked: all of them)</legend>{boxes}</fieldset>"
    )
}

/// A form's fields: `key=value` pairs, keys repeated for lists.
fn form_fields(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn field(fields: &[(String, String)], name: &str) -> Option<String> {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.clone())
}

fn chosen_services(fields: &[(String, String)]) -> Vec<ServiceId> {
    fields
        .iter()
        .filter(|(key, _)| key == "service_ids")
        .map(|(_, value)| ServiceId::from(value.clone()))
        .collect()
}

/// The subscribe form, with what was typed and each field's problem.
fn subscribe_form(
    org: &Organization,
    services: &[(ServiceId, String)],
    typed: &SubscribeRequest,
    problems: &upstate_shared::FieldErrors,
) -> String {
    let said = |field: &str| {
        problems.get(field).map_or_else(String::new, |list| {
            format!(
                "<p class=\"field-error\" id=\"{field}-error\">{}</p>",
                escape(&list.join("; "))
            )
        })
    };
    format!(
        "<h1>Get {name}'s status updates</h1>\
         <p>Hear about incidents and maintenance as they happen. We send a mail to confirm first; \
         every message has a link to unsubscribe.</p>\
         <form method=\"post\" action=\"/status/{slug}/subscribe\">\
         <div class=\"field\"><label for=\"email\">Email address</label>\
         <input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" required value=\"{email}\">{email_error}</div>\
         <div class=\"field\"><label for=\"webhook_url\">Or a webhook URL (optional: messages go there, \
         signed, and the address above confirms and hears if it fails)</label>\
         <input id=\"webhook_url\" name=\"webhook_url\" type=\"url\" value=\"{url}\">{url_error}</div>\
         {boxes}{services_error}\
         <button type=\"submit\" class=\"primary\">Subscribe</button></form>\
         <p><a href=\"/status/{slug}\">Back to the status page</a></p>",
        name = escape(&org.name),
        slug = escape(&org.slug),
        email = escape(&typed.email),
        email_error = said("email"),
        url = escape(typed.webhook_url.as_deref().unwrap_or_default()),
        url_error = said("webhook_url"),
        boxes = service_boxes(services, &typed.service_ids),
        services_error = said("service_ids"),
    )
}

/// `GET /status/{org}/subscribe`: the subscribe form.
pub async fn subscribe_page(state: web::Data<AppState>, org: web::Path<String>) -> HttpResponse {
    let org = match org_of(&state, org.into_inner()).await {
        Ok(org) => org,
        Err(page) => return page,
    };
    let services = services_of(&state, &org).await;
    let form = subscribe_form(
        &org,
        &services,
        &SubscribeRequest::default(),
        &Default::default(),
    );
    page(
        &state,
        Some(&org),
        StatusCode::OK,
        &format!("Subscribe to {}", org.name),
        &form,
    )
}

/// `POST /status/{org}/subscribe`: the form, sent.
pub async fn subscribe_form_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let org = match org_of(&state, org.into_inner()).await {
        Ok(org) => org,
        Err(page) => return page,
    };
    let fields = form_fields(&body);
    let typed = SubscribeRequest {
        email: field(&fields, "email").unwrap_or_default(),
        webhook_url: field(&fields, "webhook_url").filter(|url| !url.trim().is_empty()),
        service_ids: chosen_services(&fields),
    };
    match api::subscribe_to(&state, &req, &org, &typed).await {
        Ok(accepted) => page(
            &state,
            Some(&org),
            StatusCode::OK,
            "Check your inbox",
            &format!(
                "<h1>Check your inbox</h1><p role=\"status\">{}</p>\
                 <p><a href=\"/status/{}\">Back to the status page</a></p>",
                escape(&accepted.message),
                escape(&org.slug)
            ),
        ),
        Err(ApiError::Validation {
            fields: problems, ..
        }) => {
            let services = services_of(&state, &org).await;
            page(
                &state,
                Some(&org),
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("Subscribe to {}", org.name),
                &subscribe_form(&org, &services, &typed, &problems),
            )
        }
        Err(err) => problem(&state, Some(&org), err),
    }
}

/// A page that asks before it acts: a heading, words, and one button posting to `action`.
fn ask(
    state: &AppState,
    org: &Organization,
    title: &str,
    text: &str,
    action: &str,
    button: &str,
) -> HttpResponse {
    page(
        state,
        Some(org),
        StatusCode::OK,
        title,
        &format!(
            "<h1>{title}</h1><p>{}</p><form method=\"post\" action=\"{}\">\
             <button type=\"submit\" class=\"primary\">{}</button></form>",
            escape(text),
            escape(action),
            escape(button),
            title = escape(title),
        ),
    )
}

fn described(subscription: &PublicSubscription) -> String {
    match subscription.channel {
        Channel::Email => format!("by email to {}", subscription.target),
        _ => format!("by webhook to {}", subscription.target),
    }
}

/// `GET /status/{org}/subscriptions/{token}/confirm`: asks to confirm.
pub async fn confirm_page(
    state: web::Data<AppState>,
    path: web::Path<SubscriptionPath>,
) -> HttpResponse {
    let SubscriptionPath { org, token } = path.into_inner();
    let org = match org_of(&state, org).await {
        Ok(org) => org,
        Err(page) => return page,
    };
    match api::by_link(&state, &org, &token).await {
        Ok(subscription) => ask(
            &state,
            &org,
            &format!("Confirm your subscription to {}", org.name),
            &format!(
                "You asked to hear about {}'s incidents and maintenance {}.",
                org.name,
                described(&subscription)
            ),
            &format!("/status/{}/subscriptions/{token}/confirm", org.slug),
            "Confirm subscription",
        ),
        Err(err) => problem(&state, Some(&org), err),
    }
}

/// `POST /status/{org}/subscriptions/{token}/confirm`: confirms.
pub async fn confirm_post(
    state: web::Data<AppState>,
    path: web::Path<SubscriptionPath>,
) -> HttpResponse {
    let SubscriptionPath { org, token } = path.into_inner();
    let org = match org_of(&state, org).await {
        Ok(org) => org,
        Err(page) => return page,
    };
    match api::confirm_by_link(&state, &org, &token).await {
        Ok(confirmed) => {
            let secret = confirmed.secret.map_or_else(String::new, |secret| {
                format!(
                    "<p>The webhook's signing secret (shown this once; each request carries \
                     <code>webhook-signature</code>, an HMAC-SHA256 of it, as the Standard \
                     Webhooks scheme says):</p><p><code data-testid=\"secret\">{}</code></p>",
                    escape(&secret)
                )
            });
            page(
                &state,
                Some(&org),
                StatusCode::OK,
                "You are subscribed",
                &format!(
                    "<h1>You are subscribed</h1><p role=\"status\">You will hear about {}'s \
                     incidents and maintenance {}.</p>{secret}\
                     <p><a href=\"/status/{slug}/subscriptions/{token}\">Choose services or \
                     unsubscribe</a> · <a href=\"/status/{slug}\">Back to the status page</a></p>",
                    escape(&org.name),
                    escape(&described(&confirmed.subscription)),
                    slug = escape(&org.slug),
                    token = escape(&token),
                ),
            )
        }
        Err(err) => problem(&state, Some(&org), err),
    }
}

/// `GET /status/{org}/subscriptions/{token}`: choose services, or unsubscribe.
pub async fn manage_page(
    state: web::Data<AppState>,
    path: web::Path<SubscriptionPath>,
) -> HttpResponse {
    let SubscriptionPath { org, token } = path.into_inner();
    let org = match org_of(&state, org).await {
        Ok(org) => org,
        Err(page) => return page,
    };
    match api::by_link(&state, &org, &token).await {
        Ok(subscription) => manage(&state, &org, &token, &subscription, None).await,
        Err(err) => problem(&state, Some(&org), err),
    }
}

async fn manage(
    state: &AppState,
    org: &Organization,
    token: &str,
    subscription: &PublicSubscription,
    saved: Option<&str>,
) -> HttpResponse {
    let services = services_of(state, org).await;
    let base = format!("/status/{}/subscriptions/{}", org.slug, token);
    page(
        state,
        Some(org),
        StatusCode::OK,
        &format!("Your subscription to {}", org.name),
        &format!(
            "<h1>Your subscription to {name}</h1>{saved}<p>You hear about incidents and \
             maintenance {how}.</p>\
             <form method=\"post\" action=\"{base}\">{boxes}\
             <button type=\"submit\">Save</button></form>\
             <form method=\"post\" action=\"{base}/unsubscribe\">\
             <button type=\"submit\" class=\"danger\">Unsubscribe</button></form>",
            name = escape(&org.name),
            saved = saved.map_or_else(String::new, |text| format!(
                "<p role=\"status\">{}</p>",
                escape(text)
            )),
            how = escape(&described(subscription)),
            base = escape(&base),
            boxes = service_boxes(&services, &subscription.service_ids),
        ),
    )
}

/// `POST /status/{org}/subscriptions/{token}`: the services chosen.
pub async fn manage_post(
    state: web::Data<AppState>,
    path: web::Path<SubscriptionPath>,
    body: web::Bytes,
) -> HttpResponse {
    let SubscriptionPath { org, token } = path.into_inner();
    let org = match org_of(&state, org).await {
        Ok(org) => org,
        Err(page) => return page,
    };
    let chosen = chosen_services(&form_fields(&body));
    match api::choose_services(&state, &org, &token, chosen).await {
        Ok(subscription) => manage(&state, &org, &token, &subscription, Some("Saved.")).await,
        Err(err) => problem(&state, Some(&org), err),
    }
}

/// `GET /status/{org}/subscriptions/{token}/unsubscribe`: asks to unsubscribe.
pub async fn unsubscribe_page(
    state: web::Data<AppState>,
    path: web::Path<SubscriptionPath>,
) -> HttpResponse {
    let SubscriptionPath { org, token } = path.into_inner();
    let org = match org_of(&state, org).await {
        Ok(org) => org,
        Err(page) => return page,
    };
    match api::by_link(&state, &org, &token).await {
        Ok(subscription) => ask(
            &state,
            &org,
            &format!("Unsubscribe from {}", org.name),
            &format!(
                "You will no longer hear about {}'s incidents and maintenance {}.",
                org.name,
                described(&subscription)
            ),
            &format!("/status/{}/subscriptions/{token}/unsubscribe", org.slug),
            "Unsubscribe",
        ),
        Err(err) => problem(&state, Some(&org), err),
    }
}

/// `POST /status/{org}/subscriptions/{token}/unsubscribe`: the button, or a mail client's
/// one-click unsubscribe (RFC 8058).
pub async fn unsubscribe_post(
    state: web::Data<AppState>,
    path: web::Path<SubscriptionPath>,
) -> HttpResponse {
    let SubscriptionPath { org, token } = path.into_inner();
    let org = match org_of(&state, org).await {
        Ok(org) => org,
        Err(page) => return page,
    };
    match api::end_by_link(&state, &org, &token).await {
        Ok(()) => page(
            &state,
            Some(&org),
            StatusCode::OK,
            "You are unsubscribed",
            &format!(
                "<h1>You are unsubscribed</h1><p role=\"status\">Nothing more will be sent.</p>\
                 <p><a href=\"/status/{}\">Back to the status page</a></p>",
                escape(&org.slug)
            ),
        ),
        Err(err) => problem(&state, Some(&org), err),
    }
}
