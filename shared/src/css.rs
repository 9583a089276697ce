//! The custom CSS of a public page: a safe subset, checked with Servo's `cssparser` (the
//! tokenizer and rule grammar of Firefox's style engine, so escapes and comments cannot hide a
//! construct from the check).
//!
//! Allowed: style rules (any selectors), declarations, and `@media` blocks holding style rules.
//! Refused, each with the line it is on: every other at-rule (`@import`, `@namespace`,
//! `@font-face`, `@charset` past the first rule, ...); `url()` and every function that takes an
//! address (`image()`, `image-set()`, `cross-fade()`, `element()`, `src()`), so the page never
//! makes a visitor's browser fetch anything a status page did not send itself; `expression()`,
//! `behavior` and `-moz-binding` (script in old browsers); `</style` (which would end the
//! element and let HTML follow); text that is not CSS (a declaration without a value, an
//! unclosed bracket); and more than [`DEPTH_MAX`] nested blocks.

use cssparser::{
    AtRuleParser, CowRcStr, DeclarationParser, ParseError, ParseErrorKind, Parser, ParserState,
    QualifiedRuleParser, RuleBodyItemParser, RuleBodyParser, SourceLocation, StyleSheetParser,
    Token,
};

/// The deepest nesting of blocks (`@media { a { b: f(g(...)) } }`).
pub const DEPTH_MAX: usize = 16;

/// Functions that take an address, or that ran script in old browsers.
const REFUSED_FUNCTIONS: &[&str] = &[
    "url",
    "src",
    "image",
    "image-set",
    "-webkit-image-set",
    "cross-fade",
    "-webkit-cross-fade",
    "element",
    "-moz-element",
    "expression",
];

/// Properties that attach script (old Internet Explorer, old Firefox).
const REFUSED_PROPERTIES: &[&str] = &["behavior", "-ms-behavior", "-moz-binding"];

/// Checks `css` against the safe subset; the problem says the line and what was refused.
pub fn check(css: &str) -> Result<(), String> {
    if let Some(at) = css.to_ascii_lowercase().find("</style") {
        let line = css[..at].matches('\n').count() + 1;
        return Err(format!(
            "line {line}: `</style` is not allowed (it would end the style element)"
        ));
    }
    let mut parser = Parser::new(css);
    let mut rules = Rules { depth: 0 };
    for rule in StyleSheetParser::new(&mut parser, &mut rules) {
        if let Err((error, _, at)) = rule {
            let Problem { line, what } = problem(error, at);
            return Err(format!("line {line}: {what}"));
        }
    }
    Ok(())
}

/// What was refused, and on which line (from 1).
#[derive(Debug, Clone, PartialEq)]
struct Problem {
    line: u32,
    what: String,
}

type Refusal = ParseError<Problem>;

/// A refusal of what `input` just read.
fn refuse(input: &Parser<'_>, what: String) -> Refusal {
    ParseError::custom(Problem {
        line: input.current_source_location().line + 1,
        what,
    })
}

/// The problem of a rule or declaration that started `at`: ours, or the parser's (not CSS).
fn problem(error: Refusal, at: SourceLocation) -> Problem {
    match error.kind {
        ParseErrorKind::Custom(problem) => problem,
        ParseErrorKind::Basic(_) => Problem {
            line: at.line + 1,
            what: "this is not CSS the page accepts (rules with selectors, declarations \
                   `property: value;` and @media blocks)"
                .to_owned(),
        },
    }
}

/// The rules of the sheet, or of a `@media` block.
struct Rules {
    depth: usize,
}

impl<'i> QualifiedRuleParser<'i> for Rules {
    type Prelude = ();
    type QualifiedRule = ();
    type Error = Problem;

    /// The selectors.
    fn parse_prelude(&mut self, input: &mut Parser<'i>) -> Result<(), Refusal> {
        values(input, self.depth)
    }

    /// The declarations.
    fn parse_block(
        &mut self,
        _: (),
        _: &ParserState,
        input: &mut Parser<'i>,
    ) -> Result<(), Refusal> {
        let mut declarations = Declarations {
            depth: self.depth + 1,
        };
        for declaration in RuleBodyParser::new(input, &mut declarations) {
            declaration.map_err(|(error, _, at)| ParseError::custom(problem(error, at)))?;
        }
        Ok(())
    }
}

impl<'i> AtRuleParser<'i> for Rules {
    type Prelude = ();
    type AtRule = ();
    type Error = Problem;

    /// `@media` and its query; any other at-rule is refused.
    fn parse_prelude(&mut self, name: CowRcStr<'i>, input: &mut Parser<'i>) -> Result<(), Refusal> {
        if !name.eq_ignore_ascii_case("media") {
            return Err(refuse(
                input,
                format!("@{name} is not allowed (only @media blocks of style rules)"),
            ));
        }
        values(input, self.depth)
    }

    /// `@media` without a block says nothing.
    fn rule_without_block(&mut self, _: (), _: &ParserState) -> Result<(), ()> {
        Err(())
    }

    /// The style rules inside `@media`.
    fn parse_block(
        &mut self,
        _: (),
        _: &ParserState,
        input: &mut Parser<'i>,
    ) -> Result<(), Refusal> {
        if self.depth + 1 > DEPTH_MAX {
            return Err(refuse(
                input,
                format!("blocks nest deeper than {DEPTH_MAX} levels"),
            ));
        }
        let mut inner = Rules {
            depth: self.depth + 1,
        };
        for rule in StyleSheetParser::new(input, &mut inner) {
            rule.map_err(|(error, _, at)| ParseError::custom(problem(error, at)))?;
        }
        Ok(())
    }
}

/// The declarations of a style rule.
struct Declarations {
    depth: usize,
}

impl<'i> DeclarationParser<'i> for Declarations {
    type Declaration = ();
    type Error = Problem;

    fn parse_value(
        &mut self,
        name: CowRcStr<'i>,
        input: &mut Parser<'i>,
        _: &ParserState,
    ) -> Result<(), Refusal> {
        if REFUSED_PROPERTIES
            .iter()
            .any(|refused| name.eq_ignore_ascii_case(refused))
        {
            return Err(refuse(
                input,
                format!("the property `{name}` is not allowed"),
            ));
        }
        values(input, self.depth)
    }
}

/// Nested rules inside a style rule are not part of the subset.
impl<'i> QualifiedRuleParser<'i> for Declarations {
    type Prelude = ();
    type QualifiedRule = ();
    type Error = Problem;
}

/// At-rules inside a style rule are not part of the subset.
impl<'i> AtRuleParser<'i> for Declarations {
    type Prelude = ();
    type AtRule = ();
    type Error = Problem;

    fn parse_prelude(&mut self, name: CowRcStr<'i>, input: &mut Parser<'i>) -> Result<(), Refusal> {
        Err(refuse(
            input,
            format!("@{name} is not allowed (only @media blocks of style rules)"),
        ))
    }
}

impl<'i> RuleBodyItemParser<'i, (), Problem> for Declarations {
    fn parse_declarations(&self) -> bool {
        true
    }

    fn parse_qualified(&self) -> bool {
        false
    }
}

/// Checks every token of a selector list, a media query or a value, blocks included.
fn values(input: &mut Parser<'_>, depth: usize) -> Result<(), Refusal> {
    loop {
        let token = match input.next_including_whitespace_and_comments() {
            Ok(token) => token.clone(),
            Err(_) => return Ok(()),
        };
        let nested = match &token {
            Token::Function(name) => {
                if REFUSED_FUNCTIONS
                    .iter()
                    .any(|refused| name.eq_ignore_ascii_case(refused))
                {
                    let name = name.to_ascii_lowercase();
                    let why = if name == "expression" {
                        "it runs script in old browsers"
                    } else {
                        "the page loads nothing from elsewhere"
                    };
                    return Err(refuse(input, format!("`{name}()` is not allowed: {why}")));
                }
                true
            }
            Token::UnquotedUrl(_) => {
                return Err(refuse(
                    input,
                    "`url()` is not allowed: the page loads nothing from elsewhere".to_owned(),
                ));
            }
            Token::Ident(name)
                if REFUSED_PROPERTIES
                    .iter()
                    .any(|refused| name.eq_ignore_ascii_case(refused)) =>
            {
                return Err(refuse(input, format!("`{name}` is not allowed")));
            }
            Token::AtKeyword(name) => {
                return Err(refuse(input, format!("@{name} is not allowed here")));
            }
            Token::BadUrl(_)
            | Token::BadString(_)
            | Token::CloseParenthesis
            | Token::CloseSquareBracket
            | Token::CloseCurlyBracket => {
                return Err(refuse(
                    input,
                    "an unclosed string or an unbalanced bracket".to_owned(),
                ));
            }
            Token::ParenthesisBlock | Token::SquareBracketBlock | Token::CurlyBracketBlock => true,
            _ => false,
        };
        if nested {
            if depth + 1 > DEPTH_MAX {
                return Err(refuse(
                    input,
                    format!("blocks nest deeper than {DEPTH_MAX} levels"),
                ));
            }
            input.parse_nested_block(|inner| values(inner, depth + 1))?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(css: &str) -> String {
        check(css).expect_err(css)
    }

    #[test]
    fn rules_declarations_and_media_queries_are_accepted() {
        for css in [
            "",
            ".banner { border-radius: 0 !important; }",
            "header.masthead h1, a:hover > span[data-x=\"y\"] { color: #123456; font-weight: 700 }",
            ":root { --accent: rgb(10 20 30 / 50%); }\n.logo { height: calc(2rem + 4px) }",
            "@media (max-width: 600px) and (prefers-color-scheme: dark) { .page { padding: 0 } }",
            "/* a comment */ body { background: linear-gradient(to right, #fff, #eee); }",
            ".x::after { content: \"Hello\"; }",
        ] {
            assert_eq!(check(css), Ok(()), "{css}");
        }
    }

    #[test]
    fn at_rules_other_than_media_are_refused() {
        assert_eq!(
            refused("a { color: red }\n@import \"https://evil.test/x.css\";"),
            "line 2: @import is not allowed (only @media blocks of style rules)"
        );
        assert!(refused("@namespace svg url(http://www.w3.org/2000/svg);").contains("@namespace"));
        assert!(
            refused("@font-face { font-family: X; src: url(https://evil.test/x.woff) }")
                .contains("@font-face")
        );
        assert!(refused("@media print { @import \"x.css\"; }").contains("@import"));
        assert!(refused("a { @media print { color: red } }").contains("@media"));
    }

    #[test]
    fn every_url_is_refused_however_written() {
        for css in [
            "body { background: url(https://evil.test/track.png) }",
            "body { background: url(\"/local.png\") }",
            "body { background: URL(data:image/png;base64,AAAA) }",
            "body { background: u\\72l(https://evil.test/x) }",
            "body { background-image: image-set(\"https://evil.test/a.png\" 1x) }",
            "body { background-image: -webkit-image-set(\"a.png\" 1x) }",
            "@media (min-width: 1px) { a { cursor: url(x.cur), auto } }",
        ] {
            let problem = refused(css);
            assert!(
                problem.contains("loads nothing from elsewhere"),
                "{css}: {problem}"
            );
        }
    }

    #[test]
    fn script_in_old_browsers_is_refused() {
        assert!(refused("a { width: expression(alert(1)) }").contains("expression()"));
        assert!(refused("a { behavior: url(x.htc) }").contains("behavior"));
        assert!(refused("a { -moz-binding: none }").contains("-moz-binding"));
    }

    #[test]
    fn what_would_close_the_style_element_is_refused() {
        assert_eq!(
            refused("a {}\n\n.x::after { content: \"</STYLE><script>alert(1)</script>\" }"),
            "line 3: `</style` is not allowed (it would end the style element)"
        );
    }

    #[test]
    fn text_that_is_not_css_is_refused() {
        assert!(refused("a { color red }").starts_with("line 1: this is not CSS"));
        assert!(refused("a { content: \"open\n}").starts_with("line 1"));
        assert!(refused("a { width: calc(1px + (2px) }").starts_with("line 1"));
        let deep = format!("a {{ width: {}1px{} }}", "(".repeat(40), ")".repeat(40));
        assert!(refused(&deep).contains("nest deeper"));
    }
}
