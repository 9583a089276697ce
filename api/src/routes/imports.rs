//! `POST /api/v1/orgs/{org}/imports/statuspage`: brings a page over from Atlassian Statuspage
//! (its groups, its services with their status now, its incident history with updates), from
//! its public v2 documents or from its address. `upstate import statuspage` does the same from
//! the command line.

use crate::activity::Activity;
use crate::auth::{Admin, OrgAccess};
use crate::error::ApiError;
use crate::public::statuspage::{self, Incidents, Summary};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;
use upstate_shared::dto::{StatuspageImport, StatuspageImportRequest};
use upstate_shared::{EventKind, FieldErrors};
use upstate_store::imports;

/// The largest upload: a page's summary and 50 incidents with their updates fit many times.
pub const UPLOAD_LIMIT: usize = 8 * 1024 * 1024;

fn refused(field: &str, problems: Vec<String>) -> ApiError {
    let mut fields = FieldErrors::new();
    fields.insert(field.to_owned(), problems);
    ApiError::Validation {
        message: "The page cannot be imported; nothing was imported.".into(),
        fields,
    }
}

/// `document` read as Statuspage's `T`, or a 422 naming `field` and where it does not fit.
fn document<T: serde::de::DeserializeOwned>(
    field: &str,
    document: serde_json::Value,
) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(document).map_err(|err| {
        refused(
            field,
            vec![format!(
                "is not Statuspage's format at `{}`: {}",
                err.path(),
                err.inner()
            )],
        )
    })
}

/// The page's documents, fetched from its address (`https://status.example.com`) through the
/// egress policy (no private addresses unless the operator allows them).
pub async fn fetch(
    policy: upstate_egress::Policy,
    url: &str,
) -> Result<(Summary, Incidents), ApiError> {
    let base = url.trim().trim_end_matches('/');
    let parsed = url::Url::parse(base).map_err(|err| refused("url", vec![err.to_string()]))?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(refused("url", vec!["must be an http(s) address".into()]));
    }
    let client = upstate_egress::Client::new(policy, "Upstate-Import/1")
        .map_err(|err| ApiError::Internal(err.to_string()))?
        .with_body_limit(UPLOAD_LIMIT);
    let get = |path: &'static str| {
        let client = &client;
        async move {
            let address = format!("{base}/api/v2/{path}");
            let answer = client
                .get(&address, Default::default())
                .await
                .map_err(|err| refused("url", vec![format!("{address}: {err}")]))?;
            if !answer.is_success() {
                return Err(refused(
                    "url",
                    vec![format!("{address} answered {}", answer.status)],
                ));
            }
            answer
                .json::<serde_json::Value>()
                .map_err(|err| refused("url", vec![format!("{address}: {err}")]))
        }
    };
    let summary = document("url", get("summary.json").await?)?;
    let incidents = document("url", get("incidents.json").await?)?;
    Ok((summary, incidents))
}

/// What `summary` (and `incidents`) would import, or a 422 naming every problem.
pub fn plan(summary: &Summary, incidents: Option<&Incidents>) -> Result<imports::Import, ApiError> {
    statuspage::import_of(summary, incidents).map_err(|problems| refused("summary", problems))
}

/// Imports `plan` into the org of `act`, in the caller's transaction, and announces what is new
/// (live page, caches, audit log); answers what it did.
pub fn apply(
    conn: &mut upstate_store::DbConnection,
    act: &Activity,
    plan: &imports::Import,
) -> upstate_store::StoreResult<StatuspageImport> {
    let done = imports::import(conn, &act.org, plan, act.cause())?;
    for id in &done.groups {
        let group = upstate_store::services::get_group(conn, &act.org, id)?;
        act.event(
            conn,
            EventKind::ServiceGroupCreated,
            &crate::views::public_group(&group),
            &crate::views::group(&group),
        )?;
    }
    for id in &done.services {
        let service = upstate_store::services::get(conn, &act.org, id)?;
        act.event(
            conn,
            EventKind::ServiceCreated,
            &crate::views::public_service_event(&service),
            &crate::views::service(&service),
        )?;
    }
    for id in &done.incidents {
        let full = upstate_store::incidents::get(conn, &act.org, id)?;
        let kind = if full.incident.status == upstate_shared::IncidentStatus::Resolved {
            EventKind::IncidentResolved
        } else {
            EventKind::IncidentCreated
        };
        act.incident_changed(conn, kind, &full, &[])?;
    }
    for id in &done.maintenances {
        let full = upstate_store::maintenances::get(conn, &act.org, id)?;
        act.maintenance_changed(conn, EventKind::MaintenanceCreated, &full, &[])?;
    }
    act.services_changed(conn, &done.moved)?;
    let answer = StatuspageImport {
        groups_created: done.groups.len() as u64,
        services_created: done.services.len() as u64,
        services_updated: done.services_updated as u64,
        incidents_created: done.incidents.len() as u64,
        incidents_skipped: done.incidents_skipped as u64,
        maintenances_created: done.maintenances.len() as u64,
        maintenances_skipped: done.maintenances_skipped as u64,
    };
    act.audit(
        conn,
        "statuspage.imported",
        "organization",
        act.org.as_str(),
        json!({ "source": plan.source, "result": answer }),
    )?;
    Ok(answer)
}

/// `POST /api/v1/orgs/{org}/imports/statuspage`
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org}/imports/statuspage",
    tag = "organizations",
    operation_id = "imports_statuspage",
    params(("org" = String, Path, description = "The organization's slug")),
    request_body(content = StatuspageImportRequest, description = "The page's `summary.json` (and optionally its `incidents.json`), or its address in `url`; up to 8 MiB"),
    responses((status = 200, description = "What the import did (all of it, or nothing and a 422 naming the problems)", body = StatuspageImport)),
)]
pub async fn statuspage(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    if !crate::json::is_json(&req) {
        return Err(ApiError::BadRequest(
            "The body must be JSON (Content-Type: application/json).".into(),
        ));
    }
    let body = crate::json::read_up_to(payload, UPLOAD_LIMIT).await?;
    let request: StatuspageImportRequest = crate::json::parse(&body)?;
    let (summary, incidents) = match request {
        StatuspageImportRequest {
            url: Some(url),
            summary: None,
            incidents: None,
        } => {
            let (summary, incidents) = fetch(state.settings.egress, &url).await?;
            (summary, Some(incidents))
        }
        StatuspageImportRequest {
            url: None,
            summary: Some(summary),
            incidents,
        } => (
            document("summary", summary)?,
            incidents
                .map(|incidents| document("incidents", incidents))
                .transpose()?,
        ),
        _ => {
            return Err(refused(
                "body",
                vec!["give either `summary` (and optionally `incidents`) or `url`".into()],
            ));
        }
    };
    let plan = plan(&summary, incidents.as_ref())?;
    let act = Activity::of(&access.caller, access.org_id());
    let answer = state
        .write_as(act, move |conn, act| apply(conn, act, &plan))
        .await?;
    Ok(HttpResponse::Ok().json(answer))
}
