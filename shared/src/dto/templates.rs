//! Incident templates (`/api/v1/orgs/{org}/incident-templates`): the incidents a team declares
//! again and again, kept by name. Declaring from one is the ordinary `POST .../incidents` with
//! the template's fields ([`SavedIncidentTemplate::declaration`]), which the person may still
//! edit. (Not to be confused with a monitor's automatic incident, [`super::IncidentTemplate`].)

use super::{AffectedService, CreateIncidentRequest};
use crate::{ImpactLevel, IncidentStatus, IncidentTemplateId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The most templates one organization keeps.
pub const TEMPLATES_PER_ORG: usize = 100;

/// A saved incident template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SavedIncidentTemplate {
    pub id: IncidentTemplateId,
    /// What the team calls it (unique in the org).
    pub name: String,
    /// The incident's title.
    pub title: String,
    pub impact: ImpactLevel,
    /// The status the incident is declared with.
    pub status: IncidentStatus,
    /// The first update's message (Markdown).
    pub message: String,
    /// The services the incident affects and the status each takes; services deleted since the
    /// template was saved are left out.
    pub affected: Vec<AffectedService>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Who saved it (absent when an API key did, or the person left).
    pub created_by: Option<UserId>,
}

impl SavedIncidentTemplate {
    /// The incident this template declares, for `POST .../incidents` (subscribers are told).
    pub fn declaration(&self) -> CreateIncidentRequest {
        CreateIncidentRequest {
            title: self.title.clone(),
            status: self.status,
            impact: self.impact,
            message: self.message.clone(),
            affected: self.affected.clone(),
            notify: true,
        }
    }
}

/// `POST /api/v1/orgs/{org}/incident-templates`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateIncidentTemplateRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
            max_length = 100,
            example = "Database failover"
        )
    )]
    pub name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
            max_length = 200,
            example = "Elevated API error rates"
        )
    )]
    pub title: String,
    pub impact: ImpactLevel,
    /// The status to declare with (default `investigating`).
    #[serde(default = "investigating")]
    pub status: IncidentStatus,
    /// The first update's message (Markdown).
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 10000,
            example = "We are investigating **elevated error rates** on the API."
        )
    )]
    pub message: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub affected: Vec<AffectedService>,
}

fn investigating() -> IncidentStatus {
    IncidentStatus::Investigating
}

/// `PATCH /api/v1/orgs/{org}/incident-templates/{template_id}`: any subset; `affected`, when
/// present, replaces the list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateIncidentTemplateRequest {
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
        schema(
            min_length = 1,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
            max_length = 200
        )
    )]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<ImpactLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<IncidentStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 10000))]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub affected: Option<Vec<AffectedService>>,
}
