//! The subscription pages, drawn by the server and working without JavaScript (plain forms):
//! `/status/{org}/subscribe` (subscribe by email or webhook), and a subscription's own links,
//! `/status/{org}/subscriptions/{token}` (choose services, unsubscribe), `.../confirm` and
//! `.../unsubscribe`. A link's page asks with a button before it changes anything (mail
//! scanners follow links; they do not press buttons); the unsubscribe link also takes the
//! one-click `POST` of mail clients (RFC 8058).
//!
//! Each page speaks the visitor's language (their choice or their browser's), else the org's
//! default; the subscribe form sends the language it was drawn in, which becomes the language
//! of the subscriber's mails.

use crate::error::ApiError;
use crate::public::language;
use crate::public::page::{Look, fill, html, template};
use crate::public::subscriptions as api;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use upstate_i18n as i18n;
use upstate_public_page::escape;
use upstate_shared::dto::{PublicSubscription, SubscribeRequest};
use upstate_shared::{Channel, Locale, ServiceId};
use upstate_store::organizations::Organization;
use upstate_store::services;

/// A page of the subscription flow in `locale`, in the public pages' template (or a bare
/// document when the web app is not built into this binary), saying which language it is in.
pub(crate) fn page(
    state: &AppState,
    org: Option<&Organization>,
    locale: Locale,
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
                Look::of(&branding, org.custom_css.as_deref())
                    .apply(fill(&template, locale, title, None, &body))
            }
            None => fill(&template, locale, title, None, &body),
        },
        None => format!(
            "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
             <meta name=\"robots\" content=\"noindex\"><title>{}</title></head><body>{body}</body></html>",
            locale.tag(),
            escape(title)
        ),
    };
    let mut answer = html(status, document);
    language::mark(&mut answer, Some(locale));
    answer
}

/// The language a page of `org` speaks to the visitor of `req`: theirs, else the org's default.
fn speaking(req: &HttpRequest, org: &Organization) -> Locale {
    language::asked(req).unwrap_or_else(|| crate::views::language(org))
}

/// The answer to an error on a page: its words, on a page, with the status.
fn problem(
    state: &AppState,
    org: Option<&Organization>,
    locale: Locale,
    err: ApiError,
) -> HttpResponse {
    let status = actix_web::ResponseError::status_code(&err);
    let (title, text) = match &err {
        ApiError::NotFound(_) => (
            i18n::text(locale, "sub-invalid-link-heading"),
            i18n::text(locale, "sub-invalid-link-text"),
        ),
        ApiError::RateLimited { .. } => (
            i18n::text(locale, "sub-too-many-heading"),
            i18n::text(locale, "sub-too-many-text"),
        ),
        // The words of the API's own answer: an internal error's cause is logged, not shown.
        other => (
            i18n::text(locale, "sub-failed-heading"),
            other.body().error.message,
        ),
    };
    if status.is_server_error() {
        tracing::error!(error = %err, "a subscription page failed");
    }
    let back = org.map_or_else(String::new, |org| {
        format!(
            "<p><a href=\"/status/{}\">{}</a></p>",
            escape(&org.slug),
            escape(&i18n::text_with(
                locale,
                "sub-back-to",
                &[("page", (&org.name).into())]
            ))
        )
    });
    page(
        state,
        org,
        locale,
        status,
        &title,
        &format!("<h1>{}</h1><p>{}</p>{back}", escape(&title), escape(&text)),
    )
}

/// A subscription's link: the org and the token.
#[derive(Debug, Deserialize)]
pub struct SubscriptionPath {
    pub org: String,
    pub token: String,
}

async fn org_of(
    state: &AppState,
    req: &HttpRequest,
    slug: String,
) -> Result<Organization, HttpResponse> {
    crate::public::org_of(state, slug)
        .await
        .map_err(|err| problem(state, None, language::asked(req).unwrap_or_default(), err))
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
fn service_boxes(locale: Locale, services: &[(ServiceId, String)], chosen: &[ServiceId]) -> String {
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
        "<fieldset class=\"field\"><legend>{}</legend>{boxes}</fieldset>",
        escape(&i18n::text(locale, "sub-services-legend"))
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

/// The subscribe form in `locale`, with what was typed and each field's problem (said in the
/// page's words; the API's own sentences are English). It sends its language along: the
/// language of the subscriber's mails.
fn subscribe_form(
    locale: Locale,
    org: &Organization,
    services: &[(ServiceId, String)],
    typed: &SubscribeRequest,
    problems: &upstate_shared::FieldErrors,
) -> String {
    let said = |field: &str, words: String| {
        if problems.contains_key(field) {
            format!(
                "<p class=\"field-error\" id=\"{field}-error\">{}</p>",
                escape(&words)
            )
        } else {
            String::new()
        }
    };
    format!(
        "<h1>{heading}</h1><p>{intro}</p>\
         <form method=\"post\" action=\"/status/{slug}/subscribe\">\
         <input type=\"hidden\" name=\"language\" value=\"{language}\">\
         <div class=\"field\"><label for=\"email\">{email_label}</label>\
         <input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" required value=\"{email}\">{email_error}</div>\
         <div class=\"field\"><label for=\"webhook_url\">{url_label}</label>\
         <input id=\"webhook_url\" name=\"webhook_url\" type=\"url\" value=\"{url}\">{url_error}</div>\
         {boxes}{services_error}\
         <button type=\"submit\" class=\"primary\">{submit}</button></form>\
         <p><a href=\"/status/{slug}\">{back}</a></p>",
        heading = escape(&i18n::text_with(
            locale,
            "sub-heading",
            &[("page", (&org.name).into())]
        )),
        intro = escape(&i18n::text(locale, "sub-intro")),
        slug = escape(&org.slug),
        language = locale.tag(),
        email_label = escape(&i18n::text(locale, "subscribe-email")),
        email = escape(&typed.email),
        email_error = said("email", i18n::text(locale, "sub-email-invalid")),
        url_label = escape(&i18n::text(locale, "sub-webhook-label")),
        url = escape(typed.webhook_url.as_deref().unwrap_or_default()),
        url_error = said("webhook_url", i18n::text(locale, "sub-webhook-invalid")),
        boxes = service_boxes(locale, services, &typed.service_ids),
        services_error = said("service_ids", i18n::text(locale, "sub-services-invalid")),
        submit = escape(&i18n::text(locale, "subscribe-submit")),
        back = escape(&i18n::text(locale, "sub-back")),
    )
}

/// `GET /status/{org}/subscribe`: the subscribe form.
pub async fn subscribe_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> HttpResponse {
    let org = match org_of(&state, &req, org.into_inner()).await {
        Ok(org) => org,
        Err(page) => return page,
    };
    let locale = speaking(&req, &org);
    let services = services_of(&state, &org).await;
    let form = subscribe_form(
        locale,
        &org,
        &services,
        &SubscribeRequest::default(),
        &Default::default(),
    );
    page(
        &state,
        Some(&org),
        locale,
        StatusCode::OK,
        &i18n::text_with(locale, "sub-page-title", &[("page", (&org.name).into())]),
        &form,
    )
}

/// `POST /status/{org}/subscribe`: the form, sent. Its answer speaks the language the form was
/// drawn in (an unknown one is ignored, as a page's `?lang=` is).
pub async fn subscribe_form_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let org = match org_of(&state, &req, org.into_inner()).await {
        Ok(org) => org,
        Err(page) => return page,
    };
    let fields = form_fields(&body);
    let drawn_in = field(&fields, "language").and_then(|tag| tag.parse::<Locale>().ok());
    let locale = api::language_of(&req, &org, drawn_in);
    let typed = SubscribeRequest {
        email: field(&fields, "email").unwrap_or_default(),
        webhook_url: field(&fields, "webhook_url").filter(|url| !url.trim().is_empty()),
        service_ids: chosen_services(&fields),
        language: Some(locale.tag().to_owned()),
    };
    match api::subscribe_to(&state, &req, &org, &typed).await {
        Ok(accepted) => {
            let heading = i18n::text(locale, "sub-inbox-heading");
            page(
                &state,
                Some(&org),
                locale,
                StatusCode::OK,
                &heading,
                &format!(
                    "<h1>{}</h1><p role=\"status\">{}</p>\
                     <p><a href=\"/status/{}\">{}</a></p>",
                    escape(&heading),
                    escape(&accepted.message),
                    escape(&org.slug),
                    escape(&i18n::text(locale, "sub-back")),
                ),
            )
        }
        Err(ApiError::Validation {
            fields: problems, ..
        }) => {
            let services = services_of(&state, &org).await;
            page(
                &state,
                Some(&org),
                locale,
                StatusCode::UNPROCESSABLE_ENTITY,
                &i18n::text_with(locale, "sub-page-title", &[("page", (&org.name).into())]),
                &subscribe_form(locale, &org, &services, &typed, &problems),
            )
        }
        Err(err) => problem(&state, Some(&org), locale, err),
    }
}

/// A page that asks before it acts: a heading, words, and one button posting to `action`.
fn ask(
    state: &AppState,
    org: &Organization,
    locale: Locale,
    words: [&str; 3],
    action: &str,
) -> HttpResponse {
    let [title, text, button] = words;
    page(
        state,
        Some(org),
        locale,
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

/// How a subscription hears, for a message's `$channel` and `$address`.
fn channel_of(subscription: &PublicSubscription) -> &'static str {
    match subscription.channel {
        Channel::Email => "email",
        _ => "webhook",
    }
}

/// What a page of a subscription's link says of it.
#[derive(Debug, Clone, Copy)]
enum Saying {
    /// That it is asked for, before it is confirmed.
    Asked,
    /// That it is confirmed.
    Confirmed,
    /// How it hears.
    Hears,
    /// What unsubscribing ends.
    Ending,
}

/// The sentence `saying` about `subscription` of `org`'s page, with its way and its address.
fn about(
    locale: Locale,
    saying: Saying,
    org: &Organization,
    subscription: &PublicSubscription,
) -> String {
    let args: [(&str, i18n::Arg<'_>); 3] = [
        ("page", (&org.name).into()),
        ("channel", channel_of(subscription).into()),
        ("address", (&subscription.target).into()),
    ];
    match saying {
        Saying::Asked => i18n::text_with(locale, "sub-confirm-text", &args),
        Saying::Confirmed => i18n::text_with(locale, "sub-confirmed-text", &args),
        Saying::Hears => i18n::text_with(locale, "sub-manage-text", &args),
        Saying::Ending => i18n::text_with(locale, "sub-unsubscribe-text", &args),
    }
}

/// `GET /status/{org}/subscriptions/{token}/confirm`: asks to confirm.
pub async fn confirm_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<SubscriptionPath>,
) -> HttpResponse {
    let SubscriptionPath { org, token } = path.into_inner();
    let org = match org_of(&state, &req, org).await {
        Ok(org) => org,
        Err(page) => return page,
    };
    let locale = speaking(&req, &org);
    match api::by_link(&state, &org, &token).await {
        Ok(subscription) => ask(
            &state,
            &org,
            locale,
            [
                &i18n::text_with(
                    locale,
                    "sub-confirm-heading",
                    &[("page", (&org.name).into())],
                ),
                &about(locale, Saying::Asked, &org, &subscription),
                &i18n::text(locale, "sub-confirm-button"),
            ],
            &format!("/status/{}/subscriptions/{token}/confirm", org.slug),
        ),
        Err(err) => problem(&state, Some(&org), locale, err),
    }
}

/// `POST /status/{org}/subscriptions/{token}/confirm`: confirms.
pub async fn confirm_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<SubscriptionPath>,
) -> HttpResponse {
    let SubscriptionPath { org, token } = path.into_inner();
    let org = match org_of(&state, &req, org).await {
        Ok(org) => org,
        Err(page) => return page,
    };
    let locale = speaking(&req, &org);
    match api::confirm_by_link(&state, &org, &token).await {
        Ok(confirmed) => {
            let secret = confirmed.secret.map_or_else(String::new, |secret| {
                let (before, after) = i18n::around(locale, "sub-webhook-secret", "header");
                format!(
                    "<p>{}<code>webhook-signature</code>{}</p>\
                     <p><code data-testid=\"secret\">{}</code></p>",
                    escape(&before),
                    escape(&after),
                    escape(&secret)
                )
            });
            let heading = i18n::text(locale, "sub-confirmed-heading");
            page(
                &state,
                Some(&org),
                locale,
                StatusCode::OK,
                &heading,
                &format!(
                    "<h1>{}</h1><p role=\"status\">{}</p>{secret}\
                     <p><a href=\"/status/{slug}/subscriptions/{token}\">{manage}</a> · \
                     <a href=\"/status/{slug}\">{back}</a></p>",
                    escape(&heading),
                    escape(&about(
                        locale,
                        Saying::Confirmed,
                        &org,
                        &confirmed.subscription
                    )),
                    slug = escape(&org.slug),
                    token = escape(&token),
                    manage = escape(&i18n::text(locale, "sub-manage-link")),
                    back = escape(&i18n::text(locale, "sub-back")),
                ),
            )
        }
        Err(err) => problem(&state, Some(&org), locale, err),
    }
}

/// `GET /status/{org}/subscriptions/{token}`: choose services, or unsubscribe.
pub async fn manage_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<SubscriptionPath>,
) -> HttpResponse {
    let SubscriptionPath { org, token } = path.into_inner();
    let org = match org_of(&state, &req, org).await {
        Ok(org) => org,
        Err(page) => return page,
    };
    let locale = speaking(&req, &org);
    match api::by_link(&state, &org, &token).await {
        Ok(subscription) => manage(&state, &org, locale, &token, &subscription, false).await,
        Err(err) => problem(&state, Some(&org), locale, err),
    }
}

async fn manage(
    state: &AppState,
    org: &Organization,
    locale: Locale,
    token: &str,
    subscription: &PublicSubscription,
    saved: bool,
) -> HttpResponse {
    let services = services_of(state, org).await;
    let base = format!("/status/{}/subscriptions/{}", org.slug, token);
    let heading = i18n::text_with(
        locale,
        "sub-manage-heading",
        &[("page", (&org.name).into())],
    );
    page(
        state,
        Some(org),
        locale,
        StatusCode::OK,
        &heading,
        &format!(
            "<h1>{heading}</h1>{saved}<p>{how}</p>\
             <form method=\"post\" action=\"{base}\">{boxes}\
             <button type=\"submit\">{save}</button></form>\
             <form method=\"post\" action=\"{base}/unsubscribe\">\
             <button type=\"submit\" class=\"danger\">{unsubscribe}</button></form>",
            heading = escape(&heading),
            saved = if saved {
                format!(
                    "<p role=\"status\">{}</p>",
                    escape(&i18n::text(locale, "sub-saved"))
                )
            } else {
                String::new()
            },
            how = escape(&about(locale, Saying::Hears, org, subscription)),
            base = escape(&base),
            boxes = service_boxes(locale, &services, &subscription.service_ids),
            save = escape(&i18n::text(locale, "sub-save")),
            unsubscribe = escape(&i18n::text(locale, "sub-unsubscribe-button")),
        ),
    )
}

/// `POST /status/{org}/subscriptions/{token}`: the services chosen.
pub async fn manage_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<SubscriptionPath>,
    body: web::Bytes,
) -> HttpResponse {
    let SubscriptionPath { org, token } = path.into_inner();
    let org = match org_of(&state, &req, org).await {
        Ok(org) => org,
        Err(page) => return page,
    };
    let locale = speaking(&req, &org);
    let chosen = chosen_services(&form_fields(&body));
    match api::choose_services(&state, &org, &token, chosen).await {
        Ok(subscription) => manage(&state, &org, locale, &token, &subscription, true).await,
        Err(err) => problem(&state, Some(&org), locale, err),
    }
}

/// `GET /status/{org}/subscriptions/{token}/unsubscribe`: asks to unsubscribe.
pub async fn unsubscribe_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<SubscriptionPath>,
) -> HttpResponse {
    let SubscriptionPath { org, token } = path.into_inner();
    let org = match org_of(&state, &req, org).await {
        Ok(org) => org,
        Err(page) => return page,
    };
    let locale = speaking(&req, &org);
    match api::by_link(&state, &org, &token).await {
        Ok(subscription) => ask(
            &state,
            &org,
            locale,
            [
                &i18n::text_with(
                    locale,
                    "sub-unsubscribe-heading",
                    &[("page", (&org.name).into())],
                ),
                &about(locale, Saying::Ending, &org, &subscription),
                &i18n::text(locale, "sub-unsubscribe-button"),
            ],
            &format!("/status/{}/subscriptions/{token}/unsubscribe", org.slug),
        ),
        Err(err) => problem(&state, Some(&org), locale, err),
    }
}

/// `POST /status/{org}/subscriptions/{token}/unsubscribe`: the button, or a mail client's
/// one-click unsubscribe (RFC 8058).
pub async fn unsubscribe_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<SubscriptionPath>,
) -> HttpResponse {
    let SubscriptionPath { org, token } = path.into_inner();
    let org = match org_of(&state, &req, org).await {
        Ok(org) => org,
        Err(page) => return page,
    };
    let locale = speaking(&req, &org);
    match api::end_by_link(&state, &org, &token).await {
        Ok(()) => {
            let heading = i18n::text(locale, "sub-unsubscribed-heading");
            page(
                &state,
                Some(&org),
                locale,
                StatusCode::OK,
                &heading,
                &format!(
                    "<h1>{}</h1><p role=\"status\">{}</p>\
                     <p><a href=\"/status/{}\">{}</a></p>",
                    escape(&heading),
                    escape(&i18n::text(locale, "sub-unsubscribed-text")),
                    escape(&org.slug),
                    escape(&i18n::text(locale, "sub-back")),
                ),
            )
        }
        Err(err) => problem(&state, Some(&org), locale, err),
    }
}
