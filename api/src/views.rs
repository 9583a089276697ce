//! Stored rows as the API shows them: the `shared` DTOs.

use chrono::{DateTime, NaiveDateTime, Utc};
use upstate_shared::dto;
use upstate_shared::{ApiKeyId, UserId};
use upstate_store::{api_keys, audit, invitations, memberships, organizations, users};

/// A stored time (UTC) as the API sends it.
pub fn utc(time: NaiveDateTime) -> DateTime<Utc> {
    time.and_utc()
}

pub fn user(user: &users::User) -> dto::User {
    dto::User {
        id: user.id.clone(),
        email: user.email.clone(),
        name: user.name.clone(),
        created_at: utc(user.created_at),
    }
}

pub fn org(org: &organizations::Organization) -> dto::Org {
    dto::Org {
        id: org.id.clone(),
        name: org.name.clone(),
        slug: org.slug.clone(),
        branding: dto::Branding {
            accent_color: org.accent_color.clone(),
            logo_url: org.logo_url.clone(),
            support_url: org.support_url.clone(),
            favicon_url: org.favicon_url.clone(),
            home_url: org.home_url.clone(),
            footer_text: org.footer_text.clone(),
            theme: org.theme,
        },
        reminder_minutes: u32::try_from(org.reminder_minutes).unwrap_or(0),
        custom_domain: org.custom_domain.clone(),
        default_language: language(org),
        require_two_factor: org.require_two_factor,
        created_at: utc(org.created_at),
        updated_at: utc(org.updated_at),
    }
}

/// The org's default language (an unknown tag, which only a hand-edited database holds, reads
/// as English).
pub fn language(org: &organizations::Organization) -> upstate_shared::Locale {
    org.default_language.parse().unwrap_or_default()
}

/// The org's branding as a whole, custom CSS included (`GET /orgs/{org}/branding`).
pub fn branding(org: &organizations::Organization) -> dto::BrandingSettings {
    dto::BrandingSettings {
        accent_color: org.accent_color.clone(),
        logo_url: org.logo_url.clone(),
        favicon_url: org.favicon_url.clone(),
        support_url: org.support_url.clone(),
        home_url: org.home_url.clone(),
        footer_text: org.footer_text.clone(),
        theme: org.theme,
        custom_css: org.custom_css.clone(),
    }
}

pub fn org_ref(org: &organizations::Organization) -> dto::OrgRef {
    dto::OrgRef {
        id: org.id.clone(),
        name: org.name.clone(),
        slug: org.slug.clone(),
        require_two_factor: org.require_two_factor,
    }
}

/// A member; `two_factor`: whether they have two-factor sign-in on.
pub fn member((membership, person): &memberships::MemberRow, two_factor: bool) -> dto::Member {
    dto::Member {
        user: user(person),
        role: membership.role,
        joined_at: utc(membership.created_at),
        two_factor,
    }
}

pub fn invitation(
    invitation: &invitations::Invitation,
    accept_url: Option<String>,
) -> dto::Invitation {
    dto::Invitation {
        id: invitation.id.clone(),
        email: invitation.email.clone(),
        role: invitation.role,
        expires_at: utc(invitation.expires_at),
        created_at: utc(invitation.created_at),
        invited_by: invitation.invited_by.clone(),
        accept_url,
    }
}

pub fn api_key(key: &api_keys::ApiKey) -> dto::ApiKey {
    dto::ApiKey {
        id: key.id.clone(),
        name: key.name.clone(),
        role: key.role,
        prefix: key.key_prefix.clone(),
        created_at: utc(key.created_at),
        last_used_at: key.last_used_at.map(utc),
        created_by: key.created_by.clone(),
    }
}

pub fn audit_entry(entry: audit::Entry) -> dto::AuditEntry {
    let actor = match (entry.actor_user_id, entry.actor_api_key_id) {
        // No account joined: the person deleted theirs.
        (Some(id), _) if entry.actor_user_email.is_none() => dto::Actor::FormerMember { id },
        (Some(id), _) => dto::Actor::User {
            id,
            name: entry.actor_user_name,
            email: entry.actor_user_email,
        },
        (None, Some(id)) => dto::Actor::ApiKey {
            id,
            name: entry.actor_api_key_name,
        },
        (None, None) => dto::Actor::System,
    };
    dto::AuditEntry {
        id: entry.id,
        actor,
        action: entry.action,
        target_type: entry.target_type,
        target_id: entry.target_id,
        details: serde_json::from_str(&entry.details).unwrap_or(serde_json::Value::Null),
        ip: entry.ip,
        created_at: utc(entry.created_at),
    }
}

// ---- status management ----

use std::collections::HashMap;
use upstate_store::{DbConnection, StoreResult, incidents, maintenances, services};

/// The names of the people and keys that wrote something, to show them as authors.
#[derive(Debug, Default)]
pub struct Names {
    users: HashMap<UserId, (String, String)>,
    keys: HashMap<ApiKeyId, String>,
}

impl Names {
    /// Loads the names of these user ids and key ids.
    pub fn load(
        conn: &mut DbConnection,
        users: Vec<UserId>,
        keys: Vec<ApiKeyId>,
    ) -> StoreResult<Names> {
        Ok(Names {
            users: users::names(conn, &users)?
                .into_iter()
                .map(|(id, name, email)| (id, (name, email)))
                .collect(),
            keys: api_keys::names(conn, &keys)?.into_iter().collect(),
        })
    }

    /// The names of every author of these incidents and windows.
    pub fn of(
        conn: &mut DbConnection,
        incidents: &[incidents::Full],
        windows: &[maintenances::Full],
    ) -> StoreResult<Names> {
        let mut users = Vec::new();
        let mut keys = Vec::new();
        for update in incidents.iter().flat_map(|i| &i.updates) {
            users.extend(update.author_user_id.clone());
            keys.extend(update.author_api_key_id.clone());
        }
        for update in windows.iter().flat_map(|m| &m.updates) {
            users.extend(update.author_user_id.clone());
            keys.extend(update.author_api_key_id.clone());
        }
        users.sort();
        users.dedup();
        keys.sort();
        keys.dedup();
        Names::load(conn, users, keys)
    }

    /// The actor for a user id or key id (neither: the server itself).
    pub fn actor(&self, user: &Option<UserId>, key: &Option<ApiKeyId>) -> dto::Actor {
        match (user, key) {
            // Every author id names an account (a foreign key); one without a name is of a
            // person who deleted theirs.
            (Some(id), _) => match self.users.get(id) {
                Some((name, email)) => dto::Actor::User {
                    id: id.clone(),
                    name: Some(name.clone()),
                    email: Some(email.clone()),
                },
                None => dto::Actor::FormerMember { id: id.clone() },
            },
            (None, Some(id)) => dto::Actor::ApiKey {
                id: id.clone(),
                name: self.keys.get(id).cloned(),
            },
            (None, None) => dto::Actor::System,
        }
    }
}

pub fn service(service: &services::Service) -> dto::Service {
    dto::Service {
        id: service.id.clone(),
        name: service.name.clone(),
        description: service.description.clone(),
        status: service.status,
        manual_status: service.manual_status,
        monitor_status: service.monitor_status.map(|status| status.0),
        display: service.display,
        group_id: service.group_id.clone(),
        position: service.position,
        created_at: utc(service.created_at),
        updated_at: utc(service.updated_at),
    }
}

pub fn public_service(service: &services::Service) -> dto::PublicService {
    dto::PublicService {
        id: service.id.clone(),
        name: service.name.clone(),
        description: service.description.clone(),
        status: service.status,
        group_id: service.group_id.clone(),
        position: service.position,
        display: service.display,
    }
}

/// A service as the public live channel announces it: a hidden service says only that it is
/// hidden (its id, nothing a visitor may not see), so a page that listed it drops it.
pub fn public_service_event(service: &services::Service) -> dto::PublicService {
    if service.display == upstate_shared::ServiceDisplay::Hidden {
        dto::PublicService {
            id: service.id.clone(),
            name: String::new(),
            description: String::new(),
            status: upstate_shared::ServiceStatus::Operational,
            group_id: None,
            position: 0,
            display: service.display,
        }
    } else {
        public_service(service)
    }
}

/// The org's services the public sees at all (hidden ones left out; those shown only when not
/// operational are kept, with their display, so pages can show them when that changes).
pub fn listed_services(list: &[services::Service]) -> Vec<dto::PublicService> {
    list.iter()
        .filter(|s| s.display != upstate_shared::ServiceDisplay::Hidden)
        .map(public_service)
        .collect()
}

pub fn group(group: &services::Group) -> dto::ServiceGroup {
    dto::ServiceGroup {
        id: group.id.clone(),
        name: group.name.clone(),
        position: group.position,
        created_at: utc(group.created_at),
        updated_at: utc(group.updated_at),
    }
}

pub fn public_group(group: &services::Group) -> dto::PublicServiceGroup {
    dto::PublicServiceGroup {
        id: group.id.clone(),
        name: group.name.clone(),
        position: group.position,
    }
}

pub fn status_change(change: &services::StatusChange, names: &Names) -> dto::StatusChange {
    dto::StatusChange {
        status: change.status,
        changed_at: utc(change.changed_at),
        changed_by: names.actor(&change.changed_by_user_id, &change.changed_by_api_key_id),
        source: match change.source.as_str() {
            "incident" => dto::ChangeSource::Incident,
            "maintenance" => dto::ChangeSource::Maintenance,
            "monitor" => dto::ChangeSource::Monitor,
            _ => dto::ChangeSource::Manual,
        },
        incident_id: change.incident_id.clone(),
        maintenance_id: change.maintenance_id.clone(),
        monitor_id: change.monitor_id.clone(),
    }
}

fn affected(full: &incidents::Full) -> Vec<dto::AffectedService> {
    full.affected
        .iter()
        .map(|(service, status)| dto::AffectedService {
            service_id: service.clone(),
            status: *status,
        })
        .collect()
}

/// The HTML stored with a message. Rendering here happens only for a row an older version wrote
/// while this one was starting (a rolling upgrade); `migrate` renders every other.
fn html(stored: &Option<String>, markdown: &str) -> String {
    match stored {
        Some(html) => html.clone(),
        None => upstate_markdown::to_html(markdown),
    }
}

pub fn incident(full: &incidents::Full, names: &Names) -> dto::Incident {
    let i = &full.incident;
    dto::Incident {
        id: i.id.clone(),
        title: i.title.clone(),
        status: i.status,
        impact: i.impact,
        affected: affected(full),
        updates: full
            .updates
            .iter()
            .map(|u| dto::IncidentUpdate {
                id: u.id.clone(),
                status: u.status,
                message: u.message.clone(),
                message_html: html(&u.message_html, &u.message),
                created_at: utc(u.created_at),
                author: names.actor(&u.author_user_id, &u.author_api_key_id),
            })
            .collect(),
        postmortem: i.postmortem.clone(),
        postmortem_html: i
            .postmortem
            .as_deref()
            .map(|text| html(&i.postmortem_html, text)),
        created_at: utc(i.created_at),
        updated_at: utc(i.updated_at),
        resolved_at: i.resolved_at.map(utc),
    }
}

pub fn public_incident(full: &incidents::Full) -> dto::PublicIncident {
    let i = &full.incident;
    dto::PublicIncident {
        id: i.id.clone(),
        title: i.title.clone(),
        status: i.status,
        impact: i.impact,
        affected: affected(full),
        updates: full
            .updates
            .iter()
            .map(|u| dto::PublicIncidentUpdate {
                id: u.id.clone(),
                status: u.status,
                message_html: html(&u.message_html, &u.message),
                created_at: utc(u.created_at),
            })
            .collect(),
        postmortem_html: i
            .postmortem
            .as_deref()
            .map(|text| html(&i.postmortem_html, text)),
        created_at: utc(i.created_at),
        updated_at: utc(i.updated_at),
        resolved_at: i.resolved_at.map(utc),
    }
}

pub fn maintenance(full: &maintenances::Full, names: &Names) -> dto::Maintenance {
    let m = &full.maintenance;
    dto::Maintenance {
        id: m.id.clone(),
        title: m.title.clone(),
        description: m.description.clone(),
        description_html: html(&m.description_html, &m.description),
        status: m.status,
        scheduled_start: utc(m.scheduled_start),
        scheduled_end: utc(m.scheduled_end),
        auto_transition: m.auto_transition,
        service_ids: full.service_ids.clone(),
        updates: full
            .updates
            .iter()
            .map(|u| dto::MaintenanceUpdate {
                id: u.id.clone(),
                status: u.status,
                message: u.message.clone(),
                message_html: html(&u.message_html, &u.message),
                created_at: utc(u.created_at),
                author: names.actor(&u.author_user_id, &u.author_api_key_id),
            })
            .collect(),
        started_at: m.started_at.map(utc),
        ended_at: m.ended_at.map(utc),
        created_at: utc(m.created_at),
        updated_at: utc(m.updated_at),
    }
}

pub fn public_maintenance(full: &maintenances::Full) -> dto::PublicMaintenance {
    let m = &full.maintenance;
    dto::PublicMaintenance {
        id: m.id.clone(),
        title: m.title.clone(),
        description_html: html(&m.description_html, &m.description),
        status: m.status,
        scheduled_start: utc(m.scheduled_start),
        scheduled_end: utc(m.scheduled_end),
        service_ids: full.service_ids.clone(),
        updates: full
            .updates
            .iter()
            .map(|u| dto::PublicMaintenanceUpdate {
                id: u.id.clone(),
                status: u.status,
                message_html: html(&u.message_html, &u.message),
                created_at: utc(u.created_at),
            })
            .collect(),
        started_at: m.started_at.map(utc),
        ended_at: m.ended_at.map(utc),
    }
}

/// A page of `items` fetched with one extra: answers the page and the next cursor.
pub fn page_of<T, Id: Into<String>>(
    mut items: Vec<T>,
    limit: i64,
    id: impl Fn(&T) -> Id,
) -> (Vec<T>, Option<String>) {
    let more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    let next = if more {
        items.last().map(|item| id(item).into())
    } else {
        None
    };
    (items, next)
}

/// The document of `GET /api/v1/account/export`: the person's data as the store holds it, with
/// what concerns other people left out (details of what the person did, who else acted).
pub fn account_export(
    data: &upstate_store::personal_data::PersonalData,
    exported_at: DateTime<Utc>,
) -> dto::AccountExport {
    let person = &data.user;
    dto::AccountExport {
        format: "upstate.account-export".into(),
        version: 1,
        exported_at,
        profile: dto::ExportedProfile {
            id: person.id.clone(),
            name: person.name.clone(),
            email: person.email.clone(),
            email_verified_at: person.email_verified_at.map(utc),
            created_at: utc(person.created_at),
            updated_at: utc(person.updated_at),
        },
        memberships: data
            .memberships
            .iter()
            .map(|(org, role, since)| dto::ExportedMembership {
                org_slug: org.slug.clone(),
                org_name: org.name.clone(),
                role: *role,
                since: utc(*since),
            })
            .collect(),
        sessions: data
            .sessions
            .iter()
            .map(|(session, ended_at)| dto::ExportedSession {
                created_at: utc(session.created_at),
                last_used_at: utc(session.last_used_at),
                ended_at: ended_at.map(utc),
                client_address: session.client_address.clone(),
                user_agent: session.user_agent.clone(),
            })
            .collect(),
        two_factor: dto::ExportedTwoFactor {
            totp_since: data.two_factor_since.map(utc),
            recovery_codes_left: data.recovery_codes_left,
            passkeys: data
                .passkeys
                .iter()
                .map(|(name, created_at, last_used_at)| dto::ExportedPasskey {
                    name: name.clone(),
                    created_at: utc(*created_at),
                    last_used_at: last_used_at.map(utc),
                })
                .collect(),
        },
        audit: data
            .audit
            .iter()
            .map(|entry| {
                let theirs = entry.actor_user_id.as_ref() == Some(&person.id);
                let by = match (&entry.actor_user_id, &entry.actor_api_key_id) {
                    _ if theirs => "you",
                    (Some(_), _) => "another_member",
                    (None, Some(_)) => "api_key",
                    (None, None) => "system",
                };
                dto::ExportedAuditEntry {
                    at: utc(entry.created_at),
                    org_slug: entry.org_slug.clone(),
                    action: entry.action.clone(),
                    by: by.into(),
                    target_type: entry.target_type.clone(),
                    details: entry
                        .is_about(&person.id)
                        .then(|| serde_json::from_str(&entry.details).ok())
                        .flatten(),
                    client_address: if theirs { entry.ip.clone() } else { None },
                }
            })
            .collect(),
        subscriptions: data
            .subscriptions
            .iter()
            .map(|(org_slug, subscription)| dto::ExportedSubscription {
                org_slug: org_slug.clone(),
                channel: subscription.channel.clone(),
                email: (subscription.channel == "email").then(|| subscription.target.clone()),
                created_at: utc(subscription.created_at),
                confirmed_at: subscription.confirmed_at.map(utc),
                language: subscription.locale.clone(),
            })
            .collect(),
    }
}
