//! Microsoft Teams: the body a Workflows (Power Automate) webhook takes, a message with one
//! Adaptive Card 1.4. Cards have no arbitrary colours, so the notice's colour becomes the
//! nearest named text colour (`good`, `warning`, `attention`, `accent`, `default`).

use serde_json::{Value, json};

use crate::notice::Notice;
use crate::text::{one_line, truncate};

/// What the latest update's text may take of the card: Teams refuses messages of about 28 KB.
const MESSAGE_MAX: usize = 4000;
const TITLE_MAX: usize = 250;

fn text_block(text: impl Into<String>) -> Value {
    json!({"type": "TextBlock", "text": text.into(), "wrap": true})
}

/// The body of a Teams Workflows webhook for `notice`.
pub fn teams(notice: &Notice) -> Value {
    let color = notice.tone().adaptive_card_color();
    let mut heading = text_block(format!(
        "{} · {}",
        one_line(&notice.page_name),
        notice.event.label()
    ));
    heading["isSubtle"] = json!(true);
    heading["size"] = json!("Small");
    let mut title = text_block(truncate(&one_line(&notice.title), TITLE_MAX));
    title["size"] = json!("Large");
    title["weight"] = json!("Bolder");
    title["spacing"] = json!("None");
    let mut status = text_block(notice.status_line());
    status["color"] = json!(color);
    status["weight"] = json!("Bolder");
    status["spacing"] = json!("Small");

    let mut body = vec![heading, title, status];
    if !notice.message.trim().is_empty() {
        body.push(text_block(truncate(notice.message.trim(), MESSAGE_MAX)));
    }
    let mut facts = Vec::new();
    if let Some(window) = notice.window_text() {
        facts.push(json!({"title": "Window", "value": window}));
    }
    if let Some(services) = notice.services_text() {
        facts.push(json!({"title": "Affected", "value": services}));
    }
    if !facts.is_empty() {
        body.push(json!({"type": "FactSet", "facts": facts}));
    }
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": body,
                "actions": [{"type": "Action.OpenUrl", "title": "View", "url": notice.link}],
            },
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notice::Event;
    use crate::notice::tests::{incident, maintenance};
    use upstate_shared::ImpactLevel;

    const COLORS: [&str; 7] = [
        "default",
        "dark",
        "light",
        "accent",
        "good",
        "warning",
        "attention",
    ];

    fn card(body: &Value) -> &Value {
        &body["attachments"][0]["content"]
    }

    fn status_color(notice: &Notice) -> String {
        let body = teams(notice);
        card(&body)["body"][2]["color"].as_str().unwrap().to_owned()
    }

    #[test]
    fn teams_gets_a_message_with_one_adaptive_card() {
        let body = teams(&incident());
        assert_eq!(body["type"], "message");
        let attachments = body["attachments"].as_array().unwrap();
        assert_eq!(attachments.len(), 1);
        assert_eq!(
            attachments[0]["contentType"],
            "application/vnd.microsoft.card.adaptive"
        );
        assert!(attachments[0]["contentUrl"].is_null());
        let card = card(&body);
        assert_eq!(
            card["$schema"],
            "http://adaptivecards.io/schemas/adaptive-card.json"
        );
        assert_eq!(card["type"], "AdaptiveCard");
        assert_eq!(card["version"], "1.4");
        for element in card["body"].as_array().unwrap() {
            match element["type"].as_str().unwrap() {
                "TextBlock" => {
                    assert!(!element["text"].as_str().unwrap().is_empty());
                    assert_eq!(element["wrap"], true);
                    if let Some(color) = element.get("color") {
                        assert!(COLORS.contains(&color.as_str().unwrap()), "{color}");
                    }
                }
                "FactSet" => {
                    for fact in element["facts"].as_array().unwrap() {
                        assert!(fact["title"].is_string() && fact["value"].is_string());
                    }
                }
                other => panic!("unexpected element {other}"),
            }
        }
        assert_eq!(card["body"][0]["text"], "Acme · Incident updated");
        assert_eq!(card["body"][1]["text"], "Elevated API errors");
        assert_eq!(card["body"][2]["text"], "Identified · Major impact");
        assert_eq!(
            card["body"][3]["text"],
            "We found the **cause** and are rolling back."
        );
        assert_eq!(
            card["body"][4]["facts"],
            json!([{"title": "Affected", "value": "API, Dashboard"}])
        );
        assert_eq!(
            card["actions"],
            json!([{
                "type": "Action.OpenUrl",
                "title": "View",
                "url": "https://status.example.com/acme/incidents/inc_123",
            }])
        );
    }

    #[test]
    fn teams_colours_are_named_ones() {
        let with = |event, impact| Notice {
            event,
            impact,
            ..incident()
        };
        assert_eq!(status_color(&with(Event::IncidentResolved, None)), "good");
        assert_eq!(status_color(&maintenance()), "accent");
        assert_eq!(
            status_color(&with(Event::MaintenanceCompleted, None)),
            "good"
        );
        assert_eq!(status_color(&with(Event::IncidentCreated, None)), "default");
        assert_eq!(
            status_color(&with(Event::IncidentCreated, Some(ImpactLevel::Minor))),
            "warning"
        );
        assert_eq!(
            status_color(&with(Event::IncidentCreated, Some(ImpactLevel::Major))),
            "attention"
        );
        assert_eq!(
            status_color(&with(Event::IncidentCreated, Some(ImpactLevel::Critical))),
            "attention"
        );
    }

    #[test]
    fn teams_cards_say_when_maintenance_is_and_cut_long_messages() {
        let body = teams(&Notice {
            message: "x".repeat(MESSAGE_MAX * 2),
            ..maintenance()
        });
        let card = card(&body);
        let message = card["body"][3]["text"].as_str().unwrap();
        assert_eq!(message.chars().count(), MESSAGE_MAX);
        assert!(message.ends_with('…'));
        assert_eq!(
            card["body"][4]["facts"][0],
            json!({"title": "Window", "value": "Tue 4 Mar 2025, 14:00–16:00 UTC"})
        );
    }
}
