//! Requests checked against the domain's rules, the same on both sides: the API refuses what
//! these refuse (422, each field's problem named), and the web forms check with them before
//! they send. `TryFrom<&Request>` answers every field's problem at once.

use crate::dto::{
    CreateOrgRequest, CreateServiceRequest, DESCRIPTION_MAX, GroupRequest, NAME_MAX,
    UpdateServiceRequest,
};
use crate::error::FieldErrors;
use crate::input;
use crate::input::Slug;
use crate::{ServiceGroupId, ServiceStatus};

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

#[cfg(test)]
mod tests {
    use super::*;

    fn service(name: &str, description: Option<&str>) -> CreateServiceRequest {
        CreateServiceRequest {
            name: name.into(),
            description: description.map(str::to_owned),
            group_id: None,
            status: None,
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
}
