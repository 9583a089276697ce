//! `/api/v1/orgs/{org}/subscribers`: the people and webhooks subscribed to the org's status page,
//! as its admins see them: a searchable list, counts by kind, removal, and CSV export and import.

use super::Paging;
use super::paths::SubscriberPath;
use crate::activity::Activity;
use crate::auth::{Admin, OrgAccess};
use crate::error::ApiError;
use crate::state::AppState;
use crate::views;
use actix_web::http::header;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;
use upstate_notify::links;
use upstate_shared::dto::{KindCounts, Page, Subscriber, SubscriberCounts, SubscriberImport};
use upstate_shared::valid::{ImportedSubscriber, guarded};
use upstate_shared::{Channel, FieldErrors, ServiceId, SubscriptionId};
use upstate_store::subscriptions::{self, Audience, NewSubscription, Subscription};

/// The largest CSV file an import takes (about 100,000 addresses).
pub const IMPORT_LIMIT: usize = 4 * 1024 * 1024;

/// How many row problems an import's error names (the first ones).
const PROBLEMS_SHOWN: usize = 20;

/// The columns of an export, in order; an import reads the same names.
const COLUMNS: [&str; 7] = [
    "kind",
    "address",
    "contact_email",
    "confirmed",
    "service_ids",
    "created_at",
    "confirmed_at",
];

fn view(row: &Subscription, services: Vec<ServiceId>) -> Subscriber {
    Subscriber {
        id: row.id.clone(),
        channel: row.channel(),
        target: row.target.clone(),
        contact_email: row.contact_email.clone(),
        confirmed: row.confirmed_at.is_some(),
        service_ids: services,
        created_at: views::utc(row.created_at),
        confirmed_at: row.confirmed_at.map(views::utc),
        enabled: row.disabled_at.is_none(),
        disabled_reason: row.disabled_reason.clone(),
    }
}

/// `?search=` of the list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubscriberSearch {
    /// Only subscribers whose address, URL or contact contains this text (any case).
    #[param(max_length = 254)]
    pub search: Option<String>,
}

/// `GET /api/v1/orgs/{org}/subscribers`
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/subscribers",
    tag = "subscribers",
    operation_id = "subscribers_list",
    params(("org" = String, Path, description = "The organization's slug"), SubscriberSearch, Paging),
    responses((status = 200, description = "The org's subscribers, newest first", body = upstate_shared::dto::Page<upstate_shared::dto::Subscriber>)),
)]
pub async fn list(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    search: web::Query<SubscriberSearch>,
    paging: web::Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    let limit = paging.limit()?;
    let cursor = paging.cursor::<SubscriptionId>()?;
    let search = search.into_inner().search;
    if search
        .as_ref()
        .is_some_and(|text| text.chars().count() > 254)
    {
        return Err(ApiError::BadRequest(
            "`search` must be at most 254 characters.".into(),
        ));
    }
    let org = access.org_id();
    let (rows, services) = state
        .read(move |conn| {
            let rows = subscriptions::list(
                conn,
                &org,
                Audience::Subscriber,
                search.as_deref(),
                cursor.as_ref(),
                limit + 1,
            )?;
            let ids: Vec<SubscriptionId> = rows.iter().map(|row| row.id.clone()).collect();
            let services = subscriptions::services_of_many(conn, &ids)?;
            Ok((rows, services))
        })
        .await?;
    let (rows, next_cursor) = views::page_of(rows, limit, |row| row.id.to_string());
    let mut services = services;
    Ok(HttpResponse::Ok().json(Page {
        items: rows
            .iter()
            .map(|row| view(row, services.remove(&row.id).unwrap_or_default()))
            .collect(),
        next_cursor,
    }))
}

/// `GET /api/v1/orgs/{org}/subscriber-counts`
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/subscriber-counts",
    tag = "subscribers",
    operation_id = "subscribers_counts",
    params(("org" = String, Path, description = "The organization's slug")),
    responses((status = 200, description = "How many subscribers the org has, by kind", body = upstate_shared::dto::SubscriberCounts)),
)]
pub async fn counts(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let org = access.org_id();
    let rows = state
        .read(move |conn| subscriptions::counts(conn, &org))
        .await?;
    let mut counts = SubscriberCounts::default();
    for (channel, confirmed, pending) in rows {
        let slot = match channel {
            Channel::Email => &mut counts.email,
            Channel::Webhook => &mut counts.webhook,
            // Chat channels are the team's integrations, never a subscriber's.
            _ => continue,
        };
        *slot = KindCounts {
            confirmed: u64::try_from(confirmed).unwrap_or(0),
            pending: u64::try_from(pending).unwrap_or(0),
        };
    }
    Ok(HttpResponse::Ok().json(counts))
}

/// `DELETE /api/v1/orgs/{org}/subscribers/{subscriber_id}`: removes a subscriber (nothing more
/// is sent to it, including what was queued).
#[utoipa::path(
    delete,
    path = "/api/v1/orgs/{org}/subscribers/{subscriber_id}",
    tag = "subscribers",
    operation_id = "subscribers_delete",
    params(SubscriberPath),
    responses((status = 204, description = "Removed")),
)]
pub async fn delete(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    path: web::Path<SubscriberPath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().subscriber_id;
    let act = Activity::of(&access.caller, access.org_id());
    state
        .write_as(act, move |conn, act| {
            // An integration is removed where integrations are.
            let row = subscriptions::delete_of(conn, &act.org, Audience::Subscriber, &id)?;
            act.audit(
                conn,
                "subscriber.removed",
                "subscriber",
                id.as_str(),
                json!({ "channel": row.channel(), "target": row.target }),
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /api/v1/orgs/{org}/subscribers.csv`: every subscriber as CSV, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/subscribers.csv",
    tag = "subscribers",
    operation_id = "subscribers_export",
    params(("org" = String, Path, description = "The organization's slug")),
    responses((status = 200, description = "Every subscriber as CSV with a header row: kind, address, contact_email, confirmed, service_ids (separated by spaces), created_at, confirmed_at", content_type = "text/csv", body = String)),
)]
pub async fn export(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let org = access.org_id();
    let slug = access.org.slug.clone();
    let (rows, mut services) = state
        .read(move |conn| {
            Ok((
                subscriptions::all(conn, &org, Audience::Subscriber)?,
                subscriptions::services_by_subscription(conn, &org, Audience::Subscriber)?,
            ))
        })
        .await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let internal = |err: csv::Error| ApiError::Internal(format!("writing the CSV: {err}"));
    out.write_record(COLUMNS).map_err(internal)?;
    for row in &rows {
        let ids = services
            .remove(&row.id)
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ");
        out.write_record([
            row.channel().as_str(),
            &guarded(&row.target),
            &guarded(row.contact_email.as_deref().unwrap_or_default()),
            if row.confirmed_at.is_some() {
                "true"
            } else {
                "false"
            },
            &ids,
            &views::utc(row.created_at).to_rfc3339(),
            &row.confirmed_at
                .map(|at| views::utc(at).to_rfc3339())
                .unwrap_or_default(),
        ])
        .map_err(internal)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|err| ApiError::Internal(format!("writing the CSV: {err}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{slug}-subscribers.csv\""),
        ))
        .body(bytes))
}

/// `POST /api/v1/orgs/{org}/subscribers.csv`: email subscribers from CSV, as an admin vouches
/// for them (confirmed, nothing is mailed). All or nothing: one bad row refuses the file, naming
/// its lines.
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org}/subscribers.csv",
    tag = "subscribers",
    operation_id = "subscribers_import",
    params(("org" = String, Path, description = "The organization's slug")),
    request_body(content = String, content_type = "text/csv", description = "A header row naming an `address` (or `email`) column, optionally `service_ids` (ids separated by spaces), `confirmed` (rows saying `false` are left out) and `kind` (only `email`); other columns are ignored. An export reads back as is."),
    responses((status = 200, description = "What the import did", body = upstate_shared::dto::SubscriberImport)),
)]
pub async fn import(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let body = read_csv(&req, payload).await?;
    let rows = parse_import(&body)?;
    let key = state.settings.jwt_secret.clone();
    let act = Activity::of(&access.caller, access.org_id());
    let answer = state
        .write_as(act, move |conn, act| {
            let mut answer = SubscriberImport::default();
            let hash = |id: &SubscriptionId| links::token_hash(&key, id);
            // Imported subscribers' mails speak the page's default language.
            let locale =
                crate::views::language(&upstate_store::organizations::get(conn, &act.org)?);
            for (line, row) in &rows {
                if !row.confirmed {
                    answer.not_confirmed += 1;
                    continue;
                }
                let new = NewSubscription {
                    audience: Audience::Subscriber,
                    channel: Channel::Email,
                    target: row.email.as_str(),
                    contact_email: None,
                    name: None,
                    secret: None,
                    events: None,
                    services: &row.service_ids,
                    locale,
                };
                let fresh = subscriptions::import(conn, &act.org, &new, &hash).map_err(
                    |err| match err {
                        upstate_store::StoreError::Invalid(_, problem) => {
                            upstate_store::StoreError::Invalid(
                                "csv".into(),
                                format!("line {line}: {problem}"),
                            )
                        }
                        other => other,
                    },
                )?;
                if fresh {
                    answer.imported += 1;
                } else {
                    answer.already_subscribed += 1;
                }
            }
            act.audit(
                conn,
                "subscribers.imported",
                "organization",
                act.org.as_str(),
                json!({ "imported": answer.imported, "already_subscribed": answer.already_subscribed }),
            )?;
            Ok(answer)
        })
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}

/// The request's CSV body, up to [`IMPORT_LIMIT`].
async fn read_csv(req: &HttpRequest, payload: web::Payload) -> Result<Vec<u8>, ApiError> {
    let is_csv = matches!(req.mime_type(), Ok(Some(mime))
        if mime.type_() == "text" && (mime.subtype() == "csv" || mime.subtype() == "plain"));
    if !is_csv {
        return Err(ApiError::BadRequest(
            "The body must be CSV (Content-Type: text/csv).".into(),
        ));
    }
    crate::json::read_up_to(payload, IMPORT_LIMIT).await
}

/// The rows of an import with their line numbers, or a 422 naming the first bad lines.
fn parse_import(body: &[u8]) -> Result<Vec<(u64, ImportedSubscriber)>, ApiError> {
    let refuse = |problems: Vec<String>| {
        let mut fields = FieldErrors::new();
        fields.insert("csv".to_owned(), problems);
        ApiError::Validation {
            message: "The file cannot be imported; nothing was imported.".into(),
            fields,
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(body);
    let headers = reader
        .headers()
        .map_err(|err| refuse(vec![format!("line 1: {err}")]))?
        .clone();
    let column = |names: &[&str]| {
        headers
            .iter()
            .position(|header| names.iter().any(|name| header.eq_ignore_ascii_case(name)))
    };
    let Some(address) = column(&["address", "email"]) else {
        return Err(refuse(vec![
            "line 1: the header row must name an `address` (or `email`) column".into(),
        ]));
    };
    let (kind, services, confirmed) = (
        column(&["kind"]),
        column(&["service_ids"]),
        column(&["confirmed"]),
    );
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let line = err.position().map_or(0, csv::Position::line);
                problems.push(format!("line {line}: {err}"));
                break;
            }
        };
        let line = record.position().map_or(0, csv::Position::line);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let cell = |index: Option<usize>| index.map(|i| record.get(i).unwrap_or_default());
        match ImportedSubscriber::from_columns(
            cell(kind),
            record.get(address).unwrap_or_default(),
            cell(services),
            cell(confirmed),
        ) {
            Ok(row) => rows.push((line, row)),
            Err(problem) => problems.push(format!("line {line}: {problem}")),
        }
    }
    if !problems.is_empty() {
        let total = problems.len();
        problems.truncate(PROBLEMS_SHOWN);
        if total > PROBLEMS_SHOWN {
            problems.push(format!("and {} more lines", total - PROBLEMS_SHOWN));
        }
        return Err(refuse(problems));
    }
    if rows.is_empty() {
        return Err(refuse(vec!["the file has no subscriber rows".into()]));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(body: &str) -> Vec<String> {
        match parse_import(body.as_bytes()) {
            Err(ApiError::Validation { fields, .. }) => fields["csv"].clone(),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn an_import_reads_an_export_and_names_bad_lines() {
        let rows = parse_import(
            b"kind,address,contact_email,confirmed,service_ids,created_at,confirmed_at\n\
              email,ada@example.com,,true,s1 s2,2026-01-01T00:00:00+00:00,\n\
              email,'=bob@example.com,,false,,,\n\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].1.email.as_str(), "ada@example.com");
        assert_eq!(rows[0].1.service_ids.len(), 2);
        assert_eq!(rows[1].1.email.as_str(), "=bob@example.com");
        assert!(!rows[1].1.confirmed);

        assert_eq!(
            problems("email\nada@example.com\nnot-an-address\nbob@example.com\n"),
            vec!["line 3: email must be an email address like name@example.com"]
        );
        assert!(problems("name\nAda\n")[0].contains("`address` (or `email`)"));
        assert_eq!(problems("email\n"), vec!["the file has no subscriber rows"]);
        let many: String = std::iter::once("email\n".to_owned())
            .chain((0..30).map(|i| format!("bad{i}\n")))
            .collect();
        let named = problems(&many);
        assert_eq!(named.len(), PROBLEMS_SHOWN + 1);
        assert_eq!(named.last().unwrap(), "and 10 more lines");
    }
}
