//! The catalogs are complete and consistent: each parses, every message of the English catalog
//! is in every language with the same variables (and no language has a message English lacks),
//! and every message id the code asks for (`i18n::text(locale, "id")`, `text_with`, `around`)
//! exists.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use upstate_i18n::{Locale, catalog};

/// Each message's id and the variables it uses, of one catalog.
fn messages(locale: Locale) -> BTreeMap<String, BTreeSet<String>> {
    let resource = fluent_syntax::parser::parse(catalog(locale))
        .unwrap_or_else(|(_, errors)| panic!("the {locale} catalog does not parse: {errors:?}"));
    let mut messages = BTreeMap::new();
    for entry in resource.body {
        match entry {
            Entry::Message(message) => {
                let pattern = message
                    .value
                    .unwrap_or_else(|| panic!("{locale}: `{}` has no text", message.id.name));
                let mut variables = BTreeSet::new();
                collect(&pattern, &mut variables);
                let previous = messages.insert(message.id.name.to_owned(), variables);
                assert!(
                    previous.is_none(),
                    "{locale}: `{}` is there twice",
                    message.id.name
                );
            }
            Entry::Term(term) => panic!("{locale}: terms are not used (`-{}`)", term.id.name),
            Entry::Junk { content } => panic!("{locale}: cannot read `{content}`"),
            _ => {}
        }
    }
    messages
}

fn collect(pattern: &Pattern<&str>, variables: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            match expression {
                Expression::Select { selector, variants } => {
                    inline(selector, variables);
                    for variant in variants {
                        collect(&variant.value, variables);
                    }
                }
                Expression::Inline(expression) => inline(expression, variables),
            }
        }
    }
}

fn inline(expression: &InlineExpression<&str>, variables: &mut BTreeSet<String>) {
    match expression {
        InlineExpression::VariableReference { id } => {
            variables.insert(id.name.to_owned());
        }
        InlineExpression::Placeable { expression } => {
            if let Expression::Inline(inner) = expression.as_ref() {
                inline(inner, variables);
            }
        }
        InlineExpression::StringLiteral { .. } | InlineExpression::NumberLiteral { .. } => {}
        other => panic!("only variables and literals are used in placeables, not {other:?}"),
    }
}

#[test]
fn every_message_is_in_every_language_with_the_same_variables() {
    let english = messages(Locale::En);
    assert!(english.len() > 50, "the English catalog is read");
    for locale in Locale::ALL {
        let translated = messages(locale);
        let missing: Vec<_> = english
            .keys()
            .filter(|id| !translated.contains_key(*id))
            .collect();
        assert!(missing.is_empty(), "{locale} lacks {missing:?}");
        let extra: Vec<_> = translated
            .keys()
            .filter(|id| !english.contains_key(*id))
            .collect();
        assert!(
            extra.is_empty(),
            "{locale} has messages English lacks: {extra:?}"
        );
        for (id, variables) in &translated {
            assert_eq!(
                variables, &english[id],
                "{locale}: `{id}` uses other variables than in English"
            );
        }
    }
}

/// The message ids in the `i18n::text(locale, "id")`-style calls of Rust files under `dir`.
fn asked_for(dir: &Path, ids: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            asked_for(&path, ids);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let source = std::fs::read_to_string(&path).unwrap();
            for call in ["i18n::text(", "i18n::text_with(", "i18n::around("] {
                for (start, _) in source.match_indices(call) {
                    let rest = &source[start + call.len()..];
                    let Some(comma) = rest.find(',') else {
                        continue;
                    };
                    let argument = rest[comma + 1..].trim_start();
                    if let Some(literal) = argument.strip_prefix('"') {
                        let end = literal.find('"').unwrap();
                        ids.insert(literal[..end].to_owned());
                    }
                }
            }
        }
    }
}

#[test]
fn every_message_the_code_asks_for_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut ids = BTreeSet::new();
    for dir in [
        "web/public/src",
        "web/src",
        "api/src",
        "crates/notify/src",
        "crates/i18n/src",
    ] {
        asked_for(&root.join(dir), &mut ids);
    }
    let english = messages(Locale::En);
    let missing: Vec<_> = ids.iter().filter(|id| !english.contains_key(*id)).collect();
    assert!(
        missing.is_empty(),
        "the code asks for messages no catalog has: {missing:?}"
    );
}

#[test]
fn the_browser_asks_for_no_message_only_the_server_has() {
    // As `SERVER_ONLY` in build.rs: left out of the messages a page hands its bundle.
    const SERVER_ONLY: [&str; 3] = ["sub-", "private-", "mail-"];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut ids = BTreeSet::new();
    for dir in ["web/public/src", "web/src"] {
        asked_for(&root.join(dir), &mut ids);
    }
    let server_only: Vec<_> = ids
        .iter()
        .filter(|id| SERVER_ONLY.iter().any(|start| id.starts_with(start)))
        .collect();
    assert!(
        server_only.is_empty(),
        "the browser asks for messages its pages do not hand it: {server_only:?}"
    );
}

/// The variables of each message of `locale` that choose a variant (counts), and the others.
fn selectors(locale: Locale) -> BTreeMap<String, BTreeSet<String>> {
    let resource = fluent_syntax::parser::parse(catalog(locale)).unwrap();
    let mut out = BTreeMap::new();
    for entry in resource.body {
        if let Entry::Message(message) = entry {
            let mut chosen = BTreeSet::new();
            if let Some(pattern) = &message.value {
                for element in &pattern.elements {
                    if let PatternElement::Placeable {
                        expression:
                            Expression::Select {
                                selector: InlineExpression::VariableReference { id },
                                ..
                            },
                    } = element
                    {
                        chosen.insert(id.name.to_owned());
                    }
                }
            }
            out.insert(message.id.name.to_owned(), chosen);
        }
    }
    out
}

#[test]
fn every_message_reads_as_fluent_writes_it() {
    use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
    let english = messages(Locale::En);
    for locale in Locale::ALL {
        let resource = FluentResource::try_new(catalog(locale).to_owned()).unwrap();
        let lang: unic_langid::LanguageIdentifier = locale.tag().parse().unwrap();
        let mut bundle = FluentBundle::new(vec![lang]);
        bundle.set_use_isolating(false);
        bundle.add_resource(resource).unwrap();
        let counts = selectors(locale);
        for (id, variables) in &english {
            for n in [0_i64, 1, 2, 3, 5, 11, 21, 100, 1_000_000] {
                let mut args = Vec::new();
                let mut fluent = FluentArgs::new();
                let texts: Vec<String> = variables.iter().map(|v| format!("‹{v}›")).collect();
                for (variable, text) in variables.iter().zip(&texts) {
                    if counts[id].contains(variable) {
                        args.push((variable.as_str(), upstate_i18n::Arg::Count(n)));
                        fluent.set(variable.as_str(), FluentValue::from(n));
                    } else {
                        args.push((variable.as_str(), upstate_i18n::Arg::Text(text)));
                        fluent.set(variable.as_str(), FluentValue::from(text.as_str()));
                    }
                }
                let pattern = bundle.get_message(id).unwrap().value().unwrap();
                let mut errors = Vec::new();
                let expected = bundle.format_pattern(pattern, Some(&fluent), &mut errors);
                assert!(errors.is_empty(), "{locale} `{id}`: {errors:?}");
                assert_eq!(
                    upstate_i18n::text_with(locale, id, &args),
                    expected,
                    "{locale} `{id}` with {n}"
                );
            }
        }
    }
}
