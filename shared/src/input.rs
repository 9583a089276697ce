//! Parse, don't validate: what a person types becomes a domain type once, at the edge, or a
//! sentence saying what is wrong with it. The API and the SPA's forms share these rules.

use std::fmt;

/// A problem with one input, as a sentence fragment for `fields` ("must be ...").
pub type Problem = String;

/// A syntactically valid email address, lowercased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, Problem> {
        let email = input.trim().to_lowercase();
        if email.is_empty() {
            return Err("must not be empty".into());
        }
        if email.len() > 254 {
            return Err("must be at most 254 characters".into());
        }
        let Some((local, domain)) = email.rsplit_once('@') else {
            return Err("must be an email address like name@example.com".into());
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local
                .chars()
                .any(|c| c.is_whitespace() || c == '@' || c.is_control());
        if !(domain_ok && local_ok) {
            return Err("must be an email address like name@example.com".into());
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password of acceptable length (8 to 128 characters). Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN: usize = 8;
    pub const MAX: usize = 128;

    pub fn parse(input: &str) -> Result<Password, Problem> {
        let length = input.chars().count();
        if length < Self::MIN {
            return Err(format!("must be at least {} characters", Self::MIN));
        }
        if length > Self::MAX {
            return Err(format!("must be at most {} characters", Self::MAX));
        }
        Ok(Password(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A trimmed, non-empty name of bounded length.
pub fn name(input: &str, max: usize) -> Result<String, Problem> {
    let name = input.trim();
    if name.is_empty() {
        return Err("must not be empty".into());
    }
    if name.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    if name.chars().any(char::is_control) {
        return Err("must not contain control characters".into());
    }
    Ok(name.to_owned())
}

/// Paths of the app that an organization's slug must not take.
pub const RESERVED_SLUGS: &[&str] = &[
    "about",
    "account",
    "admin",
    "api",
    "app",
    "assets",
    "auth",
    "billing",
    "blog",
    "dashboard",
    "docs",
    "favicon",
    "healthz",
    "help",
    "invite",
    "invitations",
    "login",
    "logout",
    "me",
    "metrics",
    "new",
    "orgs",
    "password-reset",
    "public",
    "readyz",
    "register",
    "reset",
    "settings",
    "signin",
    "signup",
    "static",
    "status",
    "support",
    "upstate",
    "www",
    "ws",
];

/// An organization's address: 3 to 40 lowercase letters, digits and dashes, starting and ending
/// with a letter or digit, and not a reserved word.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

impl Slug {
    pub const MIN: usize = 3;
    pub const MAX: usize = 40;

    pub fn parse(input: &str) -> Result<Slug, Problem> {
        let slug = input.trim();
        if slug.len() < Self::MIN || slug.len() > Self::MAX {
            return Err(format!("must be {} to {} characters", Self::MIN, Self::MAX));
        }
        if !slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err("may contain only lowercase letters, digits and dashes".into());
        }
        if slug.starts_with('-') || slug.ends_with('-') || slug.contains("--") {
            return Err("must start and end with a letter or digit, without double dashes".into());
        }
        if RESERVED_SLUGS.contains(&slug) {
            return Err(format!("`{slug}` is reserved; choose another"));
        }
        Ok(Slug(slug.to_owned()))
    }

    /// A slug made from a name ("Acme Inc." → "acme-inc"), padded when too short.
    pub fn from_name(name: &str) -> Slug {
        let mut slug = String::new();
        for c in name.to_lowercase().chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c);
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let mut slug: String = slug.trim_matches('-').chars().take(Self::MAX).collect();
        slug = slug.trim_end_matches('-').to_owned();
        if slug.len() < Self::MIN || RESERVED_SLUGS.contains(&slug.as_str()) {
            slug = format!("{}-status", if slug.is_empty() { "org" } else { &slug });
        }
        Slug(slug)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A colour as `#rrggbb`, lowercased.
pub fn hex_color(input: &str) -> Result<String, Problem> {
    let color = input.trim().to_lowercase();
    let ok = color.len() == 7
        && color.starts_with('#')
        && color[1..].chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        Ok(color)
    } else {
        Err("must be a colour like #1f6feb".into())
    }
}

/// An absolute http(s) URL of bounded length.
pub fn web_url(input: &str) -> Result<String, Problem> {
    let url = input.trim();
    if url.len() > 2048 {
        return Err("must be at most 2048 characters".into());
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest)
            if !rest.is_empty()
                && !rest.starts_with('/')
                && !url.chars().any(char::is_whitespace) =>
        {
            Ok(url.to_owned())
        }
        _ => Err("must be an http:// or https:// address".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(
            Email::parse("  Ada@Example.COM ").unwrap().as_str(),
            "ada@example.com"
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "ada@exa..mple.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn passwords_are_8_to_128_characters() {
        assert!(Password::parse("1234567").is_err());
        assert!(Password::parse("12345678").is_ok());
        assert!(Password::parse(&"x".repeat(128)).is_ok());
        assert!(Password::parse(&"x".repeat(129)).is_err());
        assert_eq!(
            format!("{:?}", Password::parse("hunter22").unwrap()),
            "Password(***)"
        );
    }

    #[test]
    fn slugs_follow_the_rules() {
        for good in ["acme", "acme-inc", "a1b", "x".repeat(40).as_str()] {
            assert!(Slug::parse(good).is_ok(), "{good:?} was refused");
        }
        for bad in [
            "ab",
            "Acme",
            "acme_inc",
            "-acme",
            "acme-",
            "ac--me",
            "api",
            "status",
            "dashboard",
            "admin",
            "login",
            &"x".repeat(41),
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn slugs_are_made_from_names() {
        assert_eq!(Slug::from_name("Acme Inc.").as_str(), "acme-inc");
        assert_eq!(Slug::from_name("  Été & Co ").as_str(), "t-co");
        assert_eq!(Slug::from_name("X").as_str(), "x-status");
        assert_eq!(Slug::from_name("API").as_str(), "api-status");
        assert!(Slug::parse(Slug::from_name(&"long name ".repeat(10)).as_str()).is_ok());
    }

    #[test]
    fn colours_and_urls() {
        assert_eq!(hex_color("#1F6FEB").unwrap(), "#1f6feb");
        assert!(hex_color("1f6feb").is_err());
        assert!(hex_color("#12345g").is_err());
        assert!(web_url("https://example.com/logo.png").is_ok());
        assert!(web_url("javascript:alert(1)").is_err());
        assert!(web_url("https://").is_err());
        assert!(web_url("ftp://example.com").is_err());
    }
}
