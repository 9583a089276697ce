//! A person's own data (issue 22): everything stored about them, to take out ([`export`]), and
//! its erasure when they delete their account ([`erase`]).
//!
//! Erasing keeps the `users` row as a tombstone with nothing personal in it (no name, no
//! address, no password, `erased_at` set), so that what the person wrote (incident updates,
//! audit entries, API keys they made) keeps an author the API shows as "a former member".
//! Everything else about them goes: memberships, sessions, sign-in secrets and passkeys, links, pending
//! invitations to their address, subscriptions to it, mails queued to it, the client
//! addresses of their audit entries and the details of the entries about them.

use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::memberships::{self, Leaving};
use crate::organizations::Organization;
use crate::schema::{
    audit_log, events, invitations, link_tokens, login_challenges, outbox, passkey_ceremonies,
    passkeys, recovery_codes, refresh_tokens, sessions, subscriptions, totp_credentials, users,
};
use crate::sessions::Session;
use crate::subscriptions::Subscription;
use crate::users::User;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::{Role, UserId};

/// Everything stored about one person.
#[derive(Debug, Clone)]
pub struct PersonalData {
    pub user: User,
    /// Their orgs, their role in each and since when.
    pub memberships: Vec<(Organization, Role, NaiveDateTime)>,
    /// Every session they began that is still stored (live or ended).
    pub sessions: Vec<(Session, Option<NaiveDateTime>)>,
    /// When two-factor sign-in was turned on, if it is.
    pub two_factor_since: Option<NaiveDateTime>,
    pub recovery_codes_left: i64,
    /// Their passkeys: name, when added, when last used (never the key itself).
    pub passkeys: Vec<(String, NaiveDateTime, Option<NaiveDateTime>)>,
    /// The audit entries they did or that are about them, oldest first.
    pub audit: Vec<AuditRow>,
    /// Subscriptions to their address (or naming it as their contact), with the org's slug.
    pub subscriptions: Vec<(String, Subscription)>,
}

/// An audit entry as the person may see it.
#[derive(Debug, Clone, Queryable)]
pub struct AuditRow {
    pub id: String,
    /// The slug of the org it happened in (none for the account itself, or a deleted org).
    pub org_slug: Option<String>,
    pub actor_user_id: Option<UserId>,
    pub actor_api_key_id: Option<String>,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub details: String,
    pub ip: Option<String>,
    pub created_at: NaiveDateTime,
}

impl AuditRow {
    /// Whether the entry is about the person (its target is their account).
    pub fn is_about(&self, user: &UserId) -> bool {
        self.target_type == "user" && self.target_id.as_deref() == Some(user.as_str())
    }
}

/// A `LIKE` pattern matching text that contains `needle` as it is (`%`, `_` and `\` escaped).
fn containing(needle: &str) -> String {
    let escaped = needle
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Everything stored about `user`.
pub fn export(conn: &mut DbConnection, user: &UserId) -> StoreResult<PersonalData> {
    let person = crate::users::get(conn, user)?;
    let memberships = memberships::orgs_of_user(conn, user)?
        .into_iter()
        .map(|(org, role)| {
            let since = memberships::member(conn, &org.id, user)?.0.created_at;
            Ok((org, role, since))
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let sessions = sessions::table
        .filter(sessions::user_id.eq(user))
        .order(sessions::created_at.asc())
        .select((Session::as_select(), sessions::ended_at))
        .load(conn)?;
    let two_factor_since = crate::two_factor::totp(conn, user)?.and_then(|c| c.confirmed_at);
    let recovery_codes_left = crate::two_factor::recovery_codes_left(conn, user)?;
    let passkeys = passkeys::table
        .filter(passkeys::user_id.eq(user))
        .order(passkeys::created_at.asc())
        .select((passkeys::name, passkeys::created_at, passkeys::last_used_at))
        .load(conn)?;
    let audit = audit_log::table
        .left_join(
            crate::schema::organizations::table
                .on(audit_log::org_id.eq(crate::schema::organizations::id.nullable())),
        )
        .filter(
            audit_log::actor_user_id.eq(user).or(audit_log::target_type
                .eq("user")
                .and(audit_log::target_id.eq(user.as_str()))),
        )
        .order((audit_log::created_at.asc(), audit_log::id.asc()))
        .select((
            audit_log::id,
            crate::schema::organizations::slug.nullable(),
            audit_log::actor_user_id,
            audit_log::actor_api_key_id,
            audit_log::action,
            audit_log::target_type,
            audit_log::target_id,
            audit_log::details,
            audit_log::ip,
            audit_log::created_at,
        ))
        .load::<AuditRow>(conn)?;
    let subscriptions = subscriptions::table
        .inner_join(crate::schema::organizations::table)
        .filter(
            subscriptions::channel
                .eq("email")
                .and(subscriptions::target.eq(&person.email))
                .or(subscriptions::contact_email.eq(&person.email)),
        )
        .order(subscriptions::created_at.asc())
        .select((
            crate::schema::organizations::slug,
            Subscription::as_select(),
        ))
        .load(conn)?;
    Ok(PersonalData {
        user: person,
        memberships,
        sessions,
        two_factor_since,
        recovery_codes_left,
        passkeys,
        audit,
        subscriptions,
    })
}

/// The orgs where `user` is the only owner: they must make someone else owner (or delete the
/// org) before deleting their account.
pub fn orgs_where_last_owner(
    conn: &mut DbConnection,
    user: &UserId,
) -> StoreResult<Vec<Organization>> {
    let mut last = Vec::new();
    for (org, role) in memberships::orgs_of_user(conn, user)? {
        if role == Role::Owner && memberships::owner_count(conn, &org.id)? <= 1 {
            last.push(org);
        }
    }
    Ok(last)
}

/// What [`erase`] took away, for the audit entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Erased {
    /// The orgs the person left, with the role they had in each.
    pub orgs_left: Vec<(upstate_shared::OrgId, Role)>,
    pub sessions_ended: usize,
    pub subscriptions_removed: usize,
}

/// Erases `user` (see the module's comment). Leaving each org follows the team's rules, so the
/// last owner of an org stops it (`TeamRule::LastOwner`) and nothing is erased; call it in a
/// transaction.
pub fn erase(conn: &mut DbConnection, user: &UserId) -> StoreResult<Erased> {
    let person = crate::users::get(conn, user)?;
    let email = person.email.clone();
    let mut erased = Erased::default();
    for (org, _) in memberships::orgs_of_user(conn, user)? {
        let role = memberships::leave(conn, &org.id, user, Leaving::Themself)?;
        erased.orgs_left.push((org.id, role));
    }
    // Sessions end at once (their access tokens and sockets with them), then go.
    erased.sessions_ended = crate::sessions::revoke_all_of_user(conn, user)?;
    diesel::delete(refresh_tokens::table.filter(refresh_tokens::user_id.eq(user))).execute(conn)?;
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user))).execute(conn)?;
    diesel::delete(link_tokens::table.filter(link_tokens::user_id.eq(user))).execute(conn)?;
    diesel::delete(totp_credentials::table.filter(totp_credentials::user_id.eq(user)))
        .execute(conn)?;
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user))).execute(conn)?;
    diesel::delete(login_challenges::table.filter(login_challenges::user_id.eq(user)))
        .execute(conn)?;
    diesel::delete(passkeys::table.filter(passkeys::user_id.eq(user))).execute(conn)?;
    diesel::delete(passkey_ceremonies::table.filter(passkey_ceremonies::user_id.eq(user)))
        .execute(conn)?;
    diesel::delete(invitations::table.filter(invitations::email.eq(&email))).execute(conn)?;
    erased.subscriptions_removed = diesel::delete(
        subscriptions::table
            .filter(subscriptions::channel.eq("email"))
            .filter(subscriptions::target.eq(&email)),
    )
    .execute(conn)?;
    diesel::update(subscriptions::table.filter(subscriptions::contact_email.eq(&email)))
        .set(subscriptions::contact_email.eq(None::<String>))
        .execute(conn)?;
    let mentions = containing(&email);
    diesel::delete(outbox::table.filter(outbox::payload.like(&mentions).escape('\\')))
        .execute(conn)?;
    diesel::update(audit_log::table.filter(audit_log::actor_user_id.eq(user)))
        .set(audit_log::ip.eq(None::<String>))
        .execute(conn)?;
    diesel::update(
        audit_log::table.filter(
            audit_log::target_type
                .eq("user")
                .and(audit_log::target_id.eq(user.as_str()))
                .or(audit_log::details.like(&mentions).escape('\\')),
        ),
    )
    .set(audit_log::details.eq("{}"))
    .execute(conn)?;
    forget_in_events(conn, user, &mentions)?;
    let now = crate::now();
    diesel::update(users::table.find(user))
        .set((
            users::name.eq(""),
            users::email.eq(format!("erased:{}", user.as_str())),
            users::password_hash.eq(""),
            users::email_verified_at.eq(None::<NaiveDateTime>),
            users::erased_at.eq(Some(now)),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(erased)
}

/// The live-event log (kept a week for clients catching up) names authors with their name and
/// address: each event that mentions `user`'s address has them turned into a former member.
fn forget_in_events(conn: &mut DbConnection, user: &UserId, mentions: &str) -> StoreResult<()> {
    let rows: Vec<(String, i64, String, Option<String>)> = events::table
        .filter(
            events::payload
                .like(mentions)
                .escape('\\')
                .or(events::member_payload.like(mentions).escape('\\')),
        )
        .select((
            events::org_id,
            events::seq,
            events::payload,
            events::member_payload,
        ))
        .load(conn)?;
    let forget = |text: &str| match serde_json::from_str::<serde_json::Value>(text) {
        Ok(mut value) => {
            forget_actor(&mut value, user);
            value.to_string()
        }
        Err(_) => text.to_owned(),
    };
    for (org, seq, payload, member_payload) in rows {
        diesel::update(events::table.find((&org, seq)))
            .set((
                events::payload.eq(forget(&payload)),
                events::member_payload.eq(member_payload.as_deref().map(forget)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Turns every actor object naming `user` (`{"kind":"user","id":…,"name":…,"email":…}`) into
/// `{"kind":"former_member","id":…}`, the shape `upstate_shared::dto::Actor` gives one.
pub fn forget_actor(value: &mut serde_json::Value, user: &UserId) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let names_user = map.get("kind").and_then(Value::as_str) == Some("user")
                && map.get("id").and_then(Value::as_str) == Some(user.as_str());
            if names_user {
                map.clear();
                map.insert("kind".into(), Value::from("former_member"));
                map.insert("id".into(), Value::from(user.as_str()));
            } else {
                map.values_mut().for_each(|v| forget_actor(v, user));
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| forget_actor(v, user)),
        _ => {}
    }
}
