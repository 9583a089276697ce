//! Organizations and their team: members, invitations, API keys, the audit log.

use super::{Branding, double_option};
use crate::dto::auth::User;
use crate::ids::{ApiKeyId, InvitationId, OrgId, UserId};
use crate::locale::Locale;
use crate::status::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Org {
    pub id: OrgId,
    pub name: String,
    pub slug: String,
    pub branding: Branding,
    /// Minutes before a maintenance window starts that subscribers are reminded (0: never).
    pub reminder_minutes: u32,
    /// The host name of its own that serves its public page (`status.example.com`), if any.
    #[serde(default)]
    pub custom_domain: Option<String>,
    /// The language its public page speaks to a visitor whose browser asks for none of the
    /// page's languages (a visitor's own choice and browser come first).
    #[serde(default)]
    pub default_language: Locale,
    /// Whether every member must have two-factor sign-in on to work in it
    /// (`PUT /api/v1/orgs/{org}/security`).
    #[serde(default)]
    pub require_two_factor: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/v1/orgs`. Without a slug, one is made from the name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateOrgRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
            max_length = 100,
            example = "Acme"
        )
    )]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 3,
            max_length = 40,
            pattern = "^[a-z0-9]+(-[a-z0-9]+)*$",
            example = "acme"
        )
    )]
    pub slug: Option<String>,
}

/// `PATCH /api/v1/orgs/{org}`: any subset; `null` clears a branding field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateOrgRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
            max_length = 100
        )
    )]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 3, max_length = 40, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")
    )]
    pub slug: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branding: Option<BrandingPatch>,
    /// Minutes before a maintenance window starts that subscribers are reminded (0: never; at
    /// most a week).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(maximum = 10080))]
    pub reminder_minutes: Option<u32>,
    /// The language of the public page for visitors whose browser asks for none of its
    /// languages: `en`, `de`, `fr`, `es`, `pt-BR` or `ja`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<String>, pattern = "^(en|de|fr|es|pt-BR|ja)$", example = "de")
    )]
    pub default_language: Option<String>,
    /// A host name of the org's own that serves its public page (`status.example.com`): its
    /// DNS points at this server. `null` (or blank) removes it.
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<String>, max_length = 253, example = "status.example.com")
    )]
    pub custom_domain: Option<Option<String>>,
}

/// The answer of `GET /api/v1/custom-domains/check`: this name is an organization's custom
/// domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomDomain {
    pub domain: String,
}

/// The branding fields of an org update.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrandingPatch {
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^#[0-9a-fA-F]{6}$", example = "#1f6feb")
    )]
    pub accent_color: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub logo_url: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub support_url: Option<Option<String>>,
}

/// A member of an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub user: User,
    pub role: Role,
    pub joined_at: DateTime<Utc>,
    /// Whether the member has two-factor sign-in on.
    #[serde(default)]
    pub two_factor: bool,
}

/// `GET|PUT /api/v1/orgs/{org}/security`: the org's sign-in rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgSecurity {
    /// Every member must have two-factor sign-in on to do anything in the org; a member
    /// without it is answered 403 `two_factor_required` until they turn it on. Owners turn it
    /// on once they have it themselves.
    pub require_two_factor: bool,
    /// How many members have no two-factor sign-in (read only: ignored in a `PUT`).
    #[serde(default)]
    pub members_without_two_factor: u32,
}

/// `PATCH /api/v1/orgs/{org}/members/{user_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateMemberRequest {
    pub role: Role,
}

/// `POST /api/v1/orgs/{org}/invitations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateInvitationRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(format = Email, example = "grace@example.com", max_length = 254)
    )]
    pub email: String,
    pub role: Role,
}

/// A pending invitation. `accept_url` is only in the answer that created it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitation {
    pub id: InvitationId,
    pub email: String,
    pub role: Role,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub invited_by: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_url: Option<String>,
}

/// `POST /api/v1/invitations/accept`: the token of the invitation link (the part after `#`),
/// in the body so that it reaches no server or proxy log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptInvitationRequest {
    pub token: String,
}

/// The answer of `POST /api/v1/invitations/accept`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AcceptedInvitation {
    pub org: Org,
    pub role: Role,
}

/// `POST /api/v1/orgs/{org}/api-keys`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateApiKeyRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
            max_length = 100,
            example = "Deploy pipeline"
        )
    )]
    pub name: String,
    pub role: Role,
}

/// An API key as listed: never the key itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub name: String,
    pub role: Role,
    /// The key's first characters, to tell keys apart (`upk_3f9a1c`).
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_by: Option<UserId>,
}

/// The answer that created an API key: the only time `key` is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedApiKey {
    pub id: ApiKeyId,
    pub name: String,
    pub role: Role,
    pub prefix: String,
    pub key: String,
    pub created_at: DateTime<Utc>,
}

/// Who did something recorded in the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Actor {
    User {
        id: UserId,
        name: Option<String>,
        email: Option<String>,
    },
    ApiKey {
        id: ApiKeyId,
        name: Option<String>,
    },
    /// A person who has since deleted their account: what they wrote stays, their name goes.
    FormerMember {
        id: UserId,
    },
    System,
}

/// One entry of `GET /api/v1/orgs/{org}/audit-log`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: String,
    pub actor: Actor,
    /// e.g. `auth.login_succeeded`, `member.role_changed`, `api_key.created`.
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub details: serde_json::Value,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn branding_patch_tells_absent_from_null() {
        let patch: UpdateOrgRequest = serde_json::from_value(json!({
            "branding": {"logo_url": null, "accent_color": "#112233"}
        }))
        .unwrap();
        let branding = patch.branding.unwrap();
        assert_eq!(branding.logo_url, Some(None), "null clears");
        assert_eq!(branding.accent_color, Some(Some("#112233".into())));
        assert_eq!(branding.support_url, None, "absent leaves as is");
        assert_eq!(patch.name, None);
    }

    #[test]
    fn actors_are_tagged_by_kind() {
        assert_eq!(
            serde_json::to_value(Actor::System).unwrap(),
            json!({"kind": "system"})
        );
        let user = Actor::User {
            id: UserId("u1".into()),
            name: Some("Ada".into()),
            email: None,
        };
        assert_eq!(
            serde_json::to_value(&user).unwrap(),
            json!({"kind": "user", "id": "u1", "name": "Ada", "email": null})
        );
    }
}
