//! `GET /status/{org}/badge.svg` and `…/badge.svg?service={id}`: the page's overall state, or
//! one service's status, as a badge in the shields.io style for READMEs and wikis. Drawn from
//! the cached summary (no database read while it is fresh), held in the same cache with an ETag
//! and a short lifetime, with its words for screen readers (`role="img"`, `aria-label`,
//! `<title>`).

use crate::error::ApiError;
use crate::public::cache::Rendered;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use upstate_public_page::escape;
use upstate_shared::dto::PublicSummary;
use upstate_shared::{ServiceId, ServiceStatus, StatusIndicator};

/// `?service=` of a badge.
#[derive(Debug, Deserialize)]
pub struct BadgeQuery {
    /// One service's status instead of the page's overall state.
    pub service: Option<ServiceId>,
}

/// What a badge says: a grey label, a coloured message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    pub label: String,
    pub message: String,
    /// `#rrggbb`, dark enough for white text (WCAG AA at this size).
    pub color: &'static str,
}

/// The colour of a service status (the status page's own, as in `web/style.css`).
fn status_color(status: ServiceStatus) -> &'static str {
    match status {
        ServiceStatus::Operational => "#1a7f37",
        ServiceStatus::DegradedPerformance => "#9a6700",
        ServiceStatus::PartialOutage => "#bc4c00",
        ServiceStatus::MajorOutage => "#cf222e",
        ServiceStatus::UnderMaintenance => "#0969da",
    }
}

/// The colour of the page's overall state (its banner's).
fn indicator_color(indicator: StatusIndicator) -> &'static str {
    match indicator {
        StatusIndicator::None => "#1a7f37",
        StatusIndicator::Minor => "#9a6700",
        StatusIndicator::Major => "#bc4c00",
        StatusIndicator::Critical => "#cf222e",
        StatusIndicator::Maintenance => "#0969da",
    }
}

impl Badge {
    /// The page's overall state, in its banner's words.
    pub fn overall(summary: &PublicSummary) -> Badge {
        Badge {
            label: summary.page.name.clone(),
            message: summary.status.description.to_lowercase(),
            color: indicator_color(summary.status.indicator),
        }
    }

    /// One service's status; `None` when the page has no such service.
    pub fn service(summary: &PublicSummary, id: &ServiceId) -> Option<Badge> {
        let service = summary.services.iter().find(|s| &s.id == id)?;
        Some(Badge {
            label: service.name.clone(),
            message: service.status.label().to_lowercase(),
            color: status_color(service.status),
        })
    }

    /// The SVG: two rounded halves, the text drawn at its measured width (`textLength`, so any
    /// font fits it), with a shadow as shields.io draws it.
    pub fn svg(&self) -> String {
        const PAD: f64 = 6.0;
        let label_width = (text_width(&self.label) + 2.0 * PAD).round();
        let message_width = (text_width(&self.message) + 2.0 * PAD).round();
        let width = label_width + message_width;
        let words = escape(&format!("{}: {}", self.label, self.message));
        let label = escape(&self.label);
        let message = escape(&self.message);
        // Text is drawn at ten times its size and scaled down, as shields.io does, for crisp
        // rendering at small sizes.
        let text = |x: f64, content: &str, width: f64| {
            let length = ((width - 2.0 * PAD) * 10.0).round();
            format!(
                "<text aria-hidden=\"true\" x=\"{x}\" y=\"150\" fill=\"#010101\" fill-opacity=\".3\" \
                 transform=\"scale(.1)\" textLength=\"{length}\">{content}</text>\
                 <text x=\"{x}\" y=\"140\" transform=\"scale(.1)\" fill=\"#fff\" \
                 textLength=\"{length}\">{content}</text>",
                x = ((x + width / 2.0) * 10.0).round(),
            )
        };
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"20\" role=\"img\" \
             aria-label=\"{words}\"><title>{words}</title>\
             <linearGradient id=\"s\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#bbb\" \
             stop-opacity=\".1\"/><stop offset=\"1\" stop-opacity=\".1\"/></linearGradient>\
             <clipPath id=\"r\"><rect width=\"{width}\" height=\"20\" rx=\"3\" fill=\"#fff\"/></clipPath>\
             <g clip-path=\"url(#r)\"><rect width=\"{label_width}\" height=\"20\" fill=\"#555\"/>\
             <rect x=\"{label_width}\" width=\"{message_width}\" height=\"20\" fill=\"{color}\"/>\
             <rect width=\"{width}\" height=\"20\" fill=\"url(#s)\"/></g>\
             <g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" \
             text-rendering=\"geometricPrecision\" font-size=\"110\">{label_text}{message_text}</g></svg>",
            color = self.color,
            label_text = text(0.0, &label, label_width),
            message_text = text(label_width, &message, message_width),
        )
    }
}

/// The width of `text` in Verdana at 11 px, the badges' font, from its characters' advance
/// widths (narrow, wide and the rest); close enough that `textLength` changes little.
fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 3.5,
            'f' | 'r' | 't' | 'I' | ' ' | '(' | ')' | '[' | ']' | '-' | '/' => 4.9,
            'm' | 'w' | 'M' | 'W' => 10.0,
            c if c.is_ascii_uppercase() || c.is_ascii_digit() => 7.6,
            c if c.is_ascii() => 6.8,
            // Wider scripts (CJK and the like) take about a square each.
            c if c.len_utf8() >= 3 => 11.0,
            _ => 7.0,
        })
        .sum()
}

/// `GET /status/{org}/badge.svg`: the badge of the page, or of `?service=`; 404 (the API's error
/// body) for an org or a service the page does not have.
pub async fn badge(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
    query: web::Query<BadgeQuery>,
) -> Result<HttpResponse, ApiError> {
    let slug = org.into_inner();
    state.directory.listed(&slug)?;
    let service = query.into_inner().service;
    let key = match &service {
        Some(id) => format!("badge:{slug}:{id}"),
        None => format!("badge:{slug}"),
    };
    let rendered = state
        .public
        .get_or_compute(&key, || async {
            let summary = crate::public::summary::cached(&state, &slug).await?;
            let parsed: PublicSummary = serde_json::from_slice(&summary.json).map_err(|err| {
                ApiError::Internal(format!("reading the cached summary failed: {err}"))
            })?;
            let badge = match &service {
                None => Badge::overall(&parsed),
                Some(id) => Badge::service(&parsed, id).ok_or_else(|| {
                    ApiError::NotFound(format!("This status page has no service {id}."))
                })?,
            };
            Rendered::svg(summary.org.clone(), badge.svg())
        })
        .await?;
    Ok(rendered.respond(&req))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_badge_is_as_wide_as_its_words_and_escapes_them() {
        let short = Badge {
            label: "API".into(),
            message: "operational".into(),
            color: "#1a7f37",
        }
        .svg();
        let long = Badge {
            label: "Payments <EU> & \"cards\"".into(),
            message: "partial outage".into(),
            color: "#bc4c00",
        }
        .svg();
        let width = |svg: &str| -> f64 {
            let rest = &svg[svg.find("width=\"").unwrap() + 7..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        };
        assert!(width(&long) > width(&short) + 40.0);
        assert!(long.contains("Payments &lt;EU&gt; &amp; &quot;cards&quot;: partial outage"));
        assert!(!long.contains("<EU>"));
    }
}
