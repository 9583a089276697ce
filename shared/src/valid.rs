//! Requests checked against the domain's rules, the same on both sides: the API refuses what
//! these refuse (422, each field's problem named), and the web forms check with them before
//! they send. `TryFrom<&Request>` answers every field's problem at once.

mod branding;
pub use branding::{BrandingEdit, footer_text};
mod sso;
pub use sso::SsoEdit;

use crate::dto::{
    AFFECTED_MAX, AccountDeletion, AffectedService, CreateApiKeyRequest, CreateIncidentRequest,
    CreateIncidentTemplateRequest, CreateIncidentUpdateRequest, CreateIntegrationRequest,
    CreateInvitationRequest, CreateMaintenanceRequest, CreateMaintenanceUpdateRequest,
    CreateOrgRequest, CreateServiceRequest, DESCRIPTION_MAX, EmailChangeRequest, GroupRequest,
    MESSAGE_MAX, MarkdownPreviewRequest, NAME_MAX, POSTMORTEM_MAX, PasswordChange,
    PasswordResetConfirm, PasswordResetRequest, ProfileUpdate, RegisterRequest, SubscribeRequest,
    TITLE_MAX, UpdateIncidentRequest, UpdateIncidentTemplateRequest, UpdateIntegrationRequest,
    UpdateMaintenanceRequest, UpdateOrgRequest, UpdateServiceRequest, UpdateSubscriptionRequest,
};
use crate::error::FieldErrors;
use crate::input;
use crate::input::{Email, Password, Slug};
use crate::{
    Channel, ImpactLevel, IncidentStatus, MaintenanceStatus, NotificationEvent, Role,
    ServiceDisplay, ServiceGroupId, ServiceId, ServiceStatus,
};

/// Problems found while checking a request, per field.
#[derive(Debug, Default)]
pub struct Problems(FieldErrors);

impl Problems {
    /// Keeps the value, or records the problem under `field`.
    pub fn take<T>(&mut self, field: &str, checked: Result<T, String>) -> Option<T> {
        match checked {
            Ok(value) => Some(value),
            Err(problem) => {
                self.add(field, problem);
                None
            }
        }
    }

    /// Records a problem with `field`.
    pub fn add(&mut self, field: &str, problem: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_default()
            .push(problem.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems, by field.
    pub fn into_fields(self) -> FieldErrors {
        self.0
    }
}

/// A description (of a service or a maintenance window): at most [`DESCRIPTION_MAX`]
/// characters, trimmed.
pub fn description(text: &str) -> Result<String, String> {
    if text.chars().count() > DESCRIPTION_MAX {
        Err(format!("must be at most {DESCRIPTION_MAX} characters"))
    } else {
        Ok(text.trim().to_owned())
    }
}

/// A service to create (`POST .../services`), checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewService {
    pub name: String,
    pub description: String,
    pub group_id: Option<ServiceGroupId>,
    /// Operational unless said otherwise.
    pub status: ServiceStatus,
    /// Always shown unless said otherwise.
    pub display: ServiceDisplay,
}

impl TryFrom<&CreateServiceRequest> for NewService {
    type Error = FieldErrors;

    fn try_from(request: &CreateServiceRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        let name = problems.take("name", input::name(&request.name, NAME_MAX));
        let text = problems.take(
            "description",
            description(request.description.as_deref().unwrap_or("")),
        );
        match (name, text) {
            (Some(name), Some(description)) => Ok(NewService {
                name,
                description,
                group_id: request.group_id.clone(),
                status: request.status.unwrap_or(ServiceStatus::Operational),
                display: request.display.unwrap_or_default(),
            }),
            _ => Err(problems.into_fields()),
        }
    }
}

/// A service's changes (`PATCH .../services/{id}`), checked: only what the request names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceEdit {
    pub name: Option<String>,
    pub description: Option<String>,
    /// `Some(None)`: out of its group.
    pub group_id: Option<Option<ServiceGroupId>>,
    /// The status set by hand.
    pub status: Option<ServiceStatus>,
    pub display: Option<ServiceDisplay>,
}

impl TryFrom<&UpdateServiceRequest> for ServiceEdit {
    type Error = FieldErrors;

    fn try_from(request: &UpdateServiceRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        let name = request
            .name
            .as_deref()
            .and_then(|name| problems.take("name", input::name(name, NAME_MAX)));
        let description = request
            .description
            .as_deref()
            .and_then(|text| problems.take("description", description(text)));
        if !problems.is_empty() {
            return Err(problems.into_fields());
        }
        Ok(ServiceEdit {
            name,
            description,
            group_id: request.group_id.clone(),
            status: request.status,
            display: request.display,
        })
    }
}

/// A group's name (`POST .../service-groups`, `PATCH .../service-groups/{id}`), checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupName(pub String);

impl TryFrom<&GroupRequest> for GroupName {
    type Error = FieldErrors;

    fn try_from(request: &GroupRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        match problems.take("name", input::name(&request.name, NAME_MAX)) {
            Some(name) => Ok(GroupName(name)),
            None => Err(problems.into_fields()),
        }
    }
}

/// An organization to create (`POST /api/v1/orgs`), checked: its name, and the address asked
/// for (else one is made from the name when it is created).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrg {
    pub name: String,
    pub slug: Option<Slug>,
}

impl TryFrom<&CreateOrgRequest> for NewOrg {
    type Error = FieldErrors;

    fn try_from(request: &CreateOrgRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        let name = problems.take("name", input::name(&request.name, NAME_MAX));
        let slug = match &request.slug {
            Some(slug) => problems.take("slug", Slug::parse(slug)).map(Some),
            None => Some(None),
        };
        match (name, slug) {
            (Some(name), Some(slug)) => Ok(NewOrg { name, slug }),
            _ => Err(problems.into_fields()),
        }
    }
}

/// An incident's message (an update's, or the first): Markdown, not blank, at most
/// [`MESSAGE_MAX`] characters.
pub fn message(text: &str) -> Result<String, String> {
    if text.trim().is_empty() {
        return Err("must not be empty".into());
    }
    if text.chars().count() > MESSAGE_MAX {
        return Err(format!("must be at most {MESSAGE_MAX} characters"));
    }
    Ok(text.to_owned())
}

/// The services an incident affects, and the status each takes: at most [`AFFECTED_MAX`], each
/// named once (whether they are the org's is the store's to say).
fn affected(problems: &mut Problems, list: &[AffectedService]) -> Vec<(ServiceId, ServiceStatus)> {
    if list.len() > AFFECTED_MAX {
        problems.add(
            "affected",
            format!("must name at most {AFFECTED_MAX} services"),
        );
    }
    let mut seen = std::collections::HashSet::new();
    for (index, item) in list.iter().enumerate() {
        if !seen.insert(&item.service_id) {
            problems.add(&format!("affected[{index}].service_id"), "is named twice");
        }
    }
    list.iter()
        .map(|a| (a.service_id.clone(), a.status))
        .collect()
}

/// An incident to declare (`POST .../incidents`), checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIncident {
    pub title: String,
    pub status: IncidentStatus,
    pub impact: ImpactLevel,
    pub message: String,
    pub affected: Vec<(ServiceId, ServiceStatus)>,
    /// Tell subscribers and integrations.
    pub notify: bool,
}

impl TryFrom<&CreateIncidentRequest> for NewIncident {
    type Error = FieldErrors;

    fn try_from(request: &CreateIncidentRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        let title = problems.take("title", input::name(&request.title, TITLE_MAX));
        let text = problems.take("message", message(&request.message));
        let affected = affected(&mut problems, &request.affected);
        match (title, text) {
            (Some(title), Some(message)) if problems.is_empty() => Ok(NewIncident {
                title,
                status: request.status,
                impact: request.impact,
                message,
                affected,
                notify: request.notify,
            }),
            _ => Err(problems.into_fields()),
        }
    }
}

/// An incident template to save (`POST .../incident-templates`), checked: the fields of an
/// incident to declare, and the template's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIncidentTemplate {
    pub name: String,
    pub title: String,
    pub impact: ImpactLevel,
    pub status: IncidentStatus,
    pub message: String,
    pub affected: Vec<(ServiceId, ServiceStatus)>,
}

impl TryFrom<&CreateIncidentTemplateRequest> for NewIncidentTemplate {
    type Error = FieldErrors;

    fn try_from(request: &CreateIncidentTemplateRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        let name = problems.take("name", input::name(&request.name, NAME_MAX));
        let title = problems.take("title", input::name(&request.title, TITLE_MAX));
        let text = problems.take("message", message(&request.message));
        let affected = affected(&mut problems, &request.affected);
        match (name, title, text) {
            (Some(name), Some(title), Some(message)) if problems.is_empty() => {
                Ok(NewIncidentTemplate {
                    name,
                    title,
                    impact: request.impact,
                    status: request.status,
                    message,
                    affected,
                })
            }
            _ => Err(problems.into_fields()),
        }
    }
}

/// An incident template's changes (`PATCH .../incident-templates/{id}`), checked: only what the
/// request names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IncidentTemplateEdit {
    pub name: Option<String>,
    pub title: Option<String>,
    pub impact: Option<ImpactLevel>,
    pub status: Option<IncidentStatus>,
    pub message: Option<String>,
    pub affected: Option<Vec<(ServiceId, ServiceStatus)>>,
}

impl TryFrom<&UpdateIncidentTemplateRequest> for IncidentTemplateEdit {
    type Error = FieldErrors;

    fn try_from(request: &UpdateIncidentTemplateRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        let edit = IncidentTemplateEdit {
            name: request
                .name
                .as_deref()
                .and_then(|name| problems.take("name", input::name(name, NAME_MAX))),
            title: request
                .title
                .as_deref()
                .and_then(|title| problems.take("title", input::name(title, TITLE_MAX))),
            impact: request.impact,
            status: request.status,
            message: request
                .message
                .as_deref()
                .and_then(|text| problems.take("message", message(text))),
            affected: request
                .affected
                .as_deref()
                .map(|list| affected(&mut problems, list)),
        };
        if problems.is_empty() {
            Ok(edit)
        } else {
            Err(problems.into_fields())
        }
    }
}

/// An update of an incident's timeline (`POST .../incidents/{id}/updates`), checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIncidentUpdate {
    pub status: IncidentStatus,
    pub message: String,
    /// When given, the affected services from now on.
    pub affected: Option<Vec<(ServiceId, ServiceStatus)>>,
    /// Tell subscribers and integrations.
    pub notify: bool,
}

impl TryFrom<&CreateIncidentUpdateRequest> for NewIncidentUpdate {
    type Error = FieldErrors;

    fn try_from(request: &CreateIncidentUpdateRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        let text = problems.take("message", message(&request.message));
        let affected = request
            .affected
            .as_deref()
            .map(|list| affected(&mut problems, list));
        match text {
            Some(message) if problems.is_empty() => Ok(NewIncidentUpdate {
                status: request.status,
                message,
                affected,
                notify: request.notify,
            }),
            _ => Err(problems.into_fields()),
        }
    }
}

/// The services of a maintenance window: at most [`AFFECTED_MAX`], each named once.
pub fn service_ids(problems: &mut Problems, ids: &[ServiceId]) -> Vec<ServiceId> {
    if ids.len() > AFFECTED_MAX {
        problems.add(
            "service_ids",
            format!("must name at most {AFFECTED_MAX} services"),
        );
    }
    let mut seen = std::collections::HashSet::new();
    if !ids.iter().all(|id| seen.insert(id)) {
        problems.add("service_ids", "names a service twice");
    }
    ids.to_vec()
}

/// A maintenance window to schedule (`POST .../maintenances`), checked: a title, a description
/// within bounds, an end after its start, each service named once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMaintenance {
    pub title: String,
    pub description: String,
    pub scheduled_start: chrono::DateTime<chrono::Utc>,
    pub scheduled_end: chrono::DateTime<chrono::Utc>,
    pub service_ids: Vec<ServiceId>,
    pub auto_transition: bool,
    /// Tell subscribers and integrations.
    pub notify: bool,
}

impl TryFrom<&CreateMaintenanceRequest> for NewMaintenance {
    type Error = FieldErrors;

    fn try_from(request: &CreateMaintenanceRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        let title = problems.take("title", input::name(&request.title, TITLE_MAX));
        let text = problems.take("description", description(&request.description));
        if request.scheduled_end <= request.scheduled_start {
            problems.add("scheduled_end", "must be after scheduled_start");
        }
        let service_ids = service_ids(&mut problems, &request.service_ids);
        match (title, text) {
            (Some(title), Some(description)) if problems.is_empty() => Ok(NewMaintenance {
                title,
                description,
                scheduled_start: request.scheduled_start,
                scheduled_end: request.scheduled_end,
                service_ids,
                auto_transition: request.auto_transition,
                notify: request.notify,
            }),
            _ => Err(problems.into_fields()),
        }
    }
}

/// A field that may be set, cleared or left alone: `None` leaves it, `Some(None)` clears it.
pub type Clearable<T> = Option<Option<T>>;

/// Checks a clearable text field: absent stays absent, null or blank clears, text is checked.
fn clearable(
    problems: &mut Problems,
    field: &str,
    value: &Clearable<String>,
    check: impl FnOnce(&str) -> Result<String, String>,
) -> Clearable<String> {
    match value {
        None => None,
        Some(None) => Some(None),
        Some(Some(text)) if text.trim().is_empty() => Some(None),
        Some(Some(text)) => problems.take(field, check(text)).map(Some),
    }
}

/// An organization's changes (`PATCH /orgs/{org}`), checked: only what the request names; an
/// empty branding field clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgEdit {
    pub name: Option<String>,
    pub slug: Option<Slug>,
    pub accent_color: Clearable<String>,
    pub logo_url: Clearable<String>,
    pub support_url: Clearable<String>,
    pub reminder_minutes: Option<u32>,
    /// A host name checked by [`host_name`].
    pub custom_domain: Clearable<String>,
    pub default_language: Option<crate::Locale>,
}

/// The longest a maintenance reminder may come before the window: a week.
pub const REMINDER_MAX_MINUTES: u32 = 7 * 24 * 60;

impl TryFrom<&UpdateOrgRequest> for OrgEdit {
    type Error = FieldErrors;

    fn try_from(request: &UpdateOrgRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        let mut edit = OrgEdit {
            name: request
                .name
                .as_deref()
                .and_then(|name| problems.take("name", input::name(name, NAME_MAX))),
            slug: request
                .slug
                .as_deref()
                .and_then(|slug| problems.take("slug", Slug::parse(slug))),
            reminder_minutes: request.reminder_minutes,
            default_language: request.default_language.as_deref().and_then(|tag| {
                problems.take(
                    "default_language",
                    tag.parse::<crate::Locale>()
                        .map_err(|err| format!("must be one of {}", err.expected.join(", "))),
                )
            }),
            ..OrgEdit::default()
        };
        if request
            .reminder_minutes
            .is_some_and(|minutes| minutes > REMINDER_MAX_MINUTES)
        {
            problems.add(
                "reminder_minutes",
                format!("must be at most {REMINDER_MAX_MINUTES} (a week)"),
            );
        }
        edit.custom_domain = clearable(
            &mut problems,
            "custom_domain",
            &request.custom_domain,
            host_name,
        );
        if let Some(branding) = &request.branding {
            edit.accent_color = clearable(
                &mut problems,
                "branding.accent_color",
                &branding.accent_color,
                input::hex_color,
            );
            edit.logo_url = clearable(
                &mut problems,
                "branding.logo_url",
                &branding.logo_url,
                input::web_url,
            );
            edit.support_url = clearable(
                &mut problems,
                "branding.support_url",
                &branding.support_url,
                input::web_url,
            );
        }
        if problems.is_empty() {
            Ok(edit)
        } else {
            Err(problems.into_fields())
        }
    }
}

/// The longest a host name may be (RFC 1035: 253 characters without the final dot).
pub const HOST_NAME_MAX: usize = 253;

/// A host name for a custom domain (`status.example.com`), lowercased: two or more RFC 1123
/// labels (letters, digits and inner hyphens, 1 to 63 each), no scheme, port or path, and not
/// an IP address (a certificate is issued for a name, and an address is the server's own).
/// One final dot, as in a fully qualified name, is dropped.
pub fn host_name(input: &str) -> Result<String, String> {
    const SHAPE: &str = "must be a host name like status.example.com (no http://, port or path)";
    let name = input.trim().to_ascii_lowercase();
    let name = name.strip_suffix('.').unwrap_or(&name);
    if name.len() > HOST_NAME_MAX {
        return Err(format!("must be at most {HOST_NAME_MAX} characters"));
    }
    let labels: Vec<&str> = name.split('.').collect();
    let label_ok = |label: &&str| {
        (1..=63).contains(&label.len())
            && label
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) {
        return Err(SHAPE.into());
    }
    // A name whose last label is all digits is an IPv4 address (or would be read as one).
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return Err("must be a host name, not an IP address".into());
    }
    Ok(name.to_owned())
}

/// The host of `public_url` (`https://status.example.com:8443/x` → `status.example.com`),
/// lowercased: the server's own name, which no org can take as its custom domain.
pub fn host_of_url(public_url: &str) -> String {
    let rest = public_url
        .split_once("://")
        .map_or(public_url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        // An IPv6 literal: `[::1]:8080`.
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.split(':').next().unwrap_or(""),
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// A postmortem (or any Markdown to publish): at most [`POSTMORTEM_MAX`] characters.
pub fn long_markdown(text: &str) -> Result<String, String> {
    if text.chars().count() > POSTMORTEM_MAX {
        Err(format!("must be at most {POSTMORTEM_MAX} characters"))
    } else {
        Ok(text.to_owned())
    }
}

/// An incident's changes (`PATCH .../incidents/{id}`), checked: only what the request names; an
/// empty postmortem clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IncidentEdit {
    pub title: Option<String>,
    pub impact: Option<ImpactLevel>,
    pub postmortem: Clearable<String>,
}

impl TryFrom<&UpdateIncidentRequest> for IncidentEdit {
    type Error = FieldErrors;

    fn try_from(request: &UpdateIncidentRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        let edit = IncidentEdit {
            title: request
                .title
                .as_deref()
                .and_then(|title| problems.take("title", input::name(title, TITLE_MAX))),
            impact: request.impact,
            postmortem: clearable(
                &mut problems,
                "postmortem",
                &request.postmortem,
                long_markdown,
            ),
        };
        if problems.is_empty() {
            Ok(edit)
        } else {
            Err(problems.into_fields())
        }
    }
}

/// A maintenance window's changes (`PATCH .../maintenances/{id}`), checked: only what the
/// request names; when both ends are named the end comes after the start (against the stored
/// end or start, the store checks).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MaintenanceEdit {
    pub title: Option<String>,
    pub description: Option<String>,
    pub scheduled_start: Option<chrono::DateTime<chrono::Utc>>,
    pub scheduled_end: Option<chrono::DateTime<chrono::Utc>>,
    pub service_ids: Option<Vec<ServiceId>>,
    pub auto_transition: Option<bool>,
}

impl TryFrom<&UpdateMaintenanceRequest> for MaintenanceEdit {
    type Error = FieldErrors;

    fn try_from(request: &UpdateMaintenanceRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        let edit = MaintenanceEdit {
            title: request
                .title
                .as_deref()
                .and_then(|title| problems.take("title", input::name(title, TITLE_MAX))),
            description: request
                .description
                .as_deref()
                .and_then(|text| problems.take("description", description(text))),
            scheduled_start: request.scheduled_start,
            scheduled_end: request.scheduled_end,
            service_ids: request
                .service_ids
                .as_deref()
                .map(|ids| service_ids(&mut problems, ids)),
            auto_transition: request.auto_transition,
        };
        if let (Some(start), Some(end)) = (request.scheduled_start, request.scheduled_end)
            && end <= start
        {
            problems.add("scheduled_end", "must be after scheduled_start");
        }
        if problems.is_empty() {
            Ok(edit)
        } else {
            Err(problems.into_fields())
        }
    }
}

/// A maintenance window's update (`POST .../maintenances/{id}/updates`), checked: a message and
/// the status it moves the window to (whether it may is the store's to say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMaintenanceUpdate {
    pub status: MaintenanceStatus,
    pub message: String,
    /// Tell subscribers and integrations (when it starts or completes the window).
    pub notify: bool,
}

impl TryFrom<&CreateMaintenanceUpdateRequest> for NewMaintenanceUpdate {
    type Error = FieldErrors;

    fn try_from(request: &CreateMaintenanceUpdateRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        match problems.take("message", message(&request.message)) {
            Some(message) => Ok(NewMaintenanceUpdate {
                status: request.status,
                message,
                notify: request.notify,
            }),
            None => Err(problems.into_fields()),
        }
    }
}

/// Markdown to preview (`POST .../markdown/preview`), checked: as long as a postmortem may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownSource(pub String);

impl TryFrom<&MarkdownPreviewRequest> for MarkdownSource {
    type Error = FieldErrors;

    fn try_from(request: &MarkdownPreviewRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        match problems.take("markdown", long_markdown(&request.markdown)) {
            Some(text) => Ok(MarkdownSource(text)),
            None => Err(problems.into_fields()),
        }
    }
}

/// A subscription to a status page (`POST /public/{org}/subscriptions`), checked: an email
/// address, a webhook's URL (http or https; whether it may be reached is the server's to say),
/// each service named once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubscriber {
    /// Where notifications go (email), or the webhook's contact.
    pub email: Email,
    pub webhook_url: Option<String>,
    pub service_ids: Vec<ServiceId>,
    /// The language its mails speak, when the request named one.
    pub language: Option<crate::Locale>,
}

impl TryFrom<&SubscribeRequest> for NewSubscriber {
    type Error = FieldErrors;

    fn try_from(request: &SubscribeRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        let email = problems.take("email", Email::parse(&request.email));
        let webhook_url = request
            .webhook_url
            .as_deref()
            .filter(|url| !url.trim().is_empty())
            .and_then(|url| problems.take("webhook_url", input::web_url(url)));
        let service_ids = service_ids(&mut problems, &request.service_ids);
        let language = request.language.as_deref().and_then(|tag| {
            problems.take(
                "language",
                tag.parse::<crate::Locale>()
                    .map_err(|err| format!("must be one of {}", err.expected.join(", "))),
            )
        });
        match email {
            Some(email) if problems.is_empty() => Ok(NewSubscriber {
                email,
                webhook_url,
                service_ids,
                language,
            }),
            _ => Err(problems.into_fields()),
        }
    }
}

/// One row of a CSV import of subscribers (`POST .../subscribers.csv`), checked: an email
/// address (a `kind` column, when there is one, says `email`), the services it hears about (ids
/// separated by spaces; none: all), and whether it had confirmed (a `confirmed` column saying
/// `false` marks a row that is not to be subscribed). A spreadsheet's guard quote before a
/// leading `=`, `+`, `-` or `@` (as exports write it) is taken off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedSubscriber {
    pub email: Email,
    pub service_ids: Vec<ServiceId>,
    pub confirmed: bool,
}

impl ImportedSubscriber {
    /// The row's columns (`None`: the file has no such column); the problem in words.
    pub fn from_columns(
        kind: Option<&str>,
        address: &str,
        service_ids: Option<&str>,
        confirmed: Option<&str>,
    ) -> Result<Self, String> {
        if let Some(kind) = kind.map(str::trim).filter(|kind| !kind.is_empty())
            && !kind.eq_ignore_ascii_case("email")
        {
            return Err(format!(
                "kind `{kind}` cannot be imported: only email subscribers can (a webhook \
                 subscribes from the status page, where it gets its signing secret)"
            ));
        }
        let address = unguarded(address.trim());
        let email = Email::parse(address).map_err(|problem| format!("email {problem}"))?;
        let mut ids = Vec::new();
        for id in service_ids.unwrap_or_default().split_whitespace() {
            let id = ServiceId::from(id.to_owned());
            if ids.contains(&id) {
                return Err(format!("service_ids names {id} twice"));
            }
            ids.push(id);
        }
        if ids.len() > AFFECTED_MAX {
            return Err(format!(
                "service_ids must name at most {AFFECTED_MAX} services"
            ));
        }
        let confirmed = match confirmed.map(str::trim) {
            None | Some("") => true,
            Some(text) if text.eq_ignore_ascii_case("true") || text == "1" => true,
            Some(text) if text.eq_ignore_ascii_case("false") || text == "0" => false,
            Some(text) => return Err(format!("confirmed must be true or false, not `{text}`")),
        };
        Ok(ImportedSubscriber {
            email,
            service_ids: ids,
            confirmed,
        })
    }
}

/// A cell as a spreadsheet shows it: text starting with `=`, `+`, `-` or `@` gets a guard quote,
/// so opening an export never runs a formula (OWASP's advice on CSV injection).
pub fn guarded(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// `cell` without the guard quote [`guarded`] adds.
fn unguarded(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// A subscriber's choice of services (`PATCH /public/{org}/subscriptions/{token}`), checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriberServices(pub Vec<ServiceId>);

impl TryFrom<&UpdateSubscriptionRequest> for SubscriberServices {
    type Error = FieldErrors;

    fn try_from(request: &UpdateSubscriptionRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        let ids = service_ids(&mut problems, &request.service_ids);
        if problems.is_empty() {
            Ok(SubscriberServices(ids))
        } else {
            Err(problems.into_fields())
        }
    }
}

/// A team integration to add (`POST .../integrations`), checked: a chat or webhook kind, a
/// name, an http(s) URL (whether it may be reached is the server's to say), an optional contact
/// address, a non-empty choice of events when one is made, each service named once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIntegration {
    pub kind: Channel,
    pub name: String,
    pub url: String,
    pub events: Option<Vec<NotificationEvent>>,
    pub service_ids: Vec<ServiceId>,
    pub contact_email: Option<Email>,
}

fn integration_events(
    problems: &mut Problems,
    events: Option<&[NotificationEvent]>,
) -> Option<Vec<NotificationEvent>> {
    let events = events?;
    if events.is_empty() {
        problems.add(
            "events",
            "must name at least one event (or be left out: all)",
        );
    }
    let mut unique = events.to_vec();
    unique.sort_by_key(|event| event.as_str());
    unique.dedup();
    Some(unique)
}

impl TryFrom<&CreateIntegrationRequest> for NewIntegration {
    type Error = FieldErrors;

    fn try_from(request: &CreateIntegrationRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        let kind = match request.kind {
            None => {
                problems.add("kind", "must be given");
                None
            }
            Some(Channel::Email) => {
                problems.add("kind", "email is for subscribers, from the status page");
                None
            }
            Some(kind) => Some(kind),
        };
        let name = problems.take("name", input::name(&request.name, LABEL_MAX));
        let url = problems.take("url", input::web_url(&request.url));
        let contact_email = request
            .contact_email
            .as_deref()
            .filter(|text| !text.trim().is_empty())
            .and_then(|text| problems.take("contact_email", Email::parse(text)));
        let events = integration_events(&mut problems, request.events.as_deref());
        let service_ids = service_ids(&mut problems, &request.service_ids);
        match (kind, name, url) {
            (Some(kind), Some(name), Some(url)) if problems.is_empty() => Ok(NewIntegration {
                kind,
                name,
                url,
                events,
                service_ids,
                contact_email,
            }),
            _ => Err(problems.into_fields()),
        }
    }
}

/// An integration's changes (`PATCH .../integrations/{id}`), checked: only what it names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntegrationEdit {
    pub name: Option<String>,
    pub url: Option<String>,
    pub events: Clearable<Vec<NotificationEvent>>,
    pub contact_email: Clearable<Email>,
    pub enabled: Option<bool>,
}

impl TryFrom<&UpdateIntegrationRequest> for IntegrationEdit {
    type Error = FieldErrors;

    fn try_from(request: &UpdateIntegrationRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        let edit = IntegrationEdit {
            name: request
                .name
                .as_deref()
                .and_then(|name| problems.take("name", input::name(name, LABEL_MAX))),
            url: request
                .url
                .as_deref()
                .and_then(|url| problems.take("url", input::web_url(url))),
            events: match &request.events {
                None => None,
                Some(None) => Some(None),
                Some(Some(list)) => Some(integration_events(&mut problems, Some(list))),
            },
            contact_email: match &request.contact_email {
                None => None,
                Some(None) => Some(None),
                Some(Some(text)) if text.trim().is_empty() => Some(None),
                Some(Some(text)) => problems.take("contact_email", Email::parse(text)).map(Some),
            },
            enabled: request.enabled,
        };
        if problems.is_empty() {
            Ok(edit)
        } else {
            Err(problems.into_fields())
        }
    }
}

/// The longest name of a person or of an API key.
pub const LABEL_MAX: usize = 100;

/// An account to create (`POST /auth/register`), checked: an email address, a password strong
/// enough, a name.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: Email,
    pub password: Password,
    pub name: String,
}

impl TryFrom<&RegisterRequest> for NewAccount {
    type Error = FieldErrors;

    fn try_from(request: &RegisterRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        let email = problems.take("email", Email::parse(&request.email));
        let password = problems.take("password", Password::parse(&request.password));
        let name = problems.take("name", input::name(&request.name, LABEL_MAX));
        match (email, password, name) {
            (Some(email), Some(password), Some(name)) => Ok(NewAccount {
                email,
                password,
                name,
            }),
            _ => Err(problems.into_fields()),
        }
    }
}

/// A new password by a reset link (`POST /auth/password-reset/confirm`), checked.
#[derive(Debug, Clone)]
pub struct NewPassword {
    pub token: String,
    pub password: Password,
}

impl TryFrom<&PasswordResetConfirm> for NewPassword {
    type Error = FieldErrors;

    fn try_from(request: &PasswordResetConfirm) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        match problems.take("password", Password::parse(&request.password)) {
            Some(password) => Ok(NewPassword {
                token: request.token.clone(),
                password,
            }),
            None => Err(problems.into_fields()),
        }
    }
}

/// A profile change (`PATCH /account`), checked: a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileChange {
    pub name: String,
}

impl TryFrom<&ProfileUpdate> for ProfileChange {
    type Error = FieldErrors;

    fn try_from(request: &ProfileUpdate) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        match problems.take("name", input::name(&request.name, LABEL_MAX)) {
            Some(name) => Ok(ProfileChange { name }),
            None => Err(problems.into_fields()),
        }
    }
}

/// A password change (`POST /account/password`), checked: the current password given, a new one
/// strong enough (whether the current one is right is the server's to check).
#[derive(Debug, Clone)]
pub struct ChangedPassword {
    pub current: String,
    pub new: Password,
}

impl TryFrom<&PasswordChange> for ChangedPassword {
    type Error = FieldErrors;

    fn try_from(request: &PasswordChange) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        let current = if request.current_password.is_empty() {
            problems.take::<String>("current_password", Err("must not be empty".into()))
        } else {
            Some(request.current_password.clone())
        };
        let new = problems.take("new_password", Password::parse(&request.new_password));
        match (current, new) {
            (Some(current), Some(new)) => Ok(ChangedPassword { current, new }),
            _ => Err(problems.into_fields()),
        }
    }
}

/// An email change to ask for (`POST /account/email`), checked: an address, and the password
/// given (whether it is right is the server's to check).
#[derive(Debug, Clone)]
pub struct EmailChange {
    pub email: Email,
    pub password: String,
}

impl TryFrom<&EmailChangeRequest> for EmailChange {
    type Error = FieldErrors;

    fn try_from(request: &EmailChangeRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        let email = problems.take("email", Email::parse(&request.email));
        let password = if request.password.is_empty() {
            problems.take::<String>("password", Err("must not be empty".into()))
        } else {
            Some(request.password.clone())
        };
        match (email, password) {
            (Some(email), Some(password)) => Ok(EmailChange { email, password }),
            _ => Err(problems.into_fields()),
        }
    }
}

/// What proves an account deletion (`DELETE /account`) is the person's: their password, or a
/// second-factor code; exactly one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeletionProof {
    Password(String),
    Code(String),
}

impl TryFrom<&AccountDeletion> for DeletionProof {
    type Error = FieldErrors;

    fn try_from(request: &AccountDeletion) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        fn given(value: &Option<String>) -> Option<&str> {
            value.as_deref().filter(|v| !v.is_empty())
        }
        match (given(&request.password), given(&request.code)) {
            (Some(password), None) => return Ok(DeletionProof::Password(password.to_owned())),
            (None, Some(code)) => return Ok(DeletionProof::Code(code.trim().to_owned())),
            (Some(_), Some(_)) => {
                problems.take::<()>("code", Err("give your password or a code, not both".into()))
            }
            (None, None) => problems.take::<()>(
                "password",
                Err("is needed to delete your account (or a code from your authenticator)".into()),
            ),
        };
        Err(problems.into_fields())
    }
}

/// A password reset to ask for (`POST /auth/password-reset`), checked: an email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetFor(pub Email);

impl TryFrom<&PasswordResetRequest> for ResetFor {
    type Error = FieldErrors;

    fn try_from(request: &PasswordResetRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        match problems.take("email", Email::parse(&request.email)) {
            Some(email) => Ok(ResetFor(email)),
            None => Err(problems.into_fields()),
        }
    }
}

/// An invitation to send (`POST .../invitations`), checked: an email address and a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    pub email: Email,
    pub role: Role,
}

impl TryFrom<&CreateInvitationRequest> for Invite {
    type Error = FieldErrors;

    fn try_from(request: &CreateInvitationRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        match problems.take("email", Email::parse(&request.email)) {
            Some(email) => Ok(Invite {
                email,
                role: request.role,
            }),
            None => Err(problems.into_fields()),
        }
    }
}

/// An API key to create (`POST .../api-keys`), checked: a name and a role (whether the caller
/// may give that role is the handler's to say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApiKey {
    pub name: String,
    pub role: Role,
}

impl TryFrom<&CreateApiKeyRequest> for NewApiKey {
    type Error = FieldErrors;

    fn try_from(request: &CreateApiKeyRequest) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        match problems.take("name", input::name(&request.name, LABEL_MAX)) {
            Some(name) => Ok(NewApiKey {
                name,
                role: request.role,
            }),
            None => Err(problems.into_fields()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(name: &str, description: Option<&str>) -> CreateServiceRequest {
        CreateServiceRequest {
            name: name.into(),
            description: description.map(str::to_owned),
            group_id: None,
            status: None,
            display: None,
        }
    }

    #[test]
    fn a_new_service_is_checked_field_by_field_and_all_at_once() {
        let ok = NewService::try_from(&service("  API  ", None)).unwrap();
        assert_eq!(ok.name, "API");
        assert_eq!(ok.status, ServiceStatus::Operational);
        let long = "x".repeat(DESCRIPTION_MAX + 1);
        let fields = NewService::try_from(&service(" ", Some(&long))).unwrap_err();
        assert_eq!(fields["name"], ["must not be empty"]);
        assert_eq!(
            fields["description"],
            [format!("must be at most {DESCRIPTION_MAX} characters")]
        );
    }

    #[test]
    fn an_edit_checks_only_what_it_names() {
        let edit = ServiceEdit::try_from(&UpdateServiceRequest {
            status: Some(ServiceStatus::MajorOutage),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(edit.name, None);
        assert_eq!(edit.status, Some(ServiceStatus::MajorOutage));
        let fields = ServiceEdit::try_from(&UpdateServiceRequest {
            name: Some("\u{7}".into()),
            ..Default::default()
        })
        .unwrap_err();
        assert!(fields.contains_key("name"), "{fields:?}");
    }

    #[test]
    fn a_new_org_names_each_bad_field() {
        let fields = NewOrg::try_from(&CreateOrgRequest {
            name: "".into(),
            slug: Some("Not A Slug".into()),
        })
        .unwrap_err();
        assert!(
            fields.contains_key("name") && fields.contains_key("slug"),
            "{fields:?}"
        );
        let ok = NewOrg::try_from(&CreateOrgRequest {
            name: "Acme".into(),
            slug: None,
        })
        .unwrap();
        assert_eq!((ok.name.as_str(), ok.slug), ("Acme", None));
    }

    #[test]
    fn a_group_needs_a_name() {
        assert_eq!(
            GroupName::try_from(&GroupRequest {
                name: "Core".into()
            })
            .unwrap(),
            GroupName("Core".into())
        );
        let fields = GroupName::try_from(&GroupRequest { name: "".into() }).unwrap_err();
        assert_eq!(fields["name"], ["must not be empty"]);
    }

    fn incident(title: &str, message: &str, affected: &[&str]) -> CreateIncidentRequest {
        CreateIncidentRequest {
            title: title.into(),
            status: IncidentStatus::Investigating,
            impact: ImpactLevel::Major,
            message: message.into(),
            affected: affected
                .iter()
                .map(|id| AffectedService {
                    service_id: ServiceId((*id).into()),
                    status: ServiceStatus::PartialOutage,
                })
                .collect(),
            notify: true,
        }
    }

    #[test]
    fn an_incident_names_every_problem_at_once() {
        let fields = NewIncident::try_from(&incident("  ", " ", &["a", "b", "a"])).unwrap_err();
        assert!(fields.contains_key("title"), "{fields:?}");
        assert_eq!(fields["message"], vec!["must not be empty".to_owned()]);
        assert_eq!(
            fields["affected[2].service_id"],
            vec!["is named twice".to_owned()]
        );
        let long = "x".repeat(MESSAGE_MAX + 1);
        let fields = NewIncident::try_from(&incident("Down", &long, &[])).unwrap_err();
        assert_eq!(fields.len(), 1, "{fields:?}");
        let ok = NewIncident::try_from(&incident(" Errors ", "Looking.", &["a"])).unwrap();
        assert_eq!(ok.title, "Errors");
        assert_eq!(ok.affected.len(), 1);
    }

    #[test]
    fn an_update_needs_words_and_names_each_service_once() {
        let update = |message: &str, affected: Option<Vec<AffectedService>>| {
            NewIncidentUpdate::try_from(&CreateIncidentUpdateRequest {
                status: IncidentStatus::Monitoring,
                message: message.into(),
                affected,
                notify: true,
            })
        };
        assert!(update("", None).unwrap_err().contains_key("message"));
        let twice = vec![
            AffectedService {
                service_id: ServiceId("a".into()),
                status: ServiceStatus::Operational,
            };
            2
        ];
        assert!(
            update("Fixed.", Some(twice))
                .unwrap_err()
                .contains_key("affected[1].service_id")
        );
        assert_eq!(update("Fixed.", None).unwrap().message, "Fixed.");
    }

    #[test]
    fn a_maintenance_window_ends_after_it_starts() {
        let at = |hour: u32| {
            chrono::DateTime::parse_from_rfc3339(&format!("2026-12-01T{hour:02}:00:00Z"))
                .unwrap()
                .with_timezone(&chrono::Utc)
        };
        let window = |start, end, ids: &[&str]| CreateMaintenanceRequest {
            title: "Database upgrade".into(),
            description: String::new(),
            scheduled_start: at(start),
            scheduled_end: at(end),
            service_ids: ids.iter().map(|id| ServiceId((*id).into())).collect(),
            auto_transition: true,
            notify: true,
        };
        let fields = NewMaintenance::try_from(&window(10, 10, &["a", "a"])).unwrap_err();
        assert_eq!(
            fields["scheduled_end"],
            vec!["must be after scheduled_start".to_owned()]
        );
        assert_eq!(
            fields["service_ids"],
            vec!["names a service twice".to_owned()]
        );
        let ok = NewMaintenance::try_from(&window(10, 12, &["a"])).unwrap();
        assert_eq!(ok.title, "Database upgrade");
    }

    #[test]
    fn an_account_an_invitation_and_a_key_name_their_problems() {
        let fields = NewAccount::try_from(&RegisterRequest {
            email: "not an address".into(),
            password: "short".into(),
            name: " ".into(),
        })
        .unwrap_err();
        for field in ["email", "password", "name"] {
            assert!(fields.contains_key(field), "{field}: {fields:?}");
        }
        let account = NewAccount::try_from(&RegisterRequest {
            email: "ada@example.test".into(),
            password: "correct horse battery".into(),
            name: "Ada".into(),
        })
        .unwrap();
        assert_eq!(account.email.as_str(), "ada@example.test");
        assert!(
            NewPassword::try_from(&PasswordResetConfirm {
                token: "t".into(),
                password: "short".into(),
            })
            .unwrap_err()
            .contains_key("password")
        );
        assert!(
            Invite::try_from(&CreateInvitationRequest {
                email: "nobody".into(),
                role: Role::Viewer,
            })
            .unwrap_err()
            .contains_key("email")
        );
        let long = "k".repeat(LABEL_MAX + 1);
        assert!(
            NewApiKey::try_from(&CreateApiKeyRequest {
                name: long,
                role: Role::Editor,
            })
            .unwrap_err()
            .contains_key("name")
        );
    }

    #[test]
    fn an_org_edit_clears_blank_branding_and_names_each_bad_field() {
        let edit = OrgEdit::try_from(&UpdateOrgRequest {
            branding: Some(crate::dto::BrandingPatch {
                accent_color: Some(Some("  ".into())),
                logo_url: Some(None),
                support_url: None,
            }),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            (
                edit.name,
                edit.accent_color,
                edit.logo_url,
                edit.support_url
            ),
            (None, Some(None), Some(None), None)
        );
        let fields = OrgEdit::try_from(&UpdateOrgRequest {
            name: Some("".into()),
            slug: Some("Bad Slug".into()),
            branding: Some(crate::dto::BrandingPatch {
                accent_color: Some(Some("blue".into())),
                logo_url: Some(Some("javascript:alert(1)".into())),
                support_url: Some(Some("ftp://example.com".into())),
            }),
            reminder_minutes: Some(REMINDER_MAX_MINUTES + 1),
            custom_domain: Some(Some("https://status.example.com".into())),
            default_language: Some("pt".into()),
        })
        .unwrap_err();
        let mut named: Vec<_> = fields.keys().map(String::as_str).collect();
        named.sort_unstable();
        assert_eq!(
            named,
            [
                "branding.accent_color",
                "branding.logo_url",
                "branding.support_url",
                "custom_domain",
                "default_language",
                "name",
                "reminder_minutes",
                "slug"
            ]
        );
    }

    #[test]
    fn a_custom_domain_is_a_lowercase_host_name_and_nothing_else() {
        assert_eq!(
            host_name(" Status.Example.COM ").as_deref(),
            Ok("status.example.com")
        );
        assert_eq!(
            host_name("status.example.com.").as_deref(),
            Ok("status.example.com")
        );
        assert_eq!(host_name("a-1.b2.io").as_deref(), Ok("a-1.b2.io"));
        for refused in [
            "localhost",
            "status.example.com:8443",
            "https://status.example.com",
            "status.example.com/page",
            "-status.example.com",
            "status-.example.com",
            "status..example.com",
            "stätus.example.com",
            "status_page.example.com",
            "192.168.1.10",
            "[::1]",
            "::1",
            "",
        ] {
            assert!(host_name(refused).is_err(), "{refused:?} was taken");
        }
        let long_label = format!("{}.example.com", "a".repeat(64));
        assert!(host_name(&long_label).is_err());
        let long_name = format!("{}.com", vec!["a".repeat(60); 5].join("."));
        assert!(long_name.len() > HOST_NAME_MAX);
        assert_eq!(
            host_name(&long_name),
            Err(format!("must be at most {HOST_NAME_MAX} characters"))
        );
    }

    #[test]
    fn the_servers_own_host_is_read_from_its_public_url() {
        assert_eq!(
            host_of_url("https://Status.Upstate.io:8443/base"),
            "status.upstate.io"
        );
        assert_eq!(host_of_url("http://127.0.0.1"), "127.0.0.1");
        assert_eq!(host_of_url("http://[::1]:8080"), "::1");
        assert_eq!(host_of_url("https://upstate.example"), "upstate.example");
    }

    #[test]
    fn an_incident_edit_bounds_the_postmortem_and_clears_a_blank_one() {
        let blank = IncidentEdit::try_from(&UpdateIncidentRequest {
            postmortem: Some(Some(" \n".into())),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(blank.postmortem, Some(None));
        let fields = IncidentEdit::try_from(&UpdateIncidentRequest {
            title: Some("".into()),
            postmortem: Some(Some("x".repeat(POSTMORTEM_MAX + 1))),
            ..Default::default()
        })
        .unwrap_err();
        assert!(
            fields.contains_key("title") && fields.contains_key("postmortem"),
            "{fields:?}"
        );
    }

    #[test]
    fn a_maintenance_edit_ends_after_it_starts_and_names_services_once() {
        let start = chrono::Utc::now();
        let service = ServiceId::from("svc_1".to_owned());
        let fields = MaintenanceEdit::try_from(&UpdateMaintenanceRequest {
            scheduled_start: Some(start),
            scheduled_end: Some(start),
            service_ids: Some(vec![service.clone(), service.clone()]),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(fields["scheduled_end"], ["must be after scheduled_start"]);
        assert_eq!(fields["service_ids"], ["names a service twice"]);
        let only_end = MaintenanceEdit::try_from(&UpdateMaintenanceRequest {
            scheduled_end: Some(start),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(only_end.scheduled_end, Some(start));
        assert_eq!(only_end.service_ids, None);
    }

    #[test]
    fn a_maintenance_update_a_preview_and_a_reset_name_their_problems() {
        let fields = NewMaintenanceUpdate::try_from(&CreateMaintenanceUpdateRequest {
            status: MaintenanceStatus::InProgress,
            message: " ".into(),
            notify: true,
        })
        .unwrap_err();
        assert!(fields.contains_key("message"), "{fields:?}");
        let fields = MarkdownSource::try_from(&MarkdownPreviewRequest {
            markdown: "x".repeat(POSTMORTEM_MAX + 1),
        })
        .unwrap_err();
        assert!(fields.contains_key("markdown"), "{fields:?}");
        let fields = ResetFor::try_from(&PasswordResetRequest {
            email: "not an address".into(),
        })
        .unwrap_err();
        assert!(fields.contains_key("email"), "{fields:?}");
    }

    #[test]
    fn an_imported_row_is_an_email_address_with_its_services() {
        let row =
            ImportedSubscriber::from_columns(Some("email"), " Ada@Example.com ", Some("a b"), None)
                .unwrap();
        assert_eq!(row.email.as_str(), "ada@example.com");
        assert_eq!(
            row.service_ids,
            vec![
                ServiceId::from("a".to_owned()),
                ServiceId::from("b".to_owned())
            ]
        );
        assert!(row.confirmed);
        let pending =
            ImportedSubscriber::from_columns(None, "ada@example.com", None, Some("false")).unwrap();
        assert!(!pending.confirmed);
        for (kind, address, services, confirmed, problem) in [
            (
                Some("webhook"),
                "https://example.com/hook",
                None,
                None,
                "kind `webhook` cannot be imported",
            ),
            (None, "not an address", None, None, "email "),
            (None, "ada@example.com", Some("a a"), None, "names a twice"),
            (
                None,
                "ada@example.com",
                None,
                Some("maybe"),
                "confirmed must be true or false",
            ),
        ] {
            let err =
                ImportedSubscriber::from_columns(kind, address, services, confirmed).unwrap_err();
            assert!(err.contains(problem), "{err}");
        }
    }

    #[test]
    fn an_exported_cell_never_starts_a_formula_and_imports_back() {
        assert_eq!(guarded("=cmd@example.com"), "'=cmd@example.com");
        assert_eq!(guarded("ada@example.com"), "ada@example.com");
        assert_eq!(unguarded("'=cmd@example.com"), "=cmd@example.com");
        assert_eq!(unguarded("'quoted"), "'quoted");
    }
}

/// A passkey's name (`POST /api/v1/account/passkeys`, `PATCH .../passkeys/{passkey}`), checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyName(pub String);

impl PasskeyName {
    /// The name trimmed, or the problem of field `name`.
    pub fn check(name: &str) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        match problems.take("name", input::name(name, crate::dto::PASSKEY_NAME_MAX)) {
            Some(name) => Ok(PasskeyName(name)),
            None => Err(problems.into_fields()),
        }
    }
}
