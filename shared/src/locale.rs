//! The languages a status page speaks to its visitors (and its mails to subscribers), as BCP 47
//! tags on the wire and in the database. The words themselves are in `crates/i18n`.

use crate::status::ParseEnumError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A language of the public pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Locale {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "de")]
    De,
    #[serde(rename = "fr")]
    Fr,
    #[serde(rename = "es")]
    Es,
    #[serde(rename = "pt-BR")]
    PtBr,
    #[serde(rename = "ja")]
    Ja,
}

impl Locale {
    /// Every language, in the order a language menu lists them.
    pub const ALL: [Locale; 6] = [
        Locale::En,
        Locale::De,
        Locale::Fr,
        Locale::Es,
        Locale::PtBr,
        Locale::Ja,
    ];
    /// Every language's tag, in the order of [`Locale::ALL`].
    pub const TAGS: &'static [&'static str] = &["en", "de", "fr", "es", "pt-BR", "ja"];

    /// The BCP 47 tag: on the wire, in the database, in `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::De => "de",
            Locale::Fr => "fr",
            Locale::Es => "es",
            Locale::PtBr => "pt-BR",
            Locale::Ja => "ja",
        }
    }

    /// The language's name in itself, as a language menu shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::De => "Deutsch",
            Locale::Fr => "Français",
            Locale::Es => "Español",
            Locale::PtBr => "Português (Brasil)",
            Locale::Ja => "日本語",
        }
    }

    /// The language a tag a browser sends asks for: by its primary language subtag, so
    /// `de-AT` is German and `pt-PT` is the one Portuguese there is; `None` for a language
    /// Upstate does not speak.
    pub fn matching(tag: &str) -> Option<Locale> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Locale::En),
            "de" => Some(Locale::De),
            "fr" => Some(Locale::Fr),
            "es" => Some(Locale::Es),
            "pt" => Some(Locale::PtBr),
            "ja" => Some(Locale::Ja),
            _ => None,
        }
    }

    /// The first of `tags` (a visitor's languages, most wanted first) that Upstate speaks.
    pub fn first_matching<'a>(tags: impl IntoIterator<Item = &'a str>) -> Option<Locale> {
        tags.into_iter().find_map(Locale::matching)
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

impl FromStr for Locale {
    type Err = ParseEnumError;

    /// Exactly one of [`Locale::TAGS`] (letter case aside): what a form or the API sends.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Locale::ALL
            .into_iter()
            .find(|locale| locale.tag().eq_ignore_ascii_case(s))
            .ok_or_else(|| ParseEnumError {
                kind: "language",
                value: s.to_owned(),
                expected: Locale::TAGS,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_read_back_and_are_the_wire_form() {
        for locale in Locale::ALL {
            assert_eq!(locale.tag().parse::<Locale>().unwrap(), locale);
            assert_eq!(
                serde_json::to_string(&locale).unwrap(),
                format!("\"{}\"", locale.tag())
            );
        }
        assert_eq!(Locale::TAGS, Locale::ALL.map(Locale::tag));
        assert!("pt".parse::<Locale>().is_err());
    }

    #[test]
    fn a_browser_tag_matches_by_its_language() {
        assert_eq!(Locale::matching("de-AT"), Some(Locale::De));
        assert_eq!(Locale::matching("pt-PT"), Some(Locale::PtBr));
        assert_eq!(Locale::matching("JA"), Some(Locale::Ja));
        assert_eq!(Locale::matching("zh-CN"), None);
        assert_eq!(Locale::matching("*"), None);
        assert_eq!(
            Locale::first_matching(["nl", "fr-CA", "en"]),
            Some(Locale::Fr)
        );
    }
}
