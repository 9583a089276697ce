//! Small text helpers every format uses: escaping, truncation, one-line titles.

use std::borrow::Cow;

/// The ellipsis that ends a shortened text.
pub(crate) const ELLIPSIS: char = '…';

/// `text` with the five characters HTML gives a meaning to escaped, for element content and
/// quoted attribute values alike.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` cut to at most `max` characters (Unicode scalar values, as the chat products count
/// them), ending with an ellipsis when something was cut.
pub(crate) fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    if text.chars().count() <= max {
        return Cow::Borrowed(text);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.truncate(out.trim_end().len());
    out.push(ELLIPSIS);
    Cow::Owned(out)
}

/// `text` escaped with `escape` (a character-by-character escape) and cut to at most `max`
/// characters, ending with an ellipsis when something was cut. The cut falls between escape
/// sequences, never inside one.
pub(crate) fn escaped_within(text: &str, max: usize, escape: impl Fn(&str) -> String) -> String {
    let full = escape(text);
    if full.chars().count() <= max {
        return full;
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    let mut buffer = [0u8; 4];
    for c in text.chars() {
        let piece = escape(c.encode_utf8(&mut buffer));
        let length = piece.chars().count();
        if used + length > max - 1 {
            break;
        }
        out.push_str(&piece);
        used += length;
    }
    out.truncate(out.trim_end().len());
    out.push(ELLIPSIS);
    out
}

/// `text` on one line: line breaks and other control characters become spaces, and the ends are
/// trimmed. For subjects and titles, which a person wrote in a form.
pub(crate) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_keeps_short_texts_and_marks_cut_ones() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("exactly", 7), "exactly");
        assert_eq!(truncate("a long title here", 8), "a long…");
        assert_eq!(truncate("ééééé", 3), "éé…");
        assert_eq!(truncate("anything", 0), "");
    }

    #[test]
    fn escaped_text_fits_without_broken_entities() {
        let escaped = escaped_within("&&&&&&&&&&", 12, escape_html);
        assert!(escaped.chars().count() <= 12, "{escaped}");
        assert_eq!(escaped, "&amp;&amp;…");
    }

    #[test]
    fn html_escaping_covers_content_and_attributes() {
        assert_eq!(
            escape_html(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn titles_lose_their_line_breaks() {
        assert_eq!(one_line(" DB\r\nBcc: x@y.z \t"), "DB  Bcc: x@y.z");
    }
}
