//! Stored rows as the API shows them: the `shared` DTOs.

use chrono::{DateTime, NaiveDateTime, Utc};
use upstate_shared::dto;
use upstate_shared::{ApiKeyId, InvitationId, OrgId, UserId};
use upstate_store::{api_keys, audit, invitations, memberships, organizations, users};

/// A stored time (UTC) as the API sends it.
pub fn utc(time: NaiveDateTime) -> DateTime<Utc> {
    time.and_utc()
}

pub fn user(user: &users::User) -> dto::User {
    dto::User {
        id: UserId(user.id.clone()),
        email: user.email.clone(),
        name: user.name.clone(),
        created_at: utc(user.created_at),
    }
}

pub fn org(org: &organizations::Organization) -> dto::Org {
    dto::Org {
        id: OrgId(org.id.clone()),
        name: org.name.clone(),
        slug: org.slug.clone(),
        branding: dto::Branding {
            accent_color: org.accent_color.clone(),
            logo_url: org.logo_url.clone(),
            support_url: org.support_url.clone(),
        },
        created_at: utc(org.created_at),
        updated_at: utc(org.updated_at),
    }
}

pub fn org_ref(org: &organizations::Organization) -> dto::OrgRef {
    dto::OrgRef {
        id: OrgId(org.id.clone()),
        name: org.name.clone(),
        slug: org.slug.clone(),
    }
}

pub fn member((membership, person): &memberships::MemberRow) -> dto::Member {
    dto::Member {
        user: user(person),
        role: membership.role,
        joined_at: utc(membership.created_at),
    }
}

pub fn invitation(
    invitation: &invitations::Invitation,
    accept_url: Option<String>,
) -> dto::Invitation {
    dto::Invitation {
        id: InvitationId(invitation.id.clone()),
        email: invitation.email.clone(),
        role: invitation.role,
        expires_at: utc(invitation.expires_at),
        created_at: utc(invitation.created_at),
        invited_by: invitation.invited_by.clone().map(UserId),
        accept_url,
    }
}

pub fn api_key(key: &api_keys::ApiKey) -> dto::ApiKey {
    dto::ApiKey {
        id: ApiKeyId(key.id.clone()),
        name: key.name.clone(),
        role: key.role,
        prefix: key.key_prefix.clone(),
        created_at: utc(key.created_at),
        last_used_at: key.last_used_at.map(utc),
        created_by: key.created_by.clone().map(UserId),
    }
}

pub fn audit_entry(entry: audit::Entry) -> dto::AuditEntry {
    let actor = match (entry.actor_user_id, entry.actor_api_key_id) {
        (Some(id), _) => dto::Actor::User {
            id: UserId(id),
            name: entry.actor_user_name,
            email: entry.actor_user_email,
        },
        (None, Some(id)) => dto::Actor::ApiKey {
            id: ApiKeyId(id),
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
