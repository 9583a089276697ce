//! Who hears about an org's incidents and maintenance: subscribers, who opted in from the public
//! page (by email, or by a webhook with a contact address) and hear nothing before they confirm,
//! and the team's integrations an admin set up (Slack, Discord, Teams, Mattermost, signed
//! webhooks). A subscription may be limited to some services, and an integration to some events.

use crate::db::DbConnection;
use crate::error::{Missing, OrMissing, StoreError, StoreResult};
use crate::schema::{subscription_services, subscriptions};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use upstate_shared::{Channel, Locale, NotificationEvent, OrgId, ServiceId, SubscriptionId};

/// Who set a subscription up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// A visitor, from the public page: confirms by email first.
    Subscriber,
    /// An admin, for the team: no confirmation.
    Team,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Subscriber => "subscriber",
            Audience::Team => "team",
        }
    }
}

/// A subscription as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = subscriptions)]
pub struct Subscription {
    pub id: SubscriptionId,
    pub org_id: OrgId,
    pub audience: String,
    pub channel: String,
    /// The email address or the URL.
    pub target: String,
    pub contact_email: Option<String>,
    pub name: Option<String>,
    pub secret: Option<String>,
    /// Comma-separated event names; `None`: every event.
    pub events: Option<String>,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub confirmed_at: Option<NaiveDateTime>,
    pub confirmation_sent_at: Option<NaiveDateTime>,
    /// Failed attempts in a row.
    pub failures: i32,
    pub disabled_at: Option<NaiveDateTime>,
    pub disabled_reason: Option<String>,
    /// The language its mails speak (a tag of [`Locale`]).
    pub locale: String,
}

impl Subscription {
    /// The language its mails speak (a stored tag is always one the store wrote; one it cannot
    /// read speaks English, as subscriptions did before they had a language).
    pub fn locale(&self) -> Locale {
        self.locale.parse().unwrap_or_default()
    }

    /// How it hears (a stored channel is always one the store wrote).
    pub fn channel(&self) -> Channel {
        self.channel.parse().unwrap_or(Channel::Webhook)
    }

    pub fn is_team(&self) -> bool {
        self.audience == Audience::Team.as_str()
    }

    /// The events it hears; `None`: all of them.
    pub fn events(&self) -> Option<Vec<NotificationEvent>> {
        self.events.as_deref().map(|list| {
            list.split(',')
                .filter_map(|name| name.parse().ok())
                .collect()
        })
    }

    /// Whether it hears about `event`.
    pub fn hears(&self, event: NotificationEvent) -> bool {
        self.events().is_none_or(|events| events.contains(&event))
    }
}

fn events_text(events: Option<&[NotificationEvent]>) -> Option<String> {
    events.map(|events| {
        events
            .iter()
            .map(|event| event.as_str())
            .collect::<Vec<_>>()
            .join(",")
    })
}

/// A subscription to make.
#[derive(Debug, Clone)]
pub struct NewSubscription<'a> {
    pub audience: Audience,
    pub channel: Channel,
    /// The email address (lowercase) or the URL.
    pub target: &'a str,
    pub contact_email: Option<&'a str>,
    pub name: Option<&'a str>,
    pub secret: Option<&'a str>,
    pub events: Option<&'a [NotificationEvent]>,
    /// Only these services (each the org's); empty: all.
    pub services: &'a [ServiceId],
    /// The language its mails speak: a subscriber's, the page's when they subscribed.
    pub locale: Locale,
}

/// What subscribing did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subscribed {
    /// A new subscription: its confirmation is to be sent (with the new token).
    New(Subscription),
    /// Asked for before and not confirmed: `resend` says whether its confirmation is to go out
    /// again (at most one per [`RESEND_AFTER_SECS`]).
    Pending {
        subscription: Subscription,
        resend: bool,
    },
    /// Already confirmed: nothing changes and nothing is sent.
    Confirmed(Subscription),
}

/// The shortest time between two confirmation mails of one subscription.
pub const RESEND_AFTER_SECS: i64 = 300;

/// The hash of a subscription's link token, from its id (the token is derived from the id
/// with the server's secret, so any replica can write a subscription's links at any time).
pub type TokenHash<'a> = &'a dyn Fn(&SubscriptionId) -> String;

/// Subscribes from the public page.
pub fn subscribe(
    conn: &mut DbConnection,
    org: &OrgId,
    new: &NewSubscription<'_>,
    token_hash: TokenHash<'_>,
) -> StoreResult<Subscribed> {
    crate::services::all_in_org(conn, org, "service_ids", new.services)?;
    let now = crate::now();
    let existing: Option<Subscription> = subscriptions::table
        .filter(subscriptions::org_id.eq(org))
        .filter(subscriptions::audience.eq(new.audience.as_str()))
        .filter(subscriptions::channel.eq(new.channel.as_str()))
        .filter(subscriptions::target.eq(new.target))
        .select(Subscription::as_select())
        .first(conn)
        .optional()?;
    match existing {
        Some(found) if found.confirmed_at.is_some() => Ok(Subscribed::Confirmed(found)),
        Some(found) => {
            let resend = found
                .confirmation_sent_at
                .is_none_or(|sent| now - sent >= Duration::seconds(RESEND_AFTER_SECS));
            // The newest request says which services, contact and language hold.
            diesel::update(subscriptions::table.find(&found.id))
                .set((
                    subscriptions::contact_email.eq(new.contact_email),
                    subscriptions::locale.eq(new.locale.tag()),
                ))
                .execute(conn)?;
            if resend {
                diesel::update(subscriptions::table.find(&found.id))
                    .set(subscriptions::confirmation_sent_at.eq(now))
                    .execute(conn)?;
            }
            replace_services(conn, &found.id, new.services)?;
            Ok(Subscribed::Pending {
                subscription: get(conn, org, &found.id)?,
                resend,
            })
        }
        None => {
            let id = insert(conn, org, new, token_hash, None, Some(now))?;
            Ok(Subscribed::New(get(conn, org, &id)?))
        }
    }
}

/// Adds a team integration (confirmed from the start); `Conflict` when the org has one for
/// this channel and target already.
pub fn add_integration(
    conn: &mut DbConnection,
    org: &OrgId,
    new: &NewSubscription<'_>,
    token_hash: TokenHash<'_>,
) -> StoreResult<Subscription> {
    crate::services::all_in_org(conn, org, "service_ids", new.services)?;
    let id =
        insert(conn, org, new, token_hash, Some(crate::now()), None).map_err(|err| match err {
            StoreError::Conflict(_) => StoreError::Conflict(
                "This organization has an integration with this URL already.".into(),
            ),
            other => other,
        })?;
    get(conn, org, &id)
}

/// Imports a subscriber an admin vouches for: subscribed confirmed, or confirmed now when it was
/// waiting for its confirmation (with the import's services); answers whether that subscribed
/// it (`false`: it was confirmed already, and is left as it was).
pub fn import(
    conn: &mut DbConnection,
    org: &OrgId,
    new: &NewSubscription<'_>,
    token_hash: TokenHash<'_>,
) -> StoreResult<bool> {
    let found: Option<(SubscriptionId, Option<NaiveDateTime>)> = subscriptions::table
        .filter(subscriptions::org_id.eq(org))
        .filter(subscriptions::audience.eq(new.audience.as_str()))
        .filter(subscriptions::channel.eq(new.channel.as_str()))
        .filter(subscriptions::target.eq(new.target))
        .select((subscriptions::id, subscriptions::confirmed_at))
        .first(conn)
        .optional()?;
    match found {
        Some((_, Some(_))) => Ok(false),
        Some((id, None)) => {
            crate::services::all_in_org(conn, org, "service_ids", new.services)?;
            diesel::update(subscriptions::table.find(&id))
                .set(subscriptions::confirmed_at.eq(crate::now()))
                .execute(conn)?;
            replace_services(conn, &id, new.services)?;
            Ok(true)
        }
        None => {
            crate::services::all_in_org(conn, org, "service_ids", new.services)?;
            insert(conn, org, new, token_hash, Some(crate::now()), None)?;
            Ok(true)
        }
    }
}

fn insert(
    conn: &mut DbConnection,
    org: &OrgId,
    new: &NewSubscription<'_>,
    token_hash: TokenHash<'_>,
    confirmed_at: Option<NaiveDateTime>,
    confirmation_sent_at: Option<NaiveDateTime>,
) -> StoreResult<SubscriptionId> {
    let id = SubscriptionId::from(crate::new_id());
    diesel::insert_into(subscriptions::table)
        .values((
            subscriptions::id.eq(&id),
            subscriptions::org_id.eq(org),
            subscriptions::audience.eq(new.audience.as_str()),
            subscriptions::channel.eq(new.channel.as_str()),
            subscriptions::target.eq(new.target),
            subscriptions::contact_email.eq(new.contact_email),
            subscriptions::name.eq(new.name),
            subscriptions::secret.eq(new.secret),
            subscriptions::events.eq(events_text(new.events)),
            subscriptions::token_hash.eq(token_hash(&id)),
            subscriptions::created_at.eq(crate::now()),
            subscriptions::confirmed_at.eq(confirmed_at),
            subscriptions::confirmation_sent_at.eq(confirmation_sent_at),
            subscriptions::failures.eq(0),
            subscriptions::locale.eq(new.locale.tag()),
        ))
        .execute(conn)?;
    replace_services(conn, &id, new.services)?;
    Ok(id)
}

fn replace_services(
    conn: &mut DbConnection,
    id: &SubscriptionId,
    services: &[ServiceId],
) -> StoreResult<()> {
    diesel::delete(
        subscription_services::table.filter(subscription_services::subscription_id.eq(id)),
    )
    .execute(conn)?;
    for service in services {
        diesel::insert_into(subscription_services::table)
            .values((
                subscription_services::subscription_id.eq(id),
                subscription_services::service_id.eq(service),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The org's subscription with this id.
pub fn get(conn: &mut DbConnection, org: &OrgId, id: &SubscriptionId) -> StoreResult<Subscription> {
    subscriptions::table
        .filter(subscriptions::org_id.eq(org))
        .filter(subscriptions::id.eq(id))
        .select(Subscription::as_select())
        .first(conn)
        .or_missing(Missing::Subscription)
}

/// The org's subscription whose links carry the token of this hash.
pub fn by_token(
    conn: &mut DbConnection,
    org: &OrgId,
    token_hash: &str,
) -> StoreResult<Subscription> {
    subscriptions::table
        .filter(subscriptions::org_id.eq(org))
        .filter(subscriptions::token_hash.eq(token_hash))
        .select(Subscription::as_select())
        .first(conn)
        .or_missing(Missing::SubscriptionLink)
}

/// Confirms the subscription of this token; answers it and whether it was confirmed just now.
pub fn confirm(
    conn: &mut DbConnection,
    org: &OrgId,
    token_hash: &str,
) -> StoreResult<(Subscription, bool)> {
    let found = by_token(conn, org, token_hash)?;
    if found.confirmed_at.is_some() {
        return Ok((found, false));
    }
    diesel::update(subscriptions::table.find(&found.id))
        .set(subscriptions::confirmed_at.eq(crate::now()))
        .execute(conn)?;
    Ok((get(conn, org, &found.id)?, true))
}

/// The services a subscription is limited to (empty: all).
pub fn services_of(conn: &mut DbConnection, id: &SubscriptionId) -> StoreResult<Vec<ServiceId>> {
    Ok(subscription_services::table
        .filter(subscription_services::subscription_id.eq(id))
        .select(subscription_services::service_id)
        .order(subscription_services::service_id.asc())
        .load(conn)?)
}

/// The services each of `ids` is limited to, in one query (a page of subscriptions); one with no
/// entry hears about all of them.
pub fn services_of_many(
    conn: &mut DbConnection,
    ids: &[SubscriptionId],
) -> StoreResult<std::collections::HashMap<SubscriptionId, Vec<ServiceId>>> {
    let rows: Vec<(SubscriptionId, ServiceId)> = subscription_services::table
        .filter(subscription_services::subscription_id.eq_any(ids))
        .select((
            subscription_services::subscription_id,
            subscription_services::service_id,
        ))
        .order((
            subscription_services::subscription_id.asc(),
            subscription_services::service_id.asc(),
        ))
        .load(conn)?;
    Ok(grouped(rows))
}

fn grouped(
    rows: Vec<(SubscriptionId, ServiceId)>,
) -> std::collections::HashMap<SubscriptionId, Vec<ServiceId>> {
    let mut by_subscription = std::collections::HashMap::<_, Vec<_>>::new();
    for (subscription, service) in rows {
        by_subscription
            .entry(subscription)
            .or_default()
            .push(service);
    }
    by_subscription
}

/// Limits a subscription to `services` (each the org's; empty: all of them).
pub fn set_services(
    conn: &mut DbConnection,
    org: &OrgId,
    id: &SubscriptionId,
    services: &[ServiceId],
) -> StoreResult<()> {
    get(conn, org, id)?;
    crate::services::all_in_org(conn, org, "service_ids", services)?;
    replace_services(conn, id, services)
}

/// Ends the subscription of this token (its row and its pending deliveries go).
pub fn unsubscribe(
    conn: &mut DbConnection,
    org: &OrgId,
    token_hash: &str,
) -> StoreResult<Subscription> {
    let found = by_token(conn, org, token_hash)?;
    diesel::delete(subscriptions::table.find(&found.id)).execute(conn)?;
    Ok(found)
}

/// Removes the org's subscription with this id if it is of `audience` (an admin removes a
/// subscriber and an integration at different paths; neither reaches the other), and answers
/// what it was.
pub fn delete_of(
    conn: &mut DbConnection,
    org: &OrgId,
    audience: Audience,
    id: &SubscriptionId,
) -> StoreResult<Subscription> {
    let row = get_of(conn, org, audience, id)?;
    delete(conn, org, id)?;
    Ok(row)
}

/// The org's subscription with this id, if it is of `audience`.
pub fn get_of(
    conn: &mut DbConnection,
    org: &OrgId,
    audience: Audience,
    id: &SubscriptionId,
) -> StoreResult<Subscription> {
    let row = get(conn, org, id)?;
    if row.audience == audience.as_str() {
        Ok(row)
    } else {
        Err(StoreError::NotFound(Missing::Subscription))
    }
}

/// Removes the org's subscription with this id.
pub fn delete(conn: &mut DbConnection, org: &OrgId, id: &SubscriptionId) -> StoreResult<()> {
    let removed = diesel::delete(
        subscriptions::table
            .filter(subscriptions::org_id.eq(org))
            .filter(subscriptions::id.eq(id)),
    )
    .execute(conn)?;
    if removed == 0 {
        return Err(StoreError::NotFound(Missing::Subscription));
    }
    Ok(())
}

/// A page of the org's subscriptions of `audience`, newest first, optionally only those whose
/// address or URL contains `search` (any case), after the one with id `after`.
pub fn list(
    conn: &mut DbConnection,
    org: &OrgId,
    audience: Audience,
    search: Option<&str>,
    after: Option<&SubscriptionId>,
    limit: i64,
) -> StoreResult<Vec<Subscription>> {
    let mut query = subscriptions::table
        .filter(subscriptions::org_id.eq(org))
        .filter(subscriptions::audience.eq(audience.as_str()))
        .select(Subscription::as_select())
        .order((subscriptions::created_at.desc(), subscriptions::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some(text) = search.map(str::trim).filter(|text| !text.is_empty()) {
        let pattern = format!("%{}%", like_escape(&text.to_lowercase()));
        query = query.filter(
            subscriptions::target
                .like(pattern.clone())
                .escape('\\')
                .or(subscriptions::contact_email.like(pattern).escape('\\')),
        );
    }
    if let Some(after) = after {
        let cursor = get(conn, org, after).map_err(|_| StoreError::BadCursor)?;
        query = query.filter(
            subscriptions::created_at
                .lt(cursor.created_at)
                .or(subscriptions::created_at
                    .eq(cursor.created_at)
                    .and(subscriptions::id.lt(cursor.id))),
        );
    }
    Ok(query.load(conn)?)
}

/// `text` matched literally by `LIKE ... ESCAPE '\'`.
fn like_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Every subscription of `audience` in the org, oldest first (exports).
pub fn all(
    conn: &mut DbConnection,
    org: &OrgId,
    audience: Audience,
) -> StoreResult<Vec<Subscription>> {
    Ok(subscriptions::table
        .filter(subscriptions::org_id.eq(org))
        .filter(subscriptions::audience.eq(audience.as_str()))
        .select(Subscription::as_select())
        .order((subscriptions::created_at.asc(), subscriptions::id.asc()))
        .load(conn)?)
}

/// How many subscribers the org has, per channel: (channel, confirmed, pending), by channel name.
pub fn counts(conn: &mut DbConnection, org: &OrgId) -> StoreResult<Vec<(Channel, i64, i64)>> {
    let of_org = || {
        subscriptions::table
            .filter(subscriptions::org_id.eq(org))
            .filter(subscriptions::audience.eq(Audience::Subscriber.as_str()))
            .group_by(subscriptions::channel)
            .select((subscriptions::channel, diesel::dsl::count_star()))
    };
    let confirmed: Vec<(String, i64)> = of_org()
        .filter(subscriptions::confirmed_at.is_not_null())
        .load(conn)?;
    let pending: Vec<(String, i64)> = of_org()
        .filter(subscriptions::confirmed_at.is_null())
        .load(conn)?;
    let mut counts: Vec<(Channel, i64, i64)> = Vec::new();
    for (name, confirmed, pending) in confirmed
        .into_iter()
        .map(|(name, n)| (name, n, 0))
        .chain(pending.into_iter().map(|(name, n)| (name, 0, n)))
    {
        let Ok(channel) = name.parse::<Channel>() else {
            continue;
        };
        match counts.iter_mut().find(|(c, _, _)| *c == channel) {
            Some(slot) => {
                slot.1 += confirmed;
                slot.2 += pending;
            }
            None => counts.push((channel, confirmed, pending)),
        }
    }
    counts.sort_by_key(|(channel, _, _)| channel.as_str());
    Ok(counts)
}

/// The services each of the org's subscriptions of `audience` is limited to (those limited to
/// none, hearing about all, are absent).
pub fn services_by_subscription(
    conn: &mut DbConnection,
    org: &OrgId,
    audience: Audience,
) -> StoreResult<std::collections::HashMap<SubscriptionId, Vec<ServiceId>>> {
    let rows: Vec<(SubscriptionId, ServiceId)> = subscription_services::table
        .inner_join(subscriptions::table)
        .filter(subscriptions::org_id.eq(org))
        .filter(subscriptions::audience.eq(audience.as_str()))
        .select((
            subscription_services::subscription_id,
            subscription_services::service_id,
        ))
        .order((
            subscription_services::subscription_id.asc(),
            subscription_services::service_id.asc(),
        ))
        .load(conn)?;
    Ok(grouped(rows))
}

/// Changes to an integration.
#[derive(Debug, Clone, Default)]
pub struct IntegrationChanges {
    pub name: Option<String>,
    pub target: Option<String>,
    pub contact_email: Option<Option<String>>,
    /// `Some(None)`: every event.
    pub events: Option<Option<Vec<NotificationEvent>>>,
    /// `Some(true)` enables it again (and forgets its failures), `Some(false)` disables it.
    pub enabled: Option<bool>,
}

/// Changes one of the org's integrations.
pub fn update_integration(
    conn: &mut DbConnection,
    org: &OrgId,
    id: &SubscriptionId,
    changes: IntegrationChanges,
) -> StoreResult<Subscription> {
    let found = get(conn, org, id)?;
    if !found.is_team() {
        return Err(StoreError::NotFound(Missing::Subscription));
    }
    if let Some(name) = &changes.name {
        diesel::update(subscriptions::table.find(id))
            .set(subscriptions::name.eq(name))
            .execute(conn)?;
    }
    if let Some(target) = &changes.target {
        diesel::update(subscriptions::table.find(id))
            .set(subscriptions::target.eq(target))
            .execute(conn)?;
    }
    if let Some(contact) = &changes.contact_email {
        diesel::update(subscriptions::table.find(id))
            .set(subscriptions::contact_email.eq(contact))
            .execute(conn)?;
    }
    if let Some(events) = &changes.events {
        diesel::update(subscriptions::table.find(id))
            .set(subscriptions::events.eq(events_text(events.as_deref())))
            .execute(conn)?;
    }
    match changes.enabled {
        Some(true) => {
            diesel::update(subscriptions::table.find(id))
                .set((
                    subscriptions::disabled_at.eq(None::<NaiveDateTime>),
                    subscriptions::disabled_reason.eq(None::<String>),
                    subscriptions::failures.eq(0),
                ))
                .execute(conn)?;
        }
        Some(false) if found.disabled_at.is_none() => {
            disable(conn, id, "Disabled by an admin.")?;
        }
        _ => {}
    }
    get(conn, org, id)
}

/// Stops deliveries to a subscription, saying why.
pub fn disable(conn: &mut DbConnection, id: &SubscriptionId, reason: &str) -> StoreResult<()> {
    diesel::update(subscriptions::table.find(id))
        .set((
            subscriptions::disabled_at.eq(crate::now()),
            subscriptions::disabled_reason.eq(reason),
        ))
        .execute(conn)?;
    Ok(())
}

/// Counts an attempt's outcome: a success clears the failures in a row; a failure adds one,
/// and answers `true` when that makes `disable_after` in a row and the subscription was
/// disabled just now (its contact is to hear of it).
pub fn count_attempt(
    conn: &mut DbConnection,
    id: &SubscriptionId,
    succeeded: bool,
    error: Option<&str>,
    disable_after: i32,
) -> StoreResult<bool> {
    if succeeded {
        diesel::update(
            subscriptions::table
                .find(id)
                .filter(subscriptions::failures.gt(0)),
        )
        .set(subscriptions::failures.eq(0))
        .execute(conn)?;
        return Ok(false);
    }
    diesel::update(subscriptions::table.find(id))
        .set(subscriptions::failures.eq(subscriptions::failures + 1))
        .execute(conn)?;
    let disabled = diesel::update(
        subscriptions::table
            .find(id)
            .filter(subscriptions::failures.ge(disable_after))
            .filter(subscriptions::disabled_at.is_null()),
    )
    .set((
        subscriptions::disabled_at.eq(crate::now()),
        subscriptions::disabled_reason.eq(format!(
            "Disabled after {disable_after} failed attempts in a row; the last one: {}",
            error.unwrap_or("failed")
        )),
    ))
    .execute(conn)?;
    Ok(disabled == 1)
}
