//! The history of a status page by calendar month (UTC): the incidents declared and the
//! maintenance windows held in each month, newest month first, a few months a page back to
//! the first month that has anything, optionally only what touched one service. Read by
//! `GET /api/v1/public/{org}/history` and drawn by `GET /status/{org}/history`.
//!
//! A page's cursor is a month, `YYYY-MM`: the newest month it shows. Months with nothing in
//! them are listed too (a quiet month is worth saying), so a page always covers its months.

use crate::error::ApiError;
use crate::state::AppState;
use crate::views;
use chrono::{Datelike, Months, NaiveDate};
use serde::Deserialize;
use upstate_shared::dto::{HistoryMonth, Page, PublicPage, PublicService};
use upstate_shared::{ServiceDisplay, ServiceId};
use upstate_store::{Missing, StoreError, incidents, maintenances, organizations, services};

/// The most months one page may hold.
pub const MAX_MONTHS: u32 = 12;

/// A month as its first day.
pub type Month = NaiveDate;

/// `YYYY-MM` as a month, or `None`.
pub fn parse_month(text: &str) -> Option<Month> {
    let (year, month) = text.split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)
}

/// A month as `YYYY-MM`.
pub fn month_text(month: Month) -> String {
    format!("{:04}-{:02}", month.year(), month.month())
}

/// The month `at` falls in.
pub fn month_of(at: chrono::NaiveDateTime) -> Month {
    at.date().with_day(1).unwrap_or(at.date())
}

/// What a page of the history reads.
pub struct HistoryRequest {
    pub slug: String,
    /// Only what touched this service.
    pub service: Option<ServiceId>,
    /// The newest month of the page; the current month when `None`.
    pub cursor: Option<Month>,
    /// How many months, 1 to [`MAX_MONTHS`].
    pub months: u32,
}

/// A page of the history, with what the history page draws around it.
pub struct HistoryRead {
    pub page: PublicPage,
    pub services: Vec<PublicService>,
    pub months: Page<HistoryMonth>,
    /// The newest month of the newer page, when the page is not the newest.
    pub newer: Option<String>,
}

/// Reads a page of the history of the org `request.slug` (404 when there is none, or when the
/// service is not one of its services).
pub async fn read(state: &AppState, request: HistoryRequest) -> Result<HistoryRead, ApiError> {
    state.directory.listed(&request.slug)?;
    let public_url = state.settings.public_url.clone();
    state
        .read(move |conn| {
            let HistoryRequest {
                slug,
                service,
                cursor,
                months,
            } = request;
            let org = organizations::find_by_slug(conn, &slug)?
                .ok_or(StoreError::NotFound(Missing::StatusPage))?;
            let list = services::list(conn, &org.id)?;
            if let Some(service) = &service
                && !list
                    .iter()
                    .any(|s| &s.id == service && s.display != ServiceDisplay::Hidden)
            {
                return Err(StoreError::NotFound(Missing::Service));
            }
            let current = month_of(upstate_store::now());
            let newest = cursor.map_or(current, |c| c.min(current));
            let first = [
                incidents::first_declared(conn, &org.id, service.as_ref())?,
                maintenances::first_held(conn, &org.id, service.as_ref())?,
            ]
            .into_iter()
            .flatten()
            .min()
            .map_or(current, month_of);
            let mut items = Vec::new();
            let mut month = newest;
            while items.len() < months as usize && month >= first {
                let next = month + Months::new(1);
                let (from, to) = (midnight(month), midnight(next));
                let declared =
                    incidents::declared_between(conn, &org.id, from, to, service.as_ref())?;
                let held = maintenances::held_between(conn, &org.id, from, to, service.as_ref())?;
                items.push(HistoryMonth {
                    month: month_text(month),
                    incidents: declared.iter().map(views::public_incident).collect(),
                    maintenances: held.iter().map(views::public_maintenance).collect(),
                });
                month = month - Months::new(1);
            }
            let next_cursor = (month >= first && !items.is_empty()).then(|| month_text(month));
            let newer =
                (newest < current).then(|| month_text((newest + Months::new(months)).min(current)));
            Ok(HistoryRead {
                page: PublicPage {
                    url: crate::public::page_url(&public_url, &org),
                    name: org.name.clone(),
                    slug: org.slug.clone(),
                    branding: views::org(&org).branding,
                    default_language: views::language(&org),
                    updated_at: views::utc(org.updated_at),
                },
                services: views::listed_services(&list),
                months: Page { items, next_cursor },
                newer,
            })
        })
        .await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthsQuery {
    /// Only incidents that affected, and maintenance that covered, this service (empty: all).
    pub service: Option<String>,
    /// `next_cursor` of the previous page: the newest month of this page, `YYYY-MM`
    /// (default: the current month).
    #[param(pattern = r"^[0-9]{4}-[0-9]{2}$", example = "2026-11")]
    pub cursor: Option<String>,
    /// How many months, 1 to 12 (default 3).
    #[param(minimum = 1, maximum = 12)]
    pub limit: Option<u32>,
}

impl MonthsQuery {
    /// The request for a page of the history of `slug`, or a 400 for a bad cursor or limit.
    pub fn request(self, slug: String) -> Result<HistoryRequest, ApiError> {
        let months = self
            .limit
            .unwrap_or(upstate_public_page::history::MONTHS_PER_PAGE);
        if !(1..=MAX_MONTHS).contains(&months) {
            return Err(ApiError::BadRequest(
                "`limit` must be between 1 and 12.".into(),
            ));
        }
        let cursor = match self.cursor.as_deref() {
            None => None,
            Some(text) => Some(parse_month(text).ok_or_else(|| {
                ApiError::BadRequest("`cursor` must be a month, `YYYY-MM`.".into())
            })?),
        };
        Ok(HistoryRequest {
            slug,
            service: self
                .service
                .filter(|s| !s.is_empty())
                .map(upstate_shared::ServiceId::from),
            cursor,
            months,
        })
    }
}

/// The first instant of a month.
fn midnight(month: Month) -> chrono::NaiveDateTime {
    month.and_time(chrono::NaiveTime::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_is_a_month() {
        let may = NaiveDate::from_ymd_opt(2026, 5, 1);
        assert_eq!(parse_month("2026-05"), may);
        assert_eq!(parse_month("2026-5"), None);
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("0193a6f0-0000"), None);
        assert_eq!(month_text(may.unwrap_or_default()), "2026-05");
    }
}
