//! An org's single sign-on setting (`PUT /api/v1/orgs/{org}/sso`), checked the same in the API
//! and in the dashboard's form.

use super::{Problems, host_name};
use crate::Role;
use crate::dto::{SSO_DOMAINS_MAX, SSO_FIELD_MAX, UpdateSsoRequest};

/// A setting whose fields are each acceptable (the issuer's discovery is the server's check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoEdit {
    /// Without a trailing slash.
    pub issuer_url: String,
    pub client_id: String,
    /// A new secret, if given.
    pub client_secret: Option<String>,
    /// Lowercased, without duplicates.
    pub email_domains: Vec<String>,
    pub default_role: Role,
    pub sso_only: bool,
}

fn issuer_url(input: &str) -> Result<String, String> {
    let url = input.trim().trim_end_matches('/');
    if url.is_empty() {
        return Err("Give the provider's issuer URL.".into());
    }
    if url.len() > SSO_FIELD_MAX {
        return Err(format!("Use at most {SSO_FIELD_MAX} characters."));
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("The issuer URL starts with https:// (or http://).")?;
    if rest.is_empty() || rest.contains(['?', '#', ' ']) || rest.contains('@') {
        return Err("The issuer URL is a plain address, like https://login.example.com.".into());
    }
    Ok(url.to_owned())
}

impl TryFrom<&UpdateSsoRequest> for SsoEdit {
    type Error = crate::error::FieldErrors;

    fn try_from(body: &UpdateSsoRequest) -> Result<Self, Self::Error> {
        let mut problems = Problems::default();
        let issuer = problems.take("issuer_url", issuer_url(&body.issuer_url));
        let client_id = body.client_id.trim().to_owned();
        if client_id.is_empty() {
            problems.add("client_id", "Give the client id the provider gave you.");
        } else if client_id.len() > SSO_FIELD_MAX {
            problems.add(
                "client_id",
                format!("Use at most {SSO_FIELD_MAX} characters."),
            );
        }
        let client_secret = match &body.client_secret {
            Some(secret) if secret.trim().is_empty() => {
                problems.add("client_secret", "The client secret is empty.");
                None
            }
            Some(secret) if secret.len() > SSO_FIELD_MAX => {
                problems.add(
                    "client_secret",
                    format!("Use at most {SSO_FIELD_MAX} characters."),
                );
                None
            }
            Some(secret) => Some(secret.trim().to_owned()),
            None => None,
        };
        let mut domains: Vec<String> = Vec::new();
        for domain in body.email_domains.iter().filter(|d| !d.trim().is_empty()) {
            let domain = domain.trim().trim_start_matches('@');
            match host_name(domain) {
                Ok(domain) if !domains.contains(&domain) => domains.push(domain),
                Ok(_) => {}
                Err(_) => problems.add(
                    "email_domains",
                    format!("“{domain}” is not an email domain like example.com."),
                ),
            }
        }
        if domains.is_empty() && problems.is_empty() {
            problems.add(
                "email_domains",
                "Give at least one email domain whose people may sign in.",
            );
        }
        if domains.len() > SSO_DOMAINS_MAX {
            problems.add(
                "email_domains",
                format!("At most {SSO_DOMAINS_MAX} domains."),
            );
        }
        if body.default_role == Role::Owner {
            problems.add(
                "default_role",
                "New members join as viewer, editor or admin, never as owner.",
            );
        }
        match issuer {
            Some(issuer_url) if problems.is_empty() => Ok(SsoEdit {
                issuer_url,
                client_id,
                client_secret,
                email_domains: domains,
                default_role: body.default_role,
                sso_only: body.sso_only,
            }),
            _ => Err(problems.into_fields()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> UpdateSsoRequest {
        UpdateSsoRequest {
            issuer_url: "https://login.example.com/".into(),
            client_id: "upstate".into(),
            client_secret: Some("s3cret".into()),
            email_domains: vec!["Example.COM".into(), "@example.com".into(), "".into()],
            default_role: Role::Editor,
            sso_only: false,
        }
    }

    #[test]
    fn a_setting_is_tidied() {
        let edit = SsoEdit::try_from(&request()).unwrap();
        assert_eq!(edit.issuer_url, "https://login.example.com");
        assert_eq!(edit.email_domains, vec!["example.com".to_owned()]);
    }

    #[test]
    fn each_field_is_checked() {
        let mut body = request();
        body.issuer_url = "login.example.com".into();
        body.client_id = " ".into();
        body.email_domains = vec!["not a domain".into()];
        body.default_role = Role::Owner;
        let problems = SsoEdit::try_from(&body).unwrap_err();
        for field in ["issuer_url", "client_id", "email_domains", "default_role"] {
            assert!(problems.contains_key(field), "{field}: {problems:?}");
        }
    }
}
