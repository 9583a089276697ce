//! Messages are Markdown, stored as written and, beside it, as HTML that is safe to insert in a
//! page: rendered with pulldown-cmark, then sanitized with ammonia, once when the message is
//! written (the store calls [`to_html`] in the writing transaction), never on a read. No scripts, no event
//! handlers, no styles; links only to `http:`, `https:` and `mailto:` addresses (a relative
//! link would point into the status page's own site), each with
//! `rel="nofollow ugc noopener noreferrer"`; images only from `https:` addresses (an `http:` one
//! would be mixed content, a `data:` one a payload).
//!
//! Changing this policy changes what was already published only when the stored HTML is
//! rendered again: a migration that sets the `*_html` columns to NULL does it, since
//! `upstate migrate` (and `serve`, which migrates first) renders every NULL one.

use pulldown_cmark::{Options, Parser, html};
use std::collections::HashSet;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// The rel of every link: written by page authors, not endorsed by Upstate.
pub const LINK_REL: &str = "nofollow ugc noopener noreferrer";

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some(LINK_REL))
        .attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "src" && !value.starts_with("https://") {
                None
            } else {
                Some(value.into())
            }
        });
    builder
});

/// Renders done by this process (tests count them: reads must not render).
static RENDERS: AtomicU64 = AtomicU64::new(0);

/// How many times this process has rendered Markdown.
pub fn renders() -> u64 {
    RENDERS.load(Ordering::Relaxed)
}

/// The Markdown as sanitized HTML.
pub fn to_html(markdown: &str) -> String {
    RENDERS.fetch_add(1, Ordering::Relaxed);
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_TASKLISTS);
    let mut rendered = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut rendered, Parser::new_ext(markdown, options));
    SANITIZER.clean(&rendered).to_string()
}

/// The words of rendered HTML as plain text, for link previews (`<meta name="description">`):
/// no tags, entities decoded, runs of white space as one space, at most `max` characters
/// (cut at a word, with "…").
pub fn to_plain_text(html: &str, max: usize) -> String {
    // A space where a block ends, so that two paragraphs do not run into one word.
    let mut spaced = html.to_owned();
    for end in [
        "</p>",
        "</li>",
        "</h",
        "<br",
        "</td>",
        "</th>",
        "</pre>",
        "</blockquote>",
    ] {
        spaced = spaced.replace(end, &format!(" {end}"));
    }
    let text = ammonia::Builder::empty().clean(&spaced).to_string();
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for word in words {
        let needed = out.chars().count() + usize::from(!out.is_empty()) + word.chars().count();
        if needed > max.saturating_sub(1) {
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{to_html, to_plain_text};

    #[test]
    fn plain_text_has_no_tags_and_is_cut_at_a_word() {
        let html = to_html("We are **on it** & <b>watching</b>.\n\nMore soon.");
        assert_eq!(
            to_plain_text(&html, 200),
            "We are on it & watching. More soon."
        );
        assert_eq!(to_plain_text(&html, 12), "We are on…");
    }

    #[test]
    fn markdown_is_rendered() {
        assert_eq!(
            to_html("We are **on it**."),
            "<p>We are <strong>on it</strong>.</p>\n"
        );
        assert!(to_html("- a\n- b").contains("<li>a</li>"));
        assert!(to_html("[status](https://example.com)").contains("href=\"https://example.com\""));
    }

    #[test]
    fn scripts_and_handlers_are_removed() {
        let html = to_html(
            "Hi <script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("alert(1)"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn links_are_web_or_mail_and_marked_as_written_by_users() {
        let html = to_html(
            "[a](https://example.com) [b](http://example.com) [c](mailto:ops@example.com) \
             [d](ftp://example.com/x) [e](/dashboard/acme) [f](data:text/html,hi) [g](//evil.test)",
        );
        assert!(html.contains(r#"href="https://example.com""#), "{html}");
        assert!(html.contains(r#"href="http://example.com""#), "{html}");
        assert!(html.contains(r#"href="mailto:ops@example.com""#), "{html}");
        for refused in ["ftp:", "/dashboard/acme", "data:", "//evil.test"] {
            assert!(!html.contains(refused), "{refused} in {html}");
        }
        assert_eq!(
            html.matches(r#"rel="nofollow ugc noopener noreferrer""#)
                .count(),
            7,
            "{html}"
        );
    }

    #[test]
    fn images_come_only_over_https() {
        let html = to_html(
            "![ok](https://img.example.com/a.png) ![mixed](http://img.example.com/b.png) \
             ![data](data:image/png;base64,AAAA) ![local](/logo.png)",
        );
        assert!(
            html.contains(r#"src="https://img.example.com/a.png""#),
            "{html}"
        );
        for refused in ["http://img", "data:", "/logo.png"] {
            assert!(!html.contains(refused), "{refused} in {html}");
        }
    }
}
