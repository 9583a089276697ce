//! The notice email a subscriber gets, in the subscriber's language: multipart (text and HTML),
//! marked as sent by a machine, with the one-click unsubscribe of RFC 8058.

use lettre::Message;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};

use chrono::{DateTime, Utc};
use upstate_i18n::{self as i18n, Locale};

use crate::error::NotifyError;
use crate::notice::{Event, Notice};
use crate::text::{escape_html, one_line};

type HeaderError = Box<dyn std::error::Error + Send + Sync>;

/// The links every notice email carries for its recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    /// Unsubscribes in one click: the target of RFC 8058's POST, and a page when opened.
    pub unsubscribe: String,
    /// The page where the subscriber changes what they get.
    pub manage: String,
}

/// `List-Unsubscribe: <https://...>` (RFC 2369), with the one link that unsubscribes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, HeaderError> {
        let url = s
            .trim()
            .strip_prefix('<')
            .and_then(|rest| rest.strip_suffix('>'))
            .ok_or("List-Unsubscribe is not a <URL>")?;
        Ok(ListUnsubscribe(url.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): a mail client may unsubscribe
/// with a POST to the `List-Unsubscribe` URL, without opening a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListUnsubscribePost;

impl ListUnsubscribePost {
    /// The one value RFC 8058 defines.
    pub const VALUE: &'static str = "List-Unsubscribe=One-Click";
}

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(s: &str) -> Result<Self, HeaderError> {
        if s.trim() == Self::VALUE {
            Ok(ListUnsubscribePost)
        } else {
            Err("List-Unsubscribe-Post is not List-Unsubscribe=One-Click".into())
        }
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), Self::VALUE.to_owned())
    }
}

/// `List-Id` (RFC 2919): which list a mail belongs to, so that people can filter on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListId(String);

impl ListId {
    /// The list of an organization's status updates: `Acme status updates
    /// <acme.status.example.com>`, from its slug and its page's host. The description is left
    /// out when the page's name is more than plain ASCII words (a header phrase cannot carry
    /// it safely).
    pub fn for_page(page_name: &str, org_slug: &str, page_url: &str) -> ListId {
        let host = url::Url::parse(page_url)
            .ok()
            .and_then(|url| url.host_str().map(str::to_owned))
            .unwrap_or_else(|| "upstate.invalid".to_owned());
        let label: String = org_slug
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let id = if label.is_empty() {
            host
        } else {
            format!("{}.{host}", label.to_ascii_lowercase())
        };
        let name = one_line(page_name);
        let plain = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
        if plain {
            ListId(format!("{name} status updates <{id}>"))
        } else {
            ListId(format!("<{id}>"))
        }
    }
}

impl Header for ListId {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Id")
    }

    fn parse(s: &str) -> Result<Self, HeaderError> {
        Ok(ListId(s.trim().to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834): a machine sent this, so autoresponders (out of
/// office) do not answer it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(s: &str) -> Result<Self, HeaderError> {
        if s.trim() == "auto-generated" {
            Ok(AutoSubmitted)
        } else {
            Err("Auto-Submitted is not auto-generated".into())
        }
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// `url`, if it is an absolute http(s) URL of printable ASCII without spaces: what a mail header
/// can carry between angle brackets, and what a mail client will POST to.
fn header_link<'a>(what: &'static str, url: &'a str) -> Result<&'a str, NotifyError> {
    let printable = !url.is_empty() && url.bytes().all(|b| b.is_ascii_graphic() && b != b'>');
    let parsed = url::Url::parse(url).ok();
    let web = parsed
        .as_ref()
        .is_some_and(|u| matches!(u.scheme(), "https" | "http") && u.host_str().is_some());
    if printable && web {
        Ok(url)
    } else {
        Err(NotifyError::BadLink {
            what,
            url: url.to_owned(),
        })
    }
}

/// The email telling a subscriber about `notice`, in the subscriber's language `locale`: subject
/// "[Acme] Identified: Elevated API errors", a text and an HTML part (the HTML escapes everything
/// but the message, which comes sanitized), both with the links to manage and to unsubscribe,
/// and the headers of a list (`List-Unsubscribe`, `List-Unsubscribe-Post`, `List-Id`,
/// `Auto-Submitted`). The words around it are the language's; the page's name, the title and
/// the message are as their authors wrote them.
pub fn notice_email(
    notice: &Notice,
    from: &Mailbox,
    to: &Mailbox,
    links: &Links,
    locale: Locale,
) -> Result<Message, NotifyError> {
    let unsubscribe = header_link("unsubscribe", &links.unsubscribe)?;
    header_link("manage", &links.manage)?;
    let words = Words::of(notice, locale);
    let subject = format!(
        "[{}] {}: {}",
        one_line(&notice.page_name),
        one_line(&words.headline),
        one_line(&notice.title)
    );
    let message = Message::builder()
        .from(from.clone())
        .to(to.clone())
        .subject(subject.clone())
        .header(ListUnsubscribe(unsubscribe.to_owned()))
        .header(ListUnsubscribePost)
        .header(ListId::for_page(
            &notice.page_name,
            &notice.org_slug,
            &notice.page_url,
        ))
        .header(AutoSubmitted)
        .multipart(MultiPart::alternative_plain_html(
            notice_text(notice, &words, links),
            notice_html(notice, &words, links, &subject),
        ))?;
    Ok(message)
}

/// The words of a notice mail in one language, each line whole.
struct Words {
    locale: Locale,
    /// What happened: "Incident updated".
    event: String,
    /// The subject's word before the title: an incident's status, a maintenance's event.
    headline: String,
    /// "Major impact · Identified", or a maintenance window's status.
    status_line: String,
    /// "Posted 4 March 2025, 14:05 UTC".
    posted: String,
    /// "When: 4 March 2025, 14:00–16:00 UTC", for maintenance.
    window: Option<String>,
    /// "Affected: API, Dashboard".
    affected: Option<String>,
    view: String,
    why: String,
    manage: String,
    unsubscribe: String,
}

impl Words {
    fn of(notice: &Notice, locale: Locale) -> Words {
        let event = event_words(notice.event, locale);
        // A notice queued before it recorded its status names it in English words: as it is.
        let status = match (notice.incident_status, notice.maintenance_status) {
            (Some(status), _) => i18n::incident_status(locale, status),
            (None, Some(status)) => i18n::maintenance_status(locale, status),
            (None, None) => one_line(&notice.status),
        };
        let headline = if notice.event.is_maintenance() {
            event.clone()
        } else {
            status.clone()
        };
        let status_line = match notice.impact.filter(|_| !notice.event.is_maintenance()) {
            Some(impact) => {
                let impact = i18n::impact(locale, impact);
                i18n::text_with(
                    locale,
                    "incident-meta",
                    &[("impact", (&impact).into()), ("status", (&status).into())],
                )
            }
            None => status,
        };
        let at = i18n::datetime_utc(locale, notice.at);
        let page = one_line(&notice.page_name);
        Words {
            locale,
            headline,
            status_line,
            posted: i18n::text_with(locale, "mail-posted", &[("at", (&at).into())]),
            window: notice.window.map(|(start, end)| window(locale, start, end)),
            affected: notice.services_text().map(|services| {
                i18n::text_with(locale, "mail-affected", &[("services", (&services).into())])
            }),
            view: i18n::text(locale, "mail-view"),
            why: i18n::text_with(locale, "mail-why", &[("page", (&page).into())]),
            manage: i18n::text(locale, "mail-manage"),
            unsubscribe: i18n::text(locale, "mail-unsubscribe"),
            event,
        }
    }
}

/// What happened, in `locale`'s words: "Maintenance started", "Wartung begonnen".
fn event_words(event: Event, locale: Locale) -> String {
    match event {
        Event::IncidentCreated => i18n::text(locale, "mail-event-incident-created"),
        Event::IncidentUpdated => i18n::text(locale, "mail-event-incident-updated"),
        Event::IncidentResolved => i18n::text(locale, "mail-event-incident-resolved"),
        Event::MaintenanceScheduled => i18n::text(locale, "mail-event-maintenance-scheduled"),
        Event::MaintenanceReminder => i18n::text(locale, "mail-event-maintenance-reminder"),
        Event::MaintenanceStarted => i18n::text(locale, "mail-event-maintenance-started"),
        Event::MaintenanceCompleted => i18n::text(locale, "mail-event-maintenance-completed"),
        Event::MonitorFailing => i18n::text(locale, "mail-event-monitor-failing"),
        Event::MonitorRecovered => i18n::text(locale, "mail-event-monitor-recovered"),
    }
}

/// A maintenance window in UTC, the language's way: "When: 4 March 2025, 14:00–16:00 UTC", or
/// with both dates when it spans midnight.
fn window(locale: Locale, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
    if start.date_naive() == end.date_naive() {
        let day = i18n::day(locale, start.date_naive());
        let (from, to) = (
            start.format("%H:%M").to_string(),
            end.format("%H:%M").to_string(),
        );
        i18n::text_with(
            locale,
            "mail-window-day",
            &[
                ("day", (&day).into()),
                ("start", (&from).into()),
                ("end", (&to).into()),
            ],
        )
    } else {
        let (from, to) = (
            i18n::datetime_utc(locale, start),
            i18n::datetime_utc(locale, end),
        );
        i18n::text_with(
            locale,
            "mail-window-days",
            &[("start", (&from).into()), ("end", (&to).into())],
        )
    }
}

/// Why the subscriber gets this mail, and how to stop: the text part's footer.
fn footer_text(words: &Words, links: &Links) -> String {
    format!(
        "--\n{}\n{}: {}\n{}: {}\n",
        words.why, words.manage, links.manage, words.unsubscribe, links.unsubscribe
    )
}

fn notice_text(notice: &Notice, words: &Words, links: &Links) -> String {
    let page = one_line(&notice.page_name);
    let mut text = format!(
        "{page} · {}\n\n{}\n{}\n{}\n",
        words.event,
        one_line(&notice.title),
        words.status_line,
        words.posted,
    );
    for line in [&words.window, &words.affected].into_iter().flatten() {
        text.push_str(line);
        text.push('\n');
    }
    if !notice.message.trim().is_empty() {
        text.push_str(&format!("\n{}\n", notice.message.trim_end()));
    }
    text.push_str(&format!(
        "\n{}: {}\n\n{}",
        words.view,
        notice.link,
        footer_text(words, links)
    ));
    text
}

/// The HTML around every mail: a card with a coloured edge, then a small footer.
fn html_page(locale: Locale, title: &str, color: &str, card: &str, footer: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\"><title>{title}</title></head>\n\
         <body style=\"margin:0;padding:24px;background:#f6f8fa;color:#1f2328;\
         font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif;\
         font-size:15px;line-height:1.5\">\n\
         <div style=\"max-width:600px;margin:0 auto;background:#ffffff;border:1px solid #d1d9e0;\
         border-left:6px solid {color};border-radius:6px;padding:20px 24px\">\n{card}</div>\n\
         <p style=\"max-width:600px;margin:16px auto 0;color:#59636e;font-size:13px\">{footer}</p>\n\
         </body></html>\n",
        title = escape_html(title),
        lang = locale.tag(),
    )
}

/// A link that looks like a button.
fn button(url: &str, label: &str) -> String {
    format!(
        "<p style=\"margin:20px 0 0\"><a href=\"{}\" style=\"display:inline-block;\
         background:#0969da;color:#ffffff;text-decoration:none;padding:8px 16px;\
         border-radius:6px\">{}</a></p>\n",
        escape_html(url),
        escape_html(label)
    )
}

fn notice_html(notice: &Notice, words: &Words, links: &Links, subject: &str) -> String {
    let page = escape_html(&one_line(&notice.page_name));
    let link = escape_html(&notice.link);
    let mut card = format!(
        "<p style=\"margin:0 0 4px;color:#59636e;font-size:13px\">{page} · {}</p>\n\
         <h1 style=\"margin:0 0 8px;font-size:20px;line-height:1.3\">\
         <a href=\"{link}\" style=\"color:#1f2328;text-decoration:none\">{}</a></h1>\n\
         <p style=\"margin:0 0 12px\"><strong>{}</strong><br>\
         <span style=\"color:#59636e;font-size:13px\">{}</span></p>\n",
        escape_html(&words.event),
        escape_html(&one_line(&notice.title)),
        escape_html(&words.status_line),
        escape_html(&words.posted),
    );
    for line in [&words.window, &words.affected].into_iter().flatten() {
        card.push_str(&format!(
            "<p style=\"margin:0 0 12px\">{}</p>\n",
            escape_html(line)
        ));
    }
    if !notice.message_html.trim().is_empty() {
        // Sanitized by the markdown crate when the update was written: it goes in as it is.
        card.push_str(&format!("<div>{}</div>\n", notice.message_html));
    }
    card.push_str(&button(&notice.link, &words.view));
    let footer = format!(
        "{} <a href=\"{}\" style=\"color:#59636e\">{}</a> · \
         <a href=\"{}\" style=\"color:#59636e\">{}</a>",
        escape_html(&words.why),
        escape_html(&links.manage),
        escape_html(&words.manage),
        escape_html(&links.unsubscribe),
        escape_html(&words.unsubscribe),
    );
    html_page(words.locale, subject, notice.color(), &card, &footer)
}

/// The webhook's address without what may be its secret: chat webhook URLs carry their token in
/// the path, so the mail shows the scheme, the host and the first path segment.
pub(crate) fn redacted(url: &str) -> String {
    let Ok(parsed) = url::Url::parse(url) else {
        return "(an unreadable URL)".to_owned();
    };
    let host = parsed.host_str().unwrap_or_default();
    let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
    let mut segments = parsed.path_segments().into_iter().flatten();
    let first = segments.next().unwrap_or_default();
    let more = segments.next().is_some() || parsed.query().is_some();
    format!(
        "{}://{host}{port}/{first}{}",
        parsed.scheme(),
        if more { "/…" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notice::tests::{incident, maintenance};
    use mailparse::{MailHeaderMap, ParsedMail};

    fn from() -> Mailbox {
        "Acme status <status@example.com>".parse().unwrap()
    }

    fn to() -> Mailbox {
        "ada@example.org".parse().unwrap()
    }

    fn links() -> Links {
        Links {
            unsubscribe: "https://status.example.com/acme/unsubscribe?token=tok_abc".into(),
            manage: "https://status.example.com/acme/subscription?token=tok_abc".into(),
        }
    }

    /// The mail as it leaves, parsed back: (raw text, text part, HTML part).
    fn sent(message: &Message) -> (Vec<u8>, String, String) {
        let raw = message.formatted();
        let mail = mailparse::parse_mail(&raw).unwrap();
        assert_eq!(mail.ctype.mimetype, "multipart/alternative");
        let part = |mime: &str| -> String {
            let found: Vec<&ParsedMail> = mail
                .subparts
                .iter()
                .filter(|p| p.ctype.mimetype == mime)
                .collect();
            assert_eq!(found.len(), 1, "one {mime} part");
            assert_eq!(found[0].ctype.charset, "utf-8");
            found[0].get_body().unwrap()
        };
        let (text, html) = (part("text/plain"), part("text/html"));
        (raw, text, html)
    }

    fn header(raw: &[u8], name: &str) -> Option<String> {
        mailparse::parse_mail(raw)
            .unwrap()
            .get_headers()
            .get_first_value(name)
    }

    #[test]
    fn a_notice_mail_has_both_parts_and_the_one_click_unsubscribe() {
        let message = notice_email(&incident(), &from(), &to(), &links(), Locale::En).unwrap();
        let (raw, text, html) = sent(&message);

        assert_eq!(
            header(&raw, "Subject").unwrap(),
            "[Acme] Identified: Elevated API errors"
        );
        assert_eq!(
            header(&raw, "List-Unsubscribe").unwrap(),
            "<https://status.example.com/acme/unsubscribe?token=tok_abc>"
        );
        assert_eq!(
            header(&raw, "List-Unsubscribe-Post").unwrap(),
            "List-Unsubscribe=One-Click"
        );
        assert_eq!(
            header(&raw, "List-Id").unwrap(),
            "Acme status updates <acme.status.example.com>"
        );
        assert_eq!(header(&raw, "Auto-Submitted").unwrap(), "auto-generated");
        assert_eq!(header(&raw, "To").unwrap(), "ada@example.org");

        for part in [&text, &html] {
            assert!(part.contains("Elevated API errors"));
            assert!(part.contains("Major impact · Identified"));
            assert!(part.contains("Posted 4 March 2025, 14:05 UTC"));
            assert!(part.contains("API, Dashboard"));
            assert!(part.contains("https://status.example.com/acme/incidents/inc_123"));
            assert!(part.contains("https://status.example.com/acme/subscription?token=tok_abc"));
            assert!(part.contains("https://status.example.com/acme/unsubscribe?token=tok_abc"));
        }
        assert!(text.contains("We found the **cause** and are rolling back."));
        assert!(html.contains("<p>We found the <strong>cause</strong> and are rolling back.</p>"));
        assert!(html.contains("border-left:6px solid #db6d28"));
        assert!(
            html.contains(">Unsubscribe</a>") && html.contains(">Manage your subscription</a>")
        );
    }

    #[test]
    fn the_html_part_escapes_what_people_typed() {
        let notice = Notice {
            title: "<script>alert(1)</script> & co".into(),
            services: vec!["<b>API</b>".into()],
            page_name: "Acme \"Labs\"".into(),
            ..incident()
        };
        let message = notice_email(&notice, &from(), &to(), &links(), Locale::En).unwrap();
        let (raw, text, html) = sent(&message);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
        assert!(html.contains("&lt;b&gt;API&lt;/b&gt;"));
        assert!(html.contains("Acme &quot;Labs&quot;"));
        assert!(
            text.contains("<script>alert(1)</script> & co"),
            "text is text"
        );
        // Not plain words: the list has no description then, only its id.
        assert_eq!(
            header(&raw, "List-Id").unwrap(),
            "<acme.status.example.com>"
        );
    }

    #[test]
    fn a_title_cannot_add_headers() {
        let notice = Notice {
            title: "Outage\r\nBcc: everyone@example.com".into(),
            ..incident()
        };
        let message = notice_email(&notice, &from(), &to(), &links(), Locale::En).unwrap();
        let raw = message.formatted();
        let mail = mailparse::parse_mail(&raw).unwrap();
        assert!(mail.get_headers().get_first_value("Bcc").is_none());
        assert_eq!(
            mail.get_headers().get_first_value("Subject").unwrap(),
            "[Acme] Identified: Outage  Bcc: everyone@example.com"
        );
    }

    #[test]
    fn maintenance_mails_say_when() {
        let message = notice_email(&maintenance(), &from(), &to(), &links(), Locale::En).unwrap();
        let (raw, text, html) = sent(&message);
        assert_eq!(
            header(&raw, "Subject").unwrap(),
            "[Acme] Maintenance started: Database upgrade"
        );
        assert!(text.contains("When: 4 March 2025, 14:00–16:00 UTC"));
        assert!(html.contains("When: 4 March 2025, 14:00–16:00 UTC"));
        assert!(text.contains("In progress"), "{text}");
        assert!(html.contains("border-left:6px solid #4493f8"));
    }

    #[test]
    fn a_notice_mail_speaks_its_subscribers_language_around_the_words_of_its_author() {
        let german = notice_email(&incident(), &from(), &to(), &links(), Locale::De).unwrap();
        let (raw, text, html) = sent(&german);
        assert_eq!(
            header(&raw, "Subject").unwrap(),
            "[Acme] Ursache gefunden: Elevated API errors"
        );
        for part in [&text, &html] {
            assert!(part.contains("Störung aktualisiert"), "{part}");
            assert!(part.contains("Auswirkung: Erheblich · Ursache gefunden"));
            assert!(part.contains("Veröffentlicht am 4. März 2025, 14:05 UTC"));
            assert!(part.contains("Betroffen: API, Dashboard"));
            assert!(part.contains("Auf der Statusseite ansehen"));
            assert!(part.contains("Abonnement verwalten"));
            assert!(part.contains("Statusmeldungen von Acme abonniert"));
            assert!(!part.contains("View on the status page"));
        }
        assert!(text.contains("We found the **cause** and are rolling back."));
        assert!(html.contains("<html lang=\"de\">"));

        let japanese = notice_email(&maintenance(), &from(), &to(), &links(), Locale::Ja).unwrap();
        let (raw, text, html) = sent(&japanese);
        assert_eq!(
            header(&raw, "Subject").unwrap(),
            "[Acme] メンテナンス開始: Database upgrade"
        );
        for part in [&text, &html] {
            assert!(
                part.contains("日時: 2025年3月4日 14:00～16:00 UTC"),
                "{part}"
            );
            assert!(part.contains("実施中"));
            assert!(part.contains("購読を解除"));
        }
        assert!(html.contains("<html lang=\"ja\">"));
    }

    #[test]
    fn a_notice_queued_before_it_named_its_status_says_the_words_it_has() {
        let older = Notice {
            incident_status: None,
            ..incident()
        };
        let message = notice_email(&older, &from(), &to(), &links(), Locale::Fr).unwrap();
        let (raw, _, _) = sent(&message);
        assert_eq!(
            header(&raw, "Subject").unwrap(),
            "[Acme] Identified: Elevated API errors"
        );
    }

    #[test]
    fn unusable_unsubscribe_links_are_refused() {
        for bad in [
            "",
            "/acme/unsubscribe",
            "javascript:alert(1)",
            "https://status.example.com/a b",
            "https://status.example.com/a>b",
            "https://status.example.com/é",
        ] {
            let links = Links {
                unsubscribe: bad.into(),
                ..links()
            };
            let err = notice_email(&incident(), &from(), &to(), &links, Locale::En).unwrap_err();
            assert!(
                matches!(
                    err,
                    NotifyError::BadLink {
                        what: "unsubscribe",
                        ..
                    }
                ),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn a_long_unsubscribe_link_stays_whole() {
        let long = format!(
            "https://status.example.com/acme/unsubscribe?token={}",
            "x".repeat(150)
        );
        let links = Links {
            unsubscribe: long.clone(),
            ..links()
        };
        let message = notice_email(&incident(), &from(), &to(), &links, Locale::En).unwrap();
        let raw = message.formatted();
        assert_eq!(
            header(&raw, "List-Unsubscribe").unwrap(),
            format!("<{long}>")
        );
    }

    #[test]
    fn redaction_keeps_enough_to_recognise_the_webhook() {
        assert_eq!(
            redacted("https://example.com/hooks"),
            "https://example.com/hooks"
        );
        assert_eq!(
            redacted("https://example.com:8443/hooks/upstate?key=s"),
            "https://example.com:8443/hooks/…"
        );
        assert_eq!(
            redacted("https://discord.com/api/webhooks/1/tok"),
            "https://discord.com/api/…"
        );
        assert_eq!(redacted("not a url"), "(an unreadable URL)");
    }
}
