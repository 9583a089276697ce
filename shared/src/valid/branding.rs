//! An org's branding (`PUT /orgs/{org}/branding` and its preview), checked.

use super::Problems;
use crate::Theme;
use crate::dto::{BrandingSettings, CUSTOM_CSS_MAX, FOOTER_MAX};
use crate::error::FieldErrors;
use crate::input;

/// Branding that may be stored and shown: colours and addresses checked, the footer plain text
/// of bounded length, and (where the `css` feature is on: the server) the custom CSS within the
/// safe subset of [`crate::css`]. Blank fields are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrandingEdit {
    pub accent_color: Option<String>,
    pub logo_url: Option<String>,
    pub favicon_url: Option<String>,
    pub support_url: Option<String>,
    pub home_url: Option<String>,
    pub footer_text: Option<String>,
    pub theme: Theme,
    pub custom_css: Option<String>,
}

/// The text of a field, or `None` when it is absent or blank.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|text| !text.trim().is_empty())
}

/// Footer text: one line of plain text, at most [`FOOTER_MAX`] characters.
pub fn footer_text(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.chars().count() > FOOTER_MAX {
        Err(format!("must be at most {FOOTER_MAX} characters"))
    } else if text.chars().any(char::is_control) {
        Err("must be one line of text".into())
    } else {
        Ok(text.to_owned())
    }
}

/// Custom CSS: at most [`CUSTOM_CSS_MAX`] bytes and, on the server, the safe subset.
fn custom_css(text: &str) -> Result<String, String> {
    if text.len() > CUSTOM_CSS_MAX {
        return Err(format!(
            "must be at most {} KiB (it is {} bytes)",
            CUSTOM_CSS_MAX / 1024,
            text.len()
        ));
    }
    #[cfg(feature = "css")]
    crate::css::check(text)?;
    Ok(text.to_owned())
}

impl TryFrom<&BrandingSettings> for BrandingEdit {
    type Error = FieldErrors;

    fn try_from(request: &BrandingSettings) -> Result<Self, FieldErrors> {
        let mut problems = Problems::default();
        let mut field =
            |name: &str, value: &Option<String>, check: fn(&str) -> Result<String, String>| {
                given(value).and_then(|text| problems.take(name, check(text)))
            };
        let edit = BrandingEdit {
            accent_color: field("accent_color", &request.accent_color, input::hex_color),
            logo_url: field("logo_url", &request.logo_url, input::web_url),
            favicon_url: field("favicon_url", &request.favicon_url, input::web_url),
            support_url: field("support_url", &request.support_url, input::web_url),
            home_url: field("home_url", &request.home_url, input::web_url),
            footer_text: field("footer_text", &request.footer_text, footer_text),
            theme: request.theme,
            custom_css: field("custom_css", &request.custom_css, custom_css),
        };
        if problems.is_empty() {
            Ok(edit)
        } else {
            Err(problems.into_fields())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_fields_clear_and_bad_ones_are_named() {
        let edit = BrandingEdit::try_from(&BrandingSettings {
            accent_color: Some("#1F6FEB".into()),
            footer_text: Some("  ".into()),
            theme: Theme::Dark,
            ..BrandingSettings::default()
        })
        .unwrap();
        assert_eq!(edit.accent_color.as_deref(), Some("#1f6feb"));
        assert_eq!(edit.footer_text, None);
        assert_eq!(edit.theme, Theme::Dark);

        let fields = BrandingEdit::try_from(&BrandingSettings {
            favicon_url: Some("javascript:alert(1)".into()),
            home_url: Some("ftp://example.com".into()),
            footer_text: Some("x".repeat(FOOTER_MAX + 1)),
            custom_css: Some("a{}".repeat(CUSTOM_CSS_MAX)),
            ..BrandingSettings::default()
        })
        .unwrap_err();
        assert_eq!(
            fields.keys().map(String::as_str).collect::<Vec<_>>(),
            ["custom_css", "favicon_url", "footer_text", "home_url"]
        );
        assert!(fields["custom_css"][0].contains("16 KiB"), "{fields:?}");
    }

    #[test]
    fn a_footer_is_one_line_of_text() {
        assert_eq!(footer_text(" © Acme "), Ok("© Acme".into()));
        assert!(footer_text("one\ntwo").is_err());
    }
}
