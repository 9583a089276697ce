//! Slack and Mattermost: Mattermost takes Slack's message attachments, so both live here.
//!
//! Slack: an incoming webhook takes `text` (required: it is what notifications show) and
//! secondary `attachments`, each with a `color` bar and Block Kit `blocks`. Text is mrkdwn, in
//! which `&`, `<` and `>` must be escaped (so a title cannot write `<!channel>`); a section's
//! text holds at most 3,000 characters.
//!
//! Mattermost: `text` in Markdown, plus Slack-style attachments (`fallback`, `color`, `title`,
//! `title_link`, `text`, `fields`). Mattermost notifies on `@channel` and `@name` in a post's
//! text, so an `@` a person typed gets a zero-width space after it.

use serde_json::{Value, json};

use crate::notice::Notice;
use crate::text::{escaped_within, one_line, truncate};

/// The most characters a Block Kit section's text may hold.
const SECTION_MAX: usize = 3000;
/// What a linked title may take of the first section.
const TITLE_MAX: usize = 250;
/// What the latest update's text may take of a Mattermost attachment.
const MATTERMOST_TEXT_MAX: usize = 4000;

/// `text` with the three characters mrkdwn gives a meaning to escaped.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A URL as the target of a mrkdwn link `<url|label>`: what would end or split it is
/// percent-encoded.
fn link_target(url: &str) -> String {
    url.replace('|', "%7C")
        .replace('<', "%3C")
        .replace('>', "%3E")
        .replace(' ', "%20")
}

/// A time Slack shows in each reader's own zone, falling back to UTC.
fn slack_date(seconds: i64, fallback: &str) -> String {
    format!(
        "<!date^{seconds}^{{date_short_pretty}} {{time}}|{}>",
        escape(fallback).replace('|', "/")
    )
}

fn section(text: String) -> Value {
    json!({"type": "section", "text": {"type": "mrkdwn", "text": text}})
}

/// The body of a Slack incoming webhook for `notice`.
pub fn slack(notice: &Notice) -> Value {
    let title = escaped_within(&one_line(&notice.title), TITLE_MAX, escape);
    let mut head = format!(
        "*<{}|{title}>*\n*{}*",
        link_target(&notice.link),
        escape(&notice.status_line())
    );
    if let Some((start, end)) = notice.window {
        let utc =
            |at: chrono::DateTime<chrono::Utc>| at.format("%a %-d %b %Y %H:%M UTC").to_string();
        head.push_str(&format!(
            "\n{} – {}",
            slack_date(start.timestamp(), &utc(start)),
            slack_date(end.timestamp(), &utc(end))
        ));
    }
    let mut blocks = vec![section(head)];
    if !notice.message.trim().is_empty() {
        blocks.push(section(escaped_within(
            notice.message.trim(),
            SECTION_MAX,
            escape,
        )));
    }
    if let Some(services) = notice.services_text() {
        let services = escaped_within(&services, SECTION_MAX - "*Affected:* ".len(), escape);
        blocks.push(section(format!("*Affected:* {services}")));
    }
    blocks.push(json!({
        "type": "context",
        "elements": [{
            "type": "mrkdwn",
            "text": format!(
                "<{}|{}> · {}",
                link_target(&notice.page_url),
                escaped_within(&one_line(&notice.page_name), 200, escape),
                notice.event.label()
            ),
        }],
    }));
    let summary = notice.summary();
    json!({
        "text": escape(&summary),
        "attachments": [{
            "color": notice.color(),
            "fallback": summary,
            "blocks": blocks,
        }],
    })
}

/// `text` that mentions no one: a zero-width space after each `@`.
fn quiet(text: &str) -> String {
    text.replace('@', "@\u{200B}")
}

/// `text` with the characters Markdown gives a meaning to escaped by a backslash, for a title in
/// a Markdown line.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '~' | '[' | ']' | '(' | ')' | '<' | '>' | '#' | '|' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The body of a Mattermost incoming webhook for `notice`.
pub fn mattermost(notice: &Notice) -> Value {
    let mut fields =
        vec![json!({"short": true, "title": "Status", "value": quiet(&one_line(&notice.status))})];
    if let Some(impact) = notice.impact.filter(|_| !notice.event.is_maintenance()) {
        fields.push(json!({"short": true, "title": "Impact", "value": impact.label()}));
    }
    if let Some(window) = notice.window_text() {
        fields.push(json!({"short": false, "title": "Window", "value": window}));
    }
    if let Some(services) = notice.services_text() {
        fields
            .push(json!({"short": false, "title": "Affected services", "value": quiet(&services)}));
    }
    let summary = quiet(&notice.summary());
    json!({
        "text": format!(
            "{} · [{}]({})",
            quiet(&escape_markdown(&one_line(&notice.page_name))),
            quiet(&escape_markdown(&notice.headline())),
            notice.link.replace(' ', "%20").replace(')', "%29"),
        ),
        "attachments": [{
            "fallback": summary,
            "color": notice.color(),
            "title": quiet(&truncate(&one_line(&notice.title), TITLE_MAX)),
            "title_link": notice.link,
            "text": quiet(&truncate(notice.message.trim(), MATTERMOST_TEXT_MAX)),
            "fields": fields,
            "footer": quiet(&format!("{} · {}", one_line(&notice.page_name), notice.event.label())),
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notice::tests::{incident, maintenance};

    fn mrkdwn_texts(body: &Value) -> Vec<String> {
        let mut texts = Vec::new();
        for block in body["attachments"][0]["blocks"].as_array().unwrap() {
            match block["type"].as_str().unwrap() {
                "section" => {
                    assert_eq!(block["text"]["type"], "mrkdwn");
                    texts.push(block["text"]["text"].as_str().unwrap().to_owned());
                }
                "context" => {
                    let elements = block["elements"].as_array().unwrap();
                    assert!(!elements.is_empty() && elements.len() <= 10);
                    for element in elements {
                        assert_eq!(element["type"], "mrkdwn");
                        texts.push(element["text"].as_str().unwrap().to_owned());
                    }
                }
                other => panic!("unexpected block {other}"),
            }
        }
        texts
    }

    #[test]
    fn slack_gets_text_and_a_coloured_attachment_of_blocks() {
        let body = slack(&incident());
        assert_eq!(body["text"], "[Acme] Identified: Elevated API errors");
        let attachments = body["attachments"].as_array().unwrap();
        assert_eq!(attachments.len(), 1);
        assert_eq!(attachments[0]["color"], "#db6d28");
        assert!(attachments[0]["fallback"].is_string());
        let texts = mrkdwn_texts(&body);
        assert_eq!(
            texts[0],
            "*<https://status.example.com/acme/incidents/inc_123|Elevated API errors>*\n\
             *Identified · Major impact*"
        );
        assert_eq!(texts[1], "We found the **cause** and are rolling back.");
        assert_eq!(texts[2], "*Affected:* API, Dashboard");
        assert_eq!(
            texts[3],
            "<https://status.example.com/acme|Acme> · Incident updated"
        );
        for text in texts {
            assert!(!text.is_empty() && text.chars().count() <= SECTION_MAX);
        }
    }

    #[test]
    fn slack_text_cannot_mention_or_link() {
        let notice = Notice {
            title: "Down <!channel> & <https://evil.example|here>".into(),
            message: "<@U123> <!here> a > b".into(),
            ..incident()
        };
        let body = slack(&notice);
        let all = format!("{} {}", body["text"], mrkdwn_texts(&body).join(" "));
        assert!(!all.contains("<!channel>") && !all.contains("<!here>") && !all.contains("<@U"));
        assert!(all.contains("Down &lt;!channel&gt; &amp; &lt;https://evil.example|here&gt;"));
        assert!(all.contains("&lt;@U123&gt; &lt;!here&gt; a &gt; b"));
    }

    #[test]
    fn slack_sections_stay_within_their_limit() {
        let notice = Notice {
            title: "T".repeat(1000),
            message: "<&>".repeat(5000),
            services: (0..2000).map(|i| format!("Service {i}")).collect(),
            ..incident()
        };
        let texts = mrkdwn_texts(&slack(&notice));
        for text in &texts {
            assert!(text.chars().count() <= SECTION_MAX, "{}", text.len());
        }
        assert!(texts[1].ends_with('…') && !texts[1].ends_with("&…"));
        assert!(texts[0].contains(&format!("{}…", "T".repeat(TITLE_MAX - 1))));
    }

    #[test]
    fn slack_shows_maintenance_times_in_the_readers_zone() {
        let body = slack(&maintenance());
        assert_eq!(body["attachments"][0]["color"], "#4493f8");
        let head = &mrkdwn_texts(&body)[0];
        assert!(
            head.contains(
                "<!date^1741096800^{date_short_pretty} {time}|Tue 4 Mar 2025 14:00 UTC> – \
                 <!date^1741104000^{date_short_pretty} {time}|Tue 4 Mar 2025 16:00 UTC>"
            ),
            "{head}"
        );
    }

    #[test]
    fn mattermost_gets_slack_attachments_and_pings_no_one() {
        let notice = Notice {
            title: "Outage, @channel look".into(),
            message: "@all we are on it".into(),
            ..incident()
        };
        let body = mattermost(&notice);
        let text = body["text"].as_str().unwrap();
        assert_eq!(
            text,
            "Acme · [Identified: Outage, @\u{200B}channel look](https://status.example.com/acme/incidents/inc_123)"
        );
        let attachment = &body["attachments"][0];
        for key in ["fallback", "color", "title", "title_link", "text", "footer"] {
            assert!(attachment[key].is_string(), "{key}");
        }
        assert_eq!(attachment["color"], "#db6d28");
        assert_eq!(attachment["title"], "Outage, @\u{200B}channel look");
        assert_eq!(
            attachment["title_link"],
            "https://status.example.com/acme/incidents/inc_123"
        );
        assert_eq!(attachment["text"], "@\u{200B}all we are on it");
        let fields = attachment["fields"].as_array().unwrap();
        let field = |title: &str| {
            fields
                .iter()
                .find(|f| f["title"] == title)
                .unwrap_or_else(|| panic!("{title}"))
                .clone()
        };
        assert_eq!(field("Status")["value"], "Identified");
        assert_eq!(field("Status")["short"], true);
        assert_eq!(field("Impact")["value"], "Major");
        assert_eq!(field("Affected services")["value"], "API, Dashboard");
        assert!(body.to_string().find("@channel").is_none());
        assert!(body.to_string().find("@all").is_none());
    }

    #[test]
    fn mattermost_escapes_markdown_in_the_linked_title() {
        let notice = Notice {
            title: "[x](https://evil.example) *bold*".into(),
            ..incident()
        };
        let text = mattermost(&notice)["text"].as_str().unwrap().to_owned();
        assert!(
            text.contains(r"\[x\]\(https://evil.example\) \*bold\*"),
            "{text}"
        );
        let window = mattermost(&maintenance())["attachments"][0]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["title"] == "Window")
            .unwrap()["value"]
            .clone();
        assert_eq!(window, "Tue 4 Mar 2025, 14:00–16:00 UTC");
    }
}
