//! Discord: an "execute webhook" body with one embed. Discord refuses an embed over its limits
//! (title 256 characters, description 4,096, at most 25 fields of 256 and 1,024, footer 2,048,
//! author 256, all of them together 6,000), so every text is cut to fit, the description last.
//! `allowed_mentions` with nothing to parse: a title with `@everyone` pings no one.

use chrono::SecondsFormat;
use serde_json::{Value, json};

use super::window_seconds;
use crate::notice::Notice;
use crate::text::{one_line, truncate};

const TITLE_MAX: usize = 256;
const DESCRIPTION_MAX: usize = 4096;
const FIELD_NAME_MAX: usize = 256;
const FIELD_VALUE_MAX: usize = 1024;
const FOOTER_MAX: usize = 2048;
const AUTHOR_MAX: usize = 256;
/// The most characters of all an embed's texts together.
const EMBED_TOTAL_MAX: usize = 6000;
/// The most fields an embed may have.
const FIELDS_MAX: usize = 25;

/// The body of a Discord webhook for `notice`.
pub fn discord(notice: &Notice) -> Value {
    let title = truncate(&one_line(&notice.title), TITLE_MAX).into_owned();
    let author = truncate(&one_line(&notice.page_name), AUTHOR_MAX).into_owned();
    let footer = truncate(notice.event.label(), FOOTER_MAX).into_owned();

    let mut fields: Vec<(String, String, bool)> =
        vec![("Status".into(), one_line(&notice.status), true)];
    if let Some(impact) = notice.impact.filter(|_| !notice.event.is_maintenance()) {
        fields.push(("Impact".into(), impact.label().into(), true));
    }
    if let Some((start, end)) = window_seconds(notice) {
        // Discord shows these in each reader's own zone.
        fields.push((
            "Window".into(),
            format!("<t:{start}:f> – <t:{end}:f>"),
            false,
        ));
    }
    if let Some(services) = notice.services_text() {
        fields.push(("Affected services".into(), services, false));
    }
    let fields: Vec<(String, String, bool)> = fields
        .into_iter()
        .filter(|(_, value, _)| !value.is_empty())
        .take(FIELDS_MAX)
        .map(|(name, value, inline)| {
            (
                truncate(&name, FIELD_NAME_MAX).into_owned(),
                truncate(&value, FIELD_VALUE_MAX).into_owned(),
                inline,
            )
        })
        .collect();

    let used = [&title, &author, &footer]
        .iter()
        .map(|text| text.chars().count())
        .sum::<usize>()
        + fields
            .iter()
            .map(|(name, value, _)| name.chars().count() + value.chars().count())
            .sum::<usize>();
    let room = DESCRIPTION_MAX.min(EMBED_TOTAL_MAX.saturating_sub(used));

    let mut embed = json!({
        "title": title,
        "url": notice.link,
        "color": notice.tone().number(),
        "author": {"name": author, "url": notice.page_url},
        "fields": fields
            .iter()
            .map(|(name, value, inline)| json!({"name": name, "value": value, "inline": inline}))
            .collect::<Vec<_>>(),
        "footer": {"text": footer},
        "timestamp": notice.at.to_rfc3339_opts(SecondsFormat::Secs, true),
    });
    let description = truncate(notice.message.trim(), room);
    if !description.is_empty() {
        embed["description"] = Value::String(description.into_owned());
    }
    json!({
        "embeds": [embed],
        "allowed_mentions": {"parse": []},
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notice::tests::{incident, maintenance};

    fn chars(value: &Value) -> usize {
        value.as_str().unwrap().chars().count()
    }

    /// What Discord counts toward an embed's 6,000 characters.
    fn total(embed: &Value) -> usize {
        let mut sum = chars(&embed["title"]) + chars(&embed["footer"]["text"]);
        sum += chars(&embed["author"]["name"]);
        if !embed["description"].is_null() {
            sum += chars(&embed["description"]);
        }
        for field in embed["fields"].as_array().unwrap() {
            sum += chars(&field["name"]) + chars(&field["value"]);
        }
        sum
    }

    #[test]
    fn discord_gets_one_embed_that_pings_no_one() {
        let body = discord(&incident());
        assert_eq!(body["allowed_mentions"], json!({"parse": []}));
        assert!(body.get("content").is_none());
        let embeds = body["embeds"].as_array().unwrap();
        assert_eq!(embeds.len(), 1);
        let embed = &embeds[0];
        assert_eq!(embed["title"], "Elevated API errors");
        assert_eq!(
            embed["url"],
            "https://status.example.com/acme/incidents/inc_123"
        );
        assert_eq!(
            embed["description"],
            "We found the **cause** and are rolling back."
        );
        assert_eq!(embed["color"], 0xdb6d28);
        assert!(embed["color"].is_u64());
        assert_eq!(embed["timestamp"], "2025-03-04T14:05:00Z");
        assert_eq!(embed["footer"]["text"], "Incident updated");
        assert_eq!(embed["author"]["name"], "Acme");
        let fields = embed["fields"].as_array().unwrap();
        assert_eq!(
            fields[0],
            json!({"name": "Status", "value": "Identified", "inline": true})
        );
        assert_eq!(
            fields[1],
            json!({"name": "Impact", "value": "Major", "inline": true})
        );
        assert_eq!(
            fields[2],
            json!({"name": "Affected services", "value": "API, Dashboard", "inline": false})
        );
    }

    #[test]
    fn discord_limits_hold_for_huge_notices() {
        let notice = Notice {
            title: "@everyone ".repeat(100),
            message: "m".repeat(10_000),
            services: (0..500).map(|i| format!("Service {i}")).collect(),
            page_name: "P".repeat(400),
            ..maintenance()
        };
        let body = discord(&notice);
        let embed = &body["embeds"][0];
        assert_eq!(chars(&embed["title"]), TITLE_MAX);
        assert!(embed["title"].as_str().unwrap().ends_with('…'));
        assert!(chars(&embed["description"]) <= DESCRIPTION_MAX);
        assert!(embed["description"].as_str().unwrap().ends_with('…'));
        assert!(chars(&embed["author"]["name"]) <= AUTHOR_MAX);
        let fields = embed["fields"].as_array().unwrap();
        assert!(fields.len() <= FIELDS_MAX);
        for field in fields {
            assert!(chars(&field["name"]) <= FIELD_NAME_MAX);
            assert!(chars(&field["value"]) <= FIELD_VALUE_MAX && chars(&field["value"]) > 0);
        }
        assert!(total(embed) <= EMBED_TOTAL_MAX, "{}", total(embed));
        assert_eq!(body["allowed_mentions"]["parse"], json!([]));
    }

    #[test]
    fn discord_shows_maintenance_in_blue_with_local_times() {
        let embed = discord(&maintenance())["embeds"][0].clone();
        assert_eq!(embed["color"], 0x4493f8);
        let window = embed["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == "Window")
            .unwrap()
            .clone();
        assert_eq!(window["value"], "<t:1741096800:f> – <t:1741104000:f>");
        assert!(
            embed["fields"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["name"] != "Impact")
        );
    }

    #[test]
    fn an_empty_message_leaves_the_description_out() {
        let notice = Notice {
            message: "  ".into(),
            ..incident()
        };
        assert!(discord(&notice)["embeds"][0].get("description").is_none());
    }
}
