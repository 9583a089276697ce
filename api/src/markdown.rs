//! Messages are Markdown, stored as written and answered also as HTML that is safe to insert in
//! a page: rendered with pulldown-cmark, then sanitized with ammonia (no scripts, no event
//! handlers, no `javascript:` links; links get `rel="noopener noreferrer nofollow"`).

use pulldown_cmark::{Options, Parser, html};

/// The Markdown as sanitized HTML.
pub fn to_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_TASKLISTS);
    let mut rendered = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut rendered, Parser::new_ext(markdown, options));
    ammonia::clean(&rendered)
}

#[cfg(test)]
mod tests {
    use super::to_html;

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
}
